"""Generated modules are named by everything they reach, so a cached one is never stale."""

from __future__ import annotations

import importlib
import sys

from snn.core.kernels import Imports

CALLEE = """
from snn.core.kernels import kernel


@kernel(inline="always")
def g(x):
    return x + {value}
"""

CALLER = """
from snn.core.kernels import kernel
from codegen_callee import g


@kernel(inline="always")
def f(x):
    return 2.0 * g(x)
"""


def _fingerprint(func) -> str:
    imports = Imports()
    imports.name(func, "f")
    return imports.fingerprint()


def test_a_change_in_a_callee_module_changes_the_fingerprint(tmp_path, monkeypatch):
    # f's own module does not change; only the module of the kernel f calls (and numba would
    # inline) does: the generated module that imports f must get a new name
    (tmp_path / "codegen_callee.py").write_text(CALLEE.format(value=1.0))
    (tmp_path / "codegen_caller.py").write_text(CALLER)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        caller = importlib.import_module("codegen_caller")
        before = _fingerprint(caller.f)
        assert _fingerprint(caller.f) == before  # deterministic
        (tmp_path / "codegen_callee.py").write_text(CALLEE.format(value=2.0))
        assert _fingerprint(caller.f) != before
    finally:
        sys.modules.pop("codegen_caller", None)
        sys.modules.pop("codegen_callee", None)


def test_a_closure_counts_with_what_it_captures():
    def make(value):
        from snn.core.kernels import kernel

        @kernel(inline="always")
        def inner(x):
            return x + value

        @kernel(inline="always")
        def outer(x):
            return inner(x)

        return outer

    # closures of one factory share their source: the values they captured tell them apart
    # (numba compiles a captured value in as a constant), and the captured kernel is followed
    assert _fingerprint(make(1.0)) == _fingerprint(make(1.0))
    assert _fingerprint(make(1.0)) != _fingerprint(make(2.0))
