"""The input-frequency curve of Hodgkin-Huxley neurons, ported to snn.

Brian2's ``examples/IF_curve_Hodgkin_Huxley.py``.

100 Hodgkin-Huxley neurons (Traub and Miles' model, as in Brian2's COBAHH benchmark), neuron
``i`` driven by the constant current 0.7 nA * i / 100, for 2 s; the original plots each
neuron's rate against its current. The equations are Brian2's, pasted; its constants become
parameters, the threshold and the refractory condition (``v > -40*mV``, a neuron is refractory
while above it) are Brian2's. Exponential Euler, as the original asks.

Run:  uv run python examples/ports/if_curve_hodgkin_huxley.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import cm, ms, msiemens, mV, nA, siemens, ufarad, umetre
from snn.equations import neuron_model

#: Brian2's equations, as in the example
EQUATIONS = """
dv/dt = (gl*(El-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK) + I)/Cm : volt
dm/dt = 0.32*(mV**-1)*4*mV/exprel((13.*mV-v+VT)/(4*mV))/ms*(1-m)-0.28*(mV**-1)*5*mV/exprel((v-VT-40.*mV)/(5*mV))/ms*m : 1
dn/dt = 0.032*(mV**-1)*5*mV/exprel((15.*mV-v+VT)/(5*mV))/ms*(1.-n)-.5*exp((10.*mV-v+VT)/(40.*mV))/ms*n : 1
dh/dt = 0.128*exp((17.*mV-v+VT)/(18.*mV))/ms*(1.-h)-4./(1+exp((40.*mV-v+VT)/(5.*mV)))/ms*h : 1
I : amp
"""  # noqa: E501 - Brian2's lines, unchanged

#: Brian2's constants, as parameters
PARAMETERS = """
gl : siemens
El : volt
EK : volt
ENa : volt
g_na : siemens
g_kd : siemens
VT : volt
Cm : farad
"""

HH = neuron_model(
    "TraubMilesHH",
    EQUATIONS + PARAMETERS,
    threshold="v > -40*mV",
    refractory="v > -40*mV",
    method="exponential_euler",
    initial={"v": "El"},
)

N = 100
DURATION = 2.0  # s
AREA = 20000 * umetre**2


def run() -> dict:
    """Simulate 2 s; return each neuron's spike count and neuron 50's spike times [ms]."""
    net = Network(dt=0.1 * ms)
    model = HH(
        Cm=1 * ufarad * cm**-2 * AREA,
        gl=5e-5 * siemens * cm**-2 * AREA,
        El=-65 * mV,
        EK=-90 * mV,
        ENa=50 * mV,
        g_na=100 * msiemens * cm**-2 * AREA,
        g_kd=30 * msiemens * cm**-2 * AREA,
        VT=-63 * mV,
        I=0.7 * nA * np.arange(N) / N,
    )
    pop = net.add_population(model, N)
    spikes = net.record_spikes(pop)
    net.run(DURATION)
    return {
        "counts": spikes.spike_counts().tolist(),
        "times_50_ms": (spikes.times[spikes.indices == 50] / ms).tolist(),
    }


if __name__ == "__main__":
    out = run()
    rates = np.array(out["counts"]) / DURATION
    first = int(np.argmax(rates > 0))
    print(f"first neuron to fire: {first}; rate of the last: {rates[-1]:.1f} Hz")
