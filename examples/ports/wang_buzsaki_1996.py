"""Wang and Buzsaki's interneuron (Brian2's ``examples/frompapers/Wang_Buszaki_1996.py``), ported
to snn.

Wang & Buzsaki (1996, J. Neurosci. 16:6402): a single fast-spiking hippocampal interneuron with
Hodgkin-Huxley sodium and potassium currents (instantaneous activation ``m``, rate functions with
``exprel``), driven by 2 uA from v = -70 mV and h = 1, exponential Euler at dt = 0.01 ms for
100 ms. The original plots v; this port reduces it to the trace every 0.1 ms and the spike count
(peaks above 0 mV).

Brian2's unit names (``msiemens``, ``uF``, ``uA``) are snn's too (``snn.core.units``); the
module-level constants become shared parameters. The sodium term ``m**3 h (v - ENa)`` holds
``m(v)`` at the step's start under exponential Euler, as in Brian2.

Run:  uv run python examples/ports/wang_buzsaki_1996.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, msiemens, mV, uA, uF
from snn.equations import neuron_model

DT = 0.01 * ms
DURATION = 100 * ms

#: the original's equations, as Brian2 reads them (``peers.py`` runs this text in Brian2)
BRIAN2_EQUATIONS = """
dv/dt = (-gNa*m**3*h*(v-ENa)-gK*n**4*(v-EK)-gL*(v-EL)+Iapp)/Cm : volt
m = alpha_m/(alpha_m+beta_m) : 1
alpha_m = 0.1/mV*10*mV/exprel(-(v+35*mV)/(10*mV))/ms : Hz
beta_m = 4*exp(-(v+60*mV)/(18*mV))/ms : Hz
dh/dt = 5*(alpha_h*(1-h)-beta_h*h) : 1
alpha_h = 0.07*exp(-(v+58*mV)/(20*mV))/ms : Hz
beta_h = 1./(exp(-0.1/mV*(v+28*mV))+1)/ms : Hz
dn/dt = 5*(alpha_n*(1-n)-beta_n*n) : 1
alpha_n = 0.01/mV*10*mV/exprel(-(v+34*mV)/(10*mV))/ms : Hz
beta_n = 0.125*exp(-(v+44*mV)/(80*mV))/ms : Hz
"""
#: snn's text: the original's, and its module-level constants declared as shared parameters
EQUATIONS = BRIAN2_EQUATIONS + "".join(
    f"{name} : {unit} (shared)\n"
    for name, unit in [
        ("Cm", "farad"), ("Iapp", "amp"), ("gL", "siemens"), ("EL", "volt"), ("ENa", "volt"),
        ("EK", "volt"), ("gNa", "siemens"), ("gK", "siemens"),
    ]
)  # fmt: skip
WangBuzsaki = neuron_model("WangBuzsaki", EQUATIONS, method="exponential_euler")
PARAMS = {
    "Cm": 1 * uF,
    "Iapp": 2 * uA,
    "gL": 0.1 * msiemens,
    "EL": -65 * mV,
    "ENa": 55 * mV,
    "EK": -90 * mV,
    "gNa": 35 * msiemens,
    "gK": 9 * msiemens,
}


def figures(v: np.ndarray) -> dict:
    """``v`` [V] every step from t = dt on: the trace every 0.1 ms [mV] and the spike count."""
    peaks = (v[1:-1] > v[:-2]) & (v[1:-1] >= v[2:]) & (v[1:-1] > 0.0)
    return {"v_mV": np.round(v[9::10] / mV, 12).tolist(), "spikes": int(peaks.sum())}


def run(seed: int = 1) -> dict:
    """Simulate 100 ms (deterministic: ``seed`` unused)."""
    net = Network(dt=DT, seed=seed)
    pop = net.add_population(WangBuzsaki(**PARAMS), 1, init={"v": -70 * mV, "h": 1.0})
    mon = net.record_state(pop, "v")
    net.run(DURATION)
    return figures(mon.record().values["v"][:, 0])


if __name__ == "__main__":
    out = run()
    print(f"{out['spikes']} spikes in 100 ms; v at 100 ms {out['v_mV'][-1]:.3f} mV")
