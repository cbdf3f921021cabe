"""Dopamine-modulated STDP (Brian2's ``examples/frompapers/Izhikevich_2007.py``), ported to snn.

Izhikevich (2007, Cereb. Cortex 17:2443), Fig. 1c, as the Brian2 example (Guillaume Dumas, 2018)
adapts it: two neurons, each made to fire by an input spike of 100 mV, neuron 0 before neuron
1 by 50 or 10 ms, or after it by 10 ms; one synapse from neuron 0 to neuron 1 with an
eligibility trace ``c``, a strength ``s`` and pair STDP traces. For the first 3 s the pairings
change ``s`` directly (``mode = 0``: classical STDP), for the last 3 s they change ``c``, and
``s`` grows by ``c d`` only while dopamine ``d`` is present (``mode = 1``); three dopamine
spikes arrive 20 ms after three of the pairings. The original plots ``d``, ``c`` and ``s``.

Written from the original's equations, with the changes snn needs
(docs/from-brian2-equations.md):

* ``c`` and ``s`` stay ``(clock-driven)`` synapse variables, without a summed variable, and
  ``s`` is what ``on_pre`` sends (``ge += s``); the weight ``w`` is declared and unused;
* the dopamine ``d`` moves from the synapse into the target neuron (the original raises it
  from a dopamine source through synapses onto the synapse, ``d_post += epsilon_dopa``; it is
  the same for every synapse onto a neuron), and the synapse reads it as ``d_post``;
* ``mode`` is a synapse parameter changed between the runs with ``Projection.set``.

Timing (docs/from-brian2.md): snn adds an input before the threshold test of the step it
arrives in, Brian2 after it, so the input spikes are given one step later than the original's
times; the neurons then cross threshold in Brian2's steps (their spike times are Brian2's plus
one step, snn's stamp at the step's end), and the dopamine, which only feeds ``d``, keeps its
times. Within the STDP synapse snn follows NEST's convention: a postsynaptic spike reaches the
synapse after the delay, here one step (snn's shortest), where the original's ``on_post`` runs
at once. With Brian2's postsynaptic pathway delayed by one step too (``stdp.post.delay = dt``)
the traces of ``s``, ``c`` and ``d`` are Brian2's to 2e-16 of gmax; against the original each
pairing reads the other spike's trace one step more or less decayed (a factor ``exp(-+dt /
taupre)``, 0.5 %), and ``s`` after the classical phase, a difference of three such terms of
nearly equal size, is 0.451e-3 gmax against 0.518e-3 (the closed forms of both conventions).

Run:  uv run python examples/ports/izhikevich_2007.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, second
from snn.equations import neuron_model, synapse_model
from snn.neurons import SpikeSourceArray
from snn.synapses import OneToOne

DT = 0.1 * ms
DURATION = 6 * second
#: the original's input spikes: source index and time [s]
INPUT_INDICES = np.array([0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0])
INPUT_TIMES = np.array([500, 550, 1000, 1010, 1500, 1510, 3500, 3550, 4000, 4010, 4500, 4510]) * ms
DOPAMINE_TIMES = np.array([3520, 4020, 4520]) * ms
GMAX = 0.01
#: the original's STDP steps, in units of gmax (dApost = -dApre taupre / taupost 1.05)
D_APRE = 0.01 * GMAX
D_APOST = -0.01 * 1.05 * GMAX
#: the dopamine per reward spike
EPSILON_DOPA = 5e-3

Neuron = neuron_model(
    "IzhikevichDANeuron",
    """
    dv/dt = (ge * (Ee - v) + El - v) / taum : volt
    dge/dt = -ge / taue : 1
    dd/dt = -d / taud : 1
    taum : second (shared)
    taue : second (shared)
    taud : second (shared)
    Ee : volt (shared)
    El : volt (shared)
    vt : volt (shared)
    vr : volt (shared)
    """,
    threshold="v > vt",
    reset="v = vr",
    on_spike={"inp": "v += w", "exc": "ge += w", "dopa": "d += w"},
    initial={"v": "vr"},
    method="euler",
    defaults=dict(
        taum=10 * ms, taue=5 * ms, taud=200 * ms, Ee=0 * mV, El=-74 * mV, vt=-54 * mV, vr=-60 * mV
    ),
)

DopamineSTDP = synapse_model(
    "DopamineSTDP",
    """
    w : 1
    mode : 1 (shared)
    dc/dt = -c / tauc : 1 (clock-driven)
    ds/dt = mode * c * d_post / taus : 1 (clock-driven)
    dApre/dt = -Apre / taupre : 1 (event-driven)
    dApost/dt = -Apost / taupost : 1 (event-driven)
    tauc : second (shared)
    taus : second (shared)
    taupre : second (shared)
    taupost : second (shared)
    gmax : 1 (shared)
    dApre : 1 (shared)
    dApost : 1 (shared)
    """,
    on_pre="""
    ge += s
    Apre += dApre
    c = clip(c + mode * Apost, -gmax, gmax)
    s = clip(s + (1 - mode) * Apost, -gmax, gmax)
    """,
    on_post="""
    Apost += dApost
    c = clip(c + mode * Apre, -gmax, gmax)
    s = clip(s + (1 - mode) * Apre, -gmax, gmax)
    """,
    initial={"c": 1e-10, "s": 1e-10},
    method="euler",
    defaults=dict(
        mode=0.0,
        tauc=1000 * ms,
        taus=1 * ms,
        taupre=20 * ms,
        taupost=20 * ms,
        gmax=GMAX,
        dApre=D_APRE,
        dApost=D_APOST,
    ),
)


def run() -> dict:
    """Both phases; ``s``, ``c`` and ``d`` every 10 ms (in units of gmax) and the spike times."""
    net = Network(dt=DT)
    # one step later than the original's times: snn adds an input before the threshold test of
    # the step it arrives in, Brian2 after it (the neurons then cross in the same step)
    inputs = net.add_population(SpikeSourceArray(times=INPUT_TIMES + DT, indices=INPUT_INDICES), 2)
    neurons = net.add_population(Neuron(), 2)
    dopamine = net.add_population(SpikeSourceArray(times=DOPAMINE_TIMES), 1)
    net.connect(inputs, neurons, rule=OneToOne(), weight=100 * mV, delay=DT, receptor="inp")
    stdp = net.connect(
        neurons[0:1], neurons[1:2], rule=OneToOne(), weight=1.0, delay=DT, synapse=DopamineSTDP()
    )
    net.connect(dopamine, neurons[1:2], rule=OneToOne(), weight=EPSILON_DOPA, delay=DT,
                receptor="dopa")  # fmt: skip
    spikes = net.record_spikes(neurons)
    every = 10 * ms
    synapse = net.record_synapses(stdp, ["s", "c"], interval=every)
    dopa = net.record_state(neurons[1:2], "d", interval=every)
    net.run(DURATION / 2)
    stdp.set(mode=1.0)
    net.run(DURATION / 2)
    syn, d = synapse.record(), dopa.record()
    return {
        "t_s": syn.times.tolist(),
        "s": (syn.values["s"][:, 0] / GMAX).tolist(),
        "c": (syn.values["c"][:, 0] / GMAX).tolist(),
        "d": (d.values["d"][:, 0] / GMAX).tolist(),
        "spikes_ms": [(spikes.times[spikes.indices == k] / ms).tolist() for k in range(2)],
    }


if __name__ == "__main__":
    out = run()
    print(f"spikes: {[len(t) for t in out['spikes_ms']]}")
    print(f"s / gmax at 3 s: {out['s'][299]:.6f}, at the end: {out['s'][-1]:.6f}")
    print(f"max c / gmax: {max(out['c']):.6f}, max d / gmax: {max(out['d']):.4f}")
