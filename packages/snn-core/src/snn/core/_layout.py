"""The loop's arrays: ring buffers, slice buffers, spike histories, thread blocks.

The generated loop (``_loop.py``) depends on the network's *structure*; the arrays it is called
with depend on the structure and on a few values: the delays decide the ring sizes, the slice
length (the smallest delay) and the lengths of spike histories. :func:`lay_out` (re)makes them
for the current structure and values, keeping everything in flight: inputs in ring buffers
and past spikes in histories are moved to their new places when a buffer grows or shrinks, so
a change of delays between runs needs a new layout but no new loop.

Circular buffers hold absolute step ``a`` in row ``a & (rows - 1)``: ring buffers the inputs of
the coming steps, spike and trace histories those of the past steps (see ``README.md``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from snn.core._coupling import has_spike_rules, is_coupling, lay_out_couplings, slice_steps
from snn.core._deferred import is_deferred, settle_pending
from snn.core._delivery import RUNS_CAPACITY, arrival_block_table, csr_block_split
from snn.core._loop import PHASES
from snn.core._memory import require_memory
from snn.core._model import NeuronModel
from snn.core._monitors import StateMonitor, WeightMonitor
from snn.core._quanta import prepare_ring

if TYPE_CHECKING:
    from snn.core._network import Network
    from snn.core._population import Population

__all__ = ["block_bounds", "carry_rows", "choose_blocks", "lay_out"]


def block_bounds(n: int, blocks: int) -> np.ndarray:
    """Bounds of ``blocks`` near-equal blocks of ``n`` neurons, inner bounds multiples of 8."""
    raw = np.linspace(0, n, blocks + 1)
    bounds = (np.rint(raw / 8) * 8).astype(np.int64)
    bounds[0], bounds[-1] = 0, n
    return np.minimum(np.maximum.accumulate(bounds), n)


def carry_rows(old: np.ndarray, new: np.ndarray, step: int, *, past: bool, axis: int = 0) -> None:
    """Copy the rows of a circular buffer that are still needed into a resized one.

    ``past``: the rows of the steps before ``step`` (histories); else those from ``step`` on
    (ring buffers). As many steps as the smaller buffer holds are copied.
    """
    n_old, n_new = old.shape[axis], new.shape[axis]
    n = min(n_old, n_new)
    steps = range(max(0, step - n), step) if past else range(step, step + n)
    for a in steps:
        dst = [slice(None)] * new.ndim
        src = [slice(None)] * old.ndim
        dst[axis] = a & (n_new - 1)
        src[axis] = a & (n_old - 1)
        new[tuple(dst)] = old[tuple(src)]


def choose_blocks(net: Network) -> None:
    """Slice length, and one block per thread when threads can pay, else one serial block.

    The number of blocks is chosen when the structure changes; the slice length (the smallest
    delay) whenever the layout does. A parallel pass costs about 10 microseconds to open here,
    once per slice. It is worth it when a slice holds enough work: at least 20,000 neuron
    updates per thread (a one-step slice of the full-scale microcircuit, 77,169 neurons,
    qualifies).
    """
    if net._sliced_version == net._layout_version:
        return
    # Without synapses nothing couples populations; 64 steps keeps the spike buffers small.
    slice_len = slice_steps(net, net.min_delay())
    net._slice = slice_len
    net._sliced_version = net._layout_version
    if net._blocks_version == net._structure_version:
        return
    work = slice_len * sum(p.n_local for p in net.populations)
    parallel = net.threads > 1 and work >= 20_000 * net.threads
    if net._parallel_choice is not None:
        parallel = net._parallel_choice and net.threads > 1
    net._parallel = parallel
    net._n_blocks = net.threads if parallel else 1
    net._blocks_version = net._structure_version


def lay_out(net: Network) -> None:
    """Make every array of the loop for the current structure and values (see the module)."""
    # arrivals pending are applied with the layout they were made for
    settle_pending(net)
    choose_blocks(net)
    n_blocks = net._n_blocks
    slice_len = net._slice
    for pop in net.populations:
        # projections delivered at arrival time write only the slots of the current slice
        max_d = max(
            (
                q._csr.max_delay()
                for q in net.projections
                if q.post.population is pop and not q._arrival
            ),
            default=0,
        )
        n_slots = 1 << max(0, math.ceil(math.log2(max(max_d + 1, slice_len))))
        # never shrink: inputs may be in flight
        n_slots = max([n_slots, *(r.shape[0] for r in pop.rings.values())])
        blocks = n_blocks if isinstance(pop.model, NeuronModel) else 1
        if isinstance(pop.model, NeuronModel):
            for rec in net._active_receptors(pop):
                old, dtype = prepare_ring(net, pop, rec)
                pop.rings[rec] = _resize_ring(net, old, n_slots, pop, dtype)
        pop._ring_mask = n_slots - 1
        pop._bounds = block_bounds(pop.n_local, blocks)
        padded = 8 * ((pop.n_local + 7) // 8)
        pop._flags = np.zeros(padded, dtype=np.bool_)
        pop._words = pop._flags.view(np.uint64)
        require_memory(
            f"the slice spike buffers of population {pop.name!r} ({slice_len} steps)",
            8 * slice_len * pop.n_local,
        )
        pop._spk = np.zeros((2, max(1, slice_len * pop.n_local)), dtype=np.int32)
        pop._off = np.zeros((2, blocks, slice_len + 1), dtype=np.int64)
        _lay_out_history(net, pop)
    for proj in net.projections:
        indptr = proj._csr.indptr
        if proj._arrival:
            offsets = proj._csr.delay.offsets
            n_d = offsets.shape[1] - 1
            dtype = np.uint32 if proj.n_synapses < 2**32 else np.uint64
            table = np.empty((proj.pre.size, n_d * n_blocks + 1), dtype=dtype)
            bounds = proj.post.population._bounds
            arrival_block_table(indptr, proj._csr.indices, offsets, bounds, table)
            proj._split = table
            continue
        if n_blocks == 1:
            # one block: the split is the row pointer itself (no kernel to compile)
            proj._split = np.stack([indptr[:-1], indptr[1:]])
            continue
        split = np.empty((n_blocks + 1, proj.pre.size), dtype=np.int64)
        csr_block_split(indptr, proj._csr.indices, proj.post.population._bounds, split)
        proj._split = split
    _lay_out_plastic(net, slice_len, n_blocks)
    lay_out_couplings(net)
    for mon in net._monitors:
        if isinstance(mon, WeightMonitor):
            mon._layout()
        elif isinstance(mon, StateMonitor):
            mon._split = np.searchsorted(mon.local, mon.population._bounds).astype(np.int64)
    if net.comm.active:
        for pop in net.populations:
            pop._rspk = np.zeros(max(1, slice_len * pop.size), dtype=np.int32)
            pop._roff = np.zeros((1, slice_len + 1), dtype=np.int64)
            pop._rbounds = np.array([0, pop.size], dtype=np.int64)
        net._send = np.zeros(
            max(1, slice_len * sum(p.n_local for p in net.populations)), dtype=np.int32
        )
    if net._nan_at.shape[0] != n_blocks:
        net._nan_at = np.full((n_blocks, 2), -1, dtype=np.int64)
    net._runs = np.zeros((n_blocks, RUNS_CAPACITY, 2), dtype=np.uint64)
    if net._profile_cycles.shape[0] != n_blocks:
        net._add_phase_times()  # (within a profiled run: what the old blocks counted)
        net._profile_cycles = np.zeros((n_blocks, len(PHASES)), dtype=np.uint64)
    net._laid_out_version = net._layout_version


def _resize_ring(
    net: Network, old: np.ndarray | None, n_slots: int, pop: Population, dtype: np.dtype
) -> np.ndarray:
    if old is not None and old.shape[0] == n_slots:
        return old
    require_memory(
        f"the ring buffer of population {pop.name!r} ({n_slots} slots)",
        n_slots * pop.n_local * dtype.itemsize,
    )
    new = np.zeros((n_slots, pop.n_local), dtype=dtype)
    if old is not None and old.shape[0]:
        carry_rows(old, new, net.step, past=False)
    return new


def _lay_out_plastic(net: Network, slice_len: int, n_blocks: int) -> None:
    """Traces, histories and post-side indices of stateful projections.

    Kept when their shape does not change, so adding a monitor forgets nothing; a history
    resized by new delays keeps the steps it still needs.
    """
    history: dict[int, int] = {}
    for proj in net.projections:
        if proj.synapse is None or (is_coupling(proj) and not has_spike_rules(proj)):
            continue
        post = proj.post.population
        need = 2 * slice_len + proj._csr.max_delay() + 2
        history[post.index] = max(history.get(post.index, 0), need)
        proj._prepare(net.step, slice_len, n_blocks, net.float_dtype, is_deferred(net, proj))
    for pop in net.populations:
        wants = any(
            q.synapse is not None
            and q.post.population is pop
            and q.synapse.on_post_function() is not None
            for q in net.projections
        )
        if not wants:
            pop._hist_ids = None
            continue
        size = 1 << math.ceil(math.log2(history[pop.index]))
        old_ids, old_cnt = getattr(pop, "_hist_ids", None), getattr(pop, "_hist_cnt", None)
        old_bounds = getattr(pop, "_hist_bounds", None)
        if (
            old_ids is not None
            and old_ids.shape[0] == size
            and np.array_equal(old_bounds, pop._bounds)
        ):
            continue
        require_memory(
            f"the spike history of population {pop.name!r} ({size} steps)",
            4 * size * pop.n_local,
        )
        pop._hist_ids = np.zeros((size, max(1, pop.n_local)), dtype=np.int32)
        pop._hist_cnt = np.zeros((size, len(pop._bounds) - 1), dtype=np.int64)
        if old_ids is not None:
            _carry_history(pop, old_ids, old_cnt, old_bounds, net.step)
        pop._hist_bounds = pop._bounds


def _carry_history(
    pop: Population, ids: np.ndarray, cnt: np.ndarray, bounds: np.ndarray, step: int
) -> None:
    """Copy the steps still held in a spike history into ``pop``'s new one.

    Each row holds block ``b``'s spikes from column ``bounds[b]`` on; when the blocks change
    (another thread count), a row's spikes are dealt out again by the new bounds.
    """
    new_ids, new_cnt, new_bounds = pop._hist_ids, pop._hist_cnt, pop._bounds
    n = min(ids.shape[0], new_ids.shape[0])
    for a in range(max(0, step - n), step):
        src, dst = a & (ids.shape[0] - 1), a & (new_ids.shape[0] - 1)
        row = np.concatenate(
            [ids[src, bounds[b] : bounds[b] + cnt[src, b]] for b in range(len(bounds) - 1)]
        )
        cuts = np.searchsorted(row, new_bounds)
        for b in range(len(new_bounds) - 1):
            part = row[cuts[b] : cuts[b + 1]]
            new_ids[dst, new_bounds[b] : new_bounds[b] + part.size] = part
            new_cnt[dst, b] = part.size


def _lay_out_history(net: Network, pop: Population) -> None:
    """The spike history that projections delivered at arrival time read from ``pop``.

    ``pop._arr_ids[step & mask, :n]`` are the population indices (all ranks) of the ``n =
    pop._arr_cnt[step & mask]`` neurons that spiked at ``step``; the rows cover more steps
    than the longest such delay. Kept, with the steps it holds, when it grows.
    """
    feeds = [q for q in net.projections if q._arrival and q.pre.population is pop]
    longest = max((q._csr.max_delay() for q in feeds), default=0)
    old = getattr(pop, "_arr_ids", None)
    if longest == 0:
        pop._arr_ids = pop._arr_cnt = None
        return
    size = 1 << math.ceil(math.log2(longest + 1))
    if old is not None and old.shape[0] >= size:
        return
    require_memory(
        f"the spike history of population {pop.name!r} ({size} steps)",
        size * pop.size * 4,
    )
    ids = np.zeros((size, max(1, pop.size)), dtype=np.int32)
    cnt = np.zeros(size, dtype=np.int64)
    if old is not None:
        carry_rows(old, ids, net.step, past=True)
        carry_rows(pop._arr_cnt, cnt, net.step, past=True)
    pop._arr_ids, pop._arr_cnt = ids, cnt
