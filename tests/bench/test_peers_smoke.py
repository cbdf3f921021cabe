"""Smoke tests of the Brian2 and NEST peer runners (``snn.bench.peers``).

Each test runs a tiny Brunel network (scale 0.05, 0.1 s) through `run_peer` in a subprocess.
The peer simulator is looked for in the interpreter named by ``SNN_PEER_PYTHON`` (default: the
interpreter running the tests). A test is skipped when the simulator is not installed there or
cannot be imported (e.g. Brian2 2.9 with numpy >= 2.4). Brian2 and NEST are never imported in
the test process itself: their imports emit deprecation warnings (pyparsing, NEST's banner),
which would be errors here.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest

from snn.bench.peers import MODELS, SIMULATORS, parse_record, peer_command, run_peer

PEER_PYTHON = os.environ.get("SNN_PEER_PYTHON", sys.executable)

REQUIRED_KEYS = {
    "simulator",
    "version",
    "model",
    "scale",
    "seed",
    "threads",
    "bio_s",
    "n_neurons",
    "n_synapses",
    "build_s",
    "compile_s",
    "sim_s",
    "rates_hz",
    "n_spikes",
    "peak_rss_mb",
}


def _require(module: str) -> None:
    """Skip unless ``module`` imports in the peer interpreter (checked in a subprocess)."""
    probe = subprocess.run(
        [PEER_PYTHON, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        pytest.skip(f"peers: {module} cannot be imported by {PEER_PYTHON}: {last}")


def _check_record(record: dict, simulator: str) -> None:
    assert record.keys() >= REQUIRED_KEYS
    assert record["simulator"] == simulator
    assert record["model"] == "brunel"
    assert record["threads"] == 1
    assert record["bio_s"] == pytest.approx(0.1)
    # scale 0.05: N_E = 500, N_I = 125, C_E = 50, C_I = round(12.5) = 12 (fixed in-degree).
    assert record["n_neurons"] == 625
    assert record["n_synapses"] == 625 * (50 + 12)
    assert set(record["rates_hz"]) == {"E", "I"}
    for rate in record["rates_hz"].values():
        assert math.isfinite(rate)
        assert rate > 0.0
    assert record["n_spikes"] > 0
    for key in ("build_s", "compile_s", "sim_s", "peak_rss_mb"):
        assert math.isfinite(record[key])
        assert record[key] >= 0.0
    assert record["sim_s"] > 0.0


def test_parse_record_takes_last_json_line() -> None:
    text = 'banner\n{"a": 1}\nnoise\n{"b": 2}\ntrailing text\n'
    assert parse_record(text) == {"b": 2}
    with pytest.raises(ValueError):
        parse_record("no record here\n")


def test_peer_command_validates_names() -> None:
    assert set(SIMULATORS) == {"brian2", "nest"}
    assert set(MODELS) == {"coba", "cuba", "brunel", "cobahh", "stdp", "microcircuit"}
    cmd = peer_command("nest", "coba", python="py", scale=0.5, seed=3, threads=2)
    assert cmd[0] == "py"
    assert cmd[cmd.index("--threads") + 1] == "2"
    with pytest.raises(ValueError):
        peer_command("neuron", "coba")
    with pytest.raises(ValueError):
        peer_command("nest", "hh")


@pytest.mark.parametrize("simulator", ["nest", "brian2"])
def test_tiny_brunel(simulator: str) -> None:
    _require(simulator)
    record = run_peer(
        simulator,
        "brunel",
        scale=0.05,
        duration=0.1,
        seed=3,
        threads=1,
        python=PEER_PYTHON,
        timeout=600,
    )
    _check_record(record, simulator)
    if simulator == "brian2":
        assert record["compile_s"] > 0.0
    else:
        assert record["compile_s"] == 0.0


def test_nest_microcircuit_has_the_circuit_of_snn() -> None:
    _require("nest")
    from snn.bench._pd14 import POPULATIONS, microcircuit

    record = run_peer(
        "nest",
        "microcircuit",
        scale=0.01,
        duration=0.05,
        seed=1,
        threads=1,
        python=PEER_PYTHON,
        timeout=600,
    )
    expected = microcircuit(0.01)
    assert record["n_synapses"] == expected.total_synapses
    assert record["n_neurons"] == int(expected.num_neurons.sum())
    assert set(record["rates_hz"]) == set(POPULATIONS)
    assert record["transient_s"] == 0.5
