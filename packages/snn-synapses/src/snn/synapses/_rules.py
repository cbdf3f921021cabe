"""Connection rules.

Every rule generates its synapses inside numba from counter-based draws keyed by the target (or,
for :class:`FixedOutdegree`, the source) neuron, so the network is the same whatever the number
of threads or MPI ranks that build it (see :mod:`snn.core.connectivity`). Unless a rule says
otherwise, autapses (a neuron onto itself, when ``pre is post``) are allowed and multapses (two
synapses between the same ordered pair) are not, as in PyNN's defaults. NEST 3 allows multapses
in ``fixed_indegree`` and ``fixed_outdegree`` unless told otherwise: give ``multapses=True``
for NEST's network (``docs/from-nest.md``).

Drawing ``k`` sources uniformly for one target gives them in ascending order without sorting:
the ``k`` smallest of ``k + 1`` normalised cumulative sums of exponential variables are
distributed as the order statistics of ``k`` independent uniform numbers (Devroye, *Non-Uniform
Random Variate Generation*, 1986, section V.2), so one pass of ``k + 1`` draws yields the sorted
sample.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import ConnectionRule
from snn.core.connectivity import RuleArgs, csr_from_pairs
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel, uniform, uniform2
from snn.core.validate import require_in_range, require_int

__all__ = [
    "AllToAll",
    "Explicit",
    "FixedIndegree",
    "FixedOutdegree",
    "FixedTotalNumber",
    "OneToOne",
    "PairwiseBernoulli",
    "SymmetricPairwiseBernoulli",
]

#: first counter of the redraws that replace repeated sources (beyond any counter of the pass)
_REDRAW_COUNTER = 1 << 40


@kernel
def all_to_all_sources(j, n_pre, same, k0, k1, buf, fbuf, autapses):  # pragma: no cover
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

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        pairs = float(pre.size) * post.size - (post.size if same and not self.autapses else 0)
        return RuleArgs((bool(self.autapses),), pre.size, pairs)


@kernel
def one_to_one_sources(j, n_pre, same, k0, k1, buf, fbuf):  # pragma: no cover - compiled
    """Source ``j`` for target ``j``."""
    buf[0] = j
    return 1


@dataclass(frozen=True, kw_only=True)
class OneToOne(ConnectionRule):
    """Source ``i`` connects to target ``i``; both populations must have the same size."""

    def generator(self) -> Callable[..., Any]:
        return one_to_one_sources

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        if pre.size != post.size:
            raise ConfigurationError(
                f"OneToOne needs populations of equal size, got {pre.size} and {post.size}."
            )
        return RuleArgs((), 1, float(post.size))


@kernel
def bernoulli_sources(j, n_pre, same, k0, k1, buf, fbuf, p, log_q, autapses):  # pragma: no cover
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
            # number of failures before the next success: floor(log(1 - u) / log(1 - p)); for
            # tiny p it exceeds what an int64 holds, so it is compared as a float first
            gap = math.log(1.0 - u) / log_q
            if gap >= n_pre - i:
                return n
            i += 1 + np.int64(gap)
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

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        log_q = math.log1p(-self.p) if self.p < 1.0 else -math.inf
        params = (float(self.p), log_q, bool(self.autapses))
        return RuleArgs(params, pre.size, self.p * pre.size * post.size)


@kernel
def symmetric_bernoulli_sources(j, n_pre, same, k0, k1, buf, fbuf, p, autapses):  # pragma: no cover
    """Each source ``i`` whose unordered pair ``{i, j}`` is drawn (probability ``p``).

    One draw per unordered pair, counter ``(min(i, j), max(i, j))``: target ``j`` gets source
    ``i`` exactly when target ``i`` gets source ``j``, on any thread or rank layout.
    """
    n = 0
    for i in range(n_pre):
        if i == j and not autapses:
            continue
        a = min(i, j)
        b = max(i, j)
        if uniform(k0, k1, a, b) < p:
            buf[n] = i
            n += 1
    return n


@dataclass(frozen=True, kw_only=True)
class SymmetricPairwiseBernoulli(PairwiseBernoulli):
    """Each unordered pair of neurons of one population connects both ways with probability ``p``.

    NEST's ``symmetric_pairwise_bernoulli`` (for gap junctions): neuron ``i`` connects to ``j``
    exactly when ``j`` connects to ``i``. Source and target must be the same population (or
    view). One draw per pair, so building costs ``N**2`` draws.

    Parameters
    ----------
    p
        Probability of each unordered pair, in [0, 1].
    autapses
        Allow a neuron to connect to itself (NEST refuses it for this rule; default False).
    """

    autapses: bool = False

    def generator(self) -> Callable[..., Any]:
        return symmetric_bernoulli_sources

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        if not same:
            raise ConfigurationError(
                "SymmetricPairwiseBernoulli connects the neurons of one population (or view) "
                f"among themselves: pre and post must be the same, got {pre!r} and {post!r}."
            )
        return RuleArgs((float(self.p), bool(self.autapses)), pre.size, self.p * pre.size**2)


@kernel
def sorted_with_replacement(j, n_pool, k, skip, k0, k1, buf, fbuf):  # pragma: no cover
    """``k`` independent uniform draws from ``[0, n_pool)`` minus ``skip``, ascending, into ``buf``.

    Normalised cumulative sums of ``k + 1`` exponential variables (kept in ``fbuf``, which must
    hold ``k + 1`` values) are the order statistics of ``k`` uniform numbers. ``skip < 0``
    excludes nothing. Counters ``(j, c)`` for ``c < (k + 2) // 2``.
    """
    pool = n_pool - (1 if skip >= 0 else 0)
    total = 0.0
    q = 0
    c = 0
    while q <= k:
        u0, u1 = uniform2(k0, k1, j, c)
        c += 1
        total -= math.log(1.0 - u0)
        fbuf[q] = total
        q += 1
        if q <= k:
            total -= math.log(1.0 - u1)
            fbuf[q] = total
            q += 1
    scale = pool / total
    top = pool - 1
    for q in range(k):
        i = min(int(fbuf[q] * scale), top)
        if skip >= 0 and i >= skip:
            i += 1
        buf[q] = i
    return k


@kernel
def _insert_sorted(buf, n, x):  # pragma: no cover - compiled
    """Insert ``x`` into the ascending ``buf[:n]``; False (and nothing changed) if present."""
    lo = 0
    hi = n
    while lo < hi:
        mid = (lo + hi) // 2
        if buf[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    if lo < n and buf[lo] == x:
        return False
    for q in range(n, lo, -1):
        buf[q] = buf[q - 1]
    buf[lo] = x
    return True


@kernel
def sorted_distinct(j, n_pool, k, skip, k0, k1, buf, fbuf):  # pragma: no cover - compiled
    """``k`` distinct uniform draws from ``[0, n_pool)`` minus ``skip``, ascending, into ``buf``.

    Sparse case (``8 k <= pool``): draws with replacement, keeps each value once and replaces
    the repeats by rejection draws inserted in order; by symmetry the result is a uniform
    ``k``-subset. Dense case: sequential selection sampling (Knuth's algorithm S, one draw per
    candidate).
    """
    pool = n_pool - (1 if skip >= 0 else 0)
    if 8 * k <= pool:
        sorted_with_replacement(j, n_pool, k, skip, k0, k1, buf, fbuf)
        n = 0
        for q in range(k):
            if n == 0 or buf[q] != buf[n - 1]:
                buf[n] = buf[q]
                n += 1
        c = _REDRAW_COUNTER
        while n < k:
            i = min(int(uniform(k0, k1, j, c) * pool), pool - 1)
            c += 1
            if skip >= 0 and i >= skip:
                i += 1
            if _insert_sorted(buf, n, i):
                n += 1
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
def draw_sources(j, n_pre, same, k0, k1, buf, fbuf, k, autapses, multapses):  # pragma: no cover
    """``k`` sources for target ``j``, ascending: distinct unless ``multapses``."""
    skip = j if (same and not autapses) else -1
    if multapses:
        return sorted_with_replacement(j, n_pre, k, skip, k0, k1, buf, fbuf)
    return sorted_distinct(j, n_pre, k, skip, k0, k1, buf, fbuf)


@kernel
def indegree_sources(j, n_pre, same, k0, k1, buf, fbuf, k, autapses, multapses):  # pragma: no cover
    """``k`` sources for every target."""
    return draw_sources(j, n_pre, same, k0, k1, buf, fbuf, k, autapses, multapses)


def _pool_check(rule: str, k: int, pool: int, multapses: bool, what: str) -> None:
    if not multapses and k > pool:
        raise ConfigurationError(
            f"{rule}({k}) without multapses needs at least {k} possible {what}, but there are "
            f"{pool}."
        )
    if k > 0 and pool <= 0:
        raise ConfigurationError(f"{rule} has no possible {what[:-1]}.")


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
        Allow the same source to be drawn more than once for a target (drawn with replacement;
        NEST's ``fixed_indegree`` default, not snn's).
    """

    indegree: int
    autapses: bool = True
    multapses: bool = False

    def __post_init__(self) -> None:
        require_int("indegree", self.indegree, minimum=0)

    def generator(self) -> Callable[..., Any]:
        return indegree_sources

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        k = int(self.indegree)
        pool = pre.size - (1 if same and not self.autapses else 0)
        _pool_check("FixedIndegree", k, pool, self.multapses, "sources")
        params = (k, bool(self.autapses), bool(self.multapses))
        return RuleArgs(params, k + 1, float(k) * post.size)


@kernel
def outdegree_targets(
    i, n_post, same, k0, k1, buf, fbuf, k, autapses, multapses
):  # pragma: no cover
    """``k`` targets for source ``i``: distinct unless ``multapses``; ascending."""
    return draw_sources(i, n_post, same, k0, k1, buf, fbuf, k, autapses, multapses)


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
        Allow the same target to be drawn more than once for a source (NEST's
        ``fixed_outdegree`` default, not snn's).
    """

    outdegree: int
    autapses: bool = True
    multapses: bool = False

    scheme: ClassVar[str] = "per_source"  # type: ignore[assignment]

    def __post_init__(self) -> None:
        require_int("outdegree", self.outdegree, minimum=0)

    def generator(self) -> Callable[..., Any]:
        return outdegree_targets

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        k = int(self.outdegree)
        pool = post.size - (1 if same and not self.autapses else 0)
        _pool_check("FixedOutdegree", k, pool, self.multapses, "targets")
        params = (k, bool(self.autapses), bool(self.multapses))
        return RuleArgs(params, k + 1, float(k) * pre.size)


@kernel
def total_number_targets(
    i, n_post, same, k0, k1, buf, fbuf, counts, autapses, multapses
):  # pragma: no cover
    """``counts[i]`` targets for source ``i``."""
    return draw_sources(i, n_post, same, k0, k1, buf, fbuf, counts[i], autapses, multapses)


@dataclass(frozen=True, kw_only=True)
class FixedTotalNumber(ConnectionRule):
    """Exactly ``n`` synapses in the projection, each between a uniformly drawn pair.

    As NEST's ``fixed_total_number``: with multapses (the default, as in NEST) the ``n`` pairs are
    independent uniform draws; without them they are a uniform ``n``-subset of all pairs.
    Generated from the sources' side, which gives the same law: the number of synapses of each
    source is drawn first (multinomial, or multivariate hypergeometric without multapses) with
    numpy's ``Generator`` on a Philox bit generator keyed by the projection, identically on every
    process; each source's targets then come from its own counters. Rows are written in order
    and the counting pass is skipped on a single process.

    Parameters
    ----------
    n
        Total number of synapses.
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    multapses
        Allow the same pair to be drawn more than once.
    """

    n: int
    autapses: bool = True
    multapses: bool = True

    scheme: ClassVar[str] = "per_source"  # type: ignore[assignment]

    def __post_init__(self) -> None:
        require_int("n", self.n, minimum=0)

    def generator(self) -> Callable[..., Any]:
        return total_number_targets

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        pool = post.size - (1 if same and not self.autapses else 0)
        n = int(self.n)
        if n > 0 and (pool <= 0 or pre.size == 0):
            raise ConfigurationError("FixedTotalNumber has no possible pair.")
        if not self.multapses and n > pool * pre.size:
            raise ConfigurationError(
                f"FixedTotalNumber({n}) without multapses needs at least {n} possible pairs, but "
                f"there are {pool * pre.size}."
            )
        rng = np.random.Generator(np.random.Philox(key=[int(key[0]), int(key[1])]))
        if pre.size == 0:
            counts = np.zeros(0, dtype=np.int64)
        elif self.multapses:
            counts = rng.multinomial(n, np.full(pre.size, 1.0 / pre.size))
        else:
            colors = np.full(pre.size, pool, dtype=np.int64)
            counts = rng.multivariate_hypergeometric(colors, n, method="marginals")
        counts = np.ascontiguousarray(counts, dtype=np.int64)
        top = int(counts.max()) if counts.size else 0
        params = (counts, bool(self.autapses), bool(self.multapses))
        return RuleArgs(params, top + 1, float(n), counts=counts)


@dataclass(frozen=True, kw_only=True)
class Explicit(ConnectionRule):
    """Synapses given as arrays of source and target indices.

    ``weight`` and ``delay`` passed to :meth:`~snn.core.Network.connect` may then be numbers,
    arrays aligned with ``pre`` and ``post``, or distributions (drawn per synapse as for the
    other rules, keyed by target and rank among its inputs: the same values on any layout).

    Parameters
    ----------
    pre, post
        Indices of each synapse's source and target (same length), counted within what
        :meth:`~snn.core.Network.connect` is given: the population, or the view (``pop[5:10]``
        counts from 0 at neuron 5). :meth:`~snn.core.Projection.sources` and ``targets()``
        give population indices: subtract the view's ``start`` to rebuild a projection between
        views from them.
    """

    pre: Any
    post: Any

    vector_parameters: ClassVar[tuple[str, ...] | None] = ("pre", "post")

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
