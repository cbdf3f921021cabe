r"""LIF neuron with adaptation and relative refractoriness (NEST ``iaf_cond_exp_sfa_rr``).

PyNN's ``IF_cond_exp_gsfa_grr``. Dayan & Abbott (2001), "Theoretical Neuroscience", MIT Press,
p. 166; Meffin, Burkitt & Grayden (2004), J. Comput. Neurosci. 16:159-175. All in SI units::

    C_m dV/dt = g_L (E_L - V) + g_ex (E_ex - V) + g_in (E_in - V)
                + g_sfa (E_sfa - V) + g_rr (E_rr - V) + I_e
    dg_x/dt = -g_x / tau_x         for x in ex, in, sfa, rr

An input spike makes ``g_ex`` (``g_in``) jump by its weight [S]; each output spike makes the
adaptation conductance ``g_sfa`` jump by ``q_sfa`` and the relative-refractory conductance ``g_rr``
by ``q_rr``. The ``current`` receptor carries the current of current sources [A], held over the
step like ``I_e``.

Spike and reset (NEST's): when ``V >= V_th`` at the end of a step the neuron spikes (at the end of
that step), ``V`` is set to ``V_reset`` and held there for ``t_ref`` (a whole number of steps);
the conductances keep evolving. As NEST, the ``V`` of the right-hand side is ``min(V, V_th)``
(it only matters within the step that crosses the threshold). Order within a step (as NEST):
integrate over the step, add the inputs that arrive at its end, test the threshold.

Integration (``method``): the four conductances decay exactly; ``V`` uses

``"rk4"`` (default)
    Classic Runge-Kutta along the exact conductance trajectory; 4th order. Spike times within
    0.2 ms of an adaptive reference over 1 s at dt = 0.1 ms (``docs/accuracy.md``; NEST
    integrates with GSL's adaptive RKF45 at 1e-3 mV per substep, the same solution within its
    tolerance).
``"exp_euler"`` (opt-in: cheaper, less accurate)
    Exponential Euler with the conductances of the step's start; 1st order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.kernels import kernel
from snn.core.validate import require_nonnegative, require_positive
from snn.neurons._declarations import (
    CONDUCTANCE_RECEPTORS,
    CONDUCTANCES,
    REFR,
    THRESHOLD_OFF,
    check_method,
)
from snn.neurons._lif import _check_common, _refractory_steps, _times
from snn.neurons._propagators import decay

__all__ = ["LIFCondExpSfaRr"]


@kernel(inline="always")
def _sfa_rate(v, g_ex, g_in, g_sfa, g_rr, i_e, mem):  # pragma: no cover - compiled
    """``dV/dt`` [V/s]; ``mem = (g_l, e_l, e_ex, e_in, e_sfa, e_rr, v_th, inv_c)``."""
    g_l, e_l, e_ex, e_in, e_sfa, e_rr, v_th, inv_c = mem
    vc = min(v, v_th)
    i_m = g_l * (e_l - vc) + g_ex * (e_ex - vc) + g_in * (e_in - vc)
    return (i_m + g_sfa * (e_sfa - vc) + g_rr * (e_rr - vc) + i_e) * inv_c


@kernel(inline="always")
def _sfa_finish(
    v_free, g_ex, g_in, g_sfa, g_rr, refr, exc, inh, q_sfa, q_rr, v_th, v_reset, ref_steps
):  # pragma: no cover - compiled
    """Refractory clamp, inputs, threshold test, reset and adaptation at the end of a step."""
    active = refr == 0
    v_new = v_free if active else v_reset
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        g_ex + exc,
        g_in + inh,
        (g_sfa + q_sfa if spiked else g_sfa),
        (g_rr + q_rr if spiked else g_rr),
        (ref_steps if spiked else (refr if active else refr - 1)),
        spiked,
    )


@kernel(inline="always")
def lif_sfa_rk4_step(
    v,
    g_ex,
    g_in,
    g_sfa,
    g_rr,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    e_sfa,
    e_rr,
    inv_c,
    i_e,
    p_ex,
    p_in,
    p_sfa,
    p_rr,
    q_sfa,
    q_rr,
    v_th,
    v_reset,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """RK4 step of ``LIFCondExpSfaRr`` along the exact conductance decay."""
    mem = (g_l, e_l, e_ex, e_in, e_sfa, e_rr, v_th, inv_c)
    i = i_e + current
    half = 0.5 * dt
    k1 = _sfa_rate(v, g_ex, g_in, g_sfa, g_rr, i, mem)
    # half-step decays sqrt(p) = exp(-dt / (2 tau)) (one more constant each would take the step
    # function over numba's 30 arguments for an inlined call)
    ge, gi = g_ex * math.sqrt(p_ex), g_in * math.sqrt(p_in)
    gs, gr = g_sfa * math.sqrt(p_sfa), g_rr * math.sqrt(p_rr)
    k2 = _sfa_rate(v + half * k1, ge, gi, gs, gr, i, mem)
    k3 = _sfa_rate(v + half * k2, ge, gi, gs, gr, i, mem)
    ge, gi, gs, gr = g_ex * p_ex, g_in * p_in, g_sfa * p_sfa, g_rr * p_rr
    k4 = _sfa_rate(v + dt * k3, ge, gi, gs, gr, i, mem)
    v_free = v + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return _sfa_finish(v_free, ge, gi, gs, gr, refr, exc, inh, q_sfa, q_rr, v_th, v_reset,
                       ref_steps)  # fmt: skip


@kernel(inline="always")
def lif_sfa_exp_euler_step(
    v,
    g_ex,
    g_in,
    g_sfa,
    g_rr,
    refr,
    exc,
    inh,
    current,
    g_l,
    e_l,
    e_ex,
    e_in,
    e_sfa,
    e_rr,
    inv_c,
    i_e,
    p_ex,
    p_in,
    p_sfa,
    p_rr,
    q_sfa,
    q_rr,
    v_th,
    v_reset,
    ref_steps,
    dt,
):  # pragma: no cover - compiled
    """Exponential-Euler step of ``LIFCondExpSfaRr`` (conductances of the step's start)."""
    g_tot = g_l + g_ex + g_in + g_sfa + g_rr
    i_rev = g_l * e_l + g_ex * e_ex + g_in * e_in + g_sfa * e_sfa + g_rr * e_rr
    v_inf = (i_rev + i_e + current) / g_tot
    v_free = v_inf + (v - v_inf) * math.exp(-dt * g_tot * inv_c)
    return _sfa_finish(v_free, g_ex * p_ex, g_in * p_in, g_sfa * p_sfa, g_rr * p_rr, refr, exc,
                       inh, q_sfa, q_rr, v_th, v_reset, ref_steps)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class LIFCondExpSfaRr(NeuronModel):
    """LIF neuron, exponential conductances, adaptation and relative refractoriness.

    NEST's ``iaf_cond_exp_sfa_rr``; PyNN's ``IF_cond_exp_gsfa_grr``. Equations, reset and
    integration methods: see the module docstring. Defaults are NEST's.

    Parameters
    ----------
    c_m
        Membrane capacitance [F] (NEST ``C_m``; PyNN ``cm``).
    g_l
        Leak conductance [S] (NEST ``g_L``; PyNN ``cm / tau_m``).
    e_l
        Leak reversal potential [V] (NEST ``E_L``; PyNN ``v_rest``).
    v_th
        Spike threshold [V] (NEST ``V_th``; PyNN ``v_thresh``).
    v_reset
        Reset potential [V] (NEST ``V_reset``; PyNN ``v_reset``).
    t_ref
        Absolute refractory period [s] (NEST ``t_ref``; PyNN ``tau_refrac``).
    e_ex, e_in
        Reversal potentials of the synaptic conductances [V] (NEST ``E_ex``, ``E_in``; PyNN
        ``e_rev_E``, ``e_rev_I``).
    tau_syn_ex, tau_syn_in
        Decay time constants of the synaptic conductances [s] (NEST ``tau_syn_ex``,
        ``tau_syn_in``; PyNN ``tau_syn_E``, ``tau_syn_I``).
    q_sfa
        Jump of the adaptation conductance at each spike [S] (NEST, PyNN ``q_sfa``).
    tau_sfa
        Decay time constant of the adaptation conductance [s] (NEST, PyNN ``tau_sfa``).
    e_sfa
        Reversal potential of the adaptation conductance [V] (NEST ``E_sfa``; PyNN
        ``e_rev_sfa``).
    q_rr
        Jump of the relative-refractory conductance at each spike [S] (NEST, PyNN ``q_rr``).
    tau_rr
        Decay time constant of the relative-refractory conductance [s] (NEST, PyNN ``tau_rr``).
    e_rr
        Reversal potential of the relative-refractory conductance [V] (NEST ``E_rr``; PyNN
        ``e_rev_rr``).
    i_e
        Constant input current [A] (NEST ``I_e``; PyNN ``i_offset``).
    method
        ``"rk4"`` (default; spike times within 0.2 ms of an adaptive reference at dt = 0.1 ms)
        or ``"exp_euler"`` (opt-in: cheaper, less accurate); see the module docstring and
        ``docs/accuracy.md``.

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``g_ex``, ``g_in``, ``g_sfa``, ``g_rr`` [S],
    ``refr`` [steps]. Receptors ``exc`` and ``inh`` (weights >= 0 S) and ``current`` [A].
    """

    unbounded_constants: ClassVar[frozenset[str]] = THRESHOLD_OFF

    c_m: Any = 289.5e-12
    g_l: Any = 28.95e-9
    e_l: Any = -70e-3
    v_th: Any = -57e-3
    v_reset: Any = -70e-3
    t_ref: Any = 0.5e-3
    e_ex: Any = 0.0
    e_in: Any = -75e-3
    tau_syn_ex: Any = 1.5e-3
    tau_syn_in: Any = 10e-3
    q_sfa: Any = 14.48e-9
    tau_sfa: Any = 110e-3
    e_sfa: Any = -70e-3
    q_rr: Any = 3214e-9
    tau_rr: Any = 1.97e-3
    e_rr: Any = -70e-3
    i_e: Any = 0.0
    method: Literal["rk4", "exp_euler"] = "rk4"

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        *CONDUCTANCES,
        StateVar("g_sfa", "S", doc="spike-frequency adaptation conductance"),
        StateVar("g_rr", "S", doc="relative refractory conductance"),
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = CONDUCTANCE_RECEPTORS
    _steps: ClassVar[dict[str, Callable[..., Any]]] = {
        "rk4": lif_sfa_rk4_step,
        "exp_euler": lif_sfa_exp_euler_step,
    }

    def __post_init__(self) -> None:
        _check_common(
            self,
            ("tau_syn_ex", "tau_syn_in", "tau_sfa", "tau_rr"),
            ("e_l", "v_th", "v_reset", "e_ex", "e_in", "e_sfa", "e_rr"),
        )
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        require_nonnegative("q_sfa", self.q_sfa, "S")
        require_nonnegative("q_rr", self.q_rr, "S")
        check_method(self, self._steps)

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "g_ex": 0.0, "g_in": 0.0, "g_sfa": 0.0, "g_rr": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return self._steps[self.method]

    def constants(self, dt: float) -> dict[str, Any]:
        c: dict[str, Any] = {
            name: getattr(self, name)
            for name in ("g_l", "e_l", "e_ex", "e_in", "e_sfa", "e_rr", "i_e", "q_sfa", "q_rr")
        }
        c.update(
            inv_c=_times(1.0, 1.0 / np.asarray(self.c_m, dtype=np.float64)),
            v_th=self.v_th,
            v_reset=self.v_reset,
            ref_steps=_refractory_steps(self.t_ref, dt),
        )
        taus = {"ex": self.tau_syn_ex, "in": self.tau_syn_in, "sfa": self.tau_sfa}
        taus["rr"] = self.tau_rr
        for x, tau in taus.items():
            c[f"p_{x}"] = decay(dt, tau)
        return c
