"""Recording for ``pyNN.snn``: PyNN's recorder on snn's monitors.

PyNN's :class:`pyNN.recording.Recorder` builds the Neo blocks (segments, spike trains and analog
signals with PyNN's annotations); this class feeds it from snn monitors. Monitors are made when a
run starts, for the neurons recorded then: spikes with :meth:`snn.core.Network.record_spikes` (the
whole population, or a view of the recorded neurons), state variables with
:meth:`snn.core.Network.record_state` at the sampling interval. A signal starts with the state at
the moment its monitor was made (PyNN's sample at ``t = 0``), followed by snn's samples at every
multiple of the interval. ``clear`` and ``reset()`` start a new stretch of data: what the
monitors held before is skipped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pyNN import errors, recording

from snn.core import SpikeMonitor, StateMonitor
from snn.io._pynn import simulator
from snn.io._pynn.simulator import MS

__all__ = ["Recorder"]


class _StateRecording:
    """One state monitor and where the current segment's samples begin."""

    def __init__(self, monitor: StateMonitor, native: str, first: np.ndarray) -> None:
        self.monitor = monitor
        self.native = native
        self.first = first
        self.skip = 0


class Recorder(recording.Recorder):
    """Records spikes and state variables of one population (views share their parent's)."""

    _simulator = simulator

    def __init__(self, population: Any = None, file: Any = None) -> None:
        recording.Recorder.__init__(self, population, file)
        self._spikes: SpikeMonitor | None = None
        self._spike_ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._states: dict[str, _StateRecording] = {}
        self._state_ids: dict[str, np.ndarray] = {}

    def _record(self, variable: Any, new_ids: Any, sampling_interval: float | None = None) -> None:
        self.sampling_interval = sampling_interval or self._simulator.state.dt
        if self.sampling_interval != self._simulator.state.dt:
            self._simulator.state.steps(self.sampling_interval)

    # -- monitors -----------------------------------------------------------------------
    def _indices(self, variable: Any) -> np.ndarray:
        ids = np.fromiter((int(i) for i in self.recorded[variable]), dtype=np.int64)
        return np.sort(ids - int(self.population.first_id))

    def _finalize(self) -> None:
        """Make the monitors of what is recorded now (before a run)."""
        snn_pop = self.population._snn
        net = snn_pop.network
        for variable in list(self.recorded):
            idx = self._indices(variable)
            if variable.name == "spikes":
                if self._spikes is not None and np.array_equal(idx, self._spike_ids):
                    continue
                self._check_unchanged(self._spikes is None, variable)
                # PyNN records the neurons of this process: all of them is the whole population
                whole = np.array_equal(idx, snn_pop.local_index)
                target = snn_pop if whole else snn_pop[idx]
                self._spikes = net.record_spikes(target)
                self._spike_ids = idx
                continue
            name = variable.name
            if name in self._states and np.array_equal(idx, self._state_ids[name]):
                continue
            self._check_unchanged(name not in self._states, variable)
            native = self._native_name(name)
            interval = None
            if self.sampling_interval != self._simulator.state.dt:
                interval = self.sampling_interval * MS
            monitor = net.record_state(snn_pop, native, neurons=idx, interval=interval)
            first = snn_pop.get(native)[monitor.local]
            self._states[name] = _StateRecording(monitor, native, first)
            self._state_ids[name] = idx

    def _check_unchanged(self, fresh: bool, variable: Any) -> None:
        if not fresh and self._simulator.state.running:
            raise errors.RecordingError(
                variable.name,
                f"{self.population.label}: the recorded neurons changed in the middle of a "
                "segment; pyNN.snn records the neurons chosen before the segment's first run "
                "(call reset() or record(None) first)",
            )

    def _native_name(self, name: str) -> str:
        translations = self.population.celltype.state_variable_translations
        if name not in translations:
            raise errors.RecordingError(name, self.population.celltype)
        return translations[name]["translated_name"]

    def _to_pynn(self, name: str, values: np.ndarray) -> np.ndarray:
        tr = self.population.celltype.state_variable_translations[name]
        native = tr["translated_name"]
        reverse = tr["reverse_transform"]
        if callable(reverse):
            return np.asarray(reverse(**{native: values}), dtype=np.float64)
        return np.asarray(eval(reverse, {}, {native: values}), dtype=np.float64)

    # -- PyNN's recorder interface ------------------------------------------------------
    def _reset(self) -> None:
        """Forget the monitors (``record(None)``): new ones are made at the next run."""
        self._spikes = None
        self._spike_ids = np.zeros(0, dtype=np.int64)
        self._states = {}
        self._state_ids = {}

    def _clear_simulator(self) -> None:
        """Drop the data recorded so far; go on recording the same neurons."""
        if self._spikes is not None:
            self._spikes.clear()
        snn_pop = self.population._snn
        for rec in self._states.values():
            rec.skip = rec.monitor.record().times.shape[0]
            rec.first = snn_pop.get(rec.native)[rec.monitor.local]

    def _get_spiketimes(self, ids: Any, clear: bool = False) -> tuple[np.ndarray, np.ndarray]:
        if self._spikes is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        senders = self._spikes.senders
        times = self._spikes.steps * self._simulator.state.dt
        keep = np.isin(senders, np.asarray([int(i) for i in ids], dtype=np.int64))
        return senders[keep], times[keep]

    def _get_all_signals(
        self, variable: Any, ids: Any, clear: bool = False
    ) -> tuple[np.ndarray, None]:
        rec = self._states.get(variable.name)
        if rec is None:
            return np.zeros((0, 0)), None
        data = rec.monitor.record()
        pos = np.searchsorted(
            data.neurons, np.asarray([int(i) for i in ids]) - int(self.population.first_id)
        )
        values = data.values[rec.native][rec.skip :]
        signal = np.vstack([rec.first[np.newaxis, :], values])[:, pos]
        return self._to_pynn(variable.name, signal), None

    def _local_count(self, variable: Any, filter_ids: Any = None) -> dict[int, int]:
        ids = self.filter_recorded(variable, filter_ids)
        counts: dict[int, int] = {int(i): 0 for i in ids}
        if self._spikes is not None:
            senders, n = np.unique(self._spikes.senders, return_counts=True)
            for s, c in zip(senders.tolist(), n.tolist(), strict=True):
                if s in counts:
                    counts[s] = c
        return counts
