"""The network's state: what a run carries from one step to the next, reset, stored, restored.

:func:`state_arrays` names every array the loop carries between steps (state variables, ring
buffers, slice buffers and the pending-slice record, spike and trace histories, synapse
variables, traces, spike generators' buffers) by a path such as
``populations/p0/state/v``; checkpoints (:mod:`snn.io`) write and read exactly these. Random
numbers are counter-based, so the seed and the step restore them.

:func:`reset` returns a network to t = 0: state from its initial values (``init``, the model's
defaults, values set at t = 0), every buffer and history empty, monitors emptied, and weights of
stateful projections either kept or back to the values they started from. :class:`Snapshot` is
an in-memory copy of the state, the parameters (models, drives, synapse models, weights and
delays) and the monitors' data, for :meth:`Network.store` and :meth:`Network.restore`.
Parameters and connectivity are replaced, never changed in place, by ``set``, so a snapshot
keeps references to them; what the loop changes in place (state, weights of stateful synapses)
is copied.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from snn.core._deferred import settle_pending
from snn.core._layout import carry_rows, lay_out
from snn.core._model import SpikeGenerator
from snn.core._params import prepare_model, update_model
from snn.core._quanta import put_ring_values, ring_values
from snn.core._synapse_values import storage_kind
from snn.core.errors import ConfigurationError, SNNWarning

if TYPE_CHECKING:
    from snn.core._network import Network

__all__ = ["Snapshot", "put_state", "reset", "state_arrays"]

#: arrays indexed by absolute step (row ``step & (rows - 1)``): ring buffers hold coming steps,
#: histories past ones; a row count that differs between a snapshot and the network is bridged
#: by moving the rows still needed
_FUTURE = ("rings",)
_PAST = ("hist_ids", "hist_cnt", "arr_ids", "arr_cnt", "tgt_hist")


def state_arrays(net: Network, *, values: bool = False) -> dict[str, np.ndarray]:
    """Every array the loop carries from one step to the next, by path (the arrays themselves).

    Paths: ``engine/{pending,nan_at}``; ``populations/p<k>/{state,rings,buffers}/<name>`` and
    ``populations/p<k>/{spk,off,hist_ids,hist_cnt,arr_ids,arr_cnt}``;
    ``projections/q<k>/syn/<name>`` and ``projections/q<k>/{src,src_step,tgt,tgt_hist}``.
    Arrays not laid out yet (before the first run) are absent. With ``values``, the ring buffers
    are in their receptor's unit whether the ring counts multiples of a weight or not (a
    counting ring's values are a new array, decision 0025): what snapshots and files hold;
    :func:`put_state` puts them back.
    """
    out: dict[str, np.ndarray] = {"engine/pending": net._pending, "engine/nan_at": net._nan_at}
    for pop in net.populations:
        base = f"populations/p{pop.index}"
        rings = {r: ring_values(pop, r) for r in pop.rings} if values else pop.rings
        for sub, table in (("state", pop.state), ("rings", rings), ("buffers", pop.buffers)):
            for name, arr in table.items():
                out[f"{base}/{sub}/{name}"] = arr
        for attr in ("_spk", "_off", "_hist_ids", "_hist_cnt", "_arr_ids", "_arr_cnt"):
            arr = getattr(pop, attr, None)
            if arr is not None:
                out[f"{base}/{attr[1:]}"] = arr
    for proj in net.projections:
        if proj.synapse is None:
            continue
        base = f"projections/q{proj.index}"
        for name, arr in proj._syn_state.items():
            out[f"{base}/syn/{name}"] = arr
        for attr in ("_src", "_src_step", "_tgt", "_tgt_hist"):
            arr = getattr(proj, attr, None)
            if arr is not None:
                out[f"{base}/{attr[1:]}"] = arr
    return out


def put_state(net: Network, path: str, live: np.ndarray, value: np.ndarray) -> bool:
    """:func:`put_array` into ``live``, an entry of ``state_arrays(net, values=True)``.

    A ring's values go on into the ring itself (as counts where it counts, ``_quanta``).
    """
    if not put_array(net, path, live, value):
        return False
    parts = path.split("/")
    if parts[0] == "populations" and parts[2] == "rings":
        pop = net.populations[int(parts[1][1:])]
        put_ring_values(net, pop, parts[3], live)
    return True


def put_array(net: Network, path: str, live: np.ndarray, value: np.ndarray) -> bool:
    """Copy ``value`` into ``live``; circular buffers of another length get the rows needed.

    Returns False when the shapes cannot be matched (the caller reports it).
    """
    if live.shape == value.shape:
        live[...] = value
        return True
    kind = path.rsplit("/", 2)
    future = kind[-2] in _FUTURE
    if not (future or kind[-1] in _PAST) or live.ndim != value.ndim:
        return False
    axis = 1 if kind[-1] == "tgt_hist" else 0
    other = [d for k, d in enumerate(live.shape) if k != axis]
    if other != [d for k, d in enumerate(value.shape) if k != axis]:
        return False
    live[...] = 0
    carry_rows(value, live, net.step, past=not future, axis=axis)
    return True


def reset(net: Network, weights: Literal["initial", "keep"]) -> None:
    """Back to t = 0 (see :meth:`Network.reset`)."""
    if weights not in ("initial", "keep"):
        raise ConfigurationError(f"`weights` must be 'initial' or 'keep', got {weights!r}.")
    settle_pending(net)
    for pop in net.populations:
        pop._init_state()
        if isinstance(pop.model, SpikeGenerator):
            with warnings.catch_warnings():
                # what is worth a warning (spike times off the grid) was said when it was made
                warnings.simplefilter("ignore", SNNWarning)
                update_model(pop, pop.model, prepare_model(pop, pop.model))
    net._step = 0
    skip = {f"populations/p{p.index}/state/{v}" for p in net.populations for v in p.state}
    skip |= {f"populations/p{p.index}/buffers/{b}" for p in net.populations for b in p.buffers}
    for path, arr in state_arrays(net).items():
        if path not in skip:
            arr[...] = 0
    net._nan_at[...] = -1
    for proj in net.projections:
        proj._born = 0
        if proj.synapse is None:
            continue
        proj._init_synapse_state()
        if weights == "initial":
            proj._csr.weight = proj._w0.copy()
    for att in net._drives:
        att._reset()
    for mon in net._monitors:
        mon.clear()


@dataclass
class _ProjectionParameters:
    indptr: np.ndarray
    indices: np.ndarray
    weight: Any
    delay: Any
    synapse: Any
    learning: bool
    w0: Any
    born: int


@dataclass
class Snapshot:
    """The state and parameters of a network at one step (see :meth:`Network.store`)."""

    step: int
    objects: tuple[Any, ...]
    arrays: dict[str, np.ndarray]
    models: list[Any]
    overrides: list[list[Any]]
    drives: list[Any]
    projections: list[_ProjectionParameters]
    monitors: list[Any] = field(default_factory=list)

    @classmethod
    def take(cls, net: Network) -> Snapshot:
        """Copy what the loop changes in place; keep references to what ``set`` replaces."""
        settle_pending(net)
        if net._laid_out_version != net._layout_version:
            lay_out(net)
        projections = []
        for proj in net.projections:
            csr = proj._csr
            weight = csr.weight.copy() if proj.synapse is not None else csr.weight
            projections.append(
                _ProjectionParameters(
                    csr.indptr,
                    csr.indices,
                    weight,
                    csr.delay,
                    proj.synapse,
                    proj._learning,
                    proj._w0,
                    proj._born,
                )
            )
        return cls(
            step=net.step,
            objects=_objects(net),
            arrays={k: v.copy() for k, v in state_arrays(net, values=True).items()},
            models=[p.model for p in net.populations],
            overrides=[list(p._init_overrides) for p in net.populations],
            drives=[d.drive for d in net._drives],
            projections=projections,
            monitors=[m._capture() for m in net._monitors],
        )

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays copied."""
        copied = sum(a.nbytes for a in self.arrays.values())
        return copied + sum(
            p.weight.nbytes for p in self.projections if isinstance(p.weight, np.ndarray)
        )

    def put_back(self, net: Network, name: str) -> None:
        """Restore ``net`` to this snapshot (same objects; parameters first, then state)."""
        if _objects(net) != self.objects:
            raise ConfigurationError(
                f"the network's populations, projections, drives or monitors changed since "
                f"store({name!r}); restore needs the same ones. Store again after changing the "
                "structure."
            )
        settle_pending(net)
        for pop, model, overrides in zip(net.populations, self.models, self.overrides, strict=True):
            if model is not pop.model:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SNNWarning)  # said when it was first used
                    update_model(pop, model, prepare_model(pop, model))
            pop._init_overrides = list(overrides)
        for att, drive in zip(net._drives, self.drives, strict=True):
            if drive is not att.drive:
                att._put(drive)
        for proj, saved in zip(net.projections, self.projections, strict=True):
            _put_projection(net, proj, saved)
        net._step = self.step
        lay_out(net)
        live = state_arrays(net, values=True)
        missing = sorted(set(live) ^ set(self.arrays))
        if missing:
            raise ConfigurationError(
                f"the network's arrays changed since store({name!r}) ({missing[:3]}); "
                "store again after changing the structure."
            )
        for path, value in self.arrays.items():
            if not put_state(net, path, live[path], value):
                raise ConfigurationError(
                    f"cannot restore {path}: stored shape {value.shape}, now {live[path].shape}."
                )
        for mon, data in zip(net._monitors, self.monitors, strict=True):
            mon._restore(data)


def _objects(net: Network) -> tuple[Any, ...]:
    return (
        *net.populations,
        None,
        *net.projections,
        None,
        *net._drives,
        None,
        *net._monitors,
    )


def _put_projection(net: Network, proj: Any, saved: _ProjectionParameters) -> None:
    csr = proj._csr
    kinds = (storage_kind(csr.weight), storage_kind(csr.delay))
    relaid = csr.delay is not saved.delay or csr.indices is not saved.indices
    csr.indptr, csr.indices, csr.delay = saved.indptr, saved.indices, saved.delay
    csr.weight = saved.weight.copy() if proj.synapse is not None else saved.weight
    proj._born = saved.born
    if proj.synapse is not None:
        changed = saved.synapse is not proj.synapse or saved.learning != proj._learning
        proj.__dict__["synapse"] = saved.synapse
        proj._learning = saved.learning
        proj._w0 = saved.w0
        if changed:
            proj._update_constants(net.dt, net.float_dtype)
        if relaid:
            proj._csc = None
    if (storage_kind(csr.weight), storage_kind(csr.delay)) != kinds:
        net._touch(code_only=True)
    elif relaid:
        net._relayout()
