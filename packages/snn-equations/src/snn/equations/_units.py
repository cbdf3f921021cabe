"""Physical dimensions and the unit names that model text may use.

A dimension is a vector of seven rational exponents over the SI base units (metre, kilogram,
second, ampere, kelvin, mole, candela); rational because noise terms carry ``second**-0.5``.
Values in snn are plain SI floats, so a unit name in an expression stands for its factor to SI
(``mV`` is ``0.001`` of dimension volt) and a unit in a declaration (``: volt``) only states the
dimension.

Unit names are Brian2's (``volt``, ``mV``, ``mvolt``, ``siemens``, ``nS``, ``ufarad``,
``cm2``, ``ohm``, ``Mohm``, ``Hz``, ``radian``, ...) and those of :mod:`snn.core.units`
(``V``, ``S``, ``F``, ``Ohm``, ``MOhm``, ``GOhm``, ...): every SI prefix with every long name
and every symbol, plus squared and cubed lengths.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["DIMENSIONLESS", "EXPRESSION_UNITS", "UNITS", "Dim", "dim_of_symbol", "unit_symbol"]

_BASE = ("metre", "kilogram", "second", "amp", "kelvin", "mole", "candela")
_BASE_SYMBOLS = ("m", "kg", "s", "A", "K", "mol", "cd")


@dataclass(frozen=True)
class Dim:
    """A physical dimension: rational exponents of the seven SI base units."""

    exponents: tuple[Fraction, ...] = (Fraction(0),) * 7

    @classmethod
    def of(cls, **powers: float) -> Dim:
        """``Dim.of(kilogram=1, metre=2, second=-3, amp=-1)`` (a volt)."""
        return cls(tuple(Fraction(powers.get(b, 0)).limit_denominator(1000) for b in _BASE))

    def __mul__(self, other: Dim) -> Dim:
        return Dim(tuple(a + b for a, b in zip(self.exponents, other.exponents, strict=True)))

    def __truediv__(self, other: Dim) -> Dim:
        return Dim(tuple(a - b for a, b in zip(self.exponents, other.exponents, strict=True)))

    def __pow__(self, power: Fraction | int) -> Dim:
        return Dim(tuple(a * Fraction(power) for a in self.exponents))

    @property
    def dimensionless(self) -> bool:
        """Whether every exponent is zero."""
        return not any(self.exponents)

    def __str__(self) -> str:
        return _NAMES.get(self) or _derived_name(self) or _base_form(self, _BASE)

    def symbol(self) -> str:
        """Short SI form for :class:`snn.core.StateVar` units (``"V"``, ``"V/s"``, ``"1"``)."""
        return unit_symbol(self)


DIMENSIONLESS = Dim()

_VOLT = Dim.of(kilogram=1, metre=2, second=-3, amp=-1)
_SIEMENS = Dim.of(kilogram=-1, metre=-2, second=3, amp=2)
_FARAD = Dim.of(kilogram=-1, metre=-2, second=4, amp=2)
_OHM = Dim.of(kilogram=1, metre=2, second=-3, amp=-2)
_COULOMB = Dim.of(second=1, amp=1)
_JOULE = Dim.of(kilogram=1, metre=2, second=-2)
_WATT = Dim.of(kilogram=1, metre=2, second=-3)
_NEWTON = Dim.of(kilogram=1, metre=1, second=-2)
_PASCAL = Dim.of(kilogram=1, metre=-1, second=-2)
_TESLA = Dim.of(kilogram=1, second=-2, amp=-1)
_WEBER = Dim.of(kilogram=1, metre=2, second=-2, amp=-1)
_HENRY = Dim.of(kilogram=1, metre=2, second=-2, amp=-2)
_HERTZ = Dim.of(second=-1)
_LITRE = Dim.of(metre=3)
_MOLAR = Dim.of(mole=1, metre=-3)

#: (long name, symbol, factor to SI, dimension) of every unit that takes prefixes
_PREFIXABLE: list[tuple[str, str, float, Dim]] = [
    ("metre", "m", 1.0, Dim.of(metre=1)),
    ("meter", "", 1.0, Dim.of(metre=1)),
    ("gram", "g", 1e-3, Dim.of(kilogram=1)),
    ("gramme", "", 1e-3, Dim.of(kilogram=1)),
    ("second", "s", 1.0, Dim.of(second=1)),
    ("amp", "A", 1.0, Dim.of(amp=1)),
    ("ampere", "", 1.0, Dim.of(amp=1)),
    ("kelvin", "K", 1.0, Dim.of(kelvin=1)),
    ("mole", "mol", 1.0, Dim.of(mole=1)),
    ("candela", "cd", 1.0, Dim.of(candela=1)),
    ("volt", "V", 1.0, _VOLT),
    ("siemens", "S", 1.0, _SIEMENS),
    ("farad", "F", 1.0, _FARAD),
    ("ohm", "Ohm", 1.0, _OHM),
    ("hertz", "Hz", 1.0, _HERTZ),
    ("coulomb", "C", 1.0, _COULOMB),
    ("joule", "J", 1.0, _JOULE),
    ("watt", "W", 1.0, _WATT),
    ("newton", "N", 1.0, _NEWTON),
    ("pascal", "Pa", 1.0, _PASCAL),
    ("tesla", "T", 1.0, _TESLA),
    ("weber", "Wb", 1.0, _WEBER),
    ("henry", "H", 1.0, _HENRY),
    ("litre", "l", 1e-3, _LITRE),
    ("liter", "L", 1e-3, _LITRE),
    ("molar", "M", 1e3, _MOLAR),
    # Brian2's angles: dimensionless, so `: radian` and `radian/second` are `1` and `hertz`
    ("radian", "", 1.0, DIMENSIONLESS),
    ("steradian", "", 1.0, DIMENSIONLESS),
]

_PREFIXES = {
    "y": 1e-24,
    "z": 1e-21,
    "a": 1e-18,
    "f": 1e-15,
    "p": 1e-12,
    "n": 1e-9,
    "u": 1e-6,
    "m": 1e-3,
    "c": 1e-2,
    "d": 1e-1,
    "da": 1e1,
    "h": 1e2,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
    "Z": 1e21,
    "Y": 1e24,
}


def _table() -> dict[str, tuple[float, Dim]]:
    units: dict[str, tuple[float, Dim]] = {}
    for long, short, factor, dim in _PREFIXABLE:
        names = [(long, factor)] + ([(short, factor)] if short else [])
        for name, f in names:
            units[name] = (f, dim)
            for prefix, scale in _PREFIXES.items():
                units.setdefault(prefix + name, (scale * f, dim))
        if dim == Dim.of(metre=1):
            # Brian2's areas and volumes: cm2, umetre2, mm3, ...
            stems = [long, short] if short else [long]
            for name in [*stems, *(p + stem for p in _PREFIXES for stem in stems)]:
                f, _ = units[name]
                units[f"{name}2"] = (f**2, dim**2)
                units[f"{name}3"] = (f**3, dim**3)
    units["Ohm"] = (1.0, _OHM)
    for prefix, scale in _PREFIXES.items():  # snn.core.units: MOhm, GOhm, kOhm
        units[prefix + "Ohm"] = (scale, _OHM)
    units["kg"] = (1.0, Dim.of(kilogram=1))
    units["kilogram"] = (1.0, Dim.of(kilogram=1))
    # "m" followed by "s" reads as millisecond, never as metre-second; "ms2" is no unit
    for name in ("ms2", "ms3"):
        units.pop(name, None)
    return units


#: unit name -> (factor to SI, dimension)
UNITS: dict[str, tuple[float, Dim]] = _table()

#: the units an expression may use: not the one-letter symbols (``V``, ``A``, ``S``, ``m``,
#: ``s``, ...), which a mistyped variable (``V`` for ``v``) would silently turn into a constant;
#: declarations (``: V``) accept them
EXPRESSION_UNITS: dict[str, tuple[float, Dim]] = {k: v for k, v in UNITS.items() if len(k) > 1}

#: dimensions with a name of their own: (dimension, name for messages, snn's symbol or "")
_NAMED: list[tuple[Dim, str, str]] = [
    (DIMENSIONLESS, "1", "1"),
    (Dim.of(metre=1), "metre", "m"),
    (Dim.of(metre=2), "metre**2", ""),
    (Dim.of(kilogram=1), "kilogram", "kg"),
    (Dim.of(second=1), "second", "s"),
    (Dim.of(amp=1), "amp", "A"),
    (Dim.of(kelvin=1), "kelvin", ""),
    (Dim.of(mole=1), "mole", ""),
    (_VOLT, "volt", "V"),
    (_SIEMENS, "siemens", "S"),
    (_FARAD, "farad", "F"),
    (_OHM, "ohm", "Ohm"),
    (_HERTZ, "hertz", "Hz"),
    (_COULOMB, "coulomb", "C"),
    (_JOULE, "joule", ""),
    (_WATT, "watt", ""),
    (_MOLAR, "mole/metre**3", ""),
]
_NAMES = {d: name for d, name, _ in _NAMED}
_SYMBOLS = {d: sym for d, _, sym in _NAMED if sym}
_SECOND = Dim.of(second=1)


def _derived_name(d: Dim) -> str:
    """``volt/second``, ``siemens*second``, ``volt**2``: a named unit with a time factor."""
    for base, name in _NAMES.items():
        if base.dimensionless:
            continue
        if d == base / _SECOND:
            return f"{name}/second"
        if d == base * _SECOND:
            return f"{name}*second"
        if d == base**2:
            return f"{name}**2"
    return ""


def _base_form(d: Dim, names: tuple[str, ...]) -> str:
    def power(name: str, e: Fraction) -> str:
        if e == 1:
            return name
        return f"{name}**{e}" if e.denominator == 1 else f"{name}**({e})"

    num = [power(n, e) for n, e in zip(names, d.exponents, strict=True) if e > 0]
    den = [power(n, -e) for n, e in zip(names, d.exponents, strict=True) if e < 0]
    top = "*".join(num) or "1"
    if not den:
        return top
    bottom = den[0] if len(den) == 1 else "(" + "*".join(den) + ")"
    return f"{top}/{bottom}"


def unit_symbol(d: Dim) -> str:
    """Short SI symbol of ``d`` (``"V"``, ``"V/s"``, ``"S"``, ``"1"``), as snn's docs write."""
    if d in _SYMBOLS:
        return _SYMBOLS[d]
    for base, sym in _SYMBOLS.items():
        if not base.dimensionless and d == base / _SECOND:
            return f"{sym}/s"
    return _base_form(d, _BASE_SYMBOLS)


def dim_of_symbol(text: str) -> Dim | None:
    """The dimension of a unit as snn's models declare them; None for others (``"steps"``).

    ``"V"``, ``"S"``, ``"1"``, ``"V/s"``, ``"kg*m**2/(s**3*A)"``: SI symbols and names of factor
    one, products, quotients and powers.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None

    def walk(node: ast.AST) -> Dim | None:
        if isinstance(node, ast.Constant) and node.value == 1:
            return DIMENSIONLESS
        if isinstance(node, ast.Name) and node.id in UNITS and UNITS[node.id][0] == 1.0:
            return UNITS[node.id][1]
        if isinstance(node, ast.BinOp):
            left = walk(node.left)
            if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant):
                power = node.right.value
                if left is None or not isinstance(power, int | float):
                    return None
                return left ** Fraction(power).limit_denominator(1000)
            right = walk(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                return left / right
        return None

    return walk(tree)
