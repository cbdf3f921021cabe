"""Spikes streamed to HDF5 during a run equal the spikes recorded in memory."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import h5py
import numpy as np
import pytest

import snn.io
from snn.core.errors import FileFormatError

SCRIPT = Path(__file__).resolve().parent / "netbuild.py"


def _netbuild():
    spec = importlib.util.spec_from_file_location("snn_io_test_netbuild_stream", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nb = _netbuild()


def test_stream_equals_memory(tmp_path):
    ref = nb.build()
    ref.run(1500 * nb.DT)
    net = nb.build()
    e, i = net._monitors[0], net._monitors[1]
    with snn.io.SpikeStream(tmp_path / "s.h5", e, i, interval=10 * nb.DT) as stream:
        net.run(1000 * nb.DT)
        assert e.n_spikes < 200  # cleared every millisecond, not accumulated
        net.run(500 * nb.DT)
    assert not any(hook[1] == stream._flush for hook in net._hooks)
    got = snn.io.read_spike_stream(tmp_path / "s.h5")
    for k, name in enumerate(("E", "I")):
        want = ref._monitors[k].record()
        assert want.times.size > 500
        np.testing.assert_array_equal(got[name].times, want.times)
        np.testing.assert_array_equal(got[name].senders, want.senders)


def test_foreign_file(tmp_path):
    with h5py.File(tmp_path / "x.h5", "w") as f:
        f["a"] = 1
    with pytest.raises(FileFormatError, match="not an snn spike stream"):
        snn.io.read_spike_stream(tmp_path / "x.h5")
