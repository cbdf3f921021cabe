"""Time-varying Poisson sources and the parrot neuron, against the laws they draw from.

The spikes of a sinusoidally modulated source, counted per phase bin, follow the inhomogeneous
law on the grid: step ``k`` spikes with probability ``p_k = rate((k+1) dt) dt`` (Bernoulli, for
the population source) or brings ``Poisson(p_k)`` events (the drives), so a bin's count over ``N``
independent trains has mean ``N sum p_k`` and variance ``N sum p_k (1 - p_k)`` (Bernoulli) or
``N sum p_k`` (Poisson). Counts must lie within 5 standard deviations (a false alarm has
probability ~6e-7 per bin).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError, UnitWarning
from snn.core.units import Hz, ms
from snn.equations import neuron_model
from snn.neurons import (
    InhomogeneousPoissonInput,
    ParrotNeuron,
    SinusoidalPoissonInput,
    SinusoidalPoissonSource,
    SpikeSourceArray,
)
from snn.synapses import AllToAll

DT = 0.1 * ms
RATE, AMPLITUDE, FREQUENCY, PHASE = 30 * Hz, 40 * Hz, 10 * Hz, 0.7  # cut at zero part of a cycle
N, STEPS, BINS = 400, 20000, 16


def rates_per_step(n_steps: int = STEPS) -> np.ndarray:
    t_end = (np.arange(n_steps) + 1) * DT
    return np.maximum(RATE + AMPLITUDE * np.sin(2 * np.pi * FREQUENCY * t_end + PHASE), 0.0)


def phase_bins(n_steps: int = STEPS) -> np.ndarray:
    t_end = (np.arange(n_steps) + 1) * DT
    phase = np.mod(2 * np.pi * FREQUENCY * t_end + PHASE, 2 * np.pi)
    return np.minimum((phase / (2 * np.pi) * BINS).astype(int), BINS - 1)


def check_bins(counts_per_step: np.ndarray, variance_per_step: np.ndarray) -> None:
    p = rates_per_step() * DT
    bins = phase_bins()
    counts = np.bincount(bins, weights=counts_per_step, minlength=BINS)
    mean = N * np.bincount(bins, weights=p, minlength=BINS)
    sd = np.sqrt(N * np.bincount(bins, weights=variance_per_step, minlength=BINS))
    # most bins hold hundreds to thousands of spikes; two sit where the rate is cut to zero
    assert np.sum(mean > 300) >= 10 and np.sum(mean == 0) == 2
    assert np.all(np.abs(counts - mean) <= 5 * sd + 1e-9), (counts - mean) / np.maximum(sd, 1e-9)
    assert np.all(counts[mean == 0] == 0)


def test_sinusoidal_source_counts_per_phase_bin_and_recorded_rate():
    net = Network(dt=DT, seed=7)
    model = SinusoidalPoissonSource(
        rate=RATE, amplitude=AMPLITUDE, frequency=FREQUENCY, phase=PHASE
    )
    src = net.add_population(model, N)
    spikes = net.record_spikes(src)
    rate = net.record_state(src, "rate", neurons=[0, N - 1])
    net.run(STEPS * DT)
    per_step = np.bincount(spikes.steps - 1, minlength=STEPS).astype(float)
    p = rates_per_step() * DT
    check_bins(per_step, p * (1 - p))
    # the recorded rate is the rate of the step that just ended (at its end time)
    expected = np.maximum(RATE + AMPLITUDE * np.sin(2 * np.pi * FREQUENCY * rate.times + PHASE), 0)
    assert np.allclose(rate["rate"], expected[:, None], rtol=1e-12, atol=1e-9)


def test_shared_trains_are_one_train():
    net = Network(dt=DT, seed=7)
    model = SinusoidalPoissonSource(
        rate=RATE, amplitude=AMPLITUDE, frequency=FREQUENCY, individual_spike_trains=False
    )
    src = net.add_population(model, 50)
    spikes = net.record_spikes(src)
    net.run(0.5)
    per_step = np.bincount(spikes.steps)
    assert spikes.n_spikes > 500
    assert set(np.unique(per_step)) <= {0, 50}


COUNTER = neuron_model("COUNTER", "dq/dt = 0 / second : 1", on_spike={"syn": "q += w"})


@pytest.mark.parametrize("individual", [True, False])
def test_sinusoidal_input_counts_follow_the_poisson_law(individual):
    net = Network(dt=DT, seed=3)
    pop = net.add_population(COUNTER(), N)
    drive = SinusoidalPoissonInput(
        rate=RATE,
        amplitude=AMPLITUDE,
        frequency=FREQUENCY,
        phase=PHASE,
        weight=1.0,
        individual_spike_trains=individual,
    )
    net.add_drive(drive, pop)
    net.run(STEPS * DT)
    assert pop.get("q").min() > 0
    if individual:
        total = pop.get("q").sum()
        lam = rates_per_step() * DT
        mean, sd = N * lam.sum(), np.sqrt(N * lam.sum())
        assert abs(total - mean) < 5 * sd
    else:
        assert np.all(pop.get("q") == pop.get("q")[0])  # the same events for every target


def test_sinusoidal_input_per_phase_bin():
    net = Network(dt=DT, seed=4)
    pop = net.add_population(COUNTER(), N)
    drive = SinusoidalPoissonInput(
        rate=RATE, amplitude=AMPLITUDE, frequency=FREQUENCY, phase=PHASE, weight=1.0
    )
    net.add_drive(drive, pop)
    mon = net.record_state(pop, "q")
    net.run(STEPS * DT)
    per_step = np.diff(np.concatenate([[0.0], mon["q"].sum(axis=1)]))
    check_bins(per_step, rates_per_step() * DT)


def test_inhomogeneous_input_follows_its_table():
    times, values = [20 * ms, 50 * ms, 80 * ms], [400 * Hz, 0 * Hz, 100 * Hz]
    net = Network(dt=DT, seed=5)
    pop = net.add_population(COUNTER(), N)
    net.add_drive(InhomogeneousPoissonInput(rate_times=times, rate_values=values, weight=1.0), pop)
    mon = net.record_state(pop, "q")
    net.run(0.1)
    # events of the steps 0 .. k-1 (those ending at or before k dt)
    done = np.concatenate([[0.0], mon["q"].sum(axis=1)])
    # the step ending at a rate time draws with the new rate: 400 Hz in steps 199 .. 498
    # (ending at 20 ms ... 49.9 ms), nothing in 499 .. 798, 100 Hz from step 799 on
    assert done[199] == 0.0 and done[799] == done[499]
    for (a, b), rate in (((199, 499), 400.0), ((799, 1000), 100.0)):
        mean = N * rate * (b - a) * DT
        assert abs(done[b] - done[a] - mean) < 5 * np.sqrt(mean)


def test_inhomogeneous_input_acts_in_its_window_only():
    """``start``/``stop`` as PoissonInput's (NEST's generator has them too): the same table and
    seed give the same draws inside the window and none outside it."""
    times, values = [0.0, 50 * ms], [400 * Hz, 200 * Hz]
    runs = []
    for window in ({}, {"start": 20 * ms, "stop": 70 * ms}):
        net = Network(dt=DT, seed=5)
        pop = net.add_population(COUNTER(), N)
        drive = InhomogeneousPoissonInput(
            rate_times=times, rate_values=values, weight=1.0, **window
        )
        net.add_drive(drive, pop)
        mon = net.record_state(pop, "q")
        net.run(0.1)
        runs.append(np.diff(np.concatenate([[0.0], mon["q"].sum(axis=1)])))
    whole, windowed = runs
    # steps 200 .. 699 begin in [20 ms, 70 ms)
    assert not windowed[:200].any() and not windowed[700:].any()
    assert np.array_equal(windowed[200:700], whole[200:700]) and whole[:200].sum() > 0
    with pytest.raises(ConfigurationError, match="`stop` must be after `start`"):
        InhomogeneousPoissonInput(rate_times=[0.0], rate_values=[1.0], weight=1.0, start=2.0,
                                  stop=1.0)  # fmt: skip


def test_inhomogeneous_input_from_time_zero():
    # a first rate time of 0 (a Brian2 TimedArray of rates) holds the rate from the first step:
    # each step draws with the rate in force at its end, so 0 and dt are the same table
    counts = []
    for first in (0.0, DT):
        net = Network(dt=DT, seed=5)
        pop = net.add_population(COUNTER(), N)
        drive = InhomogeneousPoissonInput(rate_times=[first], rate_values=[400 * Hz], weight=1.0)
        net.add_drive(drive, pop)
        mon = net.record_state(pop, "q")
        net.run(10 * DT)
        counts.append(mon["q"].sum(axis=1))
    mean = N * 400 * DT  # per step
    assert abs(counts[0][0] - mean) < 5 * np.sqrt(mean)
    assert np.array_equal(counts[0], counts[1])
    with pytest.raises(ConfigurationError, match=">= 0 s and strictly increasing"):
        InhomogeneousPoissonInput(rate_times=[-DT], rate_values=[1.0], weight=1.0)


def test_inhomogeneous_input_times_on_the_grid():
    net = Network(dt=DT)
    pop = net.add_population(COUNTER(), 2)
    with pytest.raises(ConfigurationError, match="not a multiple of dt"):
        net.add_drive(InhomogeneousPoissonInput(rate_times=[1.05 * DT], rate_values=[1.0],
                                                weight=1.0), pop)  # fmt: skip
    with pytest.raises(ConfigurationError, match="strictly increasing"):
        InhomogeneousPoissonInput(rate_times=[2 * ms, 1 * ms], rate_values=[1.0, 2.0], weight=1.0)
    drive = InhomogeneousPoissonInput(
        rate_times=[1.05 * DT], rate_values=[1.0], weight=1.0, allow_offgrid_times=True
    )
    assert net.add_drive(drive, pop)._args["stamps"].tolist() == [2]


@pytest.mark.parametrize(
    "drive",
    [
        lambda: SinusoidalPoissonInput(rate=1.0, amplitude=-1e12 / DT, frequency=5.0, weight=1.0),
        lambda: InhomogeneousPoissonInput(rate_times=[DT], rate_values=[2e13], weight=1.0),
    ],
)
def test_rates_beyond_the_events_bound_are_refused(drive):
    """Counts of 1e12 per step would overflow the sampler's int64 near 9.2e18 events and, before
    the bound, came back as negative counts (a 1e30 Hz drive gave g_ex = -2e7 S): refused, the
    network unchanged."""
    net = Network(dt=DT)
    pop = net.add_population(COUNTER(), 2)
    with (
        warnings.catch_warnings(),
        pytest.raises(ConfigurationError, match="at most 1e\\+09 events per neuron and step"),
    ):
        warnings.simplefilter("ignore", UnitWarning)  # a rate above 1 MHz also warns
        net.add_drive(drive(), pop)
    assert net._drives == []
    net.run(2 * DT)


@pytest.mark.parametrize(
    "make",
    [
        lambda f: SinusoidalPoissonInput(rate=10.0, amplitude=5.0, frequency=f, weight=1.0),
        lambda f: SinusoidalPoissonSource(rate=10.0, amplitude=5.0, frequency=f),
    ],
)
def test_frequencies_whose_phase_overflows_are_refused(make):
    """At 1.7e308 Hz the phase 2 pi f t was inf, the rate NaN: the Poisson input's sampler looped
    for ever (fuzz family drives, seed 16) and the source stayed silent. Refused where given; the
    bound, 1e250 Hz, keeps the phase finite at every step the counter reaches."""
    with pytest.raises(ConfigurationError, match="`frequency` must be at most 1e\\+250 Hz"):
        make(1.7e308)
    make(1e250)


def test_parrot_repeats_its_input_at_arrival():
    net = Network(dt=DT)
    times = np.array([1.0, 1.0, 2.5, 7.0]) * ms
    src = net.add_population(SpikeSourceArray(times=times, indices=[0, 1, 0, 1]), 2)
    parrot = net.add_population(ParrotNeuron(), 1)
    net.connect(src, parrot, rule=AllToAll(), weight=1.0, delay=1.5 * ms)
    mon = net.record_spikes(parrot)
    net.run(10 * ms)
    # two spikes arriving in one step give one spike; each at its arrival time
    assert np.allclose(mon.times, np.array([2.5, 4.0, 8.5]) * ms)
    # a weight of 0 would deliver nothing the parrot can see (NEST's repeats it): refused, as is
    # a negative one, instead of a silent parrot
    for weight in (0.0, -1.0):
        with pytest.raises(ConfigurationError, match="must be > 0 for this receptor"):
            net.connect(src, parrot, rule=AllToAll(), weight=weight, delay=1.5 * ms)


def test_source_errors():
    with pytest.raises(ConfigurationError, match="rate"):
        SinusoidalPoissonSource(rate=-1.0)
    with pytest.raises(ConfigurationError, match="individual_spike_trains"):
        SinusoidalPoissonSource(rate=1.0, individual_spike_trains="yes")
    # the shared parameter check (snn.core.validate.check_parameters): a drive takes numbers,
    # the table's two arrays excepted, and no NaN
    with pytest.raises(ConfigurationError, match="must be one number"):
        SinusoidalPoissonInput(rate=np.array([1.0, 2.0]), weight=1.0)
    with pytest.raises(ConfigurationError, match="NaN"):
        InhomogeneousPoissonInput(rate_times=[0.1, 0.2], rate_values=[1.0, np.nan], weight=1.0)
    # an empty table adds nothing: refused as StepCurrent's (fuzz family drives, seed 16)
    with pytest.raises(ConfigurationError, match="non-empty"):
        InhomogeneousPoissonInput(rate_times=[], rate_values=[], weight=1.0)
    net = Network(dt=DT)
    with pytest.raises(ConfigurationError, match="<= 1"):
        net.add_population(SinusoidalPoissonSource(rate=5000.0, amplitude=6000.0), 1)
