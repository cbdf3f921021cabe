"""Pair-based STDP: the STDP window for isolated pairs equals the rule's formula for every pairing
scheme and weight dependence; spike trains follow the event-driven reference; weights stay within
their bounds; the weight monitor samples the same weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, PoissonSource
from snn.plasticity import Additive, Multiplicative, PairSTDP, PowerLaw
from snn.synapses import FixedIndegree

DEPENDENCES = {
    "additive": Additive(),
    "multiplicative": Multiplicative(),
    "power_law": PowerLaw(mu=0.4),
}
MU = {"additive": 0.0, "multiplicative": 1.0, "power_law": 0.4}

# The window: pre spike at 150 ms, synapse-level offsets dt = t_post + d - t_pre from -100 ms to
# +100 ms every 2.5 ms, and the smallest offsets the grid allows around 0.
OFFSETS_MS = np.concatenate([np.arange(-100.0, 100.01, 2.5), [-0.3, -0.2, -0.1, 0.1, 0.2, 0.3]])
T_PRE = 150 * ms
DELAY = 1 * ms


def window_run(pairs, rule):
    dt = 0.1 * ms
    # the driver spikes one step before the post neuron does
    post = [[T_PRE + o * ms - DELAY - dt] for o in OFFSETS_MS]
    return pairs(
        [[T_PRE]] * len(OFFSETS_MS),
        post,
        rule,
        w_low=0.05 * rule.w_max,
        w_high=0.95 * rule.w_max,
        delay=DELAY,
        duration=300 * ms,
    )


@pytest.mark.parametrize("pairing", ["all_to_all", "nearest"])
@pytest.mark.parametrize("dependence", sorted(DEPENDENCES))
def test_window_of_isolated_pairs_equals_the_formula(pairs, pairing, dependence):
    """Delta w(dt) = lambda w_max f_+(w0) exp(-dt/tau_+) for dt > 0,
    -alpha lambda w_max f_-(w0) exp(dt/tau_-) for dt < 0, 0 at dt = 0 (Morrison et al. 2008,
    Eqs. 1-4 with the weight dependences of Gütig et al. 2003)."""
    rule = PairSTDP(
        tau_plus=16.8 * ms,
        tau_minus=33.7 * ms,
        learning_rate=0.3,
        alpha=1.2,
        w_max=1 * mV,
        pairing=pairing,
        weight_dependence=DEPENDENCES[dependence],
    )
    run = window_run(pairs, rule)
    w = run.projection.weights()
    mu = MU[dependence]
    for k, offset in enumerate(OFFSETS_MS):
        assert run.pre_steps[k].size == 1 and run.post_steps[k].size == 1
        delta = (run.arrivals(k)[0] - run.presyn(k)[0]) * 0.1 * ms
        assert delta == pytest.approx(offset * ms, abs=1e-12)
        u = run.w0[k] / rule.w_max
        if delta > 0:
            f = {"additive": 1.0, "multiplicative": 1 - u}.get(dependence, (1 - u) ** mu)
            change = rule.learning_rate * rule.w_max * f * math.exp(-delta / rule.tau_plus)
        elif delta < 0:
            f = {"additive": 1.0, "multiplicative": u}.get(dependence, u**mu)
            change = -rule.alpha * rule.learning_rate * rule.w_max * f
            change *= math.exp(delta / rule.tau_minus)
        else:
            change = 0.0
        expected = min(max(run.w0[k] + change, 0.0), rule.w_max)
        # relative 1e-9: the engine's traces decay by a factor per step (products of up to 1000
        # float64 factors, relative error ~1e-13), the formula uses exp() once
        assert w[k] == pytest.approx(expected, rel=1e-9, abs=0.0), (offset, w[k], expected)


def test_window_clips_at_the_hard_bounds(pairs):
    """A step larger than the distance to a bound stops at the bound (hard bounds)."""
    rule = PairSTDP(learning_rate=0.9, alpha=1.0, w_max=1 * mV)
    run = window_run(pairs, rule)
    w = run.projection.weights()
    near = np.abs(OFFSETS_MS) <= 5.0
    pos, neg = near & (OFFSETS_MS > 0), near & (OFFSETS_MS < 0)
    # 0.9 exp(-5/20) = 0.70 > 0.95: a near pair reaches a bound whenever w0 is within 0.70 of it
    assert np.all(w[pos][run.w0[pos] > 0.3 * mV] == rule.w_max)
    assert np.all(w[neg][run.w0[neg] < 0.7 * mV] == 0.0)
    assert w.min() >= 0.0 and w.max() <= rule.w_max


def random_trains(rng, n, count, span, min_gap):
    """``n`` trains of ``count`` spike times in ``span``, at least ``min_gap`` apart [s]."""
    trains = []
    for _ in range(n):
        slots = rng.choice(int(span / min_gap), size=count, replace=False)
        trains.append(sorted(20 * ms + s * min_gap for s in slots))
    return trains


@pytest.mark.parametrize("pairing", ["all_to_all", "nearest"])
@pytest.mark.parametrize("dependence", sorted(DEPENDENCES))
def test_spike_trains_follow_the_event_driven_reference(pairs, reference, pairing, dependence):
    """Bursts of pre and post spikes: all-to-all sums every earlier spike, nearest pairing the
    last one; the result equals the reference to 1e-9 relative, and the weight monitor's samples
    equal the reference's weight at the sample times."""
    rng = np.random.default_rng(7)
    n = 24
    rule = PairSTDP(
        learning_rate=0.15,
        alpha=1.05,
        w_max=1 * mV,
        pairing=pairing,
        weight_dependence=DEPENDENCES[dependence],
    )
    interval = 10 * ms
    run = pairs(
        random_trains(rng, n, 6, 150 * ms, 0.7 * ms),
        random_trains(rng, n, 6, 150 * ms, 0.7 * ms),
        rule,
        w_low=0.1 * mV,
        w_high=0.9 * mV,
        delay=1.5 * ms,
        duration=250 * ms,
        monitor_interval=interval,
    )
    pot, dep = reference.dependence_steps(
        dependence, rule.learning_rate, rule.alpha, rule.w_max, MU[dependence]
    )
    kw = {
        "tau_plus": rule.tau_plus,
        "tau_minus": rule.tau_minus,
        "pairing": pairing,
        "potentiate": pot,
        "depress": dep,
    }
    w = run.projection.weights()
    rec = run.monitor.record()
    every = round(interval / reference.DT)
    for k in range(n):
        assert run.post_steps[k].size == 6  # only the driver makes the post neuron spike
        expected = reference.pair_rule(run.presyn(k), run.arrivals(k), run.w0[k], **kw)
        assert w[k] == pytest.approx(expected, rel=1e-9)
        col = int(np.flatnonzero(rec.synapses == k)[0])
        for s in range(0, rec.times.shape[0], 5):
            until = (s + 1) * every
            at = reference.pair_rule(run.presyn(k), run.arrivals(k), run.w0[k], until=until, **kw)
            assert rec.weights[s, col] == pytest.approx(at, rel=1e-9)


def test_nearest_and_all_to_all_differ_on_bursts(pairs):
    """Three pre spikes 2 ms apart, then a post spike: all-to-all potentiates by the sum of
    three exponentials, nearest by the last one only (Morrison et al. 2008, Fig. 7)."""
    pre = [[50 * ms, 52 * ms, 54 * ms]]
    post = [[58 * ms]]
    out = {}
    for pairing in ("all_to_all", "nearest"):
        rule = PairSTDP(learning_rate=0.01, w_max=1 * mV, pairing=pairing)
        run = pairs(pre, post, rule, w_low=0.5 * mV, w_high=0.5 * mV, delay=1 * ms)
        out[pairing] = run.projection.weights()[0] - run.w0[0]
    # post at the synapse: 58 + 0.1 (threshold step) + 1 (delay) = 59.1 ms; pre at 50, 52, 54
    gaps = [9.1, 7.1, 5.1]
    step = 0.01 * 1 * mV
    assert out["all_to_all"] == pytest.approx(step * sum(math.exp(-g / 20) for g in gaps), rel=1e-9)
    assert out["nearest"] == pytest.approx(step * math.exp(-5.1 / 20), rel=1e-9)


@settings(deadline=None, max_examples=12)
@given(
    learning_rate=st.floats(0.0, 2.0),
    alpha=st.floats(0.0, 3.0),
    pairing=st.sampled_from(["all_to_all", "nearest"]),
    dependence=st.sampled_from(sorted(DEPENDENCES)),
    rate=st.floats(20.0, 200.0),
    seed=st.integers(0, 2**16),
)
def test_weights_never_leave_their_bounds(learning_rate, alpha, pairing, dependence, rate, seed):
    """Dense Poisson pre and post activity with large steps: every weight stays in [0, w_max]."""
    w_max = 0.5 * mV
    rule = PairSTDP(
        learning_rate=learning_rate,
        alpha=alpha,
        w_max=w_max,
        pairing=pairing,
        weight_dependence=DEPENDENCES[dependence],
    )
    net = Network(dt=0.1 * ms, seed=seed)
    src = net.add_population(PoissonSource(rate=rate * Hz), 40, name="in")
    post = net.add_population(
        LIFDelta(tau_m=10 * ms, e_l=0.0, v_th=5 * mV, v_reset=0.0, t_ref=1 * ms), 10, name="out"
    )
    net.add_drive(PoissonInput(rate=8000 * Hz, weight=0.2 * mV), post)
    q = net.connect(
        src, post, rule=FixedIndegree(indegree=20), weight=0.25 * mV, delay=1 * ms, synapse=rule
    )
    mon = net.record_weights(q, interval=5 * ms)
    net.run(0.2)
    rec = mon.record()
    assert rec.weights.min() >= 0.0 and rec.weights.max() <= w_max
    w = q.weights()
    assert w.min() >= 0.0 and w.max() <= w_max


def test_same_seed_same_weights_and_another_seed_differs():
    """A plastic network is a pure function of its seed (counter-based RNG)."""

    def run(seed):
        net = Network(dt=0.1 * ms, seed=seed)
        src = net.add_population(PoissonSource(rate=30 * Hz), 50, name="in")
        post = net.add_population(
            LIFDelta(tau_m=10 * ms, e_l=0.0, v_th=5 * mV, v_reset=0.0, t_ref=1 * ms), 20
        )
        net.add_drive(PoissonInput(rate=6000 * Hz, weight=0.2 * mV), post)
        q = net.connect(
            src,
            post,
            rule=FixedIndegree(indegree=25),
            weight=0.2 * mV,
            delay=1 * ms,
            synapse=PairSTDP(learning_rate=0.05, w_max=0.5 * mV),
        )
        mon = net.record_spikes(post)
        net.run(0.3)
        return q.weights(), mon.steps

    (wa, sa), (wb, sb), (wc, _) = run(5), run(5), run(6)
    assert np.array_equal(wa, wb) and np.array_equal(sa, sb)
    assert not np.array_equal(wa, wc)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tau_plus": 0.0}, "tau_plus"),
        ({"tau_minus": -1 * ms}, "tau_minus"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"alpha": -1.0}, "alpha"),
        ({"w_max": 0.0}, "w_max"),
        ({"pairing": "nearest_pre"}, "pairing"),
        ({"weight_dependence": "additive"}, "weight_dependence"),
    ],
)
def test_invalid_parameters_are_refused(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        PairSTDP(**kwargs)


def test_power_law_exponent_is_checked():
    with pytest.raises(ConfigurationError, match="mu"):
        PowerLaw(mu=1.5)
