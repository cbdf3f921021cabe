"""Unit constants: plain SI floats.

snn works in SI base units everywhere, in the API and in the kernels (like Brian2's internals, NIR
and NWB). These constants make the intent visible at the call site::

    from snn.core.units import ms, mV, nS
    LIFCond(tau_syn_ex=5 * ms, v_th=-50 * mV)

Multiplying by a constant converts *to* SI; dividing converts *from* SI (``t / ms`` gives
milliseconds). There is no unit checking: a forgotten factor is caught by the magnitude warnings of
the models and of :class:`snn.core.Network` instead.
"""

__all__ = [
    "A",
    "F",
    "GOhm",
    "Gohm",
    "Hz",
    "MOhm",
    "Mohm",
    "Ohm",
    "S",
    "V",
    "amp",
    "cm",
    "cm2",
    "cmeter",
    "cmetre",
    "fF",
    "farad",
    "ffarad",
    "hertz",
    "kHz",
    "kOhm",
    "khertz",
    "kohm",
    "mA",
    "mM",
    "mS",
    "mV",
    "mamp",
    "meter",
    "metre",
    "mm",
    "mm2",
    "mmeter",
    "mmetre",
    "mmol",
    "mmolar",
    "mmole",
    "mol",
    "molar",
    "mole",
    "ms",
    "msecond",
    "msiemens",
    "mvolt",
    "nA",
    "nF",
    "nM",
    "nS",
    "namp",
    "nfarad",
    "nmolar",
    "ns",
    "nsecond",
    "nsiemens",
    "ohm",
    "pA",
    "pF",
    "pS",
    "pamp",
    "pfarad",
    "psiemens",
    "s",
    "second",
    "siemens",
    "uA",
    "uF",
    "uM",
    "uS",
    "uV",
    "uamp",
    "ufarad",
    "um",
    "um2",
    "umeter",
    "umetre",
    "umol",
    "umolar",
    "umole",
    "us",
    "usecond",
    "usiemens",
    "uvolt",
    "volt",
]

# Brian2's names (``msiemens``, ``pfarad``, ``mvolt``...) are here too, so that a ported script's
# constants keep their spelling; they are the same floats.

# time [s]
s = second = 1.0
ms = msecond = 1e-3
us = usecond = 1e-6
ns = nsecond = 1e-9
# frequency [Hz]
Hz = hertz = 1.0
kHz = khertz = 1e3
# potential [V]
V = volt = 1.0
mV = mvolt = 1e-3
uV = uvolt = 1e-6
# current [A]
A = amp = 1.0
mA = mamp = 1e-3
uA = uamp = 1e-6
nA = namp = 1e-9
pA = pamp = 1e-12
# conductance [S]
S = siemens = 1.0
mS = msiemens = 1e-3
uS = usiemens = 1e-6
nS = nsiemens = 1e-9
pS = psiemens = 1e-12
# capacitance [F]
F = farad = 1.0
uF = ufarad = 1e-6
nF = nfarad = 1e-9
pF = pfarad = 1e-12
fF = ffarad = 1e-15
# resistance [Ohm]
Ohm = ohm = 1.0
kOhm = kohm = 1e3
MOhm = Mohm = 1e6
GOhm = Gohm = 1e9
# length [m] and area [m**2]
metre = meter = 1.0
cm = cmetre = cmeter = 1e-2
mm = mmetre = mmeter = 1e-3
um = umetre = umeter = 1e-6
cm2 = cm**2
mm2 = mm**2
um2 = um**2
# amount [mol] and concentration [mol/m**3] (Brian2's and snn.equations' `molar` is mol/litre)
mole = mol = 1.0
mmole = mmol = 1e-3
umole = umol = 1e-6
molar = 1e3
mmolar = mM = 1.0
umolar = uM = 1e-3
nmolar = nM = 1e-6
