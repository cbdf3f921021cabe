"""Sinusoidally modulated Poisson trains (NEST's
``pynest/examples/sinusoidal_poisson_generator.py``), ported to snn.

Two ``sinusoidal_poisson_generator`` nodes at 0.01 ms resolution, one at 10 kHz modulated by
+-5 kHz at 10 Hz, one at 0 Hz modulated by +-10 kHz at 5 Hz with a phase of 90 degrees (its
rate is cut at zero for half of each period), run for 200 ms; then twenty parrot neurons fed by
a 100 +- 50 Hz, 10 Hz generator, with individual spike trains and with one train for all. The
original plots the rates, the PST and ISI histograms and the two rasters; this port reduces
them to the spike counts, the recorded rates and whether the parrots' trains coincide.

NEST's single generator sends each target its own train; in snn a source neuron's spikes go to
all its targets, so twenty independent trains are twenty source neurons (connected one to one),
and ``individual_spike_trains=False`` makes the twenty emit the same train. NEST gives the phase
in degrees, snn in radians.

Run:  uv run python examples/ports/sinusoidal_poisson_generator.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms
from snn.neurons import ParrotNeuron, SinusoidalPoissonSource
from snn.synapses import OneToOne


def generators(seed: int = 1) -> dict:
    """The two generators of the first panel: spike counts and the recorded rates [Hz]."""
    net = Network(dt=0.01 * ms, seed=seed)
    model = SinusoidalPoissonSource(
        rate=np.array([10000.0, 0.0]) * Hz,
        amplitude=np.array([5000.0, 10000.0]) * Hz,
        frequency=np.array([10.0, 5.0]) * Hz,
        phase=np.deg2rad([0.0, 90.0]),
    )
    gens = net.add_population(model, 2)
    spikes = net.record_spikes(gens)
    rate = net.record_state(gens, "rate", interval=0.1 * ms)
    net.run(200 * ms)
    rec = rate.record()
    return {
        "counts": spikes.spike_counts().tolist(),
        "rate_times_ms": (rec.times[:5] / ms).tolist(),
        "rate_first_Hz": rec.values["rate"][:5].tolist(),
        "rate_mean_Hz": rec.values["rate"].mean(axis=0).tolist(),
    }


def parrots(seed: int = 1) -> dict:
    """Twenty parrots behind a 100 +- 50 Hz, 10 Hz generator, with individual trains and with
    one shared train (one network, both cases side by side): counts and distinct trains."""
    net = Network(dt=0.1 * ms, seed=seed)
    monitors = {}
    for key, individual in (("individual", True), ("shared", False)):
        model = SinusoidalPoissonSource(
            rate=100 * Hz, amplitude=50 * Hz, frequency=10 * Hz, individual_spike_trains=individual
        )
        source = net.add_population(model, 20, name=f"generator ({key})")
        birds = net.add_population(ParrotNeuron(), 20, name=f"parrots ({key})")
        net.connect(source, birds, rule=OneToOne(), weight=1.0, delay=0.1 * ms)
        monitors[key] = net.record_spikes(birds)
    net.run(200 * ms)
    out = {}
    for key, spikes in monitors.items():
        trains = {tuple(spikes.times[spikes.indices == k]) for k in range(20)}
        out[key] = {"n_spikes": int(spikes.n_spikes), "distinct_trains": len(trains)}
    return out


if __name__ == "__main__":
    print(generators())
    print(parrots())
