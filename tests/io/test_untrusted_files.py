"""Files are untrusted: a checkpoint never makes the loader import or call what it names, crafted
arrays with valid checksums are refused before compiled code sees them, temporary files never
outlive the write, and the other loaders refuse damaged or inconsistent files with the place."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import h5py
import numpy as np
import pytest

import snn.io
from snn.core import ConfigurationError, Network, NeuronModel, Receptor, StateVar
from snn.core.errors import FileFormatError
from snn.core.units import ms, pA
from snn.io._checkpoint import _seal
from snn.neurons import LIFExp
from snn.plasticity import PairSTDP
from snn.synapses import FixedIndegree


def _net() -> Network:
    net = Network(dt=0.1 * ms, seed=3)
    e = net.add_population(LIFExp(), 20, name="E")
    i = net.add_population(LIFExp(), 10, name="I")
    net.connect(
        e,
        e,
        rule=FixedIndegree(indegree=4),
        weight=50 * pA,
        delay=1.5 * ms,
        receptor="exc",
        synapse=PairSTDP(w_max=100 * pA),
        name="EE",
    )
    net.connect(e, i[2:8], rule=FixedIndegree(indegree=5), weight=30 * pA, receptor="exc")
    net.record_spikes(e)
    net.run(2 * ms)
    return net


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return snn.io.save(_net(), tmp_path_factory.mktemp("ck") / "base.h5")


def _copy(src: Path, tmp_path: Path) -> Path:
    path = tmp_path / "case.h5"
    path.write_bytes(src.read_bytes())
    return path


def _set_dataset(path: Path, name: str, value: np.ndarray) -> None:
    """Replace a dataset and recompute its CRC and the file's: a forger's edit."""
    with h5py.File(path, "r+") as f:
        attrs = dict(f[name].attrs)
        del f[name]
        f[name] = value
        f[name].attrs.update(attrs)
        arr = np.ascontiguousarray(value)
        f[name].attrs["crc32"] = np.uint32(zlib.crc32(arr.view(np.uint8).reshape(-1)))
    _seal(path)


def _set_spec(path: Path, group: str, edit: Any) -> None:
    with h5py.File(path, "r+") as f:
        spec = json.loads(f[group].attrs["spec"])
        edit(spec)
        text = json.dumps(spec)
        f[group].attrs["spec"] = text
        f[group].attrs["spec_crc32"] = np.uint32(zlib.crc32(text.encode()))
    _seal(path)


# ----------------------------------------------------------------------------- classes
SENTINEL = """
from pathlib import Path
Path({marker!r}).write_text("imported")
class Boom:
    def __init__(self, **kw):
        Path({marker!r}).write_text("called")
"""


@pytest.mark.parametrize("path", ["subprocess:Popen", "os:system", "snn_sentinel_mod:Boom"])
def test_no_class_named_by_the_file_is_imported_or_called(tmp_path, checkpoint, path, monkeypatch):
    marker = tmp_path / "ran"
    (tmp_path / "snn_sentinel_mod.py").write_text(SENTINEL.format(marker=str(marker)))
    monkeypatch.syspath_prepend(str(tmp_path))
    case = _copy(checkpoint, tmp_path)
    _set_spec(case, "populations/p0", lambda s: s["model"].update({"__class__": path}))
    with pytest.raises(FileFormatError, match=r"/populations/p0 .*not one of snn's model"):
        snn.io.load(case)
    assert not marker.exists() and "snn_sentinel_mod" not in sys.modules


@dataclass(frozen=True, kw_only=True)
class Leaky(NeuronModel):
    """A user's model (module level, so that a checkpoint can name it)."""

    tau: float = 10e-3

    state_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("v", "V"),)
    receptors: ClassVar[tuple[Receptor, ...]] = (Receptor("syn", "V"),)

    def constants(self, dt: float) -> dict[str, float]:
        return {"decay": float(np.exp(-dt / self.tau))}

    def step_function(self) -> Any:
        return leaky_step


def leaky_step(v, syn, decay):  # pragma: no cover - compiled
    v = v * decay + syn
    return v, False


def test_user_models_load_when_passed(tmp_path):
    net = Network(dt=0.1 * ms)
    net.add_population(Leaky(tau=5e-3), 4, init={"v": 1e-3})
    net.run(1 * ms)
    path = snn.io.save(net, tmp_path / "user.h5")
    with pytest.raises(FileFormatError, match=r"load\(path, models=\[YourClass\]\)"):
        snn.io.load(path)
    again = Network.load(path, models=[Leaky])
    np.testing.assert_array_equal(again.populations[0].get("v"), net.populations[0].get("v"))
    with pytest.raises(ConfigurationError, match="`models` must hold classes"):
        snn.io.load(path, models=[leaky_step])


# ----------------------------------------------------------------------------- crafted arrays
@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("projections/q0/indices", lambda a: np.full_like(a, 20), r"indices holds 20 .* \[0, 19\]"),
        ("projections/q0/indptr", lambda a: a[::-1].copy(), r"indptr runs from"),
        ("projections/q0/weight", lambda a: np.where(a == a[0], np.nan, a), r"weight holds nan"),
        ("projections/q0/weight", lambda a: a * 10, r"bounds of PairSTDP"),
        ("projections/q1/indices", lambda a: np.full_like(a, 9), r"indices holds 9 .* \[2, 7\]"),
        ("engine/pending", lambda a: np.array([1, -5, 99, 7]), r"pending .* does not fit"),
        ("populations/p0/state/refr", lambda a: a - 1, r"refr holds -1"),
        ("populations/p0/state/v", lambda a: np.full_like(a, np.inf), r"v holds inf"),
        ("populations/p0/spk", lambda a: np.full_like(a, 10**6), r"spk holds 1000000"),
        ("monitors/m0/ids", lambda a: np.append(a, np.int32(25)), r"ids has dtype int32 and"),
        # a source's last spike before t = 0, or after the file's step: refused before a trace
        # is read (a gap of 2**62 steps would take the loop that long, decision 0026)
        ("projections/q0/src_step", lambda a: a - 2**62, r"src_step holds -"),
        ("projections/q0/src_step", lambda a: a + 10**9, r"src_step holds 1000"),
        ("projections/q0/src_step", lambda a: a.astype(np.float64), r"src_step .* float64.*int64"),
    ],
)
def test_crafted_arrays_with_valid_checksums_are_refused(tmp_path, checkpoint, name, value, match):
    case = _copy(checkpoint, tmp_path)
    with h5py.File(case, "r") as f:
        old = f[name][()]
    _set_dataset(case, name, value(old))
    with pytest.raises(FileFormatError, match=match):
        snn.io.load(case)


def test_ring_inputs_that_are_no_whole_multiples_are_held_as_floats(tmp_path, checkpoint):
    # I's ring counts multiples of its one weight, 30 pA (decision 0025); a file may hold any
    # input in flight within the receptor's sign: the loaded ring holds it as floats, and runs
    assert snn.io.load(checkpoint).populations[1].rings["exc"].dtype == np.int32
    path = _copy(checkpoint, tmp_path)
    with h5py.File(path, "r") as f:
        ring = f["populations/p1/rings/exc"][...]
    ring[0, 3] = 45 * pA
    _set_dataset(path, "populations/p1/rings/exc", ring)
    net = snn.io.load(path)
    loaded = net.populations[1].rings["exc"]
    assert loaded.dtype == np.float64 and loaded[0, 3] == 45 * pA
    net.run(1 * ms)


def test_a_version_3_file_without_the_steps_of_source_spikes_loads(tmp_path, checkpoint):
    # version 3 files written before decision 0026 hold each source trace as its value at the
    # file's step (a version 4 file without them is refused: test_checkpoint.py)
    from snn.io import _checkpoint

    path = _copy(checkpoint, tmp_path)
    with h5py.File(path, "r+") as f:
        del f["projections/q0/src_step"]
        f.attrs["version"] = 3
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_checkpoint, "VERSION", 3)
        _seal(path)
    net = snn.io.load(path)
    assert (net.projections[0]._src_step == net.step).all()
    net.run(1 * ms)


def test_a_view_past_the_end_of_its_population_is_refused(tmp_path, checkpoint):
    case = _copy(checkpoint, tmp_path)
    _set_spec(case, "projections/q1", lambda s: s.update({"post": [1, 2, 11]}))
    with pytest.raises(FileFormatError, match=r"/projections/q1 has `post stop` = 11"):
        snn.io.load(case)


# ----------------------------------------------------------------------------- temporary files
def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from snn.io import _checkpoint

    net = _net()

    def broken(f, n):
        raise OSError("disk full")

    monkeypatch.setattr(_checkpoint, "_write", broken)
    with pytest.raises(OSError, match="disk full"):
        snn.io.save(net, tmp_path / "c.h5")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_next_save_removes_leftovers_of_dead_processes(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f"c.h5.tmp-{int(dead.stdout)}"
    stale.write_bytes(b"x" * 100)
    snn.io.save(_net(), tmp_path / "c.h5")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.h5"]


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_write_removes_the_temporary_file(tmp_path, sig):
    # the child sends itself the signal from inside the write, with the default handler
    # installed before: the temporary file is removed, then the process dies of the signal
    code = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from snn.io import _checkpoint
        from test_untrusted_files import _net
        net = _net()
        real = _checkpoint._write
        def write(f, n):
            real(f, n)
            os.kill(os.getpid(), signal.{sig})
        _checkpoint._write = write
        _checkpoint.save(net, {str(tmp_path / "c.h5")!r})
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert done.returncode == -getattr(signal, sig), done.stderr.decode()[-2000:]
    assert list(tmp_path.iterdir()) == []


def test_checkpoint_path_is_checked_before_the_run(tmp_path):
    net = _net()
    step = net.step
    for path, match in [
        (tmp_path / "missing" / "c.h5", "does not exist"),
        (tmp_path, "is a folder"),
    ]:
        with pytest.raises(ConfigurationError, match=match):
            net.run(1 * ms, checkpoint_every=0.5 * ms, checkpoint_path=path)
    assert net.step == step


# ----------------------------------------------------------------------------- other formats
def test_sonata_manifest_cycle_is_refused(tmp_path):
    (tmp_path / "circuit_config.json").write_text(
        json.dumps({"manifest": {"$A": "${B}/x", "$B": "${A}/y"}, "networks": {"nodes": []}})
    )
    with pytest.raises(FileFormatError, match=r"refer to each other: (A -> B -> A|B -> A -> B)"):
        snn.io.read_sonata(
            tmp_path / "circuit_config.json", models={}, spike_source=lambda t, i: None
        )


def test_sonata_manifest_that_multiplies_its_length_is_refused(tmp_path):
    """A config of under 1 kB whose variables each repeat the one before 16 times ("billion
    laughs": 64 * 16**8 characters at the last level) is refused at the first variable past
    4096 characters, not expanded."""
    manifest = {"$L0": "x" * 64, **{f"$L{k}": f"$L{k - 1}" * 16 for k in range(1, 9)}}
    config = tmp_path / "circuit_config.json"
    config.write_text(json.dumps({"manifest": manifest, "networks": {"nodes": []}}))
    assert config.stat().st_size < 1024
    with pytest.raises(FileFormatError, match=r"'L2' expanding to more than 4096 characters"):
        snn.io.read_sonata(config, models={}, spike_source=lambda t, i: None)


def test_a_dataset_declaring_more_than_memory_is_refused_before_reading(tmp_path):
    """A 4 kB file can declare 2**36 uint64 node ids (unwritten chunks): 512 GiB, refused with
    the place instead of a MemoryError (or the OOM killer for a smaller claim)."""
    (tmp_path / "node_types.csv").write_text(
        "node_type_id model_type model_template\n1 point_process nest:iaf_psc_alpha\n"
    )
    with h5py.File(tmp_path / "nodes.h5", "w") as f:
        g = f.create_group("nodes/pop")
        g.create_dataset("node_id", shape=(2**36,), dtype=np.uint64, chunks=(2**20,))
        g.create_dataset("node_type_id", data=np.ones(3, dtype=np.uint64))
    assert (tmp_path / "nodes.h5").stat().st_size < 10_000
    config = tmp_path / "circuit_config.json"
    files = {"nodes_file": "$BASE/nodes.h5", "node_types_file": "$BASE/node_types.csv"}
    config.write_text(
        json.dumps({"manifest": {"$BASE": str(tmp_path)}, "networks": {"nodes": [files]}})
    )
    with pytest.raises(FileFormatError, match=r"/nodes/pop/node_id declares \(68719476736,\)"):
        snn.io.read_sonata(config, models={}, spike_source=lambda t, i: None)


def test_stream_with_inconsistent_datasets_is_refused(tmp_path):
    path = tmp_path / "s.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "snn-spike-stream"
        f.attrs["dt"] = 1e-4
        f["E/steps"] = np.array([1, 2, 3])
        f["E/senders"] = np.array([0, 1])
    with pytest.raises(FileFormatError, match=r"/E holds 3 steps but 2 senders"):
        snn.io.read_spike_stream(path)


def test_nir_nan_weights_are_refused():
    import nir

    graph = nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([2])}),
            "fc": nir.Linear(weight=np.array([[1.0, np.nan]])),
            "lif": nir.LIF(
                tau=np.array([0.01]),
                r=np.array([1.0]),
                v_leak=np.zeros(1),
                v_threshold=np.ones(1),
                v_reset=np.zeros(1),
            ),
        },
        edges=[("in", "fc"), ("fc", "lif")],
    )
    with pytest.raises(ConfigurationError, match=r"NIR node 'fc': `weight` holds NaN"):
        snn.io.from_nir(graph, inputs={"in": np.zeros((3, 2))}, dt=1e-4)


def test_damaged_nir_file_is_a_file_format_error(tmp_path):
    path = tmp_path / "g.nir"
    path.write_bytes(os.urandom(256))
    with pytest.raises(FileFormatError, match="not a readable NIR graph"):
        snn.io.from_nir(str(path), inputs={}, dt=1e-4)
