"""Weight matrix, distribution, evolution and receptive fields."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import StepPatch

from snn.core import ConfigurationError
from snn.viz import receptive_fields, weight_evolution, weight_histogram, weight_matrix


def test_matrix_from_synapse_arrays(draw):
    src = np.array([0, 0, 1, 2, 2])
    tgt = np.array([1, 1, 0, 2, 3])
    w = np.array([1.0, 2.0, -4.0, 0.5, 1.5]) * 1e-9
    ax = weight_matrix(w, sources=src, targets=tgt, n_pre=3, n_post=4, unit="S")
    (im,) = ax.get_images()
    expected = np.full((3, 4), np.nan)
    expected[0, 1] = 3.0  # two synapses between one pair are summed
    expected[1, 0] = -4.0
    expected[2, 2], expected[2, 3] = 0.5, 1.5
    np.testing.assert_allclose(np.ma.filled(im.get_array(), np.nan), expected)
    assert im.get_cmap().name == "RdBu_r"  # mixed signs: diverging, centred on 0
    cbar = ax.figure.axes[-1]
    assert cbar.get_ylabel() == "weight [nS]"
    assert ax.get_xlabel() == "postsynaptic neuron"
    draw(ax)


def test_matrix_of_a_projection_is_cut_to_max_neurons(brunel):
    ee = brunel.network.projections[0]
    ax = weight_matrix(ee, max_neurons=50)
    (im,) = ax.get_images()
    data = np.ma.filled(im.get_array(), np.nan)
    assert data.shape == (50, 50)
    src, tgt = ee.sources(), ee.targets()
    inside = (src < 50) & (tgt < 50)
    assert np.isfinite(data).sum() == len(set(zip(src[inside], tgt[inside], strict=True)))
    np.testing.assert_allclose(data[np.isfinite(data)], 100.0)  # J = 0.1 mV in µV
    assert "first 50 x 50 of 500 x 500" in ax.get_title()
    assert ax.figure.axes[-1].get_ylabel() == "weight [µV]"


def test_matrix_errors_and_empty(notes):
    with pytest.raises(ConfigurationError, match="give `sources` and `targets`"):
        weight_matrix(np.ones(3))
    with pytest.raises(ConfigurationError, match="one length"):
        weight_matrix(np.ones(3), sources=np.zeros(2, int), targets=np.zeros(3, int))
    with pytest.raises(ConfigurationError, match="exceed"):
        weight_matrix(np.ones(2), sources=np.array([0, 5]), targets=np.array([0, 1]), n_pre=3)
    assert notes(weight_matrix(np.full((3, 3), np.nan))) == ["no synapses"]


def test_histogram_of_projections(brunel):
    projs = brunel.network.projections
    ax = weight_histogram(projs)
    outlines = [p for p in ax.patches if isinstance(p, StepPatch) and not p.get_fill()]
    assert [int(p.get_data().values.sum()) for p in outlines] == [q.n_synapses for q in projs]
    assert ax.get_xlabel() == "weight [µV]"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == f"{projs[0].name}: {projs[0].n_synapses:,}"
    ax = weight_histogram({"a": np.array([1.0, 2.0, 2.0]), "b": np.array([3.0])}, bins=4)
    outlines = [p for p in ax.patches if isinstance(p, StepPatch) and not p.get_fill()]
    np.testing.assert_array_equal(outlines[0].get_data().values, [1, 0, 2, 0])
    with pytest.raises(ConfigurationError, match="NaN"):
        weight_histogram(np.array([1.0, np.nan]))


def test_evolution_mean_band_and_lines(draw):
    t = np.linspace(0, 1, 11)
    w = np.outer(1 + t, np.arange(1, 31)) * 1e-3
    ax = weight_evolution(t, w, unit="V", max_lines=5)
    singles = [ln for ln in ax.lines if ln.get_gid() == "snn-synapse"]
    assert len(singles) == 5
    (mean,) = [ln for ln in ax.lines if ln.get_label() == "mean"]
    np.testing.assert_allclose(mean.get_ydata(), w.mean(axis=1) * 1e3)
    assert ax.get_ylabel() == "weight [mV]"
    draw(ax)
    with pytest.raises(
        ConfigurationError, match="n_samples = len\\(times\\) = 11, got \\(10, 30\\)"
    ):
        weight_evolution(t, w[:10])


def test_receptive_fields_mosaic():
    fields = np.arange(5 * 6, dtype=float).reshape(5, 6)  # 5 fields of 2 x 3 pixels
    ax = receptive_fields(fields, (2, 3), n_cols=3, colorbar=False)
    (im,) = ax.get_images()
    mosaic = np.ma.filled(im.get_array(), np.nan)
    assert mosaic.shape == (2 * 3 - 1, 3 * 4 - 1)
    np.testing.assert_array_equal(mosaic[0:2, 0:3], fields[0].reshape(2, 3))
    np.testing.assert_array_equal(mosaic[3:5, 4:7], fields[4].reshape(2, 3))
    assert np.isnan(mosaic[2]).all() and np.isnan(mosaic[3:5, 8:11]).all()
    with pytest.raises(ConfigurationError, match="has 4 pixels but each field has 6"):
        receptive_fields(fields, (2, 2))


def test_receptive_fields_of_a_projection(brunel):
    ee = brunel.network.projections[0]
    ax = receptive_fields(ee, (20, 25), max_fields=4)
    mosaic = np.ma.filled(ax.get_images()[0].get_array(), np.nan)
    # field k is column k of the E->E matrix: the in-synapses of neuron k, as 20 x 25 pixels
    col0 = np.zeros(500)
    np.add.at(col0, ee.sources()[ee.targets() == 0], 100.0)
    np.testing.assert_allclose(mosaic[:20, :25].ravel(), col0)
