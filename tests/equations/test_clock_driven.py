"""Clock-driven synapse variables (decision 0018): the NMDA synapse as Brian2 users write it.

Brunel & Wang (2001, Eqs. 4-5) and Wang (2002) give each NMDA synapse a gating variable ``s``
driven by a fast variable ``x`` that jumps at each presynaptic spike::

    ds/dt = -s / tau_decay + alpha x (1 - s),    dx/dt = -x / tau_rise,    x += 1 at a spike

Brian2 scripts keep both per synapse as ``(clock-driven)`` variables and feed the target with a
``(summed)`` variable; :data:`NMDA` is that text unchanged.

References: Brunel & Wang (2001), J. Comput. Neurosci. 11:63-85; Wang (2002), Neuron
36:955-968.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from snn.core import Network, StateVar, SynapseModel
from snn.core.errors import ConfigurationError
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV
from snn.equations import EquationError, neuron_model, synapse_model
from snn.neurons import PoissonInput, SpikeSourceArray
from snn.synapses import FixedIndegree, OneToOne

NMDA_TEXT = """
w : 1
ds_nmda/dt = -s_nmda/tau_decay + alpha*x*(1 - s_nmda) : 1 (clock-driven)
dx/dt = -x/tau_rise : 1 (clock-driven)
s_nmda_tot_post = w * s_nmda : 1 (summed)
tau_decay : second
tau_rise : second
alpha : Hz
"""
#: Wang (2002)'s constants: decay 100 ms, rise 2 ms, alpha 0.5 / ms
GATE = dict(tau_decay=100 * ms, tau_rise=2 * ms, alpha=0.5 / ms)
NMDA = synapse_model("NMDA", NMDA_TEXT, on_pre="x += 1", defaults=GATE)
NMDA_RK4 = synapse_model("NMDA_RK4", NMDA_TEXT, on_pre="x += 1", defaults=GATE, method="rk4")

#: a neuron that integrates its NMDA input (``q`` is the gating's time integral in ms)
READOUT = neuron_model(
    "READOUT",
    """
    dq/dt = s_nmda_tot / ms : 1
    s_nmda_tot : 1
    """,
    currents=["s_nmda_tot"],
)

#: a LIF neuron with Brunel & Wang's NMDA conductance (Mg block left out) and a spike receptor
LIF_NMDA = neuron_model(
    "LIF_NMDA",
    """
    dv/dt = (-(v - V_L) - g_rel * (v - V_E) * s_nmda_tot) / tau_m : volt
    s_nmda_tot : 1
    V_L : volt
    V_E : volt
    V_th : volt
    tau_m : second
    g_rel : 1
    """,
    threshold="v > V_th",
    reset="v = V_L",
    on_spike={"syn": "v += w"},
    currents=["s_nmda_tot"],
    initial={"v": "V_L"},
    defaults=dict(V_L=-70 * mV, V_E=0.0, V_th=-50 * mV, tau_m=20 * ms, g_rel=0.05),
)

SPIKES = np.array([10, 30, 50, 70, 90]) * ms


def gating(model: type, dt: float, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``s_nmda`` and ``x`` of one synapse driven at :data:`SPIKES`, read at ``samples`` [s]."""
    net = Network(dt=dt)
    src = net.add_population(SpikeSourceArray(times=SPIKES, indices=np.zeros(SPIKES.size, int)), 1)
    post = net.add_population(READOUT(), 1)
    proj = net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=model())
    s, x = [], []
    for t in samples:
        net.run(t - net.t)
        s.append(proj.get("s_nmda")[0])
        x.append(proj.get("x")[0])
    return np.array(s), np.array(x)


def reference(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same equations by scipy's DOP853 (rtol 1e-12) between spikes, ``x += 1`` at each."""
    from scipy.integrate import solve_ivp

    def rhs(_t, y):
        s, x = y
        return [-s / GATE["tau_decay"] + GATE["alpha"] * x * (1 - s), -x / GATE["tau_rise"]]

    y = np.zeros(2)
    out = np.empty((2, samples.size))
    bounds = [0.0, *SPIKES, samples[-1] + 1e-3]
    for k in range(len(bounds) - 1):
        inside = (samples >= bounds[k]) & (samples < bounds[k + 1])
        t_eval = np.append(samples[inside], bounds[k + 1])
        sol = solve_ivp(rhs, bounds[k : k + 2], y, method="DOP853", rtol=1e-12, atol=1e-15,
                        t_eval=t_eval)  # fmt: skip
        out[:, inside] = sol.y[:, :-1]
        y = sol.y[:, -1].copy()
        y[1] += 1.0
    return out[0], out[1]


def test_brian2_text_gets_exponential_euler_and_per_synapse_variables():
    # alpha x (1 - s) is linear in s with a coefficient that varies (x): conditionally linear,
    # exponential Euler, as for a neuron model (snn.equations._methods)
    assert NMDA.info.method == "exponential_euler"
    assert dict(NMDA.info.variables) == {"s_nmda": "clock", "x": "clock"}
    assert NMDA.clock_variables == ("s_nmda", "x")
    assert NMDA_RK4.info.method == "rk4" and NMDA_RK4.info.method_reason == "requested"


def test_gating_follows_the_equations():
    """Samples every 2 ms over 150 ms. ``x`` is integrated exactly (its own linear block):
    equal to its closed form to round-off. ``s`` by exponential Euler holds ``x`` over each
    step: first order against scipy, the error halves with dt; RK4 (``method='rk4'``) is far
    closer."""
    samples = np.arange(1, 76) * 2 * ms
    s_ref, _ = reference(samples)
    since = samples[:, None] - SPIKES[None, :]
    x_exact = np.where(since >= 0, np.exp(-np.maximum(since, 0) / GATE["tau_rise"]), 0).sum(1)
    errors = []
    for dt in (0.1 * ms, 0.05 * ms):
        s, x = gating(NMDA, dt, samples)
        # x: a product of up to 3000 factors exp(-dt / tau_rise): round-off only
        assert np.allclose(x, x_exact, rtol=1e-10, atol=0)
        errors.append(np.abs(s - s_ref).max())
    # the five spikes at 50 Hz drive s to 0.87 (saturating: each adds less)
    assert 0.8 < s_ref.max() < 0.9
    # measured 8.9e-3 and 4.5e-3 (1.0 % of the peak at dt = 0.1 ms): s rises within 2 ms
    # after each spike while x is held over the step
    assert errors[0] < 0.0125 * s_ref.max()
    assert np.log2(errors[0] / errors[1]) == pytest.approx(1.0, abs=0.05)
    s4, _ = gating(NMDA_RK4, 0.1 * ms, samples)
    # RK4 with x exact at the stage times: measured 5.1e-9 (3.3e-10 at 0.05 ms: fourth order)
    assert np.abs(s4 - s_ref).max() < 1e-8


def test_spike_is_in_the_state_at_its_time_stamp():
    """A spike stamped t0 has x += 1 at t0: x(t) = sum exp(-(t - t_k) / tau_rise) exactly."""
    net = Network(dt=0.1 * ms)
    times = np.array([1.0, 3.0]) * ms
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(2, int)), 1)
    post = net.add_population(READOUT(), 1)
    proj = net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=NMDA())
    net.run(0.9 * ms)
    assert proj.get("x")[0] == 0.0
    net.run(0.1 * ms)
    assert proj.get("x")[0] == 1.0  # the state at 1 ms holds the spike stamped 1 ms
    net.run(9 * ms)
    expected = np.exp(-(10 * ms - times) / GATE["tau_rise"]).sum()
    assert proj.get("x")[0] == pytest.approx(expected, rel=1e-12)


def test_set_get_and_reset_of_clock_driven_variables():
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[], indices=[]), 3)
    post = net.add_population(READOUT(), 3)
    proj = net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=NMDA())
    proj.set(x=[1.0, 2.0, 4.0])
    proj.set(s_nmda=0.5, pre=[2])
    assert np.array_equal(proj.get("s_nmda"), [0.0, 0.0, 0.5])
    net.run(1 * ms)
    # x decays exactly: x0 exp(-1 ms / 2 ms) after ten steps of exp(-0.05)
    assert proj.get("x") == pytest.approx(np.array([1.0, 2.0, 4.0]) * np.exp(-0.5), rel=1e-12)
    assert proj.get("s_nmda")[0] > 0.0
    with pytest.raises(ConfigurationError, match="finite"):
        proj.set(x=np.nan)
    with pytest.raises(ConfigurationError, match="one per"):
        proj.set(x=[1.0, 2.0])
    proj.set(x=3.0)  # set after t = 0: state, which a reset does not keep
    net.reset()
    # values set at t = 0 come back, as for neuron state
    assert np.array_equal(proj.get("x"), [1.0, 2.0, 4.0])
    assert np.array_equal(proj.get("s_nmda"), [0.0, 0.0, 0.5])


def test_on_post_changes_a_clock_driven_variable_at_the_spike_time():
    """``c`` counts time since the target's last spike (``dc/dt = 1/ms``, ``c = 0`` on_post).
    The target spikes when its ramp ``v`` passes 5 (every 5.1 ms: at 5.1, 10.2, ...)."""
    since = synapse_model(
        "SINCE",
        """
        w : 1
        dc/dt = 1 / ms : 1 (clock-driven)
        s_nmda_tot_post = 0 * w * c : 1 (summed)
        """,
        on_post="c = 0",
    )
    ramp = neuron_model(
        "RAMP",
        """
        dv/dt = 1 / ms : 1
        s_nmda_tot : 1
        """,
        threshold="v > 5",
        reset="v = 0",
        currents=["s_nmda_tot"],
    )
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[], indices=[]), 1)
    post = net.add_population(ramp(), 1)
    spikes = net.record_spikes(post)
    proj = net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=since())
    net.run(12 * ms)
    last = spikes.times[-1]
    assert spikes.times == pytest.approx([5.1 * ms, 10.2 * ms])
    # c = 0 at the spike's stamp, then it grows 1 per ms: (12 - 10.2) ms -> 1.8
    assert proj.get("c")[0] == pytest.approx((12 * ms - last) / ms, rel=1e-9)


def nmda_network(threads: int = 1, parallel: bool | None = None, weight: float = 1.0):
    """200 LIF neurons with Poisson drive and recurrent NMDA synapses (20 per neuron)."""
    net = Network(dt=0.1 * ms, seed=3, threads=threads, parallel=parallel)
    pop = net.add_population(LIF_NMDA(), 200, init={"v": Uniform(low=-70 * mV, high=-50 * mV)})
    net.add_drive(PoissonInput(rate=2400 * Hz, weight=1 * mV, receptor="syn"), pop)
    weights = Uniform(low=0.5 * weight, high=1.5 * weight)
    proj = net.connect(pop, pop, rule=FixedIndegree(indegree=20), weight=weights, synapse=NMDA())
    return net, pop, net.record_spikes(pop), proj


def test_network_identical_on_one_and_two_threads(one_and_two_threads):
    (_, _, ref_mon, ref_proj), (_, _, _, proj) = one_and_two_threads(nmda_network, 0.2)
    assert ref_mon.n_spikes > 500
    for name in ("s_nmda", "x"):
        assert np.array_equal(ref_proj.get(name), proj.get(name))
    # the NMDA input acts: without it (weights 0) the neurons spike otherwise
    off, _, off_mon, _ = nmda_network(weight=0.0)
    off.run(0.2)
    assert off_mon.n_spikes < 0.9 * ref_mon.n_spikes


def test_store_restore_and_checkpoint_continue_exactly(continues_exactly):
    continues_exactly(nmda_network, ["s_nmda"], [LIF_NMDA, NMDA], 0.1, 0.05, 0.05)


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations: about 20 s here
def test_network_identical_on_one_and_two_ranks(spikes_on_ranks):
    build = "from test_clock_driven import nmda_network\nnet, pop, mon, proj = nmda_network()\n"
    assert spikes_on_ranks(build, Path(__file__).parent, 0.1) > 200


def error(model: str, **kw) -> EquationError:
    with pytest.raises(EquationError) as info:
        synapse_model("S", model, **kw)
    return info.value


@pytest.mark.parametrize(
    ("model", "kw", "place", "fragment"),
    [
        # on_pre of a synapse with clock-driven variables reads the source neuron
        ("w : 1\ndx/dt = -x / (5 * ms) : 1 (clock-driven)", {"on_pre": "g += w * x * v_pre"},
         ("on_pre", 1, 14), "not the source's"),
        # a summed variable reading a variable of another projection's synapses
        (NMDA_TEXT.replace("w * s_nmda :", "w * s_ampa :"), {}, ("model", 5, 23), "s_ampa"),
        # unit mismatch in a clock-driven equation (alpha x is a rate, tau_rise a time)
        (NMDA_TEXT.replace("-x/tau_rise", "-x*tau_rise"), {}, ("model", 4, 9), "unit mismatch"),
        # exact integration of the nonlinear gating
        (NMDA_TEXT, {"method": "exact"}, ("model", 3, 34), "method 'exact'"),
        # a coupling's on_pre changes synapse variables only
        (NMDA_TEXT, {"on_pre": "x += 1\nge += w"}, ("on_pre", 2, 1), "not a variable of the syn"),
        # a misspelt clock-driven variable in on_pre
        (NMDA_TEXT, {"on_pre": "s_nmad = 0"}, ("on_pre", 1, 1), "did you mean `s_nmda`"),
        # event-driven variables beside a summed variable
        (NMDA_TEXT + "dy/dt = -y / tau_rise : 1 (event-driven)", {}, ("model", 9, 2),
         "make the equation (clock-driven)"),
        # an initial value of another unit
        (NMDA_TEXT, {"initial": {"x": "tau_rise"}}, ("initial['x']", 1, 1), "unit mismatch"),
    ],
)  # fmt: skip
def test_errors_name_line_and_column(model, kw, place, fragment):
    e = error(model, **kw)
    assert (e.where, e.line, e.column) == place, str(e)
    assert fragment in str(e)


def test_neuron_variable_units_are_checked_when_connecting():
    reads_v = synapse_model(
        "READS_V",
        """
        w : 1
        dx/dt = -x / (2 * ms) + v_post / second : 1 (clock-driven)
        s_nmda_tot_post = w * x : 1 (summed)
        """,
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIF_NMDA(), 2)
    with pytest.raises(EquationError, match="unit mismatch") as info:
        net.connect(pop, pop, rule=OneToOne(), weight=1.0, synapse=reads_v())
    assert (info.value.line, info.value.column) == (3, 33)  # at `v_post / second`


def test_weight_monitor_of_a_coupling_whose_spikes_change_the_weight():
    growing = synapse_model("GROWING", "w : 1\ns_nmda_tot_post = w : 1 (summed)", on_pre="w += 0.5")
    net = Network(dt=0.1 * ms)
    times = np.array([1.0, 2.0]) * ms
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(2, int)), 1)
    post = net.add_population(READOUT(), 1)
    proj = net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=growing())
    mon = net.record_weights(proj)
    net.run(3 * ms)
    rec = mon.record()
    # a sample holds the spikes stamped at its time: 1 before 1 ms, 1.5 from it, 2 from 2 ms
    expected = 1.0 + 0.5 * (rec.times >= 1 * ms - 1e-12) + 0.5 * (rec.times >= 2 * ms - 1e-12)
    assert np.array_equal(rec.weights[:, 0], expected)
    # q integrates the summed weight: 1 ms at 1, 1 ms at 1.5 and 1 ms at 2
    assert post.get("q")[0] == pytest.approx(4.5, rel=1e-12)


def _decay(g, k):
    return (g * k,)


def _current(w, g):
    return w * g


def _add(w, g):
    return w, g + 1.0, 0.0


@dataclass(frozen=True, kw_only=True)
class HandWritten(SynapseModel):
    """The protocol without equations: ``g`` per synapse decays by ``k`` per step."""

    synapse_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("g", "1"),)
    clock_variables: ClassVar[tuple[str, ...]] = ("g",)
    couples: ClassVar[bool] = True

    def constants(self, dt: float) -> dict[str, Any]:
        return {"k": 0.5}

    def coupling_function(self) -> Callable[..., Any] | None:
        return _current if self.couples else None

    def clock_function(self) -> Callable[..., Any] | None:
        return _decay

    def on_pre_function(self) -> Callable[..., Any] | None:
        return _add


class NotCoupling(HandWritten):
    """The same variable in synapses that act at spikes: ``on_pre`` sends 0."""

    couples: ClassVar[bool] = False


class NoRules(NotCoupling):
    def on_pre_function(self) -> Callable[..., Any] | None:
        return None


class StrayName(HandWritten):
    clock_variables: ClassVar[tuple[str, ...]] = ("h",)


def test_protocol_clock_function_and_its_checks():
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[0.5 * ms], indices=[0]), 1)
    post = net.add_population(READOUT(), 1)
    proj = net.connect(src, post, rule=OneToOne(), weight=2.0, synapse=HandWritten())
    net.run(1 * ms)
    # g = 1 at 0.5 ms, halved at each of the five steps to 1 ms
    assert proj.get("g")[0] == 0.5**5
    # each step from 0.5 ms adds w g dt / ms to q, g = 1, 1/2, ..., 1/16 (its start values)
    assert post.get("q")[0] == pytest.approx(0.1 * 2 * (2 - 0.5**4), rel=1e-12)
    # without a coupling function (synapses acting at spikes) g is advanced all the same
    # (decision 0030): the same halving per step from the spike on
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[0.5 * ms], indices=[0]), 1)
    post = net.add_population(READOUT(), 1)
    spiking = net.connect(src, post, rule=OneToOne(), weight=2.0, receptor="s_nmda_tot",
                          synapse=NotCoupling())  # fmt: skip
    net.run(1 * ms)
    assert spiking.get("g")[0] == 0.5**5
    for model, fragment in ((NoRules(), "neither a coupling_function"), (StrayName(), "must name")):
        with pytest.raises(ConfigurationError, match=fragment):
            net.connect(src, post, rule=OneToOne(), weight=1.0, receptor="s_nmda_tot",
                        synapse=model)  # fmt: skip


def test_clock_driven_variable_reading_neuron_variables():
    """``dg/dt = ((v_post - v_pre) / mV - g) / (2 ms)`` with held potentials relaxes exactly to
    the difference in mV: ``g(t) = d (1 - exp(-t / 2 ms))`` (exact method, inputs held)."""
    relax = synapse_model(
        "RELAX",
        """
        w : 1
        dg/dt = ((v_post - v_pre) / mV - g) / (2 * ms) : 1 (clock-driven)
        s_nmda_tot_post = w * g : 1 (summed)
        """,
    )
    held = neuron_model("HELD_V", "dv/dt = 0 * volt / second : volt\ns_nmda_tot : 1",
                        currents=["s_nmda_tot"])  # fmt: skip
    assert relax.info.method == "exact"
    net = Network(dt=0.1 * ms)
    pre = net.add_population(held(), 2, init={"v": np.array([1.0, -2.0]) * mV})
    post = net.add_population(held(), 2, init={"v": np.array([4.0, 3.0]) * mV})
    proj = net.connect(pre, post, rule=OneToOne(), weight=1.0, synapse=relax())
    net.run(3 * ms)
    expected = np.array([3.0, 5.0]) * (1 - np.exp(-1.5))
    assert proj.get("g") == pytest.approx(expected, rel=1e-12)
