"""NEST's ``gap_junctions_two_neurons`` example in snn, beside NEST's stored result.

NEST's ``hh_psc_alpha_gap`` (Mancilla et al. 2007: sodium, Kv1 and Kv3 potassium and leak
channels) written as equations from NEST's source (``models/hh_psc_alpha_gap.cpp``, rates in
1/ms of V in mV), integrated by Runge-Kutta-Fehlberg with GSL's step control at NEST's tolerance
(1e-6), without the alpha synapses (the example has none). Two neurons, 100 pA each, one started
at -10 mV, coupled both ways by a :class:`snn.synapses.GapJunction` of 0.5 nS, dt = 0.05 ms,
351 ms. The gates start where NEST starts them (at equilibrium at NEST's resting potential, left
there when neuron 0's potential is set).

NEST emits a spike at the end of the step over which ``V`` fell while above 0 mV (just after the
peak); this model spikes at the end of the first step where ``V`` is above 0 mV and falling
(``I_m < 0``), which is the same step or the one before. Against NEST 3.10's stored run
(``nest_two_neurons.npz``, written by ``nest_two_neurons.py``), measured here: the same six
spikes per neuron, each at NEST's time or one step (0.05 ms) earlier; membrane potentials more
than 2 ms away from NEST's spikes within 0.15 mV of NEST's (median over the whole run 0.004 mV).
NEST iterates the junction current within each step (waveform relaxation); snn holds it over the
step from both potentials at its start (decision 0015). ``tests/synapses/test_gap.py`` checks
these figures.

    uv run python examples/gap_junctions/hh_gap.py

writes ``comparison.png`` (NEST's stored traces and snn's) and prints both spike trains.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS, pA, pF
from snn.equations import neuron_model
from snn.synapses import Explicit, GapJunction

HERE = Path(__file__).resolve().parent

HH_GAP = neuron_model(
    "HH_GAP",
    """
    dv/dt = I_m / C_m : volt
    dm/dt = alpha_m * (1 - m) - beta_m * m : 1
    dh/dt = alpha_h * (1 - h) - beta_h * h : 1
    dp/dt = alpha_p * (1 - p) - beta_p * p : 1
    dn/dt = alpha_n * (1 - n) - beta_n * n : 1
    u = v / mV : 1
    alpha_m = 40 * 13.5 / exprel(-(u - 75.5) / 13.5) / ms : hertz
    beta_m = 1.2262 / exp(u / 42.248) / ms : hertz
    alpha_h = 0.0035 / exp(u / 24.186) / ms : hertz
    beta_h = 0.017 * 5.2 / exprel(-(51.25 + u) / 5.2) / ms : hertz
    alpha_p = 11.8 / exprel(-(u - 95) / 11.8) / ms : hertz
    beta_p = 0.025 / exp(u / 22.222) / ms : hertz
    alpha_n = 0.014 * 2.3 / exprel(-(u + 44) / 2.3) / ms : hertz
    beta_n = 0.0043 / exp((u + 44) / 34) / ms : hertz
    I_Na = g_Na * m**3 * h * (v - E_Na) : amp
    I_K = (g_Kv1 * n**4 + g_Kv3 * p**2) * (v - E_K) : amp
    I_L = g_L * (v - E_L) : amp
    I_m = -(I_Na + I_K + I_L) + I_e + I_gap : amp
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
    """,
    threshold="v > 0 * volt and I_m < 0 * amp",
    refractory="v > 0 * volt",
    currents=["I_gap"],
    method="rkf45",
    tolerance=1e-6,
)

#: NEST's defaults for hh_psc_alpha_gap (Parameters_::Parameters_ and State_::State_)
NEST_DEFAULTS = dict(
    g_Na=4500 * nS,
    g_Kv1=9 * nS,
    g_Kv3=9000 * nS,
    g_L=10 * nS,
    C_m=40 * pF,
    E_Na=74 * mV,
    E_K=-90 * mV,
    E_L=-70 * mV,
)
V_REST = -69.60401191631222 * mV

#: NEST's initial gating values (``hh_psc_alpha_gap``'s defaults in NEST 3.10: each gate at its
#: equilibrium at V_REST, which the rates above reproduce to 2e-16); setting V_m leaves them as
#: they are, as the example does for neuron 0.
NEST_GATES = dict(m=0.019198766985083732, h=0.868462041294399, p=0.0002511318227150632,
                  n=0.0005741576228359767)  # fmt: skip


def run_snn(weight: float = 0.5 * nS, dt: float = 0.05 * ms) -> dict[str, np.ndarray]:
    """The example in snn: potentials every 0.1 ms [V] and spikes."""
    net = Network(dt=dt)
    model = HH_GAP(**NEST_DEFAULTS, I_e=100 * pA)
    pop = net.add_population(model, 2, init={"v": np.array([-10 * mV, V_REST]), **NEST_GATES})
    net.connect(pop, pop, rule=Explicit(pre=[0, 1], post=[1, 0]), weight=weight,
                synapse=GapJunction())  # fmt: skip
    trace = net.record_state(pop, "v", interval=0.1 * ms)
    spikes = net.record_spikes(pop)
    net.run(351 * ms)
    return {"times": trace.times, "v": trace["v"], "spike_times": spikes.times,
            "spike_senders": spikes.senders - pop.first_id}  # fmt: skip


def nest_result() -> dict[str, np.ndarray]:
    """NEST's stored run (``nest_two_neurons.py``), in SI units."""
    data = np.load(HERE / "nest_two_neurons.npz")
    return {
        "times": data["times_ms"] * ms,
        "v": data["v_mv"] * mV,
        "spike_times": data["spike_times_ms"] * ms,
        "spike_senders": data["spike_senders"],
    }


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours, nest = run_snn(), nest_result()
    fig, axes = plt.subplots(2, 1, figsize=(9, 5), sharex=True)
    for ax, (name, res) in zip(axes, (("NEST 3.10", nest), ("snn", ours)), strict=True):
        ax.plot(res["times"] / ms, res["v"] / mV)
        ax.set_title(name)
        ax.set_ylabel("V [mV]")
    axes[1].set_xlabel("time [ms]")
    fig.tight_layout()
    fig.savefig(HERE / "comparison.png", dpi=72)
    for name, res in (("NEST", nest), ("snn", ours)):
        for k in range(2):
            t = res["spike_times"][res["spike_senders"] == k] / ms
            print(f"{name} neuron {k}: {np.round(t, 2).tolist()}")


if __name__ == "__main__":
    main()
