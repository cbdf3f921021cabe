"""The event loop: reproducibility, chunking, Ctrl-C, NaN detection, monitors, user models."""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest

from snn.core import (
    ConfigurationError,
    Network,
    NeuronModel,
    Receptor,
    SimulationError,
    StateVar,
)
from snn.core.random import Normal
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, PoissonSource
from snn.synapses import FixedIndegree, PairwiseBernoulli


def small_brunel(seed: int, dtype: str = "float64") -> tuple[Network, list]:
    """A 500-neuron Brunel network (delays of 15 steps, Poisson drive)."""
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    e = net.add_population(model, 400, name="E", init={"v": Normal(mean=5 * mV, std=3 * mV)})
    i = net.add_population(model, 100, name="I")
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=40), weight=0.1 * mV, delay=1.5 * ms)
        net.connect(i, post, rule=FixedIndegree(indegree=10), weight=-0.5 * mV, delay=1.5 * ms)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), post)
    return net, [net.record_spikes(e), net.record_spikes(i)]


def spikes_of(monitors) -> np.ndarray:
    return np.concatenate([np.stack([m.steps, m.senders], 1) for m in monitors])


def test_same_seed_same_spikes_other_seed_different():
    a, ma = small_brunel(7)
    b, mb = small_brunel(7)
    c, mc = small_brunel(8)
    for net in (a, b, c):
        net.run(0.2)
    sa, sb, sc = spikes_of(ma), spikes_of(mb), spikes_of(mc)
    assert sa.shape[0] > 1000
    assert np.array_equal(sa, sb)
    assert not np.array_equal(sa[: min(len(sa), len(sc))], sc[: min(len(sa), len(sc))])


def test_results_independent_of_chunking():
    a, ma = small_brunel(3)
    b, mb = small_brunel(3)
    a.run(0.2)
    for _ in range(8):
        b.run(0.025)
    assert np.array_equal(spikes_of(ma), spikes_of(mb))
    for pa, pb in zip(a.populations, b.populations, strict=True):
        assert np.array_equal(pa.state["v"], pb.state["v"])


def test_ctrl_c_stops_at_chunk_boundary_and_run_can_go_on():
    net, mons = small_brunel(11)
    net.run(1 * ms)  # compile first, so that the signal lands while simulating
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt, match="call run"):
            net.run(100.0)  # would take far longer than 0.3 s
    finally:
        timer.cancel()
    stopped = net.step
    assert 10 < stopped < 1_000_000
    net.run(50 * ms)
    ref, mref = small_brunel(11)
    ref.run(net.step * net.dt)
    assert ref.step == net.step
    assert np.array_equal(spikes_of(mons), spikes_of(mref))


@dataclass(frozen=True, kw_only=True)
class Exploding(NeuronModel):
    """dv/dt = v**2 / (tau * v0): finite-time blow-up at t = tau (forward Euler)."""

    tau: float = 10 * ms
    v0: float = 1 * mV

    state_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("v", "V"),)
    receptors: ClassVar[tuple[Receptor, ...]] = ()

    def step_function(self) -> Any:
        return exploding_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {"rate": dt / (self.tau * self.v0)}


def exploding_step(v, rate):
    return v + rate * v * v, False


def test_nonfinite_state_stops_with_population_neuron_variable_and_time():
    net = Network(dt=0.1 * ms)
    pop = net.add_population(Exploding(), 4, name="boom", init={"v": np.array([0, 0, 1, 0]) * mV})
    with pytest.raises(
        SimulationError,
        match=r"`v` of neuron 2 of population 'boom' became (inf|nan) during.*t = 0\.0",
    ):
        net.run(50 * ms)
    # stopped at the step of the blow-up (about tau = 10 ms), not at the end of the run
    assert net.t < 20 * ms
    assert not np.isfinite(pop.state["v"][2])


@dataclass(frozen=True, kw_only=True)
class MyLIF(NeuronModel):
    """A user-written delta LIF, same equations as LIFDelta (exact, no refractoriness)."""

    tau_m: float = 20 * ms
    v_th: float = 20 * mV
    v_reset: float = 10 * mV

    state_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("v", "V"),)
    receptors: ClassVar[tuple[Receptor, ...]] = (Receptor("syn", "V"),)

    def step_function(self) -> Any:
        return my_lif_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "decay": float(np.exp(-dt / self.tau_m)),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
        }


def my_lif_step(v, syn, decay, v_th, v_reset):
    v = v * decay + syn
    spiked = v >= v_th
    return (v_reset if spiked else v), spiked


def test_user_model_matches_builtin():
    def build(model):
        net = Network(dt=0.1 * ms, seed=2)
        pop = net.add_population(model, 200, init={"v": Normal(mean=10 * mV, std=5 * mV)})
        net.connect(pop, pop, rule=PairwiseBernoulli(p=0.1), weight=0.2 * mV, delay=1 * ms)
        net.add_drive(PoissonInput(rate=12000 * Hz, weight=0.1 * mV), pop)
        return net, net.record_spikes(pop)

    a, ma = build(MyLIF())
    b, mb = build(LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=0.0))
    a.run(0.3)
    b.run(0.3)
    assert ma.n_spikes > 100
    assert np.array_equal(ma.steps, mb.steps) and np.array_equal(ma.senders, mb.senders)


def test_step_function_with_unknown_argument_refused():
    @dataclass(frozen=True, kw_only=True)
    class Bad(MyLIF):
        def step_function(self) -> Any:
            return lambda v, syn, nonsense: (v, False)

    with pytest.raises(ConfigurationError, match="nonsense"):
        Network().add_population(Bad(), 3)


def test_state_monitor_interval_and_rate_monitor():
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(PoissonSource(rate=500 * Hz), 1000)
    post = net.add_population(LIFDelta(e_l=0.0, v_th=1.0, v_reset=0.0), 3, init={"v": 0.0})
    net.connect(pop, post, rule=FixedIndegree(indegree=10), weight=0.01 * mV)
    st = net.record_state(post, "v", neurons=[0, 2], interval=1 * ms)
    rate = net.record_rate(pop)
    net.run(20 * ms)
    net.run(10 * ms)
    rec = st.record()
    assert np.allclose(rec.times, np.arange(1, 31) * 1 * ms)
    assert rec.values["v"].shape == (30, 2)
    assert list(rec.neurons) == [0, 2]
    r = rate.record()
    assert r.rate.shape == (300,)
    assert abs(r.rate.mean() - 500) < 5 * np.sqrt(500 / (1000 * 0.03))
    b = rate.binned(5 * ms)
    assert b.rate.shape == (6,) and np.isclose(b.rate.mean(), r.rate.mean())


def test_float32_network_runs_with_similar_rates():
    a, ma = small_brunel(5)
    b, mb = small_brunel(5, dtype="float32")
    a.run(0.3)
    b.run(0.3)
    assert b.populations[0].state["v"].dtype == np.float32
    ra, rb = ma[0].n_spikes, mb[0].n_spikes
    assert abs(ra - rb) < 0.05 * ra


def test_monitor_buffers_grow():
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(PoissonSource(rate=1000 * Hz), 2000)
    mon = net.record_spikes(pop)
    net.run(0.1)
    assert mon.n_spikes > 1 << 16  # beyond the initial capacity
    assert np.all(np.diff(mon.steps) >= 0)


def test_network_can_grow_between_runs_keeping_inputs_in_flight():
    net = Network(dt=0.1 * ms, seed=1)
    src = net.add_population(PoissonSource(rate=200 * Hz), 50)
    post = net.add_population(
        LIFDelta(e_l=0.0, v_th=1.0, v_reset=0.0, tau_m=1e3 * ms), 1, init={"v": 0.0}
    )
    net.connect(src, post, rule=FixedIndegree(indegree=50), weight=1 * mV, delay=1 * ms)
    sm = net.record_spikes(src)
    net.run(10 * ms)
    # a longer delay enlarges the ring buffer: inputs already scheduled must survive
    net.connect(src, post, rule=FixedIndegree(indegree=1), weight=0.0, delay=5 * ms)
    net.run(20 * ms)
    # every source spike up to 29 ms arrived (1 ms later) with 1 mV; V decays with tau 1 s
    n_arrived = int((sm.times <= 29 * ms + 1e-12).sum())
    assert post.state["v"][0] == pytest.approx(n_arrived * 1 * mV, rel=0.05)


def test_views_connect_like_separate_populations():
    """One population of 1000 with views [0:800] and [800:1000] gives the same spikes as
    separate E and I populations built with the same per-view rules."""
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)

    def split_net():
        net = Network(dt=0.1 * ms, seed=4)
        e = net.add_population(model, 800, name="E")
        i = net.add_population(model, 200, name="I")
        for post in (e, i):
            net.connect(e, post, rule=FixedIndegree(indegree=80), weight=0.1 * mV, delay=1.5 * ms)
            net.connect(i, post, rule=FixedIndegree(indegree=20), weight=-0.5 * mV, delay=1.5 * ms)
            net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), post)
        return net, net.record_spikes(e), net.record_spikes(i)

    def view_net():
        net = Network(dt=0.1 * ms, seed=4)
        pop = net.add_population(model, 1000, name="all")
        e, i = pop[:800], pop[800:]
        for post in (e, i):
            net.connect(e, post, rule=FixedIndegree(indegree=80), weight=0.1 * mV, delay=1.5 * ms)
            net.connect(i, post, rule=FixedIndegree(indegree=20), weight=-0.5 * mV, delay=1.5 * ms)
        net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), pop)
        return net, net.record_spikes(pop)

    a, me, mi = split_net()
    b, mall = view_net()
    a.run(0.1)
    b.run(0.1)
    # same connectivity (rules are keyed per view) ...
    for qa, qb in zip(a.projections, b.projections, strict=True):
        assert np.array_equal(qa.sources() - qa.pre.start, qb.sources() - qb.pre.start)
        assert np.array_equal(qa.targets(), qb.targets() - qb.post.start)
    # ... but different drives and population keys, so only the statistics agree
    rate_a = (me.n_spikes + mi.n_spikes) / 1000 / 0.1
    rate_b = mall.n_spikes / 1000 / 0.1
    assert abs(rate_a - rate_b) < 0.15 * rate_a
    # a view of scattered neurons can be recorded and driven, not connected
    every_other = b.populations[0][::2]
    with pytest.raises(ConfigurationError, match="not consecutive"):
        b.connect(every_other, every_other, rule=FixedIndegree(indegree=1), weight=0.1 * mV)


def test_html_summary_lists_the_parts():
    net, _ = small_brunel(1)
    html = net._repr_html_()
    for text in (
        "populations",
        "projections",
        "drives",
        "monitors",
        "LIFDelta",
        "FixedIndegree",
        "PoissonInput",
        "SpikeMonitor",
        "500 neurons",
    ):
        assert text in html


def test_every_runs_callbacks_on_the_step_grid_and_sees_the_state():
    net, mons = small_brunel(9)
    seen = []
    net.every(10 * ms, lambda n: seen.append((n.step, mons[0].n_spikes)))
    net.every(25 * ms, lambda n: seen.append((n.step, -1)))
    net.run(0.05)
    steps = [s for s, _ in seen]
    assert steps == [100, 200, 250, 300, 400, 500, 500]
    ref, mref = small_brunel(9)
    ref.run(0.05)
    assert np.array_equal(spikes_of(mons), spikes_of(mref))  # stopping changes nothing


def test_every_at_zero_runs_before_the_first_step_once_per_time():
    """Brian2's ``network_operation(dt=10*ms)`` acts at t = 0, 10, 20 ms of ``run(30*ms)`` and
    at 30 ms when the next run starts; snn calls at 30 ms at the end of the first run."""
    net, _ = small_brunel(9)
    seen = []
    net.every(10 * ms, lambda n: seen.append(n.step), at_zero=True)
    net.run(0.03)
    assert seen == [0, 100, 200, 300]
    net.run(0.01)  # ended at a multiple: not called again at the start of the next run
    assert seen == [0, 100, 200, 300, 400]
    net.reset()
    net.run(0.01)
    assert seen[-2:] == [0, 100]


def test_every_at_zero_sets_the_input_of_the_first_step():
    """A value set by the t = 0 call drives the first step, as one set before the run does."""
    from snn.equations import neuron_model

    model = neuron_model("M", "dv/dt = (I - v)/tau : 1\nI : 1\ntau : second", method="exact")
    runs = []
    for how in ("before", "at_zero"):
        net = Network(dt=0.1 * ms)
        pop = net.add_population(model(I=0.0, tau=10 * ms), 1)
        if how == "before":
            pop.set(I=1.0)
        else:
            net.every(10 * ms, lambda n, pop=pop: pop.set(I=1.0), at_zero=True)
        mon = net.record_state(pop, "v")
        net.run(0.005)
        runs.append(mon.record().values["v"][:, 0])
    # closed form of the exact propagator: v((k + 1) dt) = 1 - exp(-(k + 1) dt / tau)
    assert np.allclose(runs[1], 1 - np.exp(-np.arange(1, 51) * 0.01), rtol=1e-12, atol=0)
    assert np.array_equal(runs[0], runs[1])


def test_every_refuses_a_non_bool_at_zero():
    net, _ = small_brunel(9)
    with pytest.raises(ConfigurationError, match="at_zero"):
        net.every(10 * ms, lambda n: None, at_zero="yes")


@pytest.mark.parametrize("at_zero", [True, False])
def test_every_runs_once_per_time_when_a_spike_monitor_grows(at_zero):
    """20,000 neurons with a 15-step slice need more than the monitor's 65,536 first slots: the
    loop stops to grow it without advancing, and the callbacks due there must not run again
    (found by review)."""
    net = Network(dt=0.1 * ms, seed=1)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    pop = net.add_population(model, 20000)
    net.connect(pop, pop, rule=FixedIndegree(indegree=1), weight=0.1 * mV, delay=1.5 * ms)
    if not at_zero:
        net.add_drive(PoissonInput(rate=200000 * Hz, weight=0.5 * mV), pop)
    mon = net.record_spikes(pop)
    seen = []
    net.every(1 * ms, lambda n: seen.append(n.step), at_zero=at_zero)
    net.run(3 * ms if at_zero else 30 * ms)
    assert seen == list(range(0 if at_zero else 10, 31 if at_zero else 301, 10))
    assert at_zero or mon.n_spikes > 65536  # the monitor grew
