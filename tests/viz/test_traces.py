"""State traces: lines, spike strokes, thresholds, units."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import LineCollection

from snn.core import ConfigurationError, SpikeRecord, StateRecord
from snn.viz import traces


@pytest.fixture
def record():
    t = np.arange(1, 101) * 1e-3
    v = np.column_stack([-0.070 + 0.0002 * np.arange(100), np.full(100, -0.065)])
    return StateRecord(times=t, neurons=np.array([3, 7]), values={"v": v, "g_ex": 1e-9 * v})


def strokes(ax):
    return [
        c for c in ax.collections if isinstance(c, LineCollection) and c.get_gid() == "snn-spikes"
    ]


def test_lines_are_the_values_in_a_prefixed_unit(record, draw):
    ax = traces(record, threshold=-0.05, title="v")
    assert ax.get_title(loc="left") == "v"
    a, b = ax.get_lines()[:2]
    np.testing.assert_allclose(a.get_xdata(), record.times)
    np.testing.assert_allclose(a.get_ydata(), record.values["v"][:, 0] * 1e3)
    assert a.get_label() == "neuron 3" and b.get_label() == "neuron 7"
    assert ax.get_ylabel() == "v [mV]"
    (th,) = [ln for ln in ax.lines if ln.get_gid() == "snn-threshold"]
    assert th.get_ydata()[0] == pytest.approx(-50.0)
    draw(ax)
    g = traces(record, "g_ex", threshold=None)
    assert g.get_ylabel() == "g_ex [pS]"
    assert not [ln for ln in g.lines if ln.get_gid() == "snn-threshold"]


def test_spikes_are_strokes_up_to_the_threshold(record):
    spikes = SpikeRecord(
        times=np.array([0.0305, 0.05, 0.0705, 0.5]), senders=np.array([13, 17, 13, 13])
    )
    ax = traces(record, spikes=spikes, first_id=10, threshold=-0.05)
    s3, s7 = strokes(ax)
    seg = s3.get_segments()
    # neuron 3 (id 13) spikes twice in the window (0.5 s is outside); each stroke goes from the
    # last sample before the spike up to the threshold
    assert len(seg) == 2
    np.testing.assert_allclose([s[0, 0] for s in seg], [0.0305, 0.0705])
    np.testing.assert_allclose(seg[0][:, 1], [(-0.070 + 0.0002 * 29) * 1e3, -50.0])
    assert len(s7.get_segments()) == 1


def test_neuron_selection_and_window(record):
    ax = traces(record, neurons=[7], t_start=0.02, t_stop=0.05)
    (line,) = [ln for ln in ax.lines if ln.get_gid() != "snn-threshold"]
    assert line.get_label() == "neuron 7"
    assert line.get_xdata()[0] == pytest.approx(0.02) and line.get_xdata()[-1] == pytest.approx(
        0.05
    )
    assert ax.get_xlim() == (0.02, 0.05)


def test_monitor_gives_threshold_unit_and_ids(brunel):
    state = brunel.info["state_e"]
    mon_e = brunel.monitors[0]
    ax = traces(state, spikes=mon_e)
    (th,) = [ln for ln in ax.lines if ln.get_gid() == "snn-threshold"]
    assert th.get_ydata()[0] == pytest.approx(20.0)  # Brunel's theta, 20 mV
    n_spikes = sum(
        int(((mon_e.indices == n) & (mon_e.times >= state.times[0])).sum()) for n in (0, 1, 2)
    )
    assert n_spikes > 0
    assert sum(len(c.get_segments()) for c in strokes(ax)) == n_spikes


def test_bad_input_is_explained(record):
    with pytest.raises(
        ConfigurationError, match="'w' is not recorded; recorded: \\['v', 'g_ex'\\]"
    ):
        traces(record, "w")
    with pytest.raises(ConfigurationError, match="neuron\\(s\\) \\[5\\] were not recorded"):
        traces(record, neurons=[5])
    bad = StateRecord(times=record.times[:10], neurons=record.neurons, values=record.values)
    with pytest.raises(
        ConfigurationError, match="expected \\(n_samples, n_neurons\\) = \\(10, 2\\)"
    ):
        traces(bad)
    with pytest.raises(ConfigurationError, match="StateMonitor or a StateRecord"):
        traces({"v": np.zeros(3)})


def test_empty_record_gives_a_note(notes):
    empty = StateRecord(times=np.zeros(0), neurons=np.array([0]), values={"v": np.zeros((0, 1))})
    assert notes(traces(empty)) == ["no samples"]
