"""The fuzz suite: every family's cases, run in worker processes under a hang watchdog.

The default budget (``BASE`` cases per unit of family weight, about 1,520 cases) takes about two
minutes here with a warm numba cache; ``python -m tests.fuzz --scale 10`` runs a larger
budget (see ``tests/fuzz/__main__.py``). The goal, checked family by family: no process death,
no hang, no exception other than snn's errors, no silent acceptance, no half-built network and
no refusal of a valid call.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz.__main__ import BASE  # noqa: E402
from tests.fuzz._families import all_families  # noqa: E402
from tests.fuzz._harness import (  # noqa: E402
    FAILURES,
    Result,
    describe,
    draw_cases,
    failures,
    run_cases,
    summary,
)

FAMILIES = {f.name: f for f in all_families()}


@pytest.fixture(scope="module")
def results() -> dict[str, list[Result]]:
    """Every family's cases, run once for the module (one worker process for all of them)."""
    cases = []
    for fam in FAMILIES.values():
        cases += draw_cases(fam, max(1, round(BASE * fam.weight)))
    # a first compile on a loaded machine takes tens of seconds: no real case comes close
    done = run_cases(cases, timeout=120.0)
    print(summary(done))
    out: dict[str, list[Result]] = {name: [] for name in FAMILIES}
    for r in done:
        out[r.case.family].append(r)
    return out


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family(results, family):
    got = results[family]
    assert len(got) >= 0.9 * round(BASE * FAMILIES[family].weight) or len(got) >= 20
    # a family whose every case is refused tests no accepted path, and the reverse
    verdicts = {r.verdict for r in got}
    assert "refused" in verdicts, f"{family}: no case was refused"
    assert "accepted" in verdicts, f"{family}: no case was accepted"
    bad = failures(got)
    assert not bad, "\n".join(describe(r) for r in bad[:20])


def test_runner_sees_deaths_hangs_and_foreign_errors():
    """The runner itself: a case that kills its worker, one that hangs, one that raises."""
    from tests.fuzz import _probe

    cases = _probe.cases()
    got = {r.case.args: r.verdict for r in run_cases(cases, timeout=10.0)}
    assert got == {"die": "death", "hang": "hang", "foreign": "foreign", "fine": "accepted"}
    assert set(got.values()) - {"accepted"} <= set(FAILURES)
