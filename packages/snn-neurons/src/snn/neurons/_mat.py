r"""Multi-timescale adaptive threshold neuron, MAT(2) (NEST ``mat2_psc_exp``).

A leaky integrator whose potential is never reset; instead each spike raises a threshold made of
two exponentially decaying components (Kobayashi, Tsubo & Shinomoto 2009). All in SI units::

    C_m dV/dt  = -(C_m / tau_m) (V - E_L) + I_ex + I_in + I_e
    dI_x/dt    = -I_x / tau_syn_x,                 I_x += w at each input spike
    dV_th1/dt  = -V_th1 / tau_1,    dV_th2/dt = -V_th2 / tau_2
    threshold  = omega + V_th1 + V_th2

Spike: when ``V >= omega + V_th1 + V_th2`` at the end of a step and the neuron is not
refractory, it spikes (at the end of that step), ``V_th1 += alpha_1`` and ``V_th2 += alpha_2``;
``V`` is *not* reset and keeps integrating. After a spike the neuron cannot spike for ``t_ref``
(a whole number of steps, at least one), but ``V`` and the threshold evolve as usual. Every
model also has a ``current`` receptor: the current of current sources during the step [A],
constant over the step and integrated like ``I_e``.

Order within a step (as NEST's ``mat2_psc_exp::update``): propagate ``V`` (with the synaptic
currents of the step's start), decay the threshold components and the synaptic currents, add the
inputs that arrive at the end of the step, then test the threshold if not refractory (else count
the refractory period down).

Integration: exact (Rotter & Diesmann 1999, Biol. Cybern. 81:381-402); ``tau_syn == tau_m``
uses the limit of the propagator (NEST refuses it).

References
----------
Kobayashi R, Tsubo Y, Shinomoto S (2009). Made-to-order spiking neuron model equipped with a
multi-timescale adaptive threshold. Front. Comput. Neurosci. 3:9.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel
from snn.core.validate import (
    require_finite,
    require_positive,
    warn_time_constant,
    warn_voltage,
)
from snn.neurons._declarations import CURRENT_RECEPTORS, CURRENTS, REFR, check_currents
from snn.neurons._lif import _refractory_steps, _times
from snn.neurons._propagators import current_to_voltage, decay, membrane_gain

__all__ = ["MAT2"]


@kernel(inline="always")
def mat2_step(
    v,
    i_ex,
    i_in,
    v_th_1,
    v_th_2,
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
    p_1,
    p_2,
    v_drive,
    p_i,
    omega,
    alpha_1,
    alpha_2,
    ref_steps,
):  # pragma: no cover - compiled
    """One exact step of ``MAT2``; returns ``(v, i_ex, i_in, v_th_1, v_th_2, refr, spiked)``."""
    v_new = e_l + (v - e_l) * p_v + i_ex * g_ex + i_in * g_in + v_drive + p_i * current
    th_1 = v_th_1 * p_1
    th_2 = v_th_2 * p_2
    active = refr == 0
    spiked = active & (v_new >= omega + th_1 + th_2)
    r_new = refr if active else refr - 1
    return (
        v_new,
        i_ex * p_ex + exc,
        i_in * p_in + inh,
        (th_1 + alpha_1 if spiked else th_1),
        (th_2 + alpha_2 if spiked else th_2),
        (ref_steps if spiked else r_new),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class MAT2(NeuronModel):
    """Multi-timescale adaptive threshold neuron, exponential currents (NEST ``mat2_psc_exp``).

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
    t_ref
        Refractory period during which the neuron cannot spike (``V`` keeps evolving) [s];
        at least one time step.
    tau_syn_ex, tau_syn_in
        Decay time constants of the excitatory and inhibitory currents [s].
    tau_1, tau_2
        Time constants of the short and long threshold components [s].
    alpha_1, alpha_2
        Jumps of the short and long threshold components at each spike [V].
    omega
        Resting threshold [V] (absolute, like NEST's ``omega``).
    i_e
        Constant input current [A].

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``i_ex``, ``i_in`` [A], ``v_th_1``, ``v_th_2``
    [V] (the threshold components above ``omega``, NEST's ``V_th_alpha_1``/``V_th_alpha_2``;
    the threshold is ``omega + v_th_1 + v_th_2``), ``refr`` [steps]. Receptors ``exc`` (weights
    >= 0 A), ``inh`` (weights <= 0 A) and ``current``. Exact integration.
    """

    tau_m: Any = 5e-3
    c_m: Any = 100e-12
    e_l: Any = -70e-3
    t_ref: Any = 2e-3
    tau_syn_ex: Any = 1e-3
    tau_syn_in: Any = 3e-3
    tau_1: Any = 10e-3
    tau_2: Any = 200e-3
    alpha_1: Any = 37e-3
    alpha_2: Any = 2e-3
    omega: Any = -51e-3
    i_e: Any = 0.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential (never reset)"),
        *CURRENTS,
        StateVar("v_th_1", "V", doc="short threshold component (above omega)"),
        StateVar("v_th_2", "V", doc="long threshold component (above omega)"),
        REFR,
    )
    receptors: ClassVar[tuple[Receptor, ...]] = CURRENT_RECEPTORS

    def __post_init__(self) -> None:
        for name in ("tau_m", "tau_syn_ex", "tau_syn_in", "tau_1", "tau_2"):
            require_positive(name, getattr(self, name), "s")
            warn_time_constant(name, getattr(self, name))
        for name in ("e_l", "omega", "alpha_1", "alpha_2"):
            require_finite(name, getattr(self, name), "V")
            warn_voltage(name, getattr(self, name))
        require_positive("c_m", self.c_m, "F")
        require_positive("t_ref", self.t_ref, "s")
        check_currents(self, ("i_e",))

    def check_dt(self, dt: float) -> None:
        steps = np.asarray(_refractory_steps(self.t_ref, dt))
        if np.any(steps < 1):
            # as NEST: without refractoriness the non-reset V could fire in consecutive steps
            raise ConfigurationError(
                f"`t_ref` must be at least one time step ({dt} s) for MAT2, got "
                f"{float(np.min(self.t_ref))!r} s."
            )

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "i_ex": 0.0, "i_in": 0.0, "v_th_1": 0.0, "v_th_2": 0.0, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        return mat2_step

    def constants(self, dt: float) -> dict[str, Any]:
        gain = membrane_gain(dt, self.tau_m, self.c_m)
        return {
            "e_l": self.e_l,
            "p_v": decay(dt, self.tau_m),
            "p_ex": decay(dt, self.tau_syn_ex),
            "p_in": decay(dt, self.tau_syn_in),
            "g_ex": current_to_voltage(dt, self.tau_syn_ex, self.tau_m, self.c_m),
            "g_in": current_to_voltage(dt, self.tau_syn_in, self.tau_m, self.c_m),
            "p_1": decay(dt, self.tau_1),
            "p_2": decay(dt, self.tau_2),
            "v_drive": _times(gain, self.i_e),
            "p_i": gain,
            "omega": self.omega,
            "alpha_1": self.alpha_1,
            "alpha_2": self.alpha_2,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }
