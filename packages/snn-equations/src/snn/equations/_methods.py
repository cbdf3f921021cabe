"""Which integrator a system of equations gets, and why; which it cannot get, and where.

The rules (Brian2's choice for deterministic systems with NEST's exact integration first):

1. Stochastic (``xi``): Euler-Maruyama (``euler``) when the noise is additive, Heun's method
   (``heun``, Stratonovich, as Brian2) when its coefficient depends on the state.
2. Linear with constant coefficients (``dx/dt = A x + b`` with ``A`` made of parameters; ``b``
   may also hold inputs held over the step, but not the time ``t``): ``exact``, with the
   propagator ``exp(A dt)`` computed once per ``dt``.
3. Explicit time dependence (``t``): ``rk4`` (its stages see their times).
4. Conditionally linear (each variable's equation linear in that variable, its coefficient
   depending on others, as Hodgkin-Huxley gates and conductance-based membranes):
   ``exponential_euler``.
5. Otherwise: classic Runge-Kutta (``rk4``).

With ``rk2`` and ``rk4``, variables that form a linear system with constant coefficients on
their own (synaptic conductances and currents, typically) are propagated exactly, and the
Runge-Kutta stages see their exact values at the stage times; snn's built-in models do the same.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import sympy as sp

from snn.equations._analysis import INDEX, NR, SIZE, Analysis, T
from snn.equations._expr import RAND, Converter
from snn.equations._source import Source

__all__ = ["METHODS", "choose_method", "linear_block", "linear_coefficients"]

#: method name -> aliases accepted for it
METHODS = {
    "exact": ("exact", "linear"),
    "exponential_euler": ("exponential_euler", "exp_euler"),
    "euler": ("euler",),
    "heun": ("heun",),
    "rk2": ("rk2", "midpoint"),
    "rk4": ("rk4",),
    "rkf45": ("rkf45", "rk45", "gsl_rkf45", "gsl"),
}
_ALIASES = {alias: name for name, aliases in METHODS.items() for alias in aliases}


def linear_coefficients(expr: sp.Expr, xs: list[sp.Symbol]) -> dict[sp.Symbol, sp.Expr] | None:
    """``{x: d expr / dx}`` when ``expr`` is linear in ``xs`` (coefficients free of them)."""
    out = {}
    xset = set(xs)
    for x in xs:
        c = sp.diff(expr, x)
        if c.free_symbols & xset:
            return None
        out[x] = c
    return out


def relaxation(expr: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """``(a, b)`` with ``expr = a x + b`` for exponential Euler, or None.

    Linear in ``x``: ``a`` the derivative, ``b`` the rest. Otherwise Brian2's reading: the expanded
    expression's terms with ``x`` as a factor make ``a`` and the others ``b``, while ``x`` inside
    a function (``tanh(x)``, ``exp(x)``) stays in them and is held at its value at the start of
    the step (a term in ``x**2`` or no term in ``x`` at all: None).
    """
    coeffs = linear_coefficients(expr, [x])
    if coeffs is not None:
        return coeffs[x], expr.xreplace({x: 0})
    parts = sp.collect(sp.expand(expr), x, evaluate=False)
    if x not in parts or not set(parts) <= {x, sp.S.One}:
        return None
    return parts[x], parts.get(sp.S.One, sp.S.Zero)


def _varying(an: Analysis) -> set[sp.Symbol]:
    """Symbols whose value changes from step to step."""
    currents = {an.symbol(c) for c in an.currents}
    # i and N: per-neuron values the constants (computed once per run) cannot hold
    return set(an.state_symbols) | currents | set(an.frozen) | {NR, T, RAND, INDEX, SIZE}


def _constant_coefficients(an: Analysis, expr: sp.Expr) -> bool:
    coeffs = linear_coefficients(expr, an.state_symbols)
    if coeffs is None:
        return False
    varying = _varying(an)
    return not any(c.free_symbols & varying for c in coeffs.values())


def _exactly_solvable(an: Analysis, expr: sp.Expr) -> bool:
    """Linear with constant coefficients and no term that changes within the step (``t``)."""
    return _constant_coefficients(an, expr) and not expr.has(T)


def linear_block(an: Analysis) -> list[str]:
    """The variables that form a linear system with constant coefficients on their own.

    Noise-free variables whose right-hand side is linear with constant coefficients and
    depends only on variables of the block (largest such set). Variables flagged (unless
    refractory) belong too: the propagators hold them while refractory.
    """
    block = {x for x in an.state if an.g[x] == 0 and _exactly_solvable(an, an.f[x])}
    changed = True
    while changed:
        changed = False
        for x in sorted(block):
            used = {s.name for s in an.f[x].free_symbols} & set(an.state)
            if used - block:
                block.discard(x)
                changed = True
    return [x for x in an.state if x in block]


def choose_method(an: Analysis) -> tuple[str, str]:
    """The integration method of the model and the reason (a sentence), checked.

    Raises
    ------
    EquationError
        When the requested method cannot integrate the system (naming the term and its place),
        or is unknown.
    """
    requested = an.text.method
    stochastic = [x for x in an.state if an.g[x] != 0]
    additive = all(not (an.g[x].free_symbols & set(an.state_symbols)) for x in stochastic)
    if requested is None:
        if stochastic:
            if additive:
                return "euler", "stochastic with additive noise: Euler-Maruyama"
            return "heun", "stochastic with multiplicative noise: Heun (Stratonovich)"
        if all(_exactly_solvable(an, an.f[x]) for x in an.state):
            return "exact", "linear with constant coefficients: exact propagators"
        if any(an.f[x].has(T) for x in an.state):
            return "rk4", "depends on the time: classic Runge-Kutta (RK4)"
        if all(linear_coefficients(an.f[x], [an.symbol(x)]) is not None for x in an.state):
            return "exponential_euler", "conditionally linear: exponential Euler"
        return "rk4", "nonlinear: classic Runge-Kutta (RK4)"
    method = _ALIASES.get(str(requested).lower())
    if method is None:
        raise Source.whole(str(requested), "method").error(
            f"unknown method {requested!r}; choose one of {sorted(METHODS)}"
        )
    if stochastic and method in ("exact", "exponential_euler", "rk2", "rk4", "rkf45"):
        _fail_at_noise(an, stochastic[0], method)
    if method == "euler" and not additive:
        x = next(x for x in stochastic if an.g[x].free_symbols & set(an.state_symbols))
        _fail_at_noise(
            an,
            x,
            method,
            "its noise is multiplicative (its coefficient depends on the state); use method='heun'",
        )
    if method == "exact":
        for x in an.state:
            if not _exactly_solvable(an, an.f[x]):
                _fail_at_term(
                    an,
                    x,
                    method,
                    lambda e: _exactly_solvable(an, e),
                    "is not linear with constant coefficients, or changes within the step",
                )
    if method == "exponential_euler":
        for x in an.state:
            sx = an.symbol(x)
            if relaxation(an.f[x], sx) is None:
                _fail_at_term(
                    an,
                    x,
                    method,
                    lambda e, sx=sx: relaxation(e, sx) is not None,
                    f"is not linear in `{x}` (nor a sum of terms linear in it, as Brian2 reads "
                    "exponential Euler)",
                )
    return method, "requested"


def _fail_at_noise(an: Analysis, x: str, method: str, why: str = "") -> None:
    tree, conv = an.trees[x]
    node = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and (n.id == "xi" or n.id.startswith("xi_"))
    )
    reason = why or "it cannot integrate stochastic equations; use 'euler' or 'heun'"
    raise conv.error(node, f"method {method!r} cannot integrate `d{x}/dt`: {reason}")


def _fail_at_term(
    an: Analysis, x: str, method: str, ok: Callable[[sp.Expr], bool], why: str
) -> None:
    """Raise at the smallest term of ``dx/dt`` that breaks ``ok`` (inside subexpressions too)."""
    tree, conv = an.trees[x]
    node, conv = _culprit(an, tree, conv, ok)
    raise conv.error(
        node, f"method {method!r} cannot integrate `d{x}/dt`: `{ast.unparse(node)}` {why}"
    )


def _culprit(
    an: Analysis, tree: ast.AST, conv: Converter, ok: Callable[[sp.Expr], bool]
) -> tuple[ast.AST, Converter]:
    """The deepest node of ``tree`` failing ``ok`` whose children all pass."""
    subs = an.subexpressions

    def expanded(node: ast.AST) -> sp.Expr | None:
        expr = conv.exprs.get(id(node))
        if expr is None:
            return None
        table = {sp.Symbol(f"_s_{n}", real=True): v for n, v in subs.items()}
        return expr.xreplace(table)

    node = tree
    while True:
        for child in ast.iter_child_nodes(node):
            e = expanded(child)
            if e is not None and not ok(e):
                node = child
                break
        else:
            break
    if isinstance(node, ast.Name) and node.id in an.trees and node.id in subs:
        inner, inner_conv = an.trees[node.id]
        return _culprit(an, inner, inner_conv, ok)
    return node, conv
