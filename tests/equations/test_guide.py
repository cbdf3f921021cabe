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


def test_guide_synapse_sections_run():
    """The blocks of the sections on synapses, summed variables and time run in order (the
    STDP network for 0.2 s instead of 1 s)."""
    text = (DOCS / "from-brian2-equations.md").read_text()
    later = text[text.index("## Synapses and plasticity") :]
    scope: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for code in re.findall(r"```python\n(.*?)```", later, re.S):
            code = code.replace("net.run(1.0)", "net.run(0.2)")
            exec(compile(code, "from-brian2-equations.md", "exec"), scope)
    assert dict(scope["STDP"].info.variables) == {"Apre": "source", "Apost": "target"}
    assert scope["plastic"].weights().std() > 0
    assert scope["Gap"].info.receptor == "Igap"
    assert scope["NMDA"].info.receptor == "s_NMDA_tot"
    assert scope["Pyramidal"].info.method == "rk4"
    per_synapse = scope["NMDAPerSynapse"]
    assert per_synapse.clock_variables == ("s_nmda", "x")
    assert per_synapse.info.method == "exponential_euler"
    assert scope["Source"].info.method == "exact"  # no differential equation: nothing to integrate
