"""``snn-bench run coba --equations``: the benchmark built from Brian2's equations.

The equation COBA is the built-in one (``LIFCondExp``, forward Euler) written as Brian2 writes
it; its arithmetic differs only in the order of operations, and the spikes of a short run are
the same (measured: identical over 2 s at full scale; tested over 0.1 s). The CLI
reports the analysis time as part of the compile time. ``snn-bench run stdp --equations``
writes the plastic Brunel network's STDP rule as equations: the same weights and spikes.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from snn.bench import build
from snn.core.errors import ConfigurationError


def spikes(equations: bool) -> tuple[np.ndarray, np.ndarray]:
    model = build("coba", seed=4, equations=equations)
    model.network.run(0.1)
    mon = model.monitors[0]
    return mon.steps.copy(), mon.senders.copy()


def test_equation_coba_gives_the_built_in_spikes():
    a, b = spikes(False), spikes(True)
    assert a[0].size > 2000
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_equation_stdp_rule_gives_the_built_in_weights_and_spikes():
    """The plastic Brunel network with its rule from equations: the same numbers (the rule's
    arithmetic is the built-in PairSTDP's, in the same order)."""
    runs = []
    for equations in (False, True):
        model = build("stdp", scale=0.05, seed=2, equations=equations)
        model.network.run(0.15)
        mon = model.monitors[0]
        runs.append((model.network.projections[0].weights(), mon.steps.copy(), model.readout()))
    (w0, s0, r0), (w1, s1, r1) = runs
    assert s0.size > 1000
    assert np.array_equal(w0, w1) and np.array_equal(s0, s1) and r0 == r1


def test_only_coba_cuba_and_stdp_have_equations():
    with pytest.raises(ConfigurationError, match="no equation version"):
        build("brunel", scale=0.05, equations=True)


def test_cli_run_equations(tmp_path):
    out = tmp_path / "r.json"
    res = subprocess.run(
        [sys.executable, "-m", "snn.bench", "run", "cuba", "--equations", "--scale", "0.1",
         "--duration", "0.1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    rec = json.loads(out.read_text())
    assert rec["equations"] is True
    assert rec["compile_s"] >= rec["info_equations_s"] >= 0.0
    assert "analysing the equations" in res.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "snn.bench", "run", "brunel", "--equations"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert bad.returncode == 2 and "--equations is available for coba, cuba, stdp" in bad.stderr
