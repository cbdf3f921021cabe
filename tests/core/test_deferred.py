"""Deferred postsynaptic updates (decision 0026): the same numbers as updates at arrival.

A projection whose weights are recorded runs ``on_post`` when a postsynaptic spike reaches the
synapse (``post_arrivals``); one whose weights are not recorded applies it at the synapse's next
presynaptic spike or when the engine settles (``snn.core._deferred``). Both read the source
traces at the arrival step through the same table, so weights and spikes must agree bit for bit,
whatever the run is split into, the threads, the delays or how often the targets' spike rings
fill up.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput
from snn.plasticity import Multiplicative, PairSTDP, TripletSTDP
from snn.synapses import FixedIndegree

DURATION = 0.3


def _network(
    *,
    threads: int = 1,
    record: bool = False,
    t_ref: float = 2 * ms,
    drive: float = 1.0,
    delay: object = 1.5 * ms,
    synapse: object = None,
    parallel: bool | None = None,
) -> tuple[Network, object, object]:
    """A small Brunel network (400 E, 100 I) with plastic E->E synapses, seed 3.

    ``drive`` scales the external Poisson rate (threshold rate times 2, as Brunel's model A);
    ``record``: the E->E weights are recorded, which makes the projection run ``on_post`` at
    arrival.
    """
    net = Network(dt=0.1 * ms, seed=3, threads=threads, parallel=parallel)
    neuron = LIFDelta(tau_m=20 * ms, e_l=0 * mV, v_th=20 * mV, v_reset=10 * mV, t_ref=t_ref)
    e = net.add_population(neuron, 400, name="E")
    i = net.add_population(neuron, 100, name="I")
    rule = synapse or PairSTDP(
        tau_plus=20 * ms, tau_minus=20 * ms, learning_rate=0.01, alpha=1.05, w_max=0.3 * mV
    )
    plastic = net.connect(
        e, e, rule=FixedIndegree(indegree=40), weight=0.1 * mV, delay=delay, synapse=rule
    )
    net.connect(i, e, rule=FixedIndegree(indegree=10), weight=-0.5 * mV, delay=1.5 * ms)
    net.connect(e, i, rule=FixedIndegree(indegree=40), weight=0.1 * mV, delay=1.5 * ms)
    net.connect(i, i, rule=FixedIndegree(indegree=10), weight=-0.5 * mV, delay=1.5 * ms)
    # nu_thr = theta / (J C_E tau_m) = 20 mV / (0.1 mV * 40 * 20 ms) = 250 Hz per input, times 2
    for post in (e, i):
        net.add_drive(PoissonInput(rate=drive * 2 * 250 * 40 * Hz, weight=0.1 * mV), post)
    spikes = net.record_spikes(e)
    if record:
        net.record_weights(plastic, synapses=np.arange(5), interval=1 * ms)
    return net, plastic, spikes


def _digest(plastic: object, spikes: object) -> tuple[str, str]:
    w = plastic.weights()
    t, ids = spikes.steps, spikes.indices
    return (
        hashlib.sha256(w.tobytes()).hexdigest(),
        hashlib.sha256(np.asarray(t).tobytes() + np.asarray(ids).tobytes()).hexdigest(),
    )


def _run(durations: tuple[float, ...] = (DURATION,), **kwargs: object) -> tuple[str, str]:
    net, plastic, spikes = _network(**kwargs)
    for d in durations:
        net.run(d)
    assert plastic._deferred is not kwargs.get("record", False)
    return _digest(plastic, spikes)


@pytest.fixture(scope="module")
def deferred() -> tuple[str, str]:
    return _run()


def test_deferred_equals_updates_at_arrival(deferred):
    assert _run(record=True) == deferred


def test_learning_happened():
    net, plastic, _ = _network()
    net.run(DURATION)
    w = plastic.weights()
    # weights started at 0.1 mV and moved (up and down) by the rule
    assert np.unique(w).size > 100
    assert w.min() >= 0.0 and w.max() <= 0.3 * mV


def test_runs_split_anywhere_give_the_same(deferred):
    assert _run((0.1, 0.0371, DURATION - 0.1371)) == deferred


def test_two_threads_give_the_same(deferred):
    assert _run(threads=2) == deferred


def test_callbacks_see_the_weights_of_updates_at_arrival():
    seen: dict[bool, list[bytes]] = {}
    for record in (False, True):
        net, plastic, _ = _network(record=record)
        seen[record] = []
        net.every(
            7 * ms, lambda net, p=plastic, out=seen[record]: out.append(p.weights().tobytes())
        )
        net.run(0.1)
    assert seen[False] == seen[True]
    assert len(seen[False]) == 14


@pytest.mark.parametrize("record", [False, True])
def test_targets_firing_every_few_steps_fill_their_rings(record):
    """No refractory period and a strong drive: targets fire far more often than their ring of
    recent spikes holds between two settles (``ring_size``), so the loop settles on its own."""
    net, plastic, spikes = _network(t_ref=0.0, drive=6.0, record=record)
    net.run(DURATION)
    if not record:
        size, room = _ring(plastic)
        # the flag was raised many times, and the rings wrapped
        assert np.median(plastic._pn) > max(size, 2 * room)
    result = _digest(plastic, spikes)
    other, p2, s2 = _network(t_ref=0.0, drive=6.0, record=not record)
    other.run(DURATION)
    assert _digest(p2, s2) == result


def _ring(plastic: object) -> tuple[int, int]:
    from snn.core._deferred import ring_size

    return ring_size(plastic._csr.max_delay(), plastic.network._slice_len())


def test_delays_per_synapse():
    delay = Uniform(low=1.0 * ms, high=3.0 * ms)
    assert _run(delay=delay) == _run(delay=delay, record=True)


def test_triplet_rule():
    rule = TripletSTDP()
    assert _run(synapse=rule) == _run(synapse=rule, record=True)


def test_store_and_restore_mid_way(deferred):
    net, plastic, spikes = _network()
    net.run(0.1)
    net.store("half")
    net.run(DURATION - 0.1)
    first = _digest(plastic, spikes)
    assert first == deferred
    net.restore("half")
    net.run(DURATION - 0.1)
    assert hashlib.sha256(plastic.weights().tobytes()).hexdigest() == deferred[0]


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    rule=st.sampled_from(["all_to_all", "nearest", "triplet", "multiplicative"]),
    delay_steps=st.integers(min_value=1, max_value=40),
    spread=st.booleans(),
    drive=st.floats(min_value=0.8, max_value=5.0),
    refractory=st.booleans(),
    threads=st.sampled_from([1, 2]),
    cuts=st.lists(st.integers(min_value=1, max_value=900), max_size=3),
)
def test_deferred_equals_at_arrival_for_any_network(
    rule, delay_steps, spread, drive, refractory, threads, cuts
):
    """Rules, delays (one or many per projection), rates up to a target firing every few steps,
    threads and splits of the run: deferred and at-arrival updates give the same bits."""
    synapse = {
        "all_to_all": PairSTDP(w_max=0.3 * mV),
        "nearest": PairSTDP(w_max=0.3 * mV, pairing="nearest"),
        "triplet": TripletSTDP(w_max=0.3 * mV),
        "multiplicative": PairSTDP(w_max=0.3 * mV, weight_dependence=Multiplicative()),
    }[rule]
    d = delay_steps * 0.1 * ms
    delay = Uniform(low=d, high=d + 2 * ms) if spread else d
    steps = [*sorted(set(cuts)), 1000]
    results = []
    for record in (False, True):
        net, plastic, spikes = _network(
            threads=threads,
            record=record,
            t_ref=2 * ms if refractory else 0.0,
            drive=drive,
            delay=delay,
            synapse=synapse,
        )
        done = 0
        for stop in steps:
            net.run((stop - done) * 0.1 * ms)
            done = stop
        assert plastic._deferred is not record
        results.append(_digest(plastic, spikes))
    assert results[0] == results[1]


# ----------------------------------------------------------------- when arrivals are settled
# A run leaves its arrivals pending; Python settles them when it reads or replaces what they
# change. Each case below does the same with an at-arrival twin (weights recorded) and must
# give the same bits.


def _twins(act: object, durations: tuple[float, ...] = (0.05, 0.05)) -> list[tuple[str, str]]:
    """Run both twins through ``durations`` with ``act(net, plastic)`` between runs."""
    results = []
    for record in (False, True):
        net, plastic, spikes = _network(record=record)
        for k, d in enumerate(durations):
            if k:
                act(net, plastic)
            net.run(d)
        results.append(_digest(plastic, spikes))
    return results


@pytest.fixture
def settles(monkeypatch):
    """How many times Python settled pending arrivals (``snn.core._deferred.settle`` calls)."""
    import snn.core._deferred as deferred

    count = [0]
    settle = deferred.settle

    def counted(net):
        count[0] += 1
        settle(net)

    monkeypatch.setattr(deferred, "settle", counted)
    return count


def test_short_runs_settle_nothing_until_the_synapses_are_read(settles, deferred):
    net, plastic, spikes = _network()
    net.every(5 * ms, lambda net, s=spikes: s.indices.size)  # a callback that reads spikes only
    for _ in range(30):
        net.run(DURATION / 30)
    assert settles[0] == 0
    assert net._unsettled
    assert _digest(plastic, spikes) == deferred
    assert settles[0] == 1
    plastic.weights()
    assert settles[0] == 1  # settled once, read as often as wanted


def test_a_parameter_set_between_runs_acts_after_the_pending_arrivals():
    first, second = _twins(lambda net, p: p.set(alpha=1.5, tau_minus=10 * ms))
    assert first == second


def test_weights_set_between_runs():
    first, second = _twins(lambda net, p: p.set(weight=0.2 * mV, pre=np.arange(100)))
    assert first == second


@pytest.mark.parametrize("weights", ["keep", "initial"])
def test_reset_between_runs(weights):
    first, second = _twins(lambda net, p: net.reset(weights=weights))
    assert first == second


def test_checkpoints_during_a_run(tmp_path):
    results = []
    for record in (False, True):
        net, plastic, spikes = _network(record=record)
        path = tmp_path / f"c{record}.h5"
        net.run(0.1, checkpoint_every=3 * ms, checkpoint_path=path)
        results.append(_digest(plastic, spikes))
    assert results[0] == results[1]


@pytest.mark.parametrize("record", [False, True])
def test_a_new_thread_count_between_runs_keeps_the_spike_history(record):
    """A population added between runs makes the work worth two threads: the targets' spike
    history is dealt out to the new blocks, so arrivals of spikes emitted before are kept."""
    results = []
    for parallel in (None, False):
        net, plastic, spikes = _network(threads=2, record=record, parallel=parallel)
        net.run(0.05)
        blocks = net._n_blocks
        net.add_population(LIFDelta(), 6000, name="X")
        net.run(0.05)
        assert (blocks, net._n_blocks) == ((1, 2) if parallel is None else (1, 1))
        results.append(_digest(plastic, spikes))
    assert results[0] == results[1]


def test_settling_interrupted_between_blocks_is_taken_up_again(monkeypatch):
    """Ctrl-C while the first read after a run settles (between two blocks' calls): the
    arrivals not yet applied stay pending, and the next read applies them."""
    net, plastic, spikes = _network(threads=2, parallel=True)
    net.run(0.1)
    settle = plastic._module.settle
    calls = []

    def interrupted(b, *args):
        calls.append(int(b))
        if len(calls) == 2:
            raise KeyboardInterrupt
        settle(b, *args)

    monkeypatch.setattr(plastic._module, "settle", interrupted)
    with pytest.raises(KeyboardInterrupt):
        plastic.weights()
    assert net._unsettled
    first = _digest(plastic, spikes)
    assert calls == [0, 1, 0, 1]  # block 0 again: its rows are passed over as done
    net.run(0.05)
    twin, p2, s2 = _network(threads=2, parallel=True, record=True)
    twin.run(0.1)
    assert _digest(p2, s2) == first
    twin.run(0.05)
    assert _digest(p2, s2) == _digest(plastic, spikes)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    ops=st.lists(
        st.sampled_from(["run", "short", "read", "set", "weights", "store", "restore", "reset"]),
        min_size=3,
        max_size=8,
    )
)
def test_any_sequence_of_runs_and_touches_matches_the_at_arrival_twin(ops):
    """Runs of any length interleaved with the ways Python touches the synapses between runs,
    applied alike to a deferred network and its at-arrival twin: the same bits at the end
    (compared once, so that arrivals stay pending from one operation to the next)."""
    twins = [_network(record=record) for record in (False, True)]
    stored = False
    for op in ops:
        for net, plastic, _ in twins:
            if op == "run":
                net.run(0.03)
            elif op == "short":
                net.run(0.0007)
            elif op == "read":
                plastic.weights()
            elif op == "set":
                plastic.set(alpha=float(np.random.default_rng(len(ops)).uniform(0.9, 1.3)))
            elif op == "weights":
                plastic.set(weight=0.15 * mV, post=np.arange(0, 400, 7))
            elif op == "store":
                net.store("s")
            elif op == "restore" and stored:
                net.restore("s")
            elif op == "reset":
                net.reset(weights="keep")
        stored = stored or op == "store"
    twins[0][0].run(0.01)
    twins[1][0].run(0.01)
    assert _digest(twins[0][1], twins[0][2]) == _digest(twins[1][1], twins[1][2])
