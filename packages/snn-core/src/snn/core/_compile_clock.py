"""How long numba spends compiling, so that build, compile and run times can be told apart.

A listener on numba's ``numba:compile`` event adds up the wall time of top-level compilations
(callees compiled on the way are nested inside and not counted twice). Loading machine code from
numba's cache is not a compilation and is not counted.
"""

from __future__ import annotations

import threading
import time

from numba.core import event

__all__ = ["compile_seconds", "numba_startup"]


class _CompileClock(event.Listener):
    def __init__(self) -> None:
        self.total = 0.0
        self._depth = 0
        self._start = 0.0
        self._lock = threading.Lock()

    def on_start(self, ev: event.Event) -> None:
        with self._lock:
            if self._depth == 0:
                self._start = time.perf_counter()
            self._depth += 1

    def on_end(self, ev: event.Event) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                self.total += time.perf_counter() - self._start


_CLOCK = _CompileClock()
event.register("numba:compile", _CLOCK)


def compile_seconds() -> float:
    """Seconds numba has spent compiling (or starting up, see :func:`numba_startup`) so far."""
    return _CLOCK.total


_STARTED: list[bool] = []


def numba_startup() -> None:
    """Pay numba's one-off start-up now, counted as compile time.

    The first call of any jitted function in a process makes numba build its typing and target
    contexts (about 0.4 s here), even when the function comes from the cache. Doing it on purpose
    keeps that cost out of the build and simulation times.
    """
    if _STARTED:
        return
    _STARTED.append(True)
    from snn.core._cycles import cycles_now

    t0 = time.perf_counter()
    before = _CLOCK.total
    cycles_now()
    with _CLOCK._lock:
        # a compilation inside (cold cache) was counted by the listener already
        _CLOCK.total += (time.perf_counter() - t0) - (_CLOCK.total - before)
