"""A model of parameters and subexpressions only (Brian2's ``NeuronGroup(N, 'v : volt\\n...')``,
used to tabulate rate functions, as ``COBAHH_approximated.py`` and ``exprel_function.py`` do)."""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV
from snn.equations import neuron_model


def test_subexpressions_of_parameters_are_read_and_recorded():
    rates = neuron_model(
        "Rates",
        """
        v : volt
        alpha = 0.32/mV * 4*mV / exprel((-50*mV - v) / (4*mV)) / ms : Hz
        """,
    )
    v = np.linspace(-80, 20, 7) * mV
    net = Network(dt=0.1 * ms)
    pop = net.add_population(rates(v=v), v.size)
    mon = net.record_state(pop, "alpha")
    net.run(0.5 * ms)
    x = (-50 * mV - v) / (4 * mV)
    # exprel(x) = (exp(x) - 1) / x, written out for these x (none near 0)
    want = 0.32 / mV * 4 * mV / ((np.exp(x) - 1) / x) / ms
    assert np.allclose(pop.get("alpha"), want, rtol=1e-13, atol=0)
    assert np.array_equal(mon["alpha"], np.broadcast_to(pop.get("alpha"), (5, v.size)))
    pop.set(v=v + 1 * mV)  # a parameter: set between runs, read at once
    assert not np.allclose(pop.get("alpha"), want)
