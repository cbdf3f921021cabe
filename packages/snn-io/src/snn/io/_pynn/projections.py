"""Projections of ``pyNN.snn``: PyNN's connectors and synapse types on snn projections.

A PyNN projection is one snn projection per pair of component populations (more than one when
``pre`` or ``post`` is an assembly). The common connectors run on snn's own connection rules in
numba (:mod:`snn.io._pynn.connectors`); every other connector runs PyNN's generic code, whose
connections are collected here and made with :class:`snn.synapses.Explicit`.

Weights and delays are read back from snn (:meth:`snn.core.Projection.weights`,
:meth:`~snn.core.Projection.delays`), since plasticity changes weights; other synapse parameters
are kept here in native units, one value per projection part, except those snn's synapse model
holds per synapse (``U``, ``tau_rec``, ``tau_facil`` of Tsodyks-Markram synapses), which are
read back from snn too. ``set`` hands new values to snn (``Projection.set`` of the snn
projection).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace
from pyNN.random import RandomDistribution
from pyNN.space import Space

from snn.core import SynapseModel
from snn.core.connectivity import nearest_steps
from snn.core.random import Distribution
from snn.core.validate import user_stacklevel
from snn.io._pynn import simulator
from snn.io._pynn.connectors import native_connect
from snn.io._pynn.native_rng import NativeRNG
from snn.io._pynn.synapses import SnnSynapseType, StaticSynapse
from snn.synapses import Explicit

__all__ = ["Connection", "Projection"]

#: most snn projections made for one PyNN projection whose synapse parameters differ
MAX_VALUE_GROUPS = 64


@dataclass
class _Side:
    """One component of a projection's ``pre`` or ``post``.

    ``indices[k]`` is the population index, in ``population``, of neuron ``offset + k`` of the
    projection's side.
    """

    population: Any
    indices: np.ndarray
    offset: int

    def snn_target(self) -> Any:
        """The snn population, or the view of these neurons, for a connection rule."""
        snn_pop = self.population._snn
        idx = self.indices
        if idx.shape[0] == snn_pop.size and np.array_equal(idx, np.arange(snn_pop.size)):
            return snn_pop
        if idx.shape[0] and np.array_equal(idx, np.arange(idx[0], idx[0] + idx.shape[0])):
            return snn_pop[int(idx[0]) : int(idx[0]) + idx.shape[0]]
        return snn_pop[idx]

    def to_projection(self, population_index: np.ndarray) -> np.ndarray:
        """Projection-side index of neurons given by their population index."""
        order = np.argsort(self.indices, kind="stable")
        pos = np.searchsorted(self.indices[order], population_index)
        return self.offset + order[pos]


def _sides(cells: Any) -> list[_Side]:
    if isinstance(cells, common.Assembly):
        out, offset = [], 0
        for p in cells.populations:
            side = _sides(p)[0]
            out.append(_Side(side.population, side.indices, offset))
            offset += p.size
        return out
    if isinstance(cells, common.PopulationView):
        return [
            _Side(
                cells.grandparent, np.asarray(cells.index_in_grandparent(np.arange(cells.size))), 0
            )
        ]
    return [_Side(cells, np.arange(cells.size), 0)]


@dataclass
class _Part:
    """One snn projection of a PyNN projection, between ``pre[i]`` and ``post[j]``."""

    snn: Any
    pre: _Side
    post: _Side
    #: population indices of the target neurons the snn projection may reach
    targets: np.ndarray
    #: native synapse parameters of the snn synapse model (one value each)
    parameters: dict[str, Any] = field(default_factory=dict)


class Connection(common.Connection):
    """One synapse of a projection: its indices, weight, delay and other parameters."""

    def __init__(self, projection: Projection, part: int, position: int) -> None:
        self.projection = projection
        self.part = part
        self.position = position

    def _native_name(self, name: str) -> str:
        if name in ("presynaptic_index", "postsynaptic_index"):
            return name
        return self.projection.synapse_type.get_native_names(name)[0]

    def _get(self, name: str) -> float:
        part = self.projection._parts[self.part]
        return float(self.projection._part_values(part, self._native_name(name))[self.position])

    def _set(self, name: str, value: float) -> None:
        prj = self.projection
        part = prj._parts[self.part]
        native_name = self._native_name(name)
        space = ParameterSpace({name: value}, prj.synapse_type.get_schema(), shape=(1,))
        native = prj.synapse_type.translate(space)
        native.evaluate(simplify=True)
        values = prj._native_values(part, native_name).copy()
        values[self.position] = native[native_name]
        prj._write(part, native_name, values)

    @property
    def presynaptic_index(self) -> int:
        """Index of the source in the projection's presynaptic neurons."""
        return int(self._get("presynaptic_index"))

    @property
    def postsynaptic_index(self) -> int:
        """Index of the target in the projection's postsynaptic neurons."""
        return int(self._get("postsynaptic_index"))

    def _get_weight(self) -> float:
        return self._get("weight")

    def _set_weight(self, w: float) -> None:
        self._set("weight", w)

    def _get_delay(self) -> float:
        return self._get("delay")

    def _set_delay(self, d: float) -> None:
        self._set("delay", d)

    weight = property(_get_weight, _set_weight, doc="Synaptic weight [nA, uS or mV].")
    delay = property(_get_delay, _set_delay, doc="Synaptic delay [ms].")

    def as_tuple(self, *attribute_names: str) -> tuple[float, ...]:
        """The values of the named attributes."""
        return tuple(self._get(name) for name in attribute_names)


def _check_parameter_shapes(projection: Any) -> None:
    """Refuse synapse parameters given as arrays of another shape than (n_pre, n_post).

    PyNN evaluates such a parameter over the pre x post matrix; an array of any other shape
    (``delay=[1.0]`` on a 3 x 3 projection) failed deep in lazyarray with a bare ValueError.
    """
    shape = (projection.pre.size, projection.post.size)
    for name, lazy in projection.synapse_type.parameter_space.items():
        base = getattr(lazy, "base_value", None)
        if isinstance(base, np.ndarray) and base.shape not in ((), shape):
            raise errors.InvalidParameterValueError(
                f"synapse parameter `{name}` of a projection from {shape[0]} to {shape[1]} "
                f"neurons must be a number, a random distribution, a function of distance or an "
                f"array of shape {shape}; got an array of shape {base.shape}."
            )


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(
        self,
        presynaptic_population: Any,
        postsynaptic_population: Any,
        connector: Any,
        synapse_type: Any = None,
        source: str | None = None,
        receptor_type: str | None = None,
        space: Space = Space(),  # noqa: B008 - PyNN's signature
        label: str | None = None,
    ) -> None:
        common.Projection.__init__(
            self,
            presynaptic_population,
            postsynaptic_population,
            connector,
            synapse_type,
            source,
            receptor_type,
            space,
            label,
        )
        if not isinstance(self.synapse_type, SnnSynapseType):
            raise errors.NoModelAvailableError(
                f"pyNN.snn runs PyNN's standard synapse types; {type(self.synapse_type).__name__}"
                " is not one."
            )
        self._pre_sides = _sides(self.pre)
        self._post_sides = _sides(self.post)
        scales = {s.population.celltype.weight_scale for s in self._post_sides}
        if len(scales) != 1:
            raise errors.ConnectionError(
                "a projection onto an assembly needs one kind of synapse (current, conductance or "
                "voltage) in all its populations."
            )
        #: SI value of one PyNN weight unit onto the targets (nA -> A, uS -> S, mV -> V)
        self.weight_scale = scales.pop()
        self._parts: list[_Part] = []
        self._collected: list[tuple[np.ndarray, int, dict[str, Any]]] = []
        _check_parameter_shapes(self)
        if not native_connect(self):
            connector.connect(self)
            self._build_collected()
        simulator.state.projections.append(self)

    def _guess_receptor_type(self) -> None:
        """PyNN's guess of the receptor type, also for weights drawn by a ``NativeRNG``.

        PyNN guesses from the sign of one weight drawn in Python; a ``NativeRNG`` draws none
        there, so the first receptor type is taken with PyNN's warning (PyNN's fallback for
        native generators, which its NEST backend reaches).
        """
        weight = self.synapse_type.parameter_space["weight"]
        base = getattr(weight, "base_value", None)
        if isinstance(base, RandomDistribution) and isinstance(base.rng, NativeRNG):
            self.receptor_type = self.post.receptor_types[0]
            warnings.warn(
                "Unable to guess receptor type: a NativeRNG draws no weight in Python; "
                f"{self.receptor_type!r} is used.",
                stacklevel=user_stacklevel(),
            )
            return
        super()._guess_receptor_type()

    # -- building ---------------------------------------------------------------------
    def _convergent_connect(
        self,
        presynaptic_indices: Any,
        postsynaptic_index: int,
        location_selector: Any = None,
        **connection_parameters: Any,
    ) -> None:
        if location_selector is not None:
            raise NotImplementedError("pyNN.snn runs point neurons only (no location_selector).")
        pre = np.atleast_1d(np.asarray(presynaptic_indices, dtype=np.int64))
        self._collected.append((pre, int(postsynaptic_index), connection_parameters))

    def _build_collected(self) -> None:
        """Make the snn projections of the connections PyNN's connector produced."""
        names = self.synapse_type.get_native_names()
        if self._collected:
            pre = np.concatenate([c[0] for c in self._collected])
            post = np.concatenate([np.full(c[0].shape[0], c[1]) for c in self._collected])
            values = {
                name: np.concatenate(
                    [
                        np.broadcast_to(np.asarray(c[2][name], dtype=np.float64), c[0].shape)
                        for c in self._collected
                    ]
                )
                for name in names
                if name in self._collected[0][2]
            }
        else:
            pre = post = np.zeros(0, dtype=np.int64)
            values = {name: np.zeros(0) for name in names}
        self._collected = []
        pre_bounds = [s.offset for s in self._pre_sides[1:]]
        post_bounds = [s.offset for s in self._post_sides[1:]]
        pre_of = np.searchsorted(pre_bounds, pre, side="right")
        post_of = np.searchsorted(post_bounds, post, side="right")
        for i, pre_side in enumerate(self._pre_sides):
            for j, post_side in enumerate(self._post_sides):
                sel = np.flatnonzero((pre_of == i) & (post_of == j))
                src = pre_side.indices[pre[sel] - pre_side.offset]
                tgt = post_side.indices[post[sel] - post_side.offset]
                for targets in self._target_groups(post_side.population, np.unique(tgt)):
                    in_group = np.flatnonzero(np.isin(tgt, targets))
                    for mine in self._value_groups(
                        {k: v[sel] for k, v in values.items()}, in_group
                    ):
                        self._connect_part(
                            pre_side,
                            post_side,
                            Explicit(pre=src[mine], post=tgt[mine]),
                            {name: v[sel[mine]] for name, v in values.items()},
                            targets=targets,
                        )

    def _value_groups(self, values: dict[str, np.ndarray], synapses: np.ndarray) -> list[Any]:
        """``synapses`` split by their values of the synapse model's parameters.

        Parameters snn holds per synapse (``U`` of Tsodyks-Markram synapses) split nothing;
        synapses with other values of the others (the amplitudes of STDP, say) go into a
        projection of their own, at most :data:`MAX_VALUE_GROUPS`.
        """
        own = self.synapse_type.per_synapse_parameters()
        names = [n for n in self.synapse_type.model_parameters() if n in values and n not in own]
        if not names or synapses.size == 0:
            return [synapses]
        table = np.stack([values[n][synapses] for n in names], axis=1)
        rows, labels = np.unique(table, axis=0, return_inverse=True)
        if rows.shape[0] > MAX_VALUE_GROUPS:
            raise errors.InvalidParameterValueError(
                f"{names} take {rows.shape[0]} different values in one projection; snn's synapse "
                f"models hold one value per projection, and pyNN.snn makes at most "
                f"{MAX_VALUE_GROUPS} projections for one PyNN projection."
            )
        return [synapses[labels.ravel() == k] for k in range(rows.shape[0])]

    def _target_groups(self, population: Any, targets: np.ndarray) -> list[np.ndarray]:
        """``targets`` split into groups that need a synapse model each.

        One group when the synapse model does not depend on the target.
        """
        labels = self.synapse_type.target_groups(self._target_parameters(population, targets))
        if labels is None:
            return [targets]
        return [targets[labels == k] for k in np.unique(labels)]

    def _connect_part(
        self,
        pre: _Side,
        post: _Side,
        rule: Any,
        values: dict[str, Any],
        *,
        targets: np.ndarray | None = None,
    ) -> None:
        """One snn projection; ``values`` are native: one value, a Distribution, or per synapse.

        With ``targets`` (population indices of the neurons it may reach) the rule is an
        :class:`~snn.synapses.Explicit` list between the whole populations; without, the rule
        connects the two sides.
        """
        explicit = targets is not None
        if targets is None:
            targets = post.indices
        net = simulator.state.net
        celltype = post.population.celltype
        receptor = celltype.snn_receptor(self.receptor_type)
        model_names = self.synapse_type.model_parameters()
        own = self.synapse_type.per_synapse_parameters()
        homogeneous = {}
        per_synapse = {}
        # values snn holds per synapse: set on the snn projection once it is made
        later: dict[str, Any] = {}
        for name in model_names:
            if isinstance(values.get(name), Distribution):
                later[name] = values[name]
                homogeneous[name] = self._default_native(name)
                continue
            v = np.asarray(values[name]) if name in values else None
            if v is None or v.ndim == 0 or (v.size and np.all(v == v.ravel()[0])):
                homogeneous[name] = (
                    float(v.ravel()[0])
                    if v is not None and v.size
                    else (self._default_native(name))
                )
            else:
                homogeneous[name] = float(v.ravel()[0])
                if name in own:
                    later[name] = v
                else:
                    per_synapse[name] = v
        model: SynapseModel | None = self.synapse_type.snn_synapse(
            homogeneous, self._target_parameters(post.population, targets), self.weight_scale
        )
        pre_snn = pre.population._snn if explicit else pre.snn_target()
        post_snn = post.population._snn if explicit else post.snn_target()
        q = net.connect(
            pre_snn,
            post_snn,
            rule=rule,
            weight=_scaled(values["weight"], self.weight_scale),
            delay=_on_grid(values["delay"]),
            receptor=receptor,
            synapse=model,
        )
        part = _Part(q, pre, post, targets, dict(homogeneous))
        self._parts.append(part)
        by_target = self.synapse_type.target_values(
            self._target_parameters(post.population, targets)
        )
        if by_target:
            # each synapse takes its target's value (targets: population indices)
            order = np.argsort(targets, kind="stable")
            position = order[np.searchsorted(targets[order], q.targets())]
            q.set(**{field: np.asarray(v)[position] for field, v in by_target.items()})
        for name, value in later.items():
            if not isinstance(value, Distribution):
                # values of an explicit list: into the snn projection's storage order
                value = np.asarray(value, dtype=np.float64)[_storage_order(q, rule)]
            q.set(**{own[name]: value})
        if per_synapse:
            self._write_model_parameters(part, per_synapse)

    def _target_parameters(self, population: Any, targets: np.ndarray) -> dict[str, Any]:
        """SI parameters of the neurons ``targets`` of ``population``, and the receptor.

        One value, or one per target; ``"receptor"`` names the target's synaptic time constant
        of this receptor type, ``"tau_syn_" + receptor`` (:meth:`SnnCellType.tau_key`).
        """
        args = population.celltype.model_arguments(population._native, population.size)
        target = {
            name: value[targets] if isinstance(value, np.ndarray) and value.shape else value
            for name, value in args.items()
        }
        target["receptor"] = population.celltype.tau_key(self.receptor_type)
        return target

    def _default_native(self, name: str) -> float:
        space = self.synapse_type.native_parameters
        space.shape = (1,)
        space.evaluate(simplify=True)
        return float(space[name])

    # -- reading and writing ----------------------------------------------------------
    def __len__(self) -> int:
        return sum(p.snn.n_synapses for p in self._parts)

    @property
    def connections(self) -> Any:
        """The connections held by this process, as :class:`Connection` objects."""
        return (
            Connection(self, k, i)
            for k, part in enumerate(self._parts)
            for i in range(part.snn.n_synapses)
        )

    def __getitem__(self, i: int) -> Connection:
        for k, part in enumerate(self._parts):
            if i < part.snn.n_synapses:
                return Connection(self, k, i)
            i -= part.snn.n_synapses
        raise IndexError("connection index out of range")

    def _part_values(self, part: _Part, name: str) -> np.ndarray:
        """PyNN values of a native attribute (or an index) of the synapses of ``part``.

        In storage order; ``name`` is native (``"tau_fac"``) or an index name.
        """
        q = part.snn
        if name == "presynaptic_index":
            return part.pre.to_projection(q.sources()).astype(np.float64)
        if name == "postsynaptic_index":
            return part.post.to_projection(q.targets()).astype(np.float64)
        return self._reverse(name, self._native_values(part, name))

    def _native_values(self, part: _Part, native_name: str) -> np.ndarray:
        q = part.snn
        if native_name == "weight":
            return q.weights() / self.weight_scale
        if native_name == "delay":
            return q.delays()
        own = self.synapse_type.per_synapse_parameters()
        if native_name in own:
            value = np.asarray(q.get(own[native_name]), dtype=np.float64)
            return np.broadcast_to(value, (q.n_synapses,)).copy()
        value = part.parameters.get(native_name)
        if value is None:
            raise errors.NonExistentParameterError(
                native_name,
                type(self.synapse_type).__name__,
                self.synapse_type.get_parameter_names(),
            )
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (q.n_synapses,)).copy()

    def _reverse(self, native_name: str, values: np.ndarray) -> np.ndarray:
        space = self.synapse_type.reverse_translate(
            ParameterSpace({native_name: values}, shape=values.shape)
        )
        space.evaluate(simplify=False)
        (value,) = (v for _, v in space.items())
        return np.broadcast_to(np.asarray(value, dtype=np.float64), values.shape).copy()

    def _write(self, part: _Part, native_name: str, values: np.ndarray) -> None:
        """Hand per-synapse native values (storage order) of one part to snn."""
        q = part.snn
        if native_name == "weight":
            q.set(weight=values * self.weight_scale)
        elif native_name == "delay":
            q.set(delay=_on_grid(values))
        else:
            self._write_model_parameters(part, {native_name: values})

    def _write_model_parameters(self, part: _Part, updates: dict[str, np.ndarray]) -> None:
        """New synapse-model parameters, per synapse (storage order) of one projection part.

        Those snn holds per synapse go to its ``Projection.set`` as they are; the others must
        be one value for the part.
        """
        own = self.synapse_type.per_synapse_parameters()
        mine = {own[k]: np.asarray(v, dtype=np.float64) for k, v in updates.items() if k in own}
        if mine:
            part.snn.set(**mine)
        updates = {k: v for k, v in updates.items() if k not in own}
        if not updates:
            return
        new = dict(part.parameters)
        for name, values in updates.items():
            v = np.asarray(values, dtype=np.float64)
            if v.size and np.any(v != v.ravel()[0]):
                raise errors.InvalidParameterValueError(
                    f"{name} differs between the synapses of one projection; snn's synapse "
                    "models hold one value per projection."
                )
            if v.size:
                new[name] = float(v.ravel()[0])
        target = self._target_parameters(part.post.population, part.targets)
        model = self.synapse_type.snn_synapse(new, target, self.weight_scale)
        old = part.snn.synapse
        # the fields snn holds per synapse keep their values (part.parameters has none of them)
        kept = {*own.values(), *self.synapse_type.target_values(target)}
        changed = {
            f.name: getattr(model, f.name)
            for f in dataclasses.fields(model)
            if f.name not in kept and getattr(model, f.name) != getattr(old, f.name)
        }
        if changed:
            part.snn.set(**changed)
        part.parameters = new

    def _get_attributes_as_list(self, names: list[str]) -> list[tuple[float, ...]]:
        columns = []
        for name in names:
            parts = [self._part_values(p, name) for p in self._parts]
            columns.append(np.concatenate(parts) if parts else np.zeros(0))
        return [tuple(row) for row in np.array(columns).T.tolist()]

    def _get_attributes_as_arrays(
        self, names: list[str], multiple_synapses: str = "sum"
    ) -> list[np.ndarray]:
        rows = self._get_attributes_as_list(["presynaptic_index", "postsynaptic_index", *names])
        table = np.array(rows, dtype=np.float64).reshape(-1, 2 + len(names))
        i, j = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
        out = []
        for k in range(len(names)):
            out.append(_aggregate(self.shape, i, j, table[:, 2 + k], multiple_synapses))
        return out

    def _set_initial_value_array(self, variable: str, value: Any) -> None:
        """``Projection.initialize``: a synapse variable's value before the first spike.

        The synapse type names the variables it can start elsewhere
        (:meth:`SnnSynapseType.initial_values`); snn's models take one starting value per
        projection, given before the run.
        """
        names = self.synapse_type.initial_values()
        if variable not in names:
            raise errors.NonExistentParameterError(
                variable, type(self.synapse_type).__name__, sorted(names)
            )
        values = np.asarray(value.evaluate(simplify=True), dtype=np.float64)
        if values.size and np.any(values != values.ravel()[0]):
            raise errors.InvalidParameterValueError(
                f"{variable} differs between the synapses of one projection; snn's synapse "
                f"models start it at one value per projection, got {values.ravel()[:4]}..."
            )
        if simulator.state.network.step != 0:
            raise errors.InvalidParameterValueError(
                f"initialize({variable}=...) must come before the run: the synapses' state "
                "has moved on."
            )
        field_name, convert = names[variable]
        for part in self._parts:
            part.snn.set(**{field_name: convert(float(values.ravel()[0]))})

    def _set_attributes(self, parameter_space: ParameterSpace) -> None:
        parameter_space.evaluate(simplify=False)
        for part in self._parts:
            i = part.pre.to_projection(part.snn.sources())
            j = part.post.to_projection(part.snn.targets())
            for name, matrix in parameter_space.items():
                values = np.broadcast_to(np.asarray(matrix, dtype=np.float64), self.shape)[i, j]
                self._write(part, name, np.ascontiguousarray(values))


def _storage_order(q: Any, rule: Explicit) -> np.ndarray:
    """Positions in an :class:`~snn.synapses.Explicit` list of the synapses of ``q``.

    In storage order: the list's pairs onto this process's neurons, by source, then target,
    then list order (``Explicit``'s build).
    """
    pre = np.asarray(rule.pre, dtype=np.int64)
    post = np.asarray(rule.post, dtype=np.int64)
    keep = np.flatnonzero(np.isin(post, q.post.population.local_index))
    order = keep[np.lexsort((post[keep], pre[keep]))]
    if not (np.array_equal(pre[order], q.sources()) and np.array_equal(post[order], q.targets())):
        raise RuntimeError("pyNN.snn: the storage order of an explicit list changed in snn.")
    return order


def _scaled(value: Any, scale: float) -> Any:
    """A weight in SI: numbers and arrays multiplied; snn distributions were made scaled."""
    if isinstance(value, int | float | np.ndarray | np.number):
        return np.asarray(value, dtype=np.float64) * scale
    return value


def _on_grid(delay: Any) -> Any:
    """Delays [s] rounded to the time grid as snn and NEST round them (distributions: by snn)."""
    if isinstance(delay, int | float | np.ndarray | np.number):
        dt = simulator.state.dt * simulator.MS
        return nearest_steps(np.asarray(delay, dtype=np.float64) / dt) * dt
    return delay


def _aggregate(
    shape: tuple[int, int], i: np.ndarray, j: np.ndarray, v: np.ndarray, how: str
) -> np.ndarray:
    """An ``(n_pre, n_post)`` array of ``v`` at ``(i, j)``, NaN where there is no synapse."""
    out = np.full(shape, np.nan)
    if how in ("first", "last"):
        order = np.arange(i.shape[0]) if how == "last" else np.arange(i.shape[0])[::-1]
        out[i[order], j[order]] = v[order]
        return out
    ufunc, start = {
        "sum": (np.add, 0.0),
        "min": (np.minimum, np.inf),
        "max": (np.maximum, -np.inf),
    }[how]
    acc = np.full(shape, start)
    ufunc.at(acc, (i, j), v)
    has = np.zeros(shape, dtype=bool)
    has[i, j] = True
    out[has] = acc[has]
    return out
