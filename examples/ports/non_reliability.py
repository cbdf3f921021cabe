"""Loss of spike-time reliability under a constant current (Brian2's
``examples/non_reliability.py``), ported to snn.

The counterpart of ``reliability.py`` (Mainen & Sejnowski, 1995): 25 noisy leaky
integrate-and-fire neurons (tau = 20 ms, noise 0.015, threshold 1, reset 0, 5 ms refractory,
Euler-Maruyama at 0.1 ms) all start at x = 0 and receive the same constant drive (1.1) instead
of a fluctuating one. Their first spikes come together, about tau ln(11) = 48 ms after the
start, but each neuron's own noise shifts every later spike a little more, and after a few
hundred milliseconds the population has lost its synchrony. The original plots the raster over
500 ms; this port reduces it to the spike count, the mean and spread of the neurons' first
spike times, the spread of their fifth, and the reliability of the spikes after 100 ms (the
mean fraction of the other 24 neurons with a spike within 1 ms, as in ``reliability.py``).

Conventions that matter here (docs/from-brian2-equations.md): Brian2 stamps a spike at the start
of its step and snn at the end, so :func:`run` reports its times one step earlier, on Brian2's
stamping; and Brian2 holds a neuron refractory one step fewer than snn, so Brian2's 5 ms is
snn's 4.9 ms (``BRIAN2_REFRACTORY``; 5 ms lengthens each of the ~9 intervals per neuron by
0.1 ms, 0.2 %, well inside the seed spread).

Run:  uv run python examples/ports/non_reliability.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms
from snn.equations import neuron_model

N = 25
DT = 0.1 * ms
#: Brian2's refractory=5*ms, counted as snn counts it (one step fewer, see above)
BRIAN2_REFRACTORY = 4.9 * ms

Noisy = neuron_model(
    "NoisyLIFConstantDrive",
    """
    dx/dt = (1.1 - x) / tau + sigma * (2 / tau)**.5 * xi : 1 (unless refractory)
    tau : second
    sigma : 1
    t_ref : second
    """,
    threshold="x > 1",
    reset="x = 0",
    refractory="t_ref",
    method="euler",
)


def run(seed: int = 1, refractory: float = 5 * ms) -> dict:
    """Simulate 500 ms from x = 0; return the figures of :func:`figures`."""
    net = Network(dt=DT, seed=seed)
    neurons = net.add_population(Noisy(tau=20 * ms, sigma=0.015, t_ref=refractory), N)
    spikes = net.record_spikes(neurons)
    net.run(500 * ms)
    return figures(spikes.times - DT, spikes.indices)


def figures(times: np.ndarray, index: np.ndarray) -> dict:
    """Figures of the raster; ``times`` [s] stamped at the start of the spike's step (Brian2's
    convention), ``index`` the neuron of each spike."""
    order = np.lexsort((times, index))
    t, i = times[order], index[order]
    rank = np.arange(t.size) - np.searchsorted(i, i)  # 0 for each neuron's first spike, ...
    first, fifth = t[rank == 0], t[rank == 4]
    isi = np.diff(t)[rank[1:] > 0]
    late = times > 0.1
    tl, il = times[late], index[late]
    near = np.abs(tl[:, None] - tl[None, :]) <= 1 * ms + 1e-9
    partners = [len(set(il[near[k]]) - {il[k]}) for k in range(tl.size)]
    return {
        "n_spikes": int(times.size),
        "first_mean_ms": float(np.mean(first) / ms),
        "first_sd_ms": float(np.std(first) / ms),
        "fifth_sd_ms": float(np.std(fifth) / ms),
        "isi_mean_ms": float(np.mean(isi) / ms),
        "isi_cv": float(np.std(isi) / np.mean(isi)),
        "reliability": float(np.mean(partners) / (N - 1)),
    }


if __name__ == "__main__":
    print(run())
