"""The generated module of an equation model: its step function and its constants.

The text has three functions:

``step(<state>, <receptors>, <constants>, dt[, normal])``
    The per-neuron step of snn's neuron protocol (:class:`snn.core.NeuronModel`): integrate
    over the step, add the inputs of the step (``on_spike``), test the threshold, reset, count
    down the refractory period; return the new state and whether the neuron spiked. Plain
    scalar code, compiled by numba and inlined into the network's loop like a built-in model's.
``constants(_p, dt)``
    numpy code computing, from the parameters ``_p`` (floats or per-neuron arrays), every value
    the step needs that does not change during a run: expensive parameter expressions
    (divisions, exponentials) hoisted out of the neuron loop, exact propagators, the refractory
    period in steps.
``initial(_p)``
    The default initial values of the state.
``derived_<name>(<state>, <constants>[, t, dt])``
    One per subexpression that depends on the state, parameters and time only: its value for
    one neuron, so that a state monitor can record it (:class:`snn.core.Derived`).

Order within a step (snn's convention, as NEST): integrate, add the step's input, test the
threshold, reset. Integrators: see :mod:`snn.equations._methods`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import sympy as sp

from snn.equations._analysis import DT, INDEX, NR, SIZE, TEMPORARY, WEIGHT, Analysis, T
from snn.equations._expr import RAND
from snn.equations._methods import linear_block, linear_coefficients, relaxation
from snn.equations._model import RKF_MAX_SUBSTEPS
from snn.equations._printing import NumbaPrinter, NumpyPrinter
from snn.equations._runtime import LOCAL
from snn.equations._units import Dim

__all__ = [
    "Constants",
    "Generated",
    "Step",
    "constant_depends",
    "constants_function",
    "generate",
    "integrate",
    "needed_constants",
    "ordered_constants",
    "used_constants",
]


#: RK4 stage fractions of the step
_RK4 = ((0.5, "0.5"), (1.0, "1"))
#: Fehlberg's tableau (Fehlberg 1969, NASA TR R-315; the coefficients of GSL's rkf45.c):
#: stage c, a; 5th-order weights b; 5th minus 4th-order weights e
_RKF_A = (
    (),
    (1 / 4,),
    (3 / 32, 9 / 32),
    (1932 / 2197, -7200 / 2197, 7296 / 2197),
    (439 / 216, -8.0, 3680 / 513, -845 / 4104),
    (-8 / 27, 2.0, -3544 / 2565, 1859 / 4104, -11 / 40),
)
_RKF_B = (16 / 135, 0.0, 6656 / 12825, 28561 / 56430, -9 / 50, 2 / 55)
_RKF_E = (1 / 360, 0.0, -128 / 4275, -2197 / 75240, 1 / 50, 2 / 55)
#: RKF45 local error tolerance of a variable, per unit of ``tolerance``: NEST's units (mV, pA,
#: nS, pF, ms), and per millisecond for rates of those
_SCALES = {
    Dim.of(kilogram=1, metre=2, second=-3, amp=-1): 1e-3,
    Dim.of(amp=1): 1e-12,
    Dim.of(kilogram=-1, metre=-2, second=3, amp=2): 1e-9,
    Dim.of(kilogram=-1, metre=-2, second=4, amp=2): 1e-12,
    Dim.of(second=1): 1e-3,
}
#: smallest RKF45 substep as a fraction of dt; accepted whatever its error, so the loop ends
_RKF_MIN_FRACTION = 2.0**-30


@dataclass
class Generated:
    """The module text and the protocol declarations it implies."""

    body: str
    arguments: list[str]
    constants: list[str]
    method: str
    reason: str
    linear_block: list[str] = field(default_factory=list)
    #: constant -> the parameters its value depends on (a per-neuron parameter makes it per
    #: neuron)
    depends: dict[str, list[str]] = field(default_factory=dict)
    #: each subexpression: (name, its function's arguments, why it cannot be recorded or "")
    derived: list[tuple[str, list[str], str]] = field(default_factory=list)


class Constants:
    """Values computed once per ``dt`` by ``constants(_p, dt)``, and the hoisting of them."""

    def __init__(self, parameters: list[str], numpy: NumpyPrinter) -> None:
        self.numpy = numpy
        self.params = {sp.Symbol(p, real=True) for p in parameters}
        self.known: set[sp.Symbol] = set(self.params) | {DT}
        self.lines: list[str] = []
        self._by_expr: dict[sp.Expr, sp.Symbol] = {}
        self._counter = itertools.count()

    def computed(self, symbol: sp.Symbol, code: str) -> sp.Symbol:
        """Declare ``symbol`` as computed by a line of numpy ``code``."""
        self.lines.append(f"{symbol.name} = {code}")
        self.known.add(symbol)
        return symbol

    def is_constant(self, expr: sp.Expr) -> bool:
        """Whether ``expr`` is fixed during a run."""
        return expr.free_symbols <= self.known

    def constant(self, expr: sp.Expr) -> sp.Symbol:
        """A new constant holding ``expr`` (one per distinct expression)."""
        if expr in self._by_expr:
            return self._by_expr[expr]
        sym = sp.Symbol(f"_k{next(self._counter)}", real=True)
        self._by_expr[expr] = sym
        return self.computed(sym, self.numpy.doprint(expr))

    def hoist(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with its costly constant parts (divisions, functions) replaced by constants."""
        if expr.is_Atom:
            return expr
        if self.is_constant(expr) and not isinstance(expr, sp.logic.boolalg.Boolean):
            return self.constant(expr) if _costly(expr) else expr
        if isinstance(expr, sp.Add | sp.Mul):
            fixed = [a for a in expr.args if self.is_constant(a)]
            rest = [self.hoist(a) for a in expr.args if not self.is_constant(a)]
            if len(fixed) > 1 or (fixed and _costly(fixed[0])):
                part = expr.func(*fixed)
                fixed = [self.constant(part) if _costly(part) else part]
            return expr.func(*fixed, *rest)
        if isinstance(expr, sp.Piecewise):
            return sp.Piecewise(*[(self.hoist(e), self.hoist(c)) for e, c in expr.args])
        return expr.func(*[self.hoist(a) for a in expr.args])


def _costly(expr: sp.Expr) -> bool:
    """Whether evaluating ``expr`` per neuron and step costs more than a few multiplications."""
    for sub in sp.preorder_traversal(expr):
        if isinstance(sub, sp.Pow) and not (sub.exp.is_Integer and sub.exp > 0):
            return True
        if isinstance(sub, sp.Function | sp.Piecewise) and not isinstance(sub, sp.Min | sp.Max):
            return True
    return False


class Step:
    """Lines of the step function, with common subexpressions shared."""

    def __init__(self, numba: NumbaPrinter) -> None:
        self.printer = numba
        self.lines: list[str] = []
        self.used: set[sp.Symbol] = set()
        self._names = itertools.count()

    def symbols(self, prefix: str) -> Iterator[sp.Symbol]:
        """Fresh temporaries."""
        while True:
            yield sp.Symbol(f"{prefix}{next(self._names)}", real=True)

    def line(self, text: str, depth: int = 1) -> None:
        self.lines.append("    " * depth + text)

    def assign(self, items: list[tuple[sp.Symbol, sp.Expr]], depth: int = 1) -> None:
        """``target = expression`` for each item, sharing common subexpressions."""
        if not items:
            return
        exprs = [e for _, e in items]
        replacements, reduced = sp.cse(exprs, symbols=self.symbols("_t"), optimizations=None)
        for sym, expr in replacements:
            self._emit(sym, expr, depth)
        for (target, _), expr in zip(items, reduced, strict=True):
            self._emit(target, expr, depth)

    def _emit(self, target: sp.Symbol, expr: sp.Expr, depth: int) -> None:
        self.used |= expr.free_symbols
        self.line(f"{target.name} = {self.printer.doprint(expr)}", depth)

    def new(self, name: str) -> sp.Symbol:
        """A fresh temporary for the new value of ``name``."""
        return sp.Symbol(f"_{name}_{next(self._names)}", real=True)


def generate(an: Analysis, method: str, reason: str) -> Generated:
    """The module body of an analysed model integrated with ``method``."""
    numba = NumbaPrinter(LOCAL["exprel"])
    numpy = NumpyPrinter(LOCAL["exprel_np"])
    k = Constants(an.parameters, numpy)
    st = Step(numba)
    receptors = list(an.on_spike)
    has_ref = an.refractory_kind != "none"
    if an.refractory_kind == "period":
        st.line("_nr = refr == 0")
    elif an.refractory_kind == "condition":
        cond = k.hoist(an.refractory)
        st.line(f"_nr = (refr == 0) | (not {numba.doprint(cond)})")
        st.used |= cond.free_symbols
    for s in an.every_step:
        # the state's names are the step's arguments: rebound, the rest of the step reads the
        # new values (a temporary keeps its own name)
        if s.target.startswith(TEMPORARY):
            st.assign([(sp.Symbol(s.target, real=True), k.hoist(s.value))])
            continue
        tmp = st.new("start")
        st.assign([(tmp, k.hoist(s.value))])
        st.line(f"{s.target} = {tmp.name}")
    st.assign([(sym, k.hoist(expr)) for sym, expr in an.frozen.items()])
    new, block = integrate(an, method, k, st)
    if method == "exponential_euler" and block:
        reason += f"; {', '.join(block)} (a coupled linear block) exactly"
    # events see the state at the end of the step, and the time there
    current = {an.symbol(x): new[x] for x in an.state}
    current[T] = T + DT
    for receptor, statements in an.on_spike.items():
        for s in statements:
            value = s.value.xreplace(current).xreplace({WEIGHT: sp.Symbol(receptor, real=True)})
            target = st.new(s.target)
            if has_ref and s.target in an.unless_refractory:
                # Brian2's conditional write: a variable held while refractory takes no input
                arrived = st.new("input")
                st.assign([(arrived, k.hoist(value))])
                st.line(
                    f"{target.name} = {arrived.name} if _nr else {current[an.symbol(s.target)]}"
                )
            else:
                st.assign([(target, k.hoist(value))])
            current[an.symbol(s.target)] = target
    if an.threshold is not None:
        cond = k.hoist(an.threshold.xreplace(current))
        st.used |= cond.free_symbols
        text = numba.doprint(cond)
        st.line(f"_spk = _nr & {text}" if has_ref else f"_spk = bool({text})")
    else:
        st.line("_spk = False")
    for s in an.reset:
        value = k.hoist(s.value.xreplace(current))
        if s.target.startswith(TEMPORARY):
            kept = st.new(s.target.strip("_"))
            st.assign([(kept, value)])
            current[an.symbol(s.target)] = kept
            continue
        target = st.new(s.target)
        tmp = st.new("reset")
        st.assign([(tmp, value)])
        st.line(f"{target.name} = {tmp.name} if _spk else {current[an.symbol(s.target)]}")
        current[an.symbol(s.target)] = target
    outputs = [current[an.symbol(x)].name for x in an.state]
    if an.refractory_kind == "period":
        period = k.computed(
            sp.Symbol("_ref_steps", real=True),
            f"{LOCAL['refractory_steps']}({numpy.doprint(an.refractory)}, dt)",
        )
        st.line(f"_refr = {period.name} if _spk else (refr if _nr else refr - 1)")
        st.used.add(period)
        outputs.append("_refr")
    elif an.refractory_kind == "condition":
        st.line("_refr = 1 if _spk else (0 if _nr else 1)")
        outputs.append("_refr")
    # a model without state returns the 1-tuple (spiked,)
    st.line(f"return {', '.join([*outputs, '_spk'])}{'' if outputs else ','}")
    derived = [_derived(an, k, numba, name) for name in an.subexpressions]
    return _module(an, k, st, receptors, method, reason, block, derived)


@dataclass
class _Derived:
    """A subexpression's recordable value: its function's lines and arguments, or a refusal."""

    name: str
    arguments: list[str]
    constants: list[str]
    lines: list[str]
    refusal: str = ""


def _derived(an: Analysis, k: Constants, numba: NumbaPrinter, name: str) -> _Derived:
    """The function computing subexpression ``name`` from one neuron's state, or why not."""
    expr = an.subexpressions[name].xreplace(an.frozen)
    symbols = {s.name for s in expr.free_symbols}
    held = [c for c in an.currents if c in symbols]
    why = (
        f"it depends on `{held[0]}`, a current input held over one step and not kept"
        if held
        else "it depends on `not_refractory`"
        if NR.name in symbols
        else "it depends on `rand()`, drawn anew in each step and not kept"
        if RAND.name in symbols
        else ""
    )
    if why:
        return _Derived(name, [], [], [], why + "; record the state variables it is made of.")
    value = k.hoist(expr)
    used = {s.name for s in value.free_symbols}
    state = [x for x in an.state if x in used]
    consts = used_constants(an.parameters, k, used)
    special = [a for a in ("t", "dt", INDEX.name, SIZE.name) if a in used]
    args = [*state, *consts, *special]
    unit = an.dims[name].symbol()
    lines = [
        '@kernel(inline="always")',
        f"def derived_{name}({', '.join(args)}):",
        f'    """``{name}`` [{unit}] of one neuron."""',
        f"    return {numba.doprint(value)}",
    ]
    return _Derived(name, args, consts, lines)


def integrate(
    an: Analysis, method: str, k: Constants, st: Step
) -> tuple[dict[str, sp.Symbol], list[str]]:
    """Lines of ``st`` integrating ``an``'s equations over one step with ``method``.

    Returns the symbol of each variable's value at the step's end, and the variables RK2/RK4
    propagate exactly (:func:`snn.equations._methods.linear_block`).
    """
    if method == "exact":
        return _exact(an, k, st), []
    if method in ("euler", "heun"):
        return _explicit(an, k, st, method), []
    if method == "exponential_euler":
        # chosen, not requested: a coupled linear block (an alpha synapse's g and h) is
        # propagated exactly; requested, it is Brian2's method, each variable on its own
        block = _coupled(an, linear_block(an)) if an.text.method is None else []
        return _exponential_euler(an, k, st, block), block
    if method in ("rk2", "rk4"):
        block = linear_block(an)
        if an.text.method is not None and len(block) == len(an.state):
            # requested for a system that is all one linear block: the Runge-Kutta steps, as
            # asked (a comparison of integrators, Brian2's compare_GSL_to_conventional.py)
            block = []
        return _runge_kutta(an, k, st, method, block), block
    return _rkf45(an, k, st), []


def _module(
    an: Analysis,
    k: Constants,
    st: Step,
    receptors: list[str],
    method: str,
    reason: str,
    block: list[str],
    derived: list[_Derived],
) -> Generated:
    names = {s.name for s in st.used}
    state = [*an.state, *(["refr"] if an.refractory_kind != "none" else [])]
    consts = used_constants(an.parameters, k, names)
    # the constants the derived values need besides the step's
    extra = [c for d in derived for c in d.constants if c not in consts]
    extra = list(dict.fromkeys(extra))
    args = [*state, *receptors, *[c for c in an.currents if c in names], *consts]
    for special in ("dt", "normal", "uniform", "t", INDEX.name, SIZE.name):
        if special in names:
            args.append(special)
    signature = ", ".join(args)
    doc = f'    """One step ({method}; {reason})."""'
    step = ['@kernel(inline="always")', f"def step({signature}):", doc, *st.lines]
    const_lines = constants_function(
        an.parameters,
        k,
        consts + extra,
        "Values the step and the derived values need, from the parameters (floats or "
        "per-neuron arrays).",
    )
    derived_lines = [line for d in derived for line in ["", "", *d.lines]]
    numpy = k.numpy
    init_lines = [
        "def initial(_p):",
        '    """Default initial values of the state variables."""',
        *[f"    {p} = {LOCAL['as_value']}(_p[{p!r}])" for p in an.parameters],
        "    return {"
        + ", ".join(
            [
                *(f"{x!r}: {numpy.doprint(an.initial.get(x, sp.Float(0.0)))}" for x in an.state),
                *(["'refr': 0"] if an.refractory_kind != "none" else []),
            ]
        )
        + "}",
    ]
    body = "\n".join([*step, "", "", *const_lines, "", "", *init_lines, *derived_lines])
    depends = constant_depends(k, an.parameters)
    deps = {c: sorted(depends[c]) for c in consts}
    recordable = [(d.name, d.arguments, d.refusal) for d in derived]
    return Generated(body, args, consts, method, reason, block, deps, recordable)


def used_constants(parameters: list[str], k: Constants, names: set[str]) -> list[str]:
    """The parameters and computed constants among ``names``, in definition order."""
    consts = [p for p in parameters if p in names]
    computed = [s.name for s in ordered_constants(k)]
    return consts + [c for c in computed if c in names and c not in consts]


def constants_function(
    parameters: list[str], k: Constants, consts: list[str], doc: str
) -> list[str]:
    """Lines of ``constants(_p, dt)``: the values ``consts`` from the parameters ``_p``."""
    needed = needed_constants(k, set(consts))
    return [
        "def constants(_p, dt):",
        f'    """{doc}"""',
        *[f"    {p} = {LOCAL['as_value']}(_p[{p!r}])" for p in parameters],
        *[f"    {line}" for line in k.lines if line.split(" = ")[0] in needed],
        "    return {" + ", ".join(f"{c!r}: {c}" for c in consts) + "}",
    ]


def ordered_constants(k: Constants) -> list[sp.Symbol]:
    return [sp.Symbol(line.split(" = ")[0], real=True) for line in k.lines]


def constant_depends(k: Constants, parameters: list[str]) -> dict[str, set[str]]:
    """The parameters each constant depends on (transitively)."""
    out: dict[str, set[str]] = {p: {p} for p in parameters}
    for line in k.lines:
        name, code = line.split(" = ", 1)
        out[name] = set().union(*(out[n] for n in _identifiers(code) if n in out))
    return out


def needed_constants(k: Constants, wanted: set[str]) -> set[str]:
    """Names of the constant lines needed (transitively) for ``wanted``."""
    deps = {}
    for line in k.lines:
        name, code = line.split(" = ", 1)
        deps[name] = {n for n in deps if n in _identifiers(code)}
    out: set[str] = set()
    todo = [w for w in wanted if w in deps]
    while todo:
        n = todo.pop()
        if n not in out:
            out.add(n)
            todo += list(deps[n])
    return out


def _identifiers(code: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", code))


# ---- integration methods; each returns {variable: symbol of its value at the step's end}


def _unless(an: Analysis, x: str, value: sp.Expr, held: sp.Expr) -> sp.Expr:
    """``value``, or ``held`` while refractory for variables flagged (unless refractory)."""
    if x in an.unless_refractory:
        return sp.Piecewise((value, NR), (held, True))
    return value


def _noise(an: Analysis, k: Constants, st: Step) -> sp.Symbol | None:
    if all(an.g[x] == 0 for x in an.state):
        return None
    dw = sp.Symbol("_dW", real=True)
    sqrt_dt = k.constant(sp.sqrt(DT))
    st.assign([(dw, sqrt_dt * sp.Symbol("normal", real=True))])
    return dw


def _explicit(an: Analysis, k: Constants, st: Step, method: str) -> dict[str, sp.Symbol]:
    """Forward Euler (Euler-Maruyama with noise) or Heun's method (Stratonovich)."""
    xs = an.state_symbols
    dw = _noise(an, k, st)
    noise = {x: (an.g[x] * dw if dw is not None else 0) for x in an.state}
    new = {x: st.new(x) for x in an.state}
    if method == "euler":
        items = [
            (new[x], k.hoist(_unless(an, x, s + DT * an.f[x] + noise[x], s)))
            for x, s in zip(an.state, xs, strict=True)
        ]
        st.assign(items)
        return new
    support = {x: st.new(f"{x}_support") for x in an.state}
    st.assign(
        [
            (support[x], k.hoist(s + DT * an.f[x] + noise[x]))
            for x, s in zip(an.state, xs, strict=True)
        ]
    )
    at_support = {**dict(zip(xs, support.values(), strict=True)), T: T + DT}
    items = []
    for x, s in zip(an.state, xs, strict=True):
        f2 = an.f[x].xreplace(at_support)
        g2 = an.g[x].xreplace(at_support) * dw if dw is not None else 0
        value = s + DT / 2 * (an.f[x] + f2) + (noise[x] + g2) / 2
        items.append((new[x], k.hoist(_unless(an, x, value, s))))
    st.assign(items)
    return new


def _coupled(an: Analysis, block: list[str]) -> list[str]:
    """The variables of the linear ``block`` that take part in a coupling between two of them.

    Exponential Euler already propagates a variable that only relaxes on its own exactly; one
    driven by another variable of the block (``dg/dt = (h - g) / tau``) it gets wrong by holding
    the driver at its start value.
    """
    if not block:
        return []
    xs = [an.symbol(x) for x in block]
    linked: set[str] = set()
    for x in block:
        coeffs = linear_coefficients(an.f[x], xs)
        assert coeffs is not None  # linear_block's variables are linear in the block
        drivers = {y for y, s in zip(block, xs, strict=True) if y != x and coeffs[s] != 0}
        if drivers:
            linked |= drivers | {x}
    return [x for x in block if x in linked]


def _exponential_euler(
    an: Analysis, k: Constants, st: Step, block: list[str]
) -> dict[str, sp.Symbol]:
    """Each variable relaxes exactly towards its steady state, the others held (Brian2's).

    Coefficients that depend on the variable itself (through a function of it, as Brian2 allows)
    are taken at the start of the step (:func:`snn.equations._methods.relaxation`). The
    variables of ``block`` (a linear system with constant coefficients on its own) are
    propagated exactly instead; the others see them at the start of the step.
    """
    new = {x: st.new(x) for x in an.state}
    items = []
    if block:
        values = _block_values(an, k, block, DT, "e")
        items += [(new[x], k.hoist(v)) for x, v in zip(block, values, strict=True)]
    for x in an.state:
        if x in block:
            continue
        s = an.symbol(x)
        split = relaxation(an.f[x], s)
        assert split is not None  # checked by choose_method
        a, b = split
        if a == 0:
            value = s + DT * b
        elif b == 0:
            value = s * sp.exp(a * DT)
        else:
            inf = -b / a
            value = inf + (s - inf) * sp.exp(a * DT)
        items.append((new[x], k.hoist(_unless(an, x, value, s))))
    st.assign(items)
    return new


@dataclass
class _Linear:
    """A linear system ``dx/dt = A x + b_const + b_var`` over some of the state variables."""

    names: list[str]
    a: dict[tuple[int, int], sp.Expr]
    b_const: list[sp.Expr]
    b_var: list[sp.Expr]


def _split_linear(an: Analysis, k: Constants, names: list[str]) -> _Linear:
    xs = [an.symbol(x) for x in names]
    a: dict[tuple[int, int], sp.Expr] = {}
    b_const, b_var = [], []
    for i, x in enumerate(names):
        coeffs = linear_coefficients(an.f[x], xs)
        assert coeffs is not None
        for j, s in enumerate(xs):
            if coeffs[s] != 0:
                a[i, j] = coeffs[s]
        rest = sp.expand(an.f[x].xreplace(dict.fromkeys(xs, 0)))
        terms = sp.Add.make_args(rest)
        b_const.append(sp.Add(*[t for t in terms if k.is_constant(t)]))
        b_var.append(sp.Add(*[t for t in terms if not k.is_constant(t)]))
    return _Linear(names, a, b_const, b_var)


def _reach(n: int, edges: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """``(i, j)`` such that ``x_j`` influences ``x_i`` (transitively, and ``i == j``)."""
    out = {(i, i) for i in range(n)} | set(edges)
    changed = True
    while changed:
        changed = False
        for (i, j), (p, q) in itertools.product(list(out), list(out)):
            if j == p and (i, q) not in out:
                out.add((i, q))
                changed = True
    return out


def _propagate(
    k: Constants, lin: _Linear, h: sp.Expr, tag: str, frozen_rows: set[int] = frozenset()
) -> tuple[dict[tuple[int, int], sp.Symbol], dict[tuple[int, int], sp.Symbol], list[sp.Expr]]:
    """Constants ``P``, ``Q`` over a step ``h`` and ``Q b_const`` (rows ``frozen_rows`` held)."""
    n = len(lin.names)
    a = {ij: v for ij, v in lin.a.items() if ij[0] not in frozen_rows}
    pattern = _reach(n, set(a))
    entries = ", ".join(f"({i}, {j}, {k.numpy.doprint(v)})" for (i, j), v in a.items())
    h_code = k.numpy.doprint(h)
    mats = sp.Symbol(f"_PQ{tag}", real=True)
    k.computed(mats, f"{LOCAL['propagators']}({n}, [{entries}], {h_code})")
    p, q = {}, {}
    for i, j in sorted(pattern):
        if i in frozen_rows:
            continue
        p[i, j] = k.computed(
            sp.Symbol(f"_P{tag}_{i}_{j}", real=True), f"{LOCAL['pick']}({mats.name}[0], {i}, {j})"
        )
        if j in frozen_rows:
            continue  # a held variable's own drive is zero
        q[i, j] = k.computed(
            sp.Symbol(f"_Q{tag}_{i}_{j}", real=True), f"{LOCAL['pick']}({mats.name}[1], {i}, {j})"
        )
    drive = []
    for i in range(n):
        if i in frozen_rows:
            drive.append(sp.Integer(0))
            continue
        total = sp.Add(*[q[i, j] * lin.b_const[j] for j in range(n) if (i, j) in q])
        drive.append(k.constant(total) if total != 0 else sp.Integer(0))
    return p, q, drive


def _linear_values(
    lin: _Linear,
    xs: list[sp.Expr],
    p: dict[tuple[int, int], sp.Symbol],
    q: dict[tuple[int, int], sp.Symbol],
    drive: list[sp.Expr],
    rows: range | list[int],
) -> dict[int, sp.Expr]:
    out = {}
    for i in rows:
        value = sp.Add(*[p[i, j] * xs[j] for j in range(len(xs)) if (i, j) in p])
        value += drive[i]
        value += sp.Add(*[q[i, j] * lin.b_var[j] for j in range(len(xs)) if (i, j) in q])
        out[i] = value
    return out


def _block_values(
    an: Analysis, k: Constants, names: list[str], h: sp.Expr, tag: str
) -> list[sp.Expr]:
    """The values of the linear system of ``names`` after ``h``, exactly.

    While refractory, variables flagged (unless refractory) are held, and the variables they
    drive are propagated with them held (a second set of propagators).
    """
    lin = _split_linear(an, k, names)
    n = len(names)
    xs = [an.symbol(x) for x in names]
    p, q, drive = _propagate(k, lin, h, tag)
    active = _linear_values(lin, xs, p, q, drive, range(n))
    flagged = {i for i, x in enumerate(names) if x in an.unless_refractory}
    influenced = {i for (i, j) in _reach(n, set(lin.a)) if j in flagged} - flagged
    if influenced:
        rp, rq, rdrive = _propagate(k, lin, h, f"r{tag}", flagged)
        held = _linear_values(lin, xs, rp, rq, rdrive, sorted(influenced))
    values = []
    for i in range(n):
        if i in flagged:
            values.append(sp.Piecewise((active[i], NR), (xs[i], True)))
        elif i in influenced:
            values.append(sp.Piecewise((active[i], NR), (held[i], True)))
        else:
            values.append(active[i])
    return values


def _exact(an: Analysis, k: Constants, st: Step) -> dict[str, sp.Symbol]:
    """Exact propagators (:func:`_block_values` of the whole state)."""
    values = _block_values(an, k, an.state, DT, "")
    new = {x: st.new(x) for x in an.state}
    st.assign([(new[x], k.hoist(v)) for x, v in zip(an.state, values, strict=True)])
    return new


def _runge_kutta(
    an: Analysis, k: Constants, st: Step, method: str, block: list[str]
) -> dict[str, sp.Symbol]:
    """RK2 (midpoint) or RK4 for the nonlinear variables along the exact linear block."""
    nonlinear = [x for x in an.state if x not in block]
    stage_values: dict[float, dict[sp.Symbol, sp.Symbol]] = {0.0: {}}
    new: dict[str, sp.Symbol] = {}
    if block:
        xs = [an.symbol(x) for x in block]
        for frac, tag in _RK4:
            tag = tag.replace(".", "")
            values = _block_values(an, k, block, DT * sp.Float(frac), tag)
            syms = {s: st.new(f"{x}_at{tag}") for x, s in zip(block, xs, strict=True)}
            st.assign([(syms[s], k.hoist(v)) for s, v in zip(xs, values, strict=True)])
            stage_values[frac] = syms
        new.update({x: stage_values[1.0][an.symbol(x)] for x in block})
    if not nonlinear:
        return new
    ys = [an.symbol(x) for x in nonlinear]

    def slopes(tag: str, at: dict[sp.Symbol, sp.Symbol], frac: float) -> list[sp.Symbol]:
        table = {**at, **stage_values.get(frac, {}), T: T + sp.Float(frac) * DT}
        out = [sp.Symbol(f"_{tag}_{x}", real=True) for x in nonlinear]
        items = []
        for x, sym in zip(nonlinear, out, strict=True):
            rate = an.f[x].xreplace(table)
            items.append((sym, k.hoist(_unless(an, x, rate, sp.Integer(0)))))
        st.assign(items)
        return out

    def advance(tag: str, fraction: sp.Expr, slope: list[sp.Symbol]) -> dict[sp.Symbol, sp.Symbol]:
        factor = k.constant(fraction * DT)
        out = {}
        for y, x, s in zip(ys, nonlinear, slope, strict=True):
            sym = sp.Symbol(f"_{tag}_{x}", real=True)
            st.line(f"{sym.name} = {y.name} + {factor.name} * {s.name}")
            st.used.add(factor)
            out[y] = sym
        return out

    k1 = slopes("k1", {}, 0.0)
    if method == "rk2":
        k2 = slopes("k2", advance("y2", sp.Rational(1, 2), k1), 0.5)
        for y, x, s in zip(ys, nonlinear, k2, strict=True):
            new[x] = st.new(x)
            st.line(f"{new[x].name} = {y.name} + dt * {s.name}")
        st.used.add(DT)
        return new
    k2 = slopes("k2", advance("y2", sp.Rational(1, 2), k1), 0.5)
    k3 = slopes("k3", advance("y3", sp.Rational(1, 2), k2), 0.5)
    k4 = slopes("k4", advance("y4", sp.Integer(1), k3), 1.0)
    sixth = k.constant(DT / 6)
    st.used.add(sixth)
    for y, x, a, b, c, d in zip(ys, nonlinear, k1, k2, k3, k4, strict=True):
        new[x] = st.new(x)
        st.line(
            f"{new[x].name} = {y.name} + {sixth.name} * "
            f"({a.name} + 2.0 * {b.name} + 2.0 * {c.name} + {d.name})"
        )
    return new


def _tolerance(an: Analysis, x: str) -> float:
    dim = an.dims[x]
    if dim in _SCALES:
        return an.text.tolerance * _SCALES[dim]
    per_ms = dim * Dim.of(second=1)
    if per_ms in _SCALES:
        return an.text.tolerance * _SCALES[per_ms] / 1e-3
    return an.text.tolerance


def _rkf45(an: Analysis, k: Constants, st: Step) -> dict[str, sp.Symbol]:
    """Runge-Kutta-Fehlberg 4(5) with adaptive substeps inside the step (GSL's control).

    A trial substep is accepted when every variable's error estimate is below its tolerance;
    the substep then changes as GSL's ``gsl_odeiv_control_hadjust`` (safety 0.9): after a
    rejection ``h max(0.9 r^(-1/5), 1/5)``, after an acceptance with ``r < 1/2``
    ``h min(max(0.9 r^(-1/6), 1), 5)``, ``r`` the largest ratio of error to tolerance.
    """
    xs = an.state_symbols
    st.used.add(DT)
    ys = {x: sp.Symbol(f"_y_{x.name}", real=True) for x in xs}
    for x in xs:
        st.line(f"{ys[x].name} = {x.name}")
    st.line("_t = 0.0 * dt")
    st.line("_h = dt")
    st.line(f"_hmin = dt * {_RKF_MIN_FRACTION!r}")
    st.line("_done = False")
    st.line("_n = 0")
    st.line("while not _done:")
    st.line("_final = _h >= dt - _t", 2)
    st.line("_hh = dt - _t if _final else _h", 2)
    hh = sp.Symbol("_hh", real=True)
    stages: list[list[sp.Symbol]] = []
    elapsed = sp.Symbol("_t", real=True)
    for s, row in enumerate(_RKF_A):
        at = {
            x: ys[x] + hh * sp.Add(*[sp.Float(c) * stages[j][i] for j, c in enumerate(row)])
            for i, x in enumerate(xs)
        }
        at[T] = T + elapsed + sp.Float(sum(row)) * hh
        slope = [sp.Symbol(f"_k{s}_{x.name}", real=True) for x in xs]
        items = []
        for x, sym in zip(an.state, slope, strict=True):
            rate = an.f[x].xreplace(at)
            items.append((sym, k.hoist(_unless(an, x, rate, sp.Integer(0)))))
        st.assign(items, depth=2)
        stages.append(slope)
    errs = []
    for i, x in enumerate(xs):
        z = ys[x] + hh * sp.Add(*[sp.Float(b) * stages[j][i] for j, b in enumerate(_RKF_B) if b])
        e = hh * sp.Add(*[sp.Float(c) * stages[j][i] for j, c in enumerate(_RKF_E) if c])
        st.assign([(sp.Symbol(f"_z_{x.name}", real=True), z)], depth=2)
        tol = _tolerance(an, x.name)
        st.assign([(sp.Symbol(f"_e_{x.name}", real=True), sp.Abs(e) / sp.Float(tol))], depth=2)
        errs.append(f"_e_{x.name}")
    err = errs[0]
    for e in errs[1:]:
        err = f"max({err}, {e})"
    st.line(f"_err = {err}", 2)
    finite = " and ".join(f"math.isfinite(_z_{x.name})" for x in xs)
    # max() drops a NaN that is not its first argument: a trial that left the finite numbers
    # (a stage overshooting into exp's overflow on a spike's upstroke) must be rejected and
    # the substep shrunk, as an error ratio of infinity does
    errors_finite = " and ".join(f"math.isfinite({e})" for e in errs)
    st.line(f"if not ({finite} and {errors_finite}):", 2)
    st.line("_err = math.inf", 3)
    st.line("_acc = (_err <= 1.0) | (_hh <= _hmin)", 2)
    st.line("_n += 1", 2)
    st.line(f"if _n > {RKF_MAX_SUBSTEPS} or (_acc and not ({finite})):", 2)
    for x in xs:
        st.line(f"{ys[x].name} = math.nan", 3)
    st.line("_done = True", 3)
    st.line("continue", 3)
    st.line("if _acc:", 2)
    st.line("_t = dt if _final else _t + _hh", 3)
    for x in xs:
        st.line(f"{ys[x].name} = _z_{x.name}", 3)
    st.line("_done = _final", 3)
    st.line("if not _acc:", 2)
    st.line("_h = _hh * max(0.9 * _err ** -0.2, 0.2)", 3)
    st.line("elif _err < 0.5:", 2)
    st.line(
        "_h = _hh * min(max(0.9 * _err ** (-1.0 / 6.0), 1.0), 5.0) if _err > 0.0 else 5.0 * _hh", 3
    )
    return {x.name: ys[x] for x in xs}
