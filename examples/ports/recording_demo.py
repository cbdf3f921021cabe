"""Recording examples (NEST's ``pynest/examples/recording_demo.py``), ported to snn.

One ``iaf_psc_exp`` neuron (NEST's defaults) driven by a 1 MHz Poisson generator of 10 pA
events, 30 ms simulated, its spikes recorded by a ``spike_recorder``. The original prints the
recorded events for the two recording backends ``memory`` and ``ascii`` and both settings of
``time_in_steps``; this port returns the spike times and the figures below.

What the recorders offer maps onto snn as follows: ``record_to="memory"`` is
:meth:`Network.record_spikes` (times in s; ``ascii`` files have no counterpart: write
``spikes.times`` and ``spikes.senders`` as needed); ``time_in_steps=True`` (integer steps, and
offsets that are 0 for grid-based neurons) is ``np.rint(spikes.times / net.dt)``. The original
sets no recording window; this port adds a second spike recorder and a multimeter of ``V_m``
(every 1 ms), both with NEST's ``start = 9 ms``, ``stop = 20 ms`` (``record_spikes(...,
start=, stop=)``, ``record_state(..., start=, stop=)``), and checks the window against NEST's:
the same sample times, and the windowed spikes are those of the full record with
``start < t <= stop``.

Conventions that matter (docs/from-nest.md): the generator reaches the neuron one delay (1 ms)
and one step late, so ``PoissonInput(start=1.1 ms)``. 1 MHz at dt = 0.1 ms is 100 events per
step, the most one ``PoissonInput`` refuses (it takes fewer than 100), so the generator is two
drives of 500 kHz: a sum of independent Poisson counts is a Poisson count of the summed rate.

Run:  uv run python examples/ports/recording_demo.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, mV, pA
from snn.neurons import LIFExp, PoissonInput

T = 30 * ms
#: the added recording window (start, stop] [s]: the neuron fires every 2.2 or 2.3 ms, and in
#: most seeds at 9.0 and 20.0 ms, on both edges (out and in)
WINDOW = (9 * ms, 20 * ms)


def run(seed: int = 1) -> dict:
    """Simulate 30 ms; return the figures."""
    net = Network(dt=0.1 * ms, seed=seed)
    neuron = net.add_population(LIFExp(), 1)  # iaf_psc_exp's defaults
    for _ in range(2):  # one 1 MHz generator
        drive = PoissonInput(rate=500e3 * Hz, weight=10 * pA, start=1.1 * ms, receptor="exc")
        net.add_drive(drive, neuron)
    spikes = net.record_spikes(neuron)
    start, stop = WINDOW
    windowed = net.record_spikes(neuron, start=start, stop=stop)
    voltage = net.record_state(neuron, "v", interval=1 * ms, start=start, stop=stop)
    net.run(T)
    v = voltage.record()
    return figures(spikes.times / ms, windowed.times / ms, v.times / ms, v.values["v"][:, 0] / mV)


def figures(
    spikes_ms: np.ndarray, windowed_ms: np.ndarray, sample_ms: np.ndarray, v_mV: np.ndarray
) -> dict:
    """The spikes [ms] of the full record and of the window, whether the window's are the full
    record's with ``start < t <= stop``, the window's sample times [ms] and the mean of ``V_m``
    over them [mV]."""
    spikes_ms, windowed_ms = np.asarray(spikes_ms), np.asarray(windowed_ms)
    start, stop = (w / ms for w in WINDOW)
    inside = spikes_ms[(spikes_ms > start + 1e-9) & (spikes_ms <= stop + 1e-9)]
    return {
        "spikes_ms": spikes_ms.tolist(),
        "window_ms": windowed_ms.tolist(),
        "window_matches_record": bool(np.array_equal(windowed_ms, inside)),
        "sample_ms": np.asarray(sample_ms).tolist(),
        "v_window_mV": float(np.mean(v_mV)),
    }


if __name__ == "__main__":
    print(run())
