"""Short-term facilitation (NEST's ``pynest/examples/iaf_tum_2000_short_term_facilitation.py``),
ported to snn.

Tsodyks, Pawelzik & Markram (1998, Neural Comput. 10:821), their Fig. 1B: a neuron driven by a
constant current fires at 20 Hz for one second; each spike reaches a second neuron through a
facilitating synapse (U = 0.03, tau_fac = 530 ms, tau_rec = 130 ms, 1540 pA, 1.5 ms currents),
whose postsynaptic potentials grow over the first spikes before depression takes over. NEST's
example uses ``iaf_tum_2000``, an ``iaf_psc_exp`` that computes the ``tsodyks_synapse`` state
in the presynaptic neuron and sends ``u x`` with each spike; in snn this is
:class:`snn.neurons.LIFExp` with :class:`snn.synapses.TsodyksSynapse`, as in the depression
example (``tsodyks_depression.py``). The original plots the second neuron's V_m sampled every
millisecond; this port returns it.

NEST's ``dc_generator`` (on from 50 to 1050 ms) reaches the neuron through the default device
delay of 1 ms and acts from 51 to 1051 ms (docs/from-nest.md); this is the one NEST convention
that matters here.

The original's current is chosen so that the potential reaches threshold exactly 48 ms after
each refractory period, on a grid point: whether the spike comes at that step or the next is
decided by round-off. One step before (98.9 ms) NEST's potential is 3e-13 mV below the exact
value (mpmath, 40 digits), snn's 4e-14 mV above it; NEST ends 3e-13 mV short of 15 mV and
fires one step later, every 50.1 ms from 99.1 ms, snn every 50 ms from 99.0 ms, so the two
traces drift apart by 0.1 ms per spike: up to 4.1 mV at the sharp rise of a postsynaptic
potential. With the current lowered by a relative 1e-9 (:data:`NUDGE`,
``run(amplitude=DC_AMP * (1 - NUDGE))``) the crossing is no longer a matter of round-off: both
fire at NEST's published times and the potentials agree to round-off
(``tests/validation/test_ports.py``).

Run:  uv run python examples/ports/tsodyks_facilitation.py
"""

from __future__ import annotations

import math

from tsodyks_depression import T_REF, V_TH, pair

from snn.core.units import ms, pA
from snn.synapses import TsodyksSynapse

TAU_M = 60 * ms
C_M = TAU_M / 1e9  # R_m = 1 GOhm: 60 pF
TAU_PSC = 1.5 * ms
#: the current that makes the first neuron fire at 20 Hz [A] (the original's formula)
DC_AMP = V_TH * C_M / TAU_M / (1 - math.exp(-(50 * ms - T_REF) / TAU_M))
#: relative lowering of :data:`DC_AMP` that moves the threshold crossing off the grid point
NUDGE = 1e-9


def run(amplitude: float = DC_AMP) -> dict:
    """Simulate 1.2 s with the first neuron's current ``amplitude`` [A]; return the second
    neuron's V_m [mV] every ms and the first's spikes [ms]."""
    synapse = TsodyksSynapse(U=0.03, tau_psc=TAU_PSC, tau_rec=130 * ms, tau_fac=530 * ms)
    return pair(
        c_m=C_M,
        tau_m=TAU_M,
        tau_psc=TAU_PSC,
        amplitude=amplitude,
        synapse=synapse,
        weight=1540 * pA,
    )


if __name__ == "__main__":
    out = run()
    print(f"{len(out['spikes_ms'])} presynaptic spikes; V_m peak {max(out['v_mV']):.3f} mV")
