"""Random sources and connection rules against their exact distributions (5-sigma bands).

A 5-sigma two-sided band is exceeded by chance with probability 5.7e-7, so these tests are
deterministic in practice for their fixed seeds and still catch biases larger than the band.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import Network
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


def test_poisson_input_counts_are_poisson():
    lam = 2.0  # Brunel: 20 kHz x 0.1 ms
    n, steps = 5000, 400
    args = PoissonInput(rate=lam / 1e-4, weight=1.0).arguments(n, 1e-4)
    from snn.neurons._sources import poisson_input_add

    key = derive_key(9, "drive", 0)
    counts = np.zeros((steps, n))
    for t in range(steps):
        poisson_input_add(
            counts[t],
            t,
            np.int64(0),
            np.int64(1),
            key[0],
            key[1],
            args["cdf"],
            args["guide"],
            args["scratch"],
            args["odd"],
            1.0,
        )
    m = counts.size
    assert abs(counts.mean() - lam) < SIGMA * math.sqrt(lam / m)
    # variance of the sample variance of Poisson(lam): (mu4 - sigma^4) / m = (lam + 2 lam^2) / m
    assert abs(counts.var() - lam) < SIGMA * math.sqrt((lam + 2 * lam**2) / m)
    # chi-square against the Poisson pmf, classes k = 0..7 and k >= 8
    ks = np.arange(8)
    pmf = np.exp(-lam) * lam**ks / np.array([math.factorial(k) for k in ks])
    expected = np.append(pmf, 1 - pmf.sum()) * m
    observed = np.append(
        np.bincount(counts.astype(int).ravel(), minlength=9)[:8], (counts >= 8).sum()
    )
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    # chi-square with 8 degrees of freedom: P(chi2 > 40) ~ 3e-6
    assert chi2 < 40.0


def test_poisson_tables_cover_unit_interval():
    for lam in (0.01, 0.5, 2.0, 30.0, 99.0):
        cdf, guide = poisson_tables(lam)
        assert cdf[-1] == 1.0
        assert np.all(np.diff(cdf) >= 0)
        # guide[m] is the smallest k with cdf[k] > m / M
        m = np.arange(guide.shape[0]) / guide.shape[0]
        assert np.all(cdf[guide] > m)
        assert np.all((guide == 0) | (cdf[np.maximum(guide - 1, 0)] <= m))


def test_poisson_input_same_values_with_or_without_the_odd_step_cache():
    from snn.neurons._sources import poisson_input_add

    args = PoissonInput(rate=2.0 / 1e-4, weight=1.0).arguments(300, 1e-4)
    key = derive_key(9, "drive", 0)
    cached = np.zeros(300)
    fresh = np.zeros(300)
    call = (np.int64(0), np.int64(1), key[0], key[1], args["cdf"], args["guide"])
    poisson_input_add(np.zeros(300), 40, *call, args["scratch"], args["odd"], 1.0)
    poisson_input_add(cached, 41, *call, args["scratch"], args["odd"], 1.0)
    poisson_input_add(fresh, 41, *call, np.empty(300), np.full(300, np.nan), 1.0)
    assert np.array_equal(cached, fresh)
    assert np.isnan(args["odd"][0])


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
