"""New weights, delays and per-synapse parameters for existing synapses (``Projection.set``).

Weights and delays given as a :class:`~snn.core.random.Distribution` are drawn as
``Network.connect`` draws them for rules that generate the sources of each target (all rules
but fixed out-degree and explicit lists): keyed by the projection and counted by the target's
index (relative to the target view) and the synapse's rank among the target's synapses
(sources ascending). A projection made by such a rule with ``weight=dist`` and one whose weights
are set to ``dist`` later hold the same values.

Delays decide how a static projection is delivered (``README.md``, arrival-time delivery): a
new set of delays is laid out as a fresh projection with them would be, rows back in target
order first, then ordered by delay again when arrival delivery pays. Between runs, inputs in
flight keep the delays they were sent with: those of an arrival-delivered projection, still
in its source's spike history, are moved into the ring buffers before its delays change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._connectivity import DelayRuns, nearest_steps
from snn.core._delivery import RUNS_CAPACITY, arrival_block_table, arrival_deliver_block
from snn.core._jit import kernel
from snn.core._magnitudes import warn_magnitude
from snn.core._quanta import to_floats
from snn.core.errors import ConfigurationError
from snn.core.random import (
    Distribution,
    derive_key,
    dist_sample,
    rounding_tables,
    table_sample,
)

if TYPE_CHECKING:
    from snn.core._network import Network
    from snn.core._projection import Projection

__all__ = [
    "canonical_order",
    "delay_steps",
    "draw_delays",
    "draw_parameter",
    "draw_weights",
    "flush_in_flight",
    "storage_kind",
    "target_ranks",
]

#: largest delay [steps] of a per-synapse delay array (uint16)
U16_MAX = 65535


def storage_kind(value: Any) -> str:
    """How a weight or delay is stored: ``"scalar"``, ``"array"`` or ``"runs"`` (DelayRuns).

    The loop's code depends on it: changing it is structural.
    """
    if isinstance(value, DelayRuns):
        return "runs"
    return "array" if isinstance(value, np.ndarray) else "scalar"


@kernel
def _fill_pairs(spec, k0, k1, a, b, out):  # pragma: no cover - compiled
    """``out[k] = sample(counter=(a[k], b[k]))`` of the distribution encoded in ``spec``."""
    for k in range(out.shape[0]):
        out[k] = dist_sample(spec, k0, k1, a[k], b[k])


@kernel
def _table_pairs(cdf, guide, k0, k1, a, b, out):  # pragma: no cover - compiled
    """``out[k] = table_sample(counter=(a[k], b[k]))`` (delays in steps, see rounding_tables)."""
    for k in range(out.shape[0]):
        out[k] = table_sample(cdf, guide, k0, k1, a[k], b[k])


def target_ranks(proj: Projection) -> tuple[np.ndarray, np.ndarray]:
    """Counters of the synapses' keyed draws: target index in the view and rank among its inputs."""
    n = proj.n_synapses
    target = proj.targets() - proj.post.start
    order = np.lexsort((np.arange(n), proj.sources(), target))
    sorted_t = target[order]
    first = np.ones(n, dtype=bool)
    first[1:] = sorted_t[1:] != sorted_t[:-1]
    starts = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - starts
    return np.ascontiguousarray(target, dtype=np.int64), rank


def draw_weights(proj: Projection, dist: Distribution, sel: np.ndarray | slice) -> np.ndarray:
    """Weights of the selected synapses drawn as ``connect(weight=dist)`` draws them."""
    net = proj.post.population.network
    j, q = (c[sel] for c in target_ranks(proj))
    key = derive_key(net.seed, "projection", proj.index, "weight")
    out = np.empty(j.shape[0], dtype=np.float64)
    _fill_pairs(dist.spec(), key[0], key[1], j, q, out)
    return out


def draw_parameter(
    proj: Projection, name: str, dist: Distribution, sel: np.ndarray | slice
) -> np.ndarray:
    """Values of synapse-model parameter ``name`` drawn for the selected synapses.

    Keyed by the projection and the name, counted as :func:`draw_weights` counts: the values
    ``connect`` draws for a model holding ``dist`` and those ``Projection.set`` draws are the
    same.
    """
    net = proj.post.population.network
    j, q = (c[sel] for c in target_ranks(proj))
    key = derive_key(net.seed, "projection", proj.index, "parameter", name)
    out = np.empty(j.shape[0], dtype=np.float64)
    _fill_pairs(dist.spec(), key[0], key[1], j, q, out)
    return out


def draw_delays(proj: Projection, dist: Distribution, sel: np.ndarray | slice) -> np.ndarray:
    """Delays [steps] of the selected synapses drawn as ``connect(delay=dist)`` draws them."""
    net = proj.post.population.network
    j, q = (c[sel] for c in target_ranks(proj))
    key = derive_key(net.seed, "projection", proj.index, "delay")
    cdf, guide = rounding_tables(dist, 1.0 / net.dt, U16_MAX)
    out = np.empty(j.shape[0], dtype=np.float64)
    _table_pairs(cdf, guide, key[0], key[1], j, q, out)
    return np.rint(out)


def canonical_order(proj: Projection) -> np.ndarray:
    """Permutation putting each row back in target order (stable), as it was built."""
    indptr = proj._csr.indptr
    rows = np.repeat(np.arange(indptr.shape[0] - 1), np.diff(indptr))
    return np.lexsort((np.arange(rows.shape[0]), proj._csr.indices, rows))


def flush_in_flight(net: Network, proj: Projection) -> None:
    """Move the inputs of an arrival-delivered projection still in flight into ring buffers.

    Spikes emitted before the current step that have not arrived yet sit in the source's spike
    history; they are added into the target's ring buffer at their arrival slots (with the
    delays they were sent with), and the projection then delivers only spikes emitted from now
    on (``_born``), whatever its new delays.
    """
    step = net.step
    csr = proj._csr
    assert isinstance(csr.delay, DelayRuns)
    pre = proj.pre.population
    if step == 0 or pre._arr_ids is None or proj.n_synapses == 0:
        proj._born = step
        return
    post = proj.post.population
    # the inputs go in as floats (an arrival-time projection's ring counts nothing, 0025)
    to_floats(net, post, proj.receptor)
    ring = post.rings[proj.receptor]
    longest = csr.delay.last
    if ring.shape[0] <= longest:
        # the ring of a target fed only at arrival holds one slice; make room for the flight
        from snn.core._layout import carry_rows

        size = 1 << int(np.ceil(np.log2(longest + 1)))
        bigger = np.zeros((size, ring.shape[1]), dtype=ring.dtype)
        carry_rows(ring, bigger, step, past=False)
        ring = post.rings[proj.receptor] = bigger
        net._relayout()
    ids = pre._arr_ids
    hmask = np.uint64(ids.shape[0] - 1)
    first = csr.delay.first
    bounds = np.array([0, post.n_local], dtype=np.int64)
    n_d = csr.delay.offsets.shape[1] - 1
    table = np.empty(
        (proj.pre.size, n_d + 1), dtype=np.uint32 if proj.n_synapses < 2**32 else np.uint64
    )
    arrival_block_table(csr.indptr, csr.indices, csr.delay.offsets, bounds, table)
    runs = np.zeros((RUNS_CAPACITY, 2), dtype=np.uint64)
    weight = csr.weight if isinstance(csr.weight, np.ndarray) else ring.dtype.type(csr.weight)
    for t in range(step, step + longest):
        # the emission steps read for arrival step t map to distinct history rows; those from
        # the current step on are not emitted yet (their rows hold older steps): no spikes
        counts = pre._arr_cnt.copy()
        for p in range(max(step, t - longest), t - first + 1):
            counts[p & int(hmask)] = 0
        arrival_deliver_block(
            np.int64(t),
            np.int64(proj._born),
            ids,
            counts,
            hmask,
            np.int64(proj.pre.start),
            np.int64(proj.pre.stop),
            np.int64(first),
            table,
            1,
            0,
            csr.indices,
            weight,
            ring,
            np.uint64(ring.shape[0] - 1),
            runs,
        )
    proj._born = step


def delay_steps(net: Network, value: Any, name: str = "delay") -> np.ndarray:
    """Delays [s] as whole steps, refusing NaN, less than a step and more than uint16 holds."""
    arr = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ConfigurationError(f"`{name}` contains NaN or inf.")
    with np.errstate(over="ignore"):
        # a delay near the float maximum over dt is inf steps, refused below as too long
        steps = nearest_steps(arr / net.dt)
    if np.any(steps < 1):
        bad = float(arr.ravel()[np.flatnonzero(steps.ravel() < 1)[0]])
        raise ConfigurationError(
            f"`{name}` must be at least one time step ({net.dt} s), got {bad!r} s."
        )
    if np.any(steps > U16_MAX):
        raise ConfigurationError(
            f"`{name}` above {U16_MAX} steps ({U16_MAX * net.dt:.4g} s) cannot be stored per "
            f"synapse; the largest given is {float(arr.max())!r} s."
        )
    warn_magnitude(name, arr, "delay")
    if np.any(np.abs(arr / net.dt - steps) > 1e-6):
        net._warn_delay_rounding()
    return steps
