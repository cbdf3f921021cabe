"""Network shapes whose compile time grew with their size (decision 0022).

    SNN_CACHE_DIR=$(mktemp -d) uv run python docs/decisions/0022_shapes.py SHAPE SIZE [--cold]

Builds a small network of SHAPE first in the same process (so that the kernels and unit kinds
it shares with the large one are compiled, unless --cold), then SHAPE at SIZE, and prints one
JSON line per network: build, first run (compilation) and second run, wall and CPU seconds, and
the functions compiled for the first run. Use a new, empty SNN_CACHE_DIR for every call.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np

from snn.core import Network
from snn.core.kernels import compile_log
from snn.core.units import Hz, ms, mV, nS, pA
from snn.neurons import (
    DCSource,
    Izhikevich,
    LIFCondExp,
    LIFExp,
    NoiseCurrent,
    PoissonInput,
    PoissonSource,
    SpikeSourceArray,
    StepCurrent,
)
from snn.synapses import AllToAll, FixedIndegree, PairwiseBernoulli

DUR = 0.05  # s per run (500 steps)


def drive(net, target, k=0):
    """A Poisson drive onto ``target`` (rate offset by ``k`` Hz)."""
    net.add_drive(PoissonInput(rate=(8000 + k) * Hz, weight=80 * pA, receptor="exc"), target)


# ---------------------------------------------------------------- shapes


def pops1(net, n):
    """``n`` LIFExp populations of 10, a drive each, a ring of projections."""
    pops = []
    for i in range(n):
        p = net.add_population(LIFExp(), 10, name=f"p{i}")
        drive(net, p, i)
        pops.append(p)
    for i in range(n):  # a ring of projections
        net.connect(
            pops[i],
            pops[(i + 1) % n],
            rule=FixedIndegree(indegree=3),
            weight=50 * pA,
            delay=1 * ms,
            receptor="exc",
        )
    net.record_spikes(pops[0])


def pops3(net, n):
    """``n`` populations of LIFExp, LIFCondExp and Izhikevich in turn, drives and a ring."""
    models = [lambda: LIFExp(), lambda: LIFCondExp(), lambda: Izhikevich()]
    pops = []
    for i in range(n):
        m = models[i % 3]()
        p = net.add_population(m, 10, name=f"p{i}")
        pops.append(p)
        if i % 3 == 0:
            drive(net, p, i)
        elif i % 3 == 1:
            net.add_drive(PoissonInput(rate=8000 * Hz, weight=1 * nS, receptor="exc"), p)
    for i in range(n):
        w = 50 * pA if i % 3 == 0 else (1 * nS if i % 3 == 1 else 1 * mV)
        net.connect(
            pops[(i - 1) % n],
            pops[i],
            rule=FixedIndegree(indegree=3),
            weight=w,
            delay=1 * ms,
            receptor="exc" if i % 3 != 2 else None,
        )
    net.record_spikes(pops[0])


def a2a(net, m):
    """``m`` populations, all-to-all projections between them (``m**2``)."""
    pops = [net.add_population(LIFExp(), 10, name=f"p{i}") for i in range(m)]
    for p in pops:
        drive(net, p)
    for i in range(m):
        for j in range(m):
            net.connect(
                pops[i],
                pops[j],
                rule=PairwiseBernoulli(p=0.2),
                weight=20 * pA,
                delay=(1 + (i + j) % 3) * ms,
                receptor="exc",
            )


def views(net, k):
    """``k`` projections between views of two populations."""
    a = net.add_population(LIFExp(), 10 * k, name="A")
    b = net.add_population(LIFExp(), 10 * k, name="B")
    drive(net, a)
    for i in range(k):
        net.connect(
            a[10 * i : 10 * i + 10],
            b[10 * ((i * 7) % k) : 10 * ((i * 7) % k) + 10],
            rule=AllToAll(),
            weight=30 * pA,
            delay=1 * ms,
            receptor="exc",
        )


def spikemons(net, k):
    """Spike monitors on ``k`` views of one population."""
    a = net.add_population(LIFExp(), 10 * k, name="A")
    drive(net, a)
    for i in range(k):
        net.record_spikes(a[10 * i : 10 * i + 10])


def statemons(net, k):
    """State monitors on ``k`` views of one population."""
    a = net.add_population(LIFExp(), 10 * k, name="A")
    drive(net, a)
    for i in range(k):
        net.record_state(a[10 * i : 10 * i + 10], "v", interval=1 * ms)


def ratemons(net, k):
    """Rate monitors on ``k`` views of one population."""
    a = net.add_population(LIFExp(), 10 * k, name="A")
    drive(net, a)
    for i in range(k):
        net.record_rate(a[10 * i : 10 * i + 10])


def mixmons(net, k):
    """``k`` populations with a spike, state or rate monitor, on it or a view, in turn."""
    pops = [net.add_population(LIFExp(), 10, name=f"p{i}") for i in range(k)]
    for i, p in enumerate(pops):
        drive(net, p)
        [net.record_spikes, lambda t: net.record_state(t, "v", interval=1 * ms), net.record_rate][
            i % 3
        ](p[0:5] if i % 2 else p)


def mixdrives(net, k):
    """``k`` drives of four kinds in turn on populations and views."""
    a = net.add_population(LIFExp(), 10 * k, name="A")
    others = [net.add_population(LIFExp(), 10, name=f"q{i}") for i in range(max(1, k // 4))]
    for i in range(k):
        tgt = a[10 * i : 10 * i + 10] if i % 2 == 0 else others[i // 4 % len(others)]
        kind = i % 4
        if kind == 0:
            d = PoissonInput(rate=(5000 + i) * Hz, weight=80 * pA, receptor="exc")
        elif kind == 1:
            d = DCSource(amplitude=(300 + i) * pA)
        elif kind == 2:
            d = StepCurrent(times=[0.01, 0.02, 0.03], amplitudes=[100 * pA, 400 * pA, 0.0])
        else:
            d = NoiseCurrent(mean=200 * pA, std=50 * pA)
        net.add_drive(d, tgt)


def sources(net, k):
    """``k`` spike-source populations projecting onto one population."""
    tgt = net.add_population(LIFExp(), 100, name="T")
    for i in range(k):
        if i % 2 == 0:
            times = (np.arange(40) + 1) * 2.5 * ms + 0.1 * ms * (i % 7)
            src = net.add_population(
                SpikeSourceArray(times=times, indices=np.arange(40) % 10), 10, name=f"s{i}"
            )
        else:
            src = net.add_population(PoissonSource(rate=20 * Hz), 10, name=f"s{i}")
        net.connect(
            src, tgt, rule=FixedIndegree(indegree=2), weight=100 * pA, delay=1 * ms, receptor="exc"
        )


def _chain(net, k, synapse, weight):
    """A chain of ``k`` projections with ``synapse`` between driven populations of 20."""
    pops = [net.add_population(LIFExp(), 20, name=f"p{i}") for i in range(k + 1)]
    for p in pops:
        drive(net, p)
    for i in range(k):
        net.connect(
            pops[i],
            pops[i + 1],
            rule=FixedIndegree(indegree=5),
            weight=weight,
            delay=1 * ms,
            receptor="exc",
            synapse=synapse,
        )


def stdp(net, k):
    """A chain of ``k`` PairSTDP projections between populations of 20."""
    from snn.plasticity import PairSTDP

    _chain(net, k, PairSTDP(w_max=200 * pA), 50 * pA)


def stp(net, k):
    """A chain of ``k`` TsodyksSynapse projections between populations of 20."""
    from snn.synapses import TsodyksSynapse

    _chain(net, k, TsodyksSynapse(), 50 * pA)


def eqparams(net, k):
    """One equation model with ``k`` parameters."""
    from snn.equations import neuron_model

    params = " + ".join(f"a{i}" for i in range(k))
    eqs = f"dv/dt = (-v + ({params}) * 0.001 * volt) / tau : volt\ntau : second\n" + "\n".join(
        f"a{i} : 1" for i in range(k)
    )
    Model = neuron_model(
        f"EqP{k}",
        eqs,
        threshold="v > 15*mV",
        reset="v = 0",
        on_spike={"exc": "v += w"},
        defaults={"tau": 0.01, **{f"a{i}": 0.5 for i in range(k)}},
    )
    p = net.add_population(Model(), 100, name="E")
    net.add_drive(PoissonInput(rate=8000 * Hz, weight=1 * mV, receptor="exc"), p)


def eqreceptors(net, k):
    """One equation model with ``k`` receptors, each with a drive."""
    from snn.equations import neuron_model

    gs = " + ".join(f"g{i}" for i in range(k))
    eqs = (
        f"dv/dt = (-v + ({gs}) * ohm * 1e6 * 0.0) / tau + (-v)/tau : volt\n"
        + "\n".join(f"dg{i}/dt = -g{i} / tau_s : amp" for i in range(k))
        + "\ntau : second\ntau_s : second"
    )
    eqs = (
        "dv/dt = (-v + R * ("
        + gs
        + ")) / tau : volt\n"
        + "\n".join(f"dg{i}/dt = -g{i} / tau_s : amp" for i in range(k))
        + "\ntau : second\ntau_s : second\nR : ohm"
    )
    Model = neuron_model(
        f"EqR{k}",
        eqs,
        threshold="v > 15*mV",
        reset="v = 0",
        on_spike={f"r{i}": f"g{i} += w" for i in range(k)},
        defaults={"tau": 0.01, "tau_s": 0.005, "R": 1e8},
    )
    p = net.add_population(Model(), 100, name="E")
    for i in range(k):
        net.add_drive(PoissonInput(rate=2000 * Hz, weight=50 * pA, receptor=f"r{i}"), p)


SHAPES = {
    f.__name__: f
    for f in (
        pops1,
        pops3,
        a2a,
        views,
        spikemons,
        statemons,
        ratemons,
        mixmons,
        mixdrives,
        sources,
        stdp,
        stp,
        eqparams,
        eqreceptors,
    )
}
WARM = {"a2a": 2, "eqparams": 2, "eqreceptors": 2}


def timed(fn):
    """Wall and CPU seconds of ``fn()`` and what it compiled."""
    w, c = time.perf_counter(), time.process_time()
    n0 = len(compile_log())
    fn()
    comp = compile_log()[n0:]
    return time.perf_counter() - w, time.process_time() - c, comp


def one(shape, size, label):
    """Build SHAPE at ``size``, run twice, print the figures as one JSON line."""
    net = Network(dt=0.1 * ms, seed=3)
    bw, bc, _ = timed(lambda: SHAPES[shape](net, size))
    r1w, r1c, comp = timed(lambda: net.run(DUR))
    r2w, r2c, _ = timed(lambda: net.run(DUR))
    ccpu = sum(c.cpu_s for c in comp)
    top = sorted(comp, key=lambda c: -c.cpu_s)[:4]
    out = dict(
        label=label,
        shape=shape,
        size=size,
        build_wall=bw,
        build_cpu=bc,
        run1_wall=r1w,
        run1_cpu=r1c,
        compile_cpu=ccpu,
        n_compiled=len(comp),
        run2_wall=r2w,
        run2_cpu=r2c,
        maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        top=[(round(c.cpu_s, 2), c.function) for c in top],
    )
    print(json.dumps(out), flush=True)


def mixproj(net, n):
    """``n`` LIFExp populations in a ring; projections with one weight, Normal weights in turn."""
    from snn.core.random import Normal

    pops = [net.add_population(LIFExp(), 10, name=f"p{i}") for i in range(n)]
    for i, p in enumerate(pops):
        drive(net, p, i)
    for i in range(n):
        w = 50 * pA if i % 2 == 0 else Normal(mean=50 * pA, std=5 * pA)
        net.connect(
            pops[i],
            pops[(i + 1) % n],
            rule=FixedIndegree(indegree=3),
            weight=w,
            delay=1 * ms,
            receptor="exc",
        )


SHAPES["mixproj"] = mixproj


if __name__ == "__main__":
    shape, size = sys.argv[1], int(sys.argv[2])
    if "--cold" not in sys.argv:
        one(shape, WARM.get(shape, 1), "warm")
    one(shape, size, "target")
