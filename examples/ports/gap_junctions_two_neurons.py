"""Two Hodgkin-Huxley neurons coupled by a gap junction (NEST's
``pynest/examples/gap_junctions_two_neurons.py``), ported to snn.

Two ``hh_psc_alpha_gap`` neurons (Mancilla et al. 2007: sodium, Kv1 and Kv3 potassium and leak
channels) receive 100 pA each; the first starts at -10 mV, the second at rest, and a symmetric
``gap_junction`` of 0.5 nS pulls the two into synchrony. Resolution 0.05 ms, 351 ms; the
original plots both membrane potentials, sampled every 0.1 ms. snn has no built-in
``hh_psc_alpha_gap``: the model is written here as equations from NEST's source
(``models/hh_psc_alpha_gap.cpp``, rates in 1/ms of V in mV) without its alpha synapses (the
example has none), integrated by Runge-Kutta-Fehlberg under GSL's step control at NEST's
tolerance (1e-6); the junction is :class:`snn.synapses.GapJunction` both ways. The gates start
where NEST starts them (each at its equilibrium at NEST's resting potential, left there when
the first neuron's V_m is set).

What differs from NEST, and by how much (``tests/validation/test_ports.py``):

* **Coupling.** NEST integrates the junction by waveform relaxation: it iterates each 1 ms
  interval with the partner's potential interpolated by a cubic until no potential moves by more
  than ``wfr_tol`` = 1e-4 mV. Its run is the continuously coupled solution to that tolerance
  (measured: tightening ``wfr_tol`` to 1e-8 or iterating every step moves its potentials by at
  most 3e-5 mV). snn holds each junction current over the step from both potentials at the
  step's start (first order in dt, decision 0015), as NEST does with ``use_wfr=False``. So the
  difference to NEST's run is snn's splitting error, not NEST's tolerance: the potentials more
  than 2 ms from a spike are within 0.15 mV of NEST's (median over the run 0.004 mV), and halve
  with dt.
* **Spike stamps.** NEST emits at the end of the step over which V_m fell while above 0 mV;
  this model spikes at the end of the first step where V_m is above 0 mV and falling
  (``I_m < 0``): the same step or the one before.
* **Voltmeter.** NEST hands over the samples of a run's last millisecond only in a further
  run: its trace ends at 350 ms, snn's at 351 ms.

Run:  uv run python examples/ports/gap_junctions_two_neurons.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS, pA, pF
from snn.equations import neuron_model
from snn.synapses import AllToAll, GapJunction

#: ``hh_psc_alpha_gap``'s gates, currents and parameters (NEST 3.10,
#: ``models/hh_psc_alpha_gap.h``), without its synaptic currents: ``I_m`` is the membrane's own
#: current plus ``I_SYN``, which a model made from this text defines
HH_GAP_EQUATIONS = """
    dv/dt = I_m / C_m : volt
    dm/dt = alpha_m * (1 - m) - beta_m * m : 1
    dh/dt = alpha_h * (1 - h) - beta_h * h : 1
    dp/dt = alpha_p * (1 - p) - beta_p * p : 1
    dn/dt = alpha_n * (1 - n) - beta_n * n : 1
    u = v / mV : 1
    alpha_m = 540 / exprel((75.5 - u) / 13.5) / ms : hertz
    beta_m = 1.2262 * exp(-u / 42.248) / ms : hertz
    alpha_h = 0.0035 * exp(-u / 24.186) / ms : hertz
    beta_h = 0.0884 / exprel(-(u + 51.25) / 5.2) / ms : hertz
    alpha_p = 11.8 / exprel((95 - u) / 11.8) / ms : hertz
    beta_p = 0.025 * exp(-u / 22.222) / ms : hertz
    alpha_n = 0.0322 / exprel(-(u + 44) / 2.3) / ms : hertz
    beta_n = 0.0043 * exp(-(u + 44) / 34) / ms : hertz
    I_Na = g_Na * m**3 * h * (v - E_Na) : amp
    I_K = (g_Kv1 * n**4 + g_Kv3 * p**2) * (v - E_K) : amp
    I_m = I_e + I_SYN + I_gap - I_Na - I_K - g_L * (v - E_L) : amp
    I_gap : amp
    g_Na : siemens
    g_Kv1 : siemens
    g_Kv3 : siemens
    g_L : siemens
    C_m : farad
    E_Na : volt
    E_K : volt
    E_L : volt
    I_e : amp
"""
#: how ``hh_psc_alpha_gap`` spikes, is refractory and is integrated (NEST: RKF45, 1e-6)
HH_GAP_OPTIONS = dict(
    threshold="v > 0 * volt and I_m < 0 * amp",
    refractory="v > 0 * volt",
    currents=["I_gap"],
    method="rkf45",
    tolerance=1e-6,
)

#: the two neurons of the example receive no synaptic input
HH_PSC_ALPHA_GAP = neuron_model(
    "HHPscAlphaGap", HH_GAP_EQUATIONS.replace("I_SYN + ", ""), **HH_GAP_OPTIONS
)

#: NEST 3.10's defaults of ``hh_psc_alpha_gap`` (``models/hh_psc_alpha_gap.cpp``)
PARAMETERS = dict(
    g_Na=4500 * nS,
    g_Kv1=9 * nS,
    g_Kv3=9000 * nS,
    g_L=10 * nS,
    C_m=40 * pF,
    E_Na=74 * mV,
    E_K=-90 * mV,
    E_L=-70 * mV,
)
#: NEST's initial V_m and gates (``nest.GetDefaults("hh_psc_alpha_gap")``: each gate at its
#: equilibrium at this potential; the rates above give the same values to 2e-16)
V_REST = -69.60401191631222 * mV
GATES = dict(m=0.019198766985083732, h=0.868462041294399, p=0.0002511318227150632,
             n=0.0005741576228359767)  # fmt: skip
#: the example's resolution, run time and voltmeter interval [s]
DT, DURATION, INTERVAL = 0.05 * ms, 351 * ms, 0.1 * ms


def figures(v_mV: np.ndarray, spikes_ms: np.ndarray, senders: np.ndarray) -> dict:
    """Reduce a run to the compared figures: V_m of both neurons [mV] at every tenth voltmeter
    sample (t = 0.1, 1.1, 2.1, ... ms) and each neuron's spike times [ms].

    ``v_mV`` has one row per voltmeter sample (the first at 0.1 ms) and one column per neuron;
    ``senders`` are 0 and 1.
    """
    v_mV, spikes_ms, senders = np.asarray(v_mV), np.asarray(spikes_ms), np.asarray(senders)
    return {
        "v0_mV": v_mV[::10, 0].tolist(),
        "v1_mV": v_mV[::10, 1].tolist(),
        "spikes0_ms": spikes_ms[senders == 0].tolist(),
        "spikes1_ms": spikes_ms[senders == 1].tolist(),
    }


def simulate(dt: float = DT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the example at step ``dt`` [s]; return V_m [mV] every 0.1 ms (rows: samples from
    0.1 ms on; columns: the two neurons), the spike times [ms] and their senders (0, 1)."""
    net = Network(dt=dt)
    model = HH_PSC_ALPHA_GAP(**PARAMETERS, I_e=100 * pA)
    pair = net.add_population(model, 2, init={"v": np.array([-10 * mV, V_REST]), **GATES})
    net.connect(pair, pair, rule=AllToAll(autapses=False), weight=0.5 * nS, synapse=GapJunction())
    voltage = net.record_state(pair, "v", interval=INTERVAL)
    spikes = net.record_spikes(pair)
    net.run(DURATION)
    return voltage.record().values["v"] / mV, spikes.times / ms, spikes.indices


def run() -> dict:
    """The example as published: :func:`figures` of a run at 0.05 ms."""
    return figures(*simulate())


if __name__ == "__main__":
    out = run()
    for k in range(2):
        print(f"neuron {k}: spikes at {np.round(out[f'spikes{k}_ms'], 2).tolist()} ms")
    gap = np.abs(np.subtract(out["v0_mV"], out["v1_mV"]))
    print(f"|V0 - V1|: {gap[0]:.2f} mV at 0.1 ms, {gap[-20:].max():.3f} mV over the last 20 ms")
