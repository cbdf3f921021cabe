"""Analysis of a synapse model text (Brian2's ``Synapses(model=, on_pre=, on_post=)``).

The ``model`` text declares, one per logical line as for neurons::

    w : siemens                                      the weight (it always exists; this gives
                                                     its unit)
    taupre : second                                  a parameter (per synapse unless (shared))
    dApre/dt = -Apre / taupre : siemens (event-driven)
                                                     a variable that changes only at events
    Igap_post = w * (v_pre - v_post) : amp (summed)  continuous coupling (every step)
    ds/dt = -s / tau : 1 (clock-driven)              a variable integrated every step
    g = w * s : siemens                              a subexpression

``on_pre`` runs for each synapse a presynaptic spike crosses, ``on_post`` for each synapse a
postsynaptic spike reaches; their statements run in order, each seeing the values left by the
ones before. In ``on_pre``, ``ge += value`` (or ``ge_post += value``) for a name that is not the
synapse's own sends ``value`` to the target's receptor ``ge``.

Event-driven variables are mapped onto the engine's synapse protocol (:class:`snn.core
.SynapseModel`), as cheaply as their use allows:

* a **source trace** (one value per presynaptic neuron) when it decays to zero (``dx/dt = a x``),
  starts at 0, only ``on_pre`` changes it, only from its own value and parameters (``x += 1``,
  ``x = 1``), and no other statement of ``on_pre`` reads it (``on_post`` may);
* a **target trace** (one value per postsynaptic neuron), the same with ``on_post``;
* otherwise a **per-synapse variable** integrated lazily: at each event it is first advanced
  exactly over the steps since the synapse's last event (``dx/dt = a x + b`` with constant
  ``a``, ``b``), as Brian2 does.

A summed variable makes the model a continuous coupling (:class:`snn.core.SynapseModel`,
``coupling_function``): it may read ``<name>_pre`` and ``<name>_post`` neuron variables, whose
units are only known when the synapses are connected (then :func:`check_neuron_units`).

Clock-driven variables (``(clock-driven)``, or no flag, as in Brian2) are per-synapse variables
integrated at every step, in a per-step pass over the synapses (that of the coupling when the
model has a summed variable). Their equations may read the weight, parameters, each other and
neuron variables (held over the step); the integrator is chosen as for neuron models
(:func:`snn.equations._methods.choose_method`, ``method=`` to override). ``on_pre`` and
``on_post`` of a coupling may change the weight and the clock-driven variables; they send
nothing to the target (the summed variable does). Without a summed variable, ``on_pre`` sends
as in any model acting at spikes and reads the clock-driven variables at the spike's step.
"""

from __future__ import annotations

import ast
import difflib
import keyword
from dataclasses import dataclass, field

import sympy as sp

from snn.equations._analysis import (
    DT,
    SECOND,
    TEMPORARY,
    XI,
    Analysis,
    Statement,
    assignment,
    check_right_hand_side,
    declared_unit,
    refuse_unused,
    resolve_subexpressions,
    temporary_symbol,
)
from snn.equations._expr import FUNCTIONS, Converter, Type
from snn.equations._methods import choose_method, linear_coefficients
from snn.equations._parse import (
    DIFFERENTIAL,
    PARAMETER,
    SUBEXPRESSION,
    Declaration,
    parse_declarations,
    parse_expression,
    parse_statements,
)
from snn.equations._source import ModelText, Source, SynapseText
from snn.equations._units import Dim, dim_of_symbol

__all__ = [
    "OUT",
    "WEIGHT",
    "SynapseAnalysis",
    "analyse_synapse",
    "check_neuron_units",
]

#: the weight's symbol
WEIGHT = sp.Symbol("w", real=True)
#: the statement target standing for "send to the target's receptor"
OUT = "_out"

_RESERVED = {
    "t": "time is not available in synapse equations",
    "dt": "it is the time step",
    "step": "the generated code uses that name",
    "lastupdate": "the time of the last update is not available in synapse equations",
    "lastspike": "the time of the last spike is not available in synapse equations",
    "i": "synapse indices are not available in synapse equations",
    "j": "synapse indices are not available in synapse equations",
    "N": "sizes are not available in synapse equations",
    "N_incoming": "sizes are not available in synapse equations",
    "N_pre": "sizes are not available in synapse equations",
    "N_post": "sizes are not available in synapse equations",
    "N_outgoing": "sizes are not available in synapse equations",
    "xi": "noise may only appear in the equations of clock-driven variables",
    "weight": "the weight is `w`",
    "delay": "delays are set when connecting (`connect(delay=...)`)",
    "learning": "it switches the rule on and off (`Projection.set(learning=...)`)",
    "math": "the generated code uses that module",
    "np": "the generated code uses that module",
    "numpy": "the generated code uses that module",
    "kernel": "the generated code uses that name",
    "normal": "the engine passes random numbers under that name",
    "uniform": "the engine passes random numbers under that name",
}
_FLAGS = {
    DIFFERENTIAL: ("event-driven", "clock-driven"),
    SUBEXPRESSION: ("summed",),
    PARAMETER: ("shared", "constant"),
}


def _neuron_name(name: str) -> bool:
    """``v_pre``, ``v_post``: a variable of the source or target neuron."""
    for suffix in ("_pre", "_post"):
        stem = name[: -len(suffix)]
        if name.endswith(suffix) and stem.isidentifier() and not stem.startswith("_"):
            return True
    return False


@dataclass
class SynapseAnalysis:
    """The analysed synapse model (symbols: every name is a real sympy symbol of that name)."""

    text: SynapseText
    declarations: list[Declaration]
    parameters: list[str] = field(default_factory=list)
    #: parameters flagged ``(shared)``: one value for the projection
    shared: list[str] = field(default_factory=list)
    dims: dict[str, Dim] = field(default_factory=dict)
    #: the unit of the weight (None: undeclared, any)
    w_dim: Dim | None = None
    #: event-driven variables, in order, and their equations ``dx/dt = a x + b``
    variables: list[str] = field(default_factory=list)
    decay: dict[str, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)
    #: "source", "target" or "synapse" (see the module docstring)
    kinds: dict[str, str] = field(default_factory=dict)
    initial: dict[str, sp.Expr] = field(default_factory=dict)
    subexpressions: dict[str, sp.Expr] = field(default_factory=dict)
    on_pre: list[Statement] = field(default_factory=list)
    on_post: list[Statement] = field(default_factory=list)
    #: the receptor fed (named by the transmission or the summed variable)
    receptor: str | None = None
    #: the unit of the value sent (None: any)
    out_dim: Dim | None = None
    #: the summed variable's expression and unit
    summed: sp.Expr | None = None
    summed_dim: Dim | None = None
    pre_variables: list[str] = field(default_factory=list)
    post_variables: list[str] = field(default_factory=list)
    #: clock-driven variables, in order, and their right-hand sides (subexpressions resolved)
    clock: list[str] = field(default_factory=list)
    rates: dict[str, sp.Expr] = field(default_factory=dict)
    #: the coefficient of the white noise ``xi`` in each clock-driven equation (0: none)
    noise: dict[str, sp.Expr] = field(default_factory=dict)
    #: name -> (syntax tree, converter) of each equation and subexpression, to locate terms
    trees: dict[str, tuple[ast.AST, Converter]] = field(default_factory=dict)
    #: the clock-driven variables as a system of the neuron machinery, its method and why
    system: Analysis | None = None
    method: str | None = None
    reason: str | None = None

    def constant_symbols(self) -> set[sp.Symbol]:
        """Symbols fixed during a run: parameters and ``dt``."""
        return {sp.Symbol(p, real=True) for p in self.parameters} | {DT}


def analyse_synapse(text: SynapseText) -> SynapseAnalysis:
    """Check and analyse a synapse model text.

    Raises
    ------
    EquationError
        For any error of syntax, names, units or semantics, with its position.
    """
    an = SynapseAnalysis(text, parse_declarations(text.model, where="model"))
    _declare(an)
    _convert(an)
    if an.summed is not None:
        _coupling_only(an)
    an.on_pre = _events(an, text.on_pre, "on_pre") if text.on_pre is not None else []
    an.on_post = _events(an, text.on_post, "on_post") if text.on_post is not None else []
    if an.summed is None:
        # the target's variables the spike rules read (through subexpressions too), and the
        # neuron variables the clock-driven equations read
        read = [s.value for s in (*an.on_pre, *an.on_post)]
        names = {x.name for e in read for x in e.free_symbols if _neuron_name(x.name)}
        clocked = {x.name for e in _clock_terms(an) for x in e.free_symbols}
        names |= {n for n in clocked if _neuron_name(n) and n.endswith("_post")}
        an.post_variables = sorted(n[: -len("_post")] for n in names)
        an.pre_variables = sorted(
            n[: -len("_pre")] for n in clocked if _neuron_name(n) and n.endswith("_pre")
        )
    _initial(an)
    _classify(an)
    _clock_system(an)
    return an


# ---- declarations


def _declare(an: SynapseAnalysis) -> None:
    seen: set[str] = set()
    couples = any(d.kind == SUBEXPRESSION and "summed" in d.flags for d in an.declarations)
    for d in an.declarations:
        if d.name in seen:
            raise d.name_source.error(f"`{d.name}` is declared twice")
        seen.add(d.name)
        summed = d.kind == SUBEXPRESSION and "summed" in d.flags
        _check_name(d, summed)
        bad = [f for f in d.flags if f not in _FLAGS[d.kind]]
        if bad:
            allowed = ", ".join(f"({f})" for f in _FLAGS[d.kind])
            raise d.flags_source.error(
                f"flag ({bad[0]}) is not allowed on a {d.kind} of a synapse; allowed: {allowed}"
            )
        dim = declared_unit(d.unit)
        if d.name == "w":
            if d.kind != PARAMETER:
                unit = d.unit.text.strip() or "1"
                how = (
                    "in a model with a (summed) variable, integrate it as a clock-driven "
                    "variable of another name (`dwe/dt = ... : 1 (clock-driven)`) and use that "
                    "in the summed variable"
                    if couples
                    else "give the decay its own event-driven variable, which starts at 0 "
                    "(`dz/dt = (1 - z) / tau : 1 (event-driven)`), and use `w * (1 - z)` where "
                    "the weight acts"
                )
                raise d.name_source.error(
                    "`w` is the weight, stored per synapse: declare it with its unit only "
                    f"(`w : {unit}`); only the rules change it, in on_pre and on_post. A "
                    f"weight that changes between spikes is not available: {how}"
                )
            an.w_dim = dim
            continue
        an.dims[d.name] = dim
        if d.kind == PARAMETER:
            an.parameters.append(d.name)
            if "shared" in d.flags:
                an.shared.append(d.name)
        elif d.kind == DIFFERENTIAL:
            # unflagged equations of synapses are clock-driven, as in Brian2
            (an.variables if "event-driven" in d.flags else an.clock).append(d.name)
        elif summed:
            if an.summed_dim is not None:
                raise d.name_source.error("a synapse model has at most one (summed) variable")
            an.receptor = d.name[: -len("_post")]
            an.summed_dim = dim


def _check_name(d: Declaration, summed: bool) -> None:
    name, src = d.name, d.name_source
    if summed:
        if not (name.endswith("_post") and name[: -len("_post")].isidentifier()):
            raise src.error(
                f"`{name}`: a (summed) variable is a variable of the target neurons, written "
                "`<name>_post` (a current input of the target model)"
            )
        return
    if name.startswith("_"):
        raise src.error(f"`{name}`: names starting with `_` are reserved for generated code")
    if keyword.iskeyword(name):
        raise src.error(f"`{name}` is a Python keyword")
    if name in _RESERVED:
        raise src.error(f"`{name}` cannot be declared: {_RESERVED[name]}")
    if name in FUNCTIONS:
        raise src.error(f"`{name}` is the name of a function")
    if _neuron_name(name):
        raise src.error(
            f"`{name}` ends like a neuron variable (`_pre`, `_post`); a synapse's own names cannot"
        )


# ---- expressions


def _lookup(
    an: SynapseAnalysis,
    placeholders: dict[str, sp.Symbol],
    units: dict[str, Dim],
    noise: bool = False,
):
    """Names of the model text; neuron variables (``v_pre``) with ``units`` or any unit.

    ``noise``: the white noise ``xi`` (``xi_<name>``) is a name (clock-driven equations).
    """

    def lookup(name: str) -> tuple[sp.Expr, Type] | None:
        if noise and (name == "xi" or name.startswith("xi_")):
            return XI, Type(Dim.of(second=-0.5))
        if name in placeholders:
            return placeholders[name], Type(an.dims[name])
        if name == "w":
            return WEIGHT, Type(an.w_dim)
        if name in an.dims:
            return sp.Symbol(name, real=True), Type(an.dims[name])
        if name == "dt":
            return DT, Type(SECOND)
        if _neuron_name(name):
            return sp.Symbol(name, real=True), Type(units.get(name))
        return None

    return lookup


def _known(an: SynapseAnalysis) -> list[str]:
    return ["w", *an.dims, "dt"]


def _scan(
    conv: Converter,
    tree: ast.AST,
    *,
    neurons: str | None,
    targets: bool = False,
    noise: bool = False,
) -> None:
    """Clear messages for reserved names, and for neuron variables where they cannot be read.

    ``targets``: the target's variables (``v_post``) may be read (the spike rules of a synapse
    without a summed variable); ``noise``: ``xi`` may appear (a clock-driven equation).
    """
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name):
            continue
        if _is_noise(node.id) and not noise:
            raise conv.error(node, f"`{node.id}`: {_RESERVED['xi']}")
        if node.id in _RESERVED and node.id not in ("dt", "xi"):
            raise conv.error(node, f"`{node.id}`: {_RESERVED[node.id]}")
        if neurons is not None and _neuron_name(node.id) and not _readable(node.id, targets):
            raise conv.error(node, _neuron_message(node.id, neurons, targets))


def _is_noise(name: str) -> bool:
    return name == "xi" or name.startswith("xi_")


def _readable(name: str, targets: bool) -> bool:
    """Whether an event statement may read neuron variable ``name``."""
    return targets and name.endswith("_post")


def _neuron_message(name: str, where: str, targets: bool) -> str:
    if targets:
        return (
            f"`{name}`: {where} can read the target neuron's variables (`v_post`), not the "
            "source's; keep a presynaptic quantity as a trace of the synapse (an "
            "(event-driven) variable that only on_pre changes is kept once per source neuron)"
        )
    return (
        f"`{name}`: {where} cannot read neuron variables here (a (summed) variable can, and "
        "the on_pre and on_post of a synapse without one can read the target's, `v_post`)"
    )


def _convert(an: SynapseAnalysis, units: dict[str, Dim] | None = None) -> None:
    units = units or {}
    placeholders = {
        d.name: sp.Symbol(f"_s_{d.name}", real=True)
        for d in an.declarations
        if d.kind == SUBEXPRESSION and "summed" not in d.flags
    }
    subexpressions: dict[str, sp.Expr] = {}
    rates: dict[str, tuple[sp.Expr, ast.AST, Converter]] = {}
    summed_decl = None
    noises: list[tuple[ast.Name, Converter]] = []
    for d in an.declarations:
        if d.expression is None:
            continue
        tree, inner = parse_expression(d.expression)
        clocked = d.kind == DIFFERENTIAL and d.name in an.clock
        conv = Converter(inner, _lookup(an, placeholders, units, noise=clocked), _known(an))
        event = d.kind == DIFFERENTIAL and d.name in an.variables
        _scan(conv, tree, neurons="an (event-driven) equation" if event else None, noise=clocked)
        noises += [(n, conv) for n in ast.walk(tree) if isinstance(n, ast.Name) and _is_noise(n.id)]
        value, t = conv.expr(tree)
        rand = _rand_calls(tree)
        if rand:
            raise conv.error(
                rand[0],
                "rand() draws once per synapse and presynaptic spike: it may appear in on_pre "
                "only, not in the model's equations or subexpressions",
            )
        if an.w_dim is None and not event and value.has(WEIGHT):
            # no unit to check it by here, and no statement to infer one from (as on_pre has)
            node = next(n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "w")
            raise conv.error(
                node,
                "`w` is the weight, stored per synapse: declare its unit (`w : 1`, "
                "`w : siemens`) to use it in a (summed) variable or a (clock-driven) equation",
            )
        dim = an.dims.get(d.name, an.summed_dim)
        assert dim is not None
        check_right_hand_side(d, dim, conv, tree, t)
        an.trees[d.name] = (tree, conv)
        if d.kind == DIFFERENTIAL:
            rates[d.name] = (value, tree, conv)
        elif d.name in placeholders:
            subexpressions[d.name] = value
        else:
            summed_decl = value
    names = sorted({n.id for n, _ in noises})
    if len(names) > 1:
        node, conv = next((n, c) for n, c in noises if n.id == names[1])
        raise conv.error(
            node,
            f"`{names[1]}`: one noise source per synapse is supported (the model also uses "
            f"`{names[0]}`); use the same `xi` in every equation",
        )
    an.subexpressions = resolve_subexpressions(subexpressions, placeholders, an.declarations)
    table = {placeholders[n]: v for n, v in an.subexpressions.items()}
    for x, (value, tree, conv) in rates.items():
        if x in an.clock:
            rate = value.xreplace(table)
            coeff = sp.diff(rate, XI)
            if coeff != 0 and coeff.has(XI):
                node = next(
                    n for n in ast.walk(tree) if isinstance(n, ast.Name) and _is_noise(n.id)
                )
                raise conv.error(node, "the noise must enter linearly (`sigma * xi`, not `xi**2`)")
            an.noise[x] = coeff
            an.rates[x] = sp.expand(rate - coeff * XI) if coeff != 0 else rate
        else:
            an.decay[x] = _linear(an, x, value.xreplace(table), tree, conv)
    if summed_decl is not None:
        an.summed = summed_decl.xreplace(table)
        read = [an.summed, *_clock_terms(an)]
        names = sorted({s.name for e in read for s in e.free_symbols if _neuron_name(s.name)})
        an.pre_variables = [n[: -len("_pre")] for n in names if n.endswith("_pre")]
        an.post_variables = [n[: -len("_post")] for n in names if n.endswith("_post")]


def _clock_terms(an: SynapseAnalysis) -> list[sp.Expr]:
    """The drifts and noise coefficients of the clock-driven equations (what they read)."""
    return [*an.rates.values(), *an.noise.values()]


def _linear(
    an: SynapseAnalysis, x: str, rhs: sp.Expr, tree: ast.AST, conv: Converter
) -> tuple[sp.Expr, sp.Expr]:
    """``(a, b)`` of ``dx/dt = a x + b``, both made of parameters and numbers."""
    sym = sp.Symbol(x, real=True)
    coeffs = linear_coefficients(rhs, [sym])
    fixed = an.constant_symbols()
    if coeffs is not None:
        a = coeffs[sym]
        b = sp.expand(rhs - a * sym)
        if a.free_symbols <= fixed and b.free_symbols <= fixed:
            return a, b
    raise conv.error(
        tree,
        f"an (event-driven) equation must be linear in its own variable with constant "
        f"coefficients, as `d{x}/dt = -{x} / tau` or `d{x}/dt = ({x}0 - {x}) / tau`; got "
        f"`{ast.unparse(tree)}`",
    )


# ---- on_pre, on_post


def _event_lookup(
    an: SynapseAnalysis,
    temporaries: dict[str, tuple[sp.Expr, Type]],
    used: set[str],
    units: dict[str, Dim],
):
    """Names in event statements: the model's, then the statements' own temporaries."""
    base = _lookup(an, {}, units)

    def lookup(name: str) -> tuple[sp.Expr, Type] | None:
        if name in temporaries:
            used.add(name)
            return temporaries[name]
        if name in an.subexpressions:
            return an.subexpressions[name], Type(an.dims[name])
        return base(name)

    return lookup


def _is_temporary(an: SynapseAnalysis, stmt: ast.stmt, name: str | None) -> bool:
    """``name = expression`` of a name the model does not have: a temporary (Brian2's rule)."""
    own = {"w", *an.variables, *an.clock, *an.parameters, *an.subexpressions, *an.dims}
    return (
        isinstance(stmt, ast.Assign)
        and name is not None
        and name not in own
        and name not in _RESERVED
        and not _neuron_name(name)
    )


def _events(
    an: SynapseAnalysis, code: str, where: str, units: dict[str, Dim] | None = None
) -> list[Statement]:
    """The statements of ``on_pre`` or ``on_post`` (``units``: of the neuron variables read)."""
    src = Source.whole(code, where)
    body, inner = parse_statements(src)
    temporaries: dict[str, tuple[sp.Expr, Type]] = {}
    used: set[str] = set()
    conv = Converter(inner, _event_lookup(an, temporaries, used, units or {}), _known(an))
    targets = an.summed is None
    out: list[Statement] = []
    sent: ast.stmt | None = None
    made: dict[str, ast.stmt] = {}

    def target_of(node: ast.Name) -> Dim | None:
        name = node.id
        if name == "w":
            return an.w_dim
        if name in an.variables or name in an.clock:
            return an.dims[name]
        if name in an.parameters:
            raise conv.error(
                node,
                f"`{name}` is a parameter, which an event cannot change; make it an "
                f"(event-driven) variable (`d{name}/dt = 0 : {an.dims[name]} (event-driven)`)",
            )
        if name in an.subexpressions:
            raise conv.error(node, f"`{name}` is a subexpression and cannot be assigned")
        raise conv.error(node, conv.undefined(name))

    own = ["w", *an.variables, *an.clock]
    _check_rand(conv, body, where)
    for stmt in body:
        target = _assigned_name(stmt)
        if _is_temporary(an, stmt, target):
            # a value kept for the statements after it (`r_S = u_S * x_S`), as in Brian2
            _scan(conv, stmt.value, neurons=where, targets=targets)
            value, t = conv.expr(stmt.value)
            _no_neurons(conv, stmt, value, where, targets)
            # evaluated here, from the values at this point (a statement of its own)
            symbol = temporary_symbol(target)
            temporaries[target] = (symbol, t)
            made[target] = stmt
            out.append(Statement(symbol.name, value))
            continue
        close = difflib.get_close_matches(target or "", own, n=1, cutoff=0.8)
        if target is not None and _sends(an, target) and close:
            raise conv.error(stmt, conv.undefined(target))
        if target is not None and _sends(an, target) and an.summed is not None:
            raise conv.error(
                stmt,
                f"`{target}` is not a variable of the synapse; a synapse model with a (summed) "
                f"variable acts on its target through it, every step, and its {where} may only "
                f"change the weight and the synapse's variables ({', '.join(own)})",
            )
        if target is not None and _sends(an, target):
            if where != "on_pre":
                raise conv.error(
                    stmt,
                    f"`{target}` is not a variable of the synapse; on_post changes the weight "
                    "and synapse variables only (what reaches the target is sent by on_pre)",
                )
            if not (isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add)):
                raise conv.error(
                    stmt,
                    f"`{ast.unparse(stmt)}`: on_pre sends a value to the target's receptor by "
                    f"adding it (`{target} += w`); `=`, `-=`, `*=` cannot act on the target",
                )
            if target.endswith("_pre"):
                raise conv.error(stmt, f"`{target}`: on_pre cannot change the source neuron")
            if sent is not None:
                raise conv.error(
                    stmt,
                    f"on_pre sends to the target twice (also `{ast.unparse(sent)}`); a "
                    "projection feeds one receptor",
                )
            sent = stmt
            _scan(conv, stmt.value, neurons=where, targets=targets)
            value, t = conv.expr(stmt.value)
            _no_neurons(conv, stmt, value, where, targets)
            if t.boolean:
                raise conv.error(stmt.value, "a condition cannot be sent (use int(...))")
            an.receptor = target[: -len("_post")] if target.endswith("_post") else target
            an.out_dim = t.dim if isinstance(t.dim, Dim) else None
            out.append(Statement(OUT, value))
            continue
        _scan(conv, stmt, neurons=where, targets=targets)
        name, value, _ = assignment(stmt, conv, target_of)
        _no_neurons(conv, stmt, value, where, targets)
        out.append(Statement(name, value))
    refuse_unused(conv, made, used, own, f"this {where}")
    return out


def expand_temporaries(statements: list[Statement]) -> list[Statement]:
    """The statements other than temporaries, each temporary written out where it is read.

    The expressions are in terms of the symbols of the variables as the statements name them,
    not of their values at the temporary's assignment: for a judgement of which variables a
    statement depends on (:func:`_only_itself`), not for code.
    """
    table: dict[sp.Symbol, sp.Expr] = {}
    out = []
    for s in statements:
        value = s.value.xreplace(table)
        if s.target.startswith(TEMPORARY):
            table[sp.Symbol(s.target, real=True)] = value
        else:
            out.append(Statement(s.target, value))
    return out


def _rand_calls(tree: ast.AST) -> list[ast.Call]:
    """The ``rand()`` calls in ``tree``."""
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "rand"
    ]


def _check_rand(conv: Converter, body: list[ast.stmt], where: str) -> None:
    """``rand()``: one call in on_pre (one draw per synapse and spike), none in on_post."""
    calls = [c for stmt in body for c in _rand_calls(stmt)]
    if calls and where != "on_pre":
        raise conv.error(
            calls[0],
            f"rand() is drawn for each synapse a presynaptic spike crosses: {where} cannot use "
            "it (on_pre can)",
        )
    if len(calls) > 1:
        raise conv.error(
            calls[1],
            "on_pre draws one rand() per synapse and spike: call it once and keep the value in "
            "a statement of its own if several statements need it",
        )


def _no_neurons(conv: Converter, stmt: ast.AST, value: sp.Expr, where: str, targets: bool) -> None:
    """Refuse a statement that reads neuron variables it may not, through a subexpression."""
    names = sorted(
        s.name
        for s in value.free_symbols
        if _neuron_name(s.name) and not _readable(s.name, targets)
    )
    if names:
        raise conv.error(
            stmt, _neuron_message(names[0], f"{where} (through a subexpression)", targets)
        )


def _assigned_name(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        node = stmt.targets[0]
    elif isinstance(stmt, ast.AugAssign):
        node = stmt.target
    else:
        return None
    return node.id if isinstance(node, ast.Name) else None


def _sends(an: SynapseAnalysis, name: str) -> bool:
    """Whether assigning ``name`` acts on a neuron (not a name of the synapse)."""
    own = name == "w" or name in an.dims
    return not own and (_neuron_name(name) or name.isidentifier()) and name not in _RESERVED


def _coupling_only(an: SynapseAnalysis) -> None:
    """A model with a summed variable couples continuously: refuse event-driven variables."""
    if an.variables:
        decl = next(d for d in an.declarations if d.name == an.variables[0])
        raise decl.name_source.error(
            "a synapse model with a (summed) variable has no event-driven variables (its "
            "coupling reads the synapse's variables every step): make the equation "
            "(clock-driven)"
        )


def _initial(an: SynapseAnalysis) -> None:
    for name, value in an.text.initial:
        where = f"initial[{name!r}]"
        src = Source.whole(str(value), where)
        if name not in an.variables and name not in an.clock:
            hint = " (the weight is given to connect)" if name == "w" else ""
            raise src.error(f"`{name}` is not a variable of the synapse model{hint}")
        if isinstance(value, int | float):
            an.initial[name] = sp.Float(float(value))
            continue
        tree, inner = parse_expression(src)
        conv = Converter(inner, _lookup(an, {}, {}), _known(an))
        _scan(conv, tree, neurons="an initial value")
        expr, t = conv.expr(tree)
        if t.boolean or (isinstance(t.dim, Dim) and t.dim != an.dims[name]):
            got = "a condition" if t.boolean else str(t.dim)
            raise conv.error(
                tree,
                f"unit mismatch: the initial value is in {got}, but `{name}` is in {an.dims[name]}",
            )
        if expr.free_symbols - (an.constant_symbols() - {DT}):
            raise conv.error(tree, "an initial value may only use parameters and numbers")
        an.initial[name] = expr


# ---- traces or per-synapse variables


def _only_itself(statements: list[Statement], x: str, fixed: set[sp.Symbol]) -> bool:
    """Whether ``statements`` change ``x`` from its own value only and nothing else reads it.

    A temporary counts as read where it is used.
    """
    sym = sp.Symbol(x, real=True)
    changes = False
    for s in expand_temporaries(statements):
        if s.target == x:
            changes = True
            if not s.value.free_symbols <= fixed | {sym}:
                return False
        elif sym in s.value.free_symbols:
            return False
    return changes


def _classify(an: SynapseAnalysis) -> None:
    fixed = an.constant_symbols()
    for x in an.variables:
        _a, b = an.decay[x]
        kind = "synapse"
        pre = any(s.target == x for s in an.on_pre)
        post = any(s.target == x for s in an.on_post)
        if b == 0 and an.initial.get(x, sp.Integer(0)) == 0:
            if pre and not post and _only_itself(an.on_pre, x, fixed):
                kind = "source"
            elif post and not pre and _only_itself(an.on_post, x, fixed):
                kind = "target"
        an.kinds[x] = kind


def _clock_system(an: SynapseAnalysis) -> None:
    """The clock-driven variables as a system of the neuron machinery, and its method.

    The weight and the neuron variables are inputs held over the step (a neuron model's
    currents): they vary from synapse to synapse, so an equation whose coefficients contain
    them is not integrated with propagators computed once per run.
    """
    if not an.clock:
        return
    decls = [d for d in an.declarations if d.name in an.clock]
    held = ["w", *(f"{v}_pre" for v in an.pre_variables)]
    held += [f"{v}_post" for v in an.post_variables]
    system = Analysis(
        ModelText(equations=an.text.model, method=an.text.method),
        decls,
        state=list(an.clock),
        parameters=list(an.parameters),
        currents=held,
        dims=dict(an.dims),
        f=dict(an.rates),
        g={x: an.noise.get(x, sp.Integer(0)) for x in an.clock},
        trees=dict(an.trees),
        subexpressions=dict(an.subexpressions),
    )
    an.system = system
    an.method, an.reason = choose_method(system)


# ---- neuron units, once the synapses are connected


def check_neuron_units(text: SynapseText) -> dict[str, bool]:
    """Check a summed variable, or the spike rules, with the units of the neuron variables read.

    ``text.neuron_units`` gives them (``("v_pre", "V")``); a unit snn's models do not declare
    as a dimension (``"steps"``) is not checked. Returns ``{"out_unit": ...}``: the unit of the
    value ``on_pre`` sends (None: any), for the cache.

    Raises
    ------
    EquationError
        At the term whose units do not match.
    """
    an = SynapseAnalysis(text, parse_declarations(text.model, where="model"))
    _declare(an)
    units = {}
    for name, unit in text.neuron_units:
        dim = dim_of_symbol(unit)
        if dim is not None:
            units[name] = dim
    _convert(an, units)
    if an.summed is None:
        for where in ("on_pre", "on_post"):
            code = getattr(text, where)
            if code is not None:
                _events(an, code, where, units)
    # the unit of the value sent, now that the neuron variables it reads have theirs
    return {"out_unit": an.out_dim.symbol() if an.out_dim is not None else None}
