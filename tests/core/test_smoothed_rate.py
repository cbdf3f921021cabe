"""``RateMonitor.smoothed``: Brian2's ``PopulationRateMonitor.smooth_rate`` on the same spikes.

The reference is Brian2 2.9's output for 295 fixed spikes of 20 neurons over 1,000 steps
(``tests/data/brian2/record_smooth_rate.py``): Gaussian windows of 1 and 2.04 ms, flat windows
of 1 and 0.45 ms and the array window ``[1, 2, 1]``. Both sides compute the same sums in the
same order, so the tolerance is round-off (1e-12 of the largest rate).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import ms
from snn.neurons import SpikeSourceArray

BRIAN2 = np.load(Path(__file__).resolve().parents[1] / "data" / "brian2" / "smooth_rate.npz")


@pytest.fixture(scope="module")
def monitor():
    net = Network(dt=0.1 * ms)
    # Brian2's spike in step k is snn's spike stamped at the end of step k
    times = (BRIAN2["steps"] + 1) * 0.1 * ms
    src = net.add_population(SpikeSourceArray(times=times, indices=BRIAN2["indices"]), 20)
    mon = net.record_rate(src)
    net.run(100 * ms)
    return mon


def test_raw_rate_is_brian2s(monitor):
    assert np.array_equal(monitor.record().rate, BRIAN2["rate"])


@pytest.mark.parametrize(
    ("name", "window", "width"),
    [
        ("gaussian_1ms", "gaussian", 1 * ms),
        ("gaussian_2.04ms", "gaussian", 2.04 * ms),
        ("flat_1ms", "flat", 1 * ms),
        ("flat_0.45ms", "flat", 0.45 * ms),
        ("array_121", np.array([1.0, 2.0, 1.0]), None),
    ],
)
def test_smoothed_rate_is_brian2s(monitor, name, window, width):
    rec = monitor.smoothed(window, width)
    expected = BRIAN2[name]
    assert np.array_equal(rec.times, monitor.record().times)
    assert np.max(np.abs(rec.rate - expected)) <= 1e-12 * np.max(expected)


def test_mass_is_kept_inside_and_a_long_window_keeps_the_length(monitor):
    raw = monitor.record().rate
    # a flat window of 3 steps: each spike's rate spread over three steps, same total inside
    flat = monitor.smoothed(np.ones(3)).rate
    assert flat[5:-5].sum() == pytest.approx(raw[5:-5].sum(), rel=0.05)
    long = monitor.smoothed("flat", 500 * ms).rate
    assert long.shape == raw.shape


@pytest.mark.parametrize(
    ("window", "width", "fragment"),
    [
        ("gaussian", None, "needs a `width`"),
        ("gaussian", -1 * ms, "must be > 0"),
        ("flat", float("nan"), "finite"),
        ("box", 1 * ms, "'gaussian', 'flat' or an array"),
        (np.ones(3), 1 * ms, "`width` is for"),
        (np.ones(4), None, "odd number"),
        (np.array([1.0, -1.0, 0.0]), None, "sum to 0"),
        (np.array([1.0, np.inf, 1.0]), None, "finite"),
    ],
)
def test_bad_windows_are_refused(monitor, window, width, fragment):
    with pytest.raises(ConfigurationError, match=fragment):
        monitor.smoothed(window, width)
