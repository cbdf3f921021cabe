"""NMDA synapses with a magnesium block, written as Brunel & Wang (2001) write them.

The NMDA gating variable of each presynaptic neuron follows (Brunel & Wang 2001, Eqs. 4-5)::

    ds/dt = -s / tau_decay + alpha x (1 - s),    dx/dt = -x / tau_rise,    x += 1 at a spike

and the current into a postsynaptic neuron is ``g_NMDA (V - V_E) B(V) sum_j w_j s_j``, with the
voltage dependence of Jahr & Stevens (1990): ``B(V) = 1 / (1 + [Mg] exp(-0.062 V/mV) / 3.57)``
([Mg] in mM). As in the paper (and Brian2's ``Brunel_Wang_2001`` example, which keeps ``s`` and
``x`` per synapse), ``s`` is a variable of the source neuron read by a summed variable of the
synapses.

References: Brunel & Wang (2001), J. Comput. Neurosci. 11:63-85; Jahr & Stevens (1990),
J. Neurosci. 10:3178-3182.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import ms, mV, nS
from snn.equations import neuron_model, synapse_model
from snn.neurons import SpikeSourceArray
from snn.synapses import AllToAll, OneToOne

MG = 1.0  # mM, Brunel & Wang (2001)

#: a source whose spikes drive its NMDA gating (it spikes when input arrives)
GATING = neuron_model(
    "GATING",
    """
    ds_NMDA/dt = -s_NMDA / tau_decay + alpha * x * (1 - s_NMDA) : 1
    dx/dt = -x / tau_rise : 1
    du/dt = -u / ms : 1
    tau_decay : second
    tau_rise : second
    alpha : Hz
    """,
    threshold="u > 0.5",
    reset="u = 0; x += 1",
    on_spike={"syn": "u += w"},
)

#: Brunel & Wang's neuron with only the NMDA current (Eq. 1 and the NMDA term of Eq. 3)
NMDA_NEURON = neuron_model(
    "NMDA_NEURON",
    """
    dv/dt = (-g_m * (v - V_L) - I_NMDA) / C_m : volt
    dq/dt = I_NMDA / nF : volt
    I_NMDA = g_NMDA * (v - V_E) / (1 + Mg * exp(-0.062 * v / mV) / 3.57) * s_NMDA_tot : amp
    s_NMDA_tot : 1
    g_m : siemens
    V_L : volt
    C_m : farad
    g_NMDA : siemens
    V_E : volt
    Mg : 1
    """,
    currents=["s_NMDA_tot"],
    initial={"v": "V_L"},
)

#: the summed variable of Brian2's example
NMDA = synapse_model(
    "NMDA",
    """
    w : 1
    s_NMDA_tot_post = w * s_NMDA_pre : 1 (summed)
    """,
)

PARAMS = dict(g_m=25 * nS, V_L=-70 * mV, C_m=0.5e-9, V_E=0.0, Mg=MG)
GATE = dict(tau_decay=100 * ms, tau_rise=2 * ms, alpha=0.5 / ms)


def jahr_stevens(v: np.ndarray) -> np.ndarray:
    """Fraction of unblocked NMDA channels at potential ``v`` [V] (Jahr & Stevens 1990)."""
    return 1.0 / (1.0 + MG * np.exp(-0.062 * v / mV) / 3.57)


def test_the_block_has_jahr_and_stevens_voltage_dependence():
    """Clamped neurons (no leak, no dynamics of v) at -100 ... +20 mV, each reading s = 0.5
    from one source whose gating is held: the charge their NMDA current carries over 10 ms
    divided by the time is g (V - V_E) B(V) s, the current Jahr & Stevens' block allows."""
    clamp = neuron_model(
        "CLAMP",
        """
        dv/dt = 0 * volt / second : volt
        dq/dt = I_NMDA / nF : volt
        I_NMDA = g_NMDA * (v - V_E) / (1 + Mg * exp(-0.062 * v / mV) / 3.57) * s_NMDA_tot : amp
        s_NMDA_tot : 1
        g_NMDA : siemens
        V_E : volt
        Mg : 1
        """,
        currents=["s_NMDA_tot"],
    )
    v = np.linspace(-100, 20, 13) * mV
    net = Network(dt=0.1 * ms)
    held = neuron_model("HELD", "ds_NMDA/dt = 0 / second : 1")
    src = net.add_population(held(), 1, init={"s_NMDA": 0.5})
    g = 1 * nS
    post = net.add_population(clamp(g_NMDA=g, V_E=0.0, Mg=MG), v.size, init={"v": v})
    net.connect(src, post, rule=AllToAll(), weight=1.0, synapse=NMDA())
    net.run(10 * ms)
    current = post.get("q") * 1e-9 / (10 * ms)
    expected = g * (v - 0.0) * jahr_stevens(v) * 0.5
    assert np.allclose(current, expected, rtol=1e-6, atol=1e-18)
    # Jahr & Stevens' formula at these potentials: 4.4 % open at -70 mV, half at -20.5 mV,
    # 92 % at +20 mV
    assert jahr_stevens(np.array([-70, -20.5, 20]) * mV) == pytest.approx([0.044, 0.5, 0.92],
                                                                         abs=0.01)  # fmt: skip


def brunel_wang(dt: float, times: np.ndarray, g: float) -> tuple[np.ndarray, np.ndarray]:
    """One gating source spiking at ``times`` (after one step of input delay) onto one neuron."""
    net = Network(dt=dt)
    drive = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(times.size, int)), 1)
    src = net.add_population(GATING(**GATE), 1)
    post = net.add_population(NMDA_NEURON(**{**PARAMS, "g_NMDA": g}), 1)
    net.connect(drive, src, rule=OneToOne(), weight=1.0, delay=dt)
    net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=NMDA())
    spikes = net.record_spikes(src)
    mon = net.record_state(post, "v")
    net.run(200 * ms)
    return spikes.times, mon.times, mon["v"][:, 0]


def reference(spike_times: np.ndarray, t: np.ndarray, g: float) -> np.ndarray:
    """The same equations by scipy's adaptive Runge-Kutta (DOP853, rtol 1e-10) between spikes."""
    from scipy.integrate import solve_ivp

    def rhs(_t, y):
        s, x, v = y
        i_nmda = g * (v - PARAMS["V_E"]) * jahr_stevens(v) * s
        return [
            -s / GATE["tau_decay"] + GATE["alpha"] * x * (1 - s),
            -x / GATE["tau_rise"],
            (-PARAMS["g_m"] * (v - PARAMS["V_L"]) - i_nmda) / PARAMS["C_m"],
        ]

    y = np.array([0.0, 0.0, PARAMS["V_L"]])
    out = np.empty(t.size)
    bounds = [0.0, *spike_times, t[-1]]
    for k in range(len(bounds) - 1):
        inside = (t > bounds[k]) & (t < bounds[k + 1])
        span = (bounds[k], bounds[k + 1])
        times = np.append(t[inside], span[1])
        sol = solve_ivp(rhs, span, y, method="DOP853", rtol=1e-10, atol=1e-14, t_eval=times)
        out[inside] = sol.y[2][:-1]
        out[t == span[1]] = sol.y[2][-1]
        y = sol.y[:, -1].copy()
        if k < len(spike_times):
            y[1] += 1.0
    return out


def test_nmda_response_matches_brunel_and_wang_to_first_order():
    """A burst of five spikes at 50 Hz: the postsynaptic potential from the equations of Brunel
    & Wang (gating saturation, Mg block) integrated adaptively. The engine holds the summed
    gating over each step (first-order splitting), so the error halves with dt."""
    times = np.array([10, 30, 50, 70, 90]) * ms
    g = 25 * nS
    errors = []
    for dt in (0.1 * ms, 0.05 * ms):
        spike_times, t, v = brunel_wang(dt, times, g)
        assert np.allclose(spike_times, times + dt)
        ref = reference(spike_times, t, g)
        errors.append(np.abs(v - ref).max())
        depolarisation = (ref - PARAMS["V_L"]).max()
    # the NMDA potential builds up over the burst (saturating gating, slow decay) to 2.83 mV
    assert 2 * mV < depolarisation < 4 * mV
    # measured errors 0.0210 and 0.0106 mV: 0.74 % of the depolarisation at dt = 0.1 ms (the
    # held gating lags its 2 ms rise by up to a step)
    assert errors[0] < 0.01 * depolarisation
    assert np.log2(errors[0] / errors[1]) == pytest.approx(1.0, abs=0.1)
