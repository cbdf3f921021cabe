"""Rings that count whole multiples of one weight (decision 0025).

Where every input into a receptor is a whole multiple of one weight, the ring holds integer
counts and the update reads ``count * q``: the sum is exact whatever the order. These tests
check which rings count, that the inputs are the exact products, that inputs in flight keep the
weight they were sent with when weights change, and that snapshots and files carry them.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import Network
from snn.core._quanta import ring_values
from snn.core.units import Hz, ms, mV
from snn.io import load, save
from snn.neurons import DCSource, LIFDelta, PoissonInput, SpikeSourceArray
from snn.plasticity import PairSTDP
from snn.synapses import AllToAll, FixedIndegree

J = 0.1 * mV
#: rest at 0 V and a far threshold: V stays exactly 0 until the first input, then is that input
FLAT = LIFDelta(tau_m=5.0, e_l=0.0, v_th=1.0, v_reset=0.0, t_ref=0.1 * ms)


def brunel_like(seed: int = 1, extra_weight: float | None = None, dtype: str = "float64"):
    """A small Brunel network (Brunel 2000 model A proportions); ``extra_weight``: one more
    projection from a silent source into E with that weight (it changes no input)."""
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype)
    neuron = LIFDelta(tau_m=20 * ms, e_l=0 * mV, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(neuron, 160, name="E")
    i = net.add_population(neuron, 40, name="I")
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=16), weight=J * 10, delay=1.5 * ms)
        net.connect(i, post, rule=FixedIndegree(indegree=4), weight=-5 * J * 10, delay=1.5 * ms)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=J), post)
    if extra_weight is not None:
        silent = net.add_population(SpikeSourceArray(times=[], indices=[]), 1, name="silent")
        net.connect(silent, e, rule=AllToAll(), weight=extra_weight, delay=1.5 * ms)
    return net, e, i


def test_rings_fed_by_one_weight_count_it():
    net, e, i = brunel_like()
    net.run(10 * ms)
    for pop in (e, i):
        assert pop.rings["syn"].dtype == np.int32
        # the smallest weight is the drive's J; the projections' are 10 J and -50 J
        assert pop._ring_q["syn"] == J


@pytest.mark.parametrize(
    "change",
    [
        "a weight that is no multiple",
        "a plastic projection",
        "a current drive",
        "float32",
    ],
)
def test_rings_that_cannot_count_hold_floats(change):
    if change == "a weight that is no multiple":
        net, e, _ = brunel_like(extra_weight=0.3 * J)
    elif change == "float32":
        net, e, _ = brunel_like(dtype="float32")
    else:
        net, e, _ = brunel_like()
        if change == "a plastic projection":
            net.connect(e, e, rule=FixedIndegree(indegree=2), weight=J, synapse=PairSTDP())
        else:
            net.add_drive(DCSource(amplitude=1e-12), e)
    net.run(1 * ms)
    ring = e.rings["syn"]
    if change == "a current drive":  # the current has its own ring; the spikes still count
        assert ring.dtype == np.int32 and e.rings["current"].dtype == np.float64
    else:
        assert ring.dtype.kind == "f" and e._ring_q["syn"] is None


def single_target(weights: list[float], second: float | None = None):
    """One flat neuron; one source per weight, all spiking at 1 ms (source 0 also at
    ``second``), each through its own projection of that weight, 5 ms of delay."""
    times, indices = [1 * ms] * len(weights), list(range(len(weights)))
    if second is not None:
        times, indices = [*times, second], [*indices, 0]
    net = Network(dt=0.1 * ms, seed=1)
    src = net.add_population(SpikeSourceArray(times=times, indices=indices), len(weights))
    target = net.add_population(FLAT, 1, init={"v": 0.0})
    projections = [
        net.connect(src[k : k + 1], target, rule=AllToAll(), weight=w, delay=5 * ms)
        for k, w in enumerate(weights)
    ]
    return net, target, projections


def in_flight(target) -> np.ndarray:
    """The inputs waiting in the target's ring, in volts, by arrival step."""
    rows = ring_values(target, "syn")[:, 0]
    return rows[rows != 0]


def test_inputs_are_one_exact_product():
    # 7 inputs of J and 3 of -5 J in one step: the neuron gets fl(-8 J), one rounding, where
    # adding the floats one by one rounds at every addition
    net, target, _ = single_target([J] * 7 + [-5 * J] * 3)
    net.run(2 * ms)
    assert target.rings["syn"].dtype == np.int32
    assert np.array_equal(in_flight(target), [-8 * J])
    while target.get("v")[0] == 0.0:
        net.run(net.dt)
    assert target.get("v")[0] == -8 * J


@pytest.mark.parametrize("new", [3 * J, 0.7 * J])
def test_inputs_in_flight_keep_the_weight_they_were_sent_with(new):
    # sources 0 and 1 spike at 1 ms, source 0 again at 2 ms; 5 ms of delay; source 0's weight
    # changes at 1.5 ms, while the first spikes are in flight: they arrive with J, the second
    # spike with the new weight. 0.7 J is no multiple of the other projection's weight (J): the
    # ring turns into floats and keeps the 2 J in flight
    net, target, (first, _) = single_target([J, J], second=2 * ms)
    net.run(1.5 * ms)
    assert np.array_equal(in_flight(target), [2 * J])
    first.set(weight=new)
    net.run(1 * ms)
    assert np.array_equal(np.sort(in_flight(target)), sorted([2 * J, new]))
    assert (target.rings["syn"].dtype == np.int32) == (new == 3 * J)


def test_counted_and_float_rings_give_the_same_spikes():
    # the silent projection's weight (0.3 J) makes E's ring hold floats and changes no input;
    # the spike trains are the same as with counts (sums of a few multiples of J land on the
    # same floats here: measured, not a law)
    runs = []
    for extra in (None, 0.3 * J):
        net, e, i = brunel_like(extra_weight=extra)
        mons = [net.record_spikes(p) for p in (e, i)]
        net.run(200 * ms)
        runs.append([(m.times.copy(), m.indices.copy()) for m in mons])
        assert (e.rings["syn"].dtype == np.int32) == (extra is None)
    for (t0, i0), (t1, i1) in zip(*runs, strict=True):
        assert t0.size > 500 and np.array_equal(t0, t1) and np.array_equal(i0, i1)


def test_restore_after_a_weight_that_broke_the_counts():
    # the weight set off the quantum turns E's ring into floats for good (a sweep over weights
    # generates the loop once); restore puts back the counted inputs in flight as floats, and
    # the run goes on as the uninterrupted one (float and counted sums agree here: measured)
    straight, e0, _ = brunel_like()
    m0 = straight.record_spikes(e0)
    straight.run(60 * ms)
    net, e, _ = brunel_like()
    mon = net.record_spikes(e)
    net.run(30 * ms)
    net.store()
    stored = ring_values(e, "syn").copy()
    ee = net.projections[0]
    ee.set(weight=0.73 * J)
    net.run(10 * ms)
    assert e.rings["syn"].dtype == np.float64
    net.restore()
    assert np.array_equal(e.rings["syn"], stored)
    compiled = net.timings["compile_s"]
    net.run(30 * ms)
    assert net.timings["compile_s"] == compiled  # no new loop: the float one is kept
    assert e.rings["syn"].dtype == np.float64
    assert np.array_equal(mon.times, m0.times) and np.array_equal(mon.indices, m0.indices)


def test_a_weight_set_off_the_quantum_within_a_run():
    # a callback sets E->E's weight to 0.73 (10 J) at 5 ms, within the run: the ring turns into
    # floats and the loop is generated again between two chunks; the spikes are those of the
    # same change made between two runs
    runs = []
    for within in (True, False):
        net, e, _ = brunel_like()
        mon = net.record_spikes(e)
        ee = net.projections[0]
        if within:
            net.every(5 * ms, lambda n, ee=ee: ee.set(weight=7.3 * J))
            net.run(20 * ms)
        else:
            net.run(5 * ms)
            ee.set(weight=7.3 * J)
            net.run(15 * ms)
        assert e.rings["syn"].dtype == np.float64
        runs.append((mon.times.copy(), mon.indices.copy()))
    assert runs[0][0].size > 100
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])


def test_files_hold_inputs_in_the_receptors_unit(tmp_path):
    net, e, _ = brunel_like()
    net.run(20 * ms)
    path = tmp_path / "net.snn"
    save(net, path)
    with h5py.File(path, "r") as f:
        stored = f["populations/p0/rings/syn"][...]
    assert stored.dtype == np.float64
    assert np.array_equal(stored, e.rings["syn"] * J) and np.any(stored != 0)
    again = load(path)
    assert again.populations[0].rings["syn"].dtype == np.int32
    assert np.array_equal(again.populations[0].rings["syn"], e.rings["syn"])
    # (a file holding inputs that are no whole multiples: tests/io/test_untrusted_files.py)


#: a weight exact in binary: sums of its multiples are exact in floats too, so counted and float
#: rings must agree bit for bit under any sequence of changes
W = 2.0**-12


def binary_net(counted: bool):
    net = Network(dt=0.1 * ms, seed=4)
    neuron = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=16 * W, v_reset=0.0, t_ref=1 * ms)
    e = net.add_population(neuron, 60, name="E")
    i = net.add_population(neuron, 15, name="I")
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=12), weight=W, delay=0.5 * ms)
        net.connect(i, post, rule=FixedIndegree(indegree=3), weight=-4 * W, delay=1 * ms)
        net.add_drive(PoissonInput(rate=30000 * Hz, weight=W / 2), post)
    if not counted:
        for pop in (e, i):
            pop._float_rings.add("syn")
    return net, [net.record_spikes(p) for p in (e, i)]


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, 3),  # which projection
            st.sampled_from([W, 2 * W, -3 * W, 1.5 * W, 0.0, W / 4, 3 * W]),
            st.integers(1, 40),  # steps of the next run
        ),
        min_size=1,
        max_size=5,
    )
)
def test_counted_rings_follow_any_weight_changes(changes):
    # the same network with counted and with float rings, the same weight changes between
    # runs (multiples of the quantum, other ones, zero, a weight below the quantum): the same
    # inputs in flight and potentials after every run, and the same spikes
    nets = [binary_net(counted) for counted in (True, False)]
    for q, weight, steps in changes:
        rings = []
        for net, _ in nets:
            if net.projections[q].synapse is None:
                sign = -1 if q % 2 else 1
                net.projections[q].set(weight=sign * abs(weight))
            net.run(steps * net.dt)
            rings.append([ring_values(p, "syn").copy() for p in net.populations])
            rings[-1] += [p.get("v") for p in net.populations]
        for a, b in zip(*rings, strict=True):
            np.testing.assert_array_equal(a, b)
    assert all(p.rings["syn"].dtype == np.float64 for p in nets[1][0].populations)
    for m0, m1 in zip(nets[0][1], nets[1][1], strict=True):
        assert np.array_equal(m0.times, m1.times) and np.array_equal(m0.indices, m1.indices)
