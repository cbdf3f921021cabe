"""Checks on user input, shared by every model, rule and the network.

Each check raises :class:`~snn.core.errors.ConfigurationError` with the parameter's name, the
value received and what was expected, before anything is allocated. Values may be scalars or
arrays (a per-neuron parameter); for arrays the message names the first offending element.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from snn.core._magnitudes import warn_magnitude
from snn.core.errors import ConfigurationError


def _first_bad(value: Any, bad: np.ndarray) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(float(arr)) if np.issubdtype(arr.dtype, np.number) else repr(value)
    i = int(np.flatnonzero(bad.ravel())[0])
    return f"{arr.ravel()[i]!r} at index {i}"


def _numeric(name: str, value: Any) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"`{name}` must be a number or an array of numbers, got {value!r}."
        ) from None
    return arr


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def require_finite(name: str, value: Any, unit: str = "") -> None:
    """Refuse NaN and infinite values."""
    arr = _numeric(name, value)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ConfigurationError(
            f"`{name}` must be a finite number{_unit(unit)}, got {_first_bad(value, bad)}."
        )


def require_positive(name: str, value: Any, unit: str = "") -> None:
    """Refuse values that are not finite and > 0."""
    require_finite(name, value, unit)
    arr = _numeric(name, value)
    bad = ~(arr > 0)
    if bad.any():
        raise ConfigurationError(
            f"`{name}` must be > 0{_unit(unit)}, got {_first_bad(value, bad)}."
        )


def require_nonnegative(name: str, value: Any, unit: str = "") -> None:
    """Refuse values that are not finite and >= 0."""
    require_finite(name, value, unit)
    arr = _numeric(name, value)
    bad = ~(arr >= 0)
    if bad.any():
        raise ConfigurationError(
            f"`{name}` must be >= 0{_unit(unit)}, got {_first_bad(value, bad)}."
        )


def require_in_range(name: str, value: Any, low: float, high: float, unit: str = "") -> None:
    """Refuse values outside the closed interval ``[low, high]``."""
    require_finite(name, value, unit)
    arr = _numeric(name, value)
    bad = ~((arr >= low) & (arr <= high))
    if bad.any():
        raise ConfigurationError(
            f"`{name}` must lie in [{low}, {high}]{_unit(unit)}, got {_first_bad(value, bad)}."
        )


def require_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Return ``value`` as an int, refusing non-integral numbers and values below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        else:
            raise ConfigurationError(f"`{name}` must be an integer, got {value!r}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"`{name}` must be >= {minimum}, got {value}.")
    return value


def warn_time_constant(name: str, value: Any) -> None:
    """Warn when a time constant looks like a forgotten ``* ms`` (above 10 s)."""
    warn_magnitude(name, value, "time constant", stacklevel=4)


def warn_voltage(name: str, value: Any) -> None:
    """Warn when a potential looks like millivolts given without ``* mV`` (|V| above 1 V)."""
    warn_magnitude(name, value, "potential", stacklevel=4)


def as_param(name: str, value: Any, n: int | None = None) -> float | np.ndarray:
    """A parameter as a float (homogeneous) or a float64 array of length ``n`` (per neuron)."""
    arr = _numeric(name, value)
    if arr.ndim == 0:
        return float(arr)
    if arr.ndim != 1:
        raise ConfigurationError(
            f"`{name}` must be a number or a 1-D array, got an array of shape {arr.shape}."
        )
    if n is not None and arr.shape[0] != n:
        raise ConfigurationError(
            f"`{name}` has {arr.shape[0]} values but the population has {n} neurons."
        )
    return np.ascontiguousarray(arr)
