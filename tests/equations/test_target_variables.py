"""The spike rules of a synapse read the target neuron's variables (``v_post``).

Voltage-based plasticity (Clopath et al. 2010, Brian2's ``Clopath_et_al_2010_*`` examples) reads
the membrane potential and its low-pass filters of the postsynaptic neuron in ``on_pre`` and
``on_post``. snn gives them the value at the synapse's time (NEST's convention, as for target
traces): ``on_pre`` of a spike at time ``t`` through a synapse of delay ``d`` sees the value a
state monitor shows at ``t - d`` (the initial value before the first step), ``on_post`` the value
at the postsynaptic spike's own time.

The expected weights below are sums of recorded values, so they hold to round-off of the sum
(1e-12 relative).
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, mV, pA
from snn.equations import EquationError, neuron_model, synapse_model
from snn.neurons import LIFDelta, PoissonSource, SpikeSourceArray
from snn.synapses import AllToAll, FixedIndegree

DT = 0.1 * ms

#: a current-driven LIF neuron with a low-pass filter ``u`` of its potential (Clopath's
#: ``v_lowpass``), which the reset raises by 2 mV
Filtered = neuron_model(
    "Filtered",
    """
    dv/dt = (-v + R * I) / tau : volt
    du/dt = (v - u) / tau_u : volt
    I : amp
    R : ohm
    tau : second
    tau_u : second
    vt : volt
    """,
    threshold="v > vt",
    reset="v = 0 * volt; u += 2 * mV",
    method="exact",
    on_spike={"syn": "v += w"},
)

#: the weight adds up ``v_post`` at each presynaptic spike and 1000 ``u_post`` at each
#: postsynaptic one, sending nothing that changes the target
Summing = synapse_model(
    "Summing",
    "w : volt",
    on_pre="syn += 0 * w\nw = w + v_post",
    on_post="w = w + 1000 * u_post",
)

PRE_TIMES = [0.1 * ms, 1.2 * ms, 5.0 * ms, 8.3 * ms, 30.1 * ms]


def summing_network(delay: float = 0.3 * ms):
    net = Network(dt=DT, seed=1)
    post = net.add_population(
        Filtered(I=200 * pA, R=100e6, tau=10 * ms, tau_u=5 * ms, vt=15 * mV),
        1,
        init={"v": 1 * mV, "u": -3 * mV},
        name="post",
    )
    pre = net.add_population(SpikeSourceArray(times=PRE_TIMES, indices=[0] * 5), 1, name="pre")
    q = net.connect(pre, post, rule=AllToAll(), weight=0.0, delay=delay, synapse=Summing())
    return net, post, q


def expected_sum(state, spikes, delay: float) -> float:
    """What the rules add up, from a state monitor's and a spike monitor's records."""
    rec = state.record()
    at = {round(t / DT): k for k, t in enumerate(rec.times)}
    v, u = rec.values["v"][:, 0], rec.values["u"][:, 0]
    d = round(delay / DT)
    total = 0.0
    for t in PRE_TIMES:
        k = round(t / DT) - d
        total += v[at[k]] if k > 0 else 1e-3  # before the first step: the initial 1 mV
    post_steps = [round(t / DT) for t in spikes.record().times]
    assert len(post_steps) >= 2  # the neuron fires: on_post acts
    total += sum(1000 * u[at[s]] for s in post_steps)
    return total


@pytest.mark.parametrize("delay", [0.3 * ms, 1.0 * ms])
def test_rules_read_the_target_at_the_synapses_time(delay):
    net, post, q = summing_network(delay)
    state = net.record_state(post, ["v", "u"])
    spikes = net.record_spikes(post)
    net.run(40 * ms)
    assert q.weights()[0] == pytest.approx(expected_sum(state, spikes, delay), rel=1e-12)


def test_reset_and_a_second_run_read_the_same_values():
    net, _, q = summing_network()
    net.run(40 * ms)
    first = q.weights().copy()
    net.reset()
    net.run(40 * ms)
    assert np.array_equal(q.weights(), first)


#: a voltage-dependent depression and a potentiation gated by the target's filtered potential
VoltageRule = synapse_model(
    "VoltageRule",
    """
    w : volt
    dx/dt = -x / taux : 1 (event-driven)
    taux : second
    """,
    on_pre="""
    syn += w
    w = clip(w - 1e-3 * w * int(u_post > 5 * mV), 0 * volt, 2 * mV)
    x += 1
    """,
    on_post="""
    w = clip(w + 0.02 * mV * x, 0 * volt, 2 * mV)
    """,
)


def voltage_network(threads: int = 1, parallel: bool | None = None, monitor: bool = False):
    """100 Poisson sources at 20 Hz onto 20 filtered LIF neurons, 50 plastic inputs each."""
    net = Network(dt=DT, seed=5, threads=threads, parallel=parallel)
    src = net.add_population(PoissonSource(rate=20 * Hz), 100, name="in")
    post = net.add_population(
        Filtered(I=100 * pA, R=100e6, tau=10 * ms, tau_u=5 * ms, vt=15 * mV), 20, name="out"
    )
    q = net.connect(
        src,
        post,
        rule=FixedIndegree(indegree=50),
        weight=1 * mV,
        delay=1.5 * ms,
        synapse=VoltageRule(taux=15 * ms),
    )
    if monitor:
        net.record_weights(q, synapses=[0], interval=0.1)
    return net, q, net.record_spikes(post)


def test_threads_and_deferred_updates_give_the_same_bits():
    """on_post here reads no neuron variable: the updates are deferred (decision 0026) unless
    the weights are recorded; either way, and on two threads, the same bits."""
    ref, q_ref, mon_ref = voltage_network()
    runs = [voltage_network(monitor=True), voltage_network(threads=2, parallel=True)]
    ref.run(0.5)
    assert q_ref._deferred
    assert mon_ref.steps.size > 200 and np.std(q_ref.weights()) > 0.01 * mV
    for net, q, mon in runs:
        net.run(0.5)
        assert np.array_equal(q.weights(), q_ref.weights())
        assert np.array_equal(mon.steps, mon_ref.steps)
        assert np.array_equal(mon.senders, mon_ref.senders)
    assert not runs[0][1]._deferred and runs[1][0].parallel


def test_on_post_reading_the_target_is_applied_at_arrival():
    net, q = summing_network()[::2]
    net.run(1 * ms)
    assert not q._deferred  # the history of u does not reach back to the next presynaptic spike


def test_a_source_variable_in_a_spike_rule_is_refused_at_its_place():
    with pytest.raises(EquationError) as info:
        synapse_model("S", "w : volt", on_pre="syn += w\nw = w + v_pre")
    e = info.value
    assert (e.where, e.line, e.column) == ("on_pre", 2, 9)
    assert "not the source's" in e.reason


def test_a_target_without_the_variable_is_refused_when_connecting():
    net = Network(dt=DT)
    a = net.add_population(LIFDelta(), 2, name="a")
    with pytest.raises(ConfigurationError, match=r"has no \['u'\]"):
        net.connect(a, a, rule=AllToAll(), weight=0.1 * mV, synapse=Summing())


def test_units_of_target_variables_are_checked_when_connecting():
    wrong = synapse_model("Wrong", "w : 1", on_pre="syn += w * mV\nw = w + v_post")
    net = Network(dt=DT)
    post = net.add_population(Filtered(I=0.0, R=1e8, tau=10 * ms, tau_u=5 * ms, vt=15 * mV), 1)
    with pytest.raises(EquationError, match="unit"):
        net.connect(post, post, rule=AllToAll(), weight=0.1, synapse=wrong())


def test_a_checkpoint_carries_the_target_variables_history(tmp_path):
    """Saved mid-run and loaded, the network goes on with the same bits as an uninterrupted
    run (the history rows of the target variables are part of the file)."""
    from snn.io import load, save

    ref, q_ref, _ = voltage_network()
    ref.run(0.2)
    net, _, _ = voltage_network()
    net.run(0.1)
    path = save(net, tmp_path / "v_post.h5")
    back = load(path, models=[Filtered, VoltageRule])
    back.run(0.1)
    q = next(p for p in back.projections if p.synapse is not None)
    assert np.array_equal(q.weights(), q_ref.weights())


def test_an_initial_value_set_at_time_zero_is_the_past_the_rules_read():
    """Set after the network was laid out (``store`` at t = 0) or after a reset, the initial
    value is what a spike before the first delay reads."""
    for prepare in ("store", "reset"):
        net, post, q = summing_network(delay=1.0 * ms)
        net.store() if prepare == "store" else (net.run(1 * ms), net.reset())
        post.set(v=7 * mV)
        net.run(0.2 * ms)  # the spike at 0.1 ms reads v at -0.9 ms: the initial value
        assert q.weights()[0] == pytest.approx(7 * mV, rel=1e-12), prepare


def test_a_value_sent_through_a_target_variable_has_its_unit_checked():
    """``syn += w * v_post * nS / mV`` sends siemens whatever ``w`` is: refused by a receptor
    in volts when connecting, where ``v_post``'s unit is known."""
    sends_siemens = synapse_model("SendsSiemens", "w : 1", on_pre="syn += w * v_post * nS / mV")
    net = Network(dt=DT)
    post = net.add_population(Filtered(I=0.0, R=1e8, tau=10 * ms, tau_u=5 * ms, vt=15 * mV), 1)
    with pytest.raises(ConfigurationError, match="sends values in S to receptor 'syn'"):
        net.connect(post, post, rule=AllToAll(), weight=0.5, synapse=sends_siemens())
