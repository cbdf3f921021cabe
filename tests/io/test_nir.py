"""NIR: the NIR paper's LIF task gives the exact solution's spike steps; graphs round-trip."""

from __future__ import annotations

import nir
import numpy as np
import pytest

import snn.io
from snn.core.errors import ConfigurationError

# Input of the NIR paper's LIF experiment (Pedersen et al. 2024, Nature Communications;
# neuromorphs/NIR paper/01_lif): one value per 1 ms, each followed by nine zero steps of 0.1 ms.
D0 = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
D0 += [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
D0 += [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0]
D0 += [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
# Steps of the exact event-driven solution's spikes (0.046084, 0.051090, 0.071092, 0.076091 s,
# lif_sim_exact_sim.ipynb of the same folder, floor(t / dt) with dt = 0.1 ms).
EXACT_STEPS = [460, 510, 710, 760]


def paper_graph() -> nir.NIRGraph:
    # the graph Norse exported for the paper: Affine 1x1 (weight 1, bias 0), LIFBox with
    # tau_mem_inv = 400 / s, v_th = 0.1, v_leak = 0, r = 1
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([1])}),
            "0": nir.Affine(weight=np.array([[1.0]]), bias=np.array([0.0])),
            "1": nir.LIF(
                tau=np.array([1 / 400]),
                r=np.array([1.0]),
                v_leak=np.array([0.0]),
                v_threshold=np.array([0.1]),
            ),
            "output": nir.Output(output_type={"output": np.array([1])}),
        },
        edges=[("input", "0"), ("0", "1"), ("1", "output")],
    )


def test_nir_paper_lif_task():
    assert len(D0) == 100
    d = np.zeros((1000, 1))
    d[::10, 0] = D0
    built = snn.io.from_nir(paper_graph(), inputs={"input": d}, dt=1e-4)
    built.network.run(1000 * 1e-4)
    # the monitor's step is the end of the emitting step
    np.testing.assert_array_equal(built.outputs["output"].steps - 1, EXACT_STEPS)


def two_layers() -> nir.NIRGraph:
    rng = np.random.default_rng(3)
    w1 = rng.normal(0.0, 1.0, (6, 4)) * (rng.random((6, 4)) < 0.7)
    w2 = rng.normal(0.0, 1.0, (3, 6))
    return nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([4])}),
            "fc1": nir.Affine(weight=w1, bias=rng.normal(0.0, 0.1, 6)),
            "lif": nir.LIF(
                tau=rng.uniform(1e-3, 5e-3, 6),
                r=rng.uniform(5.0, 10.0, 6),
                v_leak=np.zeros(6),
                v_threshold=np.full(6, 0.2),
                v_reset=np.zeros(6),
            ),
            "fc2": nir.Linear(weight=w2),
            "if": nir.IF(r=np.full(3, 1e4), v_threshold=np.ones(3), v_reset=np.zeros(3)),
            "out": nir.Output(output_type={"output": np.array([3])}),
        },
        edges=[("in", "fc1"), ("fc1", "lif"), ("lif", "fc2"), ("fc2", "if"), ("if", "out")],
    )


def _assert_graphs_equal(a: nir.NIRGraph, b: nir.NIRGraph) -> None:
    assert sorted(a.nodes) == sorted(b.nodes)
    assert sorted(map(tuple, a.edges)) == sorted(map(tuple, b.edges))
    for name, node in a.nodes.items():
        other = b.nodes[name]
        assert type(node) is type(other), name
        for key, value in node.to_dict().items():
            if key in ("type", "input_type", "output_type", "metadata"):
                continue
            np.testing.assert_array_equal(np.asarray(value), np.asarray(other.to_dict()[key]))


def test_graph_round_trip(tmp_path):
    graph = two_layers()
    events = np.zeros((200, 4), dtype=bool)
    events[1::7, :] = True
    built = snn.io.from_nir(graph, inputs={"in": events}, dt=1e-4)
    built.network.run(200 * 1e-4)
    assert built.outputs["out"].n_spikes > 0
    exported = snn.io.to_nir(built.network, outputs=built.outputs)
    _assert_graphs_equal(graph, exported)
    nir.write(tmp_path / "g.nir", exported)
    _assert_graphs_equal(graph, nir.read(tmp_path / "g.nir"))


def test_unsupported_nodes_are_named():
    graph = nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([1])}),
            "d": nir.Delay(delay=np.array([1.0])),
        },
        edges=[("in", "d")],
    )
    with pytest.raises(ConfigurationError, match="'d' is a Delay"):
        snn.io.from_nir(graph, inputs={"in": np.zeros((3, 1))}, dt=1e-4)
    with pytest.raises(ConfigurationError, match="inputs\\['input'\\]"):
        snn.io.from_nir(paper_graph(), inputs={}, dt=1e-4)


@pytest.mark.parametrize("tau", [-np.inf, 0.02])
def test_integrate_and_fire_refuses_a_time_constant(tau):
    """NIR's IF has no leak: a ``tau`` given to NIRIF is refused (the fuzz suite found -inf
    accepted, silently, at seed 20261210)."""
    from snn.io._nir import NIRIF

    with pytest.raises(ConfigurationError, match="no leak"):
        NIRIF(r=np.array([1.0]), v_threshold=np.array([1.0]), v_reset=np.array([0.0]), tau=tau)
    with pytest.raises(ConfigurationError):  # NaN: the parameter check's own message
        NIRIF(r=np.array([1.0]), v_threshold=np.array([1.0]), v_reset=np.array([0.0]), tau=np.nan)
