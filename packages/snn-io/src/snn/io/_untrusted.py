"""Checks on values read from files, before any of snn's code (compiled or not) uses them.

Every loader of :mod:`snn.io` treats its input as untrusted: a file may be damaged, truncated,
of another kind, or crafted. Each check here raises :class:`~snn.core.errors.FileFormatError`
naming the file, the place inside it (an HDF5 dataset path, a JSON key, a CSV line), what is
wrong and what was expected, so a refused file says where to look.
"""

from __future__ import annotations

import atexit
import json
import select
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from snn.core.errors import FileFormatError
from snn.core.validate import memory_budget

__all__ = ["Where", "attribute", "open_hdf5", "preflight", "sorted_within"]


class Where:
    """A place in a file, for messages: ``Where(path, "/projections/q0/indices")``.

    Its checks raise :class:`FileFormatError` with the file and the place in front of the reason.
    """

    def __init__(self, path: Path | str, place: str = "") -> None:
        self.path = Path(path)
        self.place = place

    def at(self, place: str) -> Where:
        """The place ``place`` of the same file."""
        return Where(self.path, place)

    def fail(self, what: str) -> FileFormatError:
        """The error to raise: ``<file>: <place> <what>`` (``what`` continues the place)."""
        head = f"{self.path}: {self.place} " if self.place else f"{self.path}: "
        return FileFormatError(head + what)

    def read(self, ds: Any) -> np.ndarray:
        """All of dataset ``ds`` (h5py) as an array, once its declared size fits in memory.

        A dataset declares its shape in a few bytes of metadata: a crafted file of a few kB can
        declare terabytes (unwritten chunks, or a compression bomb). The declared bytes are
        checked against the memory budget (:func:`snn.core.validate.memory_budget`) before
        anything is read.
        """
        shape = tuple(int(n) for n in getattr(ds, "shape", None) or ())
        itemsize = int(getattr(getattr(ds, "dtype", None), "itemsize", 8) or 8)
        nbytes = itemsize
        for n in shape:
            nbytes *= n  # Python integers: no overflow
        budget = memory_budget()
        if nbytes > max(budget, 1 << 25):
            raise self.fail(
                f"declares {shape} values of {itemsize} bytes ({nbytes / 2**30:.3g} GiB), more "
                f"than the memory budget ({budget / 2**30:.3g} GiB) allows (a damaged or crafted "
                "file?)."
            )
        try:
            return np.asarray(ds[()])
        except MemoryError:
            raise self.fail(
                f"declares {shape} values ({nbytes / 2**30:.3g} GiB), which do not fit in memory."
            ) from None

    # ------------------------------------------------------------------------- plain values
    def integer(self, value: Any, name: str, *, low: int = 0, high: int = 2**62) -> int:
        """``value`` as an int in ``[low, high]`` (JSON numbers and numpy integers)."""
        if isinstance(value, np.integer):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"has `{name}` = {_short(value)}, expected an integer.")
        if not low <= value <= high:
            raise self.fail(f"has `{name}` = {value}, expected an integer in [{low}, {high}].")
        return value

    def number(self, value: Any, name: str, *, low: float = -np.inf, high: float = np.inf) -> float:
        """``value`` as a finite float in ``[low, high]``."""
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"has `{name}` = {_short(value)}, expected a number.")
        value = float(value)
        if not (np.isfinite(value) and low <= value <= high):
            raise self.fail(
                f"has `{name}` = {value!r}, expected a finite number in [{low}, {high}]."
            )
        return value

    def text(self, value: Any, name: str) -> str:
        """``value`` as a non-empty string."""
        if not isinstance(value, str) or not value:
            raise self.fail(f"has `{name}` = {_short(value)}, expected a non-empty string.")
        return value

    def mapping(self, value: Any, name: str, keys: Iterable[str]) -> dict[str, Any]:
        """``value`` as a dict holding at least ``keys``."""
        if not isinstance(value, dict):
            raise self.fail(f"has `{name}` = {_short(value)}, expected a JSON object.")
        missing = [k for k in keys if k not in value]
        if missing:
            raise self.fail(f"has a `{name}` without {missing}.")
        return value

    # ------------------------------------------------------------------------- arrays
    def array(
        self,
        arr: Any,
        *,
        kinds: str = "biuf",
        ndim: int | None = None,
        shape: tuple[int, ...] | None = None,
    ) -> np.ndarray:
        """``arr`` as a numpy array of a numeric kind, with the given rank or shape."""
        arr = np.asarray(arr)
        if arr.dtype.kind not in kinds:
            raise self.fail(f"holds {arr.dtype} values, expected {_kinds(kinds)}.")
        if shape is not None and arr.shape != shape:
            raise self.fail(f"has shape {arr.shape}, expected {shape}.")
        if ndim is not None and arr.ndim != ndim:
            raise self.fail(f"has {arr.ndim} dimensions (shape {arr.shape}), expected {ndim}.")
        return arr

    def finite(self, arr: np.ndarray) -> np.ndarray:
        """Refuse NaN and infinite values."""
        if arr.dtype.kind in "fc" and arr.size and not np.isfinite(arr).all():
            i = int(np.flatnonzero(~np.isfinite(arr.ravel()))[0])
            raise self.fail(
                f"holds {arr.ravel()[i].item()!r} at flat index {i}, expected finite values."
            )
        return arr

    def within(self, arr: np.ndarray, low: float, high: float) -> np.ndarray:
        """Refuse values outside ``[low, high]`` (and NaN)."""
        if arr.size:
            flat = arr.ravel()
            bad = ~((flat >= low) & (flat <= high))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise self.fail(
                    f"holds {flat[i].item()!r} at flat index {i}, expected values in "
                    f"[{low}, {high}]."
                )
        return arr

    def ascending(self, arr: np.ndarray, *, strict: bool = False) -> np.ndarray:
        """Refuse a 1-D array that decreases (or repeats, with ``strict``)."""
        if arr.size > 1:
            step = np.diff(
                arr.astype(np.float64) if arr.dtype.kind == "f" else arr.astype(np.int64)
            )
            bad = step <= 0 if strict else step < 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                what = "increasing" if strict else "non-decreasing"
                raise self.fail(
                    f"is not {what}: {arr[i].item()!r} at index {i} is followed by "
                    f"{arr[i + 1].item()!r}."
                )
        return arr

    def row_pointer(self, indptr: np.ndarray, n_rows: int, n_items: int) -> np.ndarray:
        """A CSR row pointer: ``n_rows + 1`` non-decreasing int64 from 0 to ``n_items``."""
        self.array(indptr, kinds="i", shape=(n_rows + 1,))
        if indptr.dtype != np.int64:
            raise self.fail(f"holds {indptr.dtype}, expected int64.")
        if indptr[0] != 0 or indptr[-1] != n_items:
            raise self.fail(
                f"runs from {int(indptr[0])} to {int(indptr[-1])}, expected 0 to {n_items} (the "
                "number of entries)."
            )
        return self.ascending(indptr)


def sorted_within(where: Where, values: np.ndarray, bounds: np.ndarray) -> None:
    """Refuse ``values`` that decrease inside a segment ``bounds[k]:bounds[k + 1]``."""
    if values.size < 2:
        return
    step = np.diff(values.astype(np.int64))
    inside = np.ones(values.size - 1, dtype=bool)
    starts = bounds[(bounds > 0) & (bounds < values.size)]
    inside[starts - 1] = False
    bad = (step < 0) & inside
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise where.fail(
            f"entries {i} and {i + 1} ({int(values[i])}, {int(values[i + 1])}) are out of order "
            "within their row; rows must be sorted."
        )


def _kinds(kinds: str) -> str:
    names = {"b": "booleans", "i": "signed integers", "u": "unsigned integers", "f": "floats"}
    return " or ".join(names[k] for k in kinds if k in names)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


#: seconds the HDF5 library gets to walk a file's structure in the pre-flight check
PREFLIGHT_SECONDS = 60.0

#: the pre-flight walker: for each JSON path read from stdin, every object, every small or
#: variable-length dataset in full and one element of each larger one; then "ok" on stdout,
#: whatever the walk found (errors are left to the reader in the parent process)
_WALKER = """
import json
import sys
import h5py
def visit(name, obj):
    for key in obj.attrs:
        obj.attrs[key]
    if isinstance(obj, h5py.Dataset):
        if obj.size * obj.dtype.itemsize <= 1 << 20 or obj.dtype.kind in "OSUV":
            obj[()]
        elif obj.size:
            obj[(0,) * obj.ndim]
for line in sys.stdin:
    try:
        with h5py.File(json.loads(line), "r") as f:
            for key in f.attrs:
                f.attrs[key]
            f.visititems(visit)
    except Exception:
        pass
    sys.stdout.write("ok\\n")
    sys.stdout.flush()
"""


class _Walker:
    """A child process that walks HDF5 files on request (started once, restarted when lost)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        atexit.register(self.stop)

    def walk(self, path: Path, timeout: float) -> str | None:
        """None when the child finished walking ``path``, else what went wrong."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.stop()
                self.proc = subprocess.Popen(
                    [sys.executable, "-I", "-c", _WALKER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            proc = self.proc
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps(str(path)).encode() + b"\n")
                proc.stdin.flush()
                ready = select.select([proc.stdout], [], [], timeout)[0]
                line = proc.stdout.readline() if ready else None
            except OSError:
                line = b""
            if line == b"ok\n":
                return None
            self.stop()
            if line is None:
                return f"did not finish within {timeout:g} s"
            return f"ended with exit code {proc.returncode}"

    def stop(self) -> None:
        """End the child (at exit, or after it hung or died) and close its pipes."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


_WALK = _Walker()


def preflight(path: Path, what: str) -> None:
    """Let the HDF5 library walk ``path`` in a child process first, under a time limit.

    Damaged HDF5 metadata can make the HDF5 library loop forever or crash, which no check in
    this process could stop. Files of formats without checksums (NWB, NIR, SONATA, spike
    streams) are therefore walked first by a child process (started on first use and kept);
    a walk that does not end within :data:`PREFLIGHT_SECONDS`, or that kills the child, refuses
    the file. Errors the walk meets are left to the reader, which reports them in this process.
    """
    problem = _WALK.walk(path, PREFLIGHT_SECONDS)
    if problem is not None:
        raise FileFormatError(
            f"{path}: reading its HDF5 structure {problem} (damaged HDF5 metadata?); expected "
            f"{what}."
        )


def open_hdf5(path: Path, what: str) -> Any:
    """``path`` opened read-only with h5py after :func:`preflight`, or a FileFormatError."""
    import h5py

    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}.")
    if not path.is_file():
        raise FileFormatError(f"{path} is not a file; expected {what}.")
    preflight(path, what)
    try:
        return h5py.File(path, "r")
    except (OSError, ValueError, RuntimeError) as exc:
        raise FileFormatError(
            f"{path} is not a readable HDF5 file ({exc}); expected {what}."
        ) from None


def attribute(node: Any, name: str) -> Any:
    """An HDF5 attribute as a plain value (None when missing or unreadable)."""
    try:
        value = node.attrs.get(name)
    except (OSError, KeyError, ValueError, TypeError, RuntimeError):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value
