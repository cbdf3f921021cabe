"""Arrival-time delivery of static projections with per-synapse delays.

Such projections keep their rows ordered by delay (``CSR.order_by_delay``) and are delivered from
the source population's spike history into the current step's ring slot only
(``_delivery.arrival_deliver_block``). The reference is the ring-buffer delivery of the same
synapses: with weights that are multiples of 1/16 mV every sum is exact in float64 whatever the
order of the additions, so both deliveries must give bit-identical spikes and membrane potentials.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.connectivity import CSR, DelayRuns
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, SpikeSourceArray
from snn.synapses import Explicit, FixedIndegree

MODEL = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)


#: weights exact in binary (about 0.24 mV), so that every sum of inputs is exact: the ring-buffer
#: reference counts multiples of W / 2 (decision 0025) and arrival delivery adds floats, and the
#: two agree only where both are exact
W = 2.0**-12


def network(threads: int, ring: bool, parallel: bool | None = None) -> tuple[Network, list]:
    """Three populations, all-pairs projections with delays of 0.1-0.5 ms, exact weights."""
    net = Network(dt=0.1 * ms, seed=5, threads=threads, parallel=parallel)
    pops = [
        net.add_population(MODEL, 150 + 50 * k, name=f"P{k}", init={"v": 19 * mV}) for k in range(3)
    ]
    for k, post in enumerate(pops):
        for j, pre in enumerate(pops):
            proj = net.connect(
                pre,
                post,
                rule=FixedIndegree(indegree=40),
                weight=W if j < 2 else -3 * W,
                delay=Uniform(low=0.1 * ms, high=0.5 * ms),
            )
            assert proj._arrival
            if ring:
                # the same synapses, same storage order, delivered through the ring buffer
                proj._csr.delay = proj._csr.delays()
        net.add_drive(PoissonInput(rate=(12000 + 1000 * k) * Hz, weight=W / 2), post)
    mons = [net.record_spikes(p) for p in pops]
    return net, mons


def outcome(net: Network, mons: list) -> tuple:
    net.run(0.08)
    net.run(0.07)
    return [np.stack([m.steps, m.senders]) for m in mons], [p.get("v") for p in net.populations]


@pytest.mark.parametrize(("threads", "parallel"), [(1, None), (2, True)])
def test_arrival_delivery_equals_ring_delivery(threads, parallel):
    ref = outcome(*network(1, ring=True))
    got = outcome(*network(threads, ring=False, parallel=parallel))
    assert sum(s.shape[1] for s in ref[0]) > 1000  # the network is active
    for a, b in zip(ref[0] + ref[1], got[0] + got[1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_rows_ordered_by_delay_keep_every_synapse():
    rng = np.random.default_rng(3)
    n_pre, n_post = 40, 300
    counts = rng.integers(0, 60, n_pre)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    indices = np.concatenate([np.sort(rng.choice(n_post, c, replace=False)) for c in counts])
    indices = indices.astype(np.uint16)
    weight = rng.normal(size=indices.size)
    delay = rng.integers(3, 12, indices.size).astype(np.uint16)
    csr = CSR(indptr.copy(), indices.copy(), weight.copy(), delay.copy())
    csr.order_by_delay(3, 11, threads=2)
    assert isinstance(csr.delay, DelayRuns)
    assert (csr.min_delay(), csr.max_delay()) == (3, 11)
    rows = np.repeat(np.arange(n_pre), counts)
    before = sorted(zip(rows, indices, delay, weight, strict=True))
    after = sorted(zip(rows, csr.indices, csr.delays(), csr.weight, strict=True))
    assert before == after
    for r in range(n_pre):
        a, b = indptr[r], indptr[r + 1]
        d = csr.delays()[a:b].astype(np.int64)
        assert np.all(np.diff(d) >= 0)  # delays ascending along the row
        key = d * n_post + csr.indices[a:b]
        assert np.all(np.diff(key) > 0)  # targets ascending within each delay's run


def test_few_synapses_per_delay_value_stay_on_the_ring():
    net = Network(dt=0.1 * ms, seed=2)
    a = net.add_population(MODEL, 100)
    b = net.add_population(MODEL, 100)
    # 10 synapses per source over 40 delay values: runs of 0.25 synapses on average
    sparse = net.connect(
        a,
        b,
        rule=FixedIndegree(indegree=10),
        weight=0.1 * mV,
        delay=Uniform(low=0.1 * ms, high=4 * ms),
    )
    # 50 synapses per source over 5 delay values
    dense = net.connect(
        a,
        b,
        rule=FixedIndegree(indegree=50),
        weight=0.1 * mV,
        delay=Uniform(low=0.1 * ms, high=0.5 * ms),
    )
    assert not sparse._arrival and isinstance(sparse._csr.delay, np.ndarray)
    assert dense._arrival
    assert dense.delays().min() >= 0.1 * ms - 1e-12 and dense.delays().max() <= 0.5 * ms + 1e-12


def lif_input(events_before: bool) -> np.ndarray:
    """Potential of one target fed by a source spiking at 1.0 ms and at 3.0 ms.

    The projection is made at 2 ms (between runs), with delays of 0.5 and 1.5 ms.
    """
    net = Network(dt=0.1 * ms, seed=1)
    src = net.add_population(SpikeSourceArray(times=[1 * ms, 3 * ms], indices=[0, 0]), 1)
    # tau_m = 5 s: over these 6 ms the leak takes less than 0.12 % of any input
    model = LIFDelta(tau_m=5000 * ms, e_l=0.0, v_th=1e3 * mV, v_reset=0.0, t_ref=0.0)
    tgt = net.add_population(model, 1, init={"v": 0.0})
    mon = net.record_state(tgt, ["v"], interval=0.1 * ms)
    if events_before:
        net.run(2 * ms)
    net.connect(
        src,
        tgt,
        rule=Explicit(pre=[0, 0], post=[0, 0]),
        weight=np.array([1.0, 2.0]) * mV,
        delay=np.array([0.5, 1.5]) * ms,
    )
    net.run(6 * ms - net.t)
    return mon.record().values["v"][:, 0]


def test_projection_made_between_runs_delivers_only_later_spikes():
    late = lif_input(events_before=True)
    # the 1 ms spike was emitted before the projection existed: only the 3 ms spike arrives,
    # 1 mV at 3.5 ms and 2 mV at 4.5 ms (sample i is the potential at the end of step i, at
    # (i + 1) * 0.1 ms)
    end = (np.arange(late.size) + 1) * 0.1
    expected = np.where(end > 3.45, 1.0, 0.0) + np.where(end > 4.45, 2.0, 0.0)
    np.testing.assert_allclose(late / mV, expected, rtol=2e-3, atol=1e-12)
    early = lif_input(events_before=False)
    assert early[-1] / mV == pytest.approx(6.0, rel=2e-3)  # both spikes through both synapses


def test_history_grows_between_runs_without_losing_spikes_in_flight():
    def run(extra: bool) -> np.ndarray:
        net, mons = network(1, ring=False)
        net.run(0.05)
        if extra:
            a, c = net.populations[0], net.add_population(MODEL, 300, name="C")
            rows = a._arr_ids.shape[0]
            proj = net.connect(
                a,
                c,
                rule=FixedIndegree(indegree=200, multapses=True),
                weight=0.25 * mV,
                delay=Uniform(low=20 * ms, high=23 * ms),
            )
            assert proj._arrival
        net.run(0.05)
        if extra:
            assert net.populations[0]._arr_ids.shape[0] > rows  # the history grew
        return np.concatenate([np.stack([m.steps, m.senders]) for m in mons], axis=1)

    np.testing.assert_array_equal(run(False), run(True))
