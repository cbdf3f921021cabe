"""Expressions: Python syntax trees turned into sympy expressions, with their units checked.

Python's parser (:mod:`ast`) reads an expression; :class:`Converter` walks the tree once, building
the sympy expression and its type (a :class:`~snn.equations._units.Dim`, or boolean) at every
node, so a unit mismatch is reported at the node where it happens with its line and column. Names
resolve, in this order, to the model's own names (passed in as ``lookup``), the constants ``pi``,
``e``, ``inf``, ``True`` and ``False``, and units
(:data:`~snn.equations._units.EXPRESSION_UNITS`).

Functions (Brian2's, plus ``minimum`` and ``maximum``): ``exp``, ``log``, ``log10``, ``expm1``,
``log1p``, ``exprel`` (``(exp(x) - 1) / x``), ``sin``, ``cos``, ``tan``, ``sinh``, ``cosh``,
``tanh``, ``arcsin``, ``arccos``, ``arctan`` (dimensionless argument), ``sqrt``, ``abs``,
``sign``, ``floor``, ``ceil``, ``clip(x, low, high)``, ``minimum(a, b)``, ``maximum(a, b)`` and
``int(condition)`` (1 where the condition holds, else 0); ``rand()``, a uniform number in [0, 1)
(:data:`RAND`, the engine's per-neuron draw of the step).
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from snn.equations._source import EquationError, Source
from snn.equations._units import DIMENSIONLESS, EXPRESSION_UNITS, Dim

__all__ = ["FUNCTIONS", "RAND", "Converter", "Type", "Unknown", "exprel"]

#: what ``rand()`` stands for: the uniform draw the engine passes to a step function
RAND = sp.Symbol("uniform", real=True)


class exprel(sp.Function):
    """``(exp(x) - 1) / x``, continued by 1 at ``x = 0``."""

    @classmethod
    def eval(cls, x: sp.Expr) -> sp.Expr | None:
        if x.is_zero:
            return sp.Integer(1)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        x = self.args[0]
        return (x * sp.exp(x) - sp.exp(x) + 1) / x**2

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real


@dataclass(frozen=True)
class Unknown:
    """The unit of the spike weight ``w`` while it is inferred: ``unit(w) * offset``."""

    offset: Dim


@dataclass(frozen=True)
class Type:
    """What an expression is: a quantity of dimension ``dim`` or a condition (``boolean``).

    ``dim`` is None for a literal zero, which matches any unit.
    """

    dim: Dim | Unknown | None
    boolean: bool = False


BOOL = Type(DIMENSIONLESS, boolean=True)
NUMBER = Type(DIMENSIONLESS)
ZERO = Type(None)

_CONSTANTS = {
    "pi": sp.pi,
    "e": sp.E,
    "inf": sp.oo,
    "True": sp.true,
    "False": sp.false,
}

#: name -> (sympy function, how the argument's unit maps to the result's)
_UNARY: dict[str, tuple[Callable[[Any], Any], str]] = {
    "exp": (sp.exp, "dimensionless"),
    "log": (sp.log, "dimensionless"),
    "log10": (lambda x: sp.log(x, 10), "dimensionless"),
    "expm1": (lambda x: sp.exp(x) - 1, "dimensionless"),
    "log1p": (lambda x: sp.log(1 + x), "dimensionless"),
    "exprel": (exprel, "dimensionless"),
    "sin": (sp.sin, "dimensionless"),
    "cos": (sp.cos, "dimensionless"),
    "tan": (sp.tan, "dimensionless"),
    "sinh": (sp.sinh, "dimensionless"),
    "cosh": (sp.cosh, "dimensionless"),
    "tanh": (sp.tanh, "dimensionless"),
    "arcsin": (sp.asin, "dimensionless"),
    "arccos": (sp.acos, "dimensionless"),
    "arctan": (sp.atan, "dimensionless"),
    "sqrt": (sp.sqrt, "half"),
    "abs": (sp.Abs, "same"),
    "floor": (sp.floor, "same"),
    "ceil": (sp.ceiling, "same"),
    "sign": (sp.sign, "to dimensionless"),
}
FUNCTIONS = (*_UNARY, "clip", "minimum", "maximum", "int", "rand")

_COMPARE = {
    ast.Lt: sp.Lt,
    ast.LtE: sp.Le,
    ast.Gt: sp.Gt,
    ast.GtE: sp.Ge,
    ast.Eq: sp.Eq,
    ast.NotEq: sp.Ne,
}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%", ast.Pow: "**"}


def _fmt(t: Type) -> str:
    if t.boolean:
        return "a condition"
    if t.dim is None:
        return "any unit"
    if isinstance(t.dim, Unknown):
        return "the unit of the weight"
    return str(t.dim)


class Converter:
    """Turns the syntax tree of one expression into sympy, checking units on the way.

    Parameters
    ----------
    src
        The text the tree was parsed from (for positions in messages).
    lookup
        The model's own names: ``lookup(name)`` gives ``(sympy expression, Type)`` or None.
    known
        Every name the text may use (for did-you-mean hints).
    """

    def __init__(
        self,
        src: Source,
        lookup: Callable[[str], tuple[sp.Expr, Type] | None],
        known: Iterable[str],
        units: dict[str, tuple[float, Dim]] = EXPRESSION_UNITS,
    ) -> None:
        self.src = src
        self.units = units
        self.lookup = lookup
        self.known = sorted(set(known) | set(FUNCTIONS) | set(_CONSTANTS))
        #: id(node) -> sympy expression of every node visited (to locate a term later)
        self.exprs: dict[int, sp.Expr] = {}
        #: the inferred unit of the weight, once an addition or comparison fixed it
        self.weight_unit: Dim | None = None

    # ---- helpers

    def error(self, node: ast.AST, reason: str) -> EquationError:
        """An error at ``node``'s position."""
        off = self.src.offset_of(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        return self.src.error(reason, off)

    def text(self, node: ast.AST) -> str:
        """The source text of ``node``."""
        return ast.unparse(node)

    def _match(self, a: Type, b: Type, node: ast.AST, what: str, other: ast.AST) -> Type:
        """The common type of two operands that must have the same unit."""
        if a.boolean or b.boolean:
            bad = other if b.boolean else node
            raise self.error(bad, f"`{self.text(bad)}` is a condition, not a number ({what})")
        for x, y in ((a, b), (b, a)):
            if isinstance(x.dim, Unknown) and isinstance(y.dim, Dim):
                self.weight_unit = y.dim / x.dim.offset
                return y
        if a.dim is None:
            return b
        if b.dim is None or a.dim == b.dim:
            return a
        if isinstance(a.dim, Unknown) or isinstance(b.dim, Unknown):
            raise self.error(other, "cannot infer the unit of the weight from this expression")
        raise self.error(
            other,
            f"unit mismatch: `{self.text(node)}` is in {_fmt(a)} but "
            f"`{self.text(other)}` is in {_fmt(b)} ({what})",
        )

    def _numeric(self, t: Type, node: ast.AST, what: str) -> None:
        if t.boolean:
            raise self.error(
                node, f"`{self.text(node)}` is a condition; {what} needs a number (use int(...))"
            )

    def _dimensionless(self, t: Type, node: ast.AST, what: str) -> None:
        self._numeric(t, node, what)
        if isinstance(t.dim, Unknown):
            raise self.error(node, "cannot infer the unit of the weight from this expression")
        if t.dim is not None and not t.dim.dimensionless:
            raise self.error(
                node,
                f"{what} needs a dimensionless argument, but `{self.text(node)}` is in {t.dim}",
            )

    # ---- the walk

    def expr(self, node: ast.AST) -> tuple[sp.Expr, Type]:
        """The sympy expression and type of ``node``."""
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.error(
                node, f"`{self.text(node)}`: this kind of expression is not supported in equations"
            )
        value, typ = method(node)
        self.exprs[id(node)] = value
        return value, typ

    def _Constant(self, node: ast.Constant) -> tuple[sp.Expr, Type]:
        v = node.value
        if isinstance(v, bool):
            return (sp.true if v else sp.false), BOOL
        if isinstance(v, int):
            return sp.Integer(v), (ZERO if v == 0 else NUMBER)
        if isinstance(v, float):
            return sp.Float(v), (ZERO if v == 0.0 else NUMBER)
        raise self.error(node, f"`{self.text(node)}` is not a number")

    def _Name(self, node: ast.Name) -> tuple[sp.Expr, Type]:
        name = node.id
        found = self.lookup(name)
        if found is not None:
            return found
        if name in _CONSTANTS:
            value = _CONSTANTS[name]
            return value, (BOOL if name in ("True", "False") else NUMBER)
        if name in self.units:
            factor, dim = self.units[name]
            return sp.Float(factor), Type(dim)
        if name in FUNCTIONS:
            raise self.error(node, f"`{name}` is a function: call it, `{name}(...)`")
        raise self.error(node, self.undefined(name))

    def undefined(self, name: str) -> str:
        """The message for an unknown name, with the closest known names."""
        same = [k for k in self.known if k.lower() == name.lower()]
        close = same + [
            c for c in difflib.get_close_matches(name, self.known, n=3, cutoff=0.6) if c not in same
        ]
        hint = f"; did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else ""
        return f"undefined name `{name}`{hint}"

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[sp.Expr, Type]:
        value, t = self.expr(node.operand)
        if isinstance(node.op, ast.Not):
            if not t.boolean:
                raise self.error(node.operand, f"`not` needs a condition, got `{self.text(node)}`")
            return sp.Not(value), BOOL
        self._numeric(t, node.operand, "a sign")
        return (-value if isinstance(node.op, ast.USub) else value), t

    def _BoolOp(self, node: ast.BoolOp) -> tuple[sp.Expr, Type]:
        parts = []
        for v in node.values:
            value, t = self.expr(v)
            if not t.boolean:
                raise self.error(v, f"`{self.text(v)}` is a number, not a condition")
            parts.append(value)
        return (sp.And if isinstance(node.op, ast.And) else sp.Or)(*parts), BOOL

    def _Compare(self, node: ast.Compare) -> tuple[sp.Expr, Type]:
        left, lt = self.expr(node.left)
        parts, left_node = [], node.left
        for op, comp in zip(node.ops, node.comparators, strict=True):
            if type(op) not in _COMPARE:
                raise self.error(comp, f"comparison `{self.text(node)}` is not supported")
            right, rt = self.expr(comp)
            self._match(lt, rt, left_node, "in a comparison", comp)
            parts.append(_COMPARE[type(op)](left, right))
            left, lt, left_node = right, rt, comp
        return (parts[0] if len(parts) == 1 else sp.And(*parts)), BOOL

    def _BinOp(self, node: ast.BinOp) -> tuple[sp.Expr, Type]:
        a, at = self.expr(node.left)
        b, bt = self.expr(node.right)
        op = type(node.op)
        symbol = _SYMBOL.get(op)
        if symbol is None:
            raise self.error(node, f"operator in `{self.text(node)}` is not supported")
        if op in (ast.Add, ast.Sub, ast.Mod):
            t = self._match(at, bt, node.left, f"in `{symbol}`", node.right)
            value = a + b if op is ast.Add else a - b if op is ast.Sub else sp.Mod(a, b)
            return value, t
        self._numeric(at, node.left, f"`{symbol}`")
        self._numeric(bt, node.right, f"`{symbol}`")
        if op is ast.Pow:
            return self._power(node, a, at, b, bt)
        if isinstance(at.dim, Unknown) and isinstance(bt.dim, Unknown):
            raise self.error(node, f"`{self.text(node)}` is not linear in the weight")
        if at.dim is None or bt.dim is None:
            dim = None
        elif op is ast.Mult:
            dim = _combine(at.dim, bt.dim, multiply=True)
        else:
            if isinstance(bt.dim, Unknown):
                raise self.error(node.right, "cannot infer the unit of the weight from a divisor")
            dim = _combine(at.dim, bt.dim, multiply=False)
        return (a * b if op is ast.Mult else a / b), Type(dim)

    def _power(self, node: ast.BinOp, a: sp.Expr, at: Type, b: sp.Expr, bt: Type):
        self._dimensionless(bt, node.right, "an exponent")
        if isinstance(at.dim, Unknown):
            raise self.error(node, f"`{self.text(node)}` is not linear in the weight")
        if at.dim is None or at.dim.dimensionless:
            return a**b, at
        if not b.is_number:
            raise self.error(
                node.right,
                f"the exponent of `{self.text(node.left)}` (in {at.dim}) must be a number",
            )
        power = Fraction(float(b)).limit_denominator(1000)
        return a**b, Type(at.dim**power)

    def _Call(self, node: ast.Call) -> tuple[sp.Expr, Type]:
        if not isinstance(node.func, ast.Name):
            raise self.error(
                node,
                f"`{self.text(node.func)}` cannot be called here (write exp(x), not np.exp(x))",
            )
        name = node.func.id
        if node.keywords:
            raise self.error(node, f"`{name}()` takes no keyword arguments")
        if self.lookup(name) is not None:
            raise self.error(node, f"`{name}` is a name of the model, not a function")
        if name == "rand":
            if node.args:
                raise self.error(node, "`rand()` takes no arguments")
            return RAND, NUMBER
        args = [self.expr(a) for a in node.args]
        expected = 3 if name == "clip" else 2 if name in ("minimum", "maximum") else 1
        if name not in FUNCTIONS:
            raise self.error(node.func, self.undefined(name).replace("name", "function", 1))
        if len(args) != expected:
            raise self.error(node, f"`{name}()` takes {expected} argument(s), got {len(args)}")
        if name == "int":
            value, t = args[0]
            if not t.boolean:
                raise self.error(node.args[0], "int() takes a condition here (int(v > v_th))")
            return sp.Piecewise((sp.Integer(1), value), (sp.Integer(0), True)), NUMBER
        if name in ("clip", "minimum", "maximum"):
            t = args[0][1]
            for (_, ti), sub in zip(args[1:], node.args[1:], strict=True):
                t = self._match(t, ti, node.args[0], f"in {name}()", sub)
            v = [a for a, _ in args]
            value = (
                sp.Min(sp.Max(v[0], v[1]), v[2])
                if name == "clip"
                else (sp.Min if name == "minimum" else sp.Max)(v[0], v[1])
            )
            return value, t
        func, rule = _UNARY[name]
        value, t = args[0]
        if rule == "dimensionless":
            self._dimensionless(t, node.args[0], f"{name}()")
            return func(value), NUMBER
        self._numeric(t, node.args[0], f"{name}()")
        if isinstance(t.dim, Unknown):
            raise self.error(node.args[0], "cannot infer the unit of the weight inside a function")
        if rule == "half":
            return func(value), Type(None if t.dim is None else t.dim ** Fraction(1, 2))
        if rule == "to dimensionless":
            return func(value), NUMBER
        return func(value), t


def _combine(a: Dim | Unknown, b: Dim | Unknown, *, multiply: bool) -> Dim | Unknown:
    if isinstance(a, Unknown):
        return Unknown(a.offset * b if multiply else a.offset / b)  # type: ignore[operator]
    if isinstance(b, Unknown):
        return Unknown(b.offset * a)
    return a * b if multiply else a / b
