"""Synchrony from a weak common drive (NEST's ``pynest/examples/BrodyHopfield.py``), ported.

Brody & Hopfield (2003, Neuron 37:843): 1000 unconnected ``iaf_psc_alpha`` neurons with bias
currents from 140 to 200 pA, a common 35 Hz sinusoidal current of 50 pA and independent
Gaussian noise of 200 pA standard deviation. The original shows the raster and its histogram:
the neurons fire at 29-39 Hz and lock partially to the drive. This port reduces it to the
spike count, the rates of the lowest and highest quarter of the bias range, and the vector
strength of the spikes after 100 ms at the drive's phase.

NEST's ``noise_generator`` holds each value for ten time steps by default (``dt = 1 ms`` at
0.1 ms resolution); snn's ``NoiseCurrent`` holds it for one step unless told, so the interval is
given explicitly.

Run:  uv run python examples/ports/brody_hopfield.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, mV, pA, pF
from snn.neurons import LIFAlpha, NoiseCurrent, SineCurrent

N = 1000
DRIVE_HZ = 35.0


def run(seed: int = 1, noise_interval: float | None = 1 * ms) -> dict:
    """Simulate 600 ms; return the figures of the raster."""
    net = Network(dt=0.1 * ms, seed=seed)
    model = LIFAlpha(
        tau_m=20 * ms, v_th=20 * mV, e_l=10 * mV, t_ref=2 * ms, v_reset=0 * mV, c_m=200 * pF
    )
    neurons = net.add_population(model, N, init={"v": 0.0})
    neurons.set(i_e=(np.arange(1, N + 1) * 60.0 / N + 140.0) * pA)
    net.add_drive(SineCurrent(amplitude=50 * pA, frequency=DRIVE_HZ * Hz), neurons)
    net.add_drive(NoiseCurrent(mean=0.0, std=200 * pA, interval=noise_interval), neurons)
    spikes = net.record_spikes(neurons)
    net.run(600 * ms)
    return figures(spikes.times, spikes.indices)


def figures(times: np.ndarray, index: np.ndarray) -> dict:
    """Spike count, rates of the lowest and highest bias quarter [Hz], vector strength."""
    late = times > 0.1
    phase = 2 * np.pi * DRIVE_HZ * times[late]
    return {
        "n_spikes": int(times.size),
        "rate_low_Hz": float(np.sum(index < N // 4) / (N // 4) / 0.6),
        "rate_high_Hz": float(np.sum(index >= 3 * N // 4) / (N // 4) / 0.6),
        "vector_strength": float(np.abs(np.mean(np.exp(1j * phase)))),
    }


if __name__ == "__main__":
    print(run())
