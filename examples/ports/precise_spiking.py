"""Spike times on the grid at three resolutions (NEST's ``pynest/examples/precise_spiking.py``).

NEST's example drives an ``iaf_psc_exp`` neuron and its precise-spike-time twin
``iaf_psc_exp_ps`` with a 700 pA DC generator for 100 ms at resolutions of 0.1, 0.5 and 1 ms,
and plots how the grid neuron's spike times move with the resolution while the precise one's
do not. snn has no precise-spike-time models; this port runs the grid half. NEST's DC generator
reaches the neuron through its 1 ms connection delay, so the current starts one delay plus one
step after t = 0 (``docs/from-nest.md``).

Run:  uv run python examples/ports/precise_spiking.py
"""

from __future__ import annotations

from snn.core import Network
from snn.core.units import ms, pA
from snn.neurons import DCSource, LIFExp

#: resolutions [ms]
RESOLUTIONS_MS = (0.1, 0.5, 1.0)


def run() -> dict:
    """Spike times [ms] of NEST's default ``iaf_psc_exp`` under 700 pA, per resolution."""
    out = {}
    for res in RESOLUTIONS_MS:
        net = Network(dt=res * ms)
        neuron = net.add_population(LIFExp(), 1)  # NEST's iaf_psc_exp defaults
        net.add_drive(DCSource(amplitude=700 * pA, start=1 * ms + res * ms), neuron)
        spikes = net.record_spikes(neuron)
        net.run(100 * ms)
        out[f"{res:g}"] = (spikes.times / ms).tolist()
    return out


if __name__ == "__main__":
    for res, times in run().items():
        print(f"dt = {res} ms: {len(times)} spikes, the first at {times[0]:.1f} ms")
