"""Connectivity plots (degrees, p(d), network diagram) and model plots (f-I, STDP, phase plane)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Circle, FancyArrowPatch, StepPatch

from snn.core import ConfigurationError
from snn.viz import (
    connection_probability_vs_distance,
    degree_histogram,
    fi_curve,
    network_diagram,
    phase_plane,
    stdp_window,
)


def outlines(ax):
    return [p for p in ax.patches if isinstance(p, StepPatch) and not p.get_fill()]


def test_degrees_of_projections(brunel):
    ee, ie = brunel.network.projections[:2]
    ax = degree_histogram({"EE": ee, "IE": ie})
    a, _ = outlines(ax)
    # fixed in-degree: every E neuron has exactly C_E = 50 E inputs and C_I = 12 I inputs
    assert a.get_data().values.sum() == 500
    centre = 0.5 * (a.get_data().edges[:-1] + a.get_data().edges[1:])
    assert centre[a.get_data().values.argmax()] == pytest.approx(50)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["EE: mean 50", "IE: mean 12"]
    both = degree_histogram(ee, kind="both")
    assert [t.get_text().split(":")[0] for t in both.get_legend().get_texts()] == [
        f"{ee.name} in",
        f"{ee.name} out",
    ]
    with pytest.raises(ConfigurationError, match="kind"):
        degree_histogram(ee, kind="sideways")
    with pytest.raises(ConfigurationError, match="1-D integer"):
        degree_histogram(np.array([1.5, 2.0]))


def test_probability_against_distance(rng, draw):
    d = rng.uniform(0, 1e-3, 20000)
    p_true = np.exp(-d / 3e-4)
    connected = rng.uniform(size=d.size) < p_true
    ax = connection_probability_vs_distance(
        d, connected, bins=10, profile=lambda x: np.exp(-x / 3e-4)
    )
    measured = ax.get_lines()[0]
    edges = np.linspace(0, d.max(), 11)
    pairs = np.histogram(d, edges)[0]
    links = np.histogram(d[connected], edges)[0]
    np.testing.assert_allclose(measured.get_ydata(), links / pairs)
    np.testing.assert_allclose(measured.get_xdata(), 0.5 * (edges[1:] + edges[:-1]) * 1e3)
    assert ax.get_xlabel() == "distance [mm]"
    expected = [ln for ln in ax.lines if ln.get_label() == "expected"]
    assert len(expected) == 1
    draw(ax)
    with pytest.raises(ConfigurationError, match="one shape"):
        connection_probability_vs_distance(d, connected[:10])
    with pytest.raises(ConfigurationError, match="boolean"):
        connection_probability_vs_distance(d[:2], np.array([0.5, 1.0]))


def test_network_diagram_shows_every_population_and_projection(brunel, draw):
    net = brunel.network
    ax = network_diagram(net)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert sorted(c.get_gid() for c in circles) == ["pop:E", "pop:I"]
    assert [a.get_gid() for a in arrows] == [f"proj:{q.name}" for q in net.projections]
    texts = " | ".join(t.get_text() for t in ax.texts)
    assert "E\n500\nLIFDelta" in texts and "I\n125\nLIFDelta" in texts
    for q in net.projections:
        assert f"{q.n_synapses:,} syn" in texts
    assert "mean w 100 µV" in texts and "mean w -500 µV" in texts and "delay 1.5 ms" in texts
    draw(ax)
    only = network_diagram(net.projections[:1])
    assert len([p for p in only.patches if isinstance(p, Circle)]) == 1
    with pytest.raises(ConfigurationError, match="Network or a list of Projections"):
        network_diagram("brunel")


def test_fi_curve_lines():
    i = np.linspace(0, 1e-9, 5)
    rates = np.array([[0, 0, 5, 10, 20], [0, 2, 8, 16, 30]], dtype=float)
    ax = fi_curve(i, rates, labels=["a", "b"])
    a, b = ax.get_lines()
    np.testing.assert_allclose(a.get_xdata(), i * 1e9)
    np.testing.assert_allclose(b.get_ydata(), rates[1])
    assert ax.get_xlabel() == "input [nA]" and ax.get_ylabel() == "rate [Hz]"
    with pytest.raises(ConfigurationError, match="n = len\\(currents\\) = 5"):
        fi_curve(i, rates[:, :3])
    with pytest.raises(ConfigurationError, match="1 labels for 2 curves"):
        fi_curve(i, rates, labels=["a"])


def test_stdp_window_from_a_function():
    dt = np.linspace(-0.05, 0.05, 101)
    ax = stdp_window(dt, lambda x: np.where(x > 0, 1.0, -1.0) * np.exp(-np.abs(x) / 0.02))
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "snn-window"]
    np.testing.assert_allclose(line.get_xdata(), dt * 1e3)
    assert line.get_ydata()[-1] == pytest.approx(np.exp(-2.5))
    assert ax.get_xlabel() == "t_post - t_pre [ms]"
    with pytest.raises(ConfigurationError, match="differ in length"):
        stdp_window(dt, np.zeros(3))


def izhikevich(v, u, i_ext=10.0):
    vm = v * 1e3
    return (0.04 * vm**2 + 5 * vm + 140 - u + i_ext) * 1.0, 0.02 * (0.2 * vm - u) * 1e3


def test_phase_plane_nullclines_follow_the_equations(draw):
    ax = phase_plane(
        izhikevich,
        x_range=(-0.08, -0.03),
        y_range=(-20.0, 5.0),
        names=("v", "u"),
        units=("V", "V/s"),
        trajectory=np.array([[-0.07, -14.0], [-0.06, -12.0]]),
    )
    (xc,) = [c for c in ax.collections if c.get_gid() == "snn-x-nullcline"]
    (yc,) = [c for c in ax.collections if c.get_gid() == "snn-y-nullcline"]
    vx = np.concatenate([p.vertices for p in xc.get_paths()])
    # dv/dt = 0 on u = 0.04 v² + 5 v + 150 (v in mV); grid of 300 points: ~0.2 mV resolution
    np.testing.assert_allclose(vx[:, 1], 0.04 * vx[:, 0] ** 2 + 5 * vx[:, 0] + 150, atol=0.3)
    vy = np.concatenate([p.vertices for p in yc.get_paths()])
    np.testing.assert_allclose(vy[:, 1], 0.2 * vy[:, 0], atol=1e-6)
    assert ax.get_xlabel() == "v [mV]" and ax.get_ylabel() == "u [V/s]"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "dv/dt = 0",
        "du/dt = 0",
        "trajectory",
    ]
    assert ax.get_xlim() == pytest.approx((-80, -30))
    draw(ax)


def test_phase_plane_without_nullclines_and_bad_ranges(notes):
    ax = phase_plane(
        lambda x, y: (np.ones_like(x), np.ones_like(y)),
        x_range=(0, 1),
        y_range=(0, 1),
        units=("", ""),
    )
    assert notes(ax) == ["no nullcline in this range"]
    with pytest.raises(ConfigurationError, match="low < high"):
        phase_plane(izhikevich, x_range=(0, 0), y_range=(0, 1))
    with pytest.raises(ConfigurationError, match="trajectory"):
        phase_plane(izhikevich, x_range=(-0.08, -0.03), y_range=(-20, 5), trajectory=np.zeros(3))
