"""snn.synapses: connection rules and synapse models.

Rules: :class:`AllToAll`, :class:`OneToOne`, :class:`PairwiseBernoulli`, :class:`FixedIndegree`,
:class:`FixedOutdegree`, :class:`FixedTotalNumber`, :class:`Explicit`. Weights and delays take
numbers, matrices or the distributions of :mod:`snn.core.random` (re-exported here).
Short-term plasticity: :class:`TsodyksSynapse`, :class:`Tsodyks2Synapse`
(``connect(..., synapse=...)``).
"""

from snn.core.random import Clipped, Exponential, LogNormal, Normal, Uniform
from snn.synapses._rules import (
    AllToAll,
    Explicit,
    FixedIndegree,
    FixedOutdegree,
    FixedTotalNumber,
    OneToOne,
    PairwiseBernoulli,
)
from snn.synapses._stp import Tsodyks2Synapse, TsodyksSynapse

__all__ = [
    "AllToAll",
    "Clipped",
    "Explicit",
    "Exponential",
    "FixedIndegree",
    "FixedOutdegree",
    "FixedTotalNumber",
    "LogNormal",
    "Normal",
    "OneToOne",
    "PairwiseBernoulli",
    "Tsodyks2Synapse",
    "TsodyksSynapse",
    "Uniform",
]
