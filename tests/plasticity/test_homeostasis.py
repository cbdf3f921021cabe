"""Homeostasis: synaptic scaling (one step equals the formula; rates converge to the target from
both sides), weight normalization, and the adaptive-threshold neuron (threshold dynamics, rate
adaptation, first-order convergence of its exponential-Euler step)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from snn.core import ConfigurationError, Network
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV, nS, pA
from snn.neurons import LIFDelta, PoissonSource, SpikeSourceArray
from snn.plasticity import AdaptiveThresholdLIF, PairSTDP, SynapticScaling, WeightNormalization
from snn.synapses import FixedIndegree, OneToOne

FROZEN = PairSTDP(learning_rate=0.0, w_max=5 * mV)  # stateful synapses whose rule does nothing


def driven(seed, weight, n_post=20):
    net = Network(dt=0.1 * ms, seed=seed)
    src = net.add_population(PoissonSource(rate=20 * Hz), 200, name="in")
    post = net.add_population(
        LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=15 * mV, v_reset=0.0, t_ref=2 * ms), n_post
    )
    q = net.connect(
        src, post, rule=FixedIndegree(indegree=100), weight=weight, delay=1 * ms, synapse=FROZEN
    )
    return net, post, q


def test_one_scaling_step_equals_the_formula():
    """w <- w exp(beta (rho_target - a_j) interval), a_j from the exactly decayed spikes."""
    net, post, q = driven(3, Uniform(low=0.5 * mV, high=1.5 * mV))
    mon = net.record_spikes(post)
    w0 = q.weights()
    target, tau, beta, interval = 10.0, 0.5, 0.02, 50 * ms
    scaling = SynapticScaling(
        net, q, target_rate=target, tau_rate=tau, beta=beta, interval=interval
    )
    net.run(interval)
    ages = interval - mon.times
    rates = target * math.exp(-interval / tau) + np.bincount(
        mon.indices, weights=np.exp(-ages / tau) / tau, minlength=post.size
    )
    assert mon.n_spikes > 0
    # 1e-12: the same float64 operations in a different order
    assert np.allclose(scaling.rates, rates, rtol=1e-12, atol=0)
    expected = np.clip(w0 * np.exp(beta * (target - rates[q.targets()]) * interval), 0, 5 * mV)
    assert np.allclose(q.weights(), expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("weight", [0.4 * mV, 2.0 * mV])
def test_scaling_drives_the_rate_to_the_target_from_both_sides(weight):
    """Weak inputs (rate ~0) and strong inputs (rate far above): after 20 s the population
    rate over the last 5 s is within 20 % of the 10 Hz target (rate-estimate noise with
    tau_rate = 1 s over 20 neurons)."""
    net, post, q = driven(4, weight)
    SynapticScaling(net, q, target_rate=10.0, tau_rate=1.0, beta=0.05, interval=0.1)
    mon = net.record_spikes(post)
    net.run(20.0)
    first = np.sum(mon.times < 1.0) / (post.size * 1.0)
    rate = np.sum(mon.times >= 15.0) / (post.size * 5.0)
    assert abs(first - 10.0) > 5.0  # it did start far from the target
    assert rate == pytest.approx(10.0, rel=0.2)


def test_weight_normalization_sets_every_targets_sum():
    net, post, q = driven(5, Uniform(low=0.1 * mV, high=1.0 * mV))
    WeightNormalization(net, q, total=30 * mV, interval=10 * ms)
    net.run(10 * ms)
    sums = np.bincount(q.targets(), weights=q.weights(), minlength=post.size)
    assert np.allclose(sums, 30 * mV, rtol=1e-12)


def test_processes_need_a_stateful_projection_of_the_network():
    net = Network(dt=0.1 * ms)
    a = net.add_population(LIFDelta(), 4)
    static = net.connect(a, a, rule=OneToOne(), weight=0.1 * mV)
    with pytest.raises(ConfigurationError, match="static synapses"):
        SynapticScaling(net, static, target_rate=5.0)
    other, _, q = driven(1, 0.5 * mV)
    with pytest.raises(ConfigurationError, match="projection of `network`"):
        WeightNormalization(net, q, total=1.0, interval=1 * ms)
    assert other.projections == [q]


# ------------------------------------------------------------------ adaptive threshold


def test_threshold_rises_by_theta_plus_per_spike_and_decays_exactly():
    """theta(T) = theta_plus * sum_k exp(-(T - t_k) / tau_theta) over the spikes t_k, and the
    rising threshold slows the neuron (Diehl & Cook 2015's intrinsic plasticity)."""
    model = AdaptiveThresholdLIF(theta_plus=2 * mV, tau_theta=0.5, i_e=300 * pA)
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model, 1)
    mon = net.record_spikes(pop)
    net.run(2.0)
    t = mon.times
    expected = 2 * mV * np.exp(-(2.0 - t) / 0.5).sum()
    # 1e-9 relative: 10^4 per-step decay factors against one exp() per spike
    assert pop.get("theta")[0] == pytest.approx(expected, rel=1e-9)
    # interspike intervals lengthen as theta builds up (without adaptation they are equal)
    isi = np.diff(t)
    assert isi[-1] > 1.4 * isi[0]


def subthreshold_v(dt, t_end=20 * ms):
    """V at t_end of a neuron kicked by a 20 nS excitatory and a 10 nS inhibitory conductance at
    1 ms (threshold out of reach)."""
    net = Network(dt=dt)
    model = AdaptiveThresholdLIF(v_th=0.5, i_e=100 * pA)
    pop = net.add_population(model, 1)
    src = net.add_population(SpikeSourceArray(times=[1 * ms - dt], indices=[0]), 1)
    net.connect(src, pop, rule=OneToOne(), weight=20 * nS, delay=dt, receptor="exc")
    net.connect(src, pop, rule=OneToOne(), weight=10 * nS, delay=dt, receptor="inh")
    net.run(t_end)
    return pop.get("v")[0], model


def test_exponential_euler_step_converges_with_first_order():
    """Against scipy's solve_ivp of the same ODE (rtol 1e-12): halving dt halves the error
    (ratio between 1.6 and 2.4: first order with a small second-order part)."""
    _, model = subthreshold_v(0.1 * ms)
    c, g_l, e_l = 1e-9, 10 * nS, model.e_l

    def rhs(t, y):
        g_e = 20 * nS * math.exp(-(t - 1 * ms) / model.tau_syn_ex)
        g_i = 10 * nS * math.exp(-(t - 1 * ms) / model.tau_syn_in)
        return [(g_l * (e_l - y[0]) + g_e * (0 - y[0]) + g_i * (-0.1 - y[0]) + 100 * pA) / c]

    # until 1 ms only the leak and the current act: V = E_L + (I/g_l)(1 - exp(-t/tau))
    tau = c / g_l
    v1 = e_l + 100 * pA / g_l * (1 - math.exp(-1 * ms / tau))
    ref = solve_ivp(rhs, (1 * ms, 20 * ms), [v1], rtol=1e-12, atol=1e-15).y[0, -1]
    errors = [abs(subthreshold_v(dt)[0] - ref) for dt in (0.1 * ms, 0.05 * ms, 0.025 * ms)]
    assert errors[0] > 1e-7  # the kick is large enough to see the method's error
    ratios = [errors[0] / errors[1], errors[1] / errors[2]]
    assert all(1.6 < r < 2.4 for r in ratios), (errors, ratios)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tau_theta": 0.0}, "tau_theta"),
        ({"theta_plus": -1 * mV}, "theta_plus"),
        ({"v_reset": -40 * mV}, "v_reset"),
        ({"c_m": 0.0}, "c_m"),
    ],
)
def test_invalid_neuron_parameters_are_refused(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        AdaptiveThresholdLIF(**kwargs)
