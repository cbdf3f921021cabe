"""The digits, the seeded split, and the logistic-regression baseline."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError
from snn.encoders import digits_baseline, load_digits, train_test_split


def test_digits_scaled_to_unit_interval():
    d = load_digits()
    # scikit-learn ships 1797 8x8 digits with integer pixels 0..16 (its DESCR)
    assert d.images.shape == (1797, 8, 8) and d.data.shape == (1797, 64)
    assert d.data.min() == 0.0 and d.data.max() == 1.0
    assert np.all(np.isclose(d.data * 16, np.round(d.data * 16)))
    assert sorted(set(d.target.tolist())) == list(range(10))


def test_split_reproducible_stratified_and_disjoint():
    d = load_digits()
    a = train_test_split(d.data, d.target, test_fraction=0.25, seed=3)
    b = train_test_split(d.data, d.target, test_fraction=0.25, seed=3)
    c = train_test_split(d.data, d.target, test_fraction=0.25, seed=4)
    assert np.array_equal(a.test_index, b.test_index)
    assert not np.array_equal(a.test_index, c.test_index)
    assert np.intersect1d(a.train_index, a.test_index).size == 0
    assert a.train_index.size + a.test_index.size == 1797
    for k in range(10):
        n_k = int((d.target == k).sum())
        assert int((a.y_test == k).sum()) == round(0.25 * n_k)
    assert np.array_equal(a.x_test, d.data[a.test_index])
    with pytest.raises(ConfigurationError, match="test_fraction"):
        train_test_split(d.data, d.target, test_fraction=1.0)


def test_baseline_prints_its_accuracy(capsys):
    acc = digits_baseline(0)
    out = capsys.readouterr().out
    assert f"{acc:.4f}" in out
    # logistic regression on the 8x8 digits scores ~0.96-0.98 (scikit-learn's examples); a
    # lower value means the data or the split is broken
    assert acc > 0.94
