"""The example data set: scikit-learn's 8x8 handwritten digits, a seeded split and a baseline.

The digits (Alpaydin & Kaynak 1998, UCI "Optical Recognition of Handwritten Digits", test part;
shipped inside scikit-learn, no download) are 1797 images of 8x8 pixels, each pixel the count of
set pixels in a 4x4 block of a 32x32 bitmap, so an integer from 0 to 16; :func:`load_digits`
scales them to [0, 1] by dividing by 16.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from snn.core.errors import ConfigurationError
from snn.core.random import Uniform, derive_key
from snn.core.validate import require_int

__all__ = ["Digits", "Split", "digits_baseline", "load_digits", "train_test_split"]

#: largest pixel value of the digits (a count over a 4x4 block; scikit-learn's DESCR)
DIGITS_MAX = 16.0


@dataclass(frozen=True, eq=False)
class Digits:
    """The 8x8 digits.

    Attributes
    ----------
    images : numpy.ndarray
        float64 ``(1797, 8, 8)``, pixel intensities in [0, 1].
    data : numpy.ndarray
        The same flattened, ``(1797, 64)``.
    target : numpy.ndarray
        int64 labels 0..9, ``(1797,)``.
    """

    images: np.ndarray
    data: np.ndarray
    target: np.ndarray


@dataclass(frozen=True, eq=False)
class Split:
    """A train/test split.

    Attributes
    ----------
    x_train, y_train, x_test, y_test : numpy.ndarray
        Samples and labels of each part.
    train_index, test_index : numpy.ndarray
        Rows of the original data in each part, ascending.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray
    test_index: np.ndarray


def load_digits() -> Digits:
    """scikit-learn's 8x8 digits with pixels scaled to [0, 1] (see the module docstring)."""
    from sklearn.datasets import load_digits as sk_load_digits

    d = sk_load_digits()
    images = np.asarray(d.images, dtype=np.float64) / DIGITS_MAX
    return Digits(
        images=images,
        data=images.reshape(images.shape[0], -1),
        target=np.asarray(d.target, dtype=np.int64),
    )


def train_test_split(
    x: Any, y: Any, *, test_fraction: float = 0.25, seed: int = 0, stratify: bool = True
) -> Split:
    """Split samples into a training and a test part, reproducibly from ``seed``.

    The order is drawn from counter-based uniforms keyed by the seed (not from a global random
    state), so the split depends only on ``seed`` and the data's length and labels.

    Parameters
    ----------
    x
        Samples along the first axis.
    y
        One label per sample.
    test_fraction
        Fraction of the samples (of each class, with ``stratify``) in the test part, in (0, 1).
    seed
        Seed of the shuffle.
    stratify
        Keep the class proportions in both parts (``round(test_fraction * n_class)`` test
        samples per class).

    Returns
    -------
    Split
    """
    x = np.asarray(x)
    y = np.asarray(y).ravel()
    if x.shape[0] != y.shape[0]:
        raise ConfigurationError(f"`x` has {x.shape[0]} samples but `y` {y.shape[0]} labels.")
    if not 0.0 < test_fraction < 1.0:
        raise ConfigurationError(f"`test_fraction` must be in (0, 1), got {test_fraction!r}.")
    seed = require_int("seed", seed, minimum=0)
    key = derive_key(seed, "snn.encoders", "train_test_split")
    u = Uniform(low=0.0, high=1.0).draw_at(np.arange(y.shape[0]), key=key)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(y.shape[0])]
    test = []
    for g in groups:
        shuffled = g[np.argsort(u[g], kind="stable")]
        test.append(shuffled[: round(test_fraction * g.shape[0])])
    test_index = np.sort(np.concatenate(test))
    train_index = np.setdiff1d(np.arange(y.shape[0]), test_index)
    if test_index.size == 0 or train_index.size == 0:
        raise ConfigurationError(
            f"`test_fraction` = {test_fraction!r} leaves one part empty for {y.shape[0]} samples."
        )
    return Split(
        x_train=x[train_index],
        y_train=y[train_index],
        x_test=x[test_index],
        y_test=y[test_index],
        train_index=train_index,
        test_index=test_index,
    )


def digits_baseline(seed: int = 0, *, test_fraction: float = 0.25, verbose: bool = True) -> float:
    """Test accuracy of logistic regression on the raw digit pixels (the non-spiking baseline).

    scikit-learn's ``LogisticRegression`` (L2, C = 1, lbfgs) on pixels in [0, 1], trained on the
    :func:`train_test_split` of ``seed``. Prints the accuracy when ``verbose``.

    Parameters
    ----------
    seed
        Seed of the split.
    test_fraction
        Fraction of the samples held out for testing.
    verbose
        Print the result.

    Returns
    -------
    float
        Fraction of test digits classified correctly.
    """
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    digits = load_digits()
    split = train_test_split(digits.data, digits.target, test_fraction=test_fraction, seed=seed)
    # lbfgs converges on [0, 1] pixels in a few hundred iterations; 5000 leaves ample room
    model = LogisticRegression(C=1.0, max_iter=5000)
    # one BLAS thread: the problem is tiny, and on a busy machine threaded BLAS made this fit
    # take 11.7 s instead of 0.07 s (measured on the 2-core development machine)
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(split.x_train, split.y_train)
    accuracy = float(model.score(split.x_test, split.y_test))
    if verbose:
        print(
            f"logistic regression on raw pixels: test accuracy {accuracy:.4f} "
            f"({split.y_train.shape[0]} train, {split.y_test.shape[0]} test digits, seed {seed})"
        )
    return accuracy
