"""PoissonInput's ``start`` and ``stop``: input only in the steps that begin in ``[start, stop)``,
with the counts an unwindowed drive draws in those steps (the draws are keyed by step, not by
the window), on the kernel alone and in a network; a bad window is refused."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput

DT = 0.1 * ms


def _rows(drive: PoissonInput, n: int, steps: int) -> np.ndarray:
    """The drive's input to ``n`` neurons in each of ``steps`` steps (kernel called directly)."""
    add = drive.add_function()
    args = drive.arguments(n, DT)
    out = np.zeros((steps, n))
    for step in range(steps):
        add(out[step], step, 0, 1, np.uint64(7), np.uint64(11), *args.values())
    return out


def test_window_keeps_the_unwindowed_counts_inside_and_nothing_outside():
    # 2 events per step on average: nearly every row is non-zero, so an edge off by one step
    # changes the comparison
    free = _rows(PoissonInput(rate=20_000 * Hz, weight=1.0), 50, 40)
    windowed = _rows(PoissonInput(rate=20_000 * Hz, weight=1.0, start=1 * ms, stop=3 * ms), 50, 40)
    inside = slice(10, 30)  # the steps that begin at 1.0, 1.1, ..., 2.9 ms
    assert np.array_equal(windowed[inside], free[inside])
    assert not windowed[:10].any() and not windowed[30:].any()
    assert free[:10].any() and free[30:].any()


def _spike_times(**window) -> np.ndarray:
    net = Network(dt=DT, seed=3)
    # a slow leak (5 s) and a threshold of 5 events: the neurons fire soon after input starts
    neuron = LIFDelta(tau_m=5.0, e_l=0.0, v_th=0.5 * mV, v_reset=0.0, t_ref=0.0)
    pop = net.add_population(neuron, 20)
    net.add_drive(PoissonInput(rate=20_000 * Hz, weight=0.1 * mV, **window), pop)
    spikes = net.record_spikes(pop)
    net.run(10 * ms)
    return spikes.times


def test_network_spikes_only_in_the_window():
    times = _spike_times(start=2 * ms, stop=6 * ms)
    assert times.size > 20
    # a spike closes its step: inputs of the steps beginning in [2, 6) ms give times in (2, 6]
    assert times.min() > 2 * ms and times.max() <= 6 * ms + 1e-12
    # the same drive without a window fires outside it too
    assert _spike_times().size > times.size


def test_set_moves_the_window_of_an_attached_drive():
    net = Network(dt=DT, seed=3)
    pop = net.add_population(LIFDelta(tau_m=5.0, e_l=0.0, v_th=0.5 * mV, v_reset=0.0), 5)
    drive = net.add_drive(PoissonInput(rate=20_000 * Hz, weight=0.1 * mV, start=50 * ms), pop)
    spikes = net.record_spikes(pop)
    net.run(5 * ms)
    assert spikes.n_spikes == 0
    drive.set(start=5 * ms)
    net.run(5 * ms)
    assert spikes.n_spikes > 0


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"start": -1 * ms}, "start"),
        ({"start": 5 * ms, "stop": 5 * ms}, "`stop` must be after `start`"),
        ({"start": np.array([0.0, 1e-3])}, "`start` must be one number"),
        ({"stop": float("nan")}, "stop"),
    ],
)
def test_bad_window_is_refused(window, message):
    with pytest.raises(ConfigurationError, match=message):
        PoissonInput(rate=100 * Hz, weight=1.0, **window)
