"""Plausible magnitudes of quantities with units: warnings for the likely unit slips.

snn takes plain SI floats. A value given in the unit its author was used to (millivolts without
``* mV``, NEST's milliseconds in ``run(1000)``, a weight meant for a voltage receptor sent into a
current receptor) is a number of the wrong magnitude, not a wrong type, so it would run silently.
Each kind of quantity has a range of magnitudes that a spiking network plausibly uses; a value
outside it warns (:class:`~snn.core.errors.UnitWarning`) with the value, its sign, the unit and
the likely intended one. Zero is always plausible. The ranges and their reasons are listed in
``docs/concepts.md`` ("Unit checks"); each has a test in ``tests/core/test_magnitudes.py``.
"""

from __future__ import annotations

import math
import sys
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from snn.core.errors import UnitWarning

__all__ = [
    "PLAUSIBLE",
    "Plausible",
    "extremes",
    "receptor_quantity",
    "user_stacklevel",
    "warn_magnitude",
]


@dataclass(frozen=True)
class Plausible:
    """The range of magnitudes a quantity plausibly takes.

    Parameters
    ----------
    quantity
        What the value is, for the message.
    unit
        Its SI unit.
    low, high
        Smallest and largest plausible ``|value|`` (zero always passes) [unit]. An array warns
        when any value is above ``high`` or all values are below ``low``.
    too_small, too_large
        The likely slip behind a value below ``low`` or above ``high``.
    """

    quantity: str
    unit: str
    low: float
    high: float
    too_small: str
    too_large: str


_OTHER_UNIT = "a value meant for a receptor of another unit (pA, nS, mV) lands here"

#: ranges by kind of quantity; see the module docstring
PLAUSIBLE: dict[str, Plausible] = {
    # resting, threshold and reversal potentials of real and model neurons lie within +-200 mV
    "potential": Plausible("potential", "V", 0.0, 1.0, "", "did you mean millivolts (`* mV`)?"),
    # a single synapse moves the membrane by microvolts to tens of millivolts (the lower bound
    # leaves room for negligible test weights and catches nS or pA sent into volts)
    "voltage jump": Plausible(
        "voltage jump",
        "V",
        1e-8,
        0.1,
        f"is it in another unit than this receptor's volts? ({_OTHER_UNIT})",
        "did you mean millivolts (`* mV`)?",
    ),
    # synaptic and injected currents of point neurons: femtoamperes to a few hundred nanoamperes
    "current": Plausible(
        "current",
        "A",
        1e-15,
        1e-6,
        f"is it in another unit than this receptor's amperes? ({_OTHER_UNIT})",
        f"did you mean pA or nA (`* pA`, `* nA`)? ({_OTHER_UNIT})",
    ),
    # synaptic conductances: picosiemens to a few microsiemens
    "conductance": Plausible(
        "conductance",
        "S",
        1e-14,
        1e-5,
        f"is it in another unit than this receptor's siemens? ({_OTHER_UNIT})",
        f"did you mean nS (`* nS`)? ({_OTHER_UNIT})",
    ),
    # firing and input rates: below one spike in 100 s is a slip such as `8 * ms` for 8 Hz; the
    # summed input of 10^4 synapses at 100 Hz is 10^6 Hz
    "rate": Plausible(
        "rate",
        "Hz",
        1e-2,
        1e6,
        "did you multiply by `ms` instead of `Hz`?",
        "did you mean a smaller rate (`* Hz`)?",
    ),
    # one call of run(): NEST and PyNN count milliseconds, so their run(1000) is one second
    "duration": Plausible(
        "simulated duration",
        "s",
        0.0,
        100.0,
        "",
        "did you mean milliseconds (`* ms`), as NEST's Simulate and PyNN's run count? "
        "A long run of seconds is fine: silence this with "
        "warnings.filterwarnings('ignore', category=snn.core.UnitWarning)",
    ),
    # axonal and dendritic delays: a fraction of a millisecond to tens of milliseconds; NEST's
    # aeif_cond_beta_multisynapse example delays its inputs by up to 0.7 s on purpose, and 1 ms
    # pasted as `1.0` is a second: a second or more warns
    "delay": Plausible("delay", "s", 0.0, 0.99, "", "did you mean milliseconds (`* ms`)?"),
    # membrane, synaptic and adaptation time constants
    "time constant": Plausible(
        "time constant", "s", 0.0, 10.0, "", "did you mean milliseconds (`* ms`)?"
    ),
    # the phase of a sinusoid: one turn covers every phase; NEST's generators take degrees
    "phase": Plausible(
        "phase",
        "rad",
        0.0,
        2 * math.pi,
        "",
        "NEST gives phases in degrees, snn in radians: did you mean `np.deg2rad(...)`?",
    ),
}

#: the quantity of a weight, by the unit of the receptor it feeds
_RECEPTOR_QUANTITY = {"V": "voltage jump", "A": "current", "S": "conductance"}


def receptor_quantity(unit: str) -> str | None:
    """The kind of quantity a weight into a receptor of ``unit`` is (None: not checked)."""
    return _RECEPTOR_QUANTITY.get(unit)


def extremes(value: Any) -> tuple[float, float]:
    """The smallest and largest of ``value`` (NaN when any is NaN), without temporary arrays.

    Two reductions in the array's own dtype: on the 300 million drawn weights of the full
    microcircuit this takes a fraction of a second, where masking and copying took 2.7 s.
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiu":
        arr = np.asarray(value, dtype=np.float64)
    if arr.size == 0:
        return 0.0, 0.0
    return float(arr.min()), float(arr.max())


#: module names whose frames a warning passes over to name the user's line: snn's packages, its
#: generated modules (``snn_loop_...``), PyNN's (snn is its backend) and ``dataclasses`` (whose
#: ``replace`` makes a model with new parameters)
_LIBRARY_PREFIXES = ("snn.", "snn_", "pyNN.", "dataclasses")


def user_stacklevel() -> int:
    """The ``stacklevel`` for :func:`warnings.warn` that names the user's line.

    Counted from the frame that calls ``warnings.warn`` (with this as its argument) up to the
    first frame outside snn's packages, its generated modules, PyNN, :mod:`dataclasses` and
    code generated into ``<string>`` (a dataclass's ``__init__``): the line of a script or
    notebook that made the call, however deep inside snn the warning arose.
    """
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None:
        name = frame.f_globals.get("__name__") or ""
        if not (name.startswith(_LIBRARY_PREFIXES) or frame.f_code.co_filename == "<string>"):
            break
        frame = frame.f_back
        level += 1
    return level


def warn_magnitude(
    name: str,
    value: Any,
    quantity: str | None,
    *,
    bounds: tuple[float, float] | None = None,
) -> None:
    """Warn when ``value`` lies outside the plausible range of ``quantity``.

    Parameters
    ----------
    name
        The argument's name, for the message.
    value
        A number or an array (the value furthest outside the range is reported, with its sign).
    quantity
        A key of :data:`PLAUSIBLE`; None checks nothing.
    bounds
        ``extremes(value)`` when the caller has it already (no second pass over the values).
    """
    if quantity is None:
        return
    rule = PLAUSIBLE[quantity]
    lo, hi = extremes(value) if bounds is None else bounds
    if not (math.isfinite(lo) and math.isfinite(hi)):
        # NaN or inf among the values (their own checks refuse them): judge the finite ones
        value = np.asarray(value, dtype=np.float64).ravel()
        value = value[np.isfinite(value)]
        lo, hi = extremes(value)
    # the largest magnitude is at one end; zeros never decide it (all zero: nothing to judge)
    top = max(abs(lo), abs(hi))
    if top == 0.0:
        return
    # too large: any value; too small: all of them (drawn weights and rates legitimately reach
    # down to zero, but a unit slip shifts every value)
    if top > rule.high:
        limit, hint = f"below {rule.high:g}", rule.too_large
    elif top < rule.low:
        limit, hint = f"above {rule.low:g}", rule.too_small
    else:
        return
    if abs(lo) == abs(hi) and lo != hi:
        # both signs reach the top: report the first in the array's order
        flat = np.asarray(value, dtype=np.float64).ravel()
        offending = float(flat[np.flatnonzero(np.abs(flat) == top)[0]])
    else:
        offending = lo if abs(lo) == top else hi
    warnings.warn(
        f"`{name}` = {offending!r} {rule.unit} is an unusual {rule.quantity} (expected "
        f"magnitudes {limit} {rule.unit}); {hint}",
        UnitWarning,
        stacklevel=user_stacklevel(),
    )
