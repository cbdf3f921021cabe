"""Decoders: from spikes (encoded trains or a recording) back to numbers.

Every decoder takes spikes in any of snn's forms: :class:`SpikeTrains`, a
:class:`~snn.core.SpikeMonitor`, or a :class:`~snn.core.SpikeRecord` (with ``dt`` and the
``first_id`` of the population), and a :class:`Schedule` saying which window belongs to which
sample. To decode a layer that sees the input ``d`` seconds later (a synaptic delay), pass
``schedule.shifted(d)``.

A spike with stamp ``s`` (time ``s dt``) belongs to sample ``k`` when ``b_k < s <= b_k + P``,
``b_k`` the step at which the window starts and ``P`` the presentation in steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from snn.core.errors import ConfigurationError
from snn.core.validate import require_finite, require_nonnegative, require_positive
from snn.encoders._trains import Schedule, spike_arrays, steps_of

__all__ = [
    "binned_counts",
    "delta_reconstruct",
    "first_spike_times",
    "population_vector",
    "spike_counts",
    "spike_rates",
]


def _in_windows(
    spikes: Any, schedule: Schedule, dt: float | None, first_id: int, n: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Sample, stamp within the window (1..P) and train of each spike inside a window."""
    if not isinstance(schedule, Schedule):
        raise ConfigurationError(f"`schedule` must be a Schedule, got {type(schedule).__name__}.")
    steps, ids, size, sdt = spike_arrays(
        spikes, dt=schedule.dt if dt is None else dt, first_id=first_id
    )
    if abs(sdt - schedule.dt) > 1e-9 * schedule.dt:
        raise ConfigurationError(f"the spikes have dt = {sdt!r} s, the schedule {schedule.dt!r} s.")
    n = size if n is None else int(n)
    if ids.size and ids.max() >= n:
        raise ConfigurationError(f"train index {int(ids.max())} is >= n = {n}.")
    k = schedule.sample_of(steps)
    inside = k >= 0
    k = k[inside]
    rel = steps[inside] - schedule.begins()[k]
    return k, rel, ids[inside], n


def spike_counts(
    spikes: Any,
    schedule: Schedule,
    *,
    dt: float | None = None,
    first_id: int = 0,
    n: int | None = None,
) -> np.ndarray:
    """Spikes of each train in each presentation window.

    Parameters
    ----------
    spikes
        :class:`SpikeTrains`, :class:`~snn.core.SpikeMonitor` or :class:`~snn.core.SpikeRecord`.
    schedule
        The presentation windows.
    dt
        Time step [s] (default: the schedule's).
    first_id
        Global id of train 0 (for a SpikeRecord).
    n
        Number of trains (default: from the spikes; a SpikeRecord gives the largest index + 1).

    Returns
    -------
    numpy.ndarray
        int64, shape ``(n_samples, n)``.
    """
    k, _, ids, n = _in_windows(spikes, schedule, dt, first_id, n)
    flat = np.bincount(k * n + ids, minlength=schedule.n_samples * n)
    return flat.reshape(schedule.n_samples, n)


def spike_rates(
    spikes: Any,
    schedule: Schedule,
    *,
    dt: float | None = None,
    first_id: int = 0,
    n: int | None = None,
) -> np.ndarray:
    """Firing rate [Hz] of each train in each presentation window, ``(n_samples, n)``.

    The count of :func:`spike_counts` divided by the presentation time.
    """
    counts = spike_counts(spikes, schedule, dt=dt, first_id=first_id, n=n)
    return counts / schedule.presentation


def first_spike_times(
    spikes: Any,
    schedule: Schedule,
    *,
    dt: float | None = None,
    first_id: int = 0,
    n: int | None = None,
) -> np.ndarray:
    """Time of each train's first spike after its window's start [s], inf when silent.

    Parameters are those of :func:`spike_counts`. Returns float64 ``(n_samples, n)``; values are
    multiples of ``dt`` in ``[dt, presentation]``.
    """
    k, rel, ids, n = _in_windows(spikes, schedule, dt, first_id, n)
    first = np.full(schedule.n_samples * n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, k * n + ids, rel)
    t = np.where(first == np.iinfo(np.int64).max, np.inf, first * schedule.dt)
    return t.reshape(schedule.n_samples, n)


def binned_counts(
    spikes: Any,
    bin_width: float,
    *,
    duration: float,
    dt: float | None = None,
    first_id: int = 0,
    n: int | None = None,
    start: float = 0.0,
) -> np.ndarray:
    """Spike counts of each train in consecutive bins (a PSTH per train).

    Parameters
    ----------
    spikes
        :class:`SpikeTrains`, :class:`~snn.core.SpikeMonitor` or :class:`~snn.core.SpikeRecord`.
    bin_width
        Width of each bin [s], a multiple of ``dt``.
    duration
        Time covered from ``start`` [s], a multiple of ``bin_width``.
    dt
        Time step [s] (required for a SpikeRecord).
    first_id
        Global id of train 0 (for a SpikeRecord).
    n
        Number of trains (default: from the spikes).
    start
        Start of the first bin [s]; bin ``i`` holds the spikes at times in
        ``(start + i w, start + (i + 1) w]``.

    Returns
    -------
    numpy.ndarray
        int64, shape ``(n_bins, n)``.
    """
    steps, ids, size, sdt = spike_arrays(spikes, dt=dt, first_id=first_id)
    require_positive("bin_width", bin_width, "s")
    w = steps_of("bin_width", bin_width, sdt, minimum=1)
    total = steps_of("duration", duration, sdt)
    if total % w:
        raise ConfigurationError(
            f"`duration` ({duration!r} s) must be a multiple of `bin_width` ({bin_width!r} s)."
        )
    n_bins = total // w
    n = size if n is None else int(n)
    rel = steps - 1 - steps_of("start", start, sdt)
    inside = (rel >= 0) & (rel < total)
    flat = np.bincount((rel[inside] // w) * n + ids[inside], minlength=n_bins * n)
    return flat.reshape(n_bins, n)


def population_vector(counts: Any, centres: Any) -> np.ndarray:
    """Population-vector decoding: the count-weighted mean of the neurons' preferred values.

    Parameters
    ----------
    counts
        Spike counts (or rates), shape ``(n_samples, n_features * m)``, feature-major (neuron
        ``i`` of feature ``f`` at column ``f * m + i``), or ``(n_samples, n_features, m)``.
    centres
        Preferred value of each of the ``m`` neurons of a feature [unit of the data].

    Returns
    -------
    numpy.ndarray
        float64 ``(n_samples, n_features)``; NaN where a feature's neurons did not spike.
    """
    mu = np.asarray(centres, dtype=np.float64)
    if mu.ndim != 1 or mu.size == 0:
        raise ConfigurationError(
            f"`centres` must be a non-empty 1-D array (one per neuron of a feature), got shape "
            f"{mu.shape}."
        )
    require_finite("centres", mu)
    try:
        c = np.asarray(counts, dtype=np.float64)
    except ValueError:
        raise ConfigurationError("`counts` must be a rectangular array of numbers.") from None
    require_nonnegative("counts", c)
    if c.ndim == 2:
        if c.shape[1] % mu.shape[0]:
            raise ConfigurationError(
                f"`counts` has {c.shape[1]} columns, not a multiple of the {mu.shape[0]} centres."
            )
        c = c.reshape(c.shape[0], -1, mu.shape[0])
    if c.ndim != 3 or c.shape[2] != mu.shape[0]:
        raise ConfigurationError(
            f"`counts` must have shape (n_samples, n_features * {mu.shape[0]}), got {c.shape}."
        )
    total = c.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (c @ mu) / total, np.nan)


def delta_reconstruct(
    spikes: Any,
    schedule: Schedule,
    *,
    threshold: float,
    initial: Any,
    dt: float | None = None,
    first_id: int = 0,
) -> np.ndarray:
    """Signal reconstructed from :class:`DeltaEncoder` trains at every step of each window.

    Parameters
    ----------
    spikes
        Up and down trains (train ``2c`` up, ``2c + 1`` down for channel ``c``).
    schedule
        The presentation windows.
    threshold
        The encoder's threshold [unit of the data].
    initial
        First value of each sample's series, shape ``(n_samples, n_channels)`` or
        ``(n_samples,)``.
    dt, first_id
        As for :func:`spike_counts`.

    Returns
    -------
    numpy.ndarray
        float64 ``(n_samples, P, n_channels)``: the value at stamps ``1 .. P`` of each window
        (``initial + threshold * (ups - downs)`` up to and including that stamp).
    """
    x0 = np.asarray(initial, dtype=np.float64)
    if x0.ndim == 1:
        x0 = x0[:, None]
    if x0.shape[0] != schedule.n_samples:
        raise ConfigurationError(
            f"`initial` has {x0.shape[0]} rows for {schedule.n_samples} samples."
        )
    n_ch = x0.shape[1]
    k, rel, ids, _ = _in_windows(spikes, schedule, dt, first_id, 2 * n_ch)
    length = schedule.presentation_steps
    moves = np.zeros((schedule.n_samples, length, n_ch))
    sign = np.where(ids % 2 == 0, 1.0, -1.0)
    np.add.at(moves, (k, rel - 1, ids // 2), sign)
    return x0[:, None, :] + threshold * np.cumsum(moves, axis=1)
