"""Spatial connectivity: neurons placed in space, distance-dependent connection rules and delays.

Modelled on NEST's spatial module (``nest.spatial.grid`` / ``nest.spatial.free``, connection
``mask``, a connection probability ``p`` that is a function of distance, and
``delay = d0 + d / v``):

* :class:`Grid` and :class:`RandomPositions` place the neurons of a population in a 2-D or 3-D box
  (``Network.add_population(..., positions=...)``), optionally with periodic boundaries.
* :class:`DistanceDependent` connects each ordered pair at distance ``d`` independently with
  probability ``p(d) = p_max * kernel(d)`` (zero beyond ``mask_radius``); with ``multapses`` the
  number of synapses of a pair is Poisson with mean ``p(d)`` instead (NEST's
  ``pairwise_poisson``).
* :class:`DistanceFixedIndegree` gives every target exactly ``indegree`` sources drawn with
  probability proportional to ``kernel(d)`` (NEST's ``fixed_indegree`` with a spatial ``p``).
* :class:`DistanceDelay` gives a synapse the delay ``base + d / velocity``, rounded to whole steps.

Kernels of the distance ``d`` [m]: :class:`GaussianKernel` ``exp(-d**2 / (2 sigma**2))``,
:class:`ExponentialKernel` ``exp(-d / scale)``, :class:`StepKernel` ``1 if d <= radius else 0``.

Lengths are in metres, as every quantity of snn is SI; only ratios (``d / sigma``, ``d / v``)
enter, so any length unit works when extents, kernels, masks and velocities share it. With
periodic boundaries the distance is the minimum-image one: each coordinate difference ``dx``
becomes ``min(dx, L - dx)`` for the box side ``L``; both populations must then share one periodic
box. Distances are measured between the positions of the connected populations or views (a view
``pop[a:b]`` keeps the positions of its neurons).

Every draw for target ``j`` and source ``i`` uses the counter ``(j, i)`` of the projection's key,
so the synapses do not depend on the number of threads or MPI ranks building them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from snn.core import ConfigurationError, ConnectionRule, Positions
from snn.core.connectivity import BoundLaw, PairLaw, RuleArgs, nearest_steps
from snn.core.kernels import kernel, poisson, uniform, uniform2
from snn.core.random import Uniform
from snn.core.validate import (
    require_finite,
    require_int,
    require_nonnegative,
    require_positive,
)
from snn.synapses._masks import BoxMask, in_box

__all__ = [
    "DistanceDelay",
    "DistanceDependent",
    "DistanceFixedIndegree",
    "ExponentialKernel",
    "GaussianKernel",
    "Grid",
    "RandomPositions",
    "StepKernel",
    "distances",
]

_GAUSSIAN, _EXPONENTIAL, _STEP = 0, 1, 2
#: targets sampled (evenly spaced) to estimate a projection's synapse count for the memory check
_ESTIMATE_TARGETS = 256
#: fewest sources per cell on average (fewer, larger cells when the kernel is narrow)
_SOURCES_PER_CELL = 4
#: cell side in kernel widths: smaller cells thin more tightly but cost a draw per cell and
#: target; 2 was fastest among 1, 1.5, 2 and 3 on a 20,000-neuron Gaussian sheet (1.5 s against
#: 2.6, 1.7 and 2.2 s for all targets' sources on a loaded 2-core machine)
_CELL_WIDTHS = 2.0


# ------------------------------------------------------------------------------------- positions
def _box(name: str, values: Any, ndim: int | None) -> tuple[float, ...]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.shape[0] not in (2, 3):
        raise ConfigurationError(
            f"`{name}` must hold 2 or 3 numbers (a 2-D or 3-D box), got {values!r}."
        )
    if ndim is not None and arr.shape[0] != ndim:
        raise ConfigurationError(
            f"`{name}` must hold {ndim} numbers (one per dimension of the layout), got {values!r}."
        )
    require_finite(name, arr, "m")
    return tuple(float(x) for x in arr)


@dataclass(frozen=True)
class Grid(Positions):
    """Neurons on a regular 2-D or 3-D grid (NEST's ``nest.spatial.grid``).

    Neuron ``k`` sits at the centre of cell ``numpy.unravel_index(k, shape)`` (C order: the last
    axis varies fastest), so cells are ``extent / shape`` wide and the grid points lie at
    ``center - extent / 2 + (index + 0.5) * extent / shape``. The positions are NEST's, the
    numbering is not: NEST numbers a 2-D grid column by column with ``y`` decreasing (its
    neuron 0 is the top-left corner, here the bottom-left one); read positions from
    ``pop.positions`` rather than porting NEST's indices.

    Parameters
    ----------
    shape
        Number of neurons along each axis (2 or 3 positive integers); the population's size must
        be their product.
    extent
        Side lengths of the box [m]; default 1 along every axis, as NEST's (a spacing of
        ``1 / shape``: ``Grid((4, 5))`` puts its first axis at -0.375 ... 0.375).
    center
        Centre of the box [m]; default the origin.
    periodic
        Wrap the box around (torus).
    """

    shape: tuple[int, ...]
    _: KW_ONLY
    extent: tuple[float, ...] = None  # type: ignore[assignment]
    center: tuple[float, ...] = None  # type: ignore[assignment]
    periodic: bool = False

    def __post_init__(self) -> None:
        shape = tuple(np.atleast_1d(np.asarray(self.shape)).tolist())
        if len(shape) not in (2, 3):
            raise ConfigurationError(
                f"Grid `shape` must have 2 or 3 axes (a 2-D or 3-D grid), got {self.shape!r}."
            )
        shape = tuple(require_int("shape", n, minimum=1) for n in shape)
        default = (1.0,) * len(shape)
        extent = _box("extent", default if self.extent is None else self.extent, len(shape))
        require_positive("extent", extent, "m")
        center = _box("center", (0.0,) * len(shape) if self.center is None else self.center, None)
        if len(center) != len(shape):
            raise ConfigurationError(
                f"Grid `center` must have {len(shape)} coordinates, got {self.center!r}."
            )
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "extent", extent)
        object.__setattr__(self, "center", center)
        object.__setattr__(self, "periodic", bool(self.periodic))

    def place(self, size: int, *, key: tuple[np.uint64, np.uint64]) -> np.ndarray:
        n = math.prod(self.shape)
        if size != n:
            raise ConfigurationError(
                f"Grid of shape {self.shape} holds {n} neurons, but the population has {size}; "
                "make the size the product of the shape."
            )
        idx = np.stack(np.unravel_index(np.arange(size), self.shape), axis=1).astype(np.float64)
        ext = np.asarray(self.extent)
        spacing = ext / np.asarray(self.shape, dtype=np.float64)
        return np.asarray(self.center) - 0.5 * ext + (idx + 0.5) * spacing


@dataclass(frozen=True)
class RandomPositions(Positions):
    """Neurons at independent uniform positions in a 2-D or 3-D box (``nest.spatial.free``).

    Coordinate ``a`` of neuron ``k`` is drawn from the network's counter-based generator with the
    counter ``(k, a)`` of a key derived from the seed and the population, so the positions are
    the same on every process and for any number of threads.

    Parameters
    ----------
    extent
        Side lengths of the box [m] (2 or 3 positive numbers).
    center
        Centre of the box [m]; default the origin.
    periodic
        Wrap the box around (torus).
    """

    extent: tuple[float, ...]
    _: KW_ONLY
    center: tuple[float, ...] = None  # type: ignore[assignment]
    periodic: bool = False

    def __post_init__(self) -> None:
        extent = _box("extent", self.extent, None)
        require_positive("extent", extent, "m")
        center = _box("center", (0.0,) * len(extent) if self.center is None else self.center, None)
        if len(center) != len(extent):
            raise ConfigurationError(
                f"RandomPositions `center` must have {len(extent)} coordinates, got "
                f"{self.center!r}."
            )
        object.__setattr__(self, "extent", extent)
        object.__setattr__(self, "center", center)
        object.__setattr__(self, "periodic", bool(self.periodic))

    def place(self, size: int, *, key: tuple[np.uint64, np.uint64]) -> np.ndarray:
        out = np.empty((size, len(self.extent)), dtype=np.float64)
        for a, (c, length) in enumerate(zip(self.center, self.extent, strict=True)):
            law = Uniform(low=c - 0.5 * length, high=c + 0.5 * length)
            out[:, a] = law.draw(size, key=key, b=a)
        return out


@dataclass(frozen=True, eq=False)
class FixedPositions(Positions):
    """Neurons at given positions (NEST's ``nest.spatial.free`` with a list of positions).

    Parameters
    ----------
    points
        One row per neuron: 2 or 3 finite coordinates [m]; the population's size must be the
        number of rows.
    extent
        Side lengths of the box [m]; default the smallest box holding the points (a side of 0
        grows to 1e-9 m). Required when ``periodic``.
    center
        Centre of the box [m]; default the centre of the points' bounding box.
    periodic
        Wrap the box around (torus); every point must then lie inside the box.
    """

    points: Any
    _: KW_ONLY
    extent: tuple[float, ...] = None  # type: ignore[assignment]
    center: tuple[float, ...] = None  # type: ignore[assignment]
    periodic: bool = False

    def __post_init__(self) -> None:
        pts = np.array(self.points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] not in (2, 3) or pts.shape[0] == 0:
            raise ConfigurationError(
                "FixedPositions `points` must be a (neurons, 2) or (neurons, 3) array of "
                f"coordinates [m], got shape {np.shape(self.points)}."
            )
        require_finite("points", pts, "m")
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        if self.periodic and self.extent is None:
            raise ConfigurationError(
                "FixedPositions with `periodic=True` needs the box's `extent`: the points do "
                "not say where the box wraps around."
            )
        ndim = pts.shape[1]
        extent = _box(
            "extent", np.maximum(hi - lo, 1e-9) if self.extent is None else self.extent, ndim
        )
        require_positive("extent", extent, "m")
        center = _box("center", 0.5 * (lo + hi) if self.center is None else self.center, ndim)
        half = 0.5 * np.asarray(extent)
        outside = np.any(np.abs(pts - np.asarray(center)) > half * (1 + 1e-12), axis=1)
        if outside.any():
            k = int(np.flatnonzero(outside)[0])
            raise ConfigurationError(
                f"FixedPositions point {k} at {tuple(pts[k])} lies outside the box of extent "
                f"{extent} around {center}."
            )
        pts.setflags(write=False)
        object.__setattr__(self, "points", pts)
        object.__setattr__(self, "extent", extent)
        object.__setattr__(self, "center", center)
        object.__setattr__(self, "periodic", bool(self.periodic))

    def place(self, size: int, *, key: tuple[np.uint64, np.uint64]) -> np.ndarray:
        if size != self.points.shape[0]:
            raise ConfigurationError(
                f"FixedPositions holds {self.points.shape[0]} points, but the population has "
                f"{size} neurons; give one point per neuron."
            )
        return self.points.copy()


# --------------------------------------------------------------------------------------- kernels
@dataclass(frozen=True, kw_only=True)
class GaussianKernel:
    """``exp(-d**2 / (2 sigma**2))`` (NEST's ``spatial_distributions.gaussian`` with std ``sigma``).

    Parameters
    ----------
    sigma
        Width [m], > 0.
    """

    sigma: float

    def __post_init__(self) -> None:
        require_positive("sigma", self.sigma, "m")

    def code(self) -> tuple[int, float]:
        """Encoding for the numba kernels: ``(kind, parameter)``."""
        return _GAUSSIAN, float(self.sigma)

    def __call__(self, d: Any) -> np.ndarray:
        """Value at distances ``d`` [m] (numpy, for analysis and tests)."""
        return np.exp(-0.5 * (np.asarray(d, dtype=np.float64) / self.sigma) ** 2)


@dataclass(frozen=True, kw_only=True)
class ExponentialKernel:
    """``exp(-d / scale)`` (NEST's ``spatial_distributions.exponential``).

    Parameters
    ----------
    scale
        Length constant [m], > 0.
    """

    scale: float

    def __post_init__(self) -> None:
        require_positive("scale", self.scale, "m")

    def code(self) -> tuple[int, float]:
        """Encoding for the numba kernels: ``(kind, parameter)``."""
        return _EXPONENTIAL, float(self.scale)

    def __call__(self, d: Any) -> np.ndarray:
        """Value at distances ``d`` [m] (numpy, for analysis and tests)."""
        return np.exp(-np.asarray(d, dtype=np.float64) / self.scale)


@dataclass(frozen=True, kw_only=True)
class StepKernel:
    """``1`` for ``d <= radius``, else ``0`` (a constant probability inside a disc or ball).

    Parameters
    ----------
    radius
        Radius [m], > 0; ``math.inf`` makes the probability ``p_max`` at every distance (NEST's
        ``p`` given as a number, the region then set by a mask).
    """

    radius: float

    def __post_init__(self) -> None:
        if not (isinstance(self.radius, int | float) and self.radius == math.inf):
            require_positive("radius", self.radius, "m")

    def code(self) -> tuple[int, float]:
        """Encoding for the numba kernels: ``(kind, parameter)``."""
        return _STEP, float(self.radius)

    def __call__(self, d: Any) -> np.ndarray:
        """Value at distances ``d`` [m] (numpy, for analysis and tests)."""
        return (np.asarray(d, dtype=np.float64) <= self.radius).astype(np.float64)


Kernel = GaussianKernel | ExponentialKernel | StepKernel


def _require_kernel(kern: Any) -> None:
    if not isinstance(kern, GaussianKernel | ExponentialKernel | StepKernel):
        raise ConfigurationError(
            "`kernel` must be GaussianKernel(sigma=...), ExponentialKernel(scale=...) or "
            f"StepKernel(radius=...), got {type(kern).__name__}."
        )


# -------------------------------------------------------------------------------- numba kernels
@kernel(inline="always")
def pair_distance(pre_pos, post_pos, i, j, box, periodic):  # pragma: no cover - compiled
    """Distance [m] between source ``i`` and target ``j``; minimum image when ``periodic``.

    ``pre_pos``, ``post_pos``: float64 ``(n, ndim)``; ``box``: float64 ``(ndim,)`` side lengths.
    Positions lie inside the box, so a coordinate difference is below one side length.
    """
    s = 0.0
    for a in range(pre_pos.shape[1]):
        dx = abs(pre_pos[i, a] - post_pos[j, a])
        if periodic:
            length = box[a]
            if dx > 0.5 * length:
                dx = length - dx
        s += dx * dx
    return math.sqrt(s)


@kernel(inline="always")
def kernel_value(code, width, d):  # pragma: no cover - compiled
    """Kernel ``code`` (Gaussian, exponential, step) of width ``width`` [m] at distance ``d``."""
    if code == _GAUSSIAN:
        x = d / width
        return math.exp(-0.5 * x * x)
    if code == _EXPONENTIAL:
        return math.exp(-d / width)
    return 1.0 if d <= width else 0.0


@kernel(inline="always")
def _cell_gap(x, lo, hi, length, periodic):  # pragma: no cover - compiled
    """Distance [m] from coordinate ``x`` to the interval ``[lo, hi]``.

    On a circle of circumference ``length`` when ``periodic``.
    """
    g = max(lo - x, x - hi, 0.0)
    if periodic:
        g = min(g, max(lo - (x - length), (x - length) - hi, 0.0))
        g = min(g, max(lo - (x + length), (x + length) - hi, 0.0))
    return g


@kernel(inline="always")
def _axis_cells(x, reach, lo, h, m, periodic, out):  # pragma: no cover - compiled
    """The cells along one axis that may hold a source within ``reach`` [m] of ``x``.

    Writes their indices, ascending, into ``out`` (``m`` cells of width ``h`` from ``lo``; one
    cell of margin on each side against rounding) and returns their number: all of them when
    the reach spans the axis.
    """
    span = (2.0 * reach) / h + 3.0
    if not span < m:
        for k in range(m):
            out[k] = k
        return m
    k0 = math.floor((x - reach - lo) / h) - 1
    k1 = math.floor((x + reach - lo) / h) + 1
    if not periodic:
        k0 = max(k0, 0)
        k1 = min(k1, m - 1)
        for k in range(k0, k1 + 1):
            out[k - k0] = k
        return max(k1 - k0 + 1, 0)
    # on the circle: k0 .. k1 modulo m, fewer than m of them, in ascending order of the index
    a = k0 % m
    b = k1 % m
    n = 0
    if a <= b:
        for k in range(a, b + 1):
            out[n] = k
            n += 1
    else:
        for k in range(b + 1):
            out[n] = k
            n += 1
        for k in range(a, m):
            out[n] = k
            n += 1
    return n


@kernel
def distance_sources(
    j,
    n_pre,
    same,
    k0,
    k1,
    buf,
    fbuf,
    pre_pos,
    post_pos,
    box,
    periodic,
    code,
    width,
    p_max,
    mask,
    autapses,
    multapses,
    has_box,
    box_lo,
    box_hi,
    box_sign,
    order,
    cell_start,
    cell_lo,
    cell_h,
    cell_shape,
):  # pragma: no cover - compiled
    """Sources of target ``j`` in ascending order.

    Pair ``(i, j)`` at distance ``d`` connects with probability ``p(d) = p_max * kernel(d)``
    (0 beyond ``mask``, and with ``has_box`` outside the region ``box_lo``, ``box_hi`` of
    :func:`snn.synapses._masks.in_box`), or with a Poisson number of synapses of mean ``p(d)``
    when ``multapses`` (``buf.shape[0]`` at most).

    The sources are sorted into cells: ``order[cell_start[c]:cell_start[c + 1]]`` are those of
    cell ``c``, a box of sides ``cell_h`` at ``cell_lo + index * cell_h``, C order over
    ``cell_shape``. As kernels do not increase with distance, ``q = p(dmin)`` at the cell's
    nearest point bounds ``p`` for all its sources: candidates are drawn with probability ``q``
    by geometric skips and kept with probability ``p / q`` (thinning; exact), so a far cell costs
    one draw instead of one per source. With ``multapses`` the cell's candidate events are a
    Poisson(``q * size``) number of uniformly chosen sources, each kept with probability
    ``p / q``: a Poisson(``p``) number per pair (splitting of a Poisson process). Draws use the
    counters ``(j, c)`` in cell order, which does not depend on the partition of the targets.
    """
    n = 0
    cap = buf.shape[0]
    ndim = pre_pos.shape[1]
    c = 0
    # the cells within the mask's reach on each axis, ascending: visited in C order, they are
    # the cells a loop over all of them would draw in, in the same order (the others it skips
    # without a draw), so the draws do not change, and a narrow mask costs what it reaches
    reach = np.empty((ndim, cell_shape.max()), dtype=np.int64)
    count = np.empty(ndim, dtype=np.int64)
    combos = 1
    for a in range(ndim):
        count[a] = _axis_cells(
            post_pos[j, a], mask, cell_lo[a], cell_h[a], cell_shape[a], periodic, reach[a]
        )
        combos *= count[a]
    for combo in range(combos):
        rem = combo
        cell = 0
        stride = 1
        s2 = 0.0
        for a in range(ndim - 1, -1, -1):
            k = reach[a, rem % count[a]]
            rem //= count[a]
            cell += k * stride
            stride *= cell_shape[a]
            lo = cell_lo[a] + k * cell_h[a]
            g = _cell_gap(post_pos[j, a], lo, lo + cell_h[a], box[a], periodic)
            s2 += g * g
        first = cell_start[cell]
        size = cell_start[cell + 1] - first
        if size == 0:
            continue
        dmin = math.sqrt(s2)
        if dmin > mask:
            continue
        q = p_max * kernel_value(code, width, dmin)
        if q <= 0.0:
            continue
        if multapses:
            events = poisson(k0, k1, j, c, q * size)
            c += 1
            for _ in range(events):
                u0, u1 = uniform2(k0, k1, j, c)
                c += 1
                i = order[first + min(int(u0 * size), size - 1)]
                if same and i == j and not autapses:
                    continue
                d = pair_distance(pre_pos, post_pos, i, j, box, periodic)
                if d > mask:
                    continue
                if has_box and not in_box(
                    pre_pos, post_pos, i, j, box, periodic, box_lo, box_hi, box_sign
                ):
                    continue
                if u1 * q < p_max * kernel_value(code, width, d) and n < cap:
                    buf[n] = i
                    n += 1
            continue
        # at most one synapse per pair: a probability above 1 (p_max > 1) connects surely
        q = min(q, 1.0)
        log_q = math.log1p(-q) if q < 1.0 else -math.inf
        k = -1
        while True:
            u0, u1 = uniform2(k0, k1, j, c)
            c += 1
            if q < 1.0:
                # compared as a float first: for a far cell the skip exceeds the int64 range
                skip = math.log(1.0 - u0) / log_q
                if skip >= size - k - 1:
                    break
                k += 1 + int(skip)
            else:
                k += 1
            if k >= size:
                break
            i = order[first + k]
            if same and i == j and not autapses:
                continue
            d = pair_distance(pre_pos, post_pos, i, j, box, periodic)
            if d > mask:
                continue
            if has_box and not in_box(
                pre_pos, post_pos, i, j, box, periodic, box_lo, box_hi, box_sign
            ):
                continue
            if u1 * q < min(p_max * kernel_value(code, width, d), 1.0):
                buf[n] = i
                n += 1
    buf[:n].sort()
    return n


@kernel
def _select_largest(keys, idx, n, k):  # pragma: no cover - compiled
    """Reorder ``keys[:n]`` and ``idx[:n]`` together so the ``k`` largest keys come first.

    Hoare's quickselect with middle pivots (deterministic).
    """
    lo = 0
    hi = n - 1
    while lo < hi:
        pivot = keys[(lo + hi) // 2]
        a = lo
        b = hi
        while a <= b:
            while keys[a] > pivot:
                a += 1
            while keys[b] < pivot:
                b -= 1
            if a <= b:
                keys[a], keys[b] = keys[b], keys[a]
                idx[a], idx[b] = idx[b], idx[a]
                a += 1
                b -= 1
        if k - 1 <= b:
            hi = b
        elif k - 1 >= a:
            lo = a
        else:
            return


@kernel
def distance_indegree_sources(
    j,
    n_pre,
    same,
    k0,
    k1,
    buf,
    fbuf,
    pre_pos,
    post_pos,
    box,
    periodic,
    code,
    width,
    mask,
    k,
    autapses,
    multapses,
):  # pragma: no cover - compiled
    """``k`` sources of target ``j``, each with probability proportional to ``kernel(d)``.

    With ``multapses``: ``k`` independent draws, by walking the cumulative kernel weights
    (``fbuf``) with ``k`` sorted uniform numbers (normalised cumulative sums of ``k + 1``
    exponential variables, counters ``(j, c)``), which yields the sources in ascending order.
    Without: weighted sampling without replacement by the keys ``log(u_i) / w_i`` of
    Efraimidis & Spirakis (2006) (the ``k`` largest, counter ``(j, i)``), which has the law of
    successive draws that reject repeats, as NEST does. Returns the number of sources written,
    ``min(k, candidates)`` without multapses (the caller checks that it is ``k``).
    """
    m = 0
    total = 0.0
    last = -1
    for i in range(n_pre):
        w = 0.0
        if not (same and i == j and not autapses):
            d = pair_distance(pre_pos, post_pos, i, j, box, periodic)
            if d <= mask:
                w = kernel_value(code, width, d)
        if multapses:
            total += w
            fbuf[i] = total
            if w > 0.0:
                last = i
        elif w > 0.0:
            fbuf[m] = math.log(1.0 - uniform(k0, k1, j, i)) / w
            buf[m] = i
            m += 1
    if multapses:
        if total <= 0.0 or k == 0:
            return 0
        # sorted uniforms on [0, total): spacings in buf are overwritten only after use
        e_sum = 0.0
        for c in range(k + 1):
            e_sum -= math.log(1.0 - uniform(k0, k1, j, np.int64(n_pre) + c))
        scale = total / e_sum
        acc = 0.0
        i = 0
        for c in range(k):
            acc -= math.log(1.0 - uniform(k0, k1, j, np.int64(n_pre) + c))
            x = acc * scale
            # stopping at the last source with a non-zero weight guards against x rounding up
            # to the total
            while i < last and fbuf[i] <= x:
                i += 1
            buf[c] = i
        return k
    if m <= k:
        return m
    _select_largest(fbuf, buf, m, k)
    buf[:k].sort()
    return k


# ---------------------------------------------------------------------------------- geometry
@dataclass(frozen=True)
class _Geometry:
    pre_pos: np.ndarray
    post_pos: np.ndarray
    box: np.ndarray
    periodic: bool
    #: lower corner of the periodic box
    lo_box: np.ndarray


def _geometry(pre: Any, post: Any, who: str) -> _Geometry:
    """Positions of both sides and the periodic box, after checking they can be compared."""
    for side, pop in (("source", pre), ("target", post)):
        if getattr(pop, "positions", None) is None:
            raise ConfigurationError(
                f"{who} needs positions, but the {side} population {pop.name!r} has none; "
                "create it with add_population(..., positions=Grid(...)) or "
                "positions=RandomPositions(...)."
            )
    ndim_pre = pre.positions.shape[1]
    ndim_post = post.positions.shape[1]
    if ndim_pre != ndim_post:
        raise ConfigurationError(
            f"{who} needs source and target positions of the same dimension, got "
            f"{ndim_pre}-D positions for {pre.name!r} and {ndim_post}-D for {post.name!r}."
        )
    if pre.periodic != post.periodic:
        raise ConfigurationError(
            f"{who} needs both populations periodic or both not, got periodic={pre.periodic} "
            f"for {pre.name!r} and periodic={post.periodic} for {post.name!r}."
        )
    if pre.periodic and not (
        np.allclose(pre.extent, post.extent) and np.allclose(pre.center, post.center)
    ):
        raise ConfigurationError(
            f"{who} with periodic boundaries needs one box for both populations, got extent "
            f"{pre.extent} centre {pre.center} for {pre.name!r} and extent {post.extent} centre "
            f"{post.center} for {post.name!r}."
        )
    box = np.asarray(pre.extent if pre.periodic else (0.0,) * ndim_pre, dtype=np.float64)
    lo_box = np.zeros(ndim_pre)
    if pre.periodic:
        lo_box = np.asarray(pre.center, dtype=np.float64) - 0.5 * box
    return _Geometry(
        np.ascontiguousarray(pre.positions, dtype=np.float64),
        np.ascontiguousarray(post.positions, dtype=np.float64),
        box,
        bool(pre.periodic),
        lo_box,
    )


def distances(pre: Any, post: Any) -> np.ndarray:
    """Matrix of distances between the neurons of two populations with positions.

    Parameters
    ----------
    pre, post
        Populations or views with positions (same dimension; minimum image when periodic).

    Returns
    -------
    numpy.ndarray
        float64 ``(pre.size, post.size)`` [m].
    """
    g = _geometry(pre, post, "distances")
    diff = np.abs(g.pre_pos[:, None, :] - g.post_pos[None, :, :])
    if g.periodic:
        diff = np.minimum(diff, g.box - diff)
    with np.errstate(over="ignore"):  # beyond float range: infinitely far
        return np.sqrt((diff**2).sum(axis=-1))


@dataclass(frozen=True)
class _Cells:
    order: np.ndarray
    start: np.ndarray
    lo: np.ndarray
    h: np.ndarray
    shape: np.ndarray


def _cells(g: _Geometry, width: float) -> _Cells:
    """Sources sorted into boxes about ``width`` wide.

    The boxes tile the periodic box or, without periodic boundaries, the sources' bounding box.
    """
    pos = g.pre_pos
    n, ndim = pos.shape
    if g.periodic:
        lo = g.lo_box
        side = g.box.copy()
    elif n:
        lo = pos.min(axis=0)
        side = pos.max(axis=0) - lo
    else:
        lo = np.zeros(ndim)
        side = np.zeros(ndim)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ratio = side / width
    # a width far below the extent (or the float range) gives more boxes than can be counted:
    # cap it (the loop below halves the shape down to at most one box per few sources anyway)
    ratio = np.where(np.isfinite(ratio), np.minimum(ratio, 2.0**40), 2.0**40)
    shape = np.maximum(1, np.floor(ratio)).astype(np.int64)
    top = max(1, n // _SOURCES_PER_CELL)
    while int(np.prod(shape)) > top:
        shape = np.maximum(1, shape // 2)
    h = np.where(side > 0, side / shape, 1.0)
    # a source exactly on the upper edge belongs to the last cell
    idx = np.minimum(np.maximum(((pos - lo) / h).astype(np.int64), 0), shape - 1)
    flat = np.ravel_multi_index(idx.T, shape) if n else np.zeros(0, dtype=np.int64)
    order = np.argsort(flat, kind="stable").astype(np.int64)
    start = np.zeros(int(np.prod(shape)) + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat, minlength=int(np.prod(shape))), out=start[1:])
    return _Cells(order, start, np.asarray(lo, dtype=np.float64), h, shape)


def _mask_value(mask_radius: float | None) -> float:
    return math.inf if mask_radius is None else float(mask_radius)


def _sample_targets(n_post: int) -> np.ndarray:
    return np.unique(np.linspace(0, n_post - 1, min(n_post, _ESTIMATE_TARGETS)).astype(np.int64))


def _kernel_sums(
    g: _Geometry,
    kern: Kernel,
    mask: float,
    autapses: bool,
    same: bool,
    region: tuple[np.ndarray, np.ndarray, float] | None = None,
    capped: float | None = None,
) -> float:
    """Mean over sampled targets of ``sum_i kernel(d_ij)`` (inside the mask and ``region``).

    ``capped``: of ``sum_i min(capped * kernel(d_ij), 1)`` instead (the expected number of
    synapses of a target when each pair connects at most once).
    """
    n_pre = g.pre_pos.shape[0]
    n_post = g.post_pos.shape[0]
    if n_pre == 0 or n_post == 0:
        return 0.0
    sums = []
    for j in _sample_targets(n_post):
        diff = np.abs(g.pre_pos - g.post_pos[j])
        if g.periodic:
            diff = np.minimum(diff, g.box - diff)
        # distances beyond float range are infinite: their kernel value is 0, as it should be
        with np.errstate(over="ignore"):
            d = np.sqrt((diff**2).sum(axis=1))
            w = np.where(d <= mask, kern(d), 0.0)
        if region is not None:
            lo, hi, sign = region
            disp = sign * (g.post_pos[j] - g.pre_pos)
            if g.periodic:
                disp = (disp + 0.5 * g.box) % g.box - 0.5 * g.box
            w = np.where(np.all((disp >= lo) & (disp <= hi), axis=1), w, 0.0)
        if same and not autapses:
            w[j] = 0.0
        if capped is not None:
            w = np.minimum(capped * w, 1.0)
        sums.append(w.sum())
    return float(np.mean(sums))


# ------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class DistanceDependent(ConnectionRule):
    """Each ordered pair at distance ``d`` connects with probability ``p_max * kernel(d)``.

    NEST's ``pairwise_bernoulli`` with a spatial ``p`` and a spherical, rectangular or box
    ``mask``. Both populations need positions (see :class:`Grid`, :class:`RandomPositions`).

    Parameters
    ----------
    kernel
        :class:`GaussianKernel`, :class:`ExponentialKernel` or :class:`StepKernel` (distance in m).
    p_max
        Probability at distance 0, >= 0. Above 1 the probability is ``min(1, p_max *
        kernel(d))``: pairs where the product exceeds 1 connect surely (Brian2's
        ``p="1.5 * exp(...)"``; NEST refuses such probabilities). With ``multapses`` it is the
        mean number of synapses at distance 0 and is not capped.
    mask_radius
        No synapse between neurons farther apart than this [m], > 0; default no mask.
    mask
        A :class:`~snn.synapses.BoxMask` (NEST's rectangular or box mask, with its anchor and
        ``use_on_source``): only pairs whose displacement lies in it; default none.
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    multapses
        Draw a Poisson number of synapses with mean ``p_max * kernel(d)`` per pair (NEST's
        ``pairwise_poisson``) instead of at most one. The number per target is bounded by its
        scratch length ``M + 12 sqrt(M) + 40`` with ``M = p_max * n_pre``, an upper bound of the
        mean that the Poisson count exceeds with probability below 1e-30.
    """

    kernel: Kernel
    _: KW_ONLY
    p_max: float = 1.0
    mask_radius: float | None = None
    mask: BoxMask | None = None
    autapses: bool = True
    multapses: bool = False

    def __post_init__(self) -> None:
        _require_kernel(self.kernel)
        require_nonnegative("p_max", self.p_max)
        if self.mask_radius is not None:
            require_positive("mask_radius", self.mask_radius, "m")
        if self.mask is not None and not isinstance(self.mask, BoxMask):
            raise ConfigurationError(
                f"`mask` must be a BoxMask (for a circle or sphere give `mask_radius`), got "
                f"{type(self.mask).__name__}."
            )

    def generator(self) -> Callable[..., Any]:
        return distance_sources

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        g = _geometry(pre, post, "DistanceDependent")
        mask = _mask_value(self.mask_radius)
        ndim = g.pre_pos.shape[1]
        region = None if self.mask is None else self.mask.bounds(ndim)
        if self.mask is not None:
            mask = min(mask, self.mask.reach())  # no pair of the region lies farther
        code, width = self.kernel.code()
        if self.multapses:
            mean_in = self.p_max * _kernel_sums(g, self.kernel, mask, self.autapses, same, region)
            bound = self.p_max * pre.size
            buffer = math.ceil(bound + 12.0 * math.sqrt(bound) + 40.0)
        else:
            mean_in = _kernel_sums(
                g, self.kernel, mask, self.autapses, same, region, capped=self.p_max
            )
            buffer = pre.size
        params = (
            g.pre_pos,
            g.post_pos,
            g.box,
            g.periodic,
            code,
            width,
            float(self.p_max),
            mask,
            bool(self.autapses),
            bool(self.multapses),
            region is not None,
            *(region or (np.zeros(ndim), np.zeros(ndim), 1.0)),
        )
        cells = _cells(g, _CELL_WIDTHS * min(width, mask))
        params += (cells.order, cells.start, cells.lo, cells.h, cells.shape)
        return RuleArgs(params, max(1, buffer), mean_in * post.size)


@dataclass(frozen=True)
class DistanceFixedIndegree(ConnectionRule):
    """Every target gets ``indegree`` sources drawn with probability proportional to a kernel.

    NEST's ``fixed_indegree`` with a spatial ``p`` and a spherical ``mask``: each source is
    chosen with probability ``kernel(d) / sum_i kernel(d_i)`` over the candidates inside the
    mask. Without multapses the sources of a target are distinct (weighted sampling without
    replacement), and there must be at least ``indegree`` candidates with a non-zero kernel.

    Parameters
    ----------
    kernel
        :class:`GaussianKernel`, :class:`ExponentialKernel` or :class:`StepKernel` (distance in m).
    indegree
        Synapses per target.
    mask_radius
        Candidates only within this distance [m], > 0; default all sources.
    autapses
        Allow a neuron to connect to itself when ``pre is post``.
    multapses
        Allow a source to be drawn more than once for a target (NEST's default).
    """

    kernel: Kernel
    _: KW_ONLY
    indegree: int
    mask_radius: float | None = None
    autapses: bool = True
    multapses: bool = True

    def __post_init__(self) -> None:
        _require_kernel(self.kernel)
        require_int("indegree", self.indegree, minimum=0)
        if self.mask_radius is not None:
            require_positive("mask_radius", self.mask_radius, "m")

    def generator(self) -> Callable[..., Any]:
        return distance_indegree_sources

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        g = _geometry(pre, post, "DistanceFixedIndegree")
        mask = _mask_value(self.mask_radius)
        k = int(self.indegree)
        if not self.multapses:
            fewest = _fewest_candidates(g, self.kernel, mask, self.autapses, same)
            if fewest < k:
                raise ConfigurationError(
                    f"DistanceFixedIndegree(indegree={k}) without multapses needs at least {k} "
                    f"candidate sources per target, but a target has only {fewest} within the "
                    "mask (with a non-zero kernel). Widen the mask or allow multapses."
                )
        elif k > 0 and _fewest_candidates(g, self.kernel, mask, self.autapses, same) == 0:
            raise ConfigurationError(
                "DistanceFixedIndegree: a target has no candidate source within the mask."
            )
        code, width = self.kernel.code()
        params = (g.pre_pos, g.post_pos, g.box, g.periodic, code, width, mask, k)
        params += (bool(self.autapses), bool(self.multapses))
        return RuleArgs(params, max(1, pre.size, k + 1), float(k) * post.size)


@kernel
def _candidate_counts(
    pre_pos, post_pos, box, periodic, code, width, mask, skip_self, out
):  # pragma: no cover
    """``out[j]`` = sources of target ``j`` with a non-zero kernel inside the mask."""
    for j in range(post_pos.shape[0]):
        c = 0
        for i in range(pre_pos.shape[0]):
            if skip_self and i == j:
                continue
            d = pair_distance(pre_pos, post_pos, i, j, box, periodic)
            if d <= mask and kernel_value(code, width, d) > 0.0:
                c += 1
        out[j] = c


def _fewest_candidates(g: _Geometry, kern: Kernel, mask: float, autapses: bool, same: bool) -> int:
    n_post = g.post_pos.shape[0]
    if n_post == 0:
        return 0
    code, width = kern.code()
    out = np.empty(n_post, dtype=np.int64)
    _candidate_counts(
        g.pre_pos, g.post_pos, g.box, g.periodic, code, width, mask, same and not autapses, out
    )
    return int(out.min())


# ------------------------------------------------------------------------------------- delays
@kernel
def distance_delay(i, j, pre_pos, post_pos, box, periodic, base, inv_velocity):  # pragma: no cover
    """Delay [s] ``base + d * inv_velocity`` of the synapse from source ``i`` to target ``j``."""
    return base + pair_distance(pre_pos, post_pos, i, j, box, periodic) * inv_velocity


@dataclass(frozen=True, kw_only=True)
class DistanceDelay(PairLaw):
    """Delay ``base + d / velocity`` for a synapse between neurons at distance ``d``.

    NEST's ``delay = d0 + d / v`` (``nest.spatial.distance``). Given as ``delay=`` to
    :meth:`~snn.core.Network.connect`; computed synapse by synapse while the projection is built,
    then rounded to the nearest whole step like every delay (no rounding warning: distances
    rarely fall on the time grid). Stored as one 16-bit number of steps per synapse.

    Parameters
    ----------
    base
        Delay at distance 0 [s]; must round to at least one time step.
    velocity
        Conduction velocity [m/s], > 0 (``math.inf`` for no distance dependence).
    """

    base: float
    velocity: float

    def __post_init__(self) -> None:
        require_finite("base", self.base, "s")
        if not (self.velocity > 0.0):
            raise ConfigurationError(
                f"`velocity` must be > 0 m/s (or math.inf), got {self.velocity!r}."
            )

    def function(self) -> Callable[..., Any]:
        return distance_delay

    def bind(self, pre: Any, post: Any, *, what: str, dt: float) -> BoundLaw:
        if what != "delay":
            raise ConfigurationError(f"DistanceDelay gives delays, but was passed as `{what}`.")
        if nearest_steps(self.base / dt) < 1:
            raise ConfigurationError(
                f"DistanceDelay `base` must be at least one time step ({dt} s), got "
                f"{self.base!r} s."
            )
        g = _geometry(pre, post, "DistanceDelay")
        inv_v = 0.0 if math.isinf(self.velocity) else 1.0 / float(self.velocity)
        args = (g.pre_pos, g.post_pos, g.box, g.periodic, float(self.base), inv_v)
        return BoundLaw(distance_delay, args)
