"""An inhibitory network of Hodgkin-Huxley neurons with gap junctions (NEST's
``pynest/examples/gap_junctions_inhibitory_network.py``), ported to snn.

Hahne et al. (2015, Front. Neuroinform. 9:22), their test case 2: 500 ``hh_psc_alpha_gap``
neurons, each receiving 50 inhibitory synapses (-50 pA alpha currents, 1 ms delay, drawn as
NEST's ``fixed_indegree`` without autapses, with multapses) and its own 500 Hz Poisson train
of 300 pA alpha currents, started at V_m uniform in [-80, -40] mV; 15 000 pairs of neurons drawn
with replacement (numpy's ``choice``: a neuron may be paired with itself, which adds no current)
are joined by symmetric gap junctions of 0.3 nS. Resolution 0.05 ms, 501 ms. With 0.3 nS the
network stays asynchronous (the original's text: it synchronises from about 0.54 nS on). The
original plots the raster and prints the mean rate; this port returns the rate and the
synchrony of the population's activity (:func:`figures`).

The model is the one of ``gap_junctions_two_neurons.py`` (NEST's equations, RKF45 at NEST's
tolerance) with NEST's alpha-shaped synaptic currents added (``tau_syn_ex`` 0.2 ms,
``tau_syn_in`` 2 ms, a spike of weight ``w`` adds ``w e / tau`` to the current's derivative).
What differs from NEST (docs/from-nest.md): the Poisson drive reaches the neurons one delay and
one step after its start (``PoissonInput(start=delay + dt)``); snn holds the junction currents
over each step where NEST iterates them (waveform relaxation; within 0.15 mV of each other for
two neurons, ``gap_junctions_two_neurons.py``); spikes are stamped at the peak or one step
before NEST's stamp; and the random connectivity, initial potentials and Poisson trains are
snn's draws: only the seed ensembles can agree. Over five seeds each: rate 3.42 ± 0.14 Hz
(NEST 3.39 ± 0.13), CV of the counts 1.463 ± 0.036 (NEST 1.542 ± 0.030, 1.7 standard errors
of the difference apart). About a fifth of the neurons start above -50 mV and spike at once;
some of them (from -41.5 mV, say) made RKF45 accept a trial substep with an overflowed,
non-finite state until the equations' integrator rejected such substeps (7 December).

Run:  uv run python examples/ports/gap_junctions_inhibitory_network.py
"""

from __future__ import annotations

import numpy as np
from gap_junctions_two_neurons import GATES, HH_GAP_EQUATIONS, HH_GAP_OPTIONS, PARAMETERS

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV, nS, pA
from snn.equations import neuron_model
from snn.neurons import PoissonInput
from snn.synapses import Explicit, FixedIndegree, GapJunction

HH_PSC_ALPHA_GAP = neuron_model(
    "HHPscAlphaGapSynapses",
    HH_GAP_EQUATIONS.replace("I_SYN", "I_ex + I_in")
    + """
    dI_ex/dt = dI_ex_dt - I_ex / tau_syn_ex : amp
    ddI_ex_dt/dt = -dI_ex_dt / tau_syn_ex : amp / second
    dI_in/dt = dI_in_dt - I_in / tau_syn_in : amp
    ddI_in_dt/dt = -dI_in_dt / tau_syn_in : amp / second
    tau_syn_ex : second
    tau_syn_in : second
    """,
    on_spike={
        "exc": "dI_ex_dt += w * exp(1) / tau_syn_ex",
        "inh": "dI_in_dt += w * exp(1) / tau_syn_in",
    },
    **HH_GAP_OPTIONS,
)

N = 500
GAPS_PER_NEURON = 60
INDEGREE = 50
DELAY = 1 * ms
J_EX, J_IN = 300 * pA, -50 * pA
RATE = 500 * Hz
GAP_WEIGHT = 0.3 * nS
DT, DURATION = 0.05 * ms, 501 * ms
#: width of the bins of the population activity [s]
BIN = 1 * ms


def figures(spikes_ms: np.ndarray) -> dict:
    """Reduce the spikes of a run [ms] to the compared figures: the mean rate [Hz] (the
    original's title) and the coefficient of variation of the population's spike count in 1 ms
    bins after the first 100 ms (about 1 / sqrt(mean count) when asynchronous, larger when the
    neurons fire together)."""
    spikes_ms = np.asarray(spikes_ms)
    counts, _ = np.histogram(spikes_ms, bins=np.arange(100.0, 501.0 + 1e-9, BIN / ms))
    return {
        "rate_Hz": float(spikes_ms.size / N / (DURATION / 1.0)),
        "count_cv": float(np.std(counts) / np.mean(counts)),
    }


def run(seed: int = 1, gap_weight: float = GAP_WEIGHT) -> dict:
    """Simulate the network with gap junctions of ``gap_weight`` [S]; :func:`figures`."""
    net = Network(dt=DT, seed=seed)
    model = HH_PSC_ALPHA_GAP(**PARAMETERS, I_e=0.0, tau_syn_ex=0.2 * ms, tau_syn_in=2 * ms)
    pop = net.add_population(model, N, init={"v": Uniform(low=-80 * mV, high=-40 * mV), **GATES})
    net.connect(
        pop,
        pop,
        rule=FixedIndegree(indegree=INDEGREE, autapses=False, multapses=True),
        weight=J_IN,
        delay=DELAY,
        receptor="inh",
    )
    net.add_drive(PoissonInput(rate=RATE, weight=J_EX, receptor="exc", start=DELAY + DT), pop)
    pairs = np.random.default_rng(seed).integers(0, N, size=(N * GAPS_PER_NEURON // 2, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # a junction onto itself carries no current
    net.connect(
        pop,
        pop,
        rule=Explicit(pre=pairs.ravel(), post=pairs[:, ::-1].ravel()),
        weight=gap_weight,
        synapse=GapJunction(),
        receptor="I_gap",
    )
    spikes = net.record_spikes(pop)
    net.run(DURATION)
    return figures(spikes.times / ms)


if __name__ == "__main__":
    out = run()
    print(f"rate {out['rate_Hz']:.2f} Hz, CV of the 1 ms population counts {out['count_cv']:.3f}")
