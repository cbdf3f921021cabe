"""Fuzz families over the public API: constructors, network building, monitors, runs, encoders.

Every family draws its arguments from :mod:`tests.fuzz._values` and runs the call on a small
network; an accepted call is followed by a short run, where that can reveal a value the
constructor should have refused.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.fuzz import _values as V
from tests.fuzz._harness import Family
from tests.fuzz._worker import Silent, unchanged

DT = 1e-4
N = 3

#: valid values of required fields without a default
REQUIRED: dict[str, dict[str, Any]] = {
    "PoissonSource": {"rate": 20.0},
    "SinusoidalPoissonSource": {"rate": 20.0},
    "SpikeSourceArray": {"times": [2e-4, 3e-4], "indices": [0, 1]},
    "NIRLIF": {"tau": 0.01, "r": 1.0, "v_leak": 0.0, "v_threshold": 0.1},
    "NIRIF": {"r": 1.0, "v_threshold": 0.1},
    "NIRInput": {"events": np.zeros((4, N))},
    "SpikeTrains": {"steps": [2, 3], "ids": [0, 1], "n": N, "dt": DT},
}
#: string fields: their valid choices
CHOICES = {"method": ("rk4", "rkf45", "exp_euler", "euler")}


def _model_classes() -> dict[str, type]:
    """Every neuron model and spike generator class the snn packages export."""
    import snn.encoders
    import snn.io
    import snn.neurons
    import snn.plasticity
    from snn.core import Model

    out = {}
    for mod in (snn.neurons, snn.plasticity, snn.io, snn.encoders):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if isinstance(obj, type) and issubclass(obj, Model) and dataclasses.is_dataclass(obj):
                out[name] = obj
    return out


def _fields(cls: type) -> dict[str, Any]:
    out = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
        else:
            out[f.name] = REQUIRED[cls.__name__][f.name]
    return out


def _value_strategy(name: str, default: Any) -> st.SearchStrategy:
    if name in CHOICES:
        # the methods each model offers differ: another valid name may be refused
        return V.choice(default, CHOICES[name]).map(
            lambda v: (v[0], "either", v[2]) if v[1] == "valid" and v[0] != default else v
        )
    if isinstance(default, bool):
        return V.flag(default)
    if isinstance(default, int | float) and default is not None:
        # a threshold at +inf is a neuron that never fires (its membrane recorded passively)
        return V.number(default, N, inf_ok=name == "v_th")
    return st.just((default, "valid", ""))


@st.composite
def _model_args(draw: Any, classes: tuple[str, ...]) -> tuple[dict[str, Any], str, str]:
    name = draw(st.sampled_from(classes))
    defaults = _fields(_model_classes()[name])
    numeric = [k for k, v in defaults.items() if _value_strategy(k, v) is not None]
    # a model without parameters (ParrotNeuron) is drawn as it is
    chosen = draw(st.lists(st.sampled_from(numeric), max_size=2, unique=True)) if numeric else []
    parts = {k: draw(_value_strategy(k, defaults[k])) for k in chosen}
    kwargs, expect, why = V.combine(parts)
    return {"cls": name, "kwargs": kwargs}, expect, f"{name}({why})"


def _model(args: dict[str, Any]) -> Any:
    cls = _model_classes()[args["cls"]]
    return cls(**{**_fields(cls), **args["kwargs"]})


def run_model(args: dict[str, Any]) -> str:
    """Construct a model; if accepted, add N neurons of it and run 3 steps."""
    from snn.core import Network

    model = _model(args)
    net = Network(dt=DT, seed=1)
    with unchanged(net):
        net.add_population(model, N)
    if any(isinstance(v, np.ndarray) and v.ndim for v in vars(model).values()):
        return "built (per-neuron arrays are not run: one compile per structure)"
    net.run(3 * DT)
    return "ran"


def _all_models() -> tuple[str, ...]:
    return tuple(sorted(_model_classes()))


# ----------------------------------------------------------------------------- networks
def _small(seed: int = 1, model: str = "LIFExp", n: int = N) -> tuple[Any, Any]:
    import snn.neurons
    from snn.core import Network

    net = Network(dt=DT, seed=seed)
    return net, net.add_population(getattr(snn.neurons, model)(), n, name="a")


def _invalid(value: Any, why: str) -> tuple[Any, str, str]:
    return (value, "invalid", why)


@st.composite
def _network_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    table = {
        "dt": (
            V.ok(DT, 0.5e-4),
            st.one_of(
                V.bad("dt", 0.0, -DT, math.nan, math.inf, "0.1", None, [DT]),
                V.bad("dt", 1e-300, 1e-3, expect="either"),
            ),
        ),
        "seed": (V.ok(0, 1, 12345), V.bad("seed", -1, 2.5, "1", None, 2**64, math.nan)),
        "dtype": (V.ok("float64", "float32"), V.bad("dtype", "float16", "int", None, 3)),
        "threads": (V.ok(1, 2, None), V.bad("threads", 0, -1, 1.5, "2", 10**30)),
        "parallel": (V.ok(None, True, False), V.bad("parallel", "yes", 1, 0.0)),
        "comm": (V.ok(None), V.bad("comm", 1, "world", [0])),
        "name": (V.ok("net"), V.bad("name", None, 3, "", expect="either")),
    }
    return V.combine(V.parts(draw, table))


def run_network(kwargs: dict[str, Any]) -> str:
    """``Network(**kwargs)``; an accepted network gets a population and runs 2 steps."""
    import snn.neurons
    from snn.core import Network

    net = Network(**kwargs)
    if net.dt < 1e-7 or net.threads > 2:
        return "built"
    net.add_population(snn.neurons.LIFDelta(), 2)
    net.run(2 * net.dt)
    return "ran"


@st.composite
def _population_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    import snn.neurons

    model = draw(st.sampled_from(["LIFExp", "LIFCondExp", "HHTraubMiles", "AdExCondExp"]))
    names = [v.name for v in getattr(snn.neurons, model).state_vars]
    table = {
        "size": (V.ok(1, N, 20), V.integer(N, low=1, high=50).filter(lambda v: v[1] != "valid")),
        "var": (
            st.sampled_from(names).map(lambda v: (v, "valid", "")),
            V.bad("var", "nothing", "V", ""),
        ),
        "value": (
            st.one_of(st.floats(-0.08, -0.05).map(lambda v: (v, "valid", "")), V.ok("uniform")),
            st.one_of(
                V.bad("init", -3, -1, 0.5, expect="either"),
                V.bad("init", math.nan, math.inf, "x", None, "wrong-length"),
                st.just((np.zeros((2, 2)), "invalid", "2-D init")),
            ),
        ),
    }
    parts = V.parts(draw, table)
    kwargs, expect, why = V.combine(parts)
    value = kwargs["value"]
    whole = isinstance(value, float | int) and math.isfinite(value) and value == int(value)
    if kwargs["var"] == "refr" and isinstance(value, float | int) and not whole:
        expect, why = "invalid", f"{why} a fractional refractory counter"
    if kwargs["var"] != "v" and expect == "valid":
        expect = "either"  # a membrane potential's range for another variable may diverge
    if kwargs["var"] == "refr" and isinstance(value, str) and value == "uniform":
        expect, why = "invalid", f"{why} a refractory counter drawn from Uniform(-70 mV, -60 mV)"
    if kwargs["var"] == "refr" and isinstance(value, float | int) and value < 0:
        expect, why = "invalid", f"{why} a negative refractory counter"
    return {"model": model, **kwargs}, expect, why


def run_population(args: dict[str, Any]) -> str:
    """``add_population(model, size, init={var: value})``; run 2 steps when accepted."""
    import snn.neurons
    from snn.core import Network
    from snn.core.random import Uniform

    net = Network(dt=DT, seed=1)
    value = args["value"]
    if isinstance(value, str) and value == "uniform":
        value = Uniform(low=-0.07, high=-0.06)
    elif isinstance(value, str) and value == "wrong-length":
        size = args["size"]
        value = np.zeros(size + 1) if isinstance(size, int) and 0 < size < 100 else [0.0, 1.0]
    model = getattr(snn.neurons, args["model"])()
    with unchanged(net):
        pop = net.add_population(model, args["size"], init={args["var"]: value})
    if pop.size > 20:
        return "built"
    net.run(2 * DT)
    return "ran"


@st.composite
def _monitor_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    kind = draw(st.sampled_from(["state", "spikes", "rate", "weights", "synapses"]))
    table: dict[str, tuple[st.SearchStrategy, st.SearchStrategy]] = {
        "foreign": (V.ok(False), st.just((True, "invalid", "a population of another network")))
    }
    if kind == "state":
        table["variables"] = (
            V.ok("v", ["v", "i_ex"], ("refr",)),
            V.bad("variables", ["v", "v"], [], "w", ["v", 3], None),
        )
    if kind == "synapses":
        # of a PairSTDP projection: the weight is its only synapse value
        table["variables"] = (
            V.ok("w", ["w"], ("w",)),
            V.bad("variables", ["w", "w"], [], "v", "x", ["w", 3], None, 3),
        )
    if kind in ("state", "weights", "synapses"):
        table["index"] = (
            st.one_of(
                V.ok(None),
                st.lists(st.integers(0, N - 1), min_size=1, max_size=N, unique=True).map(
                    lambda v: (v, "valid", "")
                ),
            ),
            st.one_of(
                # past the end: N neurons, or N * N synapses of the all-to-all projection
                V.bad(
                    "indices",
                    [0, 0, 0],
                    [1, 1],
                    [-1],
                    [N if kind == "state" else N * N],
                    [0.5],
                    [[0, 1]],
                    "all",
                ),
                st.just((np.array([], dtype=np.int64), "either", "no index")),
            ),
        )
        table["interval"] = (
            V.ok(None, DT, 3 * DT),
            V.duration(DT)
            .filter(lambda v: v[1] != "valid" and v[0] is not None)
            .map(lambda v: (0.0, "invalid", "interval 0") if v[2] == "zero" else v),
        )
    kwargs, expect, why = V.combine(V.parts(draw, table))
    return {"kind": kind, **kwargs}, expect, f"{kind}: {why}"


def run_monitor(args: dict[str, Any]) -> str:
    """A monitor call on a small network with a plastic projection; run 3 steps when accepted."""
    from snn.plasticity import PairSTDP
    from snn.synapses import AllToAll

    net, pop = _small()
    proj = net.connect(
        pop, pop, rule=AllToAll(), weight=1e-12, receptor="exc", synapse=PairSTDP(w_max=1e-9)
    )
    target = pop
    if args["foreign"]:
        other, target = _small(2)
        proj = other.connect(
            target,
            target,
            rule=AllToAll(),
            weight=1e-12,
            receptor="exc",
            synapse=PairSTDP(w_max=1e-9),
        )
    kind = args["kind"]
    with unchanged(net):
        if kind == "state":
            net.record_state(
                target, args["variables"], neurons=args["index"], interval=args["interval"]
            )
        elif kind == "spikes":
            net.record_spikes(target)
        elif kind == "rate":
            net.record_rate(target)
        elif kind == "weights":
            net.record_weights(proj, synapses=args["index"], interval=args["interval"])
        else:
            net.record_synapses(
                proj, args["variables"], synapses=args["index"], interval=args["interval"]
            )
    net.run(3 * DT)
    return "ran"


@st.composite
def _run_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    monitor = draw(st.sampled_from([None, "rate", "state", "spikes"]))
    table = {
        "duration": (
            st.integers(0, 20).map(lambda k: (k * DT, "valid", "")),
            V.duration(DT).filter(lambda v: v[1] != "valid"),
        ),
        "checkpoint": (
            V.ok((None, None), ("every", "file")),
            st.sampled_from(
                [
                    (("every", "missing-folder"), "invalid", "checkpoint folder missing"),
                    (("every", "a-folder"), "invalid", "checkpoint path is a folder"),
                    (("every", None), "invalid", "checkpoint_every without a path"),
                    ((None, "file"), "invalid", "a path without checkpoint_every"),
                    (("nan", "file"), "invalid", "checkpoint_every NaN"),
                ]
            ),
        ),
        "progress": (V.ok(False), V.bad("progress", "yes", 2, None)),
    }
    parts = V.parts(draw, table)
    value, expect, why = parts["duration"]
    huge = isinstance(value, float) and value > 1.0
    if huge and (monitor in ("rate", "state") or value / DT >= 2**62):
        expect = "invalid"
    elif huge:
        value, expect, why = 20 * DT, "valid", ""  # a long run without monitors is legitimate
    parts["duration"] = (value, expect, why)
    kwargs, expect, why = V.combine(parts)
    return {"monitor": monitor, **kwargs}, expect, f"monitor {monitor}: {why}"


def run_run(args: dict[str, Any]) -> str:
    """``net.run(duration, ...)`` on a small network with a monitor."""
    from tests.fuzz._worker import TMP

    net, pop = _small()
    if args["monitor"] == "rate":
        net.record_rate(pop)
    elif args["monitor"] == "state":
        net.record_state(pop, "v")
    elif args["monitor"] == "spikes":
        net.record_spikes(pop)
    every, where = args["checkpoint"]
    folder = TMP / "ckpt"
    folder.mkdir(exist_ok=True)
    paths = {
        "missing-folder": TMP / "no" / "such" / "folder" / "c.h5",
        "a-folder": folder,
        "file": folder / "c.h5",
        None: None,
    }
    kw: dict[str, Any] = {}
    if every is not None or where is not None:
        kw = {
            "checkpoint_every": {"every": 5 * DT, "nan": math.nan, None: None}[every],
            "checkpoint_path": paths[where],
        }
    with unchanged(net):
        net.run(args["duration"], progress=args["progress"], **kw)
    return f"ran to step {net.step}"


@st.composite
def _every_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    table = {
        "interval": (
            st.integers(1, 12).map(lambda k: (k * DT, "valid", "")),
            V.duration(DT)
            .filter(lambda v: v[1] != "valid")
            .map(lambda v: (0.0, "invalid", "interval 0") if v[2] == "zero" else v)
            .map(lambda v: (v[0], "either", v[2]) if isinstance(v[0], float) and v[0] > 1 else v),
        ),
        "callback": (V.ok("count"), V.bad("callback", None, 3, "f")),
        "at_zero": (V.ok(False, True), V.bad("at_zero", "yes", None, 2, 0.5)),
    }
    return V.combine(V.parts(draw, table, max_bad=1))


def run_every(args: dict[str, Any]) -> str:
    """``net.every(interval, callback, at_zero=)`` then a 10-step run; the calls are checked."""
    net, _ = _small()
    calls: list[int] = []
    cb = (lambda n: calls.append(n.step)) if args["callback"] == "count" else args["callback"]
    with unchanged(net):
        net.every(args["interval"], cb, at_zero=args["at_zero"])
    net.run(10 * DT)
    every = round(float(args["interval"]) / DT)
    first = 0 if args["at_zero"] else every
    want = [k for k in range(first, 11, every)] if every <= 10 else ([0] if first == 0 else [])
    if calls != want:
        raise Silent(f"callback ran at steps {calls}, expected {want}")
    return "ran"


# ----------------------------------------------------------------------------- connections
_RULES: dict[str, st.SearchStrategy] = {
    "PairwiseBernoulli": st.fixed_dictionaries(
        {
            "p": st.one_of(
                st.sampled_from([0.0, 0.3, 1.0, 1e-19, 1e-300, 5e-324, 1 - 1e-16]).map(
                    lambda v: (v, "valid", "")
                ),
                st.sampled_from([math.nan, 1.5, -0.1, math.inf, "0.1"]).map(
                    lambda v: _invalid(v, f"p={v!r}")
                ),
            ),
            "autapses": V.flag(True),
        }
    ),
    "SymmetricPairwiseBernoulli": st.fixed_dictionaries(
        {
            "p": st.one_of(
                st.sampled_from([0.0, 0.5, 1.0, 1e-300]).map(lambda v: (v, "valid", "")),
                st.sampled_from([math.nan, 2.0, -0.5, "0.5"]).map(
                    lambda v: _invalid(v, f"p={v!r}")
                ),
            ),
            "autapses": V.flag(False),
        }
    ),
    "FixedIndegree": st.fixed_dictionaries(
        {"indegree": V.integer(2, high=N), "autapses": V.flag(True), "multapses": V.flag(False)}
    ),
    "FixedOutdegree": st.fixed_dictionaries(
        {"outdegree": V.integer(2, high=N), "autapses": V.flag(True), "multapses": V.flag(False)}
    ),
    "FixedTotalNumber": st.fixed_dictionaries(
        {"n": V.integer(4, high=N * N), "autapses": V.flag(True), "multapses": V.flag(True)}
    ),
    "AllToAll": st.fixed_dictionaries({"autapses": V.flag(True)}),
    "OneToOne": st.fixed_dictionaries({}),
    "Explicit": st.fixed_dictionaries(
        {
            "pre": st.one_of(
                st.just(([0, 1, 2], "valid", "")),
                st.sampled_from([[0, N], [-1, 0], [0.5, 1.0], [[0, 1]], [0, 1, 2, 0]]).map(
                    lambda v: _invalid(v, f"pre={v!r}") if v != [0, 1, 2, 0] else (v, "valid", "")
                ),
            ),
            "post": st.one_of(
                st.just(([1, 2, 0], "valid", "")),
                st.sampled_from([[0, N], [0], "x"]).map(lambda v: _invalid(v, f"post={v!r}")),
            ),
        }
    ),
}


@st.composite
def _connect_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    rule = draw(st.sampled_from(sorted(_RULES)))
    rparts = draw(_RULES[rule])
    rkw, r_expect, r_why = V.combine(rparts)
    if rule == "Explicit" and len(rkw["pre"]) != len(rkw["post"]) and r_expect != "invalid":
        r_expect, r_why = "invalid", "pre and post of different lengths"
    if rule in ("FixedIndegree", "FixedOutdegree", "FixedTotalNumber") and r_expect == "valid":
        r_expect = "either"  # a degree or count above what the populations allow
    model = draw(st.sampled_from(["LIFExp", "LIFCondExp"]))
    table = {
        "weight": (
            st.one_of(
                st.floats(1e-12, 1e-10).map(lambda v: (v, "valid", "")),
                V.ok(np.full((N, N), 1e-12), "normal"),
            ),
            st.one_of(
                st.floats(-1e-10, -1e-12).map(lambda v: (v, "either", "a negative weight")),
                V.bad("weight", math.nan, math.inf, "1 pA", None),
                st.just((np.full((N, N + 1), 1e-12), "invalid", "a matrix of the wrong shape")),
            ),
        ),
        "delay": (
            V.ok(None, DT, 1.5e-3, "uniform"),
            st.one_of(
                V.bad("delay", 0.0, -DT, DT / 3, math.nan, math.inf, "1 ms"),
                V.bad("delay", 1.5 * DT, 1e4, 1e300, 2**62 * DT, expect="either"),
            ),
        ),
        "receptor": (V.ok("exc", "inh"), V.bad("receptor", None, "bogus", 3)),
        "synapse": (
            V.ok(None, "tsodyks", 1e-9),
            st.one_of(V.bad("synapse", 1e-11, 1e-13, expect="either"), V.bad("synapse", 3, "stdp")),
        ),
        "target": (
            V.ok("self", "view", "other"),
            st.just(("foreign", "invalid", "a population of another network")),
        ),
    }
    kwargs, expect, why = V.combine(V.parts(draw, table))
    w = kwargs["weight"]
    if kwargs["receptor"] == "inh" and isinstance(w, float) and w > 0 and model == "LIFExp":
        expect, why = "invalid", "a positive weight on the inhibitory current receptor"
    if kwargs["receptor"] == "exc" and isinstance(w, float) and w < 0:
        expect, why = "invalid", "a negative weight on an excitatory receptor"
    if (
        isinstance(kwargs["synapse"], float)
        and isinstance(w, float)
        and not 0 <= w <= kwargs["synapse"]
    ):
        expect, why = V.worst(expect, "invalid"), f"{why}, weight outside [0, w_max]"
    if isinstance(kwargs["synapse"], float) and isinstance(w, str):
        expect = V.worst(expect, "either")  # a Normal law reaches outside [0, w_max]
    if (
        isinstance(w, np.ndarray)
        and kwargs["receptor"] == "inh"
        and model == "LIFExp"
        and (w > 0).any()
    ):
        expect, why = "invalid", f"{why} positive weights on the inhibitory current receptor"
    if isinstance(w, np.ndarray) and kwargs["target"] == "other":
        expect, why = "invalid", f"{why} a 3 x 3 weight matrix for 3 x 5 pairs"
    if isinstance(w, str) and kwargs["receptor"] == "inh" and model == "LIFExp":
        expect = V.worst(expect, "either")  # a normal law's positive weights on inh
    if rule == "Explicit" and isinstance(w, np.ndarray):
        expect, why = "invalid", "a weight matrix for explicit synapses (one weight each)"
    if rule == "OneToOne" and kwargs["target"] == "other":
        expect, why = V.worst(expect, "invalid"), f"{why} OneToOne between sizes 3 and 5"
    if rule == "SymmetricPairwiseBernoulli" and kwargs["target"] == "other":
        expect, why = V.worst(expect, "invalid"), f"{why} a symmetric rule between two populations"
    if rule == "SymmetricPairwiseBernoulli" and kwargs["target"] == "view":
        expect = V.worst(expect, "either")  # the same neurons or not, as the view is made
    expect = V.worst(expect, r_expect)
    args = {"rule": rule, "rule_kw": rkw, "model": model, **kwargs}
    return args, expect, f"{rule}({r_why}) {why}"


def run_connect(args: dict[str, Any]) -> str:
    """``net.connect(...)`` on a small network; a made projection then runs 3 steps."""
    import snn.synapses
    from snn.core.random import Clipped, Normal, Uniform
    from snn.plasticity import PairSTDP

    net, a = _small(model=args["model"])
    b = net.add_population(a.model, N + 2, name="b")
    post = {"self": a, "view": b[1 : N + 1], "other": b, "foreign": _small(2)[1]}[args["target"]]
    rule = getattr(snn.synapses, args["rule"])(**args["rule_kw"])
    weight = args["weight"]
    if isinstance(weight, str) and weight == "normal":
        # clipped at zero: an unclipped normal draws weights of the wrong sign for the receptor
        # (refused with the value) or not, depending on the draw
        weight = Clipped(Normal(mean=1e-11, std=1e-11), low=0.0)
    delay = args["delay"]
    if isinstance(delay, str) and delay == "uniform":
        delay = Uniform(low=0.0, high=2e-3)
    synapse = args["synapse"]
    if isinstance(synapse, float):
        synapse = PairSTDP(w_max=synapse)
    elif synapse == "tsodyks":
        synapse = snn.synapses.TsodyksSynapse()
    with unchanged(net):
        net.connect(
            a,
            post,
            rule=rule,
            weight=weight,
            delay=delay,
            receptor=args["receptor"],
            synapse=synapse,
        )
    net.run(3 * DT)
    return "ran"


# ----------------------------------------------------------------------------- drives
_DRIVES: dict[str, dict[str, Any]] = {
    "PoissonInput": {"rate": 1000.0, "weight": 1e-11, "start": 0.0, "stop": math.inf},
    "DCSource": {"amplitude": 1e-10, "start": 0.0, "stop": math.inf},
    "StepCurrent": {"times": [0.0, 2e-4], "amplitudes": [1e-10, -1e-10]},
    "SineCurrent": {
        "amplitude": 1e-10,
        "frequency": 10.0,
        "phase": 0.0,
        "offset": 0.0,
        "start": 0.0,
        "stop": math.inf,
    },
    "NoiseCurrent": {"mean": 0.0, "std": 1e-11, "interval": None, "start": 0.0, "stop": math.inf},
    "SinusoidalPoissonInput": {
        "rate": 1000.0,
        "weight": 1e-11,
        "amplitude": 500.0,
        "frequency": 10.0,
        "phase": 0.0,
        "individual_spike_trains": True,
    },
    "InhomogeneousPoissonInput": {
        "rate_times": [1e-4, 2e-4],
        "rate_values": [1000.0, 0.0],
        "weight": 1e-11,
        "allow_offgrid_times": False,
    },
}
_POISSON_DRIVES = ("PoissonInput", "SinusoidalPoissonInput", "InhomogeneousPoissonInput")


def _lowest_input(name: str, value: dict[str, Any]) -> Any:
    """The lowest value a drive adds to its receptor (for the conductance sign check)."""
    try:
        if name in _POISSON_DRIVES:
            return min(float(value["weight"]), 0.0)
        if name == "DCSource":
            return min(float(value["amplitude"]), 0.0)
        if name == "StepCurrent":
            return min(float(np.min(np.asarray(value["amplitudes"], dtype=float))), 0.0)
        if name == "SineCurrent":
            return float(value["offset"]) - abs(float(value["amplitude"]))
        return -math.inf if float(value["std"]) else float(value["mean"])
    except (TypeError, ValueError):
        return None


@st.composite
def _drive_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    name = draw(st.sampled_from(sorted(_DRIVES)))
    defaults = _DRIVES[name]
    chosen = draw(st.lists(st.sampled_from(sorted(defaults)), max_size=2, unique=True))
    parts = {}
    for k in chosen:
        d = defaults[k]
        if isinstance(d, bool):
            parts[k] = draw(V.flag(d))
        elif isinstance(d, list):
            ok = [d, [0.0, 0.0], [1.0, 0.5]] if k in ("amplitudes", "rate_values") else [d]
            ok += [[0.0, 0.5]] if k == "times" else [[3e-4, 5e-4]] if k == "rate_times" else []
            bad = [[[0.0, 1.0]], [math.nan, 1.0], []]
            if k in ("times", "rate_times"):
                bad += [[1.0, 0.5], [0.0, 0.0], [-1.0, 0.0]]
            if k == "rate_values":
                bad += [[-1.0, 5.0], [math.inf, 1.0]]
            parts[k] = draw(
                st.one_of(
                    st.sampled_from(ok).map(lambda v: (v, "valid", "")),
                    st.sampled_from(bad).map(lambda v: _invalid(v, f"{v!r}")),
                )
            )
        elif d is None:
            parts[k] = draw(V.duration(DT))
        else:
            parts[k] = draw(V.number(d, N, arrays=False))
    kwargs, expect, why = V.combine(parts)
    model = draw(st.sampled_from(["LIFExp", "LIFCondExp"]))
    receptor = draw(st.sampled_from([None, "exc", "current", "bogus"]))
    if receptor == "bogus":
        expect, why = "invalid", f"{why} receptor 'bogus'"
    if receptor == "current" and name in _POISSON_DRIVES:
        receptor = None
    import snn.neurons

    sign = {r.name: r.sign for r in getattr(snn.neurons, model).receptors}.get(receptor or "")
    signed = sign == 1  # a conductance or an excitatory current: >= 0
    if signed and expect != "invalid":
        value = {**defaults, **kwargs}
        low = _lowest_input(name, value)
        if isinstance(low, float | int) and not isinstance(low, bool) and low < 0:
            expect, why = "invalid", f"{why} a negative input into a conductance"
    if name in _POISSON_DRIVES and receptor is None:
        expect = V.worst(expect, "invalid")  # two spike receptors: the drive must name one
    return (
        {"drive": name, "kwargs": kwargs, "model": model, "receptor": receptor},
        expect,
        (f"{name}({why}) into {model}.{receptor}"),
    )


def run_drive(args: dict[str, Any]) -> str:
    """Construct a drive and add it to a small population; run 3 steps when accepted."""
    import snn.neurons

    cls = getattr(snn.neurons, args["drive"])
    drive = cls(**{**_DRIVES[args["drive"]], **args["kwargs"], "receptor": args["receptor"]})
    net, pop = _small(model=args["model"])
    with unchanged(net):
        net.add_drive(drive, pop)
    net.run(3 * DT)
    return "ran"


# ----------------------------------------------------------------------------- synapse models
_SYNAPSES: dict[str, dict[str, Any]] = {
    "PairSTDP": {
        "tau_plus": 0.02,
        "tau_minus": 0.02,
        "learning_rate": 0.01,
        "alpha": 1.05,
        "w_max": 1e-9,
    },
    "TripletSTDP": {
        "tau_plus": 0.0168,
        "tau_minus": 0.0337,
        "tau_x": 0.101,
        "tau_y": 0.114,
        "a3_plus": 0.0065,
        "a2_minus": 0.0071,
        "w_ref": 1e-10,
        "w_max": 1e-9,
    },
    "InhibitorySTDP": {"tau": 0.02, "eta": 1e-11, "rho_0": 3.0, "w_max": 1e-9},
    "TsodyksSynapse": {
        "U": 0.5,
        "tau_psc": 0.003,
        "tau_rec": 0.8,
        "tau_fac": 0.0,
        "u0": 0.0,
        "x0": 1.0,
        "y0": 0.0,
    },
    "Tsodyks2Synapse": {"U": 0.5, "tau_rec": 0.8, "tau_fac": 0.0, "x0": 1.0},
    "GapJunction": {},
}


@st.composite
def _synapse_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    name = draw(st.sampled_from(sorted(_SYNAPSES)))
    defaults = _SYNAPSES[name]
    chosen = (
        draw(st.lists(st.sampled_from(sorted(defaults)), max_size=2, unique=True))
        if defaults
        else []
    )
    parts = {k: draw(V.number(defaults[k], N, arrays=True)) for k in chosen}
    if name in ("PairSTDP", "TripletSTDP", "InhibitorySTDP") and draw(st.booleans()):
        parts["pairing" if name != "InhibitorySTDP" else "w_max"] = (
            draw(V.choice("all_to_all", ("all_to_all", "nearest")))
            if name != "InhibitorySTDP"
            else parts.get("w_max", (defaults["w_max"], "valid", ""))
        )
    kwargs, expect, why = V.combine(parts)
    weight = draw(st.sampled_from([5e-10, 2e-9, -1e-10, 0.0]))
    w_max = kwargs.get("w_max", defaults.get("w_max"))
    receptor = "inh" if name == "InhibitorySTDP" else "exc"
    if name == "InhibitorySTDP":
        weight = abs(weight)
    if name == "GapJunction":
        # a coupling feeds a current receptor; a conductance receptor is refused
        receptor = draw(st.sampled_from(["current", "exc"]))
        if receptor == "exc":
            expect, why = "invalid", f"{why} a gap junction into a conductance receptor"
    if weight < 0:
        expect, why = "invalid", f"{why} a negative weight on an excitatory receptor"
    elif (
        isinstance(w_max, float)
        and not isinstance(w_max, bool)
        and math.isfinite(w_max)
        and w_max > 0
        and weight > w_max
        and expect != "invalid"
    ):
        expect, why = "invalid", f"{why} initial weight {weight} above w_max {w_max}"
    return (
        {"name": name, "kwargs": kwargs, "weight": weight, "receptor": receptor},
        expect,
        (f"{name}({why}) weight {weight}"),
    )


def run_synapse(args: dict[str, Any]) -> str:
    """A synapse model (or a gap junction) on an all-to-all projection of a small LIFCondExp
    network; run 3 steps."""
    import snn.plasticity
    import snn.synapses

    name = args["name"]
    module = snn.plasticity if hasattr(snn.plasticity, name) else snn.synapses
    model = getattr(module, name)(**{**_SYNAPSES[name], **args["kwargs"]})
    net, pop = _small(model="LIFCondExp")
    from snn.synapses import AllToAll

    with unchanged(net):
        net.connect(
            pop,
            pop,
            rule=AllToAll(),
            weight=args["weight"],
            receptor=args["receptor"],
            synapse=model,
        )
    net.run(3 * DT)
    return "ran"


# ----------------------------------------------------------------------------- slow processes
@st.composite
def _process_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    kind = draw(st.sampled_from(["scaling", "normalization", "modulator"]))
    table: dict[str, tuple[st.SearchStrategy, st.SearchStrategy]] = {
        "network": (V.ok("own"), V.bad("network", None, "other", 3)),
        "interval": (
            V.ok(DT, 5 * DT),
            V.duration(DT)
            .filter(lambda v: v[1] != "valid")
            .map(lambda v: (0.0, "invalid", "interval 0") if v[2] == "zero" else v),
        ),
    }
    if kind != "modulator":
        table["projection"] = (V.ok("plastic"), V.bad("projection", None, "static", "foreign"))
    if kind == "scaling":
        table["target_rate"] = (V.ok(5.0, 0.0), V.number(5.0, N, arrays=False))
        table["w_max"] = (V.ok(None, 1e-9), V.bad("w_max", -1.0, math.nan, 0.0, "x"))
    elif kind == "normalization":
        table["total"] = (V.ok(1e-9), V.number(1e-9, N, arrays=False))
    else:
        table["tau"] = (V.ok(0.2), V.number(0.2, N, arrays=False))
        table["baseline"] = (V.ok(0.0, 0.1), V.number(0.0, N, arrays=False))
    if kind == "modulator":
        table["network"] = (V.ok("own", "other"), V.bad("network", None, 3))
    parts = V.parts(draw, table)
    if parts["network"][0] == "other" and parts.get("projection", (None,))[0] == "foreign":
        # the other network's own projection: the pair is valid after all
        parts["network"] = ("other", "valid", "")
        parts["projection"] = ("foreign", "valid", "")
    kwargs, expect, why = V.combine(parts)
    if isinstance(kwargs["interval"], float) and kwargs["interval"] > 1.0:
        expect = V.worst(expect, "either")
    return {"kind": kind, **kwargs}, expect, f"{kind}: {why}"


def run_process(args: dict[str, Any]) -> str:
    """SynapticScaling / WeightNormalization / Neuromodulator (+ RewardSTDP) on a small network."""
    from snn.plasticity import (
        Neuromodulator,
        PairSTDP,
        RewardSTDP,
        SynapticScaling,
        WeightNormalization,
    )
    from snn.synapses import AllToAll

    net, pop = _small(model="LIFCondExp")
    other, opop = _small(2, model="LIFCondExp")
    plastic = net.connect(
        pop, pop, rule=AllToAll(), weight=1e-10, receptor="exc", synapse=PairSTDP(w_max=1e-9)
    )
    static = net.connect(pop, pop, rule=AllToAll(), weight=1e-10, receptor="exc")
    foreign = other.connect(
        opop, opop, rule=AllToAll(), weight=1e-10, receptor="exc", synapse=PairSTDP(w_max=1e-9)
    )
    network = {"own": net, "other": other}.get(args["network"], args["network"])
    kind = args["kind"]
    with unchanged(net, other):
        if kind == "modulator":
            mod = Neuromodulator(
                network, tau=args["tau"], baseline=args["baseline"], interval=args["interval"]
            )
        else:
            proj = {"plastic": plastic, "static": static, "foreign": foreign}.get(
                args["projection"], args["projection"]
            )
            if kind == "scaling":
                SynapticScaling(
                    network,
                    proj,
                    target_rate=args["target_rate"],
                    interval=args["interval"],
                    w_max=args["w_max"],
                )
            else:
                WeightNormalization(network, proj, total=args["total"], interval=args["interval"])
    if kind == "modulator":
        # the modulator's own network only: a RewardSTDP of another network must be refused
        elsewhere, epop = (other, opop) if network is net else (net, pop)
        with unchanged(elsewhere):
            try:
                elsewhere.connect(
                    epop,
                    epop,
                    rule=AllToAll(),
                    weight=1e-10,
                    receptor="exc",
                    synapse=RewardSTDP(modulator=mod, w_max=1e-9),
                )
            except Exception as exc:
                if "another network" not in str(exc):
                    raise
            else:
                raise Silent("a RewardSTDP in another network than its modulator's was accepted")
    net.run(5 * DT)
    return "ran"


# ----------------------------------------------------------------------------- encoders
_PROCESSES: dict[str, dict[str, Any]] = {
    "PoissonProcess": {"rate": 50.0},
    "DeadTimePoissonProcess": {"rate": 50.0, "dead_time": 2e-3},
    "GammaProcess": {"rate": 50.0, "order": 2},
    "InhomogeneousPoissonProcess": {"rate": [10.0, 50.0] * 10, "interval": 1e-3},
    "RegularProcess": {"rate": 50.0, "phase": 0.0},
    "JitteredProcess": {"rate": 50.0, "jitter": 1e-3, "phase": 0.0},
}
_ENCODERS: dict[str, dict[str, Any]] = {
    "PoissonEncoder": {"max_rate": 100.0, "min_rate": 0.0},
    "BernoulliEncoder": {"gain": 0.5},
    "LatencyEncoder": {"t_max": 5e-3, "threshold": 0.0},
    "RankOrderEncoder": {"threshold": 0.0},
    "BurstEncoder": {"max_spikes": 3, "t_min": 2e-4, "t_max": 1e-3},
    "DeltaEncoder": {"threshold": 0.1},
    "PopulationEncoder": {"n_neurons": 9, "max_rate": 100.0},
}


def _param(d: Any) -> st.SearchStrategy:
    if isinstance(d, list):
        return st.one_of(
            V.ok(d),
            V.bad("rate", [[math.nan, 1.0]], [-1.0, 2.0], [], "x"),
        )
    if isinstance(d, bool):
        return V.flag(d)
    if isinstance(d, int):
        return V.integer(d, low=1, high=10)
    return V.number(d, N, arrays=False)


@st.composite
def _encoder_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    kind = draw(st.sampled_from(["process", "encoder", "decoder"]))
    if kind == "process":
        name = draw(st.sampled_from(sorted(_PROCESSES)))
        defaults = _PROCESSES[name]
        table = {k: (V.ok(v), _param(v)) for k, v in defaults.items()}
        table["n"] = (
            V.ok(1, 4),
            st.one_of(
                V.integer(4, low=1, high=10).filter(lambda v: v[1] != "valid"),
                V.bad("n", 10**9, 10**12, expect="either"),
            ),
        )
        table["duration"] = (V.ok(10 * DT, 1e-2), V.duration(DT).filter(lambda v: v[1] != "valid"))
        table["seed"] = (V.ok(0, 7), V.bad("seed", -1, 2.5, "3", None, 2**70))
        table["start"] = (V.ok(0.0, 5 * DT), V.bad("start", -DT, math.nan, DT / 2, 1e300))
    elif kind == "encoder":
        name = draw(st.sampled_from(sorted(_ENCODERS)))
        defaults = _ENCODERS[name]
        table = {k: (V.ok(v), _param(v)) for k, v in defaults.items()}
        if name == "PopulationEncoder":
            # the fields reach 3 sigma beyond the range: n_neurons > 6 * width + 1 = 7
            table["n_neurons"] = (V.ok(9), V.integer(9, low=8, high=10))
        if name == "RankOrderEncoder":
            # -inf (the default) lets every input spike; +inf none (refused)
            table["threshold"] = (
                V.ok(0.0, -math.inf),
                st.one_of(
                    _param(0.0).filter(
                        lambda v: not (isinstance(v[0], float) and math.isinf(v[0]))
                    ),
                    V.bad("threshold", math.inf, math.nan),
                ),
            )
        table["data"] = (
            V.ok("uniform"),
            st.one_of(
                V.bad("data", "nan", "empty", "strings"),
                V.bad("data", "huge", "3-D", expect="either"),
            ),
        )
        table["presentation"] = (V.ok(100 * DT), V.duration(DT).filter(lambda v: v[1] != "valid"))
        table["seed"] = (V.ok(0), V.bad("seed", -1, 2.5, None))
    else:
        name = draw(st.sampled_from(["population_vector", "binned_counts"]))
        if name == "population_vector":
            table = {
                "counts": (V.ok("counts"), V.bad("counts", "nan", "negative", "3-D", "ragged")),
                "centres": (V.ok("linear"), V.bad("centres", "nan", "2-D", "wrong-length")),
            }
        else:
            table = {
                "width": (V.ok(2 * DT), V.duration(DT).filter(lambda v: v[1] != "valid")),
                "first_id": (V.ok(0), V.bad("first_id", -1, 2.5, None, 5)),
            }
    kwargs, expect, why = V.combine(V.parts(draw, table))
    if kind == "encoder" and name == "DeltaEncoder" and kwargs.get("data") == "uniform":
        expect = V.worst(expect, "either")  # takes time series
    if kind == "process" or kind == "encoder":
        expect = V.worst(expect, "valid" if expect == "valid" else expect)
    return {"kind": kind, "name": name, **kwargs}, expect, f"{name}: {why}"


def _data(which: str) -> Any:
    rng = np.random.default_rng(0)
    return {
        "uniform": rng.uniform(0, 1, (2, 4)),
        "nan": np.array([[0.5, math.nan]]),
        "3-D": rng.uniform(0, 1, (2, 3, 4, 5)),
        "empty": np.zeros((0, 4)),
        "strings": [["a", "b"]],
        "huge": np.full((2, 4), 1e300),
    }[which]


def run_encoder(args: dict[str, Any]) -> str:
    """A spike process's trains, an encoder's encode, or a decoder on encoded spikes."""
    import snn.encoders as E

    kind, name = args["kind"], args["name"]
    if kind == "process":
        keys = [k for k in _PROCESSES[name]]
        proc = getattr(E, name)(**{k: args[k] for k in keys})
        trains = proc.trains(
            args["n"], args["duration"], dt=DT, seed=args["seed"], start=args["start"]
        )
        return f"{trains.n_spikes} spikes"
    if kind == "encoder":
        enc = getattr(E, name)(**{k: args[k] for k in _ENCODERS[name]})
        trains = enc.encode(_data(args["data"]), args["presentation"], dt=DT, seed=args["seed"])
        return f"{trains.n_spikes} spikes"
    trains = E.PoissonEncoder(max_rate=500.0).encode(_data("uniform"), 10 * DT, dt=DT)
    if name == "binned_counts":
        binned = E.binned_counts(
            trains, args["width"], duration=trains.schedule.duration, first_id=args["first_id"]
        )
        return str(binned.shape)
    counts = E.spike_counts(trains, trains.schedule)
    counts = {
        "counts": counts,
        "nan": np.where(counts == counts.max(), np.nan, counts),
        "negative": -counts - 1,
        "3-D": counts[None, None],
        "ragged": [[1, 2], [3]],
    }[args["counts"]]
    centres = {
        "linear": np.linspace(0, 1, 4),
        "nan": [0.0, math.nan, 1.0, 2.0],
        "2-D": np.zeros((2, 2)),
        "wrong-length": [0.0, 1.0, 2.0],
    }[args["centres"]]
    return str(E.population_vector(counts, centres).shape)


# ----------------------------------------------------------------------------- space, laws
@st.composite
def _spatial_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    table = {
        "layout": (
            V.ok(("grid", (3, 3)), ("random", (1e-3, 1e-3)), ("grid", (2, 2, 2))),
            st.one_of(
                V.bad(
                    "layout",
                    ("grid", (0, 3)),
                    ("grid", (3,)),
                    ("grid", (2.5, 3)),
                    ("random", (-1e-3, 1e-3)),
                    ("random", (math.nan, 1e-3)),
                    ("random", (1e-3,)),
                    ("random", (1e-3, 1e-3, 1e-3, 1e-3)),
                ),
                V.bad("layout", ("random", (1e300, 1e300)), expect="either"),
            ),
        ),
        "kernel": (
            V.ok(("gaussian", 5e-4), ("exponential", 5e-4), ("step", 5e-4)),
            st.one_of(
                V.bad(
                    "kernel",
                    ("gaussian", 0.0),
                    ("gaussian", -1.0),
                    ("step", math.nan),
                    ("exponential", math.inf),
                    ("gaussian", "x"),
                ),
                V.bad("kernel", ("gaussian", 1e-300), ("step", 1e300), expect="either"),
            ),
        ),
        "rule": (
            # p_max above 1: Brian2's capped probability (pairs with p_max k(d) >= 1 connect)
            V.ok(("dependent", 1.0), ("dependent", 0.5), ("dependent", 1.5), ("indegree", 2)),
            V.bad(
                "rule",
                ("dependent", math.inf),
                ("dependent", -0.1),
                ("indegree", -1),
                ("indegree", 2.5),
                ("dependent", math.nan),
            ),
        ),
        "mask": (
            V.ok(None, 1e-3),
            V.bad("mask_radius", 0.0, -1e-3, math.nan, "x"),
        ),
        "delay": (
            V.ok(None, ("distance", 1e-3, 1.0), ("normal", 2e-3, 1e-4)),
            st.one_of(
                V.bad(
                    "delay",
                    ("distance", -1e-3, 1.0),
                    ("distance", 1e-3, 0.0),
                    ("distance", 1e-3, math.nan),
                    ("normal", 2e-3, -1e-4),
                    ("normal", math.nan, 1e-4),
                ),
                V.bad("delay", ("distance", 1e-3, 1e-300), ("normal", 2e-3, 1e-2), expect="either"),
            ),
        ),
    }
    kwargs, expect, why = V.combine(V.parts(draw, table))
    if kwargs["rule"][0] == "indegree" and expect == "valid":
        expect = "either"  # an in-degree above what the mask holds without multapses
    return kwargs, expect, why


def run_spatial(args: dict[str, Any]) -> str:
    """Two populations with positions, a spatial rule, maybe a distance delay; run 3 steps."""
    from snn.core import Network
    from snn.core.random import Clipped, Normal
    from snn.neurons import LIFExp
    from snn.synapses import (
        DistanceDelay,
        DistanceDependent,
        DistanceFixedIndegree,
        ExponentialKernel,
        GaussianKernel,
        Grid,
        RandomPositions,
        StepKernel,
    )

    kind, shape = args["layout"]
    layout = Grid(shape) if kind == "grid" else RandomPositions(shape)
    kname, width = args["kernel"]
    kernel = {
        "gaussian": GaussianKernel(sigma=width),
        "exponential": ExponentialKernel(scale=width),
        "step": StepKernel(radius=width),
    }[kname]
    rname, value = args["rule"]
    if rname == "dependent":
        rule = DistanceDependent(kernel, p_max=value, mask_radius=args["mask"])
    else:
        rule = DistanceFixedIndegree(kernel, indegree=value, mask_radius=args["mask"])
    delay = args["delay"]
    if isinstance(delay, tuple) and delay[0] == "distance":
        delay = DistanceDelay(base=delay[1], velocity=delay[2])
    elif isinstance(delay, tuple):
        delay = Clipped(Normal(mean=delay[1], std=delay[2]), low=DT)
    net = Network(dt=DT, seed=2)
    size = int(np.prod(shape)) if kind == "grid" else 9
    with unchanged(net):
        a = net.add_population(LIFExp(), size, name="a", positions=layout)
    with unchanged(net):
        net.connect(a, a, rule=rule, weight=1e-12, delay=delay, receptor="exc")
    net.run(3 * DT)
    return "ran"


# ----------------------------------------------------------------------------- equations
_EQUATIONS = """
dv/dt = (E_L - v) / tau_m + I_syn / C_m : volt (unless refractory)
dI_syn/dt = -I_syn / tau_s : amp
tau_m : second
tau_s : second
C_m : farad
E_L : volt
V_th : volt
V_reset : volt
"""
_EQ_PARAMS = {
    "tau_m": 10e-3,
    "tau_s": 2e-3,
    "C_m": 250e-12,
    "E_L": -70e-3,
    "V_th": -55e-3,
    "V_reset": -70e-3,
}
_EQ_INSERTS = (
    "(",
    ")",
    "*",
    "/",
    ":",
    "$",
    "\x00",
    "é",
    "__import__('os')",
    "1e999",
    "**",
    "\n",
    "exp(",
    " : parsec",
    "v.__class__",
    "lambda: 0",
    "[v]",
    "{v}",
    "v if v else v",
    "@",
    # Brian2's index and size, and the noise, where they may or may not be
    " + i / N",
    " * i",
    " + xi",
    "neuron_index",
)

#: changes of a model text shared by the neuron and synapse equation families
_TEXT_CHANGES = ("insert", "delete", "duplicate", "empty", "long")


def _changed_text(text: str, how: str, k: int, extra: str) -> str:
    """``text`` with ``extra`` inserted, characters deleted, a line doubled, emptied or padded."""
    if how == "insert":
        at = k % len(text)
        return text[:at] + extra + text[at:]
    if how == "delete":
        at = k % len(text)
        return text[:at] + text[at + 1 + k % 5 :]
    if how == "duplicate":
        lines = text.strip().splitlines()
        lines.insert(k % len(lines), lines[k % len(lines)])
        return "\n".join(lines)
    if how == "empty":
        return ""
    return text + "\n" + "dq/dt = -q / tau_m : 1\n" * (1 + k % 400)


@st.composite
def _equation_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    how = draw(
        st.sampled_from(
            (
                "none",
                "none",
                "insert",
                "insert",
                "delete",
                "duplicate",
                "empty",
                "long",
                "nested",
                "threshold",
                "reset",
                "every_step",
                "on_spike",
                "refractory",
                "method",
                "name",
            )
        )
    )
    k = draw(st.integers(0, 10**6))
    extra = draw(st.sampled_from(_EQ_INSERTS))
    return (
        {"how": how, "k": k, "extra": extra},
        "valid" if how == "none" else "either",
        (f"{how} #{k} {extra!r}"),
    )


def run_equations(args: dict[str, Any]) -> str:
    """neuron_model on a changed model text; a class that is made runs a few steps."""
    from snn.core import Network
    from snn.equations import neuron_model
    from snn.synapses import AllToAll

    how, k, extra = args["how"], args["k"], args["extra"]
    text = _EQUATIONS
    kw: dict[str, Any] = {
        "threshold": "v > V_th",
        "reset": "v = V_reset",
        "refractory": 2e-3,
        "on_spike": {"exc": "I_syn += w"},
        "initial": {"v": "E_L"},
    }
    name = "Fuzzed"
    if how in _TEXT_CHANGES:
        text = _changed_text(text, how, k, extra)
    elif how == "nested":
        depth = 50 + k % 2000
        text = text.replace("(E_L - v)", "(" * depth + "E_L - v" + ")" * depth)
    elif how in ("threshold", "reset"):
        kw[how] = kw[how][: k % len(kw[how])] + extra
    elif how == "every_step":
        # a clamp (Brian2's run_regularly), cut and with a drawn insertion, or not a text
        clamp = "v = minimum(v, V_th)"
        kw[how] = [clamp, clamp[: k % len(clamp)] + extra, 3, None][k % 4]
    elif how == "on_spike":
        kw["on_spike"] = {extra: "I_syn += w"} if k % 2 else {"exc": "I_syn += " + extra}
    elif how == "refractory":
        kw["refractory"] = [-1e-3, math.nan, math.inf, "v > 2", "x", 1e300, None][k % 7]
    elif how == "method":
        kw["method"] = ["euler", "rk4", "exact", "bogus", "", 3][k % 6]
    elif how == "name":
        name = ["", "1abc", "class", "a b", extra, "X" * 10_000][k % 6]
    cls = neuron_model(name, text, **kw)
    fields = {f.name for f in dataclasses.fields(cls)}
    if not fields <= set(_EQ_PARAMS):
        return "model made (parameters changed, not run)"
    net = Network(dt=DT, seed=1)
    pop = net.add_population(cls(**{p: _EQ_PARAMS[p] for p in fields}), N)
    if "exc" in {r.name for r in cls.receptors}:
        net.connect(pop, pop, rule=AllToAll(), weight=1e-12, receptor="exc")
    net.run(3 * DT)
    return "ran"


# ----------------------------------------------------------------------------- synapse equations
_SYN_TEXTS = {
    # Song, Miller & Abbott (2000) pair STDP in Brian2's form (event-driven traces)
    "stdp": (
        """
w : siemens
dx/dt = -x / tau_plus : 1 (event-driven)
dy/dt = -y / tau_minus : 1 (event-driven)
tau_plus : second
tau_minus : second
w_max : siemens
""",
        {
            "on_pre": "exc += w\nx += 1\nw = clip(w - 0.01 * w_max * y, 0 * siemens, w_max)",
            "on_post": "y += 1\nw = clip(w + 0.01 * w_max * x, 0 * siemens, w_max)",
        },
        {"tau_plus": 0.02, "tau_minus": 0.02, "w_max": 1e-9},
    ),
    # an NMDA gating of Wang (2002): clock-driven variables and a summed variable
    "nmda": (
        """
w : 1
ds/dt = -s / tau_decay + alpha * x * (1 - s) : 1 (clock-driven)
dx/dt = -x / tau_rise : 1 (clock-driven)
s_tot_post = w * s : 1 (summed)
tau_decay : second
tau_rise : second
alpha : hertz
""",
        {"on_pre": "x += 1"},
        {"tau_decay": 0.1, "tau_rise": 0.002, "alpha": 500.0},
    ),
    # Tsodyks-Markram short-term plasticity: clock-driven variables, on_pre sending
    "stp": (
        """
w : siemens
dx/dt = (1 - x) / tau_rec : 1 (clock-driven)
du/dt = (U - u) / tau_f : 1 (clock-driven)
U : 1
tau_rec : second
tau_f : second
""",
        {"on_pre": "u += U * (1 - u)\nr = u * x\nx -= r\nexc += w * r", "initial": {"x": 1.0}},
        {"U": 0.5, "tau_rec": 0.1, "tau_f": 0.05},
    ),
    # an Ornstein-Uhlenbeck efficacy per synapse: noise in a clock-driven equation
    "ou": (
        """
w : siemens
dx/dt = -x / tau + sigma * sqrt(2 / tau) * xi : 1 (clock-driven)
tau : second
sigma : 1
""",
        {"on_pre": "exc += w * (1 + x)"},
        {"tau": 0.01, "sigma": 0.2},
    ),
}
_SYN_CHANGES = (
    "none", "none", "insert", "insert", "delete", "duplicate", "empty", "long", "on_pre",
    "on_post", "method", "name", "initial",
)  # fmt: skip


@st.composite
def _synapse_equation_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    which = draw(st.sampled_from(sorted(_SYN_TEXTS)))
    how = draw(st.sampled_from(_SYN_CHANGES))
    k = draw(st.integers(0, 10**6))
    extra = draw(st.sampled_from(_EQ_INSERTS))
    return (
        {"which": which, "how": how, "k": k, "extra": extra},
        "valid" if how == "none" else "either",
        f"{which}: {how} #{k} {extra!r}",
    )


def run_synapse_equations(args: dict[str, Any]) -> str:
    """synapse_model on a changed text; a class that is made connects two populations, runs."""
    from snn.core import Network
    from snn.equations import neuron_model, synapse_model
    from snn.neurons import LIFCondExp
    from snn.synapses import AllToAll

    which, how, k, extra = args["which"], args["how"], args["k"], args["extra"]
    text, kw, values = _SYN_TEXTS[which]
    kw = dict(kw)
    name = "FuzzedSynapse"
    if how in _TEXT_CHANGES:
        text = _changed_text(text, how, k, extra)
    elif how in ("on_pre", "on_post"):
        base = kw.get(how, "")
        kw[how] = base[: k % (len(base) + 1)] + extra
    elif how == "method":
        kw["method"] = ["euler", "rk4", "exact", "exponential_euler", "bogus", "", 3][k % 7]
    elif how == "name":
        name = ["", "1abc", "class", "a b", extra, "X" * 10_000][k % 6]
    elif how == "initial":
        kw["initial"] = {["x", "s", "w", "bogus", extra][k % 5]: [1.0, "x", math.nan, extra][k % 4]}
    cls = synapse_model(name, text, **kw)
    fields = {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}
    if not fields <= set(values):
        return "model made (parameters changed, not run)"
    net = Network(dt=DT, seed=1)
    if which == "nmda":
        target = neuron_model(
            "FuzzTarget", "dv/dt = (s_tot - v) / (10*ms) : 1\ns_tot : 1", currents=["s_tot"]
        )
        post, receptor, weight = net.add_population(target(), N), "s_tot", 0.5
    else:
        post, receptor, weight = net.add_population(LIFCondExp(), N), "exc", 5e-10
    pre = net.add_population(LIFCondExp(i_e=1e-9), N)
    net.connect(pre, post, rule=AllToAll(), weight=weight, receptor=receptor,
                synapse=cls(**{p: values[p] for p in fields}))  # fmt: skip
    net.run(3 * DT)
    return "ran"


FAMILIES = [
    Family(
        "model-constructors",
        "every neuron model and spike generator, one or two parameters drawn from the value "
        "classes; accepted models are added to a network and run",
        st.deferred(lambda: _model_args(_all_models())),
        run_model,
        weight=3.0,
    ),
    Family(
        "network-constructor",
        "Network(dt, seed, dtype, threads, parallel, comm, name)",
        _network_args(),
        run_network,
    ),
    Family(
        "populations-and-init",
        "add_population: size and initial values (negative counters and conductances included)",
        _population_args(),
        run_population,
    ),
    Family(
        "monitors",
        "record_state / record_spikes / record_rate / record_weights / record_synapses: "
        "variables, indices, intervals, objects of another network",
        _monitor_args(),
        run_monitor,
        weight=1.5,
    ),
    Family(
        "run-arguments",
        "run(duration, progress, checkpoint_every, checkpoint_path) with monitors",
        _run_args(),
        run_run,
    ),
    Family("every", "Network.every(interval, callback, at_zero)", _every_args(), run_every),
    Family(
        "connect",
        "Network.connect with every connection rule (its parameters drawn), weights, delays, "
        "receptors, synapse models and targets (views, another network's population)",
        _connect_args(),
        run_connect,
        weight=3.0,
    ),
    Family(
        "spatial",
        "Grid and RandomPositions layouts, distance kernels, DistanceDependent and "
        "DistanceFixedIndegree rules, DistanceDelay and clipped normal delays",
        _spatial_args(),
        run_spatial,
        weight=1.5,
    ),
    Family(
        "drives",
        "PoissonInput, SinusoidalPoissonInput, InhomogeneousPoissonInput, DCSource, "
        "StepCurrent, SineCurrent, NoiseCurrent into current and conductance receptors",
        _drive_args(),
        run_drive,
        weight=2.0,
    ),
    Family(
        "synapse-models",
        "PairSTDP, TripletSTDP, InhibitorySTDP, Tsodyks and Tsodyks2 synapses, gap junctions: "
        "parameters, receptors and initial weights against their bounds",
        _synapse_args(),
        run_synapse,
        weight=2.0,
    ),
    Family(
        "slow-processes",
        "SynapticScaling, WeightNormalization, Neuromodulator (and a RewardSTDP of another "
        "network): networks, projections, intervals",
        _process_args(),
        run_process,
        weight=1.5,
    ),
    Family(
        "encoders",
        "spike processes (trains), encoders (encode) and decoders: parameters, sizes, seeds, "
        "data with NaN or the wrong shape",
        _encoder_args(),
        run_encoder,
        weight=2.0,
    ),
    Family(
        "equations",
        "snn.equations.neuron_model on changed model texts (inserted and deleted characters, "
        "duplicated lines, deep nesting, long texts) and conditions, resets, refractory periods, "
        "methods and names",
        _equation_args(),
        run_equations,
        weight=1.0,
    ),
    Family(
        "synapse-equations",
        "snn.equations.synapse_model on changed texts of pair STDP (event-driven), NMDA "
        "gating (clock-driven, summed), short-term plasticity (clock-driven, acting at "
        "spikes) and a noisy efficacy (xi): characters, lines, on_pre/on_post statements, "
        "methods, "
        "names and initial values; accepted models connect two populations and run",
        _synapse_equation_args(),
        run_synapse_equations,
        weight=1.0,
    ),
]
