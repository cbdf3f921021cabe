"""Firing rate against drive (Brian2's ``examples/IF_curve_LIF.py``), ported to snn.

1000 leaky integrate-and-fire neurons, ``dv/dt = (v0 - v) / tau`` with tau = 10 ms, threshold
10 mV, reset to 0 and a 5 ms refractory period, each with its own resting value v0 from 0 to
20 mV, run for one second; the original plots the spike count against v0. The equations are
Brian2's, given to :func:`snn.equations.neuron_model`, v0 one value per neuron.

Brian2 holds a neuron refractory for ``round(refractory / dt)`` steps counting the step of the
spike, snn (as NEST) for as many steps after it, so at the same ``refractory`` every interval
between spikes is one step (0.1 ms) longer in snn. The port therefore also runs with
``refractory = 4.9 ms``, which gives Brian2's intervals.

Run:  uv run python examples/ports/if_curve_lif.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV
from snn.equations import neuron_model

N = 1000


def run(refractory: float = 5 * ms) -> np.ndarray:
    """Simulate one second; return the spike count of each neuron."""
    model = neuron_model(
        "LIFCurve",
        """
        dv/dt = (v0 - v) / tau : volt (unless refractory)
        v0 : volt
        tau : second
        """,
        threshold="v > 10*mV",
        reset="v = 0*mV",
        refractory=refractory,
        method="exact",
    )
    net = Network(dt=0.1 * ms)
    group = net.add_population(model(v0=20 * mV * np.arange(N) / (N - 1), tau=10 * ms), N)
    spikes = net.record_spikes(group)
    net.run(1.0)
    return spikes.spike_counts()


if __name__ == "__main__":
    counts = run()
    print(f"{np.count_nonzero(counts)} neurons fire; the most driven at {counts[-1]} spikes/s")
