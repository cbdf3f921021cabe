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
its paths. Loading treats the file as untrusted (:mod:`snn.io._checkpoint_read`): it rebuilds
the network's skeleton from the description, calling only allowed classes (snn's own and those
passed to :func:`load`), without generating the connectivity again, lays out the loop's arrays
exactly as a run would, checks every stored array against that layout and against what it
means, and only then copies them in. Python callbacks (``Network.every``) are not stored:
register them again after loading.

Layout of the file (format ``snn-checkpoint``, version :data:`VERSION`): a 512-byte header
(an HDF5 user block) ``SNN-CHECKPOINT <version> crc32=<hex> size=<bytes>`` sealing the HDF5 data
that follows it, then::

    /                       attrs: format, version, writer, network (JSON)
    /engine/{pending,nan_at}
    /populations/p<k>       attrs: spec (JSON: model, layout, initial values and state set
                            at t = 0);  state/<var>, rings/<receptor>, buffers/<name>,
                            spk, off, hist_ids, hist_cnt, arr_ids, arr_cnt, params/a<i>
    /projections/q<k>       attrs: spec (learning switch);  indptr, indices, [weight],
                            [delay | delay_runs], syn/<var>, src, tgt, tgt_hist,
                            w0 (initial weights), [sv0/<var>] (synapse variables as
                            Projection.set gave them at t = 0), params/a<i>
    /drives/d<k>            attrs: spec (target population, neurons of a view);  params/a<i>
    /monitors/m<k>          attrs: spec;  the recorded data (values/<var> of state and
                            synapse monitors; a version 3 file's synapse monitor: w),
                            params/a<i> (neurons of a view)

The header's CRC-32 of the whole file is checked before HDF5 reads anything (damaged HDF5
metadata can make the HDF5 library hang or crash); every dataset also carries the CRC-32 of its
bytes and every JSON attribute the CRC-32 of its text (``<name>_crc32``), checked when read.
Writes go to a temporary file beside the target, are flushed to disk, then renamed over it: a
crash never leaves a half file under the checkpoint's name, and the temporary file is removed on
any exit Python sees (:mod:`snn.io._tempfiles`).
"""

from __future__ import annotations

import json
import math
import os
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from snn.core import Network, RateMonitor, SpikeMonitor, StateMonitor, WeightMonitor
from snn.core.connectivity import DelayRuns
from snn.core.errors import ConfigurationError, FileFormatError, MemoryBudgetError, SNNWarning
from snn.core.validate import user_stacklevel
from snn.io._checkpoint_read import read
from snn.io._codec import allowed_classes, encode
from snn.io._tempfiles import check_checkpoint_path, temporary
from snn.io._untrusted import attribute

__all__ = ["FORMAT", "VERSION", "load", "save"]

#: value of the root attribute ``format`` of a checkpoint
FORMAT = "snn-checkpoint"
#: format version written (3: the sealed header; 4: synapse monitors name their variables)
VERSION = 4
#: versions :func:`load` reads (a version 3 file's synapse monitors recorded the weight only)
READABLE = (3, 4)
#: bytes of the header before the HDF5 data (an HDF5 user block, which HDF5 leaves alone)
HEADER = 512
_MAGIC = b"SNN-CHECKPOINT"


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
            stacklevel=user_stacklevel(),
        )
    path = check_checkpoint_path(path)
    # bring the loop's layout up to date (what the next run would do), so that every array
    # stored has the shape the loaded network lays out
    net._lay_out()
    with temporary(path) as tmp:
        with h5py.File(tmp, "w", libver="latest", userblock_size=HEADER) as f:
            _write(f, net)
            f.flush()
        _seal(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    _fsync_dir(path.parent)
    return path


def _file_crc(fh: Any, start: int) -> tuple[int, int]:
    """CRC-32 and length of a file's bytes from ``start`` on (read in 4 MiB pieces)."""
    fh.seek(start)
    crc, size = 0, 0
    while chunk := fh.read(1 << 22):
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    return crc, size


def _seal(path: Path) -> None:
    """Write the header: magic, version, and the CRC-32 and length of the HDF5 data after it."""
    with open(path, "r+b") as fh:
        crc, size = _file_crc(fh, HEADER)
        text = b"%s %d crc32=%08x size=%d\n" % (_MAGIC, VERSION, crc, size)
        fh.seek(0)
        fh.write(text.ljust(HEADER, b"\0"))


def _check_seal(path: Path) -> None:
    """Refuse a file whose header is not an snn checkpoint's or whose bytes do not match it.

    Run before HDF5 parses anything: damaged HDF5 metadata can make the HDF5 library hang.
    """
    with open(path, "rb") as fh:
        head = fh.read(HEADER)
        match = re.fullmatch(
            rb"%s (\d{1,4}) crc32=([0-9a-f]{8}) size=(\d{1,20})\n\0*" % _MAGIC, head
        )
        if match is None:
            if head.startswith(_MAGIC):
                raise FileFormatError(f"{path}: the checkpoint header is damaged.")
            raise FileFormatError(_not_a_checkpoint(path, head))
        version = int(match.group(1))
        if version not in READABLE:
            raise FileFormatError(
                f"{path} is an snn checkpoint of format version {version}; this snn-io reads "
                f"versions {READABLE}. Load it with the snn-io release that wrote it."
            )
        crc, size = _file_crc(fh, HEADER)
    if size != int(match.group(3)):
        raise FileFormatError(
            f"{path} is truncated or extended: the checkpoint holds {size} bytes after its header, "
            f"its header says {int(match.group(3))}."
        )
    if crc != int(match.group(2), 16):
        raise FileFormatError(
            f"{path} is corrupted: the CRC-32 of its bytes is {crc:08x}, its header says "
            f"{match.group(2).decode()}."
        )


def _not_a_checkpoint(path: Path, head: bytes) -> str:
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return (
            f"{path} is an HDF5 file without an snn checkpoint header: another kind of HDF5 file, "
            f"or a checkpoint of format version 2 or older (this snn-io reads version {VERSION})."
        )
    return f"{path} is not an snn checkpoint (it does not start with the checkpoint header)."


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


def _json(node: h5py.HLObject, name: str, value: dict[str, Any]) -> None:
    """A JSON attribute and the CRC-32 of its text (``<name>_crc32``)."""
    text = json.dumps(value)
    node.attrs[name] = text
    node.attrs[f"{name}_crc32"] = np.uint32(zlib.crc32(text.encode()))


def _spec(group: h5py.Group, spec: dict[str, Any], arrays: list[np.ndarray]) -> None:
    _json(group, "spec", spec)
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
    _json(
        f,
        "network",
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
        },
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
            if proj._sv0:  # and the synapse variables Projection.set gave at t = 0
                h = g.create_group("sv0")
                for name, a in proj._sv0.items():
                    _put(h, name, a)

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
    # (rings in their receptor's unit, however the loop holds them)
    for key, a in net._state_arrays(values=True).items():
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


def _window_spec(spec: dict[str, Any], mon: Any) -> None:
    """A monitor's recording window, when it has one.

    ``[start, stop]`` in steps; ``stop`` None when the window has no end.
    """
    if mon.start != 0.0 or not math.isinf(mon.stop):
        w0, w1 = mon._window
        spec["window"] = [int(w0), None if math.isinf(mon.stop) else int(w1)]


def _write_monitor(g: h5py.Group, mon: Any) -> None:
    arrays: list[np.ndarray] = []
    neurons = _neurons(mon.target, arrays)
    if isinstance(mon, SpikeMonitor):
        spec: dict[str, Any] = {"kind": "spikes", "population": mon.population.index}
        spec["neurons"] = neurons
        _window_spec(spec, mon)
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
        spec = {
            "kind": "weights",
            "projection": mon.projection.index,
            "variables": list(mon.variables),
            "every": mon.every,
        }
        # the synapses and their columns in the order given (files before that held the
        # sampling order, which reads back the same)
        _put(g, "synapses", mon.given)
        steps, values = _state_chunks(mon)
        _put(g, "steps", steps)
        v = g.create_group("values")
        columns = mon._columns
        for name, a in values.items():
            _put(v, name, a[:, columns])
    elif isinstance(mon, StateMonitor):
        spec = {
            "kind": "state",
            "population": mon.population.index,
            "variables": list(mon.variables),
            "every": mon.every,
        }
        _window_spec(spec, mon)
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
@contextmanager
def _open(path: Path) -> Iterator[h5py.File]:
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}.")
    if not path.is_file():
        raise FileFormatError(f"{path} is not a file; expected an snn checkpoint.")
    _check_seal(path)
    try:
        f = h5py.File(path, "r")
    except (OSError, ValueError) as exc:
        raise FileFormatError(
            f"{path} is not a readable HDF5 file ({exc}); expected an snn checkpoint (truncated "
            "or corrupted?)."
        ) from None
    with f:
        fmt = attribute(f, "format")
        if fmt != FORMAT:
            raise FileFormatError(
                f"{path} is an HDF5 file but not an snn checkpoint: its `format` attribute is "
                f"{fmt!r:.80}, expected {FORMAT!r}."
            )
        version = attribute(f, "version")
        if not isinstance(version, int) or version not in READABLE:
            raise FileFormatError(
                f"{path} is an snn checkpoint of format version {version!r:.40}; this snn-io reads "
                f"versions {READABLE}. Load it with the snn-io release that wrote it "
                f"({attribute(f, 'writer')!r:.80})."
            )
        yield f


def load(path: str | os.PathLike[str], *, models: Iterable[type] = ()) -> Network:
    """Read a checkpoint written by :func:`save`: the network, ready to run on.

    The file is treated as untrusted: nothing it names is imported or called except snn's own
    model, rule, synapse, drive and layout classes (the dataclasses exported by the installed
    snn packages) and the classes given in ``models``; every array is checked (shape, dtype,
    range, order, finiteness) before the network uses it.

    Parameters
    ----------
    path
        The checkpoint file.
    models
        Classes of your own that the network uses (neuron models, synapse models, drives,
        rules, layouts), e.g. ``models=[QIF]``. They are matched by module and qualified name,
        as the checkpoint stores them.

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
        truncated, corrupted (each dataset's CRC-32 is checked), names a class that is neither
        snn's nor in ``models``, or holds a value the network cannot take (the message names
        the dataset or group).
    snn.core.errors.MemoryBudgetError
        When the network it describes does not fit into memory.
    """
    path = Path(path)
    classes = allowed_classes(models)
    with _open(path) as f:
        try:
            return read(f, path, classes)
        except (FileFormatError, MemoryBudgetError):
            raise
        except (
            OSError,
            KeyError,
            ValueError,
            TypeError,
            IndexError,
            RecursionError,
            RuntimeError,  # h5py reports some damaged metadata so
        ) as exc:
            raise FileFormatError(
                f"{path}: cannot rebuild the network ({type(exc).__name__}: {exc}); the file is "
                "damaged or was not written by snn-io."
            ) from None
