"""Axes creation without pyplot, notes on empty plots, and SI prefixes for axis labels."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "colour",
    "new_axes",
    "nice_count",
    "note",
    "si_scale",
    "unit_label",
]

#: prefixes tried for display, largest first
_PREFIXES = (
    (1e9, "G"),
    (1e6, "M"),
    (1e3, "k"),
    (1.0, ""),
    (1e-3, "m"),
    (1e-6, "µ"),
    (1e-9, "n"),
    (1e-12, "p"),
    (1e-15, "f"),
)

#: units that take an SI prefix on display (``"1"`` and ``"steps"`` do not)
_PREFIXABLE = {"s", "V", "A", "S", "F", "Hz", "Ohm", "m", "V/s", "A/s"}


def new_axes(ax: Axes | None, figsize: tuple[float, float] = (6.4, 4.0)) -> Axes:
    """The axes to draw into: ``ax`` itself, or the axes of a new pyplot-free figure.

    Parameters
    ----------
    ax
        Existing axes, or None for a new figure with constrained layout.
    figsize
        Size of the new figure [inch].

    Returns
    -------
    matplotlib.axes.Axes
        The axes to draw into.
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            from snn.core.errors import ConfigurationError

            raise ConfigurationError(f"`ax` must be a matplotlib Axes, got {type(ax).__name__}.")
        return ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def note(ax: Axes, text: str) -> None:
    """Write ``text`` in the middle of ``ax`` (used for empty plots instead of raising).

    Parameters
    ----------
    ax
        The axes.
    text
        The message, for example ``"no spikes"``.
    """
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color="0.4",
        gid="snn-note",
    )


def colour(k: int) -> str:
    """The ``k``-th colour of the default cycle (``"C0"`` ... ``"C9"``)."""
    return f"C{k % 10}"


def si_scale(values: np.ndarray | float, unit: str) -> tuple[float, str]:
    """A display factor and a prefixed unit for values in SI unit ``unit``.

    Parameters
    ----------
    values
        The values to display [``unit``].
    unit
        Their SI unit ("V", "s", "A", ...). Units without a prefix ("", "1", "steps") are kept.

    Returns
    -------
    factor : float
        Multiply the values by it for display.
    label : str
        The prefixed unit, e.g. ``"mV"``.

    Examples
    --------
    >>> si_scale([-0.07, 0.02], "V")
    (1000.0, 'mV')
    """
    if unit not in _PREFIXABLE:
        return 1.0, unit
    arr = np.abs(np.asarray(values, dtype=np.float64))
    arr = arr[np.isfinite(arr) & (arr > 0)]
    if arr.size == 0:
        return 1.0, unit
    big = float(np.max(arr))
    for value, prefix in _PREFIXES:
        if big >= value * 0.9999:
            return 1.0 / value, prefix + unit
    return 1.0 / _PREFIXES[-1][0], _PREFIXES[-1][1] + unit


def unit_label(name: str, unit: str) -> str:
    """``"name [unit]"``, or ``name`` alone for dimensionless quantities."""
    return f"{name} [{unit}]" if unit and unit != "1" else name


def nice_count(n: float) -> str:
    """A count with thousands separators (``12,500``)."""
    if math.isfinite(n) and float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:.3g}"
