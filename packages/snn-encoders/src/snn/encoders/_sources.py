"""Spike sources: point processes drawn onto the time grid as :class:`SpikeTrains`.

Each source is a frozen dataclass of parameters; ``source.trains(n, duration, dt=..., seed=...)``
draws ``n`` independent trains over ``duration`` and returns them as :class:`SpikeTrains` (a
population for a network, or data to analyse). All processes live on the grid of ``dt``: a train
spikes at most once per step.

:class:`PoissonProcess`
    Each step spikes with probability ``p = rate * dt`` (a Bernoulli process, the grid version of
    a Poisson process; Brian2's ``PoissonGroup``, :class:`snn.neurons.PoissonSource`). Mean rate
    exactly ``rate``; spike count over ``T`` steps ``~ Binomial(T, p)``, Fano factor ``1 - p``.
:class:`InhomogeneousPoissonProcess`
    The same with a rate that varies in time: step ``k`` spikes with probability
    ``rate(t_k) * dt``, ``t_k = (k + 1/2) dt`` (midpoint rule). Drawn by thinning (Lewis &
    Shedler 1979, "Simulation of nonhomogeneous Poisson processes by thinning", Naval Res.
    Logist. Q. 26:403-413), exact on the grid.
:class:`DeadTimePoissonProcess`
    A Poisson process with an absolute dead time ``d`` after each spike: intervals are
    ``d + Geometric(q)`` steps with ``q = rate dt / (1 - d rate dt)``, so the mean rate is
    exactly ``rate``; the interval CV is ``sqrt(1 - q) (1 - d rate dt)`` (``1 - rate * dead_time``
    as ``dt -> 0``; Johnson 1996, "Point process models of single-neuron discharges", J. Comput.
    Neurosci. 3:275-299).
:class:`GammaProcess`
    A gamma (Erlang) process of integer order ``k`` (NEST's ``gamma_sup_generator``): a spike at
    every ``k``-th event of a hidden Bernoulli process of probability ``k rate dt`` per step.
    Mean rate exactly ``rate``; interval CV^2 ``(1 - k rate dt) / k`` (``1 / k`` as
    ``dt -> 0``).
:class:`RegularProcess`, :class:`JitteredProcess`
    Spikes every ``1 / rate``, optionally each displaced by a normal jitter.

The stochastic processes start in their stationary state (a window of any length has mean count
``rate * duration``). Draws are counter-based and keyed by ``(seed, process, train, draw)``: the
same seed gives the same trains on any machine and for any number of threads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core.errors import ConfigurationError
from snn.core.random import derive_key
from snn.core.validate import (
    SEED_LIMIT,
    CheckedParameters,
    require_finite,
    require_int,
    require_memory,
    require_nonnegative,
    require_positive,
    warn_magnitude,
)
from snn.encoders._kernels import jitter_times, renewal_fill, thinning_fill
from snn.encoders._trains import SpikeTrains, grid_stamps, steps_of

__all__ = [
    "DeadTimePoissonProcess",
    "GammaProcess",
    "InhomogeneousPoissonProcess",
    "JitteredProcess",
    "PoissonProcess",
    "RegularProcess",
]


def fill_keys(
    fill: Callable[[np.ndarray, int, int], tuple[int, int]], n_rows: int, expected: float
) -> np.ndarray:
    """Run a resumable fill kernel, growing its key array until every row is drawn.

    ``fill(keys, row, pos)`` returns ``(row reached, position)``; ``expected`` is the expected
    number of keys (the first allocation adds a 6-sigma Poisson margin, so growth is rare).
    """
    size = expected + 6.0 * math.sqrt(max(expected, 1.0)) + 1024
    # the keys, their sorted copy and the trains' steps and ids: 32 bytes per spike
    require_memory(
        f"spike trains of about {expected:,.0f} spikes",
        32 * size,
        "Draw fewer or shorter trains, or several pieces one after the other.",
    )
    keys = np.empty(int(size), dtype=np.int64)
    row, pos = 0, 0
    while True:
        row, pos = fill(keys, row, pos)
        if row >= n_rows:
            return keys[:pos]
        grown = np.empty(2 * keys.shape[0], dtype=np.int64)
        grown[:pos] = keys[:pos]
        keys = grown


def per_train(name: str, value: Any, n: int, unit: str) -> np.ndarray:
    """A parameter given once or per train, as a float64 array of length ``n``."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ConfigurationError(
            f"`{name}` must be one number or one per train ({n}) [{unit}], got shape {arr.shape}."
        )
    return np.ascontiguousarray(arr)


def _window(n: Any, duration: float, dt: float, start: float, seed: Any) -> tuple[int, int, int]:
    require_int("seed", seed, minimum=0, maximum=SEED_LIMIT)
    n = require_int("n", n, minimum=1)
    # a few float64 values per train (rates, phases, probabilities)
    require_memory(f"the parameters of {n:,} trains", 64 * n, "Draw fewer trains.")
    require_positive("dt", dt, "s")
    length = steps_of("duration", duration, dt, minimum=1)
    begin = steps_of("start", start, dt)
    return n, length, begin


def _check_rate(rate: Any) -> None:
    require_nonnegative("rate", rate, "Hz")
    warn_magnitude("rate", rate, "rate")
    if np.ndim(rate) > 1:
        raise ConfigurationError("`rate` must be one number or a 1-D array (one per train).")


def _renewal(
    name: str, q: np.ndarray, order: int, dead: int, length: int, begin: int, n: int, seed: int
) -> np.ndarray:
    k0, k1 = derive_key(seed, "snn.encoders", name)
    i0, i1 = derive_key(seed, "snn.encoders", name, "initial state")
    rho = q / (order + dead * q)
    return np.sort(
        fill_keys(
            lambda keys, row, pos: renewal_fill(
                q, order, dead, length, begin, k0, k1, i0, i1, keys, row, pos
            ),
            n,
            float(rho.sum() * length),
        )
    )


@dataclass(frozen=True, kw_only=True)
class PoissonProcess(CheckedParameters):
    """Homogeneous Poisson trains on the grid (a Bernoulli trial per step).

    Parameters
    ----------
    rate
        Firing rate [Hz], one value or one per train; ``rate * dt <= 1``.
    """

    rate: Any

    def __post_init__(self) -> None:
        _check_rate(self.rate)

    def trains(
        self, n: int, duration: float, *, dt: float, seed: int = 0, start: float = 0.0
    ) -> SpikeTrains:
        """Draw ``n`` trains.

        Parameters
        ----------
        n
            Number of trains.
        duration
            Length of the trains [s], a multiple of ``dt``.
        dt
            Time step [s].
        seed
            Seed of the draws.
        start
            Time of the window's start [s] (spikes in ``(start, start + duration]``).

        Returns
        -------
        SpikeTrains
        """
        n, length, begin = _window(n, duration, dt, start, seed)
        p = per_train("rate", self.rate, n, "Hz") * dt
        _require_probability("rate * dt", p, "rate")
        keys = _renewal("PoissonProcess", p, 1, 0, length, begin, n, seed)
        return SpikeTrains.from_keys(keys, n, dt)


@dataclass(frozen=True, kw_only=True)
class DeadTimePoissonProcess(CheckedParameters):
    """Poisson trains with an absolute dead time after each spike.

    Parameters
    ----------
    rate
        Mean firing rate [Hz], one value or one per train.
    dead_time
        Dead time [s], a multiple of the time step; ``rate * (dead_time + dt) <= 1``.
    """

    rate: Any
    dead_time: float

    def __post_init__(self) -> None:
        _check_rate(self.rate)
        require_nonnegative("dead_time", self.dead_time, "s")

    def trains(
        self, n: int, duration: float, *, dt: float, seed: int = 0, start: float = 0.0
    ) -> SpikeTrains:
        """Draw ``n`` trains (parameters as :meth:`PoissonProcess.trains`)."""
        n, length, begin = _window(n, duration, dt, start, seed)
        dead = steps_of("dead_time", self.dead_time, dt)
        rho = per_train("rate", self.rate, n, "Hz") * dt
        # 1e-12: float rounding of rate * dt for rates exactly at the limit
        if np.any(rho * (dead + 1) > 1.0 + 1e-12):
            raise ConfigurationError(
                f"`rate` * (dead_time + dt) must be <= 1, got {float(rho.max() * (dead + 1))!r}: "
                "a train cannot fire faster than once per dead time plus one step."
            )
        q = np.minimum(rho / (1.0 - dead * rho), 1.0)
        keys = _renewal("DeadTimePoissonProcess", q, 1, dead, length, begin, n, seed)
        return SpikeTrains.from_keys(keys, n, dt)


@dataclass(frozen=True, kw_only=True)
class GammaProcess(CheckedParameters):
    """Gamma (Erlang) trains of integer order, on the grid (NEST ``gamma_sup_generator``).

    Parameters
    ----------
    rate
        Mean firing rate [Hz], one value or one per train; ``order * rate * dt <= 1``.
    order
        Shape parameter ``k`` >= 1 (1 is the Poisson process; larger is more regular).
    """

    rate: Any
    order: int

    def __post_init__(self) -> None:
        _check_rate(self.rate)
        require_int("order", self.order, minimum=1)

    def trains(
        self, n: int, duration: float, *, dt: float, seed: int = 0, start: float = 0.0
    ) -> SpikeTrains:
        """Draw ``n`` trains (parameters as :meth:`PoissonProcess.trains`)."""
        n, length, begin = _window(n, duration, dt, start, seed)
        order = int(self.order)
        q = per_train("rate", self.rate, n, "Hz") * dt * order
        _require_probability("order * rate * dt", q, "rate")
        keys = _renewal("GammaProcess", q, order, 0, length, begin, n, seed)
        return SpikeTrains.from_keys(keys, n, dt)


@dataclass(frozen=True, kw_only=True)
class InhomogeneousPoissonProcess(CheckedParameters):
    """Poisson trains whose rate varies in time (a Bernoulli trial per step).

    Parameters
    ----------
    rate
        Either a function of time since the window's start [s] (a float64 array of step
        midpoints) returning the rate [Hz] of every train (shape ``(T,)``) or of each (``(T, n)``);
        or an array of rates [Hz], shape ``(m,)`` or ``(m, n)``, value ``i`` holding for
        ``[i * interval, (i + 1) * interval)``. ``rate * dt <= 1``.
    interval
        Time covered by each value of an array ``rate`` [s] (default: ``dt``).
    """

    rate: Any
    interval: float | None = None

    matrix_parameters: ClassVar[tuple[str, ...]] = ("rate",)

    def __post_init__(self) -> None:
        if not callable(self.rate):
            arr = np.asarray(self.rate, dtype=np.float64)
            if arr.ndim not in (1, 2) or arr.shape[0] == 0:
                raise ConfigurationError(
                    f"`rate` must be a function or an array of shape (m,) or (m, n), got shape "
                    f"{arr.shape}."
                )
            require_nonnegative("rate", arr, "Hz")
        if self.interval is not None:
            require_positive("interval", self.interval, "s")

    def rate_table(self, n: int, length: int, dt: float) -> np.ndarray:
        """Rate [Hz] in each step ``(length, 1)`` or ``(length, n)``, float64."""
        width = n if callable(self.rate) or np.ndim(self.rate) == 2 else 1
        require_memory(
            f"the rate table of {length:,} steps", 16 * length * width, "Draw shorter trains."
        )
        mid = (np.arange(length) + 0.5) * dt
        if callable(self.rate):
            table = np.asarray(self.rate(mid), dtype=np.float64)
            if table.shape not in ((length,), (length, n)):
                raise ConfigurationError(
                    f"`rate(t)` must return shape ({length},) or ({length}, {n}) for {length} "
                    f"step midpoints, got {table.shape}."
                )
            require_nonnegative("rate(t)", table, "Hz")
        else:
            arr = np.asarray(self.rate, dtype=np.float64)
            interval = dt if self.interval is None else float(self.interval)
            if arr.ndim == 2 and arr.shape[1] != n:
                raise ConfigurationError(
                    f"`rate` has {arr.shape[1]} columns but {n} trains were asked for."
                )
            if arr.shape[0] * interval < length * dt * (1 - 1e-9):
                raise ConfigurationError(
                    f"`rate` covers {arr.shape[0] * interval!r} s, less than the duration "
                    f"{length * dt!r} s."
                )
            table = arr[np.minimum((mid / interval).astype(np.int64), arr.shape[0] - 1)]
        return table.reshape(length, -1)

    def trains(
        self, n: int, duration: float, *, dt: float, seed: int = 0, start: float = 0.0
    ) -> SpikeTrains:
        """Draw ``n`` trains (parameters as :meth:`PoissonProcess.trains`)."""
        n, length, begin = _window(n, duration, dt, start, seed)
        p = np.ascontiguousarray(self.rate_table(n, length, dt) * dt)
        _require_probability("rate * dt", p, "rate")
        stride = 1 if p.shape[1] == n and n > 1 else 0
        p_max = p.max(axis=0) if stride else np.full(n, p.max())
        k0, k1 = derive_key(seed, "snn.encoders", "InhomogeneousPoissonProcess")
        keys = fill_keys(
            lambda keys, row, pos: thinning_fill(
                p, stride, p_max, length, begin, k0, k1, keys, row, pos
            ),
            n,
            float(p.sum() * (n if stride == 0 else 1)),
        )
        return SpikeTrains.from_keys(np.sort(keys), n, dt)


@dataclass(frozen=True, kw_only=True)
class RegularProcess(CheckedParameters):
    """Regular trains: a spike every ``1 / rate``.

    Spike ``i`` of a train is at ``phase + i / rate`` after the window's start, on the first grid
    time at or after it (and not before ``dt``).

    Parameters
    ----------
    rate
        Rate [Hz], one value or one per train; ``rate * dt <= 1``.
    phase
        Time of the first spike after the window's start [s], one value or one per train, >= 0.
    """

    rate: Any
    phase: Any = 0.0

    def __post_init__(self) -> None:
        _check_rate(self.rate)
        require_nonnegative("phase", self.phase, "s")

    def _times(self, n: int, length: int, dt: float) -> tuple[np.ndarray, np.ndarray, int]:
        rate = per_train("rate", self.rate, n, "Hz")
        _require_probability("rate * dt", rate * dt, "rate")
        phase = per_train("phase", self.phase, n, "s")
        duration = length * dt
        isi = np.divide(1.0, rate, out=np.full(n, np.inf), where=rate > 0)
        # a phase beyond the window leaves no spike in it (and (duration - 1e308) * rate overflowed)
        ahead = duration - np.minimum(phase, duration)
        count = np.where(rate > 0, np.floor(ahead * rate) + 2, 0)
        n_max = int(max(count.max(), 0))
        # a float64 time, a flag and a key per possible spike of every train
        require_memory(f"{n:,} regular trains of up to {n_max:,} spikes", 32 * n * n_max)
        return phase, isi, n_max

    def trains(
        self, n: int, duration: float, *, dt: float, seed: int = 0, start: float = 0.0
    ) -> SpikeTrains:
        """Make ``n`` trains (parameters as :meth:`PoissonProcess.trains`; ``seed`` unused)."""
        n, length, begin = _window(n, duration, dt, start, seed)
        phase, isi, n_max = self._times(n, length, dt)
        t = phase[:, None] + np.arange(n_max)[None, :] * np.where(np.isinf(isi), 0.0, isi)[:, None]
        keep = (t < length * dt) & np.isfinite(isi)[:, None]
        return _trains_from_times(t, keep, n, length, begin, dt)


@dataclass(frozen=True, kw_only=True)
class JitteredProcess(CheckedParameters):
    """Regular trains whose spikes are each displaced by a normal jitter.

    Spike ``i`` of a train is at ``phase + i / rate + jitter * z_i`` after the window's start,
    ``z_i`` standard normal; spikes moved outside ``[0, duration)`` are dropped, and spikes of a
    train that fall into the same step become one.

    Parameters
    ----------
    rate
        Rate [Hz], one value or one per train; ``rate * dt <= 1``.
    jitter
        Standard deviation of the displacement [s], >= 0.
    phase
        Time of the unjittered first spike after the window's start [s], one value or per train.
    """

    rate: Any
    jitter: float
    phase: Any = 0.0

    def __post_init__(self) -> None:
        _check_rate(self.rate)
        require_nonnegative("jitter", self.jitter, "s")
        require_nonnegative("phase", self.phase, "s")

    def trains(
        self, n: int, duration: float, *, dt: float, seed: int = 0, start: float = 0.0
    ) -> SpikeTrains:
        """Draw ``n`` trains (parameters as :meth:`PoissonProcess.trains`)."""
        n, length, begin = _window(n, duration, dt, start, seed)
        phase, isi, n_max = RegularProcess(rate=self.rate, phase=self.phase)._times(n, length, dt)
        k0, k1 = derive_key(seed, "snn.encoders", "JitteredProcess")
        regular = (
            phase[:, None] + np.arange(n_max)[None, :] * np.where(np.isinf(isi), 0.0, isi)[:, None]
        )
        t = np.empty((n, n_max))
        jitter_times(np.zeros(n), 0.0, n_max, float(self.jitter), k0, k1, t)
        t += regular
        keep = (t >= 0) & (t < length * dt) & (regular < length * dt) & np.isfinite(isi)[:, None]
        return _trains_from_times(t, keep, n, length, begin, dt)


def _trains_from_times(
    t: np.ndarray, keep: np.ndarray, n: int, length: int, begin: int, dt: float
) -> SpikeTrains:
    """Trains from times ``t[train, i]`` [s] after the window start where ``keep``."""
    stamps = np.minimum(grid_stamps(np.where(keep, t, 0.0), dt), length)
    train = np.broadcast_to(np.arange(n)[:, None], t.shape)
    keys = np.unique((begin + stamps[keep]) * n + train[keep])
    return SpikeTrains.from_keys(keys, n, dt)


def _require_probability(what: str, p: np.ndarray, name: str) -> None:
    require_finite(name, p)
    # 1e-12: float rounding of rate * dt for rates exactly at the limit (e.g. 10 kHz at 0.1 ms)
    if p.size and float(p.max()) > 1.0 + 1e-12:
        raise ConfigurationError(
            f"{what} must be <= 1 (at most one spike per step), got {float(p.max())!r}; "
            f"lower `{name}` or the time step."
        )
