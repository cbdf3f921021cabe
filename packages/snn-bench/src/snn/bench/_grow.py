"""Compilation when a network grows by a unit of a kind it lacks, with the kernels cached.

Issue 19's notebook case: a researcher has run networks before (the package kernels and the
kinds of units are in the caches), changes the structure of the one in front of them and runs
again. Here the network is COBA; after a first run it gains a ``LIFDelta`` population of 200
neurons with a ``PoissonInput`` drive and a projection from COBA's neurons into it, so the loop
is new although every kind in it is known. Each measurement is two processes sharing new empty
cache folders: the first runs COBA alone and the new population alone (it fills the caches), the
second runs COBA, grows it and runs again; the second run's compilation is reported (wall and
CPU time of the run, the functions numba compiled in it, and how many of the loop's unit
functions there are and how many of them had to be compiled instead of loaded).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from snn.bench._startup import _one_run

__all__ = ["grow_report", "measure_grow"]


#: one process of the measurement, run with ``python -c`` (so that another checkout's
#: interpreter runs the same code): ``fill`` the caches, or ``grow`` and print the figures
_CHILD = """
import json, sys, time
from snn.bench._models import build
from snn.core import Network
from snn.core.kernels import compile_log
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput
from snn.synapses import PairwiseBernoulli

def grown_part(net, pre):
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    pop = net.add_population(model, 200, name="grown")
    net.add_drive(PoissonInput(rate=20_000 * Hz, weight=0.1 * mV), pop)
    if pre is not None:
        net.connect(pre, pop, rule=PairwiseBernoulli(p=0.02), weight=0.1 * mV, delay=1 * ms)

coba = build("coba")
coba.network.run(0.01)
if sys.argv[1] == "fill":
    alone = Network(dt=0.1 * ms, seed=1)
    grown_part(alone, None)
    alone.run(0.01)
else:
    net = coba.network
    grown_part(net, coba.groups["E"])
    before = len(compile_log())
    w0, c0 = time.perf_counter(), time.process_time()
    net.run(0.01)
    compiled = [
        {"function": c.function, "wall_s": c.wall_s, "cpu_s": c.cpu_s}
        for c in compile_log()[before:]
    ]
    # the loop's unit functions (decision 0021): loaded from the disk cache, or compiled
    units = [m.unit for n, m in sys.modules.items() if n.startswith("snn_unit_")]
    misses = sum(sum(u.stats.cache_misses.values()) for u in units)
    print(json.dumps({"run_wall_s": time.perf_counter() - w0,
                      "run_cpu_s": time.process_time() - c0, "compiled": compiled,
                      "units": len(units), "unit_cache_misses": misses}))
"""


def measure_grow(
    *, repeats: int = 3, baseline: str | None = None, timeout: float = 600.0
) -> dict[str, Any]:
    """Median compile-inclusive time of the grown network's run, alternating interpreters.

    Parameters
    ----------
    repeats
        Measured pairs of processes per interpreter.
    baseline
        Interpreter of another snn checkout (its ``.venv/bin/python``), measured the same way.
    timeout
        Limit per process [s].

    Returns
    -------
    dict
        Per interpreter (``"snn"``, ``"snn baseline"``): the runs and the medians of
        ``run_wall_s`` and ``run_cpu_s``; the load average before and after.
    """
    pythons = {"snn": sys.executable, **({"snn baseline": baseline} if baseline else {})}
    result: dict[str, Any] = {"repeats": repeats, "loadavg_before": list(os.getloadavg())}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in pythons}
    for _ in range(repeats):
        for name, python in pythons.items():
            with tempfile.TemporaryDirectory(prefix="snn-grow-") as tmp:
                env = {**os.environ, "NUMBA_CACHE_DIR": f"{tmp}/numba", "SNN_CACHE_DIR": tmp}
                for mode in ("fill", "grow"):
                    *_, text = _one_run([python, "-c", _CHILD, mode], env, timeout, Path(tmp))
                runs[name].append(json.loads(text.strip().splitlines()[-1]))
    for name, found in runs.items():
        result[name] = {
            "runs": found,
            "median_run_wall_s": statistics.median(r["run_wall_s"] for r in found),
            "median_run_cpu_s": statistics.median(r["run_cpu_s"] for r in found),
        }
    result["loadavg_after"] = list(os.getloadavg())
    return result


def grow_report(result: dict[str, Any]) -> str:
    """Text summary of :func:`measure_grow`'s result."""
    lines = [
        f"snn-bench grow: COBA plus a LIFDelta population, its drive and a projection, kernels "
        f"cached; median of {result['repeats']}",
        f"  load average      {result['loadavg_before'][0]:.1f} before, "
        f"{result['loadavg_after'][0]:.1f} after",
    ]
    for name in ("snn", "snn baseline"):
        if name in result:
            r = result[name]
            compiled = ", ".join(
                f"{c['function']} {c['cpu_s']:.2f} s" for c in r["runs"][-1]["compiled"]
            )
            lines.append(
                f"  {name + ':':14s} grown run {r['median_run_wall_s']:.2f} s wall, "
                f"{r['median_run_cpu_s']:.2f} s CPU (compiled: {compiled or 'nothing'})"
            )
    return "\n".join(lines)
