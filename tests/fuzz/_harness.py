"""The fuzz suite's runner: cases drawn by hypothesis, run in batches in worker processes.

A *case* is one call of the public API (or one load of a crafted file) with arguments drawn by a
family's hypothesis strategy, and an expectation: ``"invalid"`` (snn must refuse it),
``"valid"`` (snn must accept it) or ``"either"`` (refusing and accepting are both fine, as long
as an accepted call then works). Cases run in a worker process (``python -m tests.fuzz._worker``),
many per process; the worker reports the start and the verdict of each case on its stdout.

* A worker that dies (a signal, or an exit without a verdict) is a **death** of the case it had
  started; that case is run again alone in a fresh worker to confirm it, and the batch goes on
  with the next case in a new worker.
* A case that gives no verdict within ``timeout`` seconds is a **hang**: the worker is killed and
  the batch goes on in a new worker.
* In the worker (``_worker.classify``): an exception that is not snn's is **foreign**; a call
  that completes where the case expects a refusal is a **silent** acceptance; a refusal that
  leaves a network changed is **half-built**; a refusal of a case that expects acceptance is a
  **wrong refusal**.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

#: verdicts that are fine
PASSES = ("accepted", "refused")
#: verdicts that are failures
FAILURES = ("death", "hang", "foreign", "silent", "half-built", "wrong-refusal")


@dataclass(frozen=True)
class Case:
    """One call: its family, its arguments (picklable), what snn must do, and why."""

    family: str
    args: Any
    expect: str
    why: str = ""


@dataclass
class Result:
    """The verdict of one case."""

    case: Case
    verdict: str
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Family:
    """A class of cases: a strategy of ``(args, expect, why)`` and the function that runs one.

    ``run(args)`` performs the call(s) in the worker; it returns normally when snn accepted the
    input, lets snn's exception propagate when snn refused it, and raises ``Silent`` (from
    ``_worker``) when an accepted call did something other than what it says.
    """

    name: str
    doc: str
    strategy: st.SearchStrategy[tuple[Any, str, str]]
    run: Callable[[Any], Any]
    #: share of the suite's budget (examples per unit of budget)
    weight: float = 1.0
    #: builds what the family's cases share (base files) once per worker, before its first case
    #: starts, under the startup allowance rather than one case's watchdog
    setup: Callable[[], Any] | None = None


def draw_cases(family: Family, n: int, seed: int | None = None) -> list[Case]:
    """``n`` cases of ``family`` drawn by hypothesis (deterministic for a given ``seed``)."""
    drawn: list[Case] = []

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        derandomize=seed is None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(family.strategy)
    def collect(example: tuple[Any, str, str]) -> None:
        args, expect, why = example
        drawn.append(Case(family.name, args, expect, why))

    if seed is not None:
        collect = hypothesis_seed(seed)(collect)
    collect()
    return drawn


def run_cases(
    cases: Sequence[Case],
    *,
    timeout: float = 30.0,
    startup: float = 180.0,
    confirm: bool = True,
    log: Callable[[str], None] | None = None,
) -> list[Result]:
    """Run ``cases`` in as few worker processes as deaths and hangs allow."""
    results: list[Result | None] = [None] * len(cases)
    start = 0
    while start < len(cases):
        stop, failure = _run_worker(cases, start, results, timeout=timeout, startup=startup)
        if failure is None:
            start = stop
            continue
        k, verdict, detail = failure
        if verdict == "death" and confirm:
            alone = run_cases([cases[k]], timeout=timeout, startup=startup, confirm=False)[0]
            if alone.verdict != "death":
                detail += (
                    f" | alone the case gave {alone.verdict!r}: it dies only after the cases "
                    f"before it in the batch ({cases[start].family} #{start}..#{k})"
                )
        results[k] = Result(cases[k], verdict, detail)
        if log is not None:
            log(f"{verdict}: {cases[k].family} {cases[k].why}: {detail[:300]}")
        start = k + 1
    return [r for r in results if r is not None]


def _run_worker(
    cases: Sequence[Case],
    start: int,
    results: list[Result | None],
    *,
    timeout: float,
    startup: float,
) -> tuple[int, tuple[int, str, str] | None]:
    """Run ``cases[start:]`` in one worker; stop at the first death or hang."""
    with tempfile.TemporaryDirectory(prefix="snn-fuzz-") as tmp:
        batch = Path(tmp) / "batch.pkl"
        batch.write_bytes(pickle.dumps(list(cases[start:])))
        err_path = Path(tmp) / "stderr.txt"
        with open(err_path, "wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.fuzz._worker", str(batch), tmp],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=err,
                env={**os.environ, "PYTHONFAULTHANDLER": "1"},
            )
            assert proc.stdout is not None
            current: int | None = None
            began = time.monotonic()
            deadline = began + startup
            buffer = b""
            try:
                while True:
                    left = deadline - time.monotonic()
                    ready = (
                        select.select([proc.stdout], [], [], max(0.0, left))[0] if left > 0 else []
                    )
                    if not ready:
                        proc.kill()
                        proc.wait()
                        k = start if current is None else current
                        what = "no verdict" if current is not None else "worker did not start"
                        return k, (
                            k,
                            "hang",
                            f"{what} within {timeout if current is not None else startup:g} s",
                        )
                    chunk = os.read(proc.stdout.fileno(), 65536)
                    if not chunk:
                        code = proc.wait()
                        if current is None:
                            tail = err_path.read_text(errors="replace")[-2000:]
                            if code != 0:
                                raise RuntimeError(f"fuzz worker failed (exit {code}):\n{tail}")
                            return len(cases), None
                        tail = err_path.read_text(errors="replace")[-1500:]
                        return current, (current, "death", f"exit code {code}; stderr: {tail}")
                    buffer += chunk
                    while b"\n" in buffer:
                        line, buffer = buffer.split(b"\n", 1)
                        msg = json.loads(line)
                        k = start + msg["i"]
                        if msg["event"] == "setup":
                            deadline = time.monotonic() + startup
                        elif msg["event"] == "start":
                            current = k
                            began = time.monotonic()
                            deadline = began + timeout
                        else:
                            results[k] = Result(
                                cases[k], msg["verdict"], msg["detail"], msg["seconds"]
                            )
                            current = None
                            deadline = time.monotonic() + timeout
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                proc.stdout.close()


def summary(results: Sequence[Result]) -> str:
    """Counts by family and verdict, as a table."""
    by_family: dict[str, Counter[str]] = {}
    for r in results:
        by_family.setdefault(r.case.family, Counter())[r.verdict] += 1
    verdicts = [*PASSES, *FAILURES]
    head = f"{'family':<26}{'cases':>7}" + "".join(f"{v:>14}" for v in verdicts)
    lines = [head]
    total: Counter[str] = Counter()
    for name, counts in by_family.items():
        total += counts
        n = sum(counts.values())
        lines.append(f"{name:<26}{n:>7}" + "".join(f"{counts[v]:>14}" for v in verdicts))
    n = sum(total.values())
    lines.append(f"{'total':<26}{n:>7}" + "".join(f"{total[v]:>14}" for v in verdicts))
    return "\n".join(lines)


def failures(results: Sequence[Result]) -> list[Result]:
    """The results whose verdict is a failure."""
    return [r for r in results if r.verdict in FAILURES]


def describe(result: Result) -> str:
    """A failure as text: family, expectation, arguments and what happened."""
    return (
        f"[{result.verdict}] {result.case.family} (expected {result.case.expect}: "
        f"{result.case.why}) args={result.case.args!r:.400}\n    {result.detail[:600]}"
    )
