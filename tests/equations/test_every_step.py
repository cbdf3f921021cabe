"""``neuron_model(..., every_step=...)``: statements at the start of every step (Brian2's
``run_regularly`` at every step, NEST's per-step clamps), checked against closed forms and
against the same statements applied from a Python callback between steps."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import ms
from snn.equations import EquationError, neuron_model

DT = 0.1 * ms

CLAMPED = neuron_model(
    "Clamped",
    "dm/dt = 1/(10*ms) : 1\ndn/dt = 0/second : 1\ndt0/dt = 0/second : second",
    every_step="m = minimum(m, 0.5)\nn += 1\nt0 = t",
)


def run_clamped(steps: int) -> dict[str, np.ndarray]:
    net = Network(dt=DT)
    pop = net.add_population(CLAMPED(), 3)
    mon = net.record_state(pop, ["m", "n", "t0"])
    net.run(steps * DT)
    return {v: mon[v][:, 0] for v in ("m", "n", "t0")}


def test_statements_act_at_the_start_of_every_step():
    rec = run_clamped(100)
    k = np.arange(1, 101)
    # m grows by dt / 10 ms = 0.01 per step; from the step that starts at 0.5 on, each step
    # starts clamped at 0.5 and the sample (after the step) reads 0.51
    assert np.allclose(rec["m"], np.minimum(0.01 * k, 0.51), rtol=0, atol=1e-12)
    assert rec["n"].tolist() == k.tolist()  # once per step
    assert np.allclose(rec["t0"], (k - 1) * DT, rtol=0, atol=1e-15)  # t: the step's start


def test_same_as_a_callback_between_steps():
    rec = run_clamped(80)
    plain = neuron_model("Plain", "dm/dt = 1/(10*ms) : 1")
    net = Network(dt=DT)
    pop = net.add_population(plain(), 3)
    mon = net.record_state(pop, "m")
    net.every(DT, lambda n: pop.set(m=np.minimum(pop.get("m"), 0.5)), at_zero=True)
    net.run(80 * DT)
    assert np.array_equal(mon["m"][:, 0], rec["m"])


def test_statements_run_while_refractory():
    model = neuron_model(
        "Counting",
        "dv/dt = 1/(1*ms) : 1 (unless refractory)\ndn/dt = 0/second : 1",
        threshold="v > 1",
        reset="v = 0",
        refractory=5 * ms,
        every_step="n += 1",
    )
    net = Network(dt=DT)
    pop = net.add_population(model(), 1)
    spikes, mon = net.record_spikes(pop), net.record_state(pop, "n")
    net.run(20 * ms)
    assert spikes.n_spikes >= 2
    assert mon["n"][:, 0].tolist() == list(range(1, 201))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"every_step": "c = 2"}, EquationError, "parameter"),
        ({"every_step": "m = mx"}, EquationError, "mx"),
        ({"every_step": "m = 2 * ms"}, EquationError, "unit mismatch"),
        ({"every_step": 3}, ConfigurationError, "every_step"),
    ],
)
def test_refusals(kwargs, error, match):
    with pytest.raises(error, match=match):
        neuron_model("Bad", "dm/dt = 1/(10*ms) : 1\nc : 1", **kwargs)
