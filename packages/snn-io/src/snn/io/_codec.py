"""Model objects as JSON plus arrays: how a checkpoint describes populations, synapses, drives.

Models, synapse models, drives, connection rules and layouts are frozen dataclasses of
parameters. One is stored as its class path (``module:qualname``) and its ``__init__`` fields,
encoded recursively: numbers, strings, None, lists, tuples and dicts as JSON, numpy arrays as
references into a list of arrays (written as HDF5 datasets beside the JSON), nested dataclasses
the same way. Decoding imports the class and calls it with the fields, so its ``__post_init__``
validates the values again. Python floats survive JSON exactly (shortest repr round trip).
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from typing import Any

import numpy as np

from snn.core.errors import ConfigurationError, FileFormatError

__all__ = ["class_path", "decode", "encode", "resolve_class"]


def class_path(cls: type) -> str:
    """``"module:qualname"`` of ``cls``."""
    return f"{cls.__module__}:{cls.__qualname__}"


def resolve_class(path: str) -> type:
    """The class named by :func:`class_path` (imports its module)."""
    module_name, _, qualname = path.partition(":")
    if not module_name or not qualname:
        raise FileFormatError(f"a stored class path must read 'module:qualname', got {path!r}.")
    try:
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
    except ImportError as exc:
        raise FileFormatError(
            f"the checkpoint uses class {qualname} of module {module_name!r}, which cannot be "
            f"imported ({exc}). Install the package that defines it, or (for a class defined in "
            "a script) import that script's module before loading."
        ) from None
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            raise FileFormatError(
                f"the checkpoint uses class {qualname!r}, which module {module_name!r} does not "
                "define (renamed or removed since the file was written?)."
            )
    if not isinstance(obj, type):
        raise FileFormatError(f"{path!r} names {type(obj).__name__}, expected a class.")
    return obj


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


def decode(data: Any, arrays: list[np.ndarray]) -> Any:
    """The value :func:`encode` described (classes are imported and called with their fields)."""
    if isinstance(data, list):
        return [decode(v, arrays) for v in data]
    if not isinstance(data, dict):
        return data
    if "__array__" in data:
        return arrays[int(data["__array__"])]
    if "__scalar__" in data:
        return np.dtype(data["__scalar__"]).type(data["value"])
    if "__tuple__" in data:
        return tuple(decode(v, arrays) for v in data["__tuple__"])
    if "__dict__" in data:
        return {k: decode(v, arrays) for k, v in data["__dict__"].items()}
    if "__class__" in data:
        cls = resolve_class(data["__class__"])
        fields = {k: decode(v, arrays) for k, v in data["fields"].items()}
        return cls(**fields)
    raise FileFormatError(f"unknown stored value {sorted(data)!r}.")
