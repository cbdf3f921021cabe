"""Recording windows of spike and state monitors (``start``, ``stop``): NEST's ``(start, stop]``.

A windowed monitor must hold exactly what a monitor of the whole run holds in its window: the
same spikes (steps and neurons) and the same samples, bit for bit, however the runs are split.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput

DT = 0.1 * ms


def driven(threads: int = 1) -> tuple[Network, object]:
    net = Network(dt=DT, seed=5, threads=threads, parallel=threads > 1)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    pop = net.add_population(model, 40)
    net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.2 * mV), pop)
    return net, pop


def record(net, pop, **window):
    return (
        net.record_spikes(pop[5:30], **window),
        net.record_state(pop, ["v"], neurons=[0, 7, 33], interval=0.3 * ms, **window),
    )


def in_window(steps: np.ndarray, w0: int, w1: int) -> np.ndarray:
    return (steps > w0) & (steps <= w1)


def check(full, windowed, w0: int, w1: int) -> None:
    spikes, states = full
    wspikes, wstates = windowed
    keep = in_window(spikes.steps, w0, w1)
    assert np.array_equal(spikes.steps[keep], wspikes.steps)
    assert np.array_equal(spikes.indices[keep], wspikes.indices)
    rec, wrec = states.record(), wstates.record()
    steps = np.rint(rec.times / DT).astype(np.int64)
    keep = in_window(steps, w0, w1)
    assert np.array_equal(rec.times[keep], wrec.times)
    assert np.array_equal(rec.values["v"][keep], wrec.values["v"])


@pytest.mark.parametrize("threads", [1, 2])
def test_window_holds_what_the_whole_record_holds_in_it(threads):
    net, pop = driven(threads)
    full = record(net, pop)
    # boundaries at recorded spike times, to show start is excluded and stop included
    windowed = record(net, pop, start=12 * ms, stop=41.1 * ms)
    open_ended = record(net, pop, start=25 * ms)
    for duration in (0.02, 0.015, 0.03):  # the window begins and ends inside runs
        net.run(duration)
    assert full[0].n_spikes > 200
    check(full, windowed, 120, 411)
    check(full, open_ended, 250, 1 << 62)
    assert windowed[0].start == pytest.approx(0.012) and windowed[0].stop == pytest.approx(0.0411)
    assert open_ended[1].stop == math.inf
    assert "from 0.012 s to 0.0411 s" in repr(windowed[0])


def test_boundaries_are_nest_s():
    """A spike at ``start`` is left out and one at ``stop`` kept (NEST: ``(start, stop]``)."""
    net, pop = driven()
    full = net.record_spikes(pop)
    net.run(0.03)
    first, last = full.steps[10], full.steps[-10]
    net2, pop2 = driven()
    win = net2.record_spikes(pop2, start=first * DT, stop=last * DT)
    net2.run(0.03)
    assert win.steps.min() > first and win.steps.max() == last


def test_state_rows_only_for_the_window():
    """A window of 3 ms in a 1 s run allocates 10 rows, not the run's 3334."""
    net, pop = driven()
    mon = net.record_state(pop, "v", interval=0.3 * ms, start=300 * ms, stop=303 * ms)
    assert mon._run_bytes(0, 10_000) == 10 * 40 * 8
    net.run(0.31)
    assert mon.record().values["v"].shape == (10, 40)


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"start": 5 * ms, "stop": 5 * ms}, "must end after it starts"),
        ({"start": 5 * ms, "stop": 2 * ms}, "must end after it starts"),
        ({"start": 0.05 * ms}, "multiple of dt"),
        ({"stop": 1.234 * ms}, "multiple of dt"),
        ({"start": -1 * ms}, ">= 0"),
        ({"start": math.nan}, "start"),
    ],
)
def test_bad_windows_are_refused(window, message):
    net, pop = driven()
    with pytest.raises(ConfigurationError, match=message):
        net.record_spikes(pop, **window)
    with pytest.raises(ConfigurationError, match=message):
        net.record_state(pop, "v", **window)
    assert net._monitors == []  # nothing half made


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    w0=st.integers(0, 300),
    length=st.integers(1, 300),
    cuts=st.lists(st.integers(1, 200), min_size=1, max_size=3),
)
def test_any_window_and_run_split(w0, length, cuts):
    net, pop = driven()
    full = record(net, pop)
    windowed = record(net, pop, start=w0 * DT, stop=(w0 + length) * DT)
    for steps in cuts:
        net.run(steps * DT)
    check(full, windowed, w0, w0 + length)


@pytest.mark.parametrize("threads", [1, 2])
def test_state_columns_follow_the_order_given(threads):
    """Brian2's ``StateMonitor(G, "v", record=[33, 0, 7])``: column 0 is neuron 33."""
    net, pop = driven(threads)
    given = net.record_state(pop, ["v"], neurons=[33, 0, 7])
    ascending = net.record_state(pop, ["v"], neurons=[0, 7, 33])
    view = net.record_state(pop[30:], ["v"], neurons=[3, 0])  # neurons 33 and 30
    net.run(5 * ms)
    rec, ref = given.record(), ascending.record()
    assert rec.neurons.tolist() == [33, 0, 7]
    assert np.array_equal(rec.values["v"], ref.values["v"][:, [2, 0, 1]])
    assert np.array_equal(given["v"], rec.values["v"])
    assert view.record().neurons.tolist() == [33, 30]
    assert np.array_equal(view["v"][:, 0], ref.values["v"][:, 2])
    assert ref.values["v"].std() > 0  # the neurons differ


@pytest.mark.parametrize("threads", [1, 2])
def test_spike_trains_split_the_record_by_neuron(threads):
    """Brian2's ``SpikeMonitor.spike_trains()``: one ascending train per recorded neuron."""
    net, pop = driven(threads)
    whole, view = net.record_spikes(pop), net.record_spikes(pop[[30, 2, 7]])
    net.run(20 * ms)
    trains = whole.spike_trains()
    assert sorted(trains) == list(range(40))
    assert sum(t.size for t in trains.values()) == whole.n_spikes > 40
    for i, t in trains.items():
        assert np.array_equal(t, whole.times[whole.indices == i])
        assert np.all(np.diff(t) > 0)
    assert list(view.spike_trains()) == [30, 2, 7]
    assert [t.size for t in view.spike_trains().values()] == view.spike_counts().tolist()
