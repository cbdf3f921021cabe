"""The scaling model: one rank reproduces the profiled run it was built from; more ranks split
the divisible work and add the per-slice costs."""

from __future__ import annotations

import pytest

from snn.bench._run import run_model
from snn.bench._scaling import from_run, measure_row_visit, predict


def test_scaling_model_is_consistent_with_its_run():
    record, _ = run_model("brunel", scale=0.05, duration=0.1, profile=True)
    phases = record["phases"]
    params = from_run(record, phases, t_row=measure_row_visit(repeats=20))
    one = predict(params, 1)
    # on one rank the model is the sum of the measured loop phases, per biological second
    assert one["total"] == pytest.approx(sum(phases.values()) / record["bio_s"], rel=1e-6)
    two = predict(params, 2)
    assert two["compute"] == pytest.approx(one["compute"] / 2)
    assert two["rows"] == pytest.approx(one["rows"])
    assert two["communication"] > 0 and two["imbalance"] > 0
    weak = predict(params, 8, weak=True)
    assert weak["compute"] == pytest.approx(one["compute"])
    assert weak["total"] > one["total"]


def test_row_cost_measured_above_the_delivery_phase_still_adds_up():
    # a row visit measured at a busy moment (1 ms) exceeds the run's whole delivery phase
    record = {
        "bio_s": 0.1,
        "slice_steps": 15,
        "n_spikes": 1000,
        "synaptic_events": 50_000,
        "n_neurons": 100,
    }
    phases = {"drives": 0.01, "update": 0.02, "gather": 0.003, "delivery": 0.05}
    params = from_run(record, phases, t_row=1e-3)
    assert params.t_row == pytest.approx(0.05 / 1000) and params.t_event == 0.0
    assert predict(params, 1)["total"] == pytest.approx(sum(phases.values()) / 0.1, rel=1e-9)
