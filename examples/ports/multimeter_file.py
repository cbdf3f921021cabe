"""Recording with a multimeter (NEST's ``pynest/examples/multimeter_file.py``), ported to snn.

A NEST ``iaf_cond_alpha`` neuron with ``tau_syn_ex`` = 1 ms and ``V_reset`` = -70 mV receives
excitatory spikes at 10, 20 and 50 ms (40 nS) and inhibitory ones at 15, 25 and 55 ms (20 nS),
each through a 1 ms delay. A multimeter samples ``V_m``, ``g_ex`` and ``g_in`` every 0.1 ms for
100 ms. The original writes the samples to a file and plots them; this port returns them, and
run as a script writes them as NEST's ASCII recording backend would (sender, time, values).

Run:  uv run python examples/ports/multimeter_file.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS
from snn.neurons import LIFCondAlpha, SpikeSourceArray
from snn.synapses import AllToAll

#: spike times of the two generators [ms]
EXCITATORY_MS = (10.0, 20.0, 50.0)
INHIBITORY_MS = (15.0, 25.0, 55.0)


def run() -> dict:
    """Simulate 100 ms; return the sample times [ms], V_m [mV], g_ex and g_in [nS]."""
    net = Network(dt=0.1 * ms)
    neuron = net.add_population(LIFCondAlpha(tau_syn_ex=1 * ms, v_reset=-70 * mV), 1)
    for times, weight, receptor in (
        (EXCITATORY_MS, 40 * nS, "exc"),
        (INHIBITORY_MS, 20 * nS, "inh"),  # NEST's weight -20 nS: the sign picks the receptor
    ):
        source = SpikeSourceArray(times=np.array(times) * ms, indices=[0, 0, 0])
        generator = net.add_population(source, 1)
        net.connect(
            generator, neuron, rule=AllToAll(), weight=weight, delay=1 * ms, receptor=receptor
        )
    meter = net.record_state(neuron, ["v", "g_ex", "g_in"], interval=0.1 * ms)
    net.run(100 * ms)
    record = meter.record()
    return {
        "times_ms": (record.times / ms).tolist(),
        "v_mV": (record.values["v"][:, 0] / mV).tolist(),
        "g_ex_nS": (record.values["g_ex"][:, 0] / nS).tolist(),
        "g_in_nS": (record.values["g_in"][:, 0] / nS).tolist(),
    }


if __name__ == "__main__":
    out = run()
    table = np.column_stack(
        [
            np.ones(len(out["times_ms"])),
            out["times_ms"],
            out["v_mV"],
            out["g_ex_nS"],
            out["g_in_nS"],
        ]
    )
    np.savetxt(
        "multimeter.dat",
        table,
        fmt="%d\t%.3f\t%.6f\t%.6f\t%.6f",
        header="sender\ttime_ms\tV_m\tg_ex\tg_in",
    )
    print(f"{len(out['times_ms'])} samples written to multimeter.dat")
    print(f"V_m from {min(out['v_mV']):.4f} to {max(out['v_mV']):.4f} mV")
