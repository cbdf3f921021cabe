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
        self.network._hooks = [(k, cb) for k, cb in self.network._hooks if cb != self._flush]

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
    """The spikes of a :class:`SpikeStream` file, by population: times [s] and global ids."""
    path = Path(path)
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise FileFormatError(f"{path} is not a readable HDF5 file ({exc}).") from None
    with f:
        if f.attrs.get("format") != _FORMAT:
            raise FileFormatError(
                f"{path} is not an snn spike stream: `format` is {f.attrs.get('format')!r}, "
                f"expected {_FORMAT!r}."
            )
        dt = float(f.attrs["dt"])
        return {
            name: SpikeRecord(times=g["steps"][()] * dt, senders=g["senders"][()])
            for name, g in f.items()
        }
