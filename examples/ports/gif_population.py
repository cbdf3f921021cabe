"""A population of generalised integrate-and-fire neurons (NEST's
``pynest/examples/gif_population.py``), ported to snn.

100 ``gif_psc_exp`` neurons (Mensi et al. 2012, Pozzorini et al. 2015: escape noise, two
spike-triggered currents, two threshold-adaptation kernels; the example's parameters),
connected with probability 0.3 by 30 pA synapses, each driven by 50 Poisson generators of
10 Hz through 20 pA synapses, for two seconds. The original shows the raster and the population
histogram; this port reduces them to the mean rate and the coefficient of variation of the
population's spike count in 10 ms bins (its synchrony).

A NEST ``poisson_generator`` sends each of its targets its own train, so each neuron here gets
50 independent trains, 500 Hz in all: an snn :class:`snn.neurons.PoissonInput` per neuron.
A population of 50 :class:`snn.neurons.PoissonSource` neurons connected to all would instead
send every neuron the same 50 trains (``shared_sources=True``), a correlated drive that makes
the population fire in synchrony. Every connection has NEST's default delay of 1 ms.

Run:  uv run python examples/ports/gif_population.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, mV, nS, pA, pF
from snn.neurons import GIFPscExp, PoissonInput, PoissonSource
from snn.synapses import AllToAll, PairwiseBernoulli

N = 100
DURATION = 2.0


def run(seed: int = 1, shared_sources: bool = False) -> dict:
    """Simulate two seconds; return the rate [Hz] and the CV of the 10 ms spike counts."""
    net = Network(dt=0.1 * ms, seed=seed)
    model = GIFPscExp(
        c_m=83.1 * pF,
        g_l=3.7 * nS,
        e_l=-67 * mV,
        delta_v=1.4 * mV,
        v_t_star=-39.6 * mV,
        t_ref=4 * ms,
        v_reset=-36.7 * mV,
        lambda_0=1.0 * Hz,
        q_stc=(56.7 * pA, -6.9 * pA),
        tau_stc=(57.8 * ms, 218.2 * ms),
        q_sfa=(11.7 * mV, 1.8 * mV),
        tau_sfa=(53.8 * ms, 640.0 * ms),
        tau_syn_ex=10 * ms,
    )
    population = net.add_population(model, N)
    net.connect(
        population,
        population,
        rule=PairwiseBernoulli(p=0.3),
        weight=30 * pA,
        delay=1 * ms,
        receptor="exc",
    )
    if shared_sources:
        noise = net.add_population(PoissonSource(rate=10 * Hz), 50)
        net.connect(
            noise, population, rule=AllToAll(), weight=20 * pA, delay=1 * ms, receptor="exc"
        )
    else:
        net.add_drive(PoissonInput(rate=50 * 10 * Hz, weight=20 * pA, receptor="exc"), population)
    spikes = net.record_spikes(population)
    net.run(DURATION)
    return figures(spikes.times)


def figures(times: np.ndarray) -> dict:
    """Mean rate [Hz] and the CV of the population's spike count in 10 ms bins."""
    counts, _ = np.histogram(times, bins=np.arange(0.0, DURATION + 1e-9, 10 * ms))
    return {
        "rate_Hz": float(times.size / N / DURATION),
        "count_cv": float(counts.std() / counts.mean()),
    }


if __name__ == "__main__":
    print(run())
