"""Griffe extension for the API reference: Sphinx roles in docstrings become inline code.

The docstrings are numpydoc and use Sphinx roles (``:class:`~snn.core.Network```); mkdocstrings
renders Markdown, where those would show as raw text. ``:role:`~a.b.C``` becomes ```C```,
``:role:`a.b.C``` becomes ```a.b.C```, and a paragraph ending in ``::`` (a reST literal block)
ends in ``:``. Loaded by mkdocs.yml (``extensions`` of the python handler).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?[a-z]+:`(~?)([^`<]+?)(?:\s*<([^>]+)>)?`")
LITERAL = re.compile(r"(\S)::$", re.M)


def _code(match: re.Match[str]) -> str:
    tilde, text, target = match.groups()
    if target:  # :role:`title <target>`
        return f"`{text.strip()}`"
    name = text.strip()
    return f"`{name.rsplit('.', 1)[-1] if tilde else name}`"


def plain(text: str) -> str:
    """``text`` with Sphinx roles turned into Markdown inline code."""
    return LITERAL.sub(r"\1:", ROLE.sub(_code, text))


class SphinxRolesToCode(griffe.Extension):
    """Rewrite every docstring as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the docstring of ``obj`` (a module, class, function or attribute)."""
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
