"""Reliability of spike timing (Brian2's ``examples/reliability.py``), ported to snn.

Mainen & Sejnowski (1995): 25 noisy leaky integrate-and-fire neurons (tau = 10 ms, noise 0.015,
5 ms refractory, random initial potentials) receive the same fluctuating input, an
Ornstein-Uhlenbeck process (tau = 5 ms); despite their own noise they fire at nearly the same
times, trial after trial. The original plots the raster over 500 ms; this port reduces it to
the spike count and the reliability of the spikes after 100 ms: the fraction of each spike's
24 partner neurons with a spike within 1 ms of it.

Brian2 feeds the input's ``x`` into the neurons' ``I`` with a ``(linked)`` variable, which snn's
equations do not have; a summed variable does the same: one synapse from the input to every
neuron, ``I_post = x_pre``, read from the state at the start of each step.

Run:  uv run python examples/ports/reliability.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import ms
from snn.equations import neuron_model, synapse_model
from snn.synapses import AllToAll

N = 25

Input = neuron_model(
    "OUInput",
    """
    dx/dt = -x / tau_input + (2 / tau_input)**.5 * xi : 1
    tau_input : second
    """,
)

Noisy = neuron_model(
    "NoisyLIF",
    """
    dx/dt = (0.9 + .5 * I - x) / tau + sigma * (2 / tau)**.5 * xi : 1
    I : 1
    tau : second
    sigma : 1
    """,
    threshold="x > 1",
    reset="x = 0",
    refractory=5 * ms,
    method="euler",
    currents=["I"],
)

Link = synapse_model("Link", "w : 1\nI_post = x_pre : 1 (summed)")


def run(seed: int = 1) -> dict:
    """Simulate 500 ms; return the spike count and the reliability."""
    net = Network(dt=0.1 * ms, seed=seed)
    source = net.add_population(Input(tau_input=5 * ms), 1)
    neurons = net.add_population(
        Noisy(tau=10 * ms, sigma=0.015), N, init={"x": Uniform(low=0.0, high=1.0)}
    )
    net.connect(source, neurons, rule=AllToAll(), weight=1.0, synapse=Link())
    spikes = net.record_spikes(neurons)
    net.run(500 * ms)
    return figures(spikes.times, spikes.indices)


def figures(times: np.ndarray, index: np.ndarray) -> dict:
    """Spike count, and the mean fraction of other neurons firing within 1 ms of a spike."""
    late = times > 0.1
    t, i = times[late], index[late]
    near = np.abs(t[:, None] - t[None, :]) <= 1 * ms + 1e-9
    partners = [len(set(i[near[k]]) - {i[k]}) for k in range(t.size)]
    return {"n_spikes": int(times.size), "reliability": float(np.mean(partners) / (N - 1))}


if __name__ == "__main__":
    print(run())
