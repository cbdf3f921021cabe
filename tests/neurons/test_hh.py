"""Hodgkin-Huxley models against Brian2, NEST's published trace and solve_ivp.

* Brian2 2.9.0 (numpy target) on the COBAHH neuron with exponential Euler: the same algorithm,
  so the same trace to rounding.
* NEST's ``testsuite/unittests/test_hh_cond_exp_traub.sli``: the V_m trace of hh_cond_exp_traub
  (GSL RKF45) to its 6 printed digits.
* solve_ivp (DOP853, rtol 1e-10) on traces and spike times of both models.
* The removable singularities of the rate functions, and clear errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from snn.core import ConfigurationError, Network, SimulationError, SNNWarning, UnitWarning
from snn.core.units import ms, mV, nS, pA, pF
from snn.neurons import HHSquid, HHTraubMiles, SpikeSourceArray, StepCurrent
from snn.neurons._hh import squid_rates, traub_rates
from snn.synapses import OneToOne


def run_single(model, duration, *, dt=0.1 * ms, init=None):
    """One neuron with V recorded every step and its spikes (one structure for all tests)."""
    net = Network(dt=dt)
    pop = net.add_population(model, 1, init=init)
    mon = net.record_state(pop, "v")
    spikes = net.record_spikes(pop)
    net.run(duration)
    return spikes, mon.record()


# ---------------------------------------------------------------------------------------------
# Brian2: the COBAHH neuron (Brian2's examples/COBAHH.py equations and parameters) plus a
# current I = 300 pA, v = -65 mV, m = n = h = 0, ge = 40 nS, gi = 50 nS at t = 0,
# method="exponential_euler", dt = 0.1 ms, numpy target, StateMonitor(P, "v", record=0) read at
# t = k dt. Spikes (threshold v > -20 mV, refractory 3 ms) at 3.0, 15.7 and 34.3 ms: the start
# of the step whose end is above threshold (ours are stamped at its end).
BRIAN2_V = {  # t [ms] -> V [V]
    2.0: -0.05204954159531624,
    3.0: -0.02670665125523019,
    10.0: -0.061468440462930235,
    15.7: -0.025912107923442437,
    20.0: -0.07923135764077266,
    34.3: -0.02992871197123153,
    49.9: -0.05868284906467692,
}


def test_exponential_euler_is_brian2s():
    init = {"v": -65 * mV, "m": 0.0, "h": 0.0, "n": 0.0, "g_ex": 40 * nS, "g_in": 50 * nS}
    model = HHTraubMiles(method="exp_euler", i_e=300 * pA)
    spikes, rec = run_single(model, 50 * ms, init=init)
    v = rec.values["v"][:, 0]
    for t, v_b2 in BRIAN2_V.items():
        k = round(t / 0.1) - 1  # our sample k holds V at (k + 1) dt
        # the same operations in another order: rounding only (measured 2e-14 V)
        assert v[k] == pytest.approx(v_b2, abs=1e-12)
    np.testing.assert_allclose(spikes.times, np.array([3.0, 15.7, 34.3]) * ms + 0.1 * ms)


# ---------------------------------------------------------------------------------------------
# NEST test_hh_cond_exp_traub.sli: V_m = 10 mV, g_Na = 19000 nS, g_K = 5000 nS, g_L = 9 nS,
# C_m = 110 pF, E_Na = 40, E_K = -80, E_L = -70, E_ex = 1, E_in = -90 mV, tau_syn_ex = 0.3 ms,
# tau_syn_in = 3 ms, I_e = 1 pA, V_T = -63 mV (default); spikes of weight 1 nS at 0.1 and
# 1.2 ms with NEST's default delay 1 ms; a dc_generator of 100 pA (delay 1 ms, so it acts from
# 1.1 ms on); the gates keep the values the constructor gave them from the default E_L = -60 mV
# put into the *unshifted* rate formulas. Voltmeter at steps 1..40, 6 digits.
NEST_V_MV = [
    39.1934, 38.5037, 33.1563, 22.1761, 7.13172, -8.72846, -23.1221, -35.9526, -51.8259,
    -66.9994, -73.9833, -76.4715, -77.4865, -77.9377, -78.1358, -78.2039, -78.1978, -78.1458,
    -78.0638, -77.9615, -77.8452, -77.7191, -77.526, -77.3464, -77.1764, -77.0134, -76.8556,
    -76.7019, -76.5514, -76.4035, -76.2577, -76.1137, -75.9714, -75.8306, -75.6911, -75.553,
    -75.416, -75.2803, -75.1457, -75.0123,
]  # fmt: skip
NEST_G_EX_NS = {11: 1.0, 12: 0.716531, 13: 0.513416, 22: 1.02556, 23: 0.734845}  # step -> g_ex


def test_nest_hh_cond_exp_traub_reference():
    am, bm, ah, bh, an, bn = traub_rates(-60 * mV, 0.0)  # NEST's constructor, V = E_L = -60
    init = {"v": 10 * mV, "m": am / (am + bm), "h": ah / (ah + bh), "n": an / (an + bn)}
    model = HHTraubMiles(
        method="rkf45", tol=1e-9, g_na=19000 * nS, g_k=5000 * nS, g_l=9 * nS, c_m=110 * pF,
        e_na=40 * mV, e_k=-80 * mV, e_l=-70 * mV, e_ex=1 * mV, e_in=-90 * mV,
        tau_syn_ex=0.3 * ms, tau_syn_in=3 * ms, t_ref=3.5 * ms, i_e=1 * pA,
    )  # fmt: skip
    net = Network(dt=0.1 * ms)
    # stamps 1.0 and 2.1 ms with our one-step delay: in the state at 1.1 and 2.2 ms, as NEST's
    src = net.add_population(SpikeSourceArray(times=[1.0 * ms, 2.1 * ms], indices=[0, 0]), 1)
    pop = net.add_population(model, 1, init=init)
    net.connect(src, pop, rule=OneToOne(), weight=1 * nS, receptor="exc")
    net.add_drive(StepCurrent(times=[1.1 * ms], amplitudes=[100 * pA]), pop)
    mon = net.record_state(pop, ["v", "g_ex"])
    net.run(4 * ms)
    rec = mon.record()
    # NEST integrates with GSL RKF45 at an absolute tolerance of 1e-3 mV per substep; ours
    # (1e-9) is the exact trajectory to 1e-6 mV: the difference is NEST's error (1.4e-3 mV)
    np.testing.assert_allclose(rec.values["v"][:, 0] / mV, NEST_V_MV, atol=3e-3, rtol=0)
    for step, g in NEST_G_EX_NS.items():
        # ours decays exactly; NEST integrates g with the same RKF45 (0.513416 at step 13 where
        # exp(-0.2 / 0.3) = 0.5134171)
        assert rec.values["g_ex"][step - 1, 0] / nS == pytest.approx(g, abs=5e-6)


# ---------------------------------------------------------------------------------------------
# solve_ivp, written in NEST's units (ms, mV, nS, pF, pA) from the published rate functions


def _traub(v, v_t=-63.0):
    u = v - v_t
    return (
        0.32 * (13 - u) / math.expm1((13 - u) / 4),
        0.28 * (u - 40) / math.expm1((u - 40) / 5),
        0.128 * math.exp((17 - u) / 18),
        4 / (1 + math.exp((40 - u) / 5)),
        0.032 * (15 - u) / math.expm1((15 - u) / 5),
        0.5 * math.exp((10 - u) / 40),
    )


def _squid(v):
    return (
        0.1 * (v + 40) / -math.expm1(-(v + 40) / 10),
        4 * math.exp(-(v + 65) / 18),
        0.07 * math.exp(-(v + 65) / 20),
        1 / (1 + math.exp(-(v + 35) / 10)),
        0.01 * (v + 55) / -math.expm1(-(v + 55) / 10),
        0.125 * math.exp(-(v + 65) / 80),
    )


CASES = {
    # model class, rates, (C_m, g_L, E_L, g_Na, E_Na, g_K, E_K), I_e [pA], V0 [mV]
    "traub": (HHTraubMiles, _traub, (200, 10, -60, 20000, 50, 6000, -90), 150.0, -60.0),
    "squid": (HHSquid, _squid, (100, 30, -54.402, 12000, 50, 3600, -77), 1000.0, -65.0),
}


def _reference(case, t_end):
    _, rates, (c_m, g_l, e_l, g_na, e_na, g_k, e_k), i_e, v0 = CASES[case]

    def rhs(t, y):
        v, m, h, n = y
        am, bm, ah, bh, an, bn = rates(v)
        i_ion = g_l * (e_l - v) + g_na * m**3 * h * (e_na - v) + g_k * n**4 * (e_k - v)
        return [(i_ion + i_e) / c_m, am * (1 - m) - bm * m, ah * (1 - h) - bh * h,
                an * (1 - n) - bn * n]  # fmt: skip

    am, bm, ah, bh, an, bn = rates(v0)
    y0 = [v0, am / (am + bm), ah / (ah + bh), an / (an + bn)]
    return solve_ivp(
        rhs, (0, t_end), y0, method="DOP853", rtol=1e-10, atol=1e-10, dense_output=True
    )


@pytest.mark.parametrize(
    ("case", "method", "dt", "tol_mv"),
    [
        # RK4 needs dt (g_Na + g_K + g_L) / C_m < 2.8; its global error at 0.01 ms: 4e-3 mV
        ("traub", "rk4", 0.01 * ms, 2e-2),
        ("squid", "rk4", 0.01 * ms, 2e-2),
        # rkf45 with a local tolerance of 1e-6 mV per substep: global error measured 2e-4 mV
        ("traub", "rkf45", 0.1 * ms, 2e-3),
    ],
)
def test_trace_and_spike_times_match_solve_ivp(case, method, dt, tol_mv):
    cls, _, _, i_e, _ = CASES[case]
    t_end = 40.0
    model = cls(method=method, i_e=i_e * pA, tol=1e-6, spike_detection="threshold")
    spikes, rec = run_single(model, t_end * ms, dt=dt)
    ref = _reference(case, t_end)
    t = rec.times / ms
    v_ref = ref.sol(t)[0]
    # the action potentials are fast (1 mV per microsecond): compare the trace in mV and the
    # crossing times of the detection threshold to within one step
    assert np.max(np.abs(rec.values["v"][:, 0] / mV - v_ref)) < tol_mv
    v_th = cls().v_th / mV
    fine = np.arange(0.0, t_end, 1e-4)
    vf = ref.sol(fine)[0]
    up = fine[1:][(vf[:-1] < v_th) & (vf[1:] >= v_th)]
    assert len(up) >= 2
    assert len(up) == spikes.n_spikes
    assert np.all((spikes.times / ms >= up - 1e-6) & (spikes.times / ms < up + dt / ms + 1e-6))


@pytest.mark.parametrize("case", ["traub", "squid"])
def test_peak_detection_is_the_first_fall_above_threshold(case):
    """NEST's rule on the exact trajectory: at the end of a step, V >= v_th and V lower than at
    the step's start (refractory 2 ms); the stamps must be those of the reference sampled on the
    grid, and each 0.1-0.5 ms after the upward crossing."""
    cls, _, _, i_e, _ = CASES[case]
    t_end, dt = 40.0, 0.1
    model = cls(method="rkf45", i_e=i_e * pA, tol=1e-6, spike_detection="peak", t_ref=2 * ms)
    spikes, _ = run_single(model, t_end * ms)
    v_grid = _reference(case, t_end).sol(np.arange(0, round(t_end / dt) + 1) * dt)[0]
    v_th = model.v_th / mV
    stamps, refr_until = [], -1
    for j in range(1, v_grid.size):
        if j > refr_until and v_grid[j] >= v_th and v_grid[j] < v_grid[j - 1]:
            stamps.append(j)
            refr_until = j + 20
    assert len(stamps) >= 2
    np.testing.assert_allclose(spikes.times / ms, np.array(stamps) * dt, atol=1e-9)
    crossing = cls(method="rkf45", i_e=i_e * pA, tol=1e-6, spike_detection="threshold")
    up = run_single(crossing, t_end * ms)[0].times
    assert np.all((spikes.times - up > 0.05 * ms) & (spikes.times - up < 0.55 * ms))


# ---------------------------------------------------------------------------------------------
# removable singularities of the rates: x / (exp(x) - 1) at x = 0


@pytest.mark.parametrize(
    ("rates", "v_mv", "index", "limit"),
    [
        # Traub & Miles with V_T = 0: alpha_m at u = 13 mV -> 0.32 * 4, beta_m at 40 -> 0.28 * 5,
        # alpha_n at 15 -> 0.032 * 5 [1/ms]
        (traub_rates, 13.0, 0, 1.28),
        (traub_rates, 40.0, 1, 1.4),
        (traub_rates, 15.0, 4, 0.16),
        # squid: alpha_m at -40 mV -> 0.1 * 10, alpha_n at -55 mV -> 0.01 * 10 [1/ms]
        (squid_rates, -40.0, 0, 1.0),
        (squid_rates, -55.0, 4, 0.1),
    ],
)
def test_rates_are_finite_and_continuous_at_their_singularities(rates, v_mv, index, limit):
    at = rates(v_mv * mV, 0.0)[index]
    assert at == pytest.approx(limit * 1e3, rel=1e-15)  # [1/s]
    for dv in (1e-9, 1e-6, 1e-3):
        near = [rates((v_mv + s * dv) * mV, 0.0)[index] for s in (-1, 1)]
        # slope of x / (e^x - 1) is -1/2 at 0: |change| ~ limit * dx / 2 with dx = dv / scale
        assert all(abs(r - at) < 1e3 * limit * dv for r in near)


def test_shared_exponential_traub_step_equals_the_generic_one():
    # _traub_exp_euler derives the six rate exponentials from two (powers of one exponential);
    # against the generic body with the six written out, over -200..+200 mV around V_T and
    # exactly at the removable singularities u = 13, 15, 40 mV
    from snn.neurons._hh import _hh_exp_euler, _traub_exp_euler

    model = HHTraubMiles()
    c = model.constants(0.1 * ms)
    names = ("v_t", "g_l", "e_l", "g_na", "e_na", "g_k", "e_k", "e_ex", "e_in", "inv_c")
    mem = tuple(float(c[k]) for k in names)
    v_t = float(c["v_t"])
    u_mv = np.concatenate([np.linspace(-200.0, 200.0, 4001), [13.0, 15.0, 40.0]])
    for v in v_t + u_mv * mV:
        state = (v, 0.3, 0.5, 0.4, 30 * nS, 100 * nS)
        ref = _hh_exp_euler(traub_rates, True, *state, 50 * pA, mem, 0.1 * ms)
        new = _traub_exp_euler(*state, 50 * pA, mem, 0.1 * ms)
        # the derived exponentials carry at most ~10 ulp more rounding (x^10 by squaring);
        # the cut-over to the series 1 - x/2 within 1e-6 of a singularity costs < 1e-10 relative
        np.testing.assert_allclose(new, ref, rtol=1e-10, atol=0)


# ---------------------------------------------------------------------------------------------
# errors


def test_explicit_methods_warn_about_unstable_time_steps():
    with pytest.warns(SNNWarning, match="diverge"):
        Network(dt=0.1 * ms).add_population(HHTraubMiles(method="rk4"), 1)
    Network(dt=0.01 * ms).add_population(HHTraubMiles(method="rk4"), 1)  # no warning


def test_diverging_euler_stops_with_population_neuron_variable_and_time():
    # forward Euler at dt = 0.1 ms, where (g_Na + g_K) / C_m = 130/ms calls for 0.015 ms
    net = Network(dt=0.1 * ms)
    with pytest.warns(SNNWarning, match="diverge"):
        pop = net.add_population(HHTraubMiles(method="euler", i_e=200 * pA), 2, name="hh")
    net.record_state(pop, "v")
    net.record_spikes(pop)
    with pytest.raises(SimulationError, match=r"`v` of neuron 0 of population 'hh'.* t = "):
        net.run(50 * ms)


def test_rkf45_negative_conductance_ends_with_an_error_not_a_hang():
    # as the AdEx case: g_ex = -3 S, V runs away; RKF45 (the default) gives up within a step
    net = Network(dt=0.1 * ms)
    with pytest.warns(UnitWarning, match="`g_ex` = -3.0 S is an unusual conductance"):
        net.add_population(HHTraubMiles(), 2, name="hh", init={"g_ex": -3.0})
    with pytest.raises(SimulationError, match=r"`v` of neuron 0 of population 'hh'"):
        net.run(1 * ms)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"c_m": 0.0}, "c_m"),
        ({"g_l": 0.0}, "g_l"),
        ({"g_na": -1 * nS}, "g_na"),
        ({"tau_syn_ex": 0.0}, "tau_syn_ex"),
        ({"t_ref": -1 * ms}, "t_ref"),
        ({"v_t": float("inf")}, "v_t"),
        ({"method": "rk2"}, "method"),
        ({"tol": -1.0}, "tol"),
    ],
)
def test_parameters_outside_their_range_are_refused(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        HHTraubMiles(**kwargs)


def test_resting_state_defaults():
    # HHSquid starts at -65 mV with its gates at steady state, NEST hh_psc_alpha's rest: it
    # stays there (E_L = -54.402 mV is chosen for that) to 0.01 mV over 50 ms
    _, rec = run_single(HHSquid(method="rkf45"), 50 * ms)
    assert np.max(np.abs(rec.values["v"][:, 0] + 65 * mV)) < 0.01 * mV


# ---------------------------------------------------------------------------------------------
# benchmark (not a test): the COBAHH update alone, 4000 neurons x 10000 steps (1 s at 0.1 ms),
# the generic exponential-Euler body (ten exponentials) against hh_traub_exp_euler_step (six),
# alternating, best of ``repeats``: ``uv run --no-sync python tests/neurons/test_hh.py [repeats]``


def _kernel_benchmark(repeats: int) -> None:
    import time

    import numba

    from snn.neurons._hh import _hh_exp_euler, _traub_exp_euler

    c = HHTraubMiles().constants(0.1 * ms)
    names = ("v_t", "g_l", "e_l", "g_na", "e_na", "g_k", "e_k", "e_ex", "e_in", "inv_c")
    mem = tuple(float(c[k]) for k in names)
    i_e, p_ex = float(c["i_e"]), float(c["p_ex"])

    @numba.njit(error_model="numpy")
    def run_generic(v, m, h, n, g_ex, g_in, inp, n_steps, mem):
        for s in range(n_steps):
            for i in range(v.size):
                v[i], m[i], h[i], n[i] = _hh_exp_euler(
                    traub_rates, True, v[i], m[i], h[i], n[i], g_ex[i], g_in[i], i_e, mem, 1e-4
                )
                g_ex[i] = g_ex[i] * p_ex + inp[(i + 7 * s) & 8191]
        return v

    @numba.njit(error_model="numpy")
    def run_shared(v, m, h, n, g_ex, g_in, inp, n_steps, mem):
        for s in range(n_steps):
            for i in range(v.size):
                v[i], m[i], h[i], n[i] = _traub_exp_euler(
                    v[i], m[i], h[i], n[i], g_ex[i], g_in[i], i_e, mem, 1e-4
                )
                g_ex[i] = g_ex[i] * p_ex + inp[(i + 7 * s) & 8191]
        return v

    rng = np.random.default_rng(1)
    inp = np.where(rng.random(8192) < 0.02, 6 * nS, 0.0)  # 2 % of neurons get a spike per step

    def fresh():
        r = np.random.default_rng(2)
        v = r.normal(-65 * mV, 5 * mV, 4000)
        g_ex = np.abs(r.normal(40 * nS, 15 * nS, 4000))
        g_in = np.abs(r.normal(200 * nS, 120 * nS, 4000))
        zeros = np.zeros(4000)
        return v, zeros.copy(), zeros.copy(), zeros.copy(), g_ex, g_in

    runs = {"generic (10 exp)": run_generic, "shared exp (6 exp)": run_shared}
    best = dict.fromkeys(runs, math.inf)
    for run in runs.values():
        run(*fresh(), inp, 10, mem)  # compile
    for _ in range(repeats):
        for name, run in runs.items():
            state = fresh()
            t0 = time.perf_counter()
            run(*state, inp, 10000, mem)
            best[name] = min(best[name], time.perf_counter() - t0)
    for name, t in best.items():
        print(f"HHTraubMiles exp_euler update, 4000 neurons x 10000 steps, {name}: {t:.3f} s")


if __name__ == "__main__":
    import sys

    _kernel_benchmark(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
