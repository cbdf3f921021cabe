"""Brian2's ``on_pre="v_post += w"`` in a synapse model feeds the target's receptor that adds
the weight to ``v`` (``NeuronModel.receptor_variables``), exactly as ``syn += w`` does."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import ms, mV
from snn.equations import neuron_model, synapse_model
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.synapses import AllToAll

STDP = "w : volt\ndapre/dt = -apre/(20*ms) : 1 (event-driven)"


def run(target, on_pre: str) -> np.ndarray:
    model = synapse_model("S", STDP, on_pre=on_pre + "\napre += 1")
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[1 * ms, 1.5 * ms], indices=[0, 0]), 1)
    post = net.add_population(target, 1)
    net.connect(src, post, rule=AllToAll(), synapse=model(), weight=2 * mV)
    mon = net.record_state(post, "v")
    net.run(4 * ms)
    return mon["v"][:, 0]


@pytest.mark.parametrize(
    "target",
    [
        LIFDelta(e_l=0.0, v_th=1.0, v_reset=0.0),
        neuron_model(
            "Jumps", "dv/dt = -v/(10*ms) : volt", threshold="v > 1*volt", on_spike={"syn": "v += w"}
        )(),
    ],
    ids=["LIFDelta", "equations"],
)
def test_v_post_feeds_the_receptor_that_adds_to_v(target):
    brian2_style, named = run(target, "v_post += w"), run(target, "syn += w")
    assert np.array_equal(brian2_style, named)
    assert brian2_style.max() > 3.5 * mV  # both spikes arrived


def test_no_receptor_adds_the_weight_alone_to_v():
    scaled = neuron_model(
        "Scaled", "dv/dt = -v/(10*ms) : volt", threshold="v > 1*volt", on_spike={"syn": "v += 2*w"}
    )()
    with pytest.raises(ConfigurationError, match="no receptor 'v'"):
        run(scaled, "v_post += w")
