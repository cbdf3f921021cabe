"""Declarations and checks shared by the neuron models: synaptic state variables, receptors.

A model lists its state variables and receptors (:class:`~snn.core.StateVar`,
:class:`~snn.core.Receptor`); the synaptic ones come in four kinds, the same in every family:
exponential or alpha-shaped, conductances or currents. Inhibitory current weights are negative
(NEST's convention), conductance weights are positive for both receptors. Every model also has
the ``current`` receptor of current sources (:data:`CURRENT`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from snn.core import Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.validate import (
    require_finite,
    require_positive,
    warn_magnitude,
    warn_time_constant,
    warn_voltage,
)

__all__ = [
    "ALPHA_CONDUCTANCES",
    "ALPHA_CONDUCTANCE_RECEPTORS",
    "ALPHA_CURRENTS",
    "ALPHA_CURRENT_RECEPTORS",
    "CONDUCTANCES",
    "CONDUCTANCE_RECEPTORS",
    "CURRENT",
    "CURRENTS",
    "CURRENT_RECEPTORS",
    "REFR",
    "check_currents",
    "check_method",
    "check_time_constants",
    "check_voltages",
]

#: the refractory counter of the models that have one
REFR = StateVar("refr", "steps", "int", "steps left in the refractory period")
#: input port of current sources: the current [A] injected during the step (summed over sources)
CURRENT = Receptor(
    "current", "A", 0, "injected current during the step (current sources)", kind="current"
)

CONDUCTANCES = (
    StateVar("g_ex", "S", doc="excitatory conductance"),
    StateVar("g_in", "S", doc="inhibitory conductance"),
)
CURRENTS = (
    StateVar("i_ex", "A", doc="excitatory synaptic current"),
    StateVar("i_in", "A", doc="inhibitory synaptic current"),
)
ALPHA_CONDUCTANCES = (
    StateVar("dg_ex", "S/s", doc="source of the excitatory conductance's derivative"),
    StateVar("g_ex", "S", doc="excitatory conductance"),
    StateVar("dg_in", "S/s", doc="source of the inhibitory conductance's derivative"),
    StateVar("g_in", "S", doc="inhibitory conductance"),
)
ALPHA_CURRENTS = (
    StateVar("di_ex", "A/s", doc="source of the excitatory current's derivative"),
    StateVar("i_ex", "A", doc="excitatory synaptic current"),
    StateVar("di_in", "A/s", doc="source of the inhibitory current's derivative"),
    StateVar("i_in", "A", doc="inhibitory synaptic current"),
)
CONDUCTANCE_RECEPTORS = (
    Receptor("exc", "S", +1, "excitatory conductance jumps"),
    Receptor("inh", "S", +1, "inhibitory conductance jumps"),
    CURRENT,
)
CURRENT_RECEPTORS = (
    Receptor("exc", "A", +1, "excitatory current jumps"),
    Receptor("inh", "A", -1, "inhibitory current jumps (negative weights)"),
    CURRENT,
)
ALPHA_CONDUCTANCE_RECEPTORS = (
    Receptor("exc", "S", +1, "excitatory alpha conductances (weight = peak conductance)"),
    Receptor("inh", "S", +1, "inhibitory alpha conductances (weight = peak conductance)"),
    CURRENT,
)
ALPHA_CURRENT_RECEPTORS = (
    Receptor("exc", "A", +1, "excitatory alpha currents (weight = peak current)"),
    Receptor("inh", "A", -1, "inhibitory alpha currents (negative weights)"),
    CURRENT,
)


def check_method(model: Any, methods: Any) -> None:
    """Refuse a ``model.method`` that is not one of ``methods`` (any container of names)."""
    if model.method not in methods:
        raise ConfigurationError(f"`method` must be one of {list(methods)}, got {model.method!r}.")


def check_time_constants(model: Any, names: tuple[str, ...]) -> None:
    """Time constants must be > 0 s; implausible magnitudes warn."""
    for name in names:
        require_positive(name, getattr(model, name), "s")
        warn_time_constant(name, getattr(model, name))


#: constants of a model whose spike threshold ``v_th`` may be +inf (``unbounded_constants``)
THRESHOLD_OFF = frozenset({"v_th"})


def check_voltages(model: Any, names: tuple[str, ...]) -> None:
    """Potentials must be finite; implausible magnitudes warn.

    A name in the model's ``unbounded_constants`` may also be ``+inf`` (for all neurons or
    some): a threshold that switches spiking off, as in NEST.
    """
    for name in names:
        value = getattr(model, name)
        if name in model.unbounded_constants:
            # +inf passes; a zero decides no magnitude
            value = np.where(np.asarray(value, dtype=np.float64) == np.inf, 0.0, value)
        require_finite(name, value, "V")
        warn_voltage(name, value)


def check_currents(model: Any, names: tuple[str, ...]) -> None:
    """Currents must be finite; implausible magnitudes warn (NEST's pA pasted without ``* pA``)."""
    for name in names:
        require_finite(name, getattr(model, name), "A")
        warn_magnitude(name, getattr(model, name), "current")
