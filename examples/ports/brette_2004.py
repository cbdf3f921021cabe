"""Phase locking of a LIF neuron to a sinusoidal current (Brian2's
``examples/frompapers/Brette_2004.py``), ported to snn.

Brette (2004, J. Math. Biol. 48:38), Fig. 2A: 2000 leaky integrate-and-fire neurons,
``dv/dt = (-v + a + 2 sin(2 pi t / tau)) / tau`` with ``a`` from 2 to 4, threshold 1, reset 0,
forward Euler at dt = 0.1 ms; 5 s are discarded, the spikes of the next 5 s plotted by phase
against ``a`` (the devil's staircase of phase locking). This port reduces the plot to the
spike count of every neuron in the recorded 5 s.

The equations use the time ``t``; forward Euler evaluates the sine at the start of each step in
both simulators, so every neuron's count is Brian2's.

Run:  uv run python examples/ports/brette_2004.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, second
from snn.equations import neuron_model

N = 2000
TAU = 100 * ms

SineLIF = neuron_model(
    "Brette2004",
    """
    dv/dt = (-v + a + 2*sin(2*pi*t/tau))/tau : 1
    a : 1
    tau : second (shared)
    """,
    threshold="v>1",
    reset="v=0",
    method="euler",
)


def figures(senders: np.ndarray) -> dict:
    """Spike count of each neuron in the recorded 5 s."""
    return {"counts": np.bincount(senders, minlength=N).tolist()}


def run(seed: int = 1) -> dict:
    """Simulate 5 s, then record 5 s (deterministic: ``seed`` unused)."""
    net = Network(dt=0.1 * ms, seed=seed)
    pop = net.add_population(SineLIF(a=np.linspace(2, 4, N), tau=TAU), N)
    net.run(5 * second)
    mon = net.record_spikes(pop)
    net.run(5 * second)
    return figures(mon.record().senders)


if __name__ == "__main__":
    counts = np.array(run()["counts"])
    low, high = counts.min(), counts.max()
    print(f"{counts.sum()} spikes; per neuron from {low} (a = 2) to {high} (a = 4)")
