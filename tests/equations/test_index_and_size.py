"""Brian2's ``i`` (the neuron's index in its population) and ``N`` (its size) in neuron equations.

Brian2's tutorial 2 makes neuron ``i`` fire at ``(1 + i) * 10 ms`` with ``threshold="t > (1 + i)
* 10*ms"``; its ``IF_curve_LIF.py`` example gives each neuron the drive ``20 mV * i / (N - 1)``.
The values are exact (integers and their ratios), so the tests compare exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import ms, mV
from snn.equations import EquationError, neuron_model

STAGGERED = neuron_model("STAGGERED", "v : 1", threshold="t > (1 + i) * 10*ms", refractory=100 * ms)
IF_CURVE = neuron_model(
    "IF_CURVE",
    """
    dv/dt = (v0 - v) / (10*ms) : volt (unless refractory)
    v0 = 20*mV * i / (N - 1) : volt
    """,
    threshold="v > 10*mV",
    reset="v = 0*mV",
    refractory=5 * ms,
)


def test_threshold_reads_the_index():
    net = Network(dt=0.1 * ms)
    pop = net.add_population(STAGGERED(v=0.0), 3)
    spikes = net.record_spikes(pop)
    net.run(35 * ms)
    # t is the end of the step in the threshold: the first step ending after (1 + i) 10 ms,
    # 10 ms itself or the step after, as the float product k dt rounds (30 ms: 0.030000000000000002)
    assert spikes.indices.tolist() == [0, 1, 2]
    crossing = np.array([10.0, 20.0, 30.0]) * ms
    assert np.all((spikes.times >= crossing) & (spikes.times <= crossing + 0.1 * ms + 1e-12))


def if_curve_network(threads: int = 1, parallel: bool | None = None, n: int = 40):
    net = Network(dt=0.1 * ms, threads=threads, parallel=parallel)
    pop = net.add_population(IF_CURVE(), n)
    return net, pop, net.record_spikes(pop)


def test_subexpression_of_index_and_size_drives_each_neuron():
    assert IF_CURVE.info.method == "exact"  # i and N enter the constant term only
    net, pop, spikes = if_curve_network(n=5)
    state = net.record_state(pop, "v0")
    net.run(0.2)
    expected = np.array([0.0, 5.0, 10.0, 15.0, 20.0]) * mV
    assert np.array_equal(pop.get("v0"), expected)
    assert np.array_equal(state.record().values["v0"][-1], expected)
    assert np.array_equal(pop[2:4].get("v0"), expected[2:4])
    # below threshold (v0 <= 10 mV) no spike; above, the larger drive fires more
    counts = spikes.spike_counts()
    assert counts[:3].tolist() == [0, 0, 0] and 0 < counts[3] < counts[4]


def test_index_is_the_same_on_two_threads():
    one = if_curve_network()
    two = if_curve_network(threads=2, parallel=True)
    for net, *_ in (one, two):
        net.run(0.1)
    assert one[2].n_spikes > 100
    assert np.array_equal(one[2].senders, two[2].senders)
    assert np.array_equal(one[2].steps, two[2].steps)


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations: about 15 s here
def test_index_is_the_population_index_on_two_ranks(spikes_on_ranks):
    build = "from test_index_and_size import if_curve_network as b\nnet, pop, mon = b()\n"
    assert spikes_on_ranks(build, Path(__file__).parent, 0.1) > 100


@pytest.mark.parametrize(
    ("equations", "kw", "fragment"),
    [
        ("dv/dt = -v / (10*ms) : volt\ni : 1", {}, "`i` cannot be declared"),
        ("dv/dt = -v / (10*ms) : volt\nneuron_index : 1", {}, "generated code uses that name"),
        ("dv/dt = -v / (10*ms) : volt", {"initial": {"v": "i * mV"}}, "parameters and numbers"),
        ("dv/dt = -v / (10*ms) : volt\nv0 = i : volt", {}, "unit mismatch"),
    ],
)
def test_errors(equations, kw, fragment):
    with pytest.raises(EquationError, match=fragment):
        neuron_model("BAD", equations, **kw)
