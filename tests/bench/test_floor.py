"""The update-floor benchmark: its bare loop computes the engine's update, and it reports it."""

from __future__ import annotations

import numpy as np
import pytest

from snn.bench import _floor
from snn.bench._floor import FLOOR_MODELS, bare_update, floor_report, measure_floor
from snn.bench.cli import main
from snn.core import Network
from snn.core.units import ms, mV, nS, pA, pF
from snn.neurons import LIFCondExp, LIFDelta, LIFExp

MODELS = {
    "LIFDelta": LIFDelta(
        tau_m=20 * ms, e_l=0 * mV, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms, i_e=400 * pA
    ),
    "LIFExp": LIFExp(i_e=800 * pA, t_ref=2 * ms),
    "LIFCondExp": LIFCondExp(
        c_m=200 * pF, g_l=10 * nS, e_l=-60 * mV, v_th=-50 * mV, i_e=300 * pA, method="euler"
    ),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_bare_loop_is_the_engines_update(name):
    """Same step function, constants and order: the bare loop's state equals the engine's.

    The neurons start spread around their rest and get a constant current (``i_e``) that takes
    them past threshold, so they spike, reset and sit out refractory periods in 300 steps; both
    run without input, so any difference is the loop's, and they must agree exactly.
    """
    model = MODELS[name]
    n, steps, dt = 37, 300, 1e-4
    rng = np.random.default_rng(3)
    state = _floor._bare_state(model, n, 1 if name == "LIFDelta" else 2, rng)
    v0 = state["v"].copy()
    net = Network(dt=dt, seed=1)
    pop = net.add_population(model, n, init={"v": v0})
    spikes = net.record_spikes(pop)
    flags = np.zeros(n, dtype=bool)
    counts = np.zeros(n, dtype=np.int64)
    for _ in range(steps):
        flags = bare_update(model, state, dt, 1)
        counts += flags
    net.run(steps * dt)
    assert counts.sum() > n  # the comparison covers spikes, resets and refractory steps
    np.testing.assert_array_equal(np.bincount(spikes.indices, minlength=n), counts)
    for var in model.state_vars:
        np.testing.assert_array_equal(pop.get(var.name), state[var.name])


def test_measure_floor_reports_every_model():
    result = measure_floor(models=("cuba",), repeats=2, steps=20)
    (row,) = result["rows"]
    assert row["model"] == "cuba" and row["neuron"] == "LIFExp"
    assert row["neurons"] == FLOOR_MODELS["cuba"][0]
    assert len(row["engine_ns_all"]) == len(row["floor_ns_all"]) == 2
    assert row["ratio"] == pytest.approx(row["engine_ns"] / row["floor_ns"])
    assert row["engine_ns"] > 0 and row["floor_ns"] > 0
    assert "LIFExp" in floor_report(result)


def test_floor_command_refuses_unknown_models(capsys):
    assert main(["floor", "--models", "cobahh"]) == 2
    assert "choose from brunel, cuba, coba" in capsys.readouterr().out
