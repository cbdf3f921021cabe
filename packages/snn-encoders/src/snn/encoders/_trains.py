"""Spike trains on the time grid, and the schedule of a sequence of presented samples.

:class:`SpikeTrains` is what every source and encoder of this package returns: spikes as integer
time stamps and train indices, ready to be a population (it is a
:class:`~snn.core.SpikeGenerator`), to be plotted, or to be decoded directly.

Time convention (snn.core): a spike with stamp ``s`` happens at time ``s * dt``, at the end of the
step ``s - 1`` that emits it; stamps are >= 1. A sample presented in a window of ``P`` steps that
starts at time ``b * dt`` owns the stamps ``b + 1 .. b + P``, i.e. the times in
``(b dt, (b + P) dt]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import SpikeGenerator
from snn.core.errors import ConfigurationError
from snn.core.validate import (
    INT_LIMIT,
    require_finite,
    require_int,
    require_positive,
    require_steps,
    warn_off_grid,
)
from snn.encoders._kernels import trains_emit

__all__ = ["Schedule", "SpikeTrains", "steps_of"]

#: relative tolerance for "a whole number of time steps" (float rounding of t / dt)
_GRID_RTOL = 1e-9


def steps_of(name: str, value: float, dt: float, *, minimum: int = 0) -> int:
    """``value`` [s] as a whole number of steps of ``dt`` [s]; refuses values off the grid."""
    return require_steps(name, value, dt, minimum=minimum)


def grid_stamps(t: np.ndarray, dt: float) -> np.ndarray:
    """Stamp of the first grid time at or after each ``t`` [s], and not before ``dt`` (int64).

    A time within ``1e-9 dt`` above a grid point counts as on it (float rounding of ``t / dt``).
    Times of ``2**62`` steps or more are refused (they do not fit the int64 stamps).
    """
    with np.errstate(over="ignore"):
        stamps = np.maximum(np.ceil(np.asarray(t, dtype=np.float64) / dt - _GRID_RTOL), 1)
    if np.any(~(stamps < INT_LIMIT)):
        raise ConfigurationError(
            f"a time of {float(np.max(t))!r} s is beyond {INT_LIMIT:.3g} steps of dt = {dt} s."
        )
    return stamps.astype(np.int64)


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """When the samples of a sequence are presented.

    Sample ``k`` is presented from ``start + k * (presentation + rest)`` for ``presentation``,
    followed by ``rest`` without input.

    Parameters
    ----------
    n_samples
        Number of samples, >= 1.
    presentation
        Presentation time of each sample [s], a positive multiple of ``dt``.
    dt
        Time step [s].
    rest
        Pause after each sample [s], a multiple of ``dt`` (default 0).
    start
        Start of the first presentation [s], a multiple of ``dt`` (default 0).
    """

    n_samples: int
    presentation: float
    dt: float
    rest: float = 0.0
    start: float = 0.0

    def __post_init__(self) -> None:
        require_int("n_samples", self.n_samples, minimum=1)
        require_positive("dt", self.dt, "s")
        steps_of("presentation", self.presentation, self.dt, minimum=1)
        steps_of("rest", self.rest, self.dt)
        steps_of("start", self.start, self.dt)

    @property
    def presentation_steps(self) -> int:
        """Steps per presentation."""
        return steps_of("presentation", self.presentation, self.dt)

    @property
    def period_steps(self) -> int:
        """Steps from one presentation's start to the next."""
        return self.presentation_steps + steps_of("rest", self.rest, self.dt)

    @property
    def start_step(self) -> int:
        """Step at which the first presentation starts."""
        return steps_of("start", self.start, self.dt)

    @property
    def duration(self) -> float:
        """End of the last sample's rest [s] (time to simulate from 0)."""
        return (self.start_step + self.n_samples * self.period_steps) * self.dt

    def begins(self) -> np.ndarray:
        """Step at which each presentation starts, int64 ``(n_samples,)``.

        Sample ``k`` owns the stamps ``begins()[k] + 1 .. begins()[k] + presentation_steps``.
        """
        return self.start_step + self.period_steps * np.arange(self.n_samples, dtype=np.int64)

    def shifted(self, delay: float) -> Schedule:
        """The same schedule ``delay`` seconds later (e.g. to decode a layer behind a synapse)."""
        return Schedule(
            n_samples=self.n_samples,
            presentation=self.presentation,
            dt=self.dt,
            rest=self.rest,
            start=(self.start_step + steps_of("delay", delay, self.dt)) * self.dt,
        )

    def sample_of(self, stamps: np.ndarray) -> np.ndarray:
        """Sample whose presentation holds each stamp, or -1 (rest, before, after), int64."""
        stamps = np.asarray(stamps, dtype=np.int64)
        rel = stamps - 1 - self.start_step
        k = np.floor_divide(rel, self.period_steps)
        inside = (
            (rel >= 0)
            & (k < self.n_samples)
            & (rel - k * self.period_steps < self.presentation_steps)
        )
        return np.where(inside, k, -1)


@dataclass(frozen=True, kw_only=True, eq=False)
class SpikeTrains(SpikeGenerator):
    """Spike trains on a time grid: a population of neurons that emit these spikes.

    Add it to a network as ``net.add_population(trains, trains.n)``; the network's ``dt`` must
    be the trains' ``dt``.

    Parameters
    ----------
    steps
        Time stamp of each spike (time ``steps * dt``), integers >= 1.
    ids
        Train (neuron) index of each spike, integers in ``[0, n)``.
    n
        Number of trains.
    dt
        Time step of the stamps [s].
    schedule
        The presentation windows, when the trains encode a sequence of samples.

    Notes
    -----
    The spikes are kept sorted by stamp, then train (they are sorted on construction when they
    are not). A train spikes at most once per step: duplicates are refused. Spikes at times
    already simulated when the population is added are never emitted.
    """

    steps: Any
    ids: Any
    n: int
    dt: float
    schedule: Schedule | None = None

    cursor_buffers: ClassVar[tuple[str, ...]] = ("cursor",)

    def __post_init__(self) -> None:
        n = require_int("n", self.n, minimum=1)
        require_positive("dt", self.dt, "s")
        steps = np.asarray(self.steps).ravel()
        ids = np.asarray(self.ids).ravel()
        if steps.shape != ids.shape:
            raise ConfigurationError(
                f"`steps` and `ids` must have the same length, got {steps.shape[0]} and "
                f"{ids.shape[0]}."
            )
        for name, arr in (("steps", steps), ("ids", ids)):
            if arr.size and not np.issubdtype(arr.dtype, np.integer):
                raise ConfigurationError(f"`{name}` must be integers, got dtype {arr.dtype}.")
        steps = steps.astype(np.int64)
        ids = ids.astype(np.int64)
        if steps.size and steps.min() < 1:
            raise ConfigurationError(
                f"`steps` must be >= 1 (a spike closes the step that emits it), got "
                f"{int(steps.min())}."
            )
        if ids.size and (ids.min() < 0 or ids.max() >= n):
            bad = int(ids.min() if ids.min() < 0 else ids.max())
            raise ConfigurationError(f"`ids` must lie in [0, {n - 1}] (n = {n}), got {bad}.")
        if steps.size and int(steps.max()) >= (2**62) // n:
            raise ConfigurationError(f"`steps` up to {int(steps.max())} are too large.")
        keys = steps * n + ids
        if keys.size > 1 and not np.all(keys[1:] > keys[:-1]):
            keys = np.sort(keys)
            dup = np.flatnonzero(keys[1:] == keys[:-1])
            if dup.size:
                k = int(keys[dup[0]])
                raise ConfigurationError(
                    f"train {k % n} is given two spikes at stamp {k // n} "
                    f"(t = {k // n * self.dt!r} s); a train spikes at most once per step."
                )
            steps, ids = keys // n, keys % n
        if self.schedule is not None and not isinstance(self.schedule, Schedule):
            raise ConfigurationError(
                f"`schedule` must be a Schedule or None, got {type(self.schedule).__name__}."
            )
        if self.schedule is not None and not math.isclose(
            self.schedule.dt, self.dt, rel_tol=_GRID_RTOL
        ):
            raise ConfigurationError(
                f"`schedule` has dt = {self.schedule.dt!r} s, the trains {self.dt!r} s."
            )
        for arr in (steps, ids):
            arr.flags.writeable = False
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "dt", float(self.dt))
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "ids", ids)

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_keys(
        cls, keys: np.ndarray, n: int, dt: float, schedule: Schedule | None = None
    ) -> SpikeTrains:
        """Trains from sorted unique keys ``stamp * n + train`` (as the kernels write them)."""
        keys = np.asarray(keys, dtype=np.int64)
        return cls(steps=keys // n, ids=keys % n, n=n, dt=dt, schedule=schedule)

    @classmethod
    def from_times(
        cls,
        times: Any,
        ids: Any,
        *,
        dt: float,
        n: int | None = None,
        schedule: Schedule | None = None,
    ) -> SpikeTrains:
        """Trains from spike times [s] and train indices (as NEST's ``spike_generator``).

        Parameters
        ----------
        times
            Spike times [s], >= ``dt``; rounded to the nearest grid time (a warning says so when
            a time is more than ``1e-6 dt`` off the grid).
        ids
            Train index of each spike, >= 0.
        dt
            Time step [s].
        n
            Number of trains (default: the largest index + 1).
        schedule
            Presentation windows, if any.

        Returns
        -------
        SpikeTrains
        """
        require_positive("dt", dt, "s")
        t = np.asarray(times, dtype=np.float64).ravel()
        require_finite("times", t, "s")
        idx = np.asarray(ids).ravel()
        stamps = np.rint(t / dt)
        if t.size and stamps.min() < 1:
            raise ConfigurationError(
                f"spike times must be >= dt = {dt!r} s (a spike closes the step it is emitted "
                f"in), got {float(t.min())!r} s."
            )
        warn_off_grid("spike times", t, stamps, dt)
        if n is None:
            n = int(idx.max()) + 1 if idx.size else 1
        return cls(steps=stamps.astype(np.int64), ids=idx, n=n, dt=dt, schedule=schedule)

    @classmethod
    def from_record(
        cls,
        record: Any,
        *,
        dt: float | None = None,
        n: int | None = None,
        first_id: int = 0,
        schedule: Schedule | None = None,
    ) -> SpikeTrains:
        """Trains replaying a recording.

        Parameters
        ----------
        record
            A :class:`~snn.core.SpikeMonitor` (its population's indices, size and ``dt`` are
            used) or a :class:`~snn.core.SpikeRecord` (``times`` [s], ``senders`` global ids).
        dt
            Time step [s]; required for a SpikeRecord.
        n
            Number of trains (default: the monitored population's size, or the largest index
            + 1).
        first_id
            Global id of train 0, subtracted from a SpikeRecord's senders.
        schedule
            Presentation windows, if any.

        Returns
        -------
        SpikeTrains
        """
        steps, ids, size, rec_dt = spike_arrays(record, dt=dt, first_id=first_id)
        n = size if n is None else n
        return cls(steps=steps, ids=ids, n=n, dt=rec_dt, schedule=schedule)

    # ---------------------------------------------------------------- views
    def __repr__(self) -> str:
        return (
            f"<SpikeTrains: {self.n} trains, {self.n_spikes} spikes, dt = {self.dt:g} s, "
            f"last spike at {self.t_stop:.6g} s>"
        )

    @property
    def n_spikes(self) -> int:
        """Number of spikes."""
        return int(self.steps.shape[0])

    @property
    def times(self) -> np.ndarray:
        """Spike times [s], float64."""
        return self.steps * self.dt

    @property
    def t_stop(self) -> float:
        """Time of the last spike [s] (0 without spikes)."""
        return float(self.steps[-1] * self.dt) if self.n_spikes else 0.0

    def counts(self) -> np.ndarray:
        """Number of spikes of each train, int64 ``(n,)``."""
        return np.bincount(self.ids, minlength=self.n)

    # ---------------------------------------------------------------- SpikeGenerator protocol
    def validate_size(self, n: int) -> None:
        """Refuse a population whose size is not the number of trains."""
        if n != self.n:
            raise ConfigurationError(
                f"these SpikeTrains hold {self.n} trains but the population has {n} neurons; "
                f"add them with size {self.n} (`trains.n`)."
            )

    def check_dt(self, dt: float) -> None:
        """Refuse a network whose time step is not the trains' ``dt``."""
        if not math.isclose(dt, self.dt, rel_tol=_GRID_RTOL):
            raise ConfigurationError(
                f"these SpikeTrains were made for dt = {self.dt!r} s but the network has "
                f"dt = {dt!r} s; encode again with the network's dt."
            )

    def emit_function(self) -> Callable[..., Any]:
        """The numba emit kernel."""
        return trains_emit

    def buffers(self, local_index: np.ndarray, dt: float) -> dict[str, np.ndarray]:
        """Emission steps and local indices of this process's trains, and a cursor."""
        self.check_dt(dt)
        ids = self.ids
        emit = self.steps - 1
        if not (local_index.shape[0] == self.n and local_index[-1] == self.n - 1):
            # keep the trains this process owns, as local indices
            local = np.searchsorted(local_index, ids)
            mine = (local < local_index.shape[0]) & (
                local_index[np.minimum(local, max(local_index.shape[0] - 1, 0))] == ids
            )
            emit, ids = emit[mine], local[mine]
        return {
            "steps": np.ascontiguousarray(emit, dtype=np.int64),
            "ids": np.ascontiguousarray(ids, dtype=np.int32),
            "cursor": np.zeros(1, dtype=np.int64),
        }


def spike_arrays(
    spikes: Any, *, dt: float | None = None, first_id: int = 0
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Stamps, train indices, number of trains and ``dt`` of spikes in any of snn's forms.

    ``spikes`` is a :class:`SpikeTrains`, a :class:`~snn.core.SpikeMonitor` or a
    :class:`~snn.core.SpikeRecord` (the latter needs ``dt``; its senders minus ``first_id`` are
    the indices, and the number of trains is the largest index + 1). ``first_id`` applies to a
    record only: trains and monitors know their own indices, so another value is refused.
    """
    first_id = require_int("first_id", first_id, minimum=0)
    if first_id and not (hasattr(spikes, "times") and hasattr(spikes, "senders")):
        raise ConfigurationError(
            f"`first_id` = {first_id} applies to a SpikeRecord only; {type(spikes).__name__} "
            "spikes carry their own indices (leave `first_id` at 0)."
        )
    if isinstance(spikes, SpikeTrains):
        if dt is not None and not math.isclose(dt, spikes.dt, rel_tol=_GRID_RTOL):
            raise ConfigurationError(f"`dt` = {dt!r} s but the trains have dt = {spikes.dt!r} s.")
        return spikes.steps, spikes.ids, spikes.n, spikes.dt
    if hasattr(spikes, "population") and hasattr(spikes, "steps"):  # a SpikeMonitor
        pop = spikes.population
        mon_dt = pop.network.dt
        if dt is not None and not math.isclose(dt, mon_dt, rel_tol=_GRID_RTOL):
            raise ConfigurationError(f"`dt` = {dt!r} s but the network has dt = {mon_dt!r} s.")
        return spikes.steps, spikes.indices, pop.size, mon_dt
    if hasattr(spikes, "times") and hasattr(spikes, "senders"):  # a SpikeRecord
        if dt is None:
            raise ConfigurationError("`dt` is needed to read a SpikeRecord (times in seconds).")
        require_positive("dt", dt, "s")
        steps = np.rint(np.asarray(spikes.times, dtype=np.float64) / dt).astype(np.int64)
        ids = np.asarray(spikes.senders, dtype=np.int64) - int(first_id)
        if ids.size and ids.min() < 0:
            raise ConfigurationError(
                f"sender {int(ids.min()) + first_id} is below `first_id` = {first_id}."
            )
        n = int(ids.max()) + 1 if ids.size else 1
        return steps, ids, n, float(dt)
    raise ConfigurationError(
        f"spikes must be SpikeTrains, a SpikeMonitor or a SpikeRecord, got {type(spikes).__name__}."
    )
