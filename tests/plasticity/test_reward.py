"""Reward-modulated STDP: a pairing's eligibility turns into weight by the exact integral of
gain * c * m at the sync times; without modulator nothing changes; a dopamine-like population
releases with exact decay from its spike times."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import ms, mV
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.plasticity import Neuromodulator, RewardSTDP
from snn.synapses import OneToOne

DT = 0.1 * ms


def reward_pair(pre_time, post_drive_time, *, baseline, interval=10 * ms, tau=0.2, **rule_kw):
    """One synapse with one forced pre and one forced post spike (the post neuron spikes one
    step after its driver; the plastic synapse's delay is 1 ms)."""
    net = Network(dt=DT)
    da = Neuromodulator(net, tau=tau, baseline=baseline, interval=interval)
    src = net.add_population(SpikeSourceArray(times=[pre_time], indices=[0]), 1)
    drv = net.add_population(SpikeSourceArray(times=[post_drive_time], indices=[0]), 1)
    post = net.add_population(
        LIFDelta(tau_m=10 * ms, e_l=0.0, v_th=10 * mV, v_reset=0.0, t_ref=0.0), 1, init={"v": 0.0}
    )
    net.connect(drv, post, rule=OneToOne(), weight=20 * mV, delay=DT)
    rule = RewardSTDP(modulator=da, **rule_kw)
    q = net.connect(src, post, rule=OneToOne(), weight=1 * mV, delay=1 * ms, synapse=rule)
    return net, da, q, rule


@pytest.mark.parametrize(("lag_ms", "b"), [(5.0, 0.002), (-7.0, 0.002), (5.0, -0.028)])
def test_distal_reward_weight_change_is_the_exact_integral(lag_ms, b):
    """Pairing at ~100 ms, reward r released at t_r = 1.5 s, baseline b: at a sync time T the
    weight has changed by gain * dc * [b tau_c (1 - e^{-(T-A)/tau_c})
    + r e^{-(t_r-A)/tau_c} (1 - e^{-beta (T - t_r)}) / beta], beta = 1/tau_c + 1/tau_d, with
    dc = A+ e^{-lag/tau_+} (pre-post) or -A- e^{lag/tau_-} (post-pre) at the later spike A.
    A negative baseline is NEST's stdp_dopamine_synapse's ``c (n - b)`` (its pong example's
    b = 0.028): the tonic part depresses."""
    t_pre = 100 * ms
    # post neuron spikes at t_pre + lag - 1 ms (one step after its driver), reaching the synapse
    # 1 ms later: synapse-level lag exactly `lag_ms`
    drive = t_pre + lag_ms * ms - 1 * ms - DT
    r = 0.5
    net, da, q, rule = reward_pair(t_pre, drive, baseline=b)
    # the pre spike acts at the synapse in the step ending at t_pre: synapse time t_pre - dt
    pre_at = t_pre - DT
    if lag_ms > 0:
        a_time, dc = pre_at + lag_ms * ms, rule.a_plus * math.exp(-lag_ms * ms / rule.tau_plus)
    else:
        a_time, dc = pre_at, -rule.a_minus * math.exp(lag_ms * ms / rule.tau_minus)
    t_r = 1.5
    net.run(t_r)
    da.release(r)  # the network stands at a sync time: the release acts from t_r
    w_before = q.weights()[0]
    net.run(1.0)
    big_t = 2.5
    beta = 1 / rule.tau_c + 1 / da.tau
    tonic = b * rule.tau_c * (1 - math.exp(-(big_t - a_time) / rule.tau_c))
    phasic = (
        r * math.exp(-(t_r - a_time) / rule.tau_c) * (1 - math.exp(-beta * (big_t - t_r))) / beta
    )
    expected = 1 * mV + rule.gain * dc * (tonic + phasic)
    # 1e-9 relative: closed-form exponentials against the sync sums (exp per event and per
    # interval, 250 intervals of float64 rounding)
    assert q.weights()[0] == pytest.approx(expected, rel=1e-9)
    tonic_tr = b * rule.tau_c * (1 - math.exp(-(t_r - a_time) / rule.tau_c))
    assert w_before == pytest.approx(1 * mV + rule.gain * dc * tonic_tr, rel=1e-9)
    times, levels = da.record()
    assert times.shape == (250,) and levels[149] == pytest.approx(b + r)


def test_no_modulator_no_weight_change_but_eligibility():
    """Baseline 0 and no release: the pairing leaves an eligibility trace and the weight."""
    net, _, q, rule = reward_pair(100 * ms, 103.9 * ms, baseline=0.0)
    net.run(0.3)
    assert q.weights()[0] == 1 * mV
    c = q.synapse_state("c")[0]
    # pairing lag 5 ms, post arrival at 104.9 ms; eligibility decayed to the sync at 300 ms
    expected = rule.a_plus * math.exp(-5 / 20) * math.exp(-(300 - 104.9) * ms / rule.tau_c)
    assert c == pytest.approx(expected, rel=1e-9)


def test_weights_are_clipped_at_sync_times():
    net, da, q, rule = reward_pair(100 * ms, 103.9 * ms, baseline=0.0, gain=1e6, w_max=1.5 * mV)
    net.run(0.2)
    da.release(1.0)
    net.run(0.5)
    assert q.weights()[0] == rule.w_max


def test_weights_are_clipped_at_w_min():
    """A negative baseline depresses the eligible synapse down to NEST's ``Wmin``, no lower."""
    net, _, q, rule = reward_pair(
        100 * ms, 103.9 * ms, baseline=-1.0, gain=1e6, w_min=0.7 * mV, w_max=1.5 * mV
    )
    net.run(0.5)
    assert q.weights()[0] == rule.w_min and rule.weight_bounds() == (0.7 * mV, 1.5 * mV)
    with pytest.raises(ConfigurationError, match="within the bounds"):
        reward_pair(100 * ms, 103.9 * ms, baseline=0.0, w_min=1.2 * mV, w_max=1.5 * mV)


def test_a_dopamine_population_releases_with_exact_decay():
    """Every spike of the followed population adds `amount`, decayed from its spike time to
    the sync where it takes effect; the phasic level then decays with tau."""
    net = Network(dt=DT)
    da = Neuromodulator(net, tau=0.1, baseline=0.01, interval=5 * ms)
    spikes = [12.3 * ms, 12.9 * ms, 40.0 * ms]
    dop = net.add_population(SpikeSourceArray(times=spikes, indices=[0, 1, 0]), 2, name="DA")
    da.follow(dop, amount=0.25)
    net.run(60 * ms)
    times, levels = da.record()
    for t, level in zip(times, levels, strict=True):
        expected = 0.01 + sum(0.25 * math.exp(-(t - s) / 0.1) for s in spikes if s <= t + 1e-12)
        assert level == pytest.approx(expected, rel=1e-12)


def test_release_between_syncs_waits_for_the_next_sync():
    net = Network(dt=DT)
    da = Neuromodulator(net, tau=0.2, interval=10 * ms)
    net.run(15 * ms)
    da.release(1.0)
    assert da.level == 0.0
    net.run(5 * ms)
    assert da.level == 1.0
    net.run(10 * ms)
    assert da.level == pytest.approx(math.exp(-10 * ms / 0.2), rel=1e-12)


def test_invalid_arguments_are_refused():
    net = Network(dt=DT)
    with pytest.raises(ConfigurationError, match="interval"):
        Neuromodulator(net, interval=0.25 * DT)
    da = Neuromodulator(net)
    with pytest.raises(ConfigurationError, match="modulator"):
        RewardSTDP(modulator="dopamine")
    with pytest.raises(ConfigurationError, match="tau_c"):
        RewardSTDP(modulator=da, tau_c=0.0)
    with pytest.raises(ConfigurationError, match="w_min"):
        RewardSTDP(modulator=da, w_min=5e-3, w_max=4e-3)
    with pytest.raises(ConfigurationError, match="baseline"):
        Neuromodulator(net, baseline=math.nan)
    other = Network(dt=0.5 * ms)
    pop = other.add_population(LIFDelta(), 2)
    with pytest.raises(ConfigurationError, match="one Neuromodulator per network"):
        other.connect(pop, pop, rule=OneToOne(), weight=0.1 * mV, synapse=RewardSTDP(modulator=da))
    assert np.isfinite(da.level)
