"""Spikes streamed to HDF5 while the network runs, so long runs fit in bounded memory.

:class:`SpikeStream` registers a callback with ``Network.every(interval, ...)``: at each multiple
of ``interval`` it appends the spikes recorded so far by its monitors to resizable datasets
(``/<population>/steps`` int64 and ``/<population>/senders`` int64, chunked) and clears the
monitors. Memory then holds at most one interval of spikes. Read the file back with
:func:`read_spike_stream`.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

import h5py
import numpy as np

from snn.core import Network, SpikeMonitor, SpikeRecord
from snn.core.errors import ConfigurationError, FileFormatError
from snn.io._untrusted import Where, attribute, open_hdf5

__all__ = ["SpikeStream", "read_spike_stream"]

_FORMAT = "snn-spike-stream"


class SpikeStream:
    """Append the spikes of spike monitors to an HDF5 file every ``interval`` of simulated time.

    Parameters
    ----------
    path
        Output file (created; an existing one is replaced).
    *monitors
        Spike monitors of one network (one per population).
    interval
        Flush period [s], a multiple of dt.

    Notes
    -----
    Use it as a context manager (or call :meth:`close`) so that the spikes after the last
    multiple of ``interval`` are written too. The monitors are cleared at each flush: read the
    spikes from the file. Under MPI each rank would need its own file (not supported yet).
    """

    def __init__(self, path: str | os.PathLike[str], *monitors: SpikeMonitor, interval: float):
        if not monitors or not all(isinstance(m, SpikeMonitor) for m in monitors):
            raise ConfigurationError("SpikeStream takes one or more spike monitors.")
        nets = {id(m.population.network) for m in monitors}
        if len(nets) != 1:
            raise ConfigurationError("the monitors of a SpikeStream must share one network.")
        names = [m.population.name for m in monitors]
        if len(set(names)) != len(names):
            raise ConfigurationError(f"one monitor per population, got {names}.")
        self.network: Network = monitors[0].population.network
        if self.network.n_ranks > 1:
            raise ConfigurationError("SpikeStream runs on one process.")
        self.monitors = monitors
        self.path = Path(path)
        self._file: h5py.File | None = h5py.File(self.path, "w")
        self._file.attrs["format"] = _FORMAT
        self._file.attrs["dt"] = self.network.dt
        for m in monitors:
            g = self._file.create_group(m.population.name)
            for name in ("steps", "senders"):
                g.create_dataset(
                    name, shape=(0,), maxshape=(None,), dtype=np.int64, chunks=(65536,)
                )
        self.network.every(interval, self._flush)

    def _flush(self, net: Network | None = None) -> None:
        if self._file is None:
            return
        for m in self.monitors:
            n = m.n_spikes
            if n == 0:
                continue
            g = self._file[m.population.name]
            for name, values in (("steps", m.steps), ("senders", m.senders)):
                ds = g[name]
                old = ds.shape[0]
                ds.resize((old + n,))
                ds[old:] = values
            m.clear()
        self._file.flush()

    def close(self) -> None:
        """Write the spikes not yet written and close the file (the network stops streaming)."""
        if self._file is None:
            return
        self._flush()
        self._file.close()
        self._file = None
        self.network._drop_hook(self._flush)

    def __enter__(self) -> SpikeStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_spike_stream(path: str | os.PathLike[str]) -> dict[str, SpikeRecord]:
    """The spikes of a :class:`SpikeStream` file, by population: times [s] and global ids.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    snn.core.errors.FileFormatError
        When the file is not a readable spike stream, or its content is inconsistent (the
        message names the dataset): steps must be whole numbers >= 1, senders whole numbers
        >= 0, both 1-D and of equal length; ``dt`` a positive number.
    """
    path = Path(path)
    f = open_hdf5(path, "a spike stream")
    try:
        with f:
            where = Where(path, "/")
            fmt = attribute(f, "format")
            if fmt != _FORMAT:
                raise where.fail(
                    f"is not an snn spike stream: `format` is {fmt!r:.60}, expected {_FORMAT!r}."
                )
            dt = where.number(attribute(f, "dt"), "dt", low=0.0)
            if dt <= 0:
                raise where.fail(f"has `dt` = {dt!r}, expected a positive time step [s].")
            out = {}
            for name in f:
                group = f[name]
                w = Where(path, f"/{name}")
                if not isinstance(group, h5py.Group) or sorted(group) != ["senders", "steps"]:
                    raise w.fail("must be a group holding exactly `steps` and `senders`.")
                steps = _integers(w.at(f"/{name}/steps"), w.read(group["steps"]), low=1)
                senders = _integers(w.at(f"/{name}/senders"), w.read(group["senders"]), low=0)
                if steps.shape != senders.shape:
                    raise w.fail(
                        f"holds {steps.size} steps but {senders.size} senders; they pair up."
                    )
                out[name] = SpikeRecord(times=steps * dt, senders=senders)
            return out
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as exc:
        if isinstance(exc, FileFormatError):
            raise
        raise FileFormatError(
            f"{path}: the spike stream is damaged ({type(exc).__name__}: {exc})."
        ) from None


def _integers(where: Where, arr: np.ndarray, *, low: int) -> np.ndarray:
    where.array(arr, kinds="iu", ndim=1)
    where.within(arr, low, 2**62)
    return arr.astype(np.int64)
