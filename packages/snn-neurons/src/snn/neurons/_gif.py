r"""Generalised integrate-and-fire neurons, escape noise (NEST ``gif_psc_exp``, ``gif_cond_exp``).

Mensi et al. (2012), "Parameter extraction and classification of three cortical neuron types
reveals two distinct adaptation mechanisms", J. Neurophysiol. 107:1756-1775; Pozzorini et al.
(2015), "Automated high-throughput characterization of single neurons by means of simplified
spiking models", PLoS Comput. Biol. 11:e1004275. In SI units::

    C_m dV/dt = -g_L (V - E_L) - sum_i stc_i + I_syn + I_e
    tau_stc_i dstc_i/dt = -stc_i         (spike-triggered currents, stc_i += q_stc_i at a spike)
    tau_sfa_i dsfa_i/dt = -sfa_i         (threshold adaptation, sfa_i += q_sfa_i at a spike)
    V_T = V_T_star + sum_i sfa_i
    lambda = lambda_0 exp((V - V_T) / Delta_V)

    GIFPscExp:   I_syn = I_ex + I_in,                        dI_x/dt = -I_x / tau_syn_x
    GIFCondExp:  I_syn = g_ex (E_ex - V) + g_in (E_in - V),  dg_x/dt = -g_x / tau_syn_x

Spiking is stochastic: in each step the neuron fires with probability
``1 - exp(-lambda dt)``, computed with ``V`` at the end of the step and ``V_T`` at its start
(NEST's). The uniform number it is compared with is the engine's ``uniform`` (the keyed,
counter-based draw of :func:`snn.core.kernels.uniform`: a pure function of the seed, the
population, the neuron's index and the step), so the spikes are the same on any number of
threads or MPI ranks.

Spike and refractoriness (NEST's): at a spike every ``stc_i`` and ``sfa_i`` jumps; ``V`` is not
changed in the step of the spike but held at ``V_reset`` for the next ``t_ref`` steps (so with
``t_ref = 0`` it is never reset, as in NEST). The kernels keep decaying and the synaptic
variables keep evolving while refractory.

Order within a step (NEST's, which differs between the two models):

* ``stc = sum_i stc_i`` and ``V_T`` are taken at the step's start, then the kernels decay over
  the step (so ``stc`` is held constant over the step, NEST's discretisation);
* ``GIFPscExp``: the synaptic currents decay and the inputs arriving in this step are added
  *before* ``V`` is propagated, with the exact propagators of a LIF neuron (Rotter & Diesmann
  1999) applied to the new currents (``gif_psc_exp::update``);
* ``GIFCondExp``: ``V`` is integrated over the step along the exact conductance decay, then the
  inputs are added to the conductances (``gif_cond_exp::update``);
* the spike is drawn.

Integration of ``GIFCondExp`` (``method``): ``"rk4"`` (default; classic Runge-Kutta along the
exact conductance trajectory: NEST integrates with GSL's adaptive RKF45 at 1e-3 mV per substep,
the same solution within that tolerance) or ``"exp_euler"`` (opt-in: exponential Euler with the
conductances of the step's start, 1st order). ``GIFPscExp`` is integrated exactly.

Because the number of kernels depends on the instance, the step function is generated (with the
kernels' time constants and jumps written into it, so they are one value per population) and
loaded from a file in the snn cache folder (:func:`snn.core.kernels.load_module`), as
:class:`~snn.neurons.LIFExpMulti` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import Imports, kernel, load_module
from snn.core.validate import (
    require_finite,
    require_nonnegative,
    require_positive,
    warn_time_constant,
)
from snn.neurons._declarations import (
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
from snn.neurons._lif import _refractory_steps, _times
from snn.neurons._propagators import current_to_voltage, decay, membrane_gain

__all__ = ["GIFCondExp", "GIFPscExp"]

#: the generated step functions take 22 arguments plus one state variable per kernel, and numba
#: cannot inline a call with more than 30 positional arguments
MAX_KERNELS = 8


@kernel(inline="always")
def gif_cond_rk4_v(
    v, g_ex, g_in, p_ex, p_in, g_l, e_l, e_ex, e_in, i_free, inv_c, dt
):  # pragma: no cover - compiled
    """``V`` after one RK4 step along the exact conductance decay (``i_free``: other currents)."""
    half = 0.5 * dt
    ge_h, gi_h = g_ex * math.sqrt(p_ex), g_in * math.sqrt(p_in)
    ge_1, gi_1 = g_ex * p_ex, g_in * p_in
    k1 = (g_l * (e_l - v) + g_ex * (e_ex - v) + g_in * (e_in - v) + i_free) * inv_c
    vh = v + half * k1
    k2 = (g_l * (e_l - vh) + ge_h * (e_ex - vh) + gi_h * (e_in - vh) + i_free) * inv_c
    vh = v + half * k2
    k3 = (g_l * (e_l - vh) + ge_h * (e_ex - vh) + gi_h * (e_in - vh) + i_free) * inv_c
    v1 = v + dt * k3
    k4 = (g_l * (e_l - v1) + ge_1 * (e_ex - v1) + gi_1 * (e_in - v1) + i_free) * inv_c
    return v + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


@kernel(inline="always")
def gif_cond_exp_euler_v(
    v, g_ex, g_in, p_ex, p_in, g_l, e_l, e_ex, e_in, i_free, inv_c, dt
):  # pragma: no cover - compiled
    """``V`` after one exponential-Euler step with the conductances of the step's start."""
    g_tot = g_l + g_ex + g_in
    v_inf = (g_l * e_l + g_ex * e_ex + g_in * e_in + i_free) / g_tot
    return v_inf + (v - v_inf) * math.exp(-dt * g_tot * inv_c)


def _literal(x: float) -> str:
    return repr(float(x))


def _step_source(
    name: str,
    cond: bool,
    v_update: str,
    stc: tuple[tuple[float, float], ...],
    sfa: tuple[tuple[float, float], ...],
) -> str:
    """Source of a GIF step function with the kernels ``(tau, q)`` written in as literals."""
    stcs = [f"stc_{k + 1}" for k in range(len(stc))]
    sfas = [f"sfa_{k + 1}" for k in range(len(sfa))]
    x = "g" if cond else "i"
    consts = (
        ["g_l", "e_l", "e_ex", "e_in", "inv_c"] if cond else ["e_l", "p_v", "p_i", "g_ex", "g_in"]
    )
    args = [
        "v", f"{x}_ex", f"{x}_in", *stcs, *sfas, "refr", "exc", "inh", "current", "uniform",
        *consts, "i_e", "p_ex", "p_in", "v_t_star", "lambda_0", "inv_delta_v", "v_reset",
        "ref_steps", "dt",
    ]  # fmt: skip
    body = [
        '@kernel(inline="always")',
        f"def {name}({', '.join(args)}):",
        f'    """One step of a GIF neuron with {len(stc)} stc and {len(sfa)} sfa kernel(s)."""',
        "    stc = 0.0 * v" + "".join(f" + {s}" for s in stcs),
        "    v_t = v_t_star" + "".join(f" + {s}" for s in sfas),
        "    active = refr == 0",
        f"    v_free = {v_update}",
        "    hazard = -math.expm1(-lambda_0 * math.exp((v_free - v_t) * inv_delta_v) * dt)",
        "    spiked = active & (uniform < hazard)",
        "    return (",
        "        (v_free if active else v_reset),",
        f"        {x}_ex * p_ex + exc,",
        f"        {x}_in * p_in + inh,",
        *[
            f"        {s} * math.exp(-dt / {_literal(tau)}) + ({_literal(q)} if spiked else 0.0),"
            for s, (tau, q) in zip([*stcs, *sfas], [*stc, *sfa], strict=True)
        ],
        "        (ref_steps if spiked else (refr if active else refr - 1)),",
        "        spiked,",
        "    )",
    ]
    return "\n".join(body)


def _kernels(taus: Any, qs: Any, what: str, unit: str) -> tuple[tuple[float, float], ...]:
    taus = tuple(np.atleast_1d(np.asarray(taus, dtype=np.float64)).tolist())
    qs = tuple(np.atleast_1d(np.asarray(qs, dtype=np.float64)).tolist())
    if len(taus) != len(qs):
        raise ConfigurationError(
            f"`tau_{what}` and `q_{what}` must have one entry per kernel, got {len(taus)} and "
            f"{len(qs)} values."
        )
    for k, (tau, q) in enumerate(zip(taus, qs, strict=True)):
        require_positive(f"tau_{what}[{k}]", tau, "s")
        warn_time_constant(f"tau_{what}[{k}]", tau)
        require_finite(f"q_{what}[{k}]", q, unit)
    return tuple(zip(taus, qs, strict=True))


@dataclass(frozen=True, kw_only=True)
class _GIF(NeuronModel):
    """Parameters shared by the GIF models (see the module docstring); defaults are NEST's."""

    c_m: Any = 80e-12
    g_l: Any = 4e-9
    e_l: Any = -70e-3
    v_reset: Any = -55e-3
    t_ref: Any = 4e-3
    v_t_star: Any = -35e-3
    delta_v: Any = 0.5e-3
    lambda_0: Any = 1.0
    tau_stc: Any = ()
    q_stc: Any = ()
    tau_sfa: Any = ()
    q_sfa: Any = ()
    tau_syn_ex: Any = 2e-3
    tau_syn_in: Any = 2e-3
    i_e: Any = 0.0

    def __post_init__(self) -> None:
        check_time_constants(self, ("tau_syn_ex", "tau_syn_in"))
        check_voltages(self, self._voltages())
        require_positive("c_m", self.c_m, "F")
        require_positive("g_l", self.g_l, "S")
        require_nonnegative("t_ref", self.t_ref, "s")
        require_positive("delta_v", self.delta_v, "V")
        require_nonnegative("lambda_0", self.lambda_0, "Hz")
        check_currents(self, ("i_e",))
        stc = _kernels(self.tau_stc, self.q_stc, "stc", "A")
        sfa = _kernels(self.tau_sfa, self.q_sfa, "sfa", "V")
        if len(stc) + len(sfa) > MAX_KERNELS:
            raise ConfigurationError(
                f"at most {MAX_KERNELS} stc and sfa kernels in total are supported, got "
                f"{len(stc)} + {len(sfa)} (the step function's arguments would exceed numba's "
                "limit for inlined calls)."
            )
        object.__setattr__(self, "tau_stc", tuple(t for t, _ in stc))
        object.__setattr__(self, "q_stc", tuple(q for _, q in stc))
        object.__setattr__(self, "tau_sfa", tuple(t for t, _ in sfa))
        object.__setattr__(self, "q_sfa", tuple(q for _, q in sfa))

    def _voltages(self) -> tuple[str, ...]:
        return ("e_l", "v_reset", "v_t_star")

    def _kernel_vars(self) -> tuple[StateVar, ...]:
        return (
            *[
                StateVar(f"stc_{k + 1}", "A", doc=f"spike-triggered current {k + 1}")
                for k in range(len(self.tau_stc))
            ],
            *[
                StateVar(f"sfa_{k + 1}", "V", doc=f"threshold adaptation {k + 1}")
                for k in range(len(self.tau_sfa))
            ],
        )

    def validate_size(self, n: int) -> None:
        # the kernel lists hold one entry per kernel, not per neuron
        skip = ("tau_stc", "q_stc", "tau_sfa", "q_sfa")
        for name, value in vars(self).items():
            arr = np.asarray(value) if isinstance(value, np.ndarray | list | tuple) else None
            if name not in skip and arr is not None and arr.ndim == 1 and arr.shape[0] != n:
                raise ConfigurationError(
                    f"{type(self).__name__}.{name} has {arr.shape[0]} values, "
                    f"but the population has {n} neurons."
                )

    def initial_state(self) -> dict[str, Any]:
        state = dict.fromkeys((v.name for v in self.state_vars), 0.0)
        state.update(v=self.e_l, refr=0)
        return state

    def _stc_sfa(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        return (
            tuple(zip(self.tau_stc, self.q_stc, strict=True)),
            tuple(zip(self.tau_sfa, self.q_sfa, strict=True)),
        )

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "i_e": self.i_e,
            "p_ex": decay(dt, self.tau_syn_ex),
            "p_in": decay(dt, self.tau_syn_in),
            "v_t_star": self.v_t_star,
            "lambda_0": self.lambda_0,
            "inv_delta_v": _times(1.0, 1.0 / np.asarray(self.delta_v, dtype=np.float64)),
            "v_reset": self.v_reset,
            "ref_steps": _refractory_steps(self.t_ref, dt),
        }


@dataclass(frozen=True, kw_only=True)
class GIFPscExp(_GIF):
    """Generalised integrate-and-fire neuron, exponential currents (NEST ``gif_psc_exp``).

    Mensi et al. (2012), Pozzorini et al. (2015): adaptation currents and a moving threshold,
    stochastic spiking through an escape rate. Equations, order of updates and NEST's
    conventions: see the module docstring. Defaults are NEST's (no kernels).

    Parameters
    ----------
    c_m
        Membrane capacitance [F] (NEST ``C_m``).
    g_l
        Leak conductance [S] (NEST ``g_L``).
    e_l
        Leak reversal potential [V] (NEST ``E_L``).
    v_reset
        Potential held during the refractory period [V] (NEST ``V_reset``).
    t_ref
        Refractory period [s] (NEST ``t_ref``).
    v_t_star
        Base threshold [V] (NEST ``V_T_star``).
    delta_v
        Stochasticity level [V] (NEST ``Delta_V``).
    lambda_0
        Firing intensity at the threshold [Hz] (NEST ``lambda_0``, in 1/s too).
    tau_stc, q_stc
        Time constants [s] and jumps [A] of the spike-triggered currents (sequences of equal
        length; NEST ``tau_stc`` in ms, ``q_stc`` in pA: NEST documents nA but adds the values
        unconverted to its currents in pA).
    tau_sfa, q_sfa
        Time constants [s] and jumps [V] of the threshold adaptation (NEST ``tau_sfa`` in ms,
        ``q_sfa`` in mV).
    tau_syn_ex, tau_syn_in
        Decay time constants of the synaptic currents [s] (NEST ``tau_syn_ex``, ``tau_syn_in``).
    i_e
        Constant input current [A] (NEST ``I_e``).

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``i_ex``, ``i_in`` [A], ``stc_1``, ... [A],
    ``sfa_1``, ... [V], ``refr`` [steps]. Receptors ``exc`` (weights >= 0 A), ``inh``
    (weights <= 0 A) and ``current`` [A]. At most 8 kernels in total.
    """

    receptors: ClassVar[tuple[Receptor, ...]] = CURRENT_RECEPTORS

    @property
    def state_vars(self) -> tuple[StateVar, ...]:  # type: ignore[override]
        """``v``, ``i_ex``, ``i_in``, the kernels, ``refr``."""
        return (
            StateVar("v", "V", doc="membrane potential"),
            *CURRENTS,
            *self._kernel_vars(),
            REFR,
        )

    def step_function(self) -> Callable[..., Any]:
        # NEST: V from the currents after this step's decay and input (P30 (I - stc) + P33 V +
        # P31 E_L + P21 I_syn)
        v_update = (
            "p_i * (current + i_e - stc) + p_v * v + (1.0 - p_v) * e_l"
            " + (i_ex * p_ex + exc) * g_ex + (i_in * p_in + inh) * g_in"
        )
        imports = Imports()
        imports.raw("import math")
        src = _step_source("gif_psc_exp_step", False, v_update, *self._stc_sfa())
        return load_module("snn_gif_psc_exp", src, imports).gif_psc_exp_step

    def constants(self, dt: float) -> dict[str, Any]:
        tau_m = _times(self.c_m, 1.0 / np.asarray(self.g_l, dtype=np.float64))
        return {
            **super().constants(dt),
            "e_l": self.e_l,
            "p_v": decay(dt, tau_m),
            "p_i": membrane_gain(dt, tau_m, self.c_m),
            "g_ex": current_to_voltage(dt, self.tau_syn_ex, tau_m, self.c_m),
            "g_in": current_to_voltage(dt, self.tau_syn_in, tau_m, self.c_m),
        }


@dataclass(frozen=True, kw_only=True)
class GIFCondExp(_GIF):
    """Generalised integrate-and-fire neuron, exponential conductances (NEST ``gif_cond_exp``).

    Mensi et al. (2012), Pozzorini et al. (2015): adaptation currents and a moving threshold,
    stochastic spiking through an escape rate. Equations, order of updates and NEST's
    conventions: see the module docstring. Defaults are NEST's (no kernels). PyNN's
    ``GIF_cond_exp`` names: ``cm``, ``tau_m`` (``c_m / g_l``), ``v_rest``, ``v_reset``,
    ``tau_refrac``, ``v_t_star``, ``delta_v``, ``lambda0``, ``tau_eta``/``a_eta`` (stc),
    ``tau_gamma``/``a_gamma`` (sfa), ``e_rev_E``, ``e_rev_I``, ``tau_syn_E``, ``tau_syn_I``,
    ``i_offset``.

    Parameters
    ----------
    c_m
        Membrane capacitance [F] (NEST ``C_m``).
    g_l
        Leak conductance [S] (NEST ``g_L``).
    e_l
        Leak reversal potential [V] (NEST ``E_L``).
    v_reset
        Potential held during the refractory period [V] (NEST ``V_reset``).
    t_ref
        Refractory period [s] (NEST ``t_ref``).
    v_t_star
        Base threshold [V] (NEST ``V_T_star``).
    delta_v
        Stochasticity level [V] (NEST ``Delta_V``).
    lambda_0
        Firing intensity at the threshold [Hz] (NEST ``lambda_0``, in 1/s too).
    tau_stc, q_stc
        Time constants [s] and jumps [A] of the spike-triggered currents (sequences of equal
        length; NEST ``tau_stc`` in ms, ``q_stc`` in pA: NEST documents nA but adds the values
        unconverted to its currents in pA).
    tau_sfa, q_sfa
        Time constants [s] and jumps [V] of the threshold adaptation (NEST ``tau_sfa`` in ms,
        ``q_sfa`` in mV).
    e_ex, e_in
        Reversal potentials of the synaptic conductances [V] (NEST ``E_ex``, ``E_in``).
    tau_syn_ex, tau_syn_in
        Decay time constants of the synaptic conductances [s] (NEST ``tau_syn_ex``,
        ``tau_syn_in``).
    i_e
        Constant input current [A] (NEST ``I_e``).
    method
        ``"rk4"`` (default; spike times of the deterministic limit within 0.2 ms of an adaptive
        reference at dt = 0.1 ms) or ``"exp_euler"`` (opt-in: cheaper, less accurate).

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``g_ex``, ``g_in`` [S], ``stc_1``, ... [A],
    ``sfa_1``, ... [V], ``refr`` [steps]. Receptors ``exc`` and ``inh`` (weights >= 0 S) and
    ``current`` [A]. At most 8 kernels in total.
    """

    e_ex: Any = 0.0
    e_in: Any = -85e-3
    method: Literal["rk4", "exp_euler"] = "rk4"

    _methods: ClassVar[dict[str, Callable[..., Any]]] = {
        "rk4": gif_cond_rk4_v,
        "exp_euler": gif_cond_exp_euler_v,
    }
    receptors: ClassVar[tuple[Receptor, ...]] = CONDUCTANCE_RECEPTORS

    def __post_init__(self) -> None:
        super().__post_init__()
        check_method(self, self._methods)

    def _voltages(self) -> tuple[str, ...]:
        return ("e_l", "v_reset", "v_t_star", "e_ex", "e_in")

    @property
    def state_vars(self) -> tuple[StateVar, ...]:  # type: ignore[override]
        """``v``, ``g_ex``, ``g_in``, the kernels, ``refr``."""
        return (
            StateVar("v", "V", doc="membrane potential"),
            *CONDUCTANCES,
            *self._kernel_vars(),
            REFR,
        )

    def step_function(self) -> Callable[..., Any]:
        imports = Imports()
        imports.raw("import math")
        integrate = imports.name(self._methods[self.method], "integrate")
        v_update = (
            f"{integrate}(v, g_ex, g_in, p_ex, p_in, g_l, e_l, e_ex, e_in, current + i_e - stc, "
            "inv_c, dt)"
        )
        src = _step_source("gif_cond_exp_step", True, v_update, *self._stc_sfa())
        return load_module("snn_gif_cond_exp", src, imports).gif_cond_exp_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            **super().constants(dt),
            "g_l": self.g_l,
            "e_l": self.e_l,
            "e_ex": self.e_ex,
            "e_in": self.e_in,
            "inv_c": _times(1.0, 1.0 / np.asarray(self.c_m, dtype=np.float64)),
        }
