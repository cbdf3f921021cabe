r"""Triplet STDP (Pfister & Gerstner 2006), all-to-all and nearest-spike, with the published fits.

Two presynaptic traces ``r1``, ``r2`` and two postsynaptic traces ``o1``, ``o2``::

    dr1/dt = -r1 / tau_plus,    dr2/dt = -r2 / tau_x
    do1/dt = -o1 / tau_minus,   do2/dt = -o2 / tau_y

    presynaptic spike:   w <- max(w - w_ref o1 (A2- + A3- r2(t-)), 0);   then r1, r2 <- r + 1
    postsynaptic spike:  w <- min(w + w_ref r1 (A2+ + A3+ o2(t-)), w_max); then o1, o2 <- o + 1

``r2(t-)`` and ``o2(t-)`` are read before the spike's own increment. Nearest-spike interaction
sets the traces to 1 instead of adding 1 (the paper's "nearest spike" model). The *minimal*
models have ``A3- = 0`` (and ``A2+ = 0`` for the visual cortex fits). The amplitudes are changes of
the weight relative to ``w_ref``: Pfister & Gerstner fit relative changes ``Δw / w``, so set
``w_ref`` to the initial weight to compare with their figures.

Timing as for pair STDP (:mod:`snn.plasticity._pair`): NEST's dendritic delay, traces from
earlier steps, postsynaptic arrivals first at a step.

Implementation: ``r1`` and ``o1`` are the engine's source and target traces. The rule needs
``o2`` when a postsynaptic spike reaches the synapse and ``r2`` at a presynaptic spike, which
the synapse-model protocol does not hand to those rules (``on_post`` sees source traces only,
``on_pre`` target traces only); each synapse therefore keeps its own copies of ``o2`` and ``r2``
with the step of their last update and decays them exactly over the elapsed steps.

Parameter sets (:data:`PFISTER_GERSTNER_2006`): Pfister & Gerstner (2006), Table 3 (visual
cortex, fitted to Sjöström et al. 2001) and Table 4 (hippocampal culture, fitted to Wang et al.
2005); ``tau_plus = 16.8 ms`` and ``tau_minus = 33.7 ms`` are fixed in both (from Bi & Poo 2001).
Rows whose ``tau_x`` the table leaves blank (minimal models, ``A3- = 0``, where ``tau_x`` has no
effect) take the full model's value of the same data set.

References
----------
Pfister & Gerstner (2006), "Triplets of spikes in a model of spike timing-dependent plasticity",
J. Neurosci. 26:9673-9682. Sjöström, Turrigiano & Nelson (2001), "Rate, timing, and
cooperativity jointly determine cortical synaptic plasticity", Neuron 32:1149-1164.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from snn.core import StateVar, SynapseModel, Trace
from snn.core.errors import ConfigurationError
from snn.core.validate import require_nonnegative, require_positive, warn_time_constant
from snn.plasticity._pair import check_pairing

__all__ = ["PFISTER_GERSTNER_2006", "TripletSTDP"]

_MS = 1e-3
#: Pfister & Gerstner (2006) Tables 3 and 4: (data set, pairing, model) -> parameters
PFISTER_GERSTNER_2006: dict[tuple[str, str, str], dict[str, float]] = {
    ("visual_cortex", "all_to_all", "full"): {
        "tau_x": 101 * _MS,
        "tau_y": 125 * _MS,
        "a2_plus": 5e-10,
        "a3_plus": 6.2e-3,
        "a2_minus": 7e-3,
        "a3_minus": 2.3e-4,
    },
    ("visual_cortex", "all_to_all", "minimal"): {
        "tau_x": 101 * _MS,
        "tau_y": 114 * _MS,
        "a2_plus": 0.0,
        "a3_plus": 6.5e-3,
        "a2_minus": 7.1e-3,
        "a3_minus": 0.0,
    },
    ("visual_cortex", "nearest", "minimal"): {
        "tau_x": 101 * _MS,
        "tau_y": 40 * _MS,
        "a2_plus": 0.0,
        "a3_plus": 5e-2,
        "a2_minus": 8e-3,
        "a3_minus": 0.0,
    },
    ("hippocampal", "all_to_all", "full"): {
        "tau_x": 946 * _MS,
        "tau_y": 27 * _MS,
        "a2_plus": 6.1e-3,
        "a3_plus": 6.7e-3,
        "a2_minus": 1.6e-3,
        "a3_minus": 1.4e-3,
    },
    ("hippocampal", "all_to_all", "minimal"): {
        "tau_x": 946 * _MS,
        "tau_y": 40 * _MS,
        "a2_plus": 5.3e-3,
        "a3_plus": 8e-3,
        "a2_minus": 3.5e-3,
        "a3_minus": 0.0,
    },
    ("hippocampal", "nearest", "full"): {
        "tau_x": 575 * _MS,
        "tau_y": 47 * _MS,
        "a2_plus": 4.6e-3,
        "a3_plus": 9.1e-3,
        "a2_minus": 3e-3,
        "a3_minus": 7.5e-9,
    },
}


def triplet_on_pre(
    w, o1, o2, last_post, r2, last_pre, step, dt, dep2, dep3, tau_x, nearest
):  # pragma: no cover - compiled
    """Depression at a presynaptic spike, then the synapse's ``r2`` takes the spike."""
    r2 = r2 * math.exp(-(step - last_pre) * dt / tau_x)
    w = max(w - o1 * (dep2 + dep3 * r2), 0.0)
    r2 = 1.0 if nearest else r2 + 1.0
    return w, o2, last_post, r2, step, w


def triplet_on_post(
    w, r1, o2, last_post, r2, last_pre, step, dt, pot2, pot3, tau_y, w_max, nearest
):  # pragma: no cover - compiled
    """Potentiation when a postsynaptic spike arrives, then the synapse's ``o2`` takes it."""
    o2 = o2 * math.exp(-(step - last_post) * dt / tau_y)
    w = min(w + r1 * (pot2 + pot3 * o2), w_max)
    o2 = 1.0 if nearest else o2 + 1.0
    return w, o2, step, r2, last_pre


def r1_all_to_all(r1):  # pragma: no cover - compiled
    """All-to-all: a presynaptic spike adds one to ``r1``."""
    return (r1 + 1.0,)


def r1_nearest(r1):  # pragma: no cover - compiled
    """Nearest spike: a presynaptic spike resets ``r1`` to one."""
    return (1.0,)


def o1_all_to_all(o1):  # pragma: no cover - compiled
    """All-to-all: a postsynaptic spike adds one to ``o1``."""
    return (o1 + 1.0,)


def o1_nearest(o1):  # pragma: no cover - compiled
    """Nearest spike: a postsynaptic spike resets ``o1`` to one."""
    return (1.0,)


@dataclass(frozen=True, kw_only=True)
class TripletSTDP(SynapseModel):
    """Triplet STDP of Pfister & Gerstner (2006) (see the module docstring).

    Parameters
    ----------
    tau_plus, tau_x
        Time constants of the presynaptic traces ``r1`` and ``r2`` [s].
    tau_minus, tau_y
        Time constants of the postsynaptic traces ``o1`` and ``o2`` [s].
    a2_plus, a3_plus
        Pair and triplet potentiation amplitudes (dimensionless, in units of ``w_ref``).
    a2_minus, a3_minus
        Pair and triplet depression amplitudes (dimensionless, in units of ``w_ref``).
    w_ref
        Weight change per unit of amplitude [unit of the receptor].
    w_max
        Upper bound of the weight [unit of the receptor]; the lower bound is 0.
    pairing
        ``"all_to_all"`` or ``"nearest"`` (traces reset to 1).

    Notes
    -----
    Defaults: the minimal all-to-all visual cortex model (Table 3). Use :meth:`published` for
    the other fits. Source trace ``r1``, target trace ``o1``; synapse variables ``o2``,
    ``last_post``, ``r2``, ``last_pre`` (see the module docstring).
    """

    tau_plus: float = 16.8e-3
    tau_minus: float = 33.7e-3
    tau_x: float = 101e-3
    tau_y: float = 114e-3
    a2_plus: float = 0.0
    a3_plus: float = 6.5e-3
    a2_minus: float = 7.1e-3
    a3_minus: float = 0.0
    w_ref: float = 1e-3
    w_max: float = 1e-3
    pairing: Literal["all_to_all", "nearest"] = "all_to_all"

    synapse_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("o2", "1", doc="slow postsynaptic trace as seen by this synapse"),
        StateVar("last_post", "steps", "int", "step of the last postsynaptic arrival"),
        StateVar("r2", "1", doc="slow presynaptic trace as seen by this synapse"),
        StateVar("last_pre", "steps", "int", "step of the last presynaptic spike"),
    )
    source_traces: ClassVar[tuple[Trace, ...]] = (
        Trace("r1", "tau_plus", "fast presynaptic trace"),
    )
    target_traces: ClassVar[tuple[Trace, ...]] = (
        Trace("o1", "tau_minus", "fast postsynaptic trace"),
    )
    learning: ClassVar[tuple[str, ...]] = ("a2_plus", "a3_plus", "a2_minus", "a3_minus")

    def __post_init__(self) -> None:
        for name in ("tau_plus", "tau_minus", "tau_x", "tau_y"):
            require_positive(name, getattr(self, name), "s")
            warn_time_constant(name, getattr(self, name))
        for name in ("a2_plus", "a3_plus", "a2_minus", "a3_minus"):
            require_nonnegative(name, getattr(self, name))
        require_positive("w_ref", self.w_ref)
        require_positive("w_max", self.w_max)
        check_pairing(self.pairing)

    @classmethod
    def published(
        cls,
        data: Literal["visual_cortex", "hippocampal"] = "visual_cortex",
        model: Literal["full", "minimal"] = "minimal",
        *,
        pairing: Literal["all_to_all", "nearest"] = "all_to_all",
        w_ref: float = 1e-3,
        w_max: float = 1e-3,
    ) -> TripletSTDP:
        """A parameter set of Pfister & Gerstner (2006), Tables 3 and 4.

        Parameters
        ----------
        data
            ``"visual_cortex"`` (Sjöström et al. 2001) or ``"hippocampal"`` (Wang et al. 2005).
        model
            ``"full"`` or ``"minimal"``.
        pairing
            ``"all_to_all"`` or ``"nearest"``; each fit belongs to one scheme.
        w_ref, w_max
            As for the class [unit of the receptor].
        """
        key = (data, pairing, model)
        if key not in PFISTER_GERSTNER_2006:
            raise ConfigurationError(
                f"no published parameter set for {key}; available: {sorted(PFISTER_GERSTNER_2006)}."
            )
        return cls(
            **PFISTER_GERSTNER_2006[key],
            tau_plus=16.8 * _MS,
            tau_minus=33.7 * _MS,
            w_ref=w_ref,
            w_max=w_max,
            pairing=pairing,
        )

    def weight_bounds(self) -> tuple[float, float]:
        """Weights are kept in ``[0, w_max]``."""
        return (0.0, float(self.w_max))

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "dep2": self.a2_minus * self.w_ref,
            "dep3": self.a3_minus * self.w_ref,
            "pot2": self.a2_plus * self.w_ref,
            "pot3": self.a3_plus * self.w_ref,
            "tau_x": self.tau_x,
            "tau_y": self.tau_y,
            "w_max": self.w_max,
            "nearest": int(self.pairing == "nearest"),
        }

    def on_pre_function(self) -> Callable[..., Any]:
        return triplet_on_pre

    def on_post_function(self) -> Callable[..., Any]:
        return triplet_on_post

    def source_spike_function(self) -> Callable[..., Any]:
        return r1_all_to_all if self.pairing == "all_to_all" else r1_nearest

    def target_spike_function(self) -> Callable[..., Any]:
        return o1_all_to_all if self.pairing == "all_to_all" else o1_nearest
