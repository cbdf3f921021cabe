"""Triplet STDP: spike trains follow an event-driven implementation of Pfister & Gerstner's
equations for both interaction schemes, and the published parameter sets are as printed."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError
from snn.core.units import ms, mV
from snn.plasticity import PFISTER_GERSTNER_2006, TripletSTDP


def trains(rng, n, count, span, gap):
    out = []
    for _ in range(n):
        slots = rng.choice(int(span / gap), size=count, replace=False)
        out.append(sorted(20 * ms + s * gap for s in slots))
    return out


@pytest.mark.parametrize(
    ("data", "model", "pairing"),
    [
        ("visual_cortex", "full", "all_to_all"),
        ("hippocampal", "full", "all_to_all"),
        ("hippocampal", "full", "nearest"),
        ("visual_cortex", "minimal", "nearest"),
    ],
)
def test_spike_trains_follow_the_reference(pairs, reference, data, model, pairing):
    """Random bursts (8 pre and 8 post spikes within 120 ms, so that triplets interact): the
    weight equals the event-driven reference to 1e-9 relative (traces decay by a factor per
    step in the engine, with exp() over whole intervals in the reference)."""
    rng = np.random.default_rng(11)
    n = 20
    # amplitudes scaled up 20x so that the triplet terms move the weight visibly
    rule = TripletSTDP.published(data, model, pairing=pairing, w_ref=20 * mV, w_max=2 * mV)
    run = pairs(
        trains(rng, n, 8, 120 * ms, 0.9 * ms),
        trains(rng, n, 8, 120 * ms, 0.9 * ms),
        rule,
        w_low=0.5 * mV,
        w_high=1.5 * mV,
        delay=1.2 * ms,
    )
    w = run.projection.weights()
    changed = 0
    for k in range(n):
        expected = reference.triplet(run.presyn(k), run.arrivals(k), run.w0[k], rule)
        assert w[k] == pytest.approx(expected, rel=1e-9)
        changed += abs(expected - run.w0[k]) > 1e-3 * mV
    assert changed == n


def test_triplet_term_needs_a_second_post_spike(pairs):
    """Minimal visual cortex model (A2+ = 0): a pre-post pair alone does not potentiate; a
    second post spike 10 ms later potentiates by w_ref A3+ r1 o2 with o2 = exp(-10 ms / tau_y)."""
    rule = TripletSTDP.published("visual_cortex", "minimal", w_ref=1 * mV, w_max=2 * mV)
    pre = [[50 * ms], [50 * ms]]
    post = [[60 * ms], [60 * ms, 70 * ms]]
    run = pairs(pre, post, rule, w_low=1 * mV, w_high=1 * mV, delay=1 * ms)
    w = run.projection.weights()
    assert w[0] == run.w0[0]
    # post spikes reach the synapse at 61.1 and 71.1 ms; the pre spike acts at 50 ms
    expected = rule.w_ref * rule.a3_plus * np.exp(-21.1 / 16.8) * np.exp(-10 / 114)
    assert w[1] - run.w0[1] == pytest.approx(expected, rel=1e-9)


def test_published_sets_are_the_tables():
    """Spot checks against Pfister & Gerstner (2006) Tables 3 and 4 as printed."""
    vc = TripletSTDP.published("visual_cortex", "minimal")
    assert (vc.a2_plus, vc.a3_plus, vc.a2_minus, vc.a3_minus) == (0.0, 6.5e-3, 7.1e-3, 0.0)
    assert vc.tau_y == pytest.approx(114 * ms)
    assert (vc.tau_plus, vc.tau_minus) == (pytest.approx(16.8 * ms), pytest.approx(33.7 * ms))
    hip = TripletSTDP.published("hippocampal", "full")
    assert (hip.a2_plus, hip.a3_plus, hip.a2_minus, hip.a3_minus) == (
        6.1e-3,
        6.7e-3,
        1.6e-3,
        1.4e-3,
    )
    assert (hip.tau_x, hip.tau_y) == (pytest.approx(946 * ms), pytest.approx(27 * ms))
    assert len(PFISTER_GERSTNER_2006) == 6
    with pytest.raises(ConfigurationError, match="no published parameter set"):
        TripletSTDP.published("visual_cortex", "full", pairing="nearest")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"tau_x": 0.0}, "tau_x"), ({"a3_plus": -1e-3}, "a3_plus"), ({"pairing": "x"}, "pairing")],
)
def test_invalid_parameters_are_refused(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        TripletSTDP(**kwargs)
