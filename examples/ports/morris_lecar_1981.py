"""Morris and Lecar's barnacle muscle fibre (Brian2's ``examples/frompapers/Morris_Lecar_1981.py``),
ported to snn.

Morris & Lecar (1981, Biophys. J. 35:193), Fig. 9: the reduced (V, n) system of 17 fibres driven
by constant currents of 100, 125, ... 500 uA, from V = V_L and n at its steady state, integrated
by exponential Euler at dt = 0.01 ms for 220 ms. The original plots V of four of them (100, 200,
400 and 475 uA) beside the nullclines; this port reduces the plot to those four traces sampled
every millisecond.

Brian2's exponential Euler splits ``dV/dt`` into the terms with ``V`` as a factor and the rest,
and holds ``V`` where it also appears inside ``tanh`` and ``cosh`` at its value at the start of
the step; snn's ``method="exponential_euler"`` reads the equations the same way (its automatic
choice would be RK4 here). The equations are Brian2's text; its module-level constants become
shared parameters.

Run:  uv run python examples/ports/morris_lecar_1981.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import mS, ms, mV, uA, uF
from snn.equations import neuron_model

DT = 0.01 * ms
DURATION = 220 * ms
#: the neurons whose traces the original plots
PLOTTED = (0, 4, 12, 15)
PARAMS = {
    "g_L": 2 * mS,
    "g_Ca": 4 * mS,
    "g_K": 8 * mS,
    "V_L": -50 * mV,
    "V_Ca": 100 * mV,
    "V_K": -70 * mV,
    "lambda_n__max": 1.0 / (15 * ms),
    "V_1": 10 * mV,
    "V_2": 15 * mV,  # the figure caption's -15 mV is a typo (Brian2's note)
    "V_3": -1 * mV,
    "V_4": 14.5 * mV,
    "C": 20 * uF,
}

#: the original's equations, as Brian2 reads them (``peers.py`` runs this text in Brian2)
BRIAN2_EQUATIONS = """
dV/dt = (-g_L*(V - V_L) - g_Ca*m_inf*(V - V_Ca) - g_K*n*(V - V_K) + I)/C : volt
dn/dt = lambda_n*(n_inf - n) : 1
m_inf = 0.5*(1 + tanh((V - V_1)/V_2)) : 1
n_inf = 0.5*(1 + tanh((V - V_3)/V_4)) : 1
lambda_n = lambda_n__max*cosh((V - V_3)/(2*V_4)) : Hz
I : amp
"""
#: snn's text: the original's, and its module-level constants declared as shared parameters
EQUATIONS = BRIAN2_EQUATIONS + "".join(
    f"{name} : {unit} (shared)\n"
    for name, unit in [
        ("g_L", "siemens"), ("g_Ca", "siemens"), ("g_K", "siemens"), ("V_L", "volt"),
        ("V_Ca", "volt"), ("V_K", "volt"), ("lambda_n__max", "Hz"), ("V_1", "volt"),
        ("V_2", "volt"), ("V_3", "volt"), ("V_4", "volt"), ("C", "farad"),
    ]
)  # fmt: skip
MorrisLecar = neuron_model("MorrisLecar", EQUATIONS, method="exponential_euler")


def figures(v_plotted: np.ndarray) -> dict:
    """The plotted traces [mV], one row per millisecond (t = 1, 2, ... 220 ms)."""
    return {"v_mV": np.round(v_plotted / mV, 12).tolist()}


def run(seed: int = 1) -> dict:
    """Simulate the 17 fibres; return the four plotted traces (deterministic: ``seed`` unused)."""
    current = (np.arange(17) * 25 + 100) * uA
    n0 = 0.5 * (1 + np.tanh((PARAMS["V_L"] - PARAMS["V_3"]) / PARAMS["V_4"]))
    net = Network(dt=DT, seed=seed)
    init = {"V": PARAMS["V_L"], "n": n0}
    pop = net.add_population(MorrisLecar(I=current, **PARAMS), 17, init=init)
    mon = net.record_state(pop, "V", interval=1 * ms)
    net.run(DURATION)
    return figures(mon.record().values["V"][:, list(PLOTTED)])


if __name__ == "__main__":
    v = np.array(run()["v_mV"])
    for k, idx in enumerate(PLOTTED):
        print(f"I = {100 + 25 * idx} uA: V at 220 ms {v[-1, k]:.3f} mV, max {v[:, k].max():.2f} mV")
