"""Exact propagators of linear subthreshold dynamics (as used by NEST's iaf_psc_* models).

Every function accepts scalars or per-neuron arrays and returns a float for scalar input, an
array otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _out(x: np.ndarray) -> Any:
    return float(x) if np.ndim(x) == 0 else np.ascontiguousarray(x, dtype=np.float64)


def decay(dt: float, tau: Any) -> Any:
    """``exp(-dt / tau)``: decay of an exponential variable over one step."""
    return _out(np.exp(-dt / np.asarray(tau, dtype=np.float64)))


def membrane_gain(dt: float, tau_m: Any, c_m: Any) -> Any:
    """Change of V over one step per unit of constant current [V/A].

    ``tau_m / c_m * (1 - exp(-dt / tau_m))``, computed with ``expm1`` for accuracy.
    """
    tau_m = np.asarray(tau_m, dtype=np.float64)
    return _out(-tau_m / np.asarray(c_m, dtype=np.float64) * np.expm1(-dt / tau_m))


def current_to_voltage(dt: float, tau_syn: Any, tau_m: Any, c_m: Any) -> Any:
    """Change of V over one step caused by an exponentially decaying current of 1 A [V/A].

    Solves ``dV/dt = -V / tau_m + I / c_m`` with ``I(s) = exp(-s / tau_syn)``:
    ``exp(-dt/tau_m) * (1 - exp(-dt * a)) / (a * c_m)`` with ``a = 1/tau_syn - 1/tau_m``. The form
    with ``expm1`` has no cancellation when ``tau_syn`` is close to ``tau_m``, and its limit
    ``dt * exp(-dt/tau_m) / c_m`` is used when they are equal.
    """
    tau_syn = np.asarray(tau_syn, dtype=np.float64)
    tau_m = np.asarray(tau_m, dtype=np.float64)
    c_m = np.asarray(c_m, dtype=np.float64)
    a = 1.0 / tau_syn - 1.0 / tau_m
    with np.errstate(divide="ignore", invalid="ignore"):
        general = -np.expm1(-dt * a) / a
    factor = np.where(a == 0.0, dt, general)
    return _out(np.exp(-dt / tau_m) * factor / c_m)
