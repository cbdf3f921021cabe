"""``SpikeSourceArray`` without ``indices``: every neuron emits the whole train (NEST's
``spike_generator`` with ``spike_times``, PyNN's ``SpikeSourceArray(spike_times=...)``)."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import ms, mV
from snn.io import load, save
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.synapses import OneToOne

TIMES = np.array([1.0, 2.5, 4.0]) * ms


def _net(source: SpikeSourceArray, n: int = 3) -> tuple[Network, object, object]:
    net = Network(dt=0.1 * ms, seed=2)
    src = net.add_population(source, n)
    post = net.add_population(LIFDelta(), n)
    net.connect(src, post, rule=OneToOne(), weight=1 * mV)
    return net, net.record_spikes(src), net.record_state(post, "v")


def test_every_neuron_emits_the_train_as_with_explicit_indices():
    every, mon, vm = _net(SpikeSourceArray(times=TIMES))
    explicit = SpikeSourceArray(times=np.repeat(TIMES, 3), indices=np.tile([0, 1, 2], 3))
    ref, ref_mon, ref_vm = _net(explicit)
    every.run(6 * ms)
    ref.run(6 * ms)
    assert np.array_equal(mon.record().times, ref_mon.record().times)
    assert np.array_equal(mon.record().senders, ref_mon.record().senders)
    assert mon.n_spikes == 9
    assert np.array_equal(vm["v"], ref_vm["v"])


def test_a_repeated_time_is_refused_naming_the_neuron():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="neuron 0 is given two spikes"):
        net.add_population(SpikeSourceArray(times=[1 * ms, 1 * ms]), 2)
    assert not net.populations


def test_checkpoint_keeps_the_default(tmp_path):
    net, mon, _ = _net(SpikeSourceArray(times=TIMES))
    net.run(2 * ms)
    path = save(net, tmp_path / "c.h5")
    loaded = load(path)
    assert loaded.populations[0].model.indices is None
    loaded.run(4 * ms)
    net.run(4 * ms)
    assert np.array_equal(loaded.monitors[0].record().times, mon.record().times)
