"""Analysis of a model text: names, units, the system of equations and the event code.

:func:`analyse` reads the equations and the threshold, reset, refractory, ``on_spike`` and
``initial`` texts, checks every unit, substitutes subexpressions and splits each right-hand side
into its deterministic part and its noise coefficient. The result, :class:`Analysis`, holds
sympy expressions; :mod:`snn.equations._methods` chooses the integrator and
:mod:`snn.equations._codegen` writes the step function.

Symbols: every name of the model is a real sympy symbol of that name; ``not_refractory`` is
``_nr``, the noise ``xi`` is ``_xi``, the spike weight in ``on_spike`` is ``_w``. Subexpressions
flagged ``(constant over dt)`` stay symbols ``_f_<name>``, evaluated once at the step's start.
"""

from __future__ import annotations

import ast
import difflib
import keyword
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from snn.equations._expr import BOOL, FUNCTIONS, RAND, Converter, Type, Unknown
from snn.equations._parse import (
    DIFFERENTIAL,
    PARAMETER,
    SUBEXPRESSION,
    Declaration,
    parse_declarations,
    parse_expression,
    parse_statements,
)
from snn.equations._source import ModelText, Source
from snn.equations._units import DIMENSIONLESS, UNITS, Dim

__all__ = [
    "INDEX",
    "NR",
    "SIZE",
    "WEIGHT",
    "XI",
    "Analysis",
    "ModelText",
    "Statement",
    "analyse",
    "assignment",
    "check_right_hand_side",
    "declared_unit",
    "resolve_subexpressions",
]

SECOND = Dim.of(second=1)
#: the time at the start of the step (in the equations), at its end (in events)
T = sp.Symbol("t", real=True)
NR = sp.Symbol("_nr")
XI = sp.Symbol("_xi", real=True)
#: Brian2's ``i`` and ``N``: the neuron's index in its population and the population's size
#: (arguments the engine provides, :data:`snn.core.SPECIAL_ARGUMENTS`)
INDEX = sp.Symbol("neuron_index", real=True)
SIZE = sp.Symbol("population_size", real=True)
WEIGHT = sp.Symbol("_w", real=True)
DT = sp.Symbol("dt", positive=True)

#: names the model text cannot declare, with why
_RESERVED = {
    "t": "it is the time",
    "dt": "it is the time step",
    "xi": "it is the white noise of stochastic equations",
    "not_refractory": "it is the refractory flag",
    "refr": "it is the refractory counter's state variable",
    "lastspike": "the time of the last spike is not available in neuron equations",
    "i": "it is the neuron's index in its population (from 0)",
    "N": "it is the number of neurons of the population",
    "neuron_index": "the generated code uses that name (for `i`)",
    "population_size": "the generated code uses that name (for `N`)",
    "normal": "the engine passes random numbers under that name",
    "uniform": "the engine passes random numbers under that name",
    "math": "the generated code uses that module",
    "np": "the generated code uses that module",
    "numpy": "the generated code uses that module",
    "kernel": "the generated code uses that name",
}
FLAGS = {
    DIFFERENTIAL: ("unless refractory",),
    SUBEXPRESSION: ("constant over dt",),
    PARAMETER: ("constant", "shared"),
}


@dataclass(frozen=True)
class Statement:
    """``target = value`` of a reset or an ``on_spike`` entry (``value`` uses current values)."""

    target: str
    value: sp.Expr


@dataclass
class Analysis:
    """The analysed model (see the module docstring for the symbols)."""

    text: ModelText
    declarations: list[Declaration]
    state: list[str] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    shared: set[str] = field(default_factory=set)
    currents: list[str] = field(default_factory=list)
    dims: dict[str, Dim] = field(default_factory=dict)
    #: deterministic right-hand side of each differential equation
    f: dict[str, sp.Expr] = field(default_factory=dict)
    #: coefficient of the noise in each differential equation (0 without)
    g: dict[str, sp.Expr] = field(default_factory=dict)
    #: ``(constant over dt)`` subexpressions: symbol -> expression at the step's start
    frozen: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    unless_refractory: set[str] = field(default_factory=set)
    #: "none", "period" or "condition"
    refractory_kind: str = "none"
    #: the period [s] (parameters only) or the condition (state at the step's start)
    refractory: sp.Expr | None = None
    threshold: sp.Expr | None = None
    reset: list[Statement] = field(default_factory=list)
    #: statements at the start of every step (``every_step``), on the state at the step's start
    every_step: list[Statement] = field(default_factory=list)
    #: receptor -> its statements (the weight is WEIGHT)
    on_spike: dict[str, list[Statement]] = field(default_factory=dict)
    receptor_dims: dict[str, Dim] = field(default_factory=dict)
    initial: dict[str, sp.Expr] = field(default_factory=dict)
    #: name -> (syntax tree, converter) of each equation and subexpression, to locate terms
    trees: dict[str, tuple[ast.AST, Converter]] = field(default_factory=dict)
    subexpressions: dict[str, sp.Expr] = field(default_factory=dict)

    def symbol(self, name: str) -> sp.Symbol:
        """The sympy symbol of a model name."""
        return sp.Symbol(name, real=True)

    @property
    def state_symbols(self) -> list[sp.Symbol]:
        """Symbols of the differential equations' variables, in order."""
        return [self.symbol(x) for x in self.state]

    def constant_symbols(self) -> set[sp.Symbol]:
        """Symbols whose value is fixed during a run (parameters and ``dt``)."""
        return {self.symbol(p) for p in self.parameters} | {DT}


def analyse(text: ModelText) -> Analysis:
    """Check and analyse a model text.

    Raises
    ------
    EquationError
        For any error of syntax, names, units or semantics, with its position.
    """
    decls = parse_declarations(text.equations)
    an = Analysis(text, decls)
    _declare(an)
    placeholders = _convert_equations(an)
    _substitute(an, placeholders)
    _refractoriness(an)
    _events(an)
    _initial(an)
    _random(an)
    return an


# ---- declarations


def _declare(an: Analysis) -> None:
    seen: dict[str, Declaration] = {}
    currents = set(an.text.currents)
    for d in an.declarations:
        if d.name in seen:
            raise d.name_source.error(f"`{d.name}` is declared twice")
        _check_name(d.name, d.name_source)
        seen[d.name] = d
        an.dims[d.name] = declared_unit(d.unit)
        bad = [f for f in d.flags if f not in FLAGS[d.kind]]
        if bad:
            allowed = ", ".join(f"({f})" for f in FLAGS[d.kind])
            raise d.flags_source.error(
                f"flag ({bad[0]}) is not allowed on a {d.kind}; allowed: {allowed}"
            )
        if d.kind == DIFFERENTIAL:
            an.state.append(d.name)
            if "unless refractory" in d.flags:
                an.unless_refractory.add(d.name)
        elif d.kind == PARAMETER:
            if d.name in currents:
                an.currents.append(d.name)
                if d.flags:
                    raise d.unit.error(f"the current input `{d.name}` takes no flags")
            else:
                an.parameters.append(d.name)
                if "shared" in d.flags:
                    an.shared.add(d.name)
    missing = [c for c in an.text.currents if c not in seen or seen[c].kind != PARAMETER]
    if missing:
        src = Source.whole(repr(list(an.text.currents)), "currents")
        raise src.error(
            f"`{missing[0]}` is named in `currents` but not declared in the equations as "
            f"`{missing[0]} : amp` (or another unit)"
        )


def _check_name(name: str, src: Source) -> None:
    if name.startswith("_"):
        raise src.error(f"`{name}`: names starting with `_` are reserved for generated code")
    if keyword.iskeyword(name):
        raise src.error(f"`{name}` is a Python keyword")
    if name in _RESERVED or name.startswith("xi_"):
        why = _RESERVED.get(name, _RESERVED["xi"])
        raise src.error(f"`{name}` cannot be declared: {why}")
    if name in FUNCTIONS:
        raise src.error(f"`{name}` is the name of a function")


def declared_unit(src: Source) -> Dim:
    """The dimension of a declared unit (``volt``, ``1``, ``amp/metre**2``), in SI base form."""
    text = src.text.strip()
    if text in ("boolean", "integer"):
        raise src.error(
            f"`: {text}` variables are not supported; use a number (`: 1`) and int(...) for "
            "conditions",
            len(src.text) - len(src.text.lstrip()),
        )
    tree, inner = parse_expression(src)
    conv = Converter(inner, lambda name: None, UNITS, units=UNITS)
    value, t = conv.expr(tree)
    if t.boolean or isinstance(t.dim, Unknown):
        raise inner.error(f"`{text}` is not a unit")
    if t.dim is None or float(value) != 1.0:
        si = str(t.dim) if t.dim is not None else "1"
        raise inner.error(
            f"declare units in SI base form (`{si}`), not `{text}`: values in snn are SI numbers"
        )
    return t.dim


# ---- equations


def _lookup_factory(an: Analysis, placeholders: dict[str, sp.Symbol], *, noise: bool):
    refractory = an.text.refractory is not None

    def lookup(name: str) -> tuple[sp.Expr, Type] | None:
        if name in placeholders:
            return placeholders[name], Type(an.dims[name])
        if name in an.dims:
            return an.symbol(name), Type(an.dims[name])
        if name == "dt":
            return DT, Type(SECOND)
        if name == "t":
            return T, Type(SECOND)
        if name == "not_refractory":
            if not refractory:
                return None
            return NR, BOOL
        if name == "xi" or name.startswith("xi_"):
            if not noise:
                return None
            return XI, Type(Dim.of(second=-0.5))
        if name == "i":
            return INDEX, Type(DIMENSIONLESS)
        if name == "N":
            return SIZE, Type(DIMENSIONLESS)
        return None

    return lookup


def _known(an: Analysis) -> list[str]:
    return [*an.dims, "dt", "t", *(["not_refractory"] if an.text.refractory is not None else [])]


def _reserved_use(conv: Converter, tree: ast.AST, an: Analysis, *, noise: bool) -> None:
    """Clear messages for names that are valid in Brian2 but not here."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or node.id in an.dims:
            continue
        if node.id == "lastspike":
            raise conv.error(node, f"`{node.id}`: {_RESERVED[node.id]}")
        if node.id == "not_refractory" and an.text.refractory is None:
            raise conv.error(node, "`not_refractory` needs a refractory period or condition")
        if (node.id == "xi" or node.id.startswith("xi_")) and not noise:
            raise conv.error(node, f"`{node.id}`: noise may only appear in differential equations")


def _convert_equations(an: Analysis) -> dict[str, sp.Symbol]:
    placeholders = {
        d.name: sp.Symbol(f"_s_{d.name}", real=True)
        for d in an.declarations
        if d.kind == SUBEXPRESSION
    }
    noises: dict[str, tuple[ast.AST, Converter]] = {}
    for d in an.declarations:
        if d.expression is None:
            continue
        noise = d.kind == DIFFERENTIAL
        tree, inner = parse_expression(d.expression)
        conv = Converter(inner, _lookup_factory(an, placeholders, noise=noise), _known(an))
        _reserved_use(conv, tree, an, noise=noise)
        value, t = conv.expr(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and (node.id == "xi" or node.id.startswith("xi_")):
                noises.setdefault(node.id, (node, conv))
        an.trees[d.name] = (tree, conv)
        check_right_hand_side(d, an.dims[d.name], conv, tree, t)
        if d.kind == DIFFERENTIAL:
            an.f[d.name] = value
        else:
            an.subexpressions[d.name] = value
    if len(noises) > 1:
        name, (node, conv) = sorted(noises.items())[1]
        raise conv.error(
            node,
            f"`{name}`: one noise source per neuron is supported (the model also uses "
            f"`{sorted(noises)[0]}`); use the same `xi` in every equation",
        )
    return placeholders


def check_right_hand_side(
    d: Declaration, dim: Dim, conv: Converter, tree: ast.AST, t: Type
) -> None:
    """Refuse a declaration whose right-hand side is a condition or in the wrong unit."""
    expected = dim / SECOND if d.kind == DIFFERENTIAL else dim
    lhs = f"d{d.name}/dt" if d.kind == DIFFERENTIAL else d.name
    if t.boolean:
        raise conv.error(tree, f"the right-hand side of `{lhs}` is a condition, not a number")
    if isinstance(t.dim, Dim) and t.dim != expected:
        raise conv.error(
            tree,
            f"unit mismatch: the right-hand side of `{lhs}` is in {t.dim}, "
            f"but `{lhs}` is in {expected}",
        )


def resolve_subexpressions(
    subexpressions: dict[str, sp.Expr],
    placeholders: dict[str, sp.Symbol],
    declarations: list[Declaration],
    frozen_names: set[str] | frozenset[str] = frozenset(),
) -> dict[str, sp.Expr]:
    """Each subexpression with the subexpressions it uses replaced by their definitions.

    ``placeholders`` are the symbols standing for subexpressions in the converted expressions;
    those of ``frozen_names`` become ``_f_<name>`` symbols instead (values fixed over a step).

    Raises
    ------
    EquationError
        For subexpressions that refer to each other in a cycle.
    """
    by_symbol = {s: n for n, s in placeholders.items()}
    resolved: dict[str, sp.Expr] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> sp.Expr:
        if name in resolved:
            return resolved[name]
        if name in chain:
            cycle = " -> ".join((*chain[chain.index(name) :], name))
            decl = next(d for d in declarations if d.name == name)
            raise decl.name_source.error(f"subexpressions refer to each other in a cycle: {cycle}")
        expr = subexpressions[name]
        subs = {
            s: resolve(by_symbol[s], (*chain, name))
            for s in expr.free_symbols
            if s in by_symbol and by_symbol[s] not in frozen_names
        }
        subs.update(
            {
                s: sp.Symbol(f"_f_{by_symbol[s]}", real=True)
                for s in expr.free_symbols
                if by_symbol.get(s) in frozen_names
            }
        )
        resolved[name] = expr.xreplace(subs)
        return resolved[name]

    for name in subexpressions:
        resolve(name, ())
    return resolved


def _substitute(an: Analysis, placeholders: dict[str, sp.Symbol]) -> None:
    """Replace subexpressions by their definitions; split off the noise."""
    frozen_names = {
        d.name for d in an.declarations if d.kind == SUBEXPRESSION and "constant over dt" in d.flags
    }
    resolved = resolve_subexpressions(
        an.subexpressions, placeholders, an.declarations, frozen_names
    )
    for name in frozen_names:
        an.frozen[sp.Symbol(f"_f_{name}", real=True)] = resolved[name]
    table = {
        placeholders[n]: (sp.Symbol(f"_f_{n}", real=True) if n in frozen_names else v)
        for n, v in resolved.items()
    }
    an.subexpressions = {n: v for n, v in resolved.items()}
    for name in an.state:
        expr = an.f[name].xreplace(table)
        coeff = sp.diff(expr, XI)
        if coeff != 0 and coeff.has(XI):
            tree, conv = an.trees[name]
            node = next(
                n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id.startswith("xi")
            )
            raise conv.error(node, "the noise must enter linearly (`sigma * xi`, not `xi**2`)")
        an.g[name] = coeff
        an.f[name] = sp.expand(expr - coeff * XI) if coeff != 0 else expr
    for sym, expr in an.frozen.items():
        an.frozen[sym] = expr.xreplace(table)
    unused = an.unless_refractory and an.text.refractory is None
    if unused:
        name = sorted(an.unless_refractory)[0]
        decl = next(d for d in an.declarations if d.name == name)
        raise decl.flags_source.error(
            f"`{name}` is flagged (unless refractory) but the model has no refractory period "
            "or condition (give `refractory=`)"
        )


# ---- refractoriness, threshold, reset, on_spike


def _event_lookup(an: Analysis, extra: dict[str, tuple[sp.Expr, Type]] | None = None):
    base = _lookup_factory(an, {}, noise=False)
    table = {n: an.subexpressions[n] for n in an.subexpressions}
    frozen = {sp.Symbol(f"_f_{n}", real=True): n for n in table}

    def lookup(name: str) -> tuple[sp.Expr, Type] | None:
        if extra and name in extra:
            return extra[name]
        if name in table:
            # an event sees a subexpression's current value, never a frozen one
            expr = table[name]
            expr = expr.xreplace({s: table[n] for s, n in frozen.items() if s in expr.free_symbols})
            return expr, Type(an.dims[name])
        return base(name)

    return lookup


def _converter(an: Analysis, src: Source, extra=None) -> tuple[ast.expr, Converter]:
    tree, inner = parse_expression(src)
    known = _known(an) + list(extra or ())
    conv = Converter(inner, _event_lookup(an, extra), known)
    _reserved_use(conv, tree, an, noise=False)
    return tree, conv


def _refractoriness(an: Analysis) -> None:
    ref = an.text.refractory
    if ref is None:
        return
    if isinstance(ref, int | float):
        if not ref >= 0:
            raise Source.whole(repr(ref), "refractory").error(
                f"the refractory period must be >= 0 s, got {ref!r}"
            )
        an.refractory_kind, an.refractory = "period", sp.Float(float(ref))
        return
    src = Source.whole(str(ref), "refractory")
    tree, conv = _converter(an, src)
    value, t = conv.expr(tree)
    if t.boolean:
        an.refractory_kind, an.refractory = "condition", value
        return
    if t.dim is not None and t.dim != SECOND:
        raise conv.error(
            tree, f"the refractory period must be a time or a condition, got a value in {t.dim}"
        )
    varying = value.free_symbols - an.constant_symbols()
    if varying:
        raise conv.error(
            tree,
            "a refractory period may only use parameters; for a condition on the state write "
            "a comparison (`v > -40*mV`)",
        )
    an.refractory_kind, an.refractory = "period", value


def _events(an: Analysis) -> None:
    if an.text.threshold is not None:
        src = Source.whole(an.text.threshold, "threshold")
        tree, conv = _converter(an, src)
        value, t = conv.expr(tree)
        if not t.boolean:
            raise conv.error(
                tree, f"the threshold must be a condition (`v > v_th`), got `{src.text}`"
            )
        inputs = {an.symbol(c) for c in an.currents}
        if not value.free_symbols & {*an.state_symbols, *inputs, T, RAND}:
            params = sorted(s.name for s in value.free_symbols if s.name in an.parameters)
            hint = (
                f": `{params[0]}` is a parameter (constant between `set` calls); for a variable "
                f"that the reset or events change, write `d{params[0]}/dt = 0/second : <unit>`"
                if params
                else ""
            )
            raise conv.error(
                tree,
                f"the threshold `{src.text}` depends on no state variable, current input, time "
                f"or rand(){hint}",
            )
        an.threshold = value
    if an.text.reset is not None:
        if an.text.threshold is None:
            raise Source.whole(an.text.reset, "reset").error("a reset needs a threshold")
        an.reset = _statements(an, Source.whole(an.text.reset, "reset"), weight=False)[0]
    if an.text.every_step is not None:
        src = Source.whole(an.text.every_step, "every_step")
        an.every_step = _statements(an, src, weight=False, where="the every_step statements")[0]
    for receptor, code in an.text.on_spike:
        where = f"on_spike[{receptor!r}]"
        src = Source.whole(code, where)
        if not receptor.isidentifier():
            raise src.error(f"receptor name {receptor!r} is not an identifier")
        if keyword.iskeyword(receptor):
            raise src.error(
                f"receptor name {receptor!r}: `{receptor}` is a Python keyword; choose another "
                "name (`inh` for an inhibitory pathway)"
            )
        if receptor.startswith("_"):
            raise src.error(f"receptor name {receptor!r} must not start with `_`")
        if receptor in an.dims or receptor in _RESERVED or receptor in ("w", "weight"):
            raise src.error(
                f"receptor name {receptor!r} is already a name of the model; give the receptor "
                f"its own name (on_spike={{'{receptor}_in': ...}}) and send to it by that name "
                f"(`{receptor}_in += w` in a synapse model's on_pre, or "
                f"connect(receptor='{receptor}_in'))"
            )
        statements, dim = _statements(an, src, weight=True)
        an.on_spike[receptor] = statements
        an.receptor_dims[receptor] = dim


def receptor_variables(an: Analysis) -> list[tuple[str, str]]:
    """The receptors whose one statement is ``x += w``, with their ``x``.

    A synapse model's Brian2-style ``x_post += w`` feeds such a receptor.
    """
    out = []
    for receptor, statements in an.on_spike.items():
        if len(statements) == 1:
            s = statements[0]
            if sp.simplify(s.value - an.symbol(s.target) - WEIGHT) == 0:
                out.append((receptor, s.target))
    return out


def _statements(
    an: Analysis, src: Source, *, weight: bool, where: str = "the reset"
) -> tuple[list[Statement], Dim]:
    """Statements of a reset (or with ``weight``, of an ``on_spike`` entry).

    Each statement's value refers to the values left by the statements before it. The unit of
    the weight (``w``, or ``weight`` in a model that has its own ``w``) is inferred from the
    first statement that uses it.
    """
    body, inner = parse_statements(src)
    names = (["weight"] + ([] if "w" in an.dims else ["w"])) if weight else []
    # a reset's temporaries (Brian2's `x_tmp = ...`), by name: symbol and type
    temporaries: dict[str, tuple[sp.Expr, Type]] = {}
    used: set[str] = set()

    def converter(wtype: Type) -> Converter:
        extra = {n: (WEIGHT, wtype) for n in names}
        extra.update(temporaries)
        known = _known(an) + names + list(temporaries)
        lookup = _event_lookup(an, extra)

        def counted(name: str) -> tuple[sp.Expr, Type] | None:
            if name in temporaries:
                used.add(name)
            return lookup(name)

        return Converter(inner, counted, known)

    out: list[Statement] = []
    made: dict[str, ast.stmt] = {}
    weight_dim: Dim | None = None
    for stmt in body:
        target = (
            stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
        )
        if not weight and isinstance(target, ast.Name) and _is_temporary(an, target.id):
            # evaluated here, from the values at this point (a statement of its own)
            conv = converter(Type(DIMENSIONLESS))
            _reserved_use(conv, stmt.value, an, noise=False)
            value, t = conv.expr(stmt.value)
            if t.boolean:
                raise conv.error(stmt.value, "a condition cannot be kept (use int(...))")
            symbol = temporary_symbol(target.id)
            temporaries[target.id] = (symbol, t)
            made[target.id] = stmt
            out.append(Statement(symbol.name, value))
            continue
        dim = weight_dim
        if weight and dim is None:
            conv = converter(Type(Unknown(DIMENSIONLESS)))
            target, value, t = _statement(an, stmt, conv)
            if conv.weight_unit is not None:
                dim = conv.weight_unit
            elif isinstance(t.dim, Unknown):
                dim = an.dims[target] / t.dim.offset
        conv = converter(Type(dim or DIMENSIONLESS))
        target, value, _ = _statement(an, stmt, conv)
        if weight and value.has(WEIGHT):
            weight_dim = dim
            _check_linear_in_weight(stmt, conv, target, value, an.symbol(target))
        out.append(Statement(target, value))
    refuse_unused(Converter(inner, lambda n: None, []), made, used, an.state, where)
    if weight and weight_dim is None:
        raise src.error("the statement does not use the spike weight `w`")
    return out, weight_dim or DIMENSIONLESS


#: prefix of the statement target that holds a temporary of a reset or a synapse's event
TEMPORARY = "_tmp_"


def temporary_symbol(name: str) -> sp.Symbol:
    """The symbol of temporary ``name`` (``r = ...``), in later statements' values."""
    return sp.Symbol(TEMPORARY + name, real=True)


def refuse_unused(
    conv: Converter, made: dict[str, ast.stmt], used: set[str], names: list[str], where: str
) -> None:
    """Refuse a temporary no later statement reads: most likely a misspelt variable of ``names``.

    ``made``: each temporary's statement; ``where``: the statements' place ("the reset").
    """
    for name, stmt in made.items():
        if name not in used:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            raise conv.error(
                stmt,
                f"`{name}` is assigned but never used: a name the model does not declare is a "
                f"temporary of {where}, for the statements after it{hint}",
            )


def _is_temporary(an: Analysis, name: str) -> bool:
    """Whether assigning ``name`` in a reset makes a temporary: a name the model lacks."""
    return (
        name.isidentifier()
        and not name.startswith("_")
        and name not in an.dims
        and name not in _RESERVED
        and name not in ("w", "weight", "dt", "t")
    )


def _statement(an: Analysis, stmt: ast.stmt, conv: Converter) -> tuple[str, sp.Expr, Type]:
    def target_of(node: ast.Name) -> Dim:
        target = node.id
        if target in an.parameters or target in an.currents:
            kind = "parameter" if target in an.parameters else "current input"
            raise conv.error(
                node,
                f"`{target}` is a {kind}, which an event cannot change; make it a state "
                f"variable (`d{target}/dt = 0 : {an.dims[target]}`)",
            )
        if target in an.subexpressions:
            raise conv.error(node, f"`{target}` is a subexpression and cannot be assigned")
        if target not in an.state:
            known = conv.undefined(target)
            if isinstance(stmt, ast.Assign) and "did you mean" not in known:
                known += (
                    " (an on_spike entry keeps no temporaries: write the expression into the "
                    "statement that uses it)"
                )
            raise conv.error(node, known)
        return an.dims[target]

    return assignment(stmt, conv, target_of)


def assignment(
    stmt: ast.stmt, conv: Converter, target_of: Callable[[ast.Name], Dim | None]
) -> tuple[str, sp.Expr, Type]:
    """``target = value`` of one statement (``x = v``, ``x += v``, ``x -= v``, ``x *= v``, ...).

    ``target_of`` checks the assigned name and gives its unit (None: any unit). The value is the
    new value of the target in terms of the current values.
    """
    ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target_node, op, value_node = stmt.targets[0], None, stmt.value
    elif isinstance(stmt, ast.AugAssign) and type(stmt.op) in ops:
        target_node, op, value_node = stmt.target, type(stmt.op), stmt.value
    else:
        raise conv.error(stmt, "write assignments: `x = value`, `x += value`, `x -= value`, ...")
    if not isinstance(target_node, ast.Name):
        raise conv.error(target_node, "the target of an assignment must be a name")
    target = target_node.id
    dim = target_of(target_node)
    value, t = conv.expr(value_node)
    if t.boolean:
        raise conv.error(value_node, "a condition cannot be assigned to a variable (use int(...))")
    own = sp.Symbol(target, real=True)
    if op in (ast.Mult, ast.Div):
        if isinstance(t.dim, Dim) and not t.dim.dimensionless:
            raise conv.error(
                value_node, f"`{ast.unparse(stmt)}` needs a dimensionless factor, not {t.dim}"
            )
        if isinstance(t.dim, Unknown):
            raise conv.error(value_node, "the weight cannot be a factor of `*=` or `/=`")
        value = own * value if op is ast.Mult else own / value
        return target, value, Type(dim)
    if isinstance(t.dim, Dim) and dim is not None and t.dim != dim:
        raise conv.error(
            value_node,
            f"unit mismatch: `{ast.unparse(value_node)}` is in {t.dim}, but `{target}` is in {dim}",
        )
    if op is ast.Add:
        value = own + value
    elif op is ast.Sub:
        value = own - value
    return target, value, t


def _check_linear_in_weight(
    stmt: ast.stmt, conv: Converter, target: str, value: sp.Expr, own: sp.Symbol
) -> None:
    """The summed weight of a step's spikes acts like the spikes one by one only if linear."""
    if sp.diff(value, WEIGHT, 2) != 0 or sp.diff(value, WEIGHT).has(WEIGHT):
        raise conv.error(
            stmt,
            "the statement must be linear in the weight: the spikes of one step arrive as the "
            "sum of their weights",
        )
    if sp.simplify(value.xreplace({WEIGHT: 0}) - own) != 0:
        raise conv.error(
            stmt, f"without input (weight 0) the statement must leave `{target}` as is"
        )


def _initial(an: Analysis) -> None:
    for name, value in an.text.initial:
        where = f"initial[{name!r}]"
        if name not in an.state:
            src = Source.whole(str(value), where)
            hint = " (parameters are set on the model)" if name in an.parameters else ""
            raise src.error(f"`{name}` is not a state variable of the model{hint}")
        if isinstance(value, int | float):
            an.initial[name] = sp.Float(float(value))
            continue
        src = Source.whole(str(value), where)
        tree, conv = _converter(an, src)
        expr, t = conv.expr(tree)
        if t.boolean or (t.dim is not None and t.dim != an.dims[name]):
            got = "a condition" if t.boolean else str(t.dim)
            raise conv.error(
                tree,
                f"unit mismatch: the initial value is in {got}, but `{name}` is in {an.dims[name]}",
            )
        if expr.free_symbols - an.constant_symbols() - {DT}:
            raise conv.error(tree, "an initial value may only use parameters and numbers")
        if DT in expr.free_symbols:
            raise conv.error(tree, "an initial value cannot use `dt`")
        an.initial[name] = expr


def _random(an: Analysis) -> None:
    """``rand()``: at most one call (one draw per neuron and step), not in an equation."""
    # (source, parsed as statements, in a differential equation)
    texts = [
        (d.expression, False, d.kind == DIFFERENTIAL)
        for d in an.declarations
        if d.expression is not None
    ]
    for where, code, statements in (
        ("threshold", an.text.threshold, False),
        ("reset", an.text.reset, True),
        ("every_step", an.text.every_step, True),
        ("refractory", an.text.refractory if isinstance(an.text.refractory, str) else None, False),
    ):
        if code is not None:
            texts.append((Source.whole(code, where), statements, False))
    texts += [(Source.whole(code, f"on_spike[{r!r}]"), True, False) for r, code in an.text.on_spike]
    calls = []
    for src, statements, equation in texts:
        roots, inner = parse_statements(src) if statements else parse_expression(src)
        for root in roots if isinstance(roots, list) else [roots]:
            for node in ast.walk(root):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "rand"):
                    continue
                conv = Converter(inner, lambda name: None, [])
                if equation:
                    raise conv.error(
                        node,
                        "rand() draws once per step: it cannot appear in a differential "
                        "equation (write the noise as `sigma * xi`)",
                    )
                calls.append((node, conv))
    if len(calls) > 1:
        node, conv = calls[1]
        raise conv.error(
            node,
            "a model draws one rand() per neuron and step; a second, independent draw is not "
            "available. Where every use may share the one value, call it once in a "
            "subexpression used where needed (the uses are then correlated: the same number)",
        )
    for x in an.state:
        if an.f[x].has(RAND):
            tree, conv = an.trees[x]
            raise conv.error(
                tree,
                f"`d{x}/dt` uses rand() through a subexpression; rand() draws once per step "
                "and cannot appear in a differential equation (write the noise as `sigma * xi`)",
            )
