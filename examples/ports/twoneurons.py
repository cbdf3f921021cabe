"""Two neurons (NEST's ``pynest/examples/twoneurons.py``), ported to snn.

A NEST ``iaf_psc_alpha`` neuron driven by a constant 376 pA fires regularly; each of its spikes
reaches a second, undriven neuron through a 20 pA synapse after 1 ms. The original plots both
membrane potentials; this port records the first neuron's spikes and the second one's
potential, sampled every millisecond as NEST's voltmeter does.

Run:  uv run python examples/ports/twoneurons.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, pA
from snn.neurons import LIFAlpha
from snn.synapses import AllToAll


def run() -> dict:
    """Simulate one second; return the first neuron's spikes [ms] and the second's V_m [mV]."""
    net = Network(dt=0.1 * ms)
    model = LIFAlpha()  # NEST's iaf_psc_alpha defaults
    first = net.add_population(model, 1, name="driven")
    second = net.add_population(model, 1, name="target")
    first.set(i_e=376 * pA)
    net.connect(first, second, rule=AllToAll(), weight=20 * pA, delay=1 * ms, receptor="exc")
    spikes = net.record_spikes(first)
    voltage = net.record_state(second, "v", interval=1 * ms)
    net.run(1.0)
    v = voltage.record().values["v"][:, 0] / 1e-3
    return {
        "spikes_1_ms": (spikes.times / 1e-3).tolist(),
        "v2_mean_mV": float(np.mean(v)),
        "v2_max_mV": float(np.max(v)),
        "v2_samples_mV": v[::50].tolist(),
        "v2_times_ms": (voltage.record().times / 1e-3).tolist(),
    }


if __name__ == "__main__":
    out = run()
    print(f"neuron 1: {len(out['spikes_1_ms'])} spikes, first at {out['spikes_1_ms'][0]:.1f} ms")
    print(f"neuron 2: mean V_m {out['v2_mean_mV']:.3f} mV, max {out['v2_max_mV']:.3f} mV")
