"""Equation models work with everything the engine offers, as built-in models do.

* sympy is imported only by the analysis: not by ``import snn.core`` or ``snn.neurons``, and not
  by a second process that defines an already analysed model (the analysis comes from the disk
  cache, the machine code from numba's);
* the same spikes and state on 1, 2 and 3 threads, and (MPI tests) on 1 and 2 ranks, for a
  network with noise (the keyed normal draw), delays and Poisson drive;
* a checkpoint taken mid-run resumes to exactly the state of an uninterrupted run, and the
  loaded network holds the same model class and parameters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.random import Normal
from snn.core.units import Hz, ms, mV
from snn.equations import neuron_model
from snn.neurons import PoissonInput
from snn.synapses import FixedIndegree

NOISY_LIF = """
dv/dt = (E_L - v) / tau + sigma * sqrt(2 / tau) * xi : volt (unless refractory)
E_L : volt
tau : second
sigma : volt
V_th : volt (shared)
V_reset : volt (shared)
"""

Noisy = neuron_model(
    "Noisy",
    NOISY_LIF,
    threshold="v > V_th",
    reset="v = V_reset",
    refractory=2 * ms,
    on_spike={"syn": "v += w * int(not_refractory)"},
    initial={"v": "E_L"},
)


def network(threads: int = 1, parallel: bool | None = None) -> tuple[Network, list]:
    net = Network(dt=0.1 * ms, seed=11, threads=threads, parallel=parallel)
    model = Noisy(E_L=0 * mV, tau=20 * ms, sigma=2 * mV, V_th=20 * mV, V_reset=10 * mV)
    e = net.add_population(model, 803, name="E", init={"v": Normal(mean=5 * mV, std=4 * mV)})
    i = net.add_population(model, 197, name="I")
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=80), weight=0.1 * mV, delay=1.5 * ms)
        net.connect(i, post, rule=FixedIndegree(indegree=20), weight=-0.5 * mV, delay=1.5 * ms)
        net.add_drive(PoissonInput(rate=18000 * Hz, weight=0.1 * mV), post)
    return net, [net.record_spikes(p) for p in (e, i)]


def test_importing_snn_does_not_import_sympy():
    code = "import sys, snn.core, snn.neurons, snn.equations; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow  # two fresh processes, one compiling from an empty cache: 10 s here
def test_second_process_uses_the_caches(tmp_path):
    script = tmp_path / "model.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import json, sys
            from snn.core import Network
            from snn.core.units import ms, mV
            from snn.equations import neuron_model
            M = neuron_model("M", {NOISY_LIF!r}, threshold="v > V_th",
                             reset="v = V_reset", refractory=2 * ms)
            net = Network(dt=0.1 * ms, seed=1)
            pop = net.add_population(
                M(E_L=0.0, tau=20 * ms, sigma=2 * mV, V_th=20 * mV, V_reset=10 * mV), 10)
            net.run(0.01)
            print(json.dumps({{"cached": M.info.from_cache, "sympy": "sympy" in sys.modules,
                              "compile_s": net.timings["compile_s"],
                              "v": pop.get("v").tolist()}}))
            """
        )
    )
    env = {**os.environ, "SNN_CACHE_DIR": str(tmp_path / "cache")}
    runs = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600
        )
        assert out.returncode == 0, out.stderr[-3000:]
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first, second = runs
    assert not first["cached"] and first["sympy"]
    assert second["cached"] and not second["sympy"]
    assert second["v"] == first["v"]
    # loading machine code from numba's cache is not compiling (the first call of any jitted
    # function still costs numba's start-up, counted as compile time: about 0.4 s here)
    assert second["compile_s"] < 0.5 * first["compile_s"]


@pytest.mark.parametrize(("threads", "parallel"), [(2, True), (3, True)])
def test_threads_bit_identical(threads, parallel):
    ref, ref_mons = network()
    net, mons = network(threads, parallel)
    ref.run(0.2)
    net.run(0.1)
    net.run(0.1)
    assert net.parallel
    for a, b in zip(ref_mons, mons, strict=True):
        assert a.n_spikes > 200
        assert np.array_equal(a.steps, b.steps) and np.array_equal(a.senders, b.senders)
    for pa, pb in zip(ref.populations, net.populations, strict=True):
        for name in pa.state:
            assert np.array_equal(pa.state[name], pb.state[name])


def test_checkpoint_resumes_exactly(tmp_path):
    from snn.io import load, save

    ref, ref_mons = network()
    ref.run(0.2)
    net, mons = network()
    net.run(0.1)
    path = save(net, tmp_path / "eq.h5")
    # a model made from equations is the user's class: the loader takes it only when passed in
    loaded = load(path, models=[Noisy])
    assert type(loaded.populations[0].model) is Noisy
    assert loaded.populations[0].model == net.populations[0].model
    mons2 = [loaded.record_spikes(p) for p in loaded.populations]
    loaded.run(0.1)
    for a, first, second in zip(ref_mons, mons, mons2, strict=True):
        steps = np.concatenate([first.steps, second.steps])
        senders = np.concatenate([first.senders, second.senders])
        assert np.array_equal(a.steps, steps) and np.array_equal(a.senders, senders)
    for pa, pb in zip(ref.populations, loaded.populations, strict=True):
        for name in pa.state:
            assert np.array_equal(pa.state[name], pb.state[name])


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations: 15 s here
def test_identical_on_1_and_2_ranks(run_on_ranks):
    code = """
    import numpy as np
    from test_engine import network
    net, mons = network()
    net.run(0.1)
    recs = [m.gather() for m in mons]
    if net.rank == 0:
        np.savez(OUT, times=np.concatenate([r.times for r in recs]),
                 senders=np.concatenate([r.senders for r in recs]))
    """
    outs = [run_on_ranks(code, Path(__file__).parent, ranks) for ranks in (1, 2)]
    assert outs[0]["times"].size > 100
    for key in ("times", "senders"):
        assert np.array_equal(outs[0][key], outs[1][key]), key


def test_population_set_changes_parameters_like_a_built_in_models():
    # exact LIF without input relaxes to E_L: after set, v follows the new values (closed form)
    lif = neuron_model(
        "Relax", "dv/dt = (E_L - v) / tau : volt\nE_L : volt\ntau : second", initial={"v": "E_L"}
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(lif(E_L=-70 * mV, tau=10 * ms), 4)
    net.run(0.01)
    assert np.allclose(pop.get("v"), -70 * mV)
    pop.set(E_L=-60 * mV)
    pop[2:].set(tau=np.array([5.0, 20.0]) * ms)  # per-neuron values on a view
    assert np.isclose(pop.model.E_L, -60 * mV)
    assert np.allclose(pop.get("tau"), np.array([10, 10, 5, 20]) * ms)
    net.run(0.02)
    tau = np.array([10.0, 10.0, 5.0, 20.0]) * ms
    expected = -60 * mV - 10 * mV * np.exp(-0.02 / tau)
    np.testing.assert_allclose(pop.get("v"), expected, rtol=1e-12)
    with pytest.raises(ConfigurationError, match="`tau` must be a number, got nan"):
        pop.set(tau=float("nan"))  # the model's own checks run
