"""How long numba spends compiling, so that build, compile and run times can be told apart.

A listener on numba's ``numba:compile`` event adds up the wall time of top-level compilations
(callees compiled on the way are nested inside and not counted twice), and keeps one record per
top-level compilation: which function, its wall time and the process's CPU time meanwhile
(:func:`compile_log`). Loading machine code from numba's cache is not a compilation and is not
counted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from numba.core import event

__all__ = ["Compilation", "compile_log", "compile_seconds", "numba_startup"]


@dataclass(frozen=True)
class Compilation:
    """One top-level numba compilation (its callees compiled on the way included).

    Attributes
    ----------
    function : str
        Module and qualified name of the compiled function.
    wall_s : float
        Wall time [s].
    cpu_s : float
        CPU time of the whole process meanwhile [s] (all threads): on a loaded machine the
        wall time grows with the load, this much less.
    """

    function: str
    wall_s: float
    cpu_s: float


def _name_of(ev: event.Event) -> str:
    py = getattr(ev.data.get("dispatcher"), "py_func", None)
    if py is None:
        return "?"
    return f"{py.__module__}.{py.__qualname__}"


class _CompileClock(event.Listener):
    def __init__(self) -> None:
        self.total = 0.0
        self.log: list[Compilation] = []
        self._depth = 0
        self._start = (0.0, 0.0, "")
        self._lock = threading.Lock()

    def on_start(self, ev: event.Event) -> None:
        with self._lock:
            if self._depth == 0:
                self._start = (time.perf_counter(), time.process_time(), _name_of(ev))
            self._depth += 1

    def on_end(self, ev: event.Event) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                wall0, cpu0, name = self._start
                wall = time.perf_counter() - wall0
                self.total += wall
                self.log.append(Compilation(name, wall, time.process_time() - cpu0))


_CLOCK = _CompileClock()
event.register("numba:compile", _CLOCK)


def compile_seconds() -> float:
    """Seconds numba has spent compiling (or starting up, see :func:`numba_startup`) so far."""
    return _CLOCK.total


def compile_log() -> list[Compilation]:
    """Every top-level numba compilation of this process so far, in order.

    numba's start-up (:func:`numba_startup`) is the entry ``"numba start-up"`` when it was paid
    on purpose.
    """
    with _CLOCK._lock:
        return list(_CLOCK.log)


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
    c0 = time.process_time()
    before = _CLOCK.total
    compiled = len(_CLOCK.log)
    cycles_now()
    with _CLOCK._lock:
        # a compilation inside (cold cache) was counted by the listener already
        inside = _CLOCK.total - before
        cpu_inside = sum(c.cpu_s for c in _CLOCK.log[compiled:])
        _CLOCK.total += (time.perf_counter() - t0) - inside
        start = Compilation(
            "numba start-up",
            time.perf_counter() - t0 - inside,
            time.process_time() - c0 - cpu_inside,
        )
        _CLOCK.log.insert(compiled, start)
