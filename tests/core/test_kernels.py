"""Kernels against naive numpy references (hypothesis) and Philox against Random123's vectors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import ConfigurationError
from snn.core.kernels import (
    csr_block_split,
    csr_deliver,
    csr_deliver_block,
    philox4x32,
    poisson,
    poisson_bit_tables,
    poisson_from_bits,
    random_word,
    random_words_fill,
    spikes_gather,
    uniform2,
)
from snn.core.random import Clipped, Exponential, LogNormal, Normal, Uniform, derive_key

U = np.uint64


@pytest.mark.parametrize(
    ("counter", "key", "expected"),
    [
        # Random123 kat_vectors, philox4x32_10 (Salmon et al. 2011, the reference implementation)
        ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        (
            (0xFFFFFFFF,) * 4,
            (0xFFFFFFFF, 0xFFFFFFFF),
            (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD),
        ),
        (
            (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
            (0xA4093822, 0x299F31D0),
            (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
        ),
    ],
)
def test_philox_known_answers(counter, key, expected):
    out = philox4x32.py_func(*(U(c) for c in counter), *(U(k) for k in key))
    assert tuple(int(x) for x in out) == expected
    from numba import njit

    compiled = njit(lambda a, b, c, d, e, f: philox4x32(a, b, c, d, e, f))
    assert tuple(int(x) for x in compiled(*(U(c) for c in counter), *(U(k) for k in key))) == (
        expected
    )


def test_uniform_in_unit_interval_and_counter_sensitive():
    k0, k1 = derive_key(1, "x")
    a = uniform2(k0, k1, 5, 9)
    b = uniform2(k0, k1, 5, 10)
    c = uniform2(k0, k1, 6, 9)
    assert all(0.0 <= x < 1.0 for x in (*a, *b, *c))
    assert len({a, b, c}) == 3


def test_random_words_are_philox_words_of_four_indices_per_counter():
    k0, k1 = derive_key(4, "words")
    out = np.empty(9, dtype=np.uint32)
    random_words_fill(out, 9, k0, k1, 0, 1, 123)
    # word j & 3 of the Philox output for counter (j >> 2, b) = words (j >> 2, 0, b, 0)
    for j in range(9):
        words = philox4x32.py_func(U(j >> 2), U(0), U(123), U(0), k0, k1)
        assert out[j] == words[j & 3]
        assert random_word(k0, k1, j, 123) == words[j & 3]


@settings(deadline=None, max_examples=40)
@given(
    j0=st.integers(0, 1 << 40),
    n=st.integers(0, 70),
    cuts=st.lists(st.integers(0, 70), max_size=5),
    stride=st.integers(1, 5),
    b=st.integers(0, (1 << 48) - 1),
)
def test_random_words_do_not_depend_on_block_cuts(j0, n, cuts, stride, b):
    # blocks of any length and start (threads), any stride (MPI ranks): the same value per index
    k0, k1 = derive_key(5, "words")
    whole = np.empty(n, dtype=np.uint32)
    random_words_fill(whole, n, k0, k1, j0, stride, b)
    expected = [random_word(k0, k1, j0 + stride * i, b) for i in range(n)]
    assert whole.tolist() == expected
    edges = sorted({0, n, *(c for c in cuts if c <= n)})
    pieces = np.empty(n, dtype=np.uint32)
    for lo, hi in itertools.pairwise(edges):
        random_words_fill(pieces[lo:hi], hi - lo, k0, k1, j0 + stride * lo, stride, b)
    assert np.array_equal(pieces, whole)


@pytest.mark.parametrize("lam", [0.0, 0.01, 1.5, 2.0, 30.0, 99.0])
def test_poisson_bit_tables_round_the_poisson_cdf_to_32_bits(lam):
    scipy_stats = pytest.importorskip("scipy.stats")
    thr, guide = poisson_bit_tables(lam)
    assert thr.dtype == np.uint64 and guide.dtype == np.uint32 and guide.shape == (1024,)
    assert thr[-1] == 2**32 and np.all(thr[:-1] < 2**32) and np.all(np.diff(thr) >= 0)
    # P(K <= k) = thr[k] / 2**32 is the Poisson cdf (scipy's, computed independently) rounded to
    # a multiple of 2**-32: within 2**-33, plus 1e-13 for the float64 cdf recurrence
    k = np.arange(thr.shape[0] - 1)
    exact = scipy_stats.poisson.cdf(k, lam)
    assert np.all(np.abs(thr[:-1] / 2.0**32 - exact) <= 2.0**-33 + 1e-13)
    # the table ends where the remaining mass rounds away: 1 - F(k_last) <= 2**-33 + 1e-13
    assert scipy_stats.poisson.sf(thr.shape[0] - 1, lam) <= 2.0**-33 + 1e-13
    # guide[m]: the smallest k with thr[k] > m * 2**22
    edges = np.arange(1024, dtype=np.uint64) << np.uint64(22)
    assert np.array_equal(guide, np.searchsorted(thr, edges, side="right"))


@pytest.mark.parametrize("lam", [0.01, 2.0, 30.0])
def test_poisson_from_bits_inverts_the_table_exactly(lam):
    # the count of word x is the smallest k with x < thr[k]: checked on both sides of every
    # threshold, at the ends of the word range and on random words
    thr, guide = poisson_bit_tables(lam)
    inner = thr[thr < 2**32].astype(np.int64)
    rng = np.random.default_rng(3)
    words = np.concatenate([inner, inner - 1, [0, 2**32 - 1], rng.integers(0, 2**32, 20000)])
    words = words[(words >= 0) & (words < 2**32)].astype(np.uint64)
    got = np.array([poisson_from_bits(x, thr, guide) for x in words])
    assert np.array_equal(got, np.searchsorted(thr, words, side="right"))


def test_derive_key_depends_on_every_part():
    keys = {
        derive_key(1, "p", 0),
        derive_key(2, "p", 0),
        derive_key(1, "p", 1),
        derive_key(1, "q", 0),
    }
    assert len(keys) == 4


@settings(deadline=None, max_examples=60)
@given(
    n_pre=st.integers(1, 30),
    n_post=st.integers(1, 40),
    density=st.floats(0.0, 1.0),
    homogeneous_w=st.booleans(),
    homogeneous_d=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
    step=st.integers(0, 1000),
)
def test_csr_deliver_matches_naive_sum(
    n_pre, n_post, density, homogeneous_w, homogeneous_d, seed, step
):
    rng = np.random.default_rng(seed)
    adj = rng.random((n_pre, n_post)) < density
    pre, post = np.nonzero(adj)
    indptr = np.zeros(n_pre + 1, dtype=np.int64)
    np.cumsum(adj.sum(1), out=indptr[1:])
    indices = post.astype(np.uint16)
    n_syn = pre.shape[0]
    weight = 0.5 if homogeneous_w else rng.normal(size=n_syn)
    delay = np.int64(3) if homogeneous_d else rng.integers(1, 8, size=n_syn).astype(np.uint16)
    ring = np.zeros((8, n_post))
    spikes = np.flatnonzero(rng.random(n_pre) < 0.5).astype(np.int32)
    csr_deliver(spikes, 0, spikes.shape[0], step, indptr, indices, weight, delay, ring)
    expected = np.zeros((8, n_post))
    w = np.broadcast_to(weight, (n_syn,))
    d = np.broadcast_to(delay, (n_syn,)).astype(np.int64)
    for k in range(n_syn):
        if pre[k] in spikes:
            expected[(step + d[k]) % 8, post[k]] += w[k]
    np.testing.assert_allclose(ring, expected, rtol=1e-12, atol=1e-15)


@settings(deadline=None, max_examples=60)
@given(
    bits=st.lists(st.booleans(), min_size=0, max_size=200),
    offset=st.integers(0, 5),
    data=st.data(),
)
def test_spikes_gather_matches_flatnonzero(bits, offset, data):
    n = len(bits)
    padded = 8 * ((n + 7) // 8)
    flags = np.zeros(max(padded, 8), dtype=np.bool_)
    flags[:n] = bits
    lo = 8 * data.draw(st.integers(0, n // 8))
    hi = data.draw(st.integers(lo, n))
    out = np.full(offset + n + 8, -1, dtype=np.int32)
    k = spikes_gather(flags, flags.view(np.uint64), lo, hi, out, offset)
    expected = lo + np.flatnonzero(bits[lo:hi])
    assert k == expected.shape[0]
    assert np.array_equal(out[offset : offset + k], expected)


@settings(deadline=None, max_examples=40)
@given(
    n_pre=st.integers(1, 20),
    n_post=st.integers(1, 60),
    n_blocks=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_block_delivery_equals_whole_delivery_bit_for_bit(n_pre, n_post, n_blocks, seed):
    rng = np.random.default_rng(seed)
    adj = rng.random((n_pre, n_post)) < 0.4
    _, post = np.nonzero(adj)
    indptr = np.zeros(n_pre + 1, dtype=np.int64)
    np.cumsum(adj.sum(1), out=indptr[1:])
    indices = post.astype(np.uint16)
    weight = rng.normal(size=post.shape[0])
    delay = rng.integers(1, 4, size=post.shape[0]).astype(np.uint16)
    spikes = np.flatnonzero(rng.random(n_pre) < 0.5).astype(np.int32)
    whole = np.zeros((4, n_post))
    csr_deliver(spikes, 0, spikes.shape[0], 5, indptr, indices, weight, delay, whole)
    bounds = np.unique(np.r_[0, np.sort(rng.integers(0, n_post + 1, n_blocks - 1)), n_post])
    split = np.empty((bounds.shape[0], n_pre), dtype=np.int64)
    csr_block_split(indptr, indices, bounds, split)
    blocks = np.zeros((4, n_post))
    # the slice buffer of a presynaptic population with one block, one slice step
    offsets = np.array([[0, spikes.shape[0]]], dtype=np.int64)
    for b in range(bounds.shape[0] - 1):
        csr_deliver_block(
            spikes,
            offsets,
            np.zeros(2, np.int64),
            1,
            0,
            5,
            0,
            n_pre,
            split,
            b,
            indices,
            weight,
            delay,
            blocks,
        )
    assert np.array_equal(whole, blocks)


@pytest.mark.parametrize(
    ("dist", "mean", "var"),
    [
        (Uniform(low=-1.0, high=3.0), 1.0, 16 / 12),
        (Normal(mean=2.0, std=0.5), 2.0, 0.25),
        (LogNormal(mu=0.1, sigma=0.4), np.exp(0.1 + 0.08), (np.exp(0.16) - 1) * np.exp(0.2 + 0.16)),
        (Exponential(scale=3.0), 3.0, 9.0),
    ],
)
def test_distribution_moments(dist, mean, var):
    n = 400_000
    x = dist.draw(n, key=derive_key(3, "d"))
    # 5-sigma band of the sample mean
    assert abs(x.mean() - mean) < 5 * np.sqrt(var / n)
    assert dist.expectation() == pytest.approx(mean)


def test_clipped_distribution_respects_bounds_both_methods():
    base = Normal(mean=0.0, std=1.0)
    red = Clipped(base, low=-0.5, high=1.0).draw(50_000, key=derive_key(1, "c"))
    clip = Clipped(base, low=-0.5, high=1.0, method="clip").draw(50_000, key=derive_key(1, "c"))
    assert red.min() >= -0.5 and red.max() <= 1.0
    assert clip.min() == -0.5 and clip.max() == 1.0
    # redraw leaves no mass on the bounds; clip piles P(X < -0.5) = 0.3085 onto -0.5
    assert (red == -0.5).sum() == 0
    assert abs((clip == -0.5).mean() - 0.3085) < 5 * np.sqrt(0.3085 * 0.69 / 50_000)


def test_clipped_redraw_with_too_little_mass_refused():
    from snn.core import ConfigurationError

    with pytest.raises(ConfigurationError, match="mass"):
        Clipped(Normal(mean=0.0, std=1.0), low=4.0)


@pytest.mark.parametrize("lam", [0.3, 2.0, 9.5, 12.0, 55.0])
def test_poisson_sampler_mean_and_variance(lam):
    k0, k1 = derive_key(5, "p")
    from numba import njit

    @njit
    def draws(n, lam):
        out = np.empty(n)
        for i in range(n):
            out[i] = poisson(k0, k1, i, 0, lam)
        return out

    x = draws(200_000, lam)
    n = x.shape[0]
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / n)
    assert abs(x.var() - lam) < 5 * np.sqrt((lam + 2 * lam**2) / n)


@pytest.mark.parametrize("lam", [math.nan, math.inf])
def test_poisson_sampler_refuses_a_mean_it_cannot_draw_from(lam):
    # its rejection loop never ended on NaN (fuzz family drives, seed 16: a sinusoidal rate at
    # 1.7e308 Hz, now refused where it is given); a hang becomes an error
    k0, k1 = derive_key(5, "p")
    from numba import njit

    @njit
    def draw(lam):
        return poisson(k0, k1, 0, 0, lam)

    with pytest.raises(ValueError, match="NaN or inf"):
        draw(lam)


def test_ziggurat_normal_matches_the_normal_law():
    scipy_stats = pytest.importorskip("scipy.stats")
    n = 1_000_000
    z = Normal(mean=0.0, std=1.0).draw(n, key=derive_key(11, "zig"))
    # Kolmogorov-Smirnov against the exact normal CDF; the p-value of a correct sampler is
    # uniform, so p < 1e-4 would be a false alarm once in 10,000 runs of this seed-fixed test
    assert scipy_stats.kstest(z, "norm").pvalue > 1e-4
    # the base strip's tail beyond R = 3.6541528853610088 (Marsaglia & Tsang 2000) has its own
    # sampler: its mass 2 * Phi(-R) = 2.5811e-4 and the mass beyond 4.5 within 5-sigma bands
    for edge in (3.6541528853610088, 4.5):
        p = 2 * scipy_stats.norm.sf(edge)
        seen = np.count_nonzero(np.abs(z) > edge)
        assert abs(seen - n * p) < 5 * np.sqrt(n * p * (1 - p)) + 1, (edge, seen, n * p)
    # odd moments vanish, kurtosis 3 (5-sigma bands of the sample moments of N(0, 1))
    assert abs(np.mean(z**3)) < 5 * np.sqrt(15 / n)
    assert abs(np.mean(z**4) - 3) < 5 * np.sqrt(96 / n)


def test_compile_log_records_each_compilation():
    import numba

    from snn.core.kernels import compile_log

    @numba.njit(cache=False)
    def logged_twice(x):
        return x + 1

    before = len(compile_log())
    logged_twice(1)
    logged_twice(1.5)  # a second signature is a second compilation
    new = compile_log()[before:]
    assert [c.function.rsplit(".", 1)[-1] for c in new] == ["logged_twice", "logged_twice"]
    assert all(c.wall_s > 0 and c.cpu_s > 0 for c in new)


@settings(deadline=None, max_examples=30)
@given(
    a=st.floats(-50, 50).filter(lambda x: abs(x) > 1e-3),
    b=st.floats(-50, 50),
    which=st.sampled_from(["normal", "uniform", "clipped"]),
)
def test_a_law_times_a_number_draws_from_the_law_of_the_product(a, b, which):
    # the law of a * X + b, as a law of the same kind: its draws have the transformed moments
    # (mean and std of a * X + b: a * mean + b and |a| * std; 20,000 draws, 6 standard errors)
    base = {
        "normal": Normal(mean=1.5, std=0.5),
        "uniform": Uniform(low=-1.0, high=3.0),
        "clipped": Clipped(Normal(mean=0.0, std=1.0), low=-0.5, high=2.0),
    }[which]
    law = a * base + b
    assert type(law) is type(base)
    x = base.draw(20_000, key=derive_key(1, "law"))
    y = law.draw(20_000, key=derive_key(2, "law"))
    ax = a * x + b
    se = np.std(ax) / np.sqrt(x.size)
    assert abs(np.mean(y) - np.mean(ax)) < 6 * np.sqrt(2) * se + 1e-12
    assert np.std(y) == pytest.approx(np.std(ax), rel=0.05)
    if which != "normal":  # the bounds map onto the new law's bounds
        lo, hi = sorted(
            (
                a * (-1.0 if which == "uniform" else -0.5) + b,
                a * (3.0 if which == "uniform" else 2.0) + b,
            )
        )
        assert lo - 1e-9 <= y.min() and y.max() <= hi + 1e-9


def test_law_arithmetic_outside_the_closed_cases_is_refused():
    assert Exponential(scale=2.0) * 3 == Exponential(scale=6.0)
    assert LogNormal(mu=0.0, sigma=1.0) * np.e == LogNormal(mu=1.0, sigma=1.0)
    assert np.float64(2.0) * Normal(mean=1.0, std=1.0) == Normal(mean=2.0, std=2.0)
    assert 3 - Uniform(low=0.0, high=1.0) == Uniform(low=2.0, high=3.0)
    for bad in (
        lambda: Exponential(scale=1.0) + 1.0,
        lambda: -LogNormal(mu=0.0, sigma=1.0),
        lambda: Normal(mean=0.0, std=1.0) * np.inf,
        lambda: Normal(mean=0.0, std=1.0) / 0,
    ):
        with pytest.raises(ConfigurationError):
            bad()
    with pytest.raises(TypeError):
        Normal(mean=0.0, std=1.0) + Normal(mean=0.0, std=1.0)
