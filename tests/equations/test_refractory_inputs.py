"""Refractoriness and events of equation models, as Brian2 defines them.

* A variable flagged ``(unless refractory)`` takes no synaptic input while the neuron is
  refractory: Brian2 makes every write to it conditional on ``not_refractory``
  (``Variable.set_conditional_write`` in ``brian2/groups/neurongroup.py``), so a pasted
  ``on_pre="v += w"`` does nothing then. A variable without the flag still takes its input.
* A model without differential equations may have a refractory period (Brian2's
  ``NeuronGroup(1, "", threshold="t > t0", refractory=...)``, as in its Graupner_Brunel_2012
  example).
* A threshold may read a current input only.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import ms, mV
from snn.equations import neuron_model
from snn.neurons import DCSource, SpikeSourceArray
from snn.synapses import AllToAll


def test_a_held_variable_takes_no_input_while_refractory():
    # spikes arrive at 1.1 ms (firing the neuron: v 0 -> 25 mV > 20 mV, reset to 10 mV) and
    # at 2.1 ms, inside the 2 ms refractory period: v stays at the reset value, as in Brian2
    # (same network there: v = 10.0 mV at 2.5 ms, one spike); g has no flag and takes both
    model = neuron_model(
        "Held",
        """
        dv/dt = -v / (1000*ms) : volt (unless refractory)
        dg/dt = -g / (1000*ms) : volt
        """,
        threshold="v > 20*mV",
        reset="v = 10*mV",
        refractory=2 * ms,
        on_spike={"syn": "v += w; g += w"},
    )
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[1 * ms, 2 * ms], indices=[0, 0]), 1)
    pop = net.add_population(model(), 1)
    net.connect(src, pop, rule=AllToAll(), weight=25 * mV, delay=0.1 * ms, receptor="syn")
    mon = net.record_state(pop, ["v", "g"])
    spikes = net.record_spikes(pop)
    net.run(5 * ms)
    assert spikes.times == pytest.approx([1.1 * ms])
    v, g = mon["v"][:, 0], mon["g"][:, 0]
    assert v[24] == 10 * mV  # 2.5 ms: held at the reset value, the second input dropped
    # g took both inputs: 25 mV each, decaying with 1000 ms (exact propagator)
    assert g[-1] == pytest.approx(25 * mV * (np.exp(-3.9e-3) + np.exp(-2.9e-3)), rel=1e-12)


def test_a_model_without_equations_can_be_refractory():
    # threshold `t > 1 ms` on the time at the step's end: first spike stamped 1.1 ms; then
    # round(10 ms / dt) = 100 steps held, the threshold true again at the 101st
    model = neuron_model("Clock", "t0 : second", threshold="t > t0", refractory=10 * ms)
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model(t0=1 * ms), 1)
    spikes = net.record_spikes(pop)
    net.run(35 * ms)
    np.testing.assert_allclose(spikes.times, np.array([1.1, 11.2, 21.3, 31.4]) * ms, rtol=1e-12)


def test_a_threshold_may_read_a_current_input_only():
    model = neuron_model(
        "Detector",
        "dz/dt = 0/second : 1\nI_in : 1",
        threshold="I_in > 1",
        currents=["I_in"],
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model(), 2)
    net.add_drive(DCSource(amplitude=2.0, start=0.5 * ms), pop[:1])
    spikes = net.record_spikes(pop)
    net.run(1 * ms)
    # the source holds 2 from 0.5 ms on, in the five steps from 0.5 to 1 ms: neuron 0 spikes in
    # each of them (no refractory period), neuron 1 (no input) never
    assert set(spikes.indices) == {0}
    assert spikes.n_spikes == 5
