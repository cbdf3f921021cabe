"""Stochastic short-term plasticity (QuantalSynapse, StochasticTsodyksSynapse) against closed forms.

One source spikes ``N_SPIKES`` times, every ``PERIOD``, onto ``N_SYN`` synapses, each feeding a
target of its own: a LIF neuron with delta synapses, a threshold it never reaches and
``tau_m = 100 ms``, so that the jump of its ``v`` at the arrival step, divided by the weight,
is the number of sites the synapse released for that spike.

Closed forms (module docstring of ``snn.synapses._release``): every site is an independent
Markov chain whose probability ``x_n`` of being available at spike ``n`` follows the
deterministic Tsodyks-Markram recursion ``x_{n+1} = 1 + (x_n (1 - u_n) - 1) D``,
``D = exp(-PERIOD / tau_rec)``, ``x_1 = 1``, with ``u_{n+1} = U + u_n (1 - U) F``,
``F = exp(-PERIOD / tau_fac)`` (0 without facilitation), ``u_1 = U``. Hence the count released
at spike ``n`` is binomial ``B(n_sites, u_n x_n)``; for one site, releasing at spikes 1 and 2
has probability ``u_1 (1 - D) u_2`` (the site released must recover), and for ``n_sites``
sites ``Cov(k_1, k_2) = -n_sites u_1 u_2 D (1 - u_1)`` (only a site's own release depletes it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from snn.core import ConfigurationError, Network
from snn.core.units import ms, mV
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.synapses import AllToAll, QuantalSynapse, StochasticTsodyksSynapse

N_SYN = 2000
N_SPIKES = 6
PERIOD = 10 * ms
DELAY = 1 * ms
DT = 0.1 * ms
TAU_M = 100 * ms
W = 1 * mV
DURATION = N_SPIKES * PERIOD + 2 * DELAY

DEPRESSING = {"U": 0.5, "tau_rec": 50 * ms, "tau_fac": 0.0}
FACILITATING = {"U": 0.1, "tau_rec": 50 * ms, "tau_fac": 200 * ms}


def network(synapse, *, seed: int = 5, threads: int = 1, parallel=None):
    """The source, ``N_SYN`` synapses of ``synapse`` and their detectors' recorded ``v``."""
    net = Network(dt=DT, seed=seed, threads=threads, parallel=parallel)
    times = PERIOD * np.arange(1, N_SPIKES + 1)
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(N_SPIKES, int)), 1)
    detector = LIFDelta(e_l=0.0, v_reset=0.0, v_th=1.0, t_ref=0.0, tau_m=TAU_M)
    post = net.add_population(detector, N_SYN)
    q = net.connect(src, post, rule=AllToAll(), weight=W, delay=DELAY, synapse=synapse)
    return net, q, net.record_state(post, "v")


def released(mon) -> np.ndarray:
    """Sites released by each synapse at each spike, shape ``(N_SPIKES, N_SYN)``.

    The jump of ``v`` over a step, net of the leak, is ``k W``; rounding recovers ``k``, which
    is off by less than ``k (1 - exp(-dt / tau_m)) = 0.005 k`` whichever the order of leak and
    input within the step.
    """
    v = np.vstack([np.zeros((1, N_SYN)), mon["v"]])
    jumps = np.rint((v[1:] - v[:-1] * math.exp(-DT / TAU_M)) / W).astype(np.int64)
    # the first spike always releases somewhere (every test has sites available then)
    rows = np.flatnonzero(np.any(jumps != 0, axis=1))[0] + round(PERIOD / DT) * np.arange(N_SPIKES)
    others = np.delete(jumps, rows, axis=0)
    assert not others.any(), "a jump of v between arrivals"
    return jumps[rows]


def tsodyks_means(U: float, tau_rec: float, tau_fac: float) -> tuple[np.ndarray, np.ndarray]:
    """``u_n`` and ``x_n`` of the deterministic recursion (module docstring), n = 1..N_SPIKES."""
    d = math.exp(-PERIOD / tau_rec)
    f = 0.0 if tau_fac == 0 else math.exp(-PERIOD / tau_fac)
    u, x = np.empty(N_SPIKES), np.empty(N_SPIKES)
    u[0], x[0] = U, 1.0
    for n in range(1, N_SPIKES):
        u[n] = U + u[n - 1] * (1 - U) * f
        x[n] = 1 + (x[n - 1] * (1 - u[n - 1]) - 1) * d
    return u, x


def binomial_chi2(k: np.ndarray, n: int, p: np.ndarray) -> tuple[float, int]:
    """Pearson's statistic of each spike's counts against ``B(n, p_spike)``, summed over spikes.

    Counts whose expected number is below 5 are merged into their neighbour (Cochran's rule),
    so the statistic is close to chi-square with the returned degrees of freedom.
    """
    total, dof = 0.0, 0
    for row, ps in zip(k, p, strict=True):
        observed = np.bincount(row, minlength=n + 1).astype(float)
        expected = N_SYN * stats.binom.pmf(np.arange(n + 1), n, ps)
        obs, exp = [], []
        o_acc = e_acc = 0.0
        for o, e in zip(observed, expected, strict=True):
            o_acc, e_acc = o_acc + o, e_acc + e
            if e_acc >= 5:
                obs.append(o_acc)
                exp.append(e_acc)
                o_acc = e_acc = 0.0
        if exp:
            obs[-1] += o_acc
            exp[-1] += e_acc
        obs_a, exp_a = np.array(obs), np.array(exp)
        total += float(np.sum((obs_a - exp_a) ** 2 / exp_a))
        dof += len(exp) - 1
    return total, dof


@pytest.mark.parametrize("params", [DEPRESSING, FACILITATING], ids=["depressing", "facilitating"])
def test_quantal_counts_are_binomial(params):
    sites = 5
    net, _, mon = network(QuantalSynapse(n=sites, **params))
    net.run(DURATION)
    k = released(mon)
    u, x = tsodyks_means(params["U"], params["tau_rec"], params["tau_fac"])
    p = u * x
    # each spike's mean over N_SYN synapses: within 5 standard errors of n u_n x_n (a false
    # alarm about 6e-7 per spike)
    se = np.sqrt(sites * p * (1 - p) / N_SYN)
    assert np.all(np.abs(k.mean(axis=1) - sites * p) < 5 * se)
    # the whole law: Pearson's statistic below its 1 - 1e-6 quantile
    chi2, dof = binomial_chi2(k, sites, p)
    assert dof >= N_SPIKES
    assert chi2 < stats.chi2.isf(1e-6, dof), (chi2, dof)
    # depletion couples consecutive spikes: Cov(k_1, k_2) = -n u_1 u_2 D (1 - u_1) (module
    # docstring; -0.51 depressing, -0.026 facilitating). Its estimate's standard error is the
    # spread of the centred products over sqrt(N_SYN); 5 of them
    d = math.exp(-PERIOD / params["tau_rec"])
    cov = -sites * u[0] * u[1] * d * (1 - u[0])
    prod = (k[0] - k[0].mean()) * (k[1] - k[1].mean())
    assert abs(prod.mean() - cov) < 5 * prod.std() / math.sqrt(N_SYN)
    if params is DEPRESSING:  # far from independence: 20 standard errors
        assert abs(cov) > 15 * prod.std() / math.sqrt(N_SYN)


@pytest.mark.parametrize("params", [DEPRESSING, FACILITATING], ids=["depressing", "facilitating"])
def test_stochastic_tsodyks_mean_is_tsodyks_markram(params):
    net, _, mon = network(StochasticTsodyksSynapse(**params))
    net.run(DURATION)
    k = released(mon)
    assert set(np.unique(k)) <= {0, 1}
    u, x = tsodyks_means(params["U"], params["tau_rec"], params["tau_fac"])
    p = u * x
    # the fraction of the N_SYN synapses transmitting spike n is B(N_SYN, u_n x_n) / N_SYN:
    # within 5 standard errors
    se = np.sqrt(p * (1 - p) / N_SYN)
    assert np.all(np.abs(k.mean(axis=1) - p) < 5 * se)
    # transmitting spikes 1 and 2: probability u_1 (1 - D) u_2, within 5 standard errors
    both = np.mean(k[0] * k[1])
    p12 = u[0] * (1 - math.exp(-PERIOD / params["tau_rec"])) * u[1]
    assert abs(both - p12) < 5 * math.sqrt(p12 * (1 - p12) / N_SYN)


def test_exact_limits_and_sites_per_synapse():
    # U = 1 releases every available site; tau_rec = 1 us recovers every site within a period
    # (exp(-10 ms / 1 us) is 0 in floating point): each spike releases all n sites, n per synapse
    sites = np.where(np.arange(N_SYN) % 2 == 0, 1, 4)
    net, _, mon = network(QuantalSynapse(U=1.0, tau_rec=1e-6, n=sites))
    net.run(DURATION)
    assert np.array_equal(released(mon), np.broadcast_to(sites, (N_SPIKES, N_SYN)))
    # without recovery worth the name (tau_rec = 1000 s: recovery probability 1e-5 per site
    # and period) a site that released stays depleted: the first spike takes all
    net, q, mon = network(QuantalSynapse(U=1.0, tau_rec=1e3, n=3, a0=2))
    net.run(DURATION)
    k = released(mon)
    assert np.array_equal(k[0], np.full(N_SYN, 2))
    assert k[1:].sum() < 10  # 3 + 2 * 5 = 13 site-periods per synapse: mean 0.26 in all
    assert np.all(q.synapse_state("a") <= 1)


@pytest.mark.slow  # two models, each compiled for one and two threads: about 35 s
def test_same_on_two_threads_after_a_reset_and_a_checkpoint(tmp_path):
    from snn.io import load, save

    for synapse in (QuantalSynapse(n=4, **DEPRESSING), StochasticTsodyksSynapse(**FACILITATING)):
        ref, _, ref_mon = network(synapse)
        ref.run(DURATION)
        expected = ref_mon["v"].copy()
        assert released(ref_mon).sum() > 1000
        net, _, mon = network(synapse, threads=2, parallel=True)
        net.run(DURATION / 2)
        net.run(DURATION / 2)
        assert np.array_equal(mon["v"], expected)
        ref.reset()
        ref.run(DURATION)
        assert np.array_equal(ref_mon["v"], expected)
        net, _, first = network(synapse)
        net.run(DURATION / 2)
        loaded = load(save(net, tmp_path / f"{type(synapse).__name__}.h5"))
        assert loaded.projections[0].synapse == synapse
        second = loaded.record_state(loaded.populations[1], "v")
        loaded.run(DURATION / 2)
        assert np.array_equal(np.vstack([first["v"], second["v"]]), expected)
        other, _, other_mon = network(synapse, seed=6)
        other.run(DURATION)
        assert not np.array_equal(other_mon["v"], expected)


def test_bad_values():
    with pytest.raises(ConfigurationError, match=r"`n` must be a whole number .* got 0"):
        QuantalSynapse(n=0)
    with pytest.raises(ConfigurationError, match=r"`n` must be a whole number .* got 2.5"):
        QuantalSynapse(n=np.array([1.0, 2.5]))
    with pytest.raises(ConfigurationError, match="`a0` cannot exceed"):
        QuantalSynapse(n=2, a0=3)
    with pytest.raises(ConfigurationError, match=r"`U` must lie in \[0.0, 1.0\]"):
        StochasticTsodyksSynapse(U=1.5)
    with pytest.raises(ConfigurationError, match="`tau_rec` must be > 0"):
        StochasticTsodyksSynapse(tau_rec=0.0)


def test_stream_draws():
    """``stream_uniform``: draw 0 is the engine's ``uniform``; draws 2 j and 2 j + 1 are the two
    values of one Philox call with sub-index j; every draw depends on its number alone."""
    from snn.core._rng import sub_counter, uniform, uniform2
    from snn.core.random import derive_key, stream_uniform

    k0, k1 = derive_key(5, "projection", 0, "release")
    stream = (k0, k1, np.uint64(7 | 3 << 32), np.uint64(1234))
    assert stream_uniform(stream, 0) == uniform(k0, k1, stream[2], stream[3])
    draws = np.array([stream_uniform(stream, i) for i in range(2**17 - 4, 2**17)])
    last = uniform2(k0, k1, stream[2], sub_counter(stream[3], 2**16 - 1))
    assert np.array_equal(draws[2:], np.array(last))
    many = np.array([stream_uniform(stream, i) for i in range(4000)])
    assert np.all((many >= 0) & (many < 1)) and np.unique(many).size == many.size
    # 4000 uniform draws: mean within 5 standard errors (sqrt(1/12 / 4000)) of 1/2
    assert abs(many.mean() - 0.5) < 5 * math.sqrt(1 / 12 / many.size)
