"""Monitors: what the event loop records, handed out as plain arrays in SI units."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._coupling import changing_synapse_values
from snn.core._memory import require_memory
from snn.core._params import FrozenAttributes
from snn.core._validate import did_you_mean, require_finite, require_positive
from snn.core.errors import ConfigurationError

if TYPE_CHECKING:
    from snn.core._model import Derived
    from snn.core._population import Population, PopulationView

__all__ = [
    "RateMonitor",
    "RateRecord",
    "SpikeMonitor",
    "SpikeRecord",
    "StateMonitor",
    "StateRecord",
    "WeightMonitor",
    "WeightRecord",
    "recorded_synapse_values",
]


def _size(nbytes: int) -> str:
    """``nbytes`` for people: ``"12.5 kB"``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:.3g} {unit}"
    return f"{nbytes} B"


def _local_mask(target: Population | PopulationView) -> np.ndarray | None:
    """One flag per local neuron of the population: set for the view's (None: all of them)."""
    pop = target.population
    if target is pop:
        return None
    mask = np.zeros(max(1, pop.n_local), dtype=np.bool_)
    mask[target.local_positions] = True
    return mask


def _interval(every: int, dt: float) -> str:
    ms = every * dt * 1e3
    return f"every {ms:g} ms"


#: a window without an end, in steps (far beyond any run, and no overflow when added to)
NO_END = 1 << 62


def _window_text(window: tuple[int, int], dt: float) -> str:
    """``", from 0.1 s to 0.5 s"`` for a window that is not the whole run, else ``""``."""
    w0, w1 = window
    if w0 == 0 and w1 == NO_END:
        return ""
    end = "" if w1 == NO_END else f" to {w1 * dt:g} s"
    return f", from {w0 * dt:g} s{end}"


def _samples(every: int, window: tuple[int, int], step0: int, step1: int) -> tuple[int, int]:
    """Index of the first sample after ``step0`` and the number of samples up to ``step1``.

    Sample ``m`` is taken at step ``m * every``; only those in the window ``(w0, w1]`` count.
    """
    first = max(step0, window[0]) // every + 1
    last = min(step1, window[1]) // every
    return first, max(0, last - first + 1)


@dataclass(frozen=True)
class SpikeRecord:
    """Recorded spikes.

    Attributes
    ----------
    times : numpy.ndarray
        Spike times [s], float64, in the order recorded (by time, then neuron).
    senders : numpy.ndarray
        Global ids of the spiking neurons, int64.
    """

    times: np.ndarray
    senders: np.ndarray


@dataclass(frozen=True)
class StateRecord:
    """Recorded state variables.

    Attributes
    ----------
    times : numpy.ndarray
        Sample times [s], shape ``(n_samples,)``.
    neurons : numpy.ndarray
        Population indices of the recorded neurons, shape ``(n_neurons,)``, in the order given
        to ``record_state`` (this process's neurons among them).
    values : dict of str to numpy.ndarray
        Per variable, shape ``(n_samples, n_neurons)`` [unit of the variable]; column ``k`` is
        neuron ``neurons[k]``.
    """

    times: np.ndarray
    neurons: np.ndarray
    values: dict[str, np.ndarray]


@dataclass(frozen=True)
class WeightRecord:
    """Recorded synaptic weights and synapse variables.

    Attributes
    ----------
    times : numpy.ndarray
        Sample times [s], shape ``(n_samples,)``.
    synapses : numpy.ndarray
        Storage positions of the recorded synapses (see :meth:`Projection.weights`), in the
        order given to ``record_synapses``: column ``k`` of every array is synapse
        ``synapses[k]``.
    sources, targets : numpy.ndarray
        Population indices of their source and target neurons.
    weights : numpy.ndarray or None
        Shape ``(n_samples, n_synapses)`` [unit of the receptor]; None when ``w`` is not
        recorded.
    values : dict of str to numpy.ndarray
        Per recorded variable (``"w"`` included when recorded), shape ``(n_samples,
        n_synapses)`` [unit of the variable].
    """

    times: np.ndarray
    synapses: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray | None
    values: dict[str, np.ndarray]


@dataclass(frozen=True)
class RateRecord:
    """Population rate per time step.

    Attributes
    ----------
    times : numpy.ndarray
        End of each step [s].
    rate : numpy.ndarray
        Spikes per neuron per second in each step [Hz].
    """

    times: np.ndarray
    rate: np.ndarray


class _Windowed:
    """The recording window ``(start, stop]`` of a monitor (``_window``, in steps)."""

    _window: tuple[int, int]
    population: Population

    @property
    def start(self) -> float:
        """Start of the recording window [s] (excluded)."""
        return self._window[0] * self.population.network.dt

    @property
    def stop(self) -> float:
        """End of the recording window [s] (included; ``inf``: none)."""
        w1 = self._window[1]
        return math.inf if w1 == NO_END else w1 * self.population.network.dt


#: why a monitor's defining attributes cannot be assigned
_FIXED = "it is fixed when the monitor is made; make another monitor (Network.record_...)."


class SpikeMonitor(_Windowed, FrozenAttributes):
    """Records every spike of a population or view (created by :meth:`Network.record_spikes`).

    Spike times are the *end* of the step in which the threshold was crossed (NEST's convention):
    a neuron that crosses during step ``k`` (from ``k dt`` to ``(k+1) dt``) spikes at
    ``(k+1) dt``. With a window, only spikes at times ``start < t <= stop`` are kept (NEST's
    recording window, ``origin`` 0).
    """

    _frozen = dict.fromkeys(("target", "population"), _FIXED)

    def __init__(
        self,
        target: Population | PopulationView,
        capacity: int = 1 << 16,
        window: tuple[int, int] = (0, NO_END),
    ) -> None:
        #: the population or view recorded
        self.target = target
        #: the population the recorded neurons belong to
        self.population = target.population
        self._window = window
        self._mask = _local_mask(target)
        self._steps = np.empty(capacity, dtype=np.int64)
        self._ids = np.empty(capacity, dtype=np.int32)
        self._count = np.zeros(1, dtype=np.int64)
        self._sealed = True

    def __repr__(self) -> str:
        nbytes = self._steps.nbytes + self._ids.nbytes
        window = _window_text(self._window, self.population.network.dt)
        return (
            f"<SpikeMonitor of {self.target.name!r}{window}: {self.n_spikes:,} spikes, "
            f"{_size(nbytes)}>"
        )

    def _grow(self, minimum: int) -> None:
        cap = max(2 * self._steps.shape[0], self._count[0] + minimum)
        require_memory(
            f"the spike monitor of population {self.population.name!r} ({cap:,} spikes)",
            12 * cap,
            "Stream the spikes to disk (snn.io.SpikeStream) or clear the monitor between runs.",
        )
        n = int(self._count[0])
        steps = np.empty(cap, dtype=np.int64)
        ids = np.empty(cap, dtype=np.int32)
        steps[:n] = self._steps[:n]
        ids[:n] = self._ids[:n]
        self._steps, self._ids = steps, ids

    @property
    def n_spikes(self) -> int:
        """Number of spikes recorded so far."""
        return int(self._count[0])

    @property
    def steps(self) -> np.ndarray:
        """Spike time of each spike as a step index (``time = step * dt``), int64."""
        return self._steps[: self._count[0]].copy()

    @property
    def indices(self) -> np.ndarray:
        """Population index of the neuron of each spike, int64."""
        local = self._ids[: self._count[0]].astype(np.int64)
        return self.population.local_index[local]

    @property
    def times(self) -> np.ndarray:
        """Spike times [s]."""
        return self.steps * self.population.network.dt

    @property
    def senders(self) -> np.ndarray:
        """Global ids of the spiking neurons."""
        return self.indices + self.population.first_id

    def record(self) -> SpikeRecord:
        """All spikes so far of this process's neurons, as a :class:`SpikeRecord`."""
        return SpikeRecord(times=self.times, senders=self.senders)

    def gather(self, root: int = 0) -> SpikeRecord | None:
        """The spikes of all ranks, sorted by time then sender, on rank ``root``.

        Under MPI every rank must call it; ranks other than ``root`` get None. On one process it
        equals :meth:`record` sorted.
        """
        comm = self.population.network.comm
        steps, senders = self.steps, self.senders
        if comm.active:
            parts = comm.gather_arrays([steps, senders], root=root)
            if parts is None:
                return None
            steps, senders = parts
        order = np.lexsort((senders, steps))
        dt = self.population.network.dt
        return SpikeRecord(times=steps[order] * dt, senders=senders[order])

    def clear(self) -> None:
        """Forget the spikes recorded so far."""
        self._count[0] = 0

    def _capture(self) -> Any:
        n = self.n_spikes
        return self._steps[:n].copy(), self._ids[:n].copy()

    def _restore(self, data: Any) -> None:
        steps, ids = data
        n = steps.shape[0]
        if self._steps.shape[0] < n:
            self._steps = np.empty(n, dtype=np.int64)
            self._ids = np.empty(n, dtype=np.int32)
        self._steps[:n], self._ids[:n] = steps, ids
        self._count[0] = n

    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each recorded neuron owned by this process, int64.

        In the order of the target's ``local_index`` (the population's local neurons, or the
        view's in view order).
        """
        local = self._ids[: self._count[0]]
        counts = np.bincount(local, minlength=self.population.n_local)
        return counts[self.target.local_positions]

    def spike_trains(self) -> dict[int, np.ndarray]:
        """Spike times [s] of each recorded neuron owned by this process, by population index.

        Brian2's ``SpikeMonitor.spike_trains()``: every recorded neuron has an entry, an empty
        array if it did not spike, in the order of :meth:`spike_counts`; each train ascends.
        (Brian2 keys a subgroup's trains by index within the subgroup; these keys are indices in
        the population, as :attr:`indices`.)
        """
        pop = self.population
        n = int(self._count[0])
        local = self._ids[:n].astype(np.int64)
        # spikes are recorded in time order: a stable sort by neuron keeps each train ascending
        order = np.argsort(local, kind="stable")
        times = self._steps[:n][order] * pop.network.dt
        bounds = np.searchsorted(local[order], np.arange(pop.n_local + 1))
        return {
            int(pop.local_index[p]): times[bounds[p] : bounds[p + 1]]
            for p in np.arange(pop.n_local)[self.target.local_positions]
        }


class _Chunked(FrozenAttributes):
    """Monitors that keep what each run recorded as a list of chunks (never changed after)."""

    _frozen = dict.fromkeys(("target", "population", "variables", "neurons", "every"), _FIXED)

    _chunks: list[Any]

    def clear(self) -> None:
        """Forget what was recorded so far."""
        self._chunks = []

    def _capture(self) -> Any:
        return list(self._chunks)

    def _restore(self, data: Any) -> None:
        self._chunks = list(data)


class StateMonitor(_Windowed, _Chunked):
    """Samples state variables of chosen neurons every ``interval``.

    It may also sample values the model computes from the state (``derived``: name to
    :class:`~snn.core.Derived`), evaluated on the sampled state at the sample's time.

    Created by :meth:`Network.record_state`. :meth:`record` gives the neurons' columns in the
    order they were given (as Brian2's ``StateMonitor(..., record=[...])``).
    Sample ``k`` (``k >= 1``) holds the state at time ``k * interval``, after the update of the
    step ending then and its reset (NEST multimeter convention): a neuron that spiked in that
    step shows its reset value. With a window, only samples at times ``start < t <= stop`` are
    taken (NEST's recording window, ``origin`` 0).
    """

    def __init__(
        self,
        population: Population,
        variables: list[str],
        neurons: np.ndarray,
        every: int,
        target: Population | PopulationView | None = None,
        window: tuple[int, int] = (0, NO_END),
        derived: Mapping[str, Derived] | None = None,
    ) -> None:
        self._window = window
        #: the recorded values that the model computes from its state (not state variables)
        self.derived = dict(derived or {})
        #: the population or view given to ``record_state``
        self.target = population if target is None else target
        self.population = population
        _refuse_repeats("variables", variables)
        self.variables = variables
        given = np.asarray(neurons, dtype=np.int64)
        ascending = _unique_indices("neurons", given)
        #: the recorded neurons (population indices) in the order given
        self.neurons = given
        local = np.searchsorted(population.local_index, ascending)
        ok = (local < population.n_local) & (
            population.local_index[np.minimum(local, population.n_local - 1)] == ascending
        )
        #: local indices of the recorded neurons owned by this process, ascending (the loop's
        #: sampling order)
        self.local = np.ascontiguousarray(local[ok], dtype=np.int64)
        # the sampled column of each of this process's neurons, in the order given
        sampled = population.local_index[self.local]
        self._columns = _columns(sampled, given[np.isin(given, sampled)])
        self.every = every
        self._chunks: list[tuple[np.ndarray, dict[str, np.ndarray]]] = []
        #: sample rows of the current run (empty ones until a run begins, so that the loop
        #: generator can see their types)
        self._buffers: dict[str, np.ndarray] = {}
        self._begin(0, 0)
        #: ``local[_split[b]:_split[b + 1]]`` are the recorded neurons of thread block ``b``
        self._split = np.zeros(2, dtype=np.int64)
        self._sealed = True

    def __repr__(self) -> str:
        nbytes = sum(a.nbytes for c in self._chunks for a in c[1].values())
        samples = sum(c[0].shape[0] for c in self._chunks)
        dt = self.population.network.dt
        return (
            f"<{type(self).__name__} of {self._label()}: {', '.join(self.variables)} of "
            f"{self._count_label()} {_interval(self.every, dt)}{_window_text(self._window, dt)}, "
            f"{samples:,} samples, {_size(nbytes)}>"
        )

    def _label(self) -> str:
        return repr(self.target.name)

    def _count_label(self) -> str:
        return f"{self.local.shape[0]:,} neurons"

    def _begin(self, step0: int, step1: int) -> None:
        self._row0, n_samples = _samples(self.every, self._window, step0, step1)
        self._step0 = step0
        self._buffers = {
            v: np.zeros((n_samples, self._width()), dtype=self._dtype(v)) for v in self.variables
        }

    def _width(self) -> int:
        return self.local.shape[0]

    def unit(self, variable: str) -> str:
        """The SI unit of recorded ``variable`` (a state variable or a derived value)."""
        if variable not in self.variables:
            raise ConfigurationError(f"{variable!r} is not recorded; recorded: {self.variables}.")
        if variable in self.derived:
            return self.derived[variable].unit
        return next(v.unit for v in self.population.model.state_vars if v.name == variable)

    def _dtype(self, variable: str) -> np.dtype:
        if variable in self.derived:
            return self.population.network.float_dtype
        return self.population.state[variable].dtype

    def _run_bytes(self, step0: int, step1: int) -> int:
        """Bytes of the sample rows of a run from ``step0`` to ``step1``."""
        n_samples = _samples(self.every, self._window, step0, step1)[1]
        return sum(n_samples * self._width() * self._dtype(v).itemsize for v in self.variables)

    def _end(self, reached: int) -> None:
        n = _samples(self.every, self._window, self._step0, reached)[1]
        if n > 0:
            steps = (self._row0 + np.arange(n, dtype=np.int64)) * self.every
            self._chunks.append((steps, {v: b[:n].copy() for v, b in self._buffers.items()}))

    def record(self) -> StateRecord:
        """All samples so far as a :class:`StateRecord` (local neurons, in the order given)."""
        dt = self.population.network.dt
        cols = self._columns
        if not self._chunks:
            steps = np.zeros(0, dtype=np.int64)
            values = {v: np.zeros((0, cols.shape[0])) for v in self.variables}
        else:
            steps = np.concatenate([c[0] for c in self._chunks])
            values = {
                v: np.concatenate([c[1][v] for c in self._chunks])[:, cols] for v in self.variables
            }
        neurons = self.population.local_index[self.local[cols]]
        return StateRecord(times=steps * dt, neurons=neurons, values=values)

    @property
    def times(self) -> np.ndarray:
        """Sample times [s]."""
        return self.record().times

    def __getitem__(self, name: str) -> np.ndarray:
        """Samples of variable ``name``, shape ``(n_samples, n_neurons)``."""
        if name not in self.variables:
            raise ConfigurationError(f"{name!r} is not recorded; recorded: {self.variables}.")
        return self.record().values[name]


class RateMonitor(_Chunked):
    """Counts the spikes of a population or view in every step (:meth:`Network.record_rate`)."""

    def __init__(self, target: Population | PopulationView) -> None:
        #: the population or view recorded
        self.target = target
        self.population = target.population
        self._mask = _local_mask(target)
        self._chunks: list[tuple[int, np.ndarray]] = []
        self._counts = np.zeros(0, dtype=np.int32)
        self._step0 = 0
        self._sealed = True

    def __repr__(self) -> str:
        steps = sum(c[1].shape[0] for c in self._chunks)
        nbytes = sum(c[1].nbytes for c in self._chunks)
        return f"<RateMonitor of {self.target.name!r}: {steps:,} steps, {_size(nbytes)}>"

    def _begin(self, step0: int, step1: int) -> None:
        self._counts = np.zeros(step1 - step0, dtype=np.int32)
        self._step0 = step0

    def _run_bytes(self, step0: int, step1: int) -> int:
        """Bytes of the counts of a run from ``step0`` to ``step1``."""
        return 4 * (step1 - step0)

    def _end(self, step_reached: int) -> None:
        n = step_reached - self._step0
        if n > 0:
            self._chunks.append((self._step0, self._counts[:n].copy()))

    @property
    def counts(self) -> np.ndarray:
        """Spike count of the (local) population in each step, int64."""
        if not self._chunks:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([c[1] for c in self._chunks]).astype(np.int64)

    def record(self) -> RateRecord:
        """Rates of all recorded steps as a :class:`RateRecord`."""
        dt = self.population.network.dt
        if not self._chunks:
            return RateRecord(times=np.zeros(0), rate=np.zeros(0))
        steps = np.concatenate(
            [np.arange(s0 + 1, s0 + 1 + c.shape[0], dtype=np.int64) for s0, c in self._chunks]
        )
        n = self.target.n_local
        rate = self.counts / (n * dt) if n else 0 * steps
        return RateRecord(times=steps * dt, rate=np.asarray(rate, dtype=np.float64))

    def binned(self, width: float) -> RateRecord:
        """Rates averaged over consecutive bins of ``width`` seconds (a multiple of dt).

        The last, incomplete bin is dropped.

        Returns
        -------
        RateRecord
            ``times``: the end of each bin [s]; ``rate``: spikes per neuron per second in it
            [Hz].
        """
        dt = self.population.network.dt
        k = round(width / dt)
        if k < 1 or abs(k * dt - width) > 1e-9 * width:
            raise ConfigurationError(
                f"bin width must be a positive multiple of dt = {dt} s, got {width!r} s."
            )
        rec = self.record()
        n = rec.rate.shape[0] // k
        rate = rec.rate[: n * k].reshape(n, k).mean(axis=1)
        return RateRecord(times=rec.times[k - 1 : n * k : k], rate=rate)

    def smoothed(
        self, window: str | np.ndarray | list[float] = "gaussian", width: float | None = None
    ) -> RateRecord:
        """The rate of every step smoothed by a window, as Brian2's ``smooth_rate``.

        Parameters
        ----------
        window
            ``"gaussian"``: a Gaussian of standard deviation ``width``, cut at ``round(2 width /
            dt)`` steps on either side; ``"flat"``: ``width`` rounded to the nearest odd
            number of steps, equal weights; or an array of an odd number of weights, one per
            step, centred on the step smoothed (then no ``width``). The weights are normalised
            to sum 1.
        width : s
            Of a ``"gaussian"`` or ``"flat"`` window.

        Returns
        -------
        RateRecord
            The times of :meth:`record`; ``rate``: the smoothed rate [Hz] of each step, the
            steps beyond either end of the record counting as zero (numpy's ``convolve`` with
            ``mode="same"``), as Brian2's.
        """
        dt = self.population.network.dt
        weights = _smoothing_window(window, width, dt)
        rec = self.record()
        if rec.rate.size == 0:
            return rec
        smooth = np.convolve(rec.rate, weights / weights.sum(), mode="same")
        # a window longer than the record: numpy's "same" keeps the longer length
        if smooth.size != rec.rate.size:
            lo = (smooth.size - rec.rate.size) // 2
            smooth = smooth[lo : lo + rec.rate.size]
        return RateRecord(times=rec.times, rate=smooth)


def _smoothing_window(window: Any, width: float | None, dt: float) -> np.ndarray:
    """The weights of :meth:`RateMonitor.smoothed`'s window (not normalised)."""
    if isinstance(window, str):
        if width is None:
            raise ConfigurationError(f"a {window!r} window needs a `width` [s], got none.")
        require_positive("width", width, "s")
        if window == "gaussian":
            half = int(np.round(2 * width / dt))
            steps = np.arange(-half, half + 1, dtype=np.float64)
            return np.exp(-(steps**2) / (2 * (width / dt) ** 2))
        if window == "flat":
            return np.ones(int(np.round(width / (2 * dt))) * 2 + 1)
        raise ConfigurationError(
            f"window must be 'gaussian', 'flat' or an array of weights, got {window!r}."
        )
    if width is not None:
        raise ConfigurationError(
            f"`width` is for a 'gaussian' or 'flat' window; an array window is one weight per "
            f"step (got width={width!r})."
        )
    weights = np.asarray(window, dtype=np.float64)
    if weights.ndim != 1 or weights.size % 2 == 0:
        raise ConfigurationError(
            f"an array window must be 1-D with an odd number of weights (centred on the step "
            f"smoothed), got shape {weights.shape}."
        )
    require_finite("window", weights)
    if weights.sum() == 0:
        raise ConfigurationError("the weights of the window sum to 0; they cannot be normalised.")
    return weights


class WeightMonitor(StateMonitor):
    """Samples the weight and synapse variables of chosen synapses every ``interval``.

    Created by :meth:`Network.record_synapses` (or :meth:`Network.record_weights`). Sample ``k``
    holds the values at time ``k * interval`` as stored at the synapses: after every spike that
    reached them before then, and for a continuous coupling's clock-driven variables, advanced
    to that time. A variable that only spike rules change holds its value after the synapse's
    last event (as Brian2's event-driven variables do).
    """

    def __init__(
        self, projection: Any, synapses: np.ndarray, every: int, variables: list[str]
    ) -> None:
        self.projection = projection
        self.population = projection.post.population
        self.target = self.population
        _refuse_repeats("variables", variables)
        self.variables = variables
        given = np.asarray(synapses, dtype=np.int64)
        ascending = _unique_indices("synapses", given)
        #: the recorded synapses in the order given (the order of `record()`'s columns)
        self.given = given
        #: the recorded synapses in the loop's sampling order (by target, then storage order)
        self.synapses = ascending[
            np.argsort(projection._csr.indices[ascending].astype(np.int64), kind="stable")
        ]
        self._columns = _columns(self.synapses, given)
        self.every = every
        self._window = (0, NO_END)
        self._chunks = []
        # empty sample rows until a run begins (the loop generator reads their types)
        self._begin(0, 0)
        self._split = np.zeros(2, dtype=np.int64)
        self._sealed = True

    def _label(self) -> str:
        return f"projection {self.projection.name!r}"

    def _count_label(self) -> str:
        return f"{self.synapses.shape[0]:,} synapses"

    def _layout(self) -> None:
        """Where each thread block's targets begin among the synapses (sorted by target)."""
        targets = self.projection._csr.indices[self.synapses].astype(np.int64)
        self._split = np.searchsorted(targets, self.population._bounds).astype(np.int64)

    def _width(self) -> int:
        return self.synapses.shape[0]

    def _dtype(self, variable: str) -> np.dtype:
        if variable == "w":
            return self.projection._csr.weight.dtype
        return self.projection._syn_state_raw[variable].dtype

    def unit(self, variable: str) -> str:
        """The SI unit of recorded ``variable`` (``"w"``: the receptor's)."""
        if variable not in self.variables:
            raise ConfigurationError(f"{variable!r} is not recorded; recorded: {self.variables}.")
        proj = self.projection
        weight = proj.synapse.weight_unit or proj.post.model.receptor(proj.receptor).unit
        if variable == "w":
            return weight
        unit = next(v.unit for v in proj.synapse.synapse_vars if v.name == variable)
        # "receptor" in a declared unit stands for the unit of the receptor fed
        head, _, rest = unit.partition(" ")
        return f"{weight} {rest}".strip() if head == "receptor" else unit

    def record(self) -> WeightRecord:  # type: ignore[override]
        """All samples so far as a :class:`WeightRecord`, synapses in the order given.

        (The loop samples them grouped by the thread block of their targets.)
        """
        dt = self.population.network.dt
        proj = self.projection
        synapses = self.given
        if self._chunks:
            times = np.concatenate([c[0] for c in self._chunks]) * dt
            values = {
                v: np.concatenate([c[1][v] for c in self._chunks])[:, self._columns]
                for v in self.variables
            }
        else:
            times = np.zeros(0)
            values = {v: np.zeros((0, synapses.shape[0]), self._dtype(v)) for v in self.variables}
        sources, targets = proj.sources()[synapses], proj.targets()[synapses]
        return WeightRecord(times, synapses, sources, targets, values.get("w"), values)


def recorded_synapse_values(projection: Any, variables: Any) -> list[str]:
    """The names a synapse monitor of ``projection`` records (``"weight"`` read as ``"w"``).

    Raises
    ------
    ConfigurationError
        For names that are no per-synapse value changing during a run, saying what they are.
    """
    if isinstance(variables, np.ndarray):
        variables = variables.tolist()
    names = [variables] if isinstance(variables, str) else variables
    if (
        not isinstance(names, list | tuple)
        or not names
        or not all(isinstance(v, str) for v in names)
    ):
        raise ConfigurationError(
            f"`variables` must be a name or a non-empty list of names, got {variables!r:.80}."
        )
    names = ["w" if v == "weight" else v for v in names]
    changing = changing_synapse_values(projection)
    model = projection.synapse
    if not changing:
        if model is None:
            kind = "has static synapses"
        elif projection._coupling:
            kind = "is a continuous coupling without spike rules or clock-driven variables"
        else:
            kind = "has a synapse model without spike rules"
        raise ConfigurationError(
            f"projection {projection.name!r} {kind}: its values do not change during a run; "
            "read them with Projection.get() or Projection.weights()."
        )
    traces = {t.name: "source" for t in model.source_traces}
    traces.update({t.name: "target" for t in model.target_traces})
    for v in names:
        if v in changing:
            continue
        if v in traces:
            why = (
                f"is a trace of the {traces[v]} neurons (one value per neuron, not per synapse, "
                "kept as its value at the neuron's last spike)"
            )
        elif v.startswith("_"):
            why = "is the engine's own bookkeeping"
        elif v == "w" or v in (s.name for s in model.synapse_vars):
            why = "does not change during a run (read it with Projection.get())"
        else:
            why = "is not a variable of its synapses"
        raise ConfigurationError(
            f"{v!r} of projection {projection.name!r} {why}; variables that change: "
            f"{changing}.{did_you_mean(v, changing)}"
        )
    return names


def _columns(sampled: np.ndarray, given: np.ndarray) -> np.ndarray:
    """The position in ``sampled`` (the loop's sampling order) of each of ``given``.

    ``record()`` takes the columns in that order: the order the user gave (Brian2's
    ``record=``). Every entry of ``given`` is in ``sampled``, once.
    """
    order = np.argsort(sampled, kind="stable")
    return order[np.searchsorted(sampled[order], given)]


def _refuse_repeats(name: str, values: list[str]) -> None:
    seen = [v for k, v in enumerate(values) if v in values[:k]]
    if seen:
        raise ConfigurationError(f"`{name}` names {seen[0]!r} twice; name each one once.")


def _unique_indices(name: str, indices: np.ndarray) -> np.ndarray:
    """``indices`` sorted, refusing repeats (a repeated index would be recorded once)."""
    ordered = np.sort(np.asarray(indices, dtype=np.int64))
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size:
        raise ConfigurationError(
            f"`{name}` holds index {int(repeated[0])} more than once; give each index once."
        )
    return np.ascontiguousarray(ordered)


def require_run_memory(monitors: list[Any], step0: int, step1: int) -> None:
    """Refuse a run whose monitor rows (allocated for the whole run) exceed the memory budget."""
    need = sum(m._run_bytes(step0, step1) for m in monitors if hasattr(m, "_run_bytes"))
    require_memory(
        f"recording {step1 - step0:,} steps (the monitors' rows for the whole run)",
        need,
        "Monitors hold a run's samples in memory: run in shorter pieces, record at a longer "
        "interval or fewer neurons, or stream spikes with snn.io.SpikeStream.",
    )
