"""Speed of the two heavy plots: a raster of 10 million spikes, and the run summary of full Brunel.

Usage::

    uv run python packages/snn-viz/benchmarks/bench_viz.py [--json PATH] [--skip-brunel]

Targets (issue 8): raster of 1e7 spikes to PNG in under 3 s; the run summary of full Brunel
(scale 1, 1 s) in under 5 s. Times are wall clock, from the recordings in memory to the PNG on
disk (building and running the network, and drawing the synthetic spikes, are not counted).
Best of ``--repeats`` by wall clock; the process CPU time of that repeat is reported too (on a
shared machine it is the steadier figure). Prints a table and optionally writes JSON with
versions, machine, load average and sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import matplotlib
import numpy as np

from snn import viz
from snn.core import SpikeRecord


def synthetic_spikes(n_spikes: int, n_neurons: int, duration: float, seed: int) -> SpikeRecord:
    """Poisson-like spikes sorted by time, as a monitor records them."""
    rng = np.random.default_rng(seed)
    times = np.sort(rng.uniform(0.0, duration, n_spikes))
    senders = rng.integers(0, n_neurons, n_spikes)
    return SpikeRecord(times=times, senders=senders)


def time_raster(n_spikes: int, folder: Path, repeats: int) -> dict[str, float]:
    """Best-of-``repeats`` time of a two-population raster of ``n_spikes`` spikes to PNG."""
    n_e, n_i = 80_000, 20_000
    rec = synthetic_spikes(n_spikes, n_e + n_i, 10.0, seed=1)
    best = {"plot_s": np.inf, "save_s": np.inf, "total_s": np.inf, "cpu_s": np.inf}
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        ax = viz.raster(rec, groups={"E": (0, n_e), "I": (n_e, n_i)}, title="1e7 spikes")
        t1 = time.perf_counter()
        ax.figure.savefig(folder / "raster.png", dpi=150)
        t2 = time.perf_counter()
        c1 = time.process_time()
        if t2 - t0 < best["total_s"]:
            best = {"plot_s": t1 - t0, "save_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c1 - c0}
    return {"n_spikes": n_spikes, "n_neurons": n_e + n_i, **best}


def time_summary(folder: Path, repeats: int) -> dict[str, float]:
    """Run full Brunel for 1 s, then time its run summary figure (with E traces) to PNG."""
    from snn.bench._models import build

    model = build("brunel", scale=1.0, seed=1)
    net = model.network
    states = net.record_state(model.groups["E"], "v", neurons=[0, 1, 2])
    t0 = time.perf_counter()
    net.run(1.0)
    run_s = time.perf_counter() - t0
    n_spikes = sum(m.n_spikes for m in model.monitors)
    best = {"plot_s": np.inf, "save_s": np.inf, "total_s": np.inf, "cpu_s": np.inf}
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fig = viz.run_summary(model.monitors, groups=model.groups, states=states, title="brunel")
        t1 = time.perf_counter()
        fig.savefig(folder / "summary.png", dpi=150)
        t2 = time.perf_counter()
        c1 = time.process_time()
        if t2 - t0 < best["total_s"]:
            best = {"plot_s": t1 - t0, "save_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c1 - c0}
    return {"n_spikes": n_spikes, "n_neurons": net.n_neurons, "run_s": run_s, **best}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table and optionally write JSON."""
    parser = argparse.ArgumentParser(description="snn.viz speed benchmarks")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--repeats", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--spikes", type=int, default=10_000_000, help="raster size")
    parser.add_argument("--skip-brunel", action="store_true", help="only the raster")
    args = parser.parse_args(argv)
    result = {
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "matplotlib": matplotlib.__version__,
        },
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_1min": os.getloadavg()[0],
        },
        "dpi": 150,
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        r = time_raster(args.spikes, folder, args.repeats)
        result["raster"] = r
        print(
            f"raster  {r['n_spikes']:>11,} spikes  plot {r['plot_s']:.2f} s  save "
            f"{r['save_s']:.2f} s  total {r['total_s']:.2f} s  (cpu {r['cpu_s']:.2f} s; "
            "target < 3 s)"
        )
        if not args.skip_brunel:
            s = time_summary(folder, args.repeats)
            result["run_summary"] = s
            print(
                f"summary {s['n_spikes']:>11,} spikes  plot {s['plot_s']:.2f} s  save "
                f"{s['save_s']:.2f} s  total {s['total_s']:.2f} s  (cpu {s['cpu_s']:.2f} s; "
                f"target < 5 s; full Brunel 1 s, run {s['run_s']:.1f} s not counted)"
            )
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
