"""Encoders: numpy data to spike trains, one presentation window per sample.

``encoder.encode(data, presentation, dt=..., seed=...)`` takes a batch of samples (first axis)
and returns one :class:`SpikeTrains` for the whole sequence: sample ``k`` is presented in the
``k``-th window of its :class:`Schedule` (``presentation`` long, then ``rest`` without spikes).
Spike times inside a window are measured from the window's start; a time ``t`` is placed on the
first grid time at or after it, and not before ``dt`` (so it is exact to one step).

Rate coding
    :class:`PoissonEncoder`: rate ``min_rate + x (max_rate - min_rate)`` [Hz], a Bernoulli trial
    per step with probability ``rate * dt`` (as :class:`PoissonProcess`; Diehl & Cook 2015 use
    ``x * 63.75 Hz`` for MNIST). :class:`BernoulliEncoder`: probability ``gain * x`` per step
    whatever ``dt`` (snnTorch's ``spikegen.rate``).
Temporal coding
    :class:`LatencyEncoder` (time to first spike, linear ``t = t_max (1 - x)`` or logarithmic
    ``t = tau ln(x / (x - threshold))``, the charging time of an RC membrane, snnTorch's
    ``spikegen.latency``); :class:`RankOrderEncoder` (Thorpe & Gautrais 1998: one spike per
    input, in order of decreasing value, ``interval`` apart); :class:`BurstEncoder` (Park et al.
    2019, "Fast and efficient information transmission with burst spikes in deep spiking neural
    networks", DAC: ``ceil(max_spikes x)`` spikes with interval ``t_max - (t_max - t_min) x``).
Time series
    :class:`DeltaEncoder`: send-on-delta (delta modulation), an up and a down train per channel.
Population coding
    :class:`PopulationEncoder`: Gaussian receptive fields (Bohte, Kok & La Poutré 2002,
    "Error-backpropagation in temporally encoded networks of spiking neurons", Neurocomputing
    48:17-37), each neuron firing at ``max_rate`` times its field's response.

Intensity encoders (rate, latency, burst) take values in [0, 1]: scale the data first (e.g. the
digits' pixels by 1/16, :func:`load_digits` does it).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core.errors import ConfigurationError, SNNWarning
from snn.core.random import derive_key
from snn.core.validate import (
    CheckedParameters,
    require_finite,
    require_int,
    require_nonnegative,
    require_positive,
    user_stacklevel,
)
from snn.encoders._kernels import bernoulli_fill, delta_fill
from snn.encoders._sources import fill_keys
from snn.encoders._trains import Schedule, SpikeTrains, grid_stamps, steps_of

__all__ = [
    "BernoulliEncoder",
    "BurstEncoder",
    "DeltaEncoder",
    "Encoder",
    "LatencyEncoder",
    "PoissonEncoder",
    "PopulationEncoder",
    "RankOrderEncoder",
]


class Encoder(CheckedParameters):
    """Base class of encoders: ``encode(data, presentation, dt=...)`` gives :class:`SpikeTrains`.

    Subclasses implement :meth:`_keys` (and :meth:`n_outputs` when they do not give one train per
    input feature).
    """

    #: whether the spikes depend on ``seed``
    random: ClassVar[bool] = False
    #: parameters are one number each (see :class:`snn.core.validate.CheckedParameters`)
    vector_parameters: ClassVar[tuple[str, ...] | None] = ()
    #: dimensions of one sample: 1 (a feature vector; images are flattened) or 2 (a time series)
    sample_ndim: ClassVar[int] = 1

    def n_outputs(self, n_features: int) -> int:
        """Number of trains for samples of ``n_features`` values (channels for time series)."""
        return n_features

    def encode(
        self,
        data: Any,
        presentation: float,
        *,
        dt: float,
        seed: int = 0,
        rest: float = 0.0,
        start: float = 0.0,
    ) -> SpikeTrains:
        """Encode a batch of samples as one sequence of spike trains.

        Parameters
        ----------
        data
            Samples along the first axis: ``(n_samples, n_features)`` (further axes, e.g. image
            rows and columns, are flattened; one sample may be given as a 1-D array). Time series
            encoders take ``(n_samples, n_times, n_channels)`` or ``(n_samples, n_times)``.
        presentation
            Presentation time of each sample [s], a multiple of ``dt``.
        dt
            Time step [s] of the network that will replay the spikes.
        seed
            Seed of the random draws (ignored by deterministic encoders, see :attr:`random`).
        rest
            Pause without spikes after each sample [s], a multiple of ``dt``.
        start
            Start of the first presentation [s], a multiple of ``dt``.

        Returns
        -------
        SpikeTrains
            ``n_outputs(n_features)`` trains with the :class:`Schedule` of the presentations.
        """
        x = self._samples(data)
        schedule = Schedule(
            n_samples=x.shape[0], presentation=presentation, dt=dt, rest=rest, start=start
        )
        seed = require_int("seed", seed, minimum=0)
        n_out = self.n_outputs(x.shape[-1])
        keys = self._keys(x, schedule, seed)
        return SpikeTrains.from_keys(keys, n_out, dt, schedule)

    def _samples(self, data: Any) -> np.ndarray:
        x = np.asarray(data, dtype=np.float64)
        if self.sample_ndim == 1:
            x = x.reshape(1, -1) if x.ndim == 1 else x.reshape(x.shape[0], -1)
        else:
            if x.ndim == 2:
                x = x[:, :, None]
            if x.ndim != 3 or x.shape[1] < 2:
                raise ConfigurationError(
                    f"{type(self).__name__} takes time series of shape (n_samples, n_times, "
                    f"n_channels) or (n_samples, n_times) with n_times >= 2, got {x.shape}."
                )
        if x.shape[0] == 0 or x.shape[-1] == 0:
            raise ConfigurationError(f"`data` holds no values (shape {x.shape}).")
        require_finite("data", x)
        return np.ascontiguousarray(x)

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        raise NotImplementedError


def _require_unit_interval(x: np.ndarray, who: str) -> None:
    if float(x.min()) < 0.0 or float(x.max()) > 1.0:
        raise ConfigurationError(
            f"{who} takes values in [0, 1], got [{float(x.min())!r}, {float(x.max())!r}]; "
            "scale the data first (e.g. pixels / 16 for the digits)."
        )


def _single_spike_keys(rel: np.ndarray, valid: np.ndarray, schedule: Schedule) -> np.ndarray:
    """Sorted keys of at most one spike per (sample, train) at stamp ``rel`` in its window."""
    n_out = rel.shape[1]
    keys = (schedule.begins()[:, None] + rel) * n_out + np.arange(n_out)[None, :]
    # windows are disjoint and in order: sorting each row sorts the whole sequence
    keys = np.sort(np.where(valid, keys, np.iinfo(np.int64).max), axis=1)
    return keys[keys != np.iinfo(np.int64).max]


def _bernoulli_keys(p: np.ndarray, schedule: Schedule, seed: int, name: str) -> np.ndarray:
    length = schedule.presentation_steps
    begins = schedule.begins()
    k0, k1 = derive_key(seed, "snn.encoders", name)
    p = np.ascontiguousarray(p)
    return fill_keys(
        lambda keys, row, pos: bernoulli_fill(p, length, begins, k0, k1, keys, row, pos),
        p.shape[0],
        float(p.sum() * length),
    )


@dataclass(frozen=True, kw_only=True)
class PoissonEncoder(Encoder):
    """Rate coding with Poisson trains: rate ``min_rate + x (max_rate - min_rate)``.

    Each step spikes with probability ``rate * dt`` (Bernoulli approximation of a Poisson
    process on the grid, exact mean rate); trains of different samples and inputs are
    independent.

    Parameters
    ----------
    max_rate
        Rate for ``x = 1`` [Hz]; ``max_rate * dt <= 1``.
    min_rate
        Rate for ``x = 0`` [Hz] (default 0), <= ``max_rate``.
    """

    max_rate: float
    min_rate: float = 0.0

    random: ClassVar[bool] = True

    def __post_init__(self) -> None:
        require_nonnegative("max_rate", self.max_rate, "Hz")
        require_nonnegative("min_rate", self.min_rate, "Hz")
        if self.min_rate > self.max_rate:
            raise ConfigurationError(
                f"`min_rate` must be <= `max_rate`, got {self.min_rate!r} and {self.max_rate!r} Hz."
            )

    def rates(self, x: np.ndarray) -> np.ndarray:
        """Rate [Hz] of each input value."""
        return self.min_rate + np.asarray(x) * (self.max_rate - self.min_rate)

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        _require_unit_interval(x, "PoissonEncoder")
        if self.max_rate * schedule.dt > 1.0:
            raise ConfigurationError(
                f"`max_rate` * dt must be <= 1, got {self.max_rate * schedule.dt!r}; lower the "
                "rate or the time step."
            )
        return _bernoulli_keys(self.rates(x) * schedule.dt, schedule, seed, "PoissonEncoder")


@dataclass(frozen=True, kw_only=True)
class BernoulliEncoder(Encoder):
    """Rate coding with a spike probability per step: ``min(1, gain * x)`` whatever ``dt``.

    Parameters
    ----------
    gain
        Probability per step for ``x = 1`` (default 1; values above 1 saturate), >= 0.
    """

    gain: float = 1.0

    random: ClassVar[bool] = True

    def __post_init__(self) -> None:
        require_nonnegative("gain", self.gain)

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        _require_unit_interval(x, "BernoulliEncoder")
        return _bernoulli_keys(np.minimum(self.gain * x, 1.0), schedule, seed, "BernoulliEncoder")


@dataclass(frozen=True, kw_only=True)
class LatencyEncoder(Encoder):
    """Time-to-first-spike coding: one spike per input, earlier for larger values.

    ``"linear"``: ``t = t_max (1 - x)`` for ``x > threshold``. ``"log"``: ``t = tau ln(x / (x -
    threshold))`` for ``x > threshold`` (the time an RC membrane of time constant ``tau`` driven
    by ``x`` takes to reach ``threshold``), inputs whose ``t`` exceeds ``t_max`` stay silent. The
    spike is at the first grid time at or after ``t`` in the window (not before ``dt``).

    Parameters
    ----------
    t_max
        Latest spike time after the window's start [s], <= the presentation time.
    method
        ``"linear"`` (default) or ``"log"``.
    threshold
        Inputs at or below it do not spike (default 0; must be > 0 for ``"log"``).
    tau
        Time constant of ``"log"`` [s].
    """

    t_max: float
    method: Literal["linear", "log"] = "linear"
    threshold: float = 0.0
    tau: float | None = None

    def __post_init__(self) -> None:
        require_positive("t_max", self.t_max, "s")
        require_nonnegative("threshold", self.threshold)
        if self.method not in ("linear", "log"):
            raise ConfigurationError(f"`method` must be 'linear' or 'log', got {self.method!r}.")
        if self.method == "log":
            if self.tau is None:
                raise ConfigurationError("method='log' needs the time constant `tau` [s].")
            require_positive("tau", self.tau, "s")
            if not 0.0 < self.threshold < 1.0:
                raise ConfigurationError(
                    f"method='log' needs 0 < `threshold` < 1, got {self.threshold!r}."
                )

    def latency(self, x: Any) -> np.ndarray:
        """Spike time after the window's start [s] of each value (inf: no spike), off-grid."""
        x = np.asarray(x, dtype=np.float64)
        above = x > self.threshold
        if self.method == "linear":
            t = np.where(above, self.t_max * (1.0 - x), np.inf)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(above, self.tau * np.log(x / (x - self.threshold)), np.inf)
        return np.where(t <= self.t_max, t, np.inf)

    def intensity(self, t: Any) -> np.ndarray:
        """Inverse of :meth:`latency`: the value that spikes at time ``t`` [s] (NaN for inf)."""
        t = np.asarray(t, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            if self.method == "linear":
                x = 1.0 - t / self.t_max
            else:
                x = self.threshold / (1.0 - np.exp(-t / self.tau))
        return np.where(np.isfinite(t), x, np.nan)

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        _require_unit_interval(x, "LatencyEncoder")
        if self.t_max > schedule.presentation * (1 + 1e-9):
            raise ConfigurationError(
                f"`t_max` = {self.t_max!r} s is longer than the presentation "
                f"({schedule.presentation!r} s)."
            )
        t = self.latency(x)
        valid = np.isfinite(t)
        rel = grid_stamps(np.where(valid, t, 0.0), schedule.dt)
        return _single_spike_keys(np.minimum(rel, schedule.presentation_steps), valid, schedule)


@dataclass(frozen=True, kw_only=True)
class RankOrderEncoder(Encoder):
    """Rank order coding (Thorpe & Gautrais 1998): inputs spike once, largest first.

    The input of rank ``r`` (0 for the largest value; ties by input index) spikes
    ``(r + 1) * interval`` after the window's start; inputs at or below ``threshold`` stay
    silent. Values may be any real numbers.

    Parameters
    ----------
    interval
        Time between successive ranks [s], a multiple of dt (default: dt).
    threshold
        Values at or below it do not spike (default: -inf, every input spikes).
    """

    interval: float | None = None
    threshold: float = -math.inf

    def __post_init__(self) -> None:
        if self.interval is not None:
            require_positive("interval", self.interval, "s")
        if self.threshold == math.inf:
            # NaN is refused by the encoders' shared check; +inf leaves no value above it
            raise ConfigurationError(
                "`threshold` must be below +inf (no value lies above it: nothing would spike), "
                "got inf."
            )

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        dt = schedule.dt
        m = 1 if self.interval is None else steps_of("interval", self.interval, dt, minimum=1)
        order = np.argsort(-x, axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(x.shape[1])[None, :], axis=1)
        valid = x > self.threshold
        need = int(valid.sum(axis=1).max()) * m
        if need > schedule.presentation_steps:
            raise ConfigurationError(
                f"{int(valid.sum(axis=1).max())} ranks {m} step(s) apart need {need * dt!r} s, "
                f"longer than the presentation ({schedule.presentation!r} s)."
            )
        return _single_spike_keys((rank + 1) * m, valid, schedule)


@dataclass(frozen=True, kw_only=True)
class BurstEncoder(Encoder):
    """Burst coding: ``ceil(max_spikes * x)`` spikes from the window's start, ``isi(x)`` apart.

    ``isi(x) = t_max - (t_max - t_min) x`` (rounded up to the grid), so larger values give more
    and denser spikes (Park et al. 2019; Guo et al. 2021, "Neural coding in spiking neural
    networks: a comparative study", Front. Neurosci. 15:638474). The first spike is at ``dt``.

    Parameters
    ----------
    max_spikes
        Spikes for ``x = 1``, >= 1.
    t_min
        Interval for ``x = 1`` [s], >= dt.
    t_max
        Interval for ``x -> 0`` [s], >= ``t_min``.
    """

    max_spikes: int
    t_min: float
    t_max: float

    def __post_init__(self) -> None:
        require_int("max_spikes", self.max_spikes, minimum=1)
        require_positive("t_min", self.t_min, "s")
        require_positive("t_max", self.t_max, "s")
        if self.t_max < self.t_min:
            raise ConfigurationError(
                f"`t_max` must be >= `t_min`, got {self.t_max!r} and {self.t_min!r} s."
            )

    def spike_counts(self, x: Any) -> np.ndarray:
        """Number of spikes of each value, int64."""
        # the 1e-9 keeps x * max_spikes that should be an integer from rounding up past it
        return np.ceil(np.asarray(x) * self.max_spikes - 1e-9).astype(np.int64).clip(0)

    def interval_steps(self, x: Any, dt: float) -> np.ndarray:
        """Interval between the burst's spikes [steps], int64, >= 1."""
        isi = self.t_max - (self.t_max - self.t_min) * np.asarray(x)
        return grid_stamps(isi, dt)

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        _require_unit_interval(x, "BurstEncoder")
        dt = schedule.dt
        if self.t_min < dt * (1 - 1e-9):
            raise ConfigurationError(f"`t_min` must be >= dt = {dt!r} s, got {self.t_min!r} s.")
        longest = 1 + (self.max_spikes - 1) * int(grid_stamps(self.t_max, dt))
        if longest > schedule.presentation_steps:
            raise ConfigurationError(
                f"a burst of {self.max_spikes} spikes {self.t_max!r} s apart needs "
                f"{longest * dt!r} s, longer than the presentation ({schedule.presentation!r} s)."
            )
        count = self.spike_counts(x)
        isi = self.interval_steps(x, dt)
        j = np.arange(self.max_spikes)
        rel = 1 + j[None, None, :] * isi[:, :, None]
        valid = j[None, None, :] < count[:, :, None]
        n_out = x.shape[1]
        keys = (schedule.begins()[:, None, None] + rel) * n_out + np.arange(n_out)[None, :, None]
        return np.sort(keys[valid])


@dataclass(frozen=True, kw_only=True)
class DeltaEncoder(Encoder):
    """Send-on-delta (delta modulation) of time series: an up and a down train per channel.

    The ``n_times`` values of a sample are spread evenly over its presentation (the first at the
    window's start, the last at its end) and interpolated linearly to every step. A reference
    starts at the first value; whenever the signal is ``threshold`` or more above (below) it,
    train ``2c`` (``2c + 1``) of channel ``c`` spikes and the reference moves up (down) by
    ``threshold``. The reconstruction ``first value + threshold * (ups - downs)`` then stays
    within ``threshold`` of the signal at every step as long as the signal changes by at most
    ``threshold`` per step (a warning says when it does not).

    Parameters
    ----------
    threshold
        Step of the reference [unit of the data], > 0.
    """

    threshold: float

    sample_ndim: ClassVar[int] = 2

    def __post_init__(self) -> None:
        require_positive("threshold", self.threshold)

    def n_outputs(self, n_features: int) -> int:
        """Two trains (up, down) per channel."""
        return 2 * n_features

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        length = schedule.presentation_steps
        h = schedule.presentation / (x.shape[1] - 1)
        slew = float(np.abs(np.diff(x, axis=1)).max()) * schedule.dt / h
        if slew > self.threshold:
            warnings.warn(
                f"the signal changes by up to {slew:.3g} per step, more than the threshold "
                f"{self.threshold!r}: the spikes lag behind it and the reconstruction error can "
                "exceed the threshold. Use a longer presentation or a larger threshold.",
                SNNWarning,
                stacklevel=user_stacklevel(),
            )
        begins = schedule.begins()
        dt, th = schedule.dt, float(self.threshold)
        return fill_keys(
            lambda keys, row, pos: delta_fill(x, h, dt, th, length, begins, keys, row, pos),
            x.shape[0],
            float(np.abs(np.diff(x, axis=1)).sum() / th),
        )


@dataclass(frozen=True, kw_only=True)
class PopulationEncoder(Encoder):
    """Population coding with Gaussian receptive fields, rate coded.

    Each feature is seen by ``n_neurons`` neurons with centres spaced evenly from ``low - 3
    sigma`` to ``high + 3 sigma`` and width ``sigma = width * spacing``; neuron ``i`` fires a
    Poisson train (as :class:`PoissonEncoder`) of rate ``max_rate * exp(-(x - mu_i)**2 / (2
    sigma**2))``. Every value in ``[low, high]`` thus sees its whole response bump (to 3 sigma),
    so the population vector (:func:`population_vector`, the count-weighted mean of the
    centres) is unbiased to within ``0.005 sigma``. Trains are feature-major: neuron ``i`` of
    feature ``f`` is train ``f * n_neurons + i``.

    Parameters
    ----------
    n_neurons
        Neurons per feature, > ``6 * width + 1``.
    max_rate
        Rate at a field's centre [Hz]; ``max_rate * dt <= 1``.
    low, high
        Range of the values [unit of the data].
    width
        Field width in units of the centre spacing (default 1).
    """

    n_neurons: int
    max_rate: float
    low: float = 0.0
    high: float = 1.0
    width: float = 1.0

    random: ClassVar[bool] = True

    def __post_init__(self) -> None:
        require_int("n_neurons", self.n_neurons, minimum=2)
        require_nonnegative("max_rate", self.max_rate, "Hz")
        require_finite("low", self.low)
        require_finite("high", self.high)
        require_positive("width", self.width)
        if not self.high > self.low:
            raise ConfigurationError(
                f"`high` must be > `low`, got low={self.low!r}, high={self.high!r}."
            )
        if self.n_neurons - 1 <= 6 * self.width:
            raise ConfigurationError(
                f"`n_neurons` must exceed 6 * width + 1 = {6 * self.width + 1:g} so that the "
                f"fields extend 3 sigma beyond [low, high], got {self.n_neurons}."
            )

    @property
    def spacing(self) -> float:
        """Distance between neighbouring centres [unit of the data]."""
        return (self.high - self.low) / (self.n_neurons - 1 - 6 * self.width)

    @property
    def sigma(self) -> float:
        """Width of each receptive field [unit of the data]."""
        return self.width * self.spacing

    @property
    def centres(self) -> np.ndarray:
        """Centres of the fields of one feature [unit of the data], ``(n_neurons,)``."""
        return self.low - 3 * self.sigma + self.spacing * np.arange(self.n_neurons)

    def n_outputs(self, n_features: int) -> int:
        """``n_neurons`` trains per feature."""
        return n_features * self.n_neurons

    def responses(self, x: Any) -> np.ndarray:
        """Field responses in [0, 1], shape ``x.shape + (n_neurons,)``."""
        d = (np.asarray(x, dtype=np.float64)[..., None] - self.centres) / self.sigma
        return np.exp(-0.5 * d * d)

    def decode(self, counts: Any) -> np.ndarray:
        """Population vector of spike counts ``(n_samples, n_features * n_neurons)``."""
        from snn.encoders._decoders import population_vector

        return population_vector(counts, self.centres)

    def _keys(self, x: np.ndarray, schedule: Schedule, seed: int) -> np.ndarray:
        if float(x.min()) < self.low or float(x.max()) > self.high:
            raise ConfigurationError(
                f"PopulationEncoder covers [{self.low!r}, {self.high!r}], got values in "
                f"[{float(x.min())!r}, {float(x.max())!r}]."
            )
        if self.max_rate * schedule.dt > 1.0:
            raise ConfigurationError(
                f"`max_rate` * dt must be <= 1, got {self.max_rate * schedule.dt!r}."
            )
        p = self.responses(x).reshape(x.shape[0], -1) * (self.max_rate * schedule.dt)
        return _bernoulli_keys(p, schedule, seed, "PopulationEncoder")
