r"""Spike sources of PyNN's standard cell types that run inside snn's loop, step by step.

PyNN's sources have a window (``start``, ``duration``) and parameters that a script may change
between runs; snn's :class:`~snn.neurons.PoissonSource` has neither window nor per-step state, and
:mod:`snn.encoders` draws whole trains in advance (for a known duration). These are neuron models
without receptors written against snn's model protocol, like a user's own model; each neuron keeps
its own step counter ``clock`` and spikes only in steps ``first <= clock < last``, that is at times
in ``(start, start + duration]`` (a spike closes the step that emits it, NEST's convention).
All draws are the loop's counter-based uniforms, keyed by seed, population, neuron and step.

:class:`PoissonWindow` (``SpikeSourcePoisson``)
    A Bernoulli trial per step with probability ``p = rate dt`` (the grid version of a Poisson
    process, as :class:`snn.neurons.PoissonSource` and Brian2's ``PoissonGroup``); mean rate
    exactly ``rate``.
:class:`GammaWindow` (``SpikeSourceGamma``)
    A gamma process of integer order ``alpha`` and rate parameter ``beta`` (mean interval
    ``alpha / beta``): a spike at every ``alpha``-th event of a hidden Bernoulli process of
    probability ``beta dt`` per step (NEST ``gamma_sup_generator``; the method of
    :class:`snn.encoders.GammaProcess`). The hidden count starts uniform in ``0..alpha-1``, the
    stationary state.
:class:`DeadTimePoissonWindow` (``SpikeSourcePoissonRefractory``)
    A Poisson process with an absolute dead time of ``d`` steps after each spike: intervals are
    ``d + Geometric(q)`` steps with ``q = rho / (1 - d rho)``, ``rho = rate dt``, so the mean
    rate is exactly ``rate`` (NEST ``ppd_sup_generator`` with no modulation; the law of
    :class:`snn.encoders.DeadTimePoissonProcess`). It starts in the stationary state: refractory
    with probability ``d rho``, then with ``1..d`` steps left uniformly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import NeuronModel, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel
from snn.core.random import Uniform, derive_key
from snn.core.validate import require_nonnegative
from snn.neurons import PoissonSource

__all__ = ["DeadTimePoissonWindow", "GammaWindow", "PoissonWindow"]

_CLOCK = StateVar("clock", "steps", "int", "the step this neuron is at")


@kernel(inline="always")
def poisson_window_step(clock, uniform, p_spike, first, last):  # pragma: no cover - compiled
    """A Bernoulli trial inside the window; returns ``(clock, spiked)``."""
    spiked = (first <= clock) & (clock < last) & (uniform < p_spike)
    return clock + 1, spiked


@kernel(inline="always")
def gamma_window_step(clock, count, uniform, p_event, order, first, last):  # pragma: no cover
    """A hidden event with probability ``p_event``; every ``order``-th one is a spike."""
    active = (first <= clock) & (clock < last)
    hit = active & (uniform < p_event)
    count = count + 1 if hit else count
    spiked = count >= order
    return clock + 1, (0 if spiked else count), spiked


@kernel(inline="always")
def dead_time_window_step(clock, refr, uniform, q_spike, dead, first, last):  # pragma: no cover
    """A Bernoulli trial outside the dead time; a spike starts ``dead`` steps of dead time."""
    free = refr == 0
    spiked = free & (first <= clock) & (clock < last) & (uniform < q_spike)
    refr_new = dead if spiked else (refr if free else refr - 1)
    return clock + 1, refr_new, spiked


def _steps(value: Any, dt: float) -> Any:
    steps = np.rint(np.asarray(value, dtype=np.float64) / dt).astype(np.int64)
    return int(steps) if steps.ndim == 0 else steps


def _per_neuron(value: Any, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


@dataclass(frozen=True, kw_only=True)
class _Window(NeuronModel):
    """Parameters of the active window shared by the sources (see the module docstring)."""

    start: Any = 0.0
    duration: Any = 1e7

    def _check_window(self) -> None:
        require_nonnegative("start", self.start, "s")
        require_nonnegative("duration", self.duration, "s")

    def _window(self, dt: float) -> dict[str, Any]:
        start = np.asarray(self.start, dtype=np.float64)
        return {"first": _steps(start, dt), "last": _steps(start + self.duration, dt)}

    def initial_state(self) -> dict[str, Any]:
        return {"clock": 0}


@dataclass(frozen=True, kw_only=True)
class PoissonWindow(_Window):
    """Poisson spike trains on the grid, active in a window (PyNN ``SpikeSourcePoisson``).

    Parameters
    ----------
    rate
        Firing rate [Hz], one value or one per neuron; ``rate * dt <= 1``.
    start
        Start of the window [s].
    duration
        Length of the window [s].
    """

    rate: Any = 1.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (_CLOCK,)

    def __post_init__(self) -> None:
        require_nonnegative("rate", self.rate, "Hz")
        self._check_window()

    def check_dt(self, dt: float) -> None:
        PoissonSource(rate=self.rate).check_dt(dt)  # the same Bernoulli trial per step

    def step_function(self) -> Callable[..., Any]:
        return poisson_window_step

    def constants(self, dt: float) -> dict[str, Any]:
        p = np.asarray(self.rate, dtype=np.float64) * dt
        return {"p_spike": float(p) if p.ndim == 0 else p, **self._window(dt)}


@dataclass(frozen=True, kw_only=True)
class GammaWindow(_Window):
    """Gamma spike trains of integer order on the grid (PyNN ``SpikeSourceGamma``).

    Parameters
    ----------
    alpha
        Order (shape) of the gamma process, an integer >= 1, one value or one per neuron.
    beta
        Rate parameter [Hz]: the mean interval is ``alpha / beta``; ``beta * dt <= 1``.
    start
        Start of the window [s].
    duration
        Length of the window [s].
    """

    alpha: Any = 2
    beta: Any = 1.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        _CLOCK,
        StateVar("count", "1", "int", "hidden events since the last spike"),
    )

    def __post_init__(self) -> None:
        alpha = np.asarray(self.alpha, dtype=np.float64)
        if np.any(alpha < 1) or np.any(alpha != np.rint(alpha)):
            raise ConfigurationError(
                f"`alpha` of a gamma source must be an integer >= 1 (NEST gamma_sup_generator), "
                f"got {self.alpha!r}."
            )
        require_nonnegative("beta", self.beta, "Hz")
        self._check_window()

    def check_dt(self, dt: float) -> None:
        # the hidden events are a Bernoulli trial per step with probability beta * dt
        PoissonSource(rate=self.beta).check_dt(dt)

    def step_function(self) -> Callable[..., Any]:
        return gamma_window_step

    def constants(self, dt: float) -> dict[str, Any]:
        p = np.asarray(self.beta, dtype=np.float64) * dt
        order = np.rint(np.asarray(self.alpha, dtype=np.float64)).astype(np.int64)
        return {
            "p_event": float(p) if p.ndim == 0 else p,
            "order": int(order) if order.ndim == 0 else order,
            **self._window(dt),
        }

    def stationary_state(self, size: int, *, seed: int, stream: str) -> dict[str, np.ndarray]:
        """Hidden counts uniform in ``0..alpha-1`` for a population of ``size`` neurons."""
        u = Uniform(low=0.0, high=1.0).draw(size, key=derive_key(seed, stream, "count"))
        alpha = _per_neuron(self.alpha, size)
        return {"count": np.minimum(np.floor(u * alpha), alpha - 1)}


@dataclass(frozen=True, kw_only=True)
class DeadTimePoissonWindow(_Window):
    """Poisson spike trains with a dead time, on the grid (PyNN ``SpikeSourcePoissonRefractory``).

    Parameters
    ----------
    rate
        Mean firing rate [Hz], one value or one per neuron; ``rate * (dead_time + dt) <= 1``.
    dead_time
        Dead time after each spike [s], rounded to whole steps.
    start
        Start of the window [s].
    duration
        Length of the window [s].
    """

    rate: Any = 1.0
    dead_time: Any = 0.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        _CLOCK,
        StateVar("refr", "steps", "int", "steps of dead time left"),
    )

    def __post_init__(self) -> None:
        require_nonnegative("rate", self.rate, "Hz")
        require_nonnegative("dead_time", self.dead_time, "s")
        self._check_window()

    def _rho_dead(self, dt: float) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.rate, dtype=np.float64) * dt, np.asarray(_steps(self.dead_time, dt))

    def check_dt(self, dt: float) -> None:
        rho, dead = self._rho_dead(dt)
        # 1e-12: float rounding of rate * dt for rates exactly at the limit
        if np.any(rho * (dead + 1) > 1.0 + 1e-12):
            raise ConfigurationError(
                f"`rate` * (dead_time + dt) must be <= 1, got {float(np.max(rho * (dead + 1)))!r}:"
                " a source cannot fire faster than once per dead time plus one step."
            )

    def step_function(self) -> Callable[..., Any]:
        return dead_time_window_step

    def constants(self, dt: float) -> dict[str, Any]:
        rho, dead = self._rho_dead(dt)
        q = np.minimum(rho / (1.0 - dead * rho), 1.0)
        return {
            "q_spike": float(q) if q.ndim == 0 else q,
            "dead": int(dead) if dead.ndim == 0 else dead,
            **self._window(dt),
        }

    def stationary_state(
        self, size: int, *, seed: int, stream: str, dt: float
    ) -> dict[str, np.ndarray]:
        """Dead time left: ``0`` with probability ``1 - d rho``, else uniform in ``1..d``."""
        rho, dead = self._rho_dead(dt)
        rho, dead = _per_neuron(rho, size), _per_neuron(dead, size)
        u = Uniform(low=0.0, high=1.0).draw(size, key=derive_key(seed, stream, "refr"))
        busy = u < dead * rho
        # within the busy fraction, u / rho is uniform in [0, d): 1 + floor of it is 1..d
        left = np.where(busy, 1.0 + np.floor(u / np.where(rho > 0, rho, 1.0)), 0.0)
        return {"refr": np.minimum(left, dead)}
