"""The bundle table: every argument of the loop's alike units in one int64 array.

The generated loop runs alike units (populations of one model, static projections of one form,
monitors...) as one loop over their members (decision 0008). Their arguments used to travel as
one parameter per argument: a numpy array of scalars or a numba typed list of arrays, whose item
fetch costs 24-38 ns (a C call and a reference count). Here every member's argument is one row of
a single table, so the loop has one parameter however many units and kinds it has, and a fetch is
two loads:

* rows ``0 .. n_dir - 1`` are the directory: ``table[j, 0]`` is the first row of bundle ``j``
  and ``table[j, 1]`` its number of members (a run's length, read at run time, so that a network
  with one more unit of a kind it already has runs the same compiled loop);
* a member's array is a row ``(address, shape0, shape1, shape2)``, turned back into a numba
  array by :func:`bundle_view` (C-contiguous, no reference count);
* a member's scalar sits in the first 8 bytes of its row, read by :func:`bundle_scalar`.

The table holds raw addresses, so :class:`BundleTable` keeps a reference to every array it
points to until the table is rebuilt, and refuses a value whose type differs from the one the
loop was generated for (the loop would misread it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import ir_utils
from numba.extending import intrinsic
from numba.np.arrayobj import populate_array

from snn.core.errors import SimulationError

__all__ = ["BundleTable", "bundle_scalar", "bundle_view", "bundleable"]

#: int64 words per row: an address and up to three extents
WIDTH = 4


def bundleable(value: Any) -> bool:
    """Whether ``value`` can be a bundle member: a C-contiguous array (1-3 dims) or a scalar."""
    if isinstance(value, np.ndarray):
        return value.flags.c_contiguous and 1 <= value.ndim < WIDTH and value.dtype.kind in "biuf"
    return isinstance(value, bool | int | float | np.bool_ | np.integer | np.floating)


#: numba types of numpy scalars by their Python type (numba.typeof costs microseconds a call,
#: and a table of 640 populations has 16,000 scalar members); Python ints are typed by value
_SCALAR_TYPES: dict[type, Any] = {}


def _signature(value: Any) -> tuple:
    """What must not change for a member's row to be read as the loop expects."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.ndim, value.flags.c_contiguous, value.flags.writeable)
    kind = type(value)
    if kind is int:
        return (numba.typeof(value),)
    known = _SCALAR_TYPES.get(kind)
    if known is None:
        known = _SCALAR_TYPES[kind] = numba.typeof(value)
    return (known,)


class BundleTable:
    """Builds the table from the members' current values (getters), as often as asked."""

    def __init__(self) -> None:
        # per directory entry: its members' getters (None: a run length alone), their type and,
        # for scalars, their numpy dtype
        self._entries: list[
            tuple[int, list[Callable[[], Any]] | None, tuple | None, np.dtype | None]
        ] = []
        self._keep: list[np.ndarray] = []
        # the last table and the member values it was built from (see build)
        self._table: np.ndarray | None = None
        self._values: list[Any] = []

    def add(self, getters: list[Callable[[], Any]]) -> int:
        """Register a bundle of alike members (one getter each); return its directory index."""
        sig = _signature(getters[0]())
        scalar = np.dtype(_dtype_name(sig[0])) if len(sig) == 1 else None
        self._entries.append((len(getters), getters, sig, scalar))
        return len(self._entries) - 1

    def add_count(self, n: int) -> int:
        """Register a run's length (a directory entry without members); return its index."""
        self._entries.append((n, None, None, None))
        return len(self._entries) - 1

    def fetch(self, j: int, index: str) -> str:
        """Source text reading member ``index`` of bundle ``j`` from the table ``BT``."""
        sig = self._entries[j][2]
        assert sig is not None
        row = f"BT[{j}, 0] + {index}"
        if len(sig) == 1:
            return f"bundle_scalar(BT, {row}, {_dtype_name(sig[0])!r})"
        dtype, ndim, _, writeable = sig
        return f"bundle_view(BT, {row}, {np.dtype(dtype).name!r}, {ndim}, {not writeable})"

    def build(self) -> np.ndarray:
        """The table for the members' current values (the arrays are kept alive with it).

        The last table again when every member is the same array object or an equal scalar
        of the same type as then: a run with a callback every step asks after each one, and
        most callbacks change no member (saves about 20 us a step).
        """
        values = [g() for _, getters, _, _ in self._entries for g in getters or ()]
        if (
            self._table is not None
            and len(values) == len(self._values)
            and all(_same(a, b) for a, b in zip(values, self._values, strict=True))
        ):
            return self._table
        table = self._fill(values)
        self._table, self._values = table, values
        return table

    def _fill(self, values: list[Any]) -> np.ndarray:
        """A new table holding ``values`` (the members in directory order)."""
        members = iter(values)
        n_dir = len(self._entries)
        total = n_dir + sum(n for n, getters, _, _ in self._entries if getters is not None)
        table = np.zeros((total, WIDTH), dtype=np.int64)
        # 8-byte scalars go in through a view of the table's own type; narrower ones as bytes
        views = {np.dtype(np.int64): table, np.dtype(np.float64): table.view(np.float64)}
        keep: list[np.ndarray] = []
        row = n_dir
        for j, (n, getters, sig, scalar) in enumerate(self._entries):
            table[j, 0] = row
            table[j, 1] = n
            for _ in getters or ():
                value = next(members)
                if _signature(value) != sig:
                    raise SimulationError(
                        "internal: a value of the loop changed type without the loop being "
                        f"generated again (was {sig}, now {_signature(value)})."
                    )
                if scalar is None:
                    table[row, 0] = value.ctypes.data
                    table[row, 1 : 1 + value.ndim] = value.shape
                    keep.append(value)
                elif scalar in views:
                    views[scalar][row, 0] = value
                else:
                    data = np.asarray(value, dtype=scalar).tobytes()
                    table[row : row + 1].view(np.uint8)[0, : scalar.itemsize] = np.frombuffer(
                        data, dtype=np.uint8
                    )
                row += 1
        self._keep = keep
        return table


def _same(a: Any, b: Any) -> bool:
    """Whether member value ``a`` is what ``b`` was: the same array, or an equal scalar."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    return type(a) is type(b) and bool(a == b)


def _dtype_name(numba_type: Any) -> str:
    return np.dtype(numba.np.numpy_support.as_dtype(numba_type)).name


def _row_pointer(context: Any, builder: Any, table_type: Any, table: Any, row: Any) -> Any:
    """Pointer to ``table[row, 0]`` (an int64*)."""
    tbl = context.make_array(table_type)(context, builder, table)
    offset = builder.mul(row, context.get_constant(types.intp, WIDTH))
    return builder.gep(tbl.data, [offset])


def _literal(t: Any) -> Any:
    return t.literal_value if isinstance(t, types.Literal) else None


@intrinsic(prefer_literal=True)
def bundle_view(typingctx, table, row, dtype, ndim, readonly):  # pragma: no cover - compiled
    """The array whose address and shape are row ``row`` of ``table``.

    ``dtype`` (a numpy dtype name), ``ndim`` and ``readonly`` are literals: the type of the
    bundle's members, fixed when the loop is generated.
    """
    name, nd, ro = _literal(dtype), _literal(ndim), _literal(readonly)
    if not isinstance(name, str) or not isinstance(nd, int) or not isinstance(ro, bool):
        return None
    dt = numba.from_dtype(np.dtype(name))
    ary_type = types.Array(dt, nd, "C", readonly=ro)
    sig = ary_type(table, row, dtype, ndim, readonly)

    def codegen(context, builder, signature, args):
        words = _row_pointer(context, builder, signature.args[0], args[0], args[1])
        address = builder.load(words)
        shape = [
            builder.load(builder.gep(words, [context.get_constant(types.intp, 1 + d)]))
            for d in range(nd)
        ]
        itemsize = context.get_constant(types.intp, np.dtype(name).itemsize)
        strides = [itemsize]
        for d in range(nd - 1, 0, -1):
            strides.insert(0, builder.mul(strides[0], shape[d]))
        ary = context.make_array(ary_type)(context, builder)
        data = builder.inttoptr(address, context.get_data_type(dt).as_pointer())
        populate_array(
            ary, data=data, shape=shape, strides=strides, itemsize=itemsize, meminfo=None
        )
        return ary._getvalue()

    return sig, codegen


@intrinsic(prefer_literal=True)
def bundle_scalar(typingctx, table, row, dtype):  # pragma: no cover - compiled
    """The scalar of type ``dtype`` (a literal numpy dtype name) in row ``row`` of ``table``."""
    name = _literal(dtype)
    if not isinstance(name, str):
        return None
    dt = numba.from_dtype(np.dtype(name))
    sig = dt(table, row, dtype)

    def codegen(context, builder, signature, args):
        words = _row_pointer(context, builder, signature.args[0], args[0], args[1])
        value_type = context.get_value_type(dt)
        if isinstance(value_type, ir.IntType) and value_type.width == 1:
            # booleans are stored as one byte
            byte = builder.load(builder.bitcast(words, ir.IntType(8).as_pointer()))
            return builder.icmp_unsigned("!=", byte, ir.Constant(ir.IntType(8), 0))
        return builder.load(builder.bitcast(words, value_type.as_pointer()))

    return sig, codegen


def _view_aliases(lhs: str, args: list, alias_map: dict, arg_aliases: set) -> None:
    """Tell numba's alias analysis that a view aliases the table (an argument of the loop).

    Without it, the parallel loop's passes take a view for a fresh array and delete writes into
    it that nothing reads afterwards (spike offsets, monitor counts): they are the network's
    state, read by the next call.
    """
    ir_utils._add_alias(lhs, args[0].name, alias_map, arg_aliases)


ir_utils.alias_func_extensions[("bundle_view", __name__)] = _view_aliases
