"""Alike populations, projections and monitors run as one loop over bundles (``_loop._grouped``).

Grouping changes only how the generated loop is written, never the order of operations, so a
grouped and a written-out loop must give bit-identical spikes, states and rates.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network, _loop
from snn.core.random import Normal, Uniform
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput
from snn.synapses import FixedIndegree


def layered(seed: int, threads: int) -> tuple[Network, dict]:
    """Five alike populations, all-pairs static projections with random delays, Poisson drive."""
    # several threads: the parallel loop, forced (the network is below the size that chooses it)
    net = Network(dt=0.1 * ms, seed=seed, threads=threads, parallel=threads > 1)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    init = {"v": Uniform(low=0.0, high=20 * mV)}
    pops = [net.add_population(model, 60 + 10 * k, name=f"P{k}", init=init) for k in range(5)]
    for k, post in enumerate(pops):
        for j, pre in enumerate(pops):
            weight = (0.2 if j % 2 == 0 else -0.6) * mV
            net.connect(
                pre,
                post,
                rule=FixedIndegree(indegree=8 + j),
                weight=Normal(mean=weight, std=0.05 * mV),
                delay=Uniform(low=0.5 * ms, high=3 * ms),
            )
        net.add_drive(PoissonInput(rate=(16000 + 500 * k) * Hz, weight=0.1 * mV), post)
    mons = {
        "spikes": [net.record_spikes(p) for p in pops],
        "state": [net.record_state(p, ["v"], neurons=[0, 5, 9], interval=0.5 * ms) for p in pops],
        "rate": [net.record_rate(p) for p in pops],
    }
    return net, mons


def outcome(monkeypatch: pytest.MonkeyPatch, group_min: int, threads: int) -> tuple:
    monkeypatch.setattr(_loop, "GROUP_MIN", group_min)
    net, mons = layered(seed=11, threads=threads)
    assert net.parallel == (threads > 1)
    net.run(0.1)
    net.run(0.05)  # a second run: bundles are rebuilt around the new monitor buffers
    spikes = [np.stack([m.steps, m.senders]) for m in mons["spikes"]]
    states = [m.record().values["v"] for m in mons["state"]]
    rates = [m.counts for m in mons["rate"]]
    return spikes, states, rates


@pytest.mark.parametrize("threads", [1, 3])
def test_grouped_loop_identical_to_written_out(monkeypatch, threads):
    grouped = outcome(monkeypatch, 4, threads)
    written = outcome(monkeypatch, 10**9, threads)
    assert sum(s.shape[1] for s in grouped[0]) > 500  # the network is active
    others = [written]
    if threads > 1:
        others.append(outcome(monkeypatch, 4, 1))  # and the same as the serial loop
    for other in others:
        for a, b in zip(grouped, other, strict=True):
            for x, y in zip(a, b, strict=True):
                assert np.array_equal(x, y)


def test_alike_units_are_grouped_and_others_not(monkeypatch):
    monkeypatch.setattr(_loop, "GROUP_MIN", 4)
    net, _ = layered(seed=1, threads=1)
    net.compile()
    source = net._plan.source
    # 25 projections, 5 populations, 5 spike monitors (their room check and their copy) and
    # 5 rate monitors: every kind is one loop
    for n in (25, 5):
        assert f"for grp in range({n}):" in source
    assert source.count("csr_deliver_block") == 1
    monkeypatch.setattr(_loop, "GROUP_MIN", 10**9)
    net, _ = layered(seed=1, threads=1)
    net.compile()
    assert "for grp in range(" not in net._plan.source
    assert net._plan.source.count("csr_deliver_block") == 25
