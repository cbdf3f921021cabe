"""PyNN's composed neurons (``PointNeuron``) on pyNN.snn: against snn's monolithic cell types,
closed forms, and the compositions it refuses.

Voltages here are PyNN's mV, currents nA, conductances uS, times ms.
"""

from __future__ import annotations

import math

import numpy as np
import pyNN.snn as sim
import pytest
from numpy.testing import assert_allclose
from pyNN import errors
from pyNN.parameters import Sequence
from pyNN.standardmodels import receptors as pynn_receptors

from snn.core.errors import ConfigurationError


def _inputs(times):
    return sim.Population(
        len(times), sim.SpikeSourceArray(spike_times=[Sequence(t) for t in times])
    )


def _connect(pre, post, weight, receptor):
    return sim.Projection(
        pre,
        post,
        sim.AllToAllConnector(),
        sim.StaticSynapse(weight=weight, delay=1.0),
        receptor_type=receptor,
    )


def _trace(population, name):
    return population.get_data().segments[0].filter(name=name)[0].magnitude[:, 0]


@pytest.mark.parametrize("i_offset", [0.0, 0.3])
def test_adexp_with_alpha_conductances_is_eif_cond_alpha_isfa_ista(i_offset):
    # the composition PyNN's EIF_cond_alpha_isfa_ista stands for, against snn's built-in
    # AdExCondAlpha (NEST aeif_cond_alpha): both RKF45 with NEST's tolerance (1e-6 mV per
    # substep) but with their own substeps, so subthreshold they agree to that tolerance (6e-8 mV
    # seen); with 0.3 nA the cell fires and both spike on the same steps (the built-in resets at
    # the crossing inside the step, the equations at its end: the traces then differ by 0.015 mV)
    sim.setup(timestep=0.1, min_delay=1.0)
    common = {"tau_m": 10.0, "v_rest": -60.0, "i_offset": i_offset}
    mono = sim.Population(
        1,
        sim.EIF_cond_alpha_isfa_ista(
            tau_syn_E=1.0, tau_syn_I=1.5, e_rev_E=0.0, e_rev_I=-70.0, **common
        ),
        initial_values={"v": -60.0},
    )
    comp = sim.Population(
        1,
        sim.PointNeuron(
            sim.AdExp(**common),
            excitatory=sim.AlphaPSR(tau_syn=1.0, e_syn=0.0),
            inhibitory=sim.AlphaPSR(tau_syn=1.5, e_syn=-70.0),
        ),
        initial_values={"v": -60.0},
    )
    inputs = _inputs([[30.0, 100.0, 102.0], [60.0]])
    for pop in (mono, comp):
        pop.record(["v", "w", "spikes"])
        _connect(inputs[0:1], pop, 0.01, "excitatory")
        _connect(inputs[1:2], pop, 0.1, "inhibitory")
    sim.run(200.0)
    mono_spikes = mono.get_data().segments[0].spiketrains[0].magnitude
    comp_spikes = comp.get_data().segments[0].spiketrains[0].magnitude
    assert_allclose(comp_spikes, mono_spikes, rtol=0, atol=1e-9)
    if i_offset == 0.0:
        assert mono_spikes.size == 0
        assert_allclose(_trace(comp, "v"), _trace(mono, "v"), rtol=0, atol=1e-6)
        assert_allclose(_trace(comp, "w"), _trace(mono, "w"), rtol=0, atol=1e-9)
    else:
        assert mono_spikes.size == 2  # 28.5 and 105 ms
    sim.end()


def test_lif_with_conductances_is_if_cond_exp():
    # IF_cond_exp (snn's LIFCondExp, RK4 with exact conductances) and LIF + two
    # CondExpPostSynapticResponses (the equations, RK4 with the conductances propagated exactly):
    # the same arithmetic up to the order of additions, 1e-9 mV
    sim.setup(timestep=0.1, min_delay=1.0)
    mono = sim.Population(
        1, sim.IF_cond_exp(tau_syn_E=2.0, tau_syn_I=4.0, e_rev_E=0.0, e_rev_I=-80.0)
    )
    comp = sim.Population(
        1,
        sim.PointNeuron(
            sim.LIF(),
            excitatory=sim.ExpPSR(tau_syn=2.0, e_syn=0.0),
            inhibitory=sim.ExpPSR(tau_syn=4.0, e_syn=-80.0),
        ),
    )
    inputs = _inputs([[20.0, 22.0, 24.0], [50.0]])
    for pop in (mono, comp):
        pop.record("v")
        _connect(inputs[0:1], pop, 0.02, "excitatory")
        _connect(inputs[1:2], pop, 0.05, "inhibitory")
    sim.run(100.0)
    v = _trace(comp, "v")
    assert v.max() > -64.0  # the inputs moved it
    assert_allclose(v, _trace(mono, "v"), rtol=0, atol=1e-9)
    sim.end()


def test_beta_conductance_peaks_at_the_weight():
    # CondBetaPostSynapticResponse (NEST's aeif_cond_beta_multisynapse normalisation): g(s) =
    # w g0 tau_r tau_d / (tau_d - tau_r) (exp(-s / tau_d) - exp(-s / tau_r)), peak w at
    # t_p = tau_r tau_d ln(tau_d / tau_r) / (tau_d - tau_r); on LIF the conductances are
    # propagated exactly: 1e-12 relative
    sim.setup(timestep=0.1, min_delay=1.0)
    tau_r, tau_d, w = 0.5, 3.0, 0.04
    pop = sim.Population(
        1, sim.PointNeuron(sim.LIF(), AMPA=sim.BetaPSR(tau_rise=tau_r, tau_decay=tau_d))
    )
    pop.record("AMPA.gsyn")
    _connect(_inputs([[10.0]]), pop, w, "AMPA")
    sim.run(30.0)
    g = _trace(pop, "AMPA.gsyn")
    t = np.arange(g.size) * 0.1
    s = np.clip(t - 11.0, 0, None)
    shape = np.exp(-s / tau_d) - np.exp(-s / tau_r)
    t_peak = tau_r * tau_d * math.log(tau_d / tau_r) / (tau_d - tau_r)
    peak = math.exp(-t_peak / tau_d) - math.exp(-t_peak / tau_r)
    assert_allclose(g, w * shape / peak, rtol=1e-12, atol=1e-18)
    sim.end()


def test_parameters_read_set_and_reach_the_model():
    sim.setup(timestep=0.1)
    cell = sim.PointNeuron(
        sim.AdExp(tau_m=12.0), AMPA=sim.AlphaPSR(tau_syn=1.0), GABAA=sim.ExpPSR(e_syn=-75.0)
    )
    pop = sim.Population(3, cell)
    assert cell.receptor_types == ["AMPA", "GABAA"]
    assert pop.get("tau_m") == pytest.approx(12.0)
    assert pop.get("GABAA.e_syn") == -75.0
    pop.set(**{"AMPA.tau_syn": [1.0, 2.0, 3.0]}, tau_w=100.0)
    assert_allclose(pop.get("AMPA.tau_syn"), [1.0, 2.0, 3.0])
    model = pop._snn.model
    assert_allclose(model.tau_syn_AMPA, [1e-3, 2e-3, 3e-3])  # SI inside
    assert model.tau_w == pytest.approx(0.1)
    assert model.g_l == pytest.approx(0.281e-9 / 12e-3)  # cm / tau_m
    with pytest.raises(errors.NonExistentParameterError):
        pop.get("NMDA.tau_syn")
    sim.end()


def test_reset_repeats_the_run():
    sim.setup(timestep=0.1)
    pop = sim.Population(
        1, sim.PointNeuron(sim.LIF(), AMPA=sim.CurrExpPostSynapticResponse(tau_syn=2.0))
    )
    pop.record(["v", "AMPA.isyn"])
    _connect(_inputs([[5.0]]), pop, 0.5, "AMPA")
    sim.run(20.0)
    sim.reset()
    sim.run(20.0)
    first, second = pop.get_data().segments
    for name in ("v", "AMPA.isyn"):
        a = first.filter(name=name)[0].magnitude
        assert np.abs(a).max() > 0 if name != "v" else True
        assert np.array_equal(a, second.filter(name=name)[0].magnitude), name
    sim.end()


def test_receptor_types_come_from_the_composition():
    sim.setup(timestep=0.1)
    pop = sim.Population(1, sim.PointNeuron(sim.LIF(), NMDA=sim.ExpPSR()))
    with pytest.raises(errors.ConnectionError, match="NMDA"):
        _connect(_inputs([[1.0]]), pop, 0.01, "excitatory")
    sim.end()


def test_conductance_weights_must_not_be_negative():
    sim.setup(timestep=0.1)
    pop = sim.Population(1, sim.PointNeuron(sim.LIF(), AMPA=sim.AlphaPSR()))
    # PyNN refuses them (the cell type says it is conductance-based) ...
    with pytest.raises(errors.ConnectionError, match="positive for conductance-based"):
        _connect(_inputs([[1.0]]), pop, -0.01, "AMPA")
    # ... and so does the snn model's receptor, for weights set later through snn
    (receptor,) = [r for r in pop._snn.model.receptors if r.name == "AMPA"]
    assert (receptor.sign, receptor.unit) == (1, "S")
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    prj = _connect(src, pop, 0.01, "AMPA")
    with pytest.raises(ConfigurationError, match=">= 0"):
        prj._parts[0].snn.set(weight=-1e-9)
    sim.end()


@pytest.mark.parametrize(
    ("make", "kind", "words"),
    [
        (
            lambda: sim.PointNeuron(sim.IF_curr_exp(), AMPA=sim.ExpPSR()),
            errors.NoModelAvailableError,
            "from LIF or AdExp .* got snn.io._pynn.cells.IF_curr_exp",
        ),
        (
            lambda: sim.PointNeuron(sim.LIF(), AMPA=pynn_receptors.CondExpPostSynapticResponse()),
            errors.NoModelAvailableError,
            "receptor 'AMPA'.* got pyNN.standardmodels.receptors.CondExpPostSynapticResponse",
        ),
        (
            lambda: sim.PointNeuron(
                sim.LIF(), AMPA=sim.ExpPSR(), GABA=sim.CurrExpPostSynapticResponse()
            ),
            errors.NoModelAvailableError,
            "cannot mix current-based and conductance-based",
        ),
        (
            lambda: sim.PointNeuron(sim.LIF(), syn=sim.CurrExpPostSynapticResponse()),
            errors.InvalidParameterValueError,
            r"'syn' would name the model's variables \['i_syn'\]",
        ),
        (
            lambda: sim.PointNeuron(sim.LIF(), current=sim.ExpPSR()),
            errors.InvalidParameterValueError,
            "'current' would name",
        ),
    ],
)
def test_compositions_snn_cannot_build_are_refused(make, kind, words):
    sim.setup(timestep=0.1)
    with pytest.raises(kind, match=words):
        make()
    sim.end()


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (lambda: sim.PointNeuron(sim.LIF(tau_m=0.0)), "`tau_m` must be > 0 ms, got 0.0"),
        (
            lambda: sim.PointNeuron(sim.LIF(), AMPA=sim.ExpPSR(tau_syn=-1.0)),
            "`AMPA.tau_syn` must be > 0 ms, got -1.0",
        ),
        (
            lambda: sim.PointNeuron(sim.AdExp(delta_T=0.0)),
            r"`delta_T` must be > 0 mV \(use LIF for 0\), got 0.0",
        ),
        (lambda: sim.PointNeuron(sim.AdExp(v_spike=-60.0)), "v_thresh <= v_spike"),
    ],
)
def test_parameter_values_snn_cannot_integrate_are_refused(cell, words):
    sim.setup(timestep=0.1)
    with pytest.raises(errors.InvalidParameterValueError, match=words):
        sim.Population(1, cell())
    sim.end()
