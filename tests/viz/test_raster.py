"""Raster plots and the normalisation of spike inputs behind every spike plot."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.image import AxesImage

from snn.core import ConfigurationError, SpikeRecord
from snn.viz import raster
from snn.viz._raster import dense_counts
from snn.viz._spikes import spike_groups, time_window


def scatters(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


# ------------------------------------------------------------------ inputs


def test_groups_from_records_pairs_lists_and_dicts(two_pops):
    e, i = two_pops["E"], two_pops["I"]
    by_dict = spike_groups(two_pops)
    assert [g.label for g in by_dict] == ["E", "I"]
    assert by_dict[1].first_id == int(i.senders.min())
    np.testing.assert_array_equal(by_dict[1].rows + by_dict[1].first_id, i.senders)
    pair = spike_groups((e.times, e.senders))
    assert pair[0].label == "group 0" and pair[0].n_spikes == e.times.size
    listed = spike_groups([e, i])
    assert [g.label for g in listed] == ["group 0", "group 1"]


def test_groups_split_by_id_range_keeps_silent_neurons(two_pops):
    merged = SpikeRecord(
        times=np.concatenate([two_pops["E"].times, two_pops["I"].times]),
        senders=np.concatenate([two_pops["E"].senders, two_pops["I"].senders]),
    )
    found = spike_groups(merged, groups={"E": (0, 80), "I": (80, 20), "silent": (100, 50)})
    assert [g.size for g in found] == [80, 20, 50]
    assert found[0].n_spikes == two_pops["E"].times.size
    assert found[1].rows.min() >= 0 and found[1].rows.max() < 20
    assert found[2].n_spikes == 0


def test_monitors_carry_population_and_end_time(brunel):
    found = spike_groups(brunel.monitors)
    assert [g.label for g in found] == ["E", "I"]
    assert [g.size for g in found] == [500, 125]
    assert found[0].t_end == pytest.approx(0.2)
    assert time_window(found, None, None) == (0.0, pytest.approx(0.2))


def test_bad_inputs_say_what_is_wrong(two_pops):
    with pytest.raises(ConfigurationError, match="differ in length: 3 times and 2 senders"):
        spike_groups(SpikeRecord(times=np.zeros(3), senders=np.zeros(2, dtype=int)))
    with pytest.raises(ConfigurationError, match=r"unknown population 'X'.*'E', 'I'"):
        spike_groups(two_pops, populations="X")
    with pytest.raises(ConfigurationError, match="NaN or inf"):
        spike_groups(SpikeRecord(times=np.array([0.1, np.nan]), senders=np.array([0, 1])))
    with pytest.raises(ConfigurationError, match="got str"):
        spike_groups("spikes.h5")
    with pytest.raises(ConfigurationError, match="t_start"):
        time_window(spike_groups(two_pops), 0.5, 0.2)


def test_raster_rejects_bad_input_before_drawing(two_pops):
    with pytest.raises(ConfigurationError, match="differ in length"):
        raster({"E": SpikeRecord(times=np.zeros(3), senders=np.zeros(2, dtype=int))})
    with pytest.raises(ConfigurationError, match="unknown population 'Z'"):
        raster(two_pops, populations=["E", "Z"])
    with pytest.raises(ConfigurationError, match="max_neurons"):
        raster(two_pops, max_neurons=0)


# ------------------------------------------------------------------ sparse rasters


def test_sparse_raster_draws_every_spike_in_its_colour_and_row(two_pops, draw):
    ax = raster(two_pops, title="two")
    e, i = two_pops["E"], two_pops["I"]
    sc = scatters(ax)
    assert len(sc) == 2
    # E occupies rows 0-79 (its ids start at 0); I is stacked above it from row 80
    e_rows = e.senders - e.senders.min()
    np.testing.assert_allclose(sc[0].get_offsets(), np.column_stack([e.times, e_rows]))
    i_rows = 80 + i.senders - i.senders.min()
    np.testing.assert_allclose(sc[1].get_offsets(), np.column_stack([i.times, i_rows]))
    np.testing.assert_allclose(sc[0].get_facecolor()[0], to_rgba("C0"))
    np.testing.assert_allclose(sc[1].get_facecolor()[0], to_rgba("C1"))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["E", "I"]
    boundaries = [ln for ln in ax.lines if ln.get_gid() == "snn-boundary"]
    assert len(boundaries) == 1 and boundaries[0].get_ydata()[0] == pytest.approx(79.5)
    assert ax.get_title() == "two" and ax.get_xlabel() == "time [s]"
    assert draw(ax)[:8] == b"\x89PNG\r\n\x1a\n"


def test_window_and_subsampling(two_pops):
    ax = raster(two_pops, t_start=0.25, t_stop=0.5, max_neurons=10)
    assert ax.get_xlim() == (0.25, 0.5)
    e = two_pops["E"]
    expected = ((e.times >= 0.25) & (e.times <= 0.5) & (e.senders - e.senders.min() < 10)).sum()
    off = scatters(ax)[0].get_offsets()
    assert off.shape[0] == expected
    assert off[:, 1].max() < 10 and off[:, 0].min() >= 0.25
    assert ax.get_ylim() == (-0.5, 19.5)  # two populations of 10 rows
    spread = raster(two_pops, max_neurons=10, subsample="spread")
    rows = scatters(spread)[0].get_offsets()[:, 1]
    # every 8th of 80 neurons: ids 0, 8, ..., 72 drawn on rows 0-9
    assert set(np.unique(rows)) <= set(range(10))
    assert (
        scatters(spread)[0].get_offsets().shape[0] == ((e.senders - e.senders.min()) % 8 == 0).sum()
    )
    assert "subsampled" in spread.get_ylabel()


def test_cli_call_signature_with_labelled_records(two_pops):
    ax = raster(two_pops, max_neurons=500, title="brunel: E 1.00 Hz, I 2.00 Hz")
    assert ax.get_title().startswith("brunel")


def test_draws_into_a_given_axes(two_pops):
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(1, 2)
    assert raster(two_pops, ax=axes[1]) is axes[1]
    assert not scatters(axes[0])


def test_empty_recordings_give_a_note(notes):
    empty = SpikeRecord(times=np.zeros(0), senders=np.zeros(0, dtype=np.int64))
    assert notes(raster(empty)) == ["no spikes in the window"]
    assert notes(raster([])) == ["no spike recordings"]
    assert notes(raster({"E": empty, "I": empty})) == ["no spikes in the window"]


# ------------------------------------------------------------------ dense rasters


def test_dense_counts_match_histogram2d(rng):
    t = rng.uniform(0.0, 2.0, 5000)
    rows = rng.integers(0, 300, 5000)
    counts = dense_counts(t, rows, 300, 0.0, 2.0, 100, 50)
    ref, _, _ = np.histogram2d(rows, t, bins=(100, 50), range=((0, 300), (0.0, 2.0)))
    np.testing.assert_array_equal(counts, ref)


def test_dense_raster_is_an_image_per_population(two_pops, draw):
    ax = raster(two_pops, dense_limit=100)
    assert not scatters(ax)
    images = [im for im in ax.get_images() if isinstance(im, AxesImage)]
    assert len(images) == 2
    e = two_pops["E"]
    rgba = images[0].get_array()
    # one row per neuron (fewer than pixel rows), one time bin per pixel column of the axes
    width = int(ax.get_window_extent().width)
    hi = max(e.times.max(), two_pops["I"].times.max())
    counts = dense_counts(e.times, e.senders - e.senders.min(), 80, 0.0, hi, 80, width)
    assert rgba.shape == (80, width, 4)
    np.testing.assert_array_equal(rgba[..., 3] > 0, counts > 0)
    np.testing.assert_array_equal(
        rgba[counts > 0, :3][0], np.round(np.array(to_rgba("C0")[:3]) * 255)
    )
    assert images[1].get_extent() == pytest.approx((0.0, hi, 79.5, 99.5))
    assert len(draw(ax)) > 1000


def test_ten_thousand_neurons_share_image_rows(rng):
    t = rng.uniform(0, 1, 300_000)
    s = rng.integers(0, 10_000, 300_000)
    ax = raster(SpikeRecord(times=t, senders=s), t_start=0.0, t_stop=1.0)
    (image,) = ax.get_images()
    box = ax.get_window_extent()
    rows, cols, _ = image.get_array().shape
    assert abs(rows - box.height) <= 1 and cols == int(box.width)
    assert image.get_array()[..., 3].any()
    assert ax.get_ylim() == (-0.5, 9999.5)
