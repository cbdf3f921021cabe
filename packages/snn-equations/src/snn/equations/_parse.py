"""The model text, split into its declarations (Brian2's equation syntax).

One declaration per logical line, of three kinds::

    dv/dt = (E_L - v) / tau_m : volt (unless refractory)     differential equation
    I_syn = g_e * (E_e - v) : amp                              subexpression
    tau_m : second (constant)                                  parameter

A declaration may continue over several lines; it ends with the line that holds its ``: unit``
(a colon outside parentheses). ``#`` starts a comment. Expressions are parsed by Python's own
parser (:mod:`ast`) and turned into sympy expressions by :mod:`snn.equations._expr`; this module
only cuts the text and keeps every character's original position.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from snn.equations._source import Source

__all__ = ["Declaration", "parse_declarations", "parse_expression", "parse_statements"]

_DIFF = re.compile(r"\s*d\s*([A-Za-z_]\w*)\s*/\s*dt\s*=")
_SUB = re.compile(r"\s*([A-Za-z_]\w*)\s*=(?!=)")
_PARAM = re.compile(r"\s*([A-Za-z_]\w*)\s*$")
#: the start of a declaration (a line that cannot continue the one before)
_START = re.compile(r"\s*(d\s*[A-Za-z_]\w*\s*/\s*dt\s*=|[A-Za-z_]\w*\s*(=(?!=)|:))")
_FLAGS = re.compile(r"^(?P<unit>.*?)\s*\((?P<flags>\s*[a-z][a-z -]*(?:,\s*[a-z][a-z -]*)*)\)\s*$")

DIFFERENTIAL, SUBEXPRESSION, PARAMETER = "differential equation", "subexpression", "parameter"


@dataclass(frozen=True)
class Declaration:
    """One declaration of the model text.

    Attributes
    ----------
    kind
        :data:`DIFFERENTIAL`, :data:`SUBEXPRESSION` or :data:`PARAMETER`.
    name
        The declared name.
    name_source
        Where the name is written (for messages).
    expression
        The right-hand side (None for a parameter).
    unit
        The unit text after the colon.
    flags
        The flags in parentheses after the unit, lower case, single spaces.
    """

    kind: str
    name: str
    name_source: Source
    expression: Source | None
    unit: Source
    flags: tuple[str, ...]
    flags_source: Source | None = None


def _logical_lines(text: str, where: str) -> list[Source]:
    """Comments removed, continuation lines joined: one :class:`Source` per declaration."""
    lines = text.split("\n")
    out: list[Source] = []
    chars: list[str] = []
    pos: list[tuple[int, int]] = []
    depth = 0
    for k, raw in enumerate(lines):
        line = raw.split("#", 1)[0]
        if depth <= 0 and "".join(chars).strip() and _START.match(line):
            src = Source("".join(chars), where, tuple(lines), tuple(pos))
            end = len("".join(chars).rstrip())
            raise src.error("missing `: unit` at the end of this declaration", end)
        has_colon = False
        for c, ch in enumerate(line):
            depth += ch in "([{"
            depth -= ch in ")]}"
            has_colon |= ch == ":" and depth <= 0
            chars.append(ch)
            pos.append((k + 1, c + 1))
        chars.append(" ")
        pos.append((k + 1, len(line) + 1))
        if has_colon:
            joined = "".join(chars)
            out.append(Source(joined.rstrip(), where, tuple(lines), tuple(pos)))
            chars, pos, depth = [], [], 0
    rest = "".join(chars)
    if rest.strip():
        start = len(rest) - len(rest.lstrip())
        src = Source(rest, where, tuple(lines), tuple(pos))
        raise src.error(
            f"`{rest.strip()[:40]}` has no unit: every declaration ends with `: unit` "
            "(`: volt`, `: 1` for no unit)",
            start,
        )
    return out


def parse_declarations(text: str, where: str = "equations") -> list[Declaration]:
    """The declarations of a model text, in order.

    Raises
    ------
    EquationError
        For a line that is none of the three kinds, with its position.
    """
    out = []
    for src in _logical_lines(text, where):
        colon = _top_level_colon(src.text)
        head, tail = src.sub(0, colon), src.sub(colon + 1, len(src.text))
        m = _FLAGS.match(tail.text)
        flags_src = None
        if m:
            unit = tail.sub(0, m.end("unit"))
            flags = tuple(" ".join(f.split()) for f in m.group("flags").split(","))
            flags_src = tail.sub(m.start("flags"), m.end("flags"))
        else:
            unit, flags = tail, ()
        if not unit.text.strip():
            raise tail.error("missing unit after `:` (write `: 1` for a dimensionless value)")
        for pattern, kind in ((_DIFF, DIFFERENTIAL), (_SUB, SUBEXPRESSION), (_PARAM, PARAMETER)):
            m = pattern.match(head.text)
            if m is None:
                continue
            name = head.sub(m.start(1), m.end(1))
            expr = head.sub(m.end(), len(head.text)) if kind != PARAMETER else None
            if expr is not None and not expr.text.strip():
                raise expr.error(f"the {kind} of `{name.text}` has no right-hand side")
            out.append(Declaration(kind, name.text, name, expr, unit, flags, flags_src))
            break
        else:
            start = len(head.text) - len(head.text.lstrip())
            raise head.error(
                "cannot read this declaration: write `dx/dt = expression : unit`, "
                "`x = expression : unit` or `x : unit`",
                start,
            )
    return out


def _top_level_colon(text: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == ":" and depth <= 0:
            return i
    raise AssertionError("a logical line always holds a colon")


def _syntax_error(src: Source, exc: SyntaxError) -> Exception:
    offset = src.offset_of(exc.lineno or 1, max((exc.offset or 1) - 1, 0))
    return src.error(f"syntax error: {exc.msg or 'invalid syntax'}", offset)


def parse_expression(src: Source) -> tuple[ast.expr, Source]:
    """The Python expression ``src`` holds, and the source its node positions refer to."""
    start = len(src.text) - len(src.text.lstrip())
    inner = src.sub(start, len(src.text.rstrip()))
    try:
        tree = ast.parse(inner.text, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(inner, exc) from None
    return tree.body, inner


def parse_statements(src: Source) -> tuple[list[ast.stmt], Source]:
    """The statements (one per line or separated by ``;``) ``src`` holds, and their source."""
    inner = _dedented(src)
    try:
        tree = ast.parse(inner.text, mode="exec")
    except SyntaxError as exc:
        raise _syntax_error(inner, exc) from None
    return tree.body, inner


def _dedented(src: Source) -> Source:
    """``src`` with every line stripped, characters keeping their original positions."""
    text, pos, start = [], [], 0
    for row in src.text.split("\n"):
        lead = len(row) - len(row.lstrip())
        kept = row.strip()
        text.append(kept)
        pos += list(src.positions[start + lead : start + lead + len(kept) + 1])
        start += len(row) + 1
    return Source("\n".join(text), src.where, src.lines, tuple(pos))
