"""Population bursts from dynamic synapses (Brian2's
``examples/frompapers/Tsodyks_Uziel_Markram_2000.py``), ported to snn.

Tsodyks, Uziel & Markram (2000, J. Neurosci. 20:RC50), Fig. 1: 400 excitatory and 100
inhibitory leaky neurons (``dv/dt = (-v + I_syn + I_b) / tau_mem``, tau_mem = 30 ms, threshold
15 mV, reset 13.5 mV, refractory 3 and 2 ms), each with a constant drive I_b uniform within
0.5 mV of the threshold, connected with probability 0.1 in all four directions by
Tsodyks-Markram synapses (recovered x, active y, inactive 1 - x - y; facilitation u onto the
inhibitory neurons), each synapse with its own strength A, utilisation U and time constants
drawn from truncated normal distributions. Excitatory-to-excitatory synapses depress; the
network fires in population bursts, after each of which the recovered fraction x collapses and
slowly recovers. The original runs 900 ms of burn-in, then plots 4200 ms: the raster, the net
activity (spikes per neuron in 1 ms bins) and the mean x of the excitatory-to-excitatory
synapses. This port reduces them to rates, population bursts and the statistics of x
(:func:`figures`).

The neuron and synapse equations are the original's, with one change: snn's synapse equations
take per-synapse values only for the weight and for clock-driven variables, not for parameters
(docs/from-brian2-equations.md), and the original draws A, U, tau_rec and tau_facil per
synapse. So A is the weight ``w`` and U, tau_rec and tau_facil are clock-driven variables
that do not change (``d.../dt = 0``), set per synapse with ``Projection.set``. Their
derivatives then read variables, not constants, so the synapse system is integrated by
exponential Euler (x with y held over the step: an error of order dt^2 / (tau_rec tau_I), below
1e-3 of x per burst) where the original's ``method="exact"`` solves the linear system. The
distributions are drawn by numpy (truncated normals by redrawing, as the original's scipy
``truncnorm``), the connectivity by snn.

Conventions that matter (docs/from-brian2.md): at the original's dt of 1 ms, Brian2 holds a
neuron refractory one step fewer than snn, so its 3 and 2 ms are snn's 2 and 1 ms
(``BRIAN2_REFRACTORY``); the synapses have no delay in either (a spike's jump of y is in the
summed current from the next step on).

Run:  uv run python examples/ports/tsodyks_uziel_markram_2000.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV
from snn.equations import neuron_model, synapse_model
from snn.synapses import PairwiseBernoulli

DT = 1 * ms
BURN_IN = 900 * ms
DURATION = 4200 * ms
N_E, N_I = 400, 100
#: Brian2's refractory 3 ms (E) and 2 ms (I) at dt = 1 ms, counted as snn counts it
BRIAN2_REFRACTORY = {"E": 2 * ms, "I": 1 * ms}
#: a population burst: a 1 ms bin in which more than this fraction of all neurons fire
BURST_ACTIVITY = 0.05

_CURRENTS = ["I_syn_ee_synapses", "I_syn_ei_synapses", "I_syn_ie_synapses", "I_syn_ii_synapses"]

Neuron = neuron_model(
    "TUMNeuron",
    """
    tau_mem : second
    tau_refrac : second
    v_reset : volt
    v_thresh : volt
    I_syn_ee_synapses : volt
    I_syn_ei_synapses : volt
    I_syn_ie_synapses : volt
    I_syn_ii_synapses : volt
    I_b : volt
    dv/dt = -v/tau_mem + (I_syn_ee_synapses +
                          I_syn_ei_synapses +
                          I_syn_ie_synapses +
                          I_syn_ii_synapses)/tau_mem
                       + I_b/tau_mem : volt (unless refractory)
    """,
    threshold="v > v_thresh",
    reset="v = v_reset",
    refractory="tau_refrac",
    method="exact",
    currents=_CURRENTS,
)

_SYNAPSE = """
w : volt # the original's A, per synapse
tau_I : second
dU/dt = 0/second : 1 (clock-driven) # per synapse, constant
dtau_rec/dt = 0*second/second : second (clock-driven) # per synapse, constant
dx/dt =  z/tau_rec : 1 (clock-driven) # recovered
dy/dt = -y/tau_I   : 1 (clock-driven) # active
z = 1 - x - y      : 1                # inactive
I_syn_{name}_post = w*y : volt (summed)
"""
_FACILITATION = """
du/dt = -u/tau_facil : 1 (clock-driven)
dtau_facil/dt = 0*second/second : second (clock-driven) # per synapse, constant
"""


def _synapse(name: str, facilitating: bool):
    if facilitating:
        return synapse_model(
            f"TUM_{name}",
            _SYNAPSE.format(name=name) + _FACILITATION,
            on_pre="""
            u += U*(1-u)
            y += u*x # important: update y first
            x += -u*x
            """,
        )
    return synapse_model(
        f"TUM_{name}",
        _SYNAPSE.format(name=name),
        on_pre="""
        y += U*x # important: update y first
        x += -U*x
        """,
    )


#: the four projections: (source, target, A [V], U (mean, min, max), tau_rec [s], tau_facil [s])
PROJECTIONS = {
    "ee": ("E", "E", 1.8 * mV, (0.5, 0.1, 0.9), 800 * ms, None),
    "ei": ("E", "I", 7.2 * mV, (0.04, 0.001, 0.07), 100 * ms, 1000 * ms),
    "ie": ("I", "E", -5.4 * mV, (0.5, 0.1, 0.9), 800 * ms, None),
    "ii": ("I", "I", -7.2 * mV, (0.04, 0.001, 0.07), 100 * ms, 1000 * ms),
}
SYNAPSES = {name: _synapse(f"{name}_synapses", p[5] is not None) for name, p in PROJECTIONS.items()}


def truncated_normal(
    rng: np.random.Generator, mean: float, sd: float, low: float, high: float, size: int
) -> np.ndarray:
    """Normal draws redrawn until inside (low, high]: the original's truncated normal."""
    out = rng.normal(mean, sd, size)
    bad = (out <= low) | (out > high)
    while bad.any():
        out[bad] = rng.normal(mean, sd, int(bad.sum()))
        bad = (out <= low) | (out > high)
    return out


def figures(
    times_ms: np.ndarray, senders: np.ndarray, x_ee_mean: np.ndarray, start_ms: float
) -> dict:
    """Spike times [ms] and senders (0-399 E, 400-499 I) from ``start_ms`` on, and the mean x of
    the E->E synapses every ms: rates, population bursts, statistics of x."""
    duration = DURATION / ms
    times_ms, senders = np.asarray(times_ms), np.asarray(senders)
    keep = times_ms >= start_ms
    times_ms, senders = times_ms[keep], senders[keep]
    bins = np.arange(start_ms, start_ms + duration + 0.5, 1.0)
    activity = np.histogram(times_ms, bins=bins)[0] / (N_E + N_I)
    high = activity > BURST_ACTIVITY
    onsets = np.flatnonzero(high[1:] & ~high[:-1]) + 1
    x = np.asarray(x_ee_mean)
    return {
        "rate_e_Hz": float(np.sum(senders < N_E) / N_E / (duration / 1000)),
        "rate_i_Hz": float(np.sum(senders >= N_E) / N_I / (duration / 1000)),
        "n_bursts": int(onsets.size),
        "spikes_in_bursts": float(np.sum(activity[high]) / max(np.sum(activity), 1e-12)),
        "x_mean": float(x.mean()),
        "x_sd": float(x.std()),
    }


def run(seed: int = 1, refractory: dict | None = None) -> dict:
    """Simulate 900 ms of burn-in and the 4200 ms the original plots."""
    refractory = BRIAN2_REFRACTORY if refractory is None else refractory
    rng = np.random.default_rng(seed)
    net = Network(dt=DT, seed=seed)
    pops = {}
    for name, n in (("E", N_E), ("I", N_I)):
        model = Neuron(
            tau_mem=30 * ms,
            tau_refrac=refractory[name],
            v_reset=13.5 * mV,
            v_thresh=15 * mV,
            I_b=rng.uniform(15 * mV - 0.5 * mV, 15 * mV + 0.5 * mV, n),
        )
        pops[name] = net.add_population(model, n, name=name)
    projections = {}
    for name, (pre, post, a, (u_mean, u_min, u_max), tau_rec, tau_facil) in PROJECTIONS.items():
        model = SYNAPSES[name](tau_I=3 * ms)
        proj = net.connect(
            pops[pre], pops[post], rule=PairwiseBernoulli(p=0.1), weight=a, synapse=model
        )
        n = proj.get("weight").size
        lo, hi = sorted((0.2 * a, 2 * a))
        values = {
            "weight": truncated_normal(rng, a, 0.5 * abs(a), lo, hi, n),
            "U": truncated_normal(rng, u_mean, 0.5 * u_mean, u_min, u_max, n),
            "tau_rec": truncated_normal(rng, tau_rec, 0.5 * tau_rec, 5 * ms, np.inf, n),
            "x": np.ones(n),  # start fully recovered
        }
        if tau_facil is not None:
            values["tau_facil"] = truncated_normal(
                rng, tau_facil, 0.5 * tau_facil, 5 * ms, np.inf, n
            )
        proj.set(**values)
        projections[name] = proj
    net.run(BURN_IN)
    x_ee = []
    net.every(1 * ms, lambda _: x_ee.append(projections["ee"].get("x").mean()))
    spikes_e, spikes_i = net.record_spikes(pops["E"]), net.record_spikes(pops["I"])
    net.run(DURATION)
    times = np.concatenate([spikes_e.times, spikes_i.times]) / ms
    senders = np.concatenate([spikes_e.indices, spikes_i.indices + N_E])
    # snn stamps a spike at the end of its step: the first recorded step ends at 901 ms
    return figures(times, senders, np.array(x_ee), (BURN_IN + DT) / ms)


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")
