"""MPI backend: the same script on one process or under ``mpiexec -n K``.

mpi4py is imported only when a network actually runs under MPI (``mpiexec`` sets the size of
``COMM_WORLD`` above 1, or a communicator is passed explicitly). Neurons are dealt round-robin:
neuron ``j`` of every population lives on rank ``j % K``. Each rank builds only the synapses onto
its own neurons. After every slice of ``min_delay`` steps the ranks exchange the slice's spikes
with one ``Allgatherv`` (every rank needs nearly every spike when connectivity is random) and
merge them into ascending order, so each target receives its inputs in the same order as on one
process: results are identical for any number of ranks.

An uncaught exception on any rank prints its traceback and aborts the whole job
(``MPI_Abort``), so a failing rank never leaves the others waiting in a collective.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._jit import kernel
from snn.core.errors import ConfigurationError

if TYPE_CHECKING:
    from snn.core._network import Network

__all__ = ["Communicator", "exchange", "single_process", "world"]

_ENV_SIZE = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS")


class Communicator:
    """The ranks a network runs on (a single process when ``comm`` is None)."""

    def __init__(self, comm: Any = None) -> None:
        if comm is not None and not all(
            callable(getattr(comm, m, None)) for m in ("Get_rank", "Get_size", "Allgather")
        ):
            raise ConfigurationError(
                f"`comm` must be an mpi4py communicator (e.g. MPI.COMM_WORLD) or None, got "
                f"{type(comm).__name__}."
            )
        self.comm = comm
        self.rank = 0 if comm is None else int(comm.Get_rank())
        self.size = 1 if comm is None else int(comm.Get_size())

    @property
    def active(self) -> bool:
        """True when there is more than one rank."""
        return self.size > 1

    def allgather_spikes(
        self, send: np.ndarray, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """All ranks' spikes of one slice.

        Parameters
        ----------
        send : int32 array
            This rank's spikes (population indices), grouped by population then step.
        counts : int64 array
            Number of spikes of this rank per (population, step).

        Returns
        -------
        data : int32 array
            Every rank's ``send``, rank after rank.
        all_counts : int64 array, shape (size, len(counts))
            Every rank's ``counts``.
        """
        from mpi4py import MPI

        all_counts = np.empty((self.size, counts.shape[0]), dtype=np.int64)
        self.comm.Allgather(counts, all_counts)
        per_rank = all_counts.sum(axis=1)
        data = np.empty(int(per_rank.sum()), dtype=np.int32)
        displ = np.zeros(self.size, dtype=np.int64)
        np.cumsum(per_rank[:-1], out=displ[1:])
        self.comm.Allgatherv(send, [data, per_rank, displ, MPI.INT32_T])
        return data, all_counts

    def gather_arrays(self, arrays: list[np.ndarray], root: int = 0) -> list[np.ndarray] | None:
        """Concatenate each array over ranks (rank order) on ``root``; None elsewhere."""
        parts = self.comm.gather(arrays, root=root)
        if self.rank != root:
            return None
        return [np.concatenate([p[k] for p in parts]) for k in range(len(arrays))]

    def allreduce_sum(self, value: Any) -> Any:
        """Sum of ``value`` over ranks."""
        from mpi4py import MPI

        return self.comm.allreduce(value, op=MPI.SUM)

    def bcast(self, value: Any, root: int = 0) -> Any:
        """``value`` of ``root`` on every rank."""
        return self.comm.bcast(value, root=root)

    def measure_collectives(self, spikes: int, repeats: int = 500) -> tuple[float, float]:
        """``(alpha, beta)``: this machine's collective costs, for the scaling model.

        ``alpha`` is the latency of a small Allgather per log2 of the number of ranks [s];
        ``beta`` the time per received byte of an Allgatherv of ``spikes`` int32 per rank beyond
        that latency [s]. Collective: every rank calls it.
        """
        import math
        import time

        from mpi4py import MPI

        k = self.size
        small = np.zeros(2, np.int64)
        small_all = np.zeros((k, 2), np.int64)
        self.comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(repeats):
            self.comm.Allgather(small, small_all)
        latency = (time.perf_counter() - t0) / repeats
        data = np.zeros(max(1, spikes), np.int32)
        out = np.zeros(data.shape[0] * k, np.int32)
        counts = np.full(k, data.shape[0])
        displ = np.arange(k) * data.shape[0]
        self.comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(repeats):
            self.comm.Allgatherv(data, [out, counts, displ, MPI.INT32_T])
        big = (time.perf_counter() - t0) / repeats
        alpha = latency / max(math.log2(k), 1.0)
        beta = max(big - latency, 0.0) / (4 * data.shape[0] * k)
        return alpha, beta


_WORLD: list[Communicator] = []
#: depth of :func:`single_process` blocks entered (networks made inside run on one process)
_SINGLE: list[int] = [0]


def _launched_by_mpiexec() -> bool:
    for name in _ENV_SIZE[:4]:
        value = os.environ.get(name)
        if value and value.isdigit() and int(value) > 1:
            return True
    return False


def world() -> Communicator:
    """The communicator a network runs on by default.

    ``COMM_WORLD`` when the process was started by ``mpiexec`` with more than one rank, else a
    single-process communicator (always inside :func:`single_process`). Installs the
    abort-on-exception hook under MPI.
    """
    if _SINGLE[0]:
        return Communicator(None)
    if _WORLD:
        return _WORLD[0]
    comm = None
    if _launched_by_mpiexec():
        try:
            from mpi4py import MPI
        except ImportError as exc:
            raise ImportError(
                "this process was started by mpiexec but mpi4py is not installed; install "
                "snn-core[mpi] (from the workspace: uv run --group mpi ...)"
            ) from exc
        if MPI.COMM_WORLD.Get_size() > 1:
            comm = MPI.COMM_WORLD
            _install_abort_hook(comm)
    _WORLD.append(Communicator(comm))
    return _WORLD[0]


@contextmanager
def single_process() -> Iterator[None]:
    """Inside, networks made without ``comm`` run on this process alone, even under ``mpiexec``.

    A sweep's workers (ranks of ``python -m mpi4py.futures``, for example) each run whole
    networks of their own: the ranks must not share one.
    """
    _SINGLE[0] += 1
    try:
        yield
    finally:
        _SINGLE[0] -= 1


def _install_abort_hook(comm: Any) -> None:
    previous = sys.excepthook

    def hook(kind: Any, value: Any, tb: Any) -> None:
        sys.stderr.write(f"[snn rank {comm.Get_rank()}] uncaught exception, aborting the job:\n")
        sys.stderr.write("".join(traceback.format_exception(kind, value, tb)))
        sys.stderr.flush()
        try:
            comm.Abort(1)
        finally:
            previous(kind, value, tb)

    sys.excepthook = hook


def exchange(net: Network, ns: int) -> None:
    """Share the slice's spikes of every rank; fill the received buffers of each population."""
    par = int(net._pending[3])
    slice_len = net._slice_len()
    counts = np.zeros(len(net.populations) * ns, dtype=np.int64)
    o = 0
    for p, pop in enumerate(net.populations):
        o = pack_local_spikes(
            pop._spk[par],
            pop._off[par],
            pop._bounds,
            slice_len,
            ns,
            net.rank,
            net.n_ranks,
            net._send,
            counts,
            o,
            p * ns,
        )
    data, all_counts = net.comm.allgather_spikes(net._send[:o], counts)
    for p, pop in enumerate(net.populations):
        merge_received(data, all_counts, p * ns, ns, pop._rspk, pop._roff)


@kernel
def pack_local_spikes(
    spk, off, bounds, stride, ns, rank, n_ranks, out, counts, o, c
):  # pragma: no cover
    """Append one population's new-slice spikes as population indices to ``out[o:]``.

    ``spk``/``off``/``bounds`` are the population's slice buffer of this parity; per step ``s``
    the blocks are visited in order, so local indices (hence population indices) ascend.
    ``counts[c + s]`` receives the number of spikes of step ``s``. Returns the new ``o``.
    """
    for s in range(ns):
        start = o
        for bb in range(off.shape[0]):
            base = stride * bounds[bb]
            for q in range(base + off[bb, s], base + off[bb, s + 1]):
                out[o] = rank + n_ranks * spk[q]
                o += 1
        counts[c + s] = o - start
    return o


@kernel
def merge_received(data, all_counts, column, ns, out, roff):  # pragma: no cover - compiled
    """Collect one population's spikes of every rank, step by step, in ascending order.

    ``all_counts[r, column + s]`` spikes of rank ``r`` at step ``s`` sit in ``data`` at the offset
    given by the counts before them (rank-major, then column order). Writes ``out`` and the step
    offsets ``roff[0, :ns + 1]``.
    """
    n_ranks = all_counts.shape[0]
    n_cols = all_counts.shape[1]
    starts = np.zeros(n_ranks, dtype=np.int64)
    total = 0
    for r in range(n_ranks):
        starts[r] = total
        for k in range(n_cols):
            total += all_counts[r, k]
    o = 0
    roff[0, 0] = 0
    for s in range(ns):
        first = o
        for r in range(n_ranks):
            a = starts[r]
            for k in range(column + s):
                a += all_counts[r, k]
            for q in range(a, a + all_counts[r, column + s]):
                out[o] = data[q]
                o += 1
        out[first:o].sort()
        roff[0, s + 1] = o
