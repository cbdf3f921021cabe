"""Sensitivity to perturbation (NEST's ``pynest/examples/sensitivity_to_perturbation.py``),
ported to snn.

A random network of 1000 excitatory and 250 inhibitory ``iaf_psc_delta`` neurons (in-degrees
100 and 25, J = 0.5 mV, g = 6, delays 0.01 ms, dt = 0.01 ms), each driven by its own 6.5 kHz
Poisson train of 0.2 mV jumps, is simulated twice for one second with the same seed: the same
connectivity, initial potentials and input. In the second trial one extra 0.2 mV input spike at
400 ms reaches the neuron that fired first after 400 ms in the first trial. The original
overlays the two rasters; this port reduces them to the rate, whether the trials agree up to
the perturbation (they must, spike for spike), when the first spike differs, and the fraction
of the second trial's spikes that the first trial also has (same neuron, same step) in 100 ms
bins after the perturbation: a chaotic network forgets the common past within tens of ms.

Here each trial is a network built anew with the same seed; the stimulus (a
``SpikeSourceArray`` and its one synapse) is added last, so that the random streams of
everything else, keyed by creation order, do not move (NEST resets its kernel and its seed).

Conventions that matter (docs/from-nest.md): NEST's ``fixed_indegree`` draws sources with
repetition (``multapses=True`` here); its ``poisson_generator`` reaches the neurons one delay
and one step late (``PoissonInput(start=2 dt, stop=T + 2 dt)``); the extra spike, stamped
400 ms, arrives one delay later in both. The original also connects a ``dc_generator`` of
-1e16 pA from T to T + 0.2 ms to silence the network before its recorder is read; it is
connected with NEST's default delay of 1 ms, so it arrives after the simulation ends and does
nothing. It is left out here; the figures take the spikes up to T only.

Run:  uv run python examples/ports/sensitivity_to_perturbation.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, SpikeSourceArray
from snn.synapses import AllToAll, FixedIndegree

NE, NI = 1000, 250
N = NE + NI
KE, KI = 100, 25
J = 0.5 * mV
G = 6.0
J_EXT = 0.2 * mV
RATE_EXT = 6500 * Hz
DT = 0.01 * ms
DELAY = 0.01 * ms
T_STIM = 400 * ms
T = 1000 * ms


def trial(seed: int, stimulated: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One trial; with ``stimulated`` (a neuron index, excitatory first), the extra spike.
    Returns the spike times [ms] and the neuron indices."""
    net = Network(dt=DT, seed=seed)
    model = LIFDelta()  # NEST's iaf_psc_delta defaults
    init = {"v": Uniform(low=model.e_l, high=model.v_th)}
    exc = net.add_population(model, NE, init=init)
    inh = net.add_population(model, NI, init=init)
    for post in (exc, inh):
        for pre, k, w in ((exc, KE, J), (inh, KI, -G * J)):
            rule = FixedIndegree(indegree=k, multapses=True)
            net.connect(pre, post, rule=rule, weight=w, delay=DELAY, receptor="syn")
    for post in (exc, inh):
        drive = PoissonInput(rate=RATE_EXT, weight=J_EXT, start=2 * DT, stop=T + 2 * DT)
        net.add_drive(drive, post)
    spikes = [net.record_spikes(exc), net.record_spikes(inh)]
    if stimulated is not None:
        pop, index = (exc, stimulated) if stimulated < NE else (inh, stimulated - NE)
        stimulus = net.add_population(SpikeSourceArray(times=[T_STIM], indices=[0]), 1)
        net.connect(
            stimulus, pop[[index]], rule=AllToAll(), weight=J_EXT, delay=DELAY, receptor="syn"
        )
    net.run(T)
    times = np.concatenate([s.times for s in spikes]) / ms
    index = np.concatenate([spikes[0].indices, spikes[1].indices + NE])
    order = np.lexsort((index, times))
    return times[order], index[order]


def first_after_stimulus(times_ms: np.ndarray, index: np.ndarray) -> int:
    """The neuron that fires first after the perturbation time (the original's ``id_stim``)."""
    return int(index[times_ms > T_STIM / ms][0])


def run(seed: int = 1) -> dict:
    """Simulate both trials; return the figures."""
    t0, i0 = trial(seed)
    t1, i1 = trial(seed, first_after_stimulus(t0, i0))
    return figures(t0, i0, t1, i1)


def figures(t0: np.ndarray, i0: np.ndarray, t1: np.ndarray, i1: np.ndarray) -> dict:
    """Rate of the first trial [Hz]; whether the trials agree, spike for spike (neuron and
    0.01 ms step), up to the perturbation; the number of spikes only one trial has; the times
    of the first and last of them after the perturbation [ms] (None if the trials agree)."""

    def events(t, i):
        keep = t <= T / ms
        steps = np.rint(t[keep] / (DT / ms)).astype(np.int64)
        return set(zip(steps.tolist(), np.asarray(i[keep]).tolist(), strict=True))

    e0, e1 = events(t0, i0), events(t1, i1)
    stim = round(T_STIM / DT)
    same_before = {e for e in e0 if e[0] <= stim} == {e for e in e1 if e[0] <= stim}
    differing = sorted(s for s, _ in e0 ^ e1)
    return {
        "rate_hz": len(e0) / N / T,
        "same_before": same_before,
        "n_differing": len(differing),
        "first_difference_ms": (differing[0] - stim) * DT / ms if differing else None,
        "last_difference_ms": (differing[-1] - stim) * DT / ms if differing else None,
    }


if __name__ == "__main__":
    print(run())
