r"""Izhikevich's simple model of spiking neurons, with named presets of its cortical cell classes.

Izhikevich (2003), "Simple model of spiking neurons", IEEE Trans. Neural Netw. 14:1569-1572. The
published equations, with ``v`` in mV, ``t`` in ms and ``I`` in mV/ms::

    dv/dt = 0.04 v^2 + 5 v + 140 - u + I
    du/dt = a (b v - u)
    if v >= 30 mV: v <- c, u <- u + d

Here everything is SI: ``v`` in V, ``u`` and ``d`` in V/s (1 mV/ms = 1 V/s, so the numbers of
``u`` and ``d`` do not change), ``a`` and ``b`` in 1/s (0.02/ms = 20/s), ``c`` and ``v_peak`` in
V. The quadratic becomes ``4e4 v^2 + 5e3 v + 140`` [V/s] with ``v`` in V. The input current [A]
enters as ``I / c_m``; ``c_m = 1 pF`` (default) makes 1 pA equal to the model's unit 1 mV/ms,
NEST's convention for ``izhikevich``. Input spikes (receptor ``syn``) make ``v`` jump by their
weight [V], as in NEST.

Presets (:meth:`Izhikevich.preset`): the parameters (a [1/ms], b [1/ms], c [mV], d [mV/ms]) of
the paper's Fig. 2: regular spiking ``RS`` (0.02, 0.2, -65, 8), intrinsically bursting ``IB``
(0.02, 0.2, -55, 4), chattering ``CH`` (0.02, 0.2, -50, 2), fast spiking ``FS`` (0.1, 0.2, -65,
2), low-threshold spiking ``LTS`` (0.02, 0.25, -65, 2), thalamo-cortical ``TC`` (0.02, 0.25, -65,
0.05) and resonator ``RZ`` (0.1, 0.26, -65, 2).

The right-hand side uses ``min(v, v_peak)`` (the quadratic grows without bound above the peak;
the clamp keeps a stiff step finite, and changes nothing below the peak).

Order within a step: integrate over the step, add the input spikes arriving at its end, test
``v >= v_peak`` (an input that lifts ``v`` over ``v_peak`` spikes at the end of the step). There
is no refractory period.

Integration (``method``):

``"rkf45"`` (default)
    Runge-Kutta-Fehlberg 4(5) with adaptive substeps per neuron, local error per substep below
    ``tol`` in units of 1 mV for ``v`` and 1 mV/ms for ``u``; the crossing of ``v_peak`` is
    located within the step (:func:`~snn.neurons._integrators.rkf45_spiking_2`) and the reset
    happens there, as in the continuous model (at most one spike per step is reported). Spike
    times within 0.2 ms of an adaptive reference over 1 s at dt = 0.1 ms (``docs/accuracy.md``).
``"rk4"`` (opt-in: cheaper, less accurate)
    Classic Runge-Kutta for ``(v, u)``; 4th order between spikes, but the reset is tested at the
    end of the step, up to ``dt`` late: spike times drift by about 2 ms over 1 s at dt = 0.1 ms.
``"exp_euler"`` (opt-in)
    Exponential (Rosenbrock-) Euler: ``v`` follows the exact solution of its right-hand side
    linearised at the step's start, ``v + dt phi1(J dt) f`` with ``J = df/dv = 8e4 v + 5e3``
    [1/s] and ``phi1(z) = (e^z - 1) / z``, with ``u`` frozen; ``u`` relaxes exactly towards
    ``b v`` with ``v`` of the step's start; 1st order (the frozen coupling), exact for the
    linear ``u`` equation and stable where forward Euler overshoots near the upstroke.
``"euler"`` (opt-in: NEST's)
    Forward Euler for both variables with the reset at the end of the step: NEST's
    ``izhikevich`` (with ``consistent_integration``), to round-off; 1st order. Izhikevich's own
    code, dt = 1 ms with two half steps of ``v``, is this method with dt = 0.5 ms for ``v``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError, UnitWarning
from snn.core.kernels import kernel
from snn.core.validate import require_finite, require_positive, user_stacklevel, warn_voltage
from snn.neurons._declarations import CURRENT, check_currents
from snn.neurons._integrators import exp_poly, exprel_poly, rk4_2, rkf45_spiking_2
from snn.neurons._lif import _times

__all__ = ["Izhikevich"]

METHODS = ("rkf45", "rk4", "exp_euler", "euler")

#: (a [1/s], b [1/s], c [V], d [V/s]) of Izhikevich (2003), Fig. 2 (the paper's a, b in 1/ms
#: times 1000, c in mV times 1e-3, d in mV/ms unchanged)
PRESETS: dict[str, tuple[float, float, float, float]] = {
    "RS": (20.0, 200.0, -65e-3, 8.0),
    "IB": (20.0, 200.0, -55e-3, 4.0),
    "CH": (20.0, 200.0, -50e-3, 2.0),
    "FS": (100.0, 200.0, -65e-3, 2.0),
    "LTS": (20.0, 250.0, -65e-3, 2.0),
    "TC": (20.0, 250.0, -65e-3, 0.05),
    "RZ": (100.0, 260.0, -65e-3, 2.0),
}

#: initial membrane potential of Izhikevich's code and NEST [V]
V_INIT = -65e-3


@kernel  # not inlined: see snn.neurons._integrators
def _izhikevich_rhs(t, v, u, p):  # pragma: no cover - compiled
    """``(dv/dt, du/dt)`` [V/s, V/s^2]; ``p = (a, b, v_peak, input)`` with input in V/s."""
    a, b, v_peak, drive = p
    vc = min(v, v_peak)
    return 4e4 * vc * vc + 5e3 * vc + 140.0 - u + drive, a * (b * vc - u)


@kernel(inline="always")
def _izhikevich_finish(v1, u1, syn, c, d, v_peak):  # pragma: no cover - compiled
    v1 = v1 + syn
    spiked = v1 >= v_peak
    return (c if spiked else v1), (u1 + d if spiked else u1), spiked


@kernel(inline="always")
def izhikevich_rk4_step(
    v, u, syn, current, a, b, c, d, v_peak, i_e, inv_c, dt
):  # pragma: no cover - compiled
    """RK4 step of ``Izhikevich``; returns ``(v, u, spiked)``."""
    v1, u1 = rk4_2(_izhikevich_rhs, dt, v, u, (a, b, v_peak, (i_e + current) * inv_c))
    return _izhikevich_finish(v1, u1, syn, c, d, v_peak)


@kernel(inline="always")
def izhikevich_euler_step(
    v, u, syn, current, a, b, c, d, v_peak, i_e, inv_c, dt
):  # pragma: no cover - compiled
    """Forward-Euler step of ``Izhikevich``; returns ``(v, u, spiked)``."""
    dv, du = _izhikevich_rhs(0.0 * dt, v, u, (a, b, v_peak, (i_e + current) * inv_c))
    return _izhikevich_finish(v + dt * dv, u + dt * du, syn, c, d, v_peak)


@kernel(inline="always")
def izhikevich_exp_euler_step(
    v, u, syn, current, a, b, c, d, v_peak, i_e, inv_c, dt
):  # pragma: no cover - compiled
    """Exponential (Rosenbrock-) Euler step of ``Izhikevich``; returns ``(v, u, spiked)``."""
    vc = min(v, v_peak)
    f = 4e4 * vc * vc + 5e3 * vc + 140.0 - u + (i_e + current) * inv_c
    jac = 8e4 * vc + 5e3
    u_inf = b * vc
    v1 = v + dt * exprel_poly(jac * dt) * f
    u1 = u_inf + (u - u_inf) * exp_poly(-a * dt)
    return _izhikevich_finish(v1, u1, syn, c, d, v_peak)


@kernel(inline="always")
def izhikevich_rkf45_step(
    v, u, syn, current, a, b, c, d, v_peak, i_e, inv_c, tol, dt
):  # pragma: no cover - compiled
    """Adaptive RKF45 step of ``Izhikevich`` with the reset within the step."""
    p = (a, b, v_peak, (i_e + current) * inv_c)
    # tolerances in the paper's units: 1 mV, 1 mV/ms
    v, u, spiked = rkf45_spiking_2(
        _izhikevich_rhs, p, p, False, v, u, tol * 1e-3, tol, v_peak, c, d, False, dt
    )
    v, u, late = _izhikevich_finish(v, u, syn, c, d, v_peak)
    return v, u, spiked | late


@dataclass(frozen=True, kw_only=True)
class Izhikevich(NeuronModel):
    """Izhikevich (2003) neuron in SI units (NEST ``izhikevich``).

    Equations, units, presets and integration methods: see the module docstring. Defaults are
    the regular-spiking cell (``Izhikevich.preset("RS")``), as NEST's.

    Parameters
    ----------
    a
        Recovery rate of ``u`` [1/s] (paper: 0.02/ms = 20/s).
    b
        Sensitivity of ``u`` to ``v`` [1/s] (paper: 0.2/ms = 200/s).
    c
        Reset potential [V].
    d
        Jump of ``u`` at each spike [V/s] (paper: 8 mV/ms = 8 V/s).
    v_peak
        Spike cut-off [V].
    c_m
        Capacitance converting currents into ``dv/dt`` [F]; 1 pF makes 1 pA the model's unit.
    i_e
        Constant input current [A].
    method
        ``"rkf45"`` (default: adaptive, reset at the crossing; spike times within 0.2 ms of an
        adaptive reference at dt = 0.1 ms), or, cheaper and less accurate (opt-in: reset at the
        end of the step), ``"rk4"``, ``"exp_euler"`` or ``"euler"`` (NEST's ``izhikevich``); see
        the module docstring and ``docs/accuracy.md``.
    tol
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV for ``v`` and 1 mV/ms
        for ``u`` [1].

    Notes
    -----
    State variables: ``v`` [V] (default -65 mV), ``u`` [V/s] (default ``b v``). Receptors ``syn``
    (voltage jumps [V], either sign) and ``current`` [A].
    """

    a: Any = 20.0
    b: Any = 200.0
    c: Any = -65e-3
    d: Any = 8.0
    v_peak: Any = 30e-3
    c_m: Any = 1e-12
    i_e: Any = 0.0
    method: Literal["rkf45", "rk4", "exp_euler", "euler"] = "rkf45"
    tol: float = 1e-6

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V", doc="membrane potential"),
        StateVar("u", "V/s", doc="recovery variable"),
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("syn", "V", 0, "voltage jumps (positive: excitatory)"),
        CURRENT,
    )

    def __post_init__(self) -> None:
        require_positive("a", self.a, "1/s")
        require_finite("b", self.b, "1/s")
        require_finite("d", self.d, "V/s")
        require_positive("c_m", self.c_m, "F")
        check_currents(self, ("i_e",))
        require_positive("tol", self.tol)
        for name in ("c", "v_peak"):
            require_finite(name, getattr(self, name), "V")
            warn_voltage(name, getattr(self, name))
        for name in ("a", "b"):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.size and 0 < float(np.max(np.abs(value))) < 1.0:
                warnings.warn(
                    f"`{name}` = {float(np.max(np.abs(value)))!r} /s is the paper's value per "
                    f"millisecond; did you mean `{name}={float(np.max(np.abs(value)))!r} / ms`?",
                    UnitWarning,
                    stacklevel=user_stacklevel(),
                )
        if np.any(np.asarray(self.c, dtype=np.float64) >= np.asarray(self.v_peak)):
            raise ConfigurationError(
                f"the reset `c` must be below `v_peak`, got c={self.c!r} V, "
                f"v_peak={self.v_peak!r} V."
            )
        if self.method not in METHODS:
            raise ConfigurationError(
                f"`method` must be one of {list(METHODS)}, got {self.method!r}."
            )

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> Izhikevich:
        """A named cell class of Izhikevich (2003), Fig. 2, in SI units.

        Parameters
        ----------
        name
            ``"RS"``, ``"IB"``, ``"CH"``, ``"FS"``, ``"LTS"``, ``"TC"`` or ``"RZ"`` (see the
            module docstring).
        **overrides
            Other parameters (``method``, ``i_e``, ...), or published ones to change.

        Returns
        -------
        Izhikevich

        Examples
        --------
        >>> from snn.neurons import Izhikevich
        >>> Izhikevich.preset("FS").a  # 0.1 / ms
        100.0
        """
        if name not in PRESETS:
            raise ConfigurationError(
                f"unknown Izhikevich preset {name!r}; choose one of {sorted(PRESETS)}."
            )
        a, b, c, d = PRESETS[name]
        return cls(**{"a": a, "b": b, "c": c, "d": d, **overrides})

    def step_function(self) -> Callable[..., Any]:
        return {
            "rk4": izhikevich_rk4_step,
            "rkf45": izhikevich_rkf45_step,
            "exp_euler": izhikevich_exp_euler_step,
            "euler": izhikevich_euler_step,
        }[self.method]

    def initial_state(self) -> dict[str, Any]:
        return {"v": V_INIT, "u": _times(self.b, V_INIT)}

    def constants(self, dt: float) -> dict[str, Any]:
        c = {
            "a": self.a,
            "b": self.b,
            "c": self.c,
            "d": self.d,
            "v_peak": self.v_peak,
            "i_e": self.i_e,
            "inv_c": _times(1.0, 1.0 / np.asarray(self.c_m, dtype=np.float64)),
        }
        if self.method == "rkf45":
            c["tol"] = self.tol
        return c
