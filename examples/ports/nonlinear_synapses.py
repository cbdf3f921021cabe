"""NMDA-like nonlinear synapses (Brian2's ``examples/synapses/nonlinear.py``), ported to snn.

Two input neurons, ramps that fire every 10 ms (the second half a period later), drive one
neuron through synapses whose conductance follows a saturating second-order rise,
``dg_syn/dt = -a g_syn + b x (1 - g_syn)``, ``dx/dt = -c x``, with ``x += w`` per spike
(w = 1 and 10); the target sums the two conductances, ``g``, and its potential follows them.
The original plots both g_syn and the target's g over one second; this port returns g_syn and
the target's potential, sampled every millisecond. snn's monitors record neuron state and
weights, not other synapse variables, so g_syn is read with ``Projection.get("g_syn")`` from a
callback every millisecond (``Network.every``); and ``g`` is the target's input, not a state
variable: it is the sum of the two g_syn.

The synapse equations are Brian2's, ``(clock-driven)`` variables included. Brian2 integrates
them by forward Euler (its default for this nonlinear system); snn's default would be
exponential Euler, so the port asks for ``method="euler"``. The ramps use Euler as well, as
the original asks.

Run:  uv run python examples/ports/nonlinear_synapses.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms
from snn.equations import neuron_model, synapse_model
from snn.synapses import AllToAll

Ramp = neuron_model(
    "Ramp", "dv/dt = 1 / (10*ms) : 1", threshold="v > 1", reset="v = 0", method="euler"
)

Target = neuron_model(
    "Target",
    """
    dv/dt = (g - v) / (10*ms) : 1
    g : 1
    """,
    currents=["g"],
)

NMDA = synapse_model(
    "NMDA",
    """
    dg_syn/dt = -a * g_syn + b * x * (1 - g_syn) : 1 (clock-driven)
    g_post = g_syn : 1 (summed)
    dx/dt = -c * x : 1 (clock-driven)
    w : 1
    a : hertz
    b : hertz
    c : hertz
    """,
    on_pre="x += w",
    method="euler",
)


def run() -> dict:
    """Simulate one second; return g_syn of both synapses and the target's v, every ms."""
    net = Network(dt=0.1 * ms)
    rate = 1 / (10 * ms)
    inputs = net.add_population(Ramp(), 2, init={"v": np.array([0.0, 0.5])})
    target = net.add_population(Target(), 1)
    synapses = net.connect(
        inputs,
        target,
        rule=AllToAll(),
        weight=np.array([[1.0], [10.0]]),
        synapse=NMDA(a=rate, b=rate, c=rate),
    )
    g_syn = []
    net.every(1 * ms, lambda _: g_syn.append(synapses.get("g_syn").tolist()))
    v = net.record_state(target, "v", interval=1 * ms)
    net.run(1.0)
    return {"g_syn": g_syn, "v": v.record().values["v"][:, 0].tolist()}


if __name__ == "__main__":
    out = run()
    print(f"peak g_syn: {np.max(out['g_syn'], axis=0)}, peak v: {max(out['v']):.4f}")
