"""Brian2's example models, written in snn from their equations.

Four of Brian2's examples, their equations pasted into :func:`snn.equations.neuron_model` with
the changes the guide page "From Brian2 equations" lists (parameters declared in the equations
with their units; values given when the model is created; synaptic effects as ``on_spike``):

* COBA and CUBA (Brette et al. 2007 benchmarks 1 and 2): ``snn.bench.build(..., equations=True)``
  (the equations are in :mod:`snn.bench._equations`); statistic: the E and I rates.
* ``frompapers/Diesmann_et_al_1999.py``, the synfire chain (Diesmann, Gewaltig & Aertsen 1999,
  Nature 402:529): 10 groups of 100 neurons, each group all-to-all onto the next, the first
  driven by 85 spikes around 50 ms; statistics: per group, the number of spikes of the volley,
  its mean time and its spread.
* ``frompapers/Brette_Gerstner_2005.py``, the adaptive exponential neuron (Brette & Gerstner
  2005, J. Neurophysiol. 94:3637) under a 1 nA step from 20 to 120 ms; deterministic, so the
  statistic is the spike times themselves.

Timing conventions differ: Brian2 stamps a spike at the start of the step in which the threshold
is crossed and delivers a synapse without delay within the same step; snn stamps it at the end
of that step and delivers after at least one step (NEST's conventions). A spike time of snn is
Brian2's plus ``dt``, and each link of the synfire chain takes one ``dt`` longer in snn.
:func:`synfire_statistics` removes both offsets from snn's times. A refractory period of ``T``
holds a neuron for ``round(T / dt)`` steps after its spike in snn (and NEST), one step fewer in
Brian2 (49 instead of 50 for COBA's and CUBA's 5 ms), which lowers snn's rates a little.

``compare.py`` runs these with Brian2 side by side and stores the results; the tests
(``tests/equations/test_brian2_examples.py``) run the snn side against the stored Brian2 seed
spread.
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import ms, mV, nA, nS, pF
from snn.equations import neuron_model
from snn.neurons import DCSource, SpikeSourceArray
from snn.synapses import AllToAll

DT = 0.1 * ms

# ---- Diesmann et al. 1999: the example's equations, parameters declared with their units
SYNFIRE = neuron_model(
    "SYNFIRE",
    """
    dV/dt = (-(V - Vr) + x) * (1. / taum) : volt
    dx/dt = (-x + y) * (1. / taupsp) : volt
    dy/dt = -y * (1. / taupsp) + 25.27 * mV / ms +
            (39.24 * mV / ms**0.5) * xi : volt
    Vr : volt
    Vt : volt
    taum : second
    taupsp : second
    """,
    threshold="V > Vt",
    reset="V = Vr",
    refractory=1 * ms,
    on_spike={"syn": "y += w"},
    method="euler",
)
SYNFIRE_PARAMS = {"Vr": -70 * mV, "Vt": -55 * mV, "taum": 10 * ms, "taupsp": 0.325 * ms}
SYNFIRE_WEIGHT = 4.86 * mV
N_GROUPS, GROUP_SIZE, N_INPUT = 10, 100, 85


def synfire_input(seed: int) -> np.ndarray:
    """The 85 input spike times [s]: N(50 ms, (1 ms)^2), on the time grid (as Brian2 puts them)."""
    times = np.random.default_rng(seed).normal(50 * ms, 1 * ms, N_INPUT)
    return np.rint(times / DT) * DT


def synfire(seed: int, duration: float = 100 * ms) -> tuple[np.ndarray, np.ndarray]:
    """Spike times [s] and neuron indices of the synfire chain in snn."""
    net = Network(dt=DT, seed=seed)
    pop = net.add_population(
        SYNFIRE(**SYNFIRE_PARAMS),
        N_GROUPS * GROUP_SIZE,
        init={"V": Uniform(low=-70 * mV, high=-55 * mV)},
    )
    source = net.add_population(
        SpikeSourceArray(times=synfire_input(seed), indices=np.arange(N_INPUT)), N_INPUT
    )
    net.connect(source, pop[:GROUP_SIZE], rule=AllToAll(), weight=SYNFIRE_WEIGHT)
    for g in range(N_GROUPS - 1):
        pre = pop[g * GROUP_SIZE : (g + 1) * GROUP_SIZE]
        post = pop[(g + 1) * GROUP_SIZE : (g + 2) * GROUP_SIZE]
        net.connect(pre, post, rule=AllToAll(), weight=SYNFIRE_WEIGHT)
    spikes = net.record_spikes(pop)
    net.run(duration)
    return spikes.times.copy(), spikes.senders.copy() - pop.first_id


def synfire_statistics(
    times: np.ndarray, indices: np.ndarray, *, snn: bool
) -> dict[str, list[float]]:
    """Per group: spikes of the volley, its median time [ms] and its spread [ms].

    The volley of a group is its spikes within 3 ms of the group's median spike time after
    40 ms (the spontaneous spikes before and around it are few). With ``snn``, the times are
    moved onto Brian2's conventions (see the module docstring): ``dt`` earlier, and ``g dt``
    earlier for group ``g``.
    """
    groups = indices // GROUP_SIZE
    out: dict[str, list[float]] = {"count": [], "time_ms": [], "spread_ms": []}
    for g in range(N_GROUPS):
        t = times[(groups == g) & (times > 40 * ms)]
        if snn:
            t = t - DT * (1 + g)
        if t.size == 0:
            out["count"].append(0.0)
            out["time_ms"].append(float("nan"))
            out["spread_ms"].append(float("nan"))
            continue
        centre = np.median(t)
        volley = t[np.abs(t - centre) <= 3 * ms]
        out["count"].append(float(volley.size))
        out["time_ms"].append(float(np.median(volley) / ms))
        out["spread_ms"].append(float(np.std(volley) / ms))
    return out


# ---- Brette & Gerstner 2005: the example's equations; its input current I becomes a current
# receptor fed by a DC source from 20 to 120 ms (Brian2 sets neuron.I between runs)
ADEX = neuron_model(
    "ADEX",
    """
    dvm/dt = (gL * (EL - vm) + gL * DeltaT * exp((vm - VT) / DeltaT) + I - w) / C : volt
    dw/dt = (a * (vm - EL) - w) / tauw : amp
    I : amp
    C : farad
    gL : siemens
    EL : volt
    VT : volt
    DeltaT : volt
    tauw : second
    a : siemens
    b : amp
    Vr : volt
    Vcut : volt
    """,
    threshold="vm > Vcut",
    reset="vm = Vr; w += b",
    currents=["I"],
    initial={"vm": "EL"},
    method="euler",
)
#: regular spiking, as in the paper and the example
ADEX_PARAMS = {
    "C": 281 * pF,
    "gL": 30 * nS,
    "EL": -70.6 * mV,
    "VT": -50.4 * mV,
    "DeltaT": 2 * mV,
    "tauw": 144 * ms,
    "a": 4 * nS,
    "b": 0.0805 * nA,
    "Vr": -70.6 * mV,
    "Vcut": -50.4 * mV + 5 * 2 * mV,
}


def adex() -> tuple[np.ndarray, np.ndarray]:
    """Spike times [s] and the trace of ``vm`` [V] (sampled at the end of every step) in snn."""
    net = Network(dt=DT)
    pop = net.add_population(ADEX(**ADEX_PARAMS), 1)
    net.add_drive(DCSource(amplitude=1 * nA, start=20 * ms, stop=120 * ms), pop)
    trace = net.record_state(pop, "vm", interval=DT)
    spikes = net.record_spikes(pop)
    net.run(140 * ms)
    return spikes.times.copy(), trace["vm"][:, 0].copy()
