"""The models added for NEST's reference set (aeif_cond_alpha, hh_psc_alpha,
iaf_cond_exp_sfa_rr, gif_psc_exp, gif_cond_exp) in networks: threads, alpha normalisation,
escape noise, and clear errors. Their traces against NEST are in ``test_nest_references.py``,
their accuracy against an adaptive reference in ``tests/bench/test_accuracy.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, mV, nS, pA
from snn.neurons import (
    AdExCondAlpha,
    GIFCondExp,
    GIFPscExp,
    HHPscAlpha,
    HHSquid,
    HHTraubMiles,
    LIFAlpha,
    LIFCondAlpha,
    LIFCondExp,
    LIFCondExpSfaRr,
    LIFDelta,
    LIFExp,
    LIFExpMulti,
    PoissonInput,
    SpikeSourceArray,
)
from snn.synapses import FixedIndegree, OneToOne

_GIF = {
    "i_e": 150 * pA,
    "lambda_0": 200.0,
    "delta_v": 2 * mV,
    "v_t_star": -50 * mV,
    "tau_stc": (10 * ms,),
    "q_stc": (20 * pA,),
    "tau_sfa": (50 * ms,),
    "q_sfa": (2 * mV,),
}
MODELS = [
    (AdExCondAlpha(i_e=500 * pA), "exc", 5 * nS),
    (HHPscAlpha(i_e=500 * pA), "exc", 100 * pA),
    (LIFCondExpSfaRr(i_e=300 * pA), "exc", 5 * nS),
    (GIFPscExp(**_GIF), "exc", 50 * pA),
    (GIFCondExp(**_GIF), "exc", 2 * nS),
]


def _network(model, receptor, weight, threads):
    net = Network(dt=0.1 * ms, seed=4, threads=threads, parallel=threads > 1)
    pop = net.add_population(model, 400, name="P")
    net.connect(pop, pop, rule=FixedIndegree(indegree=10), weight=weight, delay=1 * ms,
                receptor=receptor)  # fmt: skip
    net.add_drive(PoissonInput(rate=2000 * Hz, weight=weight, receptor=receptor), pop)
    spikes = net.record_spikes(pop)
    mon = net.record_state(pop, "v", neurons=[0, 399], interval=1 * ms)
    return net, spikes, mon


@pytest.mark.parametrize(
    ("model", "receptor", "weight"), MODELS, ids=[type(m).__name__ for m, _, _ in MODELS]
)
def test_two_threads_give_the_serial_result(model, receptor, weight):
    """Bit-identical spikes and potentials on the parallel path with two blocks (for the GIF
    models this also checks that the escape noise is keyed by neuron and step, not by thread)."""
    runs = []
    for threads in (1, 2):
        net, spikes, mon = _network(model, receptor, weight, threads)
        net.run(50 * ms)
        assert net.parallel == (threads > 1)
        runs.append((spikes.record(), mon.record().values["v"]))
    (s1, v1), (s2, v2) = runs
    assert s1.times.size > 20
    assert np.array_equal(s1.times, s2.times) and np.array_equal(s1.senders, s2.senders)
    assert np.array_equal(v1, v2)


@pytest.mark.parametrize(
    ("model", "var"),
    [(HHPscAlpha(i_e=0.0), "i_ex"), (AdExCondAlpha(), "g_ex")],
    ids=["HHPscAlpha", "AdExCondAlpha"],
)
def test_alpha_input_peaks_at_its_weight_after_tau_syn(model, var):
    """NEST's normalisation: a spike of weight w adds w (t / tau) exp(1 - t / tau), exactly."""
    dt, w = 0.1 * ms, 3.0 if var == "g_ex" else 150.0
    w = w * (nS if var == "g_ex" else pA)
    tau = model.tau_syn_ex
    net = Network(dt=dt)
    src = net.add_population(SpikeSourceArray(times=[1 * ms], indices=[0]), 1)
    pop = net.add_population(model, 1)
    net.connect(src, pop, rule=OneToOne(), weight=w, delay=dt, receptor="exc")
    mon = net.record_state(pop, var)
    net.run(5 * ms)
    rec = mon.record()
    t = rec.times - 1.1 * ms  # arrival in the state at 1.1 ms
    after = t > -1e-12
    expect = w * (t[after] / tau) * np.exp(1.0 - t[after] / tau)
    np.testing.assert_allclose(rec.values[var][after, 0], expect, rtol=1e-12, atol=1e-12 * w)
    assert np.all(rec.values[var][~after, 0] == 0.0)


def test_gif_firing_probability_is_the_escape_rate():
    """With V held far below V_T (no input) the hazard is 1 - exp(-lambda dt) with lambda =
    lambda_0 exp((E_L - V_T*) / Delta_V); here lambda_0 = 5000/s, V_T* = E_L, so 0.393 per
    step at dt = 0.1 ms outside t_ref = 0, and the count of 2000 neurons x 200 steps is
    binomial: within 5 sd (0.24 %)."""
    model = GIFPscExp(lambda_0=5000.0, v_t_star=-70 * mV, t_ref=0.0)
    net = Network(dt=0.1 * ms, seed=9)
    pop = net.add_population(model, 2000)
    spikes = net.record_spikes(pop)
    net.run(20 * ms)
    p = 1.0 - math.exp(-5000.0 * 0.1 * ms)
    n = 2000 * 200
    assert abs(spikes.n_spikes - n * p) < 5 * math.sqrt(n * p * (1 - p))


def test_gif_spikes_do_not_depend_on_the_population_layout():
    """The escape noise is keyed by the neuron's index and the step: a neuron keeps its spikes
    whether it is simulated with 9 others or with 99."""
    model = GIFCondExp(**_GIF)
    trains = []
    for n in (10, 100):
        net = Network(dt=0.1 * ms, seed=5)
        pop = net.add_population(model, n, name="P")
        spikes = net.record_spikes(pop)
        net.run(100 * ms)
        rec = spikes.record()
        trains.append(rec.times[rec.senders == pop.first_id + 3])
    assert trains[0].size > 3
    assert np.array_equal(trains[0], trains[1])


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: GIFPscExp(tau_stc=(10 * ms, 20 * ms), q_stc=(1 * pA,)), "one entry per kernel"),
        (lambda: GIFPscExp(tau_sfa=(0.0,), q_sfa=(1 * mV,)), r"tau_sfa\[0\]"),
        (
            lambda: GIFCondExp(
                tau_stc=(10 * ms,) * 5,
                q_stc=(1 * pA,) * 5,
                tau_sfa=(10 * ms,) * 4,
                q_sfa=(1 * mV,) * 4,
            ),
            "at most 8",
        ),
        (lambda: GIFPscExp(delta_v=0.0), "delta_v"),
        (lambda: GIFPscExp(lambda_0=-1.0), "lambda_0"),
        (lambda: GIFCondExp(method="euler"), "method"),
        (lambda: HHPscAlpha(method="euler"), "method"),
        (lambda: HHSquid(spike_detection="max"), "spike_detection"),
        (lambda: AdExCondAlpha(method="euler"), "method"),
        (lambda: LIFCondExpSfaRr(q_rr=-1 * nS), "q_rr"),
        (lambda: LIFCondExpSfaRr(v_reset=-50 * mV), "v_reset"),
    ],
)
def test_bad_parameters_are_refused(make, match):
    with pytest.raises(ConfigurationError, match=match):
        make()


def test_detection_defaults_follow_each_models_reference():
    # NEST's hh_psc_alpha (and HHSquid, with its parameters): the peak; Brian2's COBAHH: the
    # upward crossing of -20 mV
    assert HHPscAlpha().spike_detection == "peak"
    assert HHSquid().spike_detection == "peak"
    assert HHTraubMiles().spike_detection == "threshold"


@pytest.mark.parametrize(
    "model",
    [LIFDelta, LIFExp, LIFCondExp, LIFAlpha, LIFCondAlpha, LIFCondExpSfaRr, LIFExpMulti],
    ids=lambda m: m.__name__,
)
def test_an_infinite_threshold_switches_spiking_off(model):
    """``v_th=+inf`` (NEST's way of switching spiking off) is a neuron that integrates and never
    spikes; per neuron it leaves the others as they were. -inf and NaN are refused."""
    drive = {"i_e": 2000 * pA}
    net = Network(dt=0.1 * ms, seed=1)
    off = net.add_population(model(v_th=np.inf, **drive), 2)
    base = model(**drive)
    mixed = net.add_population(model(v_th=np.array([np.inf, base.v_th]), **drive), 2)
    ref = net.add_population(base, 1)
    spikes = [net.record_spikes(p) for p in (off, mixed, ref)]
    v = net.record_state(off, "v")
    net.run(50 * ms)
    assert spikes[0].indices.size == 0 and np.all(spikes[1].indices == 1)
    assert np.array_equal(spikes[1].steps, spikes[2].steps) and spikes[2].steps.size > 0
    assert np.all(np.isfinite(v["v"])) and v["v"][-1, 0] > base.v_th  # above the usual threshold
    for bad in (-np.inf, np.nan):
        with pytest.raises(ConfigurationError, match="`v_th`"):
            model(v_th=bad)
