r"""Time-varying Poisson input and the parrot neuron, evaluated inside the loop.

``SinusoidalPoissonSource``
    A population of Poisson trains whose rate is ``rate + amplitude sin(2 pi frequency t +
    phase)``, cut at zero (NEST's ``sinusoidal_poisson_generator``); its current rate is the
    state variable ``rate``, so a state monitor records it. Each neuron spikes in a step with
    probability ``rate(t) dt`` (a Bernoulli draw, as :class:`PoissonSource`: at most one spike
    per step, where NEST draws a Poisson count and sends it as one event of that multiplicity).
    With ``individual_spike_trains=False`` every neuron of the population emits the same train
    (one draw per step shared by the population, NEST's option of the same name).
``SinusoidalPoissonInput``, ``InhomogeneousPoissonInput``
    Drives: every neuron of the target receives ``K ~ Poisson(rate(t) dt)`` events of weight
    ``weight`` per step (NEST's ``sinusoidal_poisson_generator`` and
    ``inhomogeneous_poisson_generator`` connected to each target, as :class:`PoissonInput` is
    its ``poisson_generator``). The inhomogeneous rate is a table: ``rate_values[k]`` from
    ``rate_times[k]`` on, 0 before the first.
``ParrotNeuron``
    Repeats its input spikes (NEST's ``parrot_neuron``).

Time (NEST's convention): the draws of step ``k`` (from ``k dt`` to ``(k+1) dt``) use the rate at
the end of the step, ``rate((k + 1) dt)``, the time their spikes are stamped with; the recorded
``rate`` after step ``k`` is that value. All draws are counter-based, keyed by the seed, the
population or drive, the neuron's index (or none for shared trains) and the step: the same on
any thread or rank layout.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import Drive, NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel, poisson
from snn.core.validate import require_finite, require_nonnegative, warn_magnitude
from snn.neurons._currents import _check_window, _scalar_or_array, _window

__all__ = [
    "InhomogeneousPoissonInput",
    "ParrotNeuron",
    "SinusoidalPoissonInput",
    "SinusoidalPoissonSource",
]


@kernel(inline="always")
def sinusoidal_rate(t_end, dc, ac, omega, phi):  # pragma: no cover - compiled
    """``max(dc + ac sin(omega t_end + phi), 0)`` [Hz]."""
    return max(dc + ac * math.sin(omega * t_end + phi), 0.0)


@kernel(inline="always")
def sinusoidal_individual_step(t, uniform, dt, dc, ac, omega, phi):  # pragma: no cover
    """Each neuron its own train: returns ``(rate, spiked)``."""
    r = sinusoidal_rate(t + dt, dc, ac, omega, phi)
    return r, uniform < r * dt


@kernel(inline="always")
def sinusoidal_shared_step(t, uniform_shared, dt, dc, ac, omega, phi):  # pragma: no cover
    """All neurons the same train: returns ``(rate, spiked)``."""
    r = sinusoidal_rate(t + dt, dc, ac, omega, phi)
    return r, uniform_shared < r * dt


#: Largest mean count per neuron and step a Poisson drive of this module draws: far above any
#: use (1e13 Hz at dt = 0.1 ms), and low enough that every count is exact in a float64 and an
#: int64 (the sampler's counts overflow int64 near lam = 9.2e18).
MAX_EVENTS_PER_STEP = 1e9


def _check_events(name: str, top: float, dt: float, what: str) -> None:
    """Refuse a drive whose largest rate ``top`` [Hz] gives more than the bound per step."""
    if top * dt > MAX_EVENTS_PER_STEP:
        raise ConfigurationError(
            f"{name}: {what} * dt must be at most {MAX_EVENTS_PER_STEP:g} events per neuron and "
            f"step, got {top!r} Hz with dt = {dt} s."
        )


#: Highest frequency of a sinusoidal rate [Hz]: the phase ``2 pi f t`` stays finite at every step
#: the step counter reaches, whatever the time step (above, it overflows to inf and the rate is
#: NaN; a frequency of 1.7e308 Hz made the Poisson sampler loop for ever).
MAX_FREQUENCY = 1e250


def _check_sinusoid(rate: Any, amplitude: Any, frequency: Any, phase: Any) -> None:
    require_nonnegative("rate", rate, "Hz")
    warn_magnitude("rate", rate, "rate")
    require_finite("amplitude", amplitude, "Hz")
    require_nonnegative("frequency", frequency, "Hz")
    top = float(np.max(frequency)) if np.size(frequency) else 0.0
    if top > MAX_FREQUENCY:
        raise ConfigurationError(
            f"`frequency` must be at most {MAX_FREQUENCY:g} Hz (its phase 2 pi f t overflows "
            f"above), got {top!r} Hz."
        )
    require_finite("phase", phase, "rad")
    warn_magnitude("phase", phase, "phase")


@dataclass(frozen=True, kw_only=True)
class SinusoidalPoissonSource(NeuronModel):
    """Poisson trains with a sinusoidally modulated rate (NEST ``sinusoidal_poisson_generator``).

    Parameters
    ----------
    rate
        Mean rate [Hz], >= 0 (one value or one per neuron).
    amplitude
        Amplitude of the modulation [Hz]; the rate is cut at 0 where it would be negative.
    frequency
        Frequency of the modulation [Hz].
    phase
        Phase at t = 0 [rad] (NEST gives it in degrees).
    individual_spike_trains
        True: independent trains; False: every neuron emits the same train.

    Notes
    -----
    State variable ``rate`` [Hz]: the rate of the last step (see the module docstring).
    Requires ``(rate + |amplitude|) dt <= 1``.
    """

    rate: float
    amplitude: float = 0.0
    frequency: float = 0.0
    phase: float = 0.0
    individual_spike_trains: bool = True

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("rate", "Hz", doc="rate of the last step"),
    )

    def __post_init__(self) -> None:
        _check_sinusoid(self.rate, self.amplitude, self.frequency, self.phase)

    def check_dt(self, dt: float) -> None:
        top = float(np.max(np.asarray(self.rate) + np.abs(self.amplitude)))
        if top * dt > 1.0:
            raise ConfigurationError(
                f"(`rate` + |`amplitude`|) * dt must be <= 1 for a Bernoulli spike train, got "
                f"{top!r} Hz with dt = {dt} s."
            )

    def step_function(self) -> Callable[..., Any]:
        if self.individual_spike_trains:
            return sinusoidal_individual_step
        return sinusoidal_shared_step

    def constants(self, dt: float) -> dict[str, Any]:
        value = _scalar_or_array
        return {
            "dc": value(self.rate),
            "ac": value(self.amplitude),
            "omega": value(2.0 * np.pi * np.asarray(self.frequency, dtype=np.float64)),
            "phi": value(self.phase),
        }


@kernel
def sinusoidal_poisson_add(
    row, step, j0, j_stride, k0, k1, dc, ac, omega, phi, dt, weight, individual
):  # pragma: no cover - compiled
    """Add ``weight`` times a Poisson(``rate dt``) count per neuron, rate at the step's end.

    With ``individual`` False, one count for all neurons.
    """
    lam = sinusoidal_rate((step + 1) * dt, dc, ac, omega, phi) * dt
    if lam <= 0.0:
        return
    if individual:
        for i in range(row.shape[0]):
            row[i] += np.float64(poisson(k0, k1, j0 + j_stride * i, step, lam)) * weight
    else:
        # counter (-1, step): the same count for every target, no target's own
        count = np.float64(poisson(k0, k1, np.int64(-1), step, lam)) * weight
        for i in range(row.shape[0]):
            row[i] += count


@dataclass(frozen=True, kw_only=True)
class SinusoidalPoissonInput(Drive):
    """Poisson input events with a sinusoidally modulated rate onto every neuron of a target.

    NEST's ``sinusoidal_poisson_generator`` connected to each target neuron (see the module
    docstring).

    Parameters
    ----------
    rate, amplitude, frequency, phase
        As :class:`SinusoidalPoissonSource` [Hz, Hz, Hz, rad].
    weight
        Weight of each event [unit of the receptor].
    individual_spike_trains
        True: independent events per target; False: every target receives the same events.
    receptor
        Receptor fed (default: the model's only spike receptor).
    """

    rate: float
    weight: float
    amplitude: float = 0.0
    frequency: float = 0.0
    phase: float = 0.0
    individual_spike_trains: bool = True
    receptor: str | None = None

    quantities: ClassVar[Mapping[str, str]] = {"rate": "rate", "weight": "receptor"}

    def __post_init__(self) -> None:
        _check_sinusoid(self.rate, self.amplitude, self.frequency, self.phase)
        require_finite("weight", self.weight)

    def add_function(self) -> Callable[..., Any]:
        return sinusoidal_poisson_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        top = float(self.rate) + abs(float(self.amplitude))
        _check_events(type(self).__name__, top, dt, "(`rate` + |`amplitude`|)")
        return {
            "dc": float(self.rate),
            "ac": float(self.amplitude),
            "omega": 2.0 * math.pi * float(self.frequency),
            "phi": float(self.phase),
            "dt": float(dt),
            "weight": float(self.weight),
            "individual": bool(self.individual_spike_trains),
        }


@kernel
def inhomogeneous_poisson_add(
    row, step, j0, j_stride, k0, k1, stamps, means, weight, first, last
):  # pragma: no cover - compiled
    """Add ``weight`` times a Poisson count of the mean in force at the end of the step.

    Only in the steps ``first <= step < last`` (the drive's window).
    """
    if step < first or step >= last:
        return
    idx = np.searchsorted(stamps, step + 1, side="right") - 1
    if idx < 0 or means[idx] <= 0.0:
        return
    lam = means[idx]
    for i in range(row.shape[0]):
        row[i] += np.float64(poisson(k0, k1, j0 + j_stride * i, step, lam)) * weight


@dataclass(frozen=True, kw_only=True)
class InhomogeneousPoissonInput(Drive):
    """Poisson input events whose rate follows a table (NEST ``inhomogeneous_poisson_generator``).

    Parameters
    ----------
    rate_times
        Times at which the rate changes [s], strictly increasing, >= 0 (0: the rate from the
        start, as a Brian2 ``TimedArray`` of rates); on the time grid (a multiple of dt) unless
        ``allow_offgrid_times``.
    rate_values
        The rate from each time on [Hz], >= 0 (0 before the first time).
    weight
        Weight of each event [unit of the receptor].
    allow_offgrid_times
        Round times off the grid up to the end of their step (NEST's option), instead of
        refusing them.
    receptor
        Receptor fed (default: the model's only spike receptor).
    start, stop
        Active in the steps that begin in ``[start, stop)`` [s] (rounded to the grid), as
        ``PoissonInput``. NEST's generator emits in ``(origin + start, origin + stop]`` and
        reaches its targets one connection delay later: give ``origin + start + delay + dt``
        and ``origin + stop + delay + dt`` here (``docs/from-nest.md``).
    """

    rate_times: Any
    rate_values: Any
    weight: float
    allow_offgrid_times: bool = False
    receptor: str | None = None
    start: float = 0.0
    stop: float = math.inf

    quantities: ClassVar[Mapping[str, str]] = {"rate_values": "rate", "weight": "receptor"}
    vector_parameters: ClassVar[tuple[str, ...] | None] = ("rate_times", "rate_values")

    def __post_init__(self) -> None:
        times = np.asarray(self.rate_times, dtype=np.float64)
        values = np.asarray(self.rate_values, dtype=np.float64)
        if times.ndim != 1 or times.shape != values.shape or not times.size:
            # empty, the drive would add nothing: refused as StepCurrent refuses an empty table
            raise ConfigurationError(
                "`rate_times` and `rate_values` must be 1-D, non-empty and of the same length, "
                f"got shapes {times.shape} and {values.shape}."
            )
        require_finite("rate_times", times, "s")
        require_nonnegative("rate_values", values, "Hz")
        require_finite("weight", self.weight)
        if times[0] < 0.0 or np.any(np.diff(times) <= 0.0):
            raise ConfigurationError(
                f"`rate_times` must be >= 0 s and strictly increasing, got {times.tolist()[:8]}"
                f"{' ...' if times.size > 8 else ''}."
            )
        _check_window(self.start, self.stop)

    def add_function(self) -> Callable[..., Any]:
        return inhomogeneous_poisson_add

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        times = np.asarray(self.rate_times, dtype=np.float64)
        exact = times / dt
        stamps = np.rint(exact)
        off = np.abs(exact - stamps) > 1e-6
        if np.any(off):
            if not self.allow_offgrid_times:
                bad = float(times[np.flatnonzero(off)[0]])
                raise ConfigurationError(
                    f"rate time {bad!r} s is not a multiple of dt = {dt} s; put it on the grid "
                    "or pass allow_offgrid_times=True (rounded up to the end of its step)."
                )
            stamps = np.where(off, np.ceil(exact), stamps)
        if np.any(np.diff(stamps) <= 0):
            raise ConfigurationError(
                f"two rate times fall into the same step of dt = {dt} s; give at most one per step."
            )
        values = np.asarray(self.rate_values, dtype=np.float64)
        top = float(values.max())
        _check_events(type(self).__name__, top, dt, "the largest of `rate_values`")
        first, last = _window(self.start, self.stop, dt)
        return {
            "stamps": np.ascontiguousarray(stamps, dtype=np.int64),
            "means": np.asarray(self.rate_values, dtype=np.float64) * dt,
            "weight": float(self.weight),
            "first": first,
            "last": last,
        }


@kernel(inline="always")
def parrot_step(spikes):  # pragma: no cover - compiled
    """Spike when any input spike arrived in this step."""
    return (spikes > 0.0,)


@dataclass(frozen=True, kw_only=True)
class ParrotNeuron(NeuronModel):
    """A neuron that repeats its input spikes (NEST ``parrot_neuron``).

    It spikes in every step in which a spike reaches its receptor ``spikes`` (weights must be
    > 0, and are not used otherwise: NEST's parrot repeats a spike of any weight, 0 or negative
    included; give 1), at that spike's arrival time: a parrot fed by a Poisson drive or
    by spike sources through delays is a source of its own, whose spikes can cross plastic
    synapses, and all its targets see the same train.

    Notes
    -----
    Several spikes arriving in one step give one spike (NEST repeats them as one event of that
    multiplicity). NEST's second port (spikes received and not repeated) is left out. No
    parameters, no state.
    """

    receptors: ClassVar[tuple[Receptor, ...]] = (Receptor("spikes", "1", 2, "spikes repeated"),)

    def step_function(self) -> Callable[..., Any]:
        return parrot_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {}
