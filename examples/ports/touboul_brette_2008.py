"""Chaos in the adaptive exponential model (Brian2's
``examples/frompapers/Touboul_Brette_2008.py``), ported to snn.

Touboul & Brette (2008, Biol. Cybern. 99:319): 200 adaptive exponential neurons under a constant
0.8 nA, identical but for the reset potential Vr, which sweeps -48.3 to -47.7 mV, cross a
period-doubling cascade into chaos. Forward Euler at 0.01 ms; after 3 s of transient, the
original plots the adaptation current w at every spike of the next second against Vr (the
bifurcation diagram). This port reduces the diagram to each neuron's number of spikes in that
second and the number of distinct values of w at its spikes (rounded to 1 pA: a periodic burst
visits a few values, chaos many).

Run:  uv run python examples/ports/touboul_brette_2008.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nA, nS, pA, pF
from snn.equations import neuron_model

N = 200
DT = 0.01 * ms

AdEx = neuron_model(
    "AdExChaos",
    """
    dvm/dt = (gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) + I - w) / C : volt
    dw/dt = (a*(vm - EL) - w) / tauw : amp
    C : farad
    gL : siemens
    EL : volt
    VT : volt
    DeltaT : volt
    tauw : second
    a : siemens
    b : amp
    I : amp
    Vr : volt
    Vcut : volt
    """,
    threshold="vm > Vcut",
    reset="vm = Vr; w += b",
    method="euler",
    initial={"vm": "EL", "w": 0 * nA},
)


def run(transient: float = 3.0) -> dict:
    """Run ``transient`` [s], then one second; return spike counts and distinct w at spikes."""
    vt, delta_t = -50.4 * mV, 2 * mV
    model = AdEx(
        C=281 * pF,
        gL=30 * nS,
        EL=-70.6 * mV,
        VT=vt,
        DeltaT=delta_t,
        tauw=40 * ms,
        a=4 * nS,
        b=0.08 * nA,
        I=0.8 * nA,
        Vr=np.linspace(-48.3 * mV, -47.7 * mV, N),
        Vcut=vt + 5 * delta_t,
    )
    net = Network(dt=DT)
    neurons = net.add_population(model, N)
    net.run(transient)
    spikes = net.record_spikes(neurons)
    w = net.record_state(neurons, "w")
    net.run(1.0)
    return figures(spikes.times - transient, spikes.indices, w.record().values["w"])


def figures(times: np.ndarray, index: np.ndarray, w: np.ndarray) -> dict:
    """Spikes per neuron and distinct w at the spikes, with w at the start of the spike's step
    (as the original's ``StateMonitor(when="start")``); ``w[j]`` is w at ``(j + 1) dt``."""
    step = np.rint(times / DT).astype(int) - 2
    return summary(index, w[np.clip(step, 0, w.shape[0] - 1), index] / pA)


def summary(index: np.ndarray, w_at_spike: np.ndarray) -> dict:
    """Spikes of each neuron and the number of distinct values of w [pA] at its spikes."""
    distinct = [len(np.unique(np.round(w_at_spike[index == k]))) for k in range(N)]
    return {"counts": np.bincount(index, minlength=N).tolist(), "distinct_w": distinct}


if __name__ == "__main__":
    out = run()
    print(f"spikes per neuron: {min(out['counts'])}-{max(out['counts'])}")
