"""Kernels against naive Python references (hypothesis), same draws, same spikes."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core.kernels import uniform2
from snn.core.random import derive_key
from snn.encoders._kernels import bernoulli_fill, delta_fill, sort_window
from snn.encoders._sources import fill_keys

K0, K1 = derive_key(1, "kernel tests")


@settings(deadline=None, max_examples=60)
@given(
    st.integers(1, 9),
    st.integers(1, 400),
    st.integers(0, 50),
    st.data(),
)
def test_sort_window_sorts_train_major_keys(n_cols, length, base, data):
    # keys as the fill kernels write them: train by train, ascending stamps within a train
    keys = []
    for c in range(n_cols):
        stamps = data.draw(st.sets(st.integers(1, length), max_size=length))
        keys += [(base + s) * n_cols + c for s in sorted(stamps)]
    arr = np.array([-1, *keys, -2], dtype=np.int64)
    count = np.zeros(length + 1, dtype=np.int64)
    sort_window(arr, 1, 1 + len(keys), n_cols, base, length, count)
    assert arr[1:-1].tolist() == sorted(keys)
    assert arr[0] == -1 and arr[-1] == -2 and not count.any()


def _bernoulli_reference(p, length, begin):
    keys = []
    n_rows, n_cols = p.shape
    for k in range(n_rows):
        row = []
        for c in range(n_cols):
            if p[k, c] <= 0:
                continue
            log_q = math.log1p(-p[k, c]) if p[k, c] < 1 else -math.inf
            s, j, done = 0, 0, False
            while not done:
                for u in uniform2(K0, K1, np.uint64(k * n_cols + c), np.uint64(j)):
                    s += 1 + int(min(math.log1p(-u) / log_q, length))
                    if s > length:
                        done = True
                        break
                    row.append((begin[k] + s) * n_cols + c)
                j += 1
        keys += sorted(row)
    return keys


@settings(deadline=None, max_examples=30)
@given(
    st.integers(1, 4),
    st.integers(1, 5),
    st.integers(1, 60),
    st.sampled_from([0.0, 0.01, 0.3, 0.9, 1.0]),
)
def test_bernoulli_fill_matches_reference(n_rows, n_cols, length, p_value):
    p = np.full((n_rows, n_cols), p_value)
    p[0, 0] = 0.5
    begin = np.arange(n_rows, dtype=np.int64) * (length + 3)

    def fill(keys, row, pos):
        return bernoulli_fill(p, length, begin, K0, K1, keys, row, pos)

    # fill_keys starts with 1024 entries and grows: small cases also exercise the resume path
    assert fill_keys(fill, n_rows, 0.0).tolist() == _bernoulli_reference(p, length, begin)


def _delta_reference(x, h, dt, th, length, begin):
    keys = []
    n_rows, n_times, n_ch = x.shape
    for k in range(n_rows):
        row = []
        for c in range(n_ch):
            level = 0
            for s in range(1, length + 1):
                # linear interpolation written as the kernel does (the same rounding)
                where = s * (dt / h)
                i = int(where)
                if i >= n_times - 1:
                    v = x[k, n_times - 1, c]
                else:
                    v = x[k, i, c] + (where - i) * (x[k, i + 1, c] - x[k, i, c])
                e = v - (x[k, 0, c] + level * th)
                if e >= th:
                    level += 1
                    row.append((begin[k] + s) * 2 * n_ch + 2 * c)
                elif e <= -th:
                    level -= 1
                    row.append((begin[k] + s) * 2 * n_ch + 2 * c + 1)
        keys += sorted(row)
    return keys


@settings(deadline=None, max_examples=40)
@given(
    st.integers(1, 3),
    st.integers(2, 6),
    st.integers(1, 3),
    st.lists(st.floats(-1, 1), min_size=54, max_size=54),
)
def test_delta_fill_matches_reference(n_rows, n_times, n_ch, values):
    x = np.array(values[: n_rows * n_times * n_ch]).reshape(n_rows, n_times, n_ch)
    length, dt, th = 40, 1e-4, 0.1
    h = length * dt / (n_times - 1)
    begin = np.arange(n_rows, dtype=np.int64) * 50
    keys = np.empty(n_rows * n_ch * length, dtype=np.int64)
    done, pos = delta_fill(x, h, dt, th, length, begin, keys, 0, 0)
    assert done == n_rows
    assert keys[:pos].tolist() == _delta_reference(x, h, dt, th, length, begin)
