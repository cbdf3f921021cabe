"""Short-term depression (NEST's ``pynest/examples/iaf_tum_2000_short_term_depression.py``),
ported to snn.

Tsodyks, Uziel & Markram (2000, J. Neurosci. 20:RC50): a neuron driven by a constant current
fires at 20 Hz for one second; each spike reaches a second neuron through a depressing synapse
(U = 0.5, tau_rec = 800 ms, no facilitation, 250 pA, 3 ms currents), whose postsynaptic
potentials shrink from spike to spike. NEST's example uses ``iaf_tum_2000``, an
``iaf_psc_exp`` that computes the ``tsodyks_synapse`` state in the presynaptic neuron; in snn
this is :class:`snn.neurons.LIFExp` with :class:`snn.synapses.TsodyksSynapse`. The original
plots the second neuron's V_m sampled every millisecond; this port returns it.

NEST's ``dc_generator`` (on from 50 to 1050 ms) reaches the neuron through the default device
delay of 1 ms and acts from 51 to 1051 ms (see docs/from-nest.md).

Run:  uv run python examples/ports/tsodyks_depression.py
"""

from __future__ import annotations

import math

from snn.core import Network
from snn.core.units import ms, mV, pA
from snn.neurons import DCSource, LIFExp
from snn.synapses import AllToAll, TsodyksSynapse

TAU_M = 40 * ms
C_M = TAU_M / 0.1e9  # R_m = 0.1 GOhm: 400 pF
V_TH = 15 * mV
T_REF = 2 * ms
#: the current that makes the first neuron fire at 20 Hz [A] (the original's formula)
DC_AMP = V_TH * C_M / TAU_M / (1 - math.exp(-(50 * ms - T_REF) / TAU_M))


def pair(*, c_m: float, tau_m: float, tau_psc: float, amplitude: float, synapse, weight) -> dict:
    """The examples' two neurons (``LIFExp``, threshold 15 mV, reset 0, 2 ms refractory): the
    first driven by ``amplitude`` [A] from 51 to 1051 ms, the second receiving its spikes
    through ``synapse`` with ``weight`` [A]; 1.2 s simulated. Returns the second neuron's V_m
    [mV] every ms and the first's spikes [ms]."""
    net = Network(dt=0.1 * ms)
    model = LIFExp(
        c_m=c_m,
        tau_m=tau_m,
        tau_syn_ex=tau_psc,
        tau_syn_in=tau_psc,
        v_th=V_TH,
        v_reset=0.0,
        e_l=0.0,
        t_ref=T_REF,
    )
    pre = net.add_population(model, 1)
    post = net.add_population(model, 1)
    net.add_drive(DCSource(amplitude=amplitude, start=51 * ms, stop=1051 * ms), pre)
    net.connect(
        pre,
        post,
        rule=AllToAll(),
        weight=weight,
        delay=0.1 * ms,
        receptor="exc",
        synapse=synapse,
    )
    spikes = net.record_spikes(pre)
    voltage = net.record_state(post, "v", interval=1 * ms)
    net.run(1.2)
    return {
        "v_mV": (voltage.record().values["v"][:, 0] / mV).tolist(),
        "spikes_ms": (spikes.times / ms).tolist(),
    }


def run() -> dict:
    """Simulate 1.2 s; return the second neuron's V_m [mV] every ms and the first's spikes."""
    synapse = TsodyksSynapse(U=0.5, tau_psc=3 * ms, tau_rec=800 * ms, tau_fac=0.0)
    return pair(
        c_m=C_M,
        tau_m=TAU_M,
        tau_psc=3 * ms,
        amplitude=DC_AMP,
        synapse=synapse,
        weight=250 * pA,
    )


if __name__ == "__main__":
    out = run()
    print(f"{len(out['spikes_ms'])} presynaptic spikes; V_m peak {max(out['v_mV']):.3f} mV")
