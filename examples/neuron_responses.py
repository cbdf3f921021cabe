"""Every neuron model's response to a current step, in one figure.

Each model (with its defaults, the Izhikevich presets side by side) gets a step of current from
20 % of the run on, strong enough to make it fire; the membrane potentials are plotted into
``neuron_responses.png`` in the folder given on the command line::

    python examples/neuron_responses.py OUTDIR [--duration SECONDS]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from snn.core import Network
from snn.core.units import ms, mV, nA, pA
from snn.neurons import (
    AdExCondExp,
    AdExPscExp,
    HHSquid,
    HHTraubMiles,
    Izhikevich,
    LIFCondExp,
    LIFDelta,
    LIFExp,
    StepCurrent,
)

# label: (model, step amplitude [A])
MODELS = {
    "LIFDelta": (LIFDelta(), 500 * pA),
    "LIFExp": (LIFExp(), 500 * pA),
    "LIFCondExp": (LIFCondExp(), 400 * pA),
    "AdExCondExp": (AdExCondExp(), 800 * pA),
    "AdExPscExp (a = 0, b = 60 pA, V_reset = -46 mV)": (
        AdExPscExp(a=0.0, b=60 * pA, v_reset=-46 * mV),
        600 * pA,
    ),
    "HHTraubMiles": (HHTraubMiles(), 200 * pA),
    "HHSquid": (HHSquid(), 1 * nA),
    **{
        f"Izhikevich {name}": (Izhikevich.preset(name), 10 * pA)
        for name in ("RS", "IB", "CH", "FS", "LTS")
    },
}


def main() -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for neuron_responses.png")
    parser.add_argument("--duration", type=float, default=0.3, help="biological time [s]")
    args = parser.parse_args()
    # one network, one population per model: one compiled loop for all of them
    net = Network(dt=0.05 * ms)
    monitors = {}
    onset = round(0.2 * args.duration / (0.05 * ms)) * 0.05 * ms
    for label, (model, amplitude) in MODELS.items():
        pop = net.add_population(model, 1)
        net.add_drive(StepCurrent(times=[onset], amplitudes=[amplitude]), pop)
        monitors[label] = net.record_state(pop, "v")
    net.run(args.duration)

    fig, axes = plt.subplots(len(MODELS), 1, figsize=(8, 1.3 * len(MODELS)), sharex=True)
    for ax, (label, mon) in zip(axes, monitors.items(), strict=True):
        rec = mon.record()
        ax.plot(rec.times / ms, rec.values["v"][:, 0] / mV, lw=0.8)
        ax.axvline(onset / ms, color="0.7", lw=0.5)
        ax.set_ylabel("V [mV]", fontsize=7)
        ax.set_title(f"{label}: {MODELS[label][1] / pA:g} pA step", fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
    axes[-1].set_xlabel("time [ms]")
    fig.tight_layout()
    args.outdir.mkdir(parents=True, exist_ok=True)
    out = args.outdir / "neuron_responses.png"
    fig.savefig(out, dpi=100)
    plt.close(fig)
    print(f"wrote {out}")
    return out


if __name__ == "__main__":
    main()
