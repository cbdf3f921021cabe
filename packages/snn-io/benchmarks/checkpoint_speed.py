"""Checkpoint save and load time and file size of a benchmark network (after 100 ms).

    uv run --no-sync python packages/snn-io/benchmarks/checkpoint_speed.py brunel 1.0
    uv run --no-sync python packages/snn-io/benchmarks/checkpoint_speed.py stdp 1.0

Prints, for three save/load rounds, the wall times, the file size and bytes per synapse.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import snn.io
from snn.bench import _models


def main(name: str, scale: float) -> None:
    """Build, run 100 ms, then time three checkpoint rounds."""
    net = getattr(_models, f"build_{name}")(scale=scale).network
    t0 = time.perf_counter()
    net.run(0.1)
    print(f"{name} scale {scale}: run 100 ms {time.perf_counter() - t0:.2f} s")
    path = os.path.join(tempfile.mkdtemp(), f"{name}.h5")
    for _ in range(3):
        t0 = time.perf_counter()
        snn.io.save(net, path)
        t_save = time.perf_counter() - t0
        t0 = time.perf_counter()
        snn.io.load(path)
        t_load = time.perf_counter() - t0
        size = os.path.getsize(path)
        print(
            f"synapses {net.n_synapses:,}  save {t_save:.2f} s  load {t_load:.2f} s  "
            f"file {size / 2**20:.1f} MiB  {size / net.n_synapses:.2f} B/synapse"
        )
    os.remove(path)


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "brunel",
        float(sys.argv[2]) if len(sys.argv) > 2 else 1.0,
    )
