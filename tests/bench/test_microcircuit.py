"""The Potjans & Diesmann (2014) microcircuit benchmark model (``snn-bench run microcircuit``)."""

from __future__ import annotations

import numpy as np
import pytest

from snn.bench._microcircuit import microcircuit_network
from snn.bench._pd14 import FULL_NUM_NEURONS, POPULATIONS, RESOLUTION, microcircuit, psc_over_psp


def test_derived_parameters_match_the_published_ones():
    # Potjans & Diesmann 2014, Table 5: a 0.15 mV PSP is a PSC of 87.8 pA (sd 8.8 pA), with
    # C_m = 250 pF, tau_m = 10 ms, tau_syn = 0.5 ms
    w = psc_over_psp(250.0, 10.0, 0.5) * 0.15
    assert w == pytest.approx(87.81, abs=0.01)
    full = microcircuit(1.0)
    # 77,169 neurons (Potjans & Diesmann 2014, Table 5) and "about 0.3 billion synapses"
    assert full.num_neurons.sum() == 77_169 == FULL_NUM_NEURONS.sum()
    assert 2.9e8 < full.total_synapses < 3.0e8
    assert np.all(full.dc_amp == 0.0)  # full scale, Poisson background: no compensation
    # scale 0.1 as the NEST 3.10 measurement: 7,717 neurons, 3.0 million synapses
    tenth = microcircuit(0.1)
    assert tenth.num_neurons.sum() == 7_717
    assert round(tenth.total_synapses / 1e6, 1) == 3.0
    # scaled in-degrees: weights grow by 1/sqrt(k) and a positive DC keeps the mean input
    assert tenth.weight_mean[0, 0] == pytest.approx(full.weight_mean[0, 0] / np.sqrt(0.1))
    assert np.all(tenth.dc_amp > 0.0)
    with pytest.raises(ValueError, match="scale"):
        microcircuit(1.5)


def test_network_has_the_derived_synapses_weights_and_delays():
    p = microcircuit(0.01)
    net, pops = microcircuit_network(scale=0.01, seed=2)
    assert list(pops) == list(POPULATIONS)
    assert [pop.size for pop in pops.values()] == p.num_neurons.tolist()
    net.compile()
    assert net.n_synapses == p.total_synapses
    by_name = {proj.name: proj for proj in net.projections}
    for i, target in enumerate(POPULATIONS):
        for j, source in enumerate(POPULATIONS):
            n = int(p.num_synapses[i, j])
            if n == 0:
                assert f"{source}->{target}" not in by_name
                continue
            proj = by_name[f"{source}->{target}"]
            assert proj.weights().shape == (n,)  # fixed total number, exactly
            w = proj.weights()
            # sign-preserving redraws (excitatory >= 0, inhibitory <= 0)
            assert np.all(w >= 0) if p.weight_mean[i, j] > 0 else np.all(w <= 0)
            # delays redrawn below one step: none shorter than the resolution
            assert proj.delays().min() >= RESOLUTION * 1e-3 - 1e-12


def test_short_run_is_active_and_reproducible():
    spikes = []
    for _ in range(2):
        net, pops = microcircuit_network(scale=0.02, seed=5)
        mons = [net.record_spikes(pop) for pop in pops.values()]
        net.run(0.1)
        spikes.append(np.concatenate([np.stack([m.steps, m.senders]) for m in mons], axis=1))
    # 89 spikes at this seed (1,543 neurons, the first 100 ms after the initial potentials)
    assert spikes[0].shape[1] > 40
    assert np.array_equal(spikes[0], spikes[1])
