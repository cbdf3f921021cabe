"""Depressing and facilitating synapses (Brian2's
``examples/frompapers/Tsodyks_Pawelzik_Markram_1998.py``), ported to snn.

Tsodyks, Pawelzik & Markram (1998, Neural Comput. 10:821), Fig. 1: one presynaptic train
reaches a passive membrane (dv/dt = (-v + R_in I_syn) / tau_mem) through one dynamic synapse.
Its resources are recovered (x), active (y) or inactive (z = 1 - x - y); a spike moves the
fraction U_SE of the recovered ones (the facilitating synapse: u, which each spike raises by
U_SE (1 - u) and which decays with tau_facil) into the active state, which decays into the
inactive one with tau_inact and recovers with tau_rec; the synapse's current is A_SE y. Three
panels: (A) a depressing synapse driven at 20 Hz, (B) a facilitating one at 20 Hz, (C) the
facilitating one at 70 Hz. The original plots v of each panel; this port returns v every
millisecond and its maximum over all steps (:func:`figures`).

The synapse equations are the original's, ``(clock-driven)`` variables, the summed current and
``on_pre`` statements unchanged (docs/from-brian2-equations.md, "Clock-driven synapse
variables"), with the method it asks for: exponential Euler for the synapses, exact
integration for the membrane. The values the original gives each synapse are parameters of the
synapse model (it has one synapse per panel), and ``x = 1`` is set with ``Projection.set``.
The model declares no weight ``w``, as the original; ``connect`` still asks for one, any number,
which nothing reads (:func:`run` passes 1).

Conventions that matter (docs/from-brian2.md): Brian2's ``SpikeGeneratorGroup`` emits a spike
at time t in the step that contains it, ``floor(t / dt + 1e-3)``, and stamps it at that step's
start; its ``on_pre`` acts at the end of that step, so the summed current first carries it in the
next step. snn's ``SpikeSourceArray`` emits in the step that ends at ``round(t / dt) dt``, and
a clock-driven synapse's coupling carries a spike stamped t from the step starting at t on. So
:func:`stimulus` gives snn the end of Brian2's step: the 70 Hz train's times are not on the
0.1 ms grid, and rounding them instead would move 9 of its 20 spikes one step later.

Run:  uv run python examples/ports/tsodyks_pawelzik_markram_1998.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import GOhm, Hz, MOhm, ms, mV, pA
from snn.equations import neuron_model, synapse_model
from snn.neurons import SpikeSourceArray
from snn.synapses import AllToAll

DT = 0.1 * ms

Membrane = neuron_model(
    "PassiveMembrane",
    """
    tau_mem : second
    I_syn : ampere
    R_in : ohm
    dv/dt = -v/tau_mem + (R_in*I_syn)/tau_mem : volt
    """,
    method="exact",
    currents=["I_syn"],
)

_SYNAPSE = """
dx/dt =  z/tau_rec   : 1 (clock-driven) # recovered
dy/dt = -y/tau_inact : 1 (clock-driven) # active
A_SE : ampere
U_SE : 1
tau_inact : second
tau_rec : second
z = 1 - x - y : 1 # inactive
I_syn_post = A_SE*y : ampere (summed)
"""

Depressing = synapse_model(
    "TPMDepressing",
    _SYNAPSE,
    on_pre="""
    y += U_SE*x # important: update y first
    x += -U_SE*x
    """,
    method="exponential_euler",
)

Facilitating = synapse_model(
    "TPMFacilitating",
    _SYNAPSE
    + """
    du/dt = -u/tau_facil : 1 (clock-driven)
    tau_facil : second
    """,
    on_pre="""
    u += U_SE*(1-u)
    y += u*x # important: update y first
    x += -u*x
    """,
    method="exponential_euler",
)

#: the facilitating synapse and its target of the original's panels B and C
_FACILITATING = {
    "neuron": {"tau_mem": 60 * ms, "R_in": 1 * GOhm},
    "synapse": {
        "tau_inact": 1.5 * ms,
        "A_SE": 1540 * pA,
        "tau_rec": 130 * ms,
        "U_SE": 0.03,
        "tau_facil": 530 * ms,
    },
}

#: the original's parameters of each panel (times [s], frequencies [Hz])
PANELS = {
    "A": {
        "neuron": {"tau_mem": 40 * ms, "R_in": 100 * MOhm},
        "synapse": {"tau_inact": 3 * ms, "A_SE": 250 * pA, "tau_rec": 800 * ms, "U_SE": 0.6},
        "stimulus": {"start": 100 * ms, "stop": 1100 * ms, "frequency": 20 * Hz},
        "duration": 1200 * ms,
    },
    "B": {
        **_FACILITATING,
        "stimulus": {"start": 100 * ms, "stop": 1100 * ms, "frequency": 20 * Hz},
        "duration": 1200 * ms,
    },
    "C": {
        **_FACILITATING,
        "stimulus": {"start": 100 * ms, "stop": 375 * ms, "frequency": 70 * Hz},
        "duration": 500 * ms,
    },
}


def stimulus_times(start: float, stop: float, frequency: float) -> np.ndarray:
    """The original's spike times [s]: ``np.arange`` in ms from ``start`` to ``stop``."""
    return np.arange(start / ms, stop / ms, 1 / frequency * 1e3) * ms


def stimulus(start: float, stop: float, frequency: float) -> SpikeSourceArray:
    """The original's train, each spike at the end of the step Brian2 emits it in (see above)."""
    steps = np.floor(stimulus_times(start, stop, frequency) / DT + 1e-3) + 1
    return SpikeSourceArray(times=steps * DT, indices=np.zeros(steps.size, dtype=int))


def run(panel: str) -> dict:
    """Simulate one panel; return the figures of :func:`figures`."""
    p = PANELS[panel]
    net = Network(dt=DT)
    source = net.add_population(stimulus(**p["stimulus"]), 1)
    neuron = net.add_population(Membrane(**p["neuron"]), 1)
    model = Facilitating if "tau_facil" in p["synapse"] else Depressing
    synapses = net.connect(
        source, neuron, rule=AllToAll(), weight=1.0, synapse=model(**p["synapse"])
    )
    synapses.set(x=1.0)  # start fully recovered
    v = net.record_state(neuron, "v")
    net.run(p["duration"])
    return figures(v.record().values["v"][:, 0])


def figures(v: np.ndarray) -> dict:
    """v [V] at t = dt, 2 dt, ... the end, reduced to v [mV] every ms and its maximum."""
    v_mV = np.asarray(v) / mV
    every_ms = round(1 * ms / DT)
    return {"v_mV": v_mV[every_ms - 1 :: every_ms].tolist(), "v_max_mV": float(np.max(v_mV))}


if __name__ == "__main__":
    for name in PANELS:
        out = run(name)
        print(f"{name}: v_max = {out['v_max_mV']:.4f} mV")
