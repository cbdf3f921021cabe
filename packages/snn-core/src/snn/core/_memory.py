"""The memory budget: every large allocation of snn is checked against it first.

snn plans to use at most :data:`MEMORY_SHARE` of the memory available when a structure is
allocated, less :data:`MEMORY_RESERVE`: the rest is left for Python, numpy and numba
temporaries, the operating system's file cache, and other programs. A structure that does not fit
raises :class:`~snn.core.errors.MemoryBudgetError` with the bytes needed and the budget, and
nothing is allocated.

What is counted: populations (state, spike flags and buffers), connectivity (measured on the
rule's expected synapse count, then on the exact count), ring buffers, spike histories of
arrival-delivered and plastic projections, the slice spike buffers, the rows of state, weight and
rate monitors for a whole ``run`` call and the growth of spike monitors, and encoders' spike
trains.
"""

from __future__ import annotations

import mmap
import os
from typing import Any

import numpy as np

from snn.core.errors import MemoryBudgetError

__all__ = [
    "MEMORY_RESERVE",
    "MEMORY_SHARE",
    "empty_mapped",
    "memory_available",
    "memory_budget",
    "require_memory",
]

#: share of the available memory snn plans to use at most
MEMORY_SHARE = 0.85
#: bytes kept free on top of the share's remainder (Python, numba, the OS) [B]
MEMORY_RESERVE = 512 * 2**20
#: requests up to this size are never refused: they are within what the interpreter itself
#: allocates and frees all the time, and a machine short of memory for a moment (other
#: processes) must not fail a population of one neuron [B]
MEMORY_CHECK_MIN = 32 * 2**20


def memory_available() -> int:
    """Bytes of memory available to this process (Linux ``MemAvailable``, else free RAM)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 1 << 62


def memory_budget() -> int:
    """Bytes a new structure may take now: ``MEMORY_SHARE * available - MEMORY_RESERVE``."""
    return max(0, int(MEMORY_SHARE * memory_available()) - MEMORY_RESERVE)


def require_memory(what: str, nbytes: float, hint: str = "") -> None:
    """Refuse to allocate ``nbytes`` for ``what`` when it exceeds :func:`memory_budget`.

    Requests of at most :data:`MEMORY_CHECK_MIN` always pass.

    Parameters
    ----------
    what
        The structure, for the message ("the ring buffer of population 'E' (64 slots)").
    nbytes
        Bytes it needs.
    hint
        How to make it smaller, appended to the message.

    Raises
    ------
    MemoryBudgetError
        When it does not fit; nothing was allocated.
    """
    if nbytes <= MEMORY_CHECK_MIN:
        return
    budget = memory_budget()
    if nbytes > budget:
        raise MemoryBudgetError(
            f"{what} needs {nbytes / 2**20:,.0f} MiB, but the memory budget is "
            f"{budget / 2**20:,.0f} MiB ({MEMORY_SHARE:.0%} of the "
            f"{memory_available() / 2**20:,.0f} MiB available, less "
            f"{MEMORY_RESERVE / 2**20:,.0f} MiB kept free); nothing was allocated."
            + (f" {hint}" if hint else "")
        )


#: arrays at least this large are mapped with their pages at once (:func:`empty_mapped`) [B]
MAPPED_MIN_BYTES = 64 * 2**20


def empty_mapped(n: int, dtype: Any) -> np.ndarray:
    """An uninitialised 1-d array of ``n`` items that a kernel fills next, its pages mapped at once.

    A large array from ``np.empty`` gets its pages one fault at a time while the kernel first
    writes it (4 KiB each, or 2 MiB pages that the kernel may compact memory to find, as numpy
    asks for them): on the 3.6 GB of the full microcircuit's synapses that cost 4-8 s of system
    time. Arrays of :data:`MAPPED_MIN_BYTES` or more are instead one anonymous mapping populated
    by a single ``mmap`` call (Linux ``MAP_POPULATE``); elsewhere, and for smaller arrays, this is
    ``np.empty``.
    """
    dt = np.dtype(dtype)
    nbytes = int(n) * dt.itemsize
    populate = getattr(mmap, "MAP_POPULATE", 0)
    if nbytes == 0 or nbytes < MAPPED_MIN_BYTES or not populate:
        return np.empty(n, dtype=dt)
    region = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return np.frombuffer(region, dtype=dt, count=n)
