"""Brian2's unit names in ``snn.core.units`` are the same SI floats as snn's short ones."""

from __future__ import annotations

import pytest

import snn.core.units as u

#: Brian2's spelling -> snn's short name (values: SI scale factors)
ALIASES = {
    "msecond": "ms", "usecond": "us", "nsecond": "ns", "hertz": "Hz", "khertz": "kHz",
    "mvolt": "mV", "uvolt": "uV", "amp": "A", "mamp": "mA", "uamp": "uA", "namp": "nA",
    "pamp": "pA", "siemens": "S", "msiemens": "mS", "usiemens": "uS", "nsiemens": "nS",
    "psiemens": "pS", "farad": "F", "ufarad": "uF", "nfarad": "nF", "pfarad": "pF",
    "ffarad": "fF", "ohm": "Ohm", "kohm": "kOhm", "Mohm": "MOhm", "Gohm": "GOhm",
    "cmetre": "cm", "mmetre": "mm", "umetre": "um",
}  # fmt: skip


@pytest.mark.parametrize(("brian2", "short"), sorted(ALIASES.items()))
def test_brian2_names_are_snns_floats(brian2, short):
    assert getattr(u, brian2) == getattr(u, short)
    assert brian2 in u.__all__ and short in u.__all__


def test_areas_and_every_exported_name():
    assert u.cm2 == pytest.approx(1e-4, rel=1e-15)
    assert u.um2 == pytest.approx(1e-12, rel=1e-15)
    assert u.msiemens / u.cm2 == pytest.approx(10.0)  # 1 mS/cm**2 = 10 S/m**2
    assert all(isinstance(getattr(u, n), float) for n in u.__all__)


def test_concentrations_are_mol_per_cubic_metre():
    # 1 molar = 1 mol/L = 1000 mol/m**3 (SI), as Brian2's and snn.equations' `molar`
    from snn.core import units

    assert units.molar == 1e3 and units.mmolar == units.mM == 1.0
    assert units.umolar == units.uM == 1e-3 and units.nmolar == units.nM == 1e-6
    assert units.mole == units.mol == 1.0 and units.umol == 1e-6
