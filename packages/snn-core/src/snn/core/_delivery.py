"""Spike delivery, spike gathering and the split of synapse rows over thread blocks.

A projection's synapses are stored in CSR order by presynaptic neuron (see ``README.md`` in this
folder), each row sorted by target. When the target population is divided into blocks (one per
thread), the synapses of row ``i`` onto block ``b`` are the contiguous range
``split[b, i]:split[b + 1, i]`` of that row, so each thread delivers into its own targets without
locks, and every target receives its inputs in the same order whatever the number of blocks.
Weight and delay are a scalar when homogeneous over the projection and an array (one value per
synapse) otherwise; one kernel serves all four combinations through :func:`at`, which numba
resolves at compile time.

Static projections with per-synapse delays are delivered at arrival time instead
(:func:`arrival_deliver_block`): their rows are ordered by delay (:func:`order_rows_by_delay`),
the source population keeps the indices of its last spikes (:func:`history_store`), and at each
step every delay's run of every source that spiked that many steps before is added into the
current step's slot only, so the writes stay in a buffer of one step's inputs instead of being
scattered over the whole ring.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.core import types
from numba.cpython.unsafe.numbers import trailing_zeros
from numba.extending import overload

from snn.core._cycles import prefetch
from snn.core._jit import kernel

#: how many spikes ahead the delivery prefetches synapse rows
PREFETCH_AHEAD = np.uint64(2)
#: how many runs ahead arrival delivery prefetches a run's synapses
RUNS_AHEAD = 4
#: runs listed per block before they are added (scratch rows of ``Network._runs``)
RUNS_CAPACITY = 4096


def at(values, k):  # pragma: no cover - replaced by the overload in compiled code
    """``values[k]`` for an array, ``values`` itself for a scalar."""
    return values[k] if isinstance(values, np.ndarray) else values


@overload(at, inline="always")
def _at_overload(values, k):
    if isinstance(values, types.Array):
        return lambda values, k: values[k]
    return lambda values, k: values


def prefetch_at(values, k):  # pragma: no cover - replaced by the overload in compiled code
    """Prefetch ``values[k]`` for an array; nothing for a scalar."""


@overload(prefetch_at, inline="always")
def _prefetch_at_overload(values, k):
    if isinstance(values, types.Array):
        return lambda values, k: prefetch(values, k)
    return lambda values, k: None


@kernel
def csr_deliver(spikes, lo, hi, step, indptr, indices, weight, delay, ring):  # pragma: no cover
    """Add the weights of the synapses of ``spikes[lo:hi]`` (emitted at ``step``) into ``ring``.

    Parameters
    ----------
    spikes : int32[:]
        Population indices of the presynaptic neurons that spiked, ascending.
    lo, hi : int
        Range of ``spikes`` emitted at ``step``.
    step : int64
        Emission step.
    indptr : int64[n_pre + 1]
        CSR row pointer.
    indices : uint16[:] or uint32[:]
        Local target index of each synapse (ascending within a row).
    weight : float or float[n_syn]
        Weight [unit of the receptor].
    delay : int or uint16[n_syn]
        Delay [steps], >= 1; the input is read by the target during step ``step + delay``.
    ring : float[n_slots, n_post]
        The receptor's ring buffer; ``n_slots`` is a power of two larger than every delay.

    Notes
    -----
    Mutates ``ring``. Used by tests and tools; the event loop uses :func:`csr_deliver_block`.
    """
    mask = ring.shape[0] - 1
    for q in range(lo, hi):
        i = spikes[q]
        for k in range(indptr[i], indptr[i + 1]):
            ring[(step + at(delay, k)) & mask, indices[k]] += at(weight, k)


@kernel
def csr_deliver_block(
    spikes,
    offsets,
    bounds,
    stride,
    s,
    step,
    pre_start,
    pre_stop,
    split,
    b,
    indices,
    weight,
    delay,
    ring,
):  # pragma: no cover - compiled
    """Deliver the spikes of slice step ``s`` into the targets of block ``b``.

    ``spikes``/``offsets``/``bounds`` are the presynaptic population's slice buffer: the spikes of
    its block ``bb`` at slice step ``s`` are ``spikes[stride * bounds[bb] + offsets[bb, s] :
    stride * bounds[bb] + offsets[bb, s + 1]]``; blocks are visited in order, so sources come in
    ascending order. Only sources in ``[pre_start, pre_stop)`` (a view of the population) have
    synapses here, in row ``i - pre_start``; ``split[b, r]:split[b + 1, r]`` are row ``r``'s
    synapses onto block ``b``.
    """
    # Unsigned indices throughout: no negative-index wrap-around code in the inner loop. The rows
    # of the spikes PREFETCH_AHEAD places ahead are prefetched, one cache line in 32 entries
    # (measured on full Brunel: 2.6 -> 1.8 ns per event; rows are read in random order).
    mask = np.uint64(ring.shape[0] - 1)
    ustep = np.uint64(step)
    line = np.uint64(32)
    for bb in range(offsets.shape[0]):
        base = stride * bounds[bb]
        first = np.uint64(base + offsets[bb, s])
        end = np.uint64(base + offsets[bb, s + 1])
        for q in range(first, end):
            if q + PREFETCH_AHEAD < end:
                nxt = spikes[q + PREFETCH_AHEAD]
                if pre_start <= nxt < pre_stop:
                    r = np.uint64(nxt - pre_start)
                    for k in range(np.uint64(split[b, r]), np.uint64(split[b + 1, r]), line):
                        prefetch(indices, k)
            i = spikes[q]
            if i < pre_start or i >= pre_stop:
                continue
            r = np.uint64(i - pre_start)
            for k in range(np.uint64(split[b, r]), np.uint64(split[b + 1, r])):
                ring[(ustep + np.uint64(at(delay, k))) & mask, indices[k]] += at(weight, k)


@kernel(inline="always")
def any_spikes(offsets, s):  # pragma: no cover - compiled
    """Whether any block of a slice buffer holds spikes at slice step ``s``.

    The loop tests it before delivering a projection: most steps of a sparse network have no
    spike of a given population, and skipping the call skips fetching its arrays.
    """
    for bb in range(offsets.shape[0]):  # noqa: SIM110 - a plain loop compiles to a plain loop
        if offsets[bb, s + 1] > offsets[bb, s]:
            return True
    return False


@kernel
def spikes_gather(flags, words, lo, hi, out, offset):  # pragma: no cover - compiled
    """Write the indices ``i`` in ``[lo, hi)`` with ``flags[i]`` set into ``out[offset:]``.

    ``flags`` is a bool array padded with zeros to a multiple of 8 entries and ``words`` its
    ``uint64`` view; ``lo`` is a multiple of 8. Spikes are rare, so 32 flags are tested at once
    (four words OR-ed) before looking closer (0.44 instead of 1.1 us for 4000 neurons with 21
    spikes), and the set flags of a word are found by counting its trailing zero bits, one per
    spike, instead of testing its 8 bytes (another 1.8x: 1.15 instead of 2.1 us for 21 spikes
    among 4000 flags on a loaded machine, 0.62 instead of 0.87 us for 8). Indices come out in
    ascending order. Returns how many were written; an empty range writes none (an empty last
    block of a small population starts at the population's size, not a multiple of 8).
    """
    if hi <= lo:
        return 0
    n = offset
    one = np.uint64(1)
    four = np.uint64(4)
    w = np.uint64(lo // 8)
    full = np.uint64(hi // 8)
    while w + four <= full:
        if (words[w] | words[w + one] | words[w + np.uint64(2)] | words[w + np.uint64(3)]) != 0:
            for k in range(w, w + four):
                n = _word_spikes(words[k], np.uint64(8) * k, np.uint64(hi), out, n)
        w += four
    end = np.uint64((hi + 7) // 8)
    while w < end:
        n = _word_spikes(words[w], np.uint64(8) * w, np.uint64(hi), out, n)
        w += one
    return n - offset


@kernel(inline="always")
def _word_spikes(x, base, hi, out, n):  # pragma: no cover - compiled
    """Append ``base + j`` for each set byte ``j`` of flag word ``x`` below ``hi``; new ``n``."""
    while x != 0:
        j = base + (trailing_zeros(x) >> np.uint64(3))  # flag bytes hold 0 or 1
        if j < hi:
            out[n] = j
            n += 1
        x &= x - np.uint64(1)
    return n


@kernel
def csr_block_split(indptr, indices, bounds, split):  # pragma: no cover - compiled
    """Fill ``split[b, i]`` with the first synapse of row ``i`` whose target is >= ``bounds[b]``.

    ``split`` has shape ``(len(bounds), n_pre)``; ``bounds[0]`` is 0 and the last bound is the
    number of targets, so ``split[0] = indptr[:-1]`` and ``split[-1] = indptr[1:]``.
    """
    n_b = bounds.shape[0]
    for i in range(indptr.shape[0] - 1):
        k = indptr[i]
        end = indptr[i + 1]
        for b in range(n_b):
            while k < end and indices[k] < bounds[b]:
                k += 1
            split[b, i] = k
        split[n_b - 1, i] = end


@kernel(parallel=True)
def order_rows_by_delay(indptr, indices, weight, delay, first, offsets):  # pragma: no cover
    """Stably reorder each CSR row by delay and write the runs' row-relative starts.

    ``weight`` is the per-synapse weight array or an empty array (homogeneous weight), reordered
    with the indices; ``delay`` is read, not reordered. ``offsets[r, j]`` becomes the start of
    delay ``first + j`` in row ``r`` and ``offsets[r, -1]`` the row's length. Rows are
    independent, run in parallel.
    """
    n_d = offsets.shape[1] - 1
    has_w = weight.shape[0] > 0
    for r in numba.prange(indptr.shape[0] - 1):
        a = indptr[r]
        n = indptr[r + 1] - a
        pos = np.zeros(n_d + 1, dtype=np.int64)
        for k in range(a, a + n):
            pos[delay[k] - first + 1] += 1
        for j in range(n_d):
            pos[j + 1] += pos[j]
        for j in range(n_d + 1):
            offsets[r, j] = pos[j]
        tmp_i = np.empty(n, dtype=indices.dtype)
        tmp_w = np.empty(n if has_w else 0, dtype=weight.dtype)
        for k in range(a, a + n):
            j = delay[k] - first
            at_ = pos[j]
            pos[j] = at_ + 1
            tmp_i[at_] = indices[k]
            if has_w:
                tmp_w[at_] = weight[k]
        indices[a : a + n] = tmp_i
        if has_w:
            weight[a : a + n] = tmp_w


@kernel
def arrival_block_table(indptr, indices, offsets, bounds, table):  # pragma: no cover - compiled
    """Split every delay run of every row at the target blocks' ``bounds``, as absolute offsets.

    ``table`` has shape ``(n_pre, n_delays * n_blocks + 1)``: ``table[r, j * n_blocks + b]`` is
    the position (in the projection's synapse arrays) of the first synapse of delay run ``j``
    of row ``r`` onto block ``b``; the entry after it is their end, and the last entry is the
    row's end.
    """
    n_b = bounds.shape[0] - 1
    n_d = offsets.shape[1] - 1
    for r in range(indptr.shape[0] - 1):
        base = indptr[r]
        for j in range(n_d):
            k = base + np.int64(offsets[r, j])
            end = base + np.int64(offsets[r, j + 1])
            for b in range(n_b):
                while k < end and indices[k] < bounds[b]:
                    k += 1
                table[r, j * n_b + b] = k
        table[r, n_d * n_b] = indptr[r + 1]


@kernel
def history_store(spikes, offsets, bounds, stride, s, step, ids, counts, hmask):  # pragma: no cover
    """Copy the spikes of slice step ``s`` (emitted at ``step``) into a spike history.

    The slice buffer is read as in :func:`csr_deliver_block` (blocks in order, so indices come
    ascending); they go to row ``step & hmask`` of ``ids``, their number to ``counts``.
    """
    hs = np.uint64(step) & hmask
    n = 0
    for bb in range(offsets.shape[0]):
        base = stride * bounds[bb]
        for q in range(base + offsets[bb, s], base + offsets[bb, s + 1]):
            ids[hs, n] = spikes[q]
            n += 1
    counts[hs] = n


@kernel
def arrival_deliver_block(
    step,
    born,
    ids,
    counts,
    hmask,
    pre_start,
    pre_stop,
    first,
    table,
    n_b,
    b,
    indices,
    weight,
    ring,
    rmask,
    runs,
):  # pragma: no cover - compiled
    """Add the inputs arriving at ``step`` through one projection into block ``b``'s targets.

    For every delay ``d`` of the projection, from the longest to the shortest (so emission
    steps ascend), the sources that spiked at ``step - d`` (history rows ``ids``/``counts``,
    ascending) add their run of delay ``d`` onto block ``b`` (of ``n_b``) into ring slot
    ``step & rmask``. Spikes emitted before step ``born`` (when the projection was made) are not
    delivered. ``table`` is :func:`arrival_block_table`'s.

    The runs are first listed in ``runs`` (scratch, ``(capacity, 2)``; a full list is added and
    emptied), then added, prefetching a few runs ahead: runs hold about 10 synapses on the
    microcircuit, and listing them first lets the table reads overlap (7.8 instead of 10.8 ns
    per synapse in a stand-alone test on microcircuit-sized rows, 1 thread).
    """
    row = ring[np.uint64(step) & np.uint64(rmask)]
    n_d = (table.shape[1] - 1) // n_b
    cap = runs.shape[0]
    n = 0
    for jj in range(n_d):
        j = n_d - 1 - jj
        p = step - first - j
        if p < born:
            continue
        hs = np.uint64(p) & hmask
        col = np.uint64(j * n_b + b)
        for m in range(np.uint64(counts[hs])):
            i = ids[hs, m]
            if i < pre_start or i >= pre_stop:
                continue
            r = np.uint64(i - pre_start)
            start = table[r, col]
            end = table[r, col + np.uint64(1)]
            if start < end:
                runs[n, 0] = start
                runs[n, 1] = end
                n += 1
                if n == cap:
                    add_runs(runs, n, indices, weight, row)
                    n = 0
    add_runs(runs, n, indices, weight, row)


@kernel(inline="always")
def add_runs(runs, n, indices, weight, row):  # pragma: no cover - compiled
    """Add the synapses of ``runs[:n]`` (``[start, end)`` each, in order) into ``row``."""
    for x in range(n):
        if x + RUNS_AHEAD < n:
            ahead = np.uint64(runs[x + RUNS_AHEAD, 0])
            prefetch(indices, ahead)
            prefetch_at(weight, ahead)
        for k in range(np.uint64(runs[x, 0]), np.uint64(runs[x, 1])):
            row[indices[k]] += at(weight, k)
