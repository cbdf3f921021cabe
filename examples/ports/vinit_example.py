"""Initial membrane potentials (NEST's ``pynest/examples/vinit_example.py``), ported to snn.

A NEST ``iaf_cond_exp_sfa_rr`` neuron (conductance-based, with spike-frequency adaptation and a
relative refractory conductance) relaxes without input from five initial potentials,
-100 to -60 mV; the original plots the five traces over 75 ms. This port makes one population of
five neurons, one per initial value, and samples V_m every millisecond.

Run:  uv run python examples/ports/vinit_example.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV
from snn.neurons import LIFCondExpSfaRr

V_INIT = np.arange(-100, -50, 10) * mV


def run() -> dict:
    """Simulate 75 ms; return V_m [mV] of each initial value, keyed by it [mV]."""
    net = Network(dt=0.1 * ms)
    neurons = net.add_population(LIFCondExpSfaRr(), V_INIT.size, init={"v": V_INIT})
    voltage = net.record_state(neurons, "v", interval=1 * ms)
    net.run(75 * ms)
    v = voltage.record().values["v"] / mV
    return {f"{v0 / mV:.0f}": v[:, k].tolist() for k, v0 in enumerate(V_INIT)}


if __name__ == "__main__":
    for v0, trace in run().items():
        print(f"V_m(0) = {v0} mV: V_m(75 ms) = {trace[-1]:.3f} mV")
