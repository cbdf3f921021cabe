"""Printing sympy expressions as numba (per-neuron, scalar) and numpy (constants) source code.

sympy's own Python and NumPy printers, with these changes: floats are printed with all their
digits (``repr``), so the generated code computes with exactly the values sympy holds; ``and``,
``or`` and ``not`` become ``&``, ``|`` and ``not`` on booleans, so a condition never branches
(LLVM can then vectorise the neuron loop); ``exprel`` calls snn's kernel; ``floor``, ``ceil`` and
``sign`` use numpy's (numba's ``math.floor`` returns an integer).
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter

__all__ = ["NumbaPrinter", "NumpyPrinter"]


class _Exact:
    """Numbers with all their digits, and ``exprel`` as the named function (both printers)."""

    _exprel: str

    def _print_Float(self, expr: sp.Float) -> str:
        return repr(float(expr))

    def _print_Rational(self, expr: sp.Rational) -> str:
        return repr(float(expr))

    def _print_Half(self, expr: Any) -> str:
        return "0.5"

    def _minmax(self, expr: Any, name: str) -> str:
        """``Min`` or ``Max`` of several arguments as nested two-argument calls of ``name``."""
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"{name}({out}, {a})"
        return out

    def _print_exprel(self, expr: Any) -> str:
        return f"{self._exprel}({self._print(expr.args[0])})"  # type: ignore[attr-defined]


class NumbaPrinter(_Exact, PythonCodePrinter):
    """Scalar code for the step function (``math`` functions, branch-free conditions)."""

    def __init__(self, exprel: str) -> None:
        super().__init__({"fully_qualified_modules": True, "standard": "python3"})
        self._exprel = exprel

    def _print_And(self, expr: sp.And) -> str:
        return "(" + " & ".join(f"({self._print(a)})" for a in expr.args) + ")"

    def _print_Or(self, expr: sp.Or) -> str:
        return "(" + " | ".join(f"({self._print(a)})" for a in expr.args) + ")"

    def _print_Not(self, expr: sp.Not) -> str:
        return f"(not ({self._print(expr.args[0])}))"

    def _print_Relational(self, expr: sp.core.relational.Relational) -> str:
        return f"({self._print(expr.lhs)} {expr.rel_op} {self._print(expr.rhs)})"

    def _print_BooleanTrue(self, expr: Any) -> str:
        return "True"

    def _print_BooleanFalse(self, expr: Any) -> str:
        return "False"

    def _print_Min(self, expr: sp.Min) -> str:
        return self._minmax(expr, "min")

    def _print_Max(self, expr: sp.Max) -> str:
        return self._minmax(expr, "max")

    def _print_floor(self, expr: Any) -> str:
        return f"np.floor({self._print(expr.args[0])})"

    def _print_ceiling(self, expr: Any) -> str:
        return f"np.ceil({self._print(expr.args[0])})"

    def _print_sign(self, expr: Any) -> str:
        return f"np.sign({self._print(expr.args[0])})"

    def _print_Infinity(self, expr: Any) -> str:
        return "math.inf"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "(-math.inf)"


class NumpyPrinter(_Exact, NumPyPrinter):
    """Vectorised code for the constants (parameters may be per-neuron arrays)."""

    def __init__(self, exprel: str) -> None:
        super().__init__({"fully_qualified_modules": True})
        self._exprel = exprel

    # sympy writes functools.reduce(numpy.maximum, [...]); the generated module imports numpy
    def _print_Min(self, expr: sp.Min) -> str:
        return self._minmax(expr, "numpy.minimum")

    def _print_Max(self, expr: sp.Max) -> str:
        return self._minmax(expr, "numpy.maximum")
