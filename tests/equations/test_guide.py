"""The guide page "From Brian2 equations" runs, and its equation network is the built-in one.

The page writes the network of "Coming from Brian2" with its neuron as equations. Both are
integrated exactly (the built-in ``LIFExp`` with closed-form propagators, the equations with a
matrix exponential), so they differ by round-off only: the two networks give the same spikes
(measured identical over 0.5 s; tested over 0.2 s).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np

DOCS = Path(__file__).resolve().parents[2] / "docs"


def run_block(page: str, marker: str = "") -> dict:
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(), re.S)
    code = next(b for b in blocks if b.startswith(marker))
    assert "net.run(1.0)" in code
    scope: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code.replace("net.run(1.0)", "net.run(0.2)"), page, "exec"), scope)
    return scope


def test_guide_network_gives_the_built_in_spikes():
    equations = run_block("from-brian2-equations.md")
    builtin = run_block("from-brian2.md", "# snn")
    assert equations["LIF"].info.method == "exact"
    a, b = equations["spikes"], builtin["spikes"]
    assert a.n_spikes > 1000
    assert np.array_equal(a.steps, b.steps) and np.array_equal(a.senders, b.senders)
