"""SONATA (Dai et al. 2020, PLoS Comput Biol 16: e1007696): point-neuron networks.

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

Reading (:func:`snn.io.read_sonata`) lives in :mod:`snn.io._sonata_read`, which checks every
file before use; this module holds the shared names and the writer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from snn.core import Network, NeuronModel, Population
from snn.core.errors import ConfigurationError

__all__ = ["NEST_PARAMETERS", "SonataNetwork", "write_sonata"]

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
