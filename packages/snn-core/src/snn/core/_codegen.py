"""Generated numba modules: how the engine fuses models it did not know in advance.

The event loop of a network and the builders of its connectivity are generated as Python source
text for the network's structure (which models, which projections, which parameters are arrays)
and written to a real file in the snn cache folder, named after the hash of its text. numba's
``cache=True`` then works for them like for any module: the second run of the same structure loads
machine code from disk instead of compiling.

Why files and not closures or functions passed as arguments: numba cannot cache a function that
receives another jitted function as an argument (the cache key holds the callee object), and
closures made by one factory share a name and source line, so their cache entries collide.

A generated module refers to model functions by import when they are importable (built-in models,
models in the user's own modules); functions defined in ``__main__`` or a notebook are looked up
in :data:`REGISTRY` under the hash of their code. The source of every referenced function's
module is part of the hash, and so is the source of every module whose functions those call,
followed through globals and closures to the end: editing any kernel a generated module reaches
gives a new module instead of a stale cached one (numba caches a function's machine code with
everything it inlined or called, keyed by its own file only, so it does not notice changes in
callees; a stale builder once kept calling an old connection kernel and crashed).
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import numba
import numpy as np

from snn.core._jit import kernel

#: jitted functions that generated modules cannot import, by content hash
REGISTRY: dict[str, Any] = {}

_LOADED: dict[str, ModuleType] = {}
_LOCK = threading.Lock()


def cache_dir() -> Path:
    """Folder of generated modules (and of numba's cache for them).

    ``$SNN_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/snn`` or ``~/.cache/snn``. On a cluster,
    point it at node-local disk.
    """
    env = os.environ.get("SNN_CACHE_DIR")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "snn"
    path = base / f"numba-{numba.__version__}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _source_of(func: Callable[..., Any]) -> str:
    """Source of ``func`` with the values it captured (closures of one factory share a source)."""
    py = getattr(func, "py_func", func)
    try:
        text = inspect.getsource(py)
    except (OSError, TypeError):
        code = py.__code__
        text = repr((code.co_code, code.co_consts, code.co_names, code.co_varnames))
    captured = [_value_text(cell.cell_contents) for cell in py.__closure__ or () if _filled(cell)]
    return "\n".join([text, repr(py.__defaults__), *captured])


def _value_text(value: Any) -> str:
    if isinstance(value, numba.core.registry.CPUDispatcher) or inspect.isfunction(value):
        return "<function>"  # followed by _dependency_texts
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{value.shape}:{hashlib.sha256(value.tobytes()).hexdigest()}"
    return repr(value)


def _module_text(func: Callable[..., Any]) -> str:
    py = getattr(func, "py_func", func)
    mod = sys.modules.get(py.__module__)
    path = getattr(mod, "__file__", None)
    if path and os.path.exists(path):
        return Path(path).read_text()
    return _source_of(func)


def _global_names(code: Any) -> Iterable[str]:
    yield from code.co_names
    for const in code.co_consts:
        if inspect.iscode(const):
            yield from _global_names(const)


def _python_function(obj: Any) -> Any:
    """The Python function behind a dispatcher or an intrinsic (``None`` for anything else)."""
    py = getattr(obj, "py_func", None) or getattr(obj, "_defn", None) or obj
    return py if inspect.isfunction(py) else None


def _callees(py: Any) -> Iterable[Any]:
    """Functions, dispatchers and intrinsics that ``py`` reaches by a global name or closure."""
    candidates = [py.__globals__.get(name) for name in _global_names(py.__code__)]
    candidates += [cell.cell_contents for cell in py.__closure__ or () if _filled(cell)]
    for obj in candidates:
        callee = _python_function(obj)
        if callee is not None:
            yield callee


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _dependency_texts(func: Callable[..., Any]) -> list[str]:
    """Source of ``func``'s module and of every module its callees live in, transitively.

    Functions that cannot be imported (``__main__``, notebooks, closures) count with their own
    source instead of their module's.
    """
    texts: dict[str, str] = {}
    seen: set[int] = set()
    todo = [_python_function(func) or getattr(func, "py_func", func)]
    while todo:
        py = todo.pop()
        if id(py) in seen:
            continue
        seen.add(id(py))
        module_name = py.__module__
        if module_name in ("__main__", None) or "<locals>" in py.__qualname__:
            src = _source_of(py)
            texts[f"{module_name}:{py.__qualname__}:{src}"] = src
        elif module_name not in texts:
            texts[module_name] = _module_text(py)
        if inspect.isfunction(py):
            todo.extend(_callees(py))
    return [texts[key] for key in sorted(texts)]


def as_jitted(func: Callable[..., Any]) -> Any:
    """``func`` compiled with the project policy (unchanged when it is already a dispatcher).

    Model functions written by users should be plain Python functions: they are compiled here
    for inlining. A function the user compiled already is used as it is (and may then run
    slower if numba does not inline it).
    """
    if isinstance(func, numba.core.registry.CPUDispatcher):
        return func
    # Inlined into the generated loops at numba's IR level: LLVM does not inline a model's step
    # function into the neuron loop by itself, and a call per neuron prevents vectorisation
    # (measured: 11 ns instead of 1.5 ns per neuron and step for LIFCondExp).
    try:
        return kernel(func, inline="always")
    except RuntimeError:
        # numba refuses cache=True for functions without a source file (``python -c``, exec);
        # those are compiled for this process only.
        return numba.njit(nogil=True, error_model="numpy", inline="always")(func)


class Imports:
    """Collects the functions a generated module refers to and writes its import lines."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}
        # the named objects, kept alive: a freed function's id() can be reused by the next one,
        # which would then get the freed one's local name
        self._objects: list[Any] = []
        self._lines: list[str] = []
        self._fingerprint: list[str] = []

    def name(self, func: Callable[..., Any], hint: str) -> str:
        """Local name under which the generated module can call ``func``."""
        key = id(func)
        if key in self._names:
            return self._names[key]
        local = f"{hint}_{len(self._names)}"
        py = getattr(func, "py_func", func)
        module_name = py.__module__
        qualname = py.__qualname__
        importable = False
        if module_name not in ("__main__", None) and "<locals>" not in qualname:
            mod = sys.modules.get(module_name)
            obj: Any = mod
            for part in qualname.split("."):
                obj = getattr(obj, part, None)
            importable = obj is func and "." not in qualname
        if importable:
            self._lines.append(f"from {module_name} import {qualname} as {local}")
        else:
            src = _source_of(func)
            token = hashlib.sha256(src.encode()).hexdigest()[:20]
            REGISTRY[token] = func
            self._lines.append(f"{local} = REGISTRY[{token!r}]")
        self._fingerprint.extend(_dependency_texts(func))
        self._names[key] = local
        self._objects.append(func)
        return local

    def local_names(self) -> set[str]:
        """The local names given so far."""
        return set(self._names.values())

    def function(self, local: str) -> Any:
        """The function given the local name ``local``."""
        for obj in self._objects:
            if self._names[id(obj)] == local:
                return obj
        raise KeyError(local)

    def raw(self, line: str) -> None:
        """Add an import line as it is (for example ``import numba``)."""
        if line not in self._lines:
            self._lines.insert(0, line)

    def header(self) -> str:
        """Import block of the generated module."""
        return "\n".join(
            [
                "import numpy as np",
                "from snn.core._codegen import REGISTRY",
                "from snn.core._jit import kernel",
                *self._lines,
            ]
        )

    def fingerprint(self) -> str:
        """Hash of the code of every referenced function's module."""
        h = hashlib.sha256()
        for text in self._fingerprint:
            h.update(text.encode())
        return h.hexdigest()[:16]


def load_module(prefix: str, body: str, imports: Imports, extra: Iterable[str] = ()) -> ModuleType:
    """Write (once) and import the generated module made of ``imports`` and ``body``.

    Parameters
    ----------
    prefix
        Readable start of the module's name (``"snn_loop"``, ``"snn_build"``).
    body
        Function definitions.
    imports
        The referenced functions.
    extra
        More text that must change the module's identity (versions, options).

    Returns
    -------
    module
        The imported module.
    """
    from snn.core import __version__

    h = hashlib.sha256()
    for part in (__version__, imports.fingerprint(), imports.header(), body, *extra):
        h.update(part.encode())
        h.update(b"\0")
    name = f"{prefix}_{h.hexdigest()[:20]}"
    with _LOCK:
        if name in _LOADED:
            return _LOADED[name]
        path = cache_dir() / f"{name}.py"
        text = (
            f'"""Generated by snn.core._codegen for one network structure; do not edit."""\n\n'
            f"{imports.header()}\n\n\n{body}\n"
        )
        if not path.exists():
            # Written under a temporary name and hard-linked into place, which fails if the file
            # exists: concurrent processes (MPI ranks) see no file or the whole file, and an
            # existing file is never rewritten, so its timestamp (numba's cache key) stays.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w") as fh:
                    fh.write(text)
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _LOADED[name] = module
        return module
