"""Encoded trains in a network: the round trip through an identity layer (the example), the same
spikes for any number of threads, and the checks made when trains become a population."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, mV
from snn.encoders import PoissonEncoder, load_digits
from snn.neurons import LIFDelta
from snn.synapses import OneToOne

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "encoding_roundtrip.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("encoding_roundtrip", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def serial(example):
    return example.main(n_digits=120, seed=3)


def test_roundtrip_example(serial, capsys):
    r = serial
    # identity layer: one output spike per input spike, one delay later
    assert r["counts_equal"]
    # latency coding: decoded within one step of latency, dt / t_max = 0.1 ms / 90 ms
    assert r["latency_error"] <= 0.1 / 90 * (1 + 1e-9)
    # rate coding: x_rate - x is binomial noise; z^2 = (x_rate - x)^2 / sd^2 has mean 1 and
    # variance 2 + (1 - 6 p (1 - p)) / (P p (1 - p)) (binomial kurtosis), summed over values
    x, steps = r["x"], 1000
    p = x * 200 * 1e-4
    live = p > 0
    sd = np.sqrt(steps * p * (1 - p)) / 20.0
    z2 = ((r["x_rate"] - x)[live] / sd[live]) ** 2
    pl = p[live]
    var_z2 = 2 + (1 - 6 * pl * (1 - pl)) / (steps * pl * (1 - pl))
    assert abs(z2.sum() - z2.size) < 5 * math.sqrt(var_z2.sum())
    assert np.all(r["x_rate"][~live] == 0)
    # the readout learns something from 90 training digits (chance is 0.1); the baseline
    # (logistic regression on pixels, all digits) scores ~0.97
    assert r["accuracy"] > 0.5 and r["baseline"] > 0.94


def test_same_spikes_for_any_number_of_threads():
    """Encode, run an identity layer serially and with the threaded loop, compare the spikes."""
    x = load_digits().data[:10]
    trains = PoissonEncoder(max_rate=200 * Hz).encode(x, 100 * ms, dt=0.1 * ms, seed=3)
    again = PoissonEncoder(max_rate=200 * Hz).encode(x, 100 * ms, dt=0.1 * ms, seed=3)
    assert np.array_equal(trains.steps, again.steps) and np.array_equal(trains.ids, again.ids)
    runs = []
    for threads, parallel in ((1, None), (2, True)):
        # parallel=True forces the threaded loop: two blocks of 32 neurons; a 5 ms delay makes
        # 50-step slices, so few parallel passes (each is slow on a busy 2-core machine)
        net = Network(dt=0.1 * ms, seed=3, threads=threads, parallel=parallel)
        src = net.add_population(trains, trains.n)
        layer = net.add_population(LIFDelta(t_ref=0.0), trains.n)
        net.connect(src, layer, rule=OneToOne(), weight=20 * mV, delay=5 * ms)
        mon = net.record_spikes(layer)
        net.run(trains.schedule.duration + 5 * ms)
        assert net.parallel == (threads == 2)
        runs.append((mon.steps, mon.indices))
    assert runs[0][0].size == trains.n_spikes
    assert np.array_equal(runs[0][0], trains.steps + 50)
    for a, b in zip(*runs, strict=True):
        assert np.array_equal(a, b)


def test_trains_as_population_checks(seed):
    trains = PoissonEncoder(max_rate=50 * Hz).encode(np.full((2, 4), 0.5), 10 * ms, dt=0.1 * ms)
    net = Network(dt=0.1 * ms, seed=seed)
    with pytest.raises(ConfigurationError, match="size 4"):
        net.add_population(trains, 5)
    other = Network(dt=0.2 * ms, seed=seed)
    with pytest.raises(ConfigurationError, match="dt"):
        other.add_population(trains, 4)
    pop = net.add_population(trains, trains.n)
    mon = net.record_spikes(pop)
    net.run(trains.schedule.duration)
    assert np.array_equal(mon.steps, trains.steps) and np.array_equal(mon.indices, trains.ids)
