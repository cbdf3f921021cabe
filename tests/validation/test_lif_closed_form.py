"""LIF models against closed-form solutions (the NEST test style: test_iaf_ps_dc_accuracy.py).

Exact integrators must reproduce the analytic membrane potential to rounding error for every
time step tried, dt = 2**-k ms; spike times are on the grid, so the first spike must come within
one step after the analytic crossing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import ms, mV, pA, pF
from snn.neurons import LIFDelta, LIFExp, SpikeSourceArray
from snn.synapses import OneToOne

TAU_M = 10 * ms
C_M = 250 * pF
E_L = -70 * mV
I_E = 1000 * pA  # R I = tau_m / C_m * I = 40 mV: V_inf = -30 mV
DTS = [2.0**-k * ms for k in range(5)]

# Relative tolerance of the exact propagators: the error of V - E_L after n steps is a few ulps
# of 40 mV per step, far below 1e-10 of the excursion (the bound).
RTOL = 1e-10


def v_dc(t: np.ndarray) -> np.ndarray:
    """V(t) from V(0) = E_L under constant current I_E (no threshold)."""
    return E_L + TAU_M / C_M * I_E * (1.0 - np.exp(-t / TAU_M))


@pytest.mark.parametrize("model_cls", [LIFDelta, LIFExp])
@pytest.mark.parametrize("dt", DTS)
def test_membrane_under_dc_matches_closed_form(model_cls, dt):
    net = Network(dt=dt, seed=0)
    model = model_cls(tau_m=TAU_M, c_m=C_M, e_l=E_L, i_e=I_E, v_th=100 * mV, v_reset=E_L)
    pop = net.add_population(model, 1)
    mon = net.record_state(pop, "v")
    net.run(50 * ms)
    rec = mon.record()
    exact = v_dc(rec.times)
    err = np.max(np.abs(rec.values["v"][:, 0] - exact)) / np.max(np.abs(exact - E_L))
    assert err < RTOL


@pytest.mark.parametrize("model_cls", [LIFDelta, LIFExp])
@pytest.mark.parametrize("dt", DTS)
def test_first_spike_within_one_step_of_analytic_crossing(model_cls, dt):
    v_th = -55 * mV
    net = Network(dt=dt, seed=0)
    model = model_cls(tau_m=TAU_M, c_m=C_M, e_l=E_L, i_e=I_E, v_th=v_th, v_reset=E_L)
    pop = net.add_population(model, 1)
    mon = net.record_spikes(pop)
    net.run(20 * ms)
    # V(t*) = v_th  =>  t* = -tau_m log(1 - (v_th - E_L) / (R I))
    t_star = -TAU_M * math.log(1.0 - (v_th - E_L) / (TAU_M / C_M * I_E))
    t_first = mon.times[0]
    # spikes are stamped at the end of the step of the crossing: t* <= t_first < t* + dt
    assert t_star <= t_first + 1e-12 * dt
    assert t_first < t_star + dt


@pytest.mark.parametrize("dt", DTS)
@pytest.mark.parametrize("tau_syn", [2 * ms, TAU_M])  # TAU_M: the degenerate propagator
def test_exponential_psc_and_psp_match_closed_form(dt, tau_syn):
    w = 100 * pA
    t_spike, delay = 2 * ms, 1 * ms
    net = Network(dt=dt, seed=0)
    src = net.add_population(SpikeSourceArray(times=[t_spike], indices=[0]), 1)
    model = LIFExp(tau_m=TAU_M, c_m=C_M, e_l=E_L, v_th=0.0, v_reset=-80 * mV, tau_syn_ex=tau_syn)
    post = net.add_population(model, 1)
    net.connect(src, post, rule=OneToOne(), weight=w, delay=delay, receptor="exc")
    mon = net.record_state(post, ["v", "i_ex"])
    net.run(30 * ms)
    rec = mon.record()
    s = rec.times - (t_spike + delay)
    after = s >= -1e-12 * dt
    i_exact = np.where(after, w * np.exp(-np.maximum(s, 0) / tau_syn), 0.0)
    # V - E_L = w / C_m * integral_0^s exp(-(s-u)/tau_m) exp(-u/tau_s) du
    if tau_syn == TAU_M:
        shape = np.maximum(s, 0) * np.exp(-np.maximum(s, 0) / TAU_M)
    else:
        a = 1 / tau_syn - 1 / TAU_M
        shape = np.exp(-np.maximum(s, 0) / TAU_M) * (-np.expm1(-np.maximum(s, 0) * a)) / a
    v_exact = E_L + np.where(after, w / C_M * shape, 0.0)
    i_err = np.max(np.abs(rec.values["i_ex"][:, 0] - i_exact)) / w
    v_err = np.max(np.abs(rec.values["v"][:, 0] - v_exact)) / np.max(np.abs(v_exact - E_L))
    assert i_err < RTOL
    assert v_err < RTOL


@pytest.mark.parametrize("delay_steps", [1, 2, 7, 15, 16, 40])
def test_spike_reaches_target_exactly_after_its_delay(delay_steps):
    dt = 0.1 * ms
    w = 1 * mV
    t_spike = 1.0 * ms  # emitted by the step ending at 1 ms (step index 9)
    net = Network(dt=dt, seed=0)
    src = net.add_population(SpikeSourceArray(times=[t_spike], indices=[0]), 1)
    post = net.add_population(
        LIFDelta(tau_m=10 * ms, e_l=0.0, v_reset=-1 * mV, v_th=50 * mV), 1, init={"v": 0.0}
    )
    net.connect(src, post, rule=OneToOne(), weight=w, delay=delay_steps * dt)
    mon = net.record_state(post, "v")
    spikes = net.record_spikes(src)
    net.run(10 * ms)
    assert spikes.steps.tolist() == [10]
    v = mon.record().values["v"][:, 0]
    steps = np.rint(mon.record().times / dt).astype(int)
    arrival = 10 + delay_steps
    assert np.all(v[steps < arrival] == 0.0)
    assert v[steps == arrival][0] == pytest.approx(w, rel=1e-12)
