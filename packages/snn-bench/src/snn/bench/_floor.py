"""The neuron update against its floor: nanoseconds per neuron and step, engine and bare loop.

``snn-bench floor`` answers issue 19's "neuron update within 1.5x of the vectorised floor for
the LIF family". For each LIF benchmark model (full Brunel's ``LIFDelta``, CUBA's ``LIFExp``,
COBA's ``LIFCondExp`` with forward Euler) it measures

* the engine: the update phase of the model's own benchmark network
  (``net.run(..., profile=True)``: the compiled loop's cycle counter around each population's
  update, the per-step call and its table lookups included), divided by neurons times steps;
* the floor: the same model's step function (the very kernel the engine inlines, with the
  same constants and float64 state) in a bare loop over contiguous arrays of the same size,
  with the fewest bytes per neuron that the job allows: every state variable read and written,
  each fed receptor's input read and cleared, a spike flag written, the refractory counter in
  one byte, no NaN test. Steps run inside one compiled call; time is the thread's CPU time.

The two run alternately in one process, so that a machine shared with other work slows both
alike; the ratio is the figure to read.
"""

from __future__ import annotations

import inspect
import os
import time
from typing import Any

import numpy as np

from snn.bench._run import machine_info, run_model, versions
from snn.core.kernels import kernel

__all__ = ["FLOOR_MODELS", "floor_ns", "floor_report", "measure_floor"]

#: benchmark model -> (neurons at scale 1, receptors its network feeds, run length [s]);
#: Brunel's neurons take one input (``syn``), CUBA's and COBA's two (``exc``, ``inh``)
FLOOR_MODELS: dict[str, tuple[int, int, float]] = {
    "brunel": (12500, 1, 0.5),
    "cuba": (4000, 2, 2.0),
    "coba": (4000, 2, 2.0),
}


@kernel
def _bare_one(step, v, refr, syn, flags, consts, steps):  # pragma: no cover - compiled
    """``steps`` updates of a one-variable model fed by one receptor (``LIFDelta``)."""
    zero = v[0] - v[0]
    for _ in range(steps):
        for i in range(np.uint64(0), np.uint64(v.shape[0])):
            x, r, sp = step(v[i], np.int64(refr[i]), syn[i], zero, *consts)
            v[i] = x
            refr[i] = r
            syn[i] = 0.0
            flags[i] = sp


@kernel
def _bare_three(step, v, a, b, refr, exc, inh, flags, consts, steps):  # pragma: no cover
    """``steps`` updates of a three-variable model fed by two receptors (``LIFExp``, COBA)."""
    zero = v[0] - v[0]
    for _ in range(steps):
        for i in range(np.uint64(0), np.uint64(v.shape[0])):
            r0 = np.int64(refr[i])
            x, y, z, r, sp = step(v[i], a[i], b[i], r0, exc[i], inh[i], zero, *consts)
            v[i] = x
            a[i] = y
            b[i] = z
            refr[i] = r
            exc[i] = 0.0
            inh[i] = 0.0
            flags[i] = sp


def _constants(model: Any, dt: float, n_inputs: int) -> tuple[Any, ...]:
    """The step function's trailing arguments (after state, inputs and ``current``), in order."""
    step = model.step_function()
    names = list(inspect.signature(getattr(step, "py_func", step)).parameters)
    n_state = len(model.state_vars)
    values = model.constants(dt)
    out = []
    for name in names[n_state + n_inputs + 1 :]:
        value = dt if name == "dt" else values[name]
        out.append(np.int64(value) if isinstance(value, (int, np.integer)) else np.float64(value))
    return tuple(out)


def bare_update(model: Any, state: dict[str, np.ndarray], dt: float, steps: int) -> np.ndarray:
    """Run ``steps`` bare-loop updates of ``model`` on ``state`` in place; return the flags.

    ``state`` holds the model's state variables (float64; the refractory counter ``refr`` in
    any integer type, int8 for the floor) and its inputs ``syn`` or ``exc``/``inh`` (float64,
    cleared as they are read).
    """
    step = model.step_function()
    n = state["v"].shape[0]
    flags = np.zeros(n, dtype=np.bool_)
    if "syn" in state:
        consts = _constants(model, dt, 1)
        _bare_one(step, state["v"], state["refr"], state["syn"], flags, consts, steps)
        return flags
    a, b = (v.name for v in model.state_vars[1:3])
    consts = _constants(model, dt, 2)
    _bare_three(
        step,
        state["v"],
        state[a],
        state[b],
        state["refr"],
        state["exc"],
        state["inh"],
        flags,
        consts,
        steps,
    )
    return flags


def _bare_state(model: Any, n: int, n_inputs: int, rng: np.random.Generator) -> dict[str, Any]:
    start = model.initial_state()
    state: dict[str, Any] = {}
    for var in model.state_vars:
        if var.name == "refr":
            state["refr"] = np.zeros(n, dtype=np.int8)
        else:
            state[var.name] = np.full(n, float(start[var.name]))
    # membrane potentials spread below and above threshold, so the loop takes both sides
    state["v"] += rng.uniform(-0.02, 0.02, n)
    for name in ("syn",) if n_inputs == 1 else ("exc", "inh"):
        state[name] = np.zeros(n)
    return state


def floor_ns(model: Any, n: int, n_inputs: int, dt: float, steps: int) -> float:
    """Thread CPU nanoseconds per neuron and step of ``steps`` bare-loop updates of ``n``."""
    state = _bare_state(model, n, n_inputs, np.random.default_rng(1))
    bare_update(model, state, dt, 2)  # compiles
    start = time.thread_time()
    bare_update(model, state, dt, steps)
    return (time.thread_time() - start) / (n * steps) * 1e9


def engine_ns(name: str, duration: float) -> tuple[float, Any]:
    """Update-phase nanoseconds per neuron and step of benchmark ``name``, and its model."""
    rec, bench = run_model(name, duration=duration, profile=True)
    assert rec is not None
    net = bench.network
    n = sum(p.size for p in net.populations)
    steps = round(duration / net.dt)
    return rec["phases"]["update"] / (n * steps) * 1e9, net.populations[0].model


def measure_floor(
    *, models: tuple[str, ...] = tuple(FLOOR_MODELS), repeats: int = 3, steps: int = 2000
) -> dict[str, Any]:
    """Engine against floor for each of ``models`` (:data:`FLOOR_MODELS`), medians [ns]."""
    load_before = os.getloadavg()
    rows = []
    for name in models:
        n, n_inputs, duration = FLOOR_MODELS[name]
        engine, floor = [], []
        for _ in range(repeats):
            ns, model = engine_ns(name, duration)
            engine.append(ns)
            floor.append(floor_ns(model, n, n_inputs, 1e-4, steps))
        rows.append(
            {
                "model": name,
                "neuron": type(model).__name__,
                "neurons": n,
                "engine_ns": float(np.median(engine)),
                "floor_ns": float(np.median(floor)),
                "ratio": float(np.median(engine) / np.median(floor)),
                "ratio_of_minima": float(min(engine) / min(floor)),
                "engine_ns_all": engine,
                "floor_ns_all": floor,
            }
        )
    return {
        "rows": rows,
        "repeats": repeats,
        "floor_steps": steps,
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "versions": versions(),
        "machine": machine_info(),
    }


def floor_report(result: dict[str, Any]) -> str:
    """Plain-text table of :func:`measure_floor`."""
    lines = [
        f"neuron update per neuron and step, engine (profile) and bare loop, median of "
        f"{result['repeats']}; load {result['loadavg_before'][0]:.1f} -> "
        f"{result['loadavg_after'][0]:.1f}",
        f"  {'model':<8} {'neuron':<11} {'neurons':>7} {'engine':>9} {'floor':>9} {'ratio':>6} "
        "(of minima)",
    ]
    for row in result["rows"]:
        lines.append(
            f"  {row['model']:<8} {row['neuron']:<11} {row['neurons']:>7} "
            f"{row['engine_ns']:>6.3f} ns {row['floor_ns']:>6.3f} ns {row['ratio']:>6.2f} "
            f"({row['ratio_of_minima']:.2f})"
        )
    return "\n".join(lines)
