"""Checks on user input for model, rule and drive writers.

Each check raises :class:`~snn.core.errors.ConfigurationError` with the parameter's name, the
value received and what was expected, before anything is allocated; the ``warn_*`` checks emit a
:class:`~snn.core.errors.UnitWarning` naming the likely unit slip (:func:`warn_magnitude` checks
a value against the plausible range of its kind of quantity, :data:`PLAUSIBLE`). Values may be
scalars or per-neuron arrays; for arrays the message names the first offending element.

Examples
--------
>>> from snn.core.validate import require_positive
>>> require_positive("tau_m", -0.02, "s")
Traceback (most recent call last):
...
snn.core.errors.ConfigurationError: `tau_m` must be > 0 s, got -0.02.
"""

from snn.core._magnitudes import PLAUSIBLE, warn_magnitude
from snn.core._validate import (
    as_param,
    require_finite,
    require_in_range,
    require_int,
    require_nonnegative,
    require_positive,
    warn_time_constant,
    warn_voltage,
)

__all__ = [
    "PLAUSIBLE",
    "as_param",
    "require_finite",
    "require_in_range",
    "require_int",
    "require_nonnegative",
    "require_positive",
    "warn_magnitude",
    "warn_time_constant",
    "warn_voltage",
]
