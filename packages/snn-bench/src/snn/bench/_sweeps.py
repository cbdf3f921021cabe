"""``snn-bench sweep coba``: a value changed between runs, and a sweep on 1 and 2 processes.

Two measurements of the COBA benchmark network (:func:`snn.bench._models.build_coba`, 4000
neurons):

* **set and run again**: change the inhibitory weight (``Projection.set``) and run 0.1 s again,
  many times; the wall time is split into the Python of ``set``, the Python of ``run`` before
  the compiled loop is first called (its preparation), the loop itself, and the Python after.
  Each repeat also checks that nothing was compiled and that the connectivity arrays are the
  same objects.
* **sweep**: 64 points over the excitatory and inhibitory weights (8 x 8), ``duration`` of
  biological time each, with :func:`snn.core.sweep` three ways (:data:`MODES`): serially, on
  ``workers=`` processes started for each sweep, and on a process pool of the caller's own
  kept over both sweeps (``executor=``, as docs/sweeps.md shows). Each repeat runs in fresh
  processes (as a user's script would), alternating the three; within each, a first sweep
  (cold: numba's start-up, the forkserver's start, the workers' imports and loading of the
  compiled loop) and a second one (warm, as the next sweep of a notebook). Every point's
  ``net.run`` is timed (``run_s``), so the serial sweep can be compared with the sum of its
  single runs plus one compilation (measured in a fresh cache folder). The machine's busy
  cores are sampled from ``/proc/stat`` during each sweep: on a shared machine the second core
  may not be free.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from snn.bench._models import build_coba
from snn.bench._run import machine_info, versions
from snn.core import grid, sweep
from snn.core.units import nS

__all__ = ["cold_compile", "live_set_and_run", "main", "sweep_once"]

#: the sweep's grid: excitatory and inhibitory weights around COBA's 6 nS and 67 nS [S]
W_E = np.linspace(4.0, 8.0, 8) * nS
W_I = np.linspace(50.0, 85.0, 8) * nS
#: how the sweep runs: in the caller; ``workers=`` processes started for each sweep; a pool of
#: the caller's own, kept over the cold and the warm sweep
MODES = ("serial", "processes", "pool")


def busy_cores() -> tuple[float, float]:
    """``(busy, total)`` CPU jiffies of the whole machine so far (``/proc/stat``)."""
    with open("/proc/stat") as fh:
        fields = [float(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def cores_busy_since(before: tuple[float, float]) -> float:
    """Average number of busy cores of the machine since ``before`` (all processes)."""
    busy, total = busy_cores()
    span = total - before[1]
    return (busy - before[0]) / span * (os.cpu_count() or 1) if span > 0 else float("nan")


def build() -> tuple[Any, ...]:
    """COBA at full size on one thread: network, E->all and I->all projections, monitors."""
    model = build_coba(seed=1, threads=1)
    exc, inh = model.network.projections
    return model.network, exc, inh, model.monitors


def run(built: tuple[Any, ...], w_e: float, w_i: float, *, duration: float) -> dict[str, float]:
    """Set both weights, run ``duration``; the mean rate, and the wall and CPU time of the run.

    A run's CPU time over its wall time is the share of a core its process got: below 1 when
    other processes (or the other worker) competed for the cores.
    """
    net, exc, inh, monitors = built
    exc.set(weight=w_e)
    inh.set(weight=w_i)
    t0, c0 = time.perf_counter(), time.process_time()
    net.run(duration)
    run_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    rate = sum(m.n_spikes for m in monitors) / (net.n_neurons * duration)
    return {"rate_hz": rate, "run_s": run_s, "cpu_s": cpu_s}


def live_set_and_run(repeats: int = 30, duration: float = 0.1) -> dict[str, Any]:
    """Set the I->all weight and run ``duration`` again, ``repeats`` times: the breakdown."""
    net, _, inh, _ = build()
    net.run(duration)
    # COBA's rings count multiples of their one weight each; the first weight set off that
    # quantum turns the ring into floats and generates the loop once (decision 0025): done
    # here, before the measured repeats, as the first point of a sweep does
    inh.set(weight=59.5 * nS)
    net.run(duration)
    plan, indices = net._plan, inh._csr.indices
    compiled = net.timings["compile_s"]  # numba's compile time, as the network counts it
    advance = net._advance
    calls: list[float] = []

    def timed(*args: Any) -> int:
        calls.append(time.perf_counter())
        return advance(*args)

    net.__dict__["_advance"] = timed
    rows = []
    for k in range(repeats):
        weight = (60.0 + k % 10) * nS
        calls.clear()
        loop0 = net.timings.get("loop_s", 0.0)
        t0 = time.perf_counter()
        inh.set(weight=weight)
        t1 = time.perf_counter()
        net.run(duration)
        t2 = time.perf_counter()
        loop = net.timings["loop_s"] - loop0
        prep = calls[0] - t1
        rows.append(
            {
                "set_s": t1 - t0,
                "prepare_s": prep,
                "loop_s": loop,
                "after_s": t2 - t1 - prep - loop,
                "beyond_loop_s": (t2 - t0) - loop,
            }
        )
    del net.__dict__["_advance"]
    same = net._plan is plan and inh._csr.indices is indices
    return {
        "duration": duration,
        "repeats": repeats,
        "rows": rows,
        "medians": {k: statistics.median(r[k] for r in rows) for k in rows[0]},
        "compiled_s": net.timings["compile_s"] - compiled,
        "same_loop_and_connectivity": bool(same),
    }


def sweep_once(mode: str, *, duration: float, workers: int) -> dict[str, Any]:
    """Two sweeps of the 64 points in this (fresh) process: cold, then warm."""
    points = grid(w_e=W_E.tolist(), w_i=W_I.tolist())
    fn = functools.partial(run, duration=duration)
    out: dict[str, Any] = {"mode": mode, "points": len(points)}
    before = busy_cores()
    time.sleep(2.0)
    # the other processes' load, measured while this one sleeps
    out["others_busy_cores"] = cores_busy_since(before)
    # "pool": a pool of the caller's kept over both sweeps, made as docs/sweeps.md shows
    pool = None
    if mode == "pool":
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"))
    how: dict[str, Any] = (
        {"executor": pool} if pool else {"workers": 1 if mode == "serial" else workers}
    )
    with pool or contextlib.nullcontext():
        for which in ("cold", "warm"):
            before = busy_cores()
            t0 = time.perf_counter()
            table = sweep(build, fn, points, **how)
            wall = time.perf_counter() - t0
            out[which] = {
                "wall_s": wall,
                "sum_run_s": float(table["run_s"].sum()),
                "sum_cpu_s": float(table["cpu_s"].sum()),
                "sum_point_s": float(table.seconds.sum()),
                "busy_cores": cores_busy_since(before),
                "rates": table["rate_hz"].tolist(),
            }
    return out


def cold_compile() -> dict[str, float]:
    """Build and compile COBA with an empty cache folder (in a subprocess): one compilation."""
    code = (
        "import json, time; t = time.perf_counter(); from snn.bench._sweeps import build; "
        "net = build()[0]; net.compile(); "
        "print(json.dumps({'compile_s': net.timings['compile_s'], "
        "'wall_s': time.perf_counter() - t}))"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SNN_CACHE_DIR": tmp}
        res = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return json.loads(res.stdout.strip().splitlines()[-1])


def _once(mode: str, duration: float, workers: int) -> dict[str, Any]:
    code = (
        "import json, sys; from snn.bench._sweeps import sweep_once; "
        f"print(json.dumps(sweep_once({mode!r}, duration={duration!r}, workers={workers})))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(*, duration: float, workers: int, repeats: int, live_repeats: int) -> dict[str, Any]:
    """Both measurements; prints a summary and returns every figure."""
    load0 = os.getloadavg()
    live = live_set_and_run(live_repeats)
    m = live["medians"]
    print(
        f"snn-bench sweep coba: set the I weight and run {live['duration']} s again "
        f"({live['repeats']} repeats, medians)\n"
        f"  set {1e3 * m['set_s']:.2f} ms, run's preparation {1e3 * m['prepare_s']:.2f} ms, "
        f"loop {1e3 * m['loop_s']:.1f} ms, after the loop {1e3 * m['after_s']:.2f} ms\n"
        f"  beyond the loop: {1e3 * m['beyond_loop_s']:.2f} ms (goal <= 20 ms); compiled "
        f"{live['compiled_s']:.3f} s, same loop and connectivity: "
        f"{live['same_loop_and_connectivity']}"
    )
    compile_cold = cold_compile()
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    for r in range(repeats):
        for mode in MODES:
            runs[mode].append(_once(mode, duration, workers))
        print(f"  sweep repeat {r + 1}/{repeats} done", file=sys.stderr)
    med = {
        (mode, which, key): statistics.median(rec[which][key] for rec in recs)
        for mode, recs in runs.items()
        for which in ("cold", "warm")
        for key in ("wall_s", "sum_run_s", "sum_cpu_s", "busy_cores")
    }
    others = statistics.median(rec["others_busy_cores"] for recs in runs.values() for rec in recs)
    same = all(
        rec[w]["rates"] == runs["serial"][0]["cold"]["rates"]
        for recs in runs.values()
        for rec in recs
        for w in ("cold", "warm")
    )
    lines = [
        f"  sweep of 64 points (8 w_e x 8 w_i), {duration} s each, {repeats} alternating "
        f"repeats in fresh processes (medians); one cold compilation "
        f"{compile_cold['compile_s']:.2f} s",
    ]
    lines.append(f"  other processes kept {others:.2f} of {os.cpu_count()} cores busy (median)")
    labels = {
        "serial": "serial",
        "processes": f"workers={workers}",
        "pool": f"a kept pool of {workers}",
    }
    for which in ("cold", "warm"):
        ser = med[("serial", which, "wall_s")]
        parts = []
        for mode in MODES:
            wall, runs_s = med[(mode, which, "wall_s")], med[(mode, which, "sum_run_s")]
            share = med[(mode, which, "sum_cpu_s")] / runs_s
            parts.append(
                f"{labels[mode]} {wall:.2f} s ({ser / wall:.2f}x; runs {runs_s:.2f} s at "
                f"{share:.2f} of a core)"
            )
        lines.append(f"  {which}: " + ", ".join(parts))
    lines.append(
        f"  serial (cold) vs 64 single runs + one compilation: "
        f"{med[('serial', 'cold', 'wall_s')]:.2f} s vs "
        f"{med[('serial', 'cold', 'sum_run_s')] + compile_cold['compile_s']:.2f} s; "
        f"same rates everywhere: {same}"
    )
    print("\n".join(lines))
    return {
        "versions": versions(),
        "machine": machine_info(),
        "loadavg_before": load0,
        "loadavg_after": os.getloadavg(),
        "live": live,
        "cold_compile": compile_cold,
        "sweep": {"duration": duration, "workers": workers, "repeats": repeats, "runs": runs},
        "medians": {"/".join(k): v for k, v in med.items()},
        "same_rates": same,
        "others_busy_cores": others,
    }


def write(record: dict[str, Any], path: Path) -> None:
    """Write the figures as JSON."""
    path.write_text(json.dumps(record, indent=2) + "\n")
