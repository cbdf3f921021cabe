r"""Adaptive exponential integrate-and-fire neurons (NEST ``aeif_cond_exp``, ``aeif_cond_alpha``).

``AdExCondExp`` (``aeif_cond_exp``), ``AdExPscExp`` (``aeif_psc_exp``) and ``AdExCondAlpha``
(``aeif_cond_alpha``, PyNN ``EIF_cond_alpha_isfa_ista``).

Brette & Gerstner (2005), "Adaptive exponential integrate-and-fire model as an effective
description of neuronal activity", J. Neurophysiol. 94:3637-3642. In SI units::

    C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T) - w + I_syn + I_e
    tau_w dw/dt = a (V - E_L) - w

    AdExCondExp:    I_syn = g_ex (E_ex - V) + g_in (E_in - V),  dg_x/dt = -g_x / tau_syn_x
    AdExPscExp:     I_syn = I_ex + I_in,                        dI_x/dt = -I_x / tau_syn_x
    AdExCondAlpha:  I_syn = g_ex (E_ex - V) + g_in (E_in - V),  dg_x/dt = dg'_x - g_x / tau_syn_x,
                                                                dg'_x/dt = -g'_x / tau_syn_x

Each input spike makes ``g_x`` (``I_x``) jump by its weight; for ``AdExCondAlpha`` it makes
``g'_x`` (state ``dg_x`` [S/s]) jump by ``(e / tau_syn_x) w``, so that the conductance is the
alpha function ``w (t / tau_syn) exp(1 - t / tau_syn)`` peaking at ``w`` (NEST's
normalisation). A ``current`` receptor adds the current of current sources [A], held over the
step like ``I_e``.

Spike and reset: when ``V`` crosses ``V_peak`` the neuron spikes, ``V`` is set to ``V_reset`` and
``w`` jumps by ``b``; for ``t_ref`` (a whole number of steps) ``V`` is held at ``V_reset`` while
``w`` keeps evolving with ``V = V_reset`` in its equation (NEST's convention). With
``Delta_T = 0`` the exponential term vanishes and ``V_th`` is the spike threshold (NEST). The
spike is stamped at the end of the step in which ``V`` crosses ``V_peak``. (There is a single
detection rule: the trajectory is cut at ``V_peak``, so its upward crossing is also its peak.)

Overflow guard (as NEST): the ``V`` used on the right-hand side is ``min(V, V_peak)``, so the
exponential is bounded by ``exp((V_peak - V_th) / Delta_T)``: a runaway neuron crosses
``V_peak`` and spikes instead of producing inf. Parameters for which that bound itself overflows
are refused (NEST's check).

Order within a step (as NEST): integrate over the step, add the input spikes arriving at its end,
test ``V >= V_peak``.

Integration (``method``); the synaptic variables follow their exact trajectory within the step
(except with ``"euler"``):

``"rkf45"`` (default)
    Runge-Kutta-Fehlberg 4(5) with adaptive substeps per neuron, as NEST's GSL solver: each
    substep's local error is kept below ``tol`` (in NEST's units, 1 mV of ``V`` and 1 pA of
    ``w``; NEST's ``gsl_error_tol``, default 1e-6). The crossing of ``V_peak`` is located within
    the step (:func:`~snn.neurons._integrators.rkf45_spiking_2`), the reset happens there and
    the rest of the step is integrated from ``V_reset``, as NEST resets inside its integration
    loop. NEST resets at the end of the substep that crosses, which the divergence of ``V``
    makes short for ``Delta_T > 0`` (NEST's notebook parameters: the same spikes to 6e-14 ms);
    with ``Delta_T = 0`` nothing shortens it, and NEST resets up to a step late where snn resets
    at the located crossing (0.68 against 0.10 ms from the exact times over 100 ms). A neuron
    that crosses more than once in a step gets every reset (and its ``b`` increment) but reports
    one spike (NEST sends one event per reset). Spike times within 0.2 ms of an adaptive
    reference over 1 s at dt = 0.1 ms (``docs/accuracy.md``).
``"rk4"`` (opt-in: cheaper, less accurate)
    Classic Runge-Kutta for ``(V, w)``; 4th order between spikes, but the spike is detected and
    the reset done at the end of the step, up to ``dt`` late: spike times drift by about 1 ms
    over 1 s at dt = 0.1 ms.
``"exp_euler"`` (opt-in)
    Exponential Euler: ``V`` relaxes exactly towards the potential set by the conductances,
    the exponential term and ``w`` of the step's start; ``w`` relaxes exactly towards
    ``a (V - E_L)`` with ``V`` of the step's start; 1st order; reset at the end of the step.
``"euler"`` (opt-in; not for ``AdExCondAlpha``)
    Forward Euler for every variable, synaptic ones included; 1st order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel
from snn.core.validate import (
    require_finite,
    require_nonnegative,
    require_positive,
    warn_magnitude,
)
from snn.neurons._declarations import (
    ALPHA_CONDUCTANCE_RECEPTORS,
    ALPHA_CONDUCTANCES,
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
from snn.neurons._integrators import rk4_2, rkf45_spiking_2
from snn.neurons._lif import _refractory_steps, _times
from snn.neurons._lif_alpha import alpha_step
from snn.neurons._propagators import decay

__all__ = ["AdExCondAlpha", "AdExCondExp", "AdExPscExp"]

_V_W = (StateVar("v", "V", doc="membrane potential"), StateVar("w", "A", doc="adaptation current"))
#: NEST's bound on (V_peak - V_th) / Delta_T: log(DBL_MAX / 1e20) (aeif_cond_exp.cpp)
_MAX_EXP_ARGUMENT = math.log(np.finfo(np.float64).max / 1e20)

# ``p`` of the right-hand side = (cond, x_ex, x_in, dx_ex, dx_in, inv_tau_ex, inv_tau_in,
# inv_tau_w, i_e, frozen, mem): the synaptic variable of a receptor follows
# ``(x + t dx) exp(-t / tau)`` over the step, the exact trajectory of an alpha synapse (source
# ``dx``) and, with ``dx = 0``, of an exponential one. ``mem`` = (g_l, e_l, e_ex, e_in, k_exp,
# inv_delta_t, v_th, v_peak, v_reset, a, b, inv_c, v_spike): calls with more than 30 positional
# arguments compile to CALL_FUNCTION_EX, which numba cannot inline.


@kernel(inline="always")
def _adex_mem(
    g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c
):  # pragma: no cover
    """``mem`` from the parameters.

    The derived values are computed here, per neuron and step, to keep the step functions
    within numba's limit of 30 arguments for an inlined call.
    """
    spiking = delta_t > 0.0
    inv_delta_t = 1.0 / delta_t if spiking else 0.0 * delta_t
    # NEST: without the exponential term V_th is the spike threshold (V_peak still bounds the V
    # of the right-hand side)
    v_spike = v_peak if spiking else v_th
    return (g_l, e_l, e_ex, e_in, g_l * delta_t, inv_delta_t, v_th, v_peak, v_reset, a, b, inv_c,
            v_spike)  # fmt: skip


@kernel  # not inlined: see snn.neurons._integrators
def _adex_rhs(t, v, w, p):  # pragma: no cover - compiled
    """``(dV/dt, dw/dt)`` at ``t`` [s] after the step's start."""
    cond, x_ex, x_in, dx_ex, dx_in, inv_tau_ex, inv_tau_in, inv_tau_w, i_e, frozen, mem = p
    g_l, e_l, e_ex, e_in, k_exp, inv_delta_t, v_th, v_peak, v_reset, a, _, inv_c, _ = mem
    s_ex = (x_ex + t * dx_ex) * math.exp(-t * inv_tau_ex)
    s_in = (x_in + t * dx_in) * math.exp(-t * inv_tau_in)
    vc = v_reset if frozen else min(v, v_peak)
    i_syn = (s_ex * (e_ex - vc) + s_in * (e_in - vc)) if cond else (s_ex + s_in)
    dv = (g_l * (e_l - vc) + k_exp * math.exp((vc - v_th) * inv_delta_t) + i_syn - w + i_e) * inv_c
    dw = (a * (vc - e_l) - w) * inv_tau_w
    return (0.0 * dv if frozen else dv), dw


@kernel(inline="always")
def _adex_finish(v_free, w_new, refr, mem, ref_steps):  # pragma: no cover - compiled
    """Refractory clamp, threshold test and reset at the end of a fixed step."""
    v_reset, b, v_spike = mem[8], mem[10], mem[12]
    active = refr == 0
    v_new = v_free if active else v_reset
    spiked = active & (v_new >= v_spike)
    return (
        (v_reset if spiked else v_new),
        (w_new + b if spiked else w_new),
        (ref_steps if spiked else (refr if active else refr - 1)),
        spiked,
    )


@kernel(inline="always")
def _adex_rk4(p, v, w, refr, mem, ref_steps, dt):  # pragma: no cover - compiled
    """RK4 step; returns ``(v, w, refr, spiked)``."""
    v1, w1 = rk4_2(_adex_rhs, dt, v, w, p)
    return _adex_finish(v1, w1, refr, mem, ref_steps)


@kernel(inline="always")
def _adex_rkf45(p_free, p_frozen, v, w, refr, mem, tol, ref_steps, dt):  # pragma: no cover
    """Adaptive RKF45 step with the reset at the crossing; returns ``(v, w, refr, spiked)``."""
    v, w, spiked = rkf45_spiking_2(
        _adex_rhs,
        p_free,
        p_frozen,
        refr > 0,
        v,
        w,
        tol * 1e-3,  # tolerances in NEST's units: 1 mV, 1 pA
        tol * 1e-12,
        mem[12],
        mem[8],
        mem[10],
        ref_steps > 0,
        dt,
    )
    return v, w, (ref_steps if spiked else (refr - 1 if refr > 0 else refr)), spiked


@kernel(inline="always")
def _adex_exp_euler(cond, v, w, x_ex, x_in, refr, i_e, mem, p_w, ref_steps, dt):  # pragma: no cover
    """Exponential-Euler step (synaptic variables of the step's start); ``(v, w, refr, spiked)``."""
    g_l, e_l, e_ex, e_in, k_exp, inv_delta_t, v_th, v_peak, v_reset, a, _, inv_c, _ = mem
    vc = min(v, v_peak) if refr == 0 else v_reset
    g_syn = (x_ex + x_in) if cond else 0.0 * x_ex
    i_syn = (x_ex * e_ex + x_in * e_in) if cond else (x_ex + x_in)
    g_tot = g_l + g_syn
    v_inf = (g_l * e_l + i_syn + k_exp * math.exp((vc - v_th) * inv_delta_t) - w + i_e) / g_tot
    v_free = v_inf + (v - v_inf) * math.exp(-dt * g_tot * inv_c)
    w_inf = a * (vc - e_l)
    return _adex_finish(v_free, w_inf + (w - w_inf) * p_w, refr, mem, ref_steps)


@kernel(inline="always")
def _adex_euler(p, v, w, refr, mem, ref_steps, dt):  # pragma: no cover - compiled
    """Forward-Euler step; returns ``(v, w, refr, spiked)``."""
    dv, dw = _adex_rhs(0.0 * dt, v, w, p)
    return _adex_finish(v + dt * dv, w + dt * dw, refr, mem, ref_steps)


# ---- step functions of AdExCondExp (conductances), AdExPscExp (currents) and AdExCondAlpha
# (alpha conductances): the engine matches their argument names to state variables, receptors
# and constants. Each returns the new state variables in the declared order, then ``spiked``.


@kernel(inline="always")
def adex_cond_rkf45_step(
    v,
    w,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    tol,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``AdExCondExp``."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    i = i_e + current
    p0 = (True, g_ex, g_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, inv_tau_w, i, False, mem)
    p1 = (True, g_ex, g_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, inv_tau_w, i, True, mem)
    v, w, r, spiked = _adex_rkf45(p0, p1, v, w, refr, mem, tol, ref_steps, dt)
    return v, w, g_ex * p_ex + exc, g_in * p_in + inh, r, spiked


@kernel(inline="always")
def adex_cond_rk4_step(
    v,
    w,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``AdExCondExp``."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    p = (True, g_ex, g_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, inv_tau_w, i_e + current, refr > 0,
         mem)  # fmt: skip
    v, w, r, spiked = _adex_rk4(p, v, w, refr, mem, ref_steps, dt)
    return v, w, g_ex * p_ex + exc, g_in * p_in + inh, r, spiked


@kernel(inline="always")
def adex_cond_exp_euler_step(
    v,
    w,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_c,
    i_e,
    p_ex,
    p_in,
    p_w,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``AdExCondExp``."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    v, w, r, spiked = _adex_exp_euler(True, v, w, g_ex, g_in, refr, i_e + current, mem, p_w,
                                      ref_steps, dt)  # fmt: skip
    return v, w, g_ex * p_ex + exc, g_in * p_in + inh, r, spiked


@kernel(inline="always")
def adex_cond_euler_step(
    v,
    w,
    g_ex,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    q_ex,
    q_in,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Forward-Euler step of ``AdExCondExp``."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    p = (True, g_ex, g_in, 0.0, 0.0, 0.0, 0.0, inv_tau_w, i_e + current, refr > 0, mem)
    v, w, r, spiked = _adex_euler(p, v, w, refr, mem, ref_steps, dt)
    return v, w, g_ex * q_ex + exc, g_in * q_in + inh, r, spiked


@kernel(inline="always")
def adex_psc_rkf45_step(
    v,
    w,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    tol,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``AdExPscExp``."""
    mem = _adex_mem(g_l, e_l, 0.0, 0.0, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    i = i_e + current
    p0 = (False, i_ex, i_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, inv_tau_w, i, False, mem)
    p1 = (False, i_ex, i_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, inv_tau_w, i, True, mem)
    v, w, r, spiked = _adex_rkf45(p0, p1, v, w, refr, mem, tol, ref_steps, dt)
    return v, w, i_ex * p_ex + exc, i_in * p_in + inh, r, spiked


@kernel(inline="always")
def adex_psc_rk4_step(
    v,
    w,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``AdExPscExp``."""
    mem = _adex_mem(g_l, e_l, 0.0, 0.0, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    p = (False, i_ex, i_in, 0.0, 0.0, inv_tau_ex, inv_tau_in, inv_tau_w, i_e + current,
         refr > 0, mem)  # fmt: skip
    v, w, r, spiked = _adex_rk4(p, v, w, refr, mem, ref_steps, dt)
    return v, w, i_ex * p_ex + exc, i_in * p_in + inh, r, spiked


@kernel(inline="always")
def adex_psc_exp_euler_step(
    v,
    w,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_c,
    i_e,
    p_ex,
    p_in,
    p_w,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``AdExPscExp``."""
    mem = _adex_mem(g_l, e_l, 0.0, 0.0, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    v, w, r, spiked = _adex_exp_euler(False, v, w, i_ex, i_in, refr, i_e + current, mem, p_w,
                                      ref_steps, dt)  # fmt: skip
    return v, w, i_ex * p_ex + exc, i_in * p_in + inh, r, spiked


@kernel(inline="always")
def adex_psc_euler_step(
    v,
    w,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    q_ex,
    q_in,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Forward-Euler step of ``AdExPscExp``."""
    mem = _adex_mem(g_l, e_l, 0.0, 0.0, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    p = (False, i_ex, i_in, 0.0, 0.0, 0.0, 0.0, inv_tau_w, i_e + current, refr > 0, mem)
    v, w, r, spiked = _adex_euler(p, v, w, refr, mem, ref_steps, dt)
    return v, w, i_ex * q_ex + exc, i_in * q_in + inh, r, spiked


@kernel(inline="always")
def adex_alpha_rkf45_step(
    v,
    w,
    dg_ex,
    g_ex,
    dg_in,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    tol,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``AdExCondAlpha``."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    i = i_e + current
    p0 = (True, g_ex, g_in, dg_ex, dg_in, inv_tau_ex, inv_tau_in, inv_tau_w, i, False, mem)
    p1 = (True, g_ex, g_in, dg_ex, dg_in, inv_tau_ex, inv_tau_in, inv_tau_w, i, True, mem)
    v, w, r, spiked = _adex_rkf45(p0, p1, v, w, refr, mem, tol, ref_steps, dt)
    dg_ex, g_ex = alpha_step(dg_ex, g_ex, exc, p_ex, inv_tau_ex, dt)
    dg_in, g_in = alpha_step(dg_in, g_in, inh, p_in, inv_tau_in, dt)
    return v, w, dg_ex, g_ex, dg_in, g_in, r, spiked


@kernel(inline="always")
def adex_alpha_rk4_step(
    v,
    w,
    dg_ex,
    g_ex,
    dg_in,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_tau_w,
    inv_c,
    i_e,
    inv_tau_ex,
    inv_tau_in,
    p_ex,
    p_in,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``AdExCondAlpha``."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    p = (True, g_ex, g_in, dg_ex, dg_in, inv_tau_ex, inv_tau_in, inv_tau_w, i_e + current,
         refr > 0, mem)  # fmt: skip
    v, w, r, spiked = _adex_rk4(p, v, w, refr, mem, ref_steps, dt)
    dg_ex, g_ex = alpha_step(dg_ex, g_ex, exc, p_ex, inv_tau_ex, dt)
    dg_in, g_in = alpha_step(dg_in, g_in, inh, p_in, inv_tau_in, dt)
    return v, w, dg_ex, g_ex, dg_in, g_in, r, spiked


@kernel(inline="always")
def adex_alpha_exp_euler_step(
    v,
    w,
    dg_ex,
    g_ex,
    dg_in,
    g_in,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    delta_t,
    v_th,
    v_peak,
    v_reset,
    a,
    b,
    inv_c,
    i_e,
    p_ex,
    p_in,
    inv_tau_ex,
    inv_tau_in,
    p_w,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``AdExCondAlpha`` (conductances of the step's start)."""
    mem = _adex_mem(g_l, e_l, e_ex, e_in, delta_t, v_th, v_peak, v_reset, a, b, inv_c)
    v, w, r, spiked = _adex_exp_euler(True, v, w, g_ex, g_in, refr, i_e + current, mem, p_w,
                                      ref_steps, dt)  # fmt: skip
    dg_ex, g_ex = alpha_step(dg_ex, g_ex, exc, p_ex, inv_tau_ex, dt)
    dg_in, g_in = alpha_step(dg_in, g_in, inh, p_in, inv_tau_in, dt)
    return v, w, dg_ex, g_ex, dg_in, g_in, r, spiked


def _f64(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class _AdEx(NeuronModel):
    """Parameters and constants shared by the AdEx models (see the module docstring)."""

    c_m: Any = 281e-12
    g_l: Any = 30e-9
    e_l: Any = -70.6e-3
    v_th: Any = -50.4e-3
    delta_t: Any = 2e-3
    tau_w: Any = 144e-3
    a: Any = 4e-9
    b: Any = 80.5e-12
    v_peak: Any = 0.0
    v_reset: Any = -60e-3
    t_ref: Any = 0.0
    tau_syn_ex: Any = 0.2e-3
    tau_syn_in: Any = 2e-3
    i_e: Any = 0.0
    method: Literal["rkf45", "rk4", "exp_euler", "euler"] = "rkf45"
    tol: float = 1e-6

    _steps: ClassVar[dict[str, Callable[..., Any]]] = {}

    def __post_init__(self) -> None:
        check_time_constants(self, ("tau_w", "tau_syn_ex", "tau_syn_in"))
        check_voltages(self, self._voltages())
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        require_nonnegative("delta_t", self.delta_t, "V")
        require_nonnegative("t_ref", self.t_ref, "s")
        require_finite("a", self.a, "S")
        warn_magnitude("a", self.a, "conductance")
        check_currents(self, ("b", "i_e"))
        require_positive("tol", self.tol)
        check_method(self, self._steps)
        if np.any(_f64(self.v_peak) < _f64(self.v_th)):
            raise ConfigurationError(
                f"`v_peak` must be >= `v_th`, got v_peak={self.v_peak!r} V, v_th={self.v_th!r} V."
            )
        if np.any(_f64(self.v_reset) >= _f64(self.v_peak)):
            raise ConfigurationError(
                f"`v_reset` must be below `v_peak`, got v_reset={self.v_reset!r} V, "
                f"v_peak={self.v_peak!r} V."
            )
        delta_t = _f64(self.delta_t)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(delta_t > 0, (_f64(self.v_peak) - _f64(self.v_th)) / delta_t, 0.0)
        if np.any(ratio >= _MAX_EXP_ARGUMENT):
            raise ConfigurationError(
                f"(v_peak - v_th) / delta_t = {float(np.max(ratio)):.4g} would overflow the "
                f"exponential at the spike (must be < {_MAX_EXP_ARGUMENT:.1f}); increase "
                "`delta_t` or lower `v_peak`."
            )

    def _voltages(self) -> tuple[str, ...]:
        return ("e_l", "v_th", "v_peak", "v_reset")

    def step_function(self) -> Callable[..., Any]:
        return self._steps[self.method]

    def initial_state(self) -> dict[str, Any]:
        state = dict.fromkeys((v.name for v in self.state_vars), 0.0)
        state.update(v=self.e_l, refr=0)
        return state

    def constants(self, dt: float) -> dict[str, Any]:
        c: dict[str, Any] = {
            "g_l": self.g_l,
            "e_l": self.e_l,
            "delta_t": self.delta_t,
            "v_th": self.v_th,
            "v_peak": self.v_peak,
            "v_reset": self.v_reset,
            "a": self.a,
            "b": self.b,
            "inv_c": _times(1.0, 1.0 / _f64(self.c_m)),
            "i_e": self.i_e,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }
        if self.method != "exp_euler":
            c["inv_tau_w"] = _times(1.0, 1.0 / _f64(self.tau_w))
        if self.method != "euler":
            c["inv_tau_ex"] = _times(1.0, 1.0 / _f64(self.tau_syn_ex))
            c["inv_tau_in"] = _times(1.0, 1.0 / _f64(self.tau_syn_in))
        if self.method == "euler":
            c["q_ex"] = _times(1.0, 1.0 - dt / _f64(self.tau_syn_ex))
            c["q_in"] = _times(1.0, 1.0 - dt / _f64(self.tau_syn_in))
        else:
            c["p_ex"] = decay(dt, self.tau_syn_ex)
            c["p_in"] = decay(dt, self.tau_syn_in)
        if self.method == "exp_euler":
            c["p_w"] = decay(dt, self.tau_w)
        if self.method == "rkf45":
            c["tol"] = self.tol
        return c

    def check_dt(self, dt: float) -> None:
        if self.method == "euler":
            tau = min(float(np.min(self.tau_syn_ex)), float(np.min(self.tau_syn_in)))
            if dt >= tau:
                raise ConfigurationError(
                    f"forward Euler needs dt < tau_syn; got dt = {dt} s and tau_syn = {tau} s. "
                    "Use method='rk4' or 'rkf45', or a smaller dt."
                )


@dataclass(frozen=True, kw_only=True)
class AdExCondExp(_AdEx):
    """Adaptive exponential integrate-and-fire neuron, exponential conductances (``aeif_cond_exp``).

    Equations, reset, overflow guard and integration methods: see the module docstring.
    Defaults are NEST's.

    Parameters
    ----------
    c_m
        Membrane capacitance [F].
    g_l
        Leak conductance [S].
    e_l
        Leak reversal potential [V].
    v_th
        Threshold of the exponential term (spike initiation) [V].
    delta_t
        Slope factor of the exponential term [V]; 0 gives a leaky integrate-and-fire neuron
        with threshold ``v_th``.
    tau_w
        Adaptation time constant [s].
    a
        Subthreshold adaptation [S].
    b
        Spike-triggered adaptation: jump of ``w`` at each spike [A].
    v_peak
        Spike detection threshold [V] (>= ``v_th``).
    v_reset
        Reset potential [V].
    t_ref
        Refractory period [s] (``V`` held at ``v_reset``).
    e_ex, e_in
        Reversal potentials of the excitatory and inhibitory conductances [V].
    tau_syn_ex, tau_syn_in
        Decay time constants of the conductances [s].
    i_e
        Constant input current [A].
    method
        ``"rkf45"`` (default: adaptive, reset at the located crossing; spike times within
        0.2 ms of an adaptive reference at dt = 0.1 ms), or, cheaper and less accurate (opt-in:
        reset at the end of the step), ``"rk4"``, ``"exp_euler"`` or ``"euler"`` (see the
        module docstring and ``docs/accuracy.md``).
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 pA
        for ``w`` (NEST's ``gsl_error_tol``) [1].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``w`` [A], ``g_ex``, ``g_in`` [S], ``refr``
    [steps]. Receptors ``exc`` and ``inh`` (weights >= 0 S) and ``current`` [A]. NEST's
    parameter names: ``C_m``, ``g_L``, ``E_L``, ``V_th``, ``Delta_T``, ``tau_w``, ``a``, ``b``,
    ``V_peak``, ``V_reset``, ``t_ref``, ``E_ex``, ``E_in``, ``tau_syn_ex``, ``tau_syn_in``,
    ``I_e``, ``gsl_error_tol`` (``tol``).
    """

    e_ex: Any = 0.0
    e_in: Any = -85e-3

    state_vars: ClassVar[tuple[StateVar, ...]] = (*_V_W, *CONDUCTANCES, REFR)
    receptors: ClassVar[tuple[Receptor, ...]] = CONDUCTANCE_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rkf45": adex_cond_rkf45_step,
        "rk4": adex_cond_rk4_step,
        "exp_euler": adex_cond_exp_euler_step,
        "euler": adex_cond_euler_step,
    }

    def _voltages(self) -> tuple[str, ...]:
        return ("e_l", "v_th", "v_peak", "v_reset", "e_ex", "e_in")

    def constants(self, dt: float) -> dict[str, Any]:
        return {**super().constants(dt), "e_ex": self.e_ex, "e_in": self.e_in}


@dataclass(frozen=True, kw_only=True)
class AdExPscExp(_AdEx):
    """Adaptive exponential integrate-and-fire neuron, exponential currents (``aeif_psc_exp``).

    Equations, reset, overflow guard and integration methods: see the module docstring.
    Defaults are NEST's.

    Parameters
    ----------
    c_m
        Membrane capacitance [F].
    g_l
        Leak conductance [S].
    e_l
        Leak reversal potential [V].
    v_th
        Threshold of the exponential term (spike initiation) [V].
    delta_t
        Slope factor of the exponential term [V]; 0 gives a leaky integrate-and-fire neuron
        with threshold ``v_th``.
    tau_w
        Adaptation time constant [s].
    a
        Subthreshold adaptation [S].
    b
        Spike-triggered adaptation: jump of ``w`` at each spike [A].
    v_peak
        Spike detection threshold [V] (>= ``v_th``).
    v_reset
        Reset potential [V].
    t_ref
        Refractory period [s] (``V`` held at ``v_reset``).
    tau_syn_ex, tau_syn_in
        Decay time constants of the synaptic currents [s].
    i_e
        Constant input current [A].
    method
        ``"rkf45"`` (default: adaptive, reset at the located crossing; spike times within
        0.2 ms of an adaptive reference at dt = 0.1 ms), or, cheaper and less accurate (opt-in:
        reset at the end of the step), ``"rk4"``, ``"exp_euler"`` or ``"euler"`` (see the
        module docstring and ``docs/accuracy.md``).
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 pA
        for ``w`` (NEST's ``gsl_error_tol``) [1].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``w`` [A], ``i_ex``, ``i_in`` [A], ``refr``
    [steps]. Receptors ``exc`` (weights >= 0 A), ``inh`` (weights <= 0 A) and ``current`` [A].
    """

    state_vars: ClassVar[tuple[StateVar, ...]] = (*_V_W, *CURRENTS, REFR)
    receptors: ClassVar[tuple[Receptor, ...]] = CURRENT_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rkf45": adex_psc_rkf45_step,
        "rk4": adex_psc_rk4_step,
        "exp_euler": adex_psc_exp_euler_step,
        "euler": adex_psc_euler_step,
    }


@dataclass(frozen=True, kw_only=True)
class AdExCondAlpha(AdExCondExp):
    """Adaptive exponential integrate-and-fire neuron, alpha conductances (``aeif_cond_alpha``).

    NEST's ``aeif_cond_alpha``; PyNN's ``EIF_cond_alpha_isfa_ista``. Equations, reset, overflow
    guard and integration methods: see the module docstring. A spike of weight ``w`` [S] adds
    the conductance ``w (t / tau_syn) exp(1 - t / tau_syn)``, which peaks at ``w`` after
    ``tau_syn``. Defaults are NEST's (PyNN's differ: ``tau_refrac`` 0.1 ms, ``v_reset``
    -70.6 mV, ``tau_syn_E = tau_syn_I`` 5 ms, ``e_rev_I`` -80 mV, ``v_spike`` -40 mV, ...).

    Parameters
    ----------
    c_m
        Membrane capacitance [F] (NEST ``C_m``; PyNN ``cm``).
    g_l
        Leak conductance [S] (NEST ``g_L``; PyNN ``cm / tau_m``).
    e_l
        Leak reversal potential [V] (NEST ``E_L``; PyNN ``v_rest``).
    v_th
        Threshold of the exponential term (spike initiation) [V] (NEST ``V_th``; PyNN
        ``v_thresh``).
    delta_t
        Slope factor of the exponential term [V]; 0 gives a leaky integrate-and-fire neuron
        with threshold ``v_th`` (NEST ``Delta_T``; PyNN ``delta_T``).
    tau_w
        Adaptation time constant [s] (NEST, PyNN ``tau_w``).
    a
        Subthreshold adaptation [S] (NEST, PyNN ``a``).
    b
        Spike-triggered adaptation: jump of ``w`` at each spike [A] (NEST, PyNN ``b``).
    v_peak
        Spike detection threshold [V] (>= ``v_th``; NEST ``V_peak``; PyNN ``v_spike``).
    v_reset
        Reset potential [V] (NEST ``V_reset``; PyNN ``v_reset``).
    t_ref
        Refractory period [s] (``V`` held at ``v_reset``; NEST ``t_ref``; PyNN
        ``tau_refrac``).
    e_ex, e_in
        Reversal potentials of the excitatory and inhibitory conductances [V] (NEST ``E_ex``,
        ``E_in``; PyNN ``e_rev_E``, ``e_rev_I``).
    tau_syn_ex, tau_syn_in
        Rise (and decay) time constants of the alpha conductances [s] (NEST ``tau_syn_ex``,
        ``tau_syn_in``; PyNN ``tau_syn_E``, ``tau_syn_I``).
    i_e
        Constant input current [A] (NEST ``I_e``; PyNN ``i_offset``).
    method
        ``"rkf45"`` (default: adaptive, reset at the located crossing; spike times within
        0.2 ms of an adaptive reference at dt = 0.1 ms), or, cheaper and less accurate (opt-in:
        reset at the end of the step), ``"rk4"`` or ``"exp_euler"`` (see the module docstring
        and ``docs/accuracy.md``).
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``V`` and 1 pA
        for ``w`` (NEST's ``gsl_error_tol``) [1].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``w`` [A], ``dg_ex``, ``dg_in`` [S/s],
    ``g_ex``, ``g_in`` [S], ``refr`` [steps]. Receptors ``exc`` and ``inh`` (weights >= 0 S,
    the peak conductance) and ``current`` [A].
    """

    state_vars: ClassVar[tuple[StateVar, ...]] = (*_V_W, *ALPHA_CONDUCTANCES, REFR)
    receptors: ClassVar[tuple[Receptor, ...]] = ALPHA_CONDUCTANCE_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rkf45": adex_alpha_rkf45_step,
        "rk4": adex_alpha_rk4_step,
        "exp_euler": adex_alpha_exp_euler_step,
    }
