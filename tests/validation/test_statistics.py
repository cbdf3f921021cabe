"""Random sources and connection rules against their exact distributions (5-sigma bands).

A 5-sigma two-sided band is exceeded by chance with probability 5.7e-7, so these tests are
deterministic in practice for their fixed seeds and still catch biases larger than the band.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.kernels import poisson_tables, uniform_fill2
from snn.core.random import derive_key
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, PoissonSource
from snn.synapses import AllToAll, FixedIndegree, FixedOutdegree, OneToOne, PairwiseBernoulli

SIGMA = 5.0


def test_poisson_source_rate_and_fano_factor():
    dt, rate, n, duration = 0.1 * ms, 40 * Hz, 2000, 2.0
    net = Network(dt=dt, seed=3)
    pop = net.add_population(PoissonSource(rate=rate), n)
    mon = net.record_spikes(pop)
    net.run(duration)
    steps = round(duration / dt)
    p = rate * dt
    # total count ~ Binomial(n * steps, p)
    total = mon.n_spikes
    mean = n * steps * p
    sd = math.sqrt(n * steps * p * (1 - p))
    assert abs(total - mean) < SIGMA * sd
    # per-neuron counts ~ Binomial(steps, p): Fano factor 1 - p; the sample Fano factor of n
    # near-Poisson counts with large mean has standard deviation about sqrt(2 / (n - 1)).
    counts = mon.spike_counts()
    fano = counts.var(ddof=1) / counts.mean()
    assert abs(fano - (1 - p)) < SIGMA * math.sqrt(2 / (n - 1))


def test_poisson_source_per_neuron_rates():
    rates = np.array([0.0, 10.0, 100.0, 1000.0])
    net = Network(dt=0.1 * ms, seed=4)
    pop = net.add_population(PoissonSource(rate=np.repeat(rates, 100)), 400)
    mon = net.record_spikes(pop)
    net.run(2.0)
    counts = mon.spike_counts().reshape(4, 100).sum(axis=1)
    steps = 20000
    for r, c in zip(rates, counts, strict=True):
        p = r * 1e-4
        mean, sd = 100 * steps * p, math.sqrt(100 * steps * p * (1 - p))
        assert abs(c - mean) <= SIGMA * sd


def test_poisson_source_window_keeps_the_draws_of_an_open_source():
    """start/stop (NEST's poisson_generator): spikes only with times in (start, stop], and
    exactly those an always-on source draws there (the draws are keyed by neuron and step);
    per-neuron windows; a window is set between runs like any parameter."""
    dt = 0.1 * ms

    def spikes(**kw):
        net = Network(dt=dt, seed=3)
        pop = net.add_population(PoissonSource(rate=5000.0, **kw), 40)
        mon = net.record_spikes(pop)
        net.run(30 * ms)
        return {(round(t / dt), int(i)) for t, i in zip(mon.times, mon.indices, strict=True)}

    always = spikes()
    window = spikes(start=10 * ms, stop=20 * ms)
    assert window and window == {(k, i) for k, i in always if 100 < k <= 200}
    starts = np.where(np.arange(40) < 20, 0.0, 25 * ms)
    late = spikes(start=starts)
    assert late == {(k, i) for k, i in always if i < 20 or k > 250}
    with pytest.raises(ConfigurationError, match="`stop` must be after `start`"):
        PoissonSource(rate=10.0, start=5 * ms, stop=5 * ms)
    with pytest.raises(ConfigurationError, match="start"):
        PoissonSource(rate=10.0, start=-1.0)


def _poisson_input_counts(lam: float, n: int, steps: int, t0: int = 0) -> np.ndarray:
    """Counts ``counts[t, i]`` of a PoissonInput of mean ``lam`` (its kernel called directly)."""
    from snn.neurons._sources import poisson_input_add

    args = PoissonInput(rate=lam / 1e-4, weight=1.0).arguments(n, 1e-4)
    key = derive_key(9, "drive", 0)
    counts = np.zeros((steps, n))
    for t in range(steps):
        poisson_input_add(
            counts[t], t0 + t, np.int64(0), np.int64(1), key[0], key[1], *args.values()
        )
    return counts


# Brunel's 2.0 (20 kHz x 0.1 ms), the microcircuit's 1.3-1.7 (K_ext x 8 Hz x 0.1 ms), a weak
# input and a strong one (guide-table search over more buckets)
@pytest.mark.parametrize(("lam", "n_classes"), [(0.3, 4), (1.5, 8), (2.0, 9), (30.0, 30)])
def test_poisson_input_counts_are_poisson(lam, n_classes):
    scipy_stats = pytest.importorskip("scipy.stats")
    n, steps = 5000, 200
    counts = _poisson_input_counts(lam, n, steps)
    m = counts.size
    assert abs(counts.mean() - lam) < SIGMA * math.sqrt(lam / m)
    # variance of the sample variance of Poisson(lam): (mu4 - sigma^4) / m = (lam + 2 lam^2) / m
    assert abs(counts.var() - lam) < SIGMA * math.sqrt((lam + 2 * lam**2) / m)
    # chi-square against the Poisson pmf (scipy's), classes below lo, lo..hi, above hi, each
    # expecting hundreds of counts at least
    lo = max(0, int(lam - 3 * math.sqrt(lam)))
    ks = np.arange(lo, lo + n_classes)
    expected = m * np.concatenate(
        [
            [scipy_stats.poisson.cdf(lo - 1, lam)],
            scipy_stats.poisson.pmf(ks, lam),
            [scipy_stats.poisson.sf(ks[-1], lam)],
        ]
    )
    c = counts.astype(np.int64).ravel()
    inner = np.bincount(c, minlength=ks[-1] + 1)[lo : ks[-1] + 1]
    observed = np.concatenate([[np.count_nonzero(c < lo)], inner, [np.count_nonzero(c > ks[-1])]])
    keep = expected > 0
    chi2 = float(((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum())
    # P(chi2 > x) = 1e-6 for the classes' degrees of freedom: a false alarm once a million runs
    assert chi2 < scipy_stats.chi2.isf(1e-6, keep.sum() - 1), (chi2, observed, expected)


def test_poisson_input_counts_uncorrelated_across_neurons_and_steps():
    # lag-1 correlations between neighbouring neurons (which share a Philox call when they are
    # in one group of four), between the groups' edges, and between consecutive steps; the
    # sample correlation of independent values has standard deviation 1 / sqrt(pairs)
    lam, n, steps = 2.0, 4000, 250
    z = _poisson_input_counts(lam, n, steps) - lam

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        return float((a * b).mean() / lam)

    for offset in range(4):  # pairs (j, j + 1) with j = offset mod 4
        a, b = z[:, offset : n - 1 : 4], z[:, offset + 1 : n : 4]
        assert abs(corr(a, b)) < SIGMA / math.sqrt(a.size), offset
    assert abs(corr(z[:-1], z[1:])) < SIGMA / math.sqrt(z[1:].size)
    # sums over 50 steps per neuron: variance 50 lam if the steps are independent (5-sigma band
    # of a sample variance of n nearly normal values: sqrt(2 / n))
    sums = z.reshape(5, 50, n).sum(axis=1).ravel()
    assert abs(sums.var() / (50 * lam) - 1) < SIGMA * math.sqrt(2 / sums.size)


def test_poisson_tables_cover_unit_interval():
    for lam in (0.01, 0.5, 2.0, 30.0, 99.0):
        cdf, guide = poisson_tables(lam)
        assert cdf[-1] == 1.0
        assert np.all(np.diff(cdf) >= 0)
        # guide[m] is the smallest k with cdf[k] > m / M
        m = np.arange(guide.shape[0]) / guide.shape[0]
        assert np.all(cdf[guide] > m)
        assert np.all((guide == 0) | (cdf[np.maximum(guide - 1, 0)] <= m))


def test_poisson_input_counts_depend_on_neuron_and_step_only():
    # a step drawn alone (a drive added, or a network restored, at that step) gives the same
    # counts as the same step within a run
    run = _poisson_input_counts(2.0, 301, 8)
    for t in (0, 3, 5, 6):
        assert np.array_equal(_poisson_input_counts(2.0, 301, 1, t0=t)[0], run[t])


def test_uniforms_uniform_and_uncorrelated():
    n = 200_000
    key = derive_key(1, "test")
    u = np.empty(n)
    uniform_fill2(u, np.empty(n), n, key[0], key[1], 0, 1, 7)
    assert abs(u.mean() - 0.5) < SIGMA * math.sqrt(1 / 12 / n)
    hist = np.histogram(u, bins=20, range=(0, 1))[0]
    chi2 = float(((hist - n / 20) ** 2 / (n / 20)).sum())
    assert chi2 < 60.0  # 19 dof: P(chi2 > 60) ~ 4e-6
    lag1 = np.corrcoef(u[:-1], u[1:])[0, 1]
    assert abs(lag1) < SIGMA / math.sqrt(n)


def _net(seed=5):
    net = Network(dt=0.1 * ms, seed=seed)
    a = net.add_population(LIFDelta(), 300, name="a")
    b = net.add_population(LIFDelta(), 500, name="b")
    return net, a, b


def test_fixed_indegree_is_exact_and_without_multapses():
    net, a, b = _net()
    q = net.connect(a, b, rule=FixedIndegree(indegree=37), weight=0.1 * mV)
    assert np.all(q.in_degrees() == 37)
    pairs = np.stack([q.sources(), q.targets()], 1)
    assert np.unique(pairs, axis=0).shape[0] == pairs.shape[0]


def test_fixed_indegree_dense_and_autapse_free():
    net, a, _ = _net()
    q = net.connect(a, a, rule=FixedIndegree(indegree=250, autapses=False), weight=0.1 * mV)
    assert np.all(q.in_degrees() == 250)
    assert not np.any(q.sources() == q.targets())


def test_fixed_indegree_sources_uniform():
    net, a, b = _net()
    q = net.connect(a, b, rule=FixedIndegree(indegree=60), weight=0.1 * mV)
    # each source is chosen by each target with probability 60/300: out-degree ~ Bin(500, 0.2)
    out = q.out_degrees()
    p = 60 / 300
    assert abs(out.mean() - 500 * p) < 1e-9  # exact: 500 * 60 synapses over 300 sources
    assert abs(out.var() - 500 * p * (1 - p)) < SIGMA * 500 * p * (1 - p) * math.sqrt(2 / 299)


def test_fixed_outdegree_is_exact():
    net, a, b = _net()
    q = net.connect(a, b, rule=FixedOutdegree(outdegree=45), weight=0.1 * mV)
    assert np.all(q.out_degrees() == 45)
    pairs = np.stack([q.sources(), q.targets()], 1)
    assert np.unique(pairs, axis=0).shape[0] == pairs.shape[0]


@pytest.mark.parametrize("p", [0.001, 0.02, 0.3, 0.97])
def test_pairwise_bernoulli_count_in_binomial_band(p):
    net, a, b = _net()
    q = net.connect(a, b, rule=PairwiseBernoulli(p=p), weight=0.1 * mV)
    m = 300 * 500
    assert abs(q.n_synapses - m * p) < SIGMA * math.sqrt(m * p * (1 - p))
    pairs = np.stack([q.sources(), q.targets()], 1)
    assert np.unique(pairs, axis=0).shape[0] == pairs.shape[0]


def test_pairwise_bernoulli_without_autapses():
    net, a, _ = _net()
    q = net.connect(a, a, rule=PairwiseBernoulli(p=0.5, autapses=False), weight=0.1 * mV)
    assert not np.any(q.sources() == q.targets())
    m = 300 * 299
    assert abs(q.n_synapses - m * 0.5) < SIGMA * math.sqrt(m * 0.25)


def test_all_to_all_and_one_to_one():
    net, a, b = _net()
    q = net.connect(a, b, rule=AllToAll(), weight=0.1 * mV)
    assert q.n_synapses == 300 * 500
    r = net.connect(a, a, rule=AllToAll(autapses=False), weight=0.1 * mV)
    assert r.n_synapses == 300 * 299
    s = net.connect(a, a, rule=OneToOne(), weight=0.1 * mV)
    assert np.array_equal(s.sources(), s.targets())


def test_weights_and_delays_from_distributions():
    from snn.core.random import Clipped, Normal, Uniform

    net, a, b = _net()
    w = Clipped(Normal(mean=0.2 * mV, std=0.1 * mV), low=0.0)
    d = Uniform(low=0.5 * ms, high=2.0 * ms)
    q = net.connect(a, b, rule=FixedIndegree(indegree=100), weight=w, delay=d)
    ws, ds = q.weights(), q.delays()
    assert ws.min() >= 0.0
    assert np.all(np.isclose(ds / 0.1e-3, np.rint(ds / 0.1e-3)))
    assert ds.min() >= 0.5 * ms - 1e-12 and ds.max() <= 2.0 * ms + 1e-12
    # clipped (redrawn) normal mean: mu + sigma phi(a) / (1 - Phi(a)), a = -mu / sigma = -2
    phi, big_phi = math.exp(-2) / math.sqrt(2 * math.pi), 0.5 * (1 + math.erf(-2 / math.sqrt(2)))
    expected = 0.2 * mV + 0.1 * mV * phi / (1 - big_phi)
    assert abs(ws.mean() - expected) < SIGMA * 0.1 * mV / math.sqrt(ws.size)
    assert not q.homogeneous_weight and not q.homogeneous_delay


def test_matrix_weights():
    net, a, b = _net()
    mat = np.arange(300 * 500, dtype=float).reshape(300, 500) * 1e-9
    q = net.connect(a, b, rule=PairwiseBernoulli(p=0.1), weight=mat)
    assert np.array_equal(q.weights(), mat[q.sources(), q.targets()])


def test_connectivity_bytes_per_synapse():
    net, a, b = _net()
    q = net.connect(a, b, rule=FixedIndegree(indegree=100), weight=0.1 * mV)
    # uint16 targets, homogeneous weight and delay: 2 bytes per synapse plus the row pointer
    assert q.nbytes == 2 * q.n_synapses + 8 * 301
