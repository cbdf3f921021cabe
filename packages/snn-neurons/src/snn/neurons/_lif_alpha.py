r"""LIF neurons with alpha-shaped synapses (NEST ``iaf_psc_alpha``, ``iaf_cond_alpha``).

Subthreshold dynamics, all in SI units::

    LIFAlpha:      C_m dV/dt = -(C_m / tau_m) (V - E_L) + I_ex + I_in + I_e
                   dI_x/dt  = dI'_x - I_x / tau_syn_x
                   dI'_x/dt = -I'_x / tau_syn_x,          I'_x += (e / tau_syn_x) w at each spike
    LIFCondAlpha:  C_m dV/dt = g_L (E_L - V) + g_ex (E_ex - V) + g_in (E_in - V) + I_e
                   dg_x/dt  = dg'_x - g_x / tau_syn_x
                   dg'_x/dt = -g'_x / tau_syn_x,          g'_x += (e / tau_syn_x) w at each spike

A spike of weight ``w`` thus adds the alpha function ``w (t / tau_syn) exp(1 - t / tau_syn)``,
which peaks at ``w`` at ``t = tau_syn`` (NEST's normalisation). The primed variables are the
derivatives' sources (state ``di_ex`` [A/s], ``dg_ex`` [S/s], ...). Both models also have the
``current`` receptor of every LIF model: the current injected by current sources during the step
[A], constant over the step and integrated like ``I_e``.

Spike and reset: when ``V >= V_th`` at the end of a step the neuron spikes (at the end of that
step), ``V`` is set to ``V_reset`` and held there for ``t_ref`` (a whole number of steps);
synaptic variables keep evolving. Order within a step (as NEST): propagate the state over the
step, then add the inputs that arrive at its end, then test the threshold.

Integration: ``LIFAlpha`` is linear and integrated exactly with the propagator matrix of
Rotter & Diesmann (1999), including the limit ``tau_syn == tau_m``. ``LIFCondAlpha`` is
nonlinear in ``(V, g)``; the conductances follow their exact alpha trajectory
``g(s) = (g + s g') exp(-s / tau_syn)`` and ``V`` uses ``method``: ``"rk4"`` (default; classic
Runge-Kutta along that trajectory, 4th order in dt) or ``"exp_euler"`` (exponential Euler with
the conductances of the step's start, 1st order). NEST integrates ``iaf_cond_alpha`` with GSL's
adaptive RKF45 instead.

References
----------
Rotter S, Diesmann M (1999). Exact digital simulation of time-invariant linear systems with
applications to neuronal modeling. Biol. Cybern. 81:381-402.
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
from snn.core.validate import require_positive
from snn.neurons._declarations import (
    ALPHA_CONDUCTANCE_RECEPTORS,
    ALPHA_CONDUCTANCES,
    ALPHA_CURRENT_RECEPTORS,
    ALPHA_CURRENTS,
    REFR,
    THRESHOLD_OFF,
)
from snn.neurons._lif import _check_common, _refractory_steps, _times
from snn.neurons._propagators import current_to_voltage, decay, membrane_gain

__all__ = ["LIFAlpha", "LIFCondAlpha", "alpha_normalisation", "alpha_step", "alpha_to_voltage"]

#: below this |x| the power series of ``phi`` is used: its closed form loses ~2 eps / |x| to
#: cancellation, i.e. 4e-15 relative here; 13 terms leave a truncation error below 1e-16
_SERIES_BELOW = 0.1
_SERIES_TERMS = 13


def alpha_normalisation(tau_syn: Any) -> Any:
    """``e / tau_syn`` [1/s]: jump of ``I'`` per unit weight, so the PSC peaks at the weight."""
    return _times(math.e, 1.0 / np.asarray(tau_syn, dtype=np.float64))


@kernel(inline="always")
def alpha_step(dx, x, inp, p, inv_tau, dt):  # pragma: no cover - compiled
    """Exact step of an alpha synapse: ``(x' p + (e / tau) inp, (x + dt x') p)``.

    ``x'`` is the source of ``x``'s derivative (``dx/dt = x' - x / tau``, ``dx'/dt = -x' / tau``),
    ``p = exp(-dt / tau)``, ``inv_tau = 1 / tau``; the input ``inp`` arriving at the end of the
    step is scaled by ``e / tau`` (as :func:`alpha_normalisation`: the response to a weight
    ``w`` peaks at ``w``). Returns ``(x', x)``.
    """
    return dx * p + (math.e * inv_tau) * inp, (x + dt * dx) * p


def alpha_to_voltage(dt: float, tau_syn: Any, tau_m: Any, c_m: Any) -> Any:
    """Change of V over one step caused by the current ``I(s) = s exp(-s / tau_syn)`` [V s/A].

    This is the propagator element from ``I'`` to ``V`` (NEST's ``P31``): the solution at
    ``s = dt`` of ``dV/ds = -V / tau_m + I(s) / c_m`` from ``V = 0``,
    ``exp(-dt / tau_m) dt**2 phi(a dt) / c_m`` with ``a = 1/tau_syn - 1/tau_m`` and
    ``phi(x) = (1 - exp(-x) (1 + x)) / x**2 = integral_0^1 u exp(-x u) du``. ``phi`` is summed as
    a power series for small ``|x|`` (no cancellation; ``phi(0) = 1/2`` is the limit
    ``tau_syn == tau_m``).

    Parameters
    ----------
    dt
        Time step [s].
    tau_syn
        Synaptic time constant [s] (float or per-neuron array).
    tau_m
        Membrane time constant [s].
    c_m
        Membrane capacitance [F].

    Returns
    -------
    float or numpy.ndarray
        ``P31`` [V s/A], a float for scalar input.
    """
    tau_syn = np.asarray(tau_syn, dtype=np.float64)
    tau_m = np.asarray(tau_m, dtype=np.float64)
    x = dt * (1.0 / tau_syn - 1.0 / tau_m)
    # phi(x) = sum_{n>=2} (-1)^n (n-1)/n! x^(n-2), by Horner from the highest term
    series = np.zeros_like(x)
    for n in range(_SERIES_TERMS + 1, 1, -1):
        series = series * x + (-1) ** n * (n - 1) / math.factorial(n)
    safe = np.where(np.abs(x) < _SERIES_BELOW, 1.0, x)
    closed = (-np.expm1(-safe) - safe * np.exp(-safe)) / (safe * safe)
    phi = np.where(np.abs(x) < _SERIES_BELOW, series, closed)
    out = np.exp(-dt / tau_m) * dt * dt * phi / np.asarray(c_m, dtype=np.float64)
    return float(out) if out.ndim == 0 else np.ascontiguousarray(out)


@kernel(inline="always")
def lif_alpha_step(
    v,
    di_ex,
    i_ex,
    di_in,
    i_in,
    refr,
    exc,
    inh,
    current,
    e_l,
    p_v,
    p11_ex,
    p21_ex,
    p31_ex,
    p32_ex,
    psc_ex,
    p11_in,
    p21_in,
    p31_in,
    p32_in,
    psc_in,
    v_drive,
    p_i,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One exact step of ``LIFAlpha``; returns ``(v, di_ex, i_ex, di_in, i_in, refr, spiked)``.

    ``V`` is propagated with the synaptic state of the step's start, then the synaptic state is
    propagated and the step's input added to ``I'`` (NEST's order).
    """
    active = refr == 0
    v_free = (
        e_l
        + (v - e_l) * p_v
        + di_ex * p31_ex
        + i_ex * p32_ex
        + di_in * p31_in
        + i_in * p32_in
        + v_drive
        + p_i * current
    )
    v_new = v_free if active else v
    r_new = refr if active else refr - 1
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        di_ex * p11_ex + psc_ex * exc,
        i_ex * p11_ex + di_ex * p21_ex,
        di_in * p11_in + psc_in * inh,
        i_in * p11_in + di_in * p21_in,
        (ref_steps if spiked else r_new),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class LIFAlpha(NeuronModel):
    """Leaky integrate-and-fire neuron with alpha-shaped current synapses (NEST ``iaf_psc_alpha``).

    A spike of weight ``w`` [A] adds the current ``w (t / tau_syn) exp(1 - t / tau_syn)`` to its
    receptor, peaking at ``w`` at ``t = tau_syn``. Defaults are NEST's.

    Parameters
    ----------
    tau_m
        Membrane time constant [s].
    c_m
        Membrane capacitance [F].
    e_l
        Resting potential [V].
    v_th
        Spike threshold [V].
    v_reset
        Reset potential [V].
    t_ref
        Absolute refractory period [s].
    tau_syn_ex, tau_syn_in
        Rise times (time to peak) of the excitatory and inhibitory currents [s].
    i_e
        Constant input current [A].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``di_ex``, ``di_in`` [A/s], ``i_ex``, ``i_in``
    [A], ``refr`` [steps]. Receptors ``exc`` (weights >= 0 A), ``inh`` (weights <= 0 A) and
    ``current``. Exact integration, also for ``tau_syn == tau_m``. NEST's ``V_min`` (a lower
    bound of ``V``, default -inf) is not modelled.
    """

    unbounded_constants: ClassVar[frozenset[str]] = THRESHOLD_OFF

    tau_m: Any = 10e-3
    c_m: Any = 250e-12
    e_l: Any = -70e-3
    v_th: Any = -55e-3
    v_reset: Any = -70e-3
    t_ref: Any = 2e-3
    tau_syn_ex: Any = 2e-3
    tau_syn_in: Any = 2e-3
    i_e: Any = 0.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        *ALPHA_CURRENTS,
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = ALPHA_CURRENT_RECEPTORS

    def __post_init__(self) -> None:
        _check_common(self, ("tau_m", "tau_syn_ex", "tau_syn_in"), ("e_l", "v_th", "v_reset"))
        require_positive("c_m", self.c_m, "F")

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "di_ex": 0.0, "i_ex": 0.0, "di_in": 0.0, "i_in": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return lif_alpha_step

    def constants(self, dt: float) -> dict[str, Any]:
        c: dict[str, Any] = {"e_l": self.e_l, "p_v": decay(dt, self.tau_m)}
        for x, tau in (("ex", self.tau_syn_ex), ("in", self.tau_syn_in)):
            c[f"p11_{x}"] = decay(dt, tau)
            c[f"p21_{x}"] = _times(dt, decay(dt, tau))
            c[f"p31_{x}"] = alpha_to_voltage(dt, tau, self.tau_m, self.c_m)
            c[f"p32_{x}"] = current_to_voltage(dt, tau, self.tau_m, self.c_m)
            c[f"psc_{x}"] = alpha_normalisation(tau)
        gain = membrane_gain(dt, self.tau_m, self.c_m)
        c.update(
            v_drive=_times(gain, self.i_e),
            p_i=gain,
            v_th=self.v_th,
            v_reset=self.v_reset,
            ref_steps=_refractory_steps(self.t_ref, dt),
        )
        return c


# A copy of _lif._cond_rate rather than an import: numba's cache of the step functions below does
# not notice edits to a callee in another file (see snn/core/README.md, "Caches").
@kernel(inline="always")
def _cond_rate(v, g_ex, g_in, g_l, e_l, e_ex, e_in, i_e, inv_c):  # pragma: no cover - compiled
    return (g_l * (e_l - v) + g_ex * (e_ex - v) + g_in * (e_in - v) + i_e) * inv_c


@kernel(inline="always")
def lif_cond_alpha_rk4_step(
    v,
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
    i_e,
    inv_c,
    dt,
    p_ex,
    p_in,
    h_ex,
    h_in,
    psc_ex,
    psc_in,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One step of ``LIFCondAlpha``: RK4 for V along the exact alpha conductance trajectory."""
    i_e = i_e + current
    half = 0.5 * dt
    ge_h = (g_ex + half * dg_ex) * h_ex
    gi_h = (g_in + half * dg_in) * h_in
    ge_1 = (g_ex + dt * dg_ex) * p_ex
    gi_1 = (g_in + dt * dg_in) * p_in
    k1 = _cond_rate(v, g_ex, g_in, g_l, e_l, e_ex, e_in, i_e, inv_c)
    k2 = _cond_rate(v + half * k1, ge_h, gi_h, g_l, e_l, e_ex, e_in, i_e, inv_c)
    k3 = _cond_rate(v + half * k2, ge_h, gi_h, g_l, e_l, e_ex, e_in, i_e, inv_c)
    k4 = _cond_rate(v + dt * k3, ge_1, gi_1, g_l, e_l, e_ex, e_in, i_e, inv_c)
    v_free = v + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    active = refr == 0
    v_new = v_free if active else v_reset
    r_new = refr if active else refr - 1
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        dg_ex * p_ex + psc_ex * exc,
        ge_1,
        dg_in * p_in + psc_in * inh,
        gi_1,
        (ref_steps if spiked else r_new),
        spiked,
    )


@kernel(inline="always")
def lif_cond_alpha_exp_euler_step(
    v,
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
    i_e,
    inv_c,
    dt,
    p_ex,
    p_in,
    psc_ex,
    psc_in,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One step of ``LIFCondAlpha``: exponential Euler for V with the initial conductances."""
    i_e = i_e + current
    g_tot = g_l + g_ex + g_in
    v_inf = (g_l * e_l + g_ex * e_ex + g_in * e_in + i_e) / g_tot
    v_free = v_inf + (v - v_inf) * math.exp(-dt * g_tot * inv_c)
    active = refr == 0
    v_new = v_free if active else v_reset
    r_new = refr if active else refr - 1
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        dg_ex * p_ex + psc_ex * exc,
        (g_ex + dt * dg_ex) * p_ex,
        dg_in * p_in + psc_in * inh,
        (g_in + dt * dg_in) * p_in,
        (ref_steps if spiked else r_new),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class LIFCondAlpha(NeuronModel):
    """Leaky integrate-and-fire neuron with alpha-shaped conductances (NEST ``iaf_cond_alpha``).

    A spike of weight ``w`` [S] adds the conductance ``w (t / tau_syn) exp(1 - t / tau_syn)`` to
    its receptor, peaking at ``w`` at ``t = tau_syn``. Defaults are NEST's.

    Parameters
    ----------
    c_m
        Membrane capacitance [F].
    g_l
        Leak conductance [S].
    e_l
        Leak reversal potential [V].
    v_th
        Spike threshold [V].
    v_reset
        Reset potential [V].
    t_ref
        Absolute refractory period [s].
    e_ex, e_in
        Reversal potentials of the excitatory and inhibitory conductances [V].
    tau_syn_ex, tau_syn_in
        Rise times (time to peak) of the conductances [s].
    i_e
        Constant input current [A].
    method
        Integration of ``V``: ``"rk4"`` (default) or ``"exp_euler"`` (see the module docstring).
        The conductances follow their exact trajectory with both.

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``dg_ex``, ``dg_in`` [S/s], ``g_ex``, ``g_in``
    [S], ``refr`` [steps]. Receptors ``exc`` and ``inh`` (weights >= 0 S) and ``current``. While
    refractory ``V`` is held at ``v_reset``. Accuracy: RK4 is 4th order, exponential Euler 1st
    order in dt.
    """

    unbounded_constants: ClassVar[frozenset[str]] = THRESHOLD_OFF

    c_m: Any = 250e-12
    g_l: Any = 16.6667e-9
    e_l: Any = -70e-3
    v_th: Any = -55e-3
    v_reset: Any = -60e-3
    t_ref: Any = 2e-3
    e_ex: Any = 0.0
    e_in: Any = -85e-3
    tau_syn_ex: Any = 0.2e-3
    tau_syn_in: Any = 2e-3
    i_e: Any = 0.0
    method: Literal["rk4", "exp_euler"] = "rk4"

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        *ALPHA_CONDUCTANCES,
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = ALPHA_CONDUCTANCE_RECEPTORS

    def __post_init__(self) -> None:
        _check_common(
            self, ("tau_syn_ex", "tau_syn_in"), ("e_l", "v_th", "v_reset", "e_ex", "e_in")
        )
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        if self.method not in ("rk4", "exp_euler"):
            raise ConfigurationError(f"`method` must be 'rk4' or 'exp_euler', got {self.method!r}.")

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "dg_ex": 0.0, "g_ex": 0.0, "dg_in": 0.0, "g_in": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        if self.method == "rk4":
            return lif_cond_alpha_rk4_step
        return lif_cond_alpha_exp_euler_step

    def constants(self, dt: float) -> dict[str, Any]:
        c: dict[str, Any] = {
            "g_l": self.g_l,
            "e_l": self.e_l,
            "e_ex": self.e_ex,
            "e_in": self.e_in,
            "i_e": self.i_e,
            "inv_c": _times(1.0, 1.0 / np.asarray(self.c_m, dtype=np.float64)),
            "p_ex": decay(dt, self.tau_syn_ex),
            "p_in": decay(dt, self.tau_syn_in),
            "psc_ex": alpha_normalisation(self.tau_syn_ex),
            "psc_in": alpha_normalisation(self.tau_syn_in),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }
        if self.method == "rk4":
            c["h_ex"] = decay(0.5 * dt, self.tau_syn_ex)
            c["h_in"] = decay(0.5 * dt, self.tau_syn_in)
        return c
