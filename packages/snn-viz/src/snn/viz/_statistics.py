"""Spike-train statistics behind the plots: counts, rates, ISIs, CV, correlations, Fano factor.

All functions take arrays (times [s], neuron rows within a group) and return arrays; the plots
draw what these return, and the tests check them against naive loops.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "binned_counts",
    "count_matrix",
    "cv_isi",
    "fano_factors",
    "isi_per_neuron",
    "pairwise_correlations",
    "rates_per_neuron",
    "smooth",
    "spread_rows",
]


#: spikes within this fraction of a bin below an edge count in the next bin: spike times are
#: multiples of dt (0.003 may be stored as 0.0029999999999999996) and belong on the edge
_EDGE = 1e-9


def _in_window(times: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (times >= lo) & (times <= hi)


def binned_counts(times: np.ndarray, lo: float, hi: float, width: float) -> np.ndarray:
    """Spikes per bin of ``width`` seconds from ``lo``; a last partial bin is dropped.

    Bins are half-open ``[lo + k w, lo + (k + 1) w)``, except the last, which also holds
    spikes at its right edge (as :func:`numpy.histogram`). A spike within 1e-9 bins of an edge
    counts as on it (spike times on the dt grid are not exact in binary).

    Parameters
    ----------
    times
        Spike times [s].
    lo, hi
        Window [s].
    width
        Bin width [s].

    Returns
    -------
    numpy.ndarray
        Counts per bin, int64, ``floor((hi - lo) / width)`` bins.
    """
    n = int(np.floor((hi - lo) / width + 1e-9))
    if n < 1:
        return np.zeros(0, dtype=np.int64)
    top = lo + n * width
    t = times[(times >= lo) & (times <= top)]
    k = np.minimum(np.floor((t - lo) / width + _EDGE).astype(np.int64), n - 1)
    return np.bincount(k, minlength=n)


def rates_per_neuron(
    times: np.ndarray, rows: np.ndarray, size: int, lo: float, hi: float
) -> np.ndarray:
    """Firing rate of each of ``size`` neurons in ``[lo, hi]`` [Hz] (silent neurons give 0)."""
    if size == 0:
        return np.zeros(0)
    keep = _in_window(times, lo, hi)
    counts = np.bincount(rows[keep], minlength=size)[:size]
    return counts / (hi - lo) if hi > lo else np.zeros(size)


def isi_per_neuron(times: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inter-spike intervals of every neuron.

    Returns
    -------
    isi : numpy.ndarray
        Intervals [s], grouped by neuron and in time order within a neuron.
    row : numpy.ndarray
        The neuron of each interval, int64.
    """
    if times.size < 2:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    order = np.lexsort((times, rows))
    r = rows[order]
    t = times[order]
    same = r[1:] == r[:-1]
    return np.diff(t)[same], r[1:][same]


def cv_isi(times: np.ndarray, rows: np.ndarray, size: int, *, min_spikes: int = 3) -> np.ndarray:
    """Coefficient of variation of the ISIs (std / mean, ``ddof = 0``) of each neuron.

    Parameters
    ----------
    times, rows
        Spikes: times [s] and neuron rows.
    size
        Number of neurons.
    min_spikes
        Neurons with fewer spikes get NaN.

    Returns
    -------
    numpy.ndarray
        One value per neuron (NaN where undefined), dimensionless.
    """
    isi, r = isi_per_neuron(times, rows)
    n = np.bincount(r, minlength=size)[:size].astype(np.float64)
    s1 = np.bincount(r, weights=isi, minlength=size)[:size]
    s2 = np.bincount(r, weights=isi * isi, minlength=size)[:size]
    out = np.full(size, np.nan)
    ok = (n >= max(min_spikes - 1, 1)) & (s1 > 0)
    mean = s1[ok] / n[ok]
    var = np.maximum(s2[ok] / n[ok] - mean * mean, 0.0)
    out[ok] = np.sqrt(var) / mean
    return out


def count_matrix(
    times: np.ndarray, rows: np.ndarray, neurons: np.ndarray, lo: float, hi: float, width: float
) -> np.ndarray:
    """Spike counts of ``neurons`` in bins of ``width`` seconds, shape ``(n_neurons, n_bins)``.

    Bins as in :func:`binned_counts`; ``neurons`` are rows of the group.
    """
    n_bins = int(np.floor((hi - lo) / width + 1e-9))
    out = np.zeros((neurons.shape[0], max(n_bins, 0)), dtype=np.int64)
    if n_bins < 1 or neurons.size == 0:
        return out
    top = lo + n_bins * width
    position = np.full(int(max(rows.max(initial=0), neurons.max())) + 1, -1, dtype=np.int64)
    position[neurons] = np.arange(neurons.shape[0])
    keep = (times >= lo) & (times <= top)
    p = position[rows[keep]]
    chosen = p >= 0
    k = np.minimum(
        np.floor((times[keep][chosen] - lo) / width + _EDGE).astype(np.int64), n_bins - 1
    )
    flat = np.bincount(p[chosen] * n_bins + k, minlength=out.size)
    return flat.reshape(out.shape)


def spread_rows(candidates: np.ndarray, limit: int | None) -> np.ndarray:
    """At most ``limit`` of ``candidates``, evenly spread (all when ``limit`` is None)."""
    if limit is None or candidates.shape[0] <= limit:
        return candidates
    pick = np.linspace(0, candidates.shape[0] - 1, limit).round().astype(np.int64)
    return candidates[np.unique(pick)]


def pairwise_correlations(counts: np.ndarray) -> np.ndarray:
    """Pearson correlation of every pair of rows of ``counts`` (upper triangle, no diagonal).

    Rows with zero variance are dropped first (their correlation is undefined).
    """
    counts = counts[counts.std(axis=1) > 0]
    if counts.shape[0] < 2:
        return np.zeros(0)
    c = np.corrcoef(counts)
    return c[np.triu_indices(c.shape[0], k=1)]


def fano_factors(counts: np.ndarray) -> np.ndarray:
    """Variance over mean of each row of ``counts`` (``ddof = 0``); rows with mean 0 dropped."""
    if counts.shape[1] < 2:
        return np.zeros(0)
    mean = counts.mean(axis=1)
    ok = mean > 0
    return counts[ok].var(axis=1) / mean[ok]


def smooth(values: np.ndarray, width: float, sigma: float | None) -> np.ndarray:
    """Gaussian smoothing of a binned signal, normalised at the edges (no dip at the ends).

    Parameters
    ----------
    values
        The binned signal.
    width
        Bin width [s].
    sigma
        Standard deviation of the Gaussian kernel [s]; None or 0 returns ``values``.

    Returns
    -------
    numpy.ndarray
        The smoothed signal, same length.
    """
    if not sigma or values.size == 0:
        return values.astype(np.float64)
    half = max(1, int(np.ceil(4 * sigma / width)))
    x = np.arange(-half, half + 1) * width
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    num = np.convolve(values.astype(np.float64), kernel, mode="full")[half:-half]
    den = np.convolve(np.ones(values.shape[0]), kernel, mode="full")[half:-half]
    return num / den
