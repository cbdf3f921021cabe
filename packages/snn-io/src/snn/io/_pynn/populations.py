"""Populations, views and assemblies of ``pyNN.snn``.

A PyNN :class:`Population` is one snn population (``population._snn``), created at once, with
the cell type's parameters translated to SI. PyNN's parameter values are kept here as well, in
snn's names and units (``_native``: one value, or one per neuron); ``get`` reads them, ``set``
changes them and hands the new values to the snn population (:meth:`snn.core.Population.set`).
Initial values are PyNN's (its ``initialize``), written into the snn state at once and again
after ``reset()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify

from snn.io._pynn import simulator
from snn.io._pynn.cells import SnnCellType
from snn.io._pynn.recording import Recorder
from snn.io._pynn.simulator import MS

__all__ = ["Assembly", "Population", "PopulationView"]


class Assembly(common.Assembly):
    __doc__ = common.Assembly.__doc__
    _simulator = simulator


def _evaluated(space: ParameterSpace) -> dict[str, Any]:
    try:
        space.evaluate(simplify=True)
    except (TypeError, ValueError) as exc:
        raise errors.InvalidParameterValueError(
            f"parameter values must be numbers, arrays, functions of the index or "
            f"RandomDistributions: {exc}"
        ) from None
    return dict(space.items())


class _ParameterAccess:
    """``get`` of PyNN parameters through the native values (shared by populations and views)."""

    celltype: Any

    def _get_parameters(self, *names: str) -> ParameterSpace:
        celltype = self.celltype
        if any(name in celltype.computed_parameters() for name in names):
            native_names = celltype.get_native_names()  # computed: need every parameter
        else:
            native_names = celltype.get_native_names(*names)
        return celltype.reverse_translate(self._get_native_parameters(*native_names))

    def _get_native_parameters(self, *names: str) -> ParameterSpace:
        root, idx = self._root_indices()
        local = idx[root._mask_local[idx]]
        values = {}
        for name in names:
            value = root._native[name]
            if isinstance(value, np.ndarray) and value.shape:
                value = simplify(value[local])
            values[name] = value
        return ParameterSpace(values, shape=(local.shape[0],))

    def _set_parameters(self, parameter_space: ParameterSpace) -> None:
        root, idx = self._root_indices()
        root._update(_evaluated(parameter_space), idx)

    def _root_indices(self) -> tuple[Population, np.ndarray]:
        raise NotImplementedError


class Population(_ParameterAccess, common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self) -> None:
        try:
            self._build()
        except Exception:
            # PyNN registers the population's recorder before it makes the cells: a population
            # that could not be made must not be finalised at the next run
            simulator.state.recorders.discard(self.recorder)
            raise

    def _build(self) -> None:
        celltype = self.celltype
        if not isinstance(celltype, SnnCellType):
            raise errors.InvalidModelError(
                f"pyNN.snn runs PyNN's standard cell types; {type(celltype).__name__} is not one "
                f"(see pyNN.snn.list_standard_models())."
            )
        state = simulator.state
        net = state.net
        space = celltype.native_parameters
        space.shape = (self.size,)
        native = _evaluated(space)
        model = celltype.snn_model(native, self.size)
        stream = f"pyNN.snn/population/{len(net.populations)}"
        init = celltype.initial_state(
            model, self.size, seed=net.seed, stream=stream, dt=state.dt * MS
        )
        self._snn = net.add_population(
            model, self.size, name=self._snn_name(net), init=init or None
        )
        self._native = native
        self.all_cells = np.array([simulator.ID(int(i)) for i in self._snn.ids], dtype=simulator.ID)
        self._mask_local = state.local_mask(self._snn)
        for cell in self.all_cells:
            cell.parent = self
        state.populations.append(self)

    def _snn_name(self, net: Any) -> str:
        taken = {p.name for p in net.populations}
        name, k = self.label, 1
        while name in taken:
            name, k = f"{self.label}#{k}", k + 1
        return name

    def _root_indices(self) -> tuple[Population, np.ndarray]:
        return self, np.arange(self.size)

    def _get_view(self, selector: Any, label: str | None = None) -> PopulationView:
        return PopulationView(self, selector, label)

    def _set_initial_value_array(self, variable: str, value: Any) -> None:
        if variable in self.celltype.recomputed_state:
            return
        translations = self.celltype.state_variable_translations
        if variable not in translations:
            raise errors.NonExistentParameterError(variable, self.celltype, list(translations))
        tr = translations[variable]
        forward = tr["forward_transform"]
        if callable(forward):
            native = forward(**{variable: value})
        else:
            native = eval(forward, {}, {variable: value})
        self._snn.set(**{tr["translated_name"]: native.evaluate(simplify=True)})

    def _update(self, values: dict[str, Any], idx: np.ndarray) -> None:
        """Set native parameters of neurons ``idx`` (all checked by snn before any is kept)."""
        full = {}
        for name, value in values.items():
            if name not in self._native:
                raise errors.NonExistentParameterError(name, self.celltype, list(self._native))
            current = self._native[name]
            if idx.shape[0] == self.size and np.ndim(value) == 0:
                full[name] = value
                continue
            merged = np.array(
                np.broadcast_to(current, (self.size,)),
                dtype=np.result_type(np.asarray(current), np.asarray(value)),
            )
            merged[idx] = value
            full[name] = merged
        before = self.celltype.model_arguments(self._native, self.size)
        after = self.celltype.model_arguments({**self._native, **full}, self.size)
        changed = {
            k: v
            for k, v in after.items()
            if k not in before or not np.array_equal(np.asarray(before[k]), np.asarray(v))
        }
        if changed:
            self._snn.set(**changed)
        self._native.update(full)

    def _reapply_initial_values(self) -> None:
        """Write PyNN's initial values into the state again (after ``reset()``)."""
        for variable, value in self.initial_values.items():
            self._set_initial_value_array(variable, value)


class PopulationView(_ParameterAccess, common.PopulationView):
    __doc__ = common.PopulationView.__doc__
    _assembly_class = Assembly
    _simulator = simulator

    def _root_indices(self) -> tuple[Population, np.ndarray]:
        return self.grandparent, np.asarray(self.index_in_grandparent(np.arange(self.size)))

    def _get_view(self, selector: Any, label: str | None = None) -> PopulationView:
        return PopulationView(self, selector, label)

    def _set_initial_value_array(self, variable: str, value: Any) -> None:
        raise NotImplementedError(
            "PyNN sets initial values on whole populations; use population.initialize()."
        )
