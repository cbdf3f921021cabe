"""Firing-rate and spike-train statistics plots.

Population rate, PSTH, and distributions over neurons of rates, ISIs, CV of ISI, pairwise
spike-count correlations and Fano factors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from snn.core import RateMonitor, RateRecord
from snn.core.errors import ConfigurationError
from snn.viz._axes import colour, new_axes, note, si_scale
from snn.viz._spikes import GroupSpec, SpikeGroup, Spikes, spike_groups, time_window
from snn.viz._statistics import (
    binned_counts,
    count_matrix,
    cv_isi,
    fano_factors,
    isi_per_neuron,
    pairwise_correlations,
    rates_per_neuron,
    smooth,
    spread_rows,
)

__all__ = [
    "correlation_histogram",
    "cv_histogram",
    "fano_factor",
    "isi_histogram",
    "population_rate",
    "psth",
    "rate_histogram",
]

Rates = RateMonitor | RateRecord | Sequence[RateMonitor | RateRecord] | Mapping[str, Any]


def _positive(name: str, value: Any, unit: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"`{name}` must be a number [{unit}], got {value!r}.") from None
    if not np.isfinite(v) or v <= 0:
        raise ConfigurationError(f"`{name}` must be > 0 {unit}, got {value!r}.")
    return v


def _bins(bins: Any) -> Any:
    if isinstance(bins, int | np.integer):
        if bins < 1:
            raise ConfigurationError(f"`bins` must be >= 1, got {bins}.")
        return int(bins)
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ConfigurationError("`bins` must be a count or increasing bin edges.")
    return edges


def _finish(ax: Axes, found: Sequence[Any], title: str | None) -> None:
    if title:
        ax.set_title(title)
    if len(found) > 1 and ax.get_legend_handles_labels()[0]:
        # a fixed place: "best" scans every vertex, slow for long time series
        ax.legend(frameon=False, fontsize="small", loc="upper right")


def _is_rate(x: Any) -> bool:
    return isinstance(x, RateMonitor | RateRecord)


def _rate_items(rates: Any) -> list[tuple[str, np.ndarray, np.ndarray]] | None:
    """(label, times, rate) per rate recording, or None when ``rates`` holds spikes."""
    if _is_rate(rates):
        items = [(None, rates)]
    elif isinstance(rates, Mapping) and rates and all(_is_rate(v) for v in rates.values()):
        items = list(rates.items())
    elif (
        isinstance(rates, Sequence)
        and not isinstance(rates, tuple)
        and rates
        and all(_is_rate(v) for v in rates)
    ):
        items = [(None, v) for v in rates]
    else:
        return None
    out = []
    for k, (label, item) in enumerate(items):
        if isinstance(item, RateMonitor):
            name = label or item.population.name
            rec = item.record()
        else:
            name, rec = label or f"group {k}", item
        t = np.asarray(rec.times, dtype=np.float64)
        r = np.asarray(rec.rate, dtype=np.float64)
        if t.shape != r.shape or t.ndim != 1:
            raise ConfigurationError(
                f"{name}: rate times and rates differ in shape: {t.shape} and {r.shape}."
            )
        out.append((str(name), t, r))
    return out


def population_rate(
    spikes: Spikes | Rates,
    *,
    ax: Axes | None = None,
    bin_width: float = 1e-3,
    smoothing: float | None = None,
    t_start: float | None = None,
    t_stop: float | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Population firing rate over time: spikes per neuron per second in bins, optionally smoothed.

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`), or rate recordings: a
        :class:`~snn.core.RateMonitor` or :class:`~snn.core.RateRecord`, a list or a dict of
        them (their per-step rates are averaged into bins of ``bin_width``).
    ax
        Axes to draw into; a new figure is made when omitted.
    bin_width
        Bin width [s].
    smoothing
        Standard deviation of a Gaussian kernel applied to the binned rate [s] (None: none).
    t_start, t_stop
        Time window [s] (default: from 0 to the end of the recording).
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        One line per population: x the bin centres [s], y the rate [Hz].
    """
    width = _positive("bin_width", bin_width, "s")
    sigma = None if smoothing is None else _positive("smoothing", smoothing, "s")
    ax = new_axes(ax, (8, 3))
    ax.set_xlabel("time [s]")
    ax.set_ylabel("rate [Hz]")
    rated = _rate_items(spikes)
    if rated is not None:
        if populations is not None:
            wanted = [populations] if isinstance(populations, str) else list(populations)
            labels = [r[0] for r in rated]
            for p in wanted:
                if p not in labels:
                    raise ConfigurationError(
                        f"unknown population {p!r}; the recordings hold {labels}."
                    )
            rated = [r for r in rated if r[0] in wanted]
        drawn = 0
        for k, (label, t, r) in enumerate(rated):
            if t.size == 0:
                continue
            step = float(np.median(np.diff(t))) if t.size > 1 else width
            per = max(1, round(width / step))
            lo = t_start if t_start is not None else float(t[0] - step)
            hi = t_stop if t_stop is not None else float(t[-1])
            # samples are step ends: keep the steps that lie in (lo, hi], with half a step of
            # slack for times that are not exact in binary
            inside = (t > lo + 0.5 * step) & (t <= hi + 0.5 * step)
            rr = r[inside]
            n = rr.shape[0] // per
            if n == 0:
                continue
            binned = rr[: n * per].reshape(n, per).mean(axis=1)
            centres = lo + (np.arange(n) + 0.5) * per * step
            ax.plot(centres, smooth(binned, per * step, sigma), color=colour(k), label=label)
            drawn += 1
        if drawn == 0:
            note(ax, "no rate samples")
        _finish(ax, rated, title)
        return ax
    found = spike_groups(spikes, groups=groups, populations=populations)
    if not found:
        note(ax, "no spike recordings")
        return ax
    lo, hi = time_window(found, t_start, t_stop)
    n_bins = int(np.floor((hi - lo) / width + 1e-9))
    if n_bins < 1:
        note(ax, f"window shorter than one bin ({width:g} s)")
        return ax
    for k, g in enumerate(found):
        counts = binned_counts(g.times, lo, hi, width)
        rate = counts / (max(g.size, 1) * width)
        centres = lo + (np.arange(n_bins) + 0.5) * width
        ax.plot(centres, smooth(rate, width, sigma), color=colour(k), label=g.label, lw=1)
    ax.set_xlim(lo, lo + n_bins * width)
    if sum(g.n_spikes for g in found) == 0:
        note(ax, "no spikes")
    _finish(ax, found, title)
    return ax


def psth(
    spikes: Spikes,
    events: np.ndarray | Sequence[float],
    *,
    ax: Axes | None = None,
    window: tuple[float, float] = (-0.05, 0.1),
    bin_width: float = 2e-3,
    smoothing: float | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Peri-stimulus time histogram: the mean rate of each population around event times.

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`).
    events
        Event (stimulus) times [s]; each is one trial.
    ax
        Axes to draw into; a new figure is made when omitted.
    window
        Times relative to each event [s], ``(before, after)`` with ``before < after``.
    bin_width
        Bin width [s].
    smoothing
        Standard deviation of a Gaussian kernel [s] (None: none).
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        One step line per population: x time from the event [s], y the rate per neuron averaged
        over events [Hz]; a vertical line at 0.
    """
    width = _positive("bin_width", bin_width, "s")
    sigma = None if smoothing is None else _positive("smoothing", smoothing, "s")
    ev = np.asarray(events, dtype=np.float64).ravel()
    if not np.isfinite(ev).all():
        raise ConfigurationError("`events` contain NaN or inf.")
    a, b = float(window[0]), float(window[1])
    if not b > a:
        raise ConfigurationError(
            f"`window` must be (before, after) with before < after, got {window}."
        )
    found = spike_groups(spikes, groups=groups, populations=populations)
    ax = new_axes(ax, (6, 3.5))
    ax.set_xlabel("time from event [s]")
    ax.set_ylabel("rate [Hz]")
    ax.axvline(0.0, color="0.5", lw=0.8, ls="--")
    if not found or ev.size == 0:
        note(ax, "no spike recordings" if not found else "no events")
        return ax
    n = int(np.floor((b - a) / width + 1e-9))
    if n < 1:
        raise ConfigurationError(f"`window` {window} is shorter than one bin ({width} s).")
    edges = a + np.arange(n + 1) * width
    for k, g in enumerate(found):
        order = np.argsort(g.times, kind="stable")
        t = g.times[order]
        starts = np.searchsorted(t, ev + a, side="left")
        stops = np.searchsorted(t, ev + edges[-1], side="right")
        if np.sum(stops - starts):
            rel = np.concatenate([t[s:e] - e0 for s, e, e0 in zip(starts, stops, ev, strict=True)])
        else:
            rel = np.zeros(0)
        counts = binned_counts(rel, a, edges[-1], width)
        rate = smooth(counts / (ev.size * max(g.size, 1) * width), width, sigma)
        ax.stairs(rate, edges, color=colour(k), label=g.label)
    ax.set_xlim(a, edges[-1])
    if sum(g.n_spikes for g in found) == 0:
        note(ax, "no spikes")
    _finish(ax, found, title)
    return ax


def _hist(ax: Axes, values: np.ndarray, bins: Any, k: int, label: str, **kw: Any) -> None:
    counts, edges = np.histogram(values, bins=bins)
    ax.stairs(counts, edges, color=colour(k), label=label, fill=True, alpha=0.35, **kw)
    ax.stairs(counts, edges, color=colour(k), lw=1.2)


def _common_edges(per_group: list[np.ndarray], bins: Any) -> Any:
    """One set of bin edges over the range of all groups (so their histograms compare)."""
    if not isinstance(bins, int):
        return bins
    vals = [v for v in per_group if v.size]
    if not vals:
        return bins
    low = min(float(v.min()) for v in vals)
    high = max(float(v.max()) for v in vals)
    if high <= low:
        pad = 0.05 * abs(low) or 0.5
        low, high = low - pad, high + pad
    return np.linspace(low, high, bins + 1)


def _count_edges(per_group: list[np.ndarray], bins: Any, quantum: float) -> Any:
    """Edges for values that are multiples of ``quantum`` (spike counts over a window).

    Bin widths are whole multiples of the quantum and edges fall half-way between possible
    values, so no bin gets one more possible value than its neighbour (which shows as combing).
    """
    if not isinstance(bins, int):
        return bins
    vals = [v for v in per_group if v.size]
    if not vals:
        return bins
    low = min(float(v.min()) for v in vals)
    high = max(float(v.max()) for v in vals)
    width = max(1, int(np.ceil((high - low) / bins / quantum))) * quantum
    n = max(1, int(np.ceil((high - low + quantum) / width)))
    return low - quantum / 2 + width * np.arange(n + 1)


def rate_histogram(
    spikes: Spikes,
    *,
    ax: Axes | None = None,
    bins: int | Sequence[float] = 30,
    t_start: float | None = None,
    t_stop: float | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Distribution of single-neuron firing rates (silent neurons included when sizes are known).

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`).
    ax
        Axes to draw into; a new figure is made when omitted.
    bins
        Number of bins or bin edges [Hz].
    t_start, t_stop
        Window [s] over which rates are counted (default: from 0 to the end of the recording
        for monitors, or to the last spike for records).
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A filled step histogram per population (count of neurons per rate bin); the legend gives
        each population's mean rate.
    """
    bins = _bins(bins)
    found = spike_groups(spikes, groups=groups, populations=populations)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel("rate [Hz]")
    ax.set_ylabel("neurons")
    if not found or all(g.size == 0 for g in found):
        note(ax, "no neurons")
        return ax
    lo, hi = time_window(found, t_start, t_stop)
    if hi <= lo:
        note(ax, "empty time window")
        return ax
    rates = [rates_per_neuron(g.times, g.rows, g.size, lo, hi) for g in found]
    edges = _count_edges(rates, bins, 1.0 / (hi - lo))
    for k, (g, r) in enumerate(zip(found, rates, strict=True)):
        if r.size:
            _hist(ax, r, edges, k, f"{g.label}: mean {r.mean():.3g} Hz")
    ax.legend(frameon=False, fontsize="small")
    _finish(ax, [], title)
    return ax


def isi_histogram(
    spikes: Spikes,
    *,
    ax: Axes | None = None,
    bins: int | Sequence[float] = 50,
    max_isi: float | None = None,
    log: bool = False,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Distribution of inter-spike intervals, pooled over the neurons of each population.

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`).
    ax
        Axes to draw into; a new figure is made when omitted.
    bins
        Number of bins, or bin edges [s].
    max_isi
        Longest interval shown [s] (default: all).
    log
        Logarithmic bins and x axis (for heavy-tailed ISIs).
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A step histogram per population (count of intervals per bin), x in a prefixed unit of
        seconds given in the axis label.
    """
    bins = _bins(bins)
    found = spike_groups(spikes, groups=groups, populations=populations)
    ax = new_axes(ax, (5, 3.5))
    ax.set_ylabel("intervals")
    isis = []
    for g in found:
        isi, _ = isi_per_neuron(g.times, g.rows)
        if max_isi is not None:
            isi = isi[isi <= _positive("max_isi", max_isi, "s")]
        isis.append(isi)
    every = np.concatenate(isis) if isis else np.zeros(0)
    factor, unit = si_scale(every, "s")
    ax.set_xlabel(f"inter-spike interval [{unit}]")
    if every.size == 0:
        note(ax, "no neuron fired twice")
        return ax
    if isinstance(bins, int):
        positive = every[every > 0]
        if log and positive.size:
            edges = np.geomspace(
                positive.min(), max(positive.max(), positive.min() * 1.01), bins + 1
            )
        else:
            edges = np.linspace(0.0, max(float(every.max()), 1e-12), bins + 1)
    else:
        edges = bins
    for k, (g, isi) in enumerate(zip(found, isis, strict=True)):
        if isi.size:
            _hist(ax, isi * factor, np.asarray(edges) * factor, k, f"{g.label}: {isi.size:,}")
    if log:
        ax.set_xscale("log")
    ax.legend(frameon=False, fontsize="small")
    _finish(ax, [], title)
    return ax


def cv_histogram(
    spikes: Spikes,
    *,
    ax: Axes | None = None,
    bins: int | Sequence[float] = 30,
    min_spikes: int = 3,
    t_start: float | None = None,
    t_stop: float | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Distribution over neurons of the coefficient of variation of the inter-spike intervals.

    A Poisson process has CV = 1 (dashed line); regular firing has CV near 0.

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`).
    ax
        Axes to draw into; a new figure is made when omitted.
    bins
        Number of bins or bin edges (dimensionless).
    min_spikes
        Neurons with fewer spikes in the window are left out.
    t_start, t_stop
        Window [s].
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A step histogram per population (count of neurons per CV bin); the legend gives the
        number of neurons included and the mean CV.
    """
    bins = _bins(bins)
    if int(min_spikes) < 2:
        raise ConfigurationError(f"`min_spikes` must be >= 2, got {min_spikes}.")
    found = spike_groups(spikes, groups=groups, populations=populations)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel("CV of ISI")
    ax.set_ylabel("neurons")
    ax.axvline(1.0, color="0.5", lw=0.8, ls="--")
    cvs = []
    lo, hi = time_window(found, t_start, t_stop) if found else (0.0, 1.0)
    for g in found:
        keep = (g.times >= lo) & (g.times <= hi)
        cv = cv_isi(g.times[keep], g.rows[keep], g.size, min_spikes=int(min_spikes))
        cvs.append(cv[np.isfinite(cv)])
    edges = _common_edges(cvs, bins)
    drawn = 0
    for k, (g, cv) in enumerate(zip(found, cvs, strict=True)):
        if cv.size:
            _hist(ax, cv, edges, k, f"{g.label}: {cv.size:,} neurons, mean {cv.mean():.2f}")
            drawn += 1
    if drawn == 0:
        note(ax, f"no neuron with {min_spikes} or more spikes")
        return ax
    ax.legend(frameon=False, fontsize="small")
    _finish(ax, [], title)
    return ax


def _counts_for(
    g: SpikeGroup, lo: float, hi: float, width: float, max_neurons: int | None
) -> np.ndarray:
    keep = (g.times >= lo) & (g.times <= hi)
    active = np.unique(g.rows[keep])
    chosen = spread_rows(active, max_neurons)
    return count_matrix(g.times, g.rows, chosen, lo, hi, width)


def correlation_histogram(
    spikes: Spikes,
    *,
    ax: Axes | None = None,
    bin_width: float = 5e-3,
    max_neurons: int | None = 200,
    bins: int | Sequence[float] = 50,
    t_start: float | None = None,
    t_stop: float | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Distribution of pairwise Pearson correlations of spike counts.

    Counts are taken in bins of ``bin_width``; pairs are formed within each population among
    (at most ``max_neurons``, evenly spread) neurons that fired in the window.

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`).
    ax
        Axes to draw into; a new figure is made when omitted.
    bin_width
        Counting bin [s].
    max_neurons
        Neurons per population used (pairs grow as its square); None for all.
    bins
        Number of histogram bins or bin edges (dimensionless).
    t_start, t_stop
        Window [s].
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A step histogram per population (count of pairs per correlation bin); the legend gives
        the number of pairs and the mean correlation.
    """
    width = _positive("bin_width", bin_width, "s")
    bins = _bins(bins)
    found = spike_groups(spikes, groups=groups, populations=populations)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel(f"spike-count correlation ({width * 1e3:g} ms bins)")
    ax.set_ylabel("pairs")
    ax.axvline(0.0, color="0.5", lw=0.8, ls="--")
    lo, hi = time_window(found, t_start, t_stop) if found else (0.0, 1.0)
    corrs = [pairwise_correlations(_counts_for(g, lo, hi, width, max_neurons)) for g in found]
    edges = _common_edges(corrs, bins)
    drawn = 0
    for k, (g, c) in enumerate(zip(found, corrs, strict=True)):
        if c.size:
            _hist(ax, c, edges, k, f"{g.label}: {c.size:,} pairs, mean {c.mean():.3f}")
            drawn += 1
    if drawn == 0:
        note(ax, "fewer than two active neurons")
        return ax
    ax.legend(frameon=False, fontsize="small")
    _finish(ax, [], title)
    return ax


def fano_factor(
    spikes: Spikes,
    *,
    ax: Axes | None = None,
    bin_width: float = 0.1,
    bins: int | Sequence[float] = 30,
    max_neurons: int | None = None,
    t_start: float | None = None,
    t_stop: float | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Distribution over neurons of the Fano factor (count variance / mean) of spike counts.

    A Poisson process has a Fano factor of 1 (dashed line).

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`raster`).
    ax
        Axes to draw into; a new figure is made when omitted.
    bin_width
        Counting window [s]; the window must hold at least two.
    bins
        Number of histogram bins or bin edges (dimensionless).
    max_neurons
        Neurons per population used (evenly spread among those that fired); None for all.
    t_start, t_stop
        Window [s].
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see :func:`raster`).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A step histogram per population (count of neurons per Fano-factor bin); the legend
        gives the mean Fano factor.
    """
    width = _positive("bin_width", bin_width, "s")
    bins = _bins(bins)
    found = spike_groups(spikes, groups=groups, populations=populations)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel(f"Fano factor ({width * 1e3:g} ms windows)")
    ax.set_ylabel("neurons")
    ax.axvline(1.0, color="0.5", lw=0.8, ls="--")
    lo, hi = time_window(found, t_start, t_stop) if found else (0.0, 1.0)
    if found and (hi - lo) < 2 * width * (1 - 1e-9):
        note(ax, f"window ({hi - lo:g} s) shorter than two counting bins ({width:g} s)")
        return ax
    ffs = [fano_factors(_counts_for(g, lo, hi, width, max_neurons)) for g in found]
    edges = _common_edges(ffs, bins)
    drawn = 0
    for k, (g, f) in enumerate(zip(found, ffs, strict=True)):
        if f.size:
            _hist(ax, f, edges, k, f"{g.label}: {f.size:,} neurons, mean {f.mean():.2f}")
            drawn += 1
    if drawn == 0:
        note(ax, "no spikes")
        return ax
    ax.legend(frameon=False, fontsize="small")
    _finish(ax, [], title)
    return ax
