"""Spike sources: Poisson populations, spike trains from arrays, and Poisson input drives.

``PoissonSource``
    A population of independent Poisson processes on the time grid: each neuron spikes in a
    step with probability ``rate * dt`` (a Bernoulli process whose mean rate is exactly
    ``rate``; as Brian2's ``PoissonGroup``). Requires ``rate * dt <= 1``.
``SpikeSourceArray``
    A population that emits given spikes (NEST ``spike_generator``).
``PoissonInput``
    Independent Poisson input onto every neuron of a population, added straight into one of its
    receptors: in every step each target receives ``K ~ Poisson(rate * dt)`` events of weight
    ``weight`` (NEST's ``poisson_generator`` connected to each target; Brian2's ``PoissonInput``
    draws a binomial instead). No synapses are stored.

All draws are counter-based, keyed by the seed, the source, the neuron's index and the step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from snn.core import Drive, NeuronModel, SpikeGenerator, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel, poisson_bit_tables, poisson_from_bits, random_words_fill
from snn.core.validate import (
    require_finite,
    require_memory,
    require_nonnegative,
    time_steps,
    warn_magnitude,
    warn_off_grid,
)
from snn.neurons._currents import _check_window, _scalar_or_array, _window

__all__ = ["PoissonInput", "PoissonSource", "SpikeSourceArray"]


@kernel(inline="always")
def poisson_source_step(t, uniform, p_spike, t_on, t_off):  # pragma: no cover - compiled
    """A Bernoulli draw: ``(spiked,)`` with probability ``p_spike`` in the window.

    Steps starting within ``(t_on, t_off)`` [s] may spike. The draw is made in every step, so a
    window changes which steps may spike, not the values drawn.
    """
    return ((uniform < p_spike) & (t > t_on) & (t < t_off),)


@dataclass(frozen=True, kw_only=True)
class PoissonSource(NeuronModel):
    """Independent Poisson spike trains on the time grid.

    Parameters
    ----------
    rate
        Firing rate [Hz], one value or one per neuron; ``rate * dt <= 1``.
    start, stop
        Active in the steps that begin in ``[start, stop)`` [s] (rounded to the grid): its
        spikes carry times in ``(start, stop]``, as NEST's ``poisson_generator`` emits them.
        One value or one per neuron.
    """

    rate: Any
    start: Any = 0.0
    stop: Any = math.inf

    state_vars: ClassVar[tuple[StateVar, ...]] = ()

    def __post_init__(self) -> None:
        require_nonnegative("rate", self.rate, "Hz")
        warn_magnitude("rate", self.rate, "rate")
        _check_window(self.start, self.stop)

    def check_dt(self, dt: float) -> None:
        top = float(np.max(self.rate))
        if top * dt > 1.0:
            raise ConfigurationError(
                f"`rate` * dt must be <= 1 for a Bernoulli spike train, got {top!r} Hz with "
                f"dt = {dt} s."
            )

    def step_function(self) -> Callable[..., Any]:
        return poisson_source_step

    def constants(self, dt: float) -> dict[str, Any]:
        value = _scalar_or_array
        # step k (from k dt) may spike when first <= k < last; compared as times half a step
        # below the window's steps, so that rounding of k * dt cannot move an edge
        first = time_steps("start", self.start, dt)
        last = time_steps("stop", self.stop, dt, clamp=True)
        return {
            "p_spike": value(np.asarray(self.rate, dtype=np.float64) * dt),
            "t_on": value((np.asarray(first, dtype=np.float64) - 0.5) * dt),
            "t_off": value((np.asarray(last, dtype=np.float64) - 0.5) * dt),
        }


@kernel
def spike_array_emit(step, steps, ids, cursor, out):  # pragma: no cover - compiled
    """Emit the prescribed spikes of emission step ``step`` (``steps`` ascending)."""
    c = cursor[0]
    while c < steps.shape[0] and steps[c] < step:
        c += 1
    n = 0
    while c < steps.shape[0] and steps[c] == step:
        out[n] = ids[c]
        n += 1
        c += 1
    cursor[0] = c
    return n


@dataclass(frozen=True, kw_only=True)
class SpikeSourceArray(SpikeGenerator):
    """Neurons that spike at given times (NEST ``spike_generator``).

    Parameters
    ----------
    times
        Spike times [s], > 0; a spike at time ``t`` is emitted by the step that ends at ``t``.
        A time off the grid is rounded to the nearest step, with a warning (it may then come
        up to dt/2 early; NEST refuses such times unless told ``allow_offgrid_times``, and then
        rounds up).
    indices
        Population index of the neuron of each spike (same length as ``times``); None (the
        default): every neuron of the population emits all of ``times`` (NEST's
        ``spike_generator`` with ``spike_times``, PyNN's ``SpikeSourceArray(spike_times=...)``).

    Notes
    -----
    A neuron can spike at most once per step; duplicates are refused. Spikes at times already
    simulated when the population is added are never emitted.
    """

    times: Any
    indices: Any = None
    _steps: np.ndarray = field(init=False, repr=False, compare=False)
    _ids: np.ndarray = field(init=False, repr=False, compare=False)
    #: the first spike time [s] (inf without spikes), for :meth:`unit_slip` before every run
    _earliest: float = field(init=False, repr=False, compare=False)

    cursor_buffers: ClassVar[tuple[str, ...]] = ("cursor",)

    def __post_init__(self) -> None:
        times = np.asarray(self.times, dtype=np.float64).ravel()
        # every neuron's train (indices None): the times as neuron 0's, repeated per neuron when
        # the population is laid out (buffers)
        idx = np.zeros(times.shape, np.int64) if self.indices is None else np.asarray(self.indices)
        idx = idx.ravel()
        if times.shape != idx.shape:
            raise ConfigurationError(
                f"`times` and `indices` must have the same length, got {times.shape[0]} and "
                f"{idx.shape[0]}."
            )
        require_finite("times", times, "s")
        if idx.size and not np.issubdtype(idx.dtype, np.integer):
            raise ConfigurationError(f"`indices` must be integers, got dtype {idx.dtype}.")
        if idx.size and idx.min() < 0:
            raise ConfigurationError(f"`indices` must be >= 0, got {int(idx.min())}.")
        object.__setattr__(self, "_steps", times)
        object.__setattr__(self, "_ids", idx.astype(np.int64))
        object.__setattr__(self, "_earliest", float(times.min()) if times.size else np.inf)

    def unit_slip(self, t0: float, t1: float) -> str | None:
        """Spike times none of which falls in the run but which would, read as milliseconds.

        Only when every time also lies at least 1 s and ten run ends away (times meant for a
        later run are usually nearer).
        """
        if self._earliest < max(1.0, 10.0 * t1):
            return None
        # (without spikes ``times`` is empty, and the next test says so)
        times = self._steps
        if not np.any((times * 1e-3 > t0) & (times * 1e-3 <= t1)):
            return None
        return (
            f"none of the {times.size} spike times ({self._earliest:g} to "
            f"{float(times.max()):g} s) falls in this run ({t0:g} to {t1:g} s), but read as "
            "milliseconds some would: did you mean `* ms` (NEST's spike_generator counts "
            "milliseconds)?"
        )

    def validate_size(self, n: int) -> None:
        if self._ids.size and self._ids.max() >= n:
            raise ConfigurationError(
                f"`indices` must be < {n} (the population size), got {int(self._ids.max())}."
            )

    def buffers(self, local_index: np.ndarray, dt: float) -> dict[str, np.ndarray]:
        times, ids = self._steps, self._ids
        if self.indices is None:
            # every local neuron emits the whole train (refused below if a time repeats)
            require_memory(
                f"the spikes of {local_index.shape[0]:,} neurons that each emit all "
                f"{self._steps.shape[0]:,} times",
                48 * local_index.shape[0] * self._steps.shape[0],
                "Give `indices` to say which neuron emits each spike.",
            )
            times = np.tile(times, local_index.shape[0])
            ids = np.repeat(local_index.astype(np.int64), self._steps.shape[0])
        stamps = time_steps("times", times, dt)
        if times.size and stamps.min() < 1:
            raise ConfigurationError(
                f"spike times must be >= dt = {dt} s (a spike closes the step it is emitted "
                f"in), got {float(times.min())!r} s."
            )
        warn_off_grid("spike times", times, stamps, dt)
        emit_step = stamps - 1
        order = np.lexsort((ids, emit_step))
        emit_step, ids = emit_step[order], ids[order]
        dup = (np.diff(emit_step) == 0) & (np.diff(ids) == 0)
        if dup.any():
            k = int(np.flatnonzero(dup)[0])
            raise ConfigurationError(
                f"neuron {int(ids[k])} is given two spikes in the step ending at "
                f"t = {float((emit_step[k] + 1) * dt):.6g} s; a neuron spikes at most once per "
                "step (to send two spikes in one step, give the second to another neuron of the "
                "source, connected alike)."
            )
        # keep the spikes of the neurons this process owns, as local indices
        local = np.searchsorted(local_index, ids)
        n_local = local_index.shape[0]
        # a rank may own none of the neurons (one source on two ranks)
        mine = np.zeros(ids.shape[0], dtype=bool)
        if n_local:
            mine = (local < n_local) & (local_index[np.minimum(local, n_local - 1)] == ids)
        return {
            "steps": np.ascontiguousarray(emit_step[mine]),
            "ids": np.ascontiguousarray(local[mine], dtype=np.int32),
            "cursor": np.zeros(1, dtype=np.int64),
        }

    def emit_function(self) -> Callable[..., Any]:
        return spike_array_emit


@kernel
def poisson_input_add(
    row, step, j0, j_stride, k0, k1, thr, guide, bits, weight, first, last
):  # pragma: no cover - compiled
    """Add ``weight`` times a Poisson count to every entry of ``row`` in steps ``[first, last)``.

    The count of neuron ``j`` at step ``t`` comes from 32 random bits, word ``j & 3`` of the
    Philox output for counter ``(j >> 2, t)`` (:func:`snn.core.kernels.random_words_fill`: one
    Philox call per four neurons, in a vectorised pass), by guided inversion of the integer cdf
    table (:func:`snn.core.kernels.poisson_bit_tables`). Every value depends on the key, the
    neuron and the step alone: no value is carried from step to step. ``bits``: uint32 scratch
    of at least ``row.shape[0]`` entries.
    """
    if step < first or step >= last:
        return
    n = row.shape[0]
    random_words_fill(bits, n, k0, k1, j0, j_stride, step)
    for i in range(n):
        # a float weight: the count converted exactly, then one product (as NEST's weight times
        # multiplicity); an integer one (a ring of counts, decision 0025): an integer product
        row[i] += poisson_from_bits(bits[i], thr, guide) * weight


@dataclass(frozen=True, kw_only=True)
class PoissonInput(Drive):
    """Independent Poisson input events onto every neuron of a population.

    Parameters
    ----------
    rate
        Rate of input events per neuron [Hz] (for ``C`` independent sources of rate ``nu``,
        ``C * nu``).
    weight
        Weight of each event [unit of the receptor].
    start, stop
        Active in the steps that begin in ``[start, stop)`` [s] (rounded to the grid), as
        ``DCSource``. NEST's ``poisson_generator`` emits in ``(start, stop]`` and reaches its
        targets one connection delay later: give ``start + delay + dt`` and
        ``stop + delay + dt`` here (``docs/from-nest.md``).
    receptor
        Receptor fed (default: the model's only receptor).

    Notes
    -----
    The counts of a step depend on the key, the neuron and the step alone, so a window changes
    which steps receive input, not the counts drawn in them. Each count is drawn from 32 random
    bits, so its law is the Poisson law with every cdf value rounded to a multiple of 2**-32
    (:func:`snn.core.kernels.poisson_bit_tables`): each probability ``P(K <= k)`` is within
    2**-33 of the exact one.
    """

    rate: float
    weight: float
    start: float = 0.0
    stop: float = math.inf
    receptor: str | None = None

    per_neuron: ClassVar[tuple[str, ...]] = ("bits",)
    quantities: ClassVar[Mapping[str, str]] = {"rate": "rate", "weight": "receptor"}
    counted: ClassVar[str | None] = "weight"

    def __post_init__(self) -> None:
        require_nonnegative("rate", self.rate, "Hz")
        require_finite("weight", self.weight)
        if np.ndim(self.rate) or np.ndim(self.weight):
            raise ConfigurationError("PoissonInput takes one `rate` and one `weight` (numbers).")
        _check_window(self.start, self.stop)

    def add_function(self) -> Callable[..., Any]:
        return poisson_input_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        lam = float(self.rate) * dt
        if lam >= 100.0:
            raise ConfigurationError(
                f"PoissonInput expects below 100 events per neuron and step, got rate * dt = "
                f"{lam:g}; use a smaller dt, several PoissonInput drives on the same neurons "
                f"whose rates add up to this one (a sum of independent Poisson counts is a "
                f"Poisson count of the summed rate), or a current input."
            )
        thr, guide = poisson_bit_tables(lam)
        first, last = _window(self.start, self.stop, dt)
        return {
            "thr": thr,
            "guide": guide,
            "bits": np.empty(n, dtype=np.uint32),
            "weight": float(self.weight),
            "first": first,
            "last": last,
        }
