"""Shared fixtures and the CI guard. Tests run with warnings as errors (pyproject) and seeds.

In CI (the environment variable ``CI`` is set by ``.ci/run``) everything a test needs is
installed or provided: the dev group (MPI, notebooks, docs), the shared data folder. There a
skip would hide a test that did not run, so it fails instead. The one exception is a comparison
that needs the reference simulators (Brian2, NEST: the ``peers`` group, not installed in CI): its
skip reason starts with :data:`PEERS_SKIP`, and CI checks our side against the stored figures of
those comparisons instead (``tests/validation/test_peer_figures.py``).
"""

from __future__ import annotations

import os

import pytest

#: prefix of the reason of every skip allowed in CI
PEERS_SKIP = "peers:"


def _forbidden_skip(report: pytest.CollectReport | pytest.TestReport) -> str | None:
    """The reason of a skip that CI must not accept, else None."""
    if not os.environ.get("CI") or not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return None if reason.removeprefix("Skipped: ").startswith(PEERS_SKIP) else reason


def _fail_forbidden(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = _forbidden_skip(report)
    if reason is not None:
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI, where everything this test needs must be present: {reason}"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    _fail_forbidden(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    _fail_forbidden(outcome.get_result())


@pytest.fixture
def seed() -> int:
    """The seed used by tests that do not vary it."""
    return 12345
