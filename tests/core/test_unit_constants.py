"""The physical constants and extra unit names of ``snn.core.units`` against scipy's.

scipy.constants holds CODATA's values: the constants the 2019 SI fixes are exact and must be
equal (the gas and Faraday constants are products of two exact ones: equal to round-off); the
measured ones may come from a later CODATA release than snn's 2018 values, so they agree to the
relative uncertainty of the measurement (below 1e-8 for these three).
"""

from __future__ import annotations

import pytest
import scipy.constants as sc

from snn.core import units as u


def test_exact_constants_are_scipys():
    assert u.avogadro_constant == sc.Avogadro
    assert u.boltzmann_constant == sc.Boltzmann
    assert u.elementary_charge == sc.elementary_charge
    assert u.gas_constant == pytest.approx(sc.R, rel=1e-15)
    assert u.faraday_constant == pytest.approx(
        sc.physical_constants["Faraday constant"][0], rel=1e-15
    )
    assert u.zero_celsius == sc.zero_Celsius


def test_measured_constants_agree_with_scipys():
    assert u.electric_constant == pytest.approx(sc.epsilon_0, rel=1e-8)
    assert u.magnetic_constant == pytest.approx(sc.mu_0, rel=1e-8)
    assert u.electron_mass == pytest.approx(sc.m_e, rel=1e-8)


def test_nernst_factor_and_unit_names():
    # RT/F at 36 degrees Celsius, the Hodgkin-Huxley-style reversal factor: 26.64 mV
    assert u.gas_constant * (u.zero_celsius + 36) / u.faraday_constant / u.mV == pytest.approx(
        26.6405, abs=1e-4
    )
    names = (u.ampere, u.kelvin, u.litre, u.gram, u.umetre2, u.cm3)
    assert names == pytest.approx((1.0, 1.0, 1e-3, 1e-3, 1e-12, 1e-6), rel=1e-15)
    assert all(name in dir(u) for name in u.__all__)
