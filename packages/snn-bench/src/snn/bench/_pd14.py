"""Parameters of the Potjans & Diesmann (2014) cortical microcircuit, as NEST's reference has them.

Numbers are those of NEST's reference implementation (``pynest/examples/Potjans_2014``,
``network_params.py`` and ``helpers.py``, NEST 3.x), which follows Potjans T.C. & Diesmann M.
(2014), "The cell-type specific cortical microcircuit: relating structure and activity in a
full-scale spiking network model", Cereb. Cortex 24(3):785-806. Only numpy is used here: the
snn builder and the NEST peer runner read the same values.

Units follow the reference: mV, ms, pF, pA, Hz. Matrices are indexed ``[target, source]`` in the
order of :data:`POPULATIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "FULL_MEAN_RATES",
    "FULL_NUM_NEURONS",
    "POPULATIONS",
    "Microcircuit",
    "microcircuit",
    "psc_over_psp",
]

POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")

#: neurons per population at full scale (network_params.py ``full_num_neurons``)
FULL_NUM_NEURONS = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])

#: connection probabilities [target, source] (network_params.py ``conn_probs``)
CONN_PROBS = np.array(
    [
        [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
        [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
        [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
        [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
        [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
        [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
        [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
        [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
    ]
)

#: mean rates of the full-scale network [Hz] (network_params.py ``full_mean_rates``): used for
#: the DC compensation of scaled in-degrees, and the reference the full model is compared to
FULL_MEAN_RATES = np.array([0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829])

#: external (background) in-degrees (``K_ext``)
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])

#: initial membrane potentials, ``V0_type = "optimized"`` (population means and sds) [mV]
V0_MEAN = np.array([-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43])
V0_STD = np.array([5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48])

#: iaf_psc_exp parameters of every population
NEURON = {
    "C_m": 250.0,  # pF
    "tau_m": 10.0,  # ms
    "tau_syn": 0.5,  # ms, excitatory and inhibitory
    "E_L": -65.0,  # mV
    "V_th": -50.0,  # mV
    "V_reset": -65.0,  # mV
    "t_ref": 2.0,  # ms
}

PSP_EXC_MEAN = 0.15  # mV, mean excitatory PSP amplitude
WEIGHT_REL_STD = 0.1  # relative sd of weights
G = -4.0  # inhibitory / excitatory PSP ratio
BG_RATE = 8.0  # Hz per external input
DELAY_EXC_MEAN = 1.5  # ms
DELAY_INH_MEAN = 0.75  # ms
DELAY_REL_STD = 0.5  # relative sd of delays
DELAY_POISSON = 1.5  # ms
RESOLUTION = 0.1  # ms, the reference's ``sim_resolution``
T_PRESIM = 500.0  # ms of discarded transient in the reference (``t_presim``)


def psc_over_psp(c_m: float, tau_m: float, tau_syn: float) -> float:
    """PSC amplitude [pA] giving a 1 mV peak PSP in iaf_psc_exp (reference ``helpers.py``).

    The peak of the PSP ``v = (i * h)(t)`` of an exponential current ``i`` through the membrane
    filter ``h`` (Hanuschkin et al. 2010, Front. Neuroinform. 4:113, eq. 5).
    """
    sub = 1.0 / (tau_syn - tau_m)
    pre = tau_m * tau_syn / c_m * sub
    frac = (tau_m / tau_syn) ** sub
    return 1.0 / (pre * (frac**tau_m - frac**tau_syn))


@dataclass(frozen=True)
class Microcircuit:
    """The derived parameters of one scaled microcircuit (units: pA, ms, mV, Hz).

    Attributes
    ----------
    num_neurons
        Neurons per population.
    num_synapses
        Synapses ``[target, source]`` (the reference's ``fixed_total_number``).
    weight_mean
        Mean PSC amplitude ``[target, source]`` [pA]; negative for inhibitory sources.
    weight_std
        Its standard deviation [pA].
    delay_mean, delay_std
        Delay law ``[target, source]`` [ms] (normal, redrawn below :data:`RESOLUTION`).
    ext_indegree
        External inputs per neuron, each at :data:`BG_RATE` (0 with DC background).
    weight_ext
        PSC amplitude of an external input [pA].
    dc_amp
        DC current per population [pA]: the background's mean (DC background) plus the
        compensation for scaled in-degrees.
    """

    scale: float
    k_scale: float
    background: str
    num_neurons: np.ndarray
    num_synapses: np.ndarray
    weight_mean: np.ndarray
    weight_std: np.ndarray
    delay_mean: np.ndarray
    delay_std: np.ndarray
    ext_indegree: np.ndarray
    weight_ext: float
    dc_amp: np.ndarray

    @property
    def total_synapses(self) -> int:
        """Recurrent synapses of the whole circuit."""
        return int(self.num_synapses.sum())


def microcircuit(
    scale: float = 1.0,
    k_scale: float | None = None,
    background: Literal["poisson", "dc"] = "poisson",
) -> Microcircuit:
    """Derive the microcircuit's parameters as the reference's ``Network.__derive_parameters``.

    Parameters
    ----------
    scale
        Factor on the number of neurons (``N_scaling``), in (0, 1].
    k_scale
        Factor on the in-degrees (``K_scaling``); default ``scale``. Below 1 the weights grow by
        ``1 / sqrt(k_scale)`` and a DC current keeps every neuron's mean input at the full
        model's (computed from :data:`FULL_MEAN_RATES`).
    background
        ``"poisson"``: external Poisson inputs; ``"dc"``: their mean as a DC current.
    """
    k = scale if k_scale is None else k_scale
    if not (0.0 < scale <= 1.0 and 0.0 < k <= 1.0):
        raise ValueError(f"scale and k_scale must lie in (0, 1], got {scale!r} and {k!r}.")
    if background not in ("poisson", "dc"):
        raise ValueError(f"background must be 'poisson' or 'dc', got {background!r}.")
    prod = np.outer(FULL_NUM_NEURONS, FULL_NUM_NEURONS).astype(np.float64)
    full_synapses = np.log(1.0 - CONN_PROBS) / np.log((prod - 1.0) / prod)
    num_neurons = np.round(FULL_NUM_NEURONS * scale).astype(np.int64)
    num_synapses = np.round(full_synapses * scale * k).astype(np.int64)
    ext_indegree = np.round(K_EXT * k).astype(np.int64)

    psp = np.zeros((8, 8))
    psp[:, 0::2] = PSP_EXC_MEAN
    psp[:, 1::2] = PSP_EXC_MEAN * G
    psp[0, 2] = 2.0 * PSP_EXC_MEAN  # L4E -> L2/3E doubled
    factor = psc_over_psp(NEURON["C_m"], NEURON["tau_m"], NEURON["tau_syn"])
    w_full = psp * factor
    w_ext_full = PSP_EXC_MEAN * factor
    tau_syn = NEURON["tau_syn"]
    on = background == "dc"
    dc = BG_RATE * K_EXT * w_ext_full * tau_syn * 1e-3 if on else np.zeros(8)
    w, w_ext = w_full, w_ext_full
    if k != 1.0:
        w = w_full / np.sqrt(k)
        w_ext = w_ext_full / np.sqrt(k)
        indegree_full = full_synapses / FULL_NUM_NEURONS[:, None]
        input_rec = np.sum(w_full * indegree_full * FULL_MEAN_RATES, axis=1)
        dc = dc + 1e-3 * tau_syn * (1.0 - np.sqrt(k)) * input_rec
        if background == "poisson":
            dc = dc + 1e-3 * tau_syn * (1.0 - np.sqrt(k)) * w_ext_full * K_EXT * BG_RATE
    delay_mean = np.zeros((8, 8))
    delay_mean[:, 0::2] = DELAY_EXC_MEAN
    delay_mean[:, 1::2] = DELAY_INH_MEAN
    return Microcircuit(
        scale=float(scale),
        k_scale=float(k),
        background=background,
        num_neurons=num_neurons,
        num_synapses=num_synapses,
        weight_mean=w,
        weight_std=np.abs(w) * WEIGHT_REL_STD,
        delay_mean=delay_mean,
        delay_std=delay_mean * DELAY_REL_STD,
        ext_indegree=ext_indegree if background == "poisson" else np.zeros(8, dtype=np.int64),
        weight_ext=float(w_ext),
        dc_amp=dc,
    )
