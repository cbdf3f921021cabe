"""Checks on user input for model, rule and drive writers.

Each check raises :class:`~snn.core.errors.ConfigurationError` with the parameter's name, the
value received and what was expected, before anything is allocated; the ``warn_*`` checks emit a
:class:`~snn.core.errors.UnitWarning` naming the likely unit slip (:func:`warn_magnitude` checks
a value against the plausible range of its kind of quantity, :data:`PLAUSIBLE`). Values may be
scalars or per-neuron arrays; for arrays the message names the first offending element.

Parameter records (models, drives, synapse models, rules) derive from :class:`CheckedParameters`,
which runs :func:`check_parameters` (no NaN, no array of more than one dimension, numbers where
the default is a number, booleans where the field says ``bool``) before their own checks.
:func:`require_memory` checks a large allocation against the memory budget
(:data:`MEMORY_SHARE` of the memory available, less :data:`MEMORY_RESERVE`).

Examples
--------
>>> from snn.core.validate import require_positive
>>> require_positive("tau_m", -0.02, "s")
Traceback (most recent call last):
...
snn.core.errors.ConfigurationError: `tau_m` must be > 0 s, got -0.02.
"""

from snn.core._magnitudes import PLAUSIBLE, receptor_quantity, user_stacklevel, warn_magnitude
from snn.core._memory import MEMORY_RESERVE, MEMORY_SHARE, memory_budget, require_memory
from snn.core._validate import (
    INT_LIMIT,
    SEED_LIMIT,
    CheckedParameters,
    as_param,
    check_parameters,
    require_bool,
    require_choice,
    require_finite,
    require_in_range,
    require_int,
    require_nonnegative,
    require_positive,
    require_steps,
    require_type,
    time_steps,
    warn_off_grid,
    warn_time_constant,
    warn_voltage,
)

__all__ = [
    "INT_LIMIT",
    "MEMORY_RESERVE",
    "MEMORY_SHARE",
    "PLAUSIBLE",
    "SEED_LIMIT",
    "CheckedParameters",
    "as_param",
    "check_parameters",
    "memory_budget",
    "receptor_quantity",
    "require_bool",
    "require_choice",
    "require_finite",
    "require_in_range",
    "require_int",
    "require_memory",
    "require_nonnegative",
    "require_positive",
    "require_steps",
    "require_type",
    "time_steps",
    "user_stacklevel",
    "warn_magnitude",
    "warn_off_grid",
    "warn_time_constant",
    "warn_voltage",
]
