"""snn.synapses: connection rules and synapse models.

Rules: :class:`AllToAll`, :class:`OneToOne`, :class:`PairwiseBernoulli`,
:class:`SymmetricPairwiseBernoulli`, :class:`FixedIndegree`, :class:`FixedOutdegree`,
:class:`FixedTotalNumber`, :class:`Explicit`. Weights and delays take
numbers, matrices or the distributions of :mod:`snn.core.random` (re-exported here).
Spatial connectivity (:mod:`snn.synapses._spatial`): positions :class:`Grid`,
:class:`RandomPositions` and :class:`FixedPositions` (``Network.add_population(...,
positions=...)``), rules
:class:`DistanceDependent` and :class:`DistanceFixedIndegree` with the kernels
:class:`GaussianKernel`, :class:`ExponentialKernel` and :class:`StepKernel`, and distance-dependent
delays :class:`DistanceDelay`; :func:`distances` gives the distance matrix of two populations.
Short-term plasticity: :class:`TsodyksSynapse`, :class:`Tsodyks2Synapse`
(``connect(..., synapse=...)``). Stochastic release: :class:`StochasticSynapse` (each spike
transmitted with probability ``p``, NEST's ``bernoulli_synapse``), and with short-term
plasticity :class:`StochasticTsodyksSynapse` (one release site that recovers at random, PyNN's
``StochasticTsodyksMarkramSynapse``) and :class:`QuantalSynapse` (``n`` sites, NEST's
``quantal_stp_synapse``). Electrical synapses:
:class:`GapJunction` (continuous coupling through a current receptor).
"""

from snn.core.random import Clipped, Exponential, LogNormal, Normal, Uniform
from snn.synapses._gap import GapJunction
from snn.synapses._masks import BoxMask
from snn.synapses._release import QuantalSynapse, StochasticSynapse, StochasticTsodyksSynapse
from snn.synapses._rules import (
    AllToAll,
    Explicit,
    FixedIndegree,
    FixedOutdegree,
    FixedTotalNumber,
    OneToOne,
    PairwiseBernoulli,
    SymmetricPairwiseBernoulli,
)
from snn.synapses._spatial import (
    DistanceDelay,
    DistanceDependent,
    DistanceFixedIndegree,
    ExponentialKernel,
    FixedPositions,
    GaussianKernel,
    Grid,
    RandomPositions,
    StepKernel,
    distances,
)
from snn.synapses._stp import Tsodyks2Synapse, TsodyksSynapse

__all__ = [
    "AllToAll",
    "BoxMask",
    "Clipped",
    "DistanceDelay",
    "DistanceDependent",
    "DistanceFixedIndegree",
    "Explicit",
    "Exponential",
    "ExponentialKernel",
    "FixedIndegree",
    "FixedOutdegree",
    "FixedPositions",
    "FixedTotalNumber",
    "GapJunction",
    "GaussianKernel",
    "Grid",
    "LogNormal",
    "Normal",
    "OneToOne",
    "PairwiseBernoulli",
    "QuantalSynapse",
    "RandomPositions",
    "StepKernel",
    "StochasticSynapse",
    "StochasticTsodyksSynapse",
    "SymmetricPairwiseBernoulli",
    "Tsodyks2Synapse",
    "TsodyksSynapse",
    "Uniform",
    "distances",
]
