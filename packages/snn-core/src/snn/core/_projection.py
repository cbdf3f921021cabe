"""Projections: the synapses from one population onto one receptor of another."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from snn.core._connectivity import CSR, DelayRuns
from snn.core._plastic import csc_by_target, plastic_module
from snn.core._synapse import SynapseModel
from snn.core.errors import ConfigurationError

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

    synapse: SynapseModel | None = None
    #: step at which the projection was made: spikes emitted before it are not delivered
    _born: int = 0

    @property
    def _arrival(self) -> bool:
        """Whether the loop delivers this projection at arrival time (rows ordered by delay)."""
        return isinstance(self._csr.delay, DelayRuns)

    def _attach(self, synapse: SynapseModel, fdt: np.dtype) -> None:
        """Make the synapses stateful: per-synapse state from the model's initial values."""
        self.synapse = synapse
        n = self.n_synapses
        init = synapse.initial_synapse_state()
        self._syn_state = {}
        for v in synapse.synapse_vars:
            dtype = (np.int64 if fdt.itemsize == 8 else np.int32) if v.dtype == "int" else fdt
            self._syn_state[v.name] = np.full(n, init.get(v.name, 0), dtype=dtype)
        self._src = None
        self._tgt = None
        self._tgt_hist = None
        self._csc = None

    def _prepare(self, dt: float, slice_len: int, n_blocks: int, fdt: np.dtype) -> None:
        """Traces, history and post-side index for the loop's layout (kept when unchanged)."""
        model = self.synapse
        assert model is not None
        consts = {}
        for name, value in model.constants(dt).items():
            if isinstance(value, int | np.integer) and not isinstance(value, bool):
                consts[name] = (np.int64 if fdt.itemsize == 8 else np.int32)(value)
            else:
                consts[name] = fdt.type(value)
        self._consts = consts
        homogeneous = not isinstance(self._csr.delay, np.ndarray)
        self._module = plastic_module(model, consts, homogeneous)
        n_src, n_tgt = len(model.source_traces), len(model.target_traces)
        self._src_decay = np.array(
            [np.exp(-dt / model.trace_tau(t)) for t in model.source_traces], dtype=fdt
        )
        self._tgt_decay = np.array(
            [np.exp(-dt / model.trace_tau(t)) for t in model.target_traces], dtype=fdt
        )
        shape = (n_blocks, n_src, self.pre.size)
        if self._src is None:
            self._src = np.zeros(shape, dtype=fdt)
        elif self._src.shape != shape:
            # every block holds the same copy: widen or narrow from block 0
            self._src = np.ascontiguousarray(np.broadcast_to(self._src[:1], shape))
        n_post = self.post.population.n_local
        if self._tgt is None:
            self._tgt = np.zeros((n_tgt, n_post), dtype=fdt)
        size = 1 << math.ceil(math.log2(2 * slice_len + self._csr.max_delay() + 2))
        if self._tgt_hist is None or self._tgt_hist.shape[1] != size:
            self._tgt_hist = np.zeros((n_tgt, size, n_post), dtype=fdt)
        if self._csc is None and model.on_post_function() is not None:
            n = self.n_synapses
            itype = np.uint32 if n < 2**32 and self.pre.size < 2**32 else np.uint64
            ptr = np.zeros(n_post + 1, dtype=np.int64)
            syn = np.zeros(n, dtype=itype)
            src = np.zeros(n, dtype=itype)
            delay = self._csr.delay if not homogeneous else np.zeros(0, dtype=np.uint16)
            csc_by_target(self._csr.indptr, self._csr.indices, delay, n_post, ptr, syn, src)
            self._csc = {"ptr": ptr, "syn": syn, "src": src}
        elif self._csc is None:
            empty = np.zeros(0, dtype=np.uint32)
            self._csc = {"ptr": np.zeros(n_post + 1, dtype=np.int64), "syn": empty, "src": empty}

    def synapse_state(self, name: str) -> np.ndarray:
        """A copy of synapse variable ``name`` of a stateful projection, in storage order."""
        if self.synapse is None or name not in self._syn_state:
            have = [] if self.synapse is None else list(self._syn_state)
            raise ConfigurationError(
                f"projection {self.name!r} has no synapse variable {name!r}; it has {have}."
            )
        return self._syn_state[name].copy()

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
        d = self._csr.delays()
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
        return not isinstance(self._csr.delay, np.ndarray | DelayRuns)

    def in_degrees(self) -> np.ndarray:
        """Number of synapses onto each local target neuron of ``post``."""
        pop = self.post.population
        counts = np.bincount(self._csr.indices, minlength=pop.n_local)
        lo = int(np.searchsorted(pop.local_index, self.post.start))
        return counts[lo : lo + self.post.n_local]

    def out_degrees(self) -> np.ndarray:
        """Number of synapses (held here) leaving each source neuron."""
        return np.diff(self._csr.indptr)
