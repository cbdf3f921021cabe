"""SpikeTrains and Schedule: construction, validation, replay of recordings."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError, SNNWarning, SpikeRecord
from snn.core.units import ms
from snn.encoders import Schedule, SpikeTrains

DT = 0.1 * ms


def test_sorted_on_construction_and_read_only():
    tr = SpikeTrains(steps=[5, 3, 3, 9], ids=[1, 2, 0, 0], n=3, dt=DT)
    assert tr.steps.tolist() == [3, 3, 5, 9] and tr.ids.tolist() == [0, 2, 1, 0]
    assert tr.counts().tolist() == [2, 1, 1]
    assert np.allclose(tr.times, [3 * DT, 3 * DT, 5 * DT, 9 * DT])
    with pytest.raises(ValueError):
        tr.steps[0] = 7
    assert "3 trains, 4 spikes" in repr(tr)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"steps": [0], "ids": [0], "n": 1}, ">= 1"),
        ({"steps": [1], "ids": [1], "n": 1}, r"\[0, 0\]"),
        ({"steps": [1, 1], "ids": [0, 0], "n": 1}, "two spikes"),
        ({"steps": [1.5], "ids": [0], "n": 1}, "integers"),
        ({"steps": [1, 2], "ids": [0], "n": 1}, "same length"),
    ],
)
def test_validation(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        SpikeTrains(dt=DT, **kwargs)


def test_from_times_rounds_and_warns():
    tr = SpikeTrains.from_times([0.3 * ms, 0.1 * ms], [1, 0], dt=DT)
    assert tr.steps.tolist() == [1, 3] and tr.ids.tolist() == [0, 1] and tr.n == 2
    with pytest.warns(SNNWarning, match="rounded"):
        SpikeTrains.from_times([0.33 * ms], [0], dt=DT)
    with pytest.raises(ConfigurationError, match=">= dt"):
        SpikeTrains.from_times([0.0], [0], dt=DT)


def test_from_record():
    rec = SpikeRecord(times=np.array([2 * DT, 4 * DT]), senders=np.array([12, 10]))
    tr = SpikeTrains.from_record(rec, dt=DT, first_id=10, n=4)
    assert tr.steps.tolist() == [2, 4] and tr.ids.tolist() == [2, 0] and tr.n == 4
    with pytest.raises(ConfigurationError, match="dt"):
        SpikeTrains.from_record(rec)


def test_schedule_windows():
    s = Schedule(n_samples=3, presentation=2 * ms, rest=1 * ms, start=0.5 * ms, dt=DT)
    assert s.presentation_steps == 20 and s.period_steps == 30 and s.start_step == 5
    assert s.begins().tolist() == [5, 35, 65]
    assert s.duration == pytest.approx(9.5 * ms)
    # stamps b + 1 .. b + P belong to the window, the rest to none
    assert s.sample_of(np.array([5, 6, 25, 26, 35, 36, 95, 96])).tolist() == [
        -1,
        0,
        0,
        -1,
        -1,
        1,
        -1,
        -1,
    ]
    assert s.shifted(1 * ms).begins().tolist() == [15, 45, 75]
    with pytest.raises(ConfigurationError, match="multiple of dt"):
        Schedule(n_samples=1, presentation=0.25 * ms, dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="n_samples"):
        Schedule(n_samples=0, presentation=1 * ms, dt=DT)


def test_buffers_for_a_rank():
    tr = SpikeTrains(steps=[1, 1, 2, 4], ids=[0, 3, 2, 1], n=4, dt=DT)
    # a rank owning neurons 1 and 3 (round-robin over two ranks)
    b = tr.buffers(np.array([1, 3]), DT)
    assert b["steps"].tolist() == [0, 3] and b["ids"].tolist() == [1, 0]
    full = tr.buffers(np.arange(4), DT)
    assert full["steps"].tolist() == [0, 0, 1, 3] and full["ids"].tolist() == [0, 3, 2, 1]
    with pytest.raises(ConfigurationError, match="dt"):
        tr.buffers(np.arange(4), 0.2 * ms)
