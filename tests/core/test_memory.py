"""Large connectivity arrays are mapped with their pages at once; the network they build is the one
``np.empty`` builds."""

from __future__ import annotations

import io
import mmap

import numpy as np
import pytest

from snn.core import Network, _memory
from snn.core.random import Clipped, Normal, Uniform
from snn.core.units import ms, mV
from snn.neurons import LIFDelta
from snn.synapses import PairwiseBernoulli


@pytest.mark.skipif(not hasattr(mmap, "MAP_POPULATE"), reason="Linux only: elsewhere np.empty")
def test_a_large_array_is_one_populated_mapping():
    n = _memory.MAPPED_MIN_BYTES // 8 + 3
    arr = _memory.empty_mapped(n, np.float64)
    assert isinstance(arr.base.obj, mmap.mmap)
    assert arr.shape == (n,) and arr.dtype == np.float64
    assert arr.flags.c_contiguous and arr.flags.writeable
    arr[:] = np.arange(n)
    buf = io.BytesIO()
    np.save(buf, arr)
    buf.seek(0)
    np.testing.assert_array_equal(np.load(buf), np.arange(n, dtype=np.float64))


def test_small_and_empty_arrays_are_numpys():
    for n in (10, 0):
        arr = _memory.empty_mapped(n, np.uint16)
        assert arr.base is None and arr.shape == (n,) and arr.dtype == np.uint16


def _synapses(monkeypatch: pytest.MonkeyPatch, threshold: int) -> tuple[np.ndarray, ...]:
    monkeypatch.setattr(_memory, "MAPPED_MIN_BYTES", threshold)
    net = Network(dt=0.1 * ms, seed=3, threads=2)
    a = net.add_population(LIFDelta(), 300)
    b = net.add_population(LIFDelta(), 200)
    proj = net.connect(
        a,
        b,
        rule=PairwiseBernoulli(p=0.2),
        weight=Clipped(Normal(mean=0.2 * mV, std=0.05 * mV), low=0.0),
        delay=Uniform(low=0.1 * ms, high=2 * ms),
    )
    csr = proj._csr
    return csr.indptr, csr.indices, csr.weight, csr.delays()


def test_mapped_arrays_build_the_same_synapses(monkeypatch):
    mapped = _synapses(monkeypatch, 0)
    if hasattr(mmap, "MAP_POPULATE"):
        assert isinstance(mapped[1].base.obj, mmap.mmap)
    plain = _synapses(monkeypatch, 2**62)
    for got, want in zip(mapped, plain, strict=True):
        np.testing.assert_array_equal(got, want)
