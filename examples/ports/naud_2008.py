"""Firing patterns of the adaptive exponential neuron (Brian2's
``examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py``), ported to snn.

Naud, Marcille, Clopath & Gerstner (2008, Biol. Cybern. 99:335): the adaptive exponential
integrate-and-fire model produces tonic spiking, adaptation, initial and regular bursting,
delayed accelerating and delayed bursting, transient and irregular spiking, depending on eight
parameters and the input. The original (with P. Mueller's parameter sets) simulates each of the
eight patterns for 600 ms under a constant current switched on at t = 0, from rest (vm = e_l,
w = 0), with forward Euler at 0.1 ms (``method="euler"``), threshold vm > 0 mV, reset
``vm = v_r; w += b``, and plots vm (clipped at 0 mV), w and the (vm, w) trajectory. Here the
equations are the original's, given to :func:`snn.equations.neuron_model` with the same method;
the eight patterns are eight neurons of one population (one value of each parameter per
neuron), which changes nothing: they do not interact.

Conventions that matter for the comparison (docs/from-brian2-equations.md):

* Brian2 stamps a spike at the start of the step in which vm crosses 0 mV, snn at its end: every
  spike time here is Brian2's plus one step (0.1 ms).
* The original's StateMonitor records with ``when="thresholds"``: after the step's
  integration, before the reset, so at a spike its vm lies above 0 mV (the plot clips it to
  0 mV) and its w is the value before ``w += b``. snn's ``record_state`` samples after the reset;
  :func:`run` rebuilds the plotted curves from it (0 mV and ``w - b`` at the spikes' steps),
  which is exact, so the traces compare sample by sample.

Run:  uv run python examples/ports/naud_2008.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nA, nS, pA, pF
from snn.equations import neuron_model

DT = 0.1 * ms
DURATION = 600 * ms

AdEx = neuron_model(
    "AdExNaud",
    """
    dvm/dt = (g_l*(e_l - vm) + g_l*d_t*exp((vm - v_t)/d_t) + i_stim - w)/c_m : volt
    dw/dt = (a*(vm - e_l) - w)/tau_w : amp
    c_m : farad
    g_l : siemens
    e_l : volt
    v_t : volt
    d_t : volt
    a : siemens
    tau_w : second
    b : amp
    v_r : volt
    i_stim : amp
    """,
    threshold="vm > 0*mV",
    reset="vm = v_r; w += b",
    method="euler",
    initial={"vm": "e_l", "w": 0 * nA},
)

#: the original's parameter sets: (c_m [pF], g_l [nS], e_l [mV], a [nS], tau_w [ms], b [pA],
#: v_r [mV], i_stim [pA]); v_t = -50 mV and d_t = 2 mV in all of them
TABLE = {
    "tonic spiking": (200, 10, -70, 2, 30, 0, -58, 500),
    "adaptation": (200, 12, -70, 2, 300, 60, -58, 500),
    "initial burst": (130, 18, -58, 4, 150, 120, -50, 400),
    "regular bursting": (200, 10, -58, 2, 120, 100, -46, 210),
    "delayed accelerating": (200, 12, -70, -10, 300, 0, -58, 300),
    "delayed regular bursting": (100, 10, -65, -10, 90, 30, -47, 110),
    "transient spiking": (100, 10, -65, 10, 90, 100, -47, 180),
    "irregular spiking": (100, 12, -60, -11, 130, 30, -48, 160),
}
PATTERNS = list(TABLE)


def parameters() -> dict[str, np.ndarray]:
    """The parameter sets in SI units, one array entry per pattern (in the order of PATTERNS)."""
    columns = np.array(list(TABLE.values()), dtype=float).T
    units = (pF, nS, mV, nS, ms, pA, mV, pA)
    names = ("c_m", "g_l", "e_l", "a", "tau_w", "b", "v_r", "i_stim")
    out = {name: col * unit for name, col, unit in zip(names, columns, units, strict=True)}
    out["v_t"] = np.full(len(TABLE), -50 * mV)
    out["d_t"] = np.full(len(TABLE), 2 * mV)
    return out


def run() -> dict:
    """Simulate the eight patterns for 600 ms; return each pattern's figures."""
    params = parameters()
    net = Network(dt=DT)
    neurons = net.add_population(AdEx(**params), len(TABLE))
    states = net.record_state(neurons, ["vm", "w"])
    spikes = net.record_spikes(neurons)
    net.run(DURATION)
    values = states.record().values
    vm, w = values["vm"].copy(), values["w"].copy()  # row j: after step j, i.e. t = (j + 1) dt
    # the step of each spike (stamped at its end) holds the reset state: put back what the
    # original's monitor saw before the reset (vm above 0 mV, clipped to 0 by its plot; w - b)
    steps = np.rint(spikes.times / DT).astype(int) - 1
    vm[steps, spikes.indices] = 0.0
    w[steps, spikes.indices] -= params["b"][spikes.indices]
    return {
        name: figures(
            spikes.times[spikes.indices == k] / ms,
            np.minimum(vm[:, k], 0.0) / mV,
            w[:, k] / nA,
        )
        for k, name in enumerate(PATTERNS)
    }


def figures(spikes_ms: np.ndarray, vm_mV: np.ndarray, w_nA: np.ndarray) -> dict:
    """One pattern's spike times [ms] (each simulator's own stamping), and the plotted vm
    (clipped at 0 mV) [mV] and w [nA] at t = 5, 10, ..., 600 ms (``vm_mV[j]`` is the state
    after step j, before the reset, as the original's monitor records it)."""
    every_5_ms = slice(49, None, 50)
    return {
        "spikes_ms": np.asarray(spikes_ms, dtype=float).tolist(),
        "vm_mV": np.round(np.asarray(vm_mV)[every_5_ms], 9).tolist(),
        "w_nA": np.round(np.asarray(w_nA)[every_5_ms], 12).tolist(),
    }


if __name__ == "__main__":
    for name, out in run().items():
        isi = np.diff(out["spikes_ms"])
        first = f"first at {out['spikes_ms'][0]:.1f} ms" if out["spikes_ms"] else "no spikes"
        shortest = f", intervals {isi.min():.1f}-{isi.max():.1f} ms" if isi.size else ""
        print(f"{name:25s} {len(out['spikes_ms']):3d} spikes, {first}{shortest}")
