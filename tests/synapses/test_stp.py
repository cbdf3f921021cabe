"""Tsodyks-Markram synapses against NEST's published test values and the analytic steady state."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

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


# ---------------------------------------------------------------------------------------------
# Irregular trains against plain-Python transcriptions of the published equations (oracles).


def tsodyks_oracle(steps, dt, big_u, tau_psc, tau_rec, tau_fac, u0, x0, y0):
    """Tsodyks, Pawelzik & Markram (1998), Eqs. 1-3 (three resource states, NEST
    tsodyks_synapse's documented form): between spikes the linear system
    dx/dt = (1 - x - y) / tau_rec, dy/dt = -y / tau_psc, du/dt = -u / tau_fac is advanced by the
    matrix exponential of its generator (not by NEST's closed-form propagators); at a spike
    u += U (1 - u), then dy = u x is moved from x to y and transmitted. The first interval is
    measured from t = 0 (NEST's t_lastspike = 0)."""
    from scipy.linalg import expm

    gen = np.array(
        [[-1 / tau_rec, -1 / tau_rec, 1 / tau_rec], [0.0, -1 / tau_psc, 0.0], [0.0, 0.0, 0.0]]
    )
    state = np.array([x0, y0, 1.0])
    u, t_last, out = u0, 0.0, []
    for k in steps:
        t = k * dt  # the spike's time stamp
        state = expm(gen * (t - t_last)) @ state
        u = 0.0 if tau_fac == 0 else u * math.exp(-(t - t_last) / tau_fac)
        u += big_u * (1.0 - u)
        dy = u * state[0]
        state[0] -= dy
        state[1] += dy
        out.append(dy)
        t_last = t
    return np.array(out)


def tsodyks2_oracle(steps, dt, big_u, tau_rec, tau_fac, u0, x0):
    """Maass & Markram (2002), Eqs. 4-5 (the recurrence NEST's tsodyks2_synapse documents):
    the n-th spike transmits A u_n R_n with u_1 = u0, R_1 = x0 and, for an interval D_n,
    u_{n+1} = U + u_n (1 - U) exp(-D_n / tau_fac), R_{n+1} = 1 + (R_n - u_n R_n - 1)
    exp(-D_n / tau_rec)."""
    u, r, out = u0, x0, [u0 * x0]
    for k_prev, k in itertools.pairwise(steps):
        d = (k - k_prev) * dt
        u_next = big_u + u * (1.0 - big_u) * (0.0 if tau_fac == 0 else math.exp(-d / tau_fac))
        r = 1.0 + (r - u * r - 1.0) * math.exp(-d / tau_rec)
        u = u_next
        out.append(u * r)
    return np.array(out)


def transmitted(syn, steps, tau_syn, weight):
    """Amount transmitted by each spike of a train (spike times ``steps * dt``) through ``syn``,
    read off as the jumps of the target's exponential current (one network structure for every
    train)."""
    dt = 0.1 * ms
    net = Network(dt=dt)
    times = np.asarray(steps) * dt
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(len(steps), int)), 1)
    post = net.add_population(LIFExp(tau_syn_ex=tau_syn, v_th=1.0), 1)
    net.connect(src, post, rule=OneToOne(), weight=weight, delay=dt, receptor="exc", synapse=syn)
    mon = net.record_state(post, "i_ex")
    net.run(times[-1] + 0.2 * ms)
    i = mon.record().values["i_ex"][:, 0]
    k = np.asarray(steps)  # sample k holds the state at (k + 1) dt, after the spike's arrival
    return (i[k] - i[k - 1] * math.exp(-dt / tau_syn)) / weight


def _trains():
    """Irregular trains of 2-40 spikes: intervals from one step (0.1 ms) to 400 ms."""
    gaps = st.lists(st.one_of(st.integers(1, 30), st.integers(30, 4000)), min_size=1, max_size=39)
    return st.tuples(st.integers(2, 500), gaps).map(
        lambda sg: list(np.cumsum([sg[0], *sg[1]]).tolist())
    )


_TAU = st.floats(2.0, 1000.0)  # ms
_FAC = st.one_of(st.just(0.0), st.floats(2.0, 1000.0))


@settings(max_examples=25, deadline=None)
@given(
    steps=_trains(),
    big_u=st.floats(0.02, 0.95),
    tau_psc=st.floats(0.5, 10.0),
    tau_rec=_TAU,
    tau_fac=_FAC,
    u0=st.floats(0.0, 1.0),
    x0=st.floats(0.2, 1.0),
)
# the case: five spikes at 100 Hz, then one 300 ms later
@example(
    steps=[10, 110, 210, 310, 410, 3410], big_u=0.5, tau_psc=3.0, tau_rec=800.0, tau_fac=0.0,
    u0=0.0, x0=1.0,
)  # fmt: skip
def test_tsodyks_matches_published_equations_on_irregular_trains(
    steps, big_u, tau_psc, tau_rec, tau_fac, u0, x0
):
    assume(abs(tau_psc - tau_rec) > 1e-3)
    syn = TsodyksSynapse(
        U=big_u, tau_psc=tau_psc * ms, tau_rec=tau_rec * ms, tau_fac=tau_fac * ms, u0=u0, x0=x0
    )
    got = transmitted(syn, steps, 2 * ms, 100 * pA)
    want = tsodyks_oracle(
        steps, 0.1 * ms, big_u, tau_psc * ms, tau_rec * ms, tau_fac * ms, u0, x0, 0.0
    )
    # closed-form propagators vs expm, and jumps read off a decaying current: rounding only
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    steps=_trains(),
    big_u=st.floats(0.02, 0.95),
    tau_rec=_TAU,
    tau_fac=_FAC,
    u0=st.one_of(st.none(), st.floats(0.0, 1.0)),
    x0=st.floats(0.2, 1.0),
)
@example(
    steps=[10, 110, 210, 310, 410, 3410], big_u=0.5, tau_rec=800.0, tau_fac=0.0, u0=None, x0=1.0
)
def test_tsodyks2_matches_published_equations_on_irregular_trains(
    steps, big_u, tau_rec, tau_fac, u0, x0
):
    syn = Tsodyks2Synapse(U=big_u, tau_rec=tau_rec * ms, tau_fac=tau_fac * ms, u0=u0, x0=x0)
    got = transmitted(syn, steps, 2 * ms, 100 * pA)
    want = tsodyks2_oracle(
        steps, 0.1 * ms, big_u, tau_rec * ms, tau_fac * ms, big_u if u0 is None else u0, x0
    )
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-12)


def test_tsodyks2_recovers_over_the_interval_before_the_spike():
    """The issue's case in numbers: after five spikes at 100 Hz (U = 0.5, tau_rec = 800 ms) the
    resources are x5 = 0.0637 (the recurrence), and 300 ms of recovery before the sixth spike
    give x6 = 1 + (x5 (1 - U) - 1) exp(-300/800) = 0.334, a jump of 250 pA U x6 = 41.8 pA.
    Recovering over the previous 10 ms interval instead (the old bug) gave 6.6 pA."""
    x = 1.0
    for _ in range(4):
        x = 1.0 + (x * 0.5 - 1.0) * math.exp(-10 / 800)
    x6 = 1.0 + (x * 0.5 - 1.0) * math.exp(-300 / 800)
    got = transmitted(Tsodyks2Synapse(U=0.5, tau_rec=800 * ms), [10, 110, 210, 310, 410, 3410],
                      2 * ms, 250 * pA)  # fmt: skip
    assert got[-1] * 250 == pytest.approx(250 * 0.5 * x6, rel=1e-9)
    assert 40 < got[-1] * 250 < 45
