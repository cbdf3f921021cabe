"""pyNN.snn under MPI: ``num_processes()`` and ``rank()``, and the same spikes, weights and
gathered Neo data from 1 and 2 ranks (snn deals neurons round-robin; PyNN gathers)."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mpi4py")


def _integration_mpi():
    """tests/integration/test_mpi.py: where mpiexec is and the environment Open MPI needs."""
    path = Path(__file__).resolve().parents[1] / "integration" / "test_mpi.py"
    spec = importlib.util.spec_from_file_location("snn_integration_test_mpi", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_MPI = _integration_mpi()
MPIEXEC = _MPI.MPIEXEC
pytestmark = [
    pytest.mark.mpi,
    pytest.mark.slow,
    pytest.mark.skipif(MPIEXEC is None, reason="mpiexec not found (install the mpi group)"),
]

SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import pyNN.snn as sim

    sim.setup(timestep=0.1, rng_seed=3)
    exc = sim.Population(60, sim.IF_curr_exp(tau_m=10.0), label="exc")
    inp = sim.Population(20, sim.SpikeSourcePoisson(rate=80.0), label="inp")
    sim.Projection(inp, exc, sim.FixedProbabilityConnector(0.3),
                   sim.StaticSynapse(weight=1.2, delay=1.0), receptor_type="excitatory")
    sim.Projection(exc, exc, sim.FixedNumberPreConnector(4),
                   sim.StaticSynapse(weight=-0.3, delay=0.5), receptor_type="inhibitory")
    pairs = [(i, (7 * i) % 60, 0.5 + 0.01 * i, 0.2 + 0.1 * (i % 5)) for i in range(20)]
    listed = sim.Projection(inp, exc, sim.FromListConnector(pairs), sim.StaticSynapse(),
                            receptor_type="excitatory")
    exc.record("spikes")
    exc[0:3].record("v")
    sim.run(100.0)
    block = exc.get_data()
    weights = listed.get(["weight", "delay"], format="list")
    counts = exc.get_spike_counts()
    if sim.rank() == 0:
        seg = block.segments[0]
        trains = {int(st.annotations["source_index"]): np.asarray(st.magnitude)
                  for st in seg.spiketrains}
        times = np.concatenate([trains[i] for i in sorted(trains)])
        index = np.concatenate([[i] * len(trains[i]) for i in sorted(trains)])
        signal = seg.filter(name="v")[0]
        # PyNN merges the ranks' signals rank by rank: order the channels by neuron
        v = signal.magnitude[:, np.argsort(signal.array_annotations["channel_index"])]
        np.savez(sys.argv[1], processes=sim.num_processes(), times=times, index=index,
                 v=v, w=np.array(sorted(weights)),
                 counts=np.array(sorted(counts.items())))
    sim.end()
    """
)


def run(tmp_path: Path, ranks: int) -> dict:
    return _MPI.run_script(tmp_path, SCRIPT, "net", ranks)


def test_same_results_on_1_and_2_ranks(tmp_path):
    one = run(tmp_path, 1)
    two = run(tmp_path, 2)
    assert int(one["processes"]) == 1 and int(two["processes"]) == 2
    assert one["times"].size > 100  # the network spiked
    for key in ("times", "index", "v", "w", "counts"):
        assert np.array_equal(one[key], two[key]), key
