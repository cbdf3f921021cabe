"""Stochastic release (StochasticSynapse): the binomial law, its limits, keying and layouts.

Every synapse of a projection from one source onto ``N_SYN`` targets feeds a target of its own;
a target is a LIF neuron whose threshold lies below the weight and that has no refractory
period, so it spikes at exactly the steps at which its synapse transmitted (one spike of the
target per transmitted spike: the count of a target's spikes is its synapse's count of
successes).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import ms, mV
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.synapses import AllToAll, StochasticSynapse

N_SYN = 1000
N_SPIKES = 40
PERIOD = 2 * ms
DELAY = 1.5 * ms


def release_network(p: float | None, *, seed: int = 5, threads: int = 1, parallel=None):
    """One source spiking ``N_SPIKES`` times onto ``N_SYN`` detectors (``p=None``: static)."""
    net = Network(dt=0.1 * ms, seed=seed, threads=threads, parallel=parallel)
    times = PERIOD * np.arange(1, N_SPIKES + 1)
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(N_SPIKES, int)), 1)
    detector = LIFDelta(e_l=0.0, v_reset=0.0, v_th=0.5 * mV, t_ref=0.0)
    post = net.add_population(detector, N_SYN)
    synapse = None if p is None else StochasticSynapse(p=p)
    q = net.connect(src, post, rule=AllToAll(), weight=1 * mV, delay=DELAY, synapse=synapse)
    return net, q, net.record_spikes(post)


def detectors(mon) -> np.ndarray:
    """Detector of each recorded spike (senders are global ids: the source is 0)."""
    return mon.senders - 1


def counts(mon) -> np.ndarray:
    """Spikes of each detector: the successes of its synapse."""
    return np.bincount(detectors(mon), minlength=N_SYN)


def test_p_one_and_p_zero_are_exact_limits():
    ref, _, ref_mon = release_network(None)
    one, _, one_mon = release_network(1.0)
    zero, _, zero_mon = release_network(0.0)
    for net in (ref, one, zero):
        net.run(N_SPIKES * PERIOD + 2 * DELAY)
    # p = 1: U < 1 always holds, every spike crosses every synapse, as a static projection's
    assert ref_mon.n_spikes == N_SYN * N_SPIKES
    assert np.array_equal(one_mon.steps, ref_mon.steps)
    assert np.array_equal(one_mon.senders, ref_mon.senders)
    # p = 0: U < 0 never holds
    assert zero_mon.n_spikes == 0


@pytest.mark.parametrize("p", [0.1, 0.5, 0.83])
def test_counts_follow_the_binomial_law(p):
    net, _, mon = release_network(p)
    net.run(N_SPIKES * PERIOD + 2 * DELAY)
    k = counts(mon)
    n = N_SPIKES
    # the total is B(N_SYN * n, p): within 5 standard deviations (a false alarm about 6e-7)
    total_sd = math.sqrt(N_SYN * n * p * (1 - p))
    assert abs(k.sum() - N_SYN * n * p) < 5 * total_sd
    # each synapse's count is B(n, p), independent of the others: the sample variance of N_SYN
    # counts estimates n p (1 - p) with a relative standard deviation of about
    # sqrt(2 / (N_SYN - 1) + excess kurtosis / N_SYN) <= 0.055 for these p; 5 of them
    var = n * p * (1 - p)
    assert abs(k.var(ddof=1) / var - 1) < 5 * 0.055
    # one Bernoulli trial per synapse and spike: the spikes two synapses both transmit are
    # B(n, p^2) per pair, over N_SYN / 2 disjoint pairs: within 5 standard deviations
    steps = np.zeros((N_SYN, round(N_SPIKES * PERIOD / net.dt) + 100), dtype=bool)
    steps[detectors(mon), mon.steps] = True
    half = N_SYN // 2
    both = np.sum(steps[:half] & steps[half:])
    pairs = half * n
    assert abs(both - pairs * p * p) < 5 * math.sqrt(pairs * p * p * (1 - p * p))


def test_draws_are_keyed_by_the_seed():
    runs = []
    for seed in (5, 5, 6):
        net, _, mon = release_network(0.5, seed=seed)
        net.run(N_SPIKES * PERIOD + 2 * DELAY)
        runs.append((mon.steps.copy(), mon.senders.copy()))
    assert all(np.array_equal(a, b) for a, b in zip(runs[0], runs[1], strict=True))
    assert not np.array_equal(runs[0][1], runs[2][1])


def test_same_on_two_threads_and_after_a_reset():
    duration = N_SPIKES * PERIOD + 2 * DELAY
    ref, _, ref_mon = release_network(0.4)
    ref.run(duration)
    net, _, mon = release_network(0.4, threads=2, parallel=True)
    net.run(duration / 2)
    net.run(duration / 2)
    assert np.array_equal(mon.steps, ref_mon.steps)
    assert np.array_equal(mon.senders, ref_mon.senders)
    ref_steps, ref_senders = ref_mon.steps.copy(), ref_mon.senders.copy()
    ref.reset()
    ref.run(duration)
    assert np.array_equal(ref_mon.steps, ref_steps)
    assert np.array_equal(ref_mon.senders, ref_senders)


def test_set_p_and_bad_values():
    net, q, mon = release_network(0.3)
    q.set(p=1.0)
    net.run(N_SPIKES * PERIOD + 2 * DELAY)
    assert mon.n_spikes == N_SYN * N_SPIKES
    with pytest.raises(ConfigurationError, match=r"`p` must lie in \[0.0, 1.0\], got 1.5"):
        StochasticSynapse(p=1.5)
    with pytest.raises(ConfigurationError, match="`p` must lie in"):
        q.set(p=-0.1)


def test_checkpoint_resumes_exactly(tmp_path):
    from snn.io import load, save

    duration = N_SPIKES * PERIOD + 2 * DELAY
    ref, _, ref_mon = release_network(0.4)
    ref.run(duration)
    net, _, first = release_network(0.4)
    net.run(duration / 2)
    loaded = load(save(net, tmp_path / "release.h5"))
    assert loaded.projections[0].synapse == StochasticSynapse(p=0.4)
    second = loaded.record_spikes(loaded.populations[1])
    loaded.run(duration / 2)
    assert first.n_spikes > 1000 and second.n_spikes > 1000
    assert np.array_equal(np.concatenate([first.steps, second.steps]), ref_mon.steps)
    assert np.array_equal(np.concatenate([first.senders, second.senders]), ref_mon.senders)


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations
def test_same_on_one_and_two_ranks(spikes_on_ranks):
    build = "from test_release import release_network\nnet, q, mon = release_network(0.4)\n"
    assert spikes_on_ranks(build, Path(__file__).parent, N_SPIKES * PERIOD + 2 * DELAY) > 5000


def test_equations_with_rand_in_on_pre_are_the_same_synapse():
    # Brian2's writing of stochastic release; rand() is the engine's keyed draw for the synapse
    # and spike, the one StochasticSynapse compares with p, so the spikes are the same
    from snn.equations import synapse_model

    Release = synapse_model("Release", "w : volt\np : 1", on_pre="syn += w * int(rand() < p)")
    ref, _, ref_mon = release_network(0.3)
    net = Network(dt=0.1 * ms, seed=5)
    times = PERIOD * np.arange(1, N_SPIKES + 1)
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(N_SPIKES, int)), 1)
    post = net.add_population(LIFDelta(e_l=0.0, v_reset=0.0, v_th=0.5 * mV, t_ref=0.0), N_SYN)
    net.connect(src, post, rule=AllToAll(), weight=1 * mV, delay=DELAY, synapse=Release(p=0.3))
    mon = net.record_spikes(post)
    for n in (ref, net):
        n.run(N_SPIKES * PERIOD + 2 * DELAY)
    assert ref_mon.n_spikes > 1000
    assert np.array_equal(mon.steps, ref_mon.steps)
    assert np.array_equal(mon.senders, ref_mon.senders)


def test_equations_refuse_rand_outside_on_pre():
    from snn.equations import EquationError, synapse_model

    with pytest.raises(EquationError, match="on_post cannot use it"):
        synapse_model("A", "w : 1", on_pre="ge += w", on_post="w += rand()")
    with pytest.raises(EquationError, match="call it once"):
        synapse_model("B", "w : 1", on_pre="w += rand()\nge += w * rand()")
    with pytest.raises(EquationError, match="not in the model's equations"):
        synapse_model("C", "w : 1\nr = rand() : 1", on_pre="ge += w * r")


def test_p_per_synapse():
    """``p`` given per synapse: each synapse draws with its own probability. Alternate synapses
    at 0 and 1 transmit nothing and every spike; the equal-valued array gives the scalar's
    spikes bit for bit; ``Projection.set`` takes differing values too."""
    p = np.where(np.arange(N_SYN) % 2 == 0, 0.0, 1.0)
    net, q, mon = release_network(p)
    net.run(N_SPIKES * PERIOD + 2 * DELAY)
    k = counts(mon)  # all-to-all from one source: synapse i feeds detector i
    assert np.array_equal(k, np.where(p == 1.0, N_SPIKES, 0))
    scalar, _, scalar_mon = release_network(0.4)
    array, _, array_mon = release_network(np.full(N_SYN, 0.4))
    for n in (scalar, array):
        n.run(N_SPIKES * PERIOD + 2 * DELAY)
    assert np.array_equal(scalar_mon.steps, array_mon.steps)
    assert np.array_equal(scalar_mon.senders, array_mon.senders)
    net, q, mon = release_network(p)
    q.set(p=1.0 - p)  # values differing between synapses, set later
    net.run(N_SPIKES * PERIOD + 2 * DELAY)
    assert np.array_equal(counts(mon), np.where(p == 0.0, N_SPIKES, 0))
    with pytest.raises(ConfigurationError, match="`p` must lie in"):
        release_network(np.full(N_SYN, 1.5))
