"""A family that exercises the runner: a case that dies, one that hangs, one that raises."""

from __future__ import annotations

import os
import signal
import time

from hypothesis import strategies as st

from tests.fuzz._harness import Case, Family


def run(args: str) -> str:
    """Do what the case says."""
    if args == "die":
        os.kill(os.getpid(), signal.SIGSEGV)
    if args == "hang":
        time.sleep(3600)
    if args == "foreign":
        raise KeyError("not an snn error")
    return "fine"


FAMILY = Family("runner-probe", "the runner's own test", st.just(("fine", "either", "")), run)


def cases() -> list[Case]:
    """One case of each kind, the fine one last (it must run after a death and a hang)."""
    return [Case(FAMILY.name, a, "either") for a in ("die", "foreign", "hang", "fine")]
