r"""Reward-modulated STDP: eligibility traces gated by a neuromodulator (Izhikevich 2007).

Each synapse keeps an eligibility trace ``c`` that pair STDP drives instead of the weight; a
global neuromodulator concentration ``m`` (dopamine) turns eligibility into weight change::

    dc/dt = -c / tau_c + STDP events:   c <- c + A+ x   (postsynaptic spike reaching the synapse)
                                        c <- c - A- y   (presynaptic spike at the synapse)
    dw/dt = gain c m,                   w_min <= w <= w_max
    m(t)  = baseline + d(t),            dd/dt = -d / tau_d + releases

with ``x`` and ``y`` the pre- and postsynaptic STDP traces of :mod:`snn.plasticity._pair`
(time constants ``tau_plus``, ``tau_minus``; all-to-all or nearest pairing). A reward released
1-3 s after a pre-post pairing still finds the pairing's eligibility (``tau_c`` = 1 s) and
potentiates that synapse: the distal reward problem's solution.

The neuromodulator (:class:`Neuromodulator`) is driven by the user (:meth:`Neuromodulator.release`,
e.g. from a reward schedule in a ``Network.every`` callback) and/or by the spikes of a
dopamine-like population (:meth:`Neuromodulator.follow`: each spike releases ``amount``).

Integration: the modulator acts on the synapses at its sync times ``T_k = k * interval`` (an
``every`` callback), where releases take effect. Between syncs ``m`` decays exactly, so every
synapse's weight change over ``[T_k, T_k+1]`` is the exact integral of ``gain c m``: the rule
functions add each eligibility increment ``dc`` (at step ``t``) to three per-synapse sums,
``e += dc exp(-(T_k+1 - t)/tau_c)`` (its eligibility at ``T_k+1``), ``u += dc P(t)`` and
``v += dc Q(t)`` with ``P(t) = exp(-(t - T_k)/tau_d) (1 - exp(-beta (T_k+1 - t))) / beta``,
``beta = 1/tau_c + 1/tau_d`` and ``Q(t) = tau_c (1 - exp(-(T_k+1 - t)/tau_c))``; the sync adds
``gain (c (d_k P0 + b Q0) + d_k u + b v)`` to ``w`` (``P0``, ``Q0`` over the whole interval,
``d_k`` the phasic level from ``T_k``, ``b`` the baseline), clips it to ``[w_min, w_max]`` and moves
``c`` to ``T_k+1``. Weights are therefore exact at sync times, clipped there (as Izhikevich's own
code clips every 10 ms), and stay at their last sync value in between. Releases by a population's
spikes are decayed exactly from the spike time but act on the weights from the next sync: what
the release would have changed between the spike and that sync is lost (in a port of Brian2's
``Izhikevich_2007`` example, at the default 10 ms interval, the rewarded weight ended 4.5-4.8 %
below its value with the same releases made at sync times); a shorter interval loses less and
costs a return to Python per sync, and a release at known times (:meth:`Neuromodulator.release`
from a callback at a sync time) loses nothing.

Reference
---------
Izhikevich (2007), "Solving the distal reward problem through linkage of STDP and dopamine
signaling", Cereb. Cortex 17:2443-2452 (and its published code ``dastdp``: ``tau_c`` = 1 s,
``tau_d`` = 0.2 s, weight update every 10 ms ``s += (0.002 + DA) sd``, i.e. ``gain`` = 1/(10 ms)
with ``baseline`` = 0.002, reward ``DA += 0.5``, ``A+`` = 0.1, ``A-`` = 0.15, nearest pairing).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from snn.core import Network, Population, PopulationView, StateVar, SynapseModel, Trace
from snn.core.errors import ConfigurationError
from snn.core.kernels import kernel
from snn.core.validate import (
    require_finite,
    require_nonnegative,
    require_positive,
    require_steps,
    require_type,
    warn_time_constant,
)
from snn.plasticity._live import live_state, live_weights
from snn.plasticity._pair import check_pairing, x_all_to_all, x_nearest, y_all_to_all, y_nearest

if TYPE_CHECKING:
    from snn.core import SpikeMonitor

__all__ = ["Neuromodulator", "RewardSTDP"]


@kernel(inline="always")
def eligibility_add(dc, step, dt, e, u, v, sync_steps, tau_c, tau_d, beta):  # pragma: no cover
    """Add an eligibility increment ``dc`` at ``step`` to the sync sums ``(e, u, v)``."""
    t_k = (step // sync_steps) * sync_steps
    rest = (t_k + sync_steps - step) * dt
    since = (step - t_k) * dt
    e = e + dc * math.exp(-rest / tau_c)
    u = u + dc * math.exp(-since / tau_d) * (1.0 - math.exp(-beta * rest)) / beta
    v = v + dc * tau_c * (1.0 - math.exp(-rest / tau_c))
    return e, u, v


def reward_on_pre(
    w, c, e, u, v, y, step, dt, a_minus, sync_steps, tau_c, tau_d, beta
):  # pragma: no cover - compiled
    """Presynaptic spike: eligibility ``-A- y``; the weight is transmitted unchanged."""
    e, u, v = eligibility_add(-a_minus * y, step, dt, e, u, v, sync_steps, tau_c, tau_d, beta)
    return w, c, e, u, v, w


def reward_on_post(
    w, c, e, u, v, x, step, dt, a_plus, sync_steps, tau_c, tau_d, beta
):  # pragma: no cover - compiled
    """Postsynaptic spike reaching the synapse: eligibility ``A+ x``."""
    e, u, v = eligibility_add(a_plus * x, step, dt, e, u, v, sync_steps, tau_c, tau_d, beta)
    return w, c, e, u, v


class Neuromodulator:
    """A global neuromodulator concentration (dopamine) for :class:`RewardSTDP` synapses.

    Creating it registers its sync with ``network.every(interval, ...)``; every projection whose
    synapse model is a :class:`RewardSTDP` naming this modulator is updated there.

    Parameters
    ----------
    network
        The network whose reward-modulated projections it drives.
    tau
        Decay time constant of the released concentration ``d`` [s].
    baseline
        Tonic level ``b`` added to ``d`` [unit of the concentration, e.g. uM]. It may be
        negative: NEST's ``stdp_dopamine_synapse`` changes weights by ``c (n - b)``, which is
        ``baseline = -b``, so that eligible synapses depress while no dopamine is released.
    interval
        Sync interval [s], a multiple of dt; releases take effect at multiples of it.
    """

    def __init__(
        self, network: Network, *, tau: float = 0.2, baseline: float = 0.0, interval: float = 10e-3
    ) -> None:
        require_type("network", network, Network, "a Network")
        require_positive("tau", tau, "s")
        warn_time_constant("tau", tau)
        require_finite("baseline", baseline)
        self.sync_steps = require_steps("interval", interval, network.dt, minimum=1)
        self.network = network
        self.tau = float(tau)
        self.baseline = float(baseline)
        self.interval = float(interval)
        self._level = 0.0
        self._pending = 0.0
        # the step whose sync has run (releases made at that step act at once)
        self._synced_at = network.step if network.step % self.sync_steps == 0 else -1
        self._sources: list[tuple[SpikeMonitor, float]] = []
        self._times: list[float] = []
        self._levels: list[float] = []
        network.every(interval, self._sync)

    @property
    def level(self) -> float:
        """Concentration ``baseline + d`` in effect since the last sync [unit]."""
        return self.baseline + self._level

    def release(self, amount: float) -> None:
        """Release ``amount`` (added to ``d``).

        It acts now if the network stands at a sync time (between runs, or in an ``every``
        callback on the sync grid), else from the next sync time.
        """
        require_finite("amount", amount)
        if self.network.step == self._synced_at:
            self._level += float(amount)
            if self._levels:
                self._levels[-1] = self.level
        else:
            self._pending += float(amount)

    def follow(self, population: Population | PopulationView, amount: float) -> None:
        """Let every spike of ``population`` release ``amount`` (a dopamine-like population)."""
        require_finite("amount", amount)
        self._sources.append((self.network.record_spikes(population), float(amount)))

    def record(self) -> tuple[np.ndarray, np.ndarray]:
        """Sync times [s] and the concentration in effect from each of them [unit]."""
        return np.array(self._times), np.array(self._levels)

    def _sync(self, network: Network) -> None:
        dt = network.dt
        span = self.sync_steps * dt
        for proj in network.projections:
            rule = proj.synapse
            if isinstance(rule, RewardSTDP) and rule.modulator is self:
                rule.sync(proj, self._level, self.baseline, span)
        # this interval's releases by population spikes, decayed from the spike times
        released = self._pending
        for mon, amount in self._sources:
            ages = (network.step - mon.steps) * dt
            released += amount * float(np.exp(-ages / self.tau).sum())
            mon.clear()
        if network.comm.active and self._sources:
            # spikes of other ranks' neurons release too; the user's releases run on every rank
            released = self._pending + network.comm.allreduce_sum(released - self._pending)
        self._level = self._level * math.exp(-span / self.tau) + released
        self._pending = 0.0
        self._synced_at = network.step
        self._times.append(network.t)
        self._levels.append(self.level)


@dataclass(frozen=True, kw_only=True)
class RewardSTDP(SynapseModel):
    """Reward-modulated pair STDP with eligibility traces (see the module docstring).

    Parameters
    ----------
    modulator
        The :class:`Neuromodulator` that gates the weight changes.
    tau_plus, tau_minus
        Time constants of the pre- and postsynaptic STDP traces [s].
    a_plus, a_minus
        Eligibility increments of a pre-post and a post-pre pairing [unit of the receptor].
    tau_c
        Decay time constant of the eligibility trace [s].
    gain
        Weight change rate per unit of eligibility and concentration [1/(s unit)].
    w_max
        Upper bound of the weight [unit of the receptor].
    w_min
        Lower bound of the weight [unit of the receptor] (NEST's ``Wmin``), below ``w_max``.
    pairing
        ``"all_to_all"`` or ``"nearest"`` (Izhikevich's code resets the traces: nearest).

    Notes
    -----
    Synapse variables: ``c`` (eligibility at the last sync), ``e``, ``u``, ``v`` (this
    interval's sums, see the module docstring). Defaults follow Izhikevich (2007) with weights
    in volts (``w_max`` = 4 mV, ``A+`` = 0.1 mV, ``A-`` = 0.15 mV, ``gain`` = 100/s).
    """

    modulator: Neuromodulator
    tau_plus: float = 20e-3
    tau_minus: float = 20e-3
    a_plus: float = 0.1e-3
    a_minus: float = 0.15e-3
    tau_c: float = 1.0
    gain: float = 100.0
    w_max: float = 4e-3
    w_min: float = 0.0
    pairing: Literal["all_to_all", "nearest"] = "nearest"

    synapse_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("c", "receptor", doc="eligibility at the last sync"),
        StateVar("e", "receptor", doc="this interval's eligibility increments, at the next sync"),
        StateVar("u", "receptor s", doc="sum gating the phasic concentration"),
        StateVar("v", "receptor s", doc="sum gating the baseline"),
    )
    source_traces: ClassVar[tuple[Trace, ...]] = (Trace("x", "tau_plus", "presynaptic trace"),)
    target_traces: ClassVar[tuple[Trace, ...]] = (Trace("y", "tau_minus", "postsynaptic trace"),)
    #: weights change at the syncs, by ``gain`` (see :meth:`sync`)
    learning: ClassVar[tuple[str, ...]] = ("gain",)

    def __post_init__(self) -> None:
        if not isinstance(self.modulator, Neuromodulator):
            raise ConfigurationError(
                f"`modulator` must be a Neuromodulator, got {type(self.modulator).__name__}."
            )
        for name in ("tau_plus", "tau_minus", "tau_c"):
            require_positive(name, getattr(self, name), "s")
            warn_time_constant(name, getattr(self, name))
        require_nonnegative("a_plus", self.a_plus)
        require_nonnegative("a_minus", self.a_minus)
        require_nonnegative("gain", self.gain)
        require_positive("w_max", self.w_max)
        require_finite("w_min", self.w_min)
        if not self.w_min < self.w_max:
            raise ConfigurationError(
                f"`w_min` must be below `w_max`, got w_min={self.w_min!r}, w_max={self.w_max!r}."
            )
        check_pairing(self.pairing)

    def weight_bounds(self) -> tuple[float, float]:
        """Weights are kept in ``[w_min, w_max]``."""
        return (float(self.w_min), float(self.w_max))

    def check_projection(self, projection: Any) -> None:
        """Refuse a projection of another network than the modulator's (it would never sync)."""
        if projection.post.network is not self.modulator.network:
            raise ConfigurationError(
                "the Neuromodulator of this RewardSTDP belongs to another network, whose syncs "
                "would never reach this projection; create one Neuromodulator per network."
            )

    def check(self, dt: float) -> None:
        if abs(dt - self.modulator.network.dt) > 1e-12 * dt:
            raise ConfigurationError(
                f"the modulator was made for a network with dt = {self.modulator.network.dt} s, "
                f"this one has dt = {dt} s; create one Neuromodulator per network."
            )

    def constants(self, dt: float) -> dict[str, Any]:
        tau_d = self.modulator.tau
        return {
            "a_plus": self.a_plus,
            "a_minus": self.a_minus,
            "sync_steps": int(self.modulator.sync_steps),
            "tau_c": self.tau_c,
            "tau_d": tau_d,
            "beta": 1.0 / self.tau_c + 1.0 / tau_d,
        }

    def on_pre_function(self) -> Callable[..., Any]:
        return reward_on_pre

    def on_post_function(self) -> Callable[..., Any]:
        return reward_on_post

    def source_spike_function(self) -> Callable[..., Any]:
        return x_all_to_all if self.pairing == "all_to_all" else x_nearest

    def target_spike_function(self) -> Callable[..., Any]:
        return y_all_to_all if self.pairing == "all_to_all" else y_nearest

    def sync(self, projection: Any, phasic: float, baseline: float, span: float) -> None:
        """Apply one sync interval of length ``span`` [s] to ``projection``'s synapses.

        ``phasic`` is the released concentration at the interval's start, ``baseline`` the
        tonic level (see the module docstring).
        """
        w = live_weights(projection)
        c, e, u, v = (live_state(projection, n) for n in ("c", "e", "u", "v"))
        beta = 1.0 / self.tau_c + 1.0 / self.modulator.tau
        p0 = (1.0 - math.exp(-beta * span)) / beta
        q0 = self.tau_c * (1.0 - math.exp(-span / self.tau_c))
        # a projection whose learning is switched off keeps its weights (eligibility goes on)
        gain = self.gain if projection.learning else 0.0
        w += gain * (c * (phasic * p0 + baseline * q0) + phasic * u + baseline * v)
        np.clip(w, self.w_min, self.w_max, out=w)
        c *= math.exp(-span / self.tau_c)
        c += e
        e[:] = 0.0
        u[:] = 0.0
        v[:] = 0.0
