"""A neuron with an adaptive threshold (Brian2's ``examples/adaptive_threshold.py``), ported.

A leaky integrator (tau = 10 ms) receives 3 mV kicks from one 500 Hz Poisson train; each spike
resets v to 0 and raises the threshold vt by 3 mV, which relaxes back to 10 mV with a time
constant of 15 ms. The original plots v and vt and a histogram of v at the threshold
crossings over two seconds; this port reduces them to the spike count, the mean threshold and
the mean v at the crossings.

Brian2 records v at the crossings with ``SpikeMonitor(G, variables="v")``; snn's spike monitor
records times and indices only, so the model copies v into a variable ``v_cross`` in its reset
(the statements run in order, before v is reset) and the port samples it at the spike steps.

Brian2 adds the 3 mV jump after its threshold test, so it has decayed for one step when it is
first tested; snn tests it at once (see docs/from-brian2.md). :data:`BRIAN2_WEIGHT`, the jump
after one step of decay, reproduces Brian2's timing; with 3 mV the neuron fires about 3 % more.

Run:  uv run python examples/ports/adaptive_threshold.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, mV
from snn.equations import neuron_model
from snn.neurons import PoissonSource
from snn.synapses import AllToAll

AdaptiveIF = neuron_model(
    "AdaptiveIF",
    """
    dv/dt = -v / (10*ms) : volt
    dvt/dt = (10*mV - vt) / (15*ms) : volt
    dv_cross/dt = 0 * volt / second : volt
    """,
    threshold="v > vt",
    reset="v_cross = v; v = 0*mV; vt += 3*mV",
    on_spike={"exc": "v += w"},
    initial={"vt": 10 * mV},
)


#: the jump as Brian2's threshold first sees it: 3 mV after one step (0.1 ms) of decay
BRIAN2_WEIGHT = 3 * mV * float(np.exp(-0.1 * ms / (10 * ms)))


def run(seed: int = 1, weight: float = 3 * mV) -> dict:
    """Simulate two seconds; return the spike count and the mean vt and v at crossings [mV].

    ``weight`` is the jump per input spike [V] (the original's 3 mV, or :data:`BRIAN2_WEIGHT`).
    """
    net = Network(dt=0.1 * ms, seed=seed)
    source = net.add_population(PoissonSource(rate=500 * Hz), 1)
    neuron = net.add_population(AdaptiveIF(), 1)
    net.connect(source, neuron, rule=AllToAll(), weight=weight, delay=0.1 * ms, receptor="exc")
    spikes = net.record_spikes(neuron)
    state = net.record_state(neuron, ["vt", "v_cross"])
    net.run(2.0)
    rec = state.record()
    at_spike = np.rint(spikes.times / (0.1 * ms)).astype(int) - 1  # sample k is at (k+1) dt
    return {
        "n_spikes": int(spikes.n_spikes),
        "vt_mean_mV": float(np.mean(rec.values["vt"][:, 0]) / mV),
        "v_cross_mean_mV": float(np.mean(rec.values["v_cross"][at_spike, 0]) / mV),
    }


if __name__ == "__main__":
    print(run())
