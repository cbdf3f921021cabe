"""SONATA import (Dai et al. 2020, PLoS Comput Biol 16: e1007696): point-neuron networks.

A SONATA network is nodes and edges in HDF5 with CSV type tables, tied together by a circuit
and a simulation config (JSON). snn reads:

* node populations of ``model_type`` ``point_process`` (one snn population each; per-neuron
  parameters from each node type's ``dynamics_params`` JSON) and ``virtual`` ones (a spike source
  fed by the simulation config's ``spikes`` inputs);
* edges with ``syn_weight`` per edge (or per edge type), the edge type's ``delay`` (NEST's
  default of 1 ms when it gives none) and ``static_synapse`` template; positive weights go to
  the target model's ``exc`` receptor, negative ones to ``inh`` (or to its only receptor);
* ``run``: ``dt`` and ``tstop``.

Input spike times off the time grid are put on it as NEST's spike generators do with
``allow_offgrid_times`` (to the end of their step, unless within half a microsecond of a grid
point): NEST's example network then gives the same spike count in snn as in NEST.

Models are not chosen here (snn.io imports no model package): ``models`` maps a
``model_template`` such as ``"nest:iaf_psc_alpha"`` to a function of the SI parameters, e.g.
``lambda **p: LIFAlpha(**p)``. NEST's parameter names and units (ms, mV, pF, pA, nS) are
converted to snn's (s, V, F, A, S) at the boundary with :data:`NEST_PARAMETERS`.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from snn.core import Model, Network, NeuronModel, Population, Projection
from snn.core.connectivity import CSR, index_dtype
from snn.core.errors import ConfigurationError, FileFormatError

__all__ = ["NEST_PARAMETERS", "SonataNetwork", "read_sonata", "write_sonata"]

#: NEST parameter name -> (snn name, factor to SI)
NEST_PARAMETERS: dict[str, tuple[str, float]] = {
    "tau_m": ("tau_m", 1e-3),
    "C_m": ("c_m", 1e-12),
    "t_ref": ("t_ref", 1e-3),
    "E_L": ("e_l", 1e-3),
    "V_th": ("v_th", 1e-3),
    "V_reset": ("v_reset", 1e-3),
    "I_e": ("i_e", 1e-12),
    "tau_syn_ex": ("tau_syn_ex", 1e-3),
    "tau_syn_in": ("tau_syn_in", 1e-3),
    "g_L": ("g_l", 1e-9),
    "E_ex": ("e_ex", 1e-3),
    "E_in": ("e_in", 1e-3),
}


@dataclass(frozen=True)
class SonataNetwork:
    """A network read from SONATA files.

    Attributes
    ----------
    network : Network
        The snn network.
    populations : dict of str to Population
        One per SONATA node population, by name.
    node_ids : dict of str to numpy.ndarray
        SONATA node id of each neuron of each population (population index order).
    duration : float
        ``run.tstop`` of the simulation config [s] (None when there is none).
    n_edges : int
        Number of edges read (synapses made).
    """

    network: Network
    populations: dict[str, Population]
    node_ids: dict[str, np.ndarray]
    duration: float | None
    n_edges: int


def _resolve(value: str, manifest: dict[str, str]) -> str:
    for _ in range(10):
        new = re.sub(r"\$\{?(\w+)\}?", lambda m: manifest.get(m.group(1), m.group(0)), value)
        if new == value:
            break
        value = new
    return value


def _config(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise FileFormatError(f"{path} is not a readable JSON config ({exc}).") from None
    manifest = {"configdir": str(path.parent.resolve())}
    for key, value in data.get("manifest", {}).items():
        manifest[key.lstrip("$")] = value
    for _ in range(10):  # to a fixed point; relative paths are relative to the config's folder
        for key in list(manifest):
            value = _resolve(manifest[key], manifest)
            if value.startswith(".") and "$" not in value:
                value = str((path.parent / value).resolve())
            manifest[key] = value

    def walk(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items() if k != "manifest"}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, str):
            return _resolve(x, manifest)
        return x

    return walk(data)


def _types(path: str) -> dict[int, dict[str, str]]:
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=" ", skipinitialspace=True))
    key = "node_type_id" if rows and "node_type_id" in rows[0] else "edge_type_id"
    return {int(r[key]): r for r in rows}


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
    """
    path = Path(config)
    cfg = _config(path)
    sim = cfg if "run" in cfg else {}
    circuit = _config(Path(cfg["network"])) if "network" in cfg else cfg
    comps = circuit.get("components", {})
    cell_dir = Path(comps.get("point_neuron_models_dir", "."))
    dt = float(sim.get("run", {}).get("dt", 0.1)) * 1e-3
    tstop = sim.get("run", {}).get("tstop")
    net = Network(dt=dt, seed=seed, name=path.parent.name or "sonata")
    spikes = _input_spikes(sim)
    pops: dict[str, Population] = {}
    ids: dict[str, np.ndarray] = {}
    for entry in circuit["networks"]["nodes"]:
        types = _types(entry["node_types_file"])
        with h5py.File(entry["nodes_file"], "r") as f:
            for name, grp in f["nodes"].items():
                node_id = grp["node_id"][()].astype(np.int64)
                type_id = grp["node_type_id"][()].astype(np.int64)
                kinds = {types[int(t)]["model_type"] for t in np.unique(type_id)}
                if kinds == {"virtual"}:
                    times, nodes = spikes.get(name, (np.zeros(0), np.zeros(0, np.int64)))
                    index = np.searchsorted(node_id, nodes)
                    model = spike_source(_on_grid(times, dt), index)
                elif kinds == {"point_process"}:
                    model = _point_model(name, types, type_id, cell_dir, models)
                else:
                    raise ConfigurationError(
                        f"SONATA node population {name!r} mixes model types {sorted(kinds)}; "
                        "snn reads point_process and virtual populations."
                    )
                order = np.argsort(node_id)
                if not np.array_equal(order, np.arange(order.size)):
                    raise ConfigurationError(f"node ids of {name!r} are not sorted.")
                kw = {"init": init} if isinstance(model, NeuronModel) and init else {}
                pops[name] = net.add_population(model, node_id.size, name=name, **kw)
                ids[name] = node_id
    n_edges = 0
    for entry in circuit["networks"]["edges"]:
        if entry.get("enabled", True) is False:
            continue
        types = _types(entry["edge_types_file"])
        with h5py.File(entry["edges_file"], "r") as f:
            for name, grp in f["edges"].items():
                n_edges += _edges(net, name, grp, types, pops, ids, weight_unit)
    duration = None if tstop is None else float(tstop) * 1e-3
    return SonataNetwork(net, pops, ids, duration, n_edges)


def _on_grid(times: np.ndarray, dt: float) -> np.ndarray:
    """Input spike times [s] put on the step grid as NEST's spike generators do.

    With ``allow_offgrid_times``, NEST moves a time to the nearest step when it is closer than
    half a tic (1 us) to it, else to the end of the step it falls in.
    """
    k = times / dt
    near = np.rint(k)
    steps = np.where(np.abs(k - near) < 0.5e-6 / dt, near, np.ceil(k))
    return steps * dt


def _input_spikes(sim: dict[str, Any]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for spec in sim.get("inputs", {}).values():
        if spec.get("input_type") != "spikes":
            continue
        target = spec.get("node_set")
        with h5py.File(spec["input_file"], "r") as f:
            s = f["spikes"]
            if "gids" in s:  # the older layout: one population, named by the node set
                out[target] = (s["timestamps"][()] * 1e-3, s["gids"][()].astype(np.int64))
            else:
                for pop, g in s.items():
                    out[pop] = (g["timestamps"][()] * 1e-3, g["node_ids"][()].astype(np.int64))
    return out


def _point_model(
    name: str,
    types: dict[int, dict[str, str]],
    type_id: np.ndarray,
    cell_dir: Path,
    models: Mapping[str, Callable[..., Model]],
) -> Model:
    templates = {types[int(t)]["model_template"] for t in np.unique(type_id)}
    if len(templates) != 1:
        raise ConfigurationError(
            f"SONATA population {name!r} uses several model templates {sorted(templates)}; "
            "snn makes one population per node population."
        )
    template = templates.pop()
    if template not in models:
        raise ConfigurationError(
            f"no model given for SONATA model_template {template!r}; pass "
            f"models={{{template!r}: ...}}."
        )
    per_type: dict[int, dict[str, float]] = {}
    for t in np.unique(type_id):
        raw = json.loads((cell_dir / types[int(t)]["dynamics_params"]).read_text())
        params = {}
        for key, value in raw.items():
            if key not in NEST_PARAMETERS:
                raise ConfigurationError(
                    f"NEST parameter {key!r} of node type {int(t)} has no SI conversion in "
                    "snn.io.NEST_PARAMETERS."
                )
            snn_name, factor = NEST_PARAMETERS[key]
            params[snn_name] = float(value) * factor
        per_type[int(t)] = params
    keys = sorted({k for p in per_type.values() for k in p})
    for t, p in per_type.items():
        if set(p) != set(keys):
            raise ConfigurationError(
                f"node types of {name!r} set different parameters ({sorted(p)} for {t})."
            )
    arrays = {k: np.array([per_type[int(t)][k] for t in type_id]) for k in keys}
    params = {k: float(v[0]) if np.all(v == v[0]) else v for k, v in arrays.items()}
    return models[template](**params)


def _edges(
    net: Network,
    name: str,
    grp: h5py.Group,
    types: dict[int, dict[str, str]],
    pops: dict[str, Population],
    ids: dict[str, np.ndarray],
    weight_unit: float,
) -> int:
    src_ds, tgt_ds = grp["source_node_id"], grp["target_node_id"]
    pre = pops[_attr(src_ds, "node_population")]
    post = pops[_attr(tgt_ds, "node_population")]
    src = np.searchsorted(ids[pre.name], src_ds[()].astype(np.int64))
    tgt = np.searchsorted(ids[post.name], tgt_ds[()].astype(np.int64))
    type_id = grp["edge_type_id"][()].astype(np.int64)
    n = src.size
    weight = np.full(n, np.nan)
    delay = np.full(n, np.nan)
    gid = grp["edge_group_id"][()]
    gidx = grp["edge_group_index"][()]
    for g in np.unique(gid):
        sel = gid == g
        group = grp[str(int(g))]
        if "syn_weight" in group:
            weight[sel] = group["syn_weight"][()][gidx[sel]]
        if "delay" in group:
            delay[sel] = group["delay"][()][gidx[sel]]
    for t in np.unique(type_id):
        row = types[int(t)]
        sel = type_id == t
        if row.get("model_template", "static_synapse") not in ("static_synapse", "NULL", ""):
            raise ConfigurationError(
                f"edge type {int(t)} uses {row['model_template']!r}; snn reads static_synapse."
            )
        if "syn_weight" in row and row["syn_weight"] not in ("", "NULL"):
            weight[sel & np.isnan(weight)] = float(row["syn_weight"])
        d = row.get("delay", "")
        delay[sel & np.isnan(delay)] = float(d) if d not in ("", "NULL") else 1.0  # NEST default
    if np.isnan(weight).any():
        raise ConfigurationError(f"edges {name!r}: some edges have no syn_weight.")
    weight = weight * weight_unit
    steps = np.rint(delay * 1e-3 / net.dt).astype(np.int64)
    if steps.min() < 1:
        raise ConfigurationError(f"edges {name!r}: a delay is shorter than dt.")
    model = post.model
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


def _attr(ds: h5py.Dataset, key: str) -> str:
    value = ds.attrs[key]
    return value.decode() if isinstance(value, bytes) else str(value)


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
    csr = CSR(
        indptr,
        tgt.astype(index_dtype(post.size)),
        weight.astype(net.float_dtype),
        steps.astype(dtype),
    )
    label = f"{name}.{receptor}"
    proj = Projection(
        pre=pre,
        post=post,
        receptor=receptor,
        csr=csr,
        name=label,
        index=len(net.projections),
        rule=None,
    )
    net._add_projection(proj)


def write_sonata(
    folder: str | os.PathLike[str],
    net: Network,
    *,
    templates: Mapping[type, str],
    duration: float | None = None,
    spikes: Mapping[str, Any] | None = None,
    weight_unit: float = 1e-12,
) -> Path:
    """Write ``net`` as a SONATA network (and its spikes) that :func:`read_sonata` reads back.

    Parameters
    ----------
    folder
        Output folder; gets ``circuit_config.json``, ``simulation_config.json``, ``network/``,
        ``components/cell_models/`` and, with ``spikes``, ``spikes.h5``.
    net
        The network: neuron populations become ``point_process`` node populations (one node
        type per distinct parameter set), spike generators ``virtual`` ones whose spikes (from
        ``spikes``) go to the input file, static projections edges.
    templates
        ``model_template`` of each neuron model class, e.g. ``{LIFAlpha: "nest:iaf_psc_alpha"}``;
        parameters are written in NEST's names and units (:data:`NEST_PARAMETERS`).
    duration
        ``run.tstop`` [s] (default: the network's current time).
    spikes
        Spike monitors (or records with ``times`` [s] and ``senders``) by population name: the
        spike trains of virtual populations (their input) and of others (written to
        ``spikes.h5``).
    weight_unit
        Unit of ``syn_weight`` in SI (default pA).

    Returns
    -------
    pathlib.Path
        The simulation config.
    """
    root = Path(folder)
    (root / "network").mkdir(parents=True, exist_ok=True)
    cells = root / "components" / "cell_models"
    cells.mkdir(parents=True, exist_ok=True)
    inverse = {snn: (nest, f) for nest, (snn, f) in NEST_PARAMETERS.items()}
    nodes_cfg, edges_cfg = [], []
    spikes = dict(spikes or {})
    inputs: dict[str, Any] = {}
    type_id = 100
    for pop in net.populations:
        rows = []
        with h5py.File(root / "network" / f"{pop.name}_nodes.h5", "w") as f:
            g = f.create_group(f"nodes/{pop.name}")
            g["node_id"] = np.arange(pop.size, dtype=np.uint64)
            g["node_group_id"] = np.zeros(pop.size, dtype=np.uint32)
            g["node_group_index"] = np.arange(pop.size, dtype=np.uint64)
            g.create_group("0")
            types = np.zeros(pop.size, dtype=np.uint64)
            if isinstance(pop.model, NeuronModel):
                template = templates.get(type(pop.model))
                if template is None:
                    raise ConfigurationError(
                        f"no model_template for {type(pop.model).__name__} (population "
                        f"{pop.name!r}); pass templates={{{type(pop.model).__name__}: ...}}."
                    )
                params = _nest_params(pop, inverse)
                table = np.array([params[k] for k in sorted(params)]).T.reshape(pop.size, -1)
                combos, which = np.unique(table, axis=0, return_inverse=True)
                for c, combo in enumerate(combos):
                    tid = type_id + c
                    fname = f"{pop.name}_{tid}.json"
                    values = dict(zip(sorted(params), combo.tolist(), strict=True))
                    (cells / fname).write_text(json.dumps(values, indent=1))
                    rows.append([str(tid), "point_process", template, fname])
                types = (type_id + which.ravel()).astype(np.uint64)
                type_id += len(combos)
            else:
                rows.append([str(type_id), "virtual", "NULL", "NULL"])
                types[:] = type_id
                type_id += 1
                if pop.name in spikes:
                    inputs[pop.name] = spikes.pop(pop.name)
            g["node_type_id"] = types
        _write_csv(
            root / "network" / f"{pop.name}_node_types.csv",
            ["node_type_id", "model_type", "model_template", "dynamics_params"],
            rows,
        )
        nodes_cfg.append(
            {
                "nodes_file": f"$NETWORK_DIR/{pop.name}_nodes.h5",
                "node_types_file": f"$NETWORK_DIR/{pop.name}_node_types.csv",
            }
        )
    for k, proj in enumerate(net.projections):
        if proj.synapse is not None:
            raise ConfigurationError(
                f"projection {proj.name!r} has a synapse model; SONATA export writes static "
                "synapses only."
            )
        pre, post = proj.pre.population, proj.post.population
        tid = 100 + k
        name = f"{proj.name}".replace("/", "_")
        with h5py.File(root / "network" / f"{name}_edges.h5", "w") as f:
            g = f.create_group(f"edges/{name}")
            g["source_node_id"] = proj.sources().astype(np.uint64)
            g["source_node_id"].attrs["node_population"] = pre.name
            g["target_node_id"] = proj.targets().astype(np.uint64)
            g["target_node_id"].attrs["node_population"] = post.name
            n = proj.n_synapses
            g["edge_type_id"] = np.full(n, tid, dtype=np.uint32)
            g["edge_group_id"] = np.zeros(n, dtype=np.uint16)
            g["edge_group_index"] = np.arange(n, dtype=np.uint32)
            g["0/syn_weight"] = proj.weights() / weight_unit
            g["0/delay"] = proj.delays() * 1e3
        _write_csv(
            root / "network" / f"{name}_edge_types.csv",
            ["edge_type_id", "model_template", "receptor"],
            [[str(tid), "static_synapse", proj.receptor]],
        )
        edges_cfg.append(
            {
                "edges_file": f"$NETWORK_DIR/{name}_edges.h5",
                "edge_types_file": f"$NETWORK_DIR/{name}_edge_types.csv",
            }
        )
    circuit = {
        "manifest": {"$BASE_DIR": "${configdir}", "$NETWORK_DIR": "$BASE_DIR/network"},
        "components": {"point_neuron_models_dir": "$BASE_DIR/components/cell_models"},
        "networks": {"nodes": nodes_cfg, "edges": edges_cfg},
    }
    (root / "circuit_config.json").write_text(json.dumps(circuit, indent=1))
    sim: dict[str, Any] = {
        "manifest": {"$BASE_DIR": "${configdir}"},
        "run": {"tstop": (net.t if duration is None else duration) * 1e3, "dt": net.dt * 1e3},
        "network": "$BASE_DIR/circuit_config.json",
        "inputs": {},
    }
    for name, rec in inputs.items():
        _write_spikes(root / f"{name}_input.h5", {name: rec}, net)
        sim["inputs"][f"{name}_spikes"] = {
            "input_type": "spikes",
            "module": "h5",
            "input_file": f"$BASE_DIR/{name}_input.h5",
            "node_set": name,
        }
    if spikes:
        _write_spikes(root / "spikes.h5", spikes, net)
        sim["output"] = {"spikes_file": "spikes.h5", "spikes_sort_order": "time"}
    path = root / "simulation_config.json"
    path.write_text(json.dumps(sim, indent=1))
    return path


def _nest_params(pop: Population, inverse: dict[str, tuple[str, float]]) -> dict[str, np.ndarray]:
    import dataclasses

    out = {}
    for f in dataclasses.fields(pop.model):
        if not f.init:
            continue
        if f.name not in inverse:
            raise ConfigurationError(
                f"parameter {f.name!r} of {type(pop.model).__name__} has no NEST name in "
                "snn.io.NEST_PARAMETERS; SONATA export cannot write it."
            )
        nest_name, factor = inverse[f.name]
        value = np.broadcast_to(np.asarray(getattr(pop.model, f.name), dtype=np.float64), pop.size)
        out[nest_name] = value / factor
    return out


def _write_csv(path: Path, head: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="") as fh:
        fh.write(" ".join(head) + "\n")
        for row in rows:
            fh.write(" ".join(row) + "\n")


def _write_spikes(path: Path, records: Mapping[str, Any], net: Network) -> None:
    with h5py.File(path, "w") as f:
        for name, rec in records.items():
            pop = net.population(name)
            times = np.asarray(rec.times, dtype=np.float64)
            senders = np.asarray(rec.senders, dtype=np.int64)
            order = np.lexsort((senders, times))
            g = f.create_group(f"spikes/{name}")
            g.attrs["sorting"] = "by_time"
            g["timestamps"] = times[order] * 1e3
            g["node_ids"] = (senders[order] - pop.first_id).astype(np.uint64)
