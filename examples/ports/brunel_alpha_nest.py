"""Random balanced network with alpha-shaped currents (NEST's
``pynest/examples/brunel_alpha_nest.py``), ported to snn.

Brunel (2000, J. Comput. Neurosci. 8:183-208), in the asynchronous irregular regime: 10 000
excitatory and 2500 inhibitory ``iaf_psc_alpha`` neurons (tau_m = 20 ms, C_m = 250 pF,
threshold 20 mV above rest, reset to rest, 2 ms refractory, alpha currents of 0.5 ms). Each
neuron receives exactly 1000 excitatory and 250 inhibitory synapses from randomly drawn sources
(NEST's ``fixed_indegree``), all with a delay of 1.5 ms; the excitatory weight makes a 0.1 mV
PSP peak (the example's Lambert-W formula), the inhibitory one is -5 times as large (g = 5).
Every neuron also receives its own Poisson train at twice the rate that would hold the mean
potential at threshold (eta = 2). The original records the spikes of the first 50 neurons of
each population for one second and prints their rates; this port returns them, the rates
over all neurons and the CV of the excitatory neurons' inter-spike intervals.

In snn: :class:`snn.neurons.LIFAlpha` (``iaf_psc_alpha``), :class:`snn.synapses.FixedIndegree`
and :class:`snn.neurons.PoissonInput`. Conventions that matter (docs/from-nest.md):

* NEST's ``fixed_indegree`` allows multapses (the same source drawn twice for one target)
  unless told otherwise; snn's ``FixedIndegree`` does not unless given ``multapses=True``,
  which this port gives. Autapses are allowed in both. Without multapses (about 50 repeated
  sources per target here) the rates stay but the CV of the inter-spike intervals falls from
  NEST's 0.188 to 0.184, many standard errors away (seeds 1-5).
* The example's ``poisson_generator`` sends each neuron its own train, as ``PoissonInput``
  does, but nothing from its first step (it emits in ``(start, stop]``) and through the
  1.5 ms delay of its synapse: its first events arrive at 1.7 ms, and the potentials first
  move at 1.8 ms. ``PoissonInput`` has no delay, so the port starts it at 1.6 ms
  (``start=``): the potentials then also first move at 1.8 ms (checked on one neuron against
  NEST).
* Random numbers are keyed differently, so only seed ensembles can agree.

``scale`` shrinks both populations and both in-degrees by the same factor (the drive stays at
twice the threshold rate, so the regime is kept approximately); ``scale=1`` is the example.

Run:  uv run python examples/ports/brunel_alpha_nest.py
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import lambertw

from snn.core import Network
from snn.core.units import Hz, ms, mV, pF
from snn.neurons import LIFAlpha, PoissonInput
from snn.synapses import FixedIndegree

DT = 0.1 * ms
DURATION = 1.0
DELAY = 1.5 * ms
G = 5.0  # inhibitory weight / excitatory weight
ETA = 2.0  # external rate / threshold rate
EPSILON = 0.1  # connection probability (fixes the in-degrees)
ORDER = 2500
#: the size compared with NEST (see the test); 1 is the example
SCALE = 1.0
N_REC = 50
TAU_SYN = 0.5 * ms
TAU_M = 20 * ms
C_M = 250 * pF
THETA = 20 * mV
J = 0.1 * mV  # PSP peak


def psp_peak_per_amp(tau_m: float, c_m: float, tau_syn: float) -> float:
    """Peak [V] of the PSP that an alpha current of peak 1 A makes in a LIF neuron at rest.

    The current ``e t / tau_syn exp(-t / tau_syn)`` gives ``V(t) = e / (c_m tau_syn b)
    ((exp(-t/tau_m) - exp(-t/tau_syn)) / b - t exp(-t/tau_syn))`` with
    ``b = 1/tau_syn - 1/tau_m``, whose maximum lies where the lower branch of Lambert's W
    says (the example's ``ComputePSPnorm``, rederived).
    """
    a = tau_m / tau_syn
    b = 1.0 / tau_syn - 1.0 / tau_m
    t_max = (-lambertw(-math.exp(-1.0 / a) / a, k=-1).real - 1.0 / a) / b
    decay_m, decay_s = math.exp(-t_max / tau_m), math.exp(-t_max / tau_syn)
    return math.e / (tau_syn * c_m * b) * ((decay_m - decay_s) / b - t_max * decay_s)


#: excitatory current peak [A] giving a 0.1 mV PSP (20.68 pA, as the example computes)
J_EX = J / psp_peak_per_amp(TAU_M, C_M, TAU_SYN)
J_IN = -G * J_EX


def sizes(scale: float = 1.0) -> dict:
    """Population sizes and in-degrees of the example shrunk by ``scale``."""
    n_e, n_i = round(4 * ORDER * scale), round(ORDER * scale)
    return {"n_e": n_e, "n_i": n_i, "c_e": int(EPSILON * n_e), "c_i": int(EPSILON * n_i)}


def external_rate(c_e: int) -> float:
    """Rate [Hz] of each neuron's Poisson drive: eta times the rate of ``c_e`` sources that
    holds the mean potential at threshold (the example's ``p_rate``)."""
    nu_th = THETA * C_M / (J_EX * c_e * math.e * TAU_M * TAU_SYN)
    return ETA * nu_th * c_e


def run(
    seed: int = 1, scale: float = SCALE, drive_delay: float = DELAY + DT, multapses: bool = True
) -> dict:
    """Simulate one second; return :func:`figures` of both populations' spikes.

    The Poisson drive starts at ``drive_delay`` [s] (NEST's generator is silent in its first
    step and reaches the neurons through the 1.5 ms delay of its synapse); 0 starts it at
    once. ``multapses=False`` is snn's default for ``FixedIndegree``, not NEST's.
    """
    s = sizes(scale)
    net = Network(dt=DT, seed=seed)
    model = LIFAlpha(
        c_m=C_M,
        tau_m=TAU_M,
        tau_syn_ex=TAU_SYN,
        tau_syn_in=TAU_SYN,
        t_ref=2 * ms,
        e_l=0.0,
        v_reset=0.0,
        v_th=THETA,
    )
    exc = net.add_population(model, s["n_e"], name="E")
    inh = net.add_population(model, s["n_i"], name="I")
    rate = external_rate(s["c_e"]) * Hz
    drive = PoissonInput(rate=rate, weight=J_EX, start=drive_delay, receptor="exc")
    for post in (exc, inh):
        net.add_drive(drive, post)
        for pre, k, w, receptor in ((exc, s["c_e"], J_EX, "exc"), (inh, s["c_i"], J_IN, "inh")):
            net.connect(
                pre,
                post,
                rule=FixedIndegree(indegree=k, multapses=multapses),
                weight=w,
                delay=DELAY,
                receptor=receptor,
            )
    spikes_e, spikes_i = net.record_spikes(exc), net.record_spikes(inh)
    net.run(DURATION)
    return figures(
        spikes_e.times, spikes_e.indices, spikes_i.times, spikes_i.indices, s["n_e"], s["n_i"]
    )


def _cv_isi(times: np.ndarray, indices: np.ndarray) -> float:
    """Mean over neurons with at least three spikes of the CV of their inter-spike intervals."""
    order = np.lexsort((times, indices))
    t, i = times[order], indices[order]
    cvs = []
    for k in np.unique(i):
        isi = np.diff(t[i == k])
        if isi.size >= 2:
            cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs))


def figures(
    times_e: np.ndarray,
    indices_e: np.ndarray,
    times_i: np.ndarray,
    indices_i: np.ndarray,
    n_e: int,
    n_i: int,
) -> dict:
    """Rates [Hz] of the first 50 neurons of each population (the example's), of all, and
    the mean CV of the excitatory inter-spike intervals; spikes in [s], indices from 0."""
    times_e, times_i = np.asarray(times_e), np.asarray(times_i)
    indices_e, indices_i = np.asarray(indices_e), np.asarray(indices_i)
    return {
        "rate_ex_Hz": float(np.sum(indices_e < N_REC) / N_REC / DURATION),
        "rate_in_Hz": float(np.sum(indices_i < N_REC) / N_REC / DURATION),
        "rate_ex_all_Hz": float(times_e.size / n_e / DURATION),
        "rate_in_all_Hz": float(times_i.size / n_i / DURATION),
        "cv_isi_ex": _cv_isi(times_e, indices_e),
    }


if __name__ == "__main__":
    print(run())
