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
    "Hz",
    "MOhm",
    "Ohm",
    "S",
    "V",
    "cm",
    "fF",
    "kHz",
    "mA",
    "mS",
    "mV",
    "mm",
    "ms",
    "nA",
    "nF",
    "nS",
    "ns",
    "pA",
    "pF",
    "s",
    "second",
    "uA",
    "uF",
    "uS",
    "uV",
    "um",
    "us",
    "volt",
]

# time [s]
s = second = 1.0
ms = 1e-3
us = 1e-6
ns = 1e-9
# frequency [Hz]
Hz = 1.0
kHz = 1e3
# potential [V]
V = volt = 1.0
mV = 1e-3
uV = 1e-6
# current [A]
A = 1.0
mA = 1e-3
uA = 1e-6
nA = 1e-9
pA = 1e-12
# conductance [S]
S = 1.0
mS = 1e-3
uS = 1e-6
nS = 1e-9
# capacitance [F]
F = 1.0
uF = 1e-6
nF = 1e-9
pF = 1e-12
fF = 1e-15
# resistance [Ohm]
Ohm = 1.0
MOhm = 1e6
GOhm = 1e9
# length [m]
cm = 1e-2
mm = 1e-3
um = 1e-6
