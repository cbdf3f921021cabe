"""Rate-response curve of the Hodgkin-Huxley neuron (NEST's ``pynest/examples/hh_psc_alpha.py``),
ported to snn.

One ``hh_psc_alpha`` neuron (snn's ``HHPscAlpha``, NEST's defaults) receives a constant current
``I_e`` of 0, 20, ..., 1980 pA, one after the other without a reset: at each current it runs
one second to settle, then one second in which its spikes are counted (the original sets its
recorder's ``n_events`` to 0 in between, snn clears a ``SpikeMonitor``); the original plots the
counts (the rate in Hz) against the current. This port returns the rate at each current and,
what the original does not record, the spike times counted at 980 and 1980 pA and V_m every
0.1 ms in two windows of 100 ms: from 1.6 s after the switch to 980 pA (the run's first spikes,
at 99.62 s, out of a slowly growing oscillation) and from 1.8 s after the switch to 1980 pA,
198 s into the run (not the last 100 ms: NEST's voltmeter hands over a run's last millisecond
of samples only in a further run).

No NEST convention of the mapping table changes anything here (docs/from-nest.md): ``I_e`` is a
parameter of the neuron, not a device behind a delay; both detect a spike at the step after the
peak of V_m above 0 mV and stamp it at the end of that step; the spikes counted after the
settling second at ``t0`` are those stamped in ``(t0, t0 + 1 s]``, as :func:`figures` counts.
Both integrate with RKF45 under GSL's step control at NEST's absolute tolerance of 1e-3; snn
starts each step with a substep of dt where NEST keeps its last substep size, so the two agree
to that tolerance, not to round-off.

Run:  uv run python examples/ports/hh_psc_alpha.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, pA
from snn.neurons import HHPscAlpha

#: the original's currents: range(0, 2000, 20) [pA]
CURRENTS_PA = tuple(range(0, 2000, 20))
#: settling and counting time at each current [s]
SETTLE = COUNT = 1.0
#: samples of V_m per step (0.1 ms, the original's resolution)
DT = 0.1 * ms
#: the recorded windows: (current [pA], first sample [s], number of samples); V_m every 0.1 ms
#: from a time [s] after the switch to that current: the run's first spikes, and 198 s into the run
TRACES = ((980, 1.6, 1000), (1980, 1.8, 1000))
#: the currents whose counted spikes are returned one by one [pA]
SPIKE_CURRENTS = (980, 1980)


def figures(spikes_ms: np.ndarray, v_mV: np.ndarray) -> dict:
    """Reduce a run to the compared figures: the rate [Hz] at each current, V_m [mV] in the
    windows of :data:`TRACES` and the spike times [ms] counted at :data:`SPIKE_CURRENTS`.

    ``spikes_ms`` are all spike times of the run [ms]; ``v_mV`` is V_m every 0.1 ms [mV], its
    sample ``k`` taken at ``(k + 1) * 0.1`` ms (the first at 0.1 ms, as NEST's voltmeter).
    """
    spikes_ms = np.asarray(spikes_ms)
    v_mV = np.asarray(v_mV)
    per_current = round((SETTLE + COUNT) / DT)
    rates, counted = [], {}
    for i, amp in enumerate(CURRENTS_PA):
        t0 = (i * (SETTLE + COUNT) + SETTLE) / ms
        window = spikes_ms[(spikes_ms > t0 + 1e-9) & (spikes_ms <= t0 + COUNT / ms + 1e-9)]
        rates.append(window.size / COUNT)
        if amp in SPIKE_CURRENTS:
            counted[f"spikes_{amp}pA_ms"] = window.tolist()
    out: dict = {"currents_pA": list(CURRENTS_PA), "rate_Hz": rates, **counted}
    for amp, offset, n in TRACES:
        first = CURRENTS_PA.index(amp) * per_current + round(offset / DT)
        out[f"v_{amp}pA_mV"] = v_mV[first : first + n].tolist()
    return out


def run() -> dict:
    """Step through the currents as the original does; return :func:`figures` of the run."""
    net = Network(dt=DT)
    neuron = net.add_population(HHPscAlpha(), 1)
    counter = net.record_spikes(neuron)
    spikes = net.record_spikes(neuron)
    voltage = net.record_state(neuron, "v")
    rates = []
    for amp in CURRENTS_PA:
        neuron.set(i_e=amp * pA)
        net.run(SETTLE)
        counter.clear()  # the original's sr.n_events = 0
        net.run(COUNT)
        rates.append(counter.n_spikes / COUNT)
    out = figures(spikes.times / ms, voltage.record().values["v"][:, 0] / mV)
    assert out["rate_Hz"] == rates  # the figures' counting is the original's
    return out


if __name__ == "__main__":
    out = run()
    for amp, rate in zip(out["currents_pA"], out["rate_Hz"], strict=True):
        print(f"I = {amp:4d} pA: {rate:5.1f} Hz")
