"""Spike-frequency adaptation of the adaptive exponential neuron (NEST's
``pynest/examples/brette_gerstner_fig_2c.py``), ported to snn.

Brette & Gerstner (2005, J. Neurophysiol. 94:3637), Fig. 2C: an ``aeif_cond_alpha`` neuron with
NEST's defaults except a = 4 nS and b = 80.5 pA (the paper gives b in nA) receives two steps of
current, 500 pA for the first 200 ms (subthreshold: no spike) and 800 pA for the last 500 ms,
under which it fires with intervals growing from 18 to 68 ms as the adaptation current builds
up. The original plots V_m over one second, sampled every 0.1 ms; this port returns every tenth
sample (t = 0.1, 1.1, ... ms) and the spike times.

NEST's conventions that matter here (docs/from-nest.md): the two ``dc_generator`` s reach the
neuron through the default device delay of 1 ms, and NEST sends nothing from the first step, so
``start=0, stop=200`` acts on the steps from 1.1 to 201 ms and ``start=500, stop=1000`` on those
from 501 ms to the end; in snn these are ``DCSource(start=1.1 * ms, stop=201 * ms)`` and
``DCSource(start=501 * ms, stop=1001 * ms)``. Unshifted, every spike comes 1 ms early. The
neuron starts at NEST's default V_m, E_L = -70.6 mV, which is also snn's.

Run:  uv run python examples/ports/brette_gerstner_fig_2c.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS, pA
from snn.neurons import AdExCondAlpha, DCSource

#: NEST's connection delay of a device (its default, 1 ms)
DEVICE_DELAY = 1 * ms
#: the original's two dc_generators: amplitude, start, stop (as written in NEST's script) [A, s]
STEPS = ((500 * pA, 0.0, 200 * ms), (800 * pA, 500 * ms, 1000 * ms))


def nest_window(start: float, stop: float, dt: float = 0.1 * ms) -> tuple[float, float]:
    """The steps [s] on which a NEST ``dc_generator(start, stop)`` acts through the device delay:
    ``(start + delay, stop + delay)``, from ``delay + dt`` at the earliest."""
    return max(start + DEVICE_DELAY, DEVICE_DELAY + dt), stop + DEVICE_DELAY


def figures(v_mV, spikes_ms) -> dict:
    """Every tenth sample of V_m [mV] recorded every 0.1 ms from 0.1 ms (NEST's voltmeter's
    first sample), and the spike times [ms]."""
    return {"v_mV": np.asarray(v_mV)[::10].tolist(), "spikes_ms": np.asarray(spikes_ms).tolist()}


def run(*, shift: bool = True) -> dict:
    """Simulate one second; return :func:`figures` of the run. ``shift=False`` puts the
    currents at the times written in the original, without NEST's device delay."""
    net = Network(dt=0.1 * ms)
    neuron = net.add_population(AdExCondAlpha(a=4 * nS, b=80.5 * pA), 1)
    for amplitude, start, stop in STEPS:
        if shift:
            start, stop = nest_window(start, stop)
        net.add_drive(DCSource(amplitude=amplitude, start=start, stop=stop), neuron)
    voltage = net.record_state(neuron, "v", interval=0.1 * ms)
    spikes = net.record_spikes(neuron)
    net.run(1.0)
    return figures(voltage.record().values["v"][:, 0] / mV, spikes.times / ms)


if __name__ == "__main__":
    out = run()
    print(f"spikes at {[round(t, 1) for t in out['spikes_ms']]} ms")
