"""Encoding speed: 10,000 samples of 64 channels, 100 ms each, dt = 0.1 ms (issue 7).

Run:  uv run python examples/bench_encoding.py [--json out.json]

Each encoder is timed once cold (numba compiles or loads its cached kernels) and then as the best
of three warm runs; the issue's target is the warm time of the rate (Poisson) encoder, under 1 s.
The samples are scikit-learn's 8x8 digits (pixels / 16) repeated to 10,000; the time series for
delta modulation are 10,000 x 64 channels of 100 values (a random walk, keyed draws).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numba
import numpy as np

from snn.core.random import Normal, derive_key
from snn.core.units import Hz, ms
from snn.encoders import (
    BernoulliEncoder,
    BurstEncoder,
    DeltaEncoder,
    LatencyEncoder,
    PoissonEncoder,
    PopulationEncoder,
    RankOrderEncoder,
    load_digits,
)

N_SAMPLES, PRESENTATION, DT = 10_000, 100 * ms, 0.1 * ms


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    digits = load_digits().data
    x = np.tile(digits, (N_SAMPLES // digits.shape[0] + 1, 1))[:N_SAMPLES]
    steps = Normal(mean=0.0, std=0.02).draw(N_SAMPLES * 99 * 64, key=derive_key(1, "bench walk"))
    walk = np.concatenate(
        [np.zeros((N_SAMPLES, 1, 64)), np.cumsum(steps.reshape(N_SAMPLES, 99, 64), axis=1)], axis=1
    )
    cases = [
        ("poisson (100 Hz max)", PoissonEncoder(max_rate=100 * Hz), x),
        ("bernoulli (p = 0.01 x)", BernoulliEncoder(gain=0.01), x),
        ("latency linear", LatencyEncoder(t_max=90 * ms), x),
        (
            "latency log",
            LatencyEncoder(t_max=90 * ms, method="log", threshold=0.05, tau=20 * ms),
            x,
        ),
        ("rank order", RankOrderEncoder(interval=1 * ms, threshold=0.0), x),
        ("burst (5 spikes)", BurstEncoder(max_spikes=5, t_min=2 * ms, t_max=20 * ms), x),
        ("population (10 per channel)", PopulationEncoder(n_neurons=10, max_rate=100 * Hz), x),
        ("delta (100-value series)", DeltaEncoder(threshold=0.05), walk),
    ]
    rows = []
    print(f"{N_SAMPLES} samples x 64 channels x {PRESENTATION / ms:g} ms, dt = {DT / ms:g} ms")
    print(f"{'encoder':30s} {'trains':>7s} {'spikes':>11s} {'cold [s]':>9s} {'warm [s]':>9s}")
    for name, enc, data in cases:

        def run(enc=enc, data=data):
            return enc.encode(data, PRESENTATION, dt=DT, seed=1)

        cold, trains = timed(run)
        warm = min(timed(run)[0] for _ in range(3))
        rows.append(
            {
                "encoder": name,
                "trains": trains.n,
                "spikes": trains.n_spikes,
                "cold_s": cold,
                "warm_s": warm,
            }
        )
        print(f"{name:30s} {trains.n:7d} {trains.n_spikes:11,d} {cold:9.3f} {warm:9.3f}")
    if args.json:
        meta = {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "numba": numba.__version__,
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
            "n_samples": N_SAMPLES,
            "channels": 64,
            "presentation_s": PRESENTATION,
            "dt_s": DT,
        }
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": rows}, f, indent=2)


if __name__ == "__main__":
    main()
