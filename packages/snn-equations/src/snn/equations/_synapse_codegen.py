"""The generated module of a synapse model: the rule functions of snn's synapse protocol.

Functions (each present when the model needs it; see :class:`snn.core.SynapseModel`):

``on_pre(w, <synapse variables>, <target traces>, <name>_post, <constants>, step, dt, uniform)``
    ``on_pre``'s statements for one synapse (``uniform``: ``rand()``, the engine's keyed draw for
    the synapse and spike; ``<name>_post``: the target neuron variables read); returns
    ``(w, *synapse variables, sent)``.
``on_post(w, <synapse variables>, <source traces>, <name>_post, <constants>, step, dt)``
    ``on_post``'s statements; returns ``(w, *synapse variables)``.
``source_spike(<source traces>, <constants>)``, ``target_spike(...)``
    The statements of ``on_pre`` (``on_post``) that change a trace, moved to the one update per
    presynaptic (postsynaptic) spike.
``coupling(w, <synapse variables>, <constants>, <name>_pre, <name>_post, dt)``
    The summed variable's value for one synapse.
``clock(w, <clock-driven variables>, <constants>, <name>_pre, <name>_post, dt[, normal])``
    One step of the clock-driven variables, integrated as a neuron model's equations would be
    (:func:`snn.equations._codegen.integrate`, with the weight and the neuron variables held
    over the step; ``normal``: the standard normal draw of the noise ``xi``, one per synapse
    and step); returns their new values.
``constants(_p, dt)``, ``trace_taus(_p)``, ``initial(_p)``
    numpy code: the constants from the parameters, each trace's time constant [s], and the
    initial values of the per-synapse variables.

Per-synapse variables (``kind == "synapse"``) are advanced at each event over the steps since
the synapse's last one (``_last``): ``x(t + n dt) = x_inf + (x - x_inf) exp(a n dt)``
(``x + b n dt`` when ``a = 0``). Every assignment of the weight keeps the old weight when the
hidden parameter ``_learning`` is 0 (``Projection.set(learning=False)``); with 1 it is exactly
the new value.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from snn.equations._analysis import DT, TEMPORARY, Statement
from snn.equations._codegen import (
    Constants,
    Step,
    constants_function,
    integrate,
    used_constants,
)
from snn.equations._expr import RAND
from snn.equations._printing import NumbaPrinter, NumpyPrinter
from snn.equations._runtime import LEARNING, LOCAL
from snn.equations._synapse_analysis import OUT, WEIGHT, SynapseAnalysis

__all__ = ["generate_synapse"]

_STEPS = sp.Symbol("_n", real=True)


def generate_synapse(an: SynapseAnalysis) -> dict[str, Any]:
    """The module body of an analysed synapse model and what the protocol declares from it."""
    numba = NumbaPrinter(LOCAL["exprel"])
    numpy = NumpyPrinter(LOCAL["exprel_np"])
    learns = any(s.target == "w" for s in [*an.on_pre, *an.on_post])
    params = [*an.parameters, *([LEARNING] if learns else [])]
    k = Constants(params, numpy)
    kinds = an.kinds
    lazy = [x for x in an.variables if kinds[x] == "synapse"]
    source = [x for x in an.variables if kinds[x] == "source"]
    target = [x for x in an.variables if kinds[x] == "target"]
    syn_vars = [*lazy, *an.clock, *(["_last"] if lazy else [])]
    functions: dict[str, tuple[list[str], Step]] = {}
    if an.summed is not None:
        functions["coupling"] = _coupling(an, k, numba)
    if an.clock:
        functions["clock"] = _clock(an, k, numba)
    if an.text.on_pre is not None or an.summed is None:
        # without a statement sending to the target, a spike sends 0: a synapse that only
        # learns, or only connects (Brian2's Synapses(P, Q, "w : 1"))
        functions["on_pre"] = _event(an, k, numba, an.on_pre, syn_vars, skip=set(source), send=True)
        if source:
            functions["source_spike"] = _trace_update(an, k, numba, an.on_pre, source)
    if an.text.on_post is not None:
        functions["on_post"] = _event(
            an, k, numba, an.on_post, syn_vars, skip=set(target), send=False
        )
        if target:
            functions["target_spike"] = _trace_update(an, k, numba, an.on_post, target)
    used = set().union(*({s.name for s in st.used} for _, st in functions.values()))
    consts = used_constants(params, k, used)
    lines: list[str] = []
    arguments = {}
    for name, (outputs, st) in functions.items():
        args = _arguments(name, st, consts, syn_vars, source, target, an)
        arguments[name] = args
        lines += [
            '@kernel(inline="always")',
            f"def {name}({', '.join(args)}):",
            *st.lines,
            f"    return {outputs[0] if name == 'coupling' else _tuple(outputs)}",
            "",
            "",
        ]
    lines += constants_function(params, k, consts, "Values the rules need, from the parameters.")
    per_synapse = [*lazy, *an.clock]
    lines += ["", "", *_taus(an, numpy, params), "", "", *_initial(an, numpy, params, per_synapse)]
    return {
        "body": "\n".join(lines),
        "functions": sorted(functions),
        "arguments": arguments,
        "constants": consts,
        "synapse_vars": syn_vars,
        "clock_variables": list(an.clock),
        "source_traces": source,
        "target_traces": target,
        "learns": learns,
    }


def _tuple(items: list[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else ", ".join(items)


def _arguments(
    name: str,
    st: Step,
    consts: list[str],
    syn_vars: list[str],
    source: list[str],
    target: list[str],
    an: SynapseAnalysis,
) -> list[str]:
    used = {s.name for s in st.used}
    if name in ("coupling", "clock"):
        neurons = [f"{v}_pre" for v in an.pre_variables] + [f"{v}_post" for v in an.post_variables]
        own = an.clock if name == "clock" else [x for x in an.clock if x in used]
        return [
            *(["w"] if "w" in used else []),
            *own,
            *[c for c in consts if c in used],
            *neurons,
            *(["dt"] if "dt" in used else []),
            # xi: a standard normal draw, the engine's keyed one for this synapse and step
            *(["normal"] if "normal" in used else []),
        ]
    if name in ("source_spike", "target_spike"):
        traces = source if name == "source_spike" else target
        return [*traces, *[c for c in consts if c in used], *(["dt"] if "dt" in used else [])]
    traces = target if name == "on_pre" else source
    return [
        "w",
        *syn_vars,
        *[x for x in traces if x in used],
        *[f"{v}_post" for v in an.post_variables if f"{v}_post" in used],
        *[c for c in consts if c in used],
        *(["step"] if "_last" in syn_vars else []),
        *(["dt"] if "dt" in used else []),
        # rand(): the engine's keyed draw for this synapse and spike (on_pre only, see analysis)
        *([RAND.name] if RAND.name in used else []),
    ]


def _event(
    an: SynapseAnalysis,
    k: Constants,
    numba: NumbaPrinter,
    statements: list[Statement],
    syn_vars: list[str],
    *,
    skip: set[str],
    send: bool,
) -> tuple[list[str], Step]:
    """The statements of one pathway for one synapse (trace updates in ``skip`` left out)."""
    st = Step(numba)
    current: dict[sp.Symbol, sp.Expr] = {}
    lazy = [x for x in syn_vars if x in an.variables]
    if lazy:
        st.line("_n = step - _last")
        for x in lazy:
            a, b = an.decay[x]
            sym = sp.Symbol(x, real=True)
            if a == 0:
                value = sym + b * DT * _STEPS
            elif b == 0:
                value = sym * sp.exp(a * DT * _STEPS)
            else:
                inf = -b / a
                value = inf + (sym - inf) * sp.exp(a * DT * _STEPS)
            new = st.new(x)
            st.assign([(new, k.hoist(value))])
            current[sym] = new
    sent = None
    # the traces moved to their own update, and the temporaries only those read
    skipped = {sp.Symbol(x, real=True) for x in skip}
    for s in statements:
        if s.target in skip:
            continue
        if s.target.startswith(TEMPORARY) and s.value.free_symbols & skipped:
            skipped.add(sp.Symbol(s.target, real=True))
            continue
        value = k.hoist(s.value.xreplace(current))
        new = st.new(s.target.strip("_"))
        st.assign([(new, value)])
        if s.target == OUT:
            sent = new
        elif s.target == "w":
            kept = st.new("w")
            st.line(
                f"{kept.name} = {new.name} if {LEARNING} != 0.0 else {current.get(WEIGHT, WEIGHT)}"
            )
            st.used.add(sp.Symbol(LEARNING, real=True))
            current[WEIGHT] = kept
        else:
            current[sp.Symbol(s.target, real=True)] = new
    st.used.add(WEIGHT)
    outputs = [str(current.get(WEIGHT, WEIGHT))]
    outputs += [str(current.get(sp.Symbol(x, real=True), x)) for x in syn_vars if x != "_last"]
    if lazy:
        outputs.append("step")
    if send:
        outputs.append(str(sent) if sent is not None else "0.0 * w")
    return outputs, st


def _trace_update(
    an: SynapseAnalysis,
    k: Constants,
    numba: NumbaPrinter,
    statements: list[Statement],
    traces: list[str],
) -> tuple[list[str], Step]:
    """One spike's change of the traces (the statements that change them, in order).

    With the temporaries they read: those computed from the traces and parameters alone (a
    trace's statements read nothing else, :func:`snn.equations._synapse_analysis._classify`).
    """
    st = Step(numba)
    current: dict[sp.Symbol, sp.Expr] = {}
    needed = _needed(statements, traces)
    for s in statements:
        if s.target not in traces and s.target not in needed:
            continue
        value = s.value.xreplace(current)
        new = st.new(s.target.strip("_"))
        st.assign([(new, k.hoist(value))])
        current[sp.Symbol(s.target, real=True)] = new
    return [str(current.get(sp.Symbol(x, real=True), x)) for x in traces], st


def _needed(statements: list[Statement], traces: list[str]) -> set[str]:
    """The temporaries the statements changing ``traces`` read, directly or through others."""
    reads: set[str] = set()
    needed: set[str] = set()
    for s in reversed(statements):
        if s.target in traces or s.target in needed:
            reads |= {x.name for x in s.value.free_symbols}
        if s.target.startswith(TEMPORARY) and s.target in reads:
            needed.add(s.target)
            reads |= {x.name for x in s.value.free_symbols}
    return needed


def _coupling(an: SynapseAnalysis, k: Constants, numba: NumbaPrinter) -> tuple[list[str], Step]:
    st = Step(numba)
    value = sp.Symbol("_value", real=True)
    assert an.summed is not None
    st.assign([(value, k.hoist(an.summed))])
    return [value.name], st


def _clock(an: SynapseAnalysis, k: Constants, numba: NumbaPrinter) -> tuple[list[str], Step]:
    assert an.system is not None and an.method is not None
    st = Step(numba)
    new, _ = integrate(an.system, an.method, k, st)
    return [new[x].name for x in an.clock], st


def _parameter_lines(params: list[str]) -> list[str]:
    return [f"    {p} = {LOCAL['as_value']}(_p[{p!r}])" for p in params]


def _taus(an: SynapseAnalysis, numpy: NumpyPrinter, params: list[str]) -> list[str]:
    items = []
    for x in an.variables:
        if an.kinds[x] == "synapse":
            continue
        a = an.decay[x][0]
        tau = "math.inf" if a == 0 else numpy.doprint(-1 / a)
        items.append(f"{x!r}: {tau}")
    return [
        "def trace_taus(_p):",
        '    """Time constant of each trace [s] (inf: it does not decay)."""',
        *_parameter_lines(params),
        "    return {" + ", ".join(items) + "}",
    ]


def _initial(
    an: SynapseAnalysis, numpy: NumpyPrinter, params: list[str], per_synapse: list[str]
) -> list[str]:
    items = [f"{x!r}: {numpy.doprint(an.initial.get(x, sp.Float(0.0)))}" for x in per_synapse]
    if any(x in an.variables for x in per_synapse):
        items.append("'_last': 0")
    return [
        "def initial(_p):",
        '    """Initial values of the per-synapse variables."""',
        *_parameter_lines(params),
        "    return {" + ", ".join(items) + "}",
    ]
