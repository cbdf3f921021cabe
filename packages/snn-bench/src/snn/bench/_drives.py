"""Drive kernels alone: nanoseconds per neuron and step of a drive's ``add`` kernel.

``snn-bench drives`` times :class:`~snn.neurons.PoissonInput` at the means per step of the
benchmark models (``rate * dt``): full Brunel 2.0 (``C_E * nu_ext = 20 kHz`` at 0.1 ms), the
Potjans-Diesmann microcircuit 1.2-2.32 (``K_ext`` of 1500-2900 inputs of 8 Hz at 0.1 ms; L4e
1.68). The steps run inside one compiled loop (no Python call per step) over a block of
12,500 neurons, the size of full Brunel, whose row stays in the L2 cache as in the network's
own loop. ``j_stride = 2`` is the layout of one of two MPI ranks (neurons dealt round-robin).
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from snn.bench._run import machine_info, versions
from snn.core.kernels import kernel
from snn.core.random import derive_key
from snn.neurons import PoissonInput

__all__ = ["POISSON_MEANS", "drive_kernel_ns", "drives_report", "measure_drives"]

#: means per step of the benchmark models' Poisson drives (module docstring)
POISSON_MEANS = {
    "brunel": 2.0,
    "microcircuit L23i (lowest)": 1.2,
    "microcircuit L4e": 1.68,
    "microcircuit L6e (highest)": 2.32,
}


@kernel
def _add_steps(add, row, t0, steps, j0, j_stride, k0, k1, args):  # pragma: no cover - compiled
    for t in range(t0, t0 + steps):
        add(row, t, j0, j_stride, k0, k1, *args)


def drive_kernel_ns(
    drive: Any,
    *,
    n: int = 12500,
    dt: float = 1e-4,
    steps: int = 800,
    repeats: int = 7,
    j_stride: int = 1,
) -> list[float]:
    """Time ``drive``'s add kernel: nanoseconds per neuron and step, one value per repeat.

    CPU time of the calling thread (the kernel runs in it), so that time slices lost to other
    processes on a shared machine do not count.

    Parameters
    ----------
    drive
        A :class:`~snn.core.Drive` (its ``add_function`` and ``arguments``).
    n
        Neurons of the block.
    dt
        Time step [s].
    steps
        Steps per repeat.
    repeats
        Timed repeats (after one untimed call that compiles).
    j_stride
        Stride of the neurons' global indices (an MPI rank's share: the number of ranks).
    """
    add = drive.add_function()
    args = tuple(drive.arguments(n, dt).values())
    k0, k1 = derive_key(1, "drive", 0)
    row = np.zeros(n)
    j0, js = np.int64(0), np.int64(j_stride)
    _add_steps(add, row, 0, 2, j0, js, k0, k1, args)
    out = []
    for r in range(repeats):
        start = time.thread_time()
        _add_steps(add, row, 2 + r * steps, steps, j0, js, k0, k1, args)
        out.append((time.thread_time() - start) / (n * steps) * 1e9)
    return out


def measure_drives(*, n: int = 12500, steps: int = 800, repeats: int = 7) -> dict[str, Any]:
    """PoissonInput's add kernel at the benchmark means (:data:`POISSON_MEANS`), medians [ns]."""
    rows = []
    cases = [(name, lam, 1) for name, lam in POISSON_MEANS.items()]
    cases.append(("brunel, 2 MPI ranks (stride 2)", POISSON_MEANS["brunel"], 2))
    load_before = os.getloadavg()
    for name, lam, stride in cases:
        drive = PoissonInput(rate=lam / 1e-4, weight=1.0)
        ns = drive_kernel_ns(drive, n=n, steps=steps, repeats=repeats, j_stride=stride)
        rows.append(
            {
                "case": name,
                "mean_per_step": lam,
                "j_stride": stride,
                "ns_per_draw": float(np.median(ns)),
                "ns_per_draw_all": ns,
            }
        )
    return {
        "kernel": "PoissonInput",
        "n": n,
        "steps": steps,
        "repeats": repeats,
        "rows": rows,
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "versions": versions(),
        "machine": machine_info(),
    }


def drives_report(result: dict[str, Any]) -> str:
    """Plain-text table of :func:`measure_drives`."""
    lines = [
        f"PoissonInput add kernel, {result['n']} neurons x {result['steps']} steps, median of "
        f"{result['repeats']}; load {result['loadavg_before'][0]:.1f} -> "
        f"{result['loadavg_after'][0]:.1f}"
    ]
    for row in result["rows"]:
        spread = ", ".join(f"{x:.2f}" for x in sorted(row["ns_per_draw_all"]))
        lines.append(
            f"  {row['case']:<32} mean {row['mean_per_step']:<5} {row['ns_per_draw']:.2f} ns "
            f"per draw ({spread})"
        )
    return "\n".join(lines)
