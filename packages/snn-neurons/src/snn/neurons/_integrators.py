r"""Integration steps shared by the nonlinear neuron models (AdEx, Izhikevich, Hodgkin-Huxley).

Every function here is a numba kernel inlined into the models' step functions. The right-hand
side of the ODE is passed as the first argument ``f``, a kernel ``f(t, y0, ..., p)`` that returns
the time derivatives of the state ``(y0, ...)`` at time ``t`` [s] after the step's start; ``p`` is
a tuple of whatever else it needs (parameters, inputs held over the step). Functions come in
versions for 2 state variables (AdEx's ``V, w``; Izhikevich's ``v, u``) and 4 (Hodgkin-Huxley's
``V, m, h, n``): numba cannot build tuples of a length chosen at run time without allocating.

The right-hand sides themselves are ordinary (not inlined) kernels: inlined into the six stages
of RKF45 they made numba's compilation 3x slower (13 s instead of 4 s for ``AdExCondExp``) and
nothing faster, because ``exp`` keeps the neuron loop from vectorising anyway (numba has no
vector ``exp`` without Intel's SVML).

``exp_poly`` and ``exprel_poly`` compute ``exp(x)`` and ``(exp(x) - 1) / x`` without a call to
the C library: Cody-Waite reduction ``x = k ln 2 + r`` with ``|r| <= ln(2) / 2``, the Taylor
polynomial of degree 13 of ``exp(r)`` (truncation error below 2e-17 relative) and ``2^k`` made
from its bits. Branch-free and call-free, they let LLVM vectorise a neuron loop that evaluates
exponentials (4 lanes with AVX2), which ``math.exp`` prevents; and unlike the C library's
``exp``, whose last bit may depend on the CPU's features, they give the same bits on every
x86-64 machine. Accuracy: within 2 ulp of ``math.exp`` for ``|x| <= 700``.

Methods
-------
Classic Runge-Kutta (RK4), 4th order, one evaluation at ``t``, two at ``t + h/2``, one at
``t + h``.

Runge-Kutta-Fehlberg 4(5) (Fehlberg 1969, NASA TR R-315; the coefficients of GSL's
``gsl_odeiv_step_rkf45``, which NEST uses): six evaluations give a 5th-order solution, which is
kept (local extrapolation, as GSL), and the difference to the embedded 4th-order one, which
estimates the local error. A trial substep is accepted when every component's error is below its
tolerance ``s_i``. Step-size control follows GSL's ``gsl_odeiv_control_hadjust`` with safety
factor 0.9: after a rejection ``h <- h max(0.9 r^(-1/5), 1/5)``, after an acceptance with
``r < 1/2`` ``h <- h min(max(0.9 r^(-1/6), 1), 5)``, where ``r`` is the largest ratio of error to
tolerance.

Models that reset when ``V`` crosses a threshold (AdEx, Izhikevich) use
:func:`rkf45_spiking_2`: a substep that ends above the threshold is not accepted but cut at the
crossing estimated by the secant through its ends, until the crossing lies within
``dt * RKF45_EVENT_FRACTION``; the reset then happens there, and the rest of the step is
integrated from the reset state. Without this, as in NEST's GSL loop, the reset happens at the
end of whichever substep crosses, which the error control may have let grow to a large fraction
of the step where the trajectory is smooth (the quadratic of the Izhikevich model: spike times
0.1-0.2 ms late after a few spikes, at ``tol = 1e-6``).
"""

from __future__ import annotations

import math

import numpy as np

from snn.core.kernels import kernel

__all__ = [
    "RKF45_EVENT_FRACTION",
    "RKF45_MAX_SUBSTEPS",
    "RKF45_MIN_FRACTION",
    "exp_poly",
    "exprel_poly",
    "rk4_2",
    "rk4_4",
    "rkf45_gave_up",
    "rkf45_resize",
    "rkf45_spiking_2",
    "rkf45_trial_2",
    "rkf45_trial_4",
    "x_over_expm1",
]

#: smallest RKF45 substep as a fraction of dt; a substep this small is accepted whatever its error
#: estimate, so the loop always ends (a NaN state then reaches the engine's NaN check)
RKF45_MIN_FRACTION = 2.0**-30
#: most RKF45 substeps in one step: a system that needs more (stiff beyond the tolerance, or
#: diverging) ends the step with a NaN state, which the engine's NaN check reports, instead of
#: creeping through up to 2**30 substeps of the smallest size (hours for one step)
RKF45_MAX_SUBSTEPS = 10_000
#: a threshold crossing is located by :func:`rkf45_spiking_2` within this fraction of dt
RKF45_EVENT_FRACTION = 2.0**-20

# Fehlberg's tableau (GSL rkf45.c)
_A21 = 1.0 / 4.0
_A31, _A32 = 3.0 / 32.0, 9.0 / 32.0
_A41, _A42, _A43 = 1932.0 / 2197.0, -7200.0 / 2197.0, 7296.0 / 2197.0
_A51, _A52, _A53, _A54 = 439.0 / 216.0, -8.0, 3680.0 / 513.0, -845.0 / 4104.0
_A61, _A62, _A63, _A64, _A65 = -8.0 / 27.0, 2.0, -3544.0 / 2565.0, 1859.0 / 4104.0, -11.0 / 40.0
_C2, _C3, _C4, _C6 = 1.0 / 4.0, 3.0 / 8.0, 12.0 / 13.0, 1.0 / 2.0
# 5th-order weights (the solution kept)
_B1, _B3, _B4, _B5, _B6 = 16.0 / 135.0, 6656.0 / 12825.0, 28561.0 / 56430.0, -9.0 / 50.0, 2.0 / 55.0
# 5th minus 4th-order weights (the error estimate)
_E1, _E3, _E4, _E5, _E6 = (
    1.0 / 360.0,
    -128.0 / 4275.0,
    -2197.0 / 75240.0,
    1.0 / 50.0,
    2.0 / 55.0,
)


_LOG2E = 1.4426950408889634
# ln 2 split so that k * _LN2_HI is exact for |k| < 2^11 (Cody & Waite 1980)
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_HALF_LN2 = 0.34657359027997264
# exp(r) = 1 + r q(r) with q(r) = sum_n r^n / (n + 1)!, n = 0..12
_Q0, _Q1, _Q2, _Q3, _Q4, _Q5, _Q6, _Q7, _Q8, _Q9, _Q10, _Q11, _Q12 = (
    1.0 / math.factorial(n + 1) for n in range(13)
)


@kernel(inline="always")
def _exprel_reduced(r):  # pragma: no cover - compiled
    """``(exp(r) - 1) / r`` for ``|r| <= ln(2) / 2``: Horner, degree 12, written out."""
    q = _Q12 * r + _Q11
    q = q * r + _Q10
    q = q * r + _Q9
    q = q * r + _Q8
    q = q * r + _Q7
    q = q * r + _Q6
    q = q * r + _Q5
    q = q * r + _Q4
    q = q * r + _Q3
    q = q * r + _Q2
    q = q * r + _Q1
    return q * r + _Q0


@kernel(inline="always")
def exp_poly(x):  # pragma: no cover - compiled
    """``exp(x)`` without a library call (see the module docstring).

    0 below -708 and ``exp(709)`` above 709 (saturated: diverging states reach the engine's
    NaN/inf check through other paths).
    """
    xc = min(max(x, -708.0), 709.0)
    k = np.floor(xc * _LOG2E + 0.5)  # a float: math.floor's int costs 3x here
    r = (xc - k * _LN2_HI) - k * _LN2_LO
    # 2^k from its IEEE-754 bits: a register move (view of an int64 scalar as a float64)
    scale = np.int64((np.int64(k) + 1023) << 52).view(np.float64)
    y = (1.0 + r * _exprel_reduced(r)) * scale
    y = 0.0 if x < -708.0 else y
    return y if x == x else x  # NaN stays NaN


@kernel(inline="always")
def exprel_poly(x):  # pragma: no cover - compiled
    """``(exp(x) - 1) / x``, continued by 1 at ``x = 0`` (the removable singularity).

    The polynomial for ``|x| <= ln(2) / 2``, where ``exp(x) - 1`` would cancel, else
    :func:`exp_poly`.
    """
    small = abs(x) <= _HALF_LN2
    safe = 1.0 if small else x
    return _exprel_reduced(x) if small else (exp_poly(safe) - 1.0) / safe


@kernel(inline="always")
def x_over_expm1(x):  # pragma: no cover - compiled
    """``x / (exp(x) - 1)`` = ``1 / exprel(x)``, continued by its limit 1 at ``x = 0``."""
    return 1.0 / exprel_poly(x)


@kernel(inline="always")
def rk4_2(f, h, y0, y1, p):  # pragma: no cover - compiled
    """One classic Runge-Kutta step of length ``h`` [s] from ``t = 0`` for two variables."""
    a0, a1 = f(0.0, y0, y1, p)
    b0, b1 = f(0.5 * h, y0 + 0.5 * h * a0, y1 + 0.5 * h * a1, p)
    c0, c1 = f(0.5 * h, y0 + 0.5 * h * b0, y1 + 0.5 * h * b1, p)
    d0, d1 = f(h, y0 + h * c0, y1 + h * c1, p)
    w = h / 6.0
    return (
        y0 + w * (a0 + 2.0 * b0 + 2.0 * c0 + d0),
        y1 + w * (a1 + 2.0 * b1 + 2.0 * c1 + d1),
    )


@kernel(inline="always")
def rk4_4(f, h, y0, y1, y2, y3, p):  # pragma: no cover - compiled
    """One classic Runge-Kutta step of length ``h`` [s] from ``t = 0`` for four variables."""
    a0, a1, a2, a3 = f(0.0, y0, y1, y2, y3, p)
    q = 0.5 * h
    b0, b1, b2, b3 = f(q, y0 + q * a0, y1 + q * a1, y2 + q * a2, y3 + q * a3, p)
    c0, c1, c2, c3 = f(q, y0 + q * b0, y1 + q * b1, y2 + q * b2, y3 + q * b3, p)
    d0, d1, d2, d3 = f(h, y0 + h * c0, y1 + h * c1, y2 + h * c2, y3 + h * c3, p)
    w = h / 6.0
    return (
        y0 + w * (a0 + 2.0 * b0 + 2.0 * c0 + d0),
        y1 + w * (a1 + 2.0 * b1 + 2.0 * c1 + d1),
        y2 + w * (a2 + 2.0 * b2 + 2.0 * c2 + d2),
        y3 + w * (a3 + 2.0 * b3 + 2.0 * c3 + d3),
    )


@kernel(inline="always")
def rkf45_trial_2(f, t, h, y0, y1, p, s0, s1):  # pragma: no cover - compiled
    """One RKF45 trial substep from ``t`` to ``t + h`` [s] for two variables.

    Returns the 5th-order solution and the largest ratio of the error estimate to the
    tolerances ``s0, s1`` (same units as the variables): the substep is acceptable when <= 1.
    """
    k10, k11 = f(t, y0, y1, p)
    k20, k21 = f(t + _C2 * h, y0 + h * _A21 * k10, y1 + h * _A21 * k11, p)
    k30, k31 = f(
        t + _C3 * h,
        y0 + h * (_A31 * k10 + _A32 * k20),
        y1 + h * (_A31 * k11 + _A32 * k21),
        p,
    )
    k40, k41 = f(
        t + _C4 * h,
        y0 + h * (_A41 * k10 + _A42 * k20 + _A43 * k30),
        y1 + h * (_A41 * k11 + _A42 * k21 + _A43 * k31),
        p,
    )
    k50, k51 = f(
        t + h,
        y0 + h * (_A51 * k10 + _A52 * k20 + _A53 * k30 + _A54 * k40),
        y1 + h * (_A51 * k11 + _A52 * k21 + _A53 * k31 + _A54 * k41),
        p,
    )
    k60, k61 = f(
        t + _C6 * h,
        y0 + h * (_A61 * k10 + _A62 * k20 + _A63 * k30 + _A64 * k40 + _A65 * k50),
        y1 + h * (_A61 * k11 + _A62 * k21 + _A63 * k31 + _A64 * k41 + _A65 * k51),
        p,
    )
    z0 = y0 + h * (_B1 * k10 + _B3 * k30 + _B4 * k40 + _B5 * k50 + _B6 * k60)
    z1 = y1 + h * (_B1 * k11 + _B3 * k31 + _B4 * k41 + _B5 * k51 + _B6 * k61)
    e0 = h * (_E1 * k10 + _E3 * k30 + _E4 * k40 + _E5 * k50 + _E6 * k60)
    e1 = h * (_E1 * k11 + _E3 * k31 + _E4 * k41 + _E5 * k51 + _E6 * k61)
    err = max(abs(e0) / s0, abs(e1) / s1)
    # max() drops a NaN in its second argument: a trial that leaves the finite numbers must be
    # rejected (and the substep shrunk), whatever the ratios say
    if not (math.isfinite(z0) and math.isfinite(z1)):
        err = math.inf
    return z0, z1, err


@kernel(inline="always")
def rkf45_trial_4(f, t, h, y0, y1, y2, y3, p, s0, s1, s2, s3):  # pragma: no cover - compiled
    """One RKF45 trial substep for four variables (see :func:`rkf45_trial_2`)."""
    k10, k11, k12, k13 = f(t, y0, y1, y2, y3, p)
    k20, k21, k22, k23 = f(
        t + _C2 * h,
        y0 + h * _A21 * k10,
        y1 + h * _A21 * k11,
        y2 + h * _A21 * k12,
        y3 + h * _A21 * k13,
        p,
    )
    k30, k31, k32, k33 = f(
        t + _C3 * h,
        y0 + h * (_A31 * k10 + _A32 * k20),
        y1 + h * (_A31 * k11 + _A32 * k21),
        y2 + h * (_A31 * k12 + _A32 * k22),
        y3 + h * (_A31 * k13 + _A32 * k23),
        p,
    )
    k40, k41, k42, k43 = f(
        t + _C4 * h,
        y0 + h * (_A41 * k10 + _A42 * k20 + _A43 * k30),
        y1 + h * (_A41 * k11 + _A42 * k21 + _A43 * k31),
        y2 + h * (_A41 * k12 + _A42 * k22 + _A43 * k32),
        y3 + h * (_A41 * k13 + _A42 * k23 + _A43 * k33),
        p,
    )
    k50, k51, k52, k53 = f(
        t + h,
        y0 + h * (_A51 * k10 + _A52 * k20 + _A53 * k30 + _A54 * k40),
        y1 + h * (_A51 * k11 + _A52 * k21 + _A53 * k31 + _A54 * k41),
        y2 + h * (_A51 * k12 + _A52 * k22 + _A53 * k32 + _A54 * k42),
        y3 + h * (_A51 * k13 + _A52 * k23 + _A53 * k33 + _A54 * k43),
        p,
    )
    k60, k61, k62, k63 = f(
        t + _C6 * h,
        y0 + h * (_A61 * k10 + _A62 * k20 + _A63 * k30 + _A64 * k40 + _A65 * k50),
        y1 + h * (_A61 * k11 + _A62 * k21 + _A63 * k31 + _A64 * k41 + _A65 * k51),
        y2 + h * (_A61 * k12 + _A62 * k22 + _A63 * k32 + _A64 * k42 + _A65 * k52),
        y3 + h * (_A61 * k13 + _A62 * k23 + _A63 * k33 + _A64 * k43 + _A65 * k53),
        p,
    )
    z0 = y0 + h * (_B1 * k10 + _B3 * k30 + _B4 * k40 + _B5 * k50 + _B6 * k60)
    z1 = y1 + h * (_B1 * k11 + _B3 * k31 + _B4 * k41 + _B5 * k51 + _B6 * k61)
    z2 = y2 + h * (_B1 * k12 + _B3 * k32 + _B4 * k42 + _B5 * k52 + _B6 * k62)
    z3 = y3 + h * (_B1 * k13 + _B3 * k33 + _B4 * k43 + _B5 * k53 + _B6 * k63)
    e0 = h * (_E1 * k10 + _E3 * k30 + _E4 * k40 + _E5 * k50 + _E6 * k60)
    e1 = h * (_E1 * k11 + _E3 * k31 + _E4 * k41 + _E5 * k51 + _E6 * k61)
    e2 = h * (_E1 * k12 + _E3 * k32 + _E4 * k42 + _E5 * k52 + _E6 * k62)
    e3 = h * (_E1 * k13 + _E3 * k33 + _E4 * k43 + _E5 * k53 + _E6 * k63)
    err = max(max(abs(e0) / s0, abs(e1) / s1), max(abs(e2) / s2, abs(e3) / s3))
    finite = math.isfinite(z0) and math.isfinite(z1) and math.isfinite(z2) and math.isfinite(z3)
    if not finite:  # see rkf45_trial_2
        err = math.inf
    return z0, z1, z2, z3, err


@kernel(inline="always")
def rkf45_gave_up(substeps, accepted, z0, z1):  # pragma: no cover - compiled
    """Whether an RKF45 step stops here with a NaN state.

    It does after :data:`RKF45_MAX_SUBSTEPS` substeps, or when a substep is accepted with a
    state that is not finite (only at the smallest substep, which is accepted whatever its
    error): integrating on from there cannot recover and would take up to 2**30 substeps.
    """
    return substeps > RKF45_MAX_SUBSTEPS or (
        accepted and not (math.isfinite(z0) and math.isfinite(z1))
    )


@kernel(inline="always")
def rkf45_resize(h, err, accepted):  # pragma: no cover - compiled
    """The next RKF45 substep after one of length ``h`` with error ratio ``err``.

    GSL's rule (order 5, safety 0.9): shrink by at most 5x after a rejection, grow by at most 5x
    after an acceptance with ``err < 0.5``, else keep. A NaN ratio shrinks by 5x.
    """
    if not accepted:
        r = 0.9 * err**-0.2
        return h * (r if r > 0.2 else 0.2)
    if err < 0.5:
        r = 0.9 * err ** (-1.0 / 6.0) if err > 0.0 else 5.0
        return h * min(max(r, 1.0), 5.0)
    return h


@kernel(inline="always")
def rkf45_spiking_2(
    f, p_free, p_frozen, frozen, y0, y1, s0, s1, y0_spike, y0_reset, y1_jump, refractory, dt
):  # pragma: no cover - compiled
    """One step of adaptive RKF45 for two variables with resets at threshold crossings.

    Integrates ``(y0, y1)`` over ``dt`` [s] with :func:`rkf45_trial_2` (right-hand side ``f``,
    tolerances ``s0, s1``). When ``y0`` crosses ``y0_spike`` upwards, the crossing is located
    (see the module docstring), ``y0`` is set to ``y0_reset`` and ``y1`` jumps by ``y1_jump``;
    if ``refractory``, ``y0`` is then held at ``y0_reset`` for the rest of the step. While held
    (``frozen``, also on entry) the right-hand side gets ``p_frozen``, else ``p_free``.

    Returns ``(y0, y1, spiked)``: whether at least one reset happened in the step.
    """
    spiked = False
    t = 0.0 * dt
    h = dt
    h_min = dt * RKF45_MIN_FRACTION
    h_event = dt * RKF45_EVENT_FRACTION
    done = False
    substeps = 0
    while not done:
        final = h >= dt - t
        hh = dt - t if final else h
        p = p_frozen if frozen else p_free
        z0, z1, err = rkf45_trial_2(f, t, hh, y0, y1, p, s0, s1)
        accepted = err <= 1.0 or hh <= h_min
        substeps += 1
        if rkf45_gave_up(substeps, accepted, z0, z1):
            y0, y1, done = math.nan, math.nan, True
            continue
        if accepted and not frozen and z0 >= y0_spike and hh > h_event and z0 > y0:
            # cut the substep at the secant's crossing (kept inside the substep, so that the
            # loop progresses however curved the trajectory is)
            h = hh * min(max((y0_spike - y0) / (z0 - y0), 0.05), 0.95)
            continue
        if accepted:
            t = dt if final else t + hh
            y0 = y0_reset if frozen else z0
            y1 = z1
            done = final
            if y0 >= y0_spike:
                y0 = y0_reset
                y1 += y1_jump
                spiked = True
                frozen = refractory
                h = dt - t  # the reset state is smooth: try the rest of the step at once
                continue
        if not done:  # after the step's last substep the next size is not needed (a pow saved)
            h = rkf45_resize(hh, err, accepted)
    return y0, y1, spiked
