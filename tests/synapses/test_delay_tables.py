"""Delays drawn from a distribution are sampled from the law of the rounded value.

``build_csr`` draws ``K = rint(X / dt)`` from a table of the law's CDF at half-integer steps
(:func:`snn.core.random.rounding_tables`) instead of drawing ``X`` and rounding. The expected
probabilities here are computed independently with ``math.erf`` / ``math.exp``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.random import Clipped, Exponential, LogNormal, Normal, Uniform, rounding_tables
from snn.core.units import ms, mV
from snn.neurons import LIFDelta
from snn.synapses import FixedTotalNumber

DT = 0.1 * ms
N_SYN = 200_000


def phi(x: float, mean: float, std: float) -> float:
    return 0.5 * (1.0 + math.erf((x - mean) / (std * math.sqrt(2.0))))


def normal_redraw_cdf(mean: float, std: float, low: float):
    lo = phi(low, mean, std)
    return lambda x: 0.0 if x < low else (phi(x, mean, std) - lo) / (1.0 - lo)


def normal_clip_cdf(mean: float, std: float, low: float):
    return lambda x: 0.0 if x < low else phi(x, mean, std)


def uniform_cdf(a: float, b: float):
    return lambda x: min(max((x - a) / (b - a), 0.0), 1.0)


def exponential_redraw_cdf(scale: float, low: float):
    f = lambda x: 1.0 - math.exp(-x / scale) if x > 0 else 0.0  # noqa: E731
    return lambda x: 0.0 if x < low else (f(x) - f(low)) / (1.0 - f(low))


def lognormal_cdf(mu: float, sigma: float):
    return lambda x: phi(math.log(x), mu, sigma) if x > 0 else 0.0


CASES = [
    # the Potjans-Diesmann excitatory delays: normal 1.5 ms, sd 0.75 ms, redrawn below 0.1 ms
    (
        Clipped(Normal(mean=1.5 * ms, std=0.75 * ms), low=DT),
        normal_redraw_cdf(1.5 * ms, 0.75 * ms, DT),
    ),
    (
        Clipped(Normal(mean=1.5 * ms, std=0.75 * ms), low=DT, method="clip"),
        normal_clip_cdf(1.5 * ms, 0.75 * ms, DT),
    ),
    (Uniform(low=0.5 * ms, high=3.0 * ms), uniform_cdf(0.5 * ms, 3.0 * ms)),
    (Clipped(Exponential(scale=1.0 * ms), low=DT), exponential_redraw_cdf(1.0 * ms, DT)),
    (LogNormal(mu=math.log(1.0 * ms), sigma=0.5), lognormal_cdf(math.log(1.0 * ms), 0.5)),
]


def delay_steps(law, seed: int = 4, threads: int = 1) -> np.ndarray:
    net = Network(dt=DT, seed=seed, threads=threads)
    a = net.add_population(LIFDelta(), 500)
    b = net.add_population(LIFDelta(), 400)
    proj = net.connect(a, b, rule=FixedTotalNumber(n=N_SYN), weight=0.1, delay=law)
    return np.rint(proj.delays() / DT).astype(np.int64)


@pytest.mark.parametrize("law, cdf", CASES, ids=["redraw", "clip", "uniform", "exp", "lognormal"])
def test_rounded_delays_follow_the_law(law, cdf):
    steps = delay_steps(law)
    assert steps.shape == (N_SYN,) and steps.min() >= 1
    counts = np.bincount(steps)
    for k in range(1, counts.shape[0] + 3):
        p = cdf((k + 0.5) * DT) - cdf((k - 0.5) * DT)
        seen = counts[k] if k < counts.shape[0] else 0
        # 5 sigma of the binomial count: about 60 bins are tested per law, so a false alarm
        # anywhere has probability ~ 60 * 6e-7; the +1 covers bins of tiny probability
        band = 5.0 * math.sqrt(N_SYN * p * (1.0 - p)) + 1.0
        assert abs(seen - N_SYN * p) <= band, (k, seen, N_SYN * p)


def test_tables_put_short_and_long_mass_at_the_ends():
    cdf, guide = rounding_tables(Uniform(low=0.0, high=1.0), 10.0, 5)
    # K = rint(10 X): P(K = 0) = 0.05, P(K = k) = 0.1 for k = 1..5, P(K > 5) = 0.45
    np.testing.assert_allclose(cdf, [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 1.0], rtol=1e-12)
    assert guide.dtype == np.int32 and guide[0] == 0
    # mass that ends below 1 before k_max: the table stops at the first entry equal to 1
    cdf, _ = rounding_tables(Uniform(low=0.0, high=0.25), 10.0, 100)
    np.testing.assert_allclose(cdf, [0.2, 0.6, 1.0], rtol=1e-12)


def test_same_delays_for_any_thread_count():
    law = CASES[0][0]
    assert np.array_equal(delay_steps(law, threads=1), delay_steps(law, threads=2))


def test_delays_below_half_a_step_are_still_refused():
    with pytest.raises(ConfigurationError, match="shorter than one time step"):
        delay_steps(Uniform(low=0.0, high=0.3 * ms))


@pytest.mark.parametrize(
    ("delay_ms", "steps"),
    # NEST 3.10 (Time::delay_ms_to_steps, ld_round(ms * steps_per_ms): halves up) at dt = 0.1
    # ms gives these, measured with nest.Connect(..., syn_spec={"delay": d}) and GetConnections;
    # np.rint gave 1, 2, 14 for the first three (half to even, and 0.15e-3 / 1e-4 is
    # 1.4999999999999998 in floating point)
    [(0.15, 2), (0.25, 3), (1.45, 15), (0.35, 4), (1.55, 16), (0.05, 1), (0.2, 2), (1.5, 15)],
)
def test_given_delays_round_half_up_as_nest(delay_ms, steps):
    from snn.synapses import Explicit, OneToOne

    net = Network(dt=DT)
    a = net.add_population(LIFDelta(), 3)
    b = net.add_population(LIFDelta(), 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # off-grid delays warn
        one = net.connect(a, b, rule=OneToOne(), weight=0.0, delay=delay_ms * ms)
        pairs = net.connect(
            a, b, rule=Explicit(pre=[0, 1], post=[1, 2]), weight=0.0, delay=[delay_ms * ms] * 2
        )
        assert np.all(one.delays() == steps * DT)
        assert np.all(pairs.delays() == steps * DT)
        one.set(delay=np.full(3, delay_ms * ms))
    assert np.all(one.delays() == steps * DT)


def test_explicit_pairs_take_drawn_weights_and_delays():
    # connect(rule=Explicit(...), weight=law, delay=law) draws as Projection.set does (one keyed
    # draw per synapse, counted by target and rank): the same values as connecting with numbers
    # and setting the laws, on 1 and 2 threads
    from snn.synapses import Explicit

    w_law = Uniform(low=0.5 * mV, high=2.0 * mV)
    d_law = Uniform(low=1.0 * ms, high=3.0 * ms)
    pre, post = [0, 1, 2, 3, 0, 2], [1, 2, 3, 0, 3, 1]
    got = []
    for threads, drawn in ((1, True), (2, True), (1, False)):
        net = Network(dt=DT, seed=4, threads=threads)
        a = net.add_population(LIFDelta(), 4)
        rule = Explicit(pre=pre, post=post)
        if drawn:
            proj = net.connect(a, a, rule=rule, weight=w_law, delay=d_law)
        else:
            proj = net.connect(a, a, rule=rule, weight=1 * mV, delay=1 * ms)
            proj.set(weight=w_law, delay=d_law)
        got.append((proj.weights(), proj.delays()))
    for w, d in got[1:]:
        assert np.array_equal(w, got[0][0]) and np.array_equal(d, got[0][1])
    w, d = got[0]
    assert np.all((w >= 0.5 * mV) & (w < 2.0 * mV)) and np.unique(w).size == 6
    assert np.all((d >= 1.0 * ms - 1e-12) & (d <= 3.0 * ms + 1e-12))
