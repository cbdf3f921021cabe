"""PyNN's current sources on snn's drives, with their recorded currents.

``DCSource``, ``ACSource``, ``StepCurrentSource`` and ``NoisyCurrentSource`` are snn's
:class:`~snn.neurons.DCSource`, :class:`~snn.neurons.SineCurrent`,
:class:`~snn.neurons.StepCurrent` and :class:`~snn.neurons.NoiseCurrent`, one drive per target
population (or view) they are injected into, on its ``current`` receptor. Timing is snn's: the
value for the step from ``t`` to ``t + dt`` is the source's value at ``t``, so a source starting
at ``start`` changes the membrane from ``start + dt`` on (PyNN's convention across backends).

PyNN's conventions kept here: ``ACSource``'s ``phase`` [deg] holds at ``start`` (PyNN's issue
497), ``StepCurrentSource`` refuses negative or decreasing times and maps times to the grid,
keeping the last amplitude of times that fall on the same step (issue 512). A noisy source
draws an independent current for every target neuron (NEST's ``noise_generator``); its recording
is the current of the first target neuron.

A source records by computing, for every step so far, the value its snn drive adds in that step,
with the parameters valid then (a change between runs applies from the time it is made).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import StandardCurrentSource, build_translations, electrodes

from snn.core import Drive
from snn.core.kernels import normal
from snn.core.random import derive_key
from snn.io._pynn.cells import NA
from snn.io._pynn.simulator import MS, state
from snn.neurons import DCSource as SnnDC
from snn.neurons import NoiseCurrent, SineCurrent, StepCurrent

__all__ = ["ACSource", "DCSource", "NoisyCurrentSource", "StepCurrentSource"]

_WINDOW = (("start", "start", MS), ("stop", "stop", MS))


@dataclass
class _Injection:
    """One snn drive of a source.

    ``handle`` is what :meth:`snn.core.Network.add_drive` returned (its ``set`` changes the
    drive), ``first_index`` the population index of the first target neuron, ``drive_index`` the
    drive's number in the network (its random key).
    """

    handle: Any
    first_index: int
    drive_index: int


def _targets(cells: Any) -> list[tuple[Any, np.ndarray]]:
    """Group PyNN cells (a population, view, assembly or list of IDs) by population.

    Returns ``(pyNN population, population indices)`` pairs, indices ascending.
    """
    if isinstance(cells, common.Assembly):
        return [pair for p in cells.populations for pair in _targets(p)]
    if isinstance(cells, common.PopulationView):
        return [(cells.grandparent, np.asarray(cells.index_in_grandparent(np.arange(cells.size))))]
    if isinstance(cells, common.Population):
        return [(cells, np.arange(cells.size))]
    groups: dict[int, tuple[Any, list[int]]] = {}
    for cell in cells if isinstance(cells, Iterable) else [cells]:
        parent = cell.parent
        root = parent.grandparent if isinstance(parent, common.PopulationView) else parent
        index = int(cell) - int(root.first_id)
        groups.setdefault(id(root), (root, []))[1].append(index)
    return [(root, np.unique(idx)) for root, idx in groups.values()]


class SnnCurrentSource(StandardCurrentSource):
    """Base of the current sources: parameters, injections, and the recorded current."""

    def __init__(self, **parameters: Any) -> None:
        super().__init__(**parameters)
        self._injections: list[_Injection] = []
        self._recording = False
        # (first step, native parameters) of each stretch of constant parameters
        self._history: list[tuple[int, dict[str, Any]]] = []
        space = ParameterSpace(self.default_parameters, self.get_schema(), shape=None)
        space.update(**parameters)
        self._native = self._checked(self._evaluate(self.translate(space)))
        self._history.append((0, dict(self._native)))
        state.current_sources.append(self)

    @staticmethod
    def _evaluate(space: ParameterSpace) -> dict[str, Any]:
        space.shape = (1,)
        space.evaluate(simplify=True)
        out = {}
        for name, value in space.items():
            if isinstance(value, Sequence):
                value = value.value
            elif isinstance(value, np.ndarray) and value.dtype == object:
                value = value[0].value
            out[name] = value
        return out

    def _checked(self, native: dict[str, Any]) -> dict[str, Any]:
        """Validate native values (PyNN's rules); subclasses adjust them."""
        return native

    # -- PyNN's interface -------------------------------------------------------------
    def get_native_parameters(self) -> ParameterSpace:
        return ParameterSpace(dict(self._native))

    def set_native_parameters(self, parameters: ParameterSpace) -> None:
        new = {**self._native, **self._evaluate(parameters)}
        new = self._checked(new)
        for inj in self._injections:
            inj.handle.set(**self._drive_parameters(new))
        step = state.network.step if state.network is not None else 0
        self._native = new
        if self._history and self._history[-1][0] == step:
            self._history[-1] = (step, dict(new))
        else:
            self._history.append((step, dict(new)))

    def inject_into(self, cells: Any) -> None:
        """Inject this source into ``cells`` (a population, view, assembly or list of IDs)."""
        for pop, indices in _targets(cells):
            if not pop.celltype.injectable:
                raise TypeError("Can't inject current into a spike source.")
            if indices.size == 0:
                continue
            target = pop._snn if indices.size == pop.size else pop._snn[indices]
            drive = self._snn_drive(self._native)
            if drive is not None:
                handle = state.net.add_drive(drive, target)
                self._injections.append(_Injection(handle, int(indices[0]), state.n_drives))
                state.n_drives += 1

    def record(self) -> None:
        """Record the injected current."""
        self._recording = True

    def _get_data(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._recording:
            raise errors.RecordingError("current", type(self).__name__)
        n = state.net.step
        steps = np.arange(n + 1, dtype=np.int64)
        values = np.zeros(n + 1)
        bounds = [s for s, _ in self._history[1:]] + [n + 1]
        for (s0, native), s1 in zip(self._history, bounds, strict=True):
            part = steps[s0:s1]
            values[s0:s1] = self._values(native, part)
        return steps * state.dt, values / NA

    # -- to be provided by each source ------------------------------------------------
    def _snn_drive(self, native: dict[str, Any]) -> Drive | None:
        return type(self).snn_class(**self._drive_parameters(native))

    def _drive_parameters(self, native: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _values(self, native: dict[str, Any], steps: np.ndarray) -> np.ndarray:
        """The current [A] the snn drive adds in each of ``steps`` with these parameters."""
        raise NotImplementedError

    snn_class: type[Drive]


def _active(native: dict[str, Any], steps: np.ndarray) -> np.ndarray:
    dt = state.dt * MS
    first = round(native["start"] / dt)
    last = round(native["stop"] / dt) if math.isfinite(native["stop"]) else np.iinfo(np.int64).max
    return (first <= steps) & (steps < last)


class DCSource(SnnCurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    snn_class = SnnDC
    translations = build_translations(("amplitude", "amplitude", NA), *_WINDOW)

    def _drive_parameters(self, native: dict[str, Any]) -> dict[str, Any]:
        return {k: float(native[k]) for k in ("amplitude", "start", "stop")}

    def _values(self, native: dict[str, Any], steps: np.ndarray) -> np.ndarray:
        return np.where(_active(native, steps), float(native["amplitude"]), 0.0)


class ACSource(SnnCurrentSource, electrodes.ACSource):
    __doc__ = electrodes.ACSource.__doc__
    snn_class = SineCurrent
    translations = build_translations(
        ("amplitude", "amplitude", NA),
        ("offset", "offset", NA),
        ("frequency", "frequency"),
        ("phase", "phase", math.pi / 180.0),
        *_WINDOW,
    )

    def _drive_parameters(self, native: dict[str, Any]) -> dict[str, Any]:
        omega = 2.0 * math.pi * float(native["frequency"])
        return {
            "amplitude": float(native["amplitude"]),
            "frequency": float(native["frequency"]),
            # PyNN's phase holds at `start`; snn's at t = 0 (within one turn)
            "phase": (float(native["phase"]) - omega * float(native["start"])) % (2.0 * math.pi),
            "offset": float(native["offset"]),
            "start": float(native["start"]),
            "stop": float(native["stop"]),
        }

    def _values(self, native: dict[str, Any], steps: np.ndarray) -> np.ndarray:
        p = self._drive_parameters(native)
        omega_dt = 2.0 * math.pi * p["frequency"] * state.dt * MS
        wave = p["offset"] + p["amplitude"] * np.sin(omega_dt * steps + p["phase"])
        return np.where(_active(native, steps), wave, 0.0)


class StepCurrentSource(SnnCurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    snn_class = StepCurrent
    translations = build_translations(("amplitudes", "amplitudes", NA), ("times", "times", MS))

    def _checked(self, native: dict[str, Any]) -> dict[str, Any]:
        times = np.asarray(native["times"], dtype=np.float64).ravel()
        amplitudes = np.asarray(native["amplitudes"], dtype=np.float64).ravel()
        if times.shape != amplitudes.shape:
            raise errors.InvalidParameterValueError(
                f"StepCurrentSource needs as many amplitudes as times, got {amplitudes.size} and "
                f"{times.size}."
            )
        if np.any(times < 0):
            raise ValueError("Step current cannot accept negative timestamps.")
        if np.any(np.diff(times) <= 0):
            raise ValueError("Step current timestamps should be monotonically increasing.")
        dt = state.dt * MS
        grid = np.rint(times / dt) * dt
        # the last amplitude given for a step wins (PyNN's rule)
        last = np.append(np.diff(np.rint(times / dt)) != 0, True)
        return {"times": grid[last], "amplitudes": amplitudes[last]}

    def _snn_drive(self, native: dict[str, Any]) -> Drive | None:
        # no step yet: nothing to inject until times are given
        return super()._snn_drive(native) if len(native["times"]) else None

    def _drive_parameters(self, native: dict[str, Any]) -> dict[str, Any]:
        return {"times": native["times"], "amplitudes": native["amplitudes"]}

    def _values(self, native: dict[str, Any], steps: np.ndarray) -> np.ndarray:
        change = np.rint(np.asarray(native["times"]) / (state.dt * MS)).astype(np.int64)
        k = np.searchsorted(change, steps, side="right") - 1
        amplitudes = np.append(np.asarray(native["amplitudes"], dtype=np.float64), 0.0)
        return np.where(k >= 0, amplitudes[k], 0.0)


class NoisyCurrentSource(SnnCurrentSource, electrodes.NoisyCurrentSource):
    __doc__ = electrodes.NoisyCurrentSource.__doc__
    snn_class = NoiseCurrent
    translations = build_translations(
        ("mean", "mean", NA), ("stdev", "std", NA), ("dt", "interval", MS), *_WINDOW
    )

    def _drive_parameters(self, native: dict[str, Any]) -> dict[str, Any]:
        return {k: float(native[k]) for k in ("mean", "std", "interval", "start", "stop")}

    def _values(self, native: dict[str, Any], steps: np.ndarray) -> np.ndarray:
        if not self._injections:
            return np.zeros(steps.shape[0])
        inj = self._injections[0]
        # the drive's draws (snn.neurons.NoiseCurrent): counter (target neuron, interval) under
        # the key the loop gives the network's drive number `drive_index`
        k0, k1 = derive_key(state.net.seed, "drive", inj.drive_index)
        dt = state.dt * MS
        first = round(native["start"] / dt)
        every = max(1, round(native["interval"] / dt))
        out = np.zeros(steps.shape[0])
        active = _active(native, steps)
        for i in np.flatnonzero(active):
            z = normal(k0, k1, np.int64(inj.first_index), np.int64((steps[i] - first) // every))
            out[i] = native["mean"] + native["std"] * z
        return out
