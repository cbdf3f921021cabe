"""What a connection-rule writer needs: the rule protocol and the connectivity arrays.

:class:`ConnectionRule` is the base of every rule (:mod:`snn.synapses`); a rule that generates
synapses in numba receives a :class:`RuleArgs`; a rule that produces explicit pairs turns them
into a :class:`CSR` with :func:`csr_from_pairs`. :class:`PairLaw` (a weight or delay that depends
on the pair, e.g. on distance) binds to a :class:`BoundLaw`. :class:`CSR` holds a projection's
synapses by presynaptic neuron, :class:`DelayRuns` the delays of a row ordered by delay, and
:func:`index_dtype` says which integer type stores target indices; :func:`nearest_steps` rounds
delays to whole steps as the engine does (halves up, as NEST). Layout: the ``README.md`` of
:mod:`snn.core`.
"""

from snn.core._connectivity import (
    CSR,
    BoundLaw,
    ConnectionRule,
    DelayRuns,
    PairLaw,
    RuleArgs,
    csr_from_pairs,
    index_dtype,
    nearest_steps,
)

__all__ = [
    "CSR",
    "BoundLaw",
    "ConnectionRule",
    "DelayRuns",
    "PairLaw",
    "RuleArgs",
    "csr_from_pairs",
    "index_dtype",
    "nearest_steps",
]
