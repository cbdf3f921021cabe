"""Rate and spike-train statistics: the numbers against naive loops, and what the plots draw."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.patches import StepPatch

from snn.core import ConfigurationError, RateRecord, SpikeRecord
from snn.viz import (
    correlation_histogram,
    cv_histogram,
    fano_factor,
    isi_histogram,
    population_rate,
    psth,
    rate_histogram,
)
from snn.viz._statistics import (
    binned_counts,
    count_matrix,
    cv_isi,
    fano_factors,
    isi_per_neuron,
    pairwise_correlations,
    rates_per_neuron,
    smooth,
)

spike_trains = st.lists(
    st.tuples(st.integers(0, 9), st.floats(0.0, 1.0, allow_nan=False)), min_size=0, max_size=60
)


def arrays(pairs):
    rows = np.array([p[0] for p in pairs], dtype=np.int64)
    times = np.array([p[1] for p in pairs], dtype=np.float64)
    return times, rows


def filled(ax):
    """Outline step patches (the unfilled twin of each filled histogram), in drawing order."""
    return [p for p in ax.patches if isinstance(p, StepPatch) and not p.get_fill()]


# ------------------------------------------------------------------ statistics


@settings(deadline=None, max_examples=60)
@given(spike_trains)
def test_cv_and_isi_match_a_loop_per_neuron(pairs):
    times, rows = arrays(pairs)
    cv = cv_isi(times, rows, 10, min_spikes=3)
    isi, isi_rows = isi_per_neuron(times, rows)
    for n in range(10):
        mine = np.sort(times[rows == n])
        d = np.diff(mine)
        np.testing.assert_allclose(np.sort(isi[isi_rows == n]), np.sort(d), atol=1e-12)
        if mine.size >= 3 and d.mean() > 0:
            assert cv[n] == pytest.approx(d.std() / d.mean(), rel=1e-6, abs=1e-9)
        else:
            assert np.isnan(cv[n])


@settings(deadline=None, max_examples=60)
@given(spike_trains, st.sampled_from([0.05, 0.1, 0.3]))
def test_counts_match_a_loop_over_bins(pairs, width):
    times, rows = arrays(pairs)
    # on an edge the rule is "next bin" (see the dt-grid test); keep the oracle off the edges
    off_edge = np.abs(times / width - np.round(times / width)) > 1e-6
    times, rows = times[off_edge], rows[off_edge]
    counts = binned_counts(times, 0.0, 1.0, width)
    n = int(np.floor(1.0 / width + 1e-9))
    assert counts.shape == (n,)
    top = n * width
    for k in range(n):
        lo, hi = k * width, (k + 1) * width
        inside = (times >= lo) & ((times < hi) | ((k == n - 1) & (times <= top)))
        assert counts[k] == inside.sum()
    neurons = np.array([1, 3, 7])
    mat = count_matrix(times, rows, neurons, 0.0, 1.0, width)
    for j, nrn in enumerate(neurons):
        np.testing.assert_array_equal(mat[j], binned_counts(times[rows == nrn], 0.0, 1.0, width))


def test_spikes_on_the_dt_grid_fall_in_the_bin_that_starts_at_them():
    # 0.1 ms steps in 1 ms bins: ten spikes each, although k * 1e-4 is not exact in binary
    times = np.arange(100) * 1e-4
    np.testing.assert_array_equal(binned_counts(times, 0.0, 0.01, 1e-3), np.full(10, 10))
    mat = count_matrix(times, np.zeros(100, dtype=np.int64), np.array([0]), 0.0, 0.01, 1e-3)
    np.testing.assert_array_equal(mat, np.full((1, 10), 10))


def test_rates_include_silent_neurons():
    times = np.array([0.1, 0.2, 0.3, 0.9])
    rows = np.array([0, 0, 2, 2])
    np.testing.assert_allclose(rates_per_neuron(times, rows, 4, 0.0, 2.0), [1.0, 0, 1.0, 0])


def test_correlations_and_fano_factors():
    a = np.array([0, 1, 0, 2, 0, 1])
    counts = np.stack([a, a, 2 * a, 3 - a, np.zeros(6, dtype=int)])
    corr = pairwise_correlations(counts)
    # the silent row is dropped: 4 rows, 6 pairs; rows 0-2 correlate perfectly, row 3 inversely
    np.testing.assert_allclose(np.sort(corr), [-1, -1, -1, 1, 1, 1], atol=1e-12)
    ff = fano_factors(counts)
    np.testing.assert_allclose(
        ff,
        [a.var() / a.mean(), a.var() / a.mean(), 2 * a.var() / a.mean(), a.var() / (3 - a).mean()],
    )


def test_smoothing_keeps_a_constant_and_the_mean():
    np.testing.assert_allclose(smooth(np.full(50, 7.0), 1e-3, 5e-3), 7.0)
    pulse = np.zeros(101)
    pulse[50] = 1.0
    out = smooth(pulse, 1e-3, 3e-3)
    assert out.sum() == pytest.approx(1.0, rel=1e-6)
    assert out.argmax() == 50


# ------------------------------------------------------------------ plots


def test_population_rate_line_is_counts_per_neuron_per_second(two_pops):
    ax = population_rate(two_pops, bin_width=0.1, groups={"E": (0, 80), "I": (80, 20)})
    e_line, i_line = ax.get_lines()
    e = two_pops["E"]
    expected = np.histogram(e.times, bins=10, range=(0, 1.0))[0] / (80 * 0.1)
    t_last = max(two_pops["E"].times.max(), two_pops["I"].times.max())
    n = int(np.floor(t_last / 0.1 + 1e-9))
    np.testing.assert_allclose(e_line.get_xdata(), (np.arange(n) + 0.5) * 0.1)
    np.testing.assert_allclose(e_line.get_ydata(), expected[:n])
    assert e_line.get_label() == "E" and i_line.get_label() == "I"
    assert ax.get_ylabel() == "rate [Hz]"
    smoothed = population_rate(two_pops, bin_width=0.01, smoothing=0.02)
    raw = population_rate(two_pops, bin_width=0.01)
    s, r = smoothed.get_lines()[0].get_ydata(), raw.get_lines()[0].get_ydata()
    assert s.std() < r.std() and s.mean() == pytest.approx(r.mean(), rel=0.05)


def test_population_rate_from_rate_records():
    t = np.arange(1, 101) * 1e-3
    rec = RateRecord(times=t, rate=np.tile([0.0, 20.0], 50))
    ax = population_rate({"E": rec}, bin_width=10e-3)
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), 10.0)
    assert line.get_xdata().shape == (10,)
    with pytest.raises(ConfigurationError, match="differ in shape"):
        population_rate(RateRecord(times=t, rate=t[:5]))


def test_psth_of_spikes_locked_to_events():
    events = np.array([1.0, 2.0, 3.0])
    times = np.sort(np.concatenate([events + 0.010, events + 0.0105]))
    senders = np.zeros(6, dtype=np.int64)
    ax = psth(
        SpikeRecord(times=times, senders=senders), events, window=(-0.02, 0.02), bin_width=0.005
    )
    (patch,) = [p for p in ax.patches if isinstance(p, StepPatch)]
    values = patch.get_data().values
    edges = patch.get_data().edges
    np.testing.assert_allclose(edges, np.linspace(-0.02, 0.02, 9), atol=1e-12)
    # two spikes per event in [10, 15) ms: 2 / (1 neuron * 5 ms) = 400 Hz, zero elsewhere
    np.testing.assert_allclose(values, [0, 0, 0, 0, 0, 0, 400, 0], atol=1e-9)
    with pytest.raises(ConfigurationError, match="before < after"):
        psth(SpikeRecord(times=times, senders=senders), events, window=(0.1, -0.1))


def test_rate_histogram_counts_every_neuron(two_pops, draw):
    ax = rate_histogram(two_pops, groups={"E": (0, 80), "I": (80, 20), "X": (100, 10)})
    heights = [p.get_data().values.sum() for p in filled(ax)]
    assert heights == [80, 20, 10]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    e_mean = (
        two_pops["E"].times.size / 80 / max(two_pops["E"].times.max(), two_pops["I"].times.max())
    )
    assert labels[0] == f"E: mean {e_mean:.3g} Hz"
    assert labels[2] == "X: mean 0 Hz"
    draw(ax)


def test_isi_and_cv_histograms_count_intervals_and_neurons(two_pops):
    ax = isi_histogram(two_pops)
    e = two_pops["E"]
    isi, _ = isi_per_neuron(e.times, e.senders)
    assert filled(ax)[0].get_data().values.sum() == isi.size
    assert ax.get_xlabel() == "inter-spike interval [ms]"
    np.testing.assert_allclose(
        filled(ax)[0].get_data().edges[-1], max(isi.max(), 0) * 1e3, rtol=0.2
    )
    # regular trains: CV 0 for every neuron
    t = np.tile(np.arange(1, 11) * 0.1, 5)
    s = np.repeat(np.arange(5), 10)
    ax = cv_histogram(SpikeRecord(times=t, senders=s))
    (patch,) = filled(ax)
    assert patch.get_data().values.sum() == 5
    assert "5 neurons, mean 0.00" in ax.get_legend().get_texts()[0].get_text()


def test_correlation_histogram_of_identical_trains():
    t = np.array([0.01, 0.2, 0.21, 0.5, 0.77])
    times = np.concatenate([t, t, t])
    senders = np.repeat([0, 1, 2], t.size)
    ax = correlation_histogram(SpikeRecord(times=times, senders=senders), bin_width=0.05)
    (patch,) = filled(ax)
    assert patch.get_data().values.sum() == 3
    assert "3 pairs, mean 1.000" in ax.get_legend().get_texts()[0].get_text()


def test_fano_factor_of_poisson_counts_is_near_one(rng):
    n_neurons, rate, duration = 50, 20.0, 50.0
    times, senders = [], []
    for k in range(n_neurons):
        t = rng.uniform(0, duration, rng.poisson(rate * duration))
        times.append(t)
        senders.append(np.full(t.size, k))
    rec = SpikeRecord(times=np.concatenate(times), senders=np.concatenate(senders))
    ax = fano_factor(rec, bin_width=0.1, t_start=0.0, t_stop=duration)
    text = ax.get_legend().get_texts()[0].get_text()
    mean = float(text.rsplit(" ", 1)[1])
    # 500 windows per neuron: the mean over 50 neurons has a standard error of ~0.01
    assert mean == pytest.approx(1.0, abs=0.08)


def test_empty_or_too_short_recordings_give_notes(notes):
    empty = SpikeRecord(times=np.zeros(0), senders=np.zeros(0, dtype=np.int64))
    assert notes(isi_histogram(empty)) == ["no neuron fired twice"]
    assert notes(cv_histogram(empty)) == ["no neuron with 3 or more spikes"]
    assert notes(correlation_histogram(empty)) == ["fewer than two active neurons"]
    assert notes(rate_histogram(empty)) == ["no neurons"]
    assert notes(population_rate([])) == ["no spike recordings"]
    assert notes(psth(empty, [])) == ["no events"]
    one = SpikeRecord(times=np.array([0.05]), senders=np.array([0]))
    assert notes(fano_factor(one, bin_width=0.1, t_stop=0.15))[0].startswith("window")


def test_bad_parameters_raise(two_pops):
    with pytest.raises(ConfigurationError, match="bin_width"):
        population_rate(two_pops, bin_width=-1)
    with pytest.raises(ConfigurationError, match="bins"):
        rate_histogram(two_pops, bins=0)
    with pytest.raises(ConfigurationError, match="min_spikes"):
        cv_histogram(two_pops, min_spikes=1)
    with pytest.raises(ConfigurationError, match="unknown population"):
        isi_histogram(two_pops, populations="P")
