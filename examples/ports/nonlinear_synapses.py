"""NMDA-like nonlinear synapses (Brian2's ``examples/synapses/nonlinear.py``), ported to snn.

Two input neurons, ramps that fire every 10 ms (the second half a period later), drive one
neuron through synapses whose conductance follows a saturating second-order rise,
``dg_syn/dt = -a g_syn + b x (1 - g_syn)``, ``dx/dt = -c x``, with ``x += w`` per spike
(w = 1 and 10); the target sums the two conductances, ``g``, and its potential follows them.
The original plots both g_syn and the target's g over one second; this port returns g_syn and
the target's potential, sampled every step (snn records state variables, and ``g`` is the
target's input, not its state: it is the sum of the two g_syn).

Brian2 integrates ``g_syn`` and ``x`` as ``(clock-driven)`` synapse variables, which snn's
synapse equations refuse (the error says what to do instead): with one synapse per input
neuron they are the input neuron's own variables, its reset adds its weight to ``x``, and a
summed variable carries ``g_syn`` to the target, as the error message suggests. The ramps and
the synapse variables use forward Euler, as Brian2 does for them.

Run:  uv run python examples/ports/nonlinear_synapses.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms
from snn.equations import neuron_model, synapse_model
from snn.synapses import AllToAll

InputWithSynapse = neuron_model(
    "InputWithSynapse",
    """
    dv/dt = 1 / (10*ms) : 1
    dg_syn/dt = -a * g_syn + b * x * (1 - g_syn) : 1
    dx/dt = -c * x : 1
    w : 1
    a : hertz
    b : hertz
    c : hertz
    """,
    threshold="v > 1",
    reset="v = 0; x += w",
    method="euler",
)

Target = neuron_model(
    "Target",
    """
    dv/dt = (g - v) / (10*ms) : 1
    g : 1
    """,
    currents=["g"],
)

Summed = synapse_model("Summed", "w : 1\ng_post = g_syn_pre : 1 (summed)")


def run() -> dict:
    """Simulate one second; return g_syn of both inputs and the target's v, every step."""
    net = Network(dt=0.1 * ms)
    rate = 1 / (10 * ms)
    inputs = net.add_population(
        InputWithSynapse(w=np.array([1.0, 10.0]), a=rate, b=rate, c=rate),
        2,
        init={"v": np.array([0.0, 0.5])},
    )
    target = net.add_population(Target(), 1)
    net.connect(inputs, target, rule=AllToAll(), weight=1.0, synapse=Summed())
    g_syn = net.record_state(inputs, "g_syn")
    v = net.record_state(target, "v")
    net.run(1.0)
    return {
        "g_syn": g_syn.record().values["g_syn"].tolist(),
        "v": v.record().values["v"][:, 0].tolist(),
    }


if __name__ == "__main__":
    out = run()
    print(f"peak g_syn: {np.max(out['g_syn'], axis=0)}, peak v: {max(out['v']):.4f}")
