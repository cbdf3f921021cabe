"""Current sources: DC, steps, sine and Gaussian noise, into any neuron's ``current`` receptor.

A current source is a drive: in every step it adds its current [A] to the target's ``current``
receptor, which the models integrate over the step like a constant input current (exactly for
the linear models). The value used for step ``k`` is the source's value at the step's start,
``k * dt`` (NEST's generators deliver the same value one step later, through the minimal delay).

``NoiseCurrent`` draws an independent Gaussian current for every target, constant over intervals
of ``interval`` (NEST's ``noise_generator``), from counter-based random numbers keyed by the
target neuron and the interval's index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import Drive
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel, normal
from snn.core.validate import (
    require_finite,
    require_nonnegative,
    require_positive,
    require_steps,
    time_steps,
    warn_off_grid,
)

__all__ = ["DCSource", "NoiseCurrent", "SineCurrent", "StepCurrent"]


def _window(start: float, stop: float, dt: float) -> tuple[int, int]:
    # a stop beyond 2**62 steps (an infinite one included) means never
    return time_steps("start", start, dt), time_steps("stop", stop, dt, clamp=True)


def _check_window(start: Any, stop: Any) -> None:
    """Refuse a negative ``start`` or a ``stop`` not after it (numbers or per-neuron arrays)."""
    require_nonnegative("start", start, "s")
    if not np.all(np.asarray(stop, dtype=float) > np.asarray(start, dtype=float)):
        raise ConfigurationError(f"`stop` must be after `start`, got start={start}, stop={stop}.")


def _scalar_or_array(x: Any) -> Any:
    """``x`` as a float64 number, or a float64 array when it has one value per neuron."""
    arr = np.asarray(x, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr


@kernel
def dc_add(row, step, j0, j_stride, k0, k1, amplitude, first, last):  # pragma: no cover
    """Add ``amplitude`` to every entry while ``first <= step < last``."""
    if first <= step < last:
        for i in range(row.shape[0]):
            row[i] += amplitude


@dataclass(frozen=True, kw_only=True)
class DCSource(Drive):
    """A constant current (NEST ``dc_generator``).

    Parameters
    ----------
    amplitude
        Current [A].
    start, stop
        Active for ``start <= t < stop`` [s].
    receptor
        Receptor fed (default: the model's ``current`` receptor).
    """

    amplitude: float
    start: float = 0.0
    stop: float = math.inf
    receptor: str | None = None

    receptor_kind: ClassVar[str] = "current"
    quantities: ClassVar[Mapping[str, str]] = {"amplitude": "receptor"}

    def __post_init__(self) -> None:
        require_finite("amplitude", self.amplitude, "A")
        _check_window(self.start, self.stop)

    def value_range(self) -> tuple[float, float]:
        """0 outside the window, ``amplitude`` inside [A]."""
        return (min(float(self.amplitude), 0.0), max(float(self.amplitude), 0.0))

    def add_function(self) -> Callable[..., Any]:
        return dc_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        first, last = _window(self.start, self.stop, dt)
        return {"amplitude": float(self.amplitude), "first": first, "last": last}


@kernel
def step_current_add(row, step, j0, j_stride, k0, k1, steps, amplitudes):  # pragma: no cover
    """Add the amplitude of the last change at or before ``step`` (none before the first)."""
    k = np.searchsorted(steps, step, side="right") - 1
    if k >= 0:
        a = amplitudes[k]
        for i in range(row.shape[0]):
            row[i] += a


@dataclass(frozen=True, kw_only=True)
class StepCurrent(Drive):
    """A piecewise constant current (NEST ``step_current_generator``).

    Parameters
    ----------
    times
        Times at which the current changes [s], increasing, rounded to the grid.
    amplitudes
        Current from each time on [A] (0 before the first time).
    receptor
        Receptor fed (default: the model's ``current`` receptor).
    """

    times: Any
    amplitudes: Any
    receptor: str | None = None

    receptor_kind: ClassVar[str] = "current"
    quantities: ClassVar[Mapping[str, str]] = {"amplitudes": "receptor"}
    vector_parameters: ClassVar[tuple[str, ...] | None] = ("times", "amplitudes")

    def __post_init__(self) -> None:
        times = np.asarray(self.times, dtype=np.float64).ravel()
        amps = np.asarray(self.amplitudes, dtype=np.float64).ravel()
        if times.shape != amps.shape or times.size == 0:
            raise ConfigurationError(
                f"`times` and `amplitudes` must be non-empty and of equal length, got "
                f"{times.size} and {amps.size}."
            )
        require_finite("times", times, "s")
        require_finite("amplitudes", amps, "A")
        require_nonnegative("times", times, "s")
        if np.any(np.diff(times) <= 0):
            raise ConfigurationError("`times` must be strictly increasing.")

    def value_range(self) -> tuple[float, float]:
        """0 before the first change, then the amplitudes [A]."""
        amps = np.asarray(self.amplitudes, dtype=np.float64)
        return (min(float(amps.min()), 0.0), max(float(amps.max()), 0.0))

    def add_function(self) -> Callable[..., Any]:
        return step_current_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        steps = time_steps("times", self.times, dt)
        warn_off_grid("`StepCurrent` times", self.times, steps, dt)
        if np.any(np.diff(steps) <= 0):
            raise ConfigurationError(
                f"two current changes fall on the same time step (dt = {dt} s)."
            )
        return {"steps": steps, "amplitudes": np.asarray(self.amplitudes, dtype=np.float64)}


@kernel
def sine_add(
    row, step, j0, j_stride, k0, k1, amplitude, omega_dt, phase, offset, first, last
):  # pragma: no cover - compiled
    """Add ``offset + amplitude sin(omega t + phase)`` at ``t = step dt`` within the window."""
    if first <= step < last:
        value = offset + amplitude * math.sin(omega_dt * step + phase)
        for i in range(row.shape[0]):
            row[i] += value


@dataclass(frozen=True, kw_only=True)
class SineCurrent(Drive):
    """A sinusoidal current (NEST ``ac_generator``).

    Parameters
    ----------
    amplitude
        Amplitude [A].
    frequency
        Frequency [Hz].
    phase
        Phase at t = 0 [rad].
    offset
        Constant added [A].
    start, stop
        Active for ``start <= t < stop`` [s].
    receptor
        Receptor fed (default: the model's ``current`` receptor).
    """

    amplitude: float
    frequency: float
    phase: float = 0.0
    offset: float = 0.0
    start: float = 0.0
    stop: float = math.inf
    receptor: str | None = None

    receptor_kind: ClassVar[str] = "current"
    quantities: ClassVar[Mapping[str, str]] = {
        "amplitude": "receptor",
        "offset": "receptor",
        "frequency": "rate",
        "phase": "phase",
    }

    def __post_init__(self) -> None:
        require_finite("amplitude", self.amplitude, "A")
        require_nonnegative("frequency", self.frequency, "Hz")
        require_finite("phase", self.phase)
        require_finite("offset", self.offset, "A")
        _check_window(self.start, self.stop)

    def value_range(self) -> tuple[float, float]:
        """``offset`` +- ``amplitude`` inside the window, 0 outside [A]."""
        swing = abs(float(self.amplitude))
        low, high = float(self.offset) - swing, float(self.offset) + swing
        return (min(low, 0.0), max(high, 0.0))

    def add_function(self) -> Callable[..., Any]:
        return sine_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        first, last = _window(self.start, self.stop, dt)
        return {
            "amplitude": float(self.amplitude),
            "omega_dt": 2.0 * math.pi * float(self.frequency) * dt,
            "phase": float(self.phase),
            "offset": float(self.offset),
            "first": first,
            "last": last,
        }


@kernel
def noise_add(row, step, j0, j_stride, k0, k1, mean, std, every, first, last):  # pragma: no cover
    """Add ``mean + std * z`` with ``z`` standard normal per target and interval of ``every``."""
    if first <= step < last:
        interval = (step - first) // every
        for i in range(row.shape[0]):
            row[i] += mean + std * normal(k0, k1, j0 + j_stride * i, interval)


@dataclass(frozen=True, kw_only=True)
class NoiseCurrent(Drive):
    """Gaussian white-noise current, independent per target (NEST ``noise_generator``).

    Parameters
    ----------
    mean, std
        Mean and standard deviation of the current [A].
    interval
        Time over which each value is held [s], a multiple of dt (default: one step, as PyNN's
        ``NoisyCurrentSource``; NEST's ``noise_generator`` holds each value for ten steps
        unless given ``dt``, so a NEST script ported unchanged needs ``interval=10 * dt``).
    start, stop
        Active for ``start <= t < stop`` [s].
    receptor
        Receptor fed (default: the model's ``current`` receptor).

    Notes
    -----
    As in NEST, ``std`` is the standard deviation of the current held over each interval; the
    noise's effect on the membrane shrinks as the interval shrinks.
    """

    mean: float = 0.0
    std: float
    interval: float | None = None
    start: float = 0.0
    stop: float = math.inf
    receptor: str | None = None

    receptor_kind: ClassVar[str] = "current"
    quantities: ClassVar[Mapping[str, str]] = {"mean": "receptor", "std": "receptor"}

    def __post_init__(self) -> None:
        require_finite("mean", self.mean, "A")
        require_nonnegative("std", self.std, "A")
        if self.interval is not None:
            require_positive("interval", self.interval, "s")
        _check_window(self.start, self.stop)

    def value_range(self) -> tuple[float, float]:
        """Unbounded when ``std`` > 0 (a Gaussian draw), else 0 or ``mean`` [A]."""
        if float(self.std) > 0:
            return (-math.inf, math.inf)
        return (min(float(self.mean), 0.0), max(float(self.mean), 0.0))

    def add_function(self) -> Callable[..., Any]:
        return noise_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        every = (
            1 if self.interval is None else require_steps("interval", self.interval, dt, minimum=1)
        )
        first, last = _window(self.start, self.stop, dt)
        return {
            "mean": float(self.mean),
            "std": float(self.std),
            "every": np.int64(every),
            "first": first,
            "last": last,
        }
