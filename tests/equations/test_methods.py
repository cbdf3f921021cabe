"""The integrators against closed forms, their orders, the choice rules and the noise.

* exact: LIF under a constant current and the repeated-eigenvalue system ``tau_m == tau_syn``
  (where closed forms divide by zero) against their closed forms, per-neuron time constants;
* Euler, RK2, RK4: their convergence order on ``dv/dt = -v^2 / (V0 tau)`` (closed form
  ``V0 / (1 + t / tau)``); RKF45 within its tolerance;
* the choice of the method (Brian2's and NEST's rules);
* Euler-Maruyama: the stationary variance of an Ornstein-Uhlenbeck process (its exact value for
  the discrete scheme); Heun: the Stratonovich mean of geometric Brownian motion;
* a refractory condition, a ``(constant over dt)`` subexpression, and models with more
  parameters than numba inlines (packed into one argument, also with several populations).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import Network, SimulationError
from snn.core.units import Hz, ms, mV, nA, pF
from snn.equations import neuron_model


def trace(
    model, n, duration, *, dt=0.1 * ms, init=None, names=("v",), seed=3, populations=1, every=1
):
    net = Network(dt=dt, seed=seed)
    pops = [net.add_population(model, n, init=init) for _ in range(populations)]
    mons = [net.record_state(p, list(names), interval=every * dt) for p in pops]
    spikes = [net.record_spikes(p) for p in pops]
    net.run(duration)
    if populations == 1:
        return mons[0], spikes[0]
    return mons, spikes


def test_exact_lif_under_a_constant_current():
    lif = neuron_model(
        "LIF",
        "dv/dt = (E_L - v) / tau + I / C : volt\nE_L : volt\ntau : second\nI : amp\nC : farad",
        initial={"v": "E_L"},
    )
    assert lif.info.method == "exact"
    tau = np.array([5.0, 10.0, 20.0]) * ms
    model = lif(E_L=-70 * mV, tau=tau, I=0.5 * nA, C=250 * pF)
    mon, _ = trace(model, 3, 0.05)
    t = mon.times[:, None]
    expected = -70 * mV + 0.5 * nA * tau / (250 * pF) * (1 - np.exp(-t / tau))
    # closed form: exact integration is exact up to round-off
    np.testing.assert_allclose(mon["v"], expected, rtol=1e-12)


def test_exact_with_a_repeated_eigenvalue():
    # tau_m == tau_syn: v(t) = x0 t / tau exp(-t / tau) (the alpha function)
    model = neuron_model(
        "Alpha", "dv/dt = (x - v) / tau : volt\ndx/dt = -x / tau : volt\ntau : second"
    )(tau=np.array([2.0, 2.0, 5.0]) * ms)
    mon, _ = trace(model, 3, 0.03, init={"x": 1 * mV}, names=("v", "x"))
    t = mon.times[:, None]
    tau = np.array([2.0, 2.0, 5.0]) * ms
    np.testing.assert_allclose(mon["v"], 1 * mV * t / tau * np.exp(-t / tau), rtol=1e-12)
    np.testing.assert_allclose(mon["x"], 1 * mV * np.exp(-t / tau), rtol=1e-12)


QUADRATIC = "dv/dt = -v**2 / (V0 * tau) : volt\nV0 : volt\ntau : second"


@pytest.mark.parametrize(("method", "order"), [("euler", 1), ("rk2", 2), ("rk4", 4)])
def test_convergence_order(method, order):
    model = neuron_model("Q", QUADRATIC, method=method, initial={"v": "V0"})(
        V0=10 * mV, tau=10 * ms
    )
    errors = []
    for dt in (0.5 * ms, 0.25 * ms):
        mon, _ = trace(model, 1, 0.04, dt=dt)
        t = mon.times[-1]
        errors.append(abs(mon["v"][-1, 0] - 10 * mV / (1 + t / (10 * ms))))
    # halving dt divides a method's error by 2^order (within 15 %: the step is not tiny)
    assert errors[0] / errors[1] == pytest.approx(2.0**order, rel=0.15)


def test_rkf45_meets_its_tolerance():
    model = neuron_model("Q", QUADRATIC, method="rkf45", tolerance=1e-6, initial={"v": "V0"})(
        V0=10 * mV, tau=1 * ms
    )
    mon, _ = trace(model, 1, 0.02, dt=1 * ms)
    t = mon.times
    exact = 10 * mV / (1 + t / (1 * ms))
    # 20 steps of local error below 1e-6 mV each, with room for their accumulation
    np.testing.assert_allclose(mon["v"][:, 0], exact, rtol=0, atol=20 * 1e-6 * mV)


def test_rkf45_ends_a_blow_up_with_an_error():
    """``v = -V0 / (1 - t / tau)`` from ``v(0) = -V0`` reaches -inf at ``t = tau``.

    The adaptive substeps shrink towards the singularity; the step ends with NaN after at most
    10,000 substeps (or at the first non-finite accepted state) and the engine names the
    variable, where before it crept on through up to 2**30 of the smallest substeps per step.
    """
    model = neuron_model("Q", QUADRATIC, method="rkf45", initial={"v": "V0"})(
        V0=10 * mV, tau=1 * ms
    )
    with pytest.raises(SimulationError, match="`v` of neuron 0"):
        trace(model, 1, 3 * ms, init={"v": -10 * mV})


@pytest.mark.parametrize(
    ("equations", "method"),
    [
        (
            "dv/dt = (g_L * (E_L - v) + g * (E - v)) / C : volt\ndg/dt = -g / tau : siemens\n"
            "g_L : siemens\nE_L : volt\nE : volt\nC : farad\ntau : second",
            "exponential_euler",
        ),
        (
            "dv/dt = (E_L - v + D * exp((v - V_T) / D)) / tau : volt\nE_L : volt\nD : volt\n"
            "V_T : volt\ntau : second",
            "rk4",
        ),
        ("dv/dt = -v / tau + s * xi : volt\ntau : second\ns : volt / second**0.5", "euler"),
        ("dx/dt = s * x * xi : 1\ns : second**-0.5", "heun"),
        ("dv/dt = (x - v) / tau : volt\ndx/dt = -x / tau : volt\ntau : second", "exact"),
    ],
)
def test_method_choice(equations, method):
    assert neuron_model("M", equations).info.method == method


def test_euler_maruyama_ornstein_uhlenbeck_variance():
    tau, sigma, dt, n = 10 * ms, 2 * mV, 0.1 * ms, 4000
    ou = neuron_model(
        "OU", "dv/dt = -v / tau + sigma * sqrt(2 / tau) * xi : volt\ntau : second\nsigma : volt"
    )
    assert ou.info.method == "euler"
    mon, _ = trace(ou(tau=tau, sigma=sigma), n, 0.2, dt=dt, every=100)
    # the Euler-Maruyama recursion v' = (1 - dt/tau) v + sigma sqrt(2 dt/tau) N(0, 1) has the
    # stationary variance sigma^2 / (1 - dt / (2 tau)); after 20 tau the start is forgotten
    expected = sigma**2 / (1 - dt / (2 * tau))
    var = float(np.var(mon["v"][-1]))
    # the sample variance of n normal values has a relative standard error sqrt(2 / n)
    assert abs(var / expected - 1) < 5 * math.sqrt(2 / n)
    # values of different steps and neurons are independent draws: no lag-1 correlation
    v = mon["v"][-1]
    assert abs(np.corrcoef(v[:-1], v[1:])[0, 1]) < 5 / math.sqrt(n)


def test_heun_stratonovich_geometric_brownian_motion():
    # Stratonovich dx = s x o dW gives log x(T) = s W(T): mean 0 and variance s^2 T exactly
    s, duration, n = 2.0, 0.25, 4000
    gbm = neuron_model("GBM", "dx/dt = s * x * xi : 1\ns : second**-0.5", initial={"x": 1.0})
    mon, _ = trace(gbm(s=s), n, duration, names=("x",), dt=0.5 * ms, every=100)
    logs = np.log(mon["x"][-1])
    sd = s * math.sqrt(duration)
    assert abs(np.mean(logs)) < 5 * sd / math.sqrt(n)
    assert abs(np.std(logs) / sd - 1) < 5 * math.sqrt(1 / (2 * n))


def test_refractory_condition_holds_while_true():
    eqs = "dv/dt = (V_inf - v) / tau : volt\nV_inf : volt\ntau : second\nV_th : volt"
    params = {"V_inf": -40 * mV, "tau": 5 * ms, "V_th": -50 * mV}
    init = {"v": -70 * mV}
    # no reset: above threshold the neuron stays refractory, so it spikes once
    once = neuron_model("Once", eqs, threshold="v > V_th", refractory="v > V_th")(**params)
    every = neuron_model("Every", eqs, threshold="v > V_th")(**params)
    _, spikes_once = trace(once, 1, 0.05, init=init)
    _, spikes_every = trace(every, 1, 0.05, init=init)
    assert spikes_once.n_spikes == 1
    assert spikes_every.n_spikes > 100
    assert spikes_once.steps[0] == spikes_every.steps[0]


def test_constant_over_dt_subexpression_is_held_over_the_step():
    # with I frozen at the step's start, RK4 reduces to v' = v - dt g v / C (forward Euler)
    model = neuron_model(
        "Frozen",
        "dv/dt = I / C : volt\nI = -g * v : amp (constant over dt)\ng : siemens\nC : farad",
        method="rk4",
        initial={"v": 10 * mV},
    )(g=10e-9, C=200 * pF)
    mon, _ = trace(model, 1, 0.01)
    k = np.arange(1, mon.times.size + 1)
    np.testing.assert_allclose(mon["v"][:, 0], 10 * mV * (1 - 0.1 * ms * 10e-9 / (200 * pF)) ** k)


MANY = 32


def many_parameters():
    names = [f"p{k}" for k in range(MANY)]
    eqs = f"dv/dt = ({' + '.join(names)} - v) / tau : volt\ntau : second\n"
    eqs += "\n".join(f"{p} : volt" for p in names)
    return neuron_model("Many", eqs, method="euler"), names


def test_more_parameters_than_numba_inlines():
    model, names = many_parameters()
    assert len(model.info.arguments) > 30
    values = {p: 0.5 * mV * (k + 1) for k, p in enumerate(names)}
    # per-neuron parameters stay arguments of their own, the others are packed
    values["p3"] = np.array([1.0, 2.0]) * mV
    # and one that only enters a hoisted constant (dt / tau)
    tau = np.array([10.0, 20.0]) * ms
    v_inf = sum(np.asarray(v) for v in values.values())
    mons, _ = trace(model(tau=tau, **values), 2, 0.005, populations=4)
    steps = np.arange(1, 51)[:, None]
    expected = v_inf * (1 - (1 - 0.1 * ms / tau) ** steps)  # Euler from v = 0
    for mon in mons:
        np.testing.assert_allclose(mon["v"], expected, rtol=1e-12)


#: an adapting LIF whose potential is held while refractory (flagged) and drives ``w``
ADAPT_TEXT = """
    dv/dt = (E_L - v + R * (I - w)) / tau : volt (unless refractory)
    dw/dt = (a * (v - E_L) - w) / tau_w : amp
    E_L : volt
    R : ohm
    I : amp
    tau : second
    a : siemens
    tau_w : second
    """
ADAPT_KW = dict(threshold="v > -50*mV", reset="v = -65*mV", refractory=20 * ms)
ADAPT_KW["initial"] = {"v": "E_L"}
ADAPT_PARAMS = {"E_L": -70 * mV, "R": 100e6, "I": 0.3 * nA, "tau": 10 * ms, "a": 2e-9}


def test_exact_holds_flagged_variables_and_propagates_what_they_drive():
    # v is held while refractory; w, driven by v, then relaxes exactly towards a (V_r - E_L)
    model = neuron_model("Adapt", ADAPT_TEXT, **ADAPT_KW)
    assert model.info.method == "exact"
    p = {**ADAPT_PARAMS, "tau_w": 50 * ms}
    mon, spikes = trace(model(**p), 1, 0.08, names=("v", "w"))
    first = spikes.steps[0]  # stamp: the first refractory step is `first`, sample `first`
    held = slice(first, first + 200)
    np.testing.assert_array_equal(mon["v"][held, 0], -65 * mV)
    w0 = mon["w"][first - 1, 0]
    w_inf = p["a"] * (-65 * mV - p["E_L"])
    t = (np.arange(200) + 1) * 0.1 * ms
    expected = w_inf + (w0 - w_inf) * np.exp(-t / p["tau_w"])
    np.testing.assert_allclose(mon["w"][held, 0], expected, rtol=1e-12)


def test_runge_kutta_propagates_a_flagged_linear_block_exactly():
    """A linear block with a flagged variable, beside a nonlinear variable under RK4, is
    propagated as the exact method does: held while refractory, the rest with it held (the
    block is the same arithmetic: equal to round-off). Found porting NEST's
    clopath_synapse_spike_pairing: a flagged fast variable (tau = dt / 30) went to RK4 and
    grew 3e4-fold per step."""
    text = ADAPT_TEXT + "dz/dt = -z**3 / tau : 1 (unless refractory)\n"
    kw = {**ADAPT_KW, "initial": {"v": "E_L", "z": "1"}}
    rk4 = neuron_model("AdaptRK4", text, method="rk4", **kw)
    exact = neuron_model("AdaptExact", text.replace("-z**3", "-z"), **kw)
    assert rk4.info.linear_block == ("v", "w") and exact.info.method == "exact"
    p = {**ADAPT_PARAMS, "tau_w": 50 * ms}
    got, spikes = trace(rk4(**p), 1, 0.08, names=("v", "w"))
    ref, ref_spikes = trace(exact(**p), 1, 0.08, names=("v", "w"))
    np.testing.assert_array_equal(spikes.steps, ref_spikes.steps)
    for name in ("v", "w"):
        # round-off: w starts at 0 (relative differences near it are large, 1e-24 A absolute)
        atol = 1e-12 * np.abs(ref[name]).max()
        np.testing.assert_allclose(got[name], ref[name], rtol=1e-12, atol=atol)
    fast = neuron_model(
        "Fast",
        "dx/dt = -x / tau_f : 1 (unless refractory)\ndv/dt = -v**3 / tau : 1\n"
        "tau_f : second\ntau : second",
        threshold="v > 10",
        refractory=1 * ms,
        method="rk4",
        initial={"x": "1", "v": "0.5"},
    )
    mon, _ = trace(fast(tau_f=0.1 * ms / 30, tau=10 * ms), 1, 0.3 * ms, names=("x",))
    np.testing.assert_allclose(mon["x"][:, 0], np.exp(-30.0 * np.arange(1, 4)), rtol=1e-9)


def test_rkf45_error_names_its_substep_limit():
    """A variable driven to 1e13 V within a step exhausts rkf45's substeps: the error says so
    (found porting NEST's clopath_synapse_spike_pairing with v unbounded outside exp)."""
    model = neuron_model(
        "Runaway",
        """
        dv/dt = (E_L - v + D * exp((minimum(v, V_p) - V_T) / D)) / tau : volt
        du/dt = (v - u) / tau_u : volt
        E_L : volt
        D : volt
        V_p : volt
        V_T : volt
        tau : second
        tau_u : second
        """,
        threshold="v >= V_p",
        reset="v = E_L",
        method="rkf45",
        initial={"v": "9.4*mV", "u": "E_L"},
    )
    p = dict(E_L=-70.6 * mV, D=2 * mV, V_p=33 * mV, V_T=-50.4 * mV, tau=9.4 * ms, tau_u=7 * ms)
    with pytest.raises(SimulationError, match=r"more than 10,000 substeps.*min\(v, V_peak\)"):
        trace(model(**p), 1, 1 * ms)


def test_setting_a_packed_parameter_per_neuron():
    # p5 leaves the pack when it becomes per-neuron: a new step variant, the same dynamics
    model, names = many_parameters()
    values = {p: 0.5 * mV for p in names}
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model(tau=10 * ms, **values), 2)
    net.run(0.005)
    v50 = pop.get("v")
    pop.set(p5=np.array([0.5, 3.0]) * mV)
    net.run(0.005)
    v_inf = (MANY - 1) * 0.5 * mV + np.array([0.5, 3.0]) * mV
    np.testing.assert_allclose(pop.get("v"), v_inf + (v50 - v_inf) * (1 - 0.01) ** 50, rtol=1e-12)


def test_rkf45_rejects_a_trial_substep_that_leaves_the_finite_numbers():
    """A trial substep whose stages overflow (here the first substep of dt = 0.05 ms on the
    upstroke of NEST's hh_psc_alpha_gap, started at -41.5 mV: exp() of the rates overflows) is
    rejected and shrunk, as GSL does: before, its NaN error ratio could be dropped by max() and
    the substep accepted, and the run stopped with "v became nan" at 0.7 ms. The spike's peak
    (68.6 mV now) must be that of a neighbouring start (-41.6 mV, 69.3 mV, which always ran)
    within a few mV."""
    import importlib.util
    from pathlib import Path

    path = (
        Path(__file__).resolve().parents[2] / "examples" / "ports" / "gap_junctions_two_neurons.py"
    )
    spec = importlib.util.spec_from_file_location("gap_two_neurons_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    peaks = []
    for v0 in (-41.5, -41.6):
        net = Network(dt=0.05 * ms)
        pop = net.add_population(
            module.HH_PSC_ALPHA_GAP(**module.PARAMETERS, I_e=0.0),
            1,
            init={"v": np.array([v0 * mV]), **module.GATES},
        )
        mon = net.record_state(pop, "v")
        net.run(5 * ms)
        peaks.append(mon.record().values["v"].max() / mV)
    assert 60 < peaks[0] < 75 and abs(peaks[0] - peaks[1]) < 3


ALPHA_G = """
dv/dt = (-G * (v - E_L) - g * v) / C_m : volt
dg/dt = h - g / tau : siemens
dh/dt = -h / tau : siemens / second
G : siemens
C_m : farad
E_L : volt
tau : second
"""


def _alpha_run(method):
    from snn.core.units import nS, pF
    from snn.neurons import SpikeSourceArray
    from snn.synapses import AllToAll

    model = neuron_model(
        "AlphaG",
        ALPHA_G,
        on_spike={"r": "h += w * e / tau"},
        initial={"v": "E_L"},
        method=method,
    )
    net = Network(dt=0.05 * ms)
    pop = net.add_population(model(G=10 * nS, C_m=60 * pF, E_L=-70 * mV, tau=0.2 * ms), 1)
    src = net.add_population(SpikeSourceArray(times=[1 * ms], indices=[0]), 1)
    net.connect(src, pop, rule=AllToAll(), weight=20 * nS, delay=0.05 * ms, receptor="r")
    mon = net.record_state(pop, "g")
    net.run(3 * ms)
    return model, mon.times, mon["g"][:, 0]


def test_chosen_exponential_euler_propagates_a_coupled_linear_block_exactly():
    # an alpha conductance with tau = 4 dt beside a conditionally linear membrane: chosen, the
    # method propagates g and h exactly (the closed form w e s / tau exp(-s / tau) after the
    # arrival at 1.05 ms: the input is added at the end of that step); requested, it is
    # Brian2's exponential Euler, h held over each step (its recurrence, computed here)
    model, t, g = _alpha_run(None)
    assert model.info.method == "exponential_euler" and model.info.linear_block == ("g", "h")
    s = np.clip(t - 1.05 * ms, 0.0, None)
    exact = 20e-9 * s / (0.2 * ms) * np.exp(1.0 - s / (0.2 * ms))
    np.testing.assert_allclose(g, exact, rtol=0, atol=1e-21)
    _, _, g_brian2 = _alpha_run("exponential_euler")
    decay = np.exp(-0.25)
    ref = np.zeros(t.size)
    g_n, h_n = 0.0, 0.0
    for n in range(t.size):  # step n ends at (n + 1) * 0.05 ms
        g_inf = h_n * 0.2 * ms
        g_n = g_inf + (g_n - g_inf) * decay
        h_n *= decay
        if n == 20:  # the step ending at 1.05 ms adds the spike's jump to h
            h_n += 20e-9 * np.e / (0.2 * ms)
        ref[n] = g_n
    np.testing.assert_allclose(g_brian2, ref, rtol=1e-12, atol=1e-24)
    assert g_brian2.max() == pytest.approx(22.72e-9, rel=1e-3)


@pytest.mark.parametrize(
    "rate", ["clip(cos(phase), 0, inf) * fmax", "maximum(cos(phase), 0) * fmax"]
)
def test_min_and_max_of_parameters_alone_are_computed_once_with_numpy(rate):
    """An expression of parameters only goes into the constants, computed with numpy when the
    run starts. ``clip`` and ``maximum`` there once printed as ``functools.reduce(...)`` in a
    module without functools: a NameError at ``add_population`` (Brian2's
    ``Kremer_et_al_2011`` layer-4 rate ``clip(cos(direction - selectivity), 0, inf) * Fmax``).
    With cos(phase) = 0.5 for phase = pi/3, half of 100 Hz per neuron."""
    model = neuron_model(
        "ClipOfParameters",
        f"rate = {rate} : hertz\nphase : 1\nfmax : hertz",
        threshold="rand() < rate * dt",
    )
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(model(phase=np.array([math.pi / 3, math.pi]), fmax=100 * Hz), 2)
    spikes = net.record_spikes(pop)
    net.run(2.0)
    counts = np.bincount(spikes.indices, minlength=2)
    assert counts[1] == 0  # cos(pi) < 0: clipped to no firing
    assert abs(counts[0] - 100) < 4 * math.sqrt(100)  # Binomial(20,000, 0.005): mean 100


@pytest.mark.parametrize("method", ["rk2", "rk4"])
def test_a_requested_runge_kutta_integrates_a_linear_system_as_asked(method):
    """``dv/dt = (I - v) / tau`` with ``method="rk2"`` follows RK2's recurrence (Brian2's
    ``compare_GSL_to_conventional.py`` measures its error), not the exact solution a linear
    block within a larger system gets: per step ``v += h (I - v)/tau * (1 - h/(2 tau))`` (RK2,
    the midpoint rule; RK4 with the two more terms of the series), to round-off (1e-12)."""
    model = neuron_model(
        f"Linear_{method}", "dv/dt = (I - v) / tau : 1\nI : 1\ntau : second", method=method
    )
    assert model.info.method == method
    net = Network(dt=0.5 * ms)
    pop = net.add_population(model(I=1.0, tau=2 * ms), 1)
    mon = net.record_state(pop, "v")
    net.run(5 * ms)
    x = 0.5 / 2.0  # h / tau
    factor = 1 - x + x**2 / 2 if method == "rk2" else 1 - x + x**2 / 2 - x**3 / 6 + x**4 / 24
    steps = np.arange(1, 11)
    np.testing.assert_allclose(mon["v"][:, 0], 1.0 - factor**steps, rtol=1e-12)
    assert abs(mon["v"][-1, 0] - (1 - np.exp(-2.5))) > 1e-6  # not the exact solution


def test_a_reset_keeps_temporaries_of_the_values_before_it():
    """Brian2's reset may keep a value for the statements after it (``x_tmp = ...``): ``d = v``
    holds the potential before the reset sets it to 0, and ``u += d`` adds that. ``v`` rises by
    1 V/s, so it crosses 10 mV in step 101 at 10.1 mV (to round-off)."""
    model = neuron_model(
        "ResetTemporary",
        "dv/dt = 1 * volt / second : volt\ndu/dt = 0 * volt / second : volt",
        threshold="v > 10 * mV",
        reset="d = v\nv = 0 * volt\nu += d",
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model(), 1)
    net.run(10.5 * ms)
    assert pop.get("u")[0] == pytest.approx(10.1 * mV, rel=1e-12)
    assert pop.get("v")[0] == pytest.approx(0.4 * mV, rel=1e-9)
    with pytest.raises(Exception, match=r"`vv` is assigned but never used.*did you mean `v`"):
        neuron_model("Typo", "dv/dt = 0 * volt / second : volt", threshold="v > 0 * volt",
                     reset="vv = 0 * volt")  # fmt: skip
