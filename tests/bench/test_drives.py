"""The drive-kernel benchmark: it runs the kernel it names, at the benchmark models' means."""

from __future__ import annotations

import numpy as np

from snn.bench._drives import POISSON_MEANS, drives_report, measure_drives
from snn.neurons import PoissonInput


def test_measure_drives_times_every_case():
    result = measure_drives(n=64, steps=4, repeats=2)
    rows = result["rows"]
    assert [r["case"] for r in rows][:-1] == list(POISSON_MEANS)
    assert [r["j_stride"] for r in rows] == [1, 1, 1, 1, 2]
    for row in rows:
        assert len(row["ns_per_draw_all"]) == 2 and row["ns_per_draw"] > 0
        assert row["ns_per_draw"] == float(np.median(row["ns_per_draw_all"]))
    assert "brunel" in drives_report(result)


def test_benchmark_means_are_the_models_rates():
    from snn.bench import build

    # Brunel's drive: C_E * nu_ext = 20 kHz at dt = 0.1 ms (BENCHMARK_MODELS.md)
    net = build("brunel", scale=0.02).network
    drive = net._drives[0].drive
    assert isinstance(drive, PoissonInput)
    # (eta * nu_thr * C_E is computed from theta / (J C_E tau_m): equal up to rounding)
    assert abs(drive.rate * net.dt - POISSON_MEANS["brunel"]) < 1e-12
