"""Phase locking to a sinusoidal input (Brian2's ``examples/phase_locking.py``), ported to snn.

100 leaky integrate-and-fire neurons (tau = 20 ms, threshold 1, reset 0) driven by a constant
1.2 plus a 10 Hz sinusoid whose amplitude grows with the neuron's index from 0.05 to 0.75,
starting from uniformly random potentials, integrated by forward Euler for one second. The
original shows the raster, where the neurons with a strong modulation lock to the input; this
port reduces it to every neuron's spike count and the vector strength of the spikes after
200 ms for the weakest and the strongest modulated quarter.

Run:  uv run python examples/ports/phase_locking.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import Hz, ms
from snn.equations import neuron_model

N = 100

PhaseLocked = neuron_model(
    "PhaseLocked",
    """
    dv/dt = (-v + a * sin(2 * pi * freq * t) + b) / tau : 1
    a : 1
    b : 1
    freq : hertz
    tau : second
    """,
    threshold="v > 1",
    reset="v = 0",
    method="euler",
)


def run(seed: int = 1) -> dict:
    """Simulate one second; return spike counts and vector strengths."""
    net = Network(dt=0.1 * ms, seed=seed)
    model = PhaseLocked(a=0.05 + 0.7 * np.arange(N) / N, b=1.2, freq=10 * Hz, tau=20 * ms)
    neurons = net.add_population(model, N, init={"v": Uniform(low=0.0, high=1.0)})
    spikes = net.record_spikes(neurons)
    net.run(1.0)
    return figures(spikes.times, spikes.indices)


def figures(times: np.ndarray, index: np.ndarray) -> dict:
    """Spike count of each neuron, and the vector strength at 10 Hz of both outer quarters."""
    late = times > 0.2
    strength = []
    for chosen in (index < N // 4, index >= 3 * N // 4):
        phase = 2 * np.pi * 10.0 * times[late & chosen]
        strength.append(float(np.abs(np.mean(np.exp(1j * phase)))))
    return {
        "counts": np.bincount(index, minlength=N).tolist(),
        "vector_strength_weak": strength[0],
        "vector_strength_strong": strength[1],
    }


if __name__ == "__main__":
    print(run())
