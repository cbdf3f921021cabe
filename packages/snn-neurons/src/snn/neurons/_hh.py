r"""Hodgkin-Huxley neurons: Traub & Miles kinetics (COBAHH) and the classic squid axon.

All share the membrane equation (SI units)::

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

``HHPscAlpha`` (NEST ``hh_psc_alpha``) and ``HHSquid`` have the squid-axon rates of Hodgkin &
Huxley (1952, J. Physiol. 117:500-544) with resting potential -65 mV (V in mV, rates in 1/ms)::

    alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10))   beta_m = 4 exp(-(V + 65) / 18)
    alpha_h = 0.07 exp(-(V + 65) / 20)                    beta_h = 1 / (1 + exp(-(V + 35) / 10))
    alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55) / 10))  beta_n = 0.125 exp(-(V + 65) / 80)

and current synapses, ``I_syn = I_ex + I_in``: alpha-shaped for ``HHPscAlpha`` (a spike of
weight ``w`` adds ``w (t / tau_syn) exp(1 - t / tau_syn)``, peaking at ``w``; state ``di_x``
[A/s] with ``dI_x/dt = dI'_x - I_x / tau_syn``, ``dI'_x/dt = -I'_x / tau_syn`` and
``I'_x += (e / tau_syn) w``, as NEST), exponential for ``HHSquid``.

The forms ``x / (exp(x) - 1)`` have a removable singularity at ``x = 0``; they are evaluated as
``1 / exprel(x)``, which is finite there (:func:`~snn.neurons._integrators.x_over_expm1`). The
rates and the exponential Euler step use :func:`~snn.neurons._integrators.exp_poly`, so the
neuron loop vectorises.

Spikes: no reset. Two detection rules, chosen by ``spike_detection``, both tested at the end of
each step and only outside the refractory period (which blocks detection and nothing else, so
one action potential gives one spike):

``"threshold"``
    ``V >= v_th``: the upward crossing of the threshold, within a step (Brian2's COBAHH,
    threshold -20 mV). Default of ``HHTraubMiles``, whose reference is that benchmark.
``"peak"``
    ``V >= v_th`` and ``V`` lower than at the step's start: the first step after the local
    maximum (NEST's ``hh_psc_alpha``, threshold 0 mV, and ``hh_cond_exp_traub``, threshold
    ``V_T + 30 mV``), 0.2-0.3 ms after the upward crossing of 0 mV. Default of ``HHPscAlpha``
    and ``HHSquid``, whose reference is ``hh_psc_alpha``.

Order within a step (as NEST): integrate over the step, add the input spikes arriving at its end,
test for a spike.

Integration (``method``):

``"rkf45"`` (default)
    Runge-Kutta-Fehlberg 4(5) with adaptive substeps per neuron, as NEST's GSL solver: local
    error per substep below ``tol`` in units of 1 mV for ``V`` and 1 for the gates (NEST's 1e-3,
    the default). Spike times within 0.2 ms of an adaptive reference (``solve_ivp``, rtol
    1e-10) over 1 s at dt = 0.1 ms (``docs/accuracy.md``).
``"exp_euler"`` (opt-in: cheaper, less accurate)
    Exponential Euler as Brian2's ``exponential_euler`` (the COBAHH benchmark uses it): each of
    ``V, m, h, n`` relaxes exactly towards its steady state with the other variables frozen at
    the step's start, synaptic variables decay exactly; 1st order, stable at dt = 0.1 ms, but
    spike times drift by several ms over 1 s at dt = 0.1 ms and spikes can be missed.
``"rk4"`` (opt-in)
    Classic Runge-Kutta for ``(V, m, h, n)`` along the exact trajectory of the synaptic
    variables; 4th order. Explicit: stable only for ``dt (g_Na + g_K + g_L) / C_m`` below about
    2.8 (dt <= 0.021 ms with HHTraubMiles' defaults, 0.017 ms with the squid's); larger steps
    warn.
``"euler"`` (opt-in; not for ``HHPscAlpha``)
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
    require_nonnegative,
    require_positive,
    user_stacklevel,
)
from snn.neurons._declarations import (
    ALPHA_CURRENT_RECEPTORS,
    ALPHA_CURRENTS,
    CONDUCTANCE_RECEPTORS,
    CONDUCTANCES,
    CURRENT_RECEPTORS,
    CURRENTS,
    REFR,
    check_currents,
    check_method,
    check_time_constants,
    check_voltages,
)
from snn.neurons._integrators import (
    RKF45_MIN_FRACTION,
    exp_poly,
    rk4_4,
    rkf45_gave_up,
    rkf45_resize,
    rkf45_trial_4,
    x_over_expm1,
)
from snn.neurons._lif import _refractory_steps, _times
from snn.neurons._lif_alpha import alpha_step
from snn.neurons._propagators import decay

__all__ = ["HHPscAlpha", "HHSquid", "HHTraubMiles"]

METHODS = ("rkf45", "rk4", "exp_euler", "euler")
DETECTION = ("threshold", "peak")
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


# ``p`` of the right-hand sides = (cond, x_ex, x_in, dx_ex, dx_in, inv_tau_ex, inv_tau_in, i_e,
# mem): the synaptic variable of a receptor follows ``(x + t dx) exp(-t / tau)`` over the step,
# the exact trajectory of an alpha synapse (source ``dx``) and, with ``dx = 0``, of an
# exponential one. ``mem`` = (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c): calls with
# more than 30 positional arguments compile to CALL_FUNCTION_EX, which numba cannot inline.


@kernel(inline="always")
def _hh_derivatives(t, v, m, h, n, r, p):  # pragma: no cover - compiled
    """``(dV/dt, dm/dt, dh/dt, dn/dt)`` at ``t`` [s] after the step's start, rates ``r``."""
    cond, x_ex, x_in, dx_ex, dx_in, inv_tau_ex, inv_tau_in, i_e, mem = p
    _, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c = mem
    am, bm, ah, bh, an, bn = r
    s_ex = (x_ex + t * dx_ex) * math.exp(-t * inv_tau_ex)
    s_in = (x_in + t * dx_in) * math.exp(-t * inv_tau_in)
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
    return _hh_derivatives(t, v, m, h, n, traub_rates(v, p[8][0]), p)


@kernel  # not inlined: see snn.neurons._integrators
def _squid_rhs(t, v, m, h, n, p):  # pragma: no cover - compiled
    return _hh_derivatives(t, v, m, h, n, squid_rates(v, p[8][0]), p)


@kernel(inline="always")
def _hh_detect(v_old, v_new, refr, v_th, peak, ref_steps):  # pragma: no cover - compiled
    """Spike test outside the refractory period; returns ``(refr, spiked)``.

    ``peak`` (0 or 1) adds NEST's condition that ``V`` fell during the step.
    """
    active = refr == 0
    spiked = active & (v_new >= v_th) & ((peak == 0) | (v_new < v_old))
    return (ref_steps if spiked else (refr if active else refr - 1)), spiked


@kernel(inline="always")
def _hh_rkf45(rhs, p, v, m, h, n, tol, dt):  # pragma: no cover - compiled
    """Adaptive RKF45 over one step; returns ``(v, m, h, n)``."""
    s_v, s_x = tol * 1e-3, tol  # tolerances in NEST's units: 1 mV, and 1 for the gates
    t = 0.0 * dt
    hs = dt
    h_min = dt * RKF45_MIN_FRACTION
    done = False
    substeps = 0
    while not done:
        final = hs >= dt - t
        hh = dt - t if final else hs
        z_v, z_m, z_h, z_n, err = rkf45_trial_4(rhs, t, hh, v, m, h, n, p, s_v, s_x, s_x, s_x)
        accepted = err <= 1.0 or hh <= h_min
        substeps += 1
        if rkf45_gave_up(substeps, accepted, z_v, z_m + z_h + z_n):
            v, m, h, n, done = math.nan, math.nan, math.nan, math.nan, True
            continue
        if accepted:
            t = dt if final else t + hh
            v, m, h, n = z_v, z_m, z_h, z_n
            done = final
        if not done:  # after the step's last substep the next size is not needed (a pow saved)
            hs = rkf45_resize(hh, err, accepted)
    return v, m, h, n


@kernel(inline="always")
def _relax(x, alpha, rate, dt):  # pragma: no cover - compiled
    """Exact solution of ``dx/dt = alpha - rate x`` over ``dt`` (``rate > 0``)."""
    x_inf = alpha / rate
    return x_inf + (x - x_inf) * exp_poly(-dt * rate)


@kernel(inline="always")
def _hh_exp_euler(rates, cond, v, m, h, n, x_ex, x_in, i_e, mem, dt):  # pragma: no cover
    """Exponential-Euler step with the synaptic variables of the step's start; ``(v, m, h, n)``."""
    v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c = mem
    am, bm, ah, bh, an, bn = rates(v, v_t)
    n2 = n * n
    g_na_t = g_na * (m * m * m * h)
    g_k_t = g_k * (n2 * n2)
    g_syn = (x_ex + x_in) if cond else 0.0 * x_ex
    i_syn = (x_ex * e_ex + x_in * e_in) if cond else (x_ex + x_in)
    g_tot = g_l + g_na_t + g_k_t + g_syn
    v_inf = (g_l * e_l + g_na_t * e_na + g_k_t * e_k + i_syn + i_e) / g_tot
    return (
        v_inf + (v - v_inf) * exp_poly(-dt * g_tot * inv_c),
        _relax(m, am, am + bm, dt),
        _relax(h, ah, ah + bh, dt),
        _relax(n, an, an + bn, dt),
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
def _traub_exp_euler(v, m, h, n, g_ex, g_in, i_e, mem, dt):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHTraubMiles`` with two exponentials for the six rates.

    The same arithmetic as :func:`_hh_exp_euler` with :func:`traub_rates`, but the six
    exponentials of the rates come from two: with ``u = V - V_T`` [mV] and
    ``e = exp((10 - u) / 40)``, ``exp(-u / 5) = e^8 e^-2`` and ``exp((13 - u) / 4) = e^10 e^(3/4)``
    (integer powers by squaring: their relative error is at most 10x that of ``e``, about
    2e-15), and ``exp((17 - u) / 18)`` is the second. Six exponentials per neuron and step
    instead of ten, and three divisions fewer. Returns ``(v, m, h, n)``.
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
    g_tot = g_l + g_na_t + g_k_t + (g_ex + g_in)
    v_inf = (g_l * e_l + g_na_t * e_na + g_k_t * e_k + (g_ex * e_ex + g_in * e_in) + i_e) / g_tot
    return (
        v_inf + (v - v_inf) * exp_poly(-dt * g_tot * inv_c),
        _relax(m, am, am + bm, dt),
        _relax(h, ah, ah + bh, dt),
        _relax(n, an, an + bn, dt),
    )


@kernel(inline="always")
def _hh_euler(rhs, p, v, m, h, n, dt):  # pragma: no cover - compiled
    """Forward-Euler step of ``(V, m, h, n)``; returns ``(v, m, h, n)``."""
    dv, dm, dh, dn = rhs(0.0 * dt, v, m, h, n, p)
    return v + dt * dv, m + dt * dm, h + dt * dh, n + dt * dn


@kernel(inline="always")
def _exp_synapses(
    v_old, v1, m1, h1, n1, x_ex, x_in, exc, inh, p_ex, p_in, refr, v_th, peak, ref_steps
):  # pragma: no cover - compiled
    """Spike test and exponential synapses (decay factors ``p_x``) at the end of a step."""
    r_out, spiked = _hh_detect(v_old, v1, refr, v_th, peak, ref_steps)
    return v1, m1, h1, n1, x_ex * p_ex + exc, x_in * p_in + inh, r_out, spiked


@kernel(inline="always")
def _alpha_synapses(
    v_old,
    v1,
    m1,
    h1,
    n1,
    dx_ex,
    x_ex,
    dx_in,
    x_in,
    exc,
    inh,
    p_ex,
    p_in,
    inv_tau_ex,
    inv_tau_in,
    refr,
    v_th,
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Spike test and exact alpha synapses (``inv_tau_x = 1 / tau_syn``)."""
    r_out, spiked = _hh_detect(v_old, v1, refr, v_th, peak, ref_steps)
    dx_ex, x_ex = alpha_step(dx_ex, x_ex, exc, p_ex, inv_tau_ex, dt)
    dx_in, x_in = alpha_step(dx_in, x_in, inh, p_in, inv_tau_in, dt)
    return v1, m1, h1, n1, dx_ex, x_ex, dx_in, x_in, r_out, spiked


# ---- step functions; the engine matches their argument names to state variables, receptors
# and constants. HHTraubMiles: conductances g_ex, g_in; HHSquid: currents i_ex, i_in;
# HHPscAlpha: alpha currents (di_ex, i_ex, di_in, i_in). Each returns the new state variables in
# the declared order, then ``spiked``.


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``HHTraubMiles``."""
    mem = (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c)
    p = (True, g_ex, g_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, i_e + current, mem)
    v1, m1, h1, n1 = _hh_rkf45(_traub_rhs, p, v, m, h, n, tol, dt)
    return _exp_synapses(v, v1, m1, h1, n1, g_ex, g_in, exc, inh, p_ex, p_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``HHTraubMiles``."""
    mem = (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c)
    p = (True, g_ex, g_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, i_e + current, mem)
    v1, m1, h1, n1 = rk4_4(_traub_rhs, dt, v, m, h, n, p)
    return _exp_synapses(v, v1, m1, h1, n1, g_ex, g_in, exc, inh, p_ex, p_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHTraubMiles`` (Brian2's COBAHH)."""
    mem = (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c)
    v1, m1, h1, n1 = _traub_exp_euler(v, m, h, n, g_ex, g_in, i_e + current, mem, dt)
    return _exp_synapses(v, v1, m1, h1, n1, g_ex, g_in, exc, inh, p_ex, p_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Forward-Euler step of ``HHTraubMiles``."""
    mem = (v_t, g_l, e_l, g_na, e_na, g_k, e_k, e_ex, e_in, inv_c)
    p = (True, g_ex, g_in, 0.0, 0.0, 0.0, 0.0, i_e + current, mem)
    v1, m1, h1, n1 = _hh_euler(_traub_rhs, p, v, m, h, n, dt)
    return _exp_synapses(v, v1, m1, h1, n1, g_ex, g_in, exc, inh, q_ex, q_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``HHSquid``."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    p = (False, i_ex, i_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, i_e + current, mem)
    v1, m1, h1, n1 = _hh_rkf45(_squid_rhs, p, v, m, h, n, tol, dt)
    return _exp_synapses(v, v1, m1, h1, n1, i_ex, i_in, exc, inh, p_ex, p_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``HHSquid``."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    p = (False, i_ex, i_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, i_e + current, mem)
    v1, m1, h1, n1 = rk4_4(_squid_rhs, dt, v, m, h, n, p)
    return _exp_synapses(v, v1, m1, h1, n1, i_ex, i_in, exc, inh, p_ex, p_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHSquid``."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    v1, m1, h1, n1 = _hh_exp_euler(squid_rates, False, v, m, h, n, i_ex, i_in, i_e + current,
                                   mem, dt)  # fmt: skip
    return _exp_synapses(v, v1, m1, h1, n1, i_ex, i_in, exc, inh, p_ex, p_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Forward-Euler step of ``HHSquid``."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    p = (False, i_ex, i_in, 0.0, 0.0, 0.0, 0.0, i_e + current, mem)
    v1, m1, h1, n1 = _hh_euler(_squid_rhs, p, v, m, h, n, dt)
    return _exp_synapses(v, v1, m1, h1, n1, i_ex, i_in, exc, inh, q_ex, q_in, refr, v_th, peak,
                         ref_steps)  # fmt: skip


@kernel(inline="always")
def hh_alpha_rkf45_step(
    v,
    m,
    h,
    n,
    di_ex,
    i_ex,
    di_in,
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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``HHPscAlpha``."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    p = (False, i_ex, i_in, di_ex, di_in, inv_tau_ex, inv_tau_in, i_e + current, mem)
    v1, m1, h1, n1 = _hh_rkf45(_squid_rhs, p, v, m, h, n, tol, dt)
    return _alpha_synapses(v, v1, m1, h1, n1, di_ex, i_ex, di_in, i_in, exc, inh, p_ex, p_in,
                           inv_tau_ex, inv_tau_in, refr, v_th, peak, ref_steps, dt)  # fmt: skip


@kernel(inline="always")
def hh_alpha_rk4_step(
    v,
    m,
    h,
    n,
    di_ex,
    i_ex,
    di_in,
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
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``HHPscAlpha``."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    p = (False, i_ex, i_in, di_ex, di_in, inv_tau_ex, inv_tau_in, i_e + current, mem)
    v1, m1, h1, n1 = rk4_4(_squid_rhs, dt, v, m, h, n, p)
    return _alpha_synapses(v, v1, m1, h1, n1, di_ex, i_ex, di_in, i_in, exc, inh, p_ex, p_in,
                           inv_tau_ex, inv_tau_in, refr, v_th, peak, ref_steps, dt)  # fmt: skip


@kernel(inline="always")
def hh_alpha_exp_euler_step(
    v,
    m,
    h,
    n,
    di_ex,
    i_ex,
    di_in,
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
    inv_tau_ex,
    inv_tau_in,
    v_th,
    peak,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``HHPscAlpha`` (synaptic currents of the step's start)."""
    mem = (0.0, g_l, e_l, g_na, e_na, g_k, e_k, 0.0, 0.0, inv_c)
    v1, m1, h1, n1 = _hh_exp_euler(squid_rates, False, v, m, h, n, i_ex, i_in, i_e + current,
                                   mem, dt)  # fmt: skip
    return _alpha_synapses(v, v1, m1, h1, n1, di_ex, i_ex, di_in, i_in, exc, inh, p_ex, p_in,
                           inv_tau_ex, inv_tau_in, refr, v_th, peak, ref_steps, dt)  # fmt: skip


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
    spike_detection: Literal["threshold", "peak"]
    i_e: Any = 0.0
    method: Literal["rkf45", "rk4", "exp_euler", "euler"] = "rkf45"
    tol: float = 1e-3

    _steps: ClassVar[dict[str, Callable[..., Any]]] = {}
    _rates: ClassVar[Callable[..., Any]]

    def __post_init__(self) -> None:
        check_time_constants(self, ("tau_syn_ex", "tau_syn_in"))
        check_voltages(self, self._voltages())
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        require_nonnegative("g_na", self.g_na, "S")
        require_nonnegative("g_k", self.g_k, "S")
        require_nonnegative("t_ref", self.t_ref, "s")
        check_currents(self, ("i_e",))
        require_positive("tol", self.tol)
        check_method(self, self._steps)
        if self.spike_detection not in DETECTION:
            raise ConfigurationError(
                f"`spike_detection` must be one of {list(DETECTION)}, got {self.spike_detection!r}."
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
            "peak": int(self.spike_detection == "peak"),
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
                    stacklevel=user_stacklevel(),
                )


_GATES = (
    StateVar("v", "V", doc="membrane potential"),
    StateVar("m", "1", doc="sodium activation"),
    StateVar("h", "1", doc="sodium inactivation"),
    StateVar("n", "1", doc="potassium activation"),
)


@dataclass(frozen=True, kw_only=True)
class HHTraubMiles(_HH):
    """Hodgkin-Huxley neuron with Traub & Miles kinetics and exponential conductances.

    The neuron of the COBAHH benchmark (Brette et al. 2007, Brian2's ``COBAHH.py``; NEST
    ``hh_cond_exp_traub``). Equations, spike detection and integration methods: see the module
    docstring. Defaults are the benchmark's (membrane area 20000 um^2: threshold crossing at
    -20 mV, ``t_ref`` 3 ms), which are NEST's apart from the spike detection: NEST's
    ``hh_cond_exp_traub`` is ``HHTraubMiles(spike_detection="peak", v_th=v_t + 30 mV,
    t_ref=2 ms)``.

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
    spike_detection
        ``"threshold"`` (``V >= v_th`` at the end of a step) or ``"peak"`` (also falling: NEST's
        rule); see the module docstring.
    i_e
        Constant input current [A].
    method
        ``"rkf45"`` (default, adaptive as NEST; spike times within 0.2 ms of an adaptive reference
        at dt = 0.1 ms), or, cheaper and less accurate (opt-in), ``"exp_euler"``, ``"rk4"``
        (stable only for small dt) or ``"euler"`` (see the module docstring and
        ``docs/accuracy.md``).
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 for
        the gates (NEST: 1e-3) [1].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``m``, ``h``, ``n`` [1] (default: their steady
    state at ``e_l``), ``g_ex``, ``g_in`` [S], ``refr`` [steps]. Receptors ``exc`` and ``inh``
    (weights >= 0 S) and ``current`` [A]. NEST/PyNN names: ``C_m``, ``g_L``, ``E_L``, ``g_Na``,
    ``g_K``, ``E_Na``, ``E_K``, ``V_T``, ``E_ex``, ``E_in``, ``tau_syn_ex``, ``tau_syn_in``,
    ``t_ref``, ``I_e`` (PyNN ``HH_cond_exp``: ``cm``, ``gbar_Na``, ``gbar_K``, ``g_leak``,
    ``e_rev_*``, ``v_offset``, ``tau_syn_E``, ``tau_syn_I``, ``i_offset``).
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
    spike_detection: Literal["threshold", "peak"] = "threshold"

    state_vars: ClassVar[tuple[StateVar, ...]] = (*_GATES, *CONDUCTANCES, REFR)
    receptors: ClassVar[tuple[Receptor, ...]] = CONDUCTANCE_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rkf45": hh_traub_rkf45_step,
        "rk4": hh_traub_rk4_step,
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


#: NEST hh_psc_alpha's initial V_m, the rest of E_L = -54.402 mV [V]
_SQUID_REST = -65e-3


@dataclass(frozen=True, kw_only=True)
class _Squid(_HH):
    """Squid-axon parameters, NEST ``hh_psc_alpha``'s defaults (``HHSquid``, ``HHPscAlpha``)."""

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
    spike_detection: Literal["threshold", "peak"] = "peak"

    _rates: ClassVar[Callable[..., Any]] = squid_rates

    def initial_state(self) -> dict[str, Any]:
        state = dict.fromkeys((v.name for v in self.state_vars), 0.0)
        state.update(v=_SQUID_REST, refr=0, **self._gates(_SQUID_REST, 0.0))
        return state


@dataclass(frozen=True, kw_only=True)
class HHPscAlpha(_Squid):
    """Hodgkin-Huxley squid-axon neuron with alpha-shaped synaptic currents (``hh_psc_alpha``).

    NEST's ``hh_psc_alpha`` (Hodgkin & Huxley 1952; Gerstner & Kistler 2002, Spiking Neuron
    Models, sec. 2.2): equations, spike detection (default ``"peak"``, NEST's) and integration
    methods in the module docstring. Defaults are NEST's; NEST's parameter names are ``C_m``,
    ``g_L``, ``E_L``, ``g_Na``, ``E_Na``, ``g_K``, ``E_K``, ``tau_syn_ex``, ``tau_syn_in``,
    ``t_ref``, ``I_e``. A spike of weight ``w`` [A] gives a current peaking at ``w`` after
    ``tau_syn`` (NEST's normalisation).

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
        Time constants of the synaptic currents [s].
    v_th
        Spike detection threshold [V] (NEST: 0 mV).
    t_ref
        Time after a spike during which no further spike is detected [s].
    spike_detection
        ``"threshold"`` (``V >= v_th`` at the end of a step) or ``"peak"`` (also falling: NEST's
        rule); see the module docstring.
    i_e
        Constant input current [A].
    method
        ``"rkf45"`` (default, adaptive as NEST; spike times within 0.2 ms of an adaptive reference
        at dt = 0.1 ms), or, cheaper and less accurate (opt-in), ``"exp_euler"``, ``"rk4"``
        (stable only for small dt) or ``"euler"`` (see the module docstring and
        ``docs/accuracy.md``).
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 for
        the gates (NEST: 1e-3) [1].

    Notes
    -----
    State variables: ``v`` [V] (default -65 mV, NEST's), ``m``, ``h``, ``n`` [1] (default:
    their steady state at -65 mV), ``di_ex``, ``di_in`` [A/s], ``i_ex``, ``i_in`` [A], ``refr``
    [steps]. Receptors ``exc`` (weights >= 0 A), ``inh`` (weights <= 0 A) and ``current`` [A].
    Methods: ``"rkf45"``, ``"rk4"``, ``"exp_euler"``.
    """

    state_vars: ClassVar[tuple[StateVar, ...]] = (*_GATES, *ALPHA_CURRENTS, REFR)
    receptors: ClassVar[tuple[Receptor, ...]] = ALPHA_CURRENT_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rkf45": hh_alpha_rkf45_step,
        "rk4": hh_alpha_rk4_step,
        "exp_euler": hh_alpha_exp_euler_step,
    }

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            **super().constants(dt),
            "inv_tau_ex": _times(1.0, 1.0 / _f64(self.tau_syn_ex)),
            "inv_tau_in": _times(1.0, 1.0 / _f64(self.tau_syn_in)),
        }


@dataclass(frozen=True, kw_only=True)
class HHSquid(_Squid):
    """Hodgkin-Huxley squid-axon neuron with exponential synaptic currents.

    :class:`HHPscAlpha` (NEST ``hh_psc_alpha``'s parameters and spike detection) with
    exponential instead of alpha-shaped postsynaptic currents: a spike of weight ``w`` [A] makes
    the current jump by ``w``. Equations, spike detection and integration methods: see the module
    docstring.

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
        Time constants of the synaptic currents [s].
    v_th
        Spike detection threshold [V] (NEST: 0 mV).
    t_ref
        Time after a spike during which no further spike is detected [s].
    spike_detection
        ``"threshold"`` (``V >= v_th`` at the end of a step) or ``"peak"`` (also falling: NEST's
        rule); see the module docstring.
    i_e
        Constant input current [A].
    method
        ``"rkf45"`` (default, adaptive as NEST; spike times within 0.2 ms of an adaptive reference
        at dt = 0.1 ms), or, cheaper and less accurate (opt-in), ``"exp_euler"``, ``"rk4"``
        (stable only for small dt) or ``"euler"`` (see the module docstring and
        ``docs/accuracy.md``).
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 for
        the gates (NEST: 1e-3) [1].

    Notes
    -----
    State variables: ``v`` [V] (default -65 mV), ``m``, ``h``, ``n`` [1] (default: their steady
    state at -65 mV), ``i_ex``, ``i_in`` [A], ``refr`` [steps]. Receptors ``exc`` (weights
    >= 0 A), ``inh`` (weights <= 0 A) and ``current`` [A].
    """

    state_vars: ClassVar[tuple[StateVar, ...]] = (*_GATES, *CURRENTS, REFR)
    receptors: ClassVar[tuple[Receptor, ...]] = CURRENT_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rkf45": hh_squid_rkf45_step,
        "rk4": hh_squid_rk4_step,
        "exp_euler": hh_squid_exp_euler_step,
        "euler": hh_squid_euler_step,
    }
