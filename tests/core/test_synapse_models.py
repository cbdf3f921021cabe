"""Stateful synapses: the engine runs a synapse model's rules at the right steps, in NEST's
order, and a model without rules behaves exactly like static synapses."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest

from snn.core import ConfigurationError, Network, SynapseModel, Trace
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, SpikeSourceArray
from snn.synapses import FixedIndegree, OneToOne


@dataclass(frozen=True, kw_only=True)
class Passive(SynapseModel):
    """Stores a weight per synapse and nothing else."""


def additive_pre(w, y, a_minus, w_max):
    w = max(w - a_minus * w_max * y, 0.0)
    return w, w


def additive_post(w, x, a_plus, w_max):
    return (min(w + a_plus * w_max * x, w_max),)


def x_plus_one(x):
    return (x + 1.0,)


def y_plus_one(y):
    return (y + 1.0,)


@dataclass(frozen=True, kw_only=True)
class PairSTDP(SynapseModel):
    """Additive pair STDP with all-to-all traces (the Brunel STDP benchmark's rule)."""

    tau_plus: float = 20 * ms
    tau_minus: float = 20 * ms
    a_plus: float = 0.01
    a_minus: float = 0.0105
    w_max: float = 0.3 * mV

    source_traces: ClassVar[tuple[Trace, ...]] = (Trace("x", "tau_plus"),)
    target_traces: ClassVar[tuple[Trace, ...]] = (Trace("y", "tau_minus"),)

    def constants(self, dt: float) -> dict[str, Any]:
        return {"a_plus": self.a_plus, "a_minus": self.a_minus, "w_max": self.w_max}

    def on_pre_function(self):
        return additive_pre

    def on_post_function(self):
        return additive_post

    def source_spike_function(self):
        return x_plus_one

    def target_spike_function(self):
        return y_plus_one


def brunel(synapse, threads=1):
    net = Network(dt=0.1 * ms, seed=3, threads=threads, parallel=threads > 1)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 400, name="E")
    i = net.add_population(model, 100, name="I")
    for post in (e, i):
        net.connect(
            e,
            post,
            rule=FixedIndegree(indegree=40),
            weight=0.1 * mV,
            delay=1.5 * ms,
            synapse=synapse if post is e else None,
        )
        net.connect(i, post, rule=FixedIndegree(indegree=10), weight=-0.5 * mV, delay=1.5 * ms)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), post)
    return net, [net.record_spikes(e), net.record_spikes(i)]


def spikes(mons):
    return np.concatenate([np.stack([m.steps, m.senders], 1) for m in mons])


def test_stateful_synapse_without_rules_equals_static():
    a, ma = brunel(None)
    b, mb = brunel(Passive())
    a.run(0.2)
    b.run(0.2)
    assert np.array_equal(spikes(ma), spikes(mb))


@pytest.mark.parametrize("offset_ms", [-30.0, -10.0, -2.0, 0.0, 1.0, 5.0, 25.0])
def test_single_pair_weight_change_equals_the_rule(offset_ms):
    """One pre and one post spike (forced by spike sources through a strong one-to-one
    connection): the weight changes by the rule's amount at the right synapse-local times."""
    dt = 0.1 * ms
    d = 1.0 * ms  # dendritic delay of the plastic synapse
    t_pre = 50 * ms
    t_post = t_pre + offset_ms * ms
    net = Network(dt=dt)
    src = net.add_population(SpikeSourceArray(times=[t_pre], indices=[0]), 1)
    driver = net.add_population(SpikeSourceArray(times=[t_post], indices=[0]), 1)
    post = net.add_population(
        LIFDelta(e_l=0.0, v_th=1 * mV, v_reset=0.0, t_ref=0.0), 1, init={"v": 0.0}
    )
    # the driver makes the post neuron spike in the step after its spike arrives (delay dt)
    net.connect(driver, post, rule=OneToOne(), weight=2 * mV, delay=dt)
    rule = PairSTDP()
    w0 = 0.1 * mV
    q = net.connect(src, post, rule=OneToOne(), weight=w0, delay=d, synapse=rule)
    mon = net.record_spikes(post)
    net.run(120 * ms)
    assert mon.n_spikes == 1
    # spike stamps: pre at t_pre; post at t_post + dt (one step to cross threshold)
    tp = t_pre
    to = mon.times[0]
    # at the synapse: pre at tp, post arrives at to + d; arrival first when equal
    delta = (to + d) - tp
    w = w0
    if delta > 0:  # depression first (post trace 0), then potentiation with x = exp(-delta/tau)
        w = w + rule.a_plus * rule.w_max * math.exp(-delta / rule.tau_plus)
    else:  # post arrival before (or at) the pre spike: depression with y = exp(delta/tau)
        y = math.exp(delta / rule.tau_minus) if delta < 0 else 0.0
        w = max(w - rule.a_minus * rule.w_max * y, 0.0)
    # weight relative error 1e-9: the traces decay by a factor per step (float64 products of
    # up to 1000 factors, error ~1e-13)
    assert q.weights()[0] == pytest.approx(w, rel=1e-9)


def test_plastic_network_bit_identical_with_threads_and_weights_bounded():
    a, ma = brunel(PairSTDP())
    b, mb = brunel(PairSTDP(), threads=2)
    a.run(0.3)
    b.run(0.15)
    b.run(0.15)
    assert np.array_equal(spikes(ma), spikes(mb))
    wa, wb = a.projections[0].weights(), b.projections[0].weights()
    assert np.array_equal(wa, wb)
    assert wa.min() >= 0.0 and wa.max() <= 0.3 * mV
    assert not np.allclose(wa, 0.1 * mV)  # learning happened


def test_weight_monitor_samples_the_weights():
    net, _ = brunel(PairSTDP())
    q = net.projections[0]
    mon = net.record_weights(q, synapses=[0, 5, 17, 3000], interval=10 * ms)
    net.run(0.1)
    net.run(0.05)
    rec = mon.record()
    assert np.allclose(rec.times, np.arange(1, 16) * 10 * ms)
    assert rec.weights.shape == (15, 4)
    assert np.array_equal(rec.weights[-1], q.weights()[[0, 5, 17, 3000]])
    assert np.array_equal(rec.sources, q.sources()[[0, 5, 17, 3000]])
    with pytest.raises(Exception, match="static synapses"):
        net.record_weights(net.projections[1])


# ----------------------------------------------------------------- parameters per synapse
@dataclass(frozen=True, kw_only=True)
class PerSynapseSTDP(PairSTDP):
    """PairSTDP whose amplitudes (and, to be refused, trace time constant) may differ between
    synapses."""

    vector_parameters: ClassVar[tuple[str, ...]] = ("a_plus", "a_minus", "tau_plus")


def x_plus_a(x, a_plus):
    return (x + a_plus,)


@dataclass(frozen=True, kw_only=True)
class TraceReadsAmplitude(PerSynapseSTDP):
    def source_spike_function(self):
        return x_plus_a


def test_per_synapse_amplitudes_reach_on_pre_and_on_post():
    """Amplitudes given per synapse, all equal, learn bit for bit as one value (both rules read
    the synapse's own); zero on half the synapses freezes exactly those."""
    a, ma = brunel(PairSTDP())
    net_b, mb = brunel(PerSynapseSTDP(a_plus=np.full(16000, 0.01), a_minus=np.full(16000, 0.0105)))
    a.run(0.2)
    net_b.run(0.2)
    assert np.array_equal(spikes(ma), spikes(mb))
    assert np.array_equal(a.projections[0].weights(), net_b.projections[0].weights())
    frozen = np.arange(16000) % 2 == 0
    c, _ = brunel(PerSynapseSTDP())
    q = c.projections[0]
    q.set(a_plus=np.where(frozen, 0.0, 0.01), a_minus=np.where(frozen, 0.0, 0.0105))
    c.run(0.2)
    w = q.weights()
    assert np.all(w[frozen] == 0.1 * mV)
    assert np.sum(w[~frozen] != 0.1 * mV) > 1000  # the others learnt


def test_per_synapse_values_refused_where_the_rules_act_per_neuron():
    net, _ = brunel(None)
    e = net.populations[0]
    with pytest.raises(ConfigurationError, match=r"time constant of trace 'x' \(tau_plus\)"):
        net.connect(e, e, rule=OneToOne(), weight=0.1 * mV,
                    synapse=PerSynapseSTDP(tau_plus=np.full(400, 20 * ms)))  # fmt: skip
    q = net.connect(e, e, rule=OneToOne(), weight=0.1 * mV, synapse=TraceReadsAmplitude())
    with pytest.raises(ConfigurationError, match=r"\['a_plus'\] .* its source_spike rule"):
        q.set(a_plus=np.linspace(0.0, 0.01, 400))
    assert q.get("a_plus") == 0.01  # unchanged
