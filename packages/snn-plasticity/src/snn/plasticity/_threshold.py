r"""Intrinsic plasticity: conductance-based LIF with an adaptive threshold (Diehl & Cook 2015).

::

    C_m dV/dt = g_L (E_L - V) + g_ex (E_ex - V) + g_in (E_in - V) + I_e + I
    dg_x/dt = -g_x / tau_syn_x,             g_x += w at each input spike
    dtheta/dt = -theta / tau_theta,         theta += theta_plus at each spike

The neuron spikes when ``V >= V_th + theta`` at the end of a step; ``V`` is reset to ``V_reset``
and held there for ``t_ref`` while the conductances and ``theta`` keep evolving. Each spike
raises the threshold a little and the rise fades very slowly (``tau_theta`` = 10^4 s in Diehl &
Cook): a neuron that fires much gets harder to excite, which spreads the activity over the
population (homeostasis of the firing rate).

Order within a step (as :mod:`snn.neurons`' LIF models): propagate over the step, add the inputs
arriving at its end, test the threshold. Integration: conductances and ``theta`` decay exactly;
``V`` takes an exponential-Euler step with the conductances of the step's start (first order in
dt, exact for constant conductances).

Reference
---------
Diehl & Cook (2015), "Unsupervised learning of digit recognition using spike-timing-dependent
plasticity", Front. Comput. Neurosci. 9:99 (excitatory neurons: tau_m = 100 ms, E_rest = -65 mV,
E_exc = 0 mV, E_inh = -100 mV, tau_ge = 1 ms, tau_gi = 2 ms, V_reset = -65 mV, refractory 5 ms,
theta_plus = 0.05 mV, tau_theta = 10^7 ms).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel
from snn.core.validate import (
    require_finite,
    require_nonnegative,
    require_positive,
    time_steps,
    warn_time_constant,
    warn_voltage,
)

__all__ = ["AdaptiveThresholdLIF"]


@kernel(inline="always")
def adaptive_threshold_step(
    v,
    g_ex,
    g_in,
    theta,
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
    p_theta,
    v_th,
    v_reset,
    theta_plus,
    ref_steps,
):  # pragma: no cover - compiled
    """One step of ``AdaptiveThresholdLIF``; returns ``(v, g_ex, g_in, theta, refr, spiked)``."""
    g_tot = g_l + g_ex + g_in
    v_inf = (g_l * e_l + g_ex * e_ex + g_in * e_in + i_e + current) / g_tot
    v_free = v_inf + (v - v_inf) * math.exp(-dt * g_tot * inv_c)
    active = refr == 0
    v_new = v_free if active else v_reset
    r_new = refr if active else refr - 1
    theta_new = theta * p_theta
    spiked = active & (v_new >= v_th + theta_new)
    return (
        (v_reset if spiked else v_new),
        g_ex * p_ex + exc,
        g_in * p_in + inh,
        (theta_new + theta_plus if spiked else theta_new),
        (ref_steps if spiked else r_new),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class AdaptiveThresholdLIF(NeuronModel):
    """Conductance-based LIF neuron with an adaptive threshold (see the module docstring).

    Parameters
    ----------
    c_m
        Membrane capacitance [F].
    g_l
        Leak conductance [S].
    e_l
        Resting potential [V].
    v_th
        Threshold without adaptation [V].
    v_reset
        Reset potential [V].
    t_ref
        Absolute refractory period [s].
    e_ex, e_in
        Reversal potentials of the excitatory and inhibitory conductances [V].
    tau_syn_ex, tau_syn_in
        Decay time constants of the conductances [s].
    theta_plus
        Threshold increase per spike [V].
    tau_theta
        Decay time constant of the threshold increase [s] (long by design: no unit warning).
    i_e
        Constant input current [A].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``g_ex``, ``g_in`` [S], ``theta`` [V] (the
    threshold increase, default 0), ``refr`` [steps]. Receptors ``exc`` and ``inh``
    (conductance jumps >= 0 S) and ``current`` [A]. Defaults: Diehl & Cook's excitatory neuron
    with ``g_L`` = 10 nS.
    """

    c_m: Any = 1e-9
    g_l: Any = 10e-9
    e_l: Any = -65e-3
    v_th: Any = -52e-3
    v_reset: Any = -65e-3
    t_ref: Any = 5e-3
    e_ex: Any = 0.0
    e_in: Any = -100e-3
    tau_syn_ex: Any = 1e-3
    tau_syn_in: Any = 2e-3
    theta_plus: Any = 0.05e-3
    tau_theta: Any = 1e4
    i_e: Any = 0.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        StateVar("g_ex", "S", doc="excitatory conductance"),
        StateVar("g_in", "S", doc="inhibitory conductance"),
        StateVar("theta", "V", doc="threshold increase"),
        StateVar("refr", "steps", "int", "steps left in the refractory period"),
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("exc", "S", +1, "excitatory conductance jumps"),
        Receptor("inh", "S", +1, "inhibitory conductance jumps"),
        Receptor("current", "A", 0, "injected current during the step", kind="current"),
    )

    def __post_init__(self) -> None:
        for name in ("tau_syn_ex", "tau_syn_in"):
            require_positive(name, getattr(self, name), "s")
            warn_time_constant(name, getattr(self, name))
        require_positive("tau_theta", self.tau_theta, "s")
        for name in ("e_l", "v_th", "v_reset", "e_ex", "e_in"):
            require_finite(name, getattr(self, name), "V")
            warn_voltage(name, getattr(self, name))
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        require_nonnegative("t_ref", self.t_ref, "s")
        require_nonnegative("theta_plus", self.theta_plus, "V")
        require_finite("i_e", self.i_e, "A")
        if np.any(np.asarray(self.v_reset) >= np.asarray(self.v_th)):
            raise ConfigurationError(
                f"`v_reset` must be below `v_th`, got v_reset={self.v_reset!r} V, "
                f"v_th={self.v_th!r} V."
            )

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "g_ex": 0.0, "g_in": 0.0, "theta": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return adaptive_threshold_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "g_l": self.g_l,
            "e_l": self.e_l,
            "e_ex": self.e_ex,
            "e_in": self.e_in,
            "i_e": self.i_e,
            "inv_c": _array_or_float(1.0 / np.asarray(self.c_m, dtype=np.float64)),
            "p_ex": _array_or_float(np.exp(-dt / np.asarray(self.tau_syn_ex, dtype=np.float64))),
            "p_in": _array_or_float(np.exp(-dt / np.asarray(self.tau_syn_in, dtype=np.float64))),
            "p_theta": _array_or_float(np.exp(-dt / np.asarray(self.tau_theta, dtype=np.float64))),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "theta_plus": self.theta_plus,
            "ref_steps": time_steps("t_ref", self.t_ref, dt),
        }


def _array_or_float(value: np.ndarray) -> Any:
    return float(value) if value.ndim == 0 else value
