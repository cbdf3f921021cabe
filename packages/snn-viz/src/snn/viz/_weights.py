"""Synaptic weights: matrix, distribution, evolution over time, receptive fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize, TwoSlopeNorm

from snn.core import Projection
from snn.core.errors import ConfigurationError
from snn.viz._axes import colour, new_axes, note, si_scale, unit_label

__all__ = [
    "projection_unit",
    "receptive_fields",
    "weight_evolution",
    "weight_histogram",
    "weight_matrix",
]


def projection_unit(projection: Projection) -> str:
    """SI unit of a projection's weights (the unit of its receptor; "" if unknown)."""
    model = projection.post.population.model
    for r in getattr(model, "receptors", ()):
        if r.name == projection.receptor:
            return r.unit
    return ""


def _norm(values: np.ndarray) -> tuple[Normalize, str]:
    """A colour norm and colormap: diverging around 0 for mixed signs, sequential otherwise."""
    finite = values[np.isfinite(values)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if lo < 0 < hi:
        return TwoSlopeNorm(vcenter=0.0, vmin=lo, vmax=hi), "RdBu_r"
    if hi == lo:
        hi = lo + (abs(lo) if lo else 1.0) * 1e-6
    return Normalize(vmin=lo, vmax=hi), "viridis" if lo >= 0 else "viridis_r"


def _dense(
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    n_pre: int,
    n_post: int,
    empty: float,
) -> np.ndarray:
    """Dense ``(n_pre, n_post)`` matrix; multapses summed; pairs without a synapse get ``empty``."""
    keep = (sources < n_pre) & (targets < n_post)
    flat = sources[keep] * n_post + targets[keep]
    total = np.bincount(flat, weights=weights[keep], minlength=n_pre * n_post)
    if np.isnan(empty):
        present = np.bincount(flat, minlength=n_pre * n_post) > 0
        total = np.where(present, total, np.nan)
    return total.reshape(n_pre, n_post)


def _synapses(
    weights: Any,
    sources: Any,
    targets: Any,
    n_pre: int | None,
    n_post: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    if isinstance(weights, Projection):
        q = weights
        return (
            q.sources() - q.pre.start,
            q.targets() - q.post.start,
            q.weights(),
            q.pre.size,
            q.post.size,
        )
    w = np.asarray(weights, dtype=np.float64)
    if sources is None or targets is None:
        raise ConfigurationError(
            "with a 1-D array of weights give `sources` and `targets` too (one per synapse)."
        )
    s = np.asarray(sources, dtype=np.int64)
    t = np.asarray(targets, dtype=np.int64)
    if not (w.shape == s.shape == t.shape) or w.ndim != 1:
        raise ConfigurationError(
            f"weights, sources and targets must be 1-D of one length, got shapes {w.shape}, "
            f"{s.shape} and {t.shape}."
        )
    if s.size and (s.min() < 0 or t.min() < 0):
        raise ConfigurationError("`sources` and `targets` must be indices >= 0.")
    n_pre = int(s.max(initial=-1)) + 1 if n_pre is None else int(n_pre)
    n_post = int(t.max(initial=-1)) + 1 if n_post is None else int(n_post)
    if (s.size and int(s.max()) >= n_pre) or (t.size and int(t.max()) >= n_post):
        raise ConfigurationError(
            f"indices exceed the sizes given: n_pre = {n_pre}, n_post = {n_post}."
        )
    return s, t, w, n_pre, n_post


def weight_matrix(
    weights: Projection | np.ndarray,
    *,
    ax: Axes | None = None,
    sources: np.ndarray | None = None,
    targets: np.ndarray | None = None,
    n_pre: int | None = None,
    n_post: int | None = None,
    max_neurons: int = 500,
    unit: str | None = None,
    colorbar: bool = True,
    title: str | None = None,
) -> Axes:
    """Weight matrix as an image: presynaptic neuron (rows) against postsynaptic neuron.

    Meant for small projections: beyond ``max_neurons`` on a side only the first
    ``max_neurons`` are shown (noted in the title). Pairs without a synapse are blank; several
    synapses between one pair are summed. Mixed signs use a diverging map centred on 0.

    Parameters
    ----------
    weights
        A :class:`~snn.core.Projection`; a 2-D array ``(n_pre, n_post)`` (NaN: no synapse); or
        a 1-D array of synapse weights with ``sources`` and ``targets``.
    ax
        Axes to draw into; a new figure is made when omitted.
    sources, targets
        Pre- and postsynaptic index of each synapse (with 1-D ``weights``).
    n_pre, n_post
        Sizes of the pre and post groups (with 1-D ``weights``; default from the indices).
    max_neurons
        Largest side shown.
    unit
        SI unit of the weights (default: the projection's receptor unit, else none).
    colorbar
        Draw a colour bar.
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; its image holds the matrix (in the prefixed unit of the colour bar label),
        NaN where there is no synapse.
    """
    if isinstance(weights, Projection) or np.ndim(weights) == 1:
        unit = (
            projection_unit(weights) if unit is None and isinstance(weights, Projection) else unit
        )
        s, t, w, n_pre_, n_post_ = _synapses(weights, sources, targets, n_pre, n_post)
        rows, cols = min(n_pre_, max_neurons), min(n_post_, max_neurons)
        mat = _dense(s, t, w, rows, cols, np.nan)
    else:
        full = np.asarray(weights, dtype=np.float64)
        if full.ndim != 2:
            raise ConfigurationError(
                f"`weights` must be a Projection, a 2-D matrix or a 1-D array, got shape "
                f"{full.shape}."
            )
        n_pre_, n_post_ = full.shape
        mat = full[:max_neurons, :max_neurons]
    unit = unit or ""
    ax = new_axes(ax, (5.5, 4.5))
    ax.set_xlabel("postsynaptic neuron")
    ax.set_ylabel("presynaptic neuron")
    cut = n_pre_ > mat.shape[0] or n_post_ > mat.shape[1]
    label = title or ""
    if cut:
        label += ("\n" if label else "") + (
            f"first {mat.shape[0]} x {mat.shape[1]} of {n_pre_:,} x {n_post_:,}"
        )
    if label:
        ax.set_title(label, fontsize="medium")
    if mat.size == 0 or not np.isfinite(mat).any():
        note(ax, "no synapses")
        return ax
    factor, shown = si_scale(mat, unit)
    norm, cmap = _norm(mat * factor)
    im = ax.imshow(
        mat * factor,
        origin="upper",
        aspect="auto",
        interpolation="nearest",
        cmap=cmap,
        norm=norm,
        extent=(-0.5, mat.shape[1] - 0.5, mat.shape[0] - 0.5, -0.5),
    )
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label=unit_label("weight", shown))
    return ax


def _weight_sets(weights: Any, unit: str | None) -> tuple[list[tuple[str, np.ndarray]], str]:
    if isinstance(weights, Projection):
        return [(weights.name, weights.weights())], unit or projection_unit(weights)
    if isinstance(weights, Mapping):
        items = list(weights.items())
    elif isinstance(weights, list | tuple) and any(
        isinstance(q, Projection) or np.ndim(q) == 1 for q in weights
    ):
        items = [
            (q.name if isinstance(q, Projection) else f"set {k}", q) for k, q in enumerate(weights)
        ]
    else:
        arr = np.asarray(weights, dtype=np.float64)
        return [("weights", arr.ravel())], unit or ""
    out = []
    units = set()
    for label, item in items:
        if isinstance(item, Projection):
            out.append((str(label), item.weights()))
            units.add(projection_unit(item))
        else:
            out.append((str(label), np.asarray(item, dtype=np.float64).ravel()))
    if unit is None:
        unit = units.pop() if len(units) == 1 else ""
    return out, unit


def weight_histogram(
    weights: Projection | np.ndarray | Sequence[Projection] | Mapping[str, Any],
    *,
    ax: Axes | None = None,
    bins: int = 50,
    unit: str | None = None,
    log: bool = False,
    title: str | None = None,
) -> Axes:
    """Distribution of synaptic weights, one histogram per projection or array.

    Parameters
    ----------
    weights
        A :class:`~snn.core.Projection`, an array of weights, a list of projections, or a dict
        of label to projection or array.
    ax
        Axes to draw into; a new figure is made when omitted.
    bins
        Number of bins (shared by all sets).
    unit
        SI unit of the weights (default: the receptor unit of the projections, if they share
        one).
    log
        Logarithmic count axis.
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A filled step histogram per set (synapses per bin), x in the prefixed unit of the label.
    """
    sets, unit = _weight_sets(weights, unit)
    if int(bins) < 1:
        raise ConfigurationError(f"`bins` must be >= 1, got {bins}.")
    every = np.concatenate([w for _, w in sets]) if sets else np.zeros(0)
    if every.size and not np.isfinite(every).all():
        raise ConfigurationError("weights contain NaN or inf.")
    factor, shown = si_scale(every, unit)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel(unit_label("weight", shown))
    ax.set_ylabel("synapses")
    if title:
        ax.set_title(title)
    if every.size == 0:
        note(ax, "no synapses")
        return ax
    lo, hi = float(every.min()), float(every.max())
    if hi <= lo:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    edges = np.linspace(lo, hi, int(bins) + 1) * factor
    for k, (label, w) in enumerate(sets):
        if w.size == 0:
            continue
        counts, _ = np.histogram(w * factor, bins=edges)
        ax.stairs(counts, edges, color=colour(k), fill=True, alpha=0.35)
        ax.stairs(counts, edges, color=colour(k), lw=1.2, label=f"{label}: {w.size:,}")
    if log:
        ax.set_yscale("log")
    ax.legend(frameon=False, fontsize="small")
    return ax


def weight_evolution(
    times: np.ndarray,
    weights: np.ndarray,
    *,
    ax: Axes | None = None,
    max_lines: int = 10,
    percentiles: tuple[float, float] | None = (5.0, 95.0),
    unit: str = "",
    title: str | None = None,
) -> Axes:
    """Weights over time (from a weight monitor or any sampled weights).

    Draws the mean weight (bold), a band between two percentiles across synapses, and a few
    individual synapses (thin lines, evenly spread over the synapses).

    Parameters
    ----------
    times
        Sample times [s], shape ``(n_samples,)``.
    weights
        Weights [``unit``], shape ``(n_samples, n_synapses)`` (or ``(n_samples,)`` for one).
    ax
        Axes to draw into; a new figure is made when omitted.
    max_lines
        Most individual synapses drawn.
    percentiles
        Lower and upper percentile of the band [%], or None for no band.
    unit
        SI unit of the weights ("V", "A", "S", or "" for dimensionless).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        Lines: the individual synapses (gid ``"snn-synapse"``), then the mean (label
        ``"mean"``); the band is a filled polygon.
    """
    t = np.asarray(times, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 1:
        w = w[:, None]
    if t.ndim != 1 or w.ndim != 2 or w.shape[0] != t.shape[0]:
        raise ConfigurationError(
            f"`weights` must have shape (n_samples, n_synapses) with n_samples = len(times) = "
            f"{t.shape[0] if t.ndim == 1 else t.shape}, got {w.shape}."
        )
    factor, shown = si_scale(w, unit)
    ax = new_axes(ax, (7, 3.5))
    ax.set_xlabel("time [s]")
    ax.set_ylabel(unit_label("weight", shown))
    if title:
        ax.set_title(title)
    if t.size == 0 or w.shape[1] == 0:
        note(ax, "no weight samples")
        return ax
    w = w * factor
    if percentiles is not None and w.shape[1] > 1:
        low, high = np.percentile(w, percentiles, axis=1)
        ax.fill_between(
            t,
            low,
            high,
            color="C0",
            alpha=0.2,
            lw=0,
            label=f"{percentiles[0]:g}-{percentiles[1]:g} percentile",
        )
    pick = np.unique(np.linspace(0, w.shape[1] - 1, min(max_lines, w.shape[1])).round().astype(int))
    for j in pick:
        ax.plot(t, w[:, j], color="0.5", lw=0.6, alpha=0.8, gid="snn-synapse")
    ax.plot(t, w.mean(axis=1), color="C0", lw=2, label="mean")
    ax.set_xlim(float(t[0]), float(t[-1]) if t[-1] > t[0] else float(t[0]) + 1e-3)
    ax.legend(frameon=False, fontsize="small")
    return ax


def receptive_fields(
    weights: Projection | np.ndarray,
    shape: tuple[int, int],
    *,
    ax: Axes | None = None,
    n_cols: int | None = None,
    max_fields: int = 64,
    unit: str | None = None,
    colorbar: bool = True,
    title: str | None = None,
) -> Axes:
    """Receptive fields as a grid of images, one per postsynaptic neuron, on one colour scale.

    Parameters
    ----------
    weights
        A 2-D array ``(n_fields, n_pixels)`` (one row per postsynaptic neuron), or a
        :class:`~snn.core.Projection` from an input layer of ``n_pixels`` neurons (pairs
        without a synapse count as 0).
    shape
        ``(height, width)`` of one field in pixels; ``height * width`` must equal ``n_pixels``
        (pixels in row-major order).
    ax
        Axes to draw into; a new figure is made when omitted.
    n_cols
        Fields per row of the grid (default: about square).
    max_fields
        Most fields shown (the first ones).
    unit
        SI unit of the weights (default: the projection's receptor unit).
    colorbar
        Draw a colour bar.
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        One image holding the mosaic (fields separated by one NaN pixel) in the prefixed unit of
        the colour bar label.
    """
    if isinstance(weights, Projection):
        unit = projection_unit(weights) if unit is None else unit
        s, t, w, n_pre, n_post = _synapses(weights, None, None, None, None)
        fields = _dense(s, t, w, n_pre, min(n_post, max_fields), 0.0).T
    else:
        fields = np.asarray(weights, dtype=np.float64)
        if fields.ndim != 2:
            raise ConfigurationError(
                f"`weights` must be (n_fields, n_pixels) or a Projection, got shape {fields.shape}."
            )
    h, w_ = (int(x) for x in shape)
    if h < 1 or w_ < 1 or h * w_ != fields.shape[1]:
        raise ConfigurationError(
            f"`shape` {tuple(shape)} has {h * w_} pixels but each field has {fields.shape[1]}."
        )
    fields = fields[:max_fields]
    n = fields.shape[0]
    ax = new_axes(ax, (6, 6))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    if n == 0:
        note(ax, "no receptive fields")
        return ax
    cols = int(n_cols) if n_cols else int(np.ceil(np.sqrt(n)))
    if cols < 1:
        raise ConfigurationError(f"`n_cols` must be >= 1, got {n_cols}.")
    rows = -(-n // cols)
    mosaic = np.full((rows * (h + 1) - 1, cols * (w_ + 1) - 1), np.nan)
    for k in range(n):
        r, c = divmod(k, cols)
        mosaic[r * (h + 1) : r * (h + 1) + h, c * (w_ + 1) : c * (w_ + 1) + w_] = fields[k].reshape(
            h, w_
        )
    factor, shown = si_scale(fields, unit or "")
    norm, cmap = _norm(mosaic * factor)
    im = ax.imshow(mosaic * factor, cmap=cmap, norm=norm, interpolation="nearest")
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label=unit_label("weight", shown), shrink=0.8)
    return ax
