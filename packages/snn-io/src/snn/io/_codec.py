"""Model objects as JSON plus arrays: how a checkpoint describes populations, synapses, drives.

Models, synapse models, drives, connection rules and layouts are frozen dataclasses of
parameters. One is stored as its class path (``module:qualname``) and its ``__init__`` fields,
encoded recursively: numbers, strings, None, lists, tuples and dicts as JSON, numpy arrays as
references into a list of arrays (written as HDF5 datasets beside the JSON), nested dataclasses
the same way. Python floats survive JSON exactly (shortest repr round trip).

Decoding never imports a module or looks up a name that the file gives: a stored class path is
only looked up in an allow-list (:func:`allowed_classes`), made of the dataclasses exported by
the installed snn packages (:data:`PACKAGES`) and the classes the caller passes in. The class is
then called with the stored fields, so its ``__post_init__`` validates the values again.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from snn.core.errors import ConfigurationError, FileFormatError

__all__ = ["PACKAGES", "allowed_classes", "class_path", "decode", "encode"]

#: the packages whose exported dataclasses a checkpoint may name (those that are installed)
PACKAGES = (
    "snn.core",
    "snn.core.random",
    "snn.neurons",
    "snn.synapses",
    "snn.plasticity",
    "snn.encoders",
    "snn.io",
)
#: numpy scalar kinds a stored scalar may have (booleans, integers, floats)
_SCALAR_KINDS = "biuf"
#: deepest nesting of stored values (parameters are flat records of numbers and arrays)
_MAX_DEPTH = 32


def class_path(cls: type) -> str:
    """``"module:qualname"`` of ``cls``."""
    return f"{cls.__module__}:{cls.__qualname__}"


def allowed_classes(extra: Iterable[type] = ()) -> dict[str, type]:
    """The classes a checkpoint may name, by class path.

    Parameters
    ----------
    extra
        The caller's own classes (models, synapse models, drives, rules, layouts: frozen
        dataclasses of parameters), e.g. ``snn.io.load(path, models=[QIF])``.

    Returns
    -------
    dict
        ``class_path(cls)`` to ``cls``: every dataclass exported (``__all__``) by the installed
        packages of :data:`PACKAGES`, and ``extra``.

    Raises
    ------
    ConfigurationError
        When an element of ``extra`` is not a dataclass type.
    """
    out: dict[str, type] = {}
    for name in PACKAGES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue  # a package that is not installed contributes nothing
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr, None)
            if isinstance(obj, type) and dataclasses.is_dataclass(obj):
                out[class_path(obj)] = obj
    for cls in extra:
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise ConfigurationError(
                "`models` must hold classes of models, synapse models, drives, rules or layouts "
                f"(frozen dataclasses), got {cls!r}."
            )
        out[class_path(cls)] = cls
    return out


def encode(value: Any, arrays: list[np.ndarray], *, what: str) -> Any:
    """``value`` as JSON-able data; arrays are appended to ``arrays`` and referenced by position.

    Parameters
    ----------
    value
        A parameter value or a dataclass of parameters.
    arrays
        Receives the numpy arrays met on the way.
    what
        Where the value comes from, for messages (``"model of population 'E'"``).

    Raises
    ------
    ConfigurationError
        For a value that is neither of the supported kinds (a live object such as a
        neuromodulator bound to a network).
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float) and type(value) in (int, float):
        return value
    if isinstance(value, np.generic):
        return {"__scalar__": value.dtype.str, "value": value.item()}
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise ConfigurationError(f"cannot store {what}: it holds an object array.")
        arrays.append(np.ascontiguousarray(value))
        return {"__array__": len(arrays) - 1}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, arrays, what=what) for v in value]}
    if isinstance(value, list):
        return [encode(v, arrays, what=what) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ConfigurationError(f"cannot store {what}: a dict with non-string keys.")
        return {"__dict__": {k: encode(v, arrays, what=what) for k, v in value.items()}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if "<locals>" in cls.__qualname__:
            raise ConfigurationError(
                f"cannot store {what}: class {cls.__qualname__} is defined inside a function, so "
                "it cannot be found again when loading; define it at module level."
            )
        fields = {
            f.name: encode(getattr(value, f.name), arrays, what=f"{what}.{f.name}")
            for f in dataclasses.fields(value)
            if f.init
        }
        return {"__class__": class_path(cls), "fields": fields}
    raise ConfigurationError(
        f"cannot store {what}: values of type {type(value).__name__} are not supported "
        "(numbers, strings, arrays, lists, tuples, dicts and dataclasses of them are). Objects "
        "bound to a live network (a Neuromodulator, a callback) cannot be checkpointed."
    )


def decode(data: Any, arrays: list[np.ndarray], classes: Mapping[str, type]) -> Any:
    """The value :func:`encode` described.

    Classes are looked up in ``classes`` (see :func:`allowed_classes`), never imported, and
    called with their stored fields.

    Raises
    ------
    FileFormatError
        For a class that is not in ``classes``, a value of an unknown form, a reference to a
        missing array, or nesting deeper than any parameter record has.
    ConfigurationError
        When the class refuses the stored fields (its own validation).
    """
    return _decode(data, arrays, classes, 0)


def _decode(data: Any, arrays: list[np.ndarray], classes: Mapping[str, type], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise FileFormatError(f"stored values are nested deeper than {_MAX_DEPTH} levels.")
    if isinstance(data, list):
        return [_decode(v, arrays, classes, depth + 1) for v in data]
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if not isinstance(data, dict) or len(data) > 2:
        raise FileFormatError(f"unknown stored value {_short(data)}.")
    if set(data) == {"__array__"}:
        k = data["__array__"]
        if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < len(arrays):
            raise FileFormatError(
                f"a stored value refers to array {_short(k)}, but {len(arrays)} are stored."
            )
        return arrays[k]
    if set(data) == {"__scalar__", "value"}:
        kind, value = data["__scalar__"], data["value"]
        try:
            dtype = np.dtype(kind) if isinstance(kind, str) and len(kind) <= 4 else None
        except TypeError:
            dtype = None
        if dtype is None or dtype.kind not in _SCALAR_KINDS:
            raise FileFormatError(f"a stored number has the unsupported type {_short(kind)}.")
        if not isinstance(value, bool | int | float):
            raise FileFormatError(f"a stored number holds {_short(value)}.")
        try:
            return dtype.type(value)
        except (OverflowError, ValueError):
            raise FileFormatError(f"{value!r} does not fit the stored type {dtype}.") from None
    if set(data) == {"__tuple__"} and isinstance(data["__tuple__"], list):
        return tuple(_decode(v, arrays, classes, depth + 1) for v in data["__tuple__"])
    if set(data) == {"__dict__"} and isinstance(data["__dict__"], dict):
        return {k: _decode(v, arrays, classes, depth + 1) for k, v in data["__dict__"].items()}
    if set(data) == {"__class__", "fields"}:
        path, fields = data["__class__"], data["fields"]
        cls = classes.get(path) if isinstance(path, str) else None
        if cls is None:
            raise FileFormatError(
                f"the file names the class {_short(path)}, which is not one of snn's model, "
                "rule, synapse or layout classes nor one given to `models=`. snn never imports "
                "or calls what a file names; if it is your own class, pass it: "
                "snn.io.load(path, models=[YourClass])."
            )
        if not isinstance(fields, dict):
            raise FileFormatError(f"the fields of {path} are {_short(fields)}, expected a dict.")
        init = {f.name for f in dataclasses.fields(cls) if f.init}
        unknown = sorted(set(fields) - init)
        if unknown:
            raise FileFormatError(
                f"the stored {cls.__name__} has fields {unknown} that the class does not take."
            )
        values = {k: _decode(v, arrays, classes, depth + 1) for k, v in fields.items()}
        try:
            return cls(**values)
        except TypeError as exc:
            raise FileFormatError(f"cannot make the stored {cls.__name__} ({exc}).") from None
    raise FileFormatError(f"unknown stored value {_short(data)}.")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
