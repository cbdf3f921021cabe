"""What generated models call at run time: no sympy here.

:func:`exprel` is the numba kernel behind ``exprel(x)`` in equations. :func:`propagators` computes
the exact propagators of a linear system once per time step (NEST's exact integration): for
``dx/dt = A x + b`` with ``A`` and ``b`` constant over a step of length ``h``,

    x(t + h) = P x(t) + Q b,    P = exp(A h),    Q = integral_0^h exp(A s) ds,

both read off one matrix exponential of the augmented matrix ``[[A, I], [0, 0]] h`` (Van Loan
1978, "Computing integrals involving the matrix exponential", IEEE Trans. Autom. Control 23:395).
scipy's ``expm`` (Padé approximation with scaling and squaring, Al-Mohy & Higham 2009) handles
repeated eigenvalues (``tau_m == tau_syn``), where closed forms divide by zero. With per-neuron
parameters, one exponential is computed per distinct matrix.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from snn.core.kernels import kernel

__all__ = [
    "LEARNING",
    "LOCAL",
    "RUNTIME",
    "as_value",
    "exprel",
    "exprel_np",
    "pick",
    "propagators",
    "refractory_steps",
]

#: the functions a generated module imports, in order
RUNTIME = ("exprel", "exprel_np", "propagators", "pick", "as_value", "refractory_steps")
#: their local names there (:class:`snn.core.kernels.Imports` numbers them in this order)
LOCAL = {name: f"{name}_{k}" for k, name in enumerate(RUNTIME)}
#: the hidden parameter of generated learning rules switching weight changes on (1) and off (0)
LEARNING = "_learning"


@kernel(inline="always")
def exprel(x):  # pragma: no cover - compiled
    """``(exp(x) - 1) / x``, continued by its series ``1 + x/2`` for ``|x| < 1e-8``."""
    small = abs(x) < 1e-8
    safe = 1.0 if small else x
    return (1.0 + 0.5 * x) if small else math.expm1(safe) / safe


def exprel_np(x: Any) -> Any:
    """:func:`exprel` for numpy values (the constants of a model)."""
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) < 1e-8
    safe = np.where(small, 1.0, x)
    return np.where(small, 1.0 + 0.5 * x, np.expm1(safe) / safe)


def as_value(value: Any) -> float | np.ndarray:
    """A parameter as a float or a float64 array (per neuron)."""
    arr = np.asarray(value, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr


def propagators(
    n: int, entries: list[tuple[int, int, Any]], h: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact propagators ``P = exp(A h)`` and ``Q = integral_0^h exp(A s) ds``.

    Parameters
    ----------
    n
        Size of the system.
    entries
        The non-zero entries ``(row, column, value)`` of ``A`` [1/s]; a value is a float or a
        per-neuron array.
    h
        Step [s].

    Returns
    -------
    P, Q : numpy.ndarray
        Shape ``(n, n)``, or ``(neurons, n, n)`` when an entry varies per neuron.
    """
    values = [np.asarray(v, dtype=np.float64) for _, _, v in entries]
    pairs = zip(entries, values, strict=True)
    key = (n, h, tuple((i, j, v.shape, v.tobytes()) for (i, j, _), v in pairs))
    known = _PROPAGATORS.get(key)
    if known is None:
        p, q = _propagators(n, entries, values, h)
        size = p.nbytes + q.nbytes + sum(v.nbytes for v in values)
        known = _PROPAGATORS[key] = (p, q, size)
        _KEPT[0] += size
        while len(_PROPAGATORS) > 1 and (
            len(_PROPAGATORS) > _PROPAGATORS_KEPT or _KEPT[0] > _PROPAGATORS_BYTES
        ):
            _KEPT[0] -= _PROPAGATORS.pop(next(iter(_PROPAGATORS)))[2]
    return known[0].copy(), known[1].copy()


#: the last propagators computed, by system and step (oldest first): a ``set`` of a parameter
#: they do not read (a callback's, every step) computes the model's constants again, not the
#: exponentials; at most this many systems and bytes are kept (and always the newest)
_PROPAGATORS: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray, int]] = {}
_PROPAGATORS_KEPT = 16
_PROPAGATORS_BYTES = 32 * 2**20
#: the bytes of arrays the cache holds (its keys' values and the propagators)
_KEPT = [0]


def _propagators(
    n: int, entries: list[tuple[int, int, Any]], values: list[np.ndarray], h: float
) -> tuple[np.ndarray, np.ndarray]:
    shape = np.broadcast_shapes(*(v.shape for v in values)) if values else ()
    a = np.zeros((*shape, n, n))
    for (i, j, _), v in zip(entries, values, strict=True):
        a[..., i, j] = v
    if a.ndim == 2:
        p, q = _augmented(a[None], n, h)
        return p[0], q[0]
    flat = a.reshape(-1, n, n)
    unique, inverse = np.unique(flat, axis=0, return_inverse=True)
    p, q = _augmented(unique, n, h)
    inverse = inverse.reshape(-1)
    return p[inverse].reshape(a.shape), q[inverse].reshape(a.shape)


def _augmented(a: np.ndarray, n: int, h: float) -> tuple[np.ndarray, np.ndarray]:
    import scipy.linalg  # only models with exact propagators pay its import (0.2 s)

    big = np.zeros((a.shape[0], 2 * n, 2 * n))
    big[:, :n, :n] = a * h
    big[:, :n, n:] = np.eye(n) * h
    e = scipy.linalg.expm(big)
    return e[:, :n, :n], e[:, :n, n:]


def pick(matrix: np.ndarray, i: int, j: int) -> float | np.ndarray:
    """Entry ``(i, j)`` of a propagator: a float, or one value per neuron."""
    value = matrix[..., i, j]
    return float(value) if np.ndim(value) == 0 else np.ascontiguousarray(value)


def refractory_steps(period: Any, dt: float) -> int | np.ndarray:
    """A refractory period [s] in whole steps (rounded), an int or one per neuron."""
    steps = np.rint(np.asarray(period, dtype=np.float64) / dt).astype(np.int64)
    return int(steps) if steps.ndim == 0 else steps
