r"""Weight dependence of pair-based STDP: additive, multiplicative and Gütig's power law.

With ``w`` in ``[0, w_max]``, ``x`` the presynaptic trace read when a postsynaptic spike reaches
the synapse and ``y`` the postsynaptic trace read at a presynaptic spike (see
:mod:`snn.plasticity._pair`), each rule changes the weight by::

    potentiation:  w <- min(w + lambda w_max f_+(w / w_max) x, w_max)
    depression:    w <- max(w - alpha lambda w_max f_-(w / w_max) y, 0)

    additive        f_+(u) = 1               f_-(u) = 1          (Song, Miller & Abbott 2000)
    multiplicative  f_+(u) = 1 - u           f_-(u) = u          (van Rossum, Bi & Turrigiano 2000)
    power law       f_+(u) = (1 - u)^mu      f_-(u) = u^mu       (Gütig et al. 2003)

The power law interpolates between the two: ``mu = 0`` is additive, ``mu = 1`` multiplicative.
Every dependence keeps the hard bounds ``[0, w_max]`` (the clipping); with the multiplicative
and power-law forms they are reached only by a trace larger than ``1 / lambda`` or
``1 / (alpha lambda)``. This is NEST's ``stdp_synapse`` (``mu_plus = mu_minus = mu``).

References
----------
Song, Miller & Abbott (2000), "Competitive Hebbian learning through spike-timing-dependent
synaptic plasticity", Nat. Neurosci. 3:919-926. van Rossum, Bi & Turrigiano (2000), "Stable
Hebbian learning from spike timing-dependent plasticity", J. Neurosci. 20:8812-8821. Gütig,
Aharonov, Rotter & Sompolinsky (2003), "Learning input correlations through nonlinear temporally
asymmetric Hebbian plasticity", J. Neurosci. 23:3697-3714.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from snn.core.validate import require_in_range

__all__ = ["Additive", "Multiplicative", "PowerLaw", "WeightDependence"]


def additive_depress(w, y, dep_step):  # pragma: no cover - compiled
    """Additive depression at a presynaptic spike; returns ``(w, transmitted)``."""
    w = max(w - dep_step * y, 0.0)
    return w, w


def additive_potentiate(w, x, pot_step, w_max):  # pragma: no cover - compiled
    """Additive potentiation when a postsynaptic spike reaches the synapse; returns ``(w,)``."""
    return (min(w + pot_step * x, w_max),)


def multiplicative_depress(w, y, dep_rate):  # pragma: no cover - compiled
    """Multiplicative depression (proportional to ``w``); returns ``(w, transmitted)``."""
    w = max(w - dep_rate * w * y, 0.0)
    return w, w


def multiplicative_potentiate(w, x, pot_rate, w_max):  # pragma: no cover - compiled
    """Multiplicative potentiation (proportional to ``w_max - w``); returns ``(w,)``."""
    return (min(w + pot_rate * (w_max - w) * x, w_max),)


def power_law_depress(w, y, dep_step, w_max, mu):  # pragma: no cover - compiled
    """Gütig's depression ``alpha lambda w_max (w / w_max)^mu y``; returns ``(w, transmitted)``."""
    w = max(w - dep_step * (w / w_max) ** mu * y, 0.0)
    return w, w


def power_law_potentiate(w, x, pot_step, w_max, mu):  # pragma: no cover - compiled
    """Gütig's potentiation ``lambda w_max (1 - w / w_max)^mu x``; returns ``(w,)``."""
    return (min(w + pot_step * (1.0 - w / w_max) ** mu * x, w_max),)


class WeightDependence:
    """How the size of an STDP step depends on the weight (see the module docstring)."""

    def functions(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        """The depression (at a presynaptic spike) and potentiation rule functions."""
        raise NotImplementedError

    def constants(self, learning_rate: float, alpha: float, w_max: float) -> dict[str, Any]:
        """Constants of the rule functions for the given λ, α and ``w_max``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Additive(WeightDependence):
    """Steps independent of the weight (Song, Miller & Abbott 2000); hard bounds."""

    def functions(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        return additive_depress, additive_potentiate

    def constants(self, learning_rate: float, alpha: float, w_max: float) -> dict[str, Any]:
        return {
            "dep_step": alpha * learning_rate * w_max,
            "pot_step": learning_rate * w_max,
            "w_max": w_max,
        }


@dataclass(frozen=True)
class Multiplicative(WeightDependence):
    """Potentiation proportional to ``w_max - w``, depression to ``w`` (van Rossum et al. 2000)."""

    def functions(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        return multiplicative_depress, multiplicative_potentiate

    def constants(self, learning_rate: float, alpha: float, w_max: float) -> dict[str, Any]:
        return {"dep_rate": alpha * learning_rate, "pot_rate": learning_rate, "w_max": w_max}


@dataclass(frozen=True)
class PowerLaw(WeightDependence):
    """Gütig et al. (2003) power law: ``f_+ = (1 - w/w_max)^mu``, ``f_- = (w/w_max)^mu``.

    Parameters
    ----------
    mu
        Exponent in [0, 1] (0: additive, 1: multiplicative).
    """

    mu: float

    def __post_init__(self) -> None:
        require_in_range("mu", self.mu, 0.0, 1.0)

    def functions(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        return power_law_depress, power_law_potentiate

    def constants(self, learning_rate: float, alpha: float, w_max: float) -> dict[str, Any]:
        return {
            "dep_step": alpha * learning_rate * w_max,
            "pot_step": learning_rate * w_max,
            "w_max": w_max,
            "mu": float(self.mu),
        }
