"""Raster plots of recorded spikes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from snn.core import SpikeMonitor, SpikeRecord
from snn.core.errors import ConfigurationError

__all__ = ["raster"]

#: above this many spikes the raster is drawn as a 2-D histogram image instead of markers
DENSE_LIMIT = 200_000


Spikes = SpikeMonitor | SpikeRecord | Sequence[SpikeMonitor] | Mapping[str, Any]


def _groups(spikes: Spikes) -> list[tuple[str, np.ndarray, np.ndarray, int, int]]:
    """(label, times, ids, first id, size) per group."""
    if isinstance(spikes, SpikeMonitor | SpikeRecord):
        items: list[tuple[str | None, Any]] = [(None, spikes)]
    elif isinstance(spikes, Mapping):
        items = list(spikes.items())
    else:
        items = [(None, s) for s in spikes]
    groups = []
    for k, (label, item) in enumerate(items):
        if isinstance(item, SpikeMonitor):
            pop = item.population
            groups.append((label or pop.name, item.times, item.senders, pop.first_id, pop.size))
        elif isinstance(item, SpikeRecord):
            t = np.asarray(item.times, dtype=np.float64)
            s = np.asarray(item.senders, dtype=np.int64)
            if t.shape != s.shape:
                raise ConfigurationError(
                    f"spike times and senders differ in length: {t.shape[0]} and {s.shape[0]}."
                )
            first = int(s.min()) if s.size else 0
            size = int(s.max()) - first + 1 if s.size else 0
            groups.append((label or f"group {k}", t, s, first, size))
        else:
            raise ConfigurationError(
                f"raster takes SpikeMonitors or SpikeRecords, got {type(item).__name__}."
            )
    return groups


def raster(
    spikes: Spikes,
    *,
    ax: Axes | None = None,
    t_start: float | None = None,
    t_stop: float | None = None,
    max_neurons: int | None = None,
    title: str | None = None,
) -> Axes:
    """Raster plot: one dot per spike, neuron id against time, one colour per population.

    Parameters
    ----------
    spikes
        A spike monitor, a list of monitors (one colour each), a :class:`SpikeRecord`, or a dict
        of label to monitor or record.
    ax
        Axes to draw into; a new figure is made when omitted.
    t_start, t_stop
        Time window [s] (default: all spikes).
    max_neurons
        Show at most this many neurons of each population (the first ones).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into. With more than ``DENSE_LIMIT`` spikes the spikes are binned into an
        image (one pixel column per time bin), which keeps big runs fast and readable.
    """
    groups = _groups(spikes)
    if ax is None:
        fig = Figure(figsize=(8, 4.5), layout="constrained")
        ax = fig.add_subplot()
    colors = [f"C{k}" for k in range(10)]
    total = 0
    y0 = 0
    ticks, labels = [], []
    windows = []
    for k, (label, times, ids, first, size) in enumerate(groups):
        keep = np.ones(times.shape[0], dtype=bool)
        if t_start is not None:
            keep &= times >= t_start
        if t_stop is not None:
            keep &= times <= t_stop
        shown = size if max_neurons is None else min(size, max_neurons)
        rows = ids - first
        keep &= rows < shown
        windows.append((label, times[keep], y0 + rows[keep], shown, colors[k % 10]))
        total += int(keep.sum())
        ticks.append(y0 + shown / 2)
        labels.append(label)
        y0 += shown
    dense = total > DENSE_LIMIT
    lo = (
        t_start
        if t_start is not None
        else min((w[1].min() for w in windows if w[1].size), default=0.0)
    )
    hi = (
        t_stop
        if t_stop is not None
        else max((w[1].max() for w in windows if w[1].size), default=1.0)
    )
    if hi <= lo:
        hi = lo + 1e-3
    for label, t, y, shown, color in windows:
        if not dense:
            ax.scatter(t, y, s=1.0, c=color, marker=".", linewidths=0, label=label, rasterized=True)
        elif t.size:
            bins_t = 1000
            y_start = int(y.min()) if y.size else 0
            h, xe, ye = np.histogram2d(
                t,
                y,
                bins=(bins_t, max(1, min(shown, 1000))),
                range=((lo, hi), (y_start, y_start + shown)),
            )
            ax.imshow(
                h.T > 0,
                origin="lower",
                aspect="auto",
                extent=(xe[0], xe[-1], ye[0], ye[-1]),
                cmap=_single_color_map(color),
                interpolation="nearest",
                vmin=0,
                vmax=1,
            )
    boundary = 0
    for _label, _t, _y, shown, _c in windows:
        boundary += shown
        if boundary < y0:
            ax.axhline(boundary - 0.5, color="0.5", linewidth=0.5)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.5, max(y0, 1) - 0.5)
    ax.set_xlabel("time [s]")
    ax.set_ylabel("neuron")
    if len(groups) > 1:
        ax.set_yticks(ticks, labels)
    if title:
        ax.set_title(title)
    if total == 0:
        ax.text(0.5, 0.5, "no spikes", transform=ax.transAxes, ha="center", va="center")
    return ax


def _single_color_map(color: str) -> Any:
    from matplotlib.colors import ListedColormap, to_rgba

    return ListedColormap([(1, 1, 1, 0), to_rgba(color)])
