"""Run one benchmark model and collect the figures that ``snn-bench`` reports."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import platform
import resource
import sys
import time
from typing import Any

import numpy as np

from snn.bench._models import BenchModel, build
from snn.core import Population
from snn.core.kernels import compile_log

__all__ = ["machine_info", "run_model", "spikes_sha256", "versions"]


def spikes_sha256(steps: np.ndarray, senders: np.ndarray) -> str:
    """SHA-256 of the ``(step, global id)`` pairs sorted by step then id.

    The pairs are hashed as little-endian int64, row by row, so two runs can be compared exactly
    (and the same hash computed from any other list of spikes).
    """
    order = np.lexsort((senders, steps))
    pairs = np.stack([steps[order], senders[order]], axis=1).astype("<i8")
    return hashlib.sha256(pairs.tobytes()).hexdigest()


def versions() -> dict[str, str]:
    """Versions of snn and of the libraries that decide its speed."""
    import llvmlite
    import numba

    from snn.core import __version__

    return {
        "snn": __version__,
        "numba": numba.__version__,
        "llvmlite": llvmlite.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def machine_info() -> dict[str, Any]:
    """What the run happened on, including the load of other processes at the start."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = list(os.getloadavg())
    except OSError:
        load = []
    return {"cpu": cpu, "cores": os.cpu_count(), "loadavg_1_5_15": load, "os": platform.system()}


def _all_spikes(model: BenchModel) -> tuple[np.ndarray, np.ndarray] | None:
    """Spike steps and global ids of the whole network (on rank 0 under MPI; None elsewhere)."""
    records = [m.gather() for m in model.monitors]
    if any(r is None for r in records):
        return None
    dt = model.network.dt
    steps = np.concatenate([np.rint(r.times / dt).astype(np.int64) for r in records])
    senders = np.concatenate([r.senders for r in records])
    return steps, senders


def _synaptic_events(model: BenchModel, senders: np.ndarray | None) -> int:
    """Spikes times out-degree, summed over this process's synapses.

    ``senders`` are the global ids of all spikes (on rank 0; broadcast to every rank here, since
    a rank's synapses come from sources on all ranks).
    """
    net = model.network
    if net.comm.active:
        senders = net.comm.bcast(senders)
    assert senders is not None
    counts = np.bincount(senders, minlength=net.n_neurons)
    total = 0
    for proj in net.projections:
        first = proj.pre.first_id
        total += int(np.dot(counts[first : first + proj.pre.size], proj.out_degrees()))
    return total


def run_model(
    name: str,
    *,
    duration: float = 1.0,
    scale: float = 1.0,
    seed: int = 1,
    threads: int = 1,
    dtype: str = "float64",
    progress: bool = False,
    profile: bool = False,
    traces: int = 0,
    equations: bool = False,
) -> tuple[dict[str, Any] | None, BenchModel]:
    """Build, compile and run benchmark ``name``; return its figures and the model.

    With ``equations`` the neurons are written as equations (:func:`snn.bench.build`); the
    record then holds ``equations_s``, the seconds spent reading and analysing them (none when
    the analysis comes from snn's cache), also counted in ``compile_s``.

    Under MPI every rank calls it; the figures describe the whole network and are returned on
    rank 0 only (None elsewhere), with the per-rank figures under ``"ranks"``.

    ``traces`` neurons of the first group have their membrane potential recorded every step
    (``model.traces``), for the run summary plot.

    Returns
    -------
    dict or None
        The JSON record (see ``snn-bench run --help``).
    BenchModel
        The network after the run, with its spike monitors.
    """
    machine = machine_info()
    wall0 = time.perf_counter()
    model = build(name, scale=scale, seed=seed, dtype=dtype, threads=threads, equations=equations)
    net = model.network
    if traces:
        # the membrane potential of the first ``traces`` neurons of the first group, every step
        first = next(iter(model.groups.values()))
        view = not isinstance(first, Population)
        pop, start = (first.population, first.start) if view else (first, 0)
        idx = range(start, start + min(traces, first.size))
        model.traces = net.record_state(pop, ["v"], neurons=idx, interval=net.dt)
    net.compile()
    if model.transient > 0:
        net.run(model.transient)
        for m in model.monitors:
            m.clear()
    sim0, loop0 = net.timings["sim_s"], net.timings.get("loop_s", 0.0)
    cpu0 = time.process_time()
    net.run(duration, progress=progress, profile=profile)
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    comm = net.comm
    spikes = _all_spikes(model)
    events = _synaptic_events(model, None if spikes is None else spikes[1])
    extra = model.readout() if model.readout is not None else {}  # collective under MPI
    mine = {
        "rank": net.rank,
        "n_synapses": net.n_synapses,
        "build_s": net.timings["build_s"],
        "compile_s": net.timings["compile_s"],
        "sim_s": net.timings["sim_s"] - sim0,
        "sim_cpu_s": cpu,
        "compiled": [dataclasses.asdict(c) for c in compile_log()],
        "loop_s": net.timings.get("loop_s", 0.0) - loop0,
        "synaptic_events": events,
        "connectivity_bytes": sum(q.nbytes for q in net.projections),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "parallel": net.parallel,
        "phases": dict(net.phase_times) if profile else {},
    }
    ranks = comm.comm.gather(mine, root=0) if comm.active else [mine]
    if ranks is None or spikes is None:
        return None, model
    steps, senders = spikes
    n_synapses = sum(r["n_synapses"] for r in ranks)
    events = sum(r["synaptic_events"] for r in ranks)
    conn_bytes = sum(r["connectivity_bytes"] for r in ranks)
    sim_s = max(r["sim_s"] for r in ranks)
    rates = {}
    for g, group in model.groups.items():
        inside = (senders >= group.first_id) & (senders < group.first_id + group.size)
        rates[g] = int(inside.sum()) / (group.size * duration)
    record: dict[str, Any] = {
        "model": name,
        "scale": scale,
        "seed": seed,
        "threads": threads,
        "ranks": len(ranks),
        "dtype": dtype,
        "n_neurons": net.n_neurons,
        "n_synapses": n_synapses,
        "bio_s": duration,
        "transient_s": model.transient,
        "build_s": max(r["build_s"] for r in ranks),
        "compile_s": max(r["compile_s"] for r in ranks) + model.info.get("equations_s", 0.0),
        "equations": equations,
        "sim_s": sim_s,
        # CPU time of the run: what Brian2's loop timer measures without OpenMP, and what other
        # processes on a loaded machine do not inflate
        "sim_cpu_s": max(r["sim_cpu_s"] for r in ranks),
        "compiled": ranks[0]["compiled"],
        "python_overhead_s": sim_s - max(r["loop_s"] for r in ranks),
        "wall_s": wall,
        "rtf": sim_s / duration,
        "synaptic_events": events,
        "events_per_s": events / sim_s if sim_s > 0 else 0.0,
        "rates_hz": rates,
        "n_spikes": int(steps.shape[0]),
        "spikes_sha256": spikes_sha256(steps, senders),
        "connectivity_bytes": conn_bytes,
        "bytes_per_synapse": conn_bytes / n_synapses if n_synapses else 0.0,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in ranks),
        "parallel": ranks[0]["parallel"],
        "slice_steps": net._slice_len(),
        "phases": ranks[0]["phases"],
        "per_rank": ranks,
        "versions": versions(),
        "machine": machine,
        "command": " ".join(sys.argv),
    }
    record.update({f"info_{k}": v for k, v in model.info.items()})
    record.update(extra)
    return record, model
