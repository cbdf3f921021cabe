"""Limits of the generated integrators that the model classes also state (no sympy here)."""

__all__ = ["RKF_MAX_SUBSTEPS"]

#: most substeps in one step: beyond them (or at an accepted state that is not finite) the step
#: ends with NaN, which the engine's NaN check reports, instead of up to 2**30 smallest substeps
RKF_MAX_SUBSTEPS = 10_000
