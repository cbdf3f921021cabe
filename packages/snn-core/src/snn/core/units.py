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
    "ampere",
    "avogadro_constant",
    "boltzmann_constant",
    "cm",
    "cm2",
    "cm3",
    "cmeter",
    "cmeter2",
    "cmetre",
    "cmetre2",
    "coulomb",
    "electric_constant",
    "electron_mass",
    "elementary_charge",
    "fF",
    "farad",
    "faraday_constant",
    "ffarad",
    "gas_constant",
    "gram",
    "hertz",
    "joule",
    "kHz",
    "kOhm",
    "kelvin",
    "kg",
    "khertz",
    "kilogram",
    "kohm",
    "liter",
    "litre",
    "mA",
    "mM",
    "mS",
    "mV",
    "magnetic_constant",
    "mamp",
    "meter",
    "meter2",
    "meter3",
    "metre",
    "metre2",
    "metre3",
    "mliter",
    "mlitre",
    "mm",
    "mm2",
    "mm3",
    "mmeter",
    "mmeter2",
    "mmetre",
    "mmetre2",
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
    "pascal",
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
    "um3",
    "umeter",
    "umeter2",
    "umetre",
    "umetre2",
    "umol",
    "umolar",
    "umole",
    "us",
    "usecond",
    "usiemens",
    "uvolt",
    "volt",
    "watt",
    "zero_celsius",
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
# more SI units, for models with temperatures, charges and energies (Nernst potentials)
ampere = amp
kelvin = 1.0
coulomb = 1.0
joule = 1.0
watt = 1.0
pascal = 1.0
kilogram = kg = 1.0
gram = 1e-3
litre = liter = 1e-3
mlitre = mliter = 1e-6
metre2 = meter2 = 1.0
cmetre2 = cmeter2 = cm2
mmetre2 = mmeter2 = mm2
umetre2 = umeter2 = um2
metre3 = meter3 = 1.0
cm3 = cm**3
mm3 = mm**3
um3 = um**3

# physical constants in SI units: the exact values of the 2019 SI (Avogadro, Boltzmann,
# elementary charge, so gas and Faraday constants), CODATA 2018 for the measured ones
#: [1/mol]
avogadro_constant = 6.02214076e23
#: [J/K]
boltzmann_constant = 1.380649e-23
#: [C]
elementary_charge = 1.602176634e-19
#: [C/mol] (N_A e)
faraday_constant = avogadro_constant * elementary_charge
#: [J/(mol K)] (N_A k)
gas_constant = avogadro_constant * boltzmann_constant
#: 0 degrees Celsius [K]
zero_celsius = 273.15
#: vacuum permittivity [F/m] (CODATA 2018)
electric_constant = 8.8541878128e-12
#: vacuum permeability [N/A**2] (CODATA 2018)
magnetic_constant = 1.25663706212e-6
#: [kg] (CODATA 2018)
electron_mass = 9.1093837015e-31
