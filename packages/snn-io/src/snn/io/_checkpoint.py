"""Checkpoints: a whole network in one HDF5 file, resumed bit for bit.

A checkpoint stores the network's description (models, synapse models, drives, rules and
layouts as class paths and parameters, see :mod:`snn.io._codec`) and every array the event loop
carries from one step to the next: state variables, ring buffers (inputs in flight), the slice
spike buffers and the pending-slice record, spike histories of plastic targets, connectivity
(CSR arrays), per-synapse state (weights, STP resources), source and target traces with their
histories, spike generators' buffers, and the data of every monitor. Random numbers are
counter-based (a pure function of seed, stream, neuron and step), so the seed and the step
restore them.

The arrays carried between steps are those :meth:`snn.core.Network._state_arrays` names, at
its paths. Loading rebuilds the network's skeleton from the description (without generating the
connectivity again), lays out the loop's arrays exactly as a run would, and overwrites each of
them with the stored one (shapes and dtypes checked). Python callbacks (``Network.every``) are
not stored: register them again after loading.

Layout of the file (format ``snn-checkpoint``, version :data:`VERSION`)::

    /                       attrs: format, version, writer, network (JSON)
    /engine/{pending,nan_at}
    /populations/p<k>       attrs: spec (JSON: model, layout, initial values and state set
                            at t = 0);  state/<var>, rings/<receptor>, buffers/<name>,
                            spk, off, hist_ids, hist_cnt, arr_ids, arr_cnt, params/a<i>
    /projections/q<k>       attrs: spec (learning switch);  indptr, indices, [weight],
                            [delay | delay_runs], syn/<var>, src, tgt, tgt_hist,
                            w0 (initial weights), params/a<i>
    /drives/d<k>            attrs: spec (target population, neurons of a view);  params/a<i>
    /monitors/m<k>          attrs: spec;  the recorded data, params/a<i> (neurons of a view)

Every dataset carries the CRC-32 of its bytes, checked when read. Writes go to a temporary file
beside the target, are flushed to disk, then renamed over it: a crash never leaves a half file
under the checkpoint's name.
"""

from __future__ import annotations

import json
import os
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from snn.core import Network, Projection, RateMonitor, SpikeMonitor, StateMonitor, WeightMonitor
from snn.core.connectivity import CSR, DelayRuns
from snn.core.errors import ConfigurationError, FileFormatError, SNNWarning
from snn.io._codec import decode, encode

__all__ = ["FORMAT", "VERSION", "load", "save"]

#: value of the root attribute ``format`` of a checkpoint
FORMAT = "snn-checkpoint"
#: format version written; :func:`load` reads exactly this version
VERSION = 2


# ----------------------------------------------------------------------------- writing
def save(net: Network, path: str | os.PathLike[str]) -> Path:
    """Write a checkpoint of ``net`` to ``path`` (atomically).

    Parameters
    ----------
    net
        The network, between runs (or between chunks, through ``run(checkpoint_every=...)``).
    path
        Target file; an existing file is replaced only once the new one is complete on disk.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ConfigurationError
        Under MPI with several ranks (not supported yet), or when a model holds a value that
        cannot be stored (an object bound to a live network).
    """
    if net.n_ranks > 1:
        raise ConfigurationError(
            "checkpoints of networks split over several MPI ranks are not supported yet; "
            f"this network runs on {net.n_ranks} ranks."
        )
    if net._hooks and not getattr(net, "_warned_hooks_saved", False):
        net._warned_hooks_saved = True
        warnings.warn(
            "Network.every callbacks are not stored in checkpoints; register them again after "
            "loading.",
            SNNWarning,
            stacklevel=2,
        )
    path = Path(path)
    # bring the loop's layout up to date (what the next run would do), so that every array
    # stored has the shape the loaded network lays out
    net._lay_out()
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with h5py.File(tmp, "w", libver="latest") as f:
            _write(f, net)
            f.flush()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def _put(group: h5py.Group, name: str, value: np.ndarray) -> None:
    arr = np.ascontiguousarray(value)
    ds = group.create_dataset(name, data=arr)
    ds.attrs["crc32"] = np.uint32(zlib.crc32(arr.view(np.uint8).reshape(-1)) if arr.size else 0)


def _spec(group: h5py.Group, spec: dict[str, Any], arrays: list[np.ndarray]) -> None:
    group.attrs["spec"] = json.dumps(spec)
    if arrays:
        params = group.create_group("params")
        for i, a in enumerate(arrays):
            _put(params, f"a{i}", a)


def _positions(positions: Any, n: int) -> np.ndarray:
    """Local positions (a slice or an index array) as an index array."""
    return np.arange(n)[positions] if isinstance(positions, slice) else np.asarray(positions)


def _view(pv: Any) -> list[int]:
    return [pv.population.index, pv.start, pv.stop]


def _neurons(target: Any, arrays: list[np.ndarray]) -> Any:
    """A drive's or monitor's neurons: None for a whole population, else the view's indices."""
    if target is target.population:
        return None
    return encode(np.asarray(target.indices), arrays, what="a view")


def _write(f: h5py.File, net: Network) -> None:
    f.attrs["format"] = FORMAT
    f.attrs["version"] = VERSION
    f.attrs["writer"] = "snn-io 0.1.0"
    f.attrs["network"] = json.dumps(
        {
            "dt": net.dt,
            "seed": net.seed,
            "dtype": str(net.float_dtype),
            "threads": net.threads,
            "parallel": net._parallel_choice,
            "name": net.name,
            "step": net.step,
            "populations": len(net.populations),
            "projections": len(net.projections),
            "drives": len(net._drives),
            "monitors": len(net._monitors),
        }
    )
    f.create_group("engine")
    pops = f.create_group("populations")
    for pop in net.populations:
        g = pops.create_group(f"p{pop.index}")
        arrays: list[np.ndarray] = []
        what = f"population {pop.name!r}"
        spec = {
            "name": pop.name,
            "size": pop.size,
            "first_id": pop.first_id,
            "model": encode(pop.model, arrays, what=f"the model of {what}"),
            "layout": encode(pop.layout, arrays, what=f"the positions of {what}"),
            # initial values, for Network.reset after loading
            "init": encode(pop._init, arrays, what=f"the initial values of {what}"),
            "set_at_0": [
                [
                    name,
                    encode(_positions(pos, pop.n_local), arrays, what=what),
                    encode(v, arrays, what=what),
                ]
                for name, pos, v in pop._init_overrides
            ],
        }
        _spec(g, spec, arrays)
        for sub in ("state", "rings", "buffers"):
            g.create_group(sub)

    projs = f.create_group("projections")
    for proj in net.projections:
        g = projs.create_group(f"q{proj.index}")
        arrays = []
        what = f"projection {proj.name!r}"
        csr = proj._csr
        try:
            rule = encode(proj.rule, arrays, what=f"the rule of {what}")
        except ConfigurationError:
            rule = None  # the rule only names how the synapses were made; they are stored
        spec = {
            "name": proj.name,
            "pre": _view(proj.pre),
            "post": _view(proj.post),
            "receptor": proj.receptor,
            "rule": rule,
            "synapse": encode(proj.synapse, arrays, what=f"the synapse model of {what}"),
            "weight": None if isinstance(csr.weight, np.ndarray) else float(csr.weight),
            "delay": int(csr.delay) if isinstance(csr.delay, int | np.integer) else None,
            "delay_first": csr.delay.first if isinstance(csr.delay, DelayRuns) else None,
            "born": proj._born,
            "learning": proj._learning,
        }
        _spec(g, spec, arrays)
        _put(g, "indptr", csr.indptr)
        _put(g, "indices", csr.indices)
        if isinstance(csr.weight, np.ndarray):
            _put(g, "weight", csr.weight)
        if isinstance(csr.delay, np.ndarray):
            _put(g, "delay", csr.delay)
        elif isinstance(csr.delay, DelayRuns):
            _put(g, "delay_runs", csr.delay.offsets)
        if proj.synapse is not None:
            g.create_group("syn")
            _put(g, "w0", proj._w0)  # the weights Network.reset restores

    drives = f.create_group("drives")
    for k, att in enumerate(net._drives):
        g = drives.create_group(f"d{k}")
        arrays = []
        spec = {
            "drive": encode(att.drive, arrays, what=f"drive {k} of {att.target.name!r}"),
            "target": att.population.index,
            "neurons": _neurons(att.target, arrays),
            "receptor": att.receptor,
        }
        _spec(g, spec, arrays)
    # every array the loop carries between steps, at the paths core names them by
    for key, a in net._state_arrays().items():
        _put(f, key, a)

    mons = f.create_group("monitors")
    for k, mon in enumerate(net._monitors):
        _write_monitor(mons.create_group(f"m{k}"), mon)


def _state_chunks(mon: StateMonitor) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    n = mon.local.shape[0] if not isinstance(mon, WeightMonitor) else mon.synapses.shape[0]
    if not mon._chunks:
        # nothing recorded yet: a load leaves the monitor empty whatever the dtype
        return np.zeros(0, np.int64), {v: np.zeros((0, n)) for v in mon.variables}
    steps = np.concatenate([c[0] for c in mon._chunks])
    values = {v: np.concatenate([c[1][v] for c in mon._chunks]) for v in mon.variables}
    return steps, values


def _write_monitor(g: h5py.Group, mon: Any) -> None:
    arrays: list[np.ndarray] = []
    neurons = _neurons(mon.target, arrays)
    if isinstance(mon, SpikeMonitor):
        spec: dict[str, Any] = {"kind": "spikes", "population": mon.population.index}
        spec["neurons"] = neurons
        n = mon.n_spikes
        _put(g, "steps", mon._steps[:n])
        _put(g, "ids", mon._ids[:n])
    elif isinstance(mon, RateMonitor):
        spec = {"kind": "rate", "population": mon.population.index, "neurons": neurons}
        _put(g, "starts", np.array([c[0] for c in mon._chunks], dtype=np.int64))
        _put(g, "lengths", np.array([c[1].shape[0] for c in mon._chunks], dtype=np.int64))
        counts = [c[1] for c in mon._chunks]
        _put(g, "counts", np.concatenate(counts) if counts else np.zeros(0, np.int32))
    elif isinstance(mon, WeightMonitor):
        spec = {"kind": "weights", "projection": mon.projection.index, "every": mon.every}
        _put(g, "synapses", mon.synapses)
        steps, values = _state_chunks(mon)
        _put(g, "steps", steps)
        _put(g, "w", values["w"])
    elif isinstance(mon, StateMonitor):
        spec = {
            "kind": "state",
            "population": mon.population.index,
            "variables": list(mon.variables),
            "every": mon.every,
        }
        _put(g, "neurons", mon.neurons)
        steps, values = _state_chunks(mon)
        _put(g, "steps", steps)
        v = g.create_group("values")
        for name, a in values.items():
            _put(v, name, a)
    else:
        raise ConfigurationError(f"cannot store a monitor of type {type(mon).__name__}.")
    _spec(g, spec, arrays)


# ----------------------------------------------------------------------------- reading
class _Reader:
    """Reads datasets and specs, turning every failure into a :class:`FileFormatError`."""

    def __init__(self, f: h5py.File, path: Path) -> None:
        self.f = f
        self.path = path

    def fail(self, what: str) -> FileFormatError:
        return FileFormatError(f"{self.path}: {what}")

    def array(self, group: h5py.Group, name: str) -> np.ndarray:
        where = f"{group.name}/{name}".replace("//", "/")
        if name not in group:
            raise self.fail(f"dataset {where} is missing (truncated or not written by snn-io?).")
        ds = group[name]
        if not isinstance(ds, h5py.Dataset):
            raise self.fail(f"{where} is a group, expected a dataset.")
        arr = np.ascontiguousarray(ds[()])
        want = ds.attrs.get("crc32")
        got = zlib.crc32(arr.view(np.uint8).reshape(-1)) if arr.size else 0
        if want is None or int(want) != got:
            raise self.fail(
                f"dataset {where} is corrupted: its CRC-32 is {got:#010x}, the file says "
                f"{'none' if want is None else hex(int(want))}."
            )
        return arr

    def maybe(self, group: h5py.Group, name: str) -> np.ndarray | None:
        return self.array(group, name) if name in group else None

    def group_at(self, where: str) -> h5py.Group:
        """The group at ``where`` (a path from the root)."""
        group = self.f
        for part in where.split("/"):
            group = self.group(group, part)
        return group

    def group(self, parent: h5py.Group, name: str) -> h5py.Group:
        if name not in parent or not isinstance(parent[name], h5py.Group):
            raise self.fail(f"group {parent.name.rstrip('/')}/{name} is missing.")
        return parent[name]

    def spec(self, group: h5py.Group) -> tuple[dict[str, Any], list[np.ndarray]]:
        raw = group.attrs.get("spec")
        if raw is None:
            raise self.fail(f"{group.name} has no `spec` attribute.")
        try:
            spec = json.loads(raw)
        except (TypeError, ValueError) as exc:
            raise self.fail(f"the `spec` of {group.name} is not valid JSON ({exc}).") from None
        arrays = []
        if "params" in group:
            params = group["params"]
            arrays = [self.array(params, f"a{i}") for i in range(len(params))]
        return spec, arrays


def _plain(value: Any) -> Any:
    """An attribute as a plain Python value (h5py hands out numpy scalars)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value


@contextmanager
def _open(path: Path) -> Iterator[_Reader]:
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}.")
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise FileFormatError(
            f"{path} is not a readable HDF5 file ({exc}); expected an snn checkpoint (truncated "
            "or corrupted?)."
        ) from None
    with f:
        fmt = _plain(f.attrs.get("format"))
        if fmt != FORMAT:
            raise FileFormatError(
                f"{path} is an HDF5 file but not an snn checkpoint: its `format` attribute is "
                f"{fmt!r}, expected {FORMAT!r}."
            )
        version = _plain(f.attrs.get("version"))
        if not isinstance(version, int) or version != VERSION:
            raise FileFormatError(
                f"{path} is an snn checkpoint of format version {version!r}; this snn-io reads "
                f"version {VERSION}. Load it with the snn-io release that wrote it "
                f"({_plain(f.attrs.get('writer', 'unknown'))!r})."
            )
        yield _Reader(f, path)


def load(path: str | os.PathLike[str]) -> Network:
    """Read a checkpoint written by :func:`save`: the network, ready to run on.

    Parameters
    ----------
    path
        The checkpoint file.

    Returns
    -------
    Network
        At the step it was saved, with its monitors' data; running it gives the same spikes and
        state as the original network would have, bit for bit.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    snn.core.errors.FileFormatError
        When the file is not an HDF5 file, not an snn checkpoint, of another format version,
        truncated or corrupted (each dataset's CRC-32 is checked).
    """
    path = Path(path)
    with _open(path) as r:
        try:
            return _read(r)
        except FileFormatError:
            raise
        except (OSError, KeyError, ValueError, TypeError, IndexError) as exc:
            raise FileFormatError(
                f"{path}: cannot rebuild the network ({type(exc).__name__}: {exc}); the file is "
                "damaged or was not written by snn-io."
            ) from None


def _read(r: _Reader) -> Network:
    f = r.f
    try:
        meta = json.loads(f.attrs["network"])
    except (KeyError, TypeError, ValueError) as exc:
        raise r.fail(f"the root `network` attribute is missing or damaged ({exc}).") from None
    net = Network(
        dt=meta["dt"],
        seed=meta["seed"],
        dtype=meta["dtype"],
        threads=meta["threads"],
        parallel=meta["parallel"],
        name=meta["name"],
    )
    with warnings.catch_warnings():
        # anything worth a warning was said when the network was first built
        warnings.simplefilter("ignore", SNNWarning)
        pops = r.group(f, "populations")
        for k in range(meta["populations"]):
            g = r.group(pops, f"p{k}")
            spec, arrays = r.spec(g)
            pop = net.add_population(
                decode(spec["model"], arrays),
                spec["size"],
                name=spec["name"],
                init=decode(spec.get("init"), arrays),
                positions=decode(spec["layout"], arrays),
            )
            pop._init_overrides = [
                (name, decode(pos, arrays), decode(v, arrays))
                for name, pos, v in spec.get("set_at_0", [])
            ]
        projs = r.group(f, "projections")
        fdt = net.float_dtype
        for k in range(meta["projections"]):
            g = r.group(projs, f"q{k}")
            spec, arrays = r.spec(g)
            pre, post = (_view_of(net, spec[s]) for s in ("pre", "post"))
            weight = r.array(g, "weight") if spec["weight"] is None else spec["weight"]
            if spec["delay_first"] is not None:
                delay = DelayRuns(spec["delay_first"], r.array(g, "delay_runs"))
            else:
                delay = r.array(g, "delay") if spec["delay"] is None else spec["delay"]
            csr = CSR(r.array(g, "indptr"), r.array(g, "indices"), weight, delay)
            try:
                rule = decode(spec["rule"], arrays)
            except (FileFormatError, ConfigurationError):
                rule = None
            proj = Projection(
                pre=pre,
                post=post,
                receptor=spec["receptor"],
                csr=csr,
                name=spec["name"],
                index=k,
                rule=rule,
            )
            synapse = decode(spec["synapse"], arrays)
            if synapse is not None:
                synapse.check(net.dt)
                proj._attach(synapse, net.dt, fdt)
                for attr in ("src", "tgt", "tgt_hist"):
                    a = r.maybe(g, attr)
                    if a is not None:
                        # set before the layout so that it is kept (checked when overwritten)
                        setattr(proj, "_" + attr, a)
            net._add_projection(proj)
            proj._born = int(spec["born"])
            if synapse is not None:
                w0 = r.maybe(g, "w0")
                if w0 is not None:
                    proj._w0 = w0
                if not spec.get("learning", True):
                    proj.set(learning=False)
        drives = r.group(f, "drives")
        for k in range(meta["drives"]):
            spec, arrays = r.spec(r.group(drives, f"d{k}"))
            target = _target_of(net, spec, arrays)
            net.add_drive(decode(spec["drive"], arrays), target)
        mons = r.group(f, "monitors")
        for k in range(meta["monitors"]):
            _read_monitor(r, net, r.group(mons, f"m{k}"))
    net._step = int(meta["step"])
    net._lay_out()
    for key, current in net._state_arrays().items():
        parent, _, name = key.rpartition("/")
        _overwrite(r, key, current, r.array(r.group_at(parent), name))
    return net


def _view_of(net: Network, ref: list[int]) -> Any:
    pop = net.populations[ref[0]]
    if (ref[1], ref[2]) == (0, pop.size):
        return pop
    return pop[ref[1] : ref[2]]


def _target_of(net: Network, spec: dict[str, Any], arrays: list[np.ndarray]) -> Any:
    """The population, or the view of it, a drive or monitor was attached to."""
    pop = net.populations[spec["population" if "population" in spec else "target"]]
    neurons = spec.get("neurons")
    return pop if neurons is None else pop[decode(neurons, arrays)]


def _overwrite(r: _Reader, key: str, current: np.ndarray, value: np.ndarray) -> None:
    """Copy ``value`` into the array the rebuilt network laid out (same shape and dtype)."""
    if current.shape != value.shape or current.dtype != value.dtype:
        raise r.fail(
            f"the stored array {key!r} has shape {value.shape} and dtype {value.dtype}; the "
            f"rebuilt network lays out {current.shape} and {current.dtype}."
        )
    current[...] = value


def _read_monitor(r: _Reader, net: Network, g: h5py.Group) -> None:
    spec, arrays = r.spec(g)
    kind = spec["kind"]
    if kind == "spikes":
        mon = net.record_spikes(_target_of(net, spec, arrays))
        steps, ids = r.array(g, "steps"), r.array(g, "ids")
        n = steps.shape[0]
        cap = max(n, mon._steps.shape[0])
        mon._steps = np.empty(cap, dtype=np.int64)
        mon._ids = np.empty(cap, dtype=np.int32)
        mon._steps[:n], mon._ids[:n] = steps, ids
        mon._count[0] = n
    elif kind == "rate":
        rate = net.record_rate(_target_of(net, spec, arrays))
        starts, lengths = r.array(g, "starts"), r.array(g, "lengths")
        counts = r.array(g, "counts")
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        rate._chunks = [
            (int(s), counts[bounds[i] : bounds[i + 1]].copy()) for i, s in enumerate(starts)
        ]
    elif kind == "weights":
        proj = net.projections[spec["projection"]]
        wmon = net.record_weights(
            proj, synapses=r.array(g, "synapses"), interval=spec["every"] * net.dt
        )
        wmon.synapses = r.array(g, "synapses")  # in the loop's sampling order
        steps, w = r.array(g, "steps"), r.array(g, "w")
        wmon._chunks = [(steps, {"w": w})] if steps.size else []
    elif kind == "state":
        smon = net.record_state(
            net.populations[spec["population"]],
            spec["variables"],
            neurons=r.array(g, "neurons"),
            interval=spec["every"] * net.dt,
        )
        steps = r.array(g, "steps")
        h = r.group(g, "values")
        values = {v: r.array(h, v) for v in spec["variables"]}
        smon._chunks = [(steps, values)] if steps.size else []
    else:
        raise r.fail(f"unknown monitor kind {kind!r} in {g.name}.")
