r"""Pair-based spike-timing-dependent plasticity with traces (Morrison, Diesmann & Gerstner 2008).

Each presynaptic neuron carries a trace ``x`` and each postsynaptic neuron a trace ``y``::

    dx/dt = -x / tau_plus,    dy/dt = -y / tau_minus

    all-to-all pairing:  x <- x + 1 at each presynaptic spike,   y <- y + 1 at each postsynaptic one
    nearest pairing:     x <- 1,                                 y <- 1

    at a presynaptic spike (at the synapse):          w <- depress(w, y)      (then transmitted)
    when a postsynaptic spike reaches the synapse:    w <- potentiate(w, x)

with ``depress`` and ``potentiate`` given by the weight dependence
(:mod:`snn.plasticity._dependence`: additive, multiplicative, Gütig's power law; hard bounds
``[0, w_max]``). For an isolated pair with ``Δt = t_post + d - t_pre`` (``d`` the dendritic delay),
the additive rule changes the weight by ``lambda w_max exp(-Δt / tau_plus)`` when ``Δt > 0`` and
by ``-alpha lambda w_max exp(Δt / tau_minus)`` when ``Δt < 0``; ``Δt = 0`` changes nothing.

All-to-all pairing sums over every earlier spike; nearest pairing is the symmetric
nearest-neighbour scheme (Morrison et al. 2008, Fig. 7A; NEST ``stdp_nn_symm_synapse``): a
presynaptic spike is paired with the last postsynaptic spike before it, and a postsynaptic spike
with the last presynaptic spike before it.

Timing (NEST's; see :class:`snn.core.SynapseModel`): the whole delay is dendritic, so a presynaptic
spike acts at the synapse when it is emitted and a postsynaptic spike reaches the synapse ``d``
later. Traces exclude spikes of the same step; at one step postsynaptic arrivals come first.
Traces decay by ``exp(-dt / tau)`` per step (exact at the grid).

References
----------
Morrison, Diesmann & Gerstner (2008), "Phenomenological models of synaptic plasticity based on
spike timing", Biol. Cybern. 98:459-478. Song, Miller & Abbott (2000), Nat. Neurosci. 3:919-926.
Gütig et al. (2003), J. Neurosci. 23:3697-3714.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from snn.core import SynapseModel, Trace
from snn.core.errors import ConfigurationError
from snn.core.validate import require_nonnegative, require_positive, warn_time_constant
from snn.plasticity._dependence import Additive, WeightDependence

__all__ = ["PAIRINGS", "PairSTDP"]

#: the spike pairing schemes of the trace rules
PAIRINGS = ("all_to_all", "nearest")


def x_all_to_all(x):  # pragma: no cover - compiled
    """All-to-all: a presynaptic spike adds one to ``x``."""
    return (x + 1.0,)


def x_nearest(x):  # pragma: no cover - compiled
    """Nearest spike: a presynaptic spike resets ``x`` to one."""
    return (1.0,)


def y_all_to_all(y):  # pragma: no cover - compiled
    """All-to-all: a postsynaptic spike adds one to ``y``."""
    return (y + 1.0,)


def y_nearest(y):  # pragma: no cover - compiled
    """Nearest spike: a postsynaptic spike resets ``y`` to one."""
    return (1.0,)


def check_pairing(pairing: str) -> None:
    """Refuse a pairing scheme that is not one of :data:`PAIRINGS`."""
    if pairing not in PAIRINGS:
        raise ConfigurationError(f"`pairing` must be one of {PAIRINGS}, got {pairing!r}.")


@dataclass(frozen=True, kw_only=True)
class PairSTDP(SynapseModel):
    """Pair-based STDP with traces (see the module docstring for the equations).

    Parameters
    ----------
    tau_plus
        Decay time constant of the presynaptic trace (potentiation window) [s].
    tau_minus
        Decay time constant of the postsynaptic trace (depression window) [s].
    learning_rate
        λ, the potentiation step as a fraction of ``w_max`` (dimensionless, >= 0).
    alpha
        α, ratio of the depression step to the potentiation step (dimensionless, >= 0).
    w_max
        Upper bound of the weight [unit of the receptor]; the lower bound is 0.
    pairing
        ``"all_to_all"`` or ``"nearest"`` (symmetric nearest neighbour).
    weight_dependence
        :class:`Additive` (default), :class:`Multiplicative` or :class:`PowerLaw`.

    Notes
    -----
    Source trace ``x`` (``tau_plus``), target trace ``y`` (``tau_minus``); no synapse variables
    besides the weight. Initial weights must lie in ``[0, w_max]``. Defaults are the
    BRUNEL_STDP benchmark's (Morrison et al. 2007 additive rule, ``w_max`` = 0.3 mV = 3 J).
    """

    tau_plus: float = 20e-3
    tau_minus: float = 20e-3
    learning_rate: float = 0.01
    alpha: float = 1.05
    w_max: float = 0.3e-3
    pairing: Literal["all_to_all", "nearest"] = "all_to_all"
    weight_dependence: WeightDependence = field(default_factory=Additive)

    source_traces: ClassVar[tuple[Trace, ...]] = (
        Trace("x", "tau_plus", "presynaptic trace (potentiation)"),
    )
    target_traces: ClassVar[tuple[Trace, ...]] = (
        Trace("y", "tau_minus", "postsynaptic trace (depression)"),
    )
    learning: ClassVar[tuple[str, ...]] = ("learning_rate",)

    def __post_init__(self) -> None:
        for name in ("tau_plus", "tau_minus"):
            require_positive(name, getattr(self, name), "s")
            warn_time_constant(name, getattr(self, name))
        require_nonnegative("learning_rate", self.learning_rate)
        require_nonnegative("alpha", self.alpha)
        require_positive("w_max", self.w_max)
        check_pairing(self.pairing)
        if not isinstance(self.weight_dependence, WeightDependence):
            raise ConfigurationError(
                "`weight_dependence` must be Additive(), Multiplicative() or PowerLaw(mu=...), "
                f"got {self.weight_dependence!r}."
            )

    def weight_bounds(self) -> tuple[float, float]:
        """Weights are kept in ``[0, w_max]``."""
        return (0.0, float(self.w_max))

    def constants(self, dt: float) -> dict[str, Any]:
        return self.weight_dependence.constants(self.learning_rate, self.alpha, self.w_max)

    def on_pre_function(self) -> Callable[..., Any]:
        return self.weight_dependence.functions()[0]

    def on_post_function(self) -> Callable[..., Any]:
        return self.weight_dependence.functions()[1]

    def source_spike_function(self) -> Callable[..., Any]:
        return x_all_to_all if self.pairing == "all_to_all" else x_nearest

    def target_spike_function(self) -> Callable[..., Any]:
        return y_all_to_all if self.pairing == "all_to_all" else y_nearest
