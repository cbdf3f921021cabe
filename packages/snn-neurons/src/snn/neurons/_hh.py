r"""Hodgkin-Huxley neurons: Traub & Miles kinetics (COBAHH) and the classic squid axon.

Both share the membrane equation (SI units)::

    C_m dV/dt = g_L (E_L - V) + g_Na m^3 h (E_Na - V) + g_K n^4 (E_K - V) + I_syn + I_e
    dx/dt = alpha_x(V) (1 - x) - beta_x(V) x          for x in m, h, n

``HHTraubMiles`` (NEST ``hh_cond_exp_traub``; Brette et al. 2007 benchmark 3, COBAHH) has
exponential conductances, ``I_syn = g_ex (E_ex - V) + g_in (E_in - V)``, and the rates of Traub &
Miles (1991, "Neuronal networks of the hippocampus", Cambridge University Press), with
``u = V - V_T`` in mV and rates in 1/ms::

    alpha_m = 0.32 (13 - u) / (exp((13 - u) / 4) - 1)
    beta_m  = 0.28 (u - 40) / (exp((u - 40) / 5) - 1)
    alpha_h = 0.128 exp((17 - u) / 18)
    beta_h  = 4 / (1 + exp((40 - u) / 5))
    alpha_n = 0.032 (15 - u) / (exp((15 - u) / 5) - 1)
    beta_n  = 0.5 exp((10 - u) / 40)

``HHSquid`` has exponential currents, ``I_syn = I_ex + I_in``, and the squid-axon rates of
Hodgkin & Huxley (1952, J. Physiol. 117:500-544) with resting potential -65 mV, as NEST's
``hh_psc_alpha`` (V in mV, rates in 1/ms)::

    alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10))   beta_m = 4 exp(-(V + 65) / 18)
    alpha_h = 0.07 exp(-(V + 65) / 20)                    beta_h = 1 / (1 + exp(-(V + 35) / 10))
    alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55) / 10))  beta_n = 0.125 exp(-(V + 65) / 80)

The forms ``x / (exp(x) - 1)`` have a removable singularity at ``x = 0``; they are evaluated as
``1 / exprel(x)``, which is finite there (:func:`~snn.neurons._integrators.x_over_expm1`). The
rates and the exponential Euler step use :func:`~snn.neurons._integrators.exp_poly`, so the
neuron loop vectorises.

Spikes: no reset. A spike is emitted at the end of a step when ``V >= v_th`` (-20 mV for
``HHTraubMiles``, as Brian2's COBAHH example; 0 mV for ``HHSquid``) unless a spike was emitted
within the last ``t_ref``: the refractory period only blocks detection, so one action potential
gives one spike. (NEST detects the local maximum of ``V`` instead; the spike times differ by a
fraction of a millisecond.)

Order within a step: integrate over the step, add the input spikes arriving at its end, test the
threshold.

Integration (``method``):

``"exp_euler"`` (default)
    Exponential Euler as Brian2's ``exponential_euler`` (COBAHH): each of ``V, m, h, n`` relaxes
    exactly towards its steady state with the other variables frozen at the step's start,
    synaptic variables decay exactly; 1st order, and stable at dt = 0.1 ms.
``"rk4"``
    Classic Runge-Kutta for ``(V, m, h, n)`` along the exact exponential decay of the synaptic
    variables; 4th order. Explicit: stable only for ``dt (g_Na + g_K + g_L) / C_m`` below about
    2.8 (dt <= 0.021 ms with HHTraubMiles' defaults, 0.017 ms with HHSquid's); larger steps
    warn.
``"rkf45"``
    Runge-Kutta-Fehlberg 4(5) with adaptive substeps per neuron (NEST's GSL solver), local error
    per substep below ``tol`` in units of 1 mV for ``V`` and 1 for the gates (NEST uses 1e-3).
``"euler"``
    Forward Euler for every variable; 1st order; stable only below 2 instead of 2.8.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError, SNNWarning
from snn.core.kernels import kernel
from snn.core.validate import (
    require_finite,
    require_nonnegative,
    require_positive,
    warn_time_constant,
    warn_voltage,
)
from snn.neurons._integrators import (
    RKF45_MIN_FRACTION,
    exp_poly,
    rk4_4,
    rkf45_resize,
    rkf45_trial_4,
    x_over_expm1,
)
from snn.neurons._lif import _REFR, CURRENT, _refractory_steps, _times
from snn.neurons._propagators import decay

__all__ = ["HHSquid", "HHTraubMiles"]

METHODS = ("rk4", "rkf45", "exp_euler", "euler")
#: stability limits of dt times a decay rate: forward Euler 2, classic RK4 2.785
_STABILITY = {"euler": 2.0, "rk4": 2.785}


@kernel(inline="always")
def traub_rates(v, v_t):  # pragma: no cover - compiled
    """Traub & Miles rates ``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)`` [1/s]."""
    u = (v - v_t) * 1e3  # mV, as the published formulas
    return (
        1.28e3 * x_over_expm1((13.0 - u) / 4.0),
        1.4e3 * x_over_expm1((u - 40.0) / 5.0),
        128.0 * exp_poly((17.0 - u) / 18.0),
        4e3 / (1.0 + exp_poly((40.0 - u) / 5.0)),
        160.0 * x_over_expm1((15.0 - u) / 5.0),
        500.0 * exp_poly((10.0 - u) / 40.0),
    )


@kernel(inline="always")
def squid_rates(v, v_t):  # pragma: no cover - compiled
    """Hodgkin-Huxley squid-axon rates [1/s] at ``v`` (``v_t`` unused: one signature for both)."""
    u = v * 1e3  # mV
    return (
        1e3 * x_over_expm1(-(u + 40.0) / 10.0),
        4e3 * exp_poly(-(u + 65.0) / 18.0),
        70.0 * exp_poly(-(u + 65.0) / 20.0),
        1e3 / (1.0 + exp_poly(-(u + 35.0) / 10.0)),
        100.0 * x_over_expm1(-(u + 55.0) / 10.0),
        125.0 * exp_poly(-(u + 65.0) / 80.0),
    )


@kernel(inline="always")
def _hh_derivatives(t, v, m, h, n, r, p):  # pragma: no cover - compiled
    """``(dV/dt, dm/dt, dh/dt, dn/dt)`` at ``t`` [s] after the step's start, rates ``r``."""
    cond, x_ex, x_in, inv_tau_ex, inv_tau_in, i_e, mem = p
    _, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c = mem
    am, bm, ah, bh, an, bn = r
    s_ex = x_ex * math.exp(-t * inv_tau_ex)
    s_in = x_in * math.exp(-t * inv_tau_in)
    i_syn = (s_ex * (e_ex - v) + s_in * (e_in - v)) if cond else (s_ex + s_in)
    n2 = n * n
    i_ion = g_l * (e_l - v) + g_na * (m * m * m * h) * (e_na - v) + g_k * (n2 * n2) * (e_k - v)
    return (
        (i_ion + i_syn + i_e) * inv_c,
        am * (1.0 - m) - bm * m,
        ah * (1.0 - h) - bh * h,
        an * (1.0 - n) - bn * n,
    )


@kernel  # not inlined: see snn.neurons._integrators
def _traub_rhs(t, v, m, h, n, p):  # pragma: no cover - compiled
    return _hh_derivatives(t, v, m, h, n, traub_rates(v, p[6][0]), p)


@kernel  # not inlined: see snn.neurons._integrators
def _squid_rhs(t, v, m, h, n, p):  # pragma: no cover - compiled
    return _hh_derivatives(t, v, m, h, n, squid_rates(v, p[6][0]), p)


@kernel(inline="always")
def _hh_detect(v_new, refr, v_th, ref_steps):  # pragma: no cover - compiled
    """Threshold test outside the refractory period; returns ``(refr, spiked)``."""
    active = refr == 0
    spiked = active & (v_new >= v_th)
    return (ref_steps if spiked else (refr if active else refr - 1)), spiked


# The bodies below are shared by both models (``cond``: conductances, else currents; ``rhs`` or
# ``rates`` select the kinetics). ``mem`` = (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in,
# inv_c): calls with more than 30 positional arguments compile to CALL_FUNCTION_EX, which numba
# cannot inline.


@kernel(inline="always")
def _hh_rk4(
    rhs,
    cond,
    v,
    m,
    h,
    n,
    x_ex,
    x_in,
    refr,
    exc,
    inh,
    i_e,
    mem,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    p = (cond, x_ex, x_in, inv_tau_ex, inv_tau_in, i_e, mem)
    v1, m1, h1, n1 = rk4_4(rhs, dt, v, m, h, n, p)
    r_out, spiked = _hh_detect(v1, refr, v_th, ref_steps)
    return v1, m1, h1, n1, x_ex * p_ex + exc, x_in * p_in + inh, r_out, spiked


@kernel(inline="always")
def _hh_rkf45(
    rhs,
    cond,
    v,
    m,
    h,
    n,
    x_ex,
    x_in,
    refr,
    exc,
    inh,
    i_e,
    mem,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    tol,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    p = (cond, x_ex, x_in, inv_tau_ex, inv_tau_in, i_e, mem)
    s_v, s_x = tol * 1e-3, tol  # tolerances in NEST's units: 1 mV, and 1 for the gates
    t = 0.0 * dt
    hs = dt
    h_min = dt * RKF45_MIN_FRACTION
    done = False
    while not done:
        final = hs >= dt - t
        hh = dt - t if final else hs
        z_v, z_m, z_h, z_n, err = rkf45_trial_4(rhs, t, hh, v, m, h, n, p, s_v, s_x, s_x, s_x)
        accepted = err <= 1.0 or hh <= h_min
        if accepted:
            t = dt if final else t + hh
            v, m, h, n = z_v, z_m, z_h, z_n
            done = final
        hs = rkf45_resize(hh, err, accepted)
    r_out, spiked = _hh_detect(v, refr, v_th, ref_steps)
    return v, m, h, n, x_ex * p_ex + exc, x_in * p_in + inh, r_out, spiked


@kernel(inline="always")
def _relax(x, alpha, rate, dt):  # pragma: no cover - compiled
    """Exact solution of ``dx/dt = alpha - rate x`` over ``dt`` (``rate > 0``)."""
    x_inf = alpha / rate
    return x_inf + (x - x_inf) * exp_poly(-dt * rate)


@kernel(inline="always")
def _hh_exp_euler(
    rates, cond, v, m, h, n, x_ex, x_in, refr, exc, inh, i_e, mem, p_ex, p_in, v_th, ref_steps, dt
):  # pragma: no cover - compiled
    v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c = mem
    am, bm, ah, bh, an, bn = rates(v, v_t)
    n2 = n * n
    g_na_t = g_na * (m * m * m * h)
    g_k_t = g_k * (n2 * n2)
    g_syn = (x_ex + x_in) if cond else 0.0 * x_ex
    i_syn = (x_ex * e_ex + x_in * e_in) if cond else (x_ex + x_in)
    g_tot = g_l + g_na_t + g_k_t + g_syn
    v_inf = (g_l * e_l + g_na_t * e_na + g_k_t * e_k + i_syn + i_e) / g_tot
    v1 = v_inf + (v - v_inf) * exp_poly(-dt * g_tot * inv_c)
    r_out, spiked = _hh_detect(v1, refr, v_th, ref_steps)
    return (
        v1,
        _relax(m, am, am + bm, dt),
        _relax(h, ah, ah + bh, dt),
        _relax(n, an, an + bn, dt),
        x_ex * p_ex + exc,
        x_in * p_in + inh,
        r_out,
        spiked,
    )


#: constants of the shared-exponential Traub rates (see :func:`_traub_exp_euler`)
_E_3_4 = math.exp(0.75)
_E_M2 = math.exp(-2.0)
_E_3 = math.exp(3.0)
_E_8 = math.exp(8.0)
_E_M8 = math.exp(-8.0)
#: below this |x|, x / (exp(x) - 1) is its series 1 - x/2 (error x^2/12 < 1e-13 relative);
#: above, the cancellation in exp(x) - 1 costs at most 1e-16 / |x| < 1e-10 relative
_SERIES_BELOW = 1e-6


@kernel(inline="always")
def _x_over_em1(x, ex):  # pragma: no cover - compiled
    """``x / (ex - 1)`` for ``ex = exp(x)``, continued by ``1 - x/2`` near ``x = 0``."""
    small = abs(x) < _SERIES_BELOW
    return (1.0 - 0.5 * x) if small else x / ((1.0 if small else ex) - 1.0)


@kernel(inline="always")
def _traub_exp_euler(
    v, m, h, n, x_ex, x_in, refr, exc, inh, i_e, mem, p_ex, p_in, v_th, ref_steps, dt
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHTraubMiles`` with two exponentials for the six rates.

    The same arithmetic as :func:`_hh_exp_euler` with :func:`traub_rates`, but the six
    exponentials of the rates come from two: with ``u = V - V_T`` [mV] and
    ``e = exp((10 - u) / 40)``, ``exp(-u / 5) = e^8 e^-2`` and ``exp((13 - u) / 4) = e^10 e^(3/4)``
    (integer powers by squaring: their relative error is at most 10x that of ``e``, about
    2e-15), and ``exp((17 - u) / 18)`` is the second. Six exponentials per neuron and step
    instead of ten, and three divisions fewer.
    """
    v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c = mem
    u = (v - v_t) * 1e3  # mV, as the published formulas
    e40 = exp_poly((10.0 - u) * 0.025)
    e2 = e40 * e40
    e8 = (e2 * e2) * (e2 * e2)
    e5 = e8 * _E_M2  # exp(-u / 5)
    e4 = e8 * e2 * _E_3_4  # exp((13 - u) / 4)
    q = _E_8 * e5  # exp((40 - u) / 5)
    am = 1.28e3 * _x_over_em1((13.0 - u) * 0.25, e4)
    bm = 1.4e3 * _x_over_em1((u - 40.0) * 0.2, _E_M8 / e5)
    ah = 128.0 * exp_poly((17.0 - u) * (1.0 / 18.0))
    bh = 4e3 / (1.0 + q)
    an = 160.0 * _x_over_em1((15.0 - u) * 0.2, _E_3 * e5)
    bn = 500.0 * e40
    n2 = n * n
    g_na_t = g_na * (m * m * m * h)
    g_k_t = g_k * (n2 * n2)
    g_tot = g_l + g_na_t + g_k_t + (x_ex + x_in)
    v_inf = (g_l * e_l + g_na_t * e_na + g_k_t * e_k + (x_ex * e_ex + x_in * e_in) + i_e) / g_tot
    v1 = v_inf + (v - v_inf) * exp_poly(-dt * g_tot * inv_c)
    r_out, spiked = _hh_detect(v1, refr, v_th, ref_steps)
    return (
        v1,
        _relax(m, am, am + bm, dt),
        _relax(h, ah, ah + bh, dt),
        _relax(n, an, an + bn, dt),
        x_ex * p_ex + exc,
        x_in * p_in + inh,
        r_out,
        spiked,
    )


@kernel(inline="always")
def _hh_euler(
    rhs, cond, v, m, h, n, x_ex, x_in, refr, exc, inh, i_e, mem, q_ex, q_in, v_th, ref_steps, dt
):  # pragma: no cover - compiled
    zero = 0.0 * dt
    dv, dm, dh, dn = rhs(zero, v, m, h, n, (cond, x_ex, x_in, zero, zero, i_e, mem))
    v1 = v + dt * dv
    r_out, spiked = _hh_detect(v1, refr, v_th, ref_steps)
    return (
        v1,
        m + dt * dm,
        h + dt * dh,
        n + dt * dn,
        x_ex * q_ex + exc,
        x_in * q_in + inh,
        r_out,
        spiked,
    )


# ---- step functions; the engine matches their argument names to state variables, receptors
# and constants. HHTraubMiles: conductances g_ex, g_in; HHSquid: currents i_ex, i_in.


@kernel(inline="always")
def hh_traub_rk4_step(
    v,
    m,
    h,
    n,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    v_t,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    e_ex,
    e_in,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``HHTraubMiles``; returns ``(v, m, h, n, g_ex, g_in, refr, spiked)``."""
    return _hh_rk4(
        _traub_rhs,
        True,
        v,
        m,
        h,
        n,
        g_ex,
        g_in,
        refr,
        exc,
        inh,
        i_e + current,
        (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c),
        inv_tau_ex,
        inv_tau_in,
        p_ex,
        p_in,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_traub_rkf45_step(
    v,
    m,
    h,
    n,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    v_t,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    e_ex,
    e_in,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    tol,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``HHTraubMiles``; returns like :func:`hh_traub_rk4_step`."""
    return _hh_rkf45(
        _traub_rhs,
        True,
        v,
        m,
        h,
        n,
        g_ex,
        g_in,
        refr,
        exc,
        inh,
        i_e + current,
        (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c),
        inv_tau_ex,
        inv_tau_in,
        p_ex,
        p_in,
        tol,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_traub_exp_euler_step(
    v,
    m,
    h,
    n,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    v_t,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    e_ex,
    e_in,
    inv_c,
    i_e,
    p_ex,
    p_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHTraubMiles`` (Brian2's COBAHH); returns like RK4."""
    return _traub_exp_euler(
        v,
        m,
        h,
        n,
        g_ex,
        g_in,
        refr,
        exc,
        inh,
        i_e + current,
        (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c),
        p_ex,
        p_in,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_traub_euler_step(
    v,
    m,
    h,
    n,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    v_t,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    e_ex,
    e_in,
    inv_c,
    i_e,
    q_ex,
    q_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Forward-Euler step of ``HHTraubMiles``; returns like :func:`hh_traub_rk4_step`."""
    return _hh_euler(
        _traub_rhs,
        True,
        v,
        m,
        h,
        n,
        g_ex,
        g_in,
        refr,
        exc,
        inh,
        i_e + current,
        (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c),
        q_ex,
        q_in,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_squid_rk4_step(
    v,
    m,
    h,
    n,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``HHSquid``; returns ``(v, m, h, n, i_ex, i_in, refr, spiked)``."""
    zero = 0.0 * dt
    return _hh_rk4(
        _squid_rhs,
        False,
        v,
        m,
        h,
        n,
        i_ex,
        i_in,
        refr,
        exc,
        inh,
        i_e + current,
        (zero, g_l, e_l, g_na, e_na, g_k, e_k, zero, zero, inv_c),
        inv_tau_ex,
        inv_tau_in,
        p_ex,
        p_in,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_squid_rkf45_step(
    v,
    m,
    h,
    n,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    tol,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``HHSquid``; returns ``(v, m, h, n, i_ex, i_in, refr, spiked)``."""
    zero = 0.0 * dt
    return _hh_rkf45(
        _squid_rhs,
        False,
        v,
        m,
        h,
        n,
        i_ex,
        i_in,
        refr,
        exc,
        inh,
        i_e + current,
        (zero, g_l, e_l, g_na, e_na, g_k, e_k, zero, zero, inv_c),
        inv_tau_ex,
        inv_tau_in,
        p_ex,
        p_in,
        tol,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_squid_exp_euler_step(
    v,
    m,
    h,
    n,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    inv_c,
    i_e,
    p_ex,
    p_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHSquid``; returns ``(v, m, h, n, i_ex, i_in, refr, spiked)``."""
    zero = 0.0 * dt
    return _hh_exp_euler(
        squid_rates,
        False,
        v,
        m,
        h,
        n,
        i_ex,
        i_in,
        refr,
        exc,
        inh,
        i_e + current,
        (zero, g_l, e_l, g_na, e_na, g_k, e_k, zero, zero, inv_c),
        p_ex,
        p_in,
        v_th,
        ref_steps,
        dt,
    )


@kernel(inline="always")
def hh_squid_euler_step(
    v,
    m,
    h,
    n,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    g_na,
    e_na,
    g_k,
    e_k,
    inv_c,
    i_e,
    q_ex,
    q_in,
    v_th,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Forward-Euler step of ``HHSquid``; returns ``(v, m, h, n, i_ex, i_in, refr, spiked)``."""
    zero = 0.0 * dt
    return _hh_euler(
        _squid_rhs,
        False,
        v,
        m,
        h,
        n,
        i_ex,
        i_in,
        refr,
        exc,
        inh,
        i_e + current,
        (zero, g_l, e_l, g_na, e_na, g_k, e_k, zero, zero, inv_c),
        q_ex,
        q_in,
        v_th,
        ref_steps,
        dt,
    )


def _f64(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class _HH(NeuronModel):
    """Parameters and constants shared by the Hodgkin-Huxley models (see the module docstring)."""

    c_m: Any
    g_l: Any
    e_l: Any
    g_na: Any
    e_na: Any
    g_k: Any
    e_k: Any
    tau_syn_ex: Any
    tau_syn_in: Any
    v_th: Any
    t_ref: Any
    i_e: Any = 0.0
    method: Literal["rk4", "rkf45", "exp_euler", "euler"] = "exp_euler"
    tol: float = 1e-3

    _steps: ClassVar[dict[str, Callable[..., Any]]] = {}
    _rates: ClassVar[Callable[..., Any]]

    def __post_init__(self) -> None:
        for name in ("tau_syn_ex", "tau_syn_in"):
            require_positive(name, getattr(self, name), "s")
            warn_time_constant(name, getattr(self, name))
        for name in self._voltages():
            require_finite(name, getattr(self, name), "V")
            warn_voltage(name, getattr(self, name))
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        require_nonnegative("g_na", self.g_na, "S")
        require_nonnegative("g_k", self.g_k, "S")
        require_nonnegative("t_ref", self.t_ref, "s")
        require_finite("i_e", self.i_e, "A")
        require_positive("tol", self.tol)
        if self.method not in METHODS:
            raise ConfigurationError(
                f"`method` must be one of {list(METHODS)}, got {self.method!r}."
            )

    def _voltages(self) -> tuple[str, ...]:
        return ("e_l", "e_na", "e_k", "v_th")

    def step_function(self) -> Callable[..., Any]:
        return self._steps[self.method]

    def _gates(self, v: Any, v_t: Any) -> dict[str, Any]:
        """Steady-state gates ``x_inf = alpha / (alpha + beta)`` at ``v`` [1]."""
        rates = type(self)._rates
        v, v_t = np.broadcast_arrays(_f64(v), _f64(v_t))
        out = np.empty((3, *v.shape))
        for idx in np.ndindex(v.shape):
            am, bm, ah, bh, an, bn = rates(float(v[idx]), float(v_t[idx]))
            out[(0, *idx)] = am / (am + bm)
            out[(1, *idx)] = ah / (ah + bh)
            out[(2, *idx)] = an / (an + bn)
        return {k: (float(x) if x.ndim == 0 else x) for k, x in zip("mhn", out, strict=True)}

    def constants(self, dt: float) -> dict[str, Any]:
        c: dict[str, Any] = {
            "g_l": self.g_l,
            "e_l": self.e_l,
            "g_na": self.g_na,
            "e_na": self.e_na,
            "g_k": self.g_k,
            "e_k": self.e_k,
            "inv_c": _times(1.0, 1.0 / _f64(self.c_m)),
            "i_e": self.i_e,
            "v_th": self.v_th,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }
        if self.method in ("rk4", "rkf45"):
            c["inv_tau_ex"] = _times(1.0, 1.0 / _f64(self.tau_syn_ex))
            c["inv_tau_in"] = _times(1.0, 1.0 / _f64(self.tau_syn_in))
        if self.method == "euler":
            c["q_ex"] = _times(1.0, 1.0 - dt / _f64(self.tau_syn_ex))
            c["q_in"] = _times(1.0, 1.0 - dt / _f64(self.tau_syn_in))
        else:
            c["p_ex"] = decay(dt, self.tau_syn_ex)
            c["p_in"] = decay(dt, self.tau_syn_in)
        if self.method == "rkf45":
            c["tol"] = self.tol
        return c

    def check_dt(self, dt: float) -> None:
        if self.method == "euler":
            tau = min(float(np.min(self.tau_syn_ex)), float(np.min(self.tau_syn_in)))
            if dt >= tau:
                raise ConfigurationError(
                    f"forward Euler needs dt < tau_syn; got dt = {dt} s and tau_syn = {tau} s. "
                    "Use method='exp_euler' or 'rk4', or a smaller dt."
                )
        if self.method in _STABILITY:
            # the largest decay rate of V, reached when all channels open (m^3 h, n^4 <= 1)
            rate = float(np.max((_f64(self.g_na) + _f64(self.g_k) + _f64(self.g_l)) / self.c_m))
            if dt * rate > _STABILITY[self.method]:
                warnings.warn(
                    f"dt = {dt} s may make method {self.method!r} diverge during spikes: it is "
                    f"stable for dt < {_STABILITY[self.method] / rate:.3g} s here. Use "
                    "method='exp_euler' or 'rkf45', or a smaller dt.",
                    SNNWarning,
                    stacklevel=3,
                )


@dataclass(frozen=True, kw_only=True)
class HHTraubMiles(_HH):
    """Hodgkin-Huxley neuron with Traub & Miles kinetics and exponential conductances.

    The neuron of the COBAHH benchmark (Brette et al. 2007, Brian2's ``COBAHH.py``; NEST
    ``hh_cond_exp_traub``). Equations, spike detection and integration methods: see the module
    docstring. Defaults are the benchmark's (membrane area 20000 um^2), which are NEST's apart
    from ``t_ref`` (NEST: 2 ms) and the spike detection.

    Parameters
    ----------
    c_m
        Membrane capacitance [F].
    g_l
        Leak conductance [S].
    e_l
        Leak reversal potential [V].
    g_na, g_k
        Maximal sodium and potassium conductances [S].
    e_na, e_k
        Sodium and potassium reversal potentials [V].
    v_t
        Offset of the rate functions (Traub & Miles' ``V_T``) [V].
    e_ex, e_in
        Reversal potentials of the excitatory and inhibitory conductances [V].
    tau_syn_ex, tau_syn_in
        Decay time constants of the conductances [s].
    v_th
        Spike detection threshold [V].
    t_ref
        Time after a spike during which no further spike is detected [s].
    i_e
        Constant input current [A].
    method
        ``"exp_euler"`` (default, Brian2's COBAHH), ``"rk4"``, ``"rkf45"`` or ``"euler"``.
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 for
        the gates (NEST: 1e-3) [1].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``m``, ``h``, ``n`` [1] (default: their steady
    state at ``e_l``), ``g_ex``, ``g_in`` [S], ``refr`` [steps]. Receptors ``exc`` and ``inh``
    (weights >= 0 S) and ``current`` [A].
    """

    c_m: Any = 200e-12
    g_l: Any = 10e-9
    e_l: Any = -60e-3
    g_na: Any = 20e-6
    e_na: Any = 50e-3
    g_k: Any = 6e-6
    e_k: Any = -90e-3
    v_t: Any = -63e-3
    e_ex: Any = 0.0
    e_in: Any = -80e-3
    tau_syn_ex: Any = 5e-3
    tau_syn_in: Any = 10e-3
    v_th: Any = -20e-3
    t_ref: Any = 3e-3

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        StateVar("m", "1", doc="sodium activation"),
        StateVar("h", "1", doc="sodium inactivation"),
        StateVar("n", "1", doc="potassium activation"),
        StateVar("g_ex", "S", doc="excitatory conductance"),
        StateVar("g_in", "S", doc="inhibitory conductance"),
        _REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("exc", "S", +1, "excitatory conductance jumps"),
        Receptor("inh", "S", +1, "inhibitory conductance jumps"),
        CURRENT,
    )
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rk4": hh_traub_rk4_step,
        "rkf45": hh_traub_rkf45_step,
        "exp_euler": hh_traub_exp_euler_step,
        "euler": hh_traub_euler_step,
    }
    _rates: ClassVar[Callable[..., Any]] = traub_rates

    def _voltages(self) -> tuple[str, ...]:
        return ("e_l", "e_na", "e_k", "v_th", "v_t", "e_ex", "e_in")

    def initial_state(self) -> dict[str, Any]:
        return {
            "v": self.e_l,
            **self._gates(self.e_l, self.v_t),
            "g_ex": 0.0,
            "g_in": 0.0,
            "refr": 0,
        }

    def constants(self, dt: float) -> dict[str, Any]:
        return {**super().constants(dt), "v_t": self.v_t, "e_ex": self.e_ex, "e_in": self.e_in}


@dataclass(frozen=True, kw_only=True)
class HHSquid(_HH):
    """Hodgkin-Huxley squid-axon neuron with exponential synaptic currents.

    Hodgkin & Huxley (1952) with the parameters of NEST's ``hh_psc_alpha`` (resting potential
    -65 mV), but exponential instead of alpha-shaped postsynaptic currents. Equations, spike
    detection and integration methods: see the module docstring. Defaults are NEST's.

    Parameters
    ----------
    c_m
        Membrane capacitance [F].
    g_l
        Leak conductance [S].
    e_l
        Leak reversal potential [V].
    g_na, g_k
        Maximal sodium and potassium conductances [S].
    e_na, e_k
        Sodium and potassium reversal potentials [V].
    tau_syn_ex, tau_syn_in
        Decay time constants of the synaptic currents [s].
    v_th
        Spike detection threshold [V].
    t_ref
        Time after a spike during which no further spike is detected [s].
    i_e
        Constant input current [A].
    method
        ``"exp_euler"`` (default), ``"rk4"``, ``"rkf45"`` or ``"euler"``.
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 for
        the gates (NEST: 1e-3) [1].

    Notes
    -----
    State variables: ``v`` [V] (default -65 mV), ``m``, ``h``, ``n`` [1] (default: their steady
    state at -65 mV), ``i_ex``, ``i_in`` [A], ``refr`` [steps]. Receptors ``exc`` (weights
    >= 0 A), ``inh`` (weights <= 0 A) and ``current`` [A].
    """

    c_m: Any = 100e-12
    g_l: Any = 30e-9
    e_l: Any = -54.402e-3
    g_na: Any = 12e-6
    e_na: Any = 50e-3
    g_k: Any = 3.6e-6
    e_k: Any = -77e-3
    tau_syn_ex: Any = 0.2e-3
    tau_syn_in: Any = 2e-3
    v_th: Any = 0.0
    t_ref: Any = 2e-3

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        StateVar("m", "1", doc="sodium activation"),
        StateVar("h", "1", doc="sodium inactivation"),
        StateVar("n", "1", doc="potassium activation"),
        StateVar("i_ex", "A", doc="excitatory synaptic current"),
        StateVar("i_in", "A", doc="inhibitory synaptic current"),
        _REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("exc", "A", +1, "excitatory current jumps"),
        Receptor("inh", "A", -1, "inhibitory current jumps (negative weights)"),
        CURRENT,
    )
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rk4": hh_squid_rk4_step,
        "rkf45": hh_squid_rkf45_step,
        "exp_euler": hh_squid_exp_euler_step,
        "euler": hh_squid_euler_step,
    }
    _rates: ClassVar[Callable[..., Any]] = squid_rates

    def initial_state(self) -> dict[str, Any]:
        v0 = -65e-3  # NEST hh_psc_alpha: V_m = -65 mV, the rest of E_L = -54.402 mV
        return {"v": v0, **self._gates(v0, 0.0), "i_ex": 0.0, "i_in": 0.0, "refr": 0}
