"""``snn.viz.statistics.cross_correlogram`` against a pair-by-pair count and NEST's binning."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core.errors import ConfigurationError
from snn.viz.statistics import cross_correlogram

DT = 1e-4


def naive(a_steps, b_steps, w_steps, half, window=(-np.inf, np.inf)):
    """Every pair, its lag in whole steps binned as NEST's correlation_detector documents, and
    counted when its later spike lies in the window (steps)."""
    counts = np.zeros(2 * half + 1, dtype=np.int64)
    for x in a_steps:
        for y in b_steps:
            # 2 * lag + 2 * half * w + w over 2 w: exact in integers
            n = (2 * (y - x) + (2 * half + 1) * w_steps) // (2 * w_steps)
            if 0 <= n <= 2 * half and window[0] <= max(x, y) <= window[1]:
                counts[n] += 1
    return counts


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 400), max_size=40),
    st.lists(st.integers(0, 400), max_size=40),
    st.sampled_from([1, 2, 3, 5]),
    st.integers(0, 12),
    st.one_of(st.none(), st.tuples(st.integers(0, 200), st.integers(200, 400))),
    st.sampled_from([0.0, 500.0, 3000.0]),
)
def test_counts_every_pair_once_in_its_bin(steps_a, steps_b, w_steps, half, window, offset):
    """Also with even bin widths (lags exactly on edges) at times far from 0, where the
    difference of two times is rounded by more than 1e-9 bins."""
    a, b = offset + np.array(steps_a) * DT, offset + np.array(steps_b) * DT
    w, tau = w_steps * DT, half * w_steps * DT
    kw = (
        {}
        if window is None
        else {"t_start": offset + window[0] * DT, "t_stop": offset + window[1] * DT}
    )
    lags, counts = cross_correlogram(a, b, bin_width=w, tau_max=tau, **kw)
    steps = (-np.inf, np.inf) if window is None else window
    assert np.array_equal(counts, naive(steps_a, steps_b, w_steps, half, steps))
    assert np.allclose(lags, np.linspace(-tau, tau, 2 * half + 1))


def test_one_train_against_itself_and_shifted():
    """A train with itself: every spike pairs with itself at lag 0; shifted by 2 bins, every
    pair moves two bins to the right (lags are t_2 - t_1, as NEST's)."""
    t = np.arange(1, 200) * 7 * DT * 5
    lags, same = cross_correlogram(t, t, bin_width=5 * DT, tau_max=20 * DT)
    assert same[lags.size // 2] == t.size and same.sum() == t.size
    _, moved = cross_correlogram(t, t + 10 * DT, bin_width=5 * DT, tau_max=20 * DT)
    assert moved[lags.size // 2 + 2] == t.size and moved.sum() == t.size


def test_window_counts_pairs_by_their_later_spike():
    a = np.array([0.001, 0.0098, 0.020])
    b = np.array([0.0012, 0.0101, 0.030])
    _, counts = cross_correlogram(a, b, bin_width=5 * DT, tau_max=5 * DT, t_start=0.01)
    # (0.0098, 0.0101): the later spike is in the window; (0.001, 0.0012) is not
    assert counts.tolist() == [0, 0, 1]  # lag 0.3 ms: the bin centred on 0.5 ms


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
    # Tstart, Tstop: the detector saw the parrots' spikes, the inputs' 1 ms later
    t_start, t_stop = (ref["window"] - 1.0) * 1e-3
    _, counts = cross_correlogram(
        ref["times_1"] * 1e-3,
        ref["times_2"] * 1e-3,
        bin_width=float(ref["delta_tau"]) * 1e-3,
        tau_max=float(ref["tau_max"]) * 1e-3,
        t_start=t_start,
        t_stop=t_stop,
    )
    assert 0 < ref["count_histogram_window"].sum() < ref["count_histogram"].sum()
    assert np.array_equal(counts, ref["count_histogram_window"])
