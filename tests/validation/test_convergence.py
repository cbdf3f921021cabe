"""Convergence order of every fixed-step method of the nonlinear models (NEST's test style).

Each model is integrated over a few milliseconds with dt = 2**-k ms, without spikes or resets
(resets are discontinuous and would measure the spike-time quantisation instead), from a state
where every term matters: synaptic variables decaying, adaptation, the exponential or quadratic
term, an action potential for Hodgkin-Huxley (no reset there). The error of V at the end against
solve_ivp (DOP853, rtol 1e-11, atol 1e-12 in mV) gives the order as the slope of log2(error)
against log2(dt). The ranges of k keep the error above the reference's own (~1e-9 mV) and dt in
the asymptotic (and, for the explicit methods on Hodgkin-Huxley, the stable) regime.

Measured orders: AdEx RK4 3.74, exponential Euler 1.01, Euler 1.03; Izhikevich RK4 4.13,
exponential Euler 1.01, Euler 1.00; Hodgkin-Huxley RK4 3.97, exponential Euler 1.12, Euler 1.08.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from snn.core import Network
from snn.core.units import ms, mV, nS, pA
from snn.neurons import AdExCondExp, HHTraubMiles, Izhikevich

T_MS = 8.0

# AdEx: NEST's defaults with slower synapses (2 and 5 ms: with 0.2 ms, dt = 0.5 ms is not yet
# asymptotic), V from -60 mV with g_ex = 20 nS, g_in = 10 nS, w = 50 pA and I_e = 400 pA: V
# climbs to about -53 mV, where the exponential term is a third of the leak.
ADEX = {"tau_syn_ex": 2 * ms, "tau_syn_in": 5 * ms, "i_e": 400 * pA}
ADEX_INIT = {"v": -60 * mV, "w": 50 * pA, "g_ex": 20 * nS, "g_in": 10 * nS}

# Izhikevich RS below rheobase: I = 2 (mV/ms), from v = -65 mV, u = b v (where I = 3 would be
# an equilibrium)
IZH_INIT = {"v": -65 * mV, "u": 200.0 * -65 * mV}

# Traub & Miles: from V = -52 mV, gates at 0, g_ex = 40 nS: an action potential at ~1 ms
HH_INIT = {"v": -52 * mV, "m": 0.0, "h": 0.0, "n": 0.0, "g_ex": 40 * nS, "g_in": 0.0}


def _adex_ref():
    g_l, e_l, v_th, d_t, c_m, a, tau_w = 30.0, -70.6, -50.4, 2.0, 281.0, 4.0, 144.0

    def rhs(t, y):
        v, w = y
        g_ex, g_in = 20.0 * math.exp(-t / 2.0), 10.0 * math.exp(-t / 5.0)
        i = g_l * (e_l - v) + g_l * d_t * math.exp((v - v_th) / d_t) + g_ex * (0.0 - v)
        i += g_in * (-85.0 - v) - w + 400.0
        return [i / c_m, (a * (v - e_l) - w) / tau_w]

    return _solve(rhs, [-60.0, 50.0])


def _izh_ref():
    def rhs(t, y):
        v, u = y
        return [0.04 * v * v + 5 * v + 140 - u + 2.0, 0.02 * (0.2 * v - u)]

    return _solve(rhs, [-65.0, -13.0])


def _hh_ref():
    c_m, g_l, e_l, g_na, e_na, g_k, e_k, v_t = (
        200.0,
        10.0,
        -60.0,
        20000.0,
        50.0,
        6000.0,
        -90.0,
        -63.0,
    )

    def rhs(t, y):
        v, m, h, n = y
        u = v - v_t
        am = 0.32 * (13 - u) / math.expm1((13 - u) / 4)
        bm = 0.28 * (u - 40) / math.expm1((u - 40) / 5)
        ah = 0.128 * math.exp((17 - u) / 18)
        bh = 4 / (1 + math.exp((40 - u) / 5))
        an = 0.032 * (15 - u) / math.expm1((15 - u) / 5)
        bn = 0.5 * math.exp((10 - u) / 40)
        g_ex = 40.0 * math.exp(-t / 5.0)
        i = g_l * (e_l - v) + g_na * m**3 * h * (e_na - v) + g_k * n**4 * (e_k - v) - g_ex * v
        return [i / c_m, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]

    return _solve(rhs, [-52.0, 0.0, 0.0, 0.0])


def _solve(rhs, y0):
    sol = solve_ivp(rhs, (0.0, T_MS), y0, method="DOP853", rtol=1e-11, atol=1e-12)
    return sol.y[0, -1]


RK4, FIRST = (3.5, 4.5), (0.8, 1.2)  # accepted bands of the measured order
# name: (model, initial state, reference, exponents k of dt = 2**-k ms, order band)
CASES = {
    "adex-rk4": (AdExCondExp(method="rk4", **ADEX), ADEX_INIT, _adex_ref, range(4), RK4),
    "adex-exp_euler": (
        AdExCondExp(method="exp_euler", **ADEX),
        ADEX_INIT,
        _adex_ref,
        range(2, 7),
        FIRST,
    ),
    "adex-euler": (AdExCondExp(method="euler", **ADEX), ADEX_INIT, _adex_ref, range(2, 7), FIRST),
    "izhikevich-rk4": (Izhikevich(method="rk4", i_e=2 * pA), IZH_INIT, _izh_ref, range(4), RK4),
    "izhikevich-exp_euler": (
        Izhikevich(method="exp_euler", i_e=2 * pA),
        IZH_INIT,
        _izh_ref,
        range(2, 7),
        FIRST,
    ),
    "izhikevich-euler": (
        Izhikevich(method="euler", i_e=2 * pA),
        IZH_INIT,
        _izh_ref,
        range(2, 7),
        FIRST,
    ),
    "hh-rk4": (HHTraubMiles(method="rk4"), HH_INIT, _hh_ref, range(6, 10), RK4),
    "hh-exp_euler": (HHTraubMiles(method="exp_euler"), HH_INIT, _hh_ref, range(8, 13), FIRST),
    "hh-euler": (HHTraubMiles(method="euler"), HH_INIT, _hh_ref, range(8, 13), FIRST),
}


@pytest.mark.parametrize("case", list(CASES))
def test_convergence_order(case):
    model, init, reference, ks, (low, high) = CASES[case]
    v_ref = reference()
    dts, errors = [], []
    for k in ks:
        dt = 2.0**-k * ms
        net = Network(dt=dt)
        pop = net.add_population(model, 1, init=init)
        spikes = net.record_spikes(pop)
        net.run(T_MS * ms)
        # no reset within the interval (a Hodgkin-Huxley spike does not reset)
        assert spikes.n_spikes == 0 or isinstance(model, HHTraubMiles)
        dts.append(dt)
        errors.append(abs(pop.get("v")[0] / mV - v_ref))
    order = np.polyfit(np.log2(dts), np.log2(errors), 1)[0]
    assert low <= order <= high, (case, order, errors)
