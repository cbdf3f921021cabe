"""The synapse-model protocol: stateful synapses (short-term plasticity, STDP and relatives).

Static synapses (the default of :meth:`Network.connect`) store a weight and a delay and are
delivered by a fixed kernel. A :class:`SynapseModel` adds per-synapse state and rules that run
when a presynaptic spike crosses the synapse and when a postsynaptic spike reaches it; the engine
generates one delivery kernel per synapse model with the rules inlined, like it does for neuron
models.

Time at a synapse (NEST's convention; Morrison, Diesmann & Gerstner 2008): the whole delay is
dendritic. A presynaptic spike emitted by step ``p`` is at the synapse at ``p``; it is
transmitted to the target, which receives it at ``p + d``. A postsynaptic spike emitted by step
``s`` reaches synapse ``k`` at ``s + d_k``. At one step, arriving postsynaptic spikes are handled
before presynaptic ones.

State kept for a rule:

* **synapse variables** (:attr:`SynapseModel.synapse_vars`): one value per synapse, plus the
  weight ``w`` which every stateful synapse stores per synapse;
* **source traces** (:attr:`SynapseModel.source_traces`): one value per presynaptic neuron,
  decaying by ``exp(-dt / tau)`` every step and changed by :meth:`source_spike_function` after
  each presynaptic spike has crossed all its synapses. The engine keeps the value right after
  the last spike and reads the trace ``m`` steps later as that value times ``exp(-dt / tau)``
  to the power ``m`` (a table of repeated products), one product whenever it is read
  (decision 0026);
* **target traces** (:attr:`SynapseModel.target_traces`): one value per postsynaptic neuron,
  decaying every step and changed by :meth:`target_spike_function` when the neuron spikes. A
  synapse with delay ``d`` reads the value the trace had ``d`` steps before (excluding spikes of
  that very step, as NEST's ``get_K_value``).

Rule functions are plain Python functions numba compiles; their parameters are matched by name:

``on_pre``
    Called for each synapse of a presynaptic spike. Arguments: ``w``, synapse variables, target
    traces, constants, ``step`` (the spike's step), ``dt``, ``uniform``: a random number in
    [0, 1), one for each synapse and presynaptic spike, and ``stream``: the key and counter of
    up to 2**17 such numbers (see *Random numbers* below). Returns
    ``(w, *synapse_vars, transmitted)``: the new state and the value added to the target's
    receptor.
``on_post``
    Called for each synapse a postsynaptic spike reaches. Arguments: ``w``, synapse variables,
    source traces, constants, ``step`` (arrival step), ``dt``. Returns ``(w, *synapse_vars)``.
``source_spike`` / ``target_spike``
    Arguments: the traces (and constants); return the new traces.

Target neuron variables: ``on_pre`` and ``on_post`` may also take ``<name>_post`` for each state
variable ``<name>`` of the target neuron listed in :attr:`SynapseModel.post_variables` (a
voltage-dependent rule reads the membrane potential or its filtered copies, as Clopath et al.
2010). They see the variable as target traces are seen: ``on_pre`` of a spike emitted by step
``p`` through a synapse of delay ``d`` reads its value at the end of step ``p - d``, ``on_post``
its value at the end of the step that emitted the postsynaptic spike (after that step's reset).
The engine keeps these values in the target trace history. A projection whose ``on_post`` reads
them applies its postsynaptic updates at arrival (it is not deferred, decision 0026).

Random numbers: an ``on_pre`` that takes ``uniform`` receives a uniform draw in [0, 1) that is
a pure function of the network seed, the projection, the synapse and the spike's step
(:func:`snn.core.random.derive_key` with ``("projection", index, "release")``; counter
``a = target | rank << 32``, ``b = step``, where ``target`` is the synapse's target index in the
projection's target view and ``rank`` its rank among that target's synapses of the projection,
sources ascending, the counters of ``connect``'s keyed weights). The draw is the same on any
thread or MPI layout, in a rerun with the same seed, and after a checkpoint or a reset; a
synapse's draws at two spikes are independent. A rule that needs several numbers per synapse
and spike (one per release site, say) takes ``stream`` instead (or as well): a tuple
``(k0, k1, a, b)`` of that key and counter, from which
:func:`snn.core.random.stream_uniform` ``(stream, i)`` gives draw ``i`` (``0 <= i < 2**17``;
sub-index ``i >> 1`` in bits 48-63 of ``b``). Its draws are independent of one another and
keyed as ``uniform`` is, whose value is draw 0. The engine keeps one such counter per synapse
(8 bytes) for projections whose ``on_pre`` draws.

Parameters per synapse: a model lists in :attr:`SynapseModel.vector_parameters` the parameters
that may hold one value per synapse (NEST keeps every parameter of a connection per connection;
Brian2 every parameter of a ``Synapses`` model not marked ``(shared)``). Such a parameter holds a
number (one value for the projection), an array of one value per synapse in the projection's
storage order, or a :class:`~snn.core.random.Distribution`, drawn when the projection is made
(the model's own checks then run on the drawn values). :meth:`SynapseModel.constants` must
compute with numpy on them (an array parameter gives an array constant); ``on_pre`` and
``on_post`` then read the synapse's own value, and a constant that is per synapse must not feed
``source_spike``, ``target_spike``, a trace's time constant or a coupling. A projection keeps a
number as one number: the kernels read an array only when a parameter has been given per
synapse, at ``connect`` or with ``Projection.set`` (it then stays an array).

Continuous coupling (gap junctions, Brian2's ``(summed)`` variables): a model whose
:meth:`SynapseModel.coupling_function` is not None acts on its target at every step instead of
at spikes. At step ``t`` each target neuron ``j`` gets, in the projection's receptor (a
``current`` receptor, held over the step), the sum over its synapses ``k`` of

``coupling``
    Arguments: ``w``, synapse variables, constants, ``dt``, and the state of the neurons at the
    start of the step: ``<name>_pre`` for a variable of the source (one of
    :attr:`SynapseModel.pre_variables`), ``<name>_post`` for one of the target
    (:attr:`SynapseModel.post_variables`). Returns the value added to the receptor.

A coupling may also have **clock-driven synapse variables** (:attr:`SynapseModel.clock_variables`,
some of the synapse variables), advanced over every step by

``clock``
    Arguments: as ``coupling`` (the synapse variables at the start of the step). Returns the
    new values of the clock-driven variables, in the order of
    :attr:`SynapseModel.clock_variables`.

The engine runs it for each synapse right after adding the synapse's ``coupling`` value, so a
step's coupling reads the variables at the start of the step (Brian2's order: summed variables
before the state updates). A coupling has no delay and no traces; its ``on_pre`` and ``on_post``
may change the weight and the synapse variables (their transmitted value is discarded) and act
at the end of the step that emitted the spike: a spike stamped ``s`` is in the variables the
coupling of step ``s`` reads. Networks with couplings run in one-step slices (see
:mod:`snn.core._coupling`).

Synapses that act at spikes may have clock-driven variables too (a ``clock`` and no
``coupling``; they need an ``on_pre``): the engine advances them in the same per-step pass, and
``on_pre`` and ``on_post`` run as for any synapse acting at spikes, with the projection's
delays, reading them at the spike's step (decision 0030). ``clock`` may read ``<name>_pre`` and
``<name>_post`` variables, the spike rules ``<name>_post`` only; such a network runs in
one-step slices too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core._magnitudes import extremes
from snn.core._model import StateVar
from snn.core._validate import CheckedParameters
from snn.core.errors import ConfigurationError

__all__ = ["SynapseModel", "Trace", "check_weight_bounds", "weight_rule"]


@dataclass(frozen=True)
class Trace:
    """A per-neuron trace of a synapse model.

    Parameters
    ----------
    name
        Identifier used by the rule functions.
    tau
        Name of the model's parameter holding the decay time constant [s].
    doc
        One line of description.
    """

    name: str
    tau: str
    doc: str = ""


class SynapseModel(CheckedParameters):
    """Base class of stateful synapse models (see the module docstring)."""

    synapse_vars: ClassVar[tuple[StateVar, ...]] = ()
    source_traces: ClassVar[tuple[Trace, ...]] = ()
    target_traces: ClassVar[tuple[Trace, ...]] = ()
    #: the parameters that scale every weight change of the rule. ``Projection.set(learning=
    #: False)`` gives the rule functions these parameters at zero (the model keeps its values),
    #: which freezes the weights without new code; empty for synapses that do not learn.
    learning: ClassVar[tuple[str, ...]] = ()
    #: the parameters that may take one value per synapse (see "Parameters per synapse" in the
    #: module docstring); the others are one number each
    vector_parameters: ClassVar[tuple[str, ...] | None] = ()
    #: state variables of the source and target neurons that the coupling function reads (as
    #: ``<name>_pre`` and ``<name>_post``); for a synapse acting at spikes, the target's variables
    #: that ``on_pre`` and ``on_post`` read (``post_variables`` only; see the module docstring)
    pre_variables: ClassVar[tuple[str, ...]] = ()
    post_variables: ClassVar[tuple[str, ...]] = ()
    #: the synapse variables :meth:`clock_function` advances every step (couplings only)
    clock_variables: ClassVar[tuple[str, ...]] = ()
    #: the unit of the weights when it is not the receptor's (a gap junction's conductance [S]
    #: feeding a current [A]), and then their sign rule (+1: >= 0, -1: <= 0, 0: any); None: the
    #: receptor's unit and sign rule
    weight_unit: ClassVar[str | None] = None
    weight_sign: ClassVar[int] = 0

    def constants(self, dt: float) -> dict[str, Any]:
        """Values passed to the rule functions, by name (floats or integers)."""
        return {}

    def initial_synapse_state(self) -> dict[str, float]:
        """Initial value of each synapse variable."""
        return {v.name: 0.0 for v in self.synapse_vars}

    def on_pre_function(self) -> Callable[..., Any] | None:
        """Rule for a presynaptic spike crossing a synapse (None: transmit ``w`` unchanged)."""
        return None

    def on_post_function(self) -> Callable[..., Any] | None:
        """Rule for a postsynaptic spike reaching a synapse (None: nothing happens)."""
        return None

    def source_spike_function(self) -> Callable[..., Any] | None:
        """Change of the source traces at a presynaptic spike (None: unchanged)."""
        return None

    def target_spike_function(self) -> Callable[..., Any] | None:
        """Change of the target traces at a postsynaptic spike (None: unchanged)."""
        return None

    def coupling_function(self) -> Callable[..., Any] | None:
        """Continuous coupling: the value a synapse adds to its target's receptor every step.

        None (the default) for synapses that act at spikes.
        """
        return None

    def clock_function(self) -> Callable[..., Any] | None:
        """One step of the clock-driven synapse variables (None: none).

        See the module docstring (``clock``).
        """
        return None

    def target_receptor(self, model: Any) -> str | None:
        """The receptor of neuron model ``model`` these synapses feed when ``connect`` names none.

        None (the default): the model's only receptor of the kind the synapses feed.
        """
        return None

    def check_connection(self, pre: Any, post: Any, receptor: Any) -> None:
        """Refuse source or target neuron models, or a receptor, these synapses cannot connect.

        Called by ``connect`` with the two models and the :class:`~snn.core.Receptor` fed
        (default: any).
        """

    def check(self, dt: float) -> None:
        """Refuse a time step this model cannot handle (default: any)."""

    def weight_bounds(self) -> tuple[float, float]:
        """Lowest and highest weight the model keeps synapses within (default: unbounded).

        Initial weights outside them are refused when the projection is made.
        """
        return (-math.inf, math.inf)

    def check_projection(self, projection: Any) -> None:
        """Refuse a projection this model cannot serve (default: any).

        Called when a projection is made with this model, before anything is added to the
        network (for example, a model bound to one network refuses another network's).
        """

    def trace_tau(self, trace: Trace) -> Any:
        """Time constant of ``trace`` [s].

        An array if the parameter holds one value per synapse (which projections refuse).
        """
        value = getattr(self, trace.tau)
        return value if np.ndim(value) else float(value)


def weight_rule(receptor: Any, synapse: SynapseModel | None) -> tuple[int, str]:
    """Sign rule and unit of the weights of ``synapse`` (None: static synapses) into ``receptor``.

    The receptor's, unless the synapse model declares a :attr:`~SynapseModel.weight_unit` of its
    own (and :attr:`~SynapseModel.weight_sign`).
    """
    if synapse is not None and synapse.weight_unit is not None:
        return synapse.weight_sign, synapse.weight_unit
    return receptor.sign, receptor.unit


def check_weight_bounds(what: str, synapse: SynapseModel, weight: Any) -> None:
    """Refuse weights (a number or an array) outside ``synapse.weight_bounds()``.

    A number is judged even when no synapse is drawn to take it: the call is wrong either way.
    """
    low, high = synapse.weight_bounds()
    lo, hi = extremes(weight)
    if np.size(weight) and (lo < low or hi > high):
        raise ConfigurationError(
            f"the weights of {what} must lie within the bounds of {type(synapse).__name__}, "
            f"[{low!r}, {high!r}], got {lo if lo < low else hi!r}; choose weights within them "
            "(or other bounds)."
        )
