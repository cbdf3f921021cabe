"""Alike populations, projections and monitors run as one loop over bundles (``_loop._grouped``).

Grouping changes only how the generated loop is written, never the order of operations, so a
grouped and a written-out loop must give bit-identical spikes, states and rates.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from snn.core import Network, _loop
from snn.core.random import Normal, Uniform
from snn.core.units import Hz, ms, mV
from snn.neurons import DCSource, LIFDelta, LIFExp, PoissonInput
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


def run_lengths(net: Network) -> list[int]:
    """The length of every grouped run, read from the loop's bundle table."""
    table = net._plan.arguments()[net._plan.names.index("BT") + 4]
    found = re.findall(r"for grp in range\(BT\[(\d+), 1\]\):", net._plan.source)
    return sorted(int(table[int(j), 1]) for j in found)


def test_alike_units_are_grouped_and_others_not(monkeypatch):
    monkeypatch.setattr(_loop, "GROUP_MIN", 4)
    net, _ = layered(seed=1, threads=1)
    net.compile()
    # 25 projections, 5 populations, their 5 drives, 5 spike monitors (their room check and their
    # copy), 5 rate monitors and the populations' slice offsets: every kind is one loop
    assert run_lengths(net) == [5, 5, 5, 5, 5, 5, 25]
    # the delivery is written once: in the function of the projections' group (decision 0021)
    assert net._plan.source.count("csr_deliver_block") == 0
    assert sum(u.count("import csr_deliver_block as") for u in net._plan.units) == 1
    monkeypatch.setattr(_loop, "GROUP_MIN", 10**9)
    net, _ = layered(seed=1, threads=1)
    net.compile()
    assert "for grp in range(" not in net._plan.source
    assert net._plan.source.count("csr_deliver_block") == 25
    assert net._plan.units == []


def grown(monkeypatch: pytest.MonkeyPatch, group_min: int) -> tuple[list, int, bool]:
    """Run, add a projection and a population of kinds the loop has, run again.

    Returns the spikes, the compilations of the second run and whether its loop is the first
    one's (the same generated text).
    """
    from snn.core.kernels import compile_log

    monkeypatch.setattr(_loop, "GROUP_MIN", group_min)
    net = Network(dt=0.1 * ms, seed=4)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    init = {"v": Uniform(low=0.0, high=20 * mV)}
    a = net.add_population(model, 100, init=init)
    b = net.add_population(model, 80, init=init)
    net.connect(a, b, rule=FixedIndegree(indegree=10), weight=0.9 * mV, delay=1 * ms)
    net.connect(b, a, rule=FixedIndegree(indegree=5), weight=-0.5 * mV, delay=1 * ms)
    net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), a)
    mons = [net.record_spikes(a), net.record_spikes(b)]
    net.run(0.03)
    source = net._plan.source
    c = net.add_population(model, 60, init=init)
    net.connect(c, b, rule=FixedIndegree(indegree=4), weight=0.9 * mV, delay=1 * ms)
    net.connect(a, c, rule=FixedIndegree(indegree=20), weight=0.9 * mV, delay=1 * ms)
    mons.append(net.record_spikes(c))
    before = len(compile_log())
    net.run(0.03)
    spikes = [np.stack([m.steps, m.senders]) for m in mons]
    return spikes, len(compile_log()) - before, net._plan.source == source


def test_one_more_alike_unit_runs_the_compiled_loop(monkeypatch):
    spikes, compiled, same_loop = grown(monkeypatch, 1)
    assert same_loop and compiled == 0
    assert spikes[2].shape[1] > 20  # the new population is driven through the new projection
    # the same as a loop written out for the grown network
    for x, y in zip(spikes, grown(monkeypatch, 10**9)[0], strict=True):
        assert np.array_equal(x, y)


def test_units_of_known_kinds_are_reused_by_a_new_loop():
    """Decision 0021: a group's code is a function of its own whose text depends on its kind
    alone, so a loop made for a new mix of known kinds calls the functions compiled for the
    earlier loops, with the signature they were compiled for (its first table row is an int64
    argument, not a literal, which would compile it again for every layout)."""
    import sys
    import uuid

    from snn.equations import neuron_model

    # a model no earlier run has cached: its population's unit is compiled here, in the first
    # network, and must be reused by the third, where it starts at another row of the table
    token = uuid.uuid4().hex[:8]
    fresh = neuron_model(
        f"Fresh{token}",
        f"dv/dt = -v / tau_{token} : volt\ntau_{token} : second",
        threshold="v > 20*mV",
        reset="v = 10*mV",
        on_spike={"syn": "v += w"},
    )(**{f"tau_{token}": 20 * ms})
    exp = LIFExp(tau_m=20 * ms, c_m=250e-12, e_l=0.0, v_th=20 * mV, v_reset=10 * mV)
    # the fresh model's inputs are volts, LIFExp's currents (into its receptor "exc")
    inputs = {fresh: (0.2 * mV, "syn"), exp: (50e-12, "exc")}

    def network(models: list) -> Network:
        net = Network(dt=0.1 * ms, seed=2)
        pops = [net.add_population(m, 50) for m in models]
        for pop, m in zip(pops, models, strict=True):
            w, receptor = inputs[m]
            net.add_drive(PoissonInput(rate=8000 * Hz, weight=w, receptor=receptor), pop)
            net.record_spikes(pop)
        w, receptor = inputs[models[-1]]
        net.connect(pops[0], pops[-1], rule=FixedIndegree(indegree=5), weight=w, delay=1 * ms,
                    receptor=receptor)  # fmt: skip
        return net

    def signatures() -> dict[str, int]:
        return {n: len(m.unit.signatures) for n, m in sys.modules.items() if "snn_unit_" in n}

    loops = []
    for models in ([fresh], [exp, exp], [exp, fresh]):
        before = signatures()
        net = network(models)
        net.run(0.01)
        loops.append(net._plan)
    assert len({plan.source for plan in loops}) == 3
    # the last loop's units were all made for the first two, and none has a second signature
    assert loops[2].units and set(loops[2].units) <= set(loops[0].units) | set(loops[1].units)
    after = signatures()
    assert any(after[n] == 1 and before.get(n) == 1 for n in after)  # the fresh model's, reused
    assert all(after[n] <= max(before.get(n, 0), 1) for n in after)


def on_views(n_views: int) -> tuple[Network, object]:
    """One population, a Poisson drive on each of ``n_views`` views and one on all of it."""
    net = Network(dt=0.1 * ms, seed=6)
    pop = net.add_population(LIFExp(), 10 * n_views)
    for k in range(n_views):
        drive = PoissonInput(rate=(1000 + 100 * k) * Hz, weight=150e-12, receptor="exc")
        net.add_drive(drive, pop[10 * k : 10 * k + 10])
    net.add_drive(PoissonInput(rate=5000 * Hz, weight=60e-12, receptor="exc"), pop)
    return net, net.record_spikes(pop)


def test_drives_of_one_kind_are_one_group(monkeypatch):
    """Drives are units of their own, grouped by kind like projections: the loop of a population
    with 8 drives on views is the loop of one with 3 (written inside the population's code, 50
    such drives took 82 s to compile and 5 took 3.5 s), and it gives the written-out loop's
    spikes."""
    nets = [on_views(k)[0] for k in (3, 8)]
    for net in nets:
        net.compile()
    assert nets[0]._plan.source == nets[1]._plan.source
    assert 8 in run_lengths(nets[1])
    spikes = []
    for group_min in (1, 10**9):
        monkeypatch.setattr(_loop, "GROUP_MIN", group_min)
        net, mon = on_views(3)
        net.run(0.05)
        spikes.append(np.stack([mon.steps, mon.senders]))
    assert spikes[0].shape[1] > 100
    assert np.array_equal(spikes[0], spikes[1])


def test_drives_of_alike_populations_are_grouped_by_kind():
    """Each of three populations has a Poisson and a DC drive: the loop runs the three Poisson
    drives as one group and the three DC drives as another (the first drive of every
    population, then the second), not six groups of one."""
    net = Network(dt=0.1 * ms, seed=7)
    for k in range(3):
        pop = net.add_population(LIFExp(), 20 + k)
        net.add_drive(PoissonInput(rate=4000 * Hz, weight=100e-12, receptor="exc"), pop)
        net.add_drive(DCSource(amplitude=(200 + 10 * k) * 1e-12), pop)
    net.compile()
    # the two drive groups, the populations and their slice offsets
    assert run_lengths(net) == [3, 3, 3, 3]
    assert net._plan.source.index("# drive (PoissonInput)") < net._plan.source.index(
        "# drive (DCSource)"
    )


def interleaved(seed: int) -> tuple[Network, list]:
    """Populations of two models in turn, projections with one weight and with drawn weights in
    turn (some into the same ring), drives of two kinds on populations and views, spike
    monitors on populations and views: no two neighbours alike."""
    net = Network(dt=0.1 * ms, seed=seed)
    delta = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    exp = LIFExp(tau_m=20 * ms, c_m=250e-12, e_l=0.0, v_th=20 * mV, v_reset=10 * mV)
    inputs = {0: (0.2 * mV, "syn"), 1: (60e-12, "exc")}
    pops, mons = [], []
    for k in range(6):
        pop = net.add_population(
            delta if k % 2 == 0 else exp, 40, init={"v": Uniform(low=0.0, high=0.02)}
        )
        w, receptor = inputs[k % 2]
        rate = (15000 if k % 2 == 0 else 9000) * Hz
        net.add_drive(PoissonInput(rate=rate, weight=w, receptor=receptor), pop[: 20 + k])
        if k % 2:
            net.add_drive(DCSource(amplitude=(100 + 10 * k) * 1e-12), pop)
        pops.append(pop)
        mons.append(net.record_spikes(pop if k % 3 else pop[5:30]))
    for k, post in enumerate(pops):
        w, receptor = inputs[k % 2]
        for j in (k - 1, k - 2):
            weight = w if j % 2 else Normal(mean=w, std=0.1 * w)
            net.connect(pops[j], post, rule=FixedIndegree(indegree=6), weight=weight,
                        delay=Uniform(low=0.5 * ms, high=2 * ms), receptor=receptor)  # fmt: skip
    return net, mons


def test_interleaved_kinds_are_grouped_and_compute_the_same(monkeypatch):
    """Units that commute (populations, monitors, projections and drives into other rings) are
    put side by side by kind: the loop has one group per kind, not one per unit, and gives the
    spikes of the loop in the order the units were made."""
    spikes, runs = [], []
    for keep_order in (False, True):
        if keep_order:
            monkeypatch.setattr(_loop, "_schedule", lambda units, kinds: range(len(units)))
        net, mons = interleaved(seed=3)
        net.run(0.05)
        spikes.append([np.stack([m.steps, m.senders]) for m in mons])
        runs.append(run_lengths(net))
    assert sum(s.shape[1] for s in spikes[0]) > 200
    for x, y in zip(*spikes, strict=True):
        assert np.array_equal(x, y)
    # populations: 3 + 3; the 12 projections: at most 4 groups (one weight or drawn weights,
    # delivering from a population of either model); drives, monitors, offsets: one per kind
    assert runs[0].count(3) >= 2 and max(runs[0]) >= 6
    assert len(runs[0]) < len(runs[1]) // 2


def plastic_chain(k: int, seed: int = 8) -> tuple[Network, list]:
    """``k`` STDP projections and ``k`` Tsodyks projections along a chain of populations."""
    from snn.plasticity import PairSTDP
    from snn.synapses import TsodyksSynapse

    net = Network(dt=0.1 * ms, seed=seed)
    pops = [net.add_population(LIFExp(), 30, name=f"P{i}") for i in range(k + 1)]
    for pop in pops:
        net.add_drive(PoissonInput(rate=12000 * Hz, weight=90e-12, receptor="exc"), pop)
    projs = []
    for i in range(k):
        for synapse in (PairSTDP(w_max=200e-12), TsodyksSynapse()):
            projs.append(
                net.connect(
                    pops[i],
                    pops[i + 1],
                    rule=FixedIndegree(indegree=5),
                    weight=60e-12,
                    delay=1 * ms,
                    receptor="exc",
                    synapse=synapse,
                )
            )
    net.record_weights(projs[0], interval=1 * ms)
    return net, projs


def test_plastic_projections_are_grouped(monkeypatch):
    """Plastic projections, their postsynaptic arrivals, trace decays and target traces are
    units grouped by kind: the loop of 6 STDP and 6 Tsodyks projections is that of 2 and 2
    (written out one by one, 40 STDP projections compiled in 82 s), and it computes the
    weights and synapse states of the loop in the order the units were made."""
    nets = [plastic_chain(k)[0] for k in (2, 6)]
    for net in nets:
        net.compile()
    assert nets[0]._plan.source == nets[1]._plan.source
    outcomes = []
    for keep_order in (False, True):
        if keep_order:
            monkeypatch.setattr(_loop, "_schedule", lambda units, kinds: range(len(units)))
            monkeypatch.setattr(_loop, "GROUP_MIN", 10**9)
        net, projs = plastic_chain(3)
        net.run(0.06)
        outcomes.append([np.concatenate([q.weights(), *q._syn_state.values()]) for q in projs])
    changed = [not np.array_equal(q, np.full_like(q, 60e-12)) for q in outcomes[0][::2]]
    assert all(changed)  # the STDP weights moved
    for x, y in zip(*outcomes, strict=True):
        assert np.array_equal(x, y)
