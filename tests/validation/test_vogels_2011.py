"""Vogels et al. (2011), the recurrent network of their Fig. 4 (examples/vogels_2011): inhibitory
plasticity switched on at 1 s with ``Projection.set(learning=True)`` brings the excitatory rate
down to near its target, and the rule reaches the same rate from too little and too much
inhibition."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from snn.core.units import nS

#: E rate over the last 5 of 10 s in Brian2 2.9.0, mean of seeds 1-3 (5.01, 5.02, 5.09 Hz;
#: examples/vogels_2011/brian2_reference.py)
BRIAN2_RATE_AFTER = 5.04
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "vogels_2011" / "vogels_2011.py"


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("vogels_2011", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.mark.slow  # about 12 s here
def test_learning_switched_on_at_1_s_brings_the_rate_to_the_target(demo, tmp_path):
    """Measured (seeds 1, 2, 3): 162.3 Hz before learning, every neuron firing in the same
    rhythm (CV of ISI 0.01); below 2 rho_0 = 6 Hz 1.0-1.25 s after learning starts; 4.85, 4.64,
    4.66 Hz over the last 5 s of 10 (CV 0.98, 0.92, 0.95: asynchronous irregular, as in the
    paper's Fig. 4 after learning); mean I->E weight 3.4 nS.

    Reference: Brian2 2.9.0 running the same network
    (examples/vogels_2011/brian2_reference.py, seeds 1, 2, 3) gives 162.8-164.2 Hz before
    learning and 5.01, 5.02, 5.09 Hz over the last 5 s (CV 0.96, mean I->E weight 3.39-3.42 nS):
    neither simulator reaches rho_0 = 3 Hz within 10 s. The rule's fixed point is rho_0 exactly
    only for uncorrelated pre- and postsynaptic spikes; an inhibitory spike lowers its targets'
    firing for ~10 ms, which moves the fixed point above rho_0 (3.9 Hz measured after 20 s with
    a 10x faster rule, see test_stdp_experiments.py), and 9 s after switching on this rule is
    still approaching it (4.3 Hz over 11-16 s).

    Tolerances: the final rate must lie within 0.6 Hz of Brian2's mean 5.04 Hz (snn's seeds
    spread over 0.2 Hz, Brian2's over 0.1 Hz, and the two integrate the membrane differently:
    Brian2 forward Euler, snn RK4), and in [rho_0, rho_0 + 2.5 Hz]; before learning, unopposed
    excitation must give more than 100 Hz."""
    r = demo.simulate(duration=10.0, seed=1)
    # learning off for the first second: the weights stay at their initial value
    at_switch = r.mean_weight[np.isclose(r.weight_times, demo.SWITCH_ON)]
    assert at_switch.tolist() == pytest.approx([1e-4 * nS], rel=1e-12)
    assert r.mean_weight[-1] > 1 * nS
    assert r.rate_before > 100.0 and r.cv_before < 0.1
    assert demo.RHO_0 <= r.rate_after <= demo.RHO_0 + 2.5
    assert abs(r.rate_after - BRIAN2_RATE_AFTER) <= 0.6
    assert r.cv_after > 0.8
    assert r.time_to_target <= 2.0
    path = tmp_path / "vogels.png"
    demo.plot(r, path)
    assert imread(path).shape[0] > 500


@pytest.mark.slow  # about 20 s here
def test_the_rate_reaches_the_same_fixed_point_from_both_sides(demo):
    """Starting with almost no inhibition (E at ~160 Hz) or too much (E at ~0.2 Hz), inhibitory
    STDP with rho_0 = 3 Hz brings the excitatory population to the same rate near the target.
    Learning rate 1 nS (ten times the demo's, a hundred times Zenke's): the same fixed point,
    reached within a second.

    Tolerance: the rule's fixed point is rho_0 exactly only for uncorrelated pre- and
    postsynaptic spikes; each inhibitory spike lowers its target's firing for ~10 ms, which moves
    the fixed point above rho_0 (measured 3.9 Hz for both starts), so we accept 1 Hz around
    the target and require both starts to agree within 0.3 Hz."""
    finals = []
    for w_ie in (1e-4 * nS, 8 * nS):
        net, plastic, spikes = demo.build(1 * nS, w_ie=w_ie)
        plastic.set(learning=True)
        net.run(20.0)
        start = np.sum(spikes.times < 0.5) / (demo.N_E * 0.5)
        final = np.sum(spikes.times >= 15.0) / (demo.N_E * 5.0)
        assert abs(start - demo.RHO_0) > 2.5
        finals.append(final)
    assert all(abs(f - demo.RHO_0) < 1.0 for f in finals)
    assert abs(finals[0] - finals[1]) < 0.3
