"""Start-up latency: a whole ``snn-bench run`` process, with empty or with warm numba caches.

Each run is a new process (``python -m snn.bench run ...``), so imports, numba's start-up,
compilation and the interpreter's exit are all counted, as a user starting a script sees them.
"Fresh" runs point ``NUMBA_CACHE_DIR`` (the package kernels' machine code) and ``SNN_CACHE_DIR``
(generated modules) at new empty folders, as after ``pip install``; "cached" runs share folders
warmed by one unmeasured run. The user's own caches are never touched.

CPU time (user + system, of the process and its children, from ``wait4``) is reported beside the
wall time: on a machine loaded by other jobs the wall time of compilation grows with the load,
the CPU time much less.

Other contestants run in the same command, interleaved with snn's runs so that they see the same
load: another checkout's interpreter (``baseline``, e.g. ``main``'s, for before and after) and the
peer simulators (Brian2 standalone generates and compiles its C++ in a new folder every run, so
every Brian2 run is fresh; NEST's models are precompiled, so fresh and warm are the same).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from snn.bench.peers import parse_record, peer_command

__all__ = ["measure_startup"]


def _one_run(cmd: list[str], env: dict[str, str], timeout: float, tmp: Path) -> tuple:
    """Wall and CPU seconds (user + system, with children) and the standard output of a process.

    Both output streams go to files, so that a talkative process (a compiler) cannot block on a
    full pipe.
    """
    out_path, err_path = tmp / "stdout", tmp / "stderr"
    t0 = time.perf_counter()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                proc.wait()
                raise TimeoutError(f"{' '.join(cmd)} took more than {timeout} s")
            time.sleep(0.005)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4: Popen must not think it still runs
    if code != 0:
        tail = err_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime, out_path.read_text()


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the runs' times, and of each compiled function's."""
    result: dict[str, Any] = {
        f"median_{key}": statistics.median(r[key] for r in runs)
        for key in ("wall_s", "cpu_s", "build_s", "compile_s", "sim_s")
    }
    by_function: dict[str, list[tuple[float, float]]] = {}
    for r in runs:
        for c in r.get("compiled", []):
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


def measure_startup(
    model: str,
    *,
    duration: float = 1.0,
    scale: float = 1.0,
    repeats: int = 3,
    fresh: bool = True,
    timeout: float = 900.0,
    baseline: str | None = None,
    peers: Sequence[str] = (),
) -> dict[str, Any]:
    """Time ``repeats`` whole ``snn-bench run`` processes of ``model`` (and of the contestants).

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
    baseline
        Interpreter of another snn checkout (its ``.venv/bin/python``), timed the same way.
    peers
        Peer simulators (``"brian2"``, ``"nest"``) timed on the same model, each run a process.

    Returns
    -------
    dict
        Per run: ``wall_s``, ``cpu_s``, the run's ``build_s``, ``compile_s``, ``sim_s`` and its
        top-level compilations (``compiled``); the medians; the load average before and after;
        ``others``: the same for each contestant, by name.
    """
    runs: list[dict[str, Any]] = []
    others: dict[str, dict[str, Any]] = {}
    load0 = list(os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="snn-startup-") as tmp:
        base = Path(tmp)
        out = base / "run.json"
        args = ["-m", "snn.bench", "run", model, "--duration", repr(duration)]
        args += ["--scale", repr(scale), "--json", str(out)]
        snns = {"snn": [sys.executable, *args]}
        if baseline is not None:
            snns["snn baseline"] = [baseline, *args]
        peer_cmds = {p: peer_command(p, model, scale=scale, duration=duration) for p in peers}
        for name, cmd in peer_cmds.items():
            # the command without its bootstrap (which loads the peers folder stand-alone)
            others[name] = {"command": " ".join(cmd[:1] + cmd[4:]), "runs": []}

        def caches(name: str, r: int | str) -> dict[str, str]:
            # fresh: new empty folders for every run; warm: one pair per checkout
            folder = base / f"{name}-{r if fresh else 'warm'}"
            return {
                **os.environ,
                "NUMBA_CACHE_DIR": f"{folder}/numba",
                "SNN_CACHE_DIR": f"{folder}/snn",
            }

        for name, cmd in snns.items():
            if name != "snn":
                others[name] = {"command": " ".join(cmd[:-2]), "runs": []}
            if not fresh:
                _one_run(cmd, caches(name, "warm"), timeout, base)
        for r in range(repeats):
            for name, cmd in snns.items():
                wall, cpu, _ = _one_run(cmd, caches(name, r), timeout, base)
                rec = json.loads(out.read_text())
                run = {"wall_s": wall, "cpu_s": cpu}
                run.update({k: rec[k] for k in ("build_s", "compile_s", "sim_s")})
                run["compiled"] = rec.get("compiled", [])
                (runs if name == "snn" else others[name]["runs"]).append(run)
            for name, cmd in peer_cmds.items():
                wall, cpu, text = _one_run(cmd, dict(os.environ), timeout, base)
                rec = parse_record(text)
                run = {"wall_s": wall, "cpu_s": cpu, "version": rec["version"]}
                run.update({k: rec[k] for k in ("build_s", "compile_s", "sim_s")})
                others[name]["runs"].append(run)
    for other in others.values():
        other.update(_medians(other["runs"]))
    return {
        "model": model,
        "scale": scale,
        "bio_s": duration,
        "fresh": fresh,
        "repeats": repeats,
        "command": " ".join(snns["snn"][:-2]),
        "loadavg_before": load0,
        "loadavg_after": list(os.getloadavg()),
        "runs": runs,
        **_medians(runs),
        "others": others,
    }


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
    for name, other in result["others"].items():
        wall, cpu = other["median_wall_s"], other["median_cpu_s"]
        lines.append(
            f"  {name + ':':17s} {wall:.2f} s wall, {cpu:.2f} s CPU; snn/{name} "
            f"{result['median_wall_s'] / wall:.2f}x wall, {result['median_cpu_s'] / cpu:.2f}x CPU"
        )
    if result["median_compiled"]:
        lines.append("  compilations      wall [s]  CPU [s]")
        for c in result["median_compiled"]:
            lines.append(f"    {c['wall_s']:8.3f} {c['cpu_s']:8.3f}  {c['function']}")
    return "\n".join(lines)
