"""pyNN.snn against closed forms and snn's own models: units, signs, translations, connectors,
current sources, spike sources and plasticity.

Voltages here are PyNN's mV, currents nA, conductances uS, times ms, capacitances nF.
"""

from __future__ import annotations

import importlib
import math
import sys

import numpy as np
import pyNN.snn as sim
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pyNN import errors
from pyNN.parameters import ArrayParameter
from pyNN.random import RandomDistribution

import snn.core
import snn.io._pynn
import snn.neurons
import snn.plasticity
import snn.synapses
from snn.core.units import ms, mV, nA, nF, nS, uS


def test_pyNN_snn_is_the_backend_module():
    assert sim is snn.io._pynn
    # a submodule too is the backend's own module, not a second copy under the alias
    assert (
        importlib.import_module("pyNN.snn.populations") is sys.modules["snn.io._pynn.populations"]
    )
    assert sim.list_standard_models() == sorted(sim.list_standard_models())
    assert "IF_cond_exp" in sim.list_standard_models()


def _lif_step_constants(tau_m, cm, dt):
    """Exact one-step propagator of dV/dt = -(V - E) / tau_m + I / cm (ms, nF, nA -> mV)."""
    p = math.exp(-dt / tau_m)
    return p, tau_m / cm * (1.0 - p)


def test_dc_response_is_the_closed_form():
    # V(t) = v_rest + R I (1 - exp(-t / tau_m)), R = tau_m / cm [MOhm = mV/nA]
    sim.setup(timestep=0.1)
    cell = sim.IF_curr_exp(tau_m=10.0, cm=0.25, v_rest=-70.0, v_thresh=-40.0, i_offset=0.5)
    p = sim.Population(1, cell, initial_values={"v": -70.0})
    p.record("v")
    sim.run(30.0)
    v = p.get_data().segments[0].filter(name="v")[0]
    t = v.times.magnitude
    expected = -70.0 + 10.0 / 0.25 * 0.5 * (1.0 - np.exp(-t / 10.0))
    # 1e-9 mV: float rounding of 300 exact steps
    assert_allclose(v.magnitude[:, 0], expected, rtol=0, atol=1e-9)
    assert v.units == 1.0 * v.units and str(v.units.dimensionality) == "mV"


def test_psc_weights_are_nA_and_inhibition_is_negative():
    # One input spike at 5 ms with a 1 ms delay: the current w exp(-s / tau_s) starts at 6 ms and
    # V - v_rest = w / cm * tau_m tau_s / (tau_m - tau_s) (exp(-s / tau_m) - exp(-s / tau_s)).
    sim.setup(timestep=0.1)
    tau_m, tau_s, cm = 10.0, 2.0, 0.5
    cells = sim.Population(
        2, sim.IF_curr_exp(tau_m=tau_m, tau_syn_E=tau_s, tau_syn_I=tau_s, cm=cm, v_rest=-65.0)
    )
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    syn_e = sim.StaticSynapse(weight=0.5, delay=1.0)
    syn_i = sim.StaticSynapse(weight=-0.5, delay=1.0)
    sim.Projection(source, cells[0:1], sim.AllToAllConnector(), syn_e, receptor_type="excitatory")
    sim.Projection(source, cells[1:2], sim.AllToAllConnector(), syn_i, receptor_type="inhibitory")
    cells.record("v")
    sim.run(20.0)
    v = cells.get_data().segments[0].filter(name="v")[0]
    s = np.clip(v.times.magnitude - 6.0, 0.0, None)
    psp = 0.5 / cm * tau_m * tau_s / (tau_m - tau_s) * (np.exp(-s / tau_m) - np.exp(-s / tau_s))
    assert psp.max() > 0.5  # the response is visible
    # 1e-9 mV: float rounding of the exact propagators
    assert_allclose(v.magnitude[:, 0], -65.0 + psp, rtol=0, atol=1e-9)
    assert_allclose(v.magnitude[:, 1], -65.0 - psp, rtol=0, atol=1e-9)
    # PyNN's own rule: a positive weight onto inhibitory current synapses is refused
    with pytest.raises(errors.ConnectionError, match="negative"):
        sim.Projection(source, cells, sim.AllToAllConnector(), syn_e, receptor_type="inhibitory")


def test_conductance_weights_are_uS_and_recorded_in_uS():
    sim.setup(timestep=0.1)
    cells = sim.Population(1, sim.IF_cond_exp(tau_syn_E=3.0))
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0]))
    sim.Projection(
        source, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.02, delay=0.5)
    )
    cells.record("gsyn_exc")
    sim.run(10.0)
    g = cells.get_data().segments[0].filter(name="gsyn_exc")[0]
    assert str(g.units.dimensionality) == "uS"
    t = g.times.magnitude
    # the conductance jumps by the weight at 2.5 ms and decays with tau_syn_E
    expected = np.where(t >= 2.5 - 1e-9, 0.02 * np.exp(-(t - 2.5) / 3.0), 0.0)
    assert_allclose(g.magnitude[:, 0], expected, rtol=1e-12, atol=1e-15)


#: (PyNN cell type, PyNN parameters, snn model, the same parameters in SI, by hand)
TRANSLATIONS = [
    (
        "IF_curr_exp",
        dict(
            cm=0.3,
            tau_m=15.0,
            v_rest=-66.0,
            v_reset=-68.0,
            v_thresh=-52.0,
            tau_refrac=2.5,
            tau_syn_E=4.0,
            tau_syn_I=6.0,
            i_offset=0.2,
        ),
        snn.neurons.LIFExp,
        dict(
            c_m=0.3 * nF,
            tau_m=15 * ms,
            e_l=-66 * mV,
            v_reset=-68 * mV,
            v_th=-52 * mV,
            t_ref=2.5 * ms,
            tau_syn_ex=4 * ms,
            tau_syn_in=6 * ms,
            i_e=0.2 * nA,
        ),
    ),
    (
        "IF_curr_alpha",
        dict(cm=0.3, tau_m=15.0, tau_syn_E=0.4, i_offset=-0.1),
        snn.neurons.LIFAlpha,
        dict(c_m=0.3 * nF, tau_m=15 * ms, tau_syn_ex=0.4 * ms, i_e=-0.1 * nA),
    ),
    (
        "IF_curr_delta",
        dict(cm=2.0, tau_m=30.0, v_thresh=-45.0),
        snn.neurons.LIFDelta,
        dict(c_m=2 * nF, tau_m=30 * ms, v_th=-45 * mV),
    ),
    (
        "IF_cond_exp",
        dict(cm=0.2, tau_m=10.0, e_rev_E=5.0, e_rev_I=-75.0, tau_syn_E=2.0, tau_syn_I=8.0),
        snn.neurons.LIFCondExp,
        # g_l = cm / tau_m = 0.2 nF / 10 ms = 20 nS
        dict(
            c_m=0.2 * nF,
            g_l=20 * nS,
            e_ex=5 * mV,
            e_in=-75 * mV,
            tau_syn_ex=2 * ms,
            tau_syn_in=8 * ms,
        ),
    ),
    (
        "IF_cond_alpha",
        dict(cm=0.5, tau_m=25.0),
        snn.neurons.LIFCondAlpha,
        dict(c_m=0.5 * nF, g_l=20 * nS),
    ),
    (
        "EIF_cond_exp_isfa_ista",
        dict(
            cm=0.281,
            tau_m=9.3667,
            a=4.0,
            b=0.0805,
            delta_T=2.0,
            tau_w=144.0,
            v_spike=-40.0,
            v_thresh=-50.4,
        ),
        snn.neurons.AdExCondExp,
        # g_l = 0.281 nF / 9.3667 ms = 30.0 nS (Brette & Gerstner 2005, Table 1)
        dict(
            c_m=0.281 * nF,
            g_l=0.281 / 9.3667 * uS,
            a=4 * nS,
            b=0.0805 * nA,
            delta_t=2 * mV,
            tau_w=144 * ms,
            v_peak=-40 * mV,
            v_th=-50.4 * mV,
        ),
    ),
    (
        "IF_facets_hardware1",
        dict(g_leak=30.0, tau_syn_E=20.0, v_thresh=-50.0, e_rev_I=-75.0),
        snn.neurons.LIFCondExp,
        # C_m 200 pF, t_ref 1 ms and E_ex 0 mV fixed (PyNN's NEST backend, iaf_cond_exp)
        dict(
            g_l=30 * nS,
            tau_syn_ex=20 * ms,
            v_th=-50 * mV,
            e_in=-75 * mV,
            c_m=200e-12,
            t_ref=1 * ms,
            e_ex=0.0,
        ),
    ),
    (
        "EIF_cond_alpha_isfa_ista",
        dict(cm=0.25, tau_m=10.0, a=2.0, b=0.05, tau_syn_E=0.5, v_spike=-30.0),
        snn.neurons.AdExCondAlpha,
        # g_l = 0.25 nF / 10 ms = 25 nS
        dict(
            c_m=0.25 * nF,
            g_l=25 * nS,
            a=2 * nS,
            b=0.05 * nA,
            tau_syn_ex=0.5 * ms,
            v_peak=-30 * mV,
        ),
    ),
    (
        "IF_cond_exp_gsfa_grr",
        dict(
            cm=0.3,
            tau_m=10.0,
            q_sfa=10.0,
            tau_sfa=100.0,
            e_rev_sfa=-75.0,
            q_rr=3000.0,
            tau_rr=2.0,
            e_rev_rr=-80.0,
        ),
        snn.neurons.LIFCondExpSfaRr,
        # g_l = 0.3 nF / 10 ms = 30 nS; q_sfa, q_rr in nS
        dict(
            c_m=0.3 * nF,
            g_l=30 * nS,
            q_sfa=10 * nS,
            tau_sfa=100 * ms,
            e_sfa=-75 * mV,
            q_rr=3000 * nS,
            tau_rr=2 * ms,
            e_rr=-80 * mV,
        ),
    ),
    (
        "GIF_cond_exp",
        dict(
            cm=0.1,
            tau_m=10.0,
            v_t_star=-50.0,
            delta_v=1.0,
            lambda0=2.0,
            tau_refrac=3.0,
            v_reset=-60.0,
            i_offset=0.1,
        ),
        snn.neurons.GIFCondExp,
        # g_l = 0.1 nF / 10 ms = 10 nS; the kernels are PyNN's defaults (tau_eta, tau_gamma
        # 1, 10, 100 ms; a_eta 1 nA, a_gamma 1 mV each)
        dict(
            c_m=0.1 * nF,
            g_l=10 * nS,
            v_t_star=-50 * mV,
            delta_v=1 * mV,
            lambda_0=2.0,
            t_ref=3 * ms,
            v_reset=-60 * mV,
            i_e=0.1 * nA,
            tau_stc=(1 * ms, 10 * ms, 100 * ms),
            q_stc=(1 * nA,) * 3,
            tau_sfa=(1 * ms, 10 * ms, 100 * ms),
            q_sfa=(1 * mV,) * 3,
        ),
    ),
    (
        "HH_cond_exp",
        dict(gbar_Na=20.0, gbar_K=6.0, g_leak=0.01, cm=0.2, v_offset=-63.0, e_rev_leak=-65.0),
        snn.neurons.HHTraubMiles,
        # NEST hh_cond_exp_traub (PyNN's HH_cond_exp on NEST): spikes above V_T + 30 mV, t_ref
        # 2 ms
        dict(
            g_na=20 * uS,
            g_k=6 * uS,
            g_l=0.01 * uS,
            c_m=0.2 * nF,
            v_t=-63 * mV,
            e_l=-65 * mV,
            v_th=-33 * mV,
            t_ref=2 * ms,
        ),
    ),
    (
        "Izhikevich",
        dict(a=0.02, b=0.2, c=-65.0, d=8.0, i_offset=0.01),
        snn.neurons.Izhikevich,
        # a, b: 1/ms -> 1/s; d: mV/ms = V/s
        dict(a=20.0, b=200.0, c=-65 * mV, d=8.0, i_e=0.01 * nA),
    ),
]


@pytest.mark.parametrize(
    ("celltype", "pynn", "model", "si"), TRANSLATIONS, ids=[t[0] for t in TRANSLATIONS]
)
def test_translations_give_the_snn_model_in_SI(celltype, pynn, model, si):
    sim.setup()
    p = sim.Population(3, getattr(sim, celltype)(**pynn))
    assert type(p._snn.model) is model
    for name, value in si.items():
        assert_allclose(getattr(p._snn.model, name), value, rtol=1e-12, err_msg=name)
    # and back: PyNN's get gives the values in PyNN's units
    for name, value in pynn.items():
        assert_allclose(p.get(name), value, rtol=1e-12, err_msg=name)


def test_heterogeneous_parameters_reach_the_model_per_neuron():
    sim.setup()
    p = sim.Population(4, sim.IF_cond_exp(tau_m=lambda i: 10.0 + i, cm=0.5))
    # g_l = 0.5 nF / (10 + i) ms
    assert_allclose(p._snn.model.g_l, 0.5 * nF / ((10.0 + np.arange(4)) * ms), rtol=1e-12)
    assert_allclose(p.get("tau_m"), 10.0 + np.arange(4), rtol=1e-12)
    assert_allclose(p[1:3].get("tau_m"), [11.0, 12.0], rtol=1e-12)


def test_HH_cond_exp_detects_spikes_as_NEST_hh_cond_exp_traub():
    sim.setup()
    p = sim.Population(2, sim.HH_cond_exp(v_offset=-63.0))
    assert p._snn.model.spike_detection == "peak"  # V above threshold and falling
    # the detection threshold follows V_T (PyNN's v_offset) as NEST's does
    p[1:].set(v_offset=-60.0)
    assert_allclose(p._snn.model.v_th, [-33 * mV, -30 * mV], rtol=1e-12)


def test_GIF_cond_exp_kernels_are_per_population():
    sim.setup()
    two = ArrayParameter([0.1, 0.2])
    p = sim.Population(2, sim.GIF_cond_exp(tau_eta=ArrayParameter([5.0, 50.0]), a_eta=two))
    assert_allclose(p._snn.model.tau_stc, (5 * ms, 50 * ms), rtol=1e-12)
    assert_allclose(p._snn.model.q_stc, (0.1 * nA, 0.2 * nA), rtol=1e-12)
    differ = [ArrayParameter([1.0, 10.0]), ArrayParameter([2.0, 10.0])]
    with pytest.raises(errors.InvalidParameterValueError, match="same for every neuron"):
        sim.Population(2, sim.GIF_cond_exp(tau_eta=differ, a_eta=two))
    # the population that could not be made is not recorded at the next run
    p.record("spikes")
    sim.run(1.0)


def test_GIF_cond_exp_state_sums_are_NEST_s_recomputed_values():
    sim.setup()
    # NEST recomputes I_stc and E_sfa (i_eta, v_t) from the kernels before their first use, so
    # their initial values do nothing there; here too (they cannot be recorded)
    p = sim.Population(1, sim.GIF_cond_exp(), initial_values={"v_t": -40.0, "i_eta": 0.3})
    assert p._snn.get("v")[0] == pytest.approx(-65 * mV)
    p.record("v_t")
    with pytest.raises(errors.RecordingError, match="v_t"):
        sim.run(1.0)


def _native_rule(prj):
    (part,) = prj._parts
    return part.snn.rule


def test_common_connectors_run_on_snn_rules(seed):
    sim.setup(rng_seed=seed)
    a = sim.Population(200, sim.IF_cond_exp())
    b = sim.Population(300, sim.IF_cond_exp())
    syn = sim.StaticSynapse(weight=0.01, delay=1.0)

    prj = sim.Projection(a, b, sim.FixedProbabilityConnector(0.1), syn)
    assert isinstance(_native_rule(prj), snn.synapses.PairwiseBernoulli)
    # Binomial(60000, 0.1): mean 6000, sd 73; 5 sd
    assert abs(len(prj) - 6000) < 5 * 73

    prj = sim.Projection(a, a, sim.AllToAllConnector(allow_self_connections=False), syn)
    assert isinstance(_native_rule(prj), snn.synapses.AllToAll)
    i, j = np.array(prj.get("weight", format="list"))[:, :2].T
    assert len(prj) == 200 * 199 and not np.any(i == j)

    prj = sim.Projection(a, b, sim.FixedNumberPreConnector(5), syn)
    assert isinstance(_native_rule(prj), snn.synapses.FixedIndegree)
    w = prj.get("weight", format="array")
    assert_array_equal((~np.isnan(w)).sum(axis=0), 5)

    prj = sim.Projection(a, b, sim.FixedNumberPostConnector(4), syn)
    assert isinstance(_native_rule(prj), snn.synapses.FixedOutdegree)
    w = prj.get("weight", format="array")
    assert_array_equal((~np.isnan(w)).sum(axis=1), 4)

    prj = sim.Projection(a, b, sim.FixedTotalNumberConnector(777), syn)
    assert isinstance(_native_rule(prj), snn.synapses.FixedTotalNumber)
    assert len(prj) == 777

    prj = sim.Projection(a, a, sim.OneToOneConnector(), syn)
    i, j, w, d = np.array(prj.get(["weight", "delay"], format="list")).T
    assert_array_equal(i, j)
    assert_allclose(w, 0.01, rtol=1e-12)
    assert_allclose(d, 1.0, rtol=1e-12)


def test_views_and_assemblies_keep_pynn_indices():
    sim.setup()
    a = sim.Population(30, sim.IF_curr_exp())
    b = sim.Population(20, sim.IF_curr_exp())
    syn = sim.StaticSynapse(weight=0.1, delay=0.5)
    # contiguous views: snn's rule on snn views; indices are the views' own
    prj = sim.Projection(a[10:14], b[5:8], sim.AllToAllConnector(), syn)
    i, j = np.array(prj.get("weight", format="list"))[:, :2].T
    assert sorted(zip(i, j, strict=True)) == [(p, q) for p in range(4) for q in range(3)]
    (part,) = prj._parts
    assert_array_equal(np.unique(part.snn.sources()), np.arange(10, 14))
    assert_array_equal(np.unique(part.snn.targets()), np.arange(5, 8))
    # an assembly: PyNN's generic connector, one snn projection per pair of populations
    both = a + b
    prj = sim.Projection(
        a[0:5], both, sim.FixedNumberPreConnector(2), syn, receptor_type="excitatory"
    )
    assert len(prj._parts) == 2
    assert all(isinstance(part.snn.rule, snn.synapses.Explicit) for part in prj._parts)
    w = prj.get("weight", format="array")
    assert w.shape == (5, 50)
    assert_array_equal((~np.isnan(w)).sum(axis=0), 2)
    # pair by pair rules onto an assembly: snn's rule for each of its populations
    prj = sim.Projection(
        a[0:5], both, sim.FixedProbabilityConnector(1.0), syn, receptor_type="excitatory"
    )
    assert [type(part.snn.rule) for part in prj._parts] == [snn.synapses.PairwiseBernoulli] * 2
    assert len(prj) == 5 * 50


def test_connection_lists_come_back_unchanged():
    sim.setup()
    a = sim.Population(4, sim.IF_cond_exp())
    b = sim.Population(3, sim.IF_cond_exp())
    conns = [(0, 0, 0.1, 0.3), (3, 1, 0.2, 1.4), (1, 2, 0.3, 2.0), (1, 2, 0.4, 0.5)]
    prj = sim.Projection(a, b, sim.FromListConnector(conns), sim.StaticSynapse())
    got = sorted(prj.get(["weight", "delay"], format="list"))
    assert_allclose(got, sorted(conns), rtol=1e-12)
    assert [c.weight for c in prj.connections] == pytest.approx([c[2] for c in got], rel=1e-12)


def _one_cell_per_source(sources):
    tau_m, cm = 10.0, 0.5
    cells = [
        sim.Population(1, sim.IF_curr_exp(tau_m=tau_m, cm=cm, v_thresh=100.0)) for _ in sources
    ]
    for cell, source in zip(cells, sources, strict=True):
        cell.inject(source)
        source.record()
        cell.record("v")
    return cells, tau_m, cm


def test_recorded_currents_are_what_the_membrane_integrates():
    # with a current i[k] held over step k, the exact step is
    # v[k + 1] = v_rest + (v[k] - v_rest) p + R (1 - p) i[k]
    sim.setup(timestep=0.1)
    sources = [
        sim.DCSource(amplitude=0.3, start=5.0, stop=15.0),
        sim.ACSource(amplitude=0.2, offset=0.1, frequency=100.0, phase=45.0, start=2.0, stop=18.0),
        sim.StepCurrentSource(times=[3.0, 7.5, 12.0], amplitudes=[0.2, -0.1, 0.4]),
        sim.NoisyCurrentSource(mean=0.1, stdev=0.3, start=4.0, stop=16.0, dt=0.5),
    ]
    cells, tau_m, cm = _one_cell_per_source(sources)
    sim.run(10.0)
    sim.run(10.0)
    p, gain = _lif_step_constants(tau_m, cm, 0.1)
    for cell, source in zip(cells, sources, strict=True):
        i = source.get_data().magnitude[:, 0]
        v = cell.get_data().segments[0].filter(name="v")[0].magnitude[:, 0]
        assert i.shape == v.shape == (201,)
        assert np.count_nonzero(i) > 50  # the source was on
        # 1e-9 mV: float rounding
        assert_allclose(v[1:], -65.0 + (v[:-1] + 65.0) * p + gain * i[:-1], rtol=0, atol=1e-9)
    # the AC phase holds at `start` (PyNN): 0.1 + 0.2 sin(45 deg) at t = 2 ms
    assert sources[1].get_data().magnitude[20, 0] == pytest.approx(
        0.1 + 0.2 * math.sin(math.pi / 4)
    )
    # the noise changes every 0.5 ms only
    noise = sources[3].get_data().magnitude[40:160, 0]
    assert len(np.unique(noise)) == 24


def test_step_current_times_follow_pynn_rules():
    sim.setup(timestep=0.1)
    with pytest.raises(ValueError, match="negative"):
        sim.StepCurrentSource(times=[0.4, -0.6], amplitudes=[0.5, -0.5])
    with pytest.raises(ValueError, match="increasing"):
        sim.StepCurrentSource(times=[0.4, 0.2], amplitudes=[0.5, -0.5])
    step = sim.StepCurrentSource(times=[0.41, 0.42, 0.86], amplitudes=[0.5, -0.5, 0.5])
    assert_allclose(step.times.evaluate(), [0.4, 0.9], rtol=1e-12)
    assert_allclose(step.amplitudes.evaluate(), [-0.5, 0.5], rtol=1e-12)


def _spike_times(pop):
    return [np.asarray(st.magnitude) for st in pop.get_data().segments[0].spiketrains]


def test_spike_sources_spike_only_in_their_window(seed):
    sim.setup(timestep=0.1, rng_seed=seed)
    poisson = sim.Population(200, sim.SpikeSourcePoisson(rate=500.0, start=20.0, duration=30.0))
    gamma = sim.Population(
        200, sim.SpikeSourceGamma(alpha=3, beta=600.0, start=10.0, duration=40.0)
    )
    dead = sim.Population(
        200, sim.SpikeSourcePoissonRefractory(rate=200.0, tau_refrac=2.0, duration=60.0)
    )
    for p in (poisson, gamma, dead):
        p.record("spikes")
    sim.run(100.0)
    trains = _spike_times(poisson)
    times = np.concatenate(trains)
    assert times.min() > 20.0 and times.max() <= 50.0
    # Bernoulli(0.05) in each of 300 steps of 200 neurons: mean 3000, sd sqrt(3000 * 0.95) = 53
    assert abs(times.size - 3000) < 5 * 53
    times = np.concatenate(_spike_times(gamma))
    assert times.min() > 10.0 and times.max() <= 50.0
    # mean rate beta / alpha = 200 Hz over 40 ms of 200 neurons: 1600 spikes; the count of a
    # stationary renewal process has variance ~ CV^2 * mean = 1600 / 3 (sd 23)
    assert abs(times.size - 1600) < 5 * 23
    isi = np.concatenate([np.diff(t) for t in _spike_times(dead)])
    assert isi.min() > 2.0 - 1e-9  # never within the dead time
    assert np.concatenate(_spike_times(dead)).max() <= 60.0


def test_stdp_is_snn_pair_stdp_with_pynn_parameters():
    # four spike events at one synapse, the rule applied by hand: PyNN's A_plus and A_minus are
    # steps in units of w_max (NEST stdp_synapse), additive potentiation and multiplicative
    # depression (exponents 0 and 1), the whole 1 ms delay dendritic
    sim.setup(timestep=0.1)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 60.0]))
    kick = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 48.0]))
    post = sim.Population(1, sim.IF_curr_delta(tau_refrac=2.0))  # voltage jumps: weights in mV
    sim.Projection(kick, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=20.0, delay=0.1))
    a_plus, a_minus, w_max, w0, tau = 0.05, 0.06, 0.5, 0.2, 20.0
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(
            tau_plus=tau, tau_minus=tau, A_plus=a_plus, A_minus=a_minus
        ),
        weight_dependence=sim.AdditivePotentiationMultiplicativeDepression(w_min=0.0, w_max=w_max),
        weight=w0,
        delay=1.0,
    )
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), stdp)
    post.record("spikes")
    sim.run(80.0)
    (t_post,) = _spike_times(post)
    assert t_post.size == 2
    arrive = t_post + 1.0
    w = w0
    for t in arrive:  # potentiation by the pre spike at 10 ms, w_max * A_plus * x
        w = min(w + a_plus * w_max * math.exp(-(t - 10.0) / tau), w_max)
    y = np.exp(-(60.0 - arrive) / tau).sum()  # depression at 60 ms, A_minus * w * y
    w = max(w - a_minus * w * y, 0.0)
    assert prj.get("weight", format="list", with_address=False) == pytest.approx([w], rel=1e-9)
    (part,) = prj._parts
    model = part.snn.synapse
    assert isinstance(model, snn.plasticity.PairSTDP)
    assert model.learning_rate == a_plus and model.alpha == pytest.approx(a_minus / a_plus)
    assert model.w_max == pytest.approx(w_max * mV)  # voltage jumps: mV
    # and PyNN's parameters read back
    assert prj.get("A_minus", format="list", with_address=False) == pytest.approx([a_minus])


def test_stdp_limits_are_refused_clearly():
    sim.setup()
    a = sim.Population(2, sim.IF_cond_exp())
    rule = sim.SpikePairRule()
    with pytest.raises(errors.NoModelAvailableError, match="w_min"):
        sim.Projection(
            a,
            a,
            sim.AllToAllConnector(),
            sim.STDPMechanism(rule, sim.AdditiveWeightDependence(w_min=0.1, w_max=1.0)),
        )
    with pytest.raises(errors.NoModelAvailableError, match="dendritic"):
        sim.Projection(
            a,
            a,
            sim.AllToAllConnector(),
            sim.STDPMechanism(rule, sim.AdditiveWeightDependence(), dendritic_delay_fraction=0.0),
        )


def test_simple_stochastic_synapse_is_snns_stochastic_synapse():
    sim.setup(timestep=0.1)
    a = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(3, sim.IF_cond_exp())
    p = np.array([[0.0, 0.5, 1.0], [0.5, 0.5, 1.0]])
    prj = sim.Projection(
        a, b, sim.AllToAllConnector(), sim.SimpleStochasticSynapse(weight=0.01, p=p)
    )
    # one snn projection of snn's model, p per synapse
    (part,) = prj._parts
    assert type(part.snn.synapse) is snn.synapses.StochasticSynapse
    assert_array_equal(prj.get("p", format="array"), p)
    prj.set(p=np.array([[0.2, 0.3, 0.4], [0.5, 0.6, 0.7]]))  # differing values, later
    assert_array_equal(prj.get("p", format="array"), [[0.2, 0.3, 0.4], [0.5, 0.6, 0.7]])
    assert len(prj._parts) == 1
    with pytest.raises(snn.core.ConfigurationError, match=r"`p` must lie in \[0.0, 1.0\], got 1.5"):
        sim.Projection(
            a, b, sim.AllToAllConnector(), sim.SimpleStochasticSynapse(weight=0.01, p=1.5)
        )


def test_tsodyks_markram_takes_the_targets_time_constant():
    sim.setup()
    a = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(3, sim.IF_cond_exp(tau_syn_I=4.0))
    syn = sim.TsodyksMarkramSynapse(U=0.3, tau_rec=500.0, tau_facil=20.0, weight=0.01)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), syn, receptor_type="inhibitory")
    (part,) = prj._parts
    model = part.snn.synapse
    assert isinstance(model, snn.synapses.TsodyksSynapse)
    assert (model.U, model.tau_rec, model.tau_fac, model.tau_psc) == pytest.approx(
        (0.3, 0.5, 0.02, 0.004)
    )
    assert prj.get(["U", "tau_rec", "tau_facil"], format="list", with_address=False)[0] == (
        pytest.approx((0.3, 500.0, 20.0))
    )


def test_tsodyks_markram_onto_different_time_constants_takes_each_targets():
    # PyNN's tsodyksmarkram example: tau_psc follows each target's tau_syn_I (NEST sets it per
    # connection; snn holds it per synapse, in one projection), also onto a view out of order
    sim.setup()
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 20.0]))
    cells = sim.Population(4, sim.IF_cond_exp(tau_syn_I=[1.2, 6.7, 4.3, 2.0]))
    syn = sim.TsodyksMarkramSynapse(U=0.5, tau_rec=800.0, weight=0.01, delay=0.5)
    prj = sim.Projection(source, cells, sim.AllToAllConnector(), syn, receptor_type="inhibitory")
    (part,) = prj._parts
    taus = dict(zip(part.snn.targets().tolist(), part.snn.get("tau_psc"), strict=True))
    assert taus == pytest.approx({0: 1.2 * ms, 1: 6.7 * ms, 2: 4.3 * ms, 3: 2.0 * ms})
    view = cells[[3, 0, 2]]
    prj = sim.Projection(source, view, sim.AllToAllConnector(), syn, receptor_type="inhibitory")
    (part,) = prj._parts
    taus = dict(zip(part.snn.targets().tolist(), part.snn.get("tau_psc"), strict=True))
    assert taus == pytest.approx({0: 1.2 * ms, 2: 4.3 * ms, 3: 2.0 * ms})
    # a new U keeps each synapse's tau_psc
    prj.set(U=0.25)
    assert part.snn.get("tau_psc") == pytest.approx(
        [1.2 * ms, 4.3 * ms, 2.0 * ms][:0] + [taus[t] for t in part.snn.targets().tolist()]
    )


def test_vogels_rule_is_snn_inhibitory_stdp():
    sim.setup()
    a = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(2, sim.IF_cond_exp())
    stdp = sim.STDPMechanism(
        timing_dependence=sim.Vogels2011Rule(tau=20.0, eta=1e-4, rho=3.0),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=0.05),
        weight=0.01,
    )
    prj = sim.Projection(a, b, sim.AllToAllConnector(), stdp, receptor_type="inhibitory")
    (part,) = prj._parts
    model = part.snn.synapse
    assert isinstance(model, snn.plasticity.InhibitorySTDP)
    # eta and w_max in uS (conductances), tau in ms, rho in Hz
    assert (model.tau, model.eta, model.rho_0, model.w_max) == pytest.approx(
        (0.02, 1e-4 * uS, 3.0, 0.05 * uS)
    )


def test_distance_dependent_connectors_run_on_pyNN_positions():
    # PyNN's generic code: connected exactly where the probability (d < 1.5) is one
    sim.setup()
    grid = sim.space.Grid2D(aspect_ratio=1.0, dx=1.0, dy=1.0)
    a = sim.Population(16, sim.IF_cond_exp(), structure=grid)
    prj = sim.Projection(
        a, a, sim.DistanceDependentProbabilityConnector("d < 1.5"), sim.StaticSynapse(weight=0.01)
    )
    i, j = np.array(prj.get("weight", format="list"))[:, :2].T.astype(int)
    d = np.linalg.norm(a.positions[:, i] - a.positions[:, j], axis=0)
    assert np.all(d < 1.5)
    expected = (
        np.linalg.norm(a.positions[:, :, None] - a.positions[:, None, :], axis=0) < 1.5
    ).sum()
    assert len(prj) == expected


def test_save_writes_the_connections(tmp_path):
    sim.setup()
    a = sim.Population(3, sim.IF_curr_exp())
    conns = [(0, 1, 0.5, 1.0), (2, 0, 0.25, 2.0)]
    prj = sim.Projection(a, a, sim.FromListConnector(conns), sim.StaticSynapse())
    path = tmp_path / "connections.txt"
    prj.save("all", str(path), format="list")
    rows = np.loadtxt(path)
    assert_allclose(rows[np.lexsort((rows[:, 1], rows[:, 0]))], conns, rtol=1e-12)


def test_tsodyks_parameters_given_per_synapse_stay_in_one_projection():
    # snn's TsodyksSynapse holds U, tau_rec and tau_fac per synapse (as NEST does): a PyNN
    # projection whose U differs between synapses is one snn projection, however many values
    sim.setup()
    a = sim.Population(4, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(3, sim.IF_cond_exp())
    syn = sim.TsodyksMarkramSynapse(U=lambda d: 0.1 + 0.1 * d, weight=0.01)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), syn)
    i, j, u = np.array(prj.get("U", format="list")).T
    assert_allclose(u, 0.1 + 0.1 * np.abs(i - j), rtol=1e-12)
    assert len(prj._parts) == 1
    many = sim.Population(80, sim.SpikeSourceArray(spike_times=[1.0]))
    syn = sim.TsodyksMarkramSynapse(U=lambda d: 0.001 * d, tau_rec=lambda d: 100 + d, weight=0.01)
    prj = sim.Projection(many, b, sim.AllToAllConnector(), syn)
    i, j, u, tau_rec = np.array(prj.get(["U", "tau_rec"], format="list")).T
    assert len(prj._parts) == 1 and np.unique(u).size > 64
    assert_allclose(u, 0.001 * np.abs(i - j), rtol=1e-12)
    assert_allclose(tau_rec, 100 + np.abs(i - j), rtol=1e-12)
    # a matrix of values, pair by pair
    matrix = np.outer(np.arange(80), np.ones(3)) / 100.0
    prj.set(U=matrix)
    assert_allclose(np.array(prj.get("U", format="array")), matrix, rtol=1e-12)


def test_tsodyks_u_from_a_random_distribution_is_drawn_by_snn():
    # a law snn has: the native connector stays native and snn draws U per synapse
    sim.setup(rng_seed=3)
    a = sim.Population(20, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(10, sim.IF_cond_exp())
    u = sim.RandomDistribution("uniform", low=0.2, high=0.6)
    prj = sim.Projection(
        a, b, sim.FixedProbabilityConnector(0.5), sim.TsodyksMarkramSynapse(U=u, weight=0.01)
    )
    values = np.array(prj.get("U", format="list", with_address=False)).ravel()
    assert len(prj._parts) == 1 and isinstance(
        prj._parts[0].snn.rule, snn.synapses.PairwiseBernoulli
    )
    assert values.min() >= 0.2 and values.max() <= 0.6 and np.unique(values).size == values.size
    prj.set(U=sim.RandomDistribution("uniform", low=0.7, high=0.9))
    again = np.array(prj.get("U", format="list", with_address=False)).ravel()
    assert again.min() >= 0.7 and again.max() <= 0.9


def test_per_synapse_u_runs_as_separate_projections_with_one_value_each():
    # two sources onto two cells one to one, U 0.1 and 0.8 in one projection, against one
    # projection per synapse with its U: each cell gets one synapse, so the voltages are equal
    def run(together):
        sim.setup(timestep=0.1)
        times = [[5.0, 10.0, 15.0, 20.0, 60.0]] * 2
        a = sim.Population(2, sim.SpikeSourceArray(spike_times=times))
        b = sim.Population(2, sim.IF_curr_exp(tau_syn_E=2.0))
        kw = {"tau_rec": 100.0, "tau_facil": 0.0, "weight": 1.0, "delay": 0.1}
        if together:
            prj = sim.Projection(a, b, sim.OneToOneConnector(), sim.TsodyksMarkramSynapse(**kw))
            prj.set(U=np.array([[0.1, np.nan], [np.nan, 0.8]]))
        else:
            for k, big_u in enumerate((0.1, 0.8)):
                sim.Projection(a[k : k + 1], b[k : k + 1], sim.OneToOneConnector(),
                               sim.TsodyksMarkramSynapse(U=big_u, **kw))  # fmt: skip
        b.record("v")
        sim.run(80.0)
        v = np.asarray(b.get_data().segments[0].filter(name="v")[0])
        sim.end()
        return v

    v = run(True)
    assert np.ptp(v[:, 0]) > 0.0 and np.ptp(v[:, 1]) > np.ptp(v[:, 0])  # the two differ
    np.testing.assert_array_equal(v, run(False))


# ----------------------------------------------------------------------------- bad input
# Found by the fuzz suite (tests/fuzz/_pynn.py): each was accepted silently or raised PyNN's
# AssertionError, a bare Exception or a KeyError-like failure instead of a clear error.
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_delay": math.nan}, "`min_delay` must be a finite number ms"),
        ({"timestep": -0.1}, "`timestep` must be > 0 ms"),
        ({"timestep": "0.1"}, "`timestep` must be a number"),
        ({"min_delay": 0.05}, "must be >= `timestep`"),
        ({"max_delay": 0.01}, "`max_delay` \\(0.01 ms\\) must be >= `timestep`"),
        ({"min_delay": 1.0, "max_delay": 0.5}, "must be <= `max_delay`"),
    ],
)
def test_setup_refuses_bad_times(kwargs, message):
    from snn.core.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=message):
        sim.setup(**kwargs)


@pytest.mark.parametrize("call", ["run", "run_until"])
@pytest.mark.parametrize("duration", [math.inf, math.nan])
def test_run_refuses_times_that_are_not_finite_numbers(call, duration):
    # run(inf) raised OverflowError from inside the backend (fuzz family pynn, seed 16)
    from snn.core.errors import ConfigurationError

    sim.setup(timestep=0.1)
    sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(ConfigurationError, match="run times must be finite numbers of ms"):
        getattr(sim, call)(duration)
    sim.run(np.int64(1))  # numpy numbers are numbers
    assert sim.get_current_time() == pytest.approx(1.0)


def test_connectors_and_cells_refuse_bad_values():
    from snn.core.errors import ConfigurationError

    sim.setup(timestep=0.1)
    with pytest.raises(ConfigurationError, match="`p_connect` must be >= 0"):
        sim.FixedProbabilityConnector(-0.1)
    with pytest.raises(ConfigurationError, match="`p_connect` must be a finite number"):
        sim.FixedProbabilityConnector(math.nan)
    with pytest.raises(ConfigurationError, match="`p_connect` must be a probability"):
        sim.FixedProbabilityConnector("0.5")
    with pytest.raises(ConfigurationError, match="whole numbers >= 0"):
        sim.FromListConnector([(0.5, 1)])
    with pytest.raises(ConfigurationError, match="rows of"):
        sim.FromListConnector([0, 1])
    with pytest.raises(errors.InvalidParameterValueError, match="must be real"):
        sim.IF_cond_exp(cm=1 + 2j)
    with pytest.raises(errors.InvalidParameterValueError, match="must be real"):
        sim.IF_cond_exp(cm=[1.0, 1 + 2j, 1.0])
    # ragged spike time lists are no complex values
    sim.SpikeSourceArray(spike_times=[[1.0, 2.0], [3.0]])
    a = sim.Population(3, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(3, sim.IF_cond_exp())
    with pytest.raises(errors.ConnectionError, match="target index 7 is out of range"):
        sim.Projection(a, b, sim.FromListConnector([(0, 7)]), sim.StaticSynapse(weight=0.01))
    # a probability above 1 connects every pair, as in PyNN
    prj = sim.Projection(a, b, sim.FixedProbabilityConnector(1.5), sim.StaticSynapse(weight=0.01))
    assert prj.size() == 9
    # a synapse parameter array must cover the pre x post matrix (was lazyarray's bare error)
    with pytest.raises(errors.InvalidParameterValueError, match=r"shape \(3, 3\); got .* \(1,\)"):
        sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.01, delay=[1.0]))
    delays = np.arange(1.0, 10.0).reshape(3, 3)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(delay=delays))
    assert_allclose(prj.get("delay", format="array"), delays)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("SpikeSourceInhGamma", "inhomogeneous gamma"),
        ("ElectricalSynapse", "gap junctions"),
        ("MultiCompartmentNeuron", "point neurons only"),
    ],
)
def test_pynn_types_snn_lacks_say_so(name, reason):
    # PyNN's examples (stochastic_synapses.py, ...) stopped with
    # "AttributeError: module 'snn.io._pynn' has no attribute ..."; PyNN's idiom for a model a
    # backend lacks is a name that refuses to be made
    sim.setup(timestep=0.1)
    with pytest.raises(NotImplementedError, match=f"pyNN.snn does not have {name}: .*{reason}"):
        getattr(sim, name)(weight=0.5)
    assert name not in sim.list_standard_models()


def _native_rng_network(rng):
    sim.setup(timestep=0.1, rng_seed=7)
    pre = sim.Population(30, sim.SpikeSourcePoisson(rate=10.0))
    post = sim.Population(40, sim.IF_cond_exp())
    weight = RandomDistribution("normal", mu=0.5, sigma=0.01, rng=rng)
    prj = sim.Projection(
        pre, post, sim.FixedProbabilityConnector(0.7, rng=rng), sim.StaticSynapse(weight=weight)
    )
    return prj.receptor_type, prj.get("weight", format="array")


def test_native_rng_means_snn_s_own_draws():
    # random_numbers.py: `sim.NativeRNG(seed=...)` was an AttributeError. snn draws connectors
    # and weights of its laws itself, keyed by rng_seed, whatever the rng: a NativeRNG (of any
    # seed) gives the network a NumpyRNG gives
    with pytest.warns(UserWarning, match="Unable to guess receptor type.*'excitatory' is used"):
        receptor, native = _native_rng_network(sim.NativeRNG(seed=87354762))
    assert receptor == "excitatory"
    with pytest.warns(UserWarning, match="Unable to guess receptor type"):
        _, other_seed = _native_rng_network(sim.NativeRNG(seed=1))
    _, numpy_rng = _native_rng_network(sim.NumpyRNG(seed=98497627))
    assert_array_equal(native, other_seed)
    assert_array_equal(native, numpy_rng)
    w = native[~np.isnan(native)]
    # 1200 pairs at p = 0.7: 840 synapses, binomial sd 16; 6 sd
    assert abs(w.size - 840) < 6 * 16
    # mean of ~840 draws of N(0.5, 0.01): standard error 3.5e-4; 6 standard errors
    assert abs(w.mean() - 0.5) < 6 * 0.01 / np.sqrt(w.size)
    assert 0.008 < w.std() < 0.012  # sd of ~840 draws: relative error ~2.4%, 8 of them


def test_native_rng_is_refused_where_pynn_would_draw():
    sim.setup(timestep=0.1)
    native = sim.NativeRNG()
    tau_m = RandomDistribution("normal", (15.0, 2.0), rng=native)
    with pytest.raises(NotImplementedError, match="NativeRNG was asked for 3 numbers of 'normal'"):
        sim.Population(3, sim.IF_cond_exp(tau_m=tau_m))
    # a law snn does not have: PyNN would draw it
    pre = sim.Population(2, sim.SpikeSourcePoisson(rate=10.0))
    post = sim.Population(2, sim.IF_cond_exp())
    weight = RandomDistribution("gamma", k=2.0, theta=0.01, rng=native)
    with (
        pytest.warns(UserWarning, match="Unable to guess receptor type"),
        pytest.raises(NotImplementedError, match="Give this RandomDistribution a NumpyRNG"),
    ):
        sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=weight))


def test_stochastic_stp_synapse_types():
    # MultiQuantalSynapse and StochasticTsodyksMarkramSynapse on snn's QuantalSynapse and
    # StochasticTsodyksSynapse: parameters per synapse, initialize() before the run
    from snn.synapses import QuantalSynapse, StochasticTsodyksSynapse

    sim.setup(timestep=0.1)
    a = sim.Population(2, sim.SpikeSourceArray(spike_times=[5.0]))
    b = sim.Population(3, sim.IF_cond_exp())
    quantal = sim.MultiQuantalSynapse(weight=0.01, U=0.3, n=4, tau_rec=80.0, tau_facil=20.0)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), quantal, receptor_type="inhibitory")
    (part,) = prj._parts
    assert isinstance(part.snn.synapse, QuantalSynapse)
    assert part.snn.synapse.tau_rec == pytest.approx(0.08)
    prj.set(n=np.arange(1, 7).reshape(2, 3), U=0.5)
    assert_allclose(prj.get("n", format="array"), np.arange(1, 7).reshape(2, 3))
    prj.initialize(a=1, u=0.9)
    assert part.snn.synapse.a0 == 1 and part.snn.synapse.u0 == 0.9
    assert np.all(part.snn.synapse_state("a") == 1)
    # (PyNN 0.13's Projection.initialize cannot take arrays: it shapes them by the method
    # Projection.size, not its value)
    with pytest.raises(errors.InvalidParameterValueError, match=r"must be whole, got 1\.5"):
        prj.initialize(a=1.5)
    with pytest.raises(errors.NonExistentParameterError):
        prj.initialize(x=1.0)
    stochastic = sim.StochasticTsodyksMarkramSynapse(weight=0.01, U=0.7, tau_rec=30.0)
    prj2 = sim.Projection(a, b, sim.AllToAllConnector(), stochastic, receptor_type="inhibitory")
    assert isinstance(prj2._parts[0].snn.synapse, StochasticTsodyksSynapse)
    prj2.set(U=np.linspace(0.1, 0.6, 6).reshape(2, 3))
    assert_allclose(prj2.get("U", format="array"), np.linspace(0.1, 0.6, 6).reshape(2, 3))
    sim.run(10.0)
    with pytest.raises(errors.InvalidParameterValueError, match="must come before the run"):
        prj2.initialize(u=0.5)
    sim.end()
