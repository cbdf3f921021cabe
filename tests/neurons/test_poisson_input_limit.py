"""PoissonInput's limit of 100 events per neuron and step: the refusal says how to get a higher
rate (NEST's ``recording_demo`` drives a neuron at 1 MHz, 100 events per 0.1 ms step), and the
way it suggests, drives whose rates add up, is accepted."""

from __future__ import annotations

import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, pA
from snn.neurons import LIFExp, PoissonInput


def test_too_many_events_per_step_suggests_splitting_the_drive():
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(LIFExp(), 1)
    drive = PoissonInput(rate=1e6 * Hz, weight=10 * pA, receptor="exc")
    with pytest.raises(ConfigurationError, match="several PoissonInput drives") as info:
        net.add_drive(drive, pop)
    assert "rate * dt = 100" in str(info.value)


def test_drives_whose_rates_add_up_are_accepted():
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(LIFExp(), 1)
    for _ in range(2):
        net.add_drive(PoissonInput(rate=5e5 * Hz, weight=10 * pA, receptor="exc"), pop)
    spikes = net.record_spikes(pop)
    net.run(10 * ms)
    assert spikes.n_spikes > 0
