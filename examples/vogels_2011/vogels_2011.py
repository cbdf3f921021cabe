"""Inhibitory plasticity switched on in a running network (Vogels et al. 2011, Fig. 4).

The recurrent network of Vogels, Sprekeler, Zenke, Clopath & Gerstner (2011, Science
334:1569), as Zenke's Brian implementation of their Fig. 4 builds it: conductance-based LIF
neurons (C = 200 pF, g_L = 10 nS, E_L = -60 mV, threshold -50 mV, reset -60 mV, 5 ms refractory,
E_ex = 0, E_in = -80 mV, tau_ampa = 5 ms, tau_gaba = 10 ms, 200 pA background current), here
2000 excitatory and 500 inhibitory neurons with the paper's in-degrees (2 % of 8000 E and 2000 I:
160 E and 40 I inputs per neuron), g_EE = g_EI = 0.3 nS, g_II = 3 nS, and I->E synapses that
start at (almost) zero and follow inhibitory STDP (:class:`snn.plasticity.InhibitorySTDP`, target
rate rho_0 = 3 Hz).

One network, one run after another: the first second without plasticity
(``proj.set(learning=False)``), where excitation is unopposed and the network fires at about
160 Hz, regularly and in synchrony; then ``proj.set(learning=True)``, and the inhibitory weights
grow until the excitatory neurons fire near rho_0, asynchronously and irregularly. The learning
rate is 0.1 nS, ten times that of Zenke's implementation (0.01 nS), so that the rate settles
within seconds (with 0.01 nS it takes about a minute, see the docs).

Run:  uv run python examples/vogels_2011/vogels_2011.py   (about 10 s; writes vogels_2011.png)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from snn.core import Network, Projection, SpikeMonitor
from snn.core.random import Uniform
from snn.core.units import ms, mV, nS, pA, pF
from snn.neurons import LIFCondExp
from snn.plasticity import InhibitorySTDP
from snn.synapses import FixedIndegree

N_E, N_I = 2000, 500
RHO_0 = 3.0  # target rate of the rule [Hz]
SWITCH_ON = 1.0  # time at which learning starts [s]
BIN = 0.25  # bins of the population rate [s]


@dataclass(frozen=True)
class Result:
    """What the demo measured (rates in Hz, times in s)."""

    bins: np.ndarray  # start of each bin of the rate
    rate_e: np.ndarray  # E population rate per bin
    rate_before: float  # E rate in the half second before learning starts
    rate_after: float  # E rate over the last 5 s
    cv_before: float  # mean CV of the E neurons' inter-spike intervals, same windows
    cv_after: float
    time_to_target: float  # from switching on to the first bin with a rate below 2 rho_0
    weight_times: np.ndarray
    mean_weight: np.ndarray  # mean I->E weight [S]
    spikes: SpikeMonitor


def build(
    eta: float = 0.1 * nS, *, w_ie: float = 1e-4 * nS, seed: int = 1
) -> tuple[Network, Projection, SpikeMonitor]:
    """The network with plastic I->E synapses (initial weight ``w_ie``), learning off.

    Returns the network, the plastic projection and the E neurons' spike monitor.
    """
    net = Network(dt=0.1 * ms, seed=seed)
    neuron = LIFCondExp(
        c_m=200 * pF,
        g_l=10 * nS,
        e_l=-60 * mV,
        v_th=-50 * mV,
        v_reset=-60 * mV,
        t_ref=5 * ms,
        e_ex=0.0,
        e_in=-80 * mV,
        tau_syn_ex=5 * ms,
        tau_syn_in=10 * ms,
        i_e=200 * pA,
    )
    init = {"v": Uniform(low=-60 * mV, high=-50 * mV)}
    e = net.add_population(neuron, N_E, name="E", init=init)
    i = net.add_population(neuron, N_I, name="I", init=init)
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=160), weight=0.3 * nS, receptor="exc")
    net.connect(i, i, rule=FixedIndegree(indegree=40), weight=3 * nS, receptor="inh")
    rule = InhibitorySTDP(tau=20 * ms, eta=eta, rho_0=RHO_0, w_max=100 * nS)
    plastic = net.connect(
        i, e, rule=FixedIndegree(indegree=40), weight=w_ie, receptor="inh", synapse=rule
    )
    plastic.set(learning=False)
    return net, plastic, net.record_spikes(e)


def mean_cv(spikes: SpikeMonitor, start: float, stop: float) -> float:
    """Mean CV of the inter-spike intervals in ``[start, stop)`` (neurons with >= 3 spikes)."""
    keep = (spikes.times >= start) & (spikes.times < stop)
    times, ids = spikes.times[keep], spikes.indices[keep]
    order = np.lexsort((times, ids))
    times, ids = times[order], ids[order]
    isi = np.diff(times)
    same = ids[1:] == ids[:-1]
    cvs = []
    for n in np.unique(ids):
        d = isi[same & (ids[1:] == n)]
        if d.size >= 2:
            cvs.append(d.std() / d.mean())
    return float(np.mean(cvs)) if cvs else float("nan")


def simulate(duration: float = 10.0, eta: float = 0.1 * nS, seed: int = 1) -> Result:
    """Run the first second with learning off, switch it on, run to ``duration``."""
    net, plastic, spikes = build(eta, seed=seed)
    weights: list[tuple[float, float]] = [(0.0, float(plastic.get("weight").mean()))]
    net.every(0.1, lambda n: weights.append((n.t, float(plastic.get("weight").mean()))))
    net.run(SWITCH_ON)
    plastic.set(learning=True)
    net.run(duration - SWITCH_ON)
    n_bins = round(duration / BIN)
    counts = np.bincount((spikes.times / BIN).astype(np.int64), minlength=n_bins)[:n_bins]
    rate = counts / (N_E * BIN)
    bins = np.arange(n_bins) * BIN
    low = np.flatnonzero((bins >= SWITCH_ON) & (rate < 2 * RHO_0))
    window = (SWITCH_ON - 0.5, SWITCH_ON)
    late = (duration - 5.0, duration)
    w = np.array(weights)
    return Result(
        bins=bins,
        rate_e=rate,
        rate_before=float(np.mean(rate[(bins >= window[0]) & (bins < window[1])])),
        rate_after=float(np.mean(rate[bins >= late[0]])),
        cv_before=mean_cv(spikes, *window),
        cv_after=mean_cv(spikes, *late),
        time_to_target=float(bins[low[0]] - SWITCH_ON) if low.size else float("inf"),
        weight_times=w[:, 0],
        mean_weight=w[:, 1],
        spikes=spikes,
    )


def plot(result: Result, path: str | Path) -> None:
    """Rate and mean inhibitory weight over time, and rasters before and after."""
    from matplotlib.figure import Figure

    from snn.viz import raster

    fig = Figure(figsize=(10, 6.5), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=[1.2, 1])
    ax = fig.add_subplot(grid[0, :])
    edges = np.append(result.bins, result.bins[-1] + BIN)
    ax.stairs(result.rate_e, edges, color="C0", label="E rate")
    ax.axhline(RHO_0, color="k", ls="--", lw=1, label=r"target $\rho_0$ = 3 Hz")
    ax.axvline(SWITCH_ON, color="C3", lw=1, label="learning on")
    ax.set(yscale="log", xlabel="time [s]", ylabel="E rate [Hz]")
    ax.set_title(
        f"inhibitory plasticity switched on at {SWITCH_ON:g} s: E rate "
        f"{result.rate_before:.0f} Hz -> {result.rate_after:.1f} Hz"
    )
    ax.legend(loc="upper right")
    w_ax = ax.twinx()
    w_ax.plot(result.weight_times, result.mean_weight / nS, color="C2", lw=1)
    w_ax.set_ylabel("mean I->E weight [nS]", color="C2")
    end = float(edges[-1])
    for k, (start, title) in enumerate(
        [(SWITCH_ON - 0.2, "before (learning off)"), (end - 0.2, "after")]
    ):
        raster(
            result.spikes,
            ax=fig.add_subplot(grid[1, k]),
            t_start=start,
            t_stop=start + 0.2,
            max_neurons=200,
            title=f"{title}: 200 E neurons",
        )
    fig.savefig(path, dpi=120)


def main() -> Result:
    """Run the demo, print its numbers and save the figure beside this script."""
    r = simulate()
    print(
        f"E rate before learning {r.rate_before:.1f} Hz (CV of ISI {r.cv_before:.2f}), over the "
        f"last 5 s {r.rate_after:.2f} Hz (CV {r.cv_after:.2f}); target rho_0 = {RHO_0} Hz; "
        f"below 2 rho_0 {r.time_to_target:.2f} s after learning started; mean I->E "
        f"weight {r.mean_weight[-1] / nS:.2f} nS"
    )
    plot(r, Path(__file__).resolve().parent / "vogels_2011.png")
    return r


if __name__ == "__main__":
    main()
