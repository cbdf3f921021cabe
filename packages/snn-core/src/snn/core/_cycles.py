"""A cycle counter readable from numba code, for timing the phases of the event loop."""

from __future__ import annotations

import time

from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from snn.core._jit import kernel


@intrinsic
def read_cycles(typingctx):  # pragma: no cover - compiled
    """The CPU's cycle counter (``llvm.readcyclecounter``; rdtsc on x86) as uint64."""
    sig = types.uint64()

    def codegen(context, builder, signature, args):
        fnty = ir.FunctionType(ir.IntType(64), [])
        fn = builder.module.declare_intrinsic("llvm.readcyclecounter", fnty=fnty)
        return builder.call(fn, [])

    return sig, codegen


@kernel
def cycles_now():  # pragma: no cover - compiled
    """The cycle counter, callable from Python."""
    return read_cycles()


_HZ: list[float] = []


def cycle_frequency() -> float:
    """Ticks per second of :func:`read_cycles`, measured once over 20 ms of wall time."""
    if not _HZ:
        cycles_now()
        w0, c0 = time.perf_counter(), cycles_now()
        while time.perf_counter() - w0 < 0.02:
            pass
        _HZ.append(float(cycles_now() - c0) / (time.perf_counter() - w0))
    return _HZ[0]
