"""The snn-bench command as a user runs it (in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

KEYS = {
    "model",
    "scale",
    "seed",
    "threads",
    "n_neurons",
    "n_synapses",
    "bio_s",
    "build_s",
    "compile_s",
    "sim_s",
    "rtf",
    "events_per_s",
    "rates_hz",
    "n_spikes",
    "spikes_sha256",
    "peak_rss_mb",
    "versions",
    "compiled",
}


def run_cli(*args, check=True):
    return subprocess.run(
        [sys.executable, "-m", "snn.bench", *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def test_run_writes_json_and_plot(tmp_path):
    out = tmp_path / "r.json"
    png = tmp_path / "r.png"
    res = run_cli(
        "run",
        "brunel",
        "--scale",
        "0.05",
        "--duration",
        "0.1",
        "--seed",
        "3",
        "--json",
        str(out),
        "--plot",
        str(png),
    )
    assert "rates" in res.stdout and "synapses" in res.stdout
    rec = json.loads(out.read_text())
    assert set(rec) >= KEYS
    assert rec["n_neurons"] == 625 and rec["n_synapses"] == 625 * (50 + 12)
    assert set(rec["rates_hz"]) == {"E", "I"}
    assert rec["rates_hz"]["E"] > 0
    assert len(rec["spikes_sha256"]) == 64
    assert png.stat().st_size > 10_000
    # the same command twice gives the same spikes, bit for bit
    out2 = tmp_path / "r2.json"
    run_cli(
        "run", "brunel", "--scale", "0.05", "--duration", "0.1", "--seed", "3", "--json", str(out2)
    )
    assert json.loads(out2.read_text())["spikes_sha256"] == rec["spikes_sha256"]


def test_list_models():
    assert run_cli("list").stdout.split() == [
        "coba",
        "cuba",
        "brunel",
        "cobahh",
        "stdp",
        "microcircuit",
        "digits",
    ]


def test_compare_without_peers_says_how_to_install():
    pytest.importorskip("snn.bench.peers")
    import importlib.util

    if importlib.util.find_spec("brian2") and importlib.util.find_spec("nest"):
        pytest.skip("peers: the peers are installed here")
    res = run_cli("compare", "coba", "--peers", "brian2,nest", check=False)
    assert res.returncode == 2
    assert "--group peers" in res.stderr


def test_unknown_model_is_a_usage_error():
    res = run_cli("run", "hodgkin", check=False)
    assert res.returncode == 2
    assert "invalid choice" in res.stderr


@pytest.mark.slow
def test_startup_times_whole_processes(tmp_path):
    out = tmp_path / "s.json"
    res = run_cli(
        "startup",
        "brunel",
        "--scale",
        "0.05",
        "--duration",
        "0.05",
        "--repeats",
        "1",
        "--baseline",
        sys.executable,
        "--json",
        str(out),
    )
    assert "whole process" in res.stdout
    assert "snn/snn baseline" in res.stdout
    rec = json.loads(out.read_text())
    (run,) = rec["runs"]
    # a process costs at least its own parts; warm caches: numba starts but compiles nothing
    assert run["wall_s"] > run["compile_s"] + run["build_s"] + run["sim_s"]
    assert run["cpu_s"] > 0
    assert [c["function"] for c in run["compiled"]] == ["numba start-up"]
    # the same checkout as its own baseline, in its own warm caches: the same kind of record
    (other,) = rec["others"]["snn baseline"]["runs"]
    assert [c["function"] for c in other["compiled"]] == ["numba start-up"]
