"""Values a model computes from its state, read from Python (``Population.get`` of a derived name).

A state monitor evaluates a :class:`~snn.core.Derived` value inside the loop, on each sampled
state. ``get`` evaluates it once, on the current state, the constants for the network's time
step and the network's current time, through a small generated kernel that calls the value's
function for each neuron (one module per number of arguments, cached like every generated one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._codegen import Imports, as_jitted, load_module

if TYPE_CHECKING:
    from snn.core._model import Derived
    from snn.core._population import Population

__all__ = ["evaluate"]


def _applier(n_args: int) -> Any:
    """A kernel ``apply(fn, out, a0, ..., a{n_args - 1})``: ``out[i] = fn(a0[i], ...)``."""
    names = [f"a{k}" for k in range(n_args)]
    lines = [
        "@kernel",
        f"def apply(fn, out{''.join(', ' + a for a in names)}):",
        "    for i in range(out.shape[0]):",
        f"        out[i] = fn({', '.join(a + '[i]' for a in names)})",
    ]
    imports = Imports()
    return load_module("snn_derived", "\n".join(lines), imports).apply


def evaluate(pop: Population, derived: Derived, positions: slice | np.ndarray) -> np.ndarray:
    """``derived`` for the local neurons at ``positions`` of ``pop``, now [its unit, SI]."""
    assert derived.function is not None
    positions = np.arange(pop.n_local)[positions]
    net = pop.network
    dtype = net.float_dtype
    consts: dict[str, Any] | None = None
    columns = []
    for a in derived.arguments:
        if a == "t":
            value: Any = net.t
        elif a == "dt":
            value = net.dt
        elif a == "neuron_index":
            value = pop.local_index[positions]
        elif a == "population_size":
            value = pop.size
        elif a in pop.state:
            value = pop.state[a][positions]
        else:
            if consts is None:
                consts = pop.model.checked_constants(net.dt)
            value = consts[a]
            if np.ndim(value) == 1:
                value = np.asarray(value)[pop.local_index[positions]]
        columns.append(
            np.ascontiguousarray(np.broadcast_to(np.asarray(value, dtype), positions.shape))
        )
    out = np.empty(positions.shape, dtype)
    _applier(len(columns))(as_jitted(derived.function), out, *columns)
    return out
