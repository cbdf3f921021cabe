"""Checkpoints: resume is exact (in a new process, after SIGKILL mid-run and mid-write), writes
are atomic, and damaged or foreign files give a FileFormatError that says what is wrong."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import snn.io
from snn.core import Network
from snn.core.errors import ConfigurationError, FileFormatError, SNNWarning
from snn.core.units import ms

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "netbuild.py"
T = 1500  # steps of the first half (150 ms)


def _netbuild():
    spec = importlib.util.spec_from_file_location("snn_io_test_netbuild", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nb = _netbuild()


def _child(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def _assert_same(expected: dict[str, np.ndarray], got: dict[str, np.ndarray]) -> None:
    assert sorted(expected) == sorted(got)
    for key in expected:
        a, b = np.asarray(expected[key]), np.asarray(got[key])
        assert a.dtype == b.dtype and a.shape == b.shape, key
        # bit for bit: NaN == NaN too, and no tolerance
        assert a.tobytes() == b.tobytes(), key


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    """The uninterrupted run of 2T steps."""
    net = nb.build()
    net.run(2 * T * nb.DT)
    out = nb.results(net)
    assert out["mon0/times"].size > 1000, "the test needs excitatory spikes (plasticity)"
    return out


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def test_resume_in_new_process_is_bit_identical(tmp_path, reference):
    net = nb.build()
    net.run(T * nb.DT)
    ckpt = snn.io.save(net, tmp_path / "half.h5")
    assert ckpt == tmp_path / "half.h5"
    done = _child("resume", str(ckpt), str(2 * T), str(tmp_path / "out.npz"))
    assert done.returncode == 0, done.stderr
    _assert_same(reference, _load_npz(tmp_path / "out.npz"))


def test_network_save_and_load_methods(tmp_path, reference):
    net = nb.build()
    net.run(T * nb.DT)
    net.save(tmp_path / "half.h5")
    again = Network.load(tmp_path / "half.h5")
    assert again.step == T and again.seed == net.seed and again.dt == net.dt
    assert [p.name for p in again.populations] == ["E", "I"]
    np.testing.assert_array_equal(again.projections[0].weights(), net.projections[0].weights())
    again.run(T * nb.DT)
    _assert_same(reference, nb.results(again))


def test_saving_twice_and_running_between_changes_nothing(tmp_path, reference):
    # a checkpoint between runs must not perturb the run it interrupts
    net = nb.build()
    net.run(T * nb.DT)
    net.save(tmp_path / "a.h5")
    net.save(tmp_path / "a.h5")
    net.run(T * nb.DT)
    _assert_same(reference, nb.results(net))


@pytest.mark.parametrize("mid_write", [False, True], ids=["mid-run", "mid-write"])
def test_sigkill_then_resume_from_last_checkpoint(tmp_path, reference, mid_write):
    ckpt = tmp_path / "run.h5"
    every = T // 3
    env = {"SNN_KILL_AFTER": "4", "SNN_KILL_MID_WRITE": "1" if mid_write else "0"}
    killed = _child("periodic", str(ckpt), str(2 * T), str(every), env=env)
    assert killed.returncode == -9, killed.stderr  # SIGKILL
    # the 4th checkpoint (step 4 * every) is the last complete one in both cases
    debris = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]
    assert debris if mid_write else not debris
    assert Network.load(ckpt).step == 4 * every
    done = _child("resume", str(ckpt), str(2 * T), str(tmp_path / "out.npz"))
    assert done.returncode == 0, done.stderr
    _assert_same(reference, _load_npz(tmp_path / "out.npz"))


def test_periodic_checkpoints_in_process(tmp_path, reference):
    net = nb.build()
    net.run(2 * T * nb.DT, checkpoint_every=700 * nb.DT, checkpoint_path=tmp_path / "c.h5")
    # splitting the monitors' rows at each checkpoint changes no record
    _assert_same(reference, nb.results(net))
    assert Network.load(tmp_path / "c.h5").step == 2800


def test_checkpoint_arguments_are_validated():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="checkpoint_path"):
        net.run(1 * ms, checkpoint_every=1 * ms)
    with pytest.raises(ConfigurationError, match="checkpoint_every"):
        net.run(1 * ms, checkpoint_path="x.h5")
    with pytest.raises(ConfigurationError, match="multiple of dt"):
        net.run(1 * ms, checkpoint_every=0.15 * ms, checkpoint_path="x.h5")


def test_failed_write_keeps_previous_checkpoint(tmp_path, monkeypatch):
    import snn.io._checkpoint as ck

    net = nb.build()
    net.run(10 * nb.DT)
    path = snn.io.save(net, tmp_path / "c.h5")
    before = path.read_bytes()

    def broken(f, net):
        f.create_group("half")
        raise OSError("disk full")

    monkeypatch.setattr(ck, "_write", broken)
    net.run(10 * nb.DT)
    with pytest.raises(OSError, match="disk full"):
        snn.io.save(net, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.h5"]


# ----------------------------------------------------------------------------- damaged files
@pytest.fixture(scope="module")
def small_checkpoint(tmp_path_factory) -> Path:
    net = nb.build()
    net.run(20 * nb.DT)
    return snn.io.save(net, tmp_path_factory.mktemp("ck") / "small.h5")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        snn.io.load(tmp_path / "nothing.h5")


def _reseal(path: Path) -> None:
    """Recompute the header's checksum after an edit, as a deliberate forger would."""
    from snn.io._checkpoint import _seal

    _seal(path)


def test_truncated_file(tmp_path, small_checkpoint):
    data = small_checkpoint.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileFormatError, match=r"is truncated or extended"):
        snn.io.load(cut)


def test_not_hdf5(tmp_path):
    bad = tmp_path / "notes.h5"
    bad.write_text("hello\n" * 100)
    with pytest.raises(FileFormatError, match="does not start with the checkpoint header"):
        snn.io.load(bad)


def test_foreign_hdf5(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(FileFormatError, match=r"HDF5 file without an snn checkpoint header"):
        snn.io.load(other)


def test_foreign_hdf5_behind_a_valid_header(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w", userblock_size=512) as f:
        f["x"] = np.arange(3)
    _reseal(other)
    with pytest.raises(FileFormatError, match=r"not an snn checkpoint.*None.*'snn-checkpoint'"):
        snn.io.load(other)


def test_wrong_version(tmp_path, small_checkpoint):
    path = tmp_path / "v99.h5"
    data = bytearray(small_checkpoint.read_bytes())
    data[: len(b"SNN-CHECKPOINT 4")] = b"SNN-CHECKPOINT 9"
    path.write_bytes(bytes(data))
    with pytest.raises(
        FileFormatError, match=r"format version 9; this snn-io reads versions \(3, 4\)"
    ):
        snn.io.load(path)


def _flip_in(path: Path, dataset: str) -> None:
    with h5py.File(path, "r") as f:
        ds = f[dataset]
        offset = ds.id.get_offset() + ds.nbytes // 2
    with open(path, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0xFF]))


def test_corrupted_data(tmp_path, small_checkpoint):
    path = tmp_path / "flipped.h5"
    path.write_bytes(small_checkpoint.read_bytes())
    _flip_in(path, "projections/q0/indices")
    # the header's checksum of the whole file catches it before HDF5 reads anything
    with pytest.raises(FileFormatError, match=r"is corrupted: the CRC-32 of its bytes"):
        snn.io.load(path)
    # behind a recomputed header, the dataset's own checksum still does
    _reseal(path)
    with pytest.raises(FileFormatError, match=r"/projections/q0/indices is corrupted.*CRC-32"):
        snn.io.load(path)


def test_missing_part(tmp_path, small_checkpoint):
    path = tmp_path / "partial.h5"
    path.write_bytes(small_checkpoint.read_bytes())
    with h5py.File(path, "r+") as f:
        del f["projections/q1"]
    _reseal(path)
    with pytest.raises(FileFormatError, match="projections/q1 is missing"):
        snn.io.load(path)


def test_source_trace_steps_are_required_from_version_4(tmp_path, small_checkpoint):
    """Only a version 3 file (written before decision 0026) may lack them: without them a
    version 4 file would load with its traces read at the wrong step (found by the fuzz
    suite: seed 20261207, scale 3)."""
    path = tmp_path / "partial.h5"
    path.write_bytes(small_checkpoint.read_bytes())
    with h5py.File(path, "r+") as f:
        plastic = [k for k in f["projections"] if "src_step" in f["projections"][k]]
        del f[f"projections/{plastic[0]}/src_step"]
    _reseal(path)
    with pytest.raises(FileFormatError, match=rf"{plastic[0]}/src_step is missing"):
        snn.io.load(path)


def test_unstorable_model_is_refused_before_writing(tmp_path):
    from snn.plasticity import Neuromodulator, RewardSTDP
    from snn.synapses import FixedIndegree

    net = nb.build()
    mod = Neuromodulator(net)
    e = net.population("E")
    net.connect(
        e,
        e,
        rule=FixedIndegree(indegree=2),
        weight=1e-12,
        receptor="exc",
        synapse=RewardSTDP(modulator=mod),
    )
    with (
        pytest.warns(UserWarning, match="callbacks are not stored"),
        pytest.raises(ConfigurationError, match="Neuromodulator"),
    ):
        snn.io.save(net, tmp_path / "x.h5")
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- other layouts
def _varied(dtype: str, threads: int) -> Network:
    """float32 or several threads, a spike generator, views, current drives, noise, STP, STDP and
    a projection delivered at arrival."""
    from snn.core.random import Uniform
    from snn.core.units import Hz, mV, pA
    from snn.neurons import DCSource, LIFExp, NoiseCurrent, PoissonInput, SpikeSourceArray
    from snn.plasticity import PairSTDP
    from snn.synapses import FixedIndegree, Tsodyks2Synapse

    net = Network(dt=0.1 * ms, seed=11, dtype=dtype, threads=threads, parallel=threads > 1)
    rng = np.random.default_rng(5)
    # 20 neurons x 20 distinct steps each
    steps = np.concatenate([rng.choice(np.arange(1, 3000), 20, replace=False) for _ in range(20)])
    times, ids = steps * 0.1 * ms, np.repeat(np.arange(20), 20)
    src = net.add_population(SpikeSourceArray(times=times, indices=ids), 20, name="src")
    pop = net.add_population(
        LIFExp(), 1000, name="P", init={"v": Uniform(low=-70 * mV, high=-56 * mV)}
    )
    net.connect(
        src,
        pop[300:1000],
        rule=FixedIndegree(indegree=5),
        weight=300 * pA,
        delay=2 * ms,
        receptor="exc",
        synapse=Tsodyks2Synapse(U=0.3, tau_rec=200 * ms, tau_fac=20 * ms),
    )
    net.connect(
        pop[0:500],
        pop,
        rule=FixedIndegree(indegree=30),
        weight=Uniform(low=10 * pA, high=50 * pA),
        delay=Uniform(low=0.5 * ms, high=2.5 * ms),
        receptor="exc",
        synapse=PairSTDP(w_max=80 * pA),
    )
    # static, 80 synapses per source over 4 delay values: delivered at arrival from a history
    static = net.connect(
        pop[500:1000],
        pop,
        rule=FixedIndegree(indegree=40),
        weight=Uniform(low=2 * pA, high=6 * pA),
        delay=Uniform(low=0.5 * ms, high=0.8 * ms),
        receptor="exc",
    )
    assert static._arrival
    net.add_drive(PoissonInput(rate=8000 * Hz, weight=40 * pA, receptor="exc"), pop)
    net.add_drive(DCSource(amplitude=50 * pA, start=20 * ms), pop)
    net.add_drive(NoiseCurrent(mean=0.0, std=30 * pA), pop)
    net.record_spikes(pop)
    net.record_state(pop, "v", neurons=[999, 0], interval=1 * ms)  # columns as given
    net.record_rate(src)
    return net


@pytest.mark.parametrize(("dtype", "threads"), [("float32", 1), ("float64", 2)])
def test_resume_other_layouts(tmp_path, dtype, threads):
    steps = 1200
    ref = _varied(dtype, threads)
    ref.run(2 * steps * nb.DT)
    net = _varied(dtype, threads)
    net.run(steps * nb.DT)
    net.save(tmp_path / "v.h5")
    again = Network.load(tmp_path / "v.h5")
    assert again.parallel == ref.parallel and again.float_dtype == np.dtype(dtype)
    again.run(steps * nb.DT)
    want, got = nb.results(ref), nb.results(again)
    assert want["mon0/times"].size > 1000
    _assert_same(want, got)


# ----------------------------------------------------------------------------- every model
def _models():
    import snn.neurons as n

    return [
        n.LIFDelta(),
        n.LIFCondExp(),
        n.LIFAlpha(),
        n.LIFCondAlpha(),
        n.AdExCondExp(),
        n.AdExCondAlpha(),
        n.Izhikevich(),
        n.HHTraubMiles(),
        n.HHPscAlpha(),
        n.LIFCondExpSfaRr(),
        n.MAT2(),
        # escape noise close to the threshold (random draws must resume on the same counters),
        # with adaptation kernels (a generated step function)
        *[
            cls(
                i_e=150e-12,
                lambda_0=200.0,
                delta_v=2e-3,
                v_t_star=-50e-3,
                tau_stc=(10e-3,),
                q_stc=(20e-12,),
                tau_sfa=(50e-3, 200e-3),
                q_sfa=(2e-3, 1e-3),
            )
            for cls in (n.GIFPscExp, n.GIFCondExp)
        ],
        n.PoissonSource(rate=50.0),
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: type(m).__name__)
def test_resume_every_neuron_model(tmp_path, model):
    from snn.core.random import Uniform
    from snn.neurons import NoiseCurrent, PoissonInput
    from snn.synapses import FixedIndegree

    unit = {"V": 0.5e-3, "A": 100e-12, "S": 2e-9}

    def build():
        net = Network(dt=0.1 * ms, seed=2)
        pop = net.add_population(model, 60, name="P")
        spike = [r for r in getattr(model, "receptors", ()) if r.kind == "spike" and r.sign >= 0]
        if spike:
            rec = spike[0]
            net.connect(
                pop,
                pop,
                rule=FixedIndegree(indegree=6),
                weight=unit[rec.unit],
                delay=Uniform(low=0.5 * ms, high=2 * ms),
                receptor=rec.name,
            )
            net.add_drive(PoissonInput(rate=3000.0, weight=unit[rec.unit], receptor=rec.name), pop)
        if any(r.kind == "current" for r in getattr(model, "receptors", ())):
            net.add_drive(NoiseCurrent(mean=0.0, std=20e-12), pop)
        net.record_spikes(pop)
        return net

    ref = build()
    ref.run(400 * nb.DT)
    net = build()
    net.run(200 * nb.DT)
    net.save(tmp_path / "m.h5")
    again = Network.load(tmp_path / "m.h5")
    again.run(200 * nb.DT)
    _assert_same(nb.results(ref), nb.results(again))


# ----------------------------------------------------------------------------- live settings
def test_values_set_views_and_learning_switch_survive_a_checkpoint(tmp_path):
    """Set values, a drive and a monitor on views, learning switched off, state set at t = 0:
    the loaded network runs on and resets as the saved one does."""
    from snn.core.units import mV, pA
    from snn.neurons import DCSource

    def prepared() -> Network:
        net = nb.build()
        e = net.population("E")
        e[:50].set(v=-60 * mV)  # at t = 0: an initial value that reset returns to
        e[::4].set(tau_m=12 * ms)
        net.add_drive(DCSource(amplitude=80 * pA), e[[3, 9, 200]])
        net.record_spikes(e[100:200])
        net.projections[0].set(learning=False)
        return net

    steps = 300
    ref = prepared()
    ref.run(2 * steps * nb.DT)
    continued = nb.results(ref)
    ref.reset()
    ref.run(steps * nb.DT)
    after_reset = nb.results(ref)
    net = prepared()
    net.run(steps * nb.DT)
    net.save(tmp_path / "live.h5")
    again = Network.load(tmp_path / "live.h5")
    assert not again.projections[0].learning
    again.run(steps * nb.DT)
    _assert_same(continued, nb.results(again))
    again.reset()
    again.run(steps * nb.DT)
    _assert_same(after_reset, nb.results(again))


def test_synapse_parameters_per_synapse_survive_a_checkpoint(tmp_path):
    """U and tau_rec of the STP projection given per synapse (one drawn, one set on some
    synapses): the loaded network holds them and runs on as the saved one does."""
    from snn.core.random import Uniform
    from snn.synapses import TsodyksSynapse

    def prepared() -> Network:
        net = nb.build()
        stp = next(q for q in net.projections if isinstance(q.synapse, TsodyksSynapse))
        stp.set(U=Uniform(low=0.2, high=0.6))
        stp.set(tau_rec=60 * ms, pre=np.arange(0, 400, 3))
        return net

    steps = 300
    ref = prepared()
    ref.run(2 * steps * nb.DT)
    continued = nb.results(ref)
    net = prepared()
    net.run(steps * nb.DT)
    net.save(tmp_path / "per_synapse.h5")
    again = Network.load(tmp_path / "per_synapse.h5")
    q0 = next(q for q in net.projections if isinstance(q.synapse, TsodyksSynapse))
    q1 = next(q for q in again.projections if isinstance(q.synapse, TsodyksSynapse))
    for name in ("U", "tau_rec"):
        assert np.unique(q0.get(name)).size > 1
        np.testing.assert_array_equal(q1.get(name), q0.get(name))
    again.run(steps * nb.DT)
    _assert_same(continued, nb.results(again))


def test_saving_from_a_callback_keeps_the_rows_recorded_so_far(tmp_path):
    """``snn.io.save`` called by a callback in the middle of a run writes every sample the
    monitors took in that run so far (it wrote none of them before callbacks closed the rows)."""
    from snn.core.units import Hz, mV
    from snn.neurons import LIFDelta, PoissonInput

    def make():
        net = Network(dt=0.1 * ms, seed=1)
        pop = net.add_population(LIFDelta(), 10)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.2 * mV), pop)
        return net, net.record_state(pop, "v"), net.record_spikes(pop)

    path = tmp_path / "mid.h5"
    net, _, _ = make()
    net.every(5 * ms, lambda n: snn.io.save(n, path) if n.step == 100 else None)
    with pytest.warns(SNNWarning, match="callbacks are not stored"):
        net.run(12 * ms)
    loaded = snn.io.load(path)
    ref, vm, sm = make()
    ref.run(10 * ms)
    state, spikes = loaded.monitors
    assert loaded.step == 100
    assert np.array_equal(state["v"], vm["v"]) and state["v"].shape == (100, 10)
    assert np.array_equal(spikes.steps, sm.steps)


@pytest.mark.parametrize("stop", [12 * ms, None])
def test_recording_windows_survive_a_checkpoint(tmp_path, stop):
    """A monitor's start and stop are kept: the loaded network records what the original
    records after the save (found by review: the windows were dropped on load)."""
    from snn.core.units import Hz, mV
    from snn.neurons import LIFDelta, PoissonInput

    def build() -> Network:
        net = Network(dt=0.1 * ms, seed=3)
        pop = net.add_population(LIFDelta(e_l=0.0, v_th=15 * mV, v_reset=0.0), 50)
        net.add_drive(PoissonInput(rate=30000 * Hz, weight=0.2 * mV), pop)
        window = {"start": 4 * ms} | ({} if stop is None else {"stop": stop})
        net.record_spikes(pop, **window)
        net.record_state(pop, "v", neurons=[3, 1], **window)
        return net

    ref = build()
    ref.run(20 * ms)
    net = build()
    net.run(8 * ms)
    net.save(tmp_path / "w.h5")
    loaded = Network.load(tmp_path / "w.h5")
    loaded.run(12 * ms)
    for a, b in zip(ref.monitors, loaded.monitors, strict=True):
        assert (a.start, a.stop) == (b.start, b.stop)
    spikes, state = loaded.monitors
    assert np.array_equal(spikes.steps, ref.monitors[0].steps) and spikes.n_spikes > 10
    assert np.array_equal(state["v"], ref.monitors[1]["v"])
    assert state.times[0] > 4 * ms and (stop is None or state.times[-1] <= stop + 1e-12)
