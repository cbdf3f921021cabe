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


@pytest.mark.parametrize("within_run", [False, True], ids=["between runs", "callback"])
def test_plastic_projection_goes_on_when_the_blocks_shrink(within_run):
    """A shorter delay that makes the loop go from 2 thread blocks to 1: the plastic traces are
    narrowed to one block as a writable copy, and the spikes equal those of a 1-block network
    given the same delays at the same time (found by review: a read-only view failed to
    compile)."""
    from snn.plasticity import PairSTDP

    def build(threads: int) -> tuple[Network, object, object]:
        net = Network(dt=0.1 * ms, seed=5, threads=threads)
        model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
        e = net.add_population(model, 3000)
        net.connect(e, e, rule=FixedIndegree(indegree=40), weight=0.1 * mV, delay=1.5 * ms,
                    synapse=PairSTDP(w_max=0.3 * mV))  # fmt: skip
        static = net.connect(e, e, rule=FixedIndegree(indegree=10), weight=0.01 * mV,
                             delay=1.5 * ms)  # fmt: skip
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), e)
        return net, static, net.record_spikes(e)

    runs = []
    for threads in (2, 1):
        net, static, mon = build(threads)

        def short(static=static) -> None:
            static.set(delay=np.where(np.arange(static.n_synapses) % 2, 0.1, 2.0) * ms)

        if within_run:
            net.every(10 * ms, lambda n, short=short: short() if n.step == 100 else None)
            net.run(30 * ms)
        else:
            net.run(10 * ms)
            blocks = net._n_blocks
            short()
            net.run(20 * ms)
            assert threads == 1 or (blocks == 2 and net._n_blocks == 1)
        runs.append((mon.steps, mon.indices))
    assert runs[0][0].size > 100
    assert all(np.array_equal(a, b) for a, b in zip(runs[0], runs[1], strict=True))


def test_profile_counts_across_a_change_of_blocks_within_a_run():
    """A callback that lengthens the shortest delay takes the loop from 1 thread block to 2
    within a run: the phase times count both parts, in seconds of this run (found by review:
    the new counters were subtracted from the old ones' baseline, 1e9 s)."""
    net = Network(dt=0.1 * ms, seed=5, threads=2)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 3000)
    net.connect(e, e, rule=FixedIndegree(indegree=40), weight=0.1 * mV, delay=1.5 * ms)
    st = net.connect(e, e, rule=FixedIndegree(indegree=10), weight=0.01 * mV, delay=0.1 * ms)
    net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), e)
    net.run(10 * ms, profile=True)
    assert net._n_blocks == 1
    before = dict(net.phase_times)

    def longer(n: Network) -> None:
        if n.step == 200:
            st.set(delay=np.where(np.arange(st.n_synapses) % 2, 2.0, 2.5) * ms)

    net.every(10 * ms, longer)
    net.run(20 * ms, profile=True)
    assert net._n_blocks == 2
    added = [net.phase_times[k] - before[k] for k in before]
    assert all(0 <= a < 5.0 for a in added) and sum(added) > 0
