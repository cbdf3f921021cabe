"""Reading SONATA: configs, type tables, nodes, edges and input spikes, all checked before use.

The files are untrusted. The manifest's variables are resolved once each, refusing variables
that refer to themselves (directly or through others) and values that are not text; JSON that
is not an object where one is expected, CSV that is not text or lacks a column, node ids that
are not unique non-negative integers, node and edge types missing from their tables, edges to
node ids a population does not have, non-finite weights, delays that are not finite or not at
least one step, input spikes at non-finite times or of unknown nodes: each raises
:class:`~snn.core.errors.FileFormatError` naming the file, the place in it and what was
expected. Nothing is added to a network until its file has been checked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from snn.core import Model, Network, NeuronModel, Population, Projection
from snn.core.connectivity import CSR, index_dtype, nearest_steps
from snn.core.errors import ConfigurationError, FileFormatError
from snn.core.validate import receptor_quantity, warn_magnitude
from snn.io._sonata import NEST_PARAMETERS, SonataNetwork
from snn.io._untrusted import Where, open_hdf5

__all__ = ["read_sonata"]

_REFERENCE = re.compile(r"\$\{?(\w+)\}?")
#: longest delay a SONATA edge may have [steps] (the per-synapse delay arrays are uint32)
_MAX_DELAY_STEPS = 2**31


def read_sonata(
    config: str | os.PathLike[str],
    *,
    models: Mapping[str, Callable[..., Model]],
    spike_source: Callable[[np.ndarray, np.ndarray], Model],
    init: Mapping[str, Any] | None = None,
    weight_unit: float = 1e-12,
    seed: int = 0,
) -> SonataNetwork:
    """Build an snn network from a SONATA simulation (or circuit) config.

    Parameters
    ----------
    config
        ``simulation_config.json`` (with ``network`` pointing to the circuit config) or a
        circuit config.
    models
        ``model_template`` (``"nest:iaf_psc_alpha"``) to a function of the SI parameters
        (keyword arguments named as :data:`NEST_PARAMETERS` gives) returning the neuron model.
    spike_source
        Function of ``(times [s], indices)`` returning the spike generator of a virtual
        population (e.g. ``lambda t, i: SpikeSourceArray(times=t, indices=i)``).
    init
        Initial state of every point-neuron population (e.g. NEST's default ``V_m`` of
        -70 mV: ``{"v": -70e-3}``); default the model's.
    weight_unit
        Unit of ``syn_weight`` in SI (default pA, NEST's current-based models).
    seed
        Seed of the network.

    Returns
    -------
    SonataNetwork

    Raises
    ------
    FileNotFoundError
        When ``config`` does not exist.
    snn.core.errors.FileFormatError
        When a file is missing, unreadable or inconsistent (see the module docstring); the
        message names the file and the place in it.
    snn.core.errors.ConfigurationError
        When ``models`` lacks a template the network uses, or a model refuses its parameters.
    """
    if not isinstance(models, Mapping):
        raise ConfigurationError(
            f"`models` must map model templates to functions, got {models!r:.60}."
        )
    path = Path(config)
    if not path.exists():
        raise FileNotFoundError(f"no SONATA config at {path}.")
    try:
        return _read(path, models, spike_source, init, weight_unit, seed)
    except (FileFormatError, ConfigurationError):
        raise
    except (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError) as exc:
        # h5py reports damaged HDF5 files in many ways
        raise FileFormatError(
            f"{path}: cannot read the SONATA network ({type(exc).__name__}: {exc})."
        ) from None


def _read(
    path: Path,
    models: Mapping[str, Callable[..., Model]],
    spike_source: Callable[[np.ndarray, np.ndarray], Model],
    init: Mapping[str, Any] | None,
    weight_unit: float,
    seed: int,
) -> SonataNetwork:
    cfg = _config(path)
    sim = cfg if "run" in cfg else {}
    if "network" in cfg:
        circuit_path = _file(Where(path, "`network`"), cfg["network"])
        circuit = _config(circuit_path)
    else:
        circuit_path, circuit = path, cfg
    wc = Where(circuit_path)
    comps = wc.mapping(circuit.get("components", {}), "components", ())
    cell_dir = Path(_text(wc, comps.get("point_neuron_models_dir", "."), "point_neuron_models_dir"))
    networks = wc.mapping(circuit.get("networks"), "networks", ("nodes",))
    run = Where(path, "`run`").mapping(sim.get("run", {}), "run", ())
    dt = Where(path, "`run`").number(run.get("dt", 0.1), "dt", low=0.0) * 1e-3
    tstop = run.get("tstop")
    if tstop is not None:
        tstop = Where(path, "`run`").number(tstop, "tstop", low=0.0)
    net = Network(dt=dt, seed=seed, name=path.parent.name or "sonata")
    spikes = _input_spikes(path, sim)
    pops: dict[str, Population] = {}
    ids: dict[str, np.ndarray] = {}
    for types, name, grp, w in _parts(wc, networks["nodes"], "nodes"):
        node_id = _ids(w.at(f"{grp.name}/node_id"), _dataset(w, grp, "node_id"))
        type_id = _dataset(w, grp, "node_type_id")
        w.at(f"{grp.name}/node_type_id").array(type_id, kinds="iu", shape=node_id.shape)
        _known(w.at(f"{grp.name}/node_type_id"), type_id, types, "node type")
        kinds = {types[int(t)].get("model_type") for t in np.unique(type_id)}
        if kinds == {"virtual"}:
            times, nodes = spikes.get(name, (np.zeros(0), np.zeros(0, np.int64)))
            index = _positions(Where(path, f"input spikes of {name!r}"), node_id, nodes)
            model = spike_source(_on_grid(times, dt), index)
        elif kinds == {"point_process"}:
            model = _point_model(w, types, type_id, cell_dir, models)
        else:
            raise w.fail(
                f"mixes model types {sorted(map(str, kinds))}; snn reads point_process and "
                "virtual populations."
            )
        kw = {"init": init} if isinstance(model, NeuronModel) and init else {}
        pops[name] = net.add_population(model, node_id.size, name=name, **kw)
        ids[name] = node_id
    n_edges = 0
    for types, name, grp, w in _parts(wc, networks.get("edges", []), "edges"):
        n_edges += _edges(net, w, name, grp, types, pops, ids, weight_unit)
    return SonataNetwork(net, pops, ids, None if tstop is None else tstop * 1e-3, n_edges)


# ----------------------------------------------------------------------------- configs
def _config(path: Path) -> dict[str, Any]:
    """A config as a dict, its manifest's variables substituted into every string."""
    where = Where(path)
    if not path.is_file():
        raise where.fail("is not a file; expected a SONATA config (JSON).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise where.fail(f"is not a readable JSON config ({type(exc).__name__}: {exc}).") from None
    data = where.mapping(data, "config", ())
    raw = where.mapping(data.get("manifest", {}), "manifest", ())
    manifest = {"configdir": str(path.parent.resolve())}
    for key, value in raw.items():
        manifest[str(key).lstrip("$")] = _text(where, value, f"manifest {key!r}")
    resolved: dict[str, str] = {}
    for key in manifest:
        _variable(where, key, manifest, resolved, ())

    def walk(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items() if k != "manifest"}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, str):
            text = _substitute(x, resolved)
            if len(text) > max(MAX_TEXT, len(x)):  # grown by its variables past a path's length
                raise where.fail(
                    f"has a value expanding to more than {MAX_TEXT} characters ({x[:40]!r}...); "
                    "expected a path or a setting."
                )
            return text
        return x

    return walk(data)


#: the longest a config value may grow by its manifest variables (a path) [characters]
MAX_TEXT = 4096


def _variable(
    where: Where, key: str, manifest: dict[str, str], done: dict[str, str], stack: tuple[str, ...]
) -> str:
    """The value of manifest variable ``key`` with its references resolved (memoised)."""
    if key in done:
        return done[key]
    if key in stack:
        loop = " -> ".join([*stack[stack.index(key) :], key])
        raise where.fail(f"has manifest variables that refer to each other: {loop}.")
    value = manifest[key]
    for ref in _REFERENCE.findall(value):
        if ref in manifest:
            _variable(where, ref, manifest, done, (*stack, key))
    value = _substitute(value, done)
    if len(value) > MAX_TEXT:
        # each level of references may multiply the length ("billion laughs")
        raise where.fail(
            f"has the manifest variable {key!r} expanding to more than {MAX_TEXT} characters; "
            "expected a path."
        )
    if value.startswith(".") and "$" not in value:
        # relative paths are relative to the config's folder
        value = str((where.path.parent / value).resolve())
    done[key] = value
    return value


def _substitute(value: str, resolved: Mapping[str, str]) -> str:
    """``value`` with each ``$X`` / ``${X}`` replaced by the resolved variable (unknown kept)."""
    return _REFERENCE.sub(lambda m: resolved.get(m.group(1), m.group(0)), value)


def _text(where: Where, value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise where.fail(f"has `{name}` = {value!r:.60}, expected text.")
    return value


def _file(where: Where, value: Any) -> Path:
    path = Path(_text(where, value, "file"))
    if not path.is_file():
        raise where.fail(f"names the file {path}, which does not exist.")
    return path


def _entries(where: Where, value: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise where.fail(f"has `networks.{name}` = {value!r:.60}, expected a list of objects.")
    return value


def _parts(
    wc: Where, entries: Any, kind: str
) -> Iterator[tuple[dict[int, dict[str, str]], str, h5py.Group, Where]]:
    """Each population group of the node or edge files a circuit lists, with its type table.

    ``kind`` is ``"nodes"`` or ``"edges"``; entries with ``"enabled": false`` are skipped.
    """
    key = kind[:-1]
    for k, entry in enumerate(_entries(wc, entries, kind)):
        if entry.get("enabled", True) is False:
            continue
        where = wc.at(f"networks.{kind}[{k}]")
        types = _types(_file(where, entry.get(f"{key}_types_file")), f"{key}_type_id")
        path = _file(where, entry.get(f"{kind}_file"))
        with open_hdf5(path, f"SONATA {kind}") as f:
            for name, grp in _groups(Where(path, f"/{kind}"), f, kind):
                yield types, name, grp, Where(path, f"/{kind}/{name}")


def _types(path: Path, key: str) -> dict[int, dict[str, str]]:
    """A node or edge type table (space-separated CSV) by type id."""
    where = Where(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise where.fail(f"is not a readable text table ({type(exc).__name__}).") from None
    if "\0" in text:
        raise where.fail("holds binary data, expected a space-separated table.")
    try:
        rows = list(csv.DictReader(io.StringIO(text), delimiter=" ", skipinitialspace=True))
    except csv.Error as exc:
        raise where.fail(f"is not a valid table ({exc}).") from None
    out: dict[int, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        value = row.get(key)
        if value is None or None in row:
            raise where.fail(f"line {line}: expected a `{key}` column and one value per column.")
        try:
            type_id = int(value)
        except ValueError:
            raise where.fail(f"line {line}: `{key}` = {value!r:.40} is not an integer.") from None
        if type_id in out:
            raise where.fail(f"line {line}: type {type_id} is listed twice.")
        out[type_id] = row
    return out


# ----------------------------------------------------------------------------- HDF5 parts
def _groups(where: Where, f: h5py.File, name: str) -> list[tuple[str, h5py.Group]]:
    if name not in f or not isinstance(f[name], h5py.Group):
        raise where.fail(f"is missing: a SONATA {name} file has a /{name} group.")
    out = []
    for key, grp in f[name].items():
        if not isinstance(grp, h5py.Group):
            raise where.fail(f"holds {key!r}, which is not a population group.")
        out.append((key, grp))
    return out


def _dataset(where: Where, grp: h5py.Group, name: str) -> np.ndarray:
    if name not in grp or not isinstance(grp[name], h5py.Dataset):
        raise where.fail(f"lacks the dataset `{name}`.")
    return where.at(f"{grp.name}/{name}").read(grp[name])


def _ids(where: Where, arr: np.ndarray) -> np.ndarray:
    """Node ids: 1-D, whole numbers >= 0, unique and ascending."""
    where.array(arr, kinds="iu", ndim=1)
    where.within(arr, 0, 2**62)
    arr = arr.astype(np.int64)
    where.ascending(arr, strict=True)
    return arr


def _known(where: Where, type_id: np.ndarray, types: Mapping[int, Any], what: str) -> None:
    missing = sorted(set(np.unique(type_id).tolist()) - set(types))
    if missing:
        raise where.fail(f"uses {what} {missing[0]}, which its type table does not list.")


def _positions(where: Where, node_id: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Positions of ``nodes`` in the ascending ``node_id``; every node must be there."""
    index = np.searchsorted(node_id, nodes)
    found = (index < node_id.size) & (node_id[np.minimum(index, max(node_id.size - 1, 0))] == nodes)
    if nodes.size and not found.all():
        bad = int(nodes[~found][0])
        raise where.fail(f"names node {bad}, which the population does not have.")
    return index


def _attr(where: Where, ds: h5py.Dataset, key: str) -> str:
    value = ds.attrs.get(key)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        raise where.fail(f"needs the attribute `{key}` (text), got {value!r:.40}.")
    return value


def _on_grid(times: np.ndarray, dt: float) -> np.ndarray:
    """Input spike times [s] put on the step grid as NEST's spike generators do.

    With ``allow_offgrid_times``, NEST moves a time to the nearest step when it is closer than
    half a tic (1 us) to it, else to the end of the step it falls in.
    """
    k = times / dt
    near = np.rint(k)
    steps = np.where(np.abs(k - near) < 0.5e-6 / dt, near, np.ceil(k))
    return steps * dt


def _input_spikes(path: Path, sim: dict[str, Any]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    inputs = Where(path, "`inputs`").mapping(sim.get("inputs", {}), "inputs", ())
    for key, spec in inputs.items():
        w = Where(path, f"`inputs.{key}`")
        spec = w.mapping(spec, key, ())
        if spec.get("input_type") != "spikes":
            continue
        target = spec.get("node_set")
        input_file = _file(w, spec.get("input_file"))
        with open_hdf5(input_file, "SONATA input spikes") as f:
            wf = Where(input_file, "/spikes")
            if "spikes" not in f or not isinstance(f["spikes"], h5py.Group):
                raise wf.fail("is missing.")
            s = f["spikes"]
            if "gids" in s:  # the older layout: one population, named by the node set
                parts = [(str(target), s, "gids")]
            else:
                parts = [(pop, g, "node_ids") for pop, g in _groups(wf, f, "spikes")]
            for pop, g, id_name in parts:
                wp = Where(input_file, f"{g.name}")
                times = _dataset(wp, g, "timestamps")
                wp.at(f"{g.name}/timestamps").array(times, kinds="iuf", ndim=1)
                wp.at(f"{g.name}/timestamps").within(times.astype(np.float64), 0.0, 1e15)
                nodes = _dataset(wp, g, id_name)
                wp.at(f"{g.name}/{id_name}").array(nodes, kinds="iu", shape=times.shape)
                out[pop] = (times.astype(np.float64) * 1e-3, nodes.astype(np.int64))
    return out


def _point_model(
    where: Where,
    types: dict[int, dict[str, str]],
    type_id: np.ndarray,
    cell_dir: Path,
    models: Mapping[str, Callable[..., Model]],
) -> Model:
    templates = {types[int(t)].get("model_template") for t in np.unique(type_id)}
    if len(templates) != 1:
        raise ConfigurationError(
            f"{where.path}: {where.place} uses several model templates "
            f"{sorted(map(str, templates))}; snn makes one population per node population."
        )
    template = templates.pop()
    if template not in models:
        raise ConfigurationError(
            f"no model given for SONATA model_template {template!r}; pass "
            f"models={{{template!r}: ...}}."
        )
    per_type: dict[int, dict[str, float]] = {}
    for t in np.unique(type_id):
        name = types[int(t)].get("dynamics_params")
        cell = _file(where, str(cell_dir / name) if isinstance(name, str) else None)
        wc = Where(cell)
        try:
            raw = json.loads(cell.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            raise wc.fail(f"is not a readable JSON object ({type(exc).__name__}).") from None
        raw = wc.mapping(raw, "dynamics_params", ())
        params = {}
        for key, value in raw.items():
            if key not in NEST_PARAMETERS:
                raise ConfigurationError(
                    f"NEST parameter {key!r} of node type {int(t)} ({cell}) has no SI conversion "
                    "in snn.io.NEST_PARAMETERS."
                )
            snn_name, factor = NEST_PARAMETERS[key]
            params[snn_name] = wc.number(value, key) * factor
        per_type[int(t)] = params
    keys = sorted({k for p in per_type.values() for k in p})
    for t, p in per_type.items():
        if set(p) != set(keys):
            raise ConfigurationError(
                f"node types of {where.place} set different parameters ({sorted(p)} for {t})."
            )
    arrays = {k: np.array([per_type[int(t)][k] for t in type_id]) for k in keys}
    params = {k: float(v[0]) if np.all(v == v[0]) else v for k, v in arrays.items()}
    return models[template](**params)


def _edges(
    net: Network,
    w: Where,
    name: str,
    grp: h5py.Group,
    types: dict[int, dict[str, str]],
    pops: dict[str, Population],
    ids: dict[str, np.ndarray],
    weight_unit: float,
) -> int:
    src_ds, tgt_ds = (grp.get(k) for k in ("source_node_id", "target_node_id"))
    if not isinstance(src_ds, h5py.Dataset) or not isinstance(tgt_ds, h5py.Dataset):
        raise w.fail("lacks `source_node_id` or `target_node_id`.")
    ends = []
    for ds, label in ((src_ds, "source_node_id"), (tgt_ds, "target_node_id")):
        wd = w.at(f"{grp.name}/{label}")
        pop_name = _attr(wd, ds, "node_population")
        if pop_name not in pops:
            raise wd.fail(f"names node population {pop_name!r}, which the nodes do not define.")
        values = wd.array(wd.read(ds), kinds="iu", ndim=1).astype(np.int64)
        ends.append((pops[pop_name], _positions(wd, ids[pop_name], values)))
    (pre, src), (post, tgt) = ends
    n = src.size
    if tgt.shape != (n,):
        raise w.fail(f"has {n} sources but {tgt.size} targets.")
    type_id = _dataset(w, grp, "edge_type_id")
    w.at(f"{grp.name}/edge_type_id").array(type_id, kinds="iu", shape=(n,))
    _known(w.at(f"{grp.name}/edge_type_id"), type_id, types, "edge type")
    gid = _dataset(w, grp, "edge_group_id")
    gidx = _dataset(w, grp, "edge_group_index")
    w.at(f"{grp.name}/edge_group_id").array(gid, kinds="iu", shape=(n,))
    w.at(f"{grp.name}/edge_group_index").array(gidx, kinds="iu", shape=(n,))
    weight = np.full(n, np.nan)
    delay = np.full(n, np.nan)
    for g in np.unique(gid):
        sel = gid == g
        wg = w.at(f"{grp.name}/{int(g)}")
        if str(int(g)) not in grp or not isinstance(grp[str(int(g))], h5py.Group):
            raise wg.fail("is missing: an edge names this group.")
        group = grp[str(int(g))]
        for key, target in (("syn_weight", weight), ("delay", delay)):
            if key in group:
                wk = wg.at(f"{group.name}/{key}")
                column = wk.finite(wk.array(wk.read(group[key]), kinds="iuf", ndim=1))
                wg.at(f"{grp.name}/edge_group_index").within(gidx[sel], 0, column.size - 1)
                target[sel] = column[gidx[sel]]
    for t in np.unique(type_id):
        row = types[int(t)]
        sel = type_id == t
        if row.get("model_template", "static_synapse") not in ("static_synapse", "NULL", ""):
            raise ConfigurationError(
                f"edge type {int(t)} uses {row['model_template']!r}; snn reads static_synapse."
            )
        wt = Where(w.path, f"edge type {int(t)}")
        if "syn_weight" in row and row["syn_weight"] not in ("", "NULL"):
            weight[sel & np.isnan(weight)] = wt.number(_float(wt, row["syn_weight"]), "syn_weight")
        d = row.get("delay", "")
        default = _float(wt, d) if d not in ("", "NULL", None) else 1.0  # NEST's default [ms]
        delay[sel & np.isnan(delay)] = default
    if np.isnan(weight).any():
        raise w.fail("gives some edges no syn_weight (neither per edge nor per edge type).")
    w.at(f"{grp.name} (syn_weight)").finite(weight)
    w.at(f"{grp.name} (delay)").finite(delay)
    weight = weight * weight_unit
    steps = nearest_steps(delay * 1e-3 / net.dt)
    if n and (steps.min() < 1 or steps.max() >= _MAX_DELAY_STEPS):
        bad = float(delay[(steps < 1) | (steps >= _MAX_DELAY_STEPS)][0])
        raise w.fail(
            f"has a delay of {bad!r} ms; delays must be at least one step (dt = {net.dt * 1e3} ms) "
            f"and below {_MAX_DELAY_STEPS} steps."
        )
    steps = steps.astype(np.int64)
    model = post.model
    if not isinstance(model, NeuronModel):
        raise w.fail(f"targets {post.name!r}, a spike source that takes no synapses.")
    names = [r.name for r in model.receptors if r.kind == "spike"]
    stated = {int(t): types[int(t)].get("receptor", "") for t in np.unique(type_id)}
    if all(r in names for r in stated.values()):  # written by write_sonata
        rec = np.array([stated[int(t)] for t in type_id])
        parts = [(r, rec == r) for r in dict.fromkeys(stated.values())]
    elif {"exc", "inh"} <= set(names):
        parts = [("exc", weight >= 0), ("inh", weight < 0)]
    else:
        parts = [(model.receptor(None).name, np.ones(n, dtype=bool))]
    for receptor, sel in parts:
        if sel.any():
            _add(net, pre, post, receptor, src[sel], tgt[sel], weight[sel], steps[sel], name)
    return n


def _float(where: Where, text: Any) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise where.fail(f"has {text!r:.40}, expected a number.") from None


def _add(
    net: Network,
    pre: Population,
    post: Population,
    receptor: str,
    src: np.ndarray,
    tgt: np.ndarray,
    weight: np.ndarray,
    steps: np.ndarray,
    name: str,
) -> None:
    order = np.lexsort((tgt, src))
    src, tgt, weight, steps = src[order], tgt[order], weight[order], steps[order]
    indptr = np.zeros(pre.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=pre.size), out=indptr[1:])
    dtype = np.uint16 if steps.max() <= 65535 else np.uint32
    rec = post.model.receptor(receptor)
    if (rec.sign > 0 and weight.min() < 0) or (rec.sign < 0 and weight.max() > 0):
        raise ConfigurationError(
            f"SONATA edges {name!r} give receptor {receptor!r} of {post.name!r} weights of the "
            "wrong sign."
        )
    # as connect does: an implausible magnitude is most often a unit slip (weight_unit)
    warn_magnitude(f"syn_weight of SONATA edges {name!r}", weight, receptor_quantity(rec.unit))
    csr = CSR(
        indptr,
        tgt.astype(index_dtype(post.size)),
        weight.astype(net.float_dtype),
        steps.astype(dtype),
    )
    proj = Projection(
        pre=pre,
        post=post,
        receptor=receptor,
        csr=csr,
        name=f"{name}.{receptor}",
        index=len(net.projections),
        rule=None,
    )
    net._add_projection(proj)
