"""Spatial connectivity: positions, distance-dependent rules and delays.

Statistical checks compare counts with their exact binomial (or Poisson) expectation inside
5-sigma bands (two-sided chance 5.7e-7 per band, as in ``test_rules.py``): each test checks many
distance bins at once (about 100 bands over the kernels and dimensions), so 3-sigma bands would
fail somewhere by chance about a quarter of the time, while 5 sigma keeps the family-wise false
alarm rate below 1e-4. A wrong kernel (e.g. Gaussian instead of exponential of the same width)
misses the near bins by far more than 5 sigma (checked below). Distances in the tests are
recomputed with plain numpy, independently of the kernels under test.
"""

from __future__ import annotations

import math
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import mm, ms, mV
from snn.neurons import LIFDelta
from snn.synapses import (
    DistanceDelay,
    DistanceDependent,
    DistanceFixedIndegree,
    Explicit,
    ExponentialKernel,
    GaussianKernel,
    Grid,
    PairwiseBernoulli,
    RandomPositions,
    StepKernel,
    distances,
)
from snn.synapses._spatial import _select_largest

SIGMA = 5.0
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DT = 0.1 * ms


def _distance_matrix(a: np.ndarray, b: np.ndarray, box: np.ndarray | None) -> np.ndarray:
    """Pairwise distances (rows: ``a``), minimum image in ``box`` when given; plain numpy."""
    diff = a[:, None, :] - b[None, :, :]
    if box is not None:
        diff = diff - box * np.round(diff / box)
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def _counts(proj, n_pre: int, n_post: int) -> np.ndarray:
    """Synapses per (source, target) pair."""
    c = np.zeros((n_pre, n_post), dtype=np.int64)
    np.add.at(c, (proj.sources(), proj.targets()), 1)
    return c


def _binned_ok(d: np.ndarray, counts: np.ndarray, p: np.ndarray, edges: np.ndarray):
    """Per-bin observed vs expected synapse counts for independent pairs of probability ``p``."""
    which = np.digitize(d.ravel(), edges) - 1
    inside = (which >= 0) & (which < edges.size - 1)
    nb = edges.size - 1
    obs = np.bincount(which[inside], counts.ravel()[inside], minlength=nb)
    exp = np.bincount(which[inside], p.ravel()[inside], minlength=nb)
    var = np.bincount(which[inside], (p * (1 - p)).ravel()[inside], minlength=nb)
    return obs, exp, var


KERNELS = {
    "gaussian": GaussianKernel(sigma=0.12 * mm),
    "exponential": ExponentialKernel(scale=0.1 * mm),
    "step": StepKernel(radius=0.25 * mm),
}


@pytest.mark.parametrize("ndim", [2, 3])
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_connection_probability_follows_the_kernel(name, ndim, seed):
    kern = KERNELS[name]
    net = Network(dt=DT, seed=seed)
    box = (1 * mm,) * ndim
    n = 700 if ndim == 2 else 900
    a = net.add_population(LIFDelta(), n, positions=RandomPositions(box))
    b = net.add_population(LIFDelta(), n, positions=RandomPositions(box, center=(0.1 * mm,) * ndim))
    p_max = 0.7
    mask = 0.4 * mm if name == "gaussian" else None
    rule = DistanceDependent(kern, p_max=p_max, mask_radius=mask)
    q = net.connect(a, b, rule=rule, weight=0.1 * mV)
    d = _distance_matrix(a.positions, b.positions, None)
    p = p_max * kern(d)
    if mask is not None:
        p[d > mask] = 0.0
    counts = _counts(q, n, n)
    assert counts.max() <= 1
    edges = np.linspace(0.0, 0.6 * mm, 25)
    obs, exp, var = _binned_ok(d, counts, p, edges)
    tested = var > 0
    assert tested.sum() >= 8
    assert np.all(np.abs(obs - exp)[tested] <= SIGMA * np.sqrt(var[tested]))
    # where p is 0 (beyond a step or a mask) no synapse at all
    assert counts[p == 0].sum() == 0
    # the test has power: the other kernels of these widths are rejected in some bin
    for other_name, other in KERNELS.items():
        if other_name == name:
            continue
        p_other = p_max * other(d)
        if mask is not None:
            p_other[d > mask] = 0.0
        _, exp_o, var_o = _binned_ok(d, counts, p_other, edges)
        z = np.abs(obs - exp_o) / np.sqrt(np.maximum(var_o, 1.0))
        assert z.max() > SIGMA


def test_a_probability_above_one_connects_surely(seed):
    """Brian2's ``p = 1.5 exp(-d^2 / (2 sigma^2))`` (its ``synapses/spatial_connections.py``):
    the probability is min(1, p_max k(d)); pairs where the product is at least 1 all connect,
    the others with their probability (binned counts within SIGMA binomial sd)."""
    kern = GaussianKernel(sigma=0.2 * mm)
    net = Network(dt=DT, seed=seed)
    a = net.add_population(LIFDelta(), 700, positions=RandomPositions((1 * mm, 1 * mm)))
    q = net.connect(a, a, rule=DistanceDependent(kern, p_max=1.5), weight=0.1 * mV)
    d = _distance_matrix(a.positions, a.positions, None)
    p = np.minimum(1.5 * kern(d), 1.0)
    counts = _counts(q, 700, 700)
    assert counts.max() <= 1
    assert np.all(counts[p >= 1.0] == 1)
    obs, exp, var = _binned_ok(d, counts, p, np.linspace(0.0, 0.8 * mm, 25))
    tested = var > 0
    assert tested.sum() >= 8
    assert np.all(np.abs(obs - exp)[tested] <= SIGMA * np.sqrt(var[tested]))
    # a huge p_max connects every pair within the mask once (the memory estimate is capped
    # per pair too: it asked for 3e10 synapses before)
    rule = DistanceDependent(kern, p_max=1e6, mask_radius=0.3 * mm)
    every = _counts(net.connect(a, a, rule=rule, weight=0.1 * mV), 700, 700)
    assert np.array_equal(every, (d <= 0.3 * mm).astype(every.dtype))


def test_multapses_give_poisson_counts_per_pair(seed):
    net = Network(dt=DT, seed=seed)
    pos = RandomPositions((1 * mm, 1 * mm), periodic=True)
    a = net.add_population(LIFDelta(), 500, positions=pos)
    b = net.add_population(LIFDelta(), 500, positions=pos)
    kern = GaussianKernel(sigma=0.2 * mm)
    q = net.connect(a, b, rule=DistanceDependent(kern, p_max=0.9, multapses=True), weight=0.1 * mV)
    d = _distance_matrix(a.positions, b.positions, np.array([1 * mm, 1 * mm]))
    lam = 0.9 * kern(d)
    counts = _counts(q, 500, 500)
    # total: Poisson with mean sum(lam)
    assert abs(counts.sum() - lam.sum()) <= SIGMA * math.sqrt(lam.sum())
    # pairs with 2 or more synapses: Bernoulli(1 - e^-lam (1 + lam)) each
    p2 = 1 - np.exp(-lam) * (1 + lam)
    multi = (counts >= 2).sum()
    assert multi > 1000
    assert abs(multi - p2.sum()) <= SIGMA * math.sqrt((p2 * (1 - p2)).sum())


def test_autapses_and_multapses_flags(seed):
    net = Network(dt=DT, seed=seed)
    pop = net.add_population(LIFDelta(), 100, positions=Grid((10, 10)))
    everyone = StepKernel(radius=100.0)
    # p = 1 for every pair: all pairs, each once, and the autapses only when allowed
    with_self = net.connect(pop, pop, rule=DistanceDependent(everyone), weight=0.1 * mV)
    c = _counts(with_self, 100, 100)
    assert np.all(c == 1)
    without = net.connect(
        pop, pop, rule=DistanceDependent(everyone, autapses=False), weight=0.1 * mV
    )
    c = _counts(without, 100, 100)
    assert np.all(np.diag(c) == 0)
    assert np.all(c[~np.eye(100, dtype=bool)] == 1)
    # multapses: some pair gets more than one synapse, never a self-pair without autapses
    multi = net.connect(
        pop, pop, rule=DistanceDependent(everyone, autapses=False, multapses=True), weight=0.1 * mV
    )
    c = _counts(multi, 100, 100)
    assert c.max() >= 2
    assert np.all(np.diag(c) == 0)
    # autapses between different views of a population are ordinary pairs
    v = pop[0:50]
    q = net.connect(v, v, rule=DistanceDependent(everyone, autapses=False), weight=0.1 * mV)
    assert np.all(q.sources() != q.targets())
    assert q.n_synapses == 50 * 49


@pytest.mark.parametrize("periodic", [False, True])
def test_periodic_boundaries_wrap(periodic, seed):
    net = Network(dt=DT, seed=seed)
    grid = Grid((10, 10), extent=(1 * mm, 1 * mm), periodic=periodic)
    pop = net.add_population(LIFDelta(), 100, positions=grid)
    # nearest and diagonal neighbours (0.1 and 0.141 mm), nothing farther
    rule = DistanceDependent(StepKernel(radius=0.15 * mm), autapses=False)
    q = net.connect(pop, pop, rule=rule, weight=0.1 * mV)
    c = _counts(q, 100, 100)
    # cell (0, 0) is neuron 0, cell (9, 0) neuron 90, cell (0, 9) neuron 9, cell (9, 9) neuron 99
    for far in (90, 9, 99):
        assert c[far, 0] == (1 if periodic else 0)
        assert c[0, far] == (1 if periodic else 0)
    deg = q.in_degrees()
    if periodic:
        assert np.all(deg == 8)
    else:
        assert sorted(set(deg.tolist())) == [3, 5, 8]
        assert deg[0] == 3
    box = np.array([1 * mm, 1 * mm]) if periodic else None
    d = _distance_matrix(pop.positions, pop.positions, box)
    expected = (d <= 0.15 * mm) & ~np.eye(100, dtype=bool)
    assert np.array_equal(c.astype(bool), expected)
    assert np.allclose(distances(pop, pop), d, rtol=1e-12, atol=0.0)


def test_grid_positions_and_views(seed):
    net = Network(dt=DT, seed=seed)
    grid = Grid((4, 3), extent=(0.4 * mm, 0.3 * mm), center=(1 * mm, 0.0))
    pop = net.add_population(LIFDelta(), 12, positions=grid)
    pos = pop.positions
    assert pos.shape == (12, 2)
    assert not pos.flags.writeable
    # cell centres, C order: neuron k at (k // 3, k % 3), spacing 0.1 mm
    assert np.allclose(pos[0], [0.85 * mm, -0.1 * mm])
    assert np.allclose(pos[5], [0.95 * mm, 0.1 * mm])
    assert pop.extent == (0.4 * mm, 0.3 * mm)
    assert pop.center == (1 * mm, 0.0)
    assert not pop.periodic
    view = pop[3:7]
    assert np.array_equal(view.positions, pos[3:7])
    assert view.extent == pop.extent
    other = net.add_population(LIFDelta(), 5)
    assert other.positions is None and other.extent is None and not other.periodic
    # a view's sources and targets are measured at their own positions
    q = net.connect(
        pop[0:6], pop[6:12], rule=DistanceDependent(StepKernel(radius=0.11 * mm)), weight=0.1 * mV
    )
    d = _distance_matrix(pos[0:6], pos[6:12], None)
    assert np.array_equal(_counts(q, 12, 12)[0:6, 6:12].astype(bool), d <= 0.11 * mm)


def test_random_positions_inside_box_and_seeded(seed):
    def place(s, threads=1):
        net = Network(dt=DT, seed=s, threads=threads)
        box = RandomPositions((1 * mm, 2 * mm, 3 * mm), center=(1 * mm, 0.0, 0.0))
        return net.add_population(LIFDelta(), 2000, positions=box).positions

    pos = place(seed)
    lo = np.array([0.5 * mm, -1 * mm, -1.5 * mm])
    assert np.all(pos >= lo) and np.all(pos < -lo + np.array([2 * mm, 0, 0]))
    # uniform: each coordinate's mean within 5 sigma of the centre
    se = np.array([1, 2, 3]) * mm / math.sqrt(12 * 2000)
    assert np.all(np.abs(pos.mean(axis=0) - [1 * mm, 0, 0]) < SIGMA * se)
    assert np.array_equal(pos, place(seed, threads=2))
    assert not np.array_equal(pos, place(seed + 1))


@pytest.mark.parametrize("periodic", [False, True])
def test_distance_delays_equal_base_plus_distance_over_velocity(periodic, seed):
    net = Network(dt=DT, seed=seed)
    box = RandomPositions((2 * mm, 2 * mm, 1 * mm), periodic=periodic)
    a = net.add_population(LIFDelta(), 300, positions=box)
    b = net.add_population(LIFDelta(), 200, positions=box)
    base, v = 0.7 * ms, 0.4  # [s], [m/s]
    q = net.connect(
        a,
        b,
        rule=PairwiseBernoulli(p=0.3),
        weight=0.1 * mV,
        delay=DistanceDelay(base=base, velocity=v),
    )
    ext = np.array([2 * mm, 2 * mm, 1 * mm]) if periodic else None
    d = _distance_matrix(a.positions, b.positions, ext)[q.sources(), q.targets()]
    steps = np.rint((base + d / v) / DT)
    # exact ties at half a step would be decided by rounding noise; none occur here
    frac = (base + d / v) / DT % 1.0
    assert np.all(np.abs(frac - 0.5) > 1e-9)
    assert np.array_equal(np.rint(q.delays() / DT), steps)
    assert steps.max() > steps.min() + 5


def _build(threads, seed):
    net = Network(dt=DT, seed=seed, threads=threads)
    pos = RandomPositions((1 * mm, 1 * mm), periodic=True)
    a = net.add_population(LIFDelta(), 900, positions=pos)
    kern = ExponentialKernel(scale=0.1 * mm)
    delay = DistanceDelay(base=0.5 * ms, velocity=0.3)
    projs = [
        net.connect(a, a, rule=DistanceDependent(kern, p_max=0.6), weight=0.1 * mV, delay=delay),
        net.connect(a, a, rule=DistanceDependent(kern, p_max=0.3, multapses=True), weight=0.1 * mV),
        net.connect(
            a, a, rule=DistanceFixedIndegree(kern, indegree=30, multapses=False), weight=0.1 * mV
        ),
        net.connect(a, a, rule=DistanceFixedIndegree(kern, indegree=30), weight=0.1 * mV),
    ]
    return a.positions, [(p.sources(), p.targets(), p.delays()) for p in projs]


def test_same_seed_same_connectivity_for_any_thread_count(seed):
    pos1, one = _build(1, seed)
    pos2, two = _build(2, seed)
    assert np.array_equal(pos1, pos2)
    for x, y in zip(one, two, strict=True):
        for u, w in zip(x, y, strict=True):
            assert np.array_equal(u, w)
    assert len(one[0][0]) > 0


def test_fixed_indegree_with_kernel(seed):
    net = Network(dt=DT, seed=seed)
    pos = RandomPositions((1 * mm, 1 * mm), periodic=True)
    a = net.add_population(LIFDelta(), 400, positions=pos)
    b = net.add_population(LIFDelta(), 300, positions=pos)
    kern = GaussianKernel(sigma=0.1 * mm)
    k = 40
    q = net.connect(a, b, rule=DistanceFixedIndegree(kern, indegree=k), weight=0.1 * mV)
    assert np.all(q.in_degrees() == k)
    d = _distance_matrix(a.positions, b.positions, np.array([1 * mm, 1 * mm]))
    w = kern(d)
    prob = w / w.sum(axis=0)  # each of the k draws of target j picks source i with prob[i, j]
    counts = _counts(q, 400, 300)
    edges = np.linspace(0.0, 0.5 * mm, 21)
    which = np.digitize(d, edges) - 1
    obs = np.zeros(20)
    exp = np.zeros(20)
    var = np.zeros(20)
    for j in range(300):
        inside = which[:, j] < 20
        col = which[inside, j]
        obs += np.bincount(col, counts[inside, j], minlength=20)
        # the count of target j in a bin is Binomial(k, P) with P its probability mass there
        p_bin = np.bincount(col, prob[inside, j], minlength=20)
        exp += k * p_bin
        var += k * p_bin * (1 - p_bin)
    tested = var > 0
    assert np.all(np.abs(obs - exp)[tested] <= SIGMA * np.sqrt(var[tested]))
    # without multapses: distinct sources within the mask, no autapses
    mask = 0.3 * mm
    rule = DistanceFixedIndegree(
        kern, indegree=k, mask_radius=mask, multapses=False, autapses=False
    )
    q = net.connect(a, a, rule=rule, weight=0.1 * mV)
    c = _counts(q, 400, 400)
    assert np.all(q.in_degrees() == k)
    assert c.max() == 1 and np.all(np.diag(c) == 0)
    daa = _distance_matrix(a.positions, a.positions, np.array([1 * mm, 1 * mm]))
    assert np.all(daa[c > 0] <= mask)


# ------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: GaussianKernel(sigma=-1.0), ["sigma", "> 0", "-1.0"]),
        (lambda: ExponentialKernel(scale=0.0), ["scale", "> 0", "0.0"]),
        (lambda: StepKernel(radius=float("nan")), ["radius", "finite"]),
        (
            lambda: DistanceDependent(StepKernel(radius=1.0), p_max=-0.5),
            ["p_max", ">= 0", "-0.5"],
        ),
        (
            lambda: DistanceDependent(StepKernel(radius=1.0), mask_radius=-2.0),
            ["mask_radius", "-2.0"],
        ),
        (lambda: DistanceDependent(kernel=1.0), ["kernel", "GaussianKernel", "float"]),
        (lambda: Grid((10,)), ["shape", "2 or 3", "(10,)"]),
        (lambda: Grid((2, 2, 2, 2)), ["shape", "2 or 3"]),
        (lambda: Grid((4, 4), extent=(1.0, 1.0, 1.0)), ["extent", "2 numbers"]),
        (lambda: Grid((4, 0)), ["shape", ">= 1", "0"]),
        (lambda: RandomPositions((1.0,)), ["extent", "2 or 3"]),
        (lambda: RandomPositions((1.0, -1.0)), ["extent", "> 0", "-1.0"]),
        (lambda: RandomPositions((1.0, 1.0), center=(0.0, 0.0, 0.0)), ["center", "2 coordinates"]),
        (lambda: DistanceDelay(base=1 * ms, velocity=0.0), ["velocity", "> 0", "0.0"]),
        (lambda: DistanceFixedIndegree(StepKernel(radius=1.0), indegree=-3), ["indegree", "-3"]),
    ],
)
def test_bad_parameters_are_refused(make, words):
    with pytest.raises(ConfigurationError) as err:
        make()
    for w in words:
        assert w in str(err.value)


def test_bad_layouts_and_combinations_are_refused(seed):
    net = Network(dt=DT, seed=seed)
    flat = net.add_population(LIFDelta(), 16, name="flat", positions=Grid((4, 4)))
    deep = net.add_population(LIFDelta(), 8, name="deep", positions=Grid((2, 2, 2)))
    torus = net.add_population(LIFDelta(), 16, name="torus", positions=Grid((4, 4), periodic=True))
    bigger = net.add_population(
        LIFDelta(), 16, name="bigger", positions=Grid((4, 4), extent=(8.0, 8.0), periodic=True)
    )
    plain = net.add_population(LIFDelta(), 16, name="plain")
    rule = DistanceDependent(StepKernel(radius=1.0))
    cases = [
        (dict(pre=plain, post=flat, rule=rule), ["positions", "'plain'", "Grid"]),
        (dict(pre=flat, post=deep, rule=rule), ["same dimension", "2-D", "3-D"]),
        (dict(pre=flat, post=torus, rule=rule), ["periodic", "'flat'", "'torus'"]),
        (dict(pre=torus, post=bigger, rule=rule), ["one box", "extent"]),
        (
            dict(pre=flat, post=flat, rule=rule, delay=DistanceDelay(base=0.01 * ms, velocity=1)),
            ["base", "one time step", "1e-05"],
        ),
        (
            dict(
                pre=plain,
                post=plain,
                rule=PairwiseBernoulli(p=0.1),
                delay=DistanceDelay(base=1 * ms, velocity=1),
            ),
            ["DistanceDelay", "positions"],
        ),
        (
            dict(
                pre=flat,
                post=flat,
                rule=Explicit(pre=[0], post=[1]),
                delay=DistanceDelay(base=1 * ms, velocity=1),
            ),
            ["Explicit", "DistanceDelay"],
        ),
        (
            dict(
                pre=flat,
                post=flat,
                # a 4 x 4 grid of spacing 0.25: 5 sources within 0.3 (self and 4 neighbours)
                rule=DistanceFixedIndegree(StepKernel(radius=0.3), indegree=9, multapses=False),
            ),
            ["at least 9", "only"],
        ),
    ]
    n_before = len(net.projections)
    for kwargs, words in cases:
        kwargs.setdefault("weight", 0.1 * mV)
        with pytest.raises(ConfigurationError) as err:
            net.connect(kwargs.pop("pre"), kwargs.pop("post"), **kwargs)
        for w in words:
            assert w in str(err.value), (w, str(err.value))
    assert len(net.projections) == n_before
    with pytest.raises(ConfigurationError, match="holds 16 neurons, but the population has 15"):
        net.add_population(LIFDelta(), 15, positions=Grid((4, 4)))
    with pytest.raises(ConfigurationError, match="Positions object"):
        net.add_population(LIFDelta(), 15, positions=np.zeros((15, 2)))


def test_example_script_runs(capsys):
    ns = runpy.run_path(str(EXAMPLES / "spatial_network.py"))
    rates = ns["main"](duration=0.2)
    out = capsys.readouterr().out
    assert "E rate:" in out and "I rate:" in out
    # inhibition-dominated sheet driven near threshold: active, not saturated
    assert all(1.0 < r < 100.0 for r in rates.values())


@pytest.mark.parametrize("n", [1, 2, 7, 50, 333])
def test_select_largest_matches_sorting(n):
    rng = np.random.default_rng(n)
    for trial in range(20):
        # ties are frequent with few distinct values
        keys = rng.integers(0, 4 if trial % 2 else 1000, n).astype(np.float64)
        idx = np.arange(n, dtype=np.int64)
        k = int(rng.integers(1, n + 1))
        kk, ii = keys.copy(), idx.copy()
        _select_largest(kk, ii, n, k)
        assert np.array_equal(np.sort(kk[:k]), np.sort(keys)[n - k :])
        assert np.array_equal(keys[ii], kk)  # moved together
        assert np.array_equal(np.sort(ii), idx)  # a permutation


def test_fixed_indegree_one_without_multapses_picks_by_kernel_weight(seed):
    # with one source per target, sampling without replacement (Efraimidis-Spirakis keys) must
    # choose source i with probability w_i / sum(w), as the draws with replacement do
    net = Network(dt=DT, seed=seed)
    pos = RandomPositions((1 * mm, 1 * mm), periodic=True)
    a = net.add_population(LIFDelta(), 300, positions=pos)
    b = net.add_population(LIFDelta(), 3000, positions=pos)
    kern = ExponentialKernel(scale=0.1 * mm)
    rule = DistanceFixedIndegree(kern, indegree=1, multapses=False)
    q = net.connect(a, b, rule=rule, weight=0.1 * mV)
    d = _distance_matrix(a.positions, b.positions, np.array([1 * mm, 1 * mm]))
    prob = kern(d) / kern(d).sum(axis=0)
    edges = np.linspace(0.0, 0.5 * mm, 16)
    # summing p (1 - p) over pairs bounds the variance of a target's single draw from above
    obs, exp, var = _binned_ok(d, _counts(q, 300, 3000), prob, edges)
    assert np.all(np.abs(obs - exp) <= SIGMA * np.sqrt(var))


@pytest.mark.parametrize("multapses", [False, True])
def test_narrow_kernel_in_a_large_box(multapses, seed):
    # far cells have bounds near 1e-136: their geometric skips exceed the int64 range
    net = Network(dt=DT, seed=seed, threads=2)
    pos = RandomPositions((1 * mm, 1 * mm), periodic=True)
    a = net.add_population(LIFDelta(), 3000, positions=pos)
    kern = GaussianKernel(sigma=0.02 * mm)
    rule = DistanceDependent(kern, p_max=0.8, multapses=multapses)
    q = net.connect(a, a, rule=rule, weight=0.1 * mV)
    d = _distance_matrix(a.positions, a.positions, np.array([1 * mm, 1 * mm]))
    p = 0.8 * kern(d)
    var = p.sum() if multapses else (p * (1 - p)).sum()
    assert abs(q.n_synapses - p.sum()) <= SIGMA * math.sqrt(var)
    assert d[q.sources(), q.targets()].max() < 0.2 * mm


MPI_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    from snn.core import Network
    from snn.core.units import mm, ms, mV
    from snn.neurons import LIFDelta
    from snn.synapses import (
        DistanceDelay, DistanceDependent, DistanceFixedIndegree, ExponentialKernel, Grid,
        RandomPositions,
    )
    net = Network(dt=0.1 * ms, seed=5)
    a = net.add_population(
        LIFDelta(), 700, positions=RandomPositions((1 * mm, 1 * mm), periodic=True)
    )
    b = net.add_population(
        LIFDelta(), 500, positions=Grid((25, 20), extent=(1 * mm, 1 * mm), periodic=True)
    )
    k = ExponentialKernel(scale=0.1 * mm)
    dl = DistanceDelay(base=0.5 * ms, velocity=0.3)
    ps = [
        net.connect(a, b, rule=DistanceDependent(k, p_max=0.6), weight=0.1 * mV, delay=dl),
        net.connect(a, a, rule=DistanceDependent(k, p_max=0.4, multapses=True), weight=0.1 * mV),
        net.connect(
            b, a[100:600], rule=DistanceFixedIndegree(k, indegree=20, multapses=False),
            weight=0.1 * mV, delay=dl,
        ),
    ]
    rows = [
        np.c_[np.full(p.n_synapses, q), p.sources(), p.targets(), np.rint(p.delays() / net.dt)]
        for q, p in enumerate(ps)
    ]
    np.save(f"{sys.argv[1]}_{net.rank}.npy", np.concatenate(rows))
    """
)


@pytest.mark.mpi
def test_same_connectivity_on_one_and_two_mpi_ranks(tmp_path, mpi_command):
    mpiexec, env = mpi_command
    script = tmp_path / "spatial.py"
    script.write_text(MPI_SCRIPT)
    for n in (1, 2):
        cmd = [mpiexec, "-n", str(n), sys.executable, str(script), str(tmp_path / f"r{n}")]
        subprocess.run(cmd, check=True, env=env, timeout=600, capture_output=True)

    def synapses(n):
        rows = np.concatenate([np.load(tmp_path / f"r{n}_{r}.npy") for r in range(n)])
        return rows[np.lexsort(rows.T[::-1])]

    one, two = synapses(1), synapses(2)
    assert one.shape[0] > 30_000
    assert np.array_equal(one, two)


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("on_source", [False, True])
def test_box_mask_selects_nests_pairs(periodic, on_source):
    """NEST's rectangular mask with an anchor and use_on_source (its spatial examples'
    ``conncon_*``, ``nodes_source_target``, ``test_3d``): on an 11 x 9 grid of extent 1.1 x 0.9,
    p = 1, the region [-0.27, 0.33] x [-0.13, 0.07] shifted by (0.1, -0.05), NEST 3.10 makes
    935 synapses without and 1188 with periodic boundaries (12 per neuron), the same pairs of
    positions as here (checked pair by pair with nest.Connect(..., {"rule":
    "pairwise_bernoulli", "mask": ..., "use_on_source": ...}) and GetConnections). The region's
    edges lie between grid points, so no pair depends on rounding. Here the pairs are also
    checked against the rule itself, evaluated with numpy."""
    from snn.synapses import BoxMask, StepKernel

    net = Network(dt=0.1 * ms)
    grid = Grid(shape=(11, 9), extent=(1.1, 0.9), periodic=periodic)
    a = net.add_population(LIFDelta(), 99, positions=grid)
    b = net.add_population(LIFDelta(), 99, positions=grid)
    mask = BoxMask(
        lower=(-0.27, -0.13), upper=(0.33, 0.07), anchor=(0.1, -0.05), on_source=on_source
    )
    # a constant probability (NEST's p as a number): the mask alone sets the region
    rule = DistanceDependent(StepKernel(radius=math.inf), p_max=1.0, mask=mask)
    proj = net.connect(a, b, rule=rule, weight=0.1 * mV)
    assert proj.n_synapses == (1188 if periodic else 935)
    disp = b.positions[None, :, :] - a.positions[:, None, :]  # [source, target, axis]
    if on_source:
        disp = -disp
    if periodic:
        disp = (disp + 0.5 * np.array([1.1, 0.9])) % np.array([1.1, 0.9]) - 0.5 * np.array(
            [1.1, 0.9]
        )
    inside = np.all((disp >= [-0.17, -0.18]) & (disp <= [0.43, 0.02]), axis=2)
    expected = set(zip(*np.nonzero(inside), strict=True))
    assert set(zip(proj.sources(), proj.targets(), strict=True)) == expected


def test_box_mask_errors():
    from snn.synapses import BoxMask

    with pytest.raises(ConfigurationError, match="below `upper`"):
        BoxMask(lower=(0.0, 0.0), upper=(0.0, 1.0))
    with pytest.raises(ConfigurationError, match="same number of coordinates"):
        BoxMask(lower=(0.0, 0.0), upper=(1.0, 1.0, 1.0))
    with pytest.raises(ConfigurationError, match="must be a BoxMask"):
        DistanceDependent(GaussianKernel(sigma=0.1), mask=0.3)
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIFDelta(), 8, positions=Grid(shape=(2, 2, 2), extent=(1, 1, 1)))
    rule = DistanceDependent(GaussianKernel(sigma=0.1), mask=BoxMask(lower=(0, 0), upper=(1, 1)))
    with pytest.raises(ConfigurationError, match="the mask has 2 coordinates, the positions 3"):
        net.connect(pop, pop, rule=rule, weight=0.1 * mV)
    assert net.projections == []


def test_fixed_positions_are_the_points_given():
    """NEST's ``nest.spatial.free`` with a list of positions: the neurons sit at the points, the
    box is their bounding box unless given, and a point outside a given box is refused."""
    from snn.synapses import FixedPositions

    pts = np.array([[0.0, 0.0], [0.3, -0.2], [-0.1, 0.4]])
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIFDelta(), 3, positions=FixedPositions(pts))
    np.testing.assert_array_equal(pop.positions, pts)
    layout = FixedPositions(pts)
    assert layout.extent == pytest.approx((0.4, 0.6)) and layout.center == pytest.approx((0.1, 0.1))
    rule = DistanceDependent(StepKernel(radius=0.37), p_max=1.0)
    proj = net.connect(pop, pop, rule=rule, weight=0.1 * mV)
    # distances: 0-1 0.361, 0-2 0.412, 1-2 0.721; autapses are NEST's default too
    assert sorted(zip(proj.sources(), proj.targets(), strict=True)) == [
        (0, 0), (0, 1), (1, 0), (1, 1), (2, 2)
    ]  # fmt: skip
    with pytest.raises(ConfigurationError, match=r"point 1 at .* lies outside the box"):
        FixedPositions(pts, extent=(0.5, 0.5), center=(0.0, 0.0))
    with pytest.raises(ConfigurationError, match="needs the box's `extent`"):
        FixedPositions(pts, periodic=True)
    with pytest.raises(ConfigurationError, match="holds 3 points, but the population has 4"):
        net.add_population(LIFDelta(), 4, positions=FixedPositions(pts))


def test_grid_default_extent_is_nests_unit_box():
    """NEST 3.10's ``nest.spatial.grid(shape=[4, 5])`` spans the unit square: x at -0.375,
    -0.125, 0.125, 0.375 and y at -0.4 ... 0.4 (measured in NEST; the PyNEST tutorial's spatial
    network makes 192 E->I synapses with it, 0 with a grid of spacing 1)."""
    net = Network(dt=DT)
    pop = net.add_population(LIFDelta(), 20, positions=Grid((4, 5)))
    np.testing.assert_allclose(np.unique(pop.positions[:, 0]), [-0.375, -0.125, 0.125, 0.375])
    np.testing.assert_allclose(np.unique(pop.positions[:, 1]), [-0.4, -0.2, 0.0, 0.2, 0.4])
    assert Grid((4, 5)).extent == (1.0, 1.0)
