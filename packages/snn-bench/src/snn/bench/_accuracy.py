r"""Spike-time accuracy and speed of every neuron model's integration methods.

For each model, method and time step, one neuron is simulated for 1 s under two protocols, and
its spike times are compared with those of the adaptive reference of
:mod:`snn.bench._reference` (``solve_ivp``, DOP853, ``rtol = 1e-10``, the same threshold, reset
and refractory rules):

``dc``
    A current step: nothing for 100 ms, then a constant current that makes the neuron fire
    regularly.
``poisson``
    A constant bias current plus excitatory and inhibitory Poisson spike trains (Bernoulli on
    the time grid, seeded), delivered through synapses with a delay of one step, that make the
    neuron fire irregularly.

The error of a run is the largest difference between its spike times and the reference's, pair
by pair; a run with a different number of spikes is reported with both counts. Speed is the
wall time of a run per neuron and step [ns], for a population of neurons under the ``dc``
protocol's current and nothing else (the first run, which compiles, is not timed).

``snn-bench accuracy`` prints the table (Markdown) that ``docs/accuracy.md`` shows.

The GIF models are not in the table: their spiking is stochastic. Their deterministic parts
are compared with NEST's traces instead, to round-off (``tests/neurons/test_nest_references.py``).
"""

from __future__ import annotations

import functools
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from snn.bench._continuous import continuous
from snn.bench._reference import reference_spikes
from snn.core import ConfigurationError, Network, SimulationError
from snn.core.units import ms, mV, nA, nS, pA
from snn.neurons import (
    MAT2,
    AdExCondAlpha,
    AdExCondExp,
    AdExPscExp,
    HHPscAlpha,
    HHSquid,
    HHTraubMiles,
    Izhikevich,
    LIFAlpha,
    LIFCondAlpha,
    LIFCondExp,
    LIFCondExpSfaRr,
    LIFDelta,
    LIFExp,
    LIFExpMulti,
    SpikeSourceArray,
    StepCurrent,
)
from snn.synapses import OneToOne

__all__ = [
    "DTS",
    "PROTOCOLS",
    "SPECS",
    "TABLE_HEAD",
    "AccuracySpec",
    "accuracy_rows",
    "fingerprint",
    "max_error",
    "reference_times",
    "snn_times",
    "speed_ns",
]

PROTOCOLS = ("dc", "poisson")
#: time steps of the table [s]
DTS = (0.025 * ms, 0.1 * ms, 0.25 * ms)
#: the current step of the ``dc`` protocol starts here [s]
DC_ONSET = 100 * ms


@dataclass(frozen=True)
class AccuracySpec:
    """One model of the table and its stimuli.

    Parameters
    ----------
    make
        ``make(method) -> model`` (``method`` None for models without a choice).
    methods
        The model's integration methods (empty: exact integration only).
    dc
        Current of the ``dc`` protocol [A].
    bias
        Constant current of the ``poisson`` protocol [A].
    inputs
        Poisson inputs of the ``poisson`` protocol: (receptor, rate [Hz], weight).
    """

    make: Callable[[str | None], Any]
    methods: tuple[str, ...]
    dc: float
    bias: float
    inputs: tuple[tuple[str, float, float], ...] = field(default_factory=tuple)

    def default_method(self) -> str | None:
        """The method the model uses when none is given."""
        return getattr(self.make(None), "method", None)


def fingerprint(name: str) -> str:
    """Text that changes when the model's defaults or the protocols of ``name`` change."""
    spec = SPECS[name]
    return repr((spec.make(None), spec.dc, spec.bias, spec.inputs, DC_ONSET))


def _maker(cls: type, **fixed: Any) -> Callable[[str | None], Any]:
    return lambda method: cls(**fixed) if method is None else cls(method=method, **fixed)


_FOUR = ("rkf45", "rk4", "exp_euler", "euler")

SPECS: dict[str, AccuracySpec] = {
    "LIFDelta": AccuracySpec(
        _maker(LIFDelta), (), 500 * pA, 300 * pA,
        (("syn", 1500.0, 0.5 * mV), ("syn", 500.0, -0.5 * mV)),
    ),
    "LIFExp": AccuracySpec(
        _maker(LIFExp), (), 500 * pA, 250 * pA,
        (("exc", 1500.0, 100 * pA), ("inh", 500.0, -100 * pA)),
    ),
    "LIFExpMulti": AccuracySpec(
        _maker(LIFExpMulti, tau_syn=(2 * ms, 5 * ms)), (), 500 * pA, 250 * pA,
        (("r1", 1500.0, 100 * pA), ("r2", 500.0, -50 * pA)),
    ),
    "LIFAlpha": AccuracySpec(
        _maker(LIFAlpha), (), 500 * pA, 250 * pA,
        (("exc", 1500.0, 50 * pA), ("inh", 500.0, -50 * pA)),
    ),
    "LIFCondExp": AccuracySpec(
        _maker(LIFCondExp), ("rk4", "exp_euler", "euler"), 400 * pA, 200 * pA,
        (("exc", 1500.0, 20 * nS), ("inh", 500.0, 20 * nS)),
    ),
    "LIFCondAlpha": AccuracySpec(
        _maker(LIFCondAlpha), ("rk4", "exp_euler"), 400 * pA, 200 * pA,
        (("exc", 1500.0, 10 * nS), ("inh", 500.0, 5 * nS)),
    ),
    "LIFCondExpSfaRr": AccuracySpec(
        _maker(LIFCondExpSfaRr), ("rk4", "exp_euler"), 600 * pA, 300 * pA,
        (("exc", 1500.0, 10 * nS), ("inh", 500.0, 10 * nS)),
    ),
    "MAT2": AccuracySpec(
        _maker(MAT2), (), 600 * pA, 350 * pA,
        (("exc", 1500.0, 200 * pA), ("inh", 500.0, -200 * pA)),
    ),
    "AdExCondExp": AccuracySpec(
        _maker(AdExCondExp), _FOUR, 800 * pA, 800 * pA,
        (("exc", 1500.0, 20 * nS), ("inh", 500.0, 20 * nS)),
    ),
    "AdExPscExp": AccuracySpec(
        _maker(AdExPscExp, tau_syn_ex=2 * ms), _FOUR, 800 * pA, 500 * pA,
        (("exc", 1500.0, 300 * pA), ("inh", 500.0, -300 * pA)),
    ),
    "AdExCondAlpha": AccuracySpec(
        _maker(AdExCondAlpha), ("rkf45", "rk4", "exp_euler"), 800 * pA, 800 * pA,
        (("exc", 1500.0, 5 * nS), ("inh", 500.0, 5 * nS)),
    ),
    "Izhikevich": AccuracySpec(
        _maker(Izhikevich), _FOUR, 10 * pA, 4 * pA,
        (("syn", 1500.0, 2 * mV), ("syn", 500.0, -2 * mV)),
    ),
    "HHTraubMiles": AccuracySpec(
        _maker(HHTraubMiles), _FOUR, 200 * pA, 0.0,
        (("exc", 1500.0, 2 * nS), ("inh", 500.0, 10 * nS)),
    ),
    "HHSquid": AccuracySpec(
        _maker(HHSquid), _FOUR, 1 * nA, 0.5 * nA,
        (("exc", 1500.0, 300 * pA), ("inh", 500.0, -300 * pA)),
    ),
    "HHPscAlpha": AccuracySpec(
        _maker(HHPscAlpha), ("rkf45", "rk4", "exp_euler"), 1 * nA, 0.5 * nA,
        (("exc", 1500.0, 200 * pA), ("inh", 500.0, -200 * pA)),
    ),
}  # fmt: skip


def _protocol(spec: AccuracySpec, protocol: str, dt: float, n_steps: int, seed: int):
    """Per-step current [A] and the Poisson trains (receptor, weight, spike steps)."""
    if protocol == "dc":
        current = np.where(np.arange(n_steps) >= round(DC_ONSET / dt), spec.dc, 0.0)
        return current, []
    rng = np.random.default_rng(seed)
    trains = []
    for receptor, rate, weight in spec.inputs:
        steps = np.flatnonzero(rng.random(n_steps) < rate * dt)
        trains.append((receptor, weight, steps[(steps >= 1) & (steps < n_steps - 1)]))
    return np.full(n_steps, spec.bias), trains


def _add_protocol(net: Network, pop: Any, current: np.ndarray, trains: Sequence) -> None:
    dt = net.dt
    changes = np.flatnonzero(np.diff(current, prepend=0.0) != 0.0)
    if changes.size:
        net.add_drive(StepCurrent(times=changes * dt, amplitudes=current[changes]), pop)
    for receptor, weight, steps in trains:
        src = net.add_population(
            SpikeSourceArray(times=steps * dt, indices=np.zeros(steps.size, dtype=int)), 1
        )
        net.connect(src, pop, rule=OneToOne(), weight=weight, delay=dt, receptor=receptor)


def snn_times(
    name: str, method: str | None, dt: float, *, duration: float = 1.0, seed: int = 1
) -> dict[str, np.ndarray]:
    """Spike times [s] of snn's model ``name`` with ``method`` under both protocols.

    One network holds one neuron per protocol (one compilation for both).

    Parameters
    ----------
    name
        A key of :data:`SPECS`.
    method
        The integration method (None: the model's default).
    dt
        Time step [s].
    duration
        Simulated time [s].
    seed
        Seed of the Poisson trains.

    Returns
    -------
    dict
        Protocol name -> spike times [s].
    """
    spec = SPECS[name]
    n_steps = round(duration / dt)
    net = Network(dt=dt)
    monitors = {}
    for protocol in PROTOCOLS:
        pop = net.add_population(spec.make(method), 1, name=protocol)
        _add_protocol(net, pop, *_protocol(spec, protocol, dt, n_steps, seed))
        monitors[protocol] = net.record_spikes(pop)
    net.run(n_steps * dt)
    return {protocol: mon.steps * dt for protocol, mon in monitors.items()}


@functools.lru_cache(maxsize=256)
def reference_times(
    name: str, dt: float, protocol: str, *, duration: float = 1.0, seed: int = 1
) -> np.ndarray:
    """Spike times [s] of the adaptive reference of model ``name`` under ``protocol``.

    ``protocol`` is ``"dc"`` or ``"poisson"``, the other arguments are those of
    :func:`snn_times`. The model's default parameters define the reference (the method only
    selects snn's integrator); the result is cached.
    """
    spec = SPECS[name]
    model = spec.make(None)
    n_steps = round(duration / dt)
    current, trains = _protocol(spec, protocol, dt, n_steps, seed)
    cm = continuous(model, dt)
    init = model.initial_state()
    y0 = np.array([float(init[v]) for v in cm.names])
    inputs = {r: np.zeros(n_steps) for r in cm.jumps}
    for receptor, weight, steps in trains:
        inputs[receptor][steps] += weight
    return reference_spikes(cm, y0, dt, n_steps, inputs, current) * dt


def max_error(ours: np.ndarray, ref: np.ndarray) -> float:
    """Largest spike-time difference [s] pair by pair; inf when the counts differ."""
    if ours.size != ref.size:
        return math.inf
    return float(np.max(np.abs(ours - ref))) if ours.size else 0.0


def speed_ns(name: str, method: str | None, *, n: int = 2000, steps: int = 2000) -> str:
    """Wall time per neuron and step [ns] under the ``dc`` protocol's current, as text.

    ``n`` neurons for ``steps`` steps at dt = 0.1 ms, after a first run that compiles; the median
    of 3 runs. A method that diverges at 0.1 ms is timed at 0.01 ms (marked with ``*``).
    """
    spec = SPECS[name]
    for dt, mark in ((0.1 * ms, ""), (0.01 * ms, "*")):
        net = Network(dt=dt)
        _add_protocol(net, net.add_population(spec.make(method), n), np.full(steps, spec.dc), [])
        times = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # explicit methods warn about dt
                net.run(10 * dt)
                for _ in range(3):
                    t0 = time.perf_counter()
                    net.run(steps * dt)
                    times.append(time.perf_counter() - t0)
        except SimulationError:
            continue
        return f"{float(np.median(times)) / (n * steps) * 1e9:.0f}{mark}"
    return "diverges"


def _cell(ours: np.ndarray, ref: np.ndarray) -> str:
    err = max_error(ours, ref)
    if math.isinf(err):
        return f"{ours.size} vs {ref.size} spikes"
    return f"{err / ms:.2f} ({ref.size})"


def accuracy_rows(
    names: Sequence[str] | None = None,
    dts: Sequence[float] = DTS,
    *,
    speed: bool = True,
) -> Iterator[str]:
    """The rows of the Markdown accuracy table (see the module docstring), one at a time.

    Parameters
    ----------
    names
        Models (keys of :data:`SPECS`; default all).
    dts
        Time steps [s].
    speed
        Measure each method's speed (else the column says "-").

    Yields
    ------
    str
        A table row.
    """
    for name in names or list(SPECS):
        spec = SPECS[name]
        default = spec.default_method()
        for method in spec.methods or (None,):
            label = method or "exact"
            if method is not None and method == default:
                label = f"**{label}** (default)"
            ns = speed_ns(name, method) if speed else "-"
            for dt in dts:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # explicit methods warn about dt
                        ours = snn_times(name, method, dt)
                    cells = [_cell(ours[p], reference_times(name, dt, p)) for p in PROTOCOLS]
                except SimulationError:
                    cells = ["diverges", "diverges"]
                except ConfigurationError:  # e.g. forward Euler with dt >= tau_syn
                    cells = ["refused", "refused"]
                yield f"| {name} | {label} | {dt / ms:g} | {cells[0]} | {cells[1]} | {ns} |"


TABLE_HEAD = (
    "| model | method | dt [ms] | DC step: max error [ms] (spikes) "
    "| Poisson: max error [ms] (spikes) | speed [ns/neuron-step] |\n"
    "|---|---|---|---|---|---|"
)
