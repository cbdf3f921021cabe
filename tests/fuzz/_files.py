"""Fuzz families over the loaders: checkpoints, NWB, NIR, SONATA and spike streams.

Each worker builds the base files once (a small network with every kind of state a checkpoint
holds, and its recordings), then every case copies one and damages it:

* *crafted* changes keep the file's checksums valid (the CRC-32 of a changed dataset or JSON
  description is recomputed): NaN, out-of-range, shuffled, resized or retyped arrays, hostile
  class names, changed or deleted descriptions;
* *accidental* damage does not: truncation, flipped bits, zeroed blocks;
* *foreign* files: another format, or an HDF5 file of another kind.

A damaged file that loads must load as the original did (compared by the content of the
network saved again) unless the change was a crafted one that may be legitimate; any loaded
network then runs a few steps.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.fuzz._harness import Family
from tests.fuzz._worker import Silent

DT = 1e-4

#: class paths a crafted checkpoint names instead of a model (none may be imported or called)
HOSTILE = (
    "subprocess:Popen",
    "os:system",
    "builtins:eval",
    "builtins:exec",
    "pickle:loads",
    "numpy:load",
    "snn.core:Network",
    "snn.io._codec:allowed_classes",
    "tests.fuzz._sentinel:Boom",
    "tests.fuzz._sentinel",
    "snn.neurons._lif:LIFExp.__init__",
    ":",
    "",
)


def _tmp() -> Path:
    from tests.fuzz import _worker

    return _worker.TMP


# ----------------------------------------------------------------------------- base files
def build_network() -> Any:
    """A small network with every kind of state a checkpoint holds, run for 30 steps."""
    from snn.core import Network
    from snn.core.random import Uniform
    from snn.neurons import DCSource, LIFExp, PoissonInput, SpikeSourceArray
    from snn.plasticity import PairSTDP
    from snn.synapses import AllToAll, FixedIndegree, TsodyksSynapse

    net = Network(dt=DT, seed=5, name="fuzz")
    e = net.add_population(
        LIFExp(t_ref=1e-3), 20, name="E", init={"v": Uniform(low=-0.07, high=-0.056)}
    )
    i = net.add_population(LIFExp(), 10, name="I")
    src = net.add_population(
        SpikeSourceArray(times=[1e-4, 3e-4, 3e-4, 2e-3], indices=[0, 1, 2, 0]), 3, name="src"
    )
    net.connect(
        e,
        e,
        rule=FixedIndegree(indegree=5),
        weight=Uniform(low=20e-12, high=60e-12),
        delay=Uniform(low=1e-3, high=2e-3),
        receptor="exc",
        synapse=PairSTDP(w_max=1e-10),
        name="EE",
    )
    # per-synapse delays of two values on long rows: delivered at arrival (delay runs)
    net.connect(
        e,
        i,
        rule=FixedIndegree(indegree=20),
        weight=30e-12,
        delay=Uniform(low=1e-3, high=1.1e-3),
        receptor="exc",
        name="EI",
    )
    net.connect(
        i, e[5:15], rule=AllToAll(), weight=-40e-12, delay=1.5e-3, receptor="inh", name="IE"
    )
    net.connect(
        src,
        i,
        rule=AllToAll(),
        weight=100e-12,
        delay=1e-3,
        receptor="exc",
        synapse=TsodyksSynapse(U=0.4, tau_psc=2e-3, tau_rec=0.1, tau_fac=0.05),
        name="SI",
    )
    net.add_drive(PoissonInput(rate=8000.0, weight=40e-12, receptor="exc"), e)
    net.add_drive(DCSource(amplitude=50e-12, start=1e-3), i)
    net.record_spikes(e)
    net.record_state(e, ["v", "i_ex"], neurons=[0, 3, 7], interval=2 * DT)
    net.record_rate(i)
    net.record_weights(net.projections[0], synapses=[0, 5, 9], interval=3 * DT)
    net.run(30 * DT)
    return net


def content(path: Path) -> str:
    """A digest of everything stored in a checkpoint: datasets, attributes, structure."""
    import h5py

    h = hashlib.blake2b(digest_size=16)
    with h5py.File(path, "r") as f:

        def visit(name: str, obj: Any) -> None:
            h.update(name.encode())
            for k in sorted(obj.attrs):
                if k != "writer":
                    h.update(k.encode() + repr(obj.attrs[k]).encode())
            if isinstance(obj, h5py.Dataset):
                h.update(str(obj.dtype).encode() + str(obj.shape).encode())
                h.update(np.ascontiguousarray(obj[()]).tobytes())

        for k in sorted(f.attrs):
            h.update(k.encode() + repr(f.attrs[k]).encode())
        f.visititems(visit)
    return h.hexdigest()


@cache
def base_checkpoint() -> tuple[Path, str, list[str]]:
    """The base checkpoint, the content digest of its loaded network, and its datasets."""
    import h5py

    import snn.io

    path = snn.io.save(build_network(), _tmp() / "base.h5")
    again = snn.io.save(snn.io.load(path), _tmp() / "base-again.h5")
    names: list[str] = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    return path, content(again), sorted(names)


def _specs(path: Path) -> list[str]:
    import h5py

    out = ["/"]
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: out.append("/" + n) if "spec" in o.attrs else None)
    return out


# ----------------------------------------------------------------------------- changes
def _reseal(path: Path) -> None:
    """Recompute the file's header checksum after a crafted change (as an attacker would)."""
    from snn.io import _checkpoint

    seal = getattr(_checkpoint, "_seal", None)
    if seal is not None:  # versions before the sealed header have none to recompute
        seal(path)


def _recrc(ds: Any) -> None:
    arr = np.ascontiguousarray(ds[()])
    ds.attrs["crc32"] = np.uint32(zlib.crc32(arr.view(np.uint8).reshape(-1)) if arr.size else 0)


def _rewrite(f: Any, name: str, arr: np.ndarray, crc: bool = True) -> None:
    attrs = dict(f[name].attrs)
    del f[name]
    f.create_dataset(name, data=arr)
    for k, v in attrs.items():
        f[name].attrs[k] = v
    if crc:
        _recrc(f[name])


def _change_dataset(f: Any, name: str, how: str, k: int) -> str:
    """Change dataset ``name``; returns what the change means ("invalid" or "either")."""
    arr = np.array(f[name][()])
    if (arr.dtype.kind not in "biuf" or arr.ndim == 0) and how not in ("delete", "strings"):
        return "either"  # text, references and scalars: only deleted or replaced
    flat = arr.reshape(-1)
    rng = np.random.default_rng(k)
    if how == "crc-only":
        if not arr.size:
            return "either"
        view = arr.view(np.uint8).reshape(-1)
        view[k % view.size] ^= 0x10
        _rewrite(f, name, arr, crc=False)
        return "invalid"
    if how in ("nan", "inf"):
        if arr.dtype.kind != "f" or not arr.size:
            return "either"
        flat[k % flat.size] = np.nan if how == "nan" else np.inf
        _rewrite(f, name, arr)
        return "invalid"
    if how in ("huge", "negative", "minus-one"):
        if not arr.size:
            return "either"
        if arr.dtype.kind == "f":
            value = {
                "huge": 1e300,
                "negative": -abs(flat[k % flat.size]) - 1e-3,
                "minus-one": -1,
            }[how]
        elif arr.dtype.kind == "b":
            value = True
        else:
            info = np.iinfo(arr.dtype)
            value = {
                "huge": info.max,
                "negative": info.min,
                "minus-one": -1 if info.min < 0 else info.max,
            }[how]
        flat[k % flat.size] = value
        _rewrite(f, name, arr)
        return "either"
    if how == "shuffle":
        rng.shuffle(flat)
        _rewrite(f, name, arr)
        return "either"
    if how == "garbage":
        raw = rng.integers(0, 256, size=arr.nbytes, dtype=np.uint8)
        _rewrite(f, name, raw.view(arr.dtype).reshape(arr.shape) if arr.size else arr)
        return "either"
    if how == "grow":
        _rewrite(f, name, np.concatenate([flat, flat[:1] if flat.size else np.zeros(1, arr.dtype)]))
        return "invalid"
    if how == "shrink":
        if not arr.size:
            return "either"
        _rewrite(f, name, arr[:-1] if arr.ndim == 1 else arr[..., :-1])
        return "invalid"
    if how == "2-D":
        _rewrite(f, name, arr.reshape(1, -1) if arr.ndim == 1 else arr.reshape(-1))
        return "invalid"
    if how == "retype":
        other = {
            "f": np.float32 if arr.dtype == np.float64 else np.float64,
            "i": np.int32 if arr.dtype == np.int64 else np.int64,
            "u": np.uint64,
            "b": np.int8,
        }[arr.dtype.kind]
        _rewrite(f, name, arr.astype(other))
        return "either" if "/params/" in "/" + name else "invalid"
    if how == "delete":
        del f[name]
        return "invalid"
    if how == "strings":
        _rewrite(f, name, np.array([b"x"] * max(1, arr.size)))
        return "invalid"
    raise AssertionError(how)


def _json_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _json_leaves(v, (*path, k))
    elif isinstance(value, list):
        for k, v in enumerate(value):
            out += _json_leaves(v, (*path, k))
    return out


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _set(value[path[0]], path[1:], new)
    return value


def _change_spec(f: Any, node: str, how: str, k: int) -> str:
    attr = "network" if node == "/" else "spec"
    obj = f[node]
    text = obj.attrs[attr]
    text = text.decode() if isinstance(text, bytes) else str(text)
    data = json.loads(text)
    leaves = _json_leaves(data)
    expect = "either"
    if how == "hostile":
        classes = [p for p in leaves if p and p[-1] == "__class__"]
        if not classes:
            return "either"
        data = _set(data, classes[k % len(classes)], HOSTILE[k % len(HOSTILE)])
        expect = "invalid"
    elif how == "truncate":
        new_text = text[: k % max(1, len(text))]
        obj.attrs[attr] = new_text
        obj.attrs[f"{attr}_crc32"] = np.uint32(zlib.crc32(new_text.encode()))
        return "invalid"
    elif how == "deep":
        data = _set(data, leaves[k % len(leaves)], "__DEEP__") if len(leaves) > 1 else "__DEEP__"
        new_text = json.dumps(data).replace('"__DEEP__"', "[" * 5000 + "0" + "]" * 5000)
        obj.attrs[attr] = new_text
        obj.attrs[f"{attr}_crc32"] = np.uint32(zlib.crc32(new_text.encode()))
        return "invalid"
    elif how == "delete":
        keyed = [p for p in leaves if p and isinstance(p[-1], str)]
        if not keyed:
            return "either"
        p = keyed[k % len(keyed)]
        parent = data
        for step in p[:-1]:
            parent = parent[step]
        del parent[p[-1]]
    elif how == "crc-only":
        obj.attrs[attr] = text.replace(":", ": ", 1) if ":" in text else text + " "
        return "invalid" if obj.attrs.get(f"{attr}_crc32") is not None else "either"
    else:
        value = {
            "nan": float("nan"),
            "minus": -1,
            "zero": 0,
            "huge-int": 10**30,
            "huge": 1e308,
            "text": "x",
            "none": None,
            "list": [1, 2],
            "object": {"a": 1},
        }[how]
        numbers = [p for p in leaves if p and not isinstance(_get(data, p), dict | list)]
        if not numbers:
            return "either"
        p = numbers[k % len(numbers)]
        old = _get(data, p)
        data = _set(data, p, value)
        if how == "nan" and isinstance(old, int | float) and not isinstance(old, bool):
            expect = "invalid"
    new_text = json.dumps(data)
    obj.attrs[attr] = new_text
    if f"{attr}_crc32" in obj.attrs:
        obj.attrs[f"{attr}_crc32"] = np.uint32(zlib.crc32(new_text.encode()))
    return expect


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _foreign(kind: str, path: Path) -> None:
    import h5py

    if kind == "empty-file":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("snn-checkpoint\n" * 10)
    elif kind == "random":
        path.write_bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    elif kind == "folder":
        path.mkdir()
    elif kind == "empty-hdf5":
        h5py.File(path, "w").close()
    elif kind == "format-only":
        with h5py.File(path, "w") as f:
            f.attrs["format"] = "snn-checkpoint"
            f.attrs["version"] = 2
    elif kind == "wrong-version":
        with h5py.File(path, "w") as f:
            f.attrs["format"] = "snn-checkpoint"
            f.attrs["version"] = np.array([2, 3])
    elif kind == "format-bytes":
        with h5py.File(path, "w") as f:
            f.attrs["format"] = np.frombuffer(b"snn-checkpoint", dtype=np.uint8)
    elif kind == "network-only":
        with h5py.File(path, "w") as f:
            f.attrs["format"] = "snn-checkpoint"
            f.attrs["version"] = 2
            f.attrs["network"] = json.dumps({"dt": 1e-4, "populations": 10**12})
    elif kind == "nwb":
        shutil.copy(base_recordings()["nwb"], path)
    elif kind == "stream":
        shutil.copy(base_recordings()["stream"], path)
    else:
        raise AssertionError(kind)


# ----------------------------------------------------------------------------- checkpoints
_DATASET_CHANGES = (
    "crc-only",
    "nan",
    "inf",
    "huge",
    "negative",
    "minus-one",
    "shuffle",
    "garbage",
    "grow",
    "shrink",
    "2-D",
    "retype",
    "delete",
    "strings",
)
_SPEC_CHANGES = (
    "hostile",
    "truncate",
    "deep",
    "delete",
    "crc-only",
    "nan",
    "minus",
    "zero",
    "huge-int",
    "huge",
    "text",
    "none",
    "list",
    "object",
)
_FOREIGN = (
    "empty-file",
    "text",
    "random",
    "folder",
    "empty-hdf5",
    "format-only",
    "wrong-version",
    "format-bytes",
    "network-only",
    "nwb",
    "stream",
)


@st.composite
def _checkpoint_case(draw: Any) -> tuple[dict[str, Any], str, str]:
    kind = draw(
        st.sampled_from(["dataset", "dataset", "dataset", "spec", "spec", "bytes", "foreign"])
    )
    k = draw(st.integers(0, 10**6))
    if kind == "dataset":
        how = draw(st.sampled_from(_DATASET_CHANGES))
    elif kind == "spec":
        how = draw(st.sampled_from(_SPEC_CHANGES))
    elif kind == "bytes":
        how = draw(st.sampled_from(["truncate", "flip", "flip-many", "zero-block"]))
    else:
        how = draw(st.sampled_from(_FOREIGN))
    expect = "invalid" if kind == "foreign" or how == "truncate" else "either"
    return {"kind": kind, "how": how, "k": k}, expect, f"{kind} {how} #{k}"


def run_checkpoint(args: dict[str, Any]) -> str:
    """Damage a copy of the base checkpoint as the case says, load it, run what loads."""
    import h5py

    import snn.io

    base, digest, datasets = base_checkpoint()
    path = _tmp() / "case.h5"
    if path.is_dir():
        path.rmdir()
    path.unlink(missing_ok=True)
    kind, how, k = args["kind"], args["how"], args["k"]
    target = ""
    same = False  # whether a loaded network must equal the original
    expect = "either"
    if kind == "foreign":
        _foreign(how, path)
        expect = "invalid"
    else:
        shutil.copy(base, path)
        if kind == "dataset":
            target = datasets[k % len(datasets)]
            with h5py.File(path, "r+") as f:
                expect = _change_dataset(f, target, how, k)
            _reseal(path)
        elif kind == "spec":
            with h5py.File(path, "r+") as f:
                specs = _specs(path)
                target = specs[k % len(specs)]
                expect = _change_spec(f, target, how, k)
            _reseal(path)
        else:
            data = bytearray(path.read_bytes())
            rng = np.random.default_rng(k)
            if how == "truncate":
                data = data[: k % len(data)]
                expect = "invalid"
            elif how in ("flip", "flip-many"):
                for _ in range(1 if how == "flip" else 16):
                    pos = int(rng.integers(len(data)))
                    data[pos] ^= 1 << int(rng.integers(8))
                same = True
            else:
                pos = int(rng.integers(len(data)))
                data[pos : pos + 512] = bytes(len(data[pos : pos + 512]))
                same = True
            path.write_bytes(bytes(data))
    try:
        net = snn.io.load(path)
    finally:
        sentinel = "tests.fuzz._sentinel" in sys.modules or (_tmp() / "sentinel-ran").exists()
        if sentinel:
            raise Silent("the loader imported a module named by the file")
    if expect == "invalid":
        raise Silent(f"loaded a file that must be refused ({kind} {how} {target})")
    if same:
        again = snn.io.save(net, _tmp() / "case-again.h5")
        if content(again) != digest:
            raise Silent("a damaged file loaded as a different network")
    net.run(5 * DT)
    return "loaded and ran"


# ----------------------------------------------------------------------------- recordings
@cache
def base_recordings() -> dict[str, Path]:
    """An NWB file and a spike stream of the base network's recordings."""
    import snn.io

    net = build_network()
    spikes, state = net._monitors[0], net._monitors[1]
    out = {"nwb": _tmp() / "base.nwb", "stream": _tmp() / "base-stream.h5"}
    snn.io.write_nwb(out["nwb"], spikes, state, session_start_time=_START)
    with snn.io.SpikeStream(out["stream"], spikes, interval=10 * DT):
        net.run(20 * DT)
    return out


_START = __import__("datetime").datetime(2024, 1, 1, tzinfo=__import__("datetime").UTC)


def _datasets(path: Path) -> list[str]:
    import h5py

    names: list[str] = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    return sorted(names)


def _damage_bytes(path: Path, how: str, k: int) -> str:
    """Accidental damage without fixing anything; returns the expectation."""
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(k)
    if how == "truncate":
        data = data[: k % len(data)]
        path.write_bytes(bytes(data))
        return "invalid"
    if how in ("flip", "flip-many"):
        for _ in range(1 if how == "flip" else 16):
            pos = int(rng.integers(len(data)))
            data[pos] ^= 1 << int(rng.integers(8))
    else:
        pos = int(rng.integers(len(data)))
        data[pos : pos + 512] = bytes(len(data[pos : pos + 512]))
    path.write_bytes(bytes(data))
    return "either"


@st.composite
def _h5_case(draw: Any) -> tuple[dict[str, Any], str, str]:
    kind = draw(st.sampled_from(["dataset", "dataset", "attribute", "bytes", "foreign"]))
    k = draw(st.integers(0, 10**6))
    how = draw(
        st.sampled_from(
            {
                "dataset": _DATASET_CHANGES,
                "attribute": ("delete", "nan", "negative", "text", "array"),
                "bytes": ("truncate", "flip", "flip-many", "zero-block"),
                "foreign": _FOREIGN,
            }[kind]
        )
    )
    return {"kind": kind, "how": how, "k": k}, "either", f"{kind} {how} #{k}"


def _damaged_copy(base: Path, args: dict[str, Any]) -> tuple[Path, str, str]:
    """A damaged copy of an HDF5 file; its path, the expectation and what was changed."""
    import h5py

    path = _tmp() / f"case{base.suffix}"
    if path.is_dir():
        path.rmdir()
    path.unlink(missing_ok=True)
    kind, how, k = args["kind"], args["how"], args["k"]
    if kind == "foreign":
        _foreign(how, path)
        own = {"base.nwb": "nwb", "base-stream.h5": "stream"}.get(base.name)
        return path, "either" if how == own else "invalid", how
    shutil.copy(base, path)
    if kind == "bytes":
        return path, _damage_bytes(path, how, k), how
    names = _datasets(path)
    target = names[k % len(names)]
    with h5py.File(path, "r+") as f:
        if kind == "dataset":
            _change_dataset(f, target, how, k)
            # these formats carry no checksums: a changed value may be legitimate data (the
            # readers' results are checked for consistency instead)
            strict = base.name == "base-stream.h5" and how in ("strings", "2-D")
            return path, "invalid" if strict else "either", f"{how} {target}"
        obj = f[target] if f[target].attrs else f
        keys = sorted(obj.attrs)
        if not keys:
            return path, "either", "no attribute"
        key = keys[k % len(keys)]
        value = {
            "delete": None,
            "nan": np.nan,
            "negative": -1.0,
            "text": "x",
            "array": np.arange(3),
        }[how]
        if value is None:
            del obj.attrs[key]
        else:
            obj.attrs[key] = value
    return path, "either", f"attribute {how} {key}"


# ----------------------------------------------------------------------------- NWB, streams
def run_nwb(args: dict[str, Any]) -> str:
    """read_nwb of a damaged NWB file; an accepted file must give consistent records."""
    import snn.io

    path, expect, what = _damaged_copy(base_recordings()["nwb"], args)
    rec = snn.io.read_nwb(path)
    if expect == "invalid":
        raise Silent(f"read a file that must be refused ({what})")
    for name, spikes in rec.spikes.items():
        if spikes.times.shape != spikes.senders.shape or not np.isfinite(spikes.times).all():
            raise Silent(f"population {name!r}: spike times and senders do not match or are NaN")
    for name, state in rec.states.items():
        for var, values in state.values.items():
            if values.shape[:1] != state.times.shape or not np.isfinite(state.times).all():
                raise Silent(f"{name}.{var}: {values.shape} values for {state.times.shape} times")
    return f"read ({what})"


def run_stream(args: dict[str, Any]) -> str:
    """read_spike_stream of a damaged stream file; accepted records must be consistent."""
    import snn.io

    path, expect, what = _damaged_copy(base_recordings()["stream"], args)
    rec = snn.io.read_spike_stream(path)
    if expect == "invalid":
        raise Silent(f"read a file that must be refused ({what})")
    for name, spikes in rec.items():
        t, s = spikes.times, spikes.senders
        if (
            t.shape != s.shape
            or t.ndim != 1
            or not np.isfinite(t).all()
            or (t.size and t.min() <= 0)
            or s.dtype.kind not in "iu"
            or (s.size and s.min() < 0)
        ):
            raise Silent(f"population {name!r}: inconsistent spikes ({what})")
    return f"read ({what})"


# ----------------------------------------------------------------------------- NIR
def _nir_graph() -> Any:
    import nir

    rng = np.random.default_rng(3)
    return nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([4])}),
            "fc1": nir.Affine(weight=rng.normal(0.0, 1.0, (6, 4)), bias=rng.normal(0.0, 0.1, 6)),
            "lif": nir.LIF(
                tau=np.full(6, 0.01),
                r=np.full(6, 10.0),
                v_leak=np.zeros(6),
                v_threshold=np.ones(6),
                v_reset=np.zeros(6),
            ),
            "fc2": nir.Linear(weight=rng.normal(0.0, 1.0, (3, 6))),
            "if": nir.IF(r=np.full(3, 1e4), v_threshold=np.ones(3), v_reset=np.zeros(3)),
            "out": nir.Output(output_type={"output": np.array([3])}),
        },
        edges=[("in", "fc1"), ("fc1", "lif"), ("lif", "fc2"), ("fc2", "if"), ("if", "out")],
    )


_NIR_CHANGES = (
    "nan",
    "inf",
    "negative",
    "zero",
    "shape",
    "2-D",
    "empty",
    "strings",
    "huge",
    "drop-edge",
    "extra-edge",
    "cycle",
    "unknown-node",
    "missing-node",
    "self-loop",
    "input-3-D",
    "input-nan",
    "input-missing",
    "input-float",
    "dt-nan",
    "dt-negative",
)


@st.composite
def _nir_case(draw: Any) -> tuple[dict[str, Any], str, str]:
    kind = draw(st.sampled_from(["graph", "graph", "graph", "file"]))
    k = draw(st.integers(0, 10**6))
    if kind == "graph":
        how = draw(st.sampled_from(("none",) * 4 + _NIR_CHANGES))
    else:
        how = draw(st.sampled_from(("truncate", "flip", "flip-many", "zero-block", *_FOREIGN)))
    return {"kind": kind, "how": how, "k": k}, "either", f"{kind} {how} #{k}"


def run_nir(args: dict[str, Any]) -> str:
    """from_nir on a changed graph or a damaged .nir file; a built network runs 3 steps."""
    import nir

    import snn.io

    kind, how, k = args["kind"], args["how"], args["k"]
    graph = _nir_graph()
    inputs: dict[str, Any] = {"in": np.zeros((10, 4))}
    inputs["in"][3:, k % 4] = 1
    dt = DT
    expect = "either"
    if kind == "file":
        path = _tmp() / "case.nir"
        if path.is_dir():
            path.rmdir()
        path.unlink(missing_ok=True)
        if how in _FOREIGN:
            _foreign(how, path)
            expect = "invalid"
        else:
            nir.write(path, graph)
            expect = _damage_bytes(path, how, k)
        source: Any = str(path)
    else:
        nodes = dict(graph.nodes)
        edges = list(graph.edges)
        params = [
            (n, a)
            for n, node in nodes.items()
            for a in ("tau", "r", "v_threshold", "v_reset", "v_leak", "weight", "bias")
            if hasattr(node, a)
        ]
        name, attr = params[k % len(params)]
        value = np.array(getattr(nodes[name], attr), dtype=np.float64)
        expect = "valid" if how == "none" else "invalid"
        if how in ("nan", "inf", "negative", "zero", "huge"):
            flat = value.reshape(-1)
            flat[k % flat.size] = {
                "nan": np.nan,
                "inf": np.inf,
                "negative": -1.0,
                "zero": 0.0,
                "huge": 1e300,
            }[how]
            if how in ("negative", "zero", "huge"):
                expect = "either" if attr != "tau" or how == "huge" else "invalid"
        elif how == "shape":
            value = value[..., :-1] if value.size > 1 else np.zeros(3)
        elif how == "2-D":
            value = value.reshape(1, -1) if value.ndim == 1 else value.reshape(-1)
        elif how == "empty":
            value = np.zeros(0)
        elif how == "strings":
            value = np.array(["x"] * value.size)
        if how in ("nan", "inf", "negative", "zero", "huge", "shape", "2-D", "empty", "strings"):
            object.__setattr__(nodes[name], attr, value)
        elif how == "drop-edge":
            edges.pop(k % len(edges))
        elif how == "extra-edge":
            edges.append(("in", "fc2"))
        elif how == "cycle":
            edges.append(("lif", "fc1"))
        elif how == "self-loop":
            edges.append(("fc1", "fc1"))
        elif how == "unknown-node":
            nodes["d"] = nir.Delay(delay=np.array([1.0]))
            edges += [("lif", "d"), ("d", "fc2")]
        elif how == "missing-node":
            edges.append(("lif", "nowhere"))
        elif how == "input-3-D":
            inputs["in"] = np.zeros((10, 4, 2))
        elif how == "input-nan":
            inputs["in"] = np.full((10, 4), np.nan)
        elif how == "input-missing":
            inputs = {}
        elif how == "input-float":
            inputs["in"] = np.full((10, 4), 0.5)
        elif how == "dt-nan":
            dt = math.nan
        elif how == "dt-negative":
            dt = -DT
        source = nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)
    built = snn.io.from_nir(source, inputs=inputs, dt=dt)
    if expect == "invalid":
        raise Silent(f"built a network from a graph that must be refused ({kind} {how})")
    built.network.run(3 * DT)
    return "built and ran"


# ----------------------------------------------------------------------------- SONATA
@cache
def base_sonata() -> Path:
    """A SONATA folder written from a small network (virtual inputs, two point populations)."""
    import snn.io
    from snn.core import Network
    from snn.neurons import LIFAlpha, SpikeSourceArray
    from snn.synapses import FixedIndegree

    net = Network(dt=DT, seed=3, name="small")
    src = net.add_population(
        SpikeSourceArray(times=[2e-4, 5e-4, 9e-4], indices=[0, 1, 2]), 3, name="stim"
    )
    e = net.add_population(LIFAlpha(tau_m=np.linspace(10e-3, 20e-3, 6)), 6, name="E")
    i = net.add_population(LIFAlpha(), 2, name="I")
    net.connect(src, e, rule=FixedIndegree(indegree=2), weight=600e-12, delay=1e-3, receptor="exc")
    net.connect(e, i, rule=FixedIndegree(indegree=3), weight=200e-12, delay=2e-3, receptor="exc")
    net.connect(i, e, rule=FixedIndegree(indegree=1), weight=-200e-12, delay=1e-3, receptor="inh")
    stim = net.record_spikes(src)
    net.run(2e-3)
    folder = _tmp() / "sonata-base"
    snn.io.write_sonata(
        folder, net, templates={LIFAlpha: "nest:iaf_psc_alpha"}, spikes={"stim": stim.record()}
    )
    return folder


_SONATA_CHANGES = (
    "none",
    "cycle",
    "self-cycle",
    "manifest-number",
    "config-garbage",
    "config-list",
    "no-networks",
    "missing-file",
    "csv-binary",
    "csv-unknown-type",
    "csv-empty",
    "csv-missing-column",
    "csv-non-numeric",
    "node-ids-unsorted",
    "node-ids-duplicate",
    "node-ids-negative",
    "node-ids-float",
    "node-type-unknown",
    "edge-unknown-node",
    "edge-nan-weight",
    "edge-negative-delay",
    "edge-huge-delay",
    "edge-lengths",
    "edge-type-unknown",
    "edge-group-index",
    "dynamics-nan",
    "dynamics-unknown",
    "dynamics-garbage",
    "input-nan-times",
    "input-unknown-node",
    "run-dt-negative",
    "run-tstop-nan",
)


@st.composite
def _sonata_case(draw: Any) -> tuple[dict[str, Any], str, str]:
    how = draw(st.sampled_from(("none",) * 5 + _SONATA_CHANGES))
    k = draw(st.integers(0, 10**6))
    return {"how": how, "k": k}, "valid" if how == "none" else "either", f"{how} #{k}"


def _h5_edit(path: Path, fn: Any) -> None:
    import h5py

    with h5py.File(path, "r+") as f:
        fn(f)


def _replace(f: Any, name: str, data: Any) -> None:
    attrs = dict(f[name].attrs)
    del f[name]
    f[name] = data
    for k, v in attrs.items():
        f[name].attrs[k] = v


def run_sonata(args: dict[str, Any]) -> str:
    """read_sonata on a changed copy of the base folder; a built network runs 3 steps."""
    import snn.io
    from snn.neurons import LIFAlpha, SpikeSourceArray

    how, k = args["how"], args["k"]
    folder = _tmp() / "sonata-case"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(base_sonata(), folder)
    net_dir = folder / "network"
    sim = folder / "simulation_config.json"
    circuit = folder / "circuit_config.json"
    expect = "valid" if how == "none" else "invalid"

    def edit_json(path: Path, fn: Any) -> None:
        data = json.loads(path.read_text())
        fn(data)
        path.write_text(json.dumps(data))

    if how == "cycle":
        edit_json(
            circuit,
            lambda d: d["manifest"].update({"$A": "${B}/x", "$B": "${A}/y", "$NETWORK_DIR": "$A"}),
        )
    elif how == "self-cycle":
        edit_json(circuit, lambda d: d["manifest"].update({"$NETWORK_DIR": "$NETWORK_DIR/x"}))
    elif how == "manifest-number":
        edit_json(circuit, lambda d: d["manifest"].update({"$NETWORK_DIR": 3}))
    elif how == "config-garbage":
        circuit.write_bytes(bytes(range(256)))
    elif how == "config-list":
        circuit.write_text("[1, 2, 3]")
    elif how == "no-networks":
        edit_json(circuit, lambda d: d.pop("networks"))
    elif how == "missing-file":
        files = sorted(net_dir.iterdir())
        files[k % len(files)].unlink()
    elif how.startswith("csv-"):
        csvs = sorted(net_dir.glob("*_types.csv"))
        target = csvs[k % len(csvs)]
        lines = target.read_text().splitlines()
        if how == "csv-binary":
            target.write_bytes(
                bytes(np.random.default_rng(k).integers(0, 256, 300, dtype=np.uint8))
            )
        elif how == "csv-unknown-type":
            head, *rows = lines
            target.write_text(
                "\n".join([head] + [" ".join(["999", *r.split(" ")[1:]]) for r in rows]) + "\n"
            )
        elif how == "csv-empty":
            target.write_text("")
        elif how == "csv-missing-column":
            target.write_text("\n".join(" ".join(line.split(" ")[:1]) for line in lines) + "\n")
            if target.name.endswith("_edge_types.csv"):
                expect = "either"  # an edge type needs only its id (static synapse by default)
        else:
            head, *rows = lines
            target.write_text(
                "\n".join([head] + [" ".join(["x", *r.split(" ")[1:]]) for r in rows]) + "\n"
            )
    elif how.startswith("node-"):
        node_file = sorted(net_dir.glob("*_nodes.h5"))[k % 3]
        name = node_file.name[: -len("_nodes.h5")]

        def nodes(f: Any) -> None:
            ids = f[f"nodes/{name}/node_id"][()]
            if how == "node-ids-unsorted" and ids.size > 1:
                _replace(f, f"nodes/{name}/node_id", ids[::-1].copy())
            elif how == "node-ids-duplicate" and ids.size > 1:
                _replace(f, f"nodes/{name}/node_id", np.zeros_like(ids))
            elif how == "node-ids-negative":
                _replace(f, f"nodes/{name}/node_id", ids.astype(np.int64) - 5)
            elif how == "node-ids-float":
                _replace(f, f"nodes/{name}/node_id", ids.astype(np.float64) + 0.5)
            elif how == "node-type-unknown":
                types = f[f"nodes/{name}/node_type_id"][()]
                _replace(f, f"nodes/{name}/node_type_id", types + 1000)

        _h5_edit(node_file, nodes)
    elif how.startswith("edge-"):
        edge_files = sorted(net_dir.glob("*_edges.h5"))
        edge_file = edge_files[k % len(edge_files)]

        def edges(f: Any) -> None:
            (name,) = list(f["edges"])
            g = f[f"edges/{name}"]
            n = g["source_node_id"].shape[0]
            if how == "edge-unknown-node":
                tgt = g["target_node_id"][()]
                tgt[k % n] = 10**6
                _replace(f, f"edges/{name}/target_node_id", tgt)
            elif how == "edge-nan-weight":
                w = g["0/syn_weight"][()]
                w[k % n] = np.nan
                _replace(f, f"edges/{name}/0/syn_weight", w)
            elif how in ("edge-negative-delay", "edge-huge-delay"):
                d = g["0/delay"][()]
                d[k % n] = -1.0 if how == "edge-negative-delay" else 1e300
                _replace(f, f"edges/{name}/0/delay", d)
            elif how == "edge-lengths":
                _replace(f, f"edges/{name}/edge_type_id", g["edge_type_id"][()][:-1])
            elif how == "edge-type-unknown":
                _replace(f, f"edges/{name}/edge_type_id", g["edge_type_id"][()] + 1000)
            elif how == "edge-group-index":
                idx = g["edge_group_index"][()]
                idx[k % n] = 10**6
                _replace(f, f"edges/{name}/edge_group_index", idx)

        _h5_edit(edge_file, edges)
    elif how.startswith("dynamics-"):
        cells = sorted((folder / "components" / "cell_models").glob("*.json"))
        target = cells[k % len(cells)]
        if how == "dynamics-garbage":
            target.write_text("{not json")
        else:
            data = json.loads(target.read_text())
            if how == "dynamics-nan":
                data[sorted(data)[k % len(data)]] = float("nan")
            else:
                data["not_a_parameter"] = 1.0
            target.write_text(json.dumps(data))
    elif how.startswith("input-"):
        (spikes,) = folder.glob("*_input.h5")

        def inp(f: Any) -> None:
            (pop,) = list(f["spikes"])
            if how == "input-nan-times":
                t = f[f"spikes/{pop}/timestamps"][()]
                t[k % t.size] = np.nan
                _replace(f, f"spikes/{pop}/timestamps", t)
            else:
                ids = f[f"spikes/{pop}/node_ids"][()]
                ids[k % ids.size] = 10**6
                _replace(f, f"spikes/{pop}/node_ids", ids)

        _h5_edit(spikes, inp)
    elif how == "run-dt-negative":
        edit_json(sim, lambda d: d["run"].update({"dt": -0.1}))
    elif how == "run-tstop-nan":
        edit_json(sim, lambda d: d["run"].update({"tstop": float("nan")}))
    son = snn.io.read_sonata(
        sim,
        models={"nest:iaf_psc_alpha": lambda **p: LIFAlpha(**p)},
        spike_source=lambda t, i: SpikeSourceArray(times=t, indices=i),
    )
    if expect == "invalid":
        raise Silent(f"read a SONATA network that must be refused ({how})")
    son.network.run(3 * DT)
    return "read and ran"


FAMILIES = [
    Family(
        "checkpoint-files",
        "snn.io.load on damaged copies of a checkpoint: crafted datasets and descriptions with "
        "valid CRCs, hostile class names, truncation, flipped bits, foreign files",
        _checkpoint_case(),
        run_checkpoint,
        weight=4.0,
        setup=base_checkpoint,
    ),
    Family(
        "nwb-files",
        "snn.io.read_nwb on damaged copies of an NWB file (changed datasets and attributes, "
        "truncation, flipped bits) and on foreign files",
        _h5_case(),
        run_nwb,
        weight=1.5,
        setup=base_recordings,
    ),
    Family(
        "spike-stream-files",
        "snn.io.read_spike_stream on damaged copies of a spike stream and on foreign files",
        _h5_case(),
        run_stream,
        weight=1.5,
        setup=base_recordings,
    ),
    Family(
        "nir-graphs",
        "snn.io.from_nir on changed graphs (NaN, infinite, negative or misshapen parameters, "
        "broken or cyclic edges, unknown nodes, bad inputs and dt) and damaged .nir files",
        _nir_case(),
        run_nir,
        weight=2.0,
    ),
    Family(
        "sonata-folders",
        "snn.io.read_sonata on changed copies of a SONATA folder: manifest cycles, bad JSON, "
        "binary or inconsistent CSV, unknown node and edge types and ids, NaN or negative "
        "weights and delays, broken cell parameters and input spikes",
        _sonata_case(),
        run_sonata,
        weight=2.0,
        setup=base_sonata,
    ),
]
