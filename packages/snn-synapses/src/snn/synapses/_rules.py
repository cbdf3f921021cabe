"""Connection rules.

Every rule generates its synapses inside numba from counter-based draws keyed by the target (or,
for :class:`FixedOutdegree`, the source) neuron, so the network is the same whatever the number
of threads or MPI ranks that build it (see :mod:`snn.core._connectivity`). Unless a rule says
otherwise, autapses (a neuron onto itself, when ``pre is post``) are allowed and multapses (two
synapses between the same ordered pair) are not, as in NEST's defaults.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import ConnectionRule
from snn.core._connectivity import csr_from_pairs
from snn.core._jit import kernel
from snn.core._rng import uniform
from snn.core._validate import require_in_range, require_int
from snn.core.errors import ConfigurationError

__all__ = [
    "AllToAll",
    "Explicit",
    "FixedIndegree",
    "FixedOutdegree",
    "OneToOne",
    "PairwiseBernoulli",
]


@kernel
def all_to_all_sources(j, n_pre, same, k0, k1, buf, autapses):  # pragma: no cover - compiled
    """Every presynaptic index (but ``j`` itself without autapses)."""
    n = 0
    for i in range(n_pre):
        if i == j and same and not autapses:
            continue
        buf[n] = i
        n += 1
    return n


@dataclass(frozen=True, kw_only=True)
class AllToAll(ConnectionRule):
    """Every source connects to every target.

    Parameters
    ----------
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    """

    autapses: bool = True

    def generator(self) -> Callable[..., Any]:
        return all_to_all_sources

    def parameters(self, n_pre: int, n_post: int, same: bool) -> tuple[Any, ...]:
        return (bool(self.autapses),)

    def buffer_size(self, n_pre: int, n_post: int) -> int:
        return n_pre

    def expected_synapses(self, n_pre: int, n_post: int) -> float:
        return float(n_pre) * n_post


@kernel
def one_to_one_sources(j, n_pre, same, k0, k1, buf):  # pragma: no cover - compiled
    """Source ``j`` for target ``j``."""
    buf[0] = j
    return 1


@dataclass(frozen=True, kw_only=True)
class OneToOne(ConnectionRule):
    """Source ``i`` connects to target ``i``; both populations must have the same size."""

    def generator(self) -> Callable[..., Any]:
        return one_to_one_sources

    def parameters(self, n_pre: int, n_post: int, same: bool) -> tuple[Any, ...]:
        if n_pre != n_post:
            raise ConfigurationError(
                f"OneToOne needs populations of equal size, got {n_pre} and {n_post}."
            )
        return ()

    def buffer_size(self, n_pre: int, n_post: int) -> int:
        return 1

    def expected_synapses(self, n_pre: int, n_post: int) -> float:
        return float(n_post)


@kernel
def bernoulli_sources(j, n_pre, same, k0, k1, buf, p, log_q, autapses):  # pragma: no cover
    """Each source independently with probability ``p`` (geometric skips, one draw per hit)."""
    n = 0
    if p <= 0.0:
        return 0
    c = 0
    i = -1
    while True:
        if p >= 1.0:
            i += 1
        else:
            u = uniform(k0, k1, j, c)
            c += 1
            # number of failures before the next success: floor(log(1 - u) / log(1 - p))
            i += 1 + math.floor(math.log(1.0 - u) / log_q)
        if i >= n_pre:
            return n
        if i == j and same and not autapses:
            continue
        buf[n] = i
        n += 1


@dataclass(frozen=True, kw_only=True)
class PairwiseBernoulli(ConnectionRule):
    """Each ordered pair connects independently with probability ``p`` (no multapses).

    Parameters
    ----------
    p
        Connection probability, in [0, 1].
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    """

    p: float
    autapses: bool = True

    def __post_init__(self) -> None:
        require_in_range("p", self.p, 0.0, 1.0)

    def generator(self) -> Callable[..., Any]:
        return bernoulli_sources

    def parameters(self, n_pre: int, n_post: int, same: bool) -> tuple[Any, ...]:
        log_q = math.log1p(-self.p) if self.p < 1.0 else -math.inf
        return (float(self.p), log_q, bool(self.autapses))

    def buffer_size(self, n_pre: int, n_post: int) -> int:
        return n_pre

    def expected_synapses(self, n_pre: int, n_post: int) -> float:
        return self.p * n_pre * n_post


@kernel(inline="always")
def _choose(k0, k1, j, c, n):  # pragma: no cover - compiled
    """A uniform integer in [0, n) from counter ``(j, c)`` (53-bit uniform; bias < n / 2**53)."""
    return int(uniform(k0, k1, j, c) * n)


@kernel
def sample_without_replacement(j, n_pool, k, skip, k0, k1, buf, seen):  # pragma: no cover
    """``k`` distinct integers of ``[0, n_pool)`` other than ``skip``, ascending, into ``buf``.

    Sparse case (``k`` at most half the pool): rejection with a marker array ``seen`` (all False
    on entry and on exit). Dense case: sequential selection sampling (Knuth's algorithm S), one
    draw per candidate. Both use only counters ``(j, c)``.
    """
    pool = n_pool - (1 if skip >= 0 else 0)
    if 2 * k <= pool:
        got = 0
        c = 0
        while got < k:
            i = _choose(k0, k1, j, c, n_pool)
            c += 1
            if i == skip or seen[i]:
                continue
            seen[i] = True
            buf[got] = i
            got += 1
        buf[:k].sort()
        for q in range(k):
            seen[buf[q]] = False
        return k
    got = 0
    left = pool
    c = 0
    for i in range(n_pool):
        if i == skip:
            continue
        if uniform(k0, k1, j, c) * left < k - got:
            buf[got] = i
            got += 1
            if got == k:
                break
        c += 1
        left -= 1
    return got


@kernel
def indegree_sources(j, n_pre, same, k0, k1, buf, k, autapses, multapses, seen):  # pragma: no cover
    """``k`` sources for target ``j``: distinct unless ``multapses``; ascending."""
    skip = j if (same and not autapses) else -1
    if not multapses:
        return sample_without_replacement(j, n_pre, k, skip, k0, k1, buf, seen)
    c = 0
    got = 0
    while got < k:
        i = _choose(k0, k1, j, c, n_pre)
        c += 1
        if i == skip:
            continue
        buf[got] = i
        got += 1
    buf[:k].sort()
    return k


@dataclass(frozen=True, kw_only=True)
class FixedIndegree(ConnectionRule):
    """Every target receives exactly ``indegree`` synapses from sources drawn uniformly.

    Parameters
    ----------
    indegree
        Synapses per target neuron.
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    multapses
        Allow the same source to be drawn more than once for a target (drawn with replacement).
    """

    indegree: int
    autapses: bool = True
    multapses: bool = False

    def __post_init__(self) -> None:
        require_int("indegree", self.indegree, minimum=0)

    def generator(self) -> Callable[..., Any]:
        return indegree_sources

    def parameters(self, n_pre: int, n_post: int, same: bool) -> tuple[Any, ...]:
        pool = n_pre - (1 if same and not self.autapses else 0)
        if not self.multapses and self.indegree > pool:
            raise ConfigurationError(
                f"FixedIndegree({self.indegree}) without multapses needs at least "
                f"{self.indegree} possible sources, but there are {pool}."
            )
        if self.indegree > 0 and pool <= 0:
            raise ConfigurationError("FixedIndegree has no possible source.")
        seen = np.zeros(n_pre, dtype=np.bool_)
        return (int(self.indegree), bool(self.autapses), bool(self.multapses), seen)

    def buffer_size(self, n_pre: int, n_post: int) -> int:
        return int(self.indegree)

    def expected_synapses(self, n_pre: int, n_post: int) -> float:
        return float(self.indegree) * n_post


@kernel
def outdegree_targets(
    i, n_post, same, k0, k1, buf, k, autapses, multapses, seen
):  # pragma: no cover
    """``k`` targets for source ``i``: distinct unless ``multapses``; ascending."""
    return indegree_sources(i, n_post, same, k0, k1, buf, k, autapses, multapses, seen)


@dataclass(frozen=True, kw_only=True)
class FixedOutdegree(ConnectionRule):
    """Every source makes exactly ``outdegree`` synapses onto targets drawn uniformly.

    Parameters
    ----------
    outdegree
        Synapses per source neuron.
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    multapses
        Allow the same target to be drawn more than once for a source.
    """

    outdegree: int
    autapses: bool = True
    multapses: bool = False

    scheme: ClassVar[str] = "per_source"  # type: ignore[assignment]

    def __post_init__(self) -> None:
        require_int("outdegree", self.outdegree, minimum=0)

    def generator(self) -> Callable[..., Any]:
        return outdegree_targets

    def parameters(self, n_pre: int, n_post: int, same: bool) -> tuple[Any, ...]:
        pool = n_post - (1 if same and not self.autapses else 0)
        if not self.multapses and self.outdegree > pool:
            raise ConfigurationError(
                f"FixedOutdegree({self.outdegree}) without multapses needs at least "
                f"{self.outdegree} possible targets, but there are {pool}."
            )
        seen = np.zeros(n_post, dtype=np.bool_)
        return (int(self.outdegree), bool(self.autapses), bool(self.multapses), seen)

    def buffer_size(self, n_pre: int, n_post: int) -> int:
        return int(self.outdegree)

    def expected_synapses(self, n_pre: int, n_post: int) -> float:
        return float(self.outdegree) * n_pre


@dataclass(frozen=True, kw_only=True)
class Explicit(ConnectionRule):
    """Synapses given as arrays of source and target indices.

    ``weight`` and ``delay`` passed to :meth:`~snn.core.Network.connect` may then be numbers or
    arrays aligned with ``pre`` and ``post``.

    Parameters
    ----------
    pre, post
        Population indices of each synapse's source and target (same length).
    """

    pre: Any
    post: Any

    scheme: ClassVar[str] = "explicit"  # type: ignore[assignment]

    def __post_init__(self) -> None:
        pre = np.asarray(self.pre)
        post = np.asarray(self.post)
        if pre.ndim != 1 or post.ndim != 1 or pre.shape != post.shape:
            raise ConfigurationError(
                f"`pre` and `post` must be 1-D arrays of the same length, got shapes "
                f"{pre.shape} and {post.shape}."
            )
        for name, arr in (("pre", pre), ("post", post)):
            if arr.size and not np.issubdtype(arr.dtype, np.integer):
                raise ConfigurationError(f"`{name}` must hold integers, got dtype {arr.dtype}.")

    def build_explicit(
        self,
        *,
        n_pre: int,
        post: Any,
        weight: Any,
        delay: Any,
        dt: float,
        float_dtype: np.dtype,
    ) -> tuple[Any, int]:
        """The CSR of these pairs onto the local neurons of ``post`` (used by the network)."""
        pre_idx = np.asarray(self.pre, dtype=np.int64)
        post_idx = np.asarray(self.post, dtype=np.int64)
        n_post = post.size
        for name, arr, n in (("pre", pre_idx, n_pre), ("post", post_idx, n_post)):
            if arr.size and (arr.min() < 0 or arr.max() >= n):
                bad = int(arr.min()) if arr.min() < 0 else int(arr.max())
                raise ConfigurationError(f"`{name}` indices must lie in [0, {n - 1}], got {bad}.")
        for name, value in (("weight", weight), ("delay", delay)):
            if np.ndim(value) and np.shape(value) != pre_idx.shape:
                raise ConfigurationError(
                    f"`{name}` must be a number or an array of length {pre_idx.shape[0]} (one "
                    f"per synapse), got shape {np.shape(value)}."
                )
            if hasattr(value, "spec"):
                raise ConfigurationError(
                    f"Explicit takes `{name}` as a number or an array, not a distribution."
                )
        # view-relative target index -> position among the population's local neurons
        local_of = np.full(n_post, -1, dtype=np.int64)
        first = int(np.searchsorted(post.population.local_index, post.start))
        local_of[post.local_index - post.start] = first + np.arange(post.n_local)
        return csr_from_pairs(
            pre_idx,
            post_idx,
            n_pre=n_pre,
            n_local=post.population.n_local,
            local_of=local_of,
            weight=weight,
            delay=delay,
            dt=dt,
            float_dtype=float_dtype,
        )

    def expected_synapses(self, n_pre: int, n_post: int) -> float:
        return float(np.asarray(self.pre).shape[0])
