"""Brian2's example models in snn (from their equations) and in Brian2, side by side.

Run ``uv sync --group peers --inexact`` once, then::

    uv run python examples/brian2_equations/compare.py [--seeds 8] [--no-brian2]

It runs, for several seeds, the snn versions of :mod:`models` and the same models in Brian2
2.9 (COBA and CUBA through ``snn.bench.peers``, C++ standalone; the synfire chain and the AdEx
neuron as Brian2's example scripts build them, numpy target), writes every figure to
``results.json`` beside this file and draws ``comparison.png``. The tests read the Brian2 part
of ``results.json``, so they run without Brian2. With ``--no-brian2`` only the snn side is
recomputed (the stored Brian2 figures are kept).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import models  # noqa: E402

RESULTS = HERE / "results.json"
FIGURE = HERE / "comparison.png"
DURATION = 1.0  # COBA and CUBA [s]


def snn_side(seeds: list[int]) -> dict[str, Any]:
    from snn.bench import run_model

    out: dict[str, Any] = {"coba": [], "cuba": [], "synfire": [], "adex": {}}
    for name in ("coba", "cuba"):
        for seed in seeds:
            record, _ = run_model(name, duration=DURATION, seed=seed, equations=True)
            assert record is not None
            out[name].append(record["rates_hz"])
    for seed in seeds:
        times, ids = models.synfire(seed)
        out["synfire"].append(models.synfire_statistics(times, ids, snn=True))
    times, vm = models.adex()
    out["adex"] = {"spikes_ms": (times / models.ms).tolist(), "vm": vm.tolist()}
    return out


def brian2_synfire(b2: Any, seed: int) -> dict[str, list[float]]:
    """Brian2's examples/frompapers/Diesmann_et_al_1999.py (without its plot)."""
    b2.start_scope()
    b2.seed(seed)
    ns = {
        "Vr": -70 * b2.mV,
        "Vt": -55 * b2.mV,
        "taum": 10 * b2.ms,
        "taupsp": 0.325 * b2.ms,
        "weight": 4.86 * b2.mV,
        "group_size": models.GROUP_SIZE,
    }
    eqs = b2.Equations(
        """
        dV/dt = (-(V-Vr)+x)*(1./taum) : volt
        dx/dt = (-x+y)*(1./taupsp) : volt
        dy/dt = -y*(1./taupsp)+25.27*mV/ms+(39.24*mV/ms**0.5)*xi : volt
        """
    )
    group = b2.NeuronGroup(
        models.N_GROUPS * models.GROUP_SIZE,
        eqs,
        threshold="V>Vt",
        reset="V=Vr",
        refractory=1 * b2.ms,
        method="euler",
        namespace=ns,
    )
    source = b2.SpikeGeneratorGroup(
        models.N_INPUT, np.arange(models.N_INPUT), models.synfire_input(seed) * b2.second
    )
    chain = b2.Synapses(group, group, on_pre="y+=weight", namespace=ns)
    chain.connect(
        j="k for k in range((int(i/group_size)+1)*group_size, (int(i/group_size)+2)*group_size)"
        " if i<N_pre-group_size"
    )
    feed = b2.Synapses(source, group[: models.GROUP_SIZE], on_pre="y+=weight", namespace=ns)
    feed.connect()
    monitor = b2.SpikeMonitor(group)
    group.V = "Vr + rand() * (Vt - Vr)"
    net = b2.Network(group, source, chain, feed, monitor)
    net.run(100 * b2.ms, namespace=ns)
    times = np.asarray(monitor.t_[:])
    return models.synfire_statistics(times, np.asarray(monitor.i[:]), snn=False)


def brian2_adex(b2: Any) -> dict[str, Any]:
    """Brian2's examples/frompapers/Brette_Gerstner_2005.py (without its plot)."""
    b2.start_scope()
    units = {
        "C": b2.farad,
        "gL": b2.siemens,
        "EL": b2.volt,
        "VT": b2.volt,
        "DeltaT": b2.volt,
        "tauw": b2.second,
        "a": b2.siemens,
        "b": b2.amp,
        "Vr": b2.volt,
        "Vcut": b2.volt,
    }
    ns = {k: v * units[k] for k, v in models.ADEX_PARAMS.items()}
    eqs = """
    dvm/dt = (gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) + I - w)/C : volt
    dw/dt = (a*(vm - EL) - w)/tauw : amp
    I : amp
    """
    neuron = b2.NeuronGroup(
        1, eqs, threshold="vm>Vcut", reset="vm=Vr; w+=b", method="euler", namespace=ns
    )
    neuron.vm = ns["EL"]
    trace = b2.StateMonitor(neuron, "vm", record=0)
    spikes = b2.SpikeMonitor(neuron)
    net = b2.Network(neuron, trace, spikes)
    net.run(20 * b2.ms, namespace=ns)
    neuron.I = 1 * b2.nA
    net.run(100 * b2.ms, namespace=ns)
    neuron.I = 0 * b2.nA
    net.run(20 * b2.ms, namespace=ns)
    return {
        "spikes_ms": (np.asarray(spikes.t_[:]) * 1e3).tolist(),
        "vm": np.asarray(trace.vm_[0]).tolist(),
    }


def brian2_side(seeds: list[int]) -> dict[str, Any]:
    import brian2 as b2

    from snn.bench.peers import run_peer

    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = models.DT * b2.second
    out: dict[str, Any] = {"version": b2.__version__, "coba": [], "cuba": [], "synfire": []}
    for name in ("coba", "cuba"):
        for seed in seeds:
            rec = run_peer("brian2", name, scale=1.0, duration=DURATION, seed=seed, threads=1)
            out[name].append(rec["rates_hz"])
    for seed in seeds:
        out["synfire"].append(brian2_synfire(b2, seed))
    out["adex"] = brian2_adex(b2)
    return out


def plot(results: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(13, 3.2))
    for ax, name in zip(axes[:2], ("coba", "cuba"), strict=True):
        for k, side in enumerate(("brian2", "snn")):
            for j, pop in enumerate(("E", "I")):
                rates = [r[pop] for r in results[side][name]]
                ax.plot(
                    np.full(len(rates), 2 * j + k * 0.6),
                    rates,
                    "o",
                    color=f"C{k}",
                    alpha=0.6,
                    label=side if j == 0 else None,
                )
        ax.set_xticks([0.3, 2.3], ["E", "I"])
        ax.set_title(f"{name.upper()}: rates over seeds")
        ax.set_ylabel("rate [Hz]")
        ax.legend(frameon=False)
    ax = axes[2]
    for k, side in enumerate(("brian2", "snn")):
        for stats in results[side]["synfire"]:
            ax.plot(stats["time_ms"], range(models.N_GROUPS), ".-", color=f"C{k}", alpha=0.4)
        ax.plot([], [], ".-", color=f"C{k}", label=side)
    ax.set_xlabel("volley time [ms] (Brian2's conventions)")
    ax.set_ylabel("group")
    ax.set_title("synfire chain (Diesmann 1999)")
    ax.legend(frameon=False)
    ax = axes[3]
    t = np.arange(1, len(results["snn"]["adex"]["vm"]) + 1) * models.DT / models.ms
    ax.plot(t, np.asarray(results["snn"]["adex"]["vm"]) / models.mV, color="C1", label="snn")
    tb = np.arange(len(results["brian2"]["adex"]["vm"])) * models.DT / models.ms
    ax.plot(
        tb + models.DT / models.ms,
        np.asarray(results["brian2"]["adex"]["vm"]) / models.mV,
        "--",
        color="C0",
        label="Brian2",
    )
    ax.set_xlabel("time [ms]")
    ax.set_ylabel("vm [mV]")
    ax.set_title("AdEx (Brette & Gerstner 2005)")
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(FIGURE, dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=8, help="seeds 1..N (default 8)")
    parser.add_argument("--no-brian2", action="store_true", help="keep the stored Brian2 part")
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    t0 = time.perf_counter()
    results["snn"] = snn_side(seeds)
    if not args.no_brian2:
        results["brian2"] = brian2_side(seeds)
    results["seeds"] = seeds
    results["coba_cuba_duration_s"] = DURATION
    RESULTS.write_text(json.dumps(results) + "\n")
    plot(results)
    print(f"wrote {RESULTS.name} and {FIGURE.name} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
