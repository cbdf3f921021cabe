"""Parameter sweeps: one network structure run over many parameter values.

A sweep is ``build`` (makes the network) and ``run`` (sets a point's values on it, runs it and
returns what it measured), applied to a list of points. Each worker process builds the network
once, compiles (or loads from numba's disk cache) its loop once and stores its state at t = 0 in
memory (:meth:`Network.store`); every point starts by restoring that state, so parameters a
previous point set are undone and the connectivity, the layout and the compiled loop are reused.
A point's result therefore depends on its values only, not on the worker that ran it or on the
points before it: serial, local processes and MPI ranks give the same table.

Points whose ``build_keys`` values differ (the seed, a population size) need networks of their
own: a worker builds again when the value changes (same structure, so the loop comes from
numba's cache). Points are handed out sorted by those values to keep rebuilds rare.

Workers hold the built network in :data:`_BUILT` (one sweep at a time per process), keyed by a
token of the sweep, so an executor that outlives a sweep (``MPIPoolExecutor``) starts the next
sweep with a new build. ``build`` and ``run`` travel to workers pickled by cloudpickle, which
sends functions defined in a notebook or a script's ``__main__`` by value.

Local processes are started by a forkserver that has imported snn already (see decision 0014):
not forked from the caller, because a process that has used numba's OpenMP threads cannot fork
safely (GNU OpenMP), and a network build does.
"""

from __future__ import annotations

import csv
import itertools
import json
import multiprocessing
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.machinery import PathFinder
from pathlib import Path
from typing import Any

import numpy as np

from snn.core._mpi import single_process
from snn.core._params import did_you_mean
from snn.core._validate import require_bool, require_int, require_type
from snn.core.errors import ConfigurationError

__all__ = ["SweepTable", "grid", "sweep"]

#: name of the snapshot each worker stores after building (``Network.store``)
SNAPSHOT = "snn.sweep"

#: snn packages a forkserver imports before forking workers (when the caller has them)
_PACKAGES = ("snn.neurons", "snn.synapses", "snn.plasticity", "snn.encoders")


def grid(**axes: Iterable[Any]) -> list[dict[str, Any]]:
    """Every combination of the given values, as points for :func:`sweep`.

    Parameters
    ----------
    **axes
        Parameter name -> its values. The last axis varies fastest.

    Returns
    -------
    list of dict
        One dict per point, ``{name: value}``.

    Examples
    --------
    >>> from snn.core import grid
    >>> grid(g=[4, 5], eta=[1, 2])
    [{'g': 4, 'eta': 1}, {'g': 4, 'eta': 2}, {'g': 5, 'eta': 1}, {'g': 5, 'eta': 2}]
    """
    if not axes:
        raise ConfigurationError("grid() needs at least one axis, e.g. grid(g=[4, 5, 6]).")
    values = {}
    for name, vals in axes.items():
        if isinstance(vals, str | bytes) or not isinstance(vals, Iterable):
            raise ConfigurationError(
                f"grid axis {name!r} must be a sequence of values, got {vals!r}."
            )
        values[name] = list(vals)
        if not values[name]:
            raise ConfigurationError(f"grid axis {name!r} has no values.")
    names = list(values)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())]


class SweepTable:
    """What a sweep measured: one row per point, the point's values and the measurements.

    Columns are numpy arrays (``table["rate"]``); rows come in the order of the points. A
    measure that ``run`` returned as an array (a trace, a histogram; the same shape at every
    point) is a column with one row per point: ``table["v"][k]`` is point ``k``'s array.
    ``to_dict()`` gives plain lists (``pandas.DataFrame(table.to_dict())``), ``to_records()`` a
    numpy record array, ``to_csv(path)`` a file, ``pivot`` the axes and matrix of a phase
    diagram.

    Attributes
    ----------
    parameters
        Names of the swept parameters (the points' keys).
    measures
        Names of what ``run`` returned.
    seconds
        Wall time of each point's ``run`` call (restore included) [s].
    wall_s
        Wall time of the whole sweep (builds and start of workers included) [s].
    workers
        Number of processes the sweep ran on.
    """

    def __init__(
        self,
        parameters: Sequence[str],
        measures: Sequence[str],
        columns: Mapping[str, np.ndarray],
        seconds: np.ndarray,
        *,
        wall_s: float,
        workers: int,
    ) -> None:
        self.parameters = tuple(parameters)
        self.measures = tuple(measures)
        self._columns = dict(columns)
        for col in self._columns.values():
            col.flags.writeable = False
        self.seconds = seconds
        self.seconds.flags.writeable = False
        self.wall_s = float(wall_s)
        self.workers = int(workers)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column: the parameters, then the measures."""
        return self.parameters + self.measures

    def __len__(self) -> int:
        return int(self.seconds.shape[0])

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._columns:
            raise ConfigurationError(
                f"the sweep has no column {name!r}.{did_you_mean(name, self.columns)} "
                f"Columns: {list(self.columns)}."
            )
        return self._columns[name]

    def rows(self) -> list[dict[str, Any]]:
        """One dict per point, in the order of the points."""
        lists = self.to_dict()
        return [{c: lists[c][i] for c in self.columns} for i in range(len(self))]

    def to_dict(self) -> dict[str, list[Any]]:
        """Column name -> list of Python values."""
        return {c: self._columns[c].tolist() for c in self.columns}

    def to_records(self) -> np.ndarray:
        """A numpy record array with one field per column (an array measure: a subarray)."""
        cols = [self._columns[c] for c in self.columns]
        dtype = [(c, a.dtype, a.shape[1:]) for c, a in zip(self.columns, cols, strict=True)]
        out = np.recarray(len(self), dtype=dtype)
        for c, a in zip(self.columns, cols, strict=True):
            out[c] = a
        return out

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the table to ``path`` as CSV with a header row (floats written exactly)."""
        with Path(path).open("w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(self.columns)
            for row in self.rows():
                out.writerow(_csv_cell(v) for v in row.values())

    def pivot(self, value: str, rows: str, cols: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``value`` arranged on the grid of two parameters, for images and contour plots.

        Parameters
        ----------
        value
            The column to arrange (a measure).
        rows, cols
            The parameters along the first and the second axis.

        Returns
        -------
        row_values, col_values, matrix
            The sorted distinct values of ``rows`` and ``cols``, and ``matrix[i, j]``: ``value``
            at the point with ``row_values[i]`` and ``col_values[j]`` (NaN where no point was run).
            Other parameters must be constant (one point per cell).
        """
        r, c, v = self[rows], self[cols], self[value]
        if v.dtype.kind not in "fiub" or v.ndim != 1:
            what = f"holds arrays of shape {v.shape[1:]}" if v.ndim > 1 else "is not numeric"
            raise ConfigurationError(
                f"column {value!r} {what} ({v.dtype}); pivot arranges one number per point."
            )
        row_values, i = np.unique(r, return_inverse=True)
        col_values, j = np.unique(c, return_inverse=True)
        cell = i * col_values.shape[0] + j
        if np.unique(cell).shape[0] != cell.shape[0]:
            raise ConfigurationError(
                f"several points share a cell of ({rows!r}, {cols!r}); pivot needs one point "
                "per cell (select rows of the table first, or sweep only these two)."
            )
        matrix = np.full((row_values.shape[0], col_values.shape[0]), np.nan)
        matrix[i, j] = v
        return row_values, col_values, matrix

    def __repr__(self) -> str:
        lines = [
            f"<SweepTable: {len(self)} points x {len(self.columns)} columns, "
            f"{self.workers} process(es), {self.wall_s:.3g} s>"
        ]
        shown = self.rows()
        head = shown if len(shown) <= 10 else shown[:5] + shown[-5:]
        cells = [[_cell(v) for v in row.values()] for row in head]
        widths = [
            max([len(c)] + [len(row[k]) for row in cells]) for k, c in enumerate(self.columns)
        ]
        lines.append("  ".join(c.rjust(w) for c, w in zip(self.columns, widths, strict=True)))
        for k, row in enumerate(cells):
            if len(shown) > 10 and k == 5:
                lines.append("...")
            lines.append("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return f"[{len(value)} values]" if np.ndim(value) == 1 else f"array{np.shape(value)}"
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _csv_cell(value: Any) -> Any:
    """A CSV cell: floats exactly; an array as a JSON list (``json.loads`` reads it back)."""
    if isinstance(value, list):
        return json.dumps(value)
    return repr(value) if isinstance(value, float) else value


def sweep(
    build: Callable[..., Any],
    run: Callable[..., Mapping[str, Any]],
    points: Iterable[Mapping[str, Any]],
    *,
    build_keys: Sequence[str] = (),
    workers: int = 1,
    executor: Executor | None = None,
    progress: bool = False,
) -> SweepTable:
    """Run one network structure over many parameter values; return a table of measurements.

    Parameters
    ----------
    build
        Makes the network: returns a :class:`~snn.core.Network`, or a tuple whose first item is
        the network (the rest: populations, monitors, ... that ``run`` needs). Called once per
        worker process (again when a value of ``build_keys`` changes), with the values of
        ``build_keys`` as keyword arguments. Everything ``run`` records must be made here
        (monitors are structure).
    run
        ``run(built, **values)``: sets a point's values on the network (``pop.set``,
        ``proj.set``, ``drive.set``), runs it and returns what it measured, a mapping of names to
        numbers, strings or arrays of numbers (the same shape at every point), the same names
        at every point. ``built`` is what ``build`` returned; ``values`` are the point's values
        except ``build_keys``. Each call starts
        from the state ``build`` made (t = 0, its parameters), restored from memory.
    points
        The parameter values, one mapping per point with the same keys (:func:`grid` makes
        every combination of some axes). Values are numbers or strings.
    build_keys
        Keys of the points that ``build`` takes instead of ``run``: parameters that cannot be
        set on a built network (the seed, the number of neurons).
    workers
        Processes on this machine: 1 (default) runs in this process; more start that many
        worker processes for this sweep (each runs its networks on the threads it was built
        with: keep ``threads=1`` then).
    executor
        Run on this :class:`concurrent.futures.Executor` instead, for example mpi4py's
        ``MPIPoolExecutor`` to spread the points over MPI ranks or cluster nodes (start the
        script with ``mpiexec -n K python -m mpi4py.futures script.py``). Its workers keep the
        built network until the next sweep.
    progress
        Show a progress bar over the points.

    Returns
    -------
    SweepTable
        One row per point, in the order of ``points``: its values and what ``run`` returned.
        The same numbers whichever way the sweep runs: every point starts from the same state of
        a network built by the same ``build`` (whose seed fixes every random draw).

    Raises
    ------
    ConfigurationError
        Bad points, or a ``run`` that returns something that is not a table row, or that
        changes the network's structure (new monitors, populations...), which the stored
        state cannot undo.

    Examples
    --------
    >>> from snn.core import Network, grid, sweep
    >>> from snn.core.units import kHz, mV, ms
    >>> from snn.neurons import LIFDelta, PoissonInput
    >>> def build():
    ...     net = Network(dt=0.1 * ms, seed=1)
    ...     pop = net.add_population(LIFDelta(), 100)
    ...     drive = net.add_drive(PoissonInput(rate=8 * kHz, weight=0.5 * mV), pop)
    ...     return net, drive, net.record_spikes(pop)
    >>> def run(built, rate):
    ...     net, drive, spikes = built
    ...     drive.set(rate=rate)
    ...     net.run(0.2)
    ...     return {"mean_rate": spikes.n_spikes / (100 * 0.2)}
    >>> table = sweep(build, run, grid(rate=[6 * kHz, 9 * kHz]))
    >>> table.columns, len(table)
    (('rate', 'mean_rate'), 2)
    >>> bool(table["mean_rate"][1] > table["mean_rate"][0])
    True
    """
    start = time.perf_counter()
    if not callable(build) or not callable(run):
        raise ConfigurationError("`build` and `run` must be functions (see snn.core.sweep).")
    pts, names = _check_points(points)
    keys = tuple(build_keys)
    unknown = [k for k in keys if k not in names]
    if unknown:
        raise ConfigurationError(
            f"`build_keys` {unknown} are not keys of the points; the points have {names}."
        )
    workers = require_int("workers", workers, minimum=1)
    if executor is not None:
        require_type("executor", executor, Executor, "a concurrent.futures.Executor")
    require_bool("progress", progress)
    if executor is not None and workers != 1:
        raise ConfigurationError("give either `workers` or `executor`, not both.")
    if _forks(executor):
        raise ConfigurationError(
            "`executor` starts its workers by forking this process, which hangs or kills them "
            "once numba's OpenMP threads have been used here (any network build does); make it "
            "with mp_context=multiprocessing.get_context('forkserver') (or 'spawn'), or use "
            "`workers=`."
        )
    job = _Job(build, run, keys)
    token = uuid.uuid4().hex
    # rebuilds are rare when points of one network are handed out together
    order = sorted(range(len(pts)), key=lambda i: _sort_key(tuple(pts[i][k] for k in keys)))
    results: list[Any] = [None] * len(pts)
    bar = _bar(len(pts)) if progress else None
    try:
        if executor is None and workers == 1:
            n_proc = 1
            try:
                for i in order:
                    results[i] = _execute(token, job, i, pts[i])
                    if bar is not None:
                        bar.update(1)
            finally:
                _BUILT.pop(token, None)
        else:
            n_proc = workers if executor is None else _executor_size(executor)
            payload = _dumps(job)
            pool = executor if executor is not None else _local_pool(workers)
            try:
                futures = {pool.submit(_execute, token, payload, i, pts[i]): i for i in order}
                try:
                    for fut in as_completed(futures):
                        results[futures[fut]] = fut.result()
                        if bar is not None:
                            bar.update(1)
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    raise
            finally:
                if pool is not executor:
                    pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if bar is not None:
            bar.close()
    return _table(names, pts, results, wall_s=time.perf_counter() - start, workers=n_proc)


@dataclass(frozen=True)
class _Job:
    build: Callable[..., Any]
    run: Callable[..., Mapping[str, Any]]
    build_keys: tuple[str, ...]


@dataclass
class _Built:
    """A worker's network for one sweep and one set of build values."""

    build_values: tuple[Any, ...]
    built: Any
    network: Any
    job: _Job


#: the networks this process built, by sweep token (one sweep at a time per process)
_BUILT: dict[str, _Built] = {}


def _execute(
    token: str, job: _Job | bytes, index: int, point: dict[str, Any]
) -> tuple[dict[str, Any], float]:
    """Run one point in this process (a worker, or the caller for a serial sweep)."""
    entry = _BUILT.get(token)
    if entry is None:
        _BUILT.clear()  # a new sweep: the networks of earlier ones are not needed any more
        spec = _loads(job) if isinstance(job, bytes) else job
    else:
        spec = entry.job
    values = tuple(point[k] for k in spec.build_keys)
    if entry is None or entry.build_values != values:
        _BUILT.pop(token, None)
        entry = _build(spec, values)
        _BUILT[token] = entry
    t0 = time.perf_counter()
    try:
        entry.network.restore(SNAPSHOT)
    except ConfigurationError as exc:
        raise ConfigurationError(
            "a sweep's `run` changed the network's structure (it added a monitor, population, "
            "projection or drive), which the state stored after `build` cannot undo; make "
            "everything in `build`."
        ) from exc
    args = {k: v for k, v in point.items() if k not in spec.build_keys}
    try:
        out = spec.run(entry.built, **args)
    except Exception as exc:
        exc.add_note(f"in snn.core.sweep: `run` failed at point {index} {point}")
        raise
    return _row(out, index, point), time.perf_counter() - t0


def _build(job: _Job, values: tuple[Any, ...]) -> _Built:
    from snn.core._network import Network

    kwargs = dict(zip(job.build_keys, values, strict=True))
    with single_process():
        built = job.build(**kwargs)
    net = built[0] if isinstance(built, tuple) and built else built
    if not isinstance(net, Network):
        raise ConfigurationError(
            "a sweep's `build` must return a Network or a tuple whose first item is the "
            f"Network, got {type(built).__name__}"
            + (f" starting with {type(built[0]).__name__}" if isinstance(built, tuple) else "")
            + "."
        )
    if net.step != 0:
        raise ConfigurationError(
            f"a sweep's `build` must return a network at t = 0 (it is at t = {net.t:.6g} s): "
            "points start from the state it returns, and `run` runs them."
        )
    net.compile()
    net.store(SNAPSHOT)
    return _Built(values, built, net, job)


def _row(out: Any, index: int, point: Mapping[str, Any]) -> dict[str, Any]:
    """The measurements of one point as a mapping of names to plain scalars."""
    if not isinstance(out, Mapping):
        raise ConfigurationError(
            f"a sweep's `run` must return a mapping of names to numbers, e.g. "
            f"{{'rate': 12.5}}; it returned {type(out).__name__} at point {index} {dict(point)}."
        )
    row = {}
    for name, value in out.items():
        if not isinstance(name, str):
            raise ConfigurationError(f"measure names must be strings, got {name!r}.")
        if name in point:
            raise ConfigurationError(
                f"`run` returned {name!r}, which is also a parameter of the points; rename it."
            )
        if isinstance(value, list | tuple):
            try:
                value = np.asarray(value)
            except ValueError:  # ragged
                raise ConfigurationError(
                    f"`run` returned {name!r} = {value!r:.80} at point {index} {dict(point)}: "
                    "nested lists of different lengths; an array measure must be rectangular."
                ) from None
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biuf":
                raise ConfigurationError(
                    f"`run` returned {name!r}, an array of {value.dtype} at point {index} "
                    f"{dict(point)}; an array measure must hold numbers (a trace, a histogram)."
                )
            value = value.copy()
        elif not isinstance(value, int | float | bool | str):
            raise ConfigurationError(
                f"`run` returned {name!r} = {value!r:.80} at point {index} {dict(point)}; a "
                "sweep table holds numbers, strings and arrays of numbers."
            )
        row[name] = value
    return row


def _check_points(points: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    if isinstance(points, Mapping) or not isinstance(points, Iterable):
        raise ConfigurationError(
            "`points` must be a list of mappings {name: value} (grid(...) makes one), got "
            f"{type(points).__name__}."
        )
    pts = [dict(p) if isinstance(p, Mapping) else p for p in points]
    if not pts:
        raise ConfigurationError("`points` is empty: a sweep needs at least one point.")
    for k, p in enumerate(pts):
        if not isinstance(p, dict):
            raise ConfigurationError(f"point {k} is {p!r}, not a mapping {{name: value}}.")
    names = list(pts[0])
    for k, p in enumerate(pts):
        if list(p) != names and set(p) != set(names):
            raise ConfigurationError(
                f"point {k} has the keys {sorted(p)}, point 0 {sorted(names)}; every point "
                "needs the same parameters."
            )
        for name, value in p.items():
            if not isinstance(name, str) or not name.isidentifier():
                raise ConfigurationError(
                    f"parameter names must be Python identifiers (they become keyword "
                    f"arguments), got {name!r}."
                )
            if isinstance(value, np.generic):
                p[name] = value = value.item()
            if not isinstance(value, int | float | bool | str):
                raise ConfigurationError(
                    f"point {k}: {name} = {value!r}; values of points must be numbers or "
                    "strings (table columns). Sweep an index or a name and look the object "
                    "up in `build` or `run`."
                )
    return pts, names


def _sort_key(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((isinstance(v, str), v) for v in values)


def _column(name: str, values: list[Any]) -> np.ndarray:
    arrays = [isinstance(v, np.ndarray) for v in values]
    if any(arrays):
        if not all(arrays):
            k = arrays.index(not arrays[0])
            raise ConfigurationError(
                f"column {name!r} holds an array at some points and a single value at others "
                f"(point {k}); return the same kind at every point."
            )
        shapes = {v.shape for v in values}
        if len(shapes) > 1:
            raise ConfigurationError(
                f"column {name!r} holds arrays of shapes {sorted(shapes)[:4]}; every point must "
                "return the same shape (one row of the column per point)."
            )
        return np.stack(values)
    if all(isinstance(v, str) for v in values):
        return np.array(values, dtype=np.str_)
    if any(isinstance(v, str) for v in values):
        raise ConfigurationError(f"column {name!r} mixes strings and numbers: {values[:5]}...")
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.bool_)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=np.float64)


def _table(
    names: list[str], pts: list[dict[str, Any]], results: list[Any], *, wall_s: float, workers: int
) -> SweepTable:
    rows = [r[0] for r in results]
    measures = list(rows[0])
    for k, row in enumerate(rows):
        if set(row) != set(measures):
            raise ConfigurationError(
                f"`run` returned {sorted(row)} at point {k} {pts[k]} but {sorted(measures)} at "
                f"point 0; every point must return the same names."
            )
    columns = {n: _column(n, [p[n] for p in pts]) for n in names}
    columns.update({m: _column(m, [row[m] for row in rows]) for m in measures})
    seconds = np.array([r[1] for r in results], dtype=np.float64)
    return SweepTable(names, measures, columns, seconds, wall_s=wall_s, workers=workers)


def _dumps(job: _Job) -> bytes:
    """``job`` pickled for workers.

    Functions of modules that workers cannot import by name (``__main__``, a notebook, a test
    module or a file loaded from a path) travel by value.
    """
    import cloudpickle

    by_value = [m for m in {_module_of(job.build), _module_of(job.run)} if m is not None]
    for module in by_value:
        cloudpickle.register_pickle_by_value(module)
    try:
        return cloudpickle.dumps(job)
    except Exception as exc:
        raise ConfigurationError(
            f"`build` or `run` cannot be sent to worker processes ({type(exc).__name__}: "
            f"{exc}); they must not capture open files, networks or monitors made outside "
            "`build`."
        ) from exc
    finally:
        for module in by_value:
            cloudpickle.unregister_pickle_by_value(module)


def _module_of(func: Callable[..., Any]) -> Any:
    """The module of ``func`` when it is not importable by its name (else None)."""
    name = getattr(func, "__module__", None)
    module = sys.modules.get(name) if name else None
    if module is None or name == "__main__":
        return None
    # a worker imports it through its path (the caller's sys.path), not from sys.modules
    top = name.partition(".")[0]
    found = top in sys.builtin_module_names or PathFinder.find_spec(top) is not None
    return None if found else module


def _loads(payload: bytes) -> _Job:
    import cloudpickle

    return cloudpickle.loads(payload)


def _local_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes started from a forkserver that has imported snn (see the module)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["snn.core._warm", *(m for m in _PACKAGES if m in sys.modules)])
    else:
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def _forks(executor: Executor | None) -> bool:
    """Whether ``executor`` is a process pool that forks its workers from this process."""
    if not isinstance(executor, ProcessPoolExecutor):
        return False
    context = getattr(executor, "_mp_context", None)  # the pool's context (CPython)
    return context is not None and context.get_start_method() == "fork"


def _executor_size(executor: Executor) -> int:
    """Number of workers of an executor where it tells (mpi4py's ``num_workers``), else 0."""
    n = getattr(executor, "num_workers", None)
    return n if isinstance(n, int) and n > 0 else 0


def _bar(total: int) -> Any:
    from snn.core._progress import progress_bar

    return progress_bar(total=total, desc="sweep", unit="point", fmt="{n}/{total} points")
