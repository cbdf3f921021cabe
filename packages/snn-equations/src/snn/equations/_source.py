"""Pieces of model text that remember where they came from, and the error that points there.

Equations may span several lines (Brian2 joins them until the ``: unit``), so an expression is
parsed as one logical line and every character keeps its line and column in the text the user
wrote. Errors then name the place: ``equations, line 3, column 12``, and quote the line with a
caret under the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from snn.core.errors import ConfigurationError

__all__ = ["EquationError", "ModelText", "Source", "SynapseText", "require_text"]


def require_text(what: str, value: Any, *, required: bool = False, hint: str = "") -> None:
    """Refuse a text argument that is not a string (``None`` too when ``required``)."""
    if isinstance(value, str) or (value is None and not required):
        return
    raise ConfigurationError(
        f"`{what}` must be a string of Brian2-style text, got {value!r:.60}.{hint}"
    )


class EquationError(ConfigurationError):
    """An error in model equations, with where it is.

    Attributes
    ----------
    where : str
        Which text: ``"equations"``, ``"threshold"``, ``"reset"``, ``"refractory"``,
        ``"on_spike['exc']"``, ``"initial['v']"``; for synapse models ``"model"``,
        ``"on_pre"``, ``"on_post"``.
    line, column : int
        1-based position in that text.
    reason : str
        What is wrong, without the position.
    """

    def __init__(self, reason: str, *, where: str, line: int, column: int, excerpt: str = ""):
        self.where = where
        self.line = line
        self.column = column
        self.reason = reason
        text = f"{where}, line {line}, column {column}: {reason}"
        if excerpt:
            text += f"\n    {excerpt}\n    {' ' * (column - 1)}^"
        super().__init__(text)


@dataclass(frozen=True)
class Source:
    """A logical piece of model text and the original position of each of its characters.

    Parameters
    ----------
    text
        The text as parsed (continuation lines joined by spaces, comments removed).
    where
        Name of the original text, for messages.
    lines
        The original text's lines.
    positions
        ``(line, column)`` (1-based) of every character of ``text`` in ``lines``; one more entry
        for the end of the text.
    """

    text: str
    where: str
    lines: tuple[str, ...]
    positions: tuple[tuple[int, int], ...]

    @classmethod
    def whole(cls, text: str, where: str) -> Source:
        """A one-line text (a threshold, a reset statement list keeps its own lines)."""
        lines = tuple(text.split("\n"))
        pos = []
        for k, line in enumerate(lines):
            pos += [(k + 1, c + 1) for c in range(len(line))]
            pos.append((k + 1, len(line) + 1))  # the newline (or the end)
        return cls(text, where, lines, tuple(pos))

    def sub(self, start: int, stop: int) -> Source:
        """Characters ``start:stop`` of the text, keeping their original positions."""
        return Source(
            self.text[start:stop], self.where, self.lines, self.positions[start : stop + 1]
        )

    def locate(self, offset: int) -> tuple[int, int]:
        """Original ``(line, column)`` of character ``offset`` of :attr:`text`."""
        if not self.positions:
            return 1, 1
        return self.positions[max(0, min(offset, len(self.positions) - 1))]

    def error(self, reason: str, offset: int = 0) -> EquationError:
        """An :class:`EquationError` at character ``offset`` of the text."""
        line, column = self.locate(offset)
        excerpt = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return EquationError(reason, where=self.where, line=line, column=column, excerpt=excerpt)

    def offset_of(self, lineno: int, col_offset: int) -> int:
        """Character offset of a Python ``ast`` node position (line 1-based, column in bytes)."""
        rows = self.text.split("\n")
        before = sum(len(r) + 1 for r in rows[: lineno - 1])
        row = rows[lineno - 1] if lineno - 1 < len(rows) else ""
        return before + len(row.encode()[:col_offset].decode(errors="ignore"))


@dataclass(frozen=True)
class ModelText:
    """Everything that defines a model's structure (its key in the analysis cache)."""

    equations: str
    threshold: str | None = None
    reset: str | None = None
    refractory: float | str | None = None
    on_spike: tuple[tuple[str, str], ...] = ()
    currents: tuple[str, ...] = ()
    initial: tuple[tuple[str, float | str], ...] = ()
    method: str | None = None
    tolerance: float = 1e-6
    every_step: str | None = None


@dataclass(frozen=True)
class SynapseText:
    """Everything that defines a synapse model's structure (its key in the analysis cache).

    ``neuron_units`` is empty when the model is analysed, and holds the units of the neuron
    variables it reads (``(("v_pre", "V"), ...)``) when a connection checks them.
    """

    model: str
    on_pre: str | None = None
    on_post: str | None = None
    initial: tuple[tuple[str, float | str], ...] = ()
    neuron_units: tuple[tuple[str, str], ...] = ()
    #: the integration method of the clock-driven variables (None: chosen as for neurons)
    method: str | None = None
