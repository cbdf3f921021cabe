"""Masks of a spatial rule beyond a radius: NEST's ``rectangular`` (2-D) and ``box`` (3-D) masks.

NEST considers, for a ``pairwise_bernoulli`` connection with a mask, the pool nodes whose
displacement from the driver node (the shortest vector, across periodic boundaries) lies in
the mask placed at the driver, shifted by the mask's ``anchor``. The driver is the source, the
pool the targets; with ``use_on_source=True`` the driver is the target and the pool the
sources. :class:`BoxMask` holds that region; :func:`in_box` tests a pair in compiled code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from snn.core import ConfigurationError
from snn.core.kernels import kernel

__all__ = ["BoxMask", "in_box"]


def _corner(name: str, values: Any) -> tuple[float, ...]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.shape[0] not in (2, 3) or not np.all(np.isfinite(arr)):
        raise ConfigurationError(
            f"`{name}` must hold 2 or 3 finite numbers (a point in 2-D or 3-D) [m], got {values!r}."
        )
    return tuple(float(x) for x in arr)


@dataclass(frozen=True, kw_only=True)
class BoxMask:
    """A rectangular (2-D) or box (3-D) mask: NEST's ``rectangular`` and ``box`` masks.

    Parameters
    ----------
    lower, upper
        Corners of the region [m], relative to the driver neuron (``lower < upper`` in every
        coordinate); a pair is considered when the displacement lies within them, ends
        included.
    anchor
        Shift of the region [m] (NEST's ``anchor``); default none.
    on_source
        NEST's ``use_on_source``: the displacement is from the target to the source (the mask
        placed at each target, over the sources) instead of from the source to the target.

    Examples
    --------
    NEST's ``mask={"rectangular": {"lower_left": [-0.2, -0.1], "upper_right": [0.2, 0.1]}}``
    (positions in the same length unit) is ``BoxMask(lower=(-0.2, -0.1), upper=(0.2, 0.1))``.
    """

    lower: Any
    upper: Any
    anchor: Any = None
    on_source: bool = False

    def __post_init__(self) -> None:
        lower, upper = _corner("lower", self.lower), _corner("upper", self.upper)
        anchor = (0.0,) * len(lower) if self.anchor is None else _corner("anchor", self.anchor)
        if not len(lower) == len(upper) == len(anchor):
            raise ConfigurationError(
                "`lower`, `upper` and `anchor` must have the same number of coordinates, got "
                f"{len(lower)}, {len(upper)} and {len(anchor)}."
            )
        if any(a >= b for a, b in zip(lower, upper, strict=True)):
            raise ConfigurationError(
                f"`lower` must be below `upper` in every coordinate, got {lower} and {upper}."
            )
        if not isinstance(self.on_source, bool | np.bool_):
            raise ConfigurationError(f"`on_source` must be True or False, got {self.on_source!r}.")

    def bounds(self, ndim: int) -> tuple[np.ndarray, np.ndarray, float]:
        """The region's corners with the anchor added, and the direction of the displacement.

        Raises
        ------
        ConfigurationError
            When the positions have another number of coordinates.
        """
        lower = np.asarray(self.lower, dtype=np.float64)
        if lower.shape[0] != ndim:
            raise ConfigurationError(
                f"the mask has {lower.shape[0]} coordinates, the positions {ndim}."
            )
        anchor = np.zeros(ndim) if self.anchor is None else np.asarray(self.anchor, np.float64)
        upper = np.asarray(self.upper, dtype=np.float64)
        return lower + anchor, upper + anchor, -1.0 if self.on_source else 1.0

    def reach(self) -> float:
        """The largest distance [m] of a point of the region from the driver."""
        lo, hi, _ = self.bounds(len(self.lower))
        return math.sqrt(float(np.sum(np.maximum(lo * lo, hi * hi))))


@kernel(inline="always")
def in_box(pre_pos, post_pos, i, j, box, periodic, lo, hi, sign):  # pragma: no cover - compiled
    """Whether the displacement of pair (source ``i``, target ``j``) lies in ``[lo, hi]``.

    The displacement is ``sign * (target - source)``, each coordinate the shortest across a
    periodic box.
    """
    for a in range(pre_pos.shape[1]):
        d = sign * (post_pos[j, a] - pre_pos[i, a])
        if periodic:
            length = box[a]
            if d > 0.5 * length:
                d -= length
            elif d < -0.5 * length:
                d += length
        if d < lo[a] or d > hi[a]:
            return False
    return True
