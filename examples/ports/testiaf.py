"""The integrate-and-fire neuron at three resolutions (NEST's ``pynest/examples/testiaf.py``),
ported to snn.

One ``iaf_psc_alpha`` neuron (snn's :class:`snn.neurons.LIFAlpha`, NEST's defaults) driven by a
constant current ``I_e`` of 376 pA, simulated for one second at a resolution of 0.1, 0.5 and
1 ms; the original prints the number of spikes at each and plots V_m sampled every millisecond
(the voltmeter's default interval). The model is integrated exactly in both, so the resolution
changes only the step at which a threshold crossing is noticed (the spike is stamped at the end
of that step and the refractory period counted from there): the coarser the grid, the later
each spike (the first at 59.3, 59.5 and 60 ms), 16 spikes in one second at all three. This port
returns, at each resolution, the spike times and V_m every millisecond; both agree with NEST's
to round-off. NEST's voltmeter hands over the sample at the end of a run only in a further run:
999 samples, snn 1000.

Run:  uv run python examples/ports/testiaf.py
"""

from __future__ import annotations

from snn.core import Network
from snn.core.units import ms, mV, pA
from snn.neurons import LIFAlpha

#: the original's resolutions [ms]
RESOLUTIONS_MS = (0.1, 0.5, 1.0)


def run() -> dict:
    """Simulate one second at each resolution; return the spike times [ms] and V_m [mV]
    every ms, keyed by the resolution (``"0.1"``, ``"0.5"``, ``"1.0"``)."""
    out = {}
    for resolution in RESOLUTIONS_MS:
        net = Network(dt=resolution * ms)
        neuron = net.add_population(LIFAlpha(), 1)
        neuron.set(i_e=376 * pA)
        voltage = net.record_state(neuron, "v", interval=1 * ms)
        spikes = net.record_spikes(neuron)
        net.run(1.0)
        out[f"{resolution}"] = {
            "v_mV": (voltage.record().values["v"][:, 0] / mV).tolist(),
            "spikes_ms": (spikes.times / ms).tolist(),
        }
    return out


if __name__ == "__main__":
    for resolution, res in run().items():
        print(f"dt = {resolution} ms: {len(res['spikes_ms'])} spikes")
