"""Checks on user input, shared by every model, rule and the network.

Each check raises :class:`~snn.core.errors.ConfigurationError` with the parameter's name, the
value received and what was expected, before anything is allocated. Values may be scalars or
arrays (a per-neuron parameter); for arrays the message names the first offending element.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import warnings
from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from snn.core._magnitudes import user_stacklevel, warn_magnitude
from snn.core.errors import ConfigurationError, SNNWarning


def _first_bad(value: Any, bad: np.ndarray) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(float(arr)) if np.issubdtype(arr.dtype, np.number) else repr(value)
    i = int(np.flatnonzero(bad.ravel())[0])
    item = arr.ravel()[i]
    return f"{item.item() if isinstance(item, np.generic) else item!r} at index {i}"


def _numeric(name: str, value: Any) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        from snn.core.random import Distribution

        hint = (
            " A Distribution is drawn where values are given per neuron or synapse: "
            "connect's weight and delay, Population.set, and Projection.set of the parameters "
            "a synapse model holds per synapse."
            if isinstance(value, Distribution)
            else ""
        )
        raise ConfigurationError(
            f"`{name}` must be a number or an array of numbers, got {value!r}.{hint}"
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


def require_int(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as an int, refusing non-integral numbers and values outside the bounds.

    ``maximum`` defaults to ``2**62``: counts, sizes and steps beyond it overflow the 64-bit
    integers of the compiled code.
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        else:
            raise ConfigurationError(f"`{name}` must be an integer, got {value!r}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"`{name}` must be >= {minimum}, got {value}.")
    top = INT_LIMIT if maximum is None else maximum
    if value > top:
        raise ConfigurationError(f"`{name}` must be <= {top}, got {value}.")
    return value


#: largest count, size or step number accepted: beyond it the 64-bit integers of the compiled
#: code (and sums of them) overflow
INT_LIMIT = 2**62
#: largest seed accepted (seeds are hashed, never used as numbers in compiled code)
SEED_LIMIT = 2**64 - 1


def require_bool(name: str, value: Any) -> bool:
    """Return ``value`` as a bool, refusing anything but True and False (numpy's too)."""
    if not isinstance(value, bool | np.bool_):
        raise ConfigurationError(f"`{name}` must be True or False, got {value!r}.")
    return bool(value)


def require_type(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """Return ``value`` when it is an instance of ``kind``; else refuse it, saying ``what``."""
    if not isinstance(value, kind):
        raise ConfigurationError(f"`{name}` must be {what}, got {type(value).__name__}.")
    return value


def require_choice(name: str, value: Any, choices: tuple[Any, ...]) -> None:
    """Refuse a value that is not one of ``choices``."""
    if not isinstance(value, str | int | float | bool | None) or value not in choices:
        raise ConfigurationError(f"`{name}` must be one of {list(choices)}, got {value!r}.")


def require_steps(name: str, value: Any, dt: float, *, minimum: int = 0) -> int:
    """A time span [s] as a whole number of steps of ``dt``, refusing spans beyond 2**62 steps.

    ``value`` must be finite, a multiple of ``dt`` (to 1e-9 relative) and at least ``minimum``
    steps long.
    """
    require_finite(name, value, "s")
    if np.ndim(value) != 0:
        raise ConfigurationError(f"`{name}` must be one number [s], got {value!r}.")
    value = float(value)
    with np.errstate(over="ignore"):
        steps = np.float64(value) / dt
    if abs(steps) >= INT_LIMIT:
        raise ConfigurationError(
            f"`{name}` = {value!r} s is {steps:.3g} steps of dt = {dt} s; fewer than "
            f"{INT_LIMIT:.3g} steps fit the 64-bit step counter. Did you mean a shorter time (in "
            "seconds)?"
        )
    n = round(steps)
    if abs(n * dt - value) > 1e-9 * max(abs(value), dt):
        raise ConfigurationError(f"`{name}` must be a multiple of dt = {dt} s, got {value!r} s.")
    if n < minimum:
        if minimum == 0:
            raise ConfigurationError(f"`{name}` must be >= 0 s, got {value!r} s.")
        low = "one step" if minimum == 1 else f"{minimum} steps"
        raise ConfigurationError(
            f"`{name}` must be at least {low} ({minimum * dt!r} s), got {value!r} s."
        )
    return n


def time_steps(name: str, value: Any, dt: float, *, clamp: bool = False) -> Any:
    """Times [s] as whole numbers of steps of ``dt`` (rounded to the nearest step).

    For the integer step counts compiled kernels use (refractory periods, start and stop times,
    spike times). Refuses NaN and negative times, and times of ``2**62`` steps or more, which do
    not fit the kernels' 64-bit integers; with ``clamp``, such times (an infinite ``stop``: never)
    become ``2**62`` instead.

    Returns
    -------
    int or numpy.ndarray
        An int for a scalar, else an int64 array of the same shape.
    """
    arr = _numeric(name, value)
    if np.isnan(arr).any():
        raise ConfigurationError(
            f"`{name}` must be a time [s], got {_first_bad(value, np.isnan(arr))}."
        )
    if (arr < 0).any():
        raise ConfigurationError(f"`{name}` must be >= 0 s, got {_first_bad(value, arr < 0)}.")
    with np.errstate(over="ignore"):
        steps = np.rint(arr / dt)
    big = steps >= INT_LIMIT
    if big.any():
        if not clamp:
            n = float(steps[big].ravel()[0])
            raise ConfigurationError(
                f"`{name}` = {_first_bad(value, big)} s is {n:.3g} steps of dt = {dt} s; fewer "
                f"than {INT_LIMIT:.3g} steps fit the kernels' 64-bit integers. Did you mean a "
                "shorter time (in seconds)?"
            )
        steps = np.minimum(steps, INT_LIMIT)
    out = steps.astype(np.int64)
    return int(out) if out.ndim == 0 else out


def warn_time_constant(name: str, value: Any) -> None:
    """Warn when a time constant looks like a forgotten ``* ms`` (above 10 s)."""
    warn_magnitude(name, value, "time constant")


def warn_voltage(name: str, value: Any) -> None:
    """Warn when a potential looks like millivolts given without ``* mV`` (|V| above 1 V)."""
    warn_magnitude(name, value, "potential")


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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _float_field(field: dataclasses.Field[Any]) -> bool:
    return isinstance(field.default, float) or field.type in ("float", float)


def _numeric_default(field: dataclasses.Field[Any]) -> bool:
    return _is_number(field.default) or field.type in ("float", float)


def check_parameters(record: Any) -> None:
    """Refuse parameter values that no model, rule or drive can use.

    Shared by every parameter record of snn (neuron models, spike generators, drives, synapse
    models, connection rules; see :class:`CheckedParameters`), before the record's own checks.
    For each field of the dataclass ``record``:

    * a field annotated ``bool`` takes True or False only;
    * a field whose default is a number (or annotated ``float``) takes a real number or a 1-D
      array of them (one per neuron), never None, a string, a bool or a complex number; an
      integer given where the default is a float (or the field is annotated ``float``) is
      stored as a float;
    * no field holds NaN, a ragged sequence, or an array of more than one dimension, except the
      fields the class names in ``matrix_parameters`` (which it checks itself);
    * when the class names its ``vector_parameters``, no other field holds an array (a synapse
      model's or a drive's parameters are one number each).

    Raises
    ------
    ConfigurationError
        Naming the class, the field, what was received and what was expected.
    """
    if not dataclasses.is_dataclass(record):
        return
    cls = type(record).__name__
    matrices = getattr(record, "matrix_parameters", ())
    vectors = getattr(record, "vector_parameters", None)
    for field in dataclasses.fields(record):
        if not field.init:
            continue
        name = field.name
        value = getattr(record, name)
        if field.type in ("bool", bool):
            if not isinstance(value, bool | np.bool_):
                raise ConfigurationError(f"{cls}: `{name}` must be True or False, got {value!r}.")
            continue
        numeric = _numeric_default(field)
        if value is None or isinstance(value, str | bool | np.bool_):
            if numeric and value is not field.default:
                raise ConfigurationError(
                    f"{cls}: `{name}` must be a number or a 1-D array of numbers, got {value!r}."
                )
            continue
        if isinstance(value, complex | np.complexfloating):
            raise ConfigurationError(f"{cls}: `{name}` must be a real number, got {value!r}.")
        if _is_number(value):
            if isinstance(value, float | np.floating) and math.isnan(value):
                raise ConfigurationError(f"{cls}: `{name}` must be a number, got nan.")
            if _float_field(field) and not isinstance(value, float):
                # an int where a float goes (v_th=0) must not become an integer constant
                object.__setattr__(record, name, float(value))
            continue
        if not isinstance(value, list | tuple | np.ndarray):
            continue
        try:
            arr = np.asarray(value)
        except ValueError:
            if name in matrices:
                continue  # one array per port: the class checks its parts
            raise ConfigurationError(
                f"{cls}: `{name}` must be a number or a 1-D array, got the ragged sequence "
                f"{value!r}."
            ) from None
        if arr.dtype.kind == "c":
            raise ConfigurationError(f"{cls}: `{name}` must hold real numbers, got {arr.dtype}.")
        if arr.dtype.kind in "biuf":
            if arr.ndim >= 1 and vectors is not None and name not in (*vectors, *matrices):
                which = (
                    f"only {list(vectors)} may differ between neurons or synapses"
                    if vectors
                    else "every parameter is one value"
                )
                raise ConfigurationError(
                    f"{cls}: `{name}` must be one number, got an array of shape {arr.shape} "
                    f"({cls}: {which}; a model written with snn.equations may take any "
                    "parameter per neuron or per synapse)."
                )
            if arr.ndim > 1 and name not in matrices:
                raise ConfigurationError(
                    f"{cls}: `{name}` must be a number or a 1-D array (one value per neuron), "
                    f"got an array of shape {arr.shape}."
                )
            if arr.dtype.kind == "f" and np.isnan(arr).any():
                bad = int(np.flatnonzero(np.isnan(arr.ravel()))[0])
                raise ConfigurationError(f"{cls}: `{name}` holds NaN at index {bad}.")
        elif numeric:
            raise ConfigurationError(
                f"{cls}: `{name}` must be a number or a 1-D array of numbers, got {value!r}."
            )


def draws_pending(record: Any) -> bool:
    """Whether one of the record's ``vector_parameters`` holds a Distribution not drawn yet.

    A synapse model's per-synapse parameter may be a :class:`~snn.core.random.Distribution`,
    drawn when the projection is made (``Network.connect``); the record's own checks then run
    on the drawn values instead of at construction.
    """
    vectors = getattr(record, "vector_parameters", None)
    if not vectors or not dataclasses.is_dataclass(record):
        return False
    from snn.core.random import Distribution

    return any(isinstance(getattr(record, name, None), Distribution) for name in vectors)


#: NEST's names that are not snn's in another case (``V_th`` is ``v_th``: matched without case)
_NEST_NAMES = {
    "v_m": "v",
    "v_t": "v_th",
    "vm": "v",
    "i_syn_ex": "exc",
    "i_syn_in": "inh",
    "act_m": "m",
    "inact_h": "h",
    "act_n": "n",
}


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest candidate, or an empty string.

    A candidate that differs in case only (NEST's ``V_th`` for ``v_th``), or NEST's name of it
    (``V_m`` for ``v``), comes first; otherwise the closest spelling.
    """
    if not isinstance(name, str):
        return ""
    options = list(candidates)
    same = same_name(name, options)
    close = [same] if same else difflib.get_close_matches(name, options, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def same_name(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` stands for in another case or as NEST calls it, or None."""
    options = list(candidates)
    lower = {c.lower(): c for c in options}
    key = name.lower()
    alias = _NEST_NAMES.get(key)
    return lower.get(key) or (alias if alias in options else None)


def _parameter_hint(cls: type, name: str, parameters: list[str]) -> str:
    """What ``name``, not a parameter of ``cls``, may be: a state variable, an input, a typo."""
    state = same_name(name, [v.name for v in getattr(cls, "state_vars", ())])
    if state:
        return (
            f" It is the state variable {state!r}: give its initial value with "
            f"`add_population(..., init={{{state!r}: ...}})` or `pop.set({state}=...)`."
        )
    ports = {r.name: r.kind for r in getattr(cls, "receptors", ())}
    port = same_name(name, list(ports))
    if port is None:
        return did_you_mean(name, parameters)
    feed = (
        f"for a constant value add `DCSource(amplitude=..., receptor={port!r})` with "
        "`net.add_drive`"
        if ports[port] == "current"
        else f"connect a projection or add a drive with `receptor={port!r}`"
    )
    return f" {port!r} is an input of the model, not a parameter: {feed}."


class CheckedParameters:
    """Base of parameter records: :func:`check_parameters` runs when one is made.

    A frozen dataclass deriving from it has :func:`check_parameters` run on construction, before
    its own ``__post_init__`` (which may then assume numbers and 1-D arrays). The model, drive,
    synapse model and connection rule bases of snn derive from it, so a user's subclass gets the
    same checks.

    Attributes
    ----------
    matrix_parameters : tuple of str
        Fields that may hold more than one value per neuron: a matrix (a spike generator's
        events) or a sequence of per-neuron arrays (one per receptor port). Their shapes are left
        to the class's own checks.
    vector_parameters : tuple of str or None
        The only fields that may hold 1-D arrays (None: any, as a neuron model's per-neuron
        parameters). A synapse model's (one value per synapse) may also hold a Distribution,
        drawn when the projection is made: the record's own ``__post_init__`` checks wait for
        the drawn values (:func:`draws_pending`).
    """

    matrix_parameters: ClassVar[tuple[str, ...]] = ()
    vector_parameters: ClassVar[tuple[str, ...] | None] = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # an unknown keyword (a NEST or Brian2 name) gets a did-you-mean, not a bare TypeError
        if kwargs and dataclasses.is_dataclass(cls):
            names = [f.name for f in dataclasses.fields(cls) if f.init]
            unknown = [k for k in kwargs if k not in names]
            if unknown:
                raise ConfigurationError(
                    f"{cls.__name__} has no parameter {unknown[0]!r}."
                    f"{_parameter_hint(cls, unknown[0], names)} Its parameters are {names}."
                )
        return super().__new__(cls)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__post_init__")
        if own is None or getattr(own, "_checks_parameters", False):
            return

        def __post_init__(self: Any) -> None:
            check_parameters(self)
            if not draws_pending(self):
                own(self)

        __post_init__._checks_parameters = True  # type: ignore[attr-defined]
        __post_init__.__doc__ = own.__doc__
        cls.__post_init__ = __post_init__  # type: ignore[attr-defined]

    def __post_init__(self) -> None:
        check_parameters(self)


def warn_off_grid(what: str, times: Any, steps: Any, dt: float) -> None:
    """Warn when ``times`` [s] are not whole steps of ``dt`` (``steps``: :func:`time_steps`)."""
    arr = np.asarray(times, dtype=np.float64)
    if np.any(np.abs(np.asarray(steps) * dt - arr) > 1e-6 * dt):
        warnings.warn(
            f"{what} are rounded to the nearest step of the time grid (dt = {dt} s); NEST "
            "refuses such times, or with allow_offgrid_times rounds them up.",
            SNNWarning,
            stacklevel=user_stacklevel(),
        )
