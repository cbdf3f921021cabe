"""Fuzz families over live networks: ``set``/``get`` of populations, views, drives and
projections, ``Network.reset`` and ``store``/``restore``, before and after a run.

The oracle: a call is refused with snn's error and leaves the network as it was (state,
parameters, weights, delays, drives' and synapse models' parameters: ``_worker.fingerprint``),
or it is accepted and does what it says: ``get`` gives the value back, a run after it keeps it,
and at t = 0 a run gives what a network built with the value gives (a silent no-op fails).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from snn.core.connectivity import nearest_steps
from tests.fuzz import _values as V
from tests.fuzz._harness import Family
from tests.fuzz._worker import Silent, fingerprint, unchanged

DT = 1e-4
N = 4
#: numeric parameters of LIFCondExp (the population's model) and their defaults
_PARAMS = {
    "c_m": 2.5e-10,
    "g_l": 1.66667e-08,
    "e_l": -0.07,
    "v_th": -0.055,
    "v_reset": -0.06,
    "t_ref": 0.002,
    "e_ex": 0.0,
    "tau_syn_ex": 2e-4,
    "i_e": 0.0,
}
_STATE = {"v": -0.065, "g_ex": 1e-9, "refr": 2}
_DRIVE_PARAMS = {
    "DCSource": {"amplitude": 1e-10, "start": 0.0, "stop": math.inf},
    "PoissonInput": {"rate": 1000.0, "weight": 1e-9},
}
_SYN_PARAMS = {
    "plastic": {"w_max": 1e-8, "learning_rate": 0.01, "tau_plus": 0.02},
    "tsodyks": {"U": 0.5, "tau_rec": 0.8, "tau_fac": 0.0},
}
#: the parameters the synapse model may hold per synapse (selected by pre and post)
_PER_SYNAPSE = {"plastic": (), "tsodyks": ("U", "tau_rec", "tau_fac")}


def _build(
    seed: int = 3,
    model: dict[str, Any] | None = None,
    init: dict[str, Any] | None = None,
    drives: dict[str, dict[str, Any]] | None = None,
    weight: float | None = None,
) -> tuple[Any, dict[str, Any]]:
    """The network every case changes: a population, two drives, two projections."""
    import snn.neurons
    from snn.core import Network
    from snn.plasticity import PairSTDP
    from snn.synapses import AllToAll, TsodyksSynapse

    drives = drives or {}
    net = Network(dt=DT, seed=seed)
    pop = net.add_population(
        snn.neurons.LIFCondExp(**(model or {})), N, name="a", init=init or {"v": -0.065}
    )
    dc = net.add_drive(
        snn.neurons.DCSource(**{**_DRIVE_PARAMS["DCSource"], **drives.get("DCSource", {})}),
        pop,
    )
    poisson = net.add_drive(
        snn.neurons.PoissonInput(
            **{**_DRIVE_PARAMS["PoissonInput"], **drives.get("PoissonInput", {})}, receptor="exc"
        ),
        pop,
    )
    plastic = net.connect(
        pop,
        pop,
        rule=AllToAll(),
        weight=1e-9 if weight is None else weight,
        receptor="exc",
        synapse=PairSTDP(w_max=1e-8),
    )
    tsodyks = net.connect(
        pop, pop, rule=AllToAll(), weight=1e-9, receptor="inh", synapse=TsodyksSynapse()
    )
    return net, {
        "pop": pop,
        "view": pop[1:3],
        "list": pop[[3, 0]],
        "DCSource": dc,
        "PoissonInput": poisson,
        "plastic": plastic,
        "tsodyks": tsodyks,
    }


def _state(net: Any) -> dict[str, np.ndarray]:
    return {f"{p.name}.{k}": v.copy() for p in net.populations for k, v in p.state.items()}


def _same_run(net: Any, ref: Any, steps: int = 3) -> None:
    """``net`` and ``ref`` (built with the value) run ``steps`` steps to the same state."""
    net.run(steps * DT)
    ref.run(steps * DT)
    got, want = _state(net), _state(ref)
    for k in want:
        if not np.array_equal(got[k], want[k], equal_nan=True):
            raise Silent(
                f"the run after set() differs from a network built with the value: {k} "
                f"{got[k]} vs {want[k]}"
            )


def _against_built(net: Any, what: str, **build: Any) -> None:
    """``net`` after an accepted ``what`` runs as a network built with the value runs."""
    from snn.core.errors import SNNError

    try:
        ref, _ = _build(**build)
    except SNNError as exc:
        raise Silent(f"{what} accepted; a network built with it is refused: {exc}") from None
    _same_run(net, ref)


def _values(default: float, n: int) -> st.SearchStrategy:
    """A number's value classes, one value per neuron of the target and Distributions."""
    return st.one_of(
        V.number(default, n),
        V.number(default, n),
        st.floats(0.8, 1.2).map(lambda s: (default * s, "valid", "")),
        st.just((np.linspace(0.9, 1.1, n) * default, "valid", "an array of the right length")),
        st.just((("uniform", 0.9, 1.1), "valid", "a Uniform law around the value")),
        st.just((("uniform", 1.1, 0.9), "invalid", "Uniform(low > high)")),
        st.just((np.full(n, math.nan), "invalid", "an array of NaN")),
    )


def _value(token: Any, default: float) -> Any:
    if isinstance(token, tuple) and token and token[0] == "uniform":
        from snn.core.random import Uniform

        spread = max(abs(default) * 0.1, 1e-12)
        lo, hi = default - spread, default + spread
        if token[1] > token[2]:
            lo, hi = hi, lo
        return Uniform(low=lo, high=hi)
    return token


# ----------------------------------------------------------------------------- populations
@st.composite
def _population_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    target = draw(st.sampled_from(["pop", "view", "list"]))
    n = N if target == "pop" else 2
    when = draw(st.sampled_from([0, 2]))
    op = draw(st.sampled_from(["param", "param", "state", "state", "get", "unknown", "frozen"]))
    if op == "param":
        name = draw(st.sampled_from([*sorted(_PARAMS), "method"]))
        if name == "method":
            value, expect, why = draw(
                V.choice("rk4", ("rk4", "exp_euler")).map(
                    lambda v: (v[0], "either", v[2]) if v[1] == "valid" else v
                )
            )
            if target != "pop" and expect != "invalid":
                expect, why = "invalid", "method on a view"
        else:
            value, expect, why = draw(_values(_PARAMS[name], n))
            if expect == "valid" and name in ("c_m", "g_l", "t_ref", "tau_syn_ex"):
                expect = "either"  # a law or spread around a time constant may be refused
            if expect == "valid" and name in ("v_th", "v_reset"):
                expect = "either"  # a spread around one may cross the other: v_reset < v_th
    elif op == "state":
        name = draw(st.sampled_from(sorted(_STATE)))
        value, expect, why = draw(_values(_STATE[name], n))
        if name == "refr":
            if isinstance(value, tuple) and expect != "invalid":
                expect, why = "either", "a law for a counter (whole values or refused)"
            elif isinstance(value, np.ndarray) and value.dtype.kind == "f" and expect == "valid":
                expect, why = "invalid", "fractional refractory counters"
            elif (
                isinstance(value, float)
                and math.isfinite(value)
                and (value < 0 or value != int(value))
            ):
                expect, why = "invalid", f"refr={value!r}"
        elif expect == "valid" or why == "negated":
            expect = "either"
    elif op == "get":
        name = draw(st.sampled_from([*sorted(_PARAMS), *sorted(_STATE), "method", "tau", ""]))
        value, expect, why = None, "valid" if name not in ("tau", "") else "invalid", name
    elif op == "unknown":
        name = draw(st.sampled_from(["tau", "V", "", "size", "model", "e_in_", "tau_m"]))
        value, expect, why = 1.0, "invalid", f"unknown name {name!r}"
    else:
        name = draw(st.sampled_from(["model", "size", "name", "state"]))
        value, expect, why = None, "invalid", f"assigning the attribute {name!r}"
    return (
        {"target": target, "when": when, "op": op, "name": name, "value": value},
        expect,
        f"{op} {target}.{name} at step {when}: {why}",
    )


def run_population(args: dict[str, Any]) -> str:
    """``set``/``get`` on a population or view; an accepted value is read back and run."""
    from snn.neurons import LIFCondExp

    net, objs = _build()
    target = objs[args["target"]]
    pop = objs["pop"]
    op, name, when = args["op"], args["name"], args["when"]
    if when:
        net.run(when * DT)
    if op == "get":
        got = target.get(name)
        if (name in _PARAMS or name in _STATE) and np.shape(got) != (target.size,):
            raise Silent(f"get({name!r}) gave shape {np.shape(got)} for {target.size}")
        return "read"
    if op == "frozen":
        with unchanged(net):
            setattr(target, name, LIFCondExp() if name == "model" else 5)
        return "assigned"
    value = _value(args["value"], _PARAMS.get(name, _STATE.get(name, 0.0)))
    with unchanged(net):
        target.set(**{name: value})
    got = np.asarray(target.get(name))
    _check_read_back(name, value, got, target.size)
    per_neuron = isinstance(getattr(pop.model, name, None), np.ndarray)
    if per_neuron:
        # a per-neuron parameter compiles a loop of its own: read back, not run
        return "set (per-neuron, not run)"
    if when == 0 and target is pop and op == "param" and not hasattr(value, "draw_at"):
        _against_built(net, f"set({name}={value!r})", model={name: value})
    elif when == 0 and target is pop and op == "state" and not hasattr(value, "draw_at"):
        _against_built(net, f"set({name}={value!r})", init={"v": -0.065, name: value})
    else:
        net.run(2 * DT)
    after = np.asarray(target.get(name))
    if op == "param" and not np.array_equal(after, got):
        raise Silent(f"{name} read {got} after set(), {after} after a run")
    return "set and ran"


def _check_read_back(name: str, value: Any, got: np.ndarray, size: int) -> None:
    """What ``get`` gives after an accepted ``set`` is the value set."""
    if hasattr(value, "draw_at"):
        if got.shape != (size,) or not np.all(np.isfinite(got)):
            raise Silent(f"{name} set to a law reads {got}")
        return
    if isinstance(value, str):
        if got.item() != value:
            raise Silent(f"{name} set to {value!r} reads {got!r}")
        return
    want = np.broadcast_to(np.asarray(value, dtype=np.float64), (size,))
    if not np.array_equal(np.asarray(got, dtype=np.float64).reshape(-1), want):
        raise Silent(f"{name} set to {value!r} reads {got!r}")


# ----------------------------------------------------------------------------- drives
@st.composite
def _drive_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    drive = draw(st.sampled_from(sorted(_DRIVE_PARAMS)))
    when = draw(st.sampled_from([0, 2]))
    op = draw(st.sampled_from(["set", "set", "set", "unknown", "receptor", "assign"]))
    name = draw(st.sampled_from(sorted(_DRIVE_PARAMS[drive])))
    if op == "set":
        value, expect, why = draw(V.number(_DRIVE_PARAMS[drive][name], N, arrays=False))
        weight = drive == "PoissonInput" and name == "weight"
        if weight and isinstance(value, float) and value < 0:
            expect, why = "invalid", "a negative weight into a conductance"
        if name in ("start", "stop") and expect == "valid":
            expect = "either"
    elif op == "unknown":
        name = draw(st.sampled_from(["rate_", "", "tau", "index"]))
        value, expect, why = 1.0, "invalid", f"unknown parameter {name!r}"
    elif op == "receptor":
        name, value, expect, why = "receptor", "inh", "invalid", "a new receptor"
    else:
        value, expect, why = 1.0, "invalid", f"drive.{name} = 1.0 (frozen)"
    return (
        {"drive": drive, "when": when, "op": op, "name": name, "value": value},
        expect,
        f"{drive}.{op}({name}) at step {when}: {why}",
    )


def run_drive(args: dict[str, Any]) -> str:
    """``AttachedDrive.set``; the value is read back and, at t = 0, run against a new network."""
    net, objs = _build()
    attached = objs[args["drive"]]
    name, value, when = args["name"], args["value"], args["when"]
    if when:
        net.run(when * DT)
    with unchanged(net):
        if args["op"] == "assign":
            setattr(attached, name, value)
        else:
            attached.set(**{name: value})
    got = attached.get(name)
    if not (got is value or np.array_equal(np.asarray(got), np.asarray(value), equal_nan=True)):
        raise Silent(f"drive {name} set to {value!r} reads {got!r}")
    if when == 0:
        _against_built(net, f"set({name}={value!r})", drives={args["drive"]: {name: value}})
    else:
        net.run(2 * DT)
    return "set and ran"


# ----------------------------------------------------------------------------- projections
_SELECT = {
    None: "valid",
    1: "valid",
    (0, 2): "valid",
    "slice": "valid",
    (N,): "invalid",
    (-1,): "invalid",
    "x": "invalid",
    (0.5,): "invalid",
}


@st.composite
def _projection_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    which = draw(st.sampled_from(["plastic", "tsodyks"]))
    when = draw(st.sampled_from([0, 2]))
    op = draw(st.sampled_from(["weight", "weight", "delay", "delay", "learning", "param", "get"]))
    good = [k for k, v in _SELECT.items() if v == "valid"]
    bad = [k for k, v in _SELECT.items() if v == "invalid"]
    # a quarter of the cases select synapses wrongly (on one side), the rest rightly
    wrong = draw(st.sampled_from([None, None, None, "pre", "post"]))
    pre = draw(st.sampled_from(bad if wrong == "pre" else [None, None, *good]))
    post = draw(st.sampled_from(bad if wrong == "post" else [None, None, None, *good]))
    sel_expect = V.worst(_SELECT[pre], _SELECT[post])
    n_sel = _selected(pre) * _selected(post)
    name = op
    if op == "weight":
        value, expect, why = draw(
            st.one_of(
                V.number(1e-9, n_sel),
                st.just((np.full(n_sel, 2e-9), "valid", "one weight per selected synapse")),
                st.just((("uniform", 0.5, 1.5), "valid", "a Uniform law")),
                V.bad("weight", 2e-8, 1e-7, expect="either"),
            )
        )
        if isinstance(value, float) and value < 0 and expect != "invalid":
            expect, why = "invalid", f"a negative weight {value} on a conductance"
        if which == "plastic" and isinstance(value, float) and value > 1e-8 and expect != "invalid":
            expect, why = "invalid", f"weight {value} above w_max 1e-8"
        if isinstance(value, bool) and expect != "invalid":
            expect = "either"
    elif op == "delay":
        value, expect, why = draw(
            st.one_of(
                V.duration(DT),
                V.bad("delay", 0.5, 2.0, 1e300, expect="either"),
                st.just((np.full(n_sel, 3 * DT), "valid", "one delay per selected synapse")),
                st.just((np.full(n_sel + 1, 3 * DT), "invalid", "one delay too many")),
            )
        )
        if isinstance(value, np.ndarray) and value.shape == (n_sel,) and np.all(value >= DT):
            expect, why = "valid", "one delay per selected synapse"
        if why == "not a multiple of dt":
            expect = "either"  # delays are rounded to whole steps, as connect() rounds them
        if why == "half a step":
            expect = "valid"  # rounded up to one step, as NEST rounds delays
        if isinstance(value, float) and value == 0.0:
            expect, why = "invalid", "a zero delay"
    elif op == "learning":
        value, expect, why = draw(V.flag(False))
        if which == "tsodyks" and expect != "invalid":
            expect = "either"  # a static-weight synapse has no learning to switch
        sel_expect = "invalid" if (pre, post) != (None, None) else sel_expect
    elif op == "param":
        name = draw(st.sampled_from([*sorted(_SYN_PARAMS[which]), "u", "bogus"]))
        if name in ("u", "bogus"):
            value, expect, why = 0.5, "invalid", f"{name!r} is no parameter"
        else:
            value, expect, why = draw(V.number(_SYN_PARAMS[which][name], N, arrays=False))
            if (
                name == "w_max"
                and isinstance(value, float)
                and value < 1e-9
                and expect != "invalid"
            ):
                expect, why = "invalid", f"w_max {value} below the weights (1e-9)"
        if name not in _PER_SYNAPSE[which]:
            # one value for the whole projection: no selection of synapses
            sel_expect = "invalid" if (pre, post) != (None, None) else sel_expect
    else:
        name = draw(st.sampled_from(["weight", "delay", "learning", "U", "u", "nothing"]))
        value = None
        known = {"weight", "delay", "learning"} | set(_SYN_PARAMS[which])
        known |= {"u"} if which == "tsodyks" else set()
        expect = "valid" if name in known else "invalid"
        per_synapse = ("weight", "delay", "u", *_PER_SYNAPSE[which])
        if name not in per_synapse and (pre, post) != (None, None):
            expect = "invalid"
        why = f"get({name!r})"
    expect = V.worst(expect, sel_expect)
    return (
        {
            "which": which,
            "when": when,
            "op": op,
            "name": name,
            "value": value,
            "pre": pre,
            "post": post,
        },
        expect,
        f"{which}.{op}({name}, pre={pre!r}, post={post!r}) at step {when}: {why}",
    )


def _selected(sel: Any) -> int:
    return {None: N, 1: 1, (0, 2): 2, "slice": 2}.get(sel, 1)


def _selection(sel: Any) -> Any:
    return {"slice": slice(0, 2)}.get(sel, list(sel) if isinstance(sel, tuple) else sel)


def run_projection(args: dict[str, Any]) -> str:
    """``Projection.set``/``get`` by pre and post; the value is read back and run."""
    net, objs = _build()
    proj = objs[args["which"]]
    name, when = args["name"], args["when"]
    pre, post = _selection(args["pre"]), _selection(args["post"])
    if when:
        net.run(when * DT)
    if args["op"] == "get":
        got = proj.get(name, pre=pre, post=post)
        selected = (args["pre"], args["post"]) != (None, None)
        if name in ("weight", "delay", "u") or (selected and name in _PER_SYNAPSE[args["which"]]):
            n = _selected(args["pre"]) * _selected(args["post"])
            if np.shape(got) != (n,):
                raise Silent(f"get({name!r}) gave shape {np.shape(got)} for {n} synapses")
        return "read"
    value = _value(args["value"], 1e-9)
    with unchanged(net):
        proj.set(pre=pre, post=post, **{name: value})
    got = proj.get(name, pre=pre, post=post)
    if hasattr(value, "draw_at"):
        if not np.all(np.isfinite(got)):
            raise Silent(f"{name} set to a law reads {got}")
    elif name == "delay":
        steps = nearest_steps(np.asarray(value, dtype=np.float64) / DT)
        if not np.allclose(np.asarray(got) / DT, steps, rtol=1e-9, atol=0):
            raise Silent(f"delay set to {value!r} reads {got}")
    elif name == "learning":
        if bool(got) != (bool(value) and args["which"] == "plastic"):
            raise Silent(f"learning set to {value!r} reads {got!r}")
    elif not np.array_equal(
        np.broadcast_to(np.asarray(got, dtype=float), np.shape(got)),
        np.broadcast_to(np.asarray(value, dtype=float), np.shape(got)),
    ):
        raise Silent(f"{name} set to {value!r} reads {got!r}")
    frozen = args["which"] == "tsodyks" or (name == "learning" and not value)
    before = proj.weights()
    net.run(3 * DT)
    if frozen and not np.array_equal(proj.weights(), before):
        raise Silent(f"weights changed without learning: {before} -> {proj.weights()}")
    whole = args["pre"] is None and args["post"] is None and isinstance(value, float)
    if name == "weight" and args["which"] == "plastic" and when == 0 and whole:
        ref, _ = _build(weight=value)
        ref.run(3 * DT)
        if not np.array_equal(ref.projections[0].weights(), proj.weights()):
            raise Silent("weights after set() and a run differ from connect(weight=...)")
    return "set and ran"


# ----------------------------------------------------------------------------- snapshots
@st.composite
def _snapshot_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    op = draw(st.sampled_from(["reset", "reset", "store", "restore", "restore", "restore"]))
    if op == "reset":
        value, expect, why = draw(
            st.one_of(V.ok("initial", "keep"), V.bad("weights", "none", None, 3, "", True))
        )
        change = None
    elif op == "store":
        value, expect, why = draw(st.one_of(V.ok("default", "x"), V.bad("name", "", None, 3)))
        change = None
    else:
        value, expect, why = draw(st.one_of(V.ok("default"), V.bad("name", "other", None, "")))
        change, c_expect, c_why = draw(
            st.one_of(
                V.ok(None, "set-param", "set-weight", "set-delay", "set-drive", "learning"),
                V.bad("change", "population", "connect", "drive", "monitor"),
            )
        )
        expect, why = V.worst(expect, c_expect), f"{why} {c_why}"
    return {"op": op, "value": value, "change": change}, expect, f"{op}: {why}"


def run_snapshot(args: dict[str, Any]) -> str:
    """``reset(weights=...)``, ``store(name)``, ``restore(name)`` after changes."""
    import snn.neurons
    from snn.synapses import AllToAll

    net, objs = _build()
    op, value = args["op"], args["value"]
    proj = objs["plastic"]
    initial = proj.weights()
    net.run(5 * DT)
    if op == "reset":
        learnt = proj.weights()
        with unchanged(net):
            net.reset(weights=value)
        want = initial if value == "initial" else learnt
        if net.step != 0 or not np.array_equal(proj.weights(), want):
            raise Silent(f"after reset(weights={value!r}): step {net.step}, {proj.weights()}")
        return "reset"
    if op == "store":
        with unchanged(net):
            net.store(value)
        return "stored"
    net.store("default")
    stored = fingerprint(net)
    net.run(3 * DT)
    pop = objs["pop"]
    change = args["change"]
    if change == "set-param":
        pop.set(v_th=-0.05)
    elif change == "set-weight":
        proj.set(weight=2e-9)
    elif change == "set-delay":
        proj.set(delay=5 * DT)
    elif change == "set-drive":
        objs["DCSource"].set(amplitude=2e-10)
    elif change == "learning":
        proj.set(learning=False)
    elif change == "population":
        net.add_population(snn.neurons.LIFCondExp(), 2, name="b")
    elif change == "connect":
        net.connect(pop, pop, rule=AllToAll(), weight=1e-9, receptor="exc")
    elif change == "drive":
        net.add_drive(snn.neurons.DCSource(amplitude=1e-10), pop)
    elif change == "monitor":
        net.record_spikes(pop)
    with unchanged(net):
        net.restore(value)
    if fingerprint(net) != stored:
        raise Silent(f"restore() after {change} gives {fingerprint(net)}, stored {stored}")
    net.run(2 * DT)
    return "restored and ran"


# ----------------------------------------------------------------------------- sweep measures
#: what ``run`` may return for a measure: (value, kind) with kind "number", "string", "array
#: <shape>" or "bad" (refused whatever the other point returned)
_MEASURES = [
    (1.5, "number"),
    (3, "number"),
    (True, "number"),
    (math.nan, "number"),
    (np.float32(2.0), "number"),
    (np.array(4.0), "number"),
    ("x", "string"),
    (np.ones(3), "array (3,)"),
    ([1.0, 2.0, 3.0], "array (3,)"),
    (np.arange(4), "array (4,)"),
    (np.zeros((2, 2)), "array (2, 2)"),
    (np.zeros(0), "array (0,)"),
    (None, "bad"),
    ({"a": 1}, "bad"),
    (1 + 2j, "bad"),
    (np.array(["a", "b"]), "bad"),
    (np.array([1 + 1j]), "bad"),
    ([[1.0], [1.0, 2.0]], "bad"),
    ([None, 1.0], "bad"),
    (object(), "bad"),
]


@st.composite
def _sweep_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    a, b = (
        draw(st.sampled_from(range(len(_MEASURES)))),
        draw(st.sampled_from(range(len(_MEASURES)))),
    )
    ka, kb = _MEASURES[a][1], _MEASURES[b][1]
    if "bad" in (ka, kb):
        expect = "invalid"
    elif ka == kb or {ka, kb} == {"number"}:
        expect = "valid"
    else:
        expect = "invalid"  # strings with numbers, an array with a number, two shapes
    return {"a": a, "b": b}, expect, f"{ka} then {kb}"


def _measure_run(built: Any, k: int, a: int, b: int) -> dict[str, Any]:
    built.run(DT)
    return {"m": _MEASURES[a if k == 0 else b][0]}


def _sweep_build() -> Any:
    import snn.neurons
    from snn.core import Network

    net = Network(dt=DT, seed=1)
    net.add_population(snn.neurons.LIFDelta(), 3)
    return net


def run_sweep(args: dict[str, Any]) -> str:
    """A two-point sweep whose run returns the drawn measures; the column must hold them."""
    from functools import partial

    from snn.core import sweep

    a, b = args["a"], args["b"]
    points = [{"k": 0}, {"k": 1}]
    table = sweep(_sweep_build, partial(_measure_run, a=a, b=b), points)
    column = table["m"]
    got = [column[0], column[1]]
    for value, (want, _) in zip(got, (_MEASURES[a], _MEASURES[b]), strict=True):
        want_arr = np.asarray(want, dtype=np.float64) if not isinstance(want, str) else want
        if isinstance(want, str):
            same = value == want
        else:
            same = np.array_equal(np.asarray(value, dtype=np.float64), want_arr, equal_nan=True)
        if not same:
            raise Silent(f"the table holds {value!r} where run returned {want!r}")
    return "tabled"


FAMILIES = [
    Family(
        "live-populations",
        "Population.set/get and PopulationView.set/get on a live network (parameters and "
        "state; numbers, arrays, NaN, inf, magnitudes, Distributions, unknown names, frozen "
        "attributes) before and after a run",
        _population_args(),
        run_population,
        weight=1.0,
    ),
    Family(
        "live-drives",
        "AttachedDrive.set of DCSource and PoissonInput (values, unknown names, receptor, "
        "attribute assignment) before and after a run",
        _drive_args(),
        run_drive,
        weight=0.5,
    ),
    Family(
        "live-projections",
        "Projection.set/get of a plastic and a Tsodyks projection: weights, delays beyond the "
        "ring, learning switch, synapse parameters and variables, by pre and post index",
        _projection_args(),
        run_projection,
        weight=1.0,
    ),
    Family(
        "live-sweeps",
        "sweep() whose run returns numbers, strings, arrays of numbers of one or two shapes, "
        "ragged lists, objects, complex numbers at its two points",
        _sweep_args(),
        run_sweep,
        weight=0.25,
    ),
    Family(
        "live-snapshots",
        "Network.reset(weights=...), store(name), restore(name) after parameter, weight, delay "
        "and structural changes",
        _snapshot_args(),
        run_snapshot,
        weight=0.5,
    ),
]
