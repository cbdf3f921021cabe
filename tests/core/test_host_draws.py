"""numpy's draws (``snn.core._host_draws``) against the compiled ones, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import _host_draws
from snn.core._rng import _ZIG_R, normal_ziggurat, philox4x32
from snn.core.random import (
    Clipped,
    Exponential,
    LogNormal,
    Normal,
    Uniform,
    derive_key,
    dist_fill_at,
)

U = np.uint64


def compiled(dist, key, idx, b):
    out = np.empty(idx.shape[0])
    dist_fill_at(dist.spec(), key[0], key[1], idx, U(b), out)
    return out


def same_bits(x, y):
    return np.array_equal(x.view(np.int64), y.view(np.int64))


@pytest.mark.parametrize(
    "counter", [(0, 0, 0, 0), (0xFFFFFFFF,) * 4, (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x3707344)]
)
def test_philox_on_ints_and_arrays_equals_the_kernel(counter):
    key = (0xA4093822, 0x299F31D0)
    want = tuple(int(x) for x in philox4x32.py_func(*(U(c) for c in counter), *(U(k) for k in key)))
    assert _host_draws.philox4x32(*counter, *key) == want
    arrays = _host_draws.philox4x32(*(np.array([c, c], dtype=U) for c in counter), *key)
    assert all(a.dtype == U and list(a) == [w, w] for a, w in zip(arrays, want, strict=True))


def test_normal_values_cover_the_wedges_and_the_tail():
    # 40,000 values: about 1 % leave the ziggurat's rectangles (wedge tests with exp), a few
    # land in the tail beyond R (logarithms); all must equal the compiled draw
    key = derive_key(3, "host-normal")
    idx = np.arange(40_000, dtype=np.int64)
    host = _host_draws.dist_values(Normal(mean=0.0, std=1.0).spec(), *key, idx, 7)
    ref = np.array([normal_ziggurat(key[0], key[1], i, U(7)) for i in idx.tolist()])
    assert same_bits(host, ref)
    assert np.count_nonzero(np.abs(host) > _ZIG_R) >= 3


LAWS = st.sampled_from(
    [
        Uniform(low=-1.0, high=2.5),
        Normal(mean=-65e-3, std=5e-3),
        LogNormal(mu=-0.5, sigma=1.2),
        Exponential(scale=3e-3),
        Clipped(Normal(mean=0.0, std=1.0), low=-0.3, high=0.5),
        Clipped(Normal(mean=1.0, std=2.0), low=0.0, method="clip"),
        Clipped(Exponential(scale=1.0), high=0.05),
        Clipped(Uniform(low=0.0, high=1.0), low=0.4, high=0.6, method="clip"),
    ]
)


@settings(deadline=None, max_examples=40)
@given(
    law=LAWS,
    seed=st.integers(0, 2**31),
    start=st.integers(0, 2**62),
    b=st.integers(0, 2**47),
    n=st.integers(1, 300),
)
def test_values_equal_the_compiled_sampler(law, seed, start, b, n):
    key = derive_key(seed, "host")
    idx = start + np.arange(n, dtype=np.int64) * 7919
    assert same_bits(_host_draws.dist_values(law.spec(), *key, idx, b), compiled(law, key, idx, b))


def test_draw_uses_numpy_below_the_limit_and_the_kernel_above(monkeypatch):
    law = Clipped(Normal(mean=0.0, std=1.0), low=-1.0, high=1.0)
    key = derive_key(9, "limit")
    small = law.draw_at(np.arange(50), key=key, b=2)
    monkeypatch.setattr("snn.core.random.HOST_DRAW_MAX", 10)
    assert same_bits(law.draw_at(np.arange(50), key=key, b=2), small)
    assert same_bits(law.draw(50, key=key, b=2), small)
