"""Stochastic against deterministic short-term plasticity (NEST's
``pynest/examples/evaluate_quantal_stp_synapse.py``), ported to snn.

One ``iaf_psc_exp`` neuron (NEST's defaults, 3 ms excitatory currents) is driven by 376 pA for
500 ms and left alone for 1000 ms, cycle after cycle. Each of its spikes reaches two further
neurons with NEST's default delay of 1 ms: one through ``tsodyks2_synapse`` (weight 1 pA), the
other through ``quantal_stp_synapse`` with 10 release sites of 0.1 pA each, both facilitating
(U = u = 0.02, tau_fac = 500 ms, tau_rec = 200 ms). The quantal synapse releases a binomial
number of its available sites, so its target's V_m varies from cycle to cycle; averaged over
the cycles it approaches the deterministic synapse's. The original records both targets every
0.1 ms from the second cycle on, averages them over 500 cycles and prints the RMS difference of
the two averages; this port does the same over 100 cycles (both sides), and returns the
deterministic average every 5 ms, the RMS difference, the mean difference and the peaks of
both averages, and the driven neuron's spikes per cycle.

In snn the synapses are :class:`snn.synapses.Tsodyks2Synapse` and
:class:`snn.synapses.QuantalSynapse` (``u0`` is the example's ``u``). The original sets the
deterministic synapse's initial ``x`` to U = 0.02 (it writes ``x`` into the parameter dict it
also uses for ``U``), not 1; kept here (``x0=0.02``): it only touches the first cycle, which
neither side averages. NEST's voltmeter window ``start`` = 1500 ms is
``record_state(..., start=1.5)`` (samples at ``t > start``); the original's final
``Simulate(resolution)`` only flushes the voltmeter, whose last samples NEST hands over in the
next run (docs/from-nest.md).

Run:  uv run python examples/ports/evaluate_quantal_stp_synapse.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, pA
from snn.neurons import LIFExp
from snn.synapses import AllToAll, QuantalSynapse, Tsodyks2Synapse

N_TRIALS = 100  # the original's 500, reduced
N_SITES = 10
T_ON, T_OFF = 500 * ms, 1000 * ms
T_CYCLE = T_ON + T_OFF
DT = 0.1 * ms
DRIVE = 376 * pA
PARAMS = {"U": 0.02, "tau_fac": 500 * ms, "tau_rec": 200 * ms}


def run(seed: int = 1, n_trials: int = N_TRIALS) -> dict:
    """Simulate ``n_trials + 1`` cycles; return the figures."""
    net = Network(dt=DT, seed=seed)
    model = LIFExp(tau_syn_ex=3 * ms)
    pre = net.add_population(model, 1)
    tsyn = net.add_population(model, 1)
    qsyn = net.add_population(model, 1)
    synapses = (
        (tsyn, 1 * pA, Tsodyks2Synapse(u0=0.02, x0=0.02, **PARAMS)),
        (qsyn, 1 * pA / N_SITES, QuantalSynapse(u0=0.02, n=N_SITES, **PARAMS)),
    )
    for target, weight, synapse in synapses:
        net.connect(
            pre,
            target,
            rule=AllToAll(),
            weight=weight,
            delay=1 * ms,
            receptor="exc",
            synapse=synapse,
        )
    spikes = net.record_spikes(pre)
    monitors = [net.record_state(t, "v", start=T_CYCLE) for t in (tsyn, qsyn)]
    for _ in range(n_trials + 1):
        pre.set(i_e=DRIVE)
        net.run(T_ON)
        pre.set(i_e=0.0)
        net.run(T_OFF)
    v_tsyn, v_qsyn = (m.record().values["v"][:, 0] / mV for m in monitors)
    return figures(v_tsyn, v_qsyn, spikes.times / ms, n_trials)


def figures(v_tsyn: np.ndarray, v_qsyn: np.ndarray, spikes_ms: np.ndarray, n_trials: int) -> dict:
    """From the two targets' V_m [mV] averaged over the cycles: the deterministic one every 5 ms
    of the cycle, the RMS difference of the two averages (the original's figure), the mean
    difference and both peaks [mV] (at 0.1 ms); and the driven neuron's spikes per cycle."""
    steps = round(T_CYCLE / DT)
    mean_t = np.asarray(v_tsyn).reshape(n_trials, steps).mean(axis=0)
    mean_q = np.asarray(v_qsyn).reshape(n_trials, steps).mean(axis=0)
    cycles = np.bincount((np.asarray(spikes_ms) // (T_CYCLE / ms)).astype(int))
    return {
        "v_tsodyks2_mV": mean_t[49::50].tolist(),
        "peak_tsodyks2_mV": float(mean_t.max()),
        "peak_quantal_mV": float(mean_q.max()),
        "rms_error_mV": float(np.sqrt(np.mean((mean_t - mean_q) ** 2))),
        "bias_mV": float(np.mean(mean_q - mean_t)),
        "spikes_per_cycle": cycles.tolist(),
    }


if __name__ == "__main__":
    out = run()
    print(f"RMS error {out['rms_error_mV']:.3g} mV; spikes per cycle {out['spikes_per_cycle'][:3]}")
