"""How long it takes to spread a sweep over worker processes, per engine (decision 0014).

Each engine runs two sweeps of 8 points (a 500-neuron Brunel network, 0.2 s each) on 2 workers in
a fresh process: the first pays the workers' start, the second shows what a later sweep of the
same session costs. Engines: serial, ProcessPoolExecutor with spawn, snn's default (a forkserver
that has imported snn and started numba), joblib's loky reusable executor.

Run:  uv run python packages/snn-bench/benchmarks/sweep_engines.py [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from snn.core import Network, grid, sweep
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput
from snn.synapses import FixedIndegree

ENGINES = ("serial", "spawn", "forkserver", "loky")


def build():
    """A small Brunel network (500 neurons) with what ``run`` sets and reads."""
    net = Network(dt=0.1 * ms, seed=1)
    neuron = LIFDelta(tau_m=20 * ms, e_l=0 * mV, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    exc = net.add_population(neuron, 400, name="E")
    inh = net.add_population(neuron, 100, name="I")
    inhibitory, drives = [], []
    for post in (exc, inh):
        net.connect(exc, post, rule=FixedIndegree(indegree=40), weight=0.5 * mV, delay=1.5 * ms)
        inhibitory.append(
            net.connect(
                inh, post, rule=FixedIndegree(indegree=10), weight=-2.5 * mV, delay=1.5 * ms
            )
        )
        drives.append(net.add_drive(PoissonInput(rate=4000 * Hz, weight=0.5 * mV), post))
    return net, inhibitory, drives, net.record_spikes(exc)


def run(built, g, eta):
    """One point: relative inhibition ``g``, drive ``eta``; the E rate [Hz]."""
    net, inhibitory, drives, spikes = built
    for proj in inhibitory:
        proj.set(weight=-g * 0.5 * mV)
    for drive in drives:
        drive.set(rate=eta * 2000 * Hz)
    net.run(0.2)
    return {"rate": spikes.n_spikes / (400 * 0.2)}


def one_engine(engine: str) -> dict:
    """Wall time of two sweeps in this process with ``engine`` [s]."""
    points = grid(g=[3.0, 4.0, 5.0, 6.0], eta=[1.0, 2.0])
    out: dict = {"engine": engine}
    for which in ("first", "second"):
        t0 = time.perf_counter()
        if engine == "serial":
            sweep(build, run, points)
        elif engine == "forkserver":
            sweep(build, run, points, workers=2)
        elif engine == "spawn":
            with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as ex:
                sweep(build, run, points, executor=ex)
        else:
            from joblib.externals.loky import get_reusable_executor

            sweep(build, run, points, executor=get_reusable_executor(max_workers=2))
        out[which] = time.perf_counter() - t0
    return out


def main() -> None:
    """Each engine in a fresh process, ``--repeats`` times, alternating."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--engine", choices=ENGINES, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine is not None:
        print(json.dumps(one_engine(args.engine)))
        return
    print(f"load before: {os.getloadavg()}")
    for _ in range(args.repeats):
        for engine in ENGINES:
            res = subprocess.run(
                [sys.executable, __file__, "--engine", engine],
                capture_output=True,
                text=True,
                check=True,
            )
            rec = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"{engine:10s} first sweep {rec['first']:6.2f} s, second {rec['second']:6.2f} s")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
