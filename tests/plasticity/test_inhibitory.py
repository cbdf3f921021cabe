"""Inhibitory STDP (Vogels et al. 2011): the window of isolated pairs equals the rule's formula,
uncorrelated spike trains follow the event-driven reference, and parameters are validated."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import ConfigurationError
from snn.core.units import ms, mV
from snn.plasticity import InhibitorySTDP

# synapse-level offsets t_post + d - t_pre [ms], -100..100, plus the smallest around 0
OFFSETS_MS = np.concatenate([np.arange(-100.0, 100.01, 2.5), [-0.2, -0.1, 0.1, 0.2]])
T_PRE = 150 * ms
DELAY = 1 * ms
DT = 0.1 * ms


def test_window_of_isolated_pairs_equals_the_formula(pairs):
    """Vogels et al. (2011), Eqs. S5-S6: an isolated pair changes the weight by
    eta (exp(-|dt| / tau) - alpha), alpha = 2 rho_0 tau, whatever the order; at dt = 0 the
    traces exclude the same step's spikes, leaving -eta alpha."""
    rule = InhibitorySTDP(tau=20 * ms, eta=0.1 * mV, rho_0=3.0, w_max=1 * mV)
    post = [[T_PRE + o * ms - DELAY - DT] for o in OFFSETS_MS]
    # weights away from the bounds: no clipping in either step (|change| <= 0.1 mV)
    run = pairs(
        [[T_PRE]] * len(OFFSETS_MS),
        post,
        rule,
        w_low=0.2 * mV,
        w_high=0.8 * mV,
        delay=DELAY,
        duration=300 * ms,
    )
    w = run.projection.weights()
    for k, offset in enumerate(OFFSETS_MS):
        delta = (run.arrivals(k)[0] - run.presyn(k)[0]) * DT
        assert delta == pytest.approx(offset * ms, abs=1e-12)
        window = 0.0 if delta == 0 else math.exp(-abs(delta) / rule.tau)
        expected = run.w0[k] + rule.eta * (window - rule.alpha)
        # relative 1e-9: per-step trace decay (products of up to 1000 float64 factors, ~1e-13
        # relative) against one exp()
        assert w[k] == pytest.approx(expected, rel=1e-9, abs=0.0), (offset, w[k], expected)


def test_spike_trains_follow_the_event_driven_reference(pairs, reference):
    """Random trains with several spikes per synapse: each event applies the clipped step of
    the rule with all-to-all traces read from earlier steps (postsynaptic arrivals first)."""
    rule = InhibitorySTDP(tau=20 * ms, eta=0.3 * mV, rho_0=10.0, w_max=1 * mV)
    rng = np.random.default_rng(7)
    n = 20
    pre = [sorted(20 * ms + rng.choice(2000, 8, replace=False) * 0.2 * ms) for _ in range(n)]
    post = [sorted(20 * ms + rng.choice(2000, 8, replace=False) * 0.2 * ms) for _ in range(n)]
    run = pairs(pre, post, rule, w_low=0.0, w_high=1 * mV, delay=DELAY)
    w = run.projection.weights()

    def potentiate(w, x):
        return min(max(w + rule.eta * x, 0.0), rule.w_max)

    def depress(w, y):
        return min(max(w + rule.eta * (y - rule.alpha), 0.0), rule.w_max)

    for k in range(n):
        expected = reference.pair_rule(
            run.presyn(k),
            run.arrivals(k),
            run.w0[k],
            tau_plus=rule.tau,
            tau_minus=rule.tau,
            pairing="all_to_all",
            potentiate=potentiate,
            depress=depress,
        )
        # 1e-9 relative (see above); 1e-21 absolute for weights clipped to 0
        assert w[k] == pytest.approx(expected, rel=1e-9, abs=1e-21)
    assert w.min() >= 0.0 and w.max() <= rule.w_max


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tau": 0.0}, "tau"),
        ({"eta": -1.0}, "eta"),
        ({"rho_0": -1.0}, "rho_0"),
        ({"w_max": 0.0}, "w_max"),
    ],
)
def test_invalid_parameters_are_refused(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        InhibitorySTDP(**kwargs)
