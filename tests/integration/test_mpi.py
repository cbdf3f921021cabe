"""MPI: the same script under mpiexec gives the same spikes, final state and plastic weights for
1, 2 and 4 ranks (oversubscribed on this 2-core machine), also when values are set, the network
stored, restored and reset between runs; and a failing rank ends the whole job."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mpi4py")

MPIEXEC = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")
pytestmark = [
    pytest.mark.mpi,
    pytest.mark.skipif(MPIEXEC is None, reason="mpiexec not found (install the mpi group)"),
]

# Open MPI refuses to run as root and to start more ranks than cores unless told (documented
# environment variables of Open MPI 5 / PRRTE).
ENV = {
    **os.environ,
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    "PRTE_MCA_rmaps_default_mapping_policy": ":oversubscribe",
    "OMPI_MCA_rmaps_base_oversubscribe": "1",
    "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
}

SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    from snn.core import Network
    from snn.core.random import Normal, Uniform
    from snn.core.units import Hz, ms, mV
    from snn.neurons import LIFDelta, PoissonInput, SpikeSourceArray
    from snn.synapses import FixedIndegree, FixedOutdegree, PairwiseBernoulli

    from dataclasses import dataclass
    from typing import ClassVar
    from snn.core import SynapseModel, Trace

    def pre_rule(w, y):
        w = max(w - 0.0105 * 0.3e-3 * y, 0.0)
        return w, w

    def post_rule(w, x):
        return (min(w + 0.01 * 0.3e-3 * x, 0.3e-3),)

    def bump_x(x):
        return (x + 1.0,)

    def bump_y(y):
        return (y + 1.0,)

    @dataclass(frozen=True)
    class STDP(SynapseModel):
        tau: float = 0.02
        source_traces: ClassVar = (Trace("x", "tau"),)
        target_traces: ClassVar = (Trace("y", "tau"),)

        def on_pre_function(self):
            return pre_rule

        def on_post_function(self):
            return post_rule

        def source_spike_function(self):
            return bump_x

        def target_spike_function(self):
            return bump_y

    threads = int(sys.argv[2])
    net = Network(dt=0.1 * ms, seed=5, threads=threads, parallel=threads > 1)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 401, name="E", init={"v": Normal(mean=5 * mV, std=4 * mV)})
    i = net.add_population(model, 99, name="I")
    src = net.add_population(
        SpikeSourceArray(times=np.arange(1, 100) * 1 * ms, indices=np.arange(99) % 7), 7)
    plastic = net.connect(e, e, rule=FixedIndegree(indegree=40), weight=0.1 * mV,
                          delay=1.5 * ms, synapse=STDP())
    net.connect(e, i, rule=FixedIndegree(indegree=40), weight=0.1 * mV, delay=1.5 * ms)
    # 20 synapses per source over 4 delay values: delivered at arrival (snn.core README)
    late = net.connect(e, i, rule=FixedIndegree(indegree=80), weight=0.05 * mV,
                       delay=Uniform(low=1 * ms, high=1.3 * ms))
    assert late._arrival
    for post in (e, i):
        net.connect(i, post, rule=FixedOutdegree(outdegree=20), weight=-0.5 * mV,
                    delay=Normal(mean=2 * ms, std=0.3 * ms))
        net.connect(src, post, rule=PairwiseBernoulli(p=0.3), weight=0.3 * mV, delay=2 * ms)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), post)
    mons = [net.record_spikes(p) for p in (e, i)]
    net.run(0.1)
    net.run(0.05)
    recs = [m.gather() for m in mons]
    local = [e.local_index, e.get("v"), e.get("refr")]
    syn = [plastic.sources(), plastic.targets(), plastic.weights()]
    state = net.comm.gather_arrays(local) if net.comm.active else local
    syn = net.comm.gather_arrays(syn) if net.comm.active else syn
    if net.rank == 0:
        idx, v, refr = state
        order = np.argsort(idx)
        so = np.lexsort((syn[2], syn[1], syn[0]))
        np.savez(sys.argv[1], times=np.concatenate([r.times for r in recs]),
                 senders=np.concatenate([r.senders for r in recs]), v=v[order],
                 refr=refr[order], w=syn[2][so], pairs=np.stack([syn[0][so], syn[1][so]]))
    """
)


def run_script(tmp_path: Path, text: str, name: str, ranks: int, *args: str) -> dict:
    """Run script ``text`` on ``ranks`` ranks; what it saved to the file named by its first
    argument (the others: ``args``)."""
    script = tmp_path / f"{name}.py"
    script.write_text(text)
    out = tmp_path / "_".join([name, str(ranks), *args, ".npz"])
    cmd = [sys.executable, str(script), str(out), *args]
    if ranks > 1:
        cmd = [MPIEXEC, "-n", str(ranks), *cmd]
    res = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-4000:]
    return dict(np.load(out))


def run(tmp_path: Path, ranks: int, threads: int = 1) -> dict:
    return run_script(tmp_path, SCRIPT, "net", ranks, str(threads))


def test_identical_for_1_2_4_ranks_and_threads(tmp_path):
    one = run(tmp_path, 1)
    assert one["times"].shape[0] > 500
    assert not np.allclose(one["w"], 0.1e-3)  # the plastic synapses learned
    for ranks, threads in ((2, 1), (4, 1), (2, 2)):
        other = run(tmp_path, ranks, threads)
        for key in ("times", "senders", "v", "refr", "w", "pairs"):
            assert np.array_equal(one[key], other[key]), (ranks, threads, key)


LIVE_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    from snn.core import Network
    from snn.core.random import Normal, Uniform
    from snn.core.units import Hz, ms, mV, pA
    from snn.neurons import DCSource, LIFDelta, PoissonInput
    from snn.plasticity import PairSTDP
    from snn.synapses import FixedIndegree, Tsodyks2Synapse

    net = Network(dt=0.1 * ms, seed=9)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 120, name="E", init={"v": Normal(mean=5 * mV, std=4 * mV)})
    i = net.add_population(model, 30, name="I")
    ee = net.connect(e, e, rule=FixedIndegree(indegree=20), weight=0.1 * mV, delay=1.5 * ms,
                     synapse=PairSTDP(w_max=0.3 * mV))
    stp = net.connect(e, i, rule=FixedIndegree(indegree=20), weight=0.3 * mV, delay=1.5 * ms,
                      synapse=Tsodyks2Synapse(U=0.5, tau_rec=100 * ms))
    late = net.connect(e, i, rule=FixedIndegree(indegree=120), weight=0.05 * mV,
                       delay=Uniform(low=1 * ms, high=1.3 * ms))
    assert late._arrival
    net.connect(i, e, rule=FixedIndegree(indegree=10), weight=-0.6 * mV, delay=1.5 * ms)
    drive = net.add_drive(PoissonInput(rate=15000 * Hz, weight=0.1 * mV), e)
    net.add_drive(PoissonInput(rate=15000 * Hz, weight=0.1 * mV), i)
    dc = net.add_drive(DCSource(amplitude=50 * pA), e[[3, 60, 61, 62, 119]])
    mons = [net.record_spikes(p) for p in (e, i)]

    def spikes():
        recs = [m.gather() for m in mons]
        if net.rank == 0:
            return [np.concatenate([getattr(r, k) for r in recs]) for k in ("times", "senders")]

    out = {}
    net.run(0.02)
    net.store()
    net.run(0.03)
    out["first"] = spikes()
    # values set between runs, on every rank alike
    e[::7].set(v_th=18 * mV, tau_m=Uniform(low=15 * ms, high=25 * ms))
    drive.set(rate=18000 * Hz)
    dc.set(amplitude=120 * pA)
    stp.set(U=0.2, tau_fac=20 * ms)
    ee.set(weight=Normal(mean=0.12 * mV, std=0.02 * mV), pre=range(60))
    late.set(delay=Uniform(low=0.8 * ms, high=1.8 * ms))
    net.run(0.03)
    out["set"] = spikes()
    net.restore()
    net.run(0.03)
    out["restored"] = spikes()
    net.reset()
    net.run(0.02)
    out["reset"] = spikes()
    w = net.comm.gather_arrays([ee.sources(), ee.targets(), ee.get("weight")]) if net.comm.active \
        else [ee.sources(), ee.targets(), ee.get("weight")]
    if net.rank == 0:
        order = np.lexsort((w[1], w[0]))
        np.savez(sys.argv[1], w=w[2][order], **{f"{k}_{j}": v for k, (a, b) in out.items()
                                                for j, v in (("t", a), ("s", b))})
    """
)


def run_live(tmp_path: Path, ranks: int) -> dict:
    return run_script(tmp_path, LIVE_SCRIPT, "live", ranks)


@pytest.mark.slow  # about 15 s with a warm cache, two minutes with a cold one
def test_set_store_restore_reset_identical_for_1_and_2_ranks(tmp_path):
    one = run_live(tmp_path, 1)
    two = run_live(tmp_path, 2)
    for key in one:
        assert np.array_equal(one[key], two[key]), key
    # restore repeats the stored continuation, reset repeats the first 20 ms
    assert np.array_equal(one["restored_t"], one["first_t"])
    assert np.array_equal(one["restored_s"], one["first_s"])
    first20 = one["first_t"] <= 0.02 + 1e-12
    assert np.array_equal(np.sort(one["reset_t"]), np.sort(one["first_t"][first20]))
    # the values set changed the continuation
    assert not np.array_equal(one["set_s"][-200:], one["first_s"][-200:])


CALLBACK_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    from snn.core import Network
    from snn.core.random import Normal
    from snn.core.units import Hz, ms, mV
    from snn.neurons import LIFDelta, PoissonInput
    from snn.synapses import FixedIndegree

    net = Network(dt=0.1 * ms, seed=9)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 120, name="E", init={"v": Normal(mean=5 * mV, std=4 * mV)})
    net.connect(e, e, rule=FixedIndegree(indegree=20), weight=0.1 * mV, delay=1.5 * ms)
    net.add_drive(PoissonInput(rate=15000 * Hz, weight=0.1 * mV), e)
    mon = net.record_spikes(e)
    st = net.record_state(e, "v", neurons=[100, 3, 50])
    calls = []

    def act(n):
        calls.append(n.step)
        if n.step == 100:
            e[::7].set(v_th=18 * mV)  # one value per neuron from now: new code within the run

    net.every(10 * ms, act, at_zero=True)
    net.run(0.03)
    r = mon.gather()
    rec = st.record()
    cols = net.comm.gather_arrays([rec.neurons, rec.values["v"].T.ravel()]) if net.comm.active \
        else [rec.neurons, rec.values["v"].T.ravel()]
    if net.rank == 0:
        n, v = cols
        v = v.reshape(n.size, -1)
        np.savez(sys.argv[1], times=r.times, senders=r.senders, calls=np.array(calls),
                 v=v[np.argsort(n)])
    """
)


def test_callbacks_at_zero_and_new_code_within_a_run_identical_for_1_and_2_ranks(tmp_path):
    one, two = (run_script(tmp_path, CALLBACK_SCRIPT, "cb", ranks) for ranks in (1, 2))
    assert one["calls"].tolist() == [0, 100, 200, 300]
    assert one["times"].size > 100
    for key in one:
        assert np.array_equal(one[key], two[key]), key


def test_failing_rank_ends_the_job(tmp_path):
    script = tmp_path / "fail.py"
    script.write_text(
        textwrap.dedent(
            """
        import time
        from snn.core import Network
        net = Network()
        if net.rank == 1:
            raise RuntimeError("rank 1 fails on purpose")
        net.comm.comm.Barrier()  # rank 0 would wait here forever without the abort
        """
        )
    )
    res = subprocess.run(
        [MPIEXEC, "-n", "2", sys.executable, str(script)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0
    assert "rank 1 fails on purpose" in res.stderr


def test_snn_bench_run_mpi_reports_whole_network(tmp_path):
    import json

    single = tmp_path / "one.json"
    multi = tmp_path / "two.json"
    args = ["-m", "snn.bench", "run", "brunel", "--scale", "0.05", "--duration", "0.1"]
    subprocess.run(
        [sys.executable, *args, "--json", str(single)],
        env=ENV,
        check=True,
        capture_output=True,
        timeout=600,
    )
    res = subprocess.run(
        [MPIEXEC, "-n", "2", sys.executable, *args, "--mpi", "--json", str(multi)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    a, b = json.loads(single.read_text()), json.loads(multi.read_text())
    assert b["ranks"] == 2 and len(b["per_rank"]) == 2
    for key in ("n_spikes", "spikes_sha256", "n_synapses", "synaptic_events"):
        assert a[key] == b[key], key
    assert "rank 1" in res.stdout


SWEEP_SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    from mpi4py.futures import MPIPoolExecutor

    from snn.core import Network, grid, sweep
    from snn.core.units import Hz, ms, mV
    from snn.neurons import LIFDelta, PoissonInput
    from snn.synapses import FixedIndegree


    def build():
        net = Network(dt=0.1 * ms, seed=4)
        model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
        pop = net.add_population(model, 200)
        proj = net.connect(pop, pop, rule=FixedIndegree(indegree=20), weight=0.5 * mV,
                           delay=1.5 * ms)
        drive = net.add_drive(PoissonInput(rate=4000 * Hz, weight=0.5 * mV), pop)
        return net, proj, drive, net.record_spikes(pop)


    def run(built, w, rate):
        net, proj, drive, spikes = built
        proj.set(weight=w * mV)
        drive.set(rate=rate)
        net.run(0.05)
        return {"spikes": spikes.n_spikes, "last": float(spikes.times[-1]),
                "net_ranks": net.n_ranks}


    if __name__ == "__main__":
        points = grid(w=[-1.0, 0.2, 0.5], rate=[3000.0, 4000.0])
        with MPIPoolExecutor() as ex:
            spread = sweep(build, run, points, executor=ex)
        here = sweep(build, run, points)
        with open(sys.argv[1], "w") as fh:
            json.dump({"mpi": spread.to_dict(), "serial": here.to_dict(),
                       "workers": spread.workers}, fh)
    """
)


@pytest.mark.slow  # about 15 s with a warm cache
def test_a_sweep_over_mpi4py_futures_workers_gives_the_serial_table(tmp_path):
    """``mpiexec -n 3 python -m mpi4py.futures``: rank 0 runs the script, ranks 1-2 the points;
    each worker's network runs on its own process (n_ranks 1), and the table equals the serial
    one."""
    import json

    script = tmp_path / "sweep.py"
    script.write_text(SWEEP_SCRIPT)
    out = tmp_path / "sweep.json"
    cmd = [MPIEXEC, "-n", "3", sys.executable, "-m", "mpi4py.futures", str(script), str(out)]
    res = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    found = json.loads(out.read_text())
    assert found["workers"] == 2
    assert found["mpi"] == found["serial"]
    assert set(found["mpi"]["net_ranks"]) == {1}
    assert len(set(found["mpi"]["spikes"])) == 6
