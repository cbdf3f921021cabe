r"""Leaky integrate-and-fire neurons (NEST ``iaf_psc_delta``, ``iaf_psc_exp``, ``iaf_cond_exp``).

Three synapse types: delta (voltage jumps), exponential currents, exponential conductances.

Subthreshold dynamics, all in SI units::

    LIFDelta:    C_m dV/dt = -(C_m / tau_m) (V - E_L) + I_e,   V += w at each input spike
    LIFExp:      C_m dV/dt = -(C_m / tau_m) (V - E_L) + I_ex + I_in + I_e
                 dI_x/dt = -I_x / tau_syn_x,                    I_x += w at each input spike
    LIFCondExp:  C_m dV/dt = g_L (E_L - V) + g_ex (E_ex - V) + g_in (E_in - V) + I_e
                 dg_x/dt = -g_x / tau_syn_x,                    g_x += w at each input spike

Every model also has a ``current`` receptor: the sum of the currents that current sources
(:mod:`snn.neurons` drives) inject during the step [A], constant over the step and integrated
exactly like ``I_e``.

Spike and reset: when ``V >= V_th`` at the end of a step the neuron spikes (at the end of that
step), ``V`` is set to ``V_reset`` and held there for ``t_ref`` (a whole number of steps);
synaptic variables keep evolving. ``LIFDelta`` discards input arriving while refractory (NEST's
default ``refractory_input=False``).

Order within a step (as NEST): propagate the state over the step, then add the inputs that arrive
at its end, then test the threshold.

Integration: ``LIFDelta`` and ``LIFExp`` are linear and integrated exactly with propagators
(Rotter & Diesmann 1999, "Exact digital simulation of time-invariant linear systems with
applications to neuronal modeling", Biol. Cybern. 81:381-402). ``LIFCondExp`` is nonlinear in
``(V, g)``; conductances decay exactly and ``V`` uses the method chosen with ``method``:
``"rk4"`` (default; classic Runge-Kutta with the exact conductance trajectory), ``"exp_euler"``
(exponential Euler with the conductances of the step's start) or ``"euler"`` (forward Euler for
every variable, as Brian2's COBA example).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel
from snn.core.validate import (
    require_nonnegative,
    require_positive,
    time_steps,
)
from snn.neurons._declarations import (
    CONDUCTANCE_RECEPTORS,
    CONDUCTANCES,
    CURRENT,
    CURRENT_RECEPTORS,
    CURRENTS,
    REFR,
    THRESHOLD_OFF,
    check_currents,
    check_method,
    check_time_constants,
    check_voltages,
)
from snn.neurons._propagators import current_to_voltage, decay, membrane_gain

__all__ = ["LIFCondExp", "LIFDelta", "LIFExp"]


def _check_common(model: Any, taus: tuple[str, ...], volts: tuple[str, ...]) -> None:
    check_time_constants(model, taus)
    check_voltages(model, volts)
    require_nonnegative("t_ref", model.t_ref, "s")
    check_currents(model, ("i_e",))
    if np.any(np.asarray(model.v_reset) >= np.asarray(model.v_th)):
        raise ConfigurationError(
            f"`v_reset` must be below `v_th`, got v_reset={model.v_reset!r} V, "
            f"v_th={model.v_th!r} V."
        )


def _refractory_steps(t_ref: Any, dt: float) -> Any:
    return time_steps("t_ref", t_ref, dt)


@kernel(inline="always")
def lif_delta_step(
    v, refr, syn, current, e_l, p_v, v_drive, p_i, v_th, v_reset, ref_steps
):  # pragma: no cover - compiled
    """One exact step of ``LIFDelta``; returns ``(v, refr, spiked)``."""
    active = refr == 0
    v_free = e_l + (v - e_l) * p_v + v_drive + p_i * current + syn
    v_new = v_free if active else v
    r_new = refr if active else refr - 1
    spiked = active & (v_new >= v_th)
    return (v_reset if spiked else v_new), (ref_steps if spiked else r_new), spiked


@dataclass(frozen=True, kw_only=True)
class LIFDelta(NeuronModel):
    """Leaky integrate-and-fire neuron with delta synapses (NEST ``iaf_psc_delta``).

    Each input spike makes ``V`` jump by its weight [V]. Defaults are NEST's.

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
    i_e
        Constant input current [A].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``refr`` [steps]. Receptor ``syn`` (weights in
    V, either sign). Exact integration.
    """

    unbounded_constants: ClassVar[frozenset[str]] = THRESHOLD_OFF

    tau_m: Any = 10e-3
    c_m: Any = 250e-12
    e_l: Any = -70e-3
    v_th: Any = -55e-3
    v_reset: Any = -70e-3
    t_ref: Any = 2e-3
    i_e: Any = 0.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("syn", "V", 0, "voltage jumps (positive: excitatory)"),
        CURRENT,
    )
    receptor_variables: ClassVar[Mapping[str, str]] = {"syn": "v"}

    def __post_init__(self) -> None:
        _check_common(self, ("tau_m",), ("e_l", "v_th", "v_reset"))
        require_positive("c_m", self.c_m, "F")

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return lif_delta_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "e_l": self.e_l,
            "p_v": decay(dt, self.tau_m),
            "v_drive": _times(membrane_gain(dt, self.tau_m, self.c_m), self.i_e),
            "p_i": membrane_gain(dt, self.tau_m, self.c_m),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }


@kernel(inline="always")
def lif_exp_step(
    v,
    i_ex,
    i_in,
    refr,
    exc,
    inh,
    current,
    e_l,
    p_v,
    p_ex,
    p_in,
    g_ex,
    g_in,
    v_drive,
    p_i,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One exact step of ``LIFExp``; returns ``(v, i_ex, i_in, refr, spiked)``."""
    active = refr == 0
    v_free = e_l + (v - e_l) * p_v + i_ex * g_ex + i_in * g_in + v_drive + p_i * current
    v_new = v_free if active else v
    r_new = refr if active else refr - 1
    i_ex_new = i_ex * p_ex + exc
    i_in_new = i_in * p_in + inh
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        i_ex_new,
        i_in_new,
        (ref_steps if spiked else r_new),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class LIFExp(NeuronModel):
    """Leaky integrate-and-fire neuron with exponential current synapses (NEST ``iaf_psc_exp``).

    Each input spike makes the synaptic current of its receptor jump by its weight [A]. Defaults
    are NEST's.

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
        Decay time constants of the excitatory and inhibitory currents [s].
    i_e
        Constant input current [A].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``i_ex``, ``i_in`` [A], ``refr`` [steps].
    Receptors ``exc`` (weights >= 0 A) and ``inh`` (weights <= 0 A). Exact integration.
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
        *CURRENTS,
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = CURRENT_RECEPTORS

    def __post_init__(self) -> None:
        _check_common(self, ("tau_m", "tau_syn_ex", "tau_syn_in"), ("e_l", "v_th", "v_reset"))
        require_positive("c_m", self.c_m, "F")

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "i_ex": 0.0, "i_in": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return lif_exp_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "e_l": self.e_l,
            "p_v": decay(dt, self.tau_m),
            "p_ex": decay(dt, self.tau_syn_ex),
            "p_in": decay(dt, self.tau_syn_in),
            "g_ex": current_to_voltage(dt, self.tau_syn_ex, self.tau_m, self.c_m),
            "g_in": current_to_voltage(dt, self.tau_syn_in, self.tau_m, self.c_m),
            "v_drive": _times(membrane_gain(dt, self.tau_m, self.c_m), self.i_e),
            "p_i": membrane_gain(dt, self.tau_m, self.c_m),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }


def _times(a: Any, b: Any) -> Any:
    out = np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64)
    return float(out) if out.ndim == 0 else out


@kernel(inline="always")
def _cond_rate(v, g_ex, g_in, g_l, e_l, e_ex, e_in, i_e, inv_c):  # pragma: no cover - compiled
    return (g_l * (e_l - v) + g_ex * (e_ex - v) + g_in * (e_in - v) + i_e) * inv_c


@kernel(inline="always")
def lif_cond_rk4_step(
    v,
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
    i_e,
    inv_c,
    dt,
    p_ex,
    p_in,
    h_ex,
    h_in,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One step of ``LIFCondExp``: RK4 for V along the exact conductance decay."""
    i_e = i_e + current
    half = 0.5 * dt
    ge_h = g_ex * h_ex
    gi_h = g_in * h_in
    ge_1 = g_ex * p_ex
    gi_1 = g_in * p_in
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
        ge_1 + exc,
        gi_1 + inh,
        (ref_steps if spiked else r_new),
        spiked,
    )


@kernel(inline="always")
def lif_cond_exp_euler_step(
    v,
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
    i_e,
    inv_c,
    dt,
    p_ex,
    p_in,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One step of ``LIFCondExp``: exponential Euler for V with the step's initial conductances."""
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
        g_ex * p_ex + exc,
        g_in * p_in + inh,
        (ref_steps if spiked else r_new),
        spiked,
    )


@kernel(inline="always")
def lif_cond_euler_step(
    v,
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
    i_e,
    inv_c,
    dt,
    q_ex,
    q_in,
    v_th,
    v_reset,
    ref_steps,
):  # pragma: no cover - compiled
    """One forward-Euler step of ``LIFCondExp`` (all variables, as Brian2's COBA example)."""
    v_free = v + dt * _cond_rate(v, g_ex, g_in, g_l, e_l, e_ex, e_in, i_e + current, inv_c)
    active = refr == 0
    v_new = v_free if active else v_reset
    r_new = refr if active else refr - 1
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        g_ex * q_ex + exc,
        g_in * q_in + inh,
        (ref_steps if spiked else r_new),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class LIFCondExp(NeuronModel):
    """Leaky integrate-and-fire neuron with exponential conductances (NEST ``iaf_cond_exp``).

    Each input spike makes the conductance of its receptor jump by its weight [S]. Defaults are
    NEST's.

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
        Decay time constants of the conductances [s].
    i_e
        Constant input current [A].
    method
        Integration of ``V``: ``"rk4"`` (default), ``"exp_euler"`` or ``"euler"`` (see the module
        docstring). The conductances decay exactly except with ``"euler"``.

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``g_ex``, ``g_in`` [S], ``refr`` [steps].
    Receptors ``exc`` and ``inh`` (weights >= 0 S). While refractory ``V`` is held at
    ``v_reset``. Accuracy: RK4 is 4th order, the Euler methods 1st order in dt.
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
    method: Literal["rk4", "exp_euler", "euler"] = "rk4"

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        *CONDUCTANCES,
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = CONDUCTANCE_RECEPTORS

    def __post_init__(self) -> None:
        _check_common(
            self, ("tau_syn_ex", "tau_syn_in"), ("e_l", "v_th", "v_reset", "e_ex", "e_in")
        )
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        check_method(self, ("rk4", "exp_euler", "euler"))

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "g_ex": 0.0, "g_in": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return {
            "rk4": lif_cond_rk4_step,
            "exp_euler": lif_cond_exp_euler_step,
            "euler": lif_cond_euler_step,
        }[self.method]

    def constants(self, dt: float) -> dict[str, Any]:
        c = {
            "g_l": self.g_l,
            "e_l": self.e_l,
            "e_ex": self.e_ex,
            "e_in": self.e_in,
            "i_e": self.i_e,
            "inv_c": _times(1.0, 1.0 / np.asarray(self.c_m, dtype=np.float64)),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }
        if self.method == "euler":
            c["q_ex"] = _times(1.0, 1.0 - dt / np.asarray(self.tau_syn_ex, dtype=np.float64))
            c["q_in"] = _times(1.0, 1.0 - dt / np.asarray(self.tau_syn_in, dtype=np.float64))
        else:
            c["p_ex"] = decay(dt, self.tau_syn_ex)
            c["p_in"] = decay(dt, self.tau_syn_in)
        if self.method == "rk4":
            c["h_ex"] = decay(0.5 * dt, self.tau_syn_ex)
            c["h_in"] = decay(0.5 * dt, self.tau_syn_in)
        return c

    def check_dt(self, dt: float) -> None:
        if self.method == "euler":
            tau = min(float(np.min(self.tau_syn_ex)), float(np.min(self.tau_syn_in)))
            if dt >= tau:
                raise ConfigurationError(
                    f"forward Euler needs dt < tau_syn; got dt = {dt} s and tau_syn = {tau} s."
                )
