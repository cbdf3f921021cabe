"""Equation versions of the built-in models give the built-in models' traces.

Each built-in model is written as equations (its module docstring's equations, in SI units) and
run side by side with it: 12 neurons, each with its own Poisson input on every spike receptor and
a DC current, 300 ms, every state variable recorded every step. Spike times must be identical.

Tolerances:

* exact integration on both sides (LIFDelta, LIFExp): 1e-12 relative. Both compute the same
  propagators (the built-in's closed forms, the equations' matrix exponential, each accurate to a
  few ulp), so the traces differ by round-off only.
* the same Runge-Kutta or (exponential) Euler method on both sides: round-off again, since the
  methods are the same arithmetic up to the order of additions (the built-in HH uses a
  polynomial ``exp`` within 2 ulp of the library's); 1e-9 relative (1e-9 of the variable's
  range, for variables that cross zero), which leaves room for the round-off that the spike
  upstroke amplifies.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import Hz, ms, mV, nA, nS, pA, pF
from snn.equations import neuron_model
from snn.neurons import (
    AdExCondExp,
    DCSource,
    HHTraubMiles,
    Izhikevich,
    LIFCondExp,
    LIFDelta,
    LIFExp,
    PoissonInput,
)

N = 12
DURATION = 0.3

LIF_DELTA = neuron_model(
    "LIF_DELTA",
    """
    dv/dt = (E_L - v) / tau_m + (I_e + current) / C_m : volt (unless refractory)
    tau_m : second
    C_m : farad
    E_L : volt
    V_th : volt
    V_reset : volt
    t_ref : second
    I_e : amp
    current : amp
    """,
    threshold="v >= V_th",
    reset="v = V_reset",
    refractory="t_ref",
    on_spike={"syn": "v += w * int(not_refractory)"},
    currents=["current"],
    initial={"v": "E_L"},
)

LIF_EXP = neuron_model(
    "LIF_EXP",
    """
    dv/dt = (E_L - v) / tau_m + (I_ex + I_in + I_e + current) / C_m : volt (unless refractory)
    dI_ex/dt = -I_ex / tau_syn_ex : amp
    dI_in/dt = -I_in / tau_syn_in : amp
    tau_m : second
    C_m : farad
    E_L : volt
    V_th : volt
    V_reset : volt
    t_ref : second
    tau_syn_ex : second
    tau_syn_in : second
    I_e : amp
    current : amp
    """,
    threshold="v >= V_th",
    reset="v = V_reset",
    refractory="t_ref",
    on_spike={"exc": "I_ex += w", "inh": "I_in += w"},
    currents=["current"],
    initial={"v": "E_L"},
)

_COND = """
dv/dt = (g_L * (E_L - v) + g_ex * (E_ex - v) + g_in * (E_in - v) + I_e + current) / C_m
        : volt (unless refractory)
dg_ex/dt = -g_ex / tau_syn_ex : siemens
dg_in/dt = -g_in / tau_syn_in : siemens
C_m : farad
g_L : siemens
E_L : volt
V_th : volt
V_reset : volt
t_ref : second
E_ex : volt
E_in : volt
tau_syn_ex : second
tau_syn_in : second
I_e : amp
current : amp
"""


def cond_exp(method):
    return neuron_model(
        f"LIF_COND_{method.upper()}",
        _COND,
        threshold="v >= V_th",
        reset="v = V_reset",
        refractory="t_ref",
        on_spike={"exc": "g_ex += w", "inh": "g_in += w"},
        currents=["current"],
        initial={"v": "E_L"},
        method=method,
    )


ADEX = neuron_model(
    "ADEX",
    """
    dv/dt = (g_L * (E_L - v_c) + g_L * Delta_T * exp((v_c - V_T) / Delta_T)
             + g_ex * (E_ex - v_c) + g_in * (E_in - v_c) - w + I_e + current) / C_m
             : volt (unless refractory)
    dw/dt = (a * (v_c - E_L) - w) / tau_w : amp
    dg_ex/dt = -g_ex / tau_syn_ex : siemens
    dg_in/dt = -g_in / tau_syn_in : siemens
    v_c = minimum(v, V_peak) : volt  # NEST's and snn's guard against overflow
    C_m : farad
    g_L : siemens
    E_L : volt
    V_T : volt
    Delta_T : volt
    tau_w : second
    a : siemens
    b : amp
    V_peak : volt
    V_reset : volt
    t_ref : second
    E_ex : volt
    E_in : volt
    tau_syn_ex : second
    tau_syn_in : second
    I_e : amp
    current : amp
    """,
    threshold="v >= V_peak",
    reset="v = V_reset; w += b",
    refractory="t_ref",
    on_spike={"exc": "g_ex += weight", "inh": "g_in += weight"},
    currents=["current"],
    initial={"v": "E_L"},
    method="rk4",
)

IZHIKEVICH = neuron_model(
    "IZHIKEVICH",
    """
    dv/dt = 0.04 / ms / mV * v_c**2 + 5 / ms * v_c + 140 * mV / ms - u
            + (I_e + current) / C_m : volt
    du/dt = a * (b * v_c - u) : volt / second
    v_c = minimum(v, v_peak) : volt
    a : hertz
    b : hertz
    c : volt
    d : volt / second
    v_peak : volt
    C_m : farad
    I_e : amp
    current : amp
    """,
    threshold="v >= v_peak",
    reset="v = c; u += d",
    on_spike={"syn": "v += w"},
    currents=["current"],
    initial={"v": -65 * mV, "u": "b * -65 * mV"},
    method="rk4",
)

HH_TRAUB = neuron_model(
    "HH_TRAUB",
    """
    dv/dt = (g_L * (E_L - v) + g_ex * (E_ex - v) + g_in * (E_in - v)
             - g_Na * (m * m * m) * h * (v - E_Na) - g_K * (n * n * n * n) * (v - E_K)
             + I_e + current) / C_m : volt
    dm/dt = alpha_m * (1 - m) - beta_m * m : 1
    dn/dt = alpha_n * (1 - n) - beta_n * n : 1
    dh/dt = alpha_h * (1 - h) - beta_h * h : 1
    dg_ex/dt = -g_ex / tau_syn_ex : siemens
    dg_in/dt = -g_in / tau_syn_in : siemens
    alpha_m = 0.32 * (mV**-1) * 4 * mV / exprel((13 * mV - v + V_T) / (4 * mV)) / ms : hertz
    beta_m = 0.28 * (mV**-1) * 5 * mV / exprel((v - V_T - 40 * mV) / (5 * mV)) / ms : hertz
    alpha_h = 0.128 * exp((17 * mV - v + V_T) / (18 * mV)) / ms : hertz
    beta_h = 4. / (1 + exp((40 * mV - v + V_T) / (5 * mV))) / ms : hertz
    alpha_n = 0.032 * (mV**-1) * 5 * mV / exprel((15 * mV - v + V_T) / (5 * mV)) / ms : hertz
    beta_n = 0.5 * exp((10 * mV - v + V_T) / (40 * mV)) / ms : hertz
    C_m : farad
    g_L : siemens
    E_L : volt
    g_Na : siemens
    E_Na : volt
    g_K : siemens
    E_K : volt
    V_T : volt
    E_ex : volt
    E_in : volt
    tau_syn_ex : second
    tau_syn_in : second
    V_th : volt
    t_ref : second
    I_e : amp
    current : amp
    """,
    threshold="v >= V_th",
    refractory="t_ref",
    on_spike={"exc": "g_ex += w", "inh": "g_in += w"},
    currents=["current"],
    initial={"v": "E_L"},
    method="exponential_euler",
)


def run(model, receptors, rate, weights, *, current=None, init=None):
    """Spike times per neuron and every state variable every step."""
    net = Network(dt=0.1 * ms, seed=7)
    pop = net.add_population(model, N, init=init)
    for receptor, weight in zip(receptors, weights, strict=True):
        net.add_drive(PoissonInput(rate=rate, weight=weight, receptor=receptor), pop)
    if current is not None:
        net.add_drive(DCSource(amplitude=current), pop)
    names = [v.name for v in model.state_vars if v.dtype == "float"]
    states = net.record_state(pop, names, interval=net.dt)
    spikes = net.record_spikes(pop)
    net.run(DURATION)
    return spikes.steps.copy(), spikes.senders.copy(), {n: states[n].copy() for n in names}


def compare(builtin, equations, rename, *, rtol, **kw):
    steps_b, ids_b, trace_b = run(builtin, **kw)
    steps_e, ids_e, trace_e = run(equations, **kw)
    assert steps_b.size > 10, "the test needs spikes"
    np.testing.assert_array_equal(steps_e, steps_b)
    np.testing.assert_array_equal(ids_e, ids_b)
    for name_b, name_e in rename.items():
        b, e = trace_b[name_b], trace_e[name_e]
        scale = np.max(np.abs(b))
        np.testing.assert_allclose(e, b, rtol=rtol, atol=rtol * scale, err_msg=name_b)


LIF_P = {
    "tau_m": 10 * ms,
    "c_m": 250 * pF,
    "e_l": -70 * mV,
    "v_th": -55 * mV,
    "v_reset": -70 * mV,
    "t_ref": 2 * ms,
    "i_e": 380 * pA,
}
LIF_EQ = {
    "tau_m": "tau_m",
    "c_m": "C_m",
    "e_l": "E_L",
    "v_th": "V_th",
    "v_reset": "V_reset",
    "t_ref": "t_ref",
    "i_e": "I_e",
}


def eq_params(params, names):
    return {names[k]: v for k, v in params.items()}


def test_lif_delta_exact():
    # per-neuron time constants: one propagator per distinct value
    p = {**LIF_P, "tau_m": np.linspace(8, 14, N) * ms}
    compare(
        LIFDelta(**p),
        LIF_DELTA(**eq_params(p, LIF_EQ)),
        {"v": "v"},
        rtol=1e-12,
        receptors=["syn"],
        rate=8000 * Hz,
        weights=[0.3 * mV],
        current=50 * pA,
    )
    assert LIF_DELTA.info.method == "exact"


def test_lif_exp_exact():
    p = {**LIF_P, "tau_syn_ex": 2 * ms, "tau_syn_in": 5 * ms}
    names = {**LIF_EQ, "tau_syn_ex": "tau_syn_ex", "tau_syn_in": "tau_syn_in"}
    compare(
        LIFExp(**p),
        LIF_EXP(**eq_params(p, names)),
        {"v": "v", "i_ex": "I_ex", "i_in": "I_in"},
        rtol=1e-12,
        receptors=["exc", "inh"],
        rate=6000 * Hz,
        weights=[30 * pA, -10 * pA],
        current=20 * pA,
    )
    assert LIF_EXP.info.method == "exact"


COND_P = {
    "c_m": 250 * pF,
    "g_l": 16.6667 * nS,
    "e_l": -70 * mV,
    "v_th": -55 * mV,
    "v_reset": -60 * mV,
    "t_ref": 2 * ms,
    "e_ex": 0 * mV,
    "e_in": -85 * mV,
    "tau_syn_ex": 0.5 * ms,
    "tau_syn_in": 2 * ms,
    "i_e": 250 * pA,
}
COND_EQ = {
    "c_m": "C_m",
    "g_l": "g_L",
    "e_l": "E_L",
    "v_th": "V_th",
    "v_reset": "V_reset",
    "t_ref": "t_ref",
    "e_ex": "E_ex",
    "e_in": "E_in",
    "tau_syn_ex": "tau_syn_ex",
    "tau_syn_in": "tau_syn_in",
    "i_e": "I_e",
}


@pytest.mark.parametrize(
    ("builtin", "equations"),
    [("rk4", "rk4"), ("exp_euler", "exponential_euler"), ("euler", "euler")],
)
def test_lif_cond_exp(builtin, equations):
    model = cond_exp(equations)
    compare(
        LIFCondExp(**COND_P, method=builtin),
        model(**eq_params(COND_P, COND_EQ)),
        {"v": "v", "g_ex": "g_ex", "g_in": "g_in"},
        rtol=1e-9,
        receptors=["exc", "inh"],
        rate=5000 * Hz,
        weights=[3 * nS, 1 * nS],
        current=30 * pA,
    )
    if equations == "rk4":
        assert model.info.linear_block == ("g_ex", "g_in")


ADEX_P = {
    "c_m": 281 * pF,
    "g_l": 30 * nS,
    "e_l": -70.6 * mV,
    "v_th": -50.4 * mV,
    "delta_t": 2 * mV,
    "tau_w": 144 * ms,
    "a": 4 * nS,
    "b": 80.5 * pA,
    "v_peak": 0 * mV,
    "v_reset": -60 * mV,
    "t_ref": 1 * ms,
    "e_ex": 0 * mV,
    "e_in": -85 * mV,
    "tau_syn_ex": 0.2 * ms,
    "tau_syn_in": 2 * ms,
    "i_e": 1 * nA,
}
ADEX_EQ = {
    "c_m": "C_m",
    "g_l": "g_L",
    "e_l": "E_L",
    "v_th": "V_T",
    "delta_t": "Delta_T",
    "tau_w": "tau_w",
    "a": "a",
    "b": "b",
    "v_peak": "V_peak",
    "v_reset": "V_reset",
    "t_ref": "t_ref",
    "e_ex": "E_ex",
    "e_in": "E_in",
    "tau_syn_ex": "tau_syn_ex",
    "tau_syn_in": "tau_syn_in",
    "i_e": "I_e",
}


def test_adex_cond_exp_rk4():
    compare(
        AdExCondExp(**ADEX_P, method="rk4"),
        ADEX(**eq_params(ADEX_P, ADEX_EQ)),
        {"v": "v", "w": "w", "g_ex": "g_ex", "g_in": "g_in"},
        rtol=1e-9,
        receptors=["exc", "inh"],
        rate=3000 * Hz,
        weights=[3 * nS, 1 * nS],
        current=0.1 * nA,
    )


IZH_P = {
    "a": 20.0,
    "b": 200.0,
    "c": -65e-3,
    "d": 8.0,
    "v_peak": 30e-3,
    "c_m": 1 * pF,
    "i_e": 5 * pA,
}


def test_izhikevich_rk4():
    p = {**IZH_P}
    names = {"a": "a", "b": "b", "c": "c", "d": "d", "v_peak": "v_peak", "c_m": "C_m", "i_e": "I_e"}
    compare(
        Izhikevich(**p, method="rk4"),
        IZHIKEVICH(**eq_params(p, names)),
        {"v": "v", "u": "u"},
        rtol=1e-9,
        receptors=["syn"],
        rate=2000 * Hz,
        weights=[1 * mV],
        current=2 * pA,
    )


def test_hh_traub_exponential_euler():
    model = HHTraubMiles(method="exp_euler")
    names = {
        "c_m": "C_m",
        "g_l": "g_L",
        "e_l": "E_L",
        "g_na": "g_Na",
        "e_na": "E_Na",
        "g_k": "g_K",
        "e_k": "E_K",
        "v_t": "V_T",
        "e_ex": "E_ex",
        "e_in": "E_in",
        "tau_syn_ex": "tau_syn_ex",
        "tau_syn_in": "tau_syn_in",
        "v_th": "V_th",
        "t_ref": "t_ref",
        "i_e": "I_e",
    }
    params = {names[k]: getattr(model, k) for k in names}
    gates = model.initial_state()
    init = {"m": gates["m"], "h": gates["h"], "n": gates["n"]}
    compare(
        model,
        HH_TRAUB(**params),
        {"v": "v", "m": "m", "h": "h", "n": "n", "g_ex": "g_ex", "g_in": "g_in"},
        rtol=1e-9,
        receptors=["exc", "inh"],
        rate=1000 * Hz,
        weights=[2 * nS, 2 * nS],
        current=0.3 * nA,
        init=init,
    )
