"""The digits demo (examples/digits_stdp): unsupervised STDP learns the 8x8 digits.

A short run (20 excitatory neurons, 300 training digits, one epoch) must classify held-out
digits far above chance; the full run (the demo's defaults) is a slow test.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "digits_stdp" / "digits_stdp.py"


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("digits_stdp", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve string annotations through sys.modules
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def chance_bound(n: int, p: float = 0.1, sigmas: float = 6.0) -> float:
    """Accuracy ``sigmas`` binomial standard deviations above ``p`` on ``n`` test digits."""
    return p + sigmas * math.sqrt(p * (1 - p) / n)


def test_short_run_learns_far_above_chance(demo, tmp_path, capsys):
    plot = tmp_path / "fields.png"
    r = demo.main(
        n_exc=20,
        epochs=1,
        n_train=300,
        n_test=200,
        seed=3,
        plot=plot,
    )
    assert r.n_test == 200
    # The split is stratified, so guessing (or always answering one class) scores about 0.1,
    # with a binomial sd of 0.021 on 200 digits: 0.1 + 6 sd = 0.23. Measured 0.66, 0.61, 0.70,
    # 0.70, 0.64 for seeds 0-4; 0.4 leaves room for the Poisson noise of other seeds and still
    # lies 14 sd above chance.
    assert r.accuracy > max(0.4, chance_bound(r.n_test))
    # the neurons specialise on different digits: measured 10 classes among the 20 labels
    assert np.unique(r.labels[r.labels >= 0]).size >= 6
    # the input weights stay normalised: every neuron's weights sum to w_total
    assert np.allclose(r.weights.sum(axis=0), demo.Params().w_total, rtol=1e-9)
    assert r.baseline > 0.94
    out = capsys.readouterr().out
    assert "held-out accuracy" in out and "logistic regression" in out
    image = imread(plot)
    assert image.shape[0] > 100 and image.std() > 0


@pytest.mark.slow
def test_full_run_reaches_the_target(demo, tmp_path):
    r = demo.main(plot=tmp_path / "fields.png", verbose=False)
    # the aim, 0.85 on the 450 held-out digits; measured 0.864 (seed 0) and 0.867-0.873
    # (seeds 1-3, the demo's docstring); logistic regression on raw pixels scores 0.973
    assert r.accuracy >= 0.85
    assert r.baseline > 0.94
