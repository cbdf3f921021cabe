"""LIFExpMulti: any number of exponential current ports, against LIFExp and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError, Network
from snn.core.kernels import cache_dir
from snn.core.units import ms, mV, pA, pF
from snn.neurons import LIFExp, SpikeSourceArray
from snn.neurons._multisynapse import LIFExpMulti
from snn.synapses import OneToOne

TAU_M, C_M, E_L = 10 * ms, 250 * pF, -70 * mV
# exact propagators: a few ulps per step, far below 1e-10 of the excursion (as for LIFExp in
# tests/validation/test_lif_closed_form.py)
RTOL = 1e-10

# spike trains of two sources: (times, indices)
TIMES = [1.0 * ms, 1.5 * ms, 2.0 * ms, 4.0 * ms, 4.3 * ms, 9.0 * ms]
INDICES = [0, 1, 0, 0, 1, 1]


def _run(model, receptors, weights, duration=30 * ms, i_e=None):
    net = Network(dt=0.1 * ms, seed=0)
    src = net.add_population(SpikeSourceArray(times=TIMES, indices=INDICES), 2)
    post = net.add_population(model, 1)
    for k, (rec, w) in enumerate(zip(receptors, weights, strict=True)):
        net.connect(src[k : k + 1], post, rule=OneToOne(), weight=w, delay=0.1 * ms, receptor=rec)
    names = [v.name for v in model.state_vars if v.dtype == "float"]
    mon = net.record_state(post, names)
    spikes = net.record_spikes(post)
    net.run(duration)
    return mon.record(), spikes.steps


def test_two_ports_reproduce_lif_exp_bit_for_bit():
    # same propagators and the same order of operations as LIFExp's step: identical bits,
    # including spikes and the refractory period (the drive makes the neuron fire)
    common = {"tau_m": TAU_M, "c_m": C_M, "i_e": 450 * pA, "t_ref": 1.5 * ms}
    multi = LIFExpMulti(tau_syn=(2 * ms, 5 * ms), **common)
    single = LIFExp(tau_syn_ex=2 * ms, tau_syn_in=5 * ms, **common)
    weights = (400 * pA, -150 * pA)
    rec_m, spk_m = _run(multi, ("r1", "r2"), weights, duration=100 * ms)
    rec_s, spk_s = _run(single, ("exc", "inh"), weights, duration=100 * ms)
    assert spk_s.size >= 3
    np.testing.assert_array_equal(spk_m, spk_s)
    np.testing.assert_array_equal(rec_m.values["v"], rec_s.values["v"])
    np.testing.assert_array_equal(rec_m.values["i_r1"], rec_s.values["i_ex"])
    np.testing.assert_array_equal(rec_m.values["i_r2"], rec_s.values["i_in"])


def test_twelve_ports_two_of_them_fed_reproduce_lif_exp_bit_for_bit():
    # from 6 ports on, the generated step takes more than 30 arguments, which CPython passes as
    # *args: inlined, numba refused it ("Calling a closure with *args is unsupported"), and a
    # returned tuple of more than 30 conditional items failed to type ("Unsupported op-code
    # encountered: list_to_tuple"). Idle ports add exact zeros, so ports 1 and 12 fed as
    # LIFExp's two receptors give LIFExp's bits.
    common = {"tau_m": TAU_M, "c_m": C_M, "i_e": 450 * pA, "t_ref": 1.5 * ms}
    taus = (2 * ms, *[(1 + k) * ms for k in range(10)], 5 * ms)
    multi = LIFExpMulti(tau_syn=taus, **common)
    single = LIFExp(tau_syn_ex=2 * ms, tau_syn_in=5 * ms, **common)
    weights = (400 * pA, -150 * pA)
    rec_m, spk_m = _run(multi, ("r1", "r12"), weights, duration=100 * ms)
    rec_s, spk_s = _run(single, ("exc", "inh"), weights, duration=100 * ms)
    assert spk_s.size >= 3
    np.testing.assert_array_equal(spk_m, spk_s)
    np.testing.assert_array_equal(rec_m.values["v"], rec_s.values["v"])
    np.testing.assert_array_equal(rec_m.values["i_r12"], rec_s.values["i_in"])
    assert not np.any(rec_m.values["i_r6"])


def test_four_ports_match_nest_test_iaf_psc_exp_multisynapse():
    # nest/nest-simulator testsuite/unittests/test_iaf_psc_exp_multisynapse.sli: defaults with
    # tau_syn = [2, 20, 60, 100] ms; one spike at 0.1 ms reaches port k with weight
    # [30, 50, 20, 10][k] pA and delay [7, 5, 2, 1][k] ms. V_m [mV] printed to 6 significant
    # digits: tolerance half a unit of the last digit.
    dt = 0.1 * ms
    model = LIFExpMulti(tau_syn=(2 * ms, 20 * ms, 60 * ms, 100 * ms))
    net = Network(dt=dt, seed=0)
    src = net.add_population(SpikeSourceArray(times=[0.1 * ms], indices=[0]), 1)
    post = net.add_population(model, 1)
    for k, (w, d) in enumerate(zip((30, 50, 20, 10), (7, 5, 2, 1), strict=True)):
        net.connect(src, post, rule=OneToOne(), weight=w * pA, delay=d * ms, receptor=f"r{k + 1}")
    mon = net.record_state(post, "v")
    net.run(8 * ms)
    nest = {
        **dict.fromkeys(range(1, 12), -70), 12: -69.9960, 13: -69.9921, 14: -69.9882,
        15: -69.9843, 20: -69.9657, 21: -69.9621, 22: -69.9506, 23: -69.9392, 24: -69.928,
        25: -69.9169, 50: -69.6771, 51: -69.6689, 52: -69.641, 53: -69.6134, 54: -69.5863,
        55: -69.5595, 70: -69.2011, 71: -69.18, 72: -69.1474, 73: -69.1159, 74: -69.0854,
        75: -69.0557,
    }  # fmt: skip
    rec = mon.record()
    v = dict(zip(np.rint(rec.times / dt).astype(int).tolist(), rec.values["v"][:, 0], strict=True))
    for step, v_nest in nest.items():
        assert v[step] == pytest.approx(v_nest * mV, abs=0.5e-4 * mV), step


def _psp(s, w, tau_syn):
    """Exponential PSC ``w e^(-s/tau)`` and its PSP on the membrane (closed form), s >= 0."""
    after = s >= -1e-9 * ms
    s = np.maximum(s, 0.0)
    i = np.where(after, w * np.exp(-s / tau_syn), 0.0)
    if tau_syn == TAU_M:
        shape = s * np.exp(-s / TAU_M)
    else:
        a = 1 / tau_syn - 1 / TAU_M
        shape = (np.exp(-s / TAU_M) - np.exp(-s / tau_syn)) / a
    return i, np.where(after, w / C_M * shape, 0.0)


def test_three_named_ports_superpose_closed_form_psps():
    taus = (0.5 * ms, TAU_M, 3 * ms)  # TAU_M: the degenerate propagator
    names = ("ampa", "nmda", "gaba")
    model = LIFExpMulti(tau_m=TAU_M, c_m=C_M, tau_syn=taus, receptor_names=names, v_th=0.0)
    assert [r.name for r in model.receptors] == [*names, "current"]
    assert [v.name for v in model.state_vars] == ["v", "i_ampa", "i_nmda", "i_gaba", "refr"]
    net = Network(dt=0.1 * ms, seed=0)
    src = net.add_population(SpikeSourceArray(times=[1 * ms, 2 * ms, 3 * ms], indices=[0, 1, 2]), 3)
    post = net.add_population(model, 1)
    weights = (300 * pA, 50 * pA, -200 * pA)
    for k, (rec, w) in enumerate(zip(names, weights, strict=True)):
        net.connect(src[k : k + 1], post, rule=OneToOne(), weight=w, delay=1 * ms, receptor=rec)
    mon = net.record_state(post, ["v", *[f"i_{r}" for r in names]])
    net.run(40 * ms)
    rec = mon.record()
    dv = np.zeros_like(rec.times)
    for k, (name, w, tau) in enumerate(zip(names, weights, taus, strict=True)):
        arrival = (k + 1) * ms + 1 * ms
        i, v = _psp(rec.times - arrival, w, tau)
        assert np.max(np.abs(rec.values[f"i_{name}"][:, 0] - i)) < RTOL * abs(w)
        dv += v
    assert np.max(np.abs(rec.values["v"][:, 0] - E_L - dv)) < RTOL * np.max(np.abs(dv))


def test_step_function_is_generated_once_per_port_layout_in_the_cache():
    a = LIFExpMulti(tau_syn=(1 * ms, 3 * ms))
    b = LIFExpMulti(tau_syn=(2 * ms, 7 * ms), tau_m=20 * ms)
    c = LIFExpMulti(tau_syn=(2 * ms, 7 * ms), receptor_names=("x", "y"))
    assert a.step_function() is b.step_function()  # parameters are arguments, not code
    assert c.step_function() is not a.step_function()
    path = a.step_function().py_func.__code__.co_filename
    assert path.startswith(str(cache_dir()))  # a real file: numba can cache it


def test_single_port_default_and_per_neuron_time_constants():
    model = LIFExpMulti()  # NEST's default: one port, tau_syn = 2 ms
    assert model.tau_syn == (2 * ms,) and model.receptor_names == ("r1",)
    per_neuron = LIFExpMulti(tau_syn=(np.array([1.0, 2.0, 4.0]) * ms, 5 * ms))
    net = Network(dt=0.1 * ms, seed=0)
    pop = net.add_population(per_neuron, 3, init={"i_r1": 100 * pA})
    mon = net.record_state(pop, "i_r1")
    net.run(2 * ms)
    i = mon.record().values["i_r1"]
    expected = 100 * pA * np.exp(-mon.record().times[:, None] / (np.array([1.0, 2.0, 4.0]) * ms))
    np.testing.assert_allclose(i, expected, rtol=1e-13)  # exp(-dt/tau)**k: rounding only
    with pytest.raises(ConfigurationError, match=r"tau_syn\[0\] has 3 values"):
        Network(dt=0.1 * ms).add_population(per_neuron, 4)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"tau_syn": ()}, "tau_syn"),
        ({"tau_syn": (2 * ms, -1 * ms)}, r"tau_syn\[1\]"),
        ({"tau_syn": (2 * ms, 3 * ms), "receptor_names": ("a",)}, "receptor_names"),
        ({"tau_syn": (2 * ms,), "receptor_names": "a"}, "receptor_names"),
        ({"tau_syn": (2 * ms,), "receptor_names": ("1a",)}, "identifiers"),
        ({"tau_syn": (2 * ms,), "receptor_names": ("current",)}, "current"),
        ({"tau_syn": (2 * ms, 3 * ms), "receptor_names": ("a", "a")}, "'a'"),
        ({"tau_syn": (2 * ms,), "receptor_names": ("v_th",)}, "v_th"),
        ({"tau_syn": (2 * ms,), "receptor_names": ("spiked",)}, "spiked"),
        ({"c_m": -1.0}, "c_m"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, pattern):
    with pytest.raises(ConfigurationError, match=pattern):
        LIFExpMulti(**kwargs)
