r"""Inhibitory STDP with a target rate (Vogels, Sprekeler, Zenke, Clopath & Gerstner 2011).

A symmetric Hebbian window plus a constant depression per presynaptic spike::

    dx/dt = -x / tau,   dy/dt = -y / tau       (x: presynaptic, y: postsynaptic trace; +1 per spike)

    presynaptic spike (at the synapse):        w <- clip(w + eta (y - alpha), 0, w_max)
    postsynaptic spike reaching the synapse:   w <- clip(w + eta x, 0, w_max)

    alpha = 2 rho_0 tau

For uncorrelated pre- and postsynaptic Poisson spikes at rates ``rho_pre`` and ``rho_post`` the
mean drift is ``dw/dt = 2 eta tau rho_pre (rho_post - rho_0)``: inhibition grows while the
target neuron fires above ``rho_0`` and shrinks below, which drives its rate to ``rho_0``.

Timing as for pair STDP (:mod:`snn.plasticity._pair`: NEST's dendritic delay, traces from earlier
steps, postsynaptic arrivals first at a step). Weights are the non-negative conductances (or
other magnitudes) of an inhibitory receptor, kept in ``[0, w_max]``. NEST's
``vogels_sprekeler_synapse`` applies the potentiation and the constant depression of a
presynaptic spike as two clipped steps; the paper's single step is used here (they differ only at
the bounds).

Reference
---------
Vogels, Sprekeler, Zenke, Clopath & Gerstner (2011), "Inhibitory plasticity balances excitation
and inhibition in sensory pathways and memory networks", Science 334:1569-1573 (supplementary
Eqs. S5-S6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from snn.core import SynapseModel, Trace
from snn.core.validate import require_nonnegative, require_positive, warn_time_constant
from snn.plasticity._pair import x_all_to_all, y_all_to_all

__all__ = ["InhibitorySTDP"]


def vogels_on_pre(w, y, eta, alpha, w_max):  # pragma: no cover - compiled
    """Presynaptic spike: ``w + eta (y - alpha)``, clipped; returns ``(w, transmitted)``."""
    w = min(max(w + eta * (y - alpha), 0.0), w_max)
    return w, w


def vogels_on_post(w, x, eta, w_max):  # pragma: no cover - compiled
    """Postsynaptic spike: ``w + eta x``, clipped; returns ``(w,)``."""
    return (min(w + eta * x, w_max),)


@dataclass(frozen=True, kw_only=True)
class InhibitorySTDP(SynapseModel):
    """Inhibitory plasticity of Vogels et al. (2011) (see the module docstring).

    Parameters
    ----------
    tau
        Time constant of both traces [s].
    eta
        Learning rate: weight change per unit of trace [unit of the receptor].
    rho_0
        Target rate of the postsynaptic neurons [Hz].
    w_max
        Upper bound of the weight [unit of the receptor]; the lower bound is 0.

    Notes
    -----
    Defaults are the paper's (``tau = 20 ms``, ``rho_0 = 3 Hz``) with the learning rate and
    bound of its network simulations in units of 1 nS (``eta = 0.01 nS``, ``w_max = 100 nS``;
    Zenke's Brian implementation of the paper's Fig. 4 network).
    """

    tau: float = 20e-3
    eta: float = 0.01e-9
    rho_0: float = 3.0
    w_max: float = 100e-9

    source_traces: ClassVar[tuple[Trace, ...]] = (Trace("x", "tau", "presynaptic trace"),)
    target_traces: ClassVar[tuple[Trace, ...]] = (Trace("y", "tau", "postsynaptic trace"),)
    learning: ClassVar[tuple[str, ...]] = ("eta",)

    def __post_init__(self) -> None:
        require_positive("tau", self.tau, "s")
        warn_time_constant("tau", self.tau)
        require_nonnegative("eta", self.eta)
        require_nonnegative("rho_0", self.rho_0, "Hz")
        require_positive("w_max", self.w_max)

    @property
    def alpha(self) -> float:
        """Depression per presynaptic spike in units of ``eta``: ``2 rho_0 tau``."""
        return 2.0 * self.rho_0 * self.tau

    def weight_bounds(self) -> tuple[float, float]:
        """Weights are kept in ``[0, w_max]``."""
        return (0.0, float(self.w_max))

    def constants(self, dt: float) -> dict[str, Any]:
        return {"eta": self.eta, "alpha": self.alpha, "w_max": self.w_max}

    def on_pre_function(self) -> Callable[..., Any]:
        return vogels_on_pre

    def on_post_function(self) -> Callable[..., Any]:
        return vogels_on_post

    def source_spike_function(self) -> Callable[..., Any]:
        return x_all_to_all

    def target_spike_function(self) -> Callable[..., Any]:
        return y_all_to_all
