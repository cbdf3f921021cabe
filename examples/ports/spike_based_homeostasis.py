"""Spike-based homeostasis (Brian2's ``examples/synapses/spike_based_homeostasis.py``), ported to
snn.

After Breitwieser's spike-based homeostasis (O. Breitwieser, "Towards a neuromorphic
implementation of spike-based expectation maximization", 2015): two leaky neurons (``dv/dt = -v
/ tau``, tau = 10 ms, threshold 1, reset to -1, refractory 1 ms, forward Euler at 0.1 ms) both
receive a Poisson train whose rate steps every 10 s through 25, 50, 0 and 35 Hz, through a
static synapse of weight 2 (each input spike makes a spike). The first neuron also receives a
steady 50 Hz Poisson train through a plastic synapse: each presynaptic spike adds its weight to
v and then raises the weight by dw_plus = 0.05, each postsynaptic spike lowers it by dw_minus =
0.05 (clipped to [0, 2]). The weight settles where the neuron fires at 50 Hz x dw_plus /
dw_minus: the plastic input makes up what the varying one does not give. The original plots the
weight and both neurons' smoothed rates over 40 s; this port returns each neuron's rate and the
weight at the end of each 10 s epoch (:func:`figures`).

The synapse model is the original's text, with the target's ``v_post += w`` as a receptor
statement (snn's synapse events send to a receptor of the target; the neuron model's
``on_spike`` adds it to v), sent before the weight changes, as the original orders it.

Conventions that matter (docs/from-brian2.md): Brian2's synapses here have no delay and act
after the step's threshold test, so the threshold sees a jump one step later; snn's smallest
delay, one step, gives the same loop (``delay=DT``). Brian2 holds a neuron refractory one step
fewer than snn (1 ms is snn's 0.9 ms, ``BRIAN2_REFRACTORY``). An snn postsynaptic spike reaches
the plastic synapse after the delay, Brian2's at once: the weight's depression comes a step
later, which changes nothing here (the rule counts spikes, not their timing).

Run:  uv run python examples/ports/spike_based_homeostasis.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, second
from snn.equations import neuron_model, synapse_model
from snn.neurons import PoissonSource
from snn.synapses import AllToAll

DT = 0.1 * ms
EPOCH = 10 * second
VARYING_RATES = (25 * Hz, 50 * Hz, 0 * Hz, 35 * Hz)  # the original's 40 s use four of five
STEADY_RATE = 50 * Hz
#: Brian2's refractory=1*ms, counted as snn counts it (one step fewer)
BRIAN2_REFRACTORY = 0.9 * ms

Neuron = neuron_model(
    "HomeostaticLeaky",
    """
    dv/dt = (0 - v)/tau : 1 (unless refractory)
    tau : second
    t_ref : second
    """,
    threshold="v > 1",
    reset="v = -1",
    refractory="t_ref",
    method="euler",
    on_spike={"syn": "v += w"},
)

Homeostatic = synapse_model(
    "SpikeBasedHomeostasis",
    """
    w : 1
    dw_plus : 1
    dw_minus : 1
    w_max : 1
    """,
    on_pre="""
    syn += w
    w = clip(w + dw_plus, 0, w_max)
    """,
    on_post="""
    w = clip(w - dw_minus, 0, w_max)
    """,
)


def figures(spikes_s: list[np.ndarray], weights: list[float]) -> dict:
    """Spike times [s] of the neurons with and without homeostasis, and the plastic weight at
    the end of each epoch: rates per epoch [Hz] and the weights."""
    edges = np.arange(len(VARYING_RATES) + 1) * EPOCH
    with_h, without_h = (np.histogram(t, bins=edges)[0] / EPOCH for t in spikes_s)
    return {
        **{f"rate_with_{k}_Hz": float(r) for k, r in enumerate(with_h)},
        **{f"rate_without_{k}_Hz": float(r) for k, r in enumerate(without_h)},
        **{f"w_end_{k}": float(w) for k, w in enumerate(weights)},
    }


def run(seed: int = 1, refractory: float = BRIAN2_REFRACTORY) -> dict:
    """Simulate the 40 s of the original."""
    net = Network(dt=DT, seed=seed)
    steady = net.add_population(PoissonSource(rate=STEADY_RATE), 1)
    varying = net.add_population(PoissonSource(rate=VARYING_RATES[0]), 1)
    model = Neuron(tau=10 * ms, t_ref=refractory)
    with_h = net.add_population(model, 1, name="with homeostasis")
    without_h = net.add_population(model, 1, name="without homeostasis")
    rule = Homeostatic(dw_plus=0.05, dw_minus=0.05, w_max=2.0)
    plastic = net.connect(steady, with_h, rule=AllToAll(), weight=0.0, delay=DT, synapse=rule)
    for target in (with_h, without_h):
        net.connect(varying, target, rule=AllToAll(), weight=2.0, delay=DT, receptor="syn")
    spikes = [net.record_spikes(with_h), net.record_spikes(without_h)]
    weights = []
    for rate in VARYING_RATES:
        varying.set(rate=rate)
        net.run(EPOCH)
        weights.append(float(plastic.get("weight")[0]))
    return figures([s.times for s in spikes], weights)


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.3f}")
