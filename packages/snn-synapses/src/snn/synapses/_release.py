r"""Stochastic release: synapses that transmit each presynaptic spike with a probability.

At every presynaptic spike, each synapse of the projection independently makes one Bernoulli
trial with success probability ``p``; on success it transmits its weight ``w`` (after its delay,
as a static synapse does), on failure nothing::

    at a presynaptic spike emitted at step s:  transmitted = w  if  U < p  else  0,
    U ~ Uniform[0, 1), one draw per synapse and spike

This is NEST's ``bernoulli_synapse`` (``models/bernoulli_synapse.h``: ``send`` draws
``drand() < p_transmit``), PyNN's ``SimpleStochasticSynapse(weight, delay, p)`` and Brian2's
``on_pre="v_post += w * (rand() < p)"``. The count of spikes a synapse transmits out of ``n`` is
binomial ``B(n, p)``; ``p = 0`` transmits nothing and ``p = 1`` every spike, exactly as a static
synapse (``U < 1`` always holds).

The draw ``U`` is the engine's keyed draw for ``on_pre`` (:mod:`snn.core._synapse`, *Random
numbers*): a function of the network seed, the projection, the synapse (its target and its rank
among the target's synapses) and the spike's step. Results are therefore the same on any number
of threads or MPI ranks, in a rerun with the same seed, and after a checkpoint or
``Network.reset``; the draws of two synapses, or of one synapse at two spikes, are independent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import SynapseModel
from snn.core.random import Distribution
from snn.core.validate import require_in_range

__all__ = ["StochasticSynapse"]


def release_on_pre(w, uniform, p):  # pragma: no cover - compiled
    """One Bernoulli trial per synapse and spike: transmit ``w`` with probability ``p``."""
    return w, w if uniform < p else 0.0 * w


@dataclass(frozen=True, kw_only=True)
class StochasticSynapse(SynapseModel):
    """Synapse transmitting each presynaptic spike with probability ``p`` (``bernoulli_synapse``).

    Parameters
    ----------
    p
        Release (transmission) probability of each spike at each synapse, in [0, 1]
        (NEST ``p_transmit``, PyNN ``p``): one value for the projection, or one per synapse
        (an array in the projection's storage order, or a
        :class:`~snn.core.random.Distribution` drawn when the projection is made); change it
        with ``Projection.set(p=...)``.

    Notes
    -----
    The synapses keep no state besides their weight (a stateful projection stores one weight
    per synapse, 8 bytes) and the counter of their keyed draws (8 bytes); see the module
    docstring for the law and the keying. Probabilities given per synapse cost 8 bytes per
    synapse more.

    Examples
    --------
    >>> from snn.synapses import StochasticSynapse
    >>> StochasticSynapse(p=0.3)
    StochasticSynapse(p=0.3)
    """

    p: float | np.ndarray | Distribution = 1.0

    vector_parameters: ClassVar[tuple[str, ...]] = ("p",)

    def __post_init__(self) -> None:
        require_in_range("p", self.p, 0.0, 1.0)

    def constants(self, dt: float) -> dict[str, Any]:
        return {"p": self.p}

    def on_pre_function(self) -> Callable[..., Any]:
        return release_on_pre
