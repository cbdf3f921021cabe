"""Keyed random streams and the value distributions used for parameters, states and synapses.

Randomness in snn is counter-based (see :mod:`snn.core._rng`): a value depends only on the network
seed, on which object draws it, and on *which* value it is (a neuron index, a synapse's target and
rank, a time step). Distributions below describe values; the network draws them with the right
key, so the same seed gives the same network whatever the number of threads or MPI ranks.

Examples
--------
>>> from snn.core.random import Normal, Clipped
>>> from snn.core.units import mV, nS
>>> v0 = Normal(mean=-65 * mV, std=5 * mV)
>>> w = Clipped(Normal(mean=0.15 * nS, std=0.015 * nS), low=0.0)
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core._host_draws import HOST_DRAW_MAX, dist_values
from snn.core._jit import kernel
from snn.core._rng import (
    normal_ziggurat,
    poisson_from_tables,
    stream_uniform,
    sub_counter,
    uniform2,
)
from snn.core._validate import SEED_LIMIT, require_finite, require_int, require_nonnegative

__all__ = [
    "Clipped",
    "Distribution",
    "Exponential",
    "LogNormal",
    "Normal",
    "Uniform",
    "derive_key",
    "stream_uniform",
]

_CONSTANT, _UNIFORM, _NORMAL, _LOGNORMAL, _EXPONENTIAL = 0, 1, 2, 3, 4
_CLIP, _REDRAW = 0, 1
#: redraws allowed before a clipped draw gives up and clips; with at least 5 % of the mass inside
#: the bounds (checked on construction) the chance of reaching it is below 0.95**1000 ~ 5e-23.
_MAX_REDRAW = 1000
_MIN_MASS = 0.05


def derive_key(seed: int, *path: int | str) -> tuple[np.uint64, np.uint64]:
    """Philox key for the random stream named by ``path`` under ``seed``.

    Parameters
    ----------
    seed
        The seed, an integer in ``[0, 2**64)`` (anything else is refused: a negative or
        fractional seed would silently name another stream).
    *path
        Names or indices identifying the consumer, e.g. ``("projection", 3, "weight")``.

    Returns
    -------
    tuple of numpy.uint64
        The two 32-bit key words.
    """
    seed = require_int("seed", seed, minimum=0, maximum=SEED_LIMIT)
    text = "/".join([str(seed), *(str(p) for p in path)]).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    k = int.from_bytes(digest, "little")
    return np.uint64(k & 0xFFFFFFFF), np.uint64(k >> 32)


@dataclass(frozen=True, kw_only=True)
class Distribution:
    """A law that values are drawn from (base class).

    Subclasses encode themselves as a small float64 array (:attr:`spec`) read by the numba
    sampler, so every rule and every model can draw from every distribution.
    """

    def spec(self) -> np.ndarray:
        """Encoding for the numba sampler: ``[code, p0, p1, low, high, method]``."""
        raise NotImplementedError

    #: numpy numbers on the left of ``*`` and ``+`` leave the operation to the law
    __array_ufunc__: ClassVar[None] = None

    # ---- arithmetic with numbers (NEST's ``-5.0 * nest.random.normal(...)``, or a unit:
    # ``Normal(mean=20.0, std=2.0) * pA``): the law of ``a * X + b``, as a law of the same kind

    def _affine(self, a: float, b: float) -> Distribution:
        """The law of ``a * X + b`` (``X`` drawn from this one)."""
        raise _not_closed(self, "scaled or shifted")

    def _number(self, other: Any) -> float | None:
        if isinstance(other, bool) or not isinstance(other, int | float | np.integer | np.floating):
            return None
        value = float(other)
        if not math.isfinite(value):
            from snn.core.errors import ConfigurationError

            raise ConfigurationError(f"cannot combine {self!r} with {value!r}.")
        return value

    def __mul__(self, other: Any) -> Distribution:
        a = self._number(other)
        return NotImplemented if a is None else self._affine(a, 0.0)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Distribution:
        a = self._number(other)
        if a is None:
            return NotImplemented
        if a == 0.0:
            from snn.core.errors import ConfigurationError

            raise ConfigurationError(f"cannot divide {self!r} by zero.")
        return self._affine(1.0 / a, 0.0)

    def __add__(self, other: Any) -> Distribution:
        b = self._number(other)
        return NotImplemented if b is None else self._affine(1.0, b)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Distribution:
        b = self._number(other)
        return NotImplemented if b is None else self._affine(1.0, -b)

    def __rsub__(self, other: Any) -> Distribution:
        b = self._number(other)
        return NotImplemented if b is None else self._affine(-1.0, b)

    def __neg__(self) -> Distribution:
        return self._affine(-1.0, 0.0)

    def expectation(self) -> float:
        """Expected value of the (unclipped) law [same unit as the values]."""
        raise NotImplementedError

    def draw(self, n: int, *, key: tuple[np.uint64, np.uint64], b: int = 0) -> np.ndarray:
        """Draw values for indices ``0..n-1``: value ``i`` uses counter ``(i, b)``.

        Parameters
        ----------
        n
            Number of values.
        key
            Stream key from :func:`derive_key`.
        b
            Second counter word (for example a variable index).

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``(n,)``.
        """
        if n <= HOST_DRAW_MAX:
            # no compilation for the few values of a network's construction (_host_draws.py)
            return dist_values(self.spec(), key[0], key[1], np.arange(int(n)), b)
        out = np.empty(int(n), dtype=np.float64)
        dist_fill(self.spec(), key[0], key[1], 0, 1, np.uint64(b), out)
        return out

    def draw_at(
        self, indices: np.ndarray, *, key: tuple[np.uint64, np.uint64], b: int = 0
    ) -> np.ndarray:
        """Draw the values of the given (global) indices, as :meth:`draw` would for them."""
        idx = np.ascontiguousarray(indices, dtype=np.int64)
        if idx.shape[0] <= HOST_DRAW_MAX:
            return dist_values(self.spec(), key[0], key[1], idx, b)
        out = np.empty(idx.shape[0], dtype=np.float64)
        dist_fill_at(self.spec(), key[0], key[1], idx, np.uint64(b), out)
        return out


@dataclass(frozen=True, kw_only=True)
class Uniform(Distribution):
    """Uniform law on ``[low, high)``.

    Parameters
    ----------
    low, high
        Bounds [unit of the value]; ``low <= high``.
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        require_finite("low", self.low)
        require_finite("high", self.high)
        if self.high < self.low:
            from snn.core.errors import ConfigurationError

            raise ConfigurationError(
                f"Uniform needs low <= high, got low={self.low!r}, high={self.high!r}."
            )

    def spec(self) -> np.ndarray:  # noqa: D102
        return np.array([_UNIFORM, self.low, self.high, -np.inf, np.inf, _CLIP])

    def _affine(self, a: float, b: float) -> Distribution:
        ends = sorted((a * self.low + b, a * self.high + b))
        return Uniform(low=ends[0], high=ends[1])

    def expectation(self) -> float:  # noqa: D102
        return 0.5 * (self.low + self.high)


@dataclass(frozen=True, kw_only=True)
class Normal(Distribution):
    """Normal law.

    Parameters
    ----------
    mean
        Mean [unit of the value].
    std
        Standard deviation [unit of the value], >= 0.
    """

    mean: float
    std: float

    def __post_init__(self) -> None:
        require_finite("mean", self.mean)
        require_nonnegative("std", self.std)

    def spec(self) -> np.ndarray:  # noqa: D102
        return np.array([_NORMAL, self.mean, self.std, -np.inf, np.inf, _CLIP])

    def _affine(self, a: float, b: float) -> Distribution:
        return Normal(mean=a * self.mean + b, std=abs(a) * self.std)

    def expectation(self) -> float:  # noqa: D102
        return self.mean

    def mass_between(self, low: float, high: float) -> float:
        """Probability of a draw in ``[low, high]``."""
        if self.std == 0.0:
            return 1.0 if low <= self.mean <= high else 0.0
        z = 1.0 / (self.std * math.sqrt(2.0))
        return 0.5 * (math.erf((high - self.mean) * z) - math.erf((low - self.mean) * z))


@dataclass(frozen=True, kw_only=True)
class LogNormal(Distribution):
    """Log-normal law: ``exp(X)`` with ``X ~ Normal(mu, sigma)`` (NEST's ``lognormal``).

    Parameters
    ----------
    mu
        Mean of the underlying normal [log of the value's unit].
    sigma
        Standard deviation of the underlying normal, >= 0.
    """

    mu: float
    sigma: float

    def __post_init__(self) -> None:
        require_finite("mu", self.mu)
        require_nonnegative("sigma", self.sigma)

    def spec(self) -> np.ndarray:  # noqa: D102
        return np.array([_LOGNORMAL, self.mu, self.sigma, -np.inf, np.inf, _CLIP])

    def _affine(self, a: float, b: float) -> Distribution:
        if a <= 0.0 or b != 0.0:
            raise _not_closed(self, _change(a, b))
        return LogNormal(mu=self.mu + math.log(a), sigma=self.sigma)

    def expectation(self) -> float:  # noqa: D102
        return math.exp(self.mu + 0.5 * self.sigma**2)


@dataclass(frozen=True, kw_only=True)
class Exponential(Distribution):
    """Exponential law with the given mean (``scale``).

    Parameters
    ----------
    scale
        Mean [unit of the value], > 0.
    """

    scale: float

    def __post_init__(self) -> None:
        require_finite("scale", self.scale)
        if self.scale <= 0.0:
            from snn.core.errors import ConfigurationError

            raise ConfigurationError(f"Exponential needs scale > 0, got {self.scale!r}.")

    def spec(self) -> np.ndarray:  # noqa: D102
        return np.array([_EXPONENTIAL, self.scale, 0.0, -np.inf, np.inf, _CLIP])

    def _affine(self, a: float, b: float) -> Distribution:
        if a <= 0.0 or b != 0.0:
            raise _not_closed(self, _change(a, b))
        return Exponential(scale=a * self.scale)

    def expectation(self) -> float:  # noqa: D102
        return self.scale


@dataclass(frozen=True)
class Clipped(Distribution):
    """A distribution restricted to ``[low, high]``.

    Parameters
    ----------
    dist
        The underlying law.
    low, high
        Bounds [unit of the value]; ``None`` leaves that side open.
    method
        ``"redraw"`` (default, NEST's ``redraw``): draw again until the value lies inside;
        ``"clip"``: move values outside onto the nearest bound.
    """

    dist: Distribution
    _: KW_ONLY
    low: float | None = None
    high: float | None = None
    method: Literal["redraw", "clip"] = "redraw"

    def __post_init__(self) -> None:
        from snn.core.errors import ConfigurationError

        if isinstance(self.dist, Clipped):
            raise ConfigurationError("Clipped cannot wrap another Clipped; combine the bounds.")
        if self.method not in ("redraw", "clip"):
            raise ConfigurationError(
                f"Clipped method must be 'redraw' or 'clip', got {self.method!r}."
            )
        lo = -math.inf if self.low is None else float(self.low)
        hi = math.inf if self.high is None else float(self.high)
        if not lo <= hi:
            raise ConfigurationError(f"Clipped needs low <= high, got low={lo!r}, high={hi!r}.")
        if self.method == "redraw" and isinstance(self.dist, Normal):
            mass = self.dist.mass_between(lo, hi)
            if mass < _MIN_MASS:
                raise ConfigurationError(
                    f"Clipped(method='redraw') keeps only {mass:.2g} of the probability mass of "
                    f"{self.dist!r} inside [{lo}, {hi}]; at least {_MIN_MASS} is needed. "
                    "Use method='clip' or widen the bounds."
                )

    def spec(self) -> np.ndarray:  # noqa: D102
        s = self.dist.spec().copy()
        s[3] = -np.inf if self.low is None else self.low
        s[4] = np.inf if self.high is None else self.high
        s[5] = _REDRAW if self.method == "redraw" else _CLIP
        return s

    def expectation(self) -> float:
        """Mean of the underlying law (the clipped mean differs when much mass is cut)."""
        return self.dist.expectation()

    def _affine(self, a: float, b: float) -> Distribution:
        ends = [None if x is None else a * float(x) + b for x in (self.low, self.high)]
        low, high = ends if a >= 0.0 else ends[::-1]
        return Clipped(self.dist._affine(a, b), low=low, high=high, method=self.method)


def _change(a: float, b: float) -> str:
    """How ``a x + b`` changes a law, for :func:`_not_closed`."""
    if b != 0.0:
        return f"shifted by {b!r}"
    return f"scaled by {a!r}"


def _not_closed(dist: Distribution, how: str) -> Exception:
    from snn.core.errors import ConfigurationError

    return ConfigurationError(
        f"{dist!r} {how} is not a law snn draws from (Normal and Uniform, clipped or not, take "
        "any factor and shift; LogNormal and Exponential only a factor > 0); write the law of "
        "the result directly."
    )


@kernel
def _dist_raw(code, p0, p1, k0, k1, a, b):  # pragma: no cover - compiled
    # Normal and log-normal values come from the ziggurat (a call, not inlined); the other laws
    # share one inlined Philox call (the same value as uniform() gives): four inlined copies of
    # the generator took 1.8 s to compile.
    if code in (_NORMAL, _LOGNORMAL):
        z = normal_ziggurat(k0, k1, a, b)
        return p0 + p1 * z if code == _NORMAL else math.exp(p0 + p1 * z)
    if code == _CONSTANT:
        return p0
    u0, _ = uniform2(k0, k1, a, b)
    if code == _UNIFORM:
        return p0 + (p1 - p0) * u0
    return -p0 * math.log(1.0 - u0)


@kernel(inline="always")
def dist_sample(spec, k0, k1, a, b):  # pragma: no cover - compiled
    """One value of the distribution encoded in ``spec`` for counter ``(a, b)``."""
    code = int(spec[0])
    p0 = spec[1]
    p1 = spec[2]
    low = spec[3]
    high = spec[4]
    x = _dist_raw(code, p0, p1, k0, k1, a, b)
    if low <= x <= high:
        return x
    if spec[5] == _REDRAW:
        for sub in range(1, _MAX_REDRAW):
            x = _dist_raw(code, p0, p1, k0, k1, a, sub_counter(b, sub))
            if low <= x <= high:
                return x
    return min(max(x, low), high)


@kernel
def dist_fill(spec, k0, k1, a0, a_stride, b, out):  # pragma: no cover - compiled
    """``out[i] = sample(counter=(a0 + a_stride * i, b))``."""
    for i in range(out.shape[0]):
        out[i] = dist_sample(spec, k0, k1, a0 + a_stride * i, b)


@kernel
def dist_fill_at(spec, k0, k1, idx, b, out):  # pragma: no cover - compiled
    """``out[i] = sample(counter=(idx[i], b))``."""
    for i in range(out.shape[0]):
        out[i] = dist_sample(spec, k0, k1, idx[i], b)


@kernel
def _raw_cdf(code, p0, p1, x):  # pragma: no cover - compiled
    """P(X <= x) of the unclipped law ``(code, p0, p1)``."""
    if code == _UNIFORM:
        if x < p0:
            return 0.0
        if x >= p1:
            return 1.0
        return (x - p0) / (p1 - p0)
    if code == _EXPONENTIAL:
        return 0.0 if x <= 0.0 else -math.expm1(-x / p0)
    if code == _CONSTANT:
        return 1.0 if x >= p0 else 0.0
    if code == _LOGNORMAL:
        if x <= 0.0:
            return 0.0
        x = math.log(x)
    if p1 == 0.0:
        return 1.0 if x >= p0 else 0.0
    return 0.5 * math.erfc((p0 - x) / (p1 * math.sqrt(2.0)))


@kernel
def spec_cdf(spec, x):  # pragma: no cover - compiled
    """P(X <= x) of the distribution encoded in ``spec``, bounds and their method included.

    ``"redraw"`` is the law conditioned on ``[low, high]``; ``"clip"`` puts the mass outside
    onto the bounds.
    """
    code = int(spec[0])
    low = spec[3]
    high = spec[4]
    if x < low:
        return 0.0
    if x >= high:
        return 1.0
    f = _raw_cdf(code, spec[1], spec[2], x)
    if spec[5] == _REDRAW and (low > -np.inf or high < np.inf):
        f_lo = _raw_cdf(code, spec[1], spec[2], low)
        f_hi = _raw_cdf(code, spec[1], spec[2], high)
        return (f - f_lo) / (f_hi - f_lo)
    return f


@kernel
def _rounding_cdf(spec, scale, out):  # pragma: no cover - compiled
    """``out[k] = P(rint(X * scale) <= k)`` until it reaches 1; returns the entries written."""
    for k in range(out.shape[0]):
        out[k] = spec_cdf(spec, (k + 0.5) / scale)
        if out[k] >= 1.0:
            out[k] = 1.0
            return k + 1
    return out.shape[0]


def rounding_tables(
    dist: Distribution, scale: float, k_max: int, guide_size: int = 1024
) -> tuple[np.ndarray, np.ndarray]:
    """Inversion tables of ``K = rint(X * scale)`` for ``X`` drawn from ``dist``.

    Entry 0 holds every ``K <= 0`` and entry ``k_max + 1`` every ``K > k_max`` (when they have
    mass), so a delay table flags too-short and too-long delays as the direct draw did. The
    probabilities are differences of the law's exact CDF at half-integers: sampling ``K`` from
    them with one uniform (:func:`table_sample`) gives the same law as drawing ``X`` (with its
    redraws) and rounding, without the logarithm and cosine of a normal draw (the delays of the
    Potjans-Diesmann microcircuit: about 95 ns of CPU per synapse by the direct draw).

    Returns
    -------
    cdf : numpy.ndarray
        ``P(K <= k)``, non-decreasing, last entry exactly 1.
    guide : numpy.ndarray
        int32 guide table (as :func:`snn.core._rng.poisson_tables`).
    """
    out = np.empty(k_max + 2, dtype=np.float64)
    n = _rounding_cdf(dist.spec(), float(scale), out[: k_max + 1])
    if n == k_max + 1 and out[k_max] < 1.0:
        out[k_max + 1] = 1.0
        n += 1
    cdf = out[:n].copy()
    cdf[-1] = 1.0
    edges = np.arange(guide_size, dtype=np.float64) / guide_size
    guide = np.searchsorted(cdf, edges, side="right").astype(np.int32)
    return cdf, guide


@kernel(inline="always")
def table_sample(cdf, guide, k0, k1, a, b):  # pragma: no cover - compiled
    """Index drawn from the table ``cdf`` (:func:`rounding_tables`) for counter ``(a, b)``."""
    u, _ = uniform2(k0, k1, a, b)
    return np.float64(poisson_from_tables(u, cdf, guide))
