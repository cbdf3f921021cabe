"""Fuzz family over the PyNN backend (``import pyNN.snn as sim``): setup arguments, cell
parameters, projections (connectors, weights, delays, receptor types), recording and run
durations, with PyNN's units (ms, mV, nA, uS, nF).

A refusal is PyNN's error (``pyNN.errors``) or snn's; an accepted script must run and give back
what it was told: the time step, the cell parameter, the weights and delays, the duration run.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.fuzz import _values as V
from tests.fuzz._harness import Family
from tests.fuzz._worker import Silent

_CELLS = {
    "IF_cond_exp": {"tau_m": 20.0, "cm": 1.0, "v_thresh": -50.0, "tau_refrac": 0.1},
    "IF_curr_exp": {"tau_m": 20.0, "tau_syn_E": 5.0, "i_offset": 0.0, "v_reset": -65.0},
    "Izhikevich": {"a": 0.02, "b": 0.2, "c": -65.0, "d": 2.0},
}
_CONNECTORS = ("AllToAll", "OneToOne", "FixedProbability", "FromList")

#: the "param" value that gives the cell type no value (its default)
DEFAULT = "default"


def _ms(default: float) -> st.SearchStrategy:
    """Values for a time in ms (a timestep, a delay, a duration)."""
    return st.one_of(
        V.ok(default),
        V.bad("ms", 0.0, -default, math.nan, math.inf, "1 ms", None, [default]),
        V.bad("ms", 1e300, 1e-300, default * 0.37, expect="either"),
    )


@st.composite
def _pynn_args(draw: Any) -> tuple[dict[str, Any], str, str]:
    cell = draw(st.sampled_from(sorted(_CELLS)))
    pname = draw(st.sampled_from(sorted(_CELLS[cell])))
    table = {
        "timestep": (V.ok(0.1, 0.05), _ms(0.1)),
        "min_delay": (V.ok("auto", 0.1), V.bad("min_delay", -1.0, math.nan, "soon", 0.05)),
        "extra": (
            V.ok({}, {"rng_seed": 3}, {"max_delay": 10.0}),
            st.one_of(
                V.bad("extra", {"rng_seed": -1}, {"threads": 0}, {"max_delay": 0.01}),
                V.bad("extra", {"verbosity": "x"}, {"bogus": 3}, expect="either"),
            ),
        ),
        "size": (V.ok(3, 1), V.integer(3, low=1, high=5).filter(lambda v: v[1] != "valid")),
        "param": (
            # DEFAULT: the cell type's own value; None among the bad values is passed as None
            V.ok(DEFAULT),
            st.one_of(
                V.number(_CELLS[cell][pname], 3, arrays=False).map(
                    lambda v: (v[0], "either" if v[1] == "valid" else v[1], v[2])
                ),
                V.bad("param", "bogus_name"),
            ),
        ),
        "connector": (
            V.ok(*[(c, None) for c in _CONNECTORS]),
            st.one_of(
                V.bad("connector", ("FixedProbability", 1.5), expect="either"),
                V.bad(
                    "connector",
                    ("FixedProbability", math.nan),
                    ("FixedProbability", -0.1),
                    ("FromList", [(0, 7)]),
                    ("FromList", [(-1, 0)]),
                    ("FromList", [(0.5, 1)]),
                    ("FromList", [(0, 1, 2, 3, 4)]),
                ),
            ),
        ),
        "weight": (
            V.ok(0.01, 0.0),
            st.one_of(
                V.bad("weight", math.nan, math.inf, "heavy", -0.01),
                # None: the synapse type's default weight
                V.bad("weight", 1e300, 1e3, None, expect="either"),
            ),
        ),
        # None: the synapse type's default delay
        "delay": (V.ok(1.0, 0.5, None), _ms(1.0).filter(lambda v: v[0] is not None)),
        "receptor": (V.ok("excitatory", "inhibitory", None), V.bad("receptor", "bogus", "")),
        "record": (
            V.ok("v", "spikes", ("v", "spikes")),
            V.bad("record", "bogus", ("v", "v_typo"), 3),
        ),
        "duration": (V.ok(1.0, 2.0, 0.0), _ms(1.0).filter(lambda v: v[0] != 0.0)),
    }
    parts = V.parts(draw, table, max_bad=1)
    kwargs, expect, why = V.combine(parts)
    if kwargs["min_delay"] == 0.05 and kwargs["timestep"] == 0.05:
        expect = V.worst(*(e for k, (_, e, _) in parts.items() if k != "min_delay"))
    w = kwargs["weight"]
    if kwargs["receptor"] is None and cell != "IF_cond_exp" and isinstance(w, float) and w < 0:
        # PyNN takes a negative current weight as inhibitory: the weight alone is not wrong
        others = [e for k, (_, e, _) in parts.items() if k != "weight"]
        expect = V.worst(*others, "either")
    if kwargs["connector"][0] == "OneToOne" and kwargs["size"] != 3:
        expect, why = V.worst(expect, "invalid"), f"{why} OneToOne from 3 onto {kwargs['size']}"
    if kwargs["connector"][0] == "FromList" and kwargs["size"] != 3:
        expect = V.worst(expect, "either")  # the list names neurons 0..2
    delay, top = kwargs["delay"], kwargs["extra"].get("max_delay")
    if top is not None and isinstance(delay, float) and delay > top:
        expect = V.worst(expect, "either")
    return {"cell": cell, "pname": pname, **kwargs}, expect, f"{cell}.{pname}: {why}"


def run_pynn(args: dict[str, Any]) -> str:
    """A PyNN script: setup, a source and a cell population, a projection, record, run."""
    import pyNN.snn as sim

    sim.setup(timestep=args["timestep"], min_delay=args["min_delay"], **args["extra"])
    if sim.get_time_step() != args["timestep"]:
        raise Silent(f"timestep {args['timestep']!r} reads {sim.get_time_step()!r}")
    given = args["param"] not in (DEFAULT, "bogus_name")
    params = {args["pname"]: args["param"]} if given else {}
    if args["param"] == "bogus_name":
        params = {"bogus_name": 1.0}
    cells = sim.Population(args["size"], getattr(sim, args["cell"])(**params))
    if given:
        got = cells.get(args["pname"])
        if not np.all(np.asarray(got, dtype=float) == float(args["param"])):
            raise Silent(f"{args['pname']}={args['param']!r} reads {got!r}")
    source = sim.Population(3, sim.SpikeSourceArray(spike_times=[0.2, 0.5]))
    kind, value = args["connector"]
    connector = {
        "AllToAll": lambda: sim.AllToAllConnector(),
        "OneToOne": lambda: sim.OneToOneConnector(),
        "FixedProbability": lambda: sim.FixedProbabilityConnector(
            1.0 if value is None else value, rng=sim.NumpyRNG(seed=1)
        ),
        "FromList": lambda: sim.FromListConnector(value or [(0, 0), (1, 2), (2, 1)]),
    }[kind]()
    weight = args["weight"]
    if args["cell"] != "IF_cond_exp" and args["receptor"] == "inhibitory":
        # PyNN's inhibitory current synapses take negative weights: the drawn sign is flipped
        weight = -weight if isinstance(weight, float) else weight
    syn: dict[str, Any] = {"weight": weight}
    if args["delay"] is not None:
        syn["delay"] = args["delay"]
    prj = sim.Projection(
        source,
        cells,
        connector,
        synapse_type=sim.StaticSynapse(**syn),
        receptor_type=args["receptor"],
    )
    weights = np.asarray(prj.get("weight", format="list", with_address=False), dtype=float)
    if weight is not None and weights.size and not np.allclose(weights, weight, rtol=1e-12):
        raise Silent(f"weight {args['weight']!r} reads {weights}")
    if args["delay"] is not None:
        delays = np.asarray(prj.get("delay", format="list", with_address=False), dtype=float)
        # PyNN's delays are whole time steps: a delay between steps is rounded
        want = round(float(args["delay"]) / args["timestep"]) * args["timestep"]
        if delays.size and not np.allclose(delays, want, rtol=1e-9):
            raise Silent(f"delay {args['delay']!r} reads {delays}")
    record = args["record"]
    cells.record(list(record) if isinstance(record, tuple) else record)
    t = sim.run(args["duration"])
    if not math.isclose(t, float(args["duration"]), rel_tol=1e-9, abs_tol=args["timestep"]):
        raise Silent(f"run({args['duration']!r}) ended at {t!r} ms")
    cells.get_data()
    sim.end()
    return f"ran to {t} ms"


FAMILIES = [
    Family(
        "pynn",
        "pyNN.snn scripts: setup arguments, cell parameters, connectors, weights, delays, "
        "receptor types, recorded variables and run durations",
        _pynn_args(),
        run_pynn,
        weight=1.5,
    ),
]
