"""Start-up latency: a whole ``snn-bench run`` process, with empty or with warm numba caches.

Each run is a new process (``python -m snn.bench run ...``), so imports, numba's start-up,
compilation and the interpreter's exit are all counted, as a user starting a script sees them.
"Fresh" runs point ``NUMBA_CACHE_DIR`` (the package kernels' machine code) and ``SNN_CACHE_DIR``
(generated modules) at new empty folders, as after ``pip install``; "cached" runs share folders
warmed by one unmeasured run. The user's own caches are never touched.

CPU time (user + system, of the process and its children, from ``wait4``) is reported beside the
wall time: on a machine loaded by other jobs the wall time of compilation grows with the load,
the CPU time much less.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["measure_startup"]


def _one_run(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, with children) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            raise TimeoutError(f"{' '.join(cmd)} took more than {timeout} s")
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def measure_startup(
    model: str,
    *,
    duration: float = 1.0,
    scale: float = 1.0,
    repeats: int = 3,
    fresh: bool = True,
    timeout: float = 900.0,
) -> dict[str, Any]:
    """Time ``repeats`` whole ``snn-bench run`` processes of ``model``.

    Parameters
    ----------
    model
        Benchmark model name.
    duration
        Biological time of each run [s].
    scale
        Network size factor.
    repeats
        Measured runs.
    fresh
        Empty numba caches for every run (else caches warmed by one unmeasured run).
    timeout
        Limit per run [s].

    Returns
    -------
    dict
        Per run: ``wall_s``, ``cpu_s``, the run's ``build_s``, ``compile_s``, ``sim_s`` and its
        top-level compilations (``compiled``); the medians; the load average before and after.
    """
    runs: list[dict[str, Any]] = []
    load0 = list(os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="snn-startup-") as tmp:
        base = Path(tmp)
        out = base / "run.json"
        cmd = [
            sys.executable,
            "-m",
            "snn.bench",
            "run",
            model,
            "--duration",
            repr(duration),
            "--scale",
            repr(scale),
            "--json",
            str(out),
        ]
        env = dict(os.environ)
        if not fresh:
            env.update(NUMBA_CACHE_DIR=str(base / "numba"), SNN_CACHE_DIR=str(base / "snn"))
            _one_run(cmd, env, timeout)
        for r in range(repeats):
            if fresh:
                env.update(
                    NUMBA_CACHE_DIR=str(base / f"numba{r}"), SNN_CACHE_DIR=str(base / f"snn{r}")
                )
            wall, cpu = _one_run(cmd, env, timeout)
            rec = json.loads(out.read_text())
            runs.append(
                {
                    "wall_s": wall,
                    "cpu_s": cpu,
                    **{k: rec[k] for k in ("build_s", "compile_s", "sim_s")},
                    "compiled": rec["compiled"],
                }
            )
    result: dict[str, Any] = {
        "model": model,
        "scale": scale,
        "bio_s": duration,
        "fresh": fresh,
        "repeats": repeats,
        "command": " ".join(cmd[:-2]),
        "loadavg_before": load0,
        "loadavg_after": list(os.getloadavg()),
        "runs": runs,
    }
    for key in ("wall_s", "cpu_s", "build_s", "compile_s", "sim_s"):
        result[f"median_{key}"] = statistics.median(r[key] for r in runs)
    by_function: dict[str, list[tuple[float, float]]] = {}
    for r in runs:
        for c in r["compiled"]:
            by_function.setdefault(c["function"], []).append((c["wall_s"], c["cpu_s"]))
    result["median_compiled"] = [
        {
            "function": name,
            "wall_s": statistics.median(w for w, _ in values),
            "cpu_s": statistics.median(c for _, c in values),
            "runs": len(values),
        }
        for name, values in by_function.items()
    ]
    return result


def startup_report(result: dict[str, Any]) -> str:
    """Text summary of :func:`measure_startup`'s result."""
    kind = "fresh caches" if result["fresh"] else "warm caches"
    lines = [
        f"snn-bench startup {result['model']}: scale {result['scale']}, {result['bio_s']:g} s, "
        f"{kind}, median of {result['repeats']} processes",
        f"  load average      {result['loadavg_before'][0]:.1f} before, "
        f"{result['loadavg_after'][0]:.1f} after",
        f"  whole process     {result['median_wall_s']:.2f} s wall, "
        f"{result['median_cpu_s']:.2f} s CPU (user + system)",
        f"  in the run        build {result['median_build_s']:.3f} s, compile "
        f"{result['median_compile_s']:.3f} s, simulate {result['median_sim_s']:.3f} s (wall)",
    ]
    if result["median_compiled"]:
        lines.append("  compilations      wall [s]  CPU [s]")
        for c in result["median_compiled"]:
            lines.append(f"    {c['wall_s']:8.3f} {c['cpu_s']:8.3f}  {c['function']}")
    return "\n".join(lines)
