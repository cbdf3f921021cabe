"""The Potjans & Diesmann (2014) microcircuit built with snn, as NEST's reference builds it.

Eight populations of ``iaf_psc_exp`` neurons (:class:`~snn.neurons.LIFExp`), one per layer and
cell type; between every pair a :class:`~snn.synapses.FixedTotalNumber` projection (multapses and
autapses allowed, as NEST's defaults that the reference keeps) with normal weights redrawn until
their sign is right and normal delays redrawn below one step of 0.1 ms; background input as
independent Poisson events (:class:`~snn.neurons.PoissonInput`, ``K_ext`` inputs of 8 Hz each)
or as its mean DC current; thalamic input off. Parameters: :mod:`snn.bench._pd14`.

The reference delays its Poisson input by 1.5 ms; a Poisson process shifted in time is the same
process, so the drive here has no delay (only the first 1.5 ms of the discarded transient
differ).
"""

from __future__ import annotations

from typing import Literal

from snn.bench._pd14 import (
    BG_RATE,
    NEURON,
    POPULATIONS,
    RESOLUTION,
    V0_MEAN,
    V0_STD,
    microcircuit,
)
from snn.core import Network, Population
from snn.core.random import Clipped, Normal
from snn.core.units import Hz, ms, mV, pA, pF
from snn.neurons import LIFExp, PoissonInput
from snn.synapses import FixedTotalNumber

__all__ = ["microcircuit_network"]


def microcircuit_network(
    *,
    scale: float = 1.0,
    k_scale: float | None = None,
    seed: int = 1,
    dtype: str = "float64",
    threads: int = 1,
    background: Literal["poisson", "dc"] = "poisson",
) -> tuple[Network, dict[str, Population]]:
    """Build the microcircuit.

    Parameters
    ----------
    scale
        Factor on the number of neurons, in (0, 1].
    k_scale
        Factor on the in-degrees (default ``scale``), with the reference's compensation: weights
        times ``1 / sqrt(k_scale)`` and a DC current preserving the mean input.
    seed, dtype, threads
        As :class:`~snn.core.Network`.
    background
        ``"poisson"`` or ``"dc"``.

    Returns
    -------
    Network
        The network (nothing recorded yet).
    dict
        Its populations by name (``L23E``, ``L23I``, ... ``L6I``).
    """
    p = microcircuit(scale, k_scale, background)
    dt = RESOLUTION * ms
    net = Network(dt=dt, seed=seed, dtype=dtype, threads=threads, name="microcircuit")
    pops: dict[str, Population] = {}
    for k, name in enumerate(POPULATIONS):
        model = LIFExp(
            tau_m=NEURON["tau_m"] * ms,
            c_m=NEURON["C_m"] * pF,
            e_l=NEURON["E_L"] * mV,
            v_th=NEURON["V_th"] * mV,
            v_reset=NEURON["V_reset"] * mV,
            t_ref=NEURON["t_ref"] * ms,
            tau_syn_ex=NEURON["tau_syn"] * ms,
            tau_syn_in=NEURON["tau_syn"] * ms,
            i_e=float(p.dc_amp[k]) * pA,
        )
        init = {"v": Normal(mean=V0_MEAN[k] * mV, std=V0_STD[k] * mV)}
        pops[name] = net.add_population(model, int(p.num_neurons[k]), name=name, init=init)
    for i, target in enumerate(POPULATIONS):
        for j, source in enumerate(POPULATIONS):
            n = int(p.num_synapses[i, j])
            if n == 0:
                continue
            w_mean, w_sd = float(p.weight_mean[i, j]) * pA, float(p.weight_std[i, j]) * pA
            exc = w_mean > 0
            weight = Clipped(
                Normal(mean=w_mean, std=w_sd),
                low=0.0 if exc else None,
                high=None if exc else 0.0,
            )
            d_mean, d_sd = float(p.delay_mean[i, j]) * ms, float(p.delay_std[i, j]) * ms
            delay = Clipped(Normal(mean=d_mean, std=d_sd), low=dt)
            net.connect(
                pops[source],
                pops[target],
                rule=FixedTotalNumber(n=n),
                weight=weight,
                delay=delay,
                receptor="exc" if exc else "inh",
                name=f"{source}->{target}",
            )
    if background == "poisson":
        for k, name in enumerate(POPULATIONS):
            rate = float(p.ext_indegree[k]) * BG_RATE * Hz
            net.add_drive(
                PoissonInput(rate=rate, weight=p.weight_ext * pA, receptor="exc"), pops[name]
            )
    return net, pops
