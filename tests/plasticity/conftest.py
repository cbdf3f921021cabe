"""Pairs of forced pre- and postsynaptic spike trains through plastic synapses, and an
event-driven reference of the trace rules (exact exponentials, the engine's event order)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from snn.core import Network, SynapseModel, WeightMonitor
from snn.core.random import Uniform
from snn.core.units import ms, mV
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.synapses import OneToOne

DT = 0.1 * ms


@dataclass
class PairRun:
    """One run of ``n`` independent synapses, each between its own forced pre and post neuron."""

    net: Network
    projection: object
    w0: np.ndarray
    pre_steps: list[np.ndarray]
    post_steps: list[np.ndarray]
    delay_steps: int
    monitor: WeightMonitor | None

    def arrivals(self, k: int) -> np.ndarray:
        """Steps at which the postsynaptic spikes of pair ``k`` reach its synapse."""
        return self.post_steps[k] + self.delay_steps

    def presyn(self, k: int) -> np.ndarray:
        """Steps at which the presynaptic spikes of pair ``k`` act at its synapse."""
        return self.pre_steps[k]


def _source(trains: list[list[float]]) -> SpikeSourceArray:
    times = [t for train in trains for t in train]
    ids = [k for k, train in enumerate(trains) for _ in train]
    return SpikeSourceArray(times=times, indices=ids)


def run_pairs(
    pre_times: list[list[float]],
    post_times: list[list[float]],
    synapse: SynapseModel,
    *,
    w_low: float,
    w_high: float,
    delay: float = 1 * ms,
    duration: float | None = None,
    seed: int = 1,
    monitor_interval: float | None = None,
) -> PairRun:
    """Synapse ``k`` sees presynaptic spikes at ``pre_times[k]`` and postsynaptic spikes one step
    after ``post_times[k]`` (a driver source forces them through a strong one-to-one synapse).

    Initial weights are uniform in ``[w_low, w_high]``; the postsynaptic neuron's threshold
    (10 mV) is far above any plastic weight used here, so only the driver makes it spike.
    """
    n = len(pre_times)
    net = Network(dt=DT, seed=seed)
    src = net.add_population(_source(pre_times), n, name="pre")
    drv = net.add_population(_source(post_times), n, name="driver")
    post = net.add_population(
        LIFDelta(tau_m=10 * ms, e_l=0.0, v_th=10 * mV, v_reset=0.0, t_ref=0.0),
        n,
        name="post",
        init={"v": 0.0},
    )
    net.connect(drv, post, rule=OneToOne(), weight=20 * mV, delay=DT)
    q = net.connect(
        src,
        post,
        rule=OneToOne(),
        weight=Uniform(low=w_low, high=w_high),
        delay=delay,
        synapse=synapse,
    )
    m_pre, m_post = net.record_spikes(src), net.record_spikes(post)
    mon = None
    if monitor_interval is not None:
        mon = net.record_weights(q, interval=monitor_interval)
    w0 = q.weights()
    last = max(max((max(t) for t in tr if t), default=0.0) for tr in (pre_times, post_times))
    net.run(duration if duration is not None else round((last + 150 * ms) / DT) * DT)
    # monitors stamp a spike emitted in step s with s + 1; the synapse sees it at step s
    pre_steps = [m_pre.steps[m_pre.indices == k] - 1 for k in range(n)]
    post_steps = [m_post.steps[m_post.indices == k] - 1 for k in range(n)]
    return PairRun(net, q, w0, pre_steps, post_steps, round(delay / DT), mon)


# ---------------------------------------------------------------- the reference


def dependence_steps(
    kind: str, learning_rate: float, alpha: float, w_max: float, mu: float = 0.0
) -> tuple[Callable[[float, float], float], Callable[[float, float], float]]:
    """(potentiate(w, x), depress(w, y)) written out from the papers' formulas."""
    lam = learning_rate
    if kind == "additive":
        return (
            lambda w, x: min(w + lam * w_max * x, w_max),
            lambda w, y: max(w - alpha * lam * w_max * y, 0.0),
        )
    if kind == "multiplicative":
        return (
            lambda w, x: min(w + lam * (w_max - w) * x, w_max),
            lambda w, y: max(w - alpha * lam * w * y, 0.0),
        )
    return (
        lambda w, x: min(w + lam * w_max * (1 - w / w_max) ** mu * x, w_max),
        lambda w, y: max(w - alpha * lam * w_max * (w / w_max) ** mu * y, 0.0),
    )


def trace_at(spikes: list[int], step: int, tau: float, pairing: str) -> float:
    """Trace of ``spikes`` (steps) read at ``step``, excluding spikes at ``step`` itself."""
    earlier = [s for s in spikes if s < step]
    if not earlier:
        return 0.0
    if pairing == "nearest":
        return math.exp(-(step - max(earlier)) * DT / tau)
    return sum(math.exp(-(step - s) * DT / tau) for s in earlier)


def pair_rule_reference(
    pre: np.ndarray,
    arrivals: np.ndarray,
    w0: float,
    *,
    tau_plus: float,
    tau_minus: float,
    pairing: str,
    potentiate: Callable[[float, float], float],
    depress: Callable[[float, float], float],
    until: int | None = None,
) -> float:
    """Weight after the events at steps ``< until``: postsynaptic arrivals before presynaptic
    spikes at a step (NEST's order), traces from earlier steps only."""
    events = sorted([(int(a), 0) for a in arrivals] + [(int(p), 1) for p in pre])
    w, seen_pre, seen_post = w0, [], []
    for step, kind in events:
        if until is not None and step >= until:
            break
        if kind == 0:
            w = potentiate(w, trace_at(seen_pre, step, tau_plus, pairing))
            seen_post.append(step)
        else:
            w = depress(w, trace_at(seen_post, step, tau_minus, pairing))
            seen_pre.append(step)
    return w


def triplet_reference(pre: np.ndarray, arrivals: np.ndarray, w0: float, rule: object) -> float:
    """Pfister & Gerstner (2006) Eqs. 2-3 event by event, traces decayed with exact exponentials
    between events (steps), postsynaptic arrivals first at a step."""
    events = sorted([(int(a), 0) for a in arrivals] + [(int(p), 1) for p in pre])
    w = w0
    r1 = r2 = o1 = o2 = 0.0
    last = None
    for step, kind in events:
        if last is not None:
            h = (step - last) * DT
            r1 *= math.exp(-h / rule.tau_plus)
            r2 *= math.exp(-h / rule.tau_x)
            o1 *= math.exp(-h / rule.tau_minus)
            o2 *= math.exp(-h / rule.tau_y)
        last = step
        nearest = rule.pairing == "nearest"
        if kind == 0:
            w = min(w + rule.w_ref * r1 * (rule.a2_plus + rule.a3_plus * o2), rule.w_max)
            o1, o2 = (1.0, 1.0) if nearest else (o1 + 1.0, o2 + 1.0)
        else:
            w = max(w - rule.w_ref * o1 * (rule.a2_minus + rule.a3_minus * r2), 0.0)
            r1, r2 = (1.0, 1.0) if nearest else (r1 + 1.0, r2 + 1.0)
    return w


@pytest.fixture
def pairs() -> Callable[..., PairRun]:
    """:func:`run_pairs`."""
    return run_pairs


@pytest.fixture
def reference() -> SimpleNamespace:
    """The event-driven references: ``dependence_steps``, ``trace_at``, ``pair_rule``,
    ``triplet``, and ``DT``."""
    return SimpleNamespace(
        dependence_steps=dependence_steps,
        trace_at=trace_at,
        pair_rule=pair_rule_reference,
        triplet=triplet_reference,
        DT=DT,
    )
