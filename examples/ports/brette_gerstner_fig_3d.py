"""Rebound burst of the adaptive exponential neuron (NEST's
``pynest/examples/brette_gerstner_fig_3d.py``), ported to snn.

Brette & Gerstner (2005, J. Neurophysiol. 94:3637), Fig. 3D: an ``aeif_cond_exp`` neuron with
strong subthreshold adaptation (a = 80 nS, tau_w = 720 ms, b = 80.5 pA, E_L = -60 mV, V_peak =
20 mV) is hyperpolarised by -800 pA for 400 ms; at the release the adaptation current, built up
during the hyperpolarisation, drives a rebound spike. The original plots V_m over one second;
this port returns V_m sampled every 0.1 ms and the spike times.

Two NEST conventions need spelling out. The neuron starts at NEST's default V_m of -70.6 mV
(setting E_L does not move V_m), snn's at its e_l unless told. And NEST's current reaches the
neuron through the connection's default delay of 1 ms, and NEST sends nothing from the first
step: ``dc_generator(start=0, stop=400)`` acts on the steps from 1.1 to 401 ms, which is snn's
``DCSource(start=1.1 * ms, stop=401 * ms)`` (see docs/from-nest.md). With ``start=0,
stop=400 * ms`` every spike comes 1 ms early.

Run:  uv run python examples/ports/brette_gerstner_fig_3d.py
"""

from __future__ import annotations

from snn.core import Network
from snn.core.units import ms, mV, nS, pA
from snn.neurons import AdExCondExp, DCSource

#: NEST's connection delay of a device (its default, 1 ms)
DEVICE_DELAY = 1 * ms


def run(start: float = DEVICE_DELAY + 0.1 * ms, stop: float = 400 * ms + DEVICE_DELAY) -> dict:
    """Simulate one second with the current on from ``start`` to ``stop`` [s]; return V_m [mV]
    every 0.1 ms and the spike times [ms]."""
    net = Network(dt=0.1 * ms)
    model = AdExCondExp(v_peak=20 * mV, e_l=-60 * mV, a=80 * nS, b=80.5 * pA, tau_w=720 * ms)
    neuron = net.add_population(model, 1, init={"v": -70.6 * mV})
    net.add_drive(DCSource(amplitude=-800 * pA, start=start, stop=stop), neuron)
    voltage = net.record_state(neuron, "v", interval=0.1 * ms)
    spikes = net.record_spikes(neuron)
    net.run(1.0)
    return {
        "v_mV": (voltage.record().values["v"][:, 0] / mV).tolist(),
        "spikes_ms": (spikes.times / ms).tolist(),
    }


if __name__ == "__main__":
    out = run()
    print(f"spikes at {out['spikes_ms']} ms; V_m min {min(out['v_mV']):.2f} mV")
