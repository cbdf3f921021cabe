"""Record Brian2's traces that ``tests/equations/test_clock_driven_spikes.py`` compares with.

::

    uv run --group peers python tests/data/brian2/record_clock_driven.py

Brian2 2.9 (numpy target, deterministic): one presynaptic neuron firing at irregular fixed
times through a synapse with Tsodyks-Markram short-term plasticity written with clock-driven
variables and no summed variable (the form of Brian2's documentation: ``u`` and ``x`` integrated
every step, ``on_pre`` sending ``w u x``), onto a leaky membrane. Brian2 integrates ``u`` and
``x`` with its ``exact`` method (its log says so: the system is linear). Stores the spike times, the
parameters and the synapse's ``u`` and ``x`` at every step (Brian2's ``StateMonitor`` rows, at
the start of each step) in ``clock_driven.npz``.
"""

from __future__ import annotations

from pathlib import Path

import brian2 as b2
import numpy as np

DT = 0.1  # ms
#: presynaptic spike times [ms], on the grid: a 50 Hz burst, a pause, then a 20 Hz train
TIMES_MS = np.array([5.0, 25.0, 45.0, 65.0, 85.0, 185.0, 235.0, 285.0, 335.0, 385.0])
PARAMS = {"U": 0.2, "tau_rec_ms": 120.0, "tau_f_ms": 300.0, "w_mV": 2.0, "tau_m_ms": 10.0}
DURATION_MS = 450.0


def main() -> None:
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = DT * b2.ms
    ms, mV = b2.ms, b2.mV
    src = b2.SpikeGeneratorGroup(1, np.zeros(len(TIMES_MS), int), TIMES_MS * ms)
    tgt = b2.NeuronGroup(1, "dv/dt = -v / tau_m : volt", method="exact",
                         namespace={"tau_m": PARAMS["tau_m_ms"] * ms})  # fmt: skip
    syn = b2.Synapses(
        src,
        tgt,
        """
        w : volt
        dx/dt = (1 - x) / tau_rec : 1 (clock-driven)
        du/dt = (U - u) / tau_f : 1 (clock-driven)
        """,
        on_pre="u += U * (1 - u)\nr = u * x\nx -= r\nv_post += w * r",
        namespace={
            "U": PARAMS["U"],
            "tau_rec": PARAMS["tau_rec_ms"] * ms,
            "tau_f": PARAMS["tau_f_ms"] * ms,
        },
    )
    syn.connect()
    syn.w = PARAMS["w_mV"] * mV
    syn.x = 1.0
    syn.u = PARAMS["U"]
    mon = b2.StateMonitor(syn, ["u", "x"], record=[0])
    b2.run(DURATION_MS * ms)
    np.savez(
        Path(__file__).with_name("clock_driven.npz"),
        times_ms=TIMES_MS,
        t_ms=np.asarray(mon.t / ms),
        u=np.asarray(mon.u[0]),
        x=np.asarray(mon.x[0]),
        **{k: np.array(v) for k, v in PARAMS.items()},
        brian2=np.array(b2.__version__),
    )


if __name__ == "__main__":
    main()
