"""The sweep benchmark: setting a weight and running again compiles nothing, keeps the loop and
the connectivity, and its breakdown adds up to the wall time; a sweep point's figures."""

from __future__ import annotations

import pytest

from snn.bench._sweeps import W_E, W_I, build, live_set_and_run, run


def test_set_and_run_again_reuses_the_loop_and_adds_up():
    live = live_set_and_run(repeats=3, duration=0.01)
    assert live["compiled_s"] == 0.0
    assert live["same_loop_and_connectivity"]
    for row in live["rows"]:
        assert row["loop_s"] > 0 and row["prepare_s"] > 0 and row["set_s"] > 0
        parts = row["set_s"] + row["prepare_s"] + row["after_s"]
        assert parts == pytest.approx(row["beyond_loop_s"], rel=1e-9, abs=1e-12)


def test_a_point_reports_its_rate_and_times():
    built = build()
    out = run(built, W_E[3], W_I[4], duration=0.05)
    assert built[1].get("weight")[0] == W_E[3] and built[2].get("weight")[0] == W_I[4]
    # COBA at its usual weights fires at about 20 Hz (BENCHMARK_MODELS.md); near them, 1-100 Hz
    assert 1.0 < out["rate_hz"] < 100.0
    assert out["run_s"] > 0 and out["cpu_s"] > 0
