"""Threads: spikes and final state are bit-identical for any number of threads (blocks)."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.random import Normal
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, SpikeSourceArray
from snn.synapses import FixedIndegree, PairwiseBernoulli


def brunel(threads: int, parallel: bool | None) -> tuple[Network, list]:
    net = Network(dt=0.1 * ms, seed=21, threads=threads, parallel=parallel)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 803, name="E", init={"v": Normal(mean=5 * mV, std=4 * mV)})
    i = net.add_population(model, 197, name="I")
    src = net.add_population(
        SpikeSourceArray(times=np.arange(1, 200) * 1 * ms, indices=np.arange(199) % 5), 5
    )
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=80), weight=0.1 * mV, delay=1.5 * ms)
        net.connect(
            i,
            post,
            rule=FixedIndegree(indegree=20),
            weight=-0.5 * mV,
            delay=Normal(mean=2 * ms, std=0.3 * ms) if post is i else 1.5 * ms,
        )
        net.connect(src, post, rule=PairwiseBernoulli(p=0.3), weight=0.3 * mV, delay=2 * ms)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), post)
    mons = [net.record_spikes(p) for p in (e, i)]
    net.record_state(e, "v", neurons=[0, 400, 802], interval=1 * ms)
    return net, mons


# the parallel loop is forced (this network is below the size where it is chosen by itself), with
# as many blocks as this machine's cores and with more: 3 and 5 blocks on 2 cores
@pytest.mark.parametrize("threads", [2, 3, 5])
def test_threads_bit_identical_to_serial(threads):
    ref, ref_mons = brunel(1, None)
    net, mons = brunel(threads, True)
    ref.run(0.3)
    net.run(0.15)
    net.run(0.15)
    assert not ref.parallel
    assert net.parallel and net._n_blocks == threads
    assert "numba.prange" in net._plan.source
    for a, b in zip(ref_mons, mons, strict=True):
        assert a.n_spikes > 500
        assert np.array_equal(a.steps, b.steps) and np.array_equal(a.senders, b.senders)
    for pa, pb in zip(ref.populations, net.populations, strict=True):
        for name in pa.state:
            assert np.array_equal(pa.state[name], pb.state[name])
    sa = ref._monitors[-1].record().values["v"]
    sb = net._monitors[-1].record().values["v"]
    assert np.array_equal(sa, sb)


def test_large_networks_go_parallel_by_themselves():
    # a slice of 15 steps (1.5 ms delay) over 3,000 neurons holds 45,000 neuron updates, above
    # the 20,000 per thread at which Network chooses the parallel loop
    net = Network(dt=0.1 * ms, threads=2)
    a = net.add_population(LIFDelta(), 3000)
    net.connect(a, a, rule=FixedIndegree(indegree=10), weight=0.1 * mV, delay=1.5 * ms)
    assert net.parallel and net._n_blocks == 2


def test_small_or_one_step_networks_stay_serial():
    net = Network(dt=0.1 * ms, threads=2)
    a = net.add_population(LIFDelta(), 4000)
    net.connect(a, a, rule=PairwiseBernoulli(p=0.01), weight=0.1 * mV)  # one-step delay
    assert not net.parallel
