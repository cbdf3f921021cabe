"""Brian2's unit names in model text: the dimensionless angles.

Analysis only: nothing is compiled.
"""

from __future__ import annotations

import pytest

from snn.equations import EquationError, neuron_model


def test_radian_is_a_dimensionless_unit_as_in_brian2():
    """Brian2's coupled_oscillators.py declares a phase `: radian` and a frequency
    `: radian/second`; Brian2 takes radian (and steradian, with every prefix) as dimensionless."""
    model = neuron_model(
        "Phase",
        """
        dTheta/dt = omega + 0.5 * mradian / second + k * sin(Theta) : radian
        omega : radian/second (constant)
        k : hertz
        solid : steradian
        """,
        method="euler",
    )
    units = dict(model.info.parameters)
    assert units["omega"] == units["k"] == "hertz"
    assert units["solid"] == "1"


def test_radian_does_not_make_a_phase_a_time():
    with pytest.raises(EquationError, match="unit mismatch"):
        neuron_model("Phase", "dTheta/dt = omega : radian\nomega : radian", method="euler")
