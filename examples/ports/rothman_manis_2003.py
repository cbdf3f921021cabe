"""Cochlear nucleus neuron types of Rothman & Manis (2003), Brian2's
``examples/frompapers/Rothman_Manis_2003.py``, ported to snn.

Rothman JS, Manis PB (2003) The roles potassium currents play in regulating the electrical
activity of ventral cochlear nucleus neurons. J Neurophysiol 89:3097-3113. One model with six
ionic currents (fast sodium, high- and low-threshold potassium, A-type potassium, the
hyperpolarisation-activated h current and the octopus cells' h current); the six cell types
differ only in their maximal conductances. The original runs one type: 50 ms at rest, then a
current step of 250 pA for 100 ms, and plots V. This port runs all six.

The equations are Brian2's, pasted; its constants become parameters and the input current
``I`` a parameter set between the two runs (``pop.set(I=...)``, as the original's
``neuron.I = Ipulse``). Exponential Euler, as the original asks; both integrate the same maths
the same way, so the traces agree to round-off. Brian2 samples the state at the start of each
step, snn at its end: the sample at a given time is the same state in both.

Run:  uv run python examples/ports/rothman_manis_2003.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS, pA, pF
from snn.equations import neuron_model

#: Brian2's equations, as in the example (its parts joined)
EQUATIONS = """
    dv/dt = (ileak + ina + ikht + iklt + ika + ih + ihcno + I)/C : volt
    vu = v/mV : 1  # unitless v
    I : amp
    ileak = gl*(El-v) : amp
    ika = gkabar*a**4*b*c*(EK-v): amp
    da/dt=q10*(ainf-a)/atau : 1
    db/dt=q10*(binf-b)/btau : 1
    dc/dt=q10*(cinf-c)/ctau : 1
    ainf = (1. / (1 + exp(-(vu + 31) / 6.)))**0.25 : 1
    binf = 1. / (1 + exp((vu + 66) / 7.))**0.5 : 1
    cinf = 1. / (1 + exp((vu + 66) / 7.))**0.5 : 1
    atau =  ((100. / (7*exp((vu+60) / 14.) + 29*exp(-(vu+60) / 24.))) + 0.1)*ms : second
    btau =  ((1000. / (14*exp((vu+60) / 27.) + 29*exp(-(vu+60) / 24.))) + 1)*ms : second
    ctau = ((90. / (1 + exp((-66-vu) / 17.))) + 10)*ms : second
    ina = gnabar*m**3*h*(ENa-v) : amp
    dm/dt=q10*(minf-m)/mtau : 1
    dh/dt=q10*(hinf-h)/htau : 1
    minf = 1./(1+exp(-(vu + 38.) / 7.)) : 1
    hinf = 1./(1+exp((vu + 65.) / 6.)) : 1
    mtau =  ((10. / (5*exp((vu+60.) / 18.) + 36.*exp(-(vu+60.) / 25.))) + 0.04)*ms : second
    htau =  ((100. / (7*exp((vu+60.) / 11.) + 10.*exp(-(vu+60.) / 25.))) + 0.6)*ms : second
    ih = ghbar*r*(Eh-v) : amp
    dr/dt=q10*(rinf-r)/rtau : 1
    rinf = 1. / (1+exp((vu + 76.) / 7.)) : 1
    rtau = ((100000. / (237.*exp((vu+60.) / 12.) + 17.*exp(-(vu+60.) / 14.))) + 25.)*ms : second
    iklt = gkltbar*w**4*z*(EK-v) : amp
    dw/dt=q10*(winf-w)/wtau : 1
    dz/dt=q10*(zinf-z)/ztau : 1
    winf = (1. / (1 + exp(-(vu + 48.) / 6.)))**0.25 : 1
    zinf = zss + ((1.-zss) / (1 + exp((vu + 71.) / 10.))) : 1
    wtau = ((100. / (6.*exp((vu+60.) / 6.) + 16.*exp(-(vu+60.) / 45.))) + 1.5)*ms : second
    ztau = ((1000. / (exp((vu+60.) / 20.) + exp(-(vu+60.) / 8.))) + 50)*ms : second
    ikht = gkhtbar*(nf*n**2 + (1-nf)*p)*(EK-v) : amp
    dn/dt=q10*(ninf-n)/ntau : 1
    dp/dt=q10*(pinf-p)/ptau : 1
    ninf =   (1 + exp(-(vu + 15) / 5.))**-0.5 : 1
    pinf =  1. / (1 + exp(-(vu + 23) / 6.)) : 1
    ntau =  ((100. / (11*exp((vu+60) / 24.) + 21*exp(-(vu+60) / 23.))) + 0.7)*ms : second
    ptau = ((100. / (4*exp((vu+60) / 32.) + 5*exp(-(vu+60) / 22.))) + 5)*ms : second
    ihcno = gbarno*(h1*frac + h2*(1-frac))*(Eh-v) : amp
    dh1/dt=(hinfno-h1)/tau1 : 1
    dh2/dt=(hinfno-h2)/tau2 : 1
    hinfno = 1./(1+exp((vu+66.)/7.)) : 1
    tau1 = bet1/(qt*0.008*(1+alp1))*ms : second
    tau2 = bet2/(qt*0.0029*(1+alp2))*ms : second
    alp1 = exp(1e-3*3*(vu+50)*9.648e4/(8.315*(273.16+temp))) : 1
    bet1 = exp(1e-3*3*0.3*(vu+50)*9.648e4/(8.315*(273.16+temp))) : 1
    alp2 = exp(1e-3*3*(vu+84)*9.648e4/(8.315*(273.16+temp))) : 1
    bet2 = exp(1e-3*3*0.6*(vu+84)*9.648e4/(8.315*(273.16+temp))) : 1
    """

#: Brian2's constants, as parameters
PARAMETERS = """
    C : farad
    Eh : volt
    EK : volt
    El : volt
    ENa : volt
    nf : 1
    zss : 1
    temp : 1
    q10 : 1
    frac : 1
    qt : 1
    gnabar : siemens
    gkhtbar : siemens
    gkltbar : siemens
    gkabar : siemens
    ghbar : siemens
    gbarno : siemens
    gl : siemens
    """

#: maximal conductances of the six types [nS]: gna, gkht, gklt, gka, gh, gno, gl
TYPES = {
    "type1c": (1000, 150, 0, 0, 0.5, 0, 2),
    "type1t": (1000, 80, 0, 65, 0.5, 0, 2),
    "type12": (1000, 150, 20, 0, 2, 0, 2),
    "type21": (1000, 150, 35, 0, 3.5, 0, 2),
    "type2": (1000, 150, 200, 0, 20, 0, 2),
    "type2o": (1000, 150, 600, 0, 0, 40, 2),
}
#: the constants common to all types (the original's values; temperature 22 degrees)
TEMPERATURE = 22.0
COMMON = {
    "C": 12 * pF,
    "Eh": -43 * mV,
    "EK": -70 * mV,
    "El": -65 * mV,
    "ENa": 50 * mV,
    "nf": 0.85,
    "zss": 0.5,
    "temp": TEMPERATURE,
    "q10": 3.0 ** ((TEMPERATURE - 22) / 10.0),
    "frac": 0.0,
    "qt": 4.5 ** ((TEMPERATURE - 33.0) / 10.0),
}
#: rest, then the current step [s]; the step's amplitude [A]
REST, PULSE, I_PULSE = 50 * ms, 100 * ms, 250 * pA
DT = 0.1 * ms
#: compared samples: V every 0.5 ms from the step's start on
EVERY = 5

RothmanManis = neuron_model(
    "RothmanManis", EQUATIONS + PARAMETERS, method="exponential_euler", initial={"v": "El"}
)


def conductances(kind: str) -> dict:
    """The maximal conductances of type ``kind`` by parameter name [S]."""
    names = ("gnabar", "gkhtbar", "gkltbar", "gkabar", "ghbar", "gbarno", "gl")
    return {n: g * nS for n, g in zip(names, TYPES[kind], strict=True)}


def figures(v_mV: np.ndarray) -> dict:
    """V [mV] every 0.5 ms of the step, sample ``k`` at ``REST + k * 0.5 ms``, and the number of
    upward crossings of -20 mV (action potentials) during the step."""
    v_mV = np.asarray(v_mV)
    above = v_mV > -20.0
    return {
        "v_mV": v_mV[::EVERY].tolist(),
        "spikes": int(np.count_nonzero(above[1:] & ~above[:-1])),
    }


def run() -> dict:
    """Each type at rest for 50 ms, then 100 ms of the step; :func:`figures` by type."""
    out = {}
    for kind in TYPES:
        net = Network(dt=DT)
        pop = net.add_population(RothmanManis(**COMMON, **conductances(kind), I=0.0), 1)
        mon = net.record_state(pop, "v")
        net.run(REST)
        pop.set(I=I_PULSE)
        net.run(PULSE)
        # snn's sample k is the state at (k + 1) dt: from REST on, as Brian2's monitor
        v = mon["v"][round(REST / DT) - 1 : -1, 0] / mV
        out[kind] = figures(v)
    return out


if __name__ == "__main__":
    for kind, fig in run().items():
        print(f"{kind}: {fig['spikes']} action potentials, V from {min(fig['v_mV']):.1f} mV")
