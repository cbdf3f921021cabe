"""Reading a checkpoint: the file is untrusted until every value in it has been checked.

The network is rebuilt through the public API from the stored description (classes from the
allow-list of :mod:`snn.io._codec` only, called with their stored parameters, which validate
themselves), without generating connectivity again. Every stored array is checked before any of
snn's code uses it:

* each dataset's CRC-32 (accidents) and the CRC-32 of each JSON description;
* connectivity before the projection is made (the engine's compiled kernels index with it):
  row pointers start at 0, never decrease and end at the synapse count; target indices lie
  within the target population (or view) and are sorted within each row (within each delay's
  run); weights are finite, of the receptor's sign and within the synapse model's bounds; delays
  are whole steps >= 1; delay runs start at 0 and end at their row's length;
* state and buffers against the layout the rebuilt network makes (same shape and dtype) and
  their meaning: finite floats, counters and conductances >= 0, spike ids below the population
  size, offsets and counts within their buffers, the pending slice consistent with the step,
  generator buffers equal to the ones rebuilt from the generator's parameters (positions within
  them excepted);
* monitors' data within the population and the simulated time.

Only then are the arrays copied into the network. Any failure raises
:class:`~snn.core.errors.FileFormatError` naming the file and the dataset or group.
"""

from __future__ import annotations

import json
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from snn.core import (
    Drive,
    Model,
    Network,
    NeuronModel,
    Population,
    Positions,
    Projection,
    StateMonitor,
    SynapseModel,
)
from snn.core.connectivity import CSR, ConnectionRule, DelayRuns
from snn.core.errors import ConfigurationError, FileFormatError, SNNError, SNNWarning
from snn.core.validate import INT_LIMIT
from snn.io._codec import decode
from snn.io._untrusted import Where, sorted_within

__all__ = ["read"]

#: most populations, projections, drives or monitors a file may describe
_MAX_PARTS = 1 << 20
#: largest population a file may describe (the memory check refuses what does not fit)
_MAX_SIZE = 1 << 40

#: a check run on a stored array before it is copied into the network
Check = Callable[[Where, np.ndarray], None]


class _Reader:
    """Reads datasets and descriptions of one open checkpoint, checking CRCs."""

    def __init__(self, f: h5py.File, path: Path, classes: Mapping[str, type]) -> None:
        self.f = f
        self.path = path
        self.classes = classes
        #: a format version 3 file (already checked to be 3 or 4): datasets and descriptions
        #: that version 4 always writes may be absent there (see where ``legacy`` is read)
        self.legacy = int(f.attrs["version"]) == 3

    def where(self, place: str) -> Where:
        return Where(self.path, place)

    def array(self, group: h5py.Group, name: str) -> np.ndarray:
        w = self.where(f"{group.name.rstrip('/')}/{name}")
        if name not in group:
            raise w.fail("is missing (truncated, or not written by snn-io?).")
        ds = group[name]
        if not isinstance(ds, h5py.Dataset):
            raise w.fail("is a group, expected a dataset.")
        if ds.dtype.kind not in "biuf" or ds.dtype.byteorder == ">":
            raise w.fail(f"holds {ds.dtype} values, expected native booleans or numbers.")
        arr = np.ascontiguousarray(w.read(ds))
        want = ds.attrs.get("crc32")
        got = zlib.crc32(arr.view(np.uint8).reshape(-1)) if arr.size else 0
        if want is None or np.ndim(want) != 0 or int(want) != got:
            raise w.fail(
                f"is corrupted: its CRC-32 is {got:#010x}, the file says "
                f"{'none' if want is None else _hex(want)}."
            )
        return arr

    def maybe(self, group: h5py.Group, name: str) -> np.ndarray | None:
        return self.array(group, name) if name in group else None

    def group(self, parent: h5py.Group, name: str) -> h5py.Group:
        if name not in parent or not isinstance(parent[name], h5py.Group):
            raise self.where(f"{parent.name.rstrip('/')}/{name}").fail("is missing.")
        return parent[name]

    def json(self, node: h5py.HLObject, attr: str) -> Any:
        """A JSON attribute (with its CRC-32 when the file has one)."""
        w = self.where(f"{node.name} (attribute {attr!r})")
        raw = _plain(node.attrs.get(attr))
        if not isinstance(raw, str):
            raise w.fail(f"is missing or not text (got {type(raw).__name__}).")
        want = node.attrs.get(f"{attr}_crc32")
        if want is not None and int(want) != zlib.crc32(raw.encode()):
            raise w.fail("is corrupted: its CRC-32 does not match.")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise w.fail(f"is not valid JSON ({type(exc).__name__}).") from None

    def spec(self, group: h5py.Group, keys: tuple[str, ...]) -> tuple[dict, list[np.ndarray]]:
        spec = self.where(group.name).mapping(self.json(group, "spec"), "spec", keys)
        arrays = []
        if "params" in group:
            params = self.group(group, "params")
            arrays = [self.array(params, f"a{i}") for i in range(len(params))]
        return spec, arrays

    def decode(self, group: h5py.Group, data: Any, arrays: list[np.ndarray], kind: type) -> Any:
        w = self.where(group.name)
        try:
            value = decode(data, arrays, self.classes)
        except FileFormatError as exc:
            raise w.fail(str(exc)) from None
        except (ConfigurationError, ValueError, TypeError, RecursionError) as exc:
            raise w.fail(f"the stored parameters are refused: {exc}") from None
        if value is not None and not isinstance(value, kind):
            raise w.fail(f"describes a {type(value).__name__}, expected a {kind.__name__}.")
        return value


def _hex(value: Any) -> str:
    try:
        return f"{int(value):#010x}"
    except (TypeError, ValueError, OverflowError):
        return repr(value)[:40]


def _plain(value: Any) -> Any:
    """An attribute as a plain Python value (h5py hands out numpy scalars and bytes)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value


@contextmanager
def _building(where: Where) -> Iterator[None]:
    """Turn a refusal by the public API into a FileFormatError saying where in the file."""
    try:
        yield
    except FileFormatError:
        raise
    except SNNError as exc:
        if isinstance(exc, MemoryError):
            raise
        raise where.fail(f"the stored description is refused: {exc}") from None


def read(f: h5py.File, path: Path, classes: Mapping[str, type]) -> Network:
    """The network of an open checkpoint (format and version already checked)."""
    r = _Reader(f, path, classes)
    w = r.where("/ (attribute 'network')")
    meta = w.mapping(
        r.json(f, "network"),
        "network",
        (
            "dt",
            "seed",
            "dtype",
            "threads",
            "parallel",
            "name",
            "step",
            "populations",
            "projections",
            "drives",
            "monitors",
        ),
    )
    step = w.integer(meta["step"], "step", high=INT_LIMIT - 1)
    counts = {}
    for part, letter in (
        ("populations", "p"),
        ("projections", "q"),
        ("drives", "d"),
        ("monitors", "m"),
    ):
        counts[part] = w.integer(meta[part], part, high=_MAX_PARTS)
        group = r.group(f, part)
        expected = [f"{letter}{k}" for k in range(counts[part])]
        for name in expected:
            r.group(group, name)
        extra = sorted(set(group) - set(expected))
        if extra:
            raise r.where(f"/{part}").fail(
                f"holds {extra[:5]} beyond the {counts[part]} the network description lists."
            )
    with _building(w):
        net = Network(
            dt=w.number(meta["dt"], "dt", low=0.0),
            seed=meta["seed"],
            dtype=meta["dtype"],
            threads=w.integer(meta["threads"], "threads", low=1, high=4096),
            parallel=meta["parallel"],
            name=w.text(meta["name"], "name"),
        )
    with warnings.catch_warnings():
        # anything worth a warning was said when the network was first built
        warnings.simplefilter("ignore", SNNWarning)
        for k in range(counts["populations"]):
            _read_population(r, net, r.group(r.group(f, "populations"), f"p{k}"))
        for k in range(counts["projections"]):
            _read_projection(r, net, r.group(r.group(f, "projections"), f"q{k}"), k, step)
        for k in range(counts["drives"]):
            _read_drive(r, net, r.group(r.group(f, "drives"), f"d{k}"))
        for k in range(counts["monitors"]):
            _read_monitor(r, net, r.group(r.group(f, "monitors"), f"m{k}"), step)
    net._step = step
    with _building(w):
        net._lay_out()
    for q in net.projections:
        # a continuous coupling (a gap junction) keeps no traces
        if q.synapse is not None and q.synapse.coupling_function() is None:
            _plastic_shapes(r, q)
    # every array the loop carries between steps, at the path core names it by; all are read
    # and checked before the first is copied in
    checks = _state_checks(net)
    stored = []
    for key, current in net._state_arrays(values=True).items():
        parent, _, name = key.rpartition("/")
        group: Any = f
        for part in parent.split("/"):
            group = r.group(group, part)
        legacy = r.legacy and name == "src_step"
        value = r.maybe(group, name) if legacy else r.array(group, name)
        if value is None:
            # a version 3 file of snn before decision 0026 holds the source traces as their
            # value at its step: the step of that value is the file's
            value = np.full(current.shape, step, dtype=np.int64)
        where = r.where(f"/{key}")
        if current.shape != value.shape or current.dtype != value.dtype:
            raise where.fail(
                f"has shape {value.shape} and dtype {value.dtype}; the rebuilt network lays out "
                f"{current.shape} and {current.dtype}."
            )
        checks.get(key, _bounded(None))(where, value)
        stored.append((key, current, value))
    for key, current, value in stored:
        net._put_state(key, current, value)
    return net


# ----------------------------------------------------------------------------- populations
def _read_population(r: _Reader, net: Network, g: h5py.Group) -> None:
    spec, arrays = r.spec(g, ("name", "size", "first_id", "model", "layout"))
    w = r.where(g.name)
    model = r.decode(g, spec["model"], arrays, Model)
    if model is None:
        raise w.fail("describes no model.")
    layout = r.decode(g, spec["layout"], arrays, Positions)
    init = r.decode(g, spec.get("init"), arrays, dict)
    with _building(w):
        pop = net.add_population(
            model,
            w.integer(spec["size"], "size", low=1, high=_MAX_SIZE),
            name=w.text(spec["name"], "name"),
            init=init,
            positions=layout,
        )
    if w.integer(spec["first_id"], "first_id", high=_MAX_SIZE * _MAX_PARTS) != pop.first_id:
        raise w.fail(
            f"says its first id is {spec['first_id']}, but it comes after {pop.first_id} neurons."
        )
    overrides = spec.get("set_at_0", [])
    if not isinstance(overrides, list):
        raise w.fail(f"has `set_at_0` = {overrides!r:.60}, expected a list.")
    pop._init_overrides = [_override(r, g, pop, item, arrays) for item in overrides]


def _override(r: _Reader, g: h5py.Group, pop: Population, item: Any, arrays: list) -> tuple:
    """One state value set at t = 0: ``(variable, local positions, values)``, checked."""
    w = r.where(f"{g.name} (set_at_0)")
    if not (isinstance(item, list) and len(item) == 3):
        raise w.fail(f"holds {item!r:.60}, expected [variable, positions, values].")
    name = item[0]
    var = next((v for v in pop.model.state_vars if v.name == name), None)
    if var is None:
        raise w.fail(f"names {name!r:.40}, which is not a state variable of the model.")
    positions = w.array(r.decode(g, item[1], arrays, np.ndarray), kinds="iu", ndim=1)
    w.within(positions, 0, max(pop.n_local - 1, 0))
    values = r.decode(g, item[2], arrays, object)
    with _building(w):
        values = np.asarray(values, dtype=pop.state[name].dtype)
        if values.shape not in ((), positions.shape):
            raise ConfigurationError(
                f"{values.size} values of `{name}` for {positions.size} neurons."
            )
    _bounded(var.low)(w, values.astype(np.float64))
    return name, positions, values


def _same_names(w: Where, stored: list[str], expected: list[str]) -> None:
    if sorted(stored) != sorted(expected):
        raise w.fail(f"holds {sorted(stored)}, expected {sorted(expected)}.")


def _plastic_shapes(r: _Reader, q: Projection) -> None:
    """Traces a checkpoint set before the layout was made must have the layout's shapes."""
    model = q.synapse
    assert model is not None
    n_src, n_tgt = len(model.source_traces), len(model.target_traces)
    n_post = q.post.population.n_local
    expected = {
        "_src": (q.post.population.network._n_blocks, n_src, q.pre.size),
        "_src_step": (q.post.population.network._n_blocks, q.pre.size),
        "_tgt": (n_tgt, n_post),
        "_tgt_hist": (q._history_rows(), q._tgt_hist.shape[1], n_post),
    }
    for attr, shape in expected.items():
        if getattr(q, attr).shape != shape:
            raise r.where(f"/projections/q{q.index}/{attr[1:]}").fail(
                f"has shape {getattr(q, attr).shape}, expected {shape}."
            )


# ----------------------------------------------------------------------------- projections
def _read_projection(r: _Reader, net: Network, g: h5py.Group, k: int, step: int) -> None:
    keys = (
        "name",
        "pre",
        "post",
        "receptor",
        "synapse",
        "rule",
        "weight",
        "delay",
        "delay_first",
        "born",
    )
    spec, arrays = r.spec(g, keys)
    w = r.where(g.name)
    pre, post = (_view_of(w, net, spec[s], s) for s in ("pre", "post"))
    if not isinstance(post.model, NeuronModel):
        raise w.fail(f"targets population {post.name!r}, a spike source that takes no synapses.")
    receptor = w.text(spec["receptor"], "receptor")
    with _building(w):
        rec = post.model.receptor(receptor)
    fdt = net.float_dtype
    indptr = r.array(g, "indptr")
    indices = r.array(g, "indices")
    r.where(f"{g.name}/indptr").row_pointer(indptr, pre.size, indices.shape[0])
    n = indices.shape[0]
    target = post.population
    lo, hi = 0, target.n_local
    if post is not target:
        lo, hi = post.local_positions.start, post.local_positions.stop
    wi = r.where(f"{g.name}/indices")
    wi.array(indices, kinds="u", ndim=1)
    if indices.dtype not in (np.uint16, np.uint32):
        raise wi.fail(f"holds {indices.dtype}, expected uint16 or uint32 target indices.")
    wi.within(indices, lo, hi - 1)
    synapse = r.decode(g, spec["synapse"], arrays, SynapseModel)
    if spec["weight"] is None:
        weight = r.array(g, "weight")
        ww = r.where(f"{g.name}/weight")
        ww.array(weight, kinds="f", shape=(n,))
        if weight.dtype != fdt:
            raise ww.fail(f"holds {weight.dtype}, expected the network's {fdt}.")
        ww.finite(weight)
    else:
        weight = w.number(spec["weight"], "weight")
        if synapse is not None:
            raise w.fail("a projection with a synapse model must store a weight per synapse.")
    _weight_sign(r.where(f"{g.name}/weight"), weight, rec.sign)
    bounds = indptr
    if spec["delay_first"] is not None:
        first = w.integer(spec["delay_first"], "delay_first", low=1, high=2**31)
        offsets = r.array(g, "delay_runs")
        wr = r.where(f"{g.name}/delay_runs")
        wr.array(offsets, kinds="u", ndim=2)
        if offsets.dtype not in (np.uint16, np.uint32):
            raise wr.fail(f"holds {offsets.dtype}, expected uint16 or uint32 run starts.")
        if offsets.shape[0] != pre.size or offsets.shape[1] < 2:
            raise wr.fail(f"has shape {offsets.shape}, expected ({pre.size}, >= 2).")
        if first + offsets.shape[1] - 2 > 2**31:
            raise wr.fail("covers delays beyond 2**31 steps.")
        if offsets.size and (
            np.any(offsets[:, 0] != 0) or np.any(np.diff(offsets.astype(np.int64), axis=1) < 0)
        ):
            raise wr.fail("runs must start at 0 and never decrease within a row.")
        if not np.array_equal(offsets[:, -1].astype(np.int64), np.diff(indptr)):
            raise wr.fail("the runs do not end at their rows' lengths (indptr).")
        delay: Any = DelayRuns(first, offsets)
        bounds = np.unique((indptr[:-1, None] + offsets.astype(np.int64)).ravel())
    elif spec["delay"] is None:
        delay = r.array(g, "delay")
        wd = r.where(f"{g.name}/delay")
        wd.array(delay, kinds="u", shape=(n,))
        if delay.dtype not in (np.uint16, np.uint32):
            raise wd.fail(f"holds {delay.dtype}, expected uint16 or uint32 steps.")
        wd.within(delay, 1, 2**31)
    else:
        delay = w.integer(spec["delay"], "delay", low=1, high=2**31)
    sorted_within(r.where(f"{g.name}/indices"), indices, bounds)
    rule = r.decode(g, spec["rule"], arrays, ConnectionRule)
    proj = Projection(
        pre=pre,
        post=post,
        receptor=rec.name,
        csr=CSR(indptr, indices, weight, delay),
        name=w.text(spec["name"], "name"),
        index=k,
        rule=rule,
    )
    if synapse is not None:
        with _building(w):
            synapse.check(net.dt)
            proj._attach(synapse, net.dt, fdt)
        for attr in ("src", "tgt", "tgt_hist"):
            a = r.maybe(g, attr)
            if a is not None:
                wa = r.where(f"{g.name}/{attr}")
                wa.finite(wa.array(a, kinds="f", ndim={"src": 3, "tgt": 2, "tgt_hist": 3}[attr]))
                if a.dtype != fdt:
                    raise wa.fail(f"holds {a.dtype}, expected the network's {fdt}.")
                # set before the layout so that it is kept (read again and checked after it)
                setattr(proj, "_" + attr, a)
    with _building(w):
        net._add_projection(proj)
    proj._born = w.integer(spec["born"], "born", high=step)
    if synapse is not None:
        w0 = r.array(g, "w0")  # the weights Network.reset restores: always written
        ww = r.where(f"{g.name}/w0")
        _typed(ww, w0, fdt, (n,)).finite(w0)
        low, high = synapse.weight_bounds()
        ww.within(
            w0,
            max(low, 0.0 if rec.sign > 0 else -np.inf),
            min(high, 0.0 if rec.sign < 0 else np.inf),
        )
        proj._w0 = w0
        if "sv0" in g:  # synapse variables set at t = 0 (what Network.reset restores)
            h = r.group(g, "sv0")
            given = {}
            for name in h:
                wv = r.where(f"{h.name}/{name}")
                if name not in proj._syn_state:
                    raise wv.fail(f"names no synapse variable of {type(synapse).__name__}.")
                given[name] = r.array(h, name)
                _typed(wv, given[name], proj._syn_state[name].dtype, (n,)).finite(given[name])
            proj._sv0 = given
        learning = spec.get("learning", True)
        if not isinstance(learning, bool):
            raise w.fail(f"has `learning` = {learning!r:.40}, expected true or false.")
        if not learning:
            with _building(w):
                proj.set(learning=False)


def _target_of(r: _Reader, g: h5py.Group, net: Network, spec: dict, arrays: list, key: str) -> Any:
    """The population, or the view of it, that a drive or monitor was attached to."""
    w = r.where(g.name)
    w.mapping(spec, "spec", (key,))
    pop = net.populations[w.integer(spec[key], key, high=len(net.populations) - 1)]
    neurons = spec.get("neurons")
    if neurons is None:
        return pop
    indices = w.array(r.decode(g, neurons, arrays, np.ndarray), kinds="iu", ndim=1)
    w.within(indices, 0, pop.size - 1)
    with _building(w):
        return pop[indices]


def _view_of(w: Where, net: Network, ref: Any, what: str) -> Any:
    if not (isinstance(ref, list) and len(ref) == 3):
        raise w.fail(f"has `{what}` = {ref!r:.80}, expected [population, start, stop].")
    index = w.integer(ref[0], what, high=len(net.populations) - 1)
    pop = net.populations[index]
    start = w.integer(ref[1], f"{what} start", high=pop.size - 1)
    stop = w.integer(ref[2], f"{what} stop", low=start + 1, high=pop.size)
    return pop if (start, stop) == (0, pop.size) else pop[start:stop]


def _weight_sign(w: Where, weight: Any, sign: int) -> None:
    arr = np.asarray(weight)
    if sign > 0 and arr.size and arr.min() < 0:
        raise w.fail(f"holds {float(arr.min())!r}; the receptor takes weights >= 0.")
    if sign < 0 and arr.size and arr.max() > 0:
        raise w.fail(f"holds {float(arr.max())!r}; the receptor takes weights <= 0.")


# ----------------------------------------------------------------------------- drives, monitors
def _read_drive(r: _Reader, net: Network, g: h5py.Group) -> None:
    spec, arrays = r.spec(g, ("drive", "target", "receptor"))
    w = r.where(g.name)
    drive = r.decode(g, spec["drive"], arrays, Drive)
    if drive is None:
        raise w.fail("describes no drive.")
    target = _target_of(r, g, net, spec, arrays, "target")
    with _building(w):
        net.add_drive(drive, target)
    if net._drives[-1].receptor != spec["receptor"]:
        raise w.fail(
            f"says the drive feeds {spec['receptor']!r:.40}, but it feeds "
            f"{net._drives[-1].receptor!r}."
        )


def _window(w: Where, spec: dict[str, Any], dt: float) -> dict[str, float]:
    """A monitor's recording window (``start``, ``stop`` [s]) from its spec.

    None when absent: files before 7 December 2026 did not keep it.
    """
    if "window" not in spec:
        return {}
    win = spec["window"]
    if not isinstance(win, list) or len(win) != 2:
        raise w.fail(f"has `window` = {win!r:.60}, expected [start, stop] in steps.")
    w0 = w.integer(win[0], "window[0]", high=INT_LIMIT - 2)
    if win[1] is None:
        return {"start": w0 * dt}
    w1 = w.integer(win[1], "window[1]", low=w0 + 1, high=INT_LIMIT - 1)
    return {"start": w0 * dt, "stop": w1 * dt}


def _read_monitor(r: _Reader, net: Network, g: h5py.Group, step: int) -> None:
    w = r.where(g.name)
    spec, arrays = r.spec(g, ("kind",))
    kind = spec["kind"]
    if kind in ("spikes", "rate", "state"):
        target = _target_of(r, g, net, spec, arrays, "population")
        pop = target.population
    window = _window(w, spec, net.dt) if kind in ("spikes", "state") else {}
    if kind == "spikes":
        steps, ids = r.array(g, "steps"), r.array(g, "ids")
        _typed(r.where(f"{g.name}/steps"), steps, np.int64, (steps.size,)).within(steps, 1, step)
        _typed(r.where(f"{g.name}/ids"), ids, np.int32, steps.shape).within(ids, 0, pop.n_local - 1)
        with _building(w):
            mon = net.record_spikes(target, **window)
        n = steps.shape[0]
        cap = max(n, mon._steps.shape[0])
        mon._steps = np.empty(cap, dtype=np.int64)
        mon._ids = np.empty(cap, dtype=np.int32)
        mon._steps[:n], mon._ids[:n] = steps, ids
        mon._count[0] = n
    elif kind == "rate":
        starts, lengths = r.array(g, "starts"), r.array(g, "lengths")
        counts = r.array(g, "counts")
        ws = _typed(r.where(f"{g.name}/starts"), starts, np.int64, (starts.size,))
        ws.within(starts, 0, step)
        wl = _typed(r.where(f"{g.name}/lengths"), lengths, np.int64, starts.shape)
        wl.within(lengths, 0, step)
        if np.any(starts + lengths > step):
            raise wl.fail("describes a chunk of counts that ends after the network's step.")
        wc = _typed(r.where(f"{g.name}/counts"), counts, np.int32, (int(lengths.sum()),))
        wc.within(counts, 0, pop.n_local)
        with _building(w):
            rate = net.record_rate(target)
        edges = np.concatenate([[0], np.cumsum(lengths)])
        rate._chunks = [
            (int(s), counts[edges[i] : edges[i + 1]].copy()) for i, s in enumerate(starts)
        ]
    elif kind in ("weights", "state"):
        w.mapping(spec, "spec", ("every",))
        every = w.integer(spec["every"], "every", low=1, high=INT_LIMIT - 1)
        steps = r.array(g, "steps")
        wt = _typed(r.where(f"{g.name}/steps"), steps, np.int64, (steps.size,))
        wt.ascending(wt.within(steps, every, step), strict=True)
        if np.any(steps % every):
            raise wt.fail(f"holds sample steps that are not multiples of every = {every}.")
        # a version 3 file's synapse monitor recorded the weight, stored as dataset `w`
        old = r.legacy and kind == "weights" and "variables" not in spec
        if old:
            spec["variables"] = ["w"]
        w.mapping(spec, "spec", ("variables",))
        if kind == "weights":
            w.mapping(spec, "spec", ("projection",))
            q = w.integer(spec["projection"], "projection", high=len(net.projections) - 1)
            synapses = r.array(g, "synapses")
            _typed(r.where(f"{g.name}/synapses"), synapses, np.int64, (synapses.size,))
            with _building(w):
                smon: StateMonitor = net.record_synapses(
                    net.projections[q],
                    spec["variables"],
                    synapses=synapses,
                    interval=every * net.dt,
                )
        else:
            neurons = r.array(g, "neurons")
            _typed(r.where(f"{g.name}/neurons"), neurons, np.int64, (neurons.size,))
            with _building(w):
                smon = net.record_state(
                    pop, spec["variables"], neurons=neurons, interval=every * net.dt, **window
                )
        h = g if old else r.group(g, "values")
        if not old:
            _same_names(r.where(h.name), list(h), list(smon.variables))
        values = {}
        for v in smon.variables:
            values[v] = r.array(h, v)
            wv = r.where(f"{h.name}/{v}")
            _typed(wv, values[v], smon._dtype(v), (steps.size, smon._width()))
            wv.finite(values[v])
        if kind == "weights":
            # stored in the order given: put the columns into the sampling order
            columns = smon._columns
            for v, a in values.items():
                values[v] = np.empty_like(a)
                values[v][:, columns] = a
        smon._chunks = [(steps, values)] if steps.size else []
    else:
        raise w.fail(f"unknown monitor kind {kind!r:.40}.")


def _typed(where: Where, arr: np.ndarray, dtype: Any, shape: tuple[int, ...]) -> Where:
    """Refuse ``arr`` unless it has exactly ``dtype`` and ``shape``; returns ``where``."""
    if arr.dtype != np.dtype(dtype) or arr.shape != shape:
        raise where.fail(
            f"has dtype {arr.dtype} and shape {arr.shape}, expected {np.dtype(dtype)} and {shape}."
        )
    return where


# ----------------------------------------------------------------------------- content checks
def _state_checks(net: Network) -> dict[str, Check]:
    """What each array the loop carries may hold, by its path (see ``Network._state_arrays``).

    An array without an entry (a new kind of buffer) is only checked to be finite.
    """
    out: dict[str, Check] = {"engine/pending": _pending(net), "engine/nan_at": _no_nan_at}
    slice_len = net._slice_len()
    for pop in net.populations:
        base = f"populations/p{pop.index}"
        for var in pop.model.state_vars:
            out[f"{base}/state/{var.name}"] = _bounded(var.low)
        for rec in getattr(pop.model, "receptors", ()):
            out[f"{base}/rings/{rec.name}"] = _signed(rec.sign)
        cursors = getattr(pop.model, "cursor_buffers", ())
        for name, arr in pop.buffers.items():
            out[f"{base}/buffers/{name}"] = _cursor(pop) if name in cursors else _equal(arr.copy())
        out[f"{base}/spk"] = _ids_below(pop.n_local)
        out[f"{base}/off"] = _offsets(pop._bounds, slice_len)
        out[f"{base}/hist_ids"] = _ids_below(pop.n_local)
        out[f"{base}/hist_cnt"] = _counts_per_block(pop._bounds)
        out[f"{base}/arr_ids"] = _ids_below(pop.size)
        out[f"{base}/arr_cnt"] = _bounded(0, pop.size)
    for q in net.projections:
        if q.synapse is not None:
            for var in q.synapse.synapse_vars:
                out[f"projections/q{q.index}/syn/{var.name}"] = _bounded(var.low)
            # the step of each source's last spike: none after the file's step
            out[f"projections/q{q.index}/src_step"] = _bounded(0, net.step)
    return out


def _bounded(low: float | None, high: float | None = None) -> Check:
    def check(where: Where, arr: np.ndarray) -> None:
        where.finite(arr)
        where.within(arr, -np.inf if low is None else low, np.inf if high is None else high)

    return check


def _signed(sign: int) -> Check:
    return _bounded(0.0 if sign > 0 else None, 0.0 if sign < 0 else None)


def _ids_below(n: int) -> Check:
    def check(where: Where, arr: np.ndarray) -> None:
        where.within(arr, 0, max(0, n - 1))

    return check


def _offsets(bounds: np.ndarray, slice_len: int) -> Check:
    """Slice spike offsets ``off[parity, block, step]``: within the block's part of the buffer.

    (Entries past a short last slice keep older slices' values, so rows need not rise; the loop
    reads only pairs within one slice.)
    """

    def check(where: Where, arr: np.ndarray) -> None:
        sizes = slice_len * np.diff(bounds)
        bad = (arr < 0) | (arr > sizes[None, :, None])
        if bad.any():
            par, b, s = (int(x[0]) for x in np.nonzero(bad))
            raise where.fail(
                f"offset {int(arr[par, b, s])} of parity {par}, block {b}, step {s} lies outside "
                f"the block's {int(sizes[b])} places."
            )

    return check


def _counts_per_block(bounds: np.ndarray) -> Check:
    def check(where: Where, arr: np.ndarray) -> None:
        sizes = np.diff(bounds)
        if np.any(arr < 0) or np.any(arr > sizes[None, :]):
            raise where.fail(f"counts must lie within each block's size {sizes.tolist()}.")

    return check


def _pending(net: Network) -> Check:
    """``[pending, first step, steps, parity]`` of the slice awaiting delivery."""

    def check(where: Where, arr: np.ndarray) -> None:
        flag, first, steps, parity = (int(x) for x in arr)
        slice_len = net._slice_len()
        ok = flag in (0, 1) and parity in (0, 1) and 0 <= steps <= slice_len
        if flag == 1:
            ok = ok and first >= 0 and first + steps == net.step
        if not ok:
            raise where.fail(
                f"[pending, first step, steps, parity] = {arr.tolist()} does not fit a network at "
                f"step {net.step} with slices of {slice_len} steps."
            )

    return check


def _no_nan_at(where: Where, arr: np.ndarray) -> None:
    if np.any(arr != -1):
        raise where.fail("records a non-finite state; a checkpoint holds a finite network.")


def _equal(rebuilt: np.ndarray) -> Check:
    def check(where: Where, arr: np.ndarray) -> None:
        if not np.array_equal(arr, rebuilt):
            raise where.fail(
                "differs from the buffer rebuilt from the generator's stored parameters."
            )

    return check


def _cursor(pop: Population) -> Check:
    longest = max((b.shape[0] for b in pop.buffers.values()), default=0)
    return _bounded(0, longest)
