"""``snn.viz.statistics.cross_correlogram`` against a pair-by-pair count and NEST's binning."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core.errors import ConfigurationError
from snn.viz.statistics import cross_correlogram

DT = 1e-4


def naive(a, b, w, tau):
    """Every pair, its lag binned as NEST's correlation_detector documents."""
    n_bins = round(2 * tau / w) + 1
    counts = np.zeros(n_bins, dtype=np.int64)
    for x in a:
        for y in b:
            n = int(np.floor((y - x + tau + w / 2) / w + 1e-9))
            if 0 <= n < n_bins:
                counts[n] += 1
    return counts


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 400), max_size=40),
    st.lists(st.integers(0, 400), max_size=40),
    st.sampled_from([1, 3, 5]),
    st.integers(0, 12),
)
def test_counts_every_pair_once_in_its_bin(steps_a, steps_b, w_steps, half):
    a, b = np.array(steps_a) * DT, np.array(steps_b) * DT
    w, tau = w_steps * DT, half * w_steps * DT
    lags, counts = cross_correlogram(a, b, bin_width=w, tau_max=tau)
    assert np.array_equal(counts, naive(a, b, w, tau))
    assert np.allclose(lags, np.linspace(-tau, tau, 2 * half + 1))


def test_one_train_against_itself_and_shifted():
    """A train with itself: every spike pairs with itself at lag 0; shifted by 2 bins, every
    pair moves two bins to the right (lags are t_2 - t_1, as NEST's)."""
    t = np.arange(1, 200) * 7 * DT * 5
    lags, same = cross_correlogram(t, t, bin_width=5 * DT, tau_max=20 * DT)
    assert same[lags.size // 2] == t.size and same.sum() == t.size
    _, moved = cross_correlogram(t, t + 10 * DT, bin_width=5 * DT, tau_max=20 * DT)
    assert moved[lags.size // 2 + 2] == t.size and moved.sum() == t.size


def test_window_keeps_spikes_of_both_trains_inside_it():
    a = np.array([0.001, 0.010, 0.020])
    b = np.array([0.0012, 0.0101, 0.030])
    _, counts = cross_correlogram(a, b, bin_width=5 * DT, tau_max=0.0, t_start=0.005)
    assert counts.tolist() == [1]  # 0.010 and 0.0101; the pair at 0.001 is outside


def test_many_pairs_in_chunks_equal_one_pass():
    rng = np.random.default_rng(3)
    a = np.sort(rng.integers(0, 200_000, 5000)) * DT
    b = np.sort(rng.integers(0, 200_000, 5000)) * DT
    lags, counts = cross_correlogram(a, b, bin_width=5 * DT, tau_max=5.0)
    lag = (b[None, :] - a[:, None]).ravel()
    n = np.floor((lag + 5.0 + 2.5 * DT) / (5 * DT) + 1e-9).astype(np.int64)
    want = np.bincount(n[(n >= 0) & (n < lags.size)], minlength=lags.size)
    assert counts.sum() > 1 << 22  # more than one chunk
    assert np.array_equal(counts, want)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bin_width": 0.0, "tau_max": 0.01}, "bin_width"),
        ({"bin_width": 5e-4, "tau_max": 1.2e-3}, "whole number of bin widths"),
        ({"bin_width": 5e-4, "tau_max": -1.0}, "tau_max"),
        ({"bin_width": 5e-4, "tau_max": 0.01, "t_start": 1.0, "t_stop": 0.5}, "t_start"),
        ({"bin_width": 5e-4, "tau_max": 0.01, "t_start": "0"}, "t_start"),
        ({"bin_width": 5e-4, "tau_max": 0.01, "t_stop": np.nan}, "t_stop"),
    ],
)
def test_refuses_bad_bins(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        cross_correlogram([0.1], [0.2], **kwargs)


@pytest.mark.parametrize("bad", [[np.nan], [[0.1]], "x"])
def test_refuses_bad_trains(bad):
    with pytest.raises(ConfigurationError, match="times_1"):
        cross_correlogram(bad, [0.1], bin_width=5e-4, tau_max=0.01)


def test_equals_nest_correlation_detector():
    """NEST 3.10's count_histogram of two recorded trains (tests/data/nest/record_correlation.py)
    is reproduced exactly: same pairs, same left-closed bins."""
    from pathlib import Path

    ref = np.load(Path(__file__).parents[1] / "data" / "nest" / "correlation_detector.npz")
    lags, counts = cross_correlogram(
        ref["times_1"] * 1e-3,
        ref["times_2"] * 1e-3,
        bin_width=float(ref["delta_tau"]) * 1e-3,
        tau_max=float(ref["tau_max"]) * 1e-3,
    )
    assert lags.size == 41 and ref["count_histogram"].sum() > 20000
    assert np.array_equal(counts, ref["count_histogram"])
