"""One neuron (NEST's ``pynest/examples/one_neuron.py``), ported to snn.

One ``iaf_psc_alpha`` neuron (snn's :class:`snn.neurons.LIFAlpha`, NEST's defaults) driven by a
constant current ``I_e`` of 376 pA, for one second; the original plots V_m as NEST's voltmeter
samples it, every millisecond. This port returns those samples and the spike times, which the
original does not record. Both integrate the model exactly (the same propagators), so the two
agree to round-off. No NEST convention of docs/from-nest.md matters here (``I_e`` is a
parameter of the neuron, not a device behind a delay), except that NEST's voltmeter hands over
the sample at the end of a run only in a further run: 999 samples, snn 1000.

Run:  uv run python examples/ports/one_neuron.py
"""

from __future__ import annotations

from snn.core import Network
from snn.core.units import ms, mV, pA
from snn.neurons import LIFAlpha


def run() -> dict:
    """Simulate one second; return V_m [mV] every ms (from 1 ms on) and the spikes [ms]."""
    net = Network(dt=0.1 * ms)
    neuron = net.add_population(LIFAlpha(), 1)
    neuron.set(i_e=376 * pA)
    voltage = net.record_state(neuron, "v", interval=1 * ms)
    spikes = net.record_spikes(neuron)
    net.run(1.0)
    return {
        "v_mV": (voltage.record().values["v"][:, 0] / mV).tolist(),
        "spikes_ms": (spikes.times / ms).tolist(),
    }


if __name__ == "__main__":
    out = run()
    print(f"{len(out['spikes_ms'])} spikes, the first at {out['spikes_ms'][0]:.1f} ms")
