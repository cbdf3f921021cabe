"""User-written models run inside the fused loop, exactly like built-in ones.

* A user's adapting LIF (a few lines: parameters, state, receptors, a plain Python step
  function) matches the same step function run by plain Python, bit for bit.
* A user's copy of LIFCondExp (forward Euler) in the COBA benchmark network gives the built-in
  model's spikes exactly. Its speed is measured side by side by running this file as a script:
  ``uv run python tests/neurons/test_user_model.py [duration_s] [repeats]`` (not a timed test).
* The documented QIF example (examples/custom_qif.py) runs and agrees with its closed form.
"""

from __future__ import annotations

import math
import runpy
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from snn.core import ConfigurationError, Network, NeuronModel, Receptor, StateVar
from snn.core.random import Normal
from snn.core.units import ms, mV, nS, pA, pF
from snn.neurons import DCSource, LIFCondExp, SpikeSourceArray
from snn.synapses import PairwiseBernoulli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# ---------------------------------------------------------------------------------------------
# a user's model: LIF with spike-triggered adaptation current, exact decay of V and of a


def adapt_step(v, a, refr, syn, current, p_v, p_a, e_l, gain, v_th, v_reset, jump, ref_steps):
    active = refr == 0
    v_free = e_l + (v - e_l) * p_v + gain * (current - a) + syn
    v_new = v_free if active else v_reset
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        a * p_a + (jump if spiked else 0.0),
        (ref_steps if spiked else (refr if active else refr - 1)),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class AdaptingLIF(NeuronModel):
    tau_m: float = 20 * ms
    c_m: float = 250 * pF
    e_l: float = -70 * mV
    v_th: float = -50 * mV
    v_reset: float = -65 * mV
    tau_a: float = 100 * ms
    jump: float = 30 * pA
    t_ref: float = 2 * ms

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V"),
        StateVar("a", "A", doc="adaptation current"),
        StateVar("refr", "steps", "int"),
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("syn", "V"),
        Receptor("current", "A", kind="current"),
    )

    def step_function(self) -> Any:
        return adapt_step

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, "a": 0.0, "refr": 0}

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "p_v": math.exp(-dt / self.tau_m),
            "p_a": math.exp(-dt / self.tau_a),
            "e_l": self.e_l,
            # current held over the step, through the exact membrane propagator
            "gain": self.tau_m / self.c_m * -math.expm1(-dt / self.tau_m),
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "jump": self.jump,
            "ref_steps": round(self.t_ref / dt),
        }


def test_user_model_runs_in_the_loop_and_matches_plain_python():
    dt, n_steps = 0.1 * ms, 2000
    model = AdaptingLIF()
    stamps = np.array([20.0, 20.5, 21.0, 80.0, 80.2]) * ms
    net = Network(dt=dt)
    src = net.add_population(SpikeSourceArray(times=stamps, indices=[0] * len(stamps)), 1)
    pop = net.add_population(model, 2, init={"v": np.array([-70.0, -60.0]) * mV})
    net.connect(src, pop, rule=PairwiseBernoulli(p=1.0), weight=4 * mV)
    net.add_drive(DCSource(amplitude=350 * pA, start=50 * ms), pop)
    mon = net.record_state(pop, ["v", "a"])
    spikes = net.record_spikes(pop)
    net.run(n_steps * dt)
    assert spikes.n_spikes > 5

    # the same step function, called by Python: every input known in advance
    c = model.constants(dt)
    arrive = {round(s / dt) for s in stamps}  # stamp k (= step k - 1) arrives in step k
    v, a, refr = [-70 * mV, -60 * mV], [0.0, 0.0], [0, 0]
    trace, fired = [], []
    for k in range(n_steps):
        syn = 4 * mV if k in arrive else 0.0
        cur = 350 * pA if k * dt >= 50 * ms - 1e-12 else 0.0
        for i in range(2):
            v[i], a[i], refr[i], sp = adapt_step(v[i], a[i], refr[i], syn, cur, **c)
            if sp:
                fired.append((k + 1, i))
        trace.append(list(v))
    assert np.array_equal(mon.record().values["v"], np.array(trace))  # bit for bit
    assert sorted(zip(spikes.steps, spikes.senders - pop.first_id, strict=True)) == sorted(fired)


# ---------------------------------------------------------------------------------------------
# a user's copy of LIFCondExp with forward Euler (the operations of the built-in, in its order;
# the built-in also adds i_e + current = 0, which changes no bit)


def user_cond_euler_step(
    v, g_ex, g_in, refr, exc, inh, dt, g_l, e_l, e_ex, e_in, inv_c, q_ex, q_in, v_th, v_reset, ref
):
    v_free = v + dt * ((g_l * (e_l - v) + g_ex * (e_ex - v) + g_in * (e_in - v)) * inv_c)
    active = refr == 0
    v_new = v_free if active else v_reset
    spiked = active & (v_new >= v_th)
    return (
        (v_reset if spiked else v_new),
        g_ex * q_ex + exc,
        g_in * q_in + inh,
        (ref if spiked else (refr if active else refr - 1)),
        spiked,
    )


@dataclass(frozen=True, kw_only=True)
class UserCondEuler(NeuronModel):
    """A user's LIFCondExp with forward Euler: COBA's neuron, written in 30 lines."""

    c_m: float = 200 * pF
    g_l: float = 10 * nS
    e_l: float = -60 * mV
    v_th: float = -50 * mV
    v_reset: float = -60 * mV
    t_ref: float = 5 * ms
    e_ex: float = 0 * mV
    e_in: float = -80 * mV
    tau_ex: float = 5 * ms
    tau_in: float = 10 * ms

    state_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("v", "V"),
        StateVar("g_ex", "S"),
        StateVar("g_in", "S"),
        StateVar("refr", "steps", "int"),
    )
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("exc", "S", +1),
        Receptor("inh", "S", +1),
    )

    def step_function(self) -> Any:
        return user_cond_euler_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "g_l": self.g_l,
            "e_l": self.e_l,
            "e_ex": self.e_ex,
            "e_in": self.e_in,
            "inv_c": 1.0 / self.c_m,
            "q_ex": 1.0 - dt / self.tau_ex,
            "q_in": 1.0 - dt / self.tau_in,
            "v_th": self.v_th,
            "v_reset": self.v_reset,
            "ref": round(self.t_ref / dt),
        }


def coba(model: NeuronModel, *, scale: float = 1.0, seed: int = 1) -> tuple[Network, Any]:
    """COBA as in snn-bench (BENCHMARK_MODELS.md): one population, E/I views, p = 0.02."""
    net = Network(dt=0.1 * ms, seed=seed)
    init = {
        "v": Normal(mean=-65 * mV, std=5 * mV),
        "g_ex": Normal(mean=40 * nS, std=15 * nS),
        "g_in": Normal(mean=200 * nS, std=120 * nS),
    }
    n_e, n_i = round(3200 * scale), round(800 * scale)
    pop = net.add_population(model, n_e + n_i, name="P", init=init)
    rule = PairwiseBernoulli(p=0.02)
    net.connect(pop[:n_e], pop, rule=rule, weight=6 * nS, receptor="exc")
    net.connect(pop[n_e:], pop, rule=rule, weight=67 * nS, receptor="inh")
    return net, net.record_spikes(pop)


BUILTIN = LIFCondExp(
    c_m=200 * pF, g_l=10 * nS, e_l=-60 * mV, v_th=-50 * mV, v_reset=-60 * mV, t_ref=5 * ms,
    e_ex=0 * mV, e_in=-80 * mV, tau_syn_ex=5 * ms, tau_syn_in=10 * ms, method="euler",
)  # fmt: skip


def test_user_copy_of_lif_cond_exp_gives_the_builtin_spikes_in_coba():
    spikes = []
    for model in (UserCondEuler(), BUILTIN):
        net, mon = coba(model, scale=0.5)
        net.run(0.2)
        spikes.append((mon.steps.copy(), mon.senders.copy()))
    assert spikes[0][0].size > 1000  # self-sustained activity
    assert np.array_equal(spikes[0][0], spikes[1][0])
    assert np.array_equal(spikes[0][1], spikes[1][1])


# ---------------------------------------------------------------------------------------------
# the documented example


def test_custom_qif_example_runs_and_matches_its_closed_form(capsys):
    module = runpy.run_path(str(EXAMPLES / "custom_qif.py"))
    rates = module["main"](0.3)
    out = capsys.readouterr().out
    assert "QIF network rate" in out
    # forward Euler at dt = 0.01 ms against the exact period (19 ms): the reset at the end of
    # the step adds up to one step per interval, Euler's error near the blow-up a little more
    assert rates["single"] == pytest.approx(rates["predicted"], rel=0.01)
    assert 1.0 < rates["network"] < 100.0


@pytest.mark.slow  # compiles a loop for every model: about a minute
def test_neuron_responses_example_writes_its_figure(tmp_path):
    sys_argv = sys.argv
    sys.argv = ["neuron_responses.py", str(tmp_path), "--duration", "0.05"]
    try:
        runpy.run_path(str(EXAMPLES / "neuron_responses.py"), run_name="__main__")
    finally:
        sys.argv = sys_argv
    png = tmp_path / "neuron_responses.png"
    assert png.exists() and png.stat().st_size > 10_000


# ---------------------------------------------------------------------------------------------
# benchmark (not a test): the user's copy against the built-in, alternating runs


def _benchmark(duration: float, repeats: int) -> None:
    times: dict[str, list[float]] = {"user": [], "builtin": []}
    for _ in range(repeats + 1):  # the first round compiles and is discarded
        for name, model in (("user", UserCondEuler()), ("builtin", BUILTIN)):
            net, _ = coba(model)
            net.run(0.01)
            t0 = time.perf_counter()
            net.run(duration)
            times[name].append(time.perf_counter() - t0)
    user = statistics.median(times["user"][1:])
    builtin = statistics.median(times["builtin"][1:])
    print(f"COBA {duration} s, {repeats} alternating runs each, medians:")
    print(f"  user-written LIFCondExp (Euler): {user:.4f} s")
    print(f"  built-in LIFCondExp (Euler):     {builtin:.4f} s")
    print(f"  ratio user / built-in:           {user / builtin:.3f}")


if __name__ == "__main__":
    _benchmark(
        float(sys.argv[1]) if len(sys.argv) > 1 else 2.0,
        int(sys.argv[2]) if len(sys.argv) > 2 else 7,
    )


def two_current_step(v, syn, decays):  # pragma: no cover - compiled
    # two current-like variables folded into v: decays[0] on v, decays[1] on the input
    return v * decays[0] + syn * decays[1], False


@dataclass(frozen=True, kw_only=True)
class TwoDecays(NeuronModel):
    """A model whose ``taus`` is one sequence for the whole model (NEST's glif_psc keeps its
    synaptic and after-spike-current time constants so)."""

    taus: tuple[float, ...] = (10e-3, 2e-3)
    model_sequences: ClassVar[frozenset[str]] = frozenset({"taus"})
    state_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("v", "V"),)
    receptors: ClassVar[tuple[Receptor, ...]] = (Receptor("syn", "V", 0, "jumps"),)

    def step_function(self) -> Any:
        return two_current_step

    def constants(self, dt: float) -> dict[str, Any]:
        return {"decays": tuple(math.exp(-dt / t) for t in self.taus)}


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_model_sequence_is_not_read_per_neuron(n):
    """Found porting NEST's glif_psc_neuron: a tuple field was one value per neuron (refused
    for a population of one neuron, taken per neuron for two)."""
    net = Network(dt=0.1 * ms)
    pop = net.add_population(TwoDecays(), n, init={"v": 1.0})
    net.run(1 * ms)
    np.testing.assert_allclose(pop.get("v"), np.exp(-1 * ms / 10e-3), rtol=1e-12)
    # get and set treat it as one value too (n = 2 has its length)
    assert pop.get("taus") == (10e-3, 2e-3) and pop[:1].get("taus") == (10e-3, 2e-3)
    pop.set(taus=(5e-3, 1e-3))
    assert pop.model.taus == (5e-3, 1e-3)
    with pytest.raises(ConfigurationError, match="one value for the whole population"):
        pop[:1].set(taus=(5e-3, 1e-3))
