"""What ``run(progress=True)`` and ``sweep(progress=True)`` show: compilation, then a bar.

Compiling the loop (or loading it from numba's cache) happens before the first step and can take
longer than the simulation, so it gets a line of its own, "compiling the network's loop ...",
replaced by its time when done; the progress bar then covers the simulation only. Bars come from
``tqdm.auto``: a widget in Jupyter, text on a terminal. In a notebook a finished bar stays, with
the elapsed time; on a terminal it is removed (scripts that run many times do not fill the
screen). Nothing here is imported or called when progress is off.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from snn.core._compile_clock import compile_seconds

if TYPE_CHECKING:
    from snn.core._loop import Plan
    from snn.core._network import Network

__all__ = ["in_notebook", "prepare_shown", "progress_bar", "simulation_bar"]


def in_notebook() -> bool:
    """Whether tqdm.auto draws widgets (a Jupyter kernel with ipywidgets)."""
    from tqdm.auto import tqdm
    from tqdm.notebook import tqdm as notebook_tqdm

    return issubclass(tqdm, notebook_tqdm)


def progress_bar(*, total: float, desc: str, unit: str, fmt: str) -> Any:
    """A tqdm.auto bar; ``fmt`` shows the count (e.g. ``"{n}/{total} points"``)."""
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=False,
        leave=in_notebook(),
        bar_format="{l_bar}{bar}| " + fmt + " [{elapsed}<{remaining}]",
    )


def simulation_bar(total: float) -> Any:
    """The bar of a run, in seconds of biological time."""
    return progress_bar(total=total, desc="simulating", unit="s", fmt="{n:.3f}/{total:.3f} s bio")


class _Notice:
    """One line of text, replaced when done (an updatable output in Jupyter)."""

    def __init__(self, text: str) -> None:
        self._handle: Any = None
        if in_notebook():
            from IPython.display import display

            self._handle = display({"text/plain": text}, raw=True, display_id=True)
        else:
            sys.stderr.write(text)
            sys.stderr.flush()
        self._width = len(text)

    def finish(self, text: str) -> None:
        if self._handle is not None:
            self._handle.update({"text/plain": text}, raw=True)
        else:
            sys.stderr.write("\r" + text.ljust(self._width) + "\n")
            sys.stderr.flush()


def _ready(net: Network, profile: bool) -> bool:
    """Whether the loop for the current structure is generated and loaded."""
    plan = net._plan
    return (
        plan is not None
        and net._plan_version == net._structure_version
        and net._plan_profiled == profile
        and bool(plan.function.signatures)
    )


def prepare_shown(net: Network, profile: bool) -> Plan:
    """``net._prepare(profile)``, loading the loop too, under a notice when that takes work."""
    if _ready(net, profile):
        return net._prepare(profile)
    notice = _Notice("compiling the network's loop ...")
    w0, c0 = time.perf_counter(), compile_seconds()
    plan = net._prepare(profile)
    net._load(plan)
    wall = time.perf_counter() - w0
    if compile_seconds() > c0:
        notice.finish(f"compiled the network's loop in {wall:.2f} s")
    else:
        notice.finish(f"loaded the network's compiled loop from the cache in {wall:.2f} s")
    return plan
