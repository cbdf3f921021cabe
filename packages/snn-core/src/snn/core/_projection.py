"""Projections: the synapses from one population onto one receptor of another."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from snn.core._connectivity import CSR

if TYPE_CHECKING:
    from snn.core._population import Population

__all__ = ["Projection"]


class Projection:
    """Synapses from ``pre`` onto receptor ``receptor`` of ``post``.

    Created by :meth:`snn.core.Network.connect`. Synapses are stored by presynaptic neuron (CSR);
    on an MPI rank only the synapses onto the rank's own neurons exist.

    Attributes
    ----------
    pre, post : Population or PopulationView
        Source and target neurons (as given to ``connect``).
    receptor : str
        Receptor of ``post`` that the synapses feed.
    name : str
        Unique name within the network.
    index : int
        Creation order within the network.
    """

    def __init__(
        self,
        *,
        pre: Population,
        post: Population,
        receptor: str,
        csr: CSR,
        name: str,
        index: int,
        rule: object,
    ) -> None:
        self.pre = pre
        self.post = post
        self.receptor = receptor
        self._csr = csr
        self.name = name
        self.index = index
        self.rule = rule

    def __repr__(self) -> str:
        return (
            f"<Projection {self.name!r}: {self.pre.name} -> {self.post.name}.{self.receptor}, "
            f"{self.n_synapses} synapses>"
        )

    @property
    def n_synapses(self) -> int:
        """Number of synapses (held by this process)."""
        return self._csr.n_synapses

    @property
    def nbytes(self) -> int:
        """Bytes of memory used by the synapse arrays."""
        return self._csr.nbytes

    def sources(self) -> np.ndarray:
        """Population index of each synapse's source, in storage order (int64)."""
        rows = np.arange(self.pre.start, self.pre.stop, dtype=np.int64)
        return np.repeat(rows, np.diff(self._csr.indptr))

    def targets(self) -> np.ndarray:
        """Population index of each synapse's target, in storage order (int64)."""
        return self.post.population.local_index[self._csr.indices.astype(np.int64)]

    def weights(self) -> np.ndarray:
        """Weight of each synapse in storage order [unit of the receptor] (a copy)."""
        w = self._csr.weight
        if isinstance(w, np.ndarray):
            return w.astype(np.float64)
        return np.full(self.n_synapses, float(w))

    def delays(self) -> np.ndarray:
        """Delay of each synapse in storage order [s]."""
        d = self._csr.delay
        dt = self.post.population.network.dt
        if isinstance(d, np.ndarray):
            return d.astype(np.float64) * dt
        return np.full(self.n_synapses, float(d) * dt)

    @property
    def homogeneous_weight(self) -> bool:
        """True when all synapses share one weight (stored once)."""
        return not isinstance(self._csr.weight, np.ndarray)

    @property
    def homogeneous_delay(self) -> bool:
        """True when all synapses share one delay (stored once)."""
        return not isinstance(self._csr.delay, np.ndarray)

    def in_degrees(self) -> np.ndarray:
        """Number of synapses onto each local target neuron of ``post``."""
        pop = self.post.population
        counts = np.bincount(self._csr.indices, minlength=pop.n_local)
        lo = int(np.searchsorted(pop.local_index, self.post.start))
        return counts[lo : lo + self.post.n_local]

    def out_degrees(self) -> np.ndarray:
        """Number of synapses (held here) leaving each source neuron."""
        return np.diff(self._csr.indptr)
