"""Hardware helpers for numba code: the cycle counter (to time the loop's phases) and prefetch."""

from __future__ import annotations

import time

from llvmlite import ir
from numba import types
from numba.core import cgutils
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


@intrinsic
def prefetch(typingctx, arr, index):  # pragma: no cover - compiled
    """Hint the CPU to load ``arr[index]`` into cache (``llvm.prefetch``, read, high locality).

    No bounds check and no effect on results; ``index`` must be unsigned or known >= 0.
    """
    sig = types.void(arr, index)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(
            context, builder, aryty, ary, [args[1]], wraparound=False, boundscheck=False
        )
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        builder.call(
            fn,
            [
                builder.bitcast(ptr, i8p),
                ir.Constant(i32, 0),
                ir.Constant(i32, 3),
                ir.Constant(i32, 1),
            ],
        )
        return context.get_dummy_value()

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
