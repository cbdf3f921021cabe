"""The analysis cache and what the model classes made from equations share.

Analysing a model text (sympy) takes a fraction of a second to seconds; its result (the
declarations, units and the generated module text, as JSON) is cached on disk under the hash of
the text, this package's code and snn's version (:func:`snn.core.kernels.cache_dir`, folder
``equations``), and in memory for the process. A second process that defines the same model
imports neither sympy nor compiles anything.

Also here: the dataclass fields of a model class (parameters, with their defaults) and the module
a class claims to live in, for neuron and synapse models alike.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from snn.core.errors import ConfigurationError
from snn.core.kernels import Imports, cache_dir
from snn.equations import _runtime

__all__ = ["cached_spec", "caller_module", "fields", "runtime_imports"]

#: bumped when the cached analysis changes meaning
_FORMAT = 2

_MEMO: dict[str, tuple[dict[str, Any], float, bool]] = {}


@functools.cache
def _fingerprint() -> str:
    """Hash of this package's code: a cached analysis of older code is not reused."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _key(text: Any) -> str:
    from snn.core import __version__

    payload = json.dumps(
        [_FORMAT, __version__, _fingerprint(), type(text).__name__, dataclasses.astuple(text)],
        default=repr,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def cached_spec(
    text: Any, analyse: Callable[[Any], dict[str, Any]]
) -> tuple[dict[str, Any], float, bool]:
    """The JSON-able spec of a model text: from memory, from disk, or ``analyse(text)``.

    Returns
    -------
    spec : dict
        What ``analyse`` returned (for this text, now or in an earlier process).
    seconds : float
        Time spent reading, analysing and generating (or loading them from the cache).
    from_cache : bool
        Whether the spec came from the disk cache (no sympy in this process).
    """
    t0 = time.perf_counter()
    key = _key(text)
    if key in _MEMO:
        return _MEMO[key]
    path = cache_dir() / "equations" / f"{key}.json"
    spec = None
    if path.exists():
        try:
            spec = json.loads(path.read_text())
        except (OSError, ValueError):
            spec = None
    cached = spec is not None
    if spec is None:
        spec = analyse(text)
        _write(path, spec)
    _MEMO[key] = (spec, time.perf_counter() - t0, cached)
    return _MEMO[key]


def _write(path: Path, spec: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(spec, fh)
    os.replace(tmp, path)


def caller_module(depth: int = 2) -> str:
    """``__name__`` of the module ``depth`` frames up (the caller of the function calling this)."""
    frame = sys._getframe(depth)
    return str(frame.f_globals.get("__name__", "__main__"))


def runtime_imports() -> Imports:
    """The imports of a generated module (math, numpy and the runtime helpers)."""
    imports = Imports()
    imports.raw("import math")
    imports.raw("import numpy")
    for name in _runtime.RUNTIME:
        imports.name(getattr(_runtime, name), name)
    return imports


def fields(params: list[str], defaults: Mapping[str, Any], base: type) -> list[Any]:
    """Dataclass fields of a model class: its parameters, with the defaults given.

    Raises
    ------
    ConfigurationError
        For a default of something that is not a parameter, or a parameter named like an
        attribute of the protocol class ``base``.
    """
    unknown = sorted(set(defaults) - set(params))
    if unknown:
        raise ConfigurationError(
            f"`defaults` names {unknown}, which are not parameters of the model (they are "
            f"{params})."
        )
    reserved = [p for p in params if hasattr(base, p)]
    if reserved:
        raise ConfigurationError(
            f"parameter name `{reserved[0]}` is taken by the model protocol; rename it."
        )
    out: list[Any] = []
    for p in params:
        if p in defaults:
            out.append((p, Any, dataclasses.field(default=defaults[p])))
        else:
            out.append((p, Any))
    return out
