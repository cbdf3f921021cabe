"""Connection rules: exact laws of the sampled connectivity and independence from the layout.

Bands are 5 sigma (two-sided chance 5.7e-7), as in ``tests/validation/test_statistics.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.random import Clipped, Normal
from snn.core.units import ms, mV
from snn.neurons import LIFDelta, LIFExp
from snn.synapses import (
    AllToAll,
    FixedIndegree,
    FixedOutdegree,
    FixedTotalNumber,
    PairwiseBernoulli,
    SymmetricPairwiseBernoulli,
)

SIGMA = 5.0


def _net(seed=11, threads=1, sizes=(400, 700)):
    net = Network(dt=0.1 * ms, seed=seed, threads=threads)
    a = net.add_population(LIFDelta(), sizes[0], name="a")
    b = net.add_population(LIFDelta(), sizes[1], name="b")
    return net, a, b


def _chi2_upper(dof: int) -> float:
    """5-sigma upper bound of a chi-square statistic with ``dof`` degrees of freedom."""
    return dof + SIGMA * math.sqrt(2 * dof)


def test_fixed_total_number_exact_count_and_multinomial_degrees():
    net, a, b = _net()
    n = 50_000
    q = net.connect(a, b, rule=FixedTotalNumber(n=n), weight=0.1 * mV)
    assert q.n_synapses == n
    # pairs are independent uniform draws: the in-degree of a target is Binomial(n, 1/700) and
    # the out-degree of a source Binomial(n, 1/400) (multinomial marginals)
    for degrees, size in ((q.in_degrees(), 700), (q.out_degrees(), 400)):
        p = 1 / size
        var = n * p * (1 - p)
        assert degrees.sum() == n
        assert abs(degrees.var() - var) < SIGMA * var * math.sqrt(2 / (size - 1))
    # repeated pairs (multapses) occur as for independent draws: the expected number of distinct
    # pairs among n draws from m = 280000 is m (1 - (1 - 1/m)^n)
    m = 400 * 700
    pairs = np.unique(np.stack([q.sources(), q.targets()], 1), axis=0).shape[0]
    expected = m * (1 - (1 - 1 / m) ** n)
    dup = n - expected
    assert abs(pairs - expected) < SIGMA * math.sqrt(dup)


def test_fixed_total_number_without_multapses_or_autapses():
    net, a, _ = _net(sizes=(60, 1))
    q = net.connect(
        a, a, rule=FixedTotalNumber(n=3000, multapses=False, autapses=False), weight=0.1 * mV
    )
    pairs = np.stack([q.sources(), q.targets()], 1)
    assert q.n_synapses == 3000
    assert np.unique(pairs, axis=0).shape[0] == 3000
    assert not np.any(q.sources() == q.targets())
    # 3000 of the 60 * 59 = 3540 possible pairs: every pair is present with probability 3000/3540
    with pytest.raises(ValueError, match="possible pairs"):
        net.connect(
            a, a, rule=FixedTotalNumber(n=3541, multapses=False, autapses=False), weight=0.1 * mV
        )


@pytest.mark.parametrize(
    ("indegree", "multapses"),
    [(30, True), (30, False), (300, False), (390, False)],
    ids=["with-replacement", "sparse-distinct", "dense-distinct", "nearly-all"],
)
def test_fixed_indegree_sources_are_uniform(indegree, multapses):
    net, a, b = _net()
    q = net.connect(
        a, b, rule=FixedIndegree(indegree=indegree, multapses=multapses), weight=0.1 * mV
    )
    assert np.all(q.in_degrees() == indegree)
    src = q.sources().astype(np.int64)
    tgt = q.targets().astype(np.int64)
    # sources come out ascending for every target (the CSR rows then list targets in order)
    order = np.lexsort((src, tgt))
    assert np.array_equal(
        np.sort(src[order].reshape(700, indegree), axis=1), src[order].reshape(700, indegree)
    )
    if not multapses:
        assert np.unique(tgt * 400 + src).size == src.size
    # each source is equally likely: chi-square of the out-degrees against uniform counts
    counts = np.bincount(src, minlength=400)
    e = src.size / 400
    # without replacement, each target adds a hypergeometric sample: variance factor (N-k)/(N-1)
    factor = 1.0 if multapses else (400 - indegree) / (400 - 1)
    chi2 = ((counts - e) ** 2 / e).sum() / factor
    assert chi2 < _chi2_upper(399)
    # position of a source in the sorted list is uniform too: the smallest of k draws from
    # [0, 400) has mean about 400 / (k + 1) (exact for draws with replacement in the limit)
    first = src[order].reshape(700, indegree)[:, 0]
    if multapses:
        pmf = np.array(
            [(1 - i / 400) ** indegree - (1 - (i + 1) / 400) ** indegree for i in range(400)]
        )
        mean = (np.arange(400) * pmf).sum()
        sd = math.sqrt(((np.arange(400) - mean) ** 2 * pmf).sum())
        assert abs(first.mean() - mean) < SIGMA * sd / math.sqrt(700)


def test_with_replacement_repeats_match_independent_draws():
    net, a, b = _net(sizes=(200, 1000))
    k = 100
    q = net.connect(a, b, rule=FixedIndegree(indegree=k, multapses=True), weight=0.1 * mV)
    src = q.sources().astype(np.int64)
    tgt = q.targets().astype(np.int64)
    distinct = np.unique(tgt * 200 + src).size / 1000
    # distinct values among k draws from 200: 200 (1 - (1 - 1/200)^k)
    expected = 200 * (1 - (1 - 1 / 200) ** k)
    # per-target variance of the number of occupied cells (occupancy problem), bounded by k/4
    assert abs(distinct - expected) < SIGMA * math.sqrt(k / 4 / 1000)


def _build(threads, rule, weight, delay, seed=3):
    net = Network(dt=0.1 * ms, seed=seed, threads=threads)
    a = net.add_population(LIFExp(), 900, name="a")
    b = net.add_population(LIFExp(), 1300, name="b")
    q = net.connect(a, b[100:1200], rule=rule, weight=weight, delay=delay, receptor="exc")
    return q


@pytest.mark.parametrize(
    "rule",
    [
        FixedIndegree(indegree=50, multapses=True),
        FixedIndegree(indegree=50),
        PairwiseBernoulli(p=0.05),
        FixedOutdegree(outdegree=70),
        FixedTotalNumber(n=60_000),
    ],
    ids=lambda r: type(r).__name__ + ("-multapses" if getattr(r, "multapses", False) else ""),
)
def test_connectivity_independent_of_thread_count(rule):
    w = Clipped(Normal(mean=50e-12, std=20e-12), low=0.0)
    d = Clipped(Normal(mean=1.5 * ms, std=0.75 * ms), low=0.1 * ms)
    ref = _build(1, rule, w, d)
    for threads in (2, 3):
        other = _build(threads, rule, w, d)
        for get in ("sources", "targets", "weights", "delays"):
            assert np.array_equal(getattr(ref, get)(), getattr(other, get)())


@pytest.mark.parametrize(
    "rule",
    [
        AllToAll(autapses=False),
        PairwiseBernoulli(p=0.5, autapses=False),
        FixedIndegree(indegree=3, autapses=False),
        FixedOutdegree(outdegree=3, autapses=False),
        FixedTotalNumber(n=20, autapses=False),
    ],
    ids=lambda r: type(r).__name__,
)
def test_no_autapses_between_overlapping_views_is_refused(rule):
    """Views that share some neurons but are not the same: the rules could not leave out the
    shared neurons' autapses (they would be built silently), so the call raises."""
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(LIFDelta(), 15)
    with pytest.raises(ConfigurationError, match="overlapping but different neurons"):
        net.connect(pop[0:10], pop[5:12], rule=rule, weight=0.1 * mV)
    assert len(net.projections) == 0  # nothing half-built
    # allowed: the same view, views that do not overlap, or autapses allowed
    assert net.connect(pop[0:10], pop[0:10], rule=AllToAll(autapses=False), weight=0.1 * mV)
    assert net.connect(pop[0:5], pop[5:12], rule=rule, weight=0.1 * mV)
    assert net.connect(pop[0:10], pop[5:12], rule=AllToAll(), weight=0.1 * mV).n_synapses == 70


def _symmetric_pairs(threads: int, p: float = 0.1, n: int = 300, **kw) -> set[tuple[int, int]]:
    net = Network(dt=0.1 * ms, seed=4, threads=threads, parallel=threads > 1 or None)
    pop = net.add_population(LIFDelta(), n)
    proj = net.connect(pop, pop, rule=SymmetricPairwiseBernoulli(p=p, **kw), weight=0.1 * mV,
                       delay=1 * ms)  # fmt: skip
    return set(zip(proj.sources().tolist(), proj.targets().tolist(), strict=True))


def test_symmetric_pairwise_bernoulli():
    """NEST's symmetric_pairwise_bernoulli: i -> j exactly when j -> i, no autapses unless asked,
    each of the n (n - 1) / 2 unordered pairs drawn with probability p (44,850 pairs at p = 0.1:
    4,485 +- 64 expected; 4 standard deviations allowed), the same on two threads."""
    pairs = _symmetric_pairs(1)
    assert all((j, i) in pairs for i, j in pairs)
    assert not any(i == j for i, j in pairs)
    unordered = len(pairs) / 2
    mean, sd = 0.1 * 44_850, math.sqrt(44_850 * 0.1 * 0.9)
    assert abs(unordered - mean) < 4 * sd
    assert _symmetric_pairs(2) == pairs
    with_self = _symmetric_pairs(1, p=1.0, n=5, autapses=True)
    assert len(with_self) == 25


def test_symmetric_pairwise_bernoulli_needs_one_population():
    net = Network(dt=0.1 * ms)
    a, b = net.add_population(LIFDelta(), 4), net.add_population(LIFDelta(), 4)
    with pytest.raises(ConfigurationError, match="must be the same"):
        net.connect(a, b, rule=SymmetricPairwiseBernoulli(p=0.5), weight=0.1 * mV)
    assert net.projections == []


def test_projection_get_sources_targets_and_several_names():
    """NEST's ``conns.get(["source", "target", "weight"])``: a dict of per-synapse arrays, in
    storage order, for all or selected synapses."""
    net = Network(dt=0.1 * ms)
    a, b = net.add_population(LIFDelta(), 2), net.add_population(LIFDelta(), 3)
    w = np.arange(6, dtype=float).reshape(2, 3) * 0.1 * mV
    proj = net.connect(a, b, rule=AllToAll(), weight=w, delay=1 * ms)
    got = proj.get(["source", "target", "weight"])
    assert got["source"].tolist() == [0, 0, 0, 1, 1, 1]
    assert got["target"].tolist() == [0, 1, 2, 0, 1, 2]
    assert np.array_equal(got["weight"], w[got["source"], got["target"]])
    assert proj.get("target", pre=1).tolist() == [0, 1, 2]
    assert proj.get("source", post=[2]).tolist() == [0, 1]
    with pytest.raises(ConfigurationError, match="bogus"):
        proj.get(["weight", "bogus"])
