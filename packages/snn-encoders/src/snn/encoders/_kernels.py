"""numba kernels of the spike sources and encoders.

Every kernel writes spikes as int64 *keys* ``stamp * n_trains + train``: one number orders spikes
by time step, then by train, which is the order a :class:`~snn.encoders.SpikeTrains` keeps, so
sorting keys sorts spikes. Stamps follow snn.core's convention (a spike at time ``stamp * dt``,
emitted by step ``stamp - 1``).

Randomness is counter-based (:mod:`snn.core.kernels`): the ``j``-th uniform of train ``a`` is a pure
function of the key and the counter ``(a, j)``, so the spikes do not depend on the order in which
trains are generated, on how the work is chunked, or on threads.

Kernels that fill a caller-provided ``keys`` array stop when it is full and return where to
resume (the caller grows the array and calls again); the resumed call draws the same values.
"""

from __future__ import annotations

import math

import numpy as np

from snn.core.kernels import kernel, normal, uniform, uniform2


@kernel(inline="always")
def geometric_gap(u, log_q, limit):  # pragma: no cover - compiled
    """Steps until the next success of a Bernoulli(``p``) process, ``log_q = log(1 - p)``.

    ``G = floor(log(1 - u) / log(1 - p)) + 1`` has ``P(G > m) = (1 - p)**m`` for ``u`` uniform in
    [0, 1) (inversion). Values above ``limit`` are returned as ``limit + 1`` (no overflow for tiny
    ``p``). ``p = 1`` (``log_q = -inf``) gives 1.
    """
    x = math.log1p(-u) / log_q
    if x >= limit:
        return limit + 1
    return np.int64(x) + 1


@kernel
def sort_window(keys, first, pos, n_cols, base, length, count):  # pragma: no cover - compiled
    """Sort ``keys[first:pos]`` (one window's keys, stamps ``base + 1 .. base + length``).

    Keys written train by train are ascending within each train, so a stable counting sort by
    stamp orders them by (stamp, train): ``O(m + length)`` without comparisons, faster than a
    comparison sort for the dense windows of encoders (measured 0.18 s for 10,000 sorts of 195
    keys with ``ndarray.sort``). Sparse windows use ``ndarray.sort``. ``count`` is int64 scratch
    of at least ``length + 1`` zeros, left zeroed.
    """
    m = pos - first
    if m < 2:
        return
    # rough cost model: a comparison sort makes ~m log2 m unpredictable branches (several ns
    # each), the counting sort ~length + 2 m predictable memory operations (~1 ns each)
    if 8 * m * max(1, int(math.log2(m))) < length:
        keys[first:pos].sort()
        return
    tmp = keys[first:pos].copy()
    for i in range(m):
        count[tmp[i] // n_cols - base - 1] += 1
    total = first
    for s in range(length):
        c = count[s]
        count[s] = total
        total += c
    for i in range(m):
        s = tmp[i] // n_cols - base - 1
        keys[count[s]] = tmp[i]
        count[s] += 1
    count[:length] = 0


@kernel
def bernoulli_fill(p, length, begin, k0, k1, keys, row0, pos):  # pragma: no cover - compiled
    """Bernoulli spike trains, one per (row, column), row ``k`` in the window after ``begin[k]``.

    ``p`` (float64, ``(n_rows, n_cols)``): spike probability per step of train ``(k, c)``;
    ``length``: steps per window; ``begin`` (int64, ``(n_rows,)``, windows disjoint and
    ascending): the stamp before the window, so its stamps are ``begin[k] + 1 .. begin[k] +
    length``. Train ``(k, c)`` has counter ``a = k * n_cols + c`` and draws two gaps per Philox
    call. Writes keys ``stamp * n_cols + c`` from ``keys[pos]`` on, sorted (each row is sorted
    after it is drawn, :func:`sort_window`). Returns ``(row reached, position)``: ``row reached
    < n_rows`` means ``keys`` was full; call again from that row and position with a larger
    array.
    """
    n_rows = p.shape[0]
    n_cols = p.shape[1]
    cap = keys.shape[0]
    count = np.zeros(length + 1, dtype=np.int64)
    for k in range(row0, n_rows):
        first = pos
        base = begin[k]
        for c in range(n_cols):
            pc = p[k, c]
            if pc <= 0.0:
                continue
            log_q = math.log1p(-pc) if pc < 1.0 else -np.inf
            a = np.uint64(k) * np.uint64(n_cols) + np.uint64(c)
            s = np.int64(0)
            j = np.uint64(0)
            while s <= length:
                u0, u1 = uniform2(k0, k1, a, j)
                j += np.uint64(1)
                s += geometric_gap(u0, log_q, length)
                if s > length:
                    break
                if pos >= cap:
                    return k, first
                keys[pos] = (base + s) * n_cols + c
                pos += 1
                s += geometric_gap(u1, log_q, length)
                if s > length:
                    break
                if pos >= cap:
                    return k, first
                keys[pos] = (base + s) * n_cols + c
                pos += 1
        sort_window(keys, first, pos, n_cols, base, length, count)
    return n_rows, pos


@kernel
def renewal_fill(
    q, order, dead, length, begin, k0, k1, i0, i1, keys, c0, pos
):  # pragma: no cover - compiled
    """Stationary renewal trains on the grid: dead time plus a sum of geometric gaps.

    Train ``c`` (``q`` float64 ``(n,)``: per-step probability of a hidden Bernoulli event) spikes
    at every ``order``-th hidden event; after a spike it is silent for ``dead`` steps. So an
    interval is ``dead + G_1 + ... + G_order`` steps with ``G_i ~ Geometric(q)``: ``order = 1,
    dead = 0`` is a Bernoulli (Poisson) train, ``dead > 0`` a Poisson train with dead time,
    ``order > 1`` a discrete gamma (Erlang) train. The window starts in the stationary state,
    drawn with the second key ``(i0, i1)``: the hidden phase is uniform on ``0..order-1`` and
    the remaining dead time ``J`` has ``P(J = j) = rho`` for ``j = 1..dead`` with ``rho =
    q / (order + dead q)`` the spike probability per step. Stamps ``begin + 1 .. begin +
    length``; keys ``stamp * n + c``, train-major (not sorted). Returns ``(train reached,
    position)`` as :func:`bernoulli_fill`.
    """
    n = q.shape[0]
    cap = keys.shape[0]
    for c in range(c0, n):
        first = pos
        qc = q[c]
        if qc <= 0.0:
            continue
        log_q = math.log1p(-qc) if qc < 1.0 else -np.inf
        rho = qc / (order + dead * qc)
        u = uniform(i0, i1, np.uint64(c), np.uint64(0))
        phase = min(np.int64(u * order), order - 1)
        s = np.int64(0)
        if u < dead * rho and order == 1:
            s = min(np.int64(u / rho) + 1, dead)
        need = order - phase
        j = np.uint64(0)
        while True:
            for _ in range(need):
                uu = uniform(k0, k1, np.uint64(c), j)
                j += np.uint64(1)
                s += geometric_gap(uu, log_q, length)
                if s > length:
                    break
            if s > length:
                break
            if pos >= cap:
                return c, first
            keys[pos] = (begin + s) * n + c
            pos += 1
            s += dead
            need = order
    return n, pos


@kernel
def thinning_fill(
    p, col_stride, p_max, length, begin, k0, k1, keys, c0, pos
):  # pragma: no cover - compiled
    """Bernoulli trains with a per-step probability, by thinning (Lewis & Shedler 1979).

    Candidate steps of train ``c`` come from a Bernoulli(``p_max[c]``) process (geometric gaps);
    a candidate at stamp ``s`` is kept with probability ``p[s - 1, c * col_stride] / p_max[c]``,
    so every step spikes independently with probability ``p[s - 1, ...]`` (exact on the grid).
    ``p`` float64 ``(length, n_cols)``; one Philox call per candidate (gap and acceptance).
    Keys train-major (not sorted). Returns ``(train reached, position)``.
    """
    n = p_max.shape[0]
    cap = keys.shape[0]
    for c in range(c0, n):
        first = pos
        pm = p_max[c]
        if pm <= 0.0:
            continue
        log_q = math.log1p(-pm) if pm < 1.0 else -np.inf
        col = c * col_stride
        s = np.int64(0)
        j = np.uint64(0)
        while True:
            u0, u1 = uniform2(k0, k1, np.uint64(c), j)
            j += np.uint64(1)
            s += geometric_gap(u0, log_q, length)
            if s > length:
                break
            if u1 * pm < p[s - 1, col]:
                if pos >= cap:
                    return c, first
                keys[pos] = (begin + s) * n + c
                pos += 1
    return n, pos


@kernel
def jitter_times(base, isi, n_spikes, jitter, k0, k1, out):  # pragma: no cover - compiled
    """Regular times ``base[c] + i * isi`` plus ``jitter`` times a standard normal.

    ``out`` float64 ``(n, n_spikes)``; the normal of spike ``i`` of train ``c`` has counter
    ``(c, i)``.
    """
    for c in range(out.shape[0]):
        for i in range(n_spikes):
            out[c, i] = base[c] + i * isi + jitter * normal(k0, k1, np.uint64(c), np.uint64(i))


@kernel
def delta_fill(x, h, dt, threshold, length, begin, keys, row0, pos):  # pragma: no cover
    """Send-on-delta (delta modulation) of time series, two trains per channel.

    ``x`` float64 ``(n_rows, n_times, n_channels)``: value ``x[k, i, c]`` at time ``i * h`` [s]
    of window ``k``, linear interpolation between values and the last value held. At each stamp
    ``s = 1 .. length`` the signal is ``x[k, i, c] + (s r - i) (x[k, i + 1, c] - x[k, i, c])``
    with ``r = dt / h`` and ``i = int(s r)`` (``x[k, -1, c]`` once ``i >= n_times - 1``); it
    is compared with the reference ``x[k, 0, c] + level * threshold``: at or above
    ``threshold`` away, train ``2c`` (up) or ``2c + 1`` (down) spikes and ``level`` moves one
    step towards the signal. Keys ``stamp * 2 n_channels + train``, sorted per row. Returns
    ``(row reached, position)``.
    """
    n_rows = x.shape[0]
    n_times = x.shape[1]
    n_ch = x.shape[2]
    n_out = 2 * n_ch
    cap = keys.shape[0]
    r = dt / h
    count = np.zeros(length + 1, dtype=np.int64)
    for k in range(row0, n_rows):
        first = pos
        base = begin[k]
        for c in range(n_ch):
            x0 = x[k, 0, c]
            level = 0
            s = np.int64(1)
            for i in range(n_times):
                # the stamps of segment i (those with int(s r) == i) run from s to last; the
                # guess from a division is corrected with the exact test, so segments match
                # the per-step definition whatever the rounding
                if i < n_times - 1:
                    last = np.int64((i + 1) / r) + 1
                    while last >= s and np.int64(last * r) > i:
                        last -= 1
                    while np.int64((last + 1) * r) <= i:
                        last += 1
                    last = min(last, length)
                    xi = x[k, i, c]
                    slope = x[k, i + 1, c] - xi
                else:
                    last = length
                    xi = x[k, n_times - 1, c]
                    slope = 0.0
                while s <= last:
                    v = xi + (s * r - i) * slope if i < n_times - 1 else xi
                    e = v - (x0 + level * threshold)
                    if e >= threshold or e <= -threshold:
                        if e >= threshold:
                            level += 1
                            train = 2 * c
                        else:
                            level -= 1
                            train = 2 * c + 1
                        if pos >= cap:
                            return k, first
                        keys[pos] = (base + s) * n_out + train
                        pos += 1
                    s += 1
                if s > length:
                    break
        sort_window(keys, first, pos, n_out, base, length, count)
    return n_rows, pos


@kernel
def trains_emit(step, steps, ids, cursor, out):  # pragma: no cover - compiled
    """Emit the spikes of emission step ``step`` (``steps`` ascending); returns how many.

    ``steps`` int64 emission steps (stamp - 1), ``ids`` int32 local indices ascending within a
    step, ``cursor`` int64 ``(1,)`` position of the first spike not yet emitted (spikes of steps
    already passed are skipped). Writes ``out[:n]``.
    """
    c = cursor[0]
    while c < steps.shape[0] and steps[c] < step:
        c += 1
    n = 0
    while c < steps.shape[0] and steps[c] == step:
        out[n] = ids[c]
        n += 1
        c += 1
    cursor[0] = c
    return n
