"""Spike recordings in every accepted form, turned into labelled groups of one population each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from snn.core import Population, PopulationView, SpikeMonitor, SpikeRecord
from snn.core.errors import ConfigurationError

__all__ = ["SpikeGroup", "Spikes", "all_spikes", "make_group", "spike_groups", "time_window"]

#: what the spike plots accept: a monitor, a record, a ``(times, senders)`` pair of arrays, a
#: list of those, or a dict of label to one of those
Spikes = (
    SpikeMonitor | SpikeRecord | tuple[np.ndarray, np.ndarray] | Sequence[Any] | Mapping[str, Any]
)

#: what ``groups=`` accepts per label: a population, a view, or ``(first_id, size)``
GroupSpec = Population | PopulationView | tuple[int, int]


@dataclass(frozen=True)
class SpikeGroup:
    """The spikes of one labelled group of neurons with consecutive global ids.

    Attributes
    ----------
    label : str
        Name shown in plots.
    times : numpy.ndarray
        Spike times [s], float64.
    rows : numpy.ndarray
        Index of the spiking neuron within the group (``sender - first_id``), int64.
    first_id : int
        Global id of the group's neuron 0.
    size : int
        Number of neurons in the group (silent ones included when known).
    t_end : float or None
        End of the recording [s] when known (from a monitor), else None.
    t_min, t_max : float
        First and last spike time [s] (NaN without spikes).
    """

    label: str
    times: np.ndarray
    rows: np.ndarray
    first_id: int
    size: int
    t_end: float | None = None
    t_min: float = float("nan")
    t_max: float = float("nan")

    @property
    def n_spikes(self) -> int:
        """Number of spikes."""
        return int(self.times.shape[0])


def _arrays(times: Any, senders: Any, what: str) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(times, dtype=np.float64)
    s = np.asarray(senders)
    if t.ndim != 1 or s.ndim != 1:
        raise ConfigurationError(
            f"{what}: spike times and senders must be 1-D arrays, got shapes {t.shape} and "
            f"{s.shape}."
        )
    if t.shape != s.shape:
        raise ConfigurationError(
            f"{what}: spike times and senders differ in length: {t.shape[0]} times and "
            f"{s.shape[0]} senders (one sender per spike expected)."
        )
    if s.size and not np.issubdtype(s.dtype, np.integer) and not np.all(np.mod(s, 1) == 0):
        raise ConfigurationError(f"{what}: senders must be integer neuron ids.")
    s = s.astype(np.int64, copy=False)
    # min and max propagate NaN and show inf: two reductions instead of an isfinite pass
    if t.size and not (np.isfinite(t.min()) and np.isfinite(t.max())):
        raise ConfigurationError(f"{what}: spike times contain NaN or inf.")
    return t, s


def _is_pair(item: Any) -> bool:
    return (
        isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, np.ndarray) for x in item)
    )


def make_group(
    label: str, times: np.ndarray, rows: np.ndarray, first: int, size: int, t_end: float | None
) -> SpikeGroup:
    """A :class:`SpikeGroup` with its first and last spike times filled in."""
    if times.size:
        return SpikeGroup(
            label, times, rows, first, size, t_end, float(times.min()), float(times.max())
        )
    return SpikeGroup(label, times, rows, first, size, t_end)


#: one input recording before grouping: label, times [s], global ids, first id, size, end [s]
_Raw = tuple[str, np.ndarray, np.ndarray, int, int, "float | None"]


def _one(label: str | None, item: Any, k: int) -> _Raw:
    if isinstance(item, SpikeGroup):
        return (
            label or item.label,
            item.times,
            item.rows + item.first_id,
            item.first_id,
            item.size,
            item.t_end,
        )
    if isinstance(item, SpikeMonitor):
        pop = item.population
        return (label or pop.name, item.times, item.senders, pop.first_id, pop.size, pop.network.t)
    name = label or f"group {k}"
    if isinstance(item, SpikeRecord):
        t, s = _arrays(item.times, item.senders, name)
    elif _is_pair(item):
        t, s = _arrays(item[0], item[1], name)
    else:
        raise ConfigurationError(
            f"spike plots take SpikeMonitors, SpikeRecords or (times, senders) pairs of arrays "
            f"(alone, in a list or in a dict), got {type(item).__name__} for {name!r}."
        )
    first = int(s.min()) if s.size else 0
    size = int(s.max()) - first + 1 if s.size else 0
    return name, t, s, first, size, None


def _items(spikes: Any) -> list[tuple[str | None, Any]]:
    if isinstance(spikes, SpikeMonitor | SpikeRecord) or _is_pair(spikes):
        return [(None, spikes)]
    if isinstance(spikes, Mapping):
        return [(str(k), v) for k, v in spikes.items()]
    if isinstance(spikes, Sequence) and not isinstance(spikes, str):
        return [(None, s) for s in spikes]
    raise ConfigurationError(
        f"spike plots take SpikeMonitors, SpikeRecords or (times, senders) pairs of arrays "
        f"(alone, in a list or in a dict), got {type(spikes).__name__}."
    )


def _spec(label: str, g: Any) -> tuple[int, int]:
    if isinstance(g, Population | PopulationView):
        return int(g.first_id), int(g.size)
    if isinstance(g, tuple) and len(g) == 2:
        first, size = int(g[0]), int(g[1])
        if size < 0:
            raise ConfigurationError(f"group {label!r}: size must be >= 0, got {size}.")
        return first, size
    raise ConfigurationError(
        f"`groups` maps labels to populations, views or (first_id, size); got "
        f"{type(g).__name__} for {label!r}."
    )


def spike_groups(
    spikes: Spikes,
    *,
    groups: Mapping[str, GroupSpec] | None = None,
    populations: str | Sequence[str] | None = None,
) -> list[SpikeGroup]:
    """Normalise spike recordings to one :class:`SpikeGroup` per population.

    Parameters
    ----------
    spikes
        A :class:`~snn.core.SpikeMonitor` (labelled by its population), a
        :class:`~snn.core.SpikeRecord` or a ``(times [s], senders)`` pair of arrays, a list of
        those, or a dict of label to one of those.
    groups
        Split the spikes into these groups instead: label to population, view or
        ``(first_id, size)``. The group sizes then count silent neurons too.
    populations
        Keep only these labels (one name or several).

    Returns
    -------
    list of SpikeGroup
        In the order given.

    Raises
    ------
    ConfigurationError
        Unknown input type, times and senders of different lengths, or an unknown label in
        ``populations``.
    """
    raw = [_one(label, item, k) for k, (label, item) in enumerate(_items(spikes))]
    if groups is None:
        found = [
            make_group(label, t, ids - first if first else ids, first, size, end)
            for label, t, ids, first, size, end in raw
        ]
    else:
        if not isinstance(groups, Mapping):
            raise ConfigurationError(
                f"`groups` must be a dict of label to population, got {type(groups).__name__}."
            )
        if len(raw) == 1:
            times, senders = raw[0][1], raw[0][2]
        else:
            times = np.concatenate([r[1] for r in raw]) if raw else np.zeros(0)
            senders = np.concatenate([r[2] for r in raw]) if raw else np.zeros(0, np.int64)
        ends = [r[5] for r in raw if r[5] is not None]
        t_end = max(ends) if ends else None
        found = []
        for label, g in groups.items():
            first, size = _spec(label, g)
            # indices then take: 3x faster than boolean indexing on interleaved groups
            idx = np.flatnonzero((senders >= first) & (senders < first + size))
            rows = senders.take(idx)
            rows -= first
            found.append(make_group(str(label), times.take(idx), rows, first, size, t_end))
    if populations is not None:
        wanted = [populations] if isinstance(populations, str) else list(populations)
        labels = [g.label for g in found]
        unknown = [p for p in wanted if p not in labels]
        if unknown:
            raise ConfigurationError(
                f"unknown population {unknown[0]!r}; the recordings hold {labels}."
            )
        found = [g for g in found if g.label in wanted]
    return found


def all_spikes(found: Sequence[SpikeGroup]) -> tuple[np.ndarray, np.ndarray]:
    """All spikes of ``found`` as ``(times [s], global ids)``, concatenated."""
    if not found:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    times = np.concatenate([g.times for g in found])
    senders = np.concatenate([g.rows + g.first_id for g in found])
    return times, senders


def time_window(
    found: Sequence[SpikeGroup], t_start: float | None, t_stop: float | None
) -> tuple[float, float]:
    """The window ``[t_start, t_stop]`` [s] to analyse, with defaults filled in.

    ``t_start`` defaults to 0 (or the first spike if earlier); ``t_stop`` to the end of the
    recording when a monitor knows it, else to the last spike.
    """
    for name, value in (("t_start", t_start), ("t_stop", t_stop)):
        if value is not None and not np.isfinite(value):
            raise ConfigurationError(f"`{name}` must be a finite time [s], got {value!r}.")
    firsts = [g.t_min for g in found if g.n_spikes]
    lasts = [g.t_max for g in found if g.n_spikes]
    ends = [g.t_end for g in found if g.t_end is not None]
    lo = float(t_start) if t_start is not None else min([0.0, *firsts])
    if t_stop is not None:
        hi = float(t_stop)
    elif ends:
        hi = max([*ends, *lasts])
    else:
        hi = max(lasts, default=lo + 1.0)
    if hi < lo:
        raise ConfigurationError(
            f"the time window is empty: t_start = {lo!r} s is after t_stop = {hi!r} s."
        )
    return lo, hi
