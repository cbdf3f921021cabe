"""Neurons coupled by gap junctions (Brian2's ``examples/synapses/gapjunctions.py``), ported to
snn.

Ten leaky neurons, ``dv/dt = (v0 - v + Igap) / tau`` with v0 = 1.05 above the threshold of 1
(reset to 0), start spread evenly over [0, 1]; every pair is coupled through a gap junction of
conductance w = 0.02, the current into each neuron being the summed variable ``Igap = sum_j w
(v_j - v)``. Uncoupled they would fire regularly, each at its own phase; the coupling pulls
them together. The original plots v of neurons 0 and 5 over 500 ms; this port returns those
two traces every millisecond and every neuron's spike times (:func:`figures`).

The equations are the original's (docs/from-brian2-equations.md, "Summed variables, gap
junctions and NMDA"): ``Igap`` is a current input of the neuron model (``currents=["Igap"]``)
that the synapse model's summed variable feeds; the original's module constants ``v0`` and
``tau`` are parameters. Brian2's ``connect()`` makes all 100 pairs, self-pairs included; a
self-pair adds ``w (v - v) = 0``, so ``AllToAll`` gives the same currents.

Both simulators compute the summed current from the state at the start of each step, hold it
over the step and integrate the membrane exactly (the original asks for ``method="exact"``), so
the traces agree to round-off. Conventions that matter (docs/from-brian2.md): Brian2 stamps a
spike at the start of the step in which v crossed the threshold, snn at its end, so snn's spike
times are Brian2's plus 0.1 ms; Brian2's StateMonitor samples each step's start, snn's
``record_state`` its end.

Run:  uv run python examples/ports/gapjunctions.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms
from snn.equations import neuron_model, synapse_model
from snn.synapses import AllToAll

N = 10
DT = 0.1 * ms
DURATION = 500 * ms
RECORDED = [0, 5]

Neuron = neuron_model(
    "GapNeuron",
    """
    dv/dt = (v0 - v + Igap) / tau : 1
    Igap : 1 # gap junction current
    v0 : 1
    tau : second
    """,
    threshold="v > 1",
    reset="v = 0",
    method="exact",
    currents=["Igap"],
)

GapJunction = synapse_model(
    "GapJunctionSummed",
    """
    w : 1 # gap junction conductance
    Igap_post = w * (v_pre - v_post) : 1 (summed)
    """,
)


def figures(v: np.ndarray, times_ms: np.ndarray, indices: np.ndarray) -> dict:
    """``v`` at every step from t = dt on (columns: the neurons of ``RECORDED``), spike times
    [ms] and their neurons: the traces every ms, each neuron's spike times."""
    step = round(1 * ms / DT)
    every_ms = slice(step - 1, None, step)
    return {
        "v": np.asarray(v)[every_ms].tolist(),
        "spikes_ms": [np.sort(times_ms[indices == i]).tolist() for i in range(N)],
    }


def run(seed: int = 1) -> dict:
    """Simulate the 500 ms (deterministic: ``seed`` unused)."""
    net = Network(dt=DT, seed=seed)
    neurons = net.add_population(
        Neuron(v0=1.05, tau=10 * ms), N, init={"v": np.arange(N) / (N - 1)}
    )
    net.connect(neurons, neurons, rule=AllToAll(), weight=0.02, synapse=GapJunction())
    trace = net.record_state(neurons, "v", neurons=RECORDED)
    spikes = net.record_spikes(neurons)
    net.run(DURATION)
    return figures(trace.record().values["v"], spikes.times / ms, spikes.indices)


if __name__ == "__main__":
    out = run()
    counts = [len(t) for t in out["spikes_ms"]]
    print("spikes per neuron:", counts)
    print("last spikes [ms]:", [t[-1] for t in out["spikes_ms"]])
