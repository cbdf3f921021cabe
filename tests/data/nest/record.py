"""Record the NEST 3.10 reference traces of ``tests/neurons/test_nest_references.py``.

Run in an environment with NEST (the ``peers`` group)::

    uv sync --group peers --inexact
    uv run --no-sync python tests/data/nest/record.py [NAME ...]

Each protocol below runs one NEST model (parameters in NEST's units: ms, mV, pA, nS, pF) with a
constant current and excitatory and inhibitory input spikes from ``spike_generator`` (delay one
step), records ``V_m`` every step and the spikes, and writes ``<name>.npz`` beside this file:
``protocol`` (the JSON of the model, its parameters, the inputs and the duration), ``v`` (V_m
[mV] every ``SAMPLE`` steps, from the end of the first step on), ``spikes`` (spike times [ms]),
``init`` (the JSON of the model's initial state as NEST reports it) and the NEST version. The
``*_stats`` protocols run ``N_STATS`` unconnected neurons and store the spike count of each
(``counts``) instead of traces: the GIF models' escape noise makes single trains differ.
The ``tsodyks2`` protocol records the synaptic current ``I_syn_ex`` of an ``iaf_psc_exp`` behind
a ``tsodyks2_synapse`` fed by an irregular train through a ``parrot_neuron``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
DT = 0.1  # ms
#: V_m is stored every SAMPLE steps (1 ms): a few kB per protocol
SAMPLE = 10
N_STATS = 400


def _train(seed: int, rate_hz: float, t_end: float) -> list[float]:
    """Poisson spike times [ms] on the grid, from 1 ms to t_end - 1 ms, at most one per step."""
    rng = np.random.default_rng(seed)
    steps = np.flatnonzero(rng.random(round(t_end / DT)) < rate_hz * DT * 1e-3)
    steps = steps[(steps >= 10) & (steps < round(t_end / DT) - 10)]
    return [round(float(s) * DT, 1) for s in steps]


#: q_stc in pA: NEST documents nA but adds the values unconverted to currents in pA
_GIF_KERNELS = {"tau_stc": [10.0, 50.0], "q_stc": [30.0, -2.0], "tau_sfa": [100.0],
                "q_sfa": [5.0]}  # fmt: skip

#: name -> (NEST model, parameters, inputs [(weight, seed, rate Hz)], duration [ms])
PROTOCOLS: dict[str, tuple[str, dict, list[tuple[float, int, float]], float]] = {
    "aeif_cond_alpha": ("aeif_cond_alpha", {"I_e": 800.0}, [(5.0, 1, 800.0), (-5.0, 2, 300.0)],
                        500.0),
    "aeif_cond_alpha_tref": ("aeif_cond_alpha", {"I_e": 1000.0, "t_ref": 1.0, "a": 2.0},
                             [(5.0, 3, 800.0), (-5.0, 4, 300.0)], 300.0),
    "hh_psc_alpha": ("hh_psc_alpha", {"I_e": 500.0}, [(150.0, 5, 800.0), (-100.0, 6, 300.0)],
                     300.0),
    "hh_cond_exp_traub": ("hh_cond_exp_traub", {"I_e": 200.0},
                          [(5.0, 7, 800.0), (-10.0, 8, 300.0)], 300.0),
    "iaf_cond_exp_sfa_rr": ("iaf_cond_exp_sfa_rr", {"I_e": 450.0},
                            [(10.0, 9, 800.0), (-10.0, 10, 300.0)], 500.0),
    # Delta_V = 1e-4 mV with lambda_0 = 1000/s: the escape rate switches from ~0 to ~1 within
    # about 1e-3 mV of V_T, so the spikes are those of a hard threshold (see the test)
    "gif_psc_exp": ("gif_psc_exp", {"I_e": 160.0, "Delta_V": 1e-4, "lambda_0": 1000.0,
                                    **_GIF_KERNELS}, [(50.0, 11, 800.0), (-50.0, 12, 300.0)],
                    500.0),
    "gif_cond_exp": ("gif_cond_exp", {"I_e": 160.0, "Delta_V": 1e-4, "lambda_0": 1000.0,
                                      **_GIF_KERNELS}, [(2.0, 13, 800.0), (-2.0, 14, 300.0)],
                     500.0),
    "gif_psc_exp_stats": ("gif_psc_exp", {"I_e": 160.0, **_GIF_KERNELS}, [], 2000.0),
    "gif_cond_exp_stats": ("gif_cond_exp", {"I_e": 160.0, **_GIF_KERNELS}, [], 2000.0),
}  # fmt: skip


def _record(name: str) -> dict:
    import nest

    model, params, inputs, t_end = PROTOCOLS[name]
    nest.ResetKernel()
    nest.resolution = DT
    nest.rng_seed = 1
    stats = name.endswith("_stats")
    neuron = nest.Create(model, N_STATS if stats else 1, params=params)
    init = {k: v for k, v in neuron[0].get().items() if isinstance(v, float)}
    trains = []
    for weight, seed, rate in inputs:
        times = _train(seed, rate, t_end)
        trains.append({"weight": weight, "times": times})
        gen = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(gen, neuron, syn_spec={"weight": weight, "delay": DT})
    rec = nest.Create("spike_recorder")
    nest.Connect(neuron, rec)
    out: dict = {}
    if not stats:
        mm = nest.Create("multimeter", params={"interval": DT, "record_from": ["V_m"]})
        nest.Connect(mm, neuron)
    nest.Simulate(t_end)
    ev = rec.get("events")
    if stats:
        out["counts"] = np.bincount(
            np.asarray(ev["senders"]) - neuron[0].global_id, minlength=N_STATS
        )
    else:
        mev = mm.get("events")
        order = np.argsort(mev["times"])
        out["v"] = np.asarray(mev["V_m"])[order][SAMPLE - 1 :: SAMPLE]
        out["spikes"] = np.asarray(ev["times"], dtype=np.float64)
    protocol = {"model": model, "params": params, "inputs": trains, "t_end": t_end, "dt": DT,
                "sample": SAMPLE, "n": N_STATS if stats else 1}  # fmt: skip
    return {**out, "protocol": json.dumps(protocol), "init": json.dumps(init)}


def _record_tsodyks2() -> dict:
    """Synaptic current of iaf_psc_exp behind tsodyks2_synapse on an irregular train."""
    import nest

    nest.ResetKernel()
    nest.resolution = DT
    # the case (five spikes at 100 Hz, one 300 ms later), then a random train
    times = [10.0, 20.0, 30.0, 40.0, 50.0, 350.0, *[t + 400.0 for t in _train(15, 40.0, 600.0)]]
    syn = {"U": 0.4, "u": 0.4, "x": 1.0, "tau_rec": 400.0, "tau_fac": 60.0}
    gen = nest.Create("spike_generator", params={"spike_times": times})
    parrot = nest.Create("parrot_neuron")
    post = nest.Create("iaf_psc_exp", params={"V_th": 1e6, "tau_syn_ex": 2.0})
    nest.Connect(gen, parrot, syn_spec={"delay": DT})
    nest.Connect(parrot, post, syn_spec={"synapse_model": "tsodyks2_synapse", "weight": 250.0,
                                         "delay": DT, **syn})  # fmt: skip
    mm = nest.Create("multimeter", params={"interval": DT, "record_from": ["I_syn_ex"]})
    nest.Connect(mm, post)
    nest.Simulate(1000.0)
    mev = mm.get("events")
    order = np.argsort(mev["times"])
    i_syn = np.asarray(mev["I_syn_ex"])[order]
    protocol = {"times": times, "synapse": syn, "weight": 250.0, "tau_syn_ex": 2.0, "dt": DT,
                "t_end": 1000.0}  # fmt: skip
    # the jumps of I_syn_ex at each arrival (the current is exponential in between)
    jumps = i_syn[1:] - i_syn[:-1] * np.exp(-DT / 2.0)
    arrivals = [round((t + 2 * DT) / DT) - 2 for t in times]  # parrot + synapse: two delays
    return {"protocol": json.dumps(protocol), "jumps": jumps[arrivals], "init": "{}"}


def main(names: list[str]) -> None:
    import nest

    for name in names or [*PROTOCOLS, "tsodyks2"]:
        data = _record_tsodyks2() if name == "tsodyks2" else _record(name)
        np.savez_compressed(HERE / f"{name}.npz", nest_version=nest.__version__, **data)
        print(f"{name}: written")


if __name__ == "__main__":
    main(sys.argv[1:])
