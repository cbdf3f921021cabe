"""State traces (membrane potential, conductances, ...) with spikes marked and thresholds drawn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from snn.core import SpikeMonitor, SpikeRecord, StateMonitor, StateRecord
from snn.core.errors import ConfigurationError
from snn.viz._axes import colour, new_axes, note, si_scale, unit_label

__all__ = ["traces"]

#: unit guessed from the first letter of a variable's name when no model says it
_GUESS = {"v": "V", "g": "S", "i": "A", "w": "A", "u": "V/s"}


def _record(state: Any) -> tuple[StateRecord, StateMonitor | None]:
    if isinstance(state, StateMonitor):
        return state.record(), state
    if isinstance(state, StateRecord):
        return state, None
    raise ConfigurationError(
        f"traces take a StateMonitor or a StateRecord, got {type(state).__name__} (for plain "
        "arrays build StateRecord(times=..., neurons=..., values={'v': ...}))."
    )


def _unit(variable: str, monitor: StateMonitor | None, unit: str | None) -> str:
    if unit is not None:
        return unit
    if monitor is not None and variable in monitor.variables:
        return monitor.unit(variable)
    return _GUESS.get(variable[:1].lower(), "")


def _threshold(
    threshold: Any, variable: str, monitor: StateMonitor | None, shown: np.ndarray
) -> np.ndarray | None:
    """Threshold per shown neuron [unit of the variable], or None."""
    if threshold is None or threshold is False:
        return None
    if isinstance(threshold, str):
        if threshold != "auto":
            raise ConfigurationError(
                f"`threshold` must be 'auto', None or a value, got {threshold!r}."
            )
        if monitor is None or variable != "v":
            return None
        value = getattr(monitor.population.model, "v_th", None)
        if value is None:
            return None
        arr = np.asarray(value, dtype=np.float64)
        return np.full(shown.shape[0], float(arr)) if arr.ndim == 0 else arr[shown]
    arr = np.asarray(threshold, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(shown.shape[0], float(arr))
    raise ConfigurationError("`threshold` must be one value for all neurons.")


def traces(
    state: StateMonitor | StateRecord,
    variable: str | None = None,
    *,
    ax: Axes | None = None,
    neurons: Sequence[int] | np.ndarray | None = None,
    max_neurons: int = 5,
    spikes: SpikeMonitor | SpikeRecord | None = None,
    first_id: int | None = None,
    threshold: float | Literal["auto"] | None = "auto",
    t_start: float | None = None,
    t_stop: float | None = None,
    unit: str | None = None,
    title: str | None = None,
) -> Axes:
    """Traces of one recorded state variable, with spikes marked and the threshold drawn.

    Parameters
    ----------
    state
        A :class:`~snn.core.StateMonitor` or a :class:`~snn.core.StateRecord` (``times`` [s],
        ``neurons`` population indices, ``values[variable]`` of shape
        ``(n_samples, n_neurons)``).
    variable
        The variable to draw (default ``"v"`` if recorded, else the first one).
    ax
        Axes to draw into; a new figure is made when omitted.
    neurons
        Population indices of the neurons to draw (they must have been recorded; default the
        first ``max_neurons`` recorded).
    max_neurons
        Most neurons drawn when ``neurons`` is not given.
    spikes
        Spikes to mark (global ids): each spike of a drawn neuron becomes a vertical stroke from
        the trace up to the threshold (or the top of the trace).
    first_id
        Global id of population index 0, to match ``spikes`` to neurons (default: from the
        monitor, else from a spike monitor, else 0).
    threshold
        A horizontal dashed line at this value [unit of the variable]; ``"auto"`` takes
        ``v_th`` of the monitored model for ``v``; None draws none.
    t_start, t_stop
        Time window [s].
    unit
        SI unit of the variable (default: from the model, else guessed from the name: v in V,
        g in S, i in A).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        One line per neuron (label ``"neuron <index>"``) in a prefixed unit given in the y label
        (e.g. mV), one :class:`~matplotlib.collections.LineCollection` of spike strokes per
        neuron with spikes (gid ``"snn-spikes"``), and threshold lines (gid ``"snn-threshold"``).

    Raises
    ------
    ConfigurationError
        Wrong input type, a variable or neuron that was not recorded, or arrays whose shapes
        disagree.
    """
    rec, monitor = _record(state)
    names = list(rec.values)
    if variable is None:
        if not names:
            raise ConfigurationError("the state record holds no variable.")
        variable = "v" if "v" in names else names[0]
    if variable not in rec.values:
        raise ConfigurationError(f"{variable!r} is not recorded; recorded: {names}.")
    times = np.asarray(rec.times, dtype=np.float64)
    recorded = np.asarray(rec.neurons, dtype=np.int64)
    values = np.asarray(rec.values[variable], dtype=np.float64)
    if times.ndim != 1 or recorded.ndim != 1:
        raise ConfigurationError("state `times` and `neurons` must be 1-D arrays.")
    if values.ndim == 1 and recorded.shape[0] == 1:
        values = values[:, None]
    if values.shape != (times.shape[0], recorded.shape[0]):
        raise ConfigurationError(
            f"values of {variable!r} have shape {values.shape}; expected (n_samples, n_neurons) "
            f"= ({times.shape[0]}, {recorded.shape[0]}) from `times` and `neurons`."
        )
    if neurons is None:
        columns = np.arange(min(int(max_neurons), recorded.shape[0]))
    else:
        wanted = np.atleast_1d(np.asarray(neurons, dtype=np.int64))
        missing = np.setdiff1d(wanted, recorded)
        if missing.size:
            raise ConfigurationError(
                f"neuron(s) {missing.tolist()} were not recorded; recorded: "
                f"{recorded[:20].tolist()}{' ...' if recorded.size > 20 else ''}."
            )
        columns = np.array([int(np.flatnonzero(recorded == n)[0]) for n in wanted], dtype=np.int64)
    shown = recorded[columns]
    ax = new_axes(ax, (8, 3))
    si = _unit(variable, monitor, unit)
    ax.set_xlabel("time [s]")
    if title:
        ax.set_title(title, loc="left")  # the legend sits above the right end
    keep = np.ones(times.shape[0], dtype=bool)
    if t_start is not None:
        keep &= times >= t_start
    if t_stop is not None:
        keep &= times <= t_stop
    t = times[keep]
    v = values[keep][:, columns]
    th = _threshold(threshold, variable, monitor, shown)
    factor, shown_unit = si_scale(np.concatenate([v.ravel(), th if th is not None else []]), si)
    ax.set_ylabel(unit_label(variable, shown_unit))
    if t.size == 0 or shown.size == 0:
        note(ax, "no samples" if shown.size else "no neurons recorded")
        return ax
    for k, (n, col) in enumerate(zip(shown, range(v.shape[1]), strict=True)):
        ax.plot(t, v[:, col] * factor, color=colour(k), lw=1, label=f"neuron {n}")
    if th is not None:
        for k, value in enumerate(np.unique(th)):
            ax.axhline(
                value * factor,
                color="0.3",
                ls="--",
                lw=0.8,
                gid="snn-threshold",
                label="threshold" if k == 0 else None,
            )
    if spikes is not None:
        _mark_spikes(ax, spikes, monitor, first_id, shown, t, v, th, factor)
    left = float(t[0]) if t_start is None else float(t_start)
    right = float(t[-1]) if t_stop is None else float(t_stop)
    ax.set_xlim(left, right if right > left else left + 1e-3)
    # above the axes, right-aligned: traces fill the whole height, so inside it hides them
    ax.legend(
        frameon=False,
        fontsize="small",
        ncols=shown.size + 1,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        borderaxespad=0.0,
    )
    return ax


def _mark_spikes(
    ax: Axes,
    spikes: Any,
    monitor: StateMonitor | None,
    first_id: int | None,
    shown: np.ndarray,
    t: np.ndarray,
    v: np.ndarray,
    th: np.ndarray | None,
    factor: float,
) -> None:
    if isinstance(spikes, SpikeMonitor):
        s_times, senders = spikes.times, spikes.senders
        if first_id is None and monitor is None:
            first_id = spikes.population.first_id
    elif isinstance(spikes, SpikeRecord):
        s_times = np.asarray(spikes.times, dtype=np.float64)
        senders = np.asarray(spikes.senders, dtype=np.int64)
        if s_times.shape != senders.shape:
            raise ConfigurationError(
                f"spike times and senders differ in length: {s_times.shape[0]} and "
                f"{senders.shape[0]}."
            )
    else:
        raise ConfigurationError(
            f"`spikes` must be a SpikeMonitor or a SpikeRecord, got {type(spikes).__name__}."
        )
    if first_id is None:
        first_id = monitor.population.first_id if monitor is not None else 0
    inside = (s_times >= t[0]) & (s_times <= t[-1])
    for k, n in enumerate(shown):
        mine = s_times[inside & (senders == first_id + n)]
        if mine.size == 0:
            continue
        trace = v[:, k]
        top = th[k] if th is not None else float(np.max(trace))
        # the stroke starts at the sample just before the spike (the last subthreshold value)
        before = np.clip(np.searchsorted(t, mine, side="left") - 1, 0, t.size - 1)
        low = np.minimum(trace[before], top)
        segments = np.stack(
            [
                np.column_stack([mine, low * factor]),
                np.column_stack([mine, np.full(mine.size, top * factor)]),
            ],
            axis=1,
        )
        ax.add_collection(
            LineCollection(segments, colors=colour(k), linewidths=1.2, gid="snn-spikes")
        )
