"""One neuron with noise (NEST's ``pynest/examples/one_neuron_with_noise.py``), ported to snn.

A NEST ``iaf_psc_alpha`` neuron receives two Poisson trains, 80 kHz of 1.2 pA excitatory
currents and 15 kHz of -1 pA inhibitory ones. The original plots the membrane potential; this
port reduces it to its mean and standard deviation after the first 100 ms (the time the
potential needs to leave E_L for its fluctuating steady state) and its maximum.

Run:  uv run python examples/ports/one_neuron_with_noise.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, pA
from snn.neurons import LIFAlpha, PoissonInput


def run(seed: int = 1) -> dict:
    """Simulate one second; return statistics of V_m [mV] sampled every millisecond."""
    net = Network(dt=0.1 * ms, seed=seed)
    neuron = net.add_population(LIFAlpha(), 1)
    net.add_drive(PoissonInput(rate=80000 * Hz, weight=1.2 * pA, receptor="exc"), neuron)
    net.add_drive(PoissonInput(rate=15000 * Hz, weight=-1.0 * pA, receptor="inh"), neuron)
    voltage = net.record_state(neuron, "v", interval=1 * ms)
    net.run(1.0)
    return figures(voltage.record().values["v"][:, 0] / 1e-3)


def figures(v: np.ndarray) -> dict:
    """Mean and standard deviation after 100 ms, and maximum, of V_m sampled each ms [mV]."""
    tail = v[100:]  # from E_L to the fluctuating steady state
    return {
        "v_mean_mV": float(tail.mean()),
        "v_std_mV": float(tail.std()),
        "v_max_mV": float(v.max()),
    }


if __name__ == "__main__":
    out = run()
    print(f"V_m: mean {out['v_mean_mV']:.2f} mV, std {out['v_std_mV']:.2f} mV")
