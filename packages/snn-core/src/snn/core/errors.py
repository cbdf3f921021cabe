"""Errors and warnings of snn.

Every error derives from :class:`SNNError` *and* from the builtin it refines, so
``except ValueError`` keeps working for code that does not know snn. Messages say what was wrong,
what was received, what was expected, and where possible how to fix it::

    ConfigurationError: `tau_m` must be > 0 s, got -0.02.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "FileFormatError",
    "MemoryBudgetError",
    "SNNError",
    "SNNWarning",
    "SimulationError",
    "UnitWarning",
]


class SNNError(Exception):
    """Base class of all snn errors."""


class ConfigurationError(SNNError, ValueError):
    """A model, network, connection or run was described with invalid values.

    Raised before anything is allocated or changed, so the network stays as it was.
    """


class SimulationError(SNNError, RuntimeError):
    """The simulation could not go on (for example a state variable became NaN or infinite)."""


class MemoryBudgetError(SNNError, MemoryError):
    """A structure would not fit into the memory available; nothing was allocated."""


class FileFormatError(SNNError, ValueError):
    """A file could not be read as what it claims to be.

    Truncated or corrupted files, files of another format, and checkpoints of an unsupported
    format version; the message names the file, what was found and what was expected.
    """


class SNNWarning(UserWarning):
    """Base class of snn warnings."""


class UnitWarning(SNNWarning):
    """A value's magnitude suggests a forgotten unit factor (for example 20 s meant as 20 ms)."""
