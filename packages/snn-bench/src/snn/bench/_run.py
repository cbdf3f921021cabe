"""Run one benchmark model and collect the figures that ``snn-bench`` reports."""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import sys
import time
from typing import Any

import numpy as np

from snn.bench._models import BenchModel, build
from snn.core import SpikeMonitor

__all__ = ["machine_info", "run_model", "spikes_sha256", "versions"]


def spikes_sha256(monitors: list[SpikeMonitor]) -> tuple[int, str]:
    """Number of spikes and SHA-256 of all ``(step, global id)`` pairs sorted by step then id.

    The pairs are hashed as little-endian int64, row by row, so two runs can be compared exactly
    (and the same hash computed from any other list of spikes).
    """
    steps = np.concatenate([m.steps for m in monitors]) if monitors else np.zeros(0, np.int64)
    ids = np.concatenate([m.senders for m in monitors]) if monitors else np.zeros(0, np.int64)
    order = np.lexsort((ids, steps))
    pairs = np.stack([steps[order], ids[order]], axis=1).astype("<i8")
    return int(pairs.shape[0]), hashlib.sha256(pairs.tobytes()).hexdigest()


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


def _synaptic_events(model: BenchModel) -> int:
    total = 0
    for proj in model.network.projections:
        mon = model.monitors.get(proj.pre.name)
        if mon is None:
            continue
        total += int(np.dot(mon.spike_counts(), proj.out_degrees()))
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
) -> tuple[dict[str, Any], BenchModel]:
    """Build, compile and run benchmark ``name``; return its figures and the model.

    Returns
    -------
    dict
        The JSON record (see ``snn-bench run --help``).
    BenchModel
        The network after the run, with its spike monitors.
    """
    machine = machine_info()
    wall0 = time.perf_counter()
    model = build(name, scale=scale, seed=seed, dtype=dtype)
    net = model.network
    net.compile()
    net.run(duration, progress=progress)
    wall = time.perf_counter() - wall0
    n_spikes, digest = spikes_sha256(list(model.monitors.values()))
    events = _synaptic_events(model)
    sim_s = net.timings["sim_s"]
    rates = {
        p: model.monitors[p].n_spikes / (pop.size * duration)
        for p, pop in model.populations.items()
    }
    record: dict[str, Any] = {
        "model": name,
        "scale": scale,
        "seed": seed,
        "threads": threads,
        "dtype": dtype,
        "n_neurons": net.n_neurons,
        "n_synapses": net.n_synapses,
        "bio_s": duration,
        "build_s": net.timings["build_s"],
        "compile_s": net.timings["compile_s"],
        "sim_s": sim_s,
        "wall_s": wall,
        "rtf": sim_s / duration,
        "synaptic_events": events,
        "events_per_s": events / sim_s if sim_s > 0 else 0.0,
        "rates_hz": rates,
        "n_spikes": n_spikes,
        "spikes_sha256": digest,
        "connectivity_bytes": sum(q.nbytes for q in net.projections),
        "bytes_per_synapse": (
            sum(q.nbytes for q in net.projections) / net.n_synapses if net.n_synapses else 0.0
        ),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "versions": versions(),
        "machine": machine,
        "command": " ".join(sys.argv),
    }
    record.update({f"info_{k}": v for k, v in model.info.items()})
    return record, model
