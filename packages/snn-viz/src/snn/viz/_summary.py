"""The one-call run summary figure: raster, population rates, rate and CV distributions, traces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from snn.core import SpikeRecord, StateMonitor, StateRecord
from snn.core.errors import ConfigurationError
from snn.viz._raster import raster
from snn.viz._rates import cv_histogram, population_rate, rate_histogram
from snn.viz._spikes import GroupSpec, Spikes, all_spikes, spike_groups, time_window
from snn.viz._traces import traces

__all__ = ["run_summary"]


def _states(states: Any) -> list[tuple[str, StateMonitor | StateRecord]]:
    if states is None:
        return []
    if isinstance(states, StateMonitor | StateRecord):
        items = [(None, states)]
    elif isinstance(states, Mapping):
        items = list(states.items())
    elif isinstance(states, Sequence):
        items = [(None, s) for s in states]
    else:
        raise ConfigurationError(
            f"`states` takes StateMonitors or StateRecords (alone, in a list or a dict), got "
            f"{type(states).__name__}."
        )
    out = []
    for k, (label, s) in enumerate(items):
        if not isinstance(s, StateMonitor | StateRecord):
            raise ConfigurationError(
                f"`states` takes StateMonitors or StateRecords, got {type(s).__name__}."
            )
        name = label or (s.population.name if isinstance(s, StateMonitor) else f"state {k}")
        out.append((str(name), s))
    return out


def run_summary(
    spikes: Spikes,
    *,
    states: StateMonitor | StateRecord | Sequence[Any] | Mapping[str, Any] | None = None,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
    t_start: float | None = None,
    t_stop: float | None = None,
    bin_width: float = 1e-3,
    smoothing: float | None = 2e-3,
    max_neurons: int | None = None,
    max_traces: int = 3,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """A one-call summary of a run: raster, population rates, rate and CV distributions, traces.

    Parameters
    ----------
    spikes
        Spike recordings (as for :func:`~snn.viz.raster`).
    states
        State recordings to show as traces (a :class:`~snn.core.StateMonitor` or
        :class:`~snn.core.StateRecord`, a list or a dict of them; at most three panels). Spikes
        of the traced neurons are marked when they are among ``spikes``.
    groups, populations
        Split the spikes into labelled groups, and keep only some labels (see
        :func:`~snn.viz.raster`).
    t_start, t_stop
        Time window [s] of the raster, rates and traces.
    bin_width
        Bin of the population rate [s].
    smoothing
        Gaussian smoothing of the population rate [s] (None: none).
    max_neurons
        Raster neurons per population.
    max_traces
        Neurons per trace panel.
    title
        Figure title.
    figsize
        Figure size [inch] (default 11 wide, 6.5 tall plus 1.6 per trace panel).

    Returns
    -------
    matplotlib.figure.Figure
        Axes in order: raster, population rate (sharing the time axis), rate histogram, CV
        histogram, then one axes per trace panel.
    """
    found = spike_groups(spikes, groups=groups, populations=populations)
    panels = _states(states)[:3]
    # fixed margins, not constrained layout: the layout pass measured 1.2 of 3.2 s of a save
    if figsize is None:
        figsize = (11.0, 6.5 + 1.6 * len(panels))
    fig = Figure(figsize=figsize)
    top = 1 - (0.45 if title else 0.2) / figsize[1]
    ratios = [4.3, 1.6] + ([1.45 * len(panels)] if panels else [])
    outer = fig.add_gridspec(
        len(ratios),
        1,
        height_ratios=ratios,
        left=0.8 / figsize[0],
        right=1 - 0.2 / figsize[0],
        bottom=0.5 / figsize[1],
        top=top,
        hspace=0.36,
    )
    upper = outer[0].subgridspec(2, 1, height_ratios=[3.0, 1.3], hspace=0.06)
    middle = outer[1].subgridspec(1, 2, wspace=0.18)
    ax_raster = fig.add_subplot(upper[0])
    ax_rate = fig.add_subplot(upper[1], sharex=ax_raster)
    ax_hist = fig.add_subplot(middle[0])
    ax_cv = fig.add_subplot(middle[1])
    lower = outer[2].subgridspec(len(panels), 1, hspace=0.45) if panels else None
    lo, hi = time_window(found, t_start, t_stop) if found else (0.0, 1.0)
    raster(found, ax=ax_raster, t_start=lo, t_stop=hi, max_neurons=max_neurons, subsample="spread")
    ax_raster.set_xlabel("")
    ax_raster.tick_params(labelbottom=False)
    population_rate(
        found, ax=ax_rate, bin_width=bin_width, smoothing=smoothing, t_start=lo, t_stop=hi
    )
    rate_histogram(found, ax=ax_hist, t_start=lo, t_stop=hi)
    cv_histogram(found, ax=ax_cv, t_start=lo, t_stop=hi)
    times, senders = all_spikes(found)
    every = SpikeRecord(times=times, senders=senders)
    for k, (label, s) in enumerate(panels):
        ax = fig.add_subplot(lower[k], sharex=ax_raster)
        traces(
            s,
            ax=ax,
            max_neurons=max_traces,
            spikes=every if times.size else None,
            t_start=lo,
            t_stop=hi,
            title=None,
        )
        ax.set_title(label, fontsize="small", loc="left")
        if k < len(panels) - 1:
            ax.set_xlabel("")
    if title:
        fig.suptitle(title)
    return fig
