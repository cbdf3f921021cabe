"""Shared parameters and helpers of the peer runners (no simulator imports here).

All model constants follow ``shared/BENCHMARK_MODELS.md``. Values are plain floats in the
units named in each constant ([mV], [ms], [nS], [pF], [pA], [Hz]); the simulator modules attach
their own unit systems.
"""

from __future__ import annotations

import resource
import sys
from dataclasses import dataclass

import numpy as np

MODELS = ("coba", "cuba", "brunel", "cobahh", "stdp", "microcircuit")

#: the models each peer runner builds (Brian2 has no microcircuit here)
PEER_MODELS = {
    "brian2": ("coba", "cuba", "brunel", "cobahh", "stdp"),
    "nest": MODELS,
}
SIMULATORS = ("brian2", "nest")

#: Integration time step of every model [ms].
DT_MS = 0.1

#: Number of E targets whose incoming plastic weights are read out in full-size STDP runs.
STDP_READOUT_TARGETS = 1000


@dataclass(frozen=True)
class EISize:
    """Population sizes of the COBA, CUBA and COBAHH networks.

    Attributes
    ----------
    n_e : int
        Number of excitatory neurons.
    n_i : int
        Number of inhibitory neurons.
    p : float
        Connection probability of the pairwise Bernoulli rule.
    """

    n_e: int
    n_i: int
    p: float = 0.02

    @property
    def n(self) -> int:
        """Total number of neurons."""
        return self.n_e + self.n_i


def ei_size(scale: float) -> EISize:
    """Return the COBA/CUBA/COBAHH sizes for a scale factor (N = 4000 at scale 1).

    Parameters
    ----------
    scale : float
        Factor applied to N_E = 3200 and N_I = 800; the connection probability stays 0.02.

    Returns
    -------
    EISize
        The scaled population sizes.
    """
    return EISize(n_e=max(1, round(3200 * scale)), n_i=max(1, round(800 * scale)))


# Brunel (2000) model A, asynchronous-irregular state (BENCHMARK_MODELS.md, BRUNEL).
BRUNEL_TAU_M_MS = 20.0
BRUNEL_THETA_MV = 20.0
BRUNEL_V_RESET_MV = 10.0
BRUNEL_T_REF_MS = 2.0
BRUNEL_J_MV = 0.1
BRUNEL_G = 5.0
BRUNEL_DELAY_MS = 1.5
BRUNEL_ETA = 2.0

# Additive all-to-all pair STDP on E->E (BENCHMARK_MODELS.md, BRUNEL_STDP).
STDP_TAU_PLUS_MS = 20.0
STDP_TAU_MINUS_MS = 20.0
STDP_LAMBDA = 0.01
STDP_ALPHA = 1.05
STDP_W_MAX_MV = 0.3


@dataclass(frozen=True)
class BrunelSize:
    """Sizes and drive of the Brunel (and Brunel + STDP) network at a given scale.

    Attributes
    ----------
    n_e : int
        Number of excitatory neurons.
    n_i : int
        Number of inhibitory neurons.
    c_e : int
        Excitatory in-degree of every neuron.
    c_i : int
        Inhibitory in-degree of every neuron.
    """

    n_e: int
    n_i: int
    c_e: int
    c_i: int

    @property
    def n(self) -> int:
        """Total number of neurons."""
        return self.n_e + self.n_i

    @property
    def nu_thr_hz(self) -> float:
        """Threshold rate theta / (J C_E tau_m) [Hz]."""
        return BRUNEL_THETA_MV / (BRUNEL_J_MV * self.c_e * BRUNEL_TAU_M_MS * 1e-3)

    @property
    def nu_ext_hz(self) -> float:
        """External rate per external source, eta * nu_thr [Hz]."""
        return BRUNEL_ETA * self.nu_thr_hz

    @property
    def poisson_rate_hz(self) -> float:
        """Total Poisson rate per neuron, nu_ext * C_E (20 kHz at every scale) [Hz]."""
        return self.nu_ext_hz * self.c_e


def brunel_size(scale: float) -> BrunelSize:
    """Return the Brunel sizes for a scale factor (full network at scale 1, small at 0.2).

    Parameters
    ----------
    scale : float
        Factor applied to N_E = 10000, N_I = 2500, C_E = 1000 and C_I = 250.

    Returns
    -------
    BrunelSize
        The scaled sizes; in-degrees are at least 1 and at most the population size.
    """
    n_e = max(1, round(10000 * scale))
    n_i = max(1, round(2500 * scale))
    c_e = min(n_e, max(1, round(1000 * scale)))
    c_i = min(n_i, max(1, round(250 * scale)))
    return BrunelSize(n_e=n_e, n_i=n_i, c_e=c_e, c_i=c_i)


def stdp_readout_targets(n_e: int, scale: float, seed: int) -> np.ndarray | None:
    """Return the E targets whose incoming plastic weights are averaged, or None for all.

    Parameters
    ----------
    n_e : int
        Number of excitatory neurons.
    scale : float
        Network scale; below 1 (small network) all synapses are read out.
    seed : int
        Run seed; the sample uses ``numpy.random.default_rng(seed + 7)``.

    Returns
    -------
    numpy.ndarray or None
        Sorted 0-based E indices (1000 of them, fewer if N_E < 1000), or None for all targets.
    """
    if scale < 1.0:
        return None
    rng = np.random.default_rng(seed + 7)
    k = min(STDP_READOUT_TARGETS, n_e)
    return np.sort(rng.choice(n_e, size=k, replace=False))


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Return the peak resident set size reported by ``getrusage`` [MiB].

    Parameters
    ----------
    who : int
        ``resource.RUSAGE_SELF`` or ``resource.RUSAGE_CHILDREN``.

    Returns
    -------
    float
        Peak RSS [MiB] (``ru_maxrss`` is in KiB on Linux and in bytes on macOS).
    """
    maxrss = resource.getrusage(who).ru_maxrss
    return maxrss / (1024.0 * 1024.0) if sys.platform == "darwin" else maxrss / 1024.0


def population_rates(
    senders: np.ndarray, n_e: int, n_i: int, duration_s: float
) -> tuple[dict[str, float], int]:
    """Return the mean E and I rates and the total spike count.

    Parameters
    ----------
    senders : numpy.ndarray
        0-based neuron index of every recorded spike (E first, then I).
    n_e, n_i : int
        Population sizes.
    duration_s : float
        Simulated time [s].

    Returns
    -------
    rates : dict of str to float
        ``{"E": rate, "I": rate}`` [Hz].
    n_spikes : int
        Total number of spikes.
    """
    senders = np.asarray(senders)
    n_exc = int(np.count_nonzero(senders < n_e))
    n_inh = int(senders.size) - n_exc
    rates = {"E": n_exc / (n_e * duration_s), "I": n_inh / (n_i * duration_s)}
    return rates, int(senders.size)


def group_rates(
    senders: np.ndarray, groups: dict[str, tuple[int, int]], duration_s: float
) -> tuple[dict[str, float], int]:
    """Return the mean rate of every named group and the total spike count.

    Parameters
    ----------
    senders : numpy.ndarray
        0-based neuron index of every recorded spike.
    groups : dict of str to (int, int)
        ``(first index, size)`` of each group.
    duration_s : float
        Simulated time [s].

    Returns
    -------
    rates : dict of str to float
        Rate of each group [Hz].
    n_spikes : int
        Total number of spikes.
    """
    senders = np.asarray(senders)
    rates = {
        name: int(np.count_nonzero((senders >= first) & (senders < first + size)))
        / (size * duration_s)
        for name, (first, size) in groups.items()
    }
    return rates, int(senders.size)
