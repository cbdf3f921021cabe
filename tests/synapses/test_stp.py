"""Tsodyks-Markram synapses against NEST's published test values and the analytic steady state."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import ms, mV, pA, pF
from snn.neurons import LIFExp, SpikeSourceArray
from snn.synapses import OneToOne, Tsodyks2Synapse, TsodyksSynapse

# NEST testsuite/pytests/test_tsodyks_synapse.py (nest-simulator, reproducing Tsodyks, Pawelzik &
# Markram 1998, Fig. 1A/B): membrane potential [mV] of an iaf_psc_exp_htum neuron (subthreshold,
# so identical to iaf_psc_exp) sampled every 25 ms from t = 100 ms. NEST compares with atol 1e-5
# mV ("finite precision of reference timeseries"); we do the same.
DEPRESSING = [
    2.401350,
    5.302440,
    4.108330,
    4.322170,
    3.053390,
    2.871240,
    2.028640,
    1.908020,
    1.396960,
    1.375850,
    1.057780,
    1.103490,
    0.8865690,
    0.9693530,
    0.8028760,
    0.9046710,
    0.7626880,
    0.8738550,
    0.7435880,
    0.8592780,
    0.7345670,
    0.8524120,
    0.7303210,
    0.8491860,
    0.7283280,
    0.8476730,
    0.7273930,
    0.8469640,
    0.7269550,
    0.8466320,
    0.7267500,
    0.8464760,
    0.7266540,
    0.8464030,
    0.7266090,
    0.8463690,
    0.7265880,
    0.8463530,
    0.7265780,
    0.8463460,
    0.4531260,
    0.2425410,
    0.1298230,
    0.0694892,
]
FACILITATING = [
    0.4739750,
    0.7706030,
    1.297120,
    1.757990,
    2.114420,
    2.714490,
    2.785530,
    3.546150,
    3.272710,
    4.233240,
    3.583070,
    4.788130,
    3.739560,
    5.233850,
    3.767230,
    5.593890,
    3.687720,
    5.888270,
    3.881790,
    6.132580,
    4.042850,
    6.338430,
    4.178550,
    6.514250,
    4.294460,
    6.666160,
    4.394600,
    6.798620,
    4.481930,
    6.914990,
    4.558640,
    7.017830,
    4.626440,
    7.109160,
    4.686650,
    7.190620,
    4.740350,
    7.263560,
    4.788430,
    7.329110,
    4.831650,
    3.185220,
    2.099830,
    1.384290,
]


def nest_protocol(tau_m, tau_psc, tau_rec, tau_fac, big_u, weight, first, isi, last):
    """NEST's set-up: spike_generator -> parrot (delay 1 ms) -> neuron (delay 0.1 ms)."""
    dt = 0.1 * ms
    net = Network(dt=dt)
    times = np.arange(first, last, isi) + 1.0  # the parrot repeats each spike 1 ms later
    src = net.add_population(
        SpikeSourceArray(times=times * ms, indices=np.zeros(times.size, dtype=int)), 1
    )
    # R = 1 GOhm, C = tau_m / R as in the NEST test (pF with tau in ms)
    neuron = LIFExp(
        tau_m=tau_m * ms,
        c_m=tau_m * pF,
        e_l=0.0,
        v_th=15 * mV,
        v_reset=0.0,
        t_ref=2 * ms,
        tau_syn_ex=tau_psc * ms,
        tau_syn_in=tau_psc * ms,
    )
    post = net.add_population(neuron, 1, init={"v": 0.0})
    syn = TsodyksSynapse(
        U=big_u, tau_psc=tau_psc * ms, tau_rec=tau_rec * ms, tau_fac=tau_fac * ms, u0=0.0, x0=1.0
    )
    net.connect(
        src, post, rule=OneToOne(), weight=weight * pA, delay=dt, receptor="exc", synapse=syn
    )
    mon = net.record_state(post, "v", interval=25 * ms)
    net.run(1175 * ms)
    return mon.record().values["v"][3:, 0] / mV


def test_depressing_synapse_matches_nest_reference():
    v = nest_protocol(40.0, 3.0, 800.0, 0.0, 0.5, 250.0, 98.0, 50.0, 1048.1)
    np.testing.assert_allclose(v, DEPRESSING, atol=1e-5)


def test_facilitating_synapse_matches_nest_reference():
    v = nest_protocol(60.0, 1.5, 130.0, 530.0, 0.03, 1540.0, 98.1, 50.1, 1051.0)
    np.testing.assert_allclose(v, FACILITATING, atol=1e-5)


@pytest.mark.parametrize("model", ["tsodyks", "tsodyks2"])
def test_depressing_steady_state_under_regular_input(model):
    """Regular spikes every T: without facilitation u = U at every spike, and the resources
    before a spike reach the fixed point x* = (1 - e) / (1 - (1 - U) e), e = exp(-T / tau_rec)
    (Tsodyks & Markram 1997); the transmitted amplitude tends to w U x*."""
    dt, period, tau_rec, big_u, w = 0.1 * ms, 20 * ms, 500 * ms, 0.4, 100 * pA
    net = Network(dt=dt)
    n_spikes = 200
    times = (np.arange(n_spikes) + 1) * period
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(n_spikes, int)), 1)
    post = net.add_population(LIFExp(tau_syn_ex=2 * ms, v_th=1.0), 1)
    syn = (
        TsodyksSynapse(U=big_u, tau_psc=2 * ms, tau_rec=tau_rec, u0=0.0)
        if model == "tsodyks"
        else Tsodyks2Synapse(U=big_u, tau_rec=tau_rec)
    )
    net.connect(src, post, rule=OneToOne(), weight=w, delay=dt, receptor="exc", synapse=syn)
    mon = net.record_state(post, "i_ex")
    net.run(times[-1] + 0.2 * ms)
    i = mon.record().values["i_ex"][:, 0]
    e = math.exp(-period / tau_rec)
    x_star = (1 - e) / (1 - (1 - big_u) * e)
    # the last jump: the current just after the last arrival minus the decayed one before it
    k = round(times[-1] / dt)  # sample k holds the state at (k + 1) dt
    jump = i[k] - i[k - 1] * math.exp(-dt / (2 * ms))
    if model == "tsodyks":
        # in the three-state model resources recover only from the inactive state, which the
        # active state (tau_psc = 2 ms) feeds: the fixed point is the two-state one up to a
        # correction of order tau_psc / tau_rec = 0.4 % (measured -0.36 %): tolerance 1 %
        assert jump == pytest.approx(w * big_u * x_star, rel=1e-2)
    else:
        assert jump == pytest.approx(w * big_u * x_star, rel=1e-9)


def test_stp_parameters_checked():
    with pytest.raises(ConfigurationError, match="`U`"):
        TsodyksSynapse(U=1.5)
    with pytest.raises(ConfigurationError, match="`tau_rec`"):
        Tsodyks2Synapse(tau_rec=0.0)
    with pytest.raises(ConfigurationError, match="must differ"):
        TsodyksSynapse(tau_psc=5 * ms, tau_rec=5 * ms)
