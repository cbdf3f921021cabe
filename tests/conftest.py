"""Shared fixtures. Tests run with warnings as errors (pyproject) and explicit seeds."""

from __future__ import annotations

import pytest


@pytest.fixture
def seed() -> int:
    """The seed used by tests that do not vary it."""
    return 12345
