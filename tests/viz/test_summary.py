"""The run summary figure, and the package-wide contracts: no pyplot, docs match signatures."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

import snn.viz
from snn.core import ConfigurationError, SpikeRecord
from snn.viz import run_summary

SRC = Path(snn.viz.__file__).parent


def test_summary_of_a_run(brunel, draw):
    state_e, state_i = brunel.info["state_e"], brunel.info["state_i"]
    fig = run_summary(brunel.monitors, states={"E": state_e, "I": state_i}, title="brunel")
    assert isinstance(fig, Figure)
    raster_ax, rate_ax, hist_ax, cv_ax, trace_e, trace_i = fig.axes
    n_spikes = sum(m.n_spikes for m in brunel.monitors)
    drawn = sum(
        c.get_offsets().shape[0] for c in raster_ax.collections if isinstance(c, PathCollection)
    )
    assert drawn == n_spikes  # 11k spikes: markers, every one
    assert [t.get_text() for t in raster_ax.get_yticklabels()] == ["E", "I"]
    assert [ln.get_label() for ln in rate_ax.get_lines()] == ["E", "I"]
    assert hist_ax.get_xlabel() == "rate [Hz]" and cv_ax.get_xlabel() == "CV of ISI"
    assert trace_e.get_title(loc="left") == "E" and trace_i.get_title(loc="left") == "I"
    assert len([ln for ln in trace_e.lines if ln.get_label().startswith("neuron")]) == 3
    assert fig.get_suptitle() == "brunel"
    assert raster_ax.get_xlim() == pytest.approx((0.0, 0.2))
    assert len(draw(fig)) > 10_000


def test_summary_splits_groups_and_handles_empty_input(brunel, notes):
    fig = run_summary(brunel.monitors, groups={"E0": (0, 250), "E1": (250, 250)})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["E0", "E1"]
    assert len(fig.axes) == 4
    empty = SpikeRecord(times=np.zeros(0), senders=np.zeros(0, dtype=np.int64))
    fig = run_summary({"E": empty})
    assert notes(fig.axes[0]) == ["no spikes in the window"]
    assert notes(fig.axes[3]) == ["no neuron with 3 or more spikes"]
    with pytest.raises(ConfigurationError, match="StateMonitors or StateRecords"):
        run_summary({"E": empty}, states=[np.zeros(3)])


def test_no_pyplot_anywhere_in_the_package():
    for path in SRC.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all("pyplot" not in a.name for a in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert "pyplot" not in (node.module or ""), path
                assert all(a.name != "pyplot" for a in node.names), path
            if isinstance(node, ast.Attribute) and node.attr == "show":
                raise AssertionError(f"{path}: calls .show()")


def documented_parameters(doc: str) -> list[str]:
    lines = inspect.cleandoc(doc).splitlines()
    start = lines.index("Parameters") + 2
    names = []
    for line in lines[start:]:
        if line in ("Returns", "Raises", "Examples", "Notes", "See Also"):
            break
        if line and not line.startswith(" ") and not set(line) <= {"-"}:
            names += [n.strip() for n in line.split(":")[0].split(",")]
    return names


@pytest.mark.parametrize("name", snn.viz.__all__)
def test_public_function_contract(name):
    func = getattr(snn.viz, name)
    doc = func.__doc__
    assert doc and "Parameters\n" in doc and "Returns\n" in doc, name
    sig = inspect.signature(func)
    assert documented_parameters(doc) == list(sig.parameters), name
    positional = [
        p for p in sig.parameters.values() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert len(positional) <= 2, name
    if name != "run_summary":
        assert sig.parameters["ax"].kind is inspect.Parameter.KEYWORD_ONLY
        assert sig.parameters["ax"].default is None
        assert sig.return_annotation in (Axes, "Axes")
