"""Worker process of the fuzz suite: ``python -m tests.fuzz._worker BATCH.pkl TMPDIR``.

Runs the pickled cases one after the other and writes two JSON lines per case on stdout, one
when it starts and one with its verdict, so that the parent knows which case was running when
the process died or hung.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

#: folder the families may write files into (set by main)
TMP = Path(os.environ.get("TMPDIR", "/tmp"))


class Silent(Exception):
    """An accepted call did something other than what it says (a silent acceptance)."""


class HalfBuilt(Exception):
    """A refused call left a network changed."""


def fingerprint(net: Any) -> tuple[Any, ...]:
    """What a refused call must leave as it was: the network's structure, clock and state."""
    digest = hashlib.blake2b(digest_size=16)
    for pop in net.populations:
        for name in sorted(pop.state):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(pop.state[name]).tobytes())
    for proj in net.projections:
        w = proj._csr.weight
        digest.update(np.ascontiguousarray(w).tobytes() if isinstance(w, np.ndarray) else b"%r" % w)
        digest.update(np.ascontiguousarray(proj.delays()).tobytes())
        for name, values in sorted(getattr(proj, "_syn_state", {}).items()):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(values).tobytes())
    # parameters: a refused set() must leave models, drives and synapse models as they were
    params = [repr(p.model) for p in net.populations]
    params += [repr(d.drive) for d in net._drives]
    params += [(repr(q.synapse), q.learning) for q in net.projections]
    digest.update(repr(params).encode())
    return (
        [p.name for p in net.populations],
        [type(p.model).__name__ for p in net.populations],
        [q.name for q in net.projections],
        [(type(d.drive).__name__, d.target.name) for d in net._drives],
        [type(m).__name__ for m in net._monitors],
        len(net._hooks),
        sorted(net._snapshots),
        net.step,
        digest.hexdigest(),
    )


@contextmanager
def unchanged(*nets: Any) -> Iterator[None]:
    """Run a call that may be refused; a refusal must leave every network in ``nets`` as it was."""
    before = [fingerprint(n) for n in nets]
    try:
        yield
    except BaseException as exc:
        after = [fingerprint(n) for n in nets]
        if after != before:
            changed = [
                f"{k}: {b} -> {a}"
                for n_b, n_a in zip(before, after, strict=True)
                for k, (b, a) in enumerate(zip(n_b, n_a, strict=True))
                if a != b
            ]
            raise HalfBuilt(
                f"{type(exc).__name__}: {exc} -- but the network changed: {changed}"
            ) from exc
        raise


def _raised_by(exc: BaseException, packages: tuple[str, ...]) -> bool:
    tb = exc.__traceback__
    name = None
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__", "")
        tb = tb.tb_next
    return bool(name) and name.startswith(packages)


def acceptable(exc: BaseException) -> bool:
    """snn's own refusal: an SNNError, or a ValueError/TypeError/FileNotFoundError snn raised.

    Through PyNN's API (``pyNN.snn``, whose modules are snn's), PyNN's own errors
    (``pyNN.errors``) and the ValueError/TypeError PyNN's code raises are refusals too.
    """
    from snn.core.errors import SNNError

    if isinstance(exc, SNNError) or type(exc).__module__ == "pyNN.errors":
        return True
    return type(exc) in (ValueError, TypeError, FileNotFoundError) and _raised_by(
        exc, ("snn.", "pyNN.")
    )


def classify(case: Any, run: Any) -> tuple[str, str]:
    """Run one case; its verdict and a detail line."""
    try:
        with warnings.catch_warnings():
            from snn.core.errors import SNNWarning

            warnings.simplefilter("error")
            warnings.simplefilter("ignore", SNNWarning)
            note = run(case.args)
    except HalfBuilt as exc:
        return "half-built", str(exc)
    except Silent as exc:
        return "silent", str(exc)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit) and not isinstance(exc, Exception):
            raise
        text = f"{type(exc).__module__}.{type(exc).__name__}: {exc}"[:800]
        if not acceptable(exc):
            where = "".join(traceback.format_tb(exc.__traceback__)[-2:])
            return "foreign", f"{text}\n{where[-800:]}"
        if case.expect == "valid":
            return "wrong-refusal", text
        return "refused", text
    if case.expect == "invalid":
        return "silent", f"accepted ({note})" if note else "accepted"
    return "accepted", str(note or "")


def main(batch: str, tmp: str) -> None:
    """Run the batch."""
    global TMP
    TMP = Path(tmp)
    os.chdir(tmp)
    from tests.fuzz import _families, _probe

    families = {f.name: f for f in [*_families.all_families(), _probe.FAMILY]}
    ready: set[str] = set()
    with open(batch, "rb") as fh:
        cases = pickle.load(fh)  # written by the parent process of this suite
    out = sys.stdout
    for i, case in enumerate(cases):
        family = families[case.family]
        if family.setup is not None and family.name not in ready:
            out.write(json.dumps({"i": i, "event": "setup"}) + "\n")
            out.flush()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                family.setup()
            ready.add(family.name)
        out.write(json.dumps({"i": i, "event": "start"}) + "\n")
        out.flush()
        t0 = time.perf_counter()
        verdict, detail = classify(case, family.run)
        msg = {
            "i": i,
            "event": "end",
            "verdict": verdict,
            "detail": detail,
            "seconds": time.perf_counter() - t0,
        }
        out.write(json.dumps(msg) + "\n")
        out.flush()


if __name__ == "__main__":
    # run the module's own copy, so that families raise the same Silent and HalfBuilt classes
    from tests.fuzz._worker import main as _main

    _main(sys.argv[1], sys.argv[2])
