"""Cross-correlogram of two spike trains, with NEST's ``correlation_detector`` binning."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from snn.core.errors import ConfigurationError
from snn.core.validate import (
    require_finite,
    require_memory,
    require_nonnegative,
    require_positive,
)

#: pairs binned per chunk of the first train (bounds the memory of the differences)
_PAIRS_PER_CHUNK = 1 << 22


def _train(name: str, times: Any) -> np.ndarray:
    require_finite(name, times, "s")
    t = np.asarray(times, dtype=np.float64)
    if t.ndim != 1:
        raise ConfigurationError(f"`{name}` must be 1-D spike times [s], got shape {t.shape}.")
    return np.sort(t)


def _seconds(name: str, value: Any) -> float:
    """One real number [s] (not a string or a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigurationError(f"`{name}` must be a number [s], got {value!r:.40}.")
    require_finite(name, value, "s")
    return float(value)


def cross_correlogram(
    times_1: Any,
    times_2: Any,
    *,
    bin_width: float,
    tau_max: float,
    t_start: float | None = None,
    t_stop: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Counts of spike pairs by time lag ``t_2 - t_1``: NEST's ``correlation_detector``.

    Bin ``n`` counts the pairs whose lag lies in ``[n w - tau_max - w/2, n w - tau_max + w/2)``
    (``w`` the bin width): ``2 tau_max / w + 1`` bins centred on ``-tau_max, ..., tau_max``,
    left-closed and right-open, as NEST's ``count_histogram``. NEST requires the bin width
    to be an odd multiple of the resolution, so that no lag between spikes on the time grid
    falls on an edge; a lag within round-off of an edge (1e-9 bins, more where the times are
    so large that their difference is rounded by more) counts as on it.

    Parameters
    ----------
    times_1, times_2
        Spike times [s] of the two trains (or pools: concatenate the times of several neurons).
    bin_width
        Bin width ``w`` [s] (NEST's ``delta_tau``).
    tau_max
        Largest lag of a bin centre [s], a whole number of bin widths (NEST's ``tau_max``).
    t_start, t_stop
        Only pairs whose later spike lies at ``t_start <= t <= t_stop`` count, with earlier
        spikes from before ``t_start`` too (NEST's ``Tstart``, ``Tstop``); default all.

    Returns
    -------
    lags : numpy.ndarray
        Bin centres [s], float64.
    counts : numpy.ndarray
        Pairs per bin, int64.
    """
    w, tau = _seconds("bin_width", bin_width), _seconds("tau_max", tau_max)
    require_positive("bin_width", w, "s")
    require_nonnegative("tau_max", tau, "s")
    half = tau / w
    if abs(half - round(half)) > 1e-9 * max(1.0, half):
        raise ConfigurationError(
            f"`tau_max` must be a whole number of bin widths, got {tau!r} s for bins of {w!r} s."
        )
    half = round(half)
    n_bins = 2 * half + 1
    require_memory(f"a correlogram of {n_bins:,} bins", 16 * n_bins)
    a, b = _train("times_1", times_1), _train("times_2", times_2)
    lo = -np.inf if t_start is None else _seconds("t_start", t_start)
    hi = np.inf if t_stop is None else _seconds("t_stop", t_stop)
    if not lo <= hi:
        raise ConfigurationError(
            f"`t_start` ({t_start!r}) must not be after `t_stop` ({t_stop!r})."
        )
    left = -tau - w / 2
    # a counted pair has its later spike in the window, so both spikes within reach of it
    reach = tau + w
    a, b = (x[(x >= lo - reach) & (x <= hi)] for x in (a, b))
    # round-off of a lag, in bins: 1e-9, or a few units of the last place of the largest time
    biggest = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    edge = 1e-9 + 8 * np.finfo(np.float64).eps * biggest / w
    first = np.searchsorted(b, a + left - edge * w, side="left")
    last = np.searchsorted(b, a - left, side="left")
    counts = np.zeros(n_bins, dtype=np.int64)
    per = last - first
    start = 0
    while start < a.size:
        # a chunk of the first train with at most _PAIRS_PER_CHUNK pairs (at least one spike)
        stop = start + 1 + int(np.searchsorted(np.cumsum(per[start:]), _PAIRS_PER_CHUNK))
        stop = min(stop, a.size)
        k = per[start:stop]
        rows = np.repeat(np.arange(start, stop), k)
        offsets = np.arange(rows.size) - np.repeat(np.cumsum(k) - k, k)
        other = b[first[rows] + offsets]
        lag = other - a[rows]
        n = np.floor((lag - left) / w + edge).astype(np.int64)
        later = np.maximum(other, a[rows])
        keep = (n >= 0) & (n < n_bins) & (later >= lo) & (later <= hi)
        counts += np.bincount(n[keep], minlength=n_bins)
        start = stop
    lags = (np.arange(n_bins) - half) * w
    return lags, counts
