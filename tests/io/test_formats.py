"""NWB and Neo: every spike time and trace sample survives, and Elephant reads the Neo output."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import quantities as pq

import snn.io
from snn.core.errors import ConfigurationError, FileFormatError

SCRIPT = Path(__file__).resolve().parent / "netbuild.py"


def _netbuild():
    spec = importlib.util.spec_from_file_location("snn_io_test_netbuild_formats", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nb = _netbuild()


@pytest.fixture(scope="module")
def net():
    net = nb.build()
    net.run(800 * nb.DT)
    net.run(400 * nb.DT)  # two runs: the state monitor has two chunks
    return net


def test_nwb_round_trip(tmp_path, net):
    spikes = [m for m in net._monitors if type(m).__name__ == "SpikeMonitor"]
    state = next(m for m in net._monitors if type(m).__name__ == "StateMonitor")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    path = snn.io.write_nwb(tmp_path / "run.nwb", *spikes, state, session_start_time=start)
    back = snn.io.read_nwb(path)
    assert back.network["dt"] == net.dt and back.network["seed"] == net.seed
    assert sorted(back.spikes) == ["E", "I"]
    for mon in spikes:
        want = mon.gather()
        got = back.spikes[mon.population.name]
        assert want.times.size > 100
        np.testing.assert_array_equal(got.times, want.times)  # exact, not approximate
        np.testing.assert_array_equal(got.senders, want.senders)
    rec = state.record()
    got = back.states["E"]
    np.testing.assert_array_equal(got.times, rec.times)
    np.testing.assert_array_equal(got.neurons, rec.neurons)
    for var in ("v", "i_ex"):
        np.testing.assert_array_equal(got.values[var], rec.values[var])
    assert back.units == {"E.v": "V", "E.i_ex": "A"}


def test_nwb_errors(tmp_path, net):
    bad = tmp_path / "x.nwb"
    bad.write_text("not hdf5")
    with pytest.raises(FileFormatError, match="not a readable NWB file"):
        snn.io.read_nwb(bad)
    with pytest.raises(ConfigurationError, match="at least one"):
        snn.io.write_nwb(tmp_path / "y.nwb")


def test_neo_block(net):
    e_mon = net._monitors[0]
    state = net._monitors[2]
    block = snn.io.to_neo(e_mon, state)
    seg = block.segments[0]
    pop = e_mon.population
    assert len(seg.spiketrains) == pop.size
    times = np.concatenate([st.times.rescale(pq.s).magnitude for st in seg.spiketrains])
    ids = np.concatenate([np.full(len(st), st.annotations["source_id"]) for st in seg.spiketrains])
    order = np.lexsort((ids, times))
    want = e_mon.gather()
    np.testing.assert_array_equal(times[order], want.times)
    np.testing.assert_array_equal(ids[order], want.senders)
    assert seg.spiketrains[5].annotations["source_population"] == "E"
    assert seg.spiketrains[5].t_stop == net.t * pq.s
    rec = state.record()
    sigs = {s.name: s for s in seg.analogsignals}
    assert sigs["v"].units == pq.V and sigs["i_ex"].units == pq.A
    np.testing.assert_array_equal(sigs["v"].magnitude, rec.values["v"])
    # Neo computes sample times as t_start + k * sampling_period: within an ulp of step * dt
    np.testing.assert_allclose(sigs["v"].times.magnitude, rec.times, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(sigs["v"].array_annotations["channel_index"], rec.neurons)


def test_neo_pickle_round_trip(tmp_path, net):
    import neo

    block = snn.io.to_neo(net._monitors[1], net._monitors[2])
    neo.io.PickleIO(str(tmp_path / "b.pkl")).write_block(block)
    back = neo.io.PickleIO(str(tmp_path / "b.pkl")).read_block()
    for a, b in zip(block.segments[0].spiketrains, back.segments[0].spiketrains, strict=True):
        np.testing.assert_array_equal(a.magnitude, b.magnitude)
    for a, b in zip(block.segments[0].analogsignals, back.segments[0].analogsignals, strict=True):
        np.testing.assert_array_equal(a.magnitude, b.magnitude)


# Elephant 1.2.1 still passes quantities' deprecated `copy=` argument (its warning, not ours)
@pytest.mark.filterwarnings("ignore::quantities.QuantitiesDeprecationWarning")
def test_elephant_rate_and_cv(net):
    statistics = pytest.importorskip("elephant.statistics")
    mon = net._monitors[0]
    trains = snn.io.to_neo(mon).segments[0].spiketrains
    counts = mon.spike_counts()
    rates = np.array([float(statistics.mean_firing_rate(st).rescale(pq.Hz)) for st in trains])
    # Elephant divides the count by t_stop - t_start, the whole simulated time
    np.testing.assert_allclose(rates, counts / net.t, rtol=1e-12)
    active = [st for st in trains if len(st) >= 3]
    cvs = np.array([statistics.cv(statistics.isi(st).magnitude) for st in active])
    ref = []
    for st in active:
        isi = np.diff(st.times.magnitude)
        ref.append(isi.std() / isi.mean())
    np.testing.assert_allclose(cvs, ref, rtol=1e-10)
    assert 0.0 < np.mean(cvs) < 2.0
