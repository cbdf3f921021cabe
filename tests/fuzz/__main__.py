"""The fuzz suite as a script, with any budget: ``python -m tests.fuzz [--scale K] [--seed S]``.

Run from the repository root (``uv run python -m tests.fuzz --scale 10``). Prints the counts of
cases by family and verdict, and every failure; exits with 1 when there is one.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.fuzz._families import all_families
from tests.fuzz._harness import describe, draw_cases, failures, run_cases, summary

#: cases per unit of family weight in the default (CI) budget
BASE = 40


def main(argv: list[str] | None = None) -> int:
    """Draw, run and report."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="budget, x the default suite's")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default fixed)")
    parser.add_argument("--family", action="append", help="only these families")
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="hang watchdog per case [s]; a first compile under load takes tens of seconds",
    )
    opts = parser.parse_args(argv)
    t0 = time.monotonic()
    cases = []
    for fam in all_families():
        if opts.family and fam.name not in opts.family:
            continue
        cases += draw_cases(fam, max(1, round(BASE * fam.weight * opts.scale)), opts.seed)
    print(f"drew {len(cases)} cases in {time.monotonic() - t0:.1f} s", flush=True)
    results = run_cases(cases, timeout=opts.timeout, log=lambda s: print(s, flush=True))
    print(summary(results))
    bad = failures(results)
    for r in bad:
        print(describe(r))
    print(f"{len(results)} cases in {time.monotonic() - t0:.1f} s, {len(bad)} failures")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
