"""Build time of Brunel's connectivity through pyNN.snn against snn's own API, side by side.

    uv run --no-sync python packages/snn-io/benchmarks/pynn_build_speed.py [REPEATS]

Brunel (2000) at full size: 10,000 excitatory and 2,500 inhibitory neurons, four projections of
connection probability 0.1 (about 15.6 million synapses), one weight and one delay per
projection. Each repeat builds both ways in alternation, in this process, after a warm-up build
of each (numba's compilation is not counted): pyNN.snn with PyNN's ``FixedProbabilityConnector``
and snn with :class:`snn.synapses.PairwiseBernoulli`. Prints the median wall time of each and
their ratio, and the load average.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import pyNN.snn as sim

from snn.core import Network
from snn.core.units import ms, mV
from snn.neurons import LIFDelta
from snn.synapses import PairwiseBernoulli

NE, NI, P = 10_000, 2_500, 0.1


def build_pynn() -> int:
    """The network through pyNN.snn; returns its number of synapses."""
    sim.setup(timestep=0.1)
    cell = sim.IF_curr_delta(tau_m=20.0, v_thresh=20.0, v_reset=10.0, v_rest=0.0, tau_refrac=2.0)
    e = sim.Population(NE, cell)
    i = sim.Population(NI, cell)
    connector = sim.FixedProbabilityConnector(P)
    n = 0
    for pre, w, receptor in ((e, 0.1, "excitatory"), (i, -0.5, "inhibitory")):
        for post in (e, i):
            syn = sim.StaticSynapse(weight=w, delay=1.5)
            n += len(sim.Projection(pre, post, connector, syn, receptor_type=receptor))
    return n


def build_native() -> int:
    """The same network in snn's API; returns its number of synapses."""
    net = Network(dt=0.1 * ms)
    model = LIFDelta(tau_m=20 * ms, v_th=20 * mV, v_reset=10 * mV, e_l=0.0, t_ref=2 * ms)
    e = net.add_population(model, NE)
    i = net.add_population(model, NI)
    rule = PairwiseBernoulli(p=P)
    n = 0
    for pre, w in ((e, 0.1 * mV), (i, -0.5 * mV)):
        for post in (e, i):
            n += net.connect(pre, post, rule=rule, weight=w, delay=1.5 * ms).n_synapses
    return n


def timed(build) -> tuple[float, int]:
    """Wall time [s] of one build, and its number of synapses."""
    t0 = time.perf_counter()
    n = build()
    return time.perf_counter() - t0, n


def main(repeats: int) -> None:
    """Warm up, then alternate the two builds ``repeats`` times."""
    timed(build_pynn)
    timed(build_native)
    pynn, native = [], []
    for _ in range(repeats):
        t, n_pynn = timed(build_pynn)
        pynn.append(t)
        t, n_native = timed(build_native)
        native.append(t)
    a, b = statistics.median(pynn), statistics.median(native)
    print(f"load average {os.getloadavg()}")
    print(f"synapses: pyNN.snn {n_pynn:,}, snn {n_native:,}")
    print(f"pyNN.snn build: median {a:.3f} s of {[round(x, 3) for x in pynn]}")
    print(f"snn build:      median {b:.3f} s of {[round(x, 3) for x in native]}")
    print(f"ratio pyNN.snn / snn: {a / b:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
