"""A group's code as a function of its own: the part of the loop numba caches across networks.

The generated loop runs each group of alike units (populations of one model, static projections
of one form, ...) as ``for grp in range(n):`` around the group's code: its arguments fetched from
the bundle table, then its lines (:func:`snn.core._loop._grouped`). Written inside the loop, that
code is typed, lowered and optimised again in every loop that contains it, and a loop is new
whenever the network gains a unit of a kind it did not have: adding one population of a known
model to COBA cost 2.9 s of compilation, nearly all of it the loop's own (decision 0021).

Here the group's code becomes ``unit(BT, d, grp, a0, a1, ...)`` in a generated module of its
own: the table rows it reads are relative to ``d`` (its first row), its free variables
(the block ``b``, the step ``t``, ...) are parameters named by their order of appearance, and the
functions it calls are imported under names numbered the same way, so its text, and the module's
name, depend only on the unit's kind. numba caches it like any function; a loop that contains it
again, in this network or another, loads it instead of compiling it. A group's code that writes
the loop's ``failed`` flag returns it instead; code with a ``return`` of its own stays in the loop.
"""

from __future__ import annotations

import ast
import builtins
import re
import textwrap
from typing import Any

from snn.core._codegen import Imports, load_module

__all__ = ["unit_call"]

#: names a group's code may use that are not its free variables
_GLOBAL = frozenset({"np", "numba", "bundle_view", "bundle_scalar", *dir(builtins)})
_ROW = re.compile(r"BT\[(\d+), 0\]")


def _names_in_order(tree: ast.AST) -> tuple[list[str], set[str], bool]:
    """Names read (in order of first appearance), names written, and whether a ``return`` occurs."""
    loads: dict[str, tuple[int, int]] = {}
    stores: set[str] = set()
    returns = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Return):
            returns = True
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                stores.add(node.id)
            else:
                where = (node.lineno, node.col_offset)
                loads[node.id] = min(loads.get(node.id, where), where)
    return sorted(loads, key=loads.__getitem__), stores, returns


def _rename(text: str, mapping: dict[str, str]) -> str:
    """Replace whole names (not attributes) by their mapping, all at once."""
    if not mapping:
        return text
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, mapping)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def unit_call(
    imports: Imports, tag: str, fetches: list[str], body: list[tuple[int, str]], extra: tuple
) -> tuple[list[tuple[int, str]], str] | None:
    """Lines calling the cached function of one group's member ``grp`` and its source, or None.

    Parameters
    ----------
    imports
        The loop's imports (the functions the group's code calls are looked up there, and the
        unit function is added to them).
    tag
        The group's prefix in the loop (``g3``): its locals are renamed ``u_...``.
    fetches
        The lines fetching the member's arguments from the table ``BT``.
    body
        The group's lines, as ``(depth, text)``.
    extra
        More text that must change the unit module's identity.

    Returns
    -------
    tuple or None
        The call (and the ``failed`` flag it sets) as ``(depth, text)`` lines, and the unit
        module's text (imports and function); None when the code cannot leave the loop (it
        returns from it, or reads the flag).
    """
    rows = [int(m.group(1)) for f in fetches for m in _ROW.finditer(f)]
    base = min(rows, default=0)
    lines = [(0, _ROW.sub(lambda m: f"BT[d + {int(m.group(1)) - base}, 0]", f)) for f in fetches]
    lines += body
    text = "\n".join("    " * d + x for d, x in lines)
    tree = ast.parse("def _u():\n" + textwrap.indent(text, "    "))
    read, written, returns = _names_in_order(tree)
    if returns or "failed" in read:
        return None
    called = [n for n in read if n in imports.local_names()]
    free = [
        n
        for n in read
        if n not in written and n not in called and n not in _GLOBAL and n not in ("BT", "d", "grp")
    ]
    own = Imports()
    mapping = {n: own.name(imports.function(n), "f") for n in called}
    mapping.update({n: f"a{k}" for k, n in enumerate(free)})
    flag = "failed" in written
    if flag:
        mapping["failed"] = "_failed"
    # the free variables (a group's tuples among them) keep the loop's names at the call; the
    # group's own locals lose its prefix
    text = re.sub(rf"\b{re.escape(tag)}_", "u_", _rename(text, mapping))
    if "bundle_" in text:
        own.raw("from snn.core._bundles import bundle_scalar, bundle_view")
    if "numba." in text:
        own.raw("import numba")
    params = ", ".join(["BT", "d", "grp", *(mapping[n] for n in free)])
    # no Python or C wrappers: only the loop calls it, and without them the unit and the loop
    # that links it in compile faster (fresh COBA: 4.52 against 5.10 s with them)
    source = "\n".join(
        [
            "@kernel(no_cpython_wrapper=True, no_cfunc_wrapper=True)",
            f"def unit({params}):",
            *(["    _failed = False"] if flag else []),
            textwrap.indent(text, "    "),
            *(["    return _failed"] if flag else []),
        ]
    )
    module: Any = load_module("snn_unit", source, own, extra=extra)
    # np.int64(base): a bare number would be typed as a literal, and numba would compile (and
    # cache) the unit once per first row instead of once per kind
    args = "".join(", " + n for n in free)
    call = f"{imports.name(module.unit, 'unit')}(BT, np.int64({base}), grp{args})"
    lines = [(0, f"if {call}:"), (1, "failed = True")] if flag else [(0, call)]
    return lines, f"{own.header()}\n\n\n{source}"
