r"""Adaptive reference solutions of single neurons: scipy's ``solve_ivp`` with the models' rules.

A :class:`Continuous` model is a plain-Python transcription of a neuron model's equations (its
module docstring and its NEST model's documentation), independent of snn's kernels, plus the
rules that make it a simulator's model: when a spike is detected, what a spike resets, how long
the neuron is refractory. :func:`reference_spikes` integrates it with ``solve_ivp`` (DOP853,
``rtol = 1e-10``) between the grid points where input arrives, and applies the rules exactly as
the simulator does, so that what remains between its spike times and snn's is the integration
error of snn's method alone.

Rules (``Continuous.rule``), all with spike times stamped at the end of the step:

``"grid"``
    ``V >= threshold`` tested at the end of every step after the step's input jumps (NEST's
    ``iaf_*``, ``mat2_psc_exp``, ``gif_*``); the reset happens at that grid point.
``"crossing"``
    The reset happens at the upward crossing of the threshold within the step (NEST's ``aeif_*``
    reset inside the GSL integration loop); the spike is stamped at the end of the step
    that contains the crossing. An input jump over the threshold spikes at its grid point.
``"peak"``
    No reset; at the end of a step, ``V >= threshold`` and ``V`` lower than at the step's start
    (NEST's ``hh_psc_alpha`` and ``hh_cond_exp_traub``: the local maximum).
``"threshold"``
    No reset; at the end of a step, ``V >= threshold`` (Brian2's COBAHH).

Refractoriness counts whole steps after the spike's grid point, as snn does: detection is off
for ``ref_steps`` steps; with ``clamp`` the membrane potential is also held (``dV/dt = 0``) and
voltage jumps are discarded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["RTOL", "Continuous", "reference_spikes"]

#: relative tolerance of the reference (the issue's requirement)
RTOL = 1e-10


@dataclass(frozen=True)
class Continuous:
    """A neuron model as an ODE with a simulator's spike rules (see the module docstring).

    Parameters
    ----------
    names
        State variables integrated (snn's names), the membrane potential first.
    rhs
        ``rhs(y, current, frozen) -> dy/dt`` in SI units; ``current`` [A] is the injected current
        held over the step, ``frozen`` says that ``V`` is clamped (refractory).
    scale
        Typical magnitude of each variable: the absolute tolerance is ``RTOL * scale``.
    jumps
        Receptor name -> (index of the variable it jumps, factor per unit weight).
    rule
        ``"grid"``, ``"crossing"``, ``"peak"`` or ``"threshold"``.
    threshold
        ``threshold(y)`` [V]: the spike threshold in state ``y``.
    reset
        ``reset(y) -> y`` at a spike (None: no reset).
    ref_steps
        Refractory period [steps].
    clamp
        Whether ``V`` is held while refractory.
    """

    names: tuple[str, ...]
    rhs: Callable[[np.ndarray, float, bool], np.ndarray]
    scale: tuple[float, ...]
    jumps: Mapping[str, tuple[int, float]]
    rule: Literal["grid", "crossing", "peak", "threshold"]
    threshold: Callable[[np.ndarray], float]
    reset: Callable[[np.ndarray], np.ndarray] | None = None
    ref_steps: int = 0
    clamp: bool = False


def _solve(cm: Continuous, t0: float, t1: float, y: np.ndarray, current: float, frozen: bool):
    from scipy.integrate import solve_ivp

    def fun(t: float, z: np.ndarray) -> np.ndarray:
        return cm.rhs(z, current, frozen)

    events = None
    if cm.rule == "crossing" and not frozen:

        def crossing(t: float, z: np.ndarray) -> float:
            return z[0] - cm.threshold(z)

        crossing.terminal = True  # type: ignore[attr-defined]
        crossing.direction = 1.0  # type: ignore[attr-defined]
        events = [crossing]
    # trial stages far from the solution may overflow; DOP853 rejects them
    with np.errstate(over="ignore", invalid="ignore"):
        return solve_ivp(
            fun,
            (t0, t1),
            y,
            method="DOP853",
            rtol=RTOL,
            atol=RTOL * np.asarray(cm.scale),
            dense_output=True,
            events=events,
        )


def reference_spikes(
    cm: Continuous,
    y0: np.ndarray,
    dt: float,
    n_steps: int,
    inputs: Mapping[str, np.ndarray],
    current: np.ndarray,
) -> np.ndarray:
    """Spike stamps [steps] of ``cm`` over ``n_steps`` steps of ``dt`` [s].

    Parameters
    ----------
    cm
        The continuous model.
    y0
        Initial state (in the order of ``cm.names``).
    dt
        Time step [s].
    n_steps
        Number of steps.
    inputs
        Receptor name -> per-step sum of the weights that arrive at the end of step ``k``.
    current
        Injected current during step ``k`` [A], length ``n_steps``.

    Returns
    -------
    numpy.ndarray
        The stamps ``k + 1`` of the steps ``k`` that emit a spike (int64, ascending).
    """
    if cm.rule == "crossing" and cm.ref_steps:
        raise ValueError("the crossing rule is implemented without a refractory period")
    y = np.array(y0, dtype=np.float64)
    # grid index j is the end of step j - 1; inputs of step k arrive at j = k + 1
    arrive = np.zeros(n_steps + 1, dtype=bool)
    for w in inputs.values():
        arrive[1:] |= np.asarray(w) != 0.0
    change = np.zeros(n_steps + 1, dtype=bool)
    change[1:n_steps] = np.diff(current) != 0.0
    breaks = np.flatnonzero(arrive | change)
    spikes: list[int] = []
    t = 0.0
    g = 0  # the step that contains t
    refr_end = 0  # detection is off at grid points <= refr_end; V is clamped before it
    v_grid = y[0]  # V at the last grid point (the peak rule compares with it)
    while g < n_steps:
        nxt = breaks[np.searchsorted(breaks, g, side="right") :]
        b = min(int(nxt[0]) if nxt.size else n_steps, n_steps)
        if refr_end > g:
            b = min(b, refr_end)
        sol = _solve(cm, t, b * dt, y, float(current[g]), cm.clamp and refr_end > g)
        if not sol.success:
            raise RuntimeError(f"reference integration failed at t = {t} s: {sol.message}")
        if cm.rule == "crossing" and sol.t_events[0].size:
            t = float(sol.t_events[0][0])
            y = cm.reset(sol.y_events[0][0].copy()) if cm.reset is not None else y
            stamp = int(np.floor(t / dt)) + 1
            if not spikes or spikes[-1] != stamp:  # at most one spike per step, as snn
                spikes.append(stamp)
            g = stamp - 1
            continue
        fired = False
        if cm.rule != "crossing" and b > g + 1:
            # grid points strictly inside the segment (no input arrives there)
            grid = np.arange(g + 1, b)
            states = sol.sol(grid * dt)
            for col, j in enumerate(grid):
                z = states[:, col]
                if _fires(cm, z, v_grid, int(j), refr_end):
                    spikes.append(int(j))
                    refr_end = int(j) + cm.ref_steps
                    if cm.reset is not None or cm.clamp:
                        # the state changes here: integrate the rest of the segment anew
                        y = cm.reset(z.copy()) if cm.reset is not None else z.copy()
                        t, g, v_grid = j * dt, int(j), y[0]
                        fired = True
                        break
                v_grid = z[0]
        if fired:
            continue
        y = sol.y[:, -1].copy()
        # the inputs of step b - 1 arrive; a clamped potential discards its jumps (LIFDelta)
        clamped = cm.clamp and refr_end >= b
        for name, w in inputs.items():
            idx, factor = cm.jumps[name]
            if w[b - 1] != 0.0 and not (clamped and idx == 0):
                y[idx] += factor * w[b - 1]
        if _fires(cm, y, v_grid, b, refr_end):
            spikes.append(b)
            refr_end = b + cm.ref_steps
            if cm.reset is not None:
                y = cm.reset(y)
        v_grid = y[0]
        t, g = b * dt, b
    return np.asarray(spikes, dtype=np.int64)


def _fires(cm: Continuous, z: np.ndarray, v_prev: float, j: int, refr_end: int) -> bool:
    """Whether the rule detects a spike at grid point ``j`` in state ``z``."""
    if j <= refr_end:
        return False
    above = z[0] >= cm.threshold(z)
    if cm.rule == "peak":
        return bool(above and z[0] < v_prev)
    return bool(above)
