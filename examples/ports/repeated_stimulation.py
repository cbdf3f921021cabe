"""Repeated stimulation (NEST's ``pynest/examples/repeated_stimulation.py``), ported to snn.

A 1 kHz Poisson generator, on from 100 to 500 ms of each one-second trial, five trials; NEST
moves the generator's ``origin`` to the start of each trial. The original plots the raster and a
100 ms histogram over the trials; this port returns the spike count of each trial and the
count in each 100 ms bin summed over the trials.

snn's :class:`snn.neurons.PoissonSource` has ``start`` and ``stop`` (NEST's semantics: spikes in
``(start, stop]``) but no ``origin``; the trial structure is its rate set between runs
(``pop.set(rate=...)``), which the network applies from the next step.

Run:  uv run python examples/ports/repeated_stimulation.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms
from snn.neurons import PoissonSource

TRIALS = 5


def run(seed: int = 1) -> dict:
    """Five trials; return spikes per trial and per 100 ms bin of a trial, summed."""
    net = Network(dt=0.1 * ms, seed=seed)
    generator = net.add_population(PoissonSource(rate=0.0), 1)
    spikes = net.record_spikes(generator)
    for _ in range(TRIALS):
        generator.set(rate=0.0)
        net.run(100 * ms)
        generator.set(rate=1000 * Hz)
        net.run(400 * ms)
        generator.set(rate=0.0)
        net.run(500 * ms)
    return figures(spikes.times)


def figures(times: np.ndarray) -> dict:
    """Spikes per trial, and per 100 ms bin of the trial summed over the trials."""
    per_trial = np.bincount(np.floor(times).astype(int), minlength=TRIALS)[:TRIALS]
    within = np.histogram(np.mod(times, 1.0), bins=np.arange(0.0, 1.0001, 0.1))[0]
    return {"per_trial": per_trial.tolist(), "per_bin": within.tolist()}


if __name__ == "__main__":
    print(run())
