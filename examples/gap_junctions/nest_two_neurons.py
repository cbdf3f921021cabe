"""NEST's ``gap_junctions_two_neurons`` example, run and stored (needs NEST: the peers group).

Two ``hh_psc_alpha_gap`` neurons, 100 pA each, one started at -10 mV, coupled both ways by a
``gap_junction`` of 0.5 nS, resolution 0.05 ms, 351 ms (the example's settings; NEST's default
waveform relaxation). Writes ``nest_two_neurons.npz``: the membrane potentials [mV] every 0.1 ms
(the example's voltmeter) and the spike times [ms] of both neurons, with NEST's version.

    uv run --group peers python examples/gap_junctions/nest_two_neurons.py
"""

from pathlib import Path

import nest
import numpy as np


def main() -> None:
    nest.ResetKernel()
    nest.resolution = 0.05
    neurons = nest.Create("hh_psc_alpha_gap", 2)
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    spikes = nest.Create("spike_recorder")
    neurons.I_e = 100.0
    neurons[0].V_m = -10.0
    nest.Connect(vm, neurons, "all_to_all")
    nest.Connect(neurons, spikes)
    nest.Connect(
        neurons,
        neurons,
        {"rule": "all_to_all", "allow_autapses": False},
        {"synapse_model": "gap_junction", "weight": 0.5},
    )
    nest.Simulate(351.0)
    ev = vm.events
    first = neurons[0].global_id
    times = np.unique(ev["times"])
    v = np.stack([ev["V_m"][ev["senders"] == first + k] for k in range(2)], axis=1)
    sp = spikes.events
    out = Path(__file__).with_name("nest_two_neurons.npz")
    np.savez(
        out,
        times_ms=times,
        v_mv=v,
        spike_times_ms=sp["times"],
        spike_senders=sp["senders"] - first,
        nest_version=nest.__version__,
    )
    print(f"wrote {out}: {sp['times'].size} spikes")


if __name__ == "__main__":
    main()
