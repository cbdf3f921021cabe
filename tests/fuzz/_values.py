"""Value strategies of the fuzz suite: each draws ``(value, expect, why)``.

``expect`` is ``"invalid"`` for values no parameter of that kind may take (NaN, a 2-D array, a
string where a number goes, ...), ``"either"`` for values that may or may not make sense for a
particular parameter (zero, a negated or huge value): snn may refuse them or accept them, and an
accepted one must then run cleanly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

RANK = {"valid": 0, "either": 1, "invalid": 2}


def worst(*expects: str) -> str:
    """The strictest of several expectations (one invalid argument makes the call invalid)."""
    return max(expects, key=RANK.__getitem__) if expects else "valid"


def combine(parts: dict[str, tuple[Any, str, str]]) -> tuple[dict[str, Any], str, str]:
    """Keyword arguments from drawn ``(value, expect, why)`` parts, with the joint expectation."""
    kwargs = {k: v for k, (v, _, _) in parts.items()}
    expect = worst(*(e for _, e, _ in parts.values()))
    why = ", ".join(f"{k}: {w}" for k, (_, e, w) in parts.items() if e != "valid" and w)
    return kwargs, expect, why


def _scale(x: float, s: float) -> float:
    return x * s if x != 0 else s * 1e-3


def number(
    default: float, n: int = 3, *, arrays: bool = True, inf_ok: bool = False
) -> st.SearchStrategy:
    """Values for a numeric parameter whose default is ``default`` (n: population size).

    ``inf_ok``: +inf is a meaningful value (as when the default is infinite).
    """
    base = float(default)
    inf_ok = inf_ok or math.isinf(base)
    cats: list[st.SearchStrategy] = [
        st.just((default, "valid", "")),
        st.floats(0.5, 2.0).map(
            lambda s: (_scale(base, s) if not inf_ok else base, "either", "scaled")
        ),
        st.just((math.nan, "invalid", "NaN")),
        st.sampled_from([math.inf, -math.inf]).map(
            lambda v: (v, "either" if inf_ok and v > 0 else "invalid", f"{v}")
        ),
        st.just((-base if base else -1e-3, "either", "negated")),
        st.just((0.0, "either", "zero")),
        st.sampled_from([1e300, -1e300, 1e-300, 1.7e308]).map(lambda v: (v, "either", f"{v:g}")),
        st.just(("fast", "invalid", "a string")),
        st.just((None, "invalid" if not inf_ok else "either", "None")),
        st.just((True, "either", "a bool")),
        st.just(([[1.0], [1.0, 2.0]], "invalid", "a ragged list")),
        st.just((1 + 2j, "invalid", "a complex number")),
    ]
    if arrays:
        cats += [
            st.just((np.full((2, 2), base), "invalid", "a 2-D array")),
            st.just((np.full((n, 1), base), "invalid", "an (n, 1) array")),
            st.just((np.full(n + 1, base), "invalid", "n + 1 values")),
            st.just((np.zeros(0), "invalid", "an empty array")),
        ]
    return st.one_of(cats)


def choice(default: Any, valid: Sequence[Any]) -> st.SearchStrategy:
    """Values for a parameter that takes one of ``valid``."""
    return st.one_of(
        st.just((default, "valid", "")),
        st.sampled_from(list(valid)).map(lambda v: (v, "valid", "")),
        st.sampled_from(["nonsense", "", 3, None, 2.5, [default]]).map(
            lambda v: (v, "invalid", f"{v!r}")
        ),
    )


def flag(default: bool) -> st.SearchStrategy:
    """Values for a boolean parameter."""
    return st.one_of(
        st.booleans().map(lambda v: (v, "valid", "")),
        st.sampled_from(["no", "yes", "", 0.5, None, 2]).map(
            lambda v: (v, "invalid", f"{v!r} for a bool")
        ),
        st.sampled_from([0, 1, np.bool_(True)]).map(lambda v: (v, "either", f"{v!r} for a bool")),
    )


def integer(default: int, *, low: int = 0, high: int = 10**6) -> st.SearchStrategy:
    """Values for an integer parameter (count, seed, size)."""
    return st.one_of(
        st.just((default, "valid", "")),
        st.integers(low, min(high, max(low + 10, default * 4))).map(lambda v: (v, "valid", "")),
        st.integers(-(10**6), low - 1).map(lambda v: (v, "invalid", f"{v} < {low}"))
        if low > -(10**6)
        else st.nothing(),
        st.sampled_from([2.5, math.nan, math.inf, "3", None, [default]]).map(
            lambda v: (v, "invalid", f"{v!r} for an integer")
        ),
        st.sampled_from([10**19, 10**30, 2**63, 2**64 + 1]).map(
            lambda v: (v, "either", f"{v:.3g} for an integer")
        ),
        st.just((float(default), "either", "an integral float")),
    )


def duration(dt: float) -> st.SearchStrategy:
    """Values for a time span that must be a multiple of ``dt`` (run durations, intervals)."""
    return st.one_of(
        st.integers(1, 20).map(lambda k: (k * dt, "valid", "")),
        st.just((0.0, "either", "zero")),
        st.floats(0.1, 0.9).map(lambda f: (dt * (3 + f), "invalid", "not a multiple of dt")),
        st.sampled_from([-dt, -1.0, math.nan, math.inf, -math.inf]).map(
            lambda v: (v, "invalid", f"{v!r}")
        ),
        st.sampled_from([1e300, 1.7e308, 1e30, 2**63 * dt, 2**62 * dt]).map(
            lambda v: (v, "either", f"{v:.3g} s")
        ),
        st.sampled_from(["1 ms", None, [dt], np.array([dt, dt])]).map(
            lambda v: (v, "invalid", f"{v!r}")
        ),
        st.just((dt / 2, "invalid", "half a step")),
        st.just((dt * 1e-12, "either", "a rounding error away from zero")),
    )


def parts(
    draw: Any, table: dict[str, tuple[st.SearchStrategy, st.SearchStrategy]], max_bad: int = 2
) -> dict[str, tuple[Any, str, str]]:
    """Draw every part valid but at most ``max_bad`` of them, which are drawn from the bad side.

    ``table`` maps a part's name to ``(valid, bad)`` strategies of ``(value, expect, why)``.
    """
    keys = sorted(table)
    bad = set(draw(st.lists(st.sampled_from(keys), max_size=max_bad, unique=True)))
    return {k: draw(table[k][1] if k in bad else table[k][0]) for k in keys}


def ok(*values: Any) -> st.SearchStrategy:
    """Valid values."""
    return st.sampled_from(values).map(lambda v: (v, "valid", ""))


def bad(name: str, *values: Any, expect: str = "invalid") -> st.SearchStrategy:
    """Values that must be refused (or, with ``expect="either"``, may be)."""
    return st.sampled_from(values).map(lambda v: (v, expect, f"{name}={v!r:.40}"))
