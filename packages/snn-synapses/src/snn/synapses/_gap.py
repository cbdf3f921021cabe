r"""Gap junctions: electrical synapses, a current proportional to the voltage difference.

A gap junction of conductance ``g`` from neuron ``i`` onto neuron ``j`` adds, at every step,
the current::

    I_gap,j = g (V_i - V_j)

to ``j``'s current receptor (NEST's ``gap_junction``; Brian2's ``Igap_post = w * (v_pre -
v_post) : amp (summed)``). Each synapse acts on its target only; a symmetric (bidirectional)
junction is two synapses of the same conductance, ``i -> j`` and ``j -> i`` (NEST's
``make_symmetric``): connect a population onto itself with a symmetric rule (``AllToAll``
without autapses, or ``Explicit`` with both directions of every pair). One direction only
gives a rectifying junction.

Timing (Brian2's summed variables): the current of step ``t`` is computed from both neurons'
potentials at the start of the step and held over the step, so the coupled system is integrated
with first-order splitting (error proportional to ``dt``; NEST iterates the coupling within
each step by waveform relaxation instead). The engine runs a network with gap junctions in
one-step slices and sums each neuron's junction currents in a fixed order, so the spikes are the
same for any number of threads or MPI ranks (:mod:`snn.core._coupling`).

References
----------
Hahne et al. (2015), "A unified framework for spiking and gap-junction interactions in
distributed neuronal network simulations", Front. Neuroinform. 9:22. Mancilla et al. (2007),
"Synchronization of electrically coupled pairs of inhibitory interneurons in neocortex",
J. Neurosci. 27:2058-2073.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from snn.core import Receptor, SynapseModel
from snn.core.errors import ConfigurationError

__all__ = ["GapJunction"]


def gap_current(w, v_pre, v_post):  # pragma: no cover - compiled
    """The current through one junction of conductance ``w`` [A]."""
    return w * (v_pre - v_post)


@dataclass(frozen=True, kw_only=True)
class GapJunction(SynapseModel):
    """An electrical synapse (NEST ``gap_junction``; see the module docstring).

    The weight of each synapse is its conductance ``g`` [S], >= 0. It feeds a current receptor
    [A] of the target (``receptor=``, or the model's only current receptor) and reads the
    membrane potential ``v`` [V] of both neurons.
    """

    pre_variables: ClassVar[tuple[str, ...]] = ("v",)
    post_variables: ClassVar[tuple[str, ...]] = ("v",)
    weight_unit: ClassVar[str | None] = "S"
    weight_sign: ClassVar[int] = 1

    def coupling_function(self) -> Callable[..., Any]:
        return gap_current

    def check_connection(self, pre: Any, post: Any, receptor: Receptor) -> None:
        if receptor.unit != "A":
            raise ConfigurationError(
                f"a gap junction feeds a current [A]; receptor {receptor.name!r} of "
                f"{type(post).__name__} takes {receptor.unit}."
            )
        for side, model in (("source", pre), ("target", post)):
            unit = next(v.unit for v in model.state_vars if v.name == "v")
            if unit != "V":
                raise ConfigurationError(
                    f"a gap junction reads the membrane potential `v` [V] of its {side}; "
                    f"{type(model).__name__}.v is in {unit}."
                )
