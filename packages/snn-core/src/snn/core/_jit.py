"""The one decorator that compiles snn's kernels.

Every numba kernel of the project goes through :func:`kernel`, so the compilation policy lives in
one place: on-disk caching (``cache=True``), released GIL (``nogil=True``), numpy's floating point
error model (division by zero gives inf/NaN instead of raising, so kernels never raise), and no
``fastmath`` (it would let LLVM assume that NaN and inf never occur, which would hide the very
values the engine checks for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numba

__all__ = ["kernel", "thread_count"]

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS: dict[str, Any] = {"cache": True, "nogil": True, "error_model": "numpy"}


def kernel(func: F | None = None, **options: Any) -> Any:
    """Compile ``func`` with numba under the project's policy.

    Parameters
    ----------
    func
        The Python function to compile. When omitted, a decorator is returned.
    **options
        Extra numba options (for example ``inline="always"`` or ``parallel=True``). ``fastmath`` is
        refused because it breaks NaN and inf handling.

    Returns
    -------
    numba.core.registry.CPUDispatcher
        The compiled dispatcher (or a decorator producing one).
    """
    if "fastmath" in options:
        raise ValueError("snn kernels must not use fastmath: it breaks NaN/inf detection")
    merged = {**_OPTIONS, **options}
    if func is None:
        return lambda f: numba.njit(**merged)(f)
    return numba.njit(**merged)(func)


@contextmanager
def thread_count(threads: int) -> Iterator[None]:
    """Run numba's parallel regions on ``threads`` threads (at most numba's pool size) inside."""
    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        numba.set_num_threads(before)
