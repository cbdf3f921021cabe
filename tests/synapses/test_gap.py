"""Gap junctions (continuous coupling): closed form, equations, threads, ranks, checkpoints.

Two LIF neurons below threshold coupled by a symmetric junction of conductance ``g`` obey the
linear system ``C dV_i/dt = -g_L (V_i - E_L) + g (V_j - V_i)``: the mean of the two potentials
relaxes with ``tau_m``, their difference with ``1 / (1 / tau_m + 2 g / C)``. The engine holds the
junction current over each step (computed from both potentials at its start; Brian2's summed
variables, first-order splitting), so the error is proportional to ``dt``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV, nS, pF
from snn.equations import synapse_model
from snn.neurons import LIFDelta, PoissonInput
from snn.synapses import Explicit, FixedIndegree, GapJunction

TAU, C_M, E_L, G = 10 * ms, 250 * pF, -70 * mV, 10 * nS

#: the junction as Brian2 writes it, into LIFDelta's current receptor
GAP = synapse_model(
    "GAP",
    """
    w : siemens
    current_post = w * (v_pre - v_post) : amp (summed)
    """,
)


def pair(dt: float, synapse) -> np.ndarray:
    """Two coupled LIFs from -70 and -50 mV for 50 ms; their potentials at every step."""
    net = Network(dt=dt)
    model = LIFDelta(tau_m=TAU, c_m=C_M, e_l=E_L, v_th=0.0, v_reset=E_L, t_ref=0.0)
    pop = net.add_population(model, 2, init={"v": np.array([-70 * mV, -50 * mV])})
    net.connect(pop, pop, rule=Explicit(pre=[0, 1], post=[1, 0]), weight=G, synapse=synapse)
    mon = net.record_state(pop, "v")
    net.run(50 * ms)
    return mon.times, mon["v"]


def closed_form(t: np.ndarray) -> np.ndarray:
    x1, x2 = 0.0, 20 * mV  # distances from E_L
    mean = (x1 + x2) / 2 * np.exp(-t / TAU)
    half_diff = (x1 - x2) / 2 * np.exp(-t * (1 / TAU + 2 * G / C_M))
    return E_L + np.stack([mean + half_diff, mean - half_diff], axis=1)


def test_two_coupled_neurons_follow_the_closed_form_to_first_order():
    errors = []
    for dt in (0.1 * ms, 0.05 * ms):
        t, v = pair(dt, GapJunction())
        errors.append(np.abs(v - closed_form(t)).max())
    # measured 0.0148 mV at dt = 0.1 ms and half of it at 0.05 ms (the fastest mode relaxes
    # with 1/tau + 2g/C = 180 /s: the held current lags by about dt/2 of it)
    assert errors[0] < 0.02 * mV
    assert np.log2(errors[0] / errors[1]) == pytest.approx(1.0, abs=0.05)


def test_equation_junction_equals_the_built_in_one():
    assert GAP.info.receptor == "current"
    _, built_in = pair(0.1 * ms, GapJunction())
    _, equations = pair(0.1 * ms, GAP())
    assert np.array_equal(built_in, equations)


def gap_network(threads: int = 1, parallel: bool | None = None, seed: int = 2):
    """200 LIF neurons with Poisson drive, chemical synapses and random symmetric junctions."""
    net = Network(dt=0.1 * ms, seed=seed, threads=threads, parallel=parallel)
    model = LIFDelta(tau_m=20 * ms, c_m=250 * pF, e_l=0.0, v_th=20 * mV, v_reset=10 * mV,
                     t_ref=2 * ms)  # fmt: skip
    pop = net.add_population(model, 200, init={"v": Uniform(low=0.0, high=20 * mV)})
    net.connect(pop, pop, rule=FixedIndegree(indegree=20), weight=0.2 * mV, delay=1.5 * ms)
    net.add_drive(PoissonInput(rate=20000 * Hz, weight=0.1 * mV), pop)
    rng = np.random.default_rng(1)
    a = rng.integers(0, 200, 300)
    b = (a + rng.integers(1, 200, 300)) % 200
    weights = rng.uniform(0.5, 2.0, 300) * nS
    rule = Explicit(pre=np.concatenate([a, b]), post=np.concatenate([b, a]))
    net.connect(pop, pop, rule=rule, weight=np.concatenate([weights, weights]),
                synapse=GapJunction())  # fmt: skip
    return net, pop, net.record_spikes(pop)


def test_network_identical_on_one_and_two_threads(one_and_two_threads):
    (_, _, ref_mon), _ = one_and_two_threads(gap_network, 0.2)
    assert ref_mon.n_spikes > 300


def test_junctions_change_the_spikes():
    # the same network without its junctions' current: other spikes (the coupling acts)
    net, _, mon = gap_network()
    net.projections[1].set(weight=0.0)
    ref, _, ref_mon = gap_network()
    net.run(0.2)
    ref.run(0.2)
    assert not np.array_equal(mon.steps, ref_mon.steps)


def test_checkpoint_resumes_exactly(tmp_path):
    from snn.io import load, save

    ref, ref_pop, _ = gap_network()
    ref.run(0.2)
    net, _, _ = gap_network()
    net.run(0.1)
    loaded = load(save(net, tmp_path / "gap.h5"))
    assert type(loaded.projections[1].synapse) is GapJunction
    loaded.run(0.1)
    assert np.array_equal(loaded.populations[0].state["v"], ref_pop.state["v"])


def test_coupling_errors():
    net = Network(dt=0.1 * ms)
    model = LIFDelta(tau_m=TAU, c_m=C_M, e_l=E_L, v_th=0.0, v_reset=E_L, t_ref=0.0)
    pop = net.add_population(model, 2)
    rule = Explicit(pre=[0], post=[1])
    with pytest.raises(ConfigurationError, match="without delay"):
        net.connect(pop, pop, rule=rule, weight=G, delay=1 * ms, synapse=GapJunction())
    with pytest.raises(ConfigurationError, match="spike receptor"):
        net.connect(pop, pop, rule=rule, weight=G, receptor="syn", synapse=GapJunction())
    with pytest.raises(ConfigurationError, match="must be >= 0"):
        net.connect(pop, pop, rule=rule, weight=-G, synapse=GapJunction())
    q = net.connect(pop, pop, rule=rule, weight=G, synapse=GapJunction())
    with pytest.raises(ConfigurationError, match="no delay to set"):
        q.set(delay=1 * ms)
    with pytest.raises(ConfigurationError, match="continuous coupling"):
        net.record_weights(q)
    reads_u = synapse_model("ReadsU", "w : siemens\ncurrent_post = w * u_pre * volt : amp (summed)")
    with pytest.raises(ConfigurationError, match=r"reads \['u'\]"):
        net.connect(pop, pop, rule=rule, weight=G, synapse=reads_u())


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations: about 20 s here
def test_network_identical_on_one_and_two_ranks(spikes_on_ranks):
    build = "from test_gap import gap_network\nnet, pop, mon = gap_network()\n"
    assert spikes_on_ranks(build, Path(__file__).parent, 0.2) > 300
