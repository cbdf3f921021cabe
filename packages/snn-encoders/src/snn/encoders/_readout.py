"""A linear readout trained by ridge regression on spike counts (or any features).

Targets are one-hot class indicators; the readout predicts the class with the largest output.
Ridge regression (Hoerl & Kennard 1970, "Ridge regression: biased estimation for nonorthogonal
problems", Technometrics 12:55-67) solves ``(X^T X + alpha I) W = X^T Y`` on centred features,
with an unpenalised bias; features are standardised first by default, so ``alpha`` does not
depend on their scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg

from snn.core.errors import ConfigurationError
from snn.core.validate import require_finite, require_nonnegative

__all__ = ["LinearReadout"]


@dataclass(frozen=True, kw_only=True, eq=False)
class LinearReadout:
    """A trained linear classifier: ``argmax(features @ weights + bias)``.

    Made by :meth:`fit`.

    Attributes
    ----------
    weights : numpy.ndarray
        ``(n_features, n_classes)``, acting on raw (unstandardised) features.
    bias : numpy.ndarray
        ``(n_classes,)``.
    classes : numpy.ndarray
        Class labels, in the order of the outputs.
    alpha : float
        Ridge penalty used.
    """

    weights: np.ndarray
    bias: np.ndarray
    classes: np.ndarray
    alpha: float

    @classmethod
    def fit(
        cls, features: Any, labels: Any, *, alpha: float = 1.0, standardize: bool = True
    ) -> LinearReadout:
        """Train on ``features`` (``(n_samples, n_features)``, e.g. spike counts) and labels.

        Parameters
        ----------
        features
            One row per sample.
        labels
            One class label per sample.
        alpha
            Ridge penalty (>= 0) on the standardised (or raw) features.
        standardize
            Scale each feature to unit variance before the fit (constant features are left
            as they are).

        Returns
        -------
        LinearReadout
        """
        x = np.asarray(features, dtype=np.float64)
        y = np.asarray(labels).ravel()
        if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[0] == 0:
            raise ConfigurationError(
                f"`features` must be (n_samples, n_features) with one label per row, got "
                f"{x.shape} and {y.shape[0]} labels."
            )
        require_finite("features", x)
        require_nonnegative("alpha", alpha)
        classes, index = np.unique(y, return_inverse=True)
        if classes.shape[0] < 2:
            raise ConfigurationError("`labels` must hold at least two classes.")
        targets = np.eye(classes.shape[0])[index]
        mean = x.mean(axis=0)
        scale = x.std(axis=0) if standardize else np.ones(x.shape[1])
        scale = np.where(scale > 0, scale, 1.0)
        z = (x - mean) / scale
        t_mean = targets.mean(axis=0)
        gram = z.T @ z + alpha * np.eye(z.shape[1])
        w = scipy.linalg.solve(gram, z.T @ (targets - t_mean), assume_a="sym")
        weights = w / scale[:, None]
        bias = t_mean - mean @ weights
        return cls(weights=weights, bias=bias, classes=classes, alpha=float(alpha))

    def decision(self, features: Any) -> np.ndarray:
        """Outputs ``(n_samples, n_classes)`` for ``features``."""
        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.weights.shape[0]:
            raise ConfigurationError(
                f"`features` must have shape (n_samples, {self.weights.shape[0]}), got {x.shape}."
            )
        return x @ self.weights + self.bias

    def predict(self, features: Any) -> np.ndarray:
        """Predicted class label of each row of ``features``."""
        return self.classes[np.argmax(self.decision(features), axis=1)]

    def accuracy(self, features: Any, labels: Any) -> float:
        """Fraction of rows whose predicted label is ``labels``."""
        return float(np.mean(self.predict(features) == np.asarray(labels).ravel()))
