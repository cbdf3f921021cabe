"""Connectivity plots: degree distributions, connection probability against distance, diagram.

The diagram shows populations and projections with sizes, synapse counts, weights and delays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch

from snn.core import Network, Population, Projection
from snn.core.errors import ConfigurationError
from snn.viz._axes import colour, new_axes, note, si_scale
from snn.viz._weights import projection_unit

__all__ = ["connection_probability_vs_distance", "degree_histogram", "network_diagram"]


def _degree_sets(projections: Any, kind: str) -> list[tuple[str, np.ndarray]]:
    if isinstance(projections, Projection):
        items: list[tuple[str, Any]] = [(projections.name, projections)]
    elif isinstance(projections, Mapping):
        items = [(str(k), v) for k, v in projections.items()]
    elif isinstance(projections, np.ndarray):
        items = [("degrees", projections)]
    elif isinstance(projections, Sequence):
        items = [
            (q.name if isinstance(q, Projection) else f"set {k}", q)
            for k, q in enumerate(projections)
        ]
    else:
        raise ConfigurationError(
            f"degree_histogram takes projections or arrays of degrees, got "
            f"{type(projections).__name__}."
        )
    out = []
    for label, item in items:
        if isinstance(item, Projection):
            if kind in ("in", "both"):
                out.append((f"{label} in" if kind == "both" else label, item.in_degrees()))
            if kind in ("out", "both"):
                out.append((f"{label} out" if kind == "both" else label, item.out_degrees()))
        else:
            d = np.asarray(item)
            if d.ndim != 1 or (d.size and not np.issubdtype(d.dtype, np.integer)):
                raise ConfigurationError(
                    f"degrees of {label!r} must be a 1-D integer array, got {d.dtype} of shape "
                    f"{d.shape}."
                )
            out.append((label, d.astype(np.int64)))
    return out


def degree_histogram(
    projections: Projection | np.ndarray | Sequence[Any] | Mapping[str, Any],
    *,
    kind: Literal["in", "out", "both"] = "in",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Distribution of in- or out-degrees (synapses per neuron) of projections.

    Parameters
    ----------
    projections
        A :class:`~snn.core.Projection`, an integer array of degrees, a list of either, or a
        dict of label to either.
    kind
        ``"in"`` (synapses onto each postsynaptic neuron), ``"out"`` (leaving each presynaptic
        neuron), or ``"both"`` (projections only).
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A filled step histogram per set with integer-centred bins (neurons per degree); the
        legend gives the mean degree.
    """
    if kind not in ("in", "out", "both"):
        raise ConfigurationError(f"`kind` must be 'in', 'out' or 'both', got {kind!r}.")
    sets = _degree_sets(projections, kind)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel({"in": "in-degree", "out": "out-degree", "both": "degree"}[kind])
    ax.set_ylabel("neurons")
    if title:
        ax.set_title(title)
    values = [d for _, d in sets if d.size]
    if not values:
        note(ax, "no neurons")
        return ax
    lo = min(int(d.min()) for d in values)
    hi = max(int(d.max()) for d in values)
    step = max(1, int(np.ceil((hi - lo + 1) / 80)))
    edges = np.arange(lo, hi + step + 1, step) - 0.5
    for k, (label, d) in enumerate(sets):
        if d.size == 0:
            continue
        counts, _ = np.histogram(d, bins=edges)
        ls = "--" if label.endswith(" out") else "-"
        ax.stairs(counts, edges, color=colour(k), fill=True, alpha=0.3)
        ax.stairs(counts, edges, color=colour(k), ls=ls, label=f"{label}: mean {d.mean():.3g}")
    ax.legend(frameon=False, fontsize="small")
    return ax


def connection_probability_vs_distance(
    distances: np.ndarray,
    connected: np.ndarray,
    *,
    ax: Axes | None = None,
    bins: int | Sequence[float] = 20,
    profile: Callable[[np.ndarray], np.ndarray] | None = None,
    unit: str = "m",
    title: str | None = None,
) -> Axes:
    """Fraction of connected pairs as a function of their distance (spatial networks).

    Parameters
    ----------
    distances
        Distance of every candidate pair [``unit``], any shape (e.g. a ``(n_pre, n_post)``
        matrix).
    connected
        Boolean array of the same shape: whether the pair is connected.
    ax
        Axes to draw into; a new figure is made when omitted.
    bins
        Number of distance bins or bin edges [``unit``].
    profile
        The expected probability ``p(d)`` (a vectorised function of distance [``unit``]),
        drawn for comparison.
    unit
        SI unit of the distances ("m", or "" for grid units).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        Points with binomial standard errors at the bin centres (the first line holds the
        probabilities; bins without pairs are NaN), and the profile as a dashed line.
    """
    d = np.asarray(distances, dtype=np.float64)
    c = np.asarray(connected)
    if d.shape != c.shape:
        raise ConfigurationError(
            f"`distances` and `connected` must have one shape (one entry per pair), got "
            f"{d.shape} and {c.shape}."
        )
    if c.dtype != np.bool_:
        if c.size and not np.isin(c, (0, 1)).all():
            raise ConfigurationError("`connected` must be boolean (or 0/1) per pair.")
        c = c.astype(bool)
    d, c = d.ravel(), c.ravel()
    if d.size and not np.isfinite(d).all():
        raise ConfigurationError("`distances` contain NaN or inf.")
    ax = new_axes(ax, (5, 3.5))
    factor, shown = si_scale(d, unit)
    ax.set_xlabel(f"distance [{shown}]" if shown else "distance")
    ax.set_ylabel("connection probability")
    if title:
        ax.set_title(title)
    if d.size == 0:
        note(ax, "no pairs")
        return ax
    if isinstance(bins, int):
        if bins < 1:
            raise ConfigurationError(f"`bins` must be >= 1, got {bins}.")
        edges = np.linspace(0.0, max(float(d.max()), 1e-300), bins + 1)
    else:
        edges = np.asarray(bins, dtype=np.float64)
    pairs, _ = np.histogram(d, bins=edges)
    links, _ = np.histogram(d[c], bins=edges)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = links / pairs
        err = np.sqrt(p * (1 - p) / pairs)
    centres = 0.5 * (edges[1:] + edges[:-1])
    ax.errorbar(centres * factor, p, yerr=err, fmt="o-", color="C0", ms=3, label="measured")
    if profile is not None:
        x = np.linspace(edges[0], edges[-1], 200)
        ax.plot(
            x * factor, np.asarray(profile(x), dtype=np.float64), "--", color="C1", label="expected"
        )
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize="small")
    return ax


def _si_text(value: float, unit: str) -> str:
    factor, shown = si_scale(value, unit)
    return f"{value * factor:.3g} {shown}".strip()


def network_diagram(
    network: Network | Sequence[Projection],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Diagram of populations (circles, area growing with size) and projections (arrows).

    Each population is labelled with its name, size and model; each projection with its
    synapse count, mean weight (in its receptor's unit) and delay range. Projections from or
    onto views (``pop[a:b]``) are drawn between the underlying populations and name the view.

    Parameters
    ----------
    network
        A :class:`~snn.core.Network`, or a list of :class:`~snn.core.Projection` (populations
        are taken from them).
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        One :class:`~matplotlib.patches.Circle` per population (gid ``"pop:<name>"``) and one
        :class:`~matplotlib.patches.FancyArrowPatch` per projection (gid ``"proj:<name>"``),
        with text labels.
    """
    if isinstance(network, Network):
        pops: list[Population] = list(network.populations)
        projs: list[Projection] = list(network.projections)
    elif isinstance(network, Sequence) and all(isinstance(q, Projection) for q in network):
        projs = list(network)
        pops = []
        for q in projs:
            for p in (q.pre.population, q.post.population):
                if all(p is not x for x in pops):
                    pops.append(p)
    else:
        raise ConfigurationError(
            f"network_diagram takes a Network or a list of Projections, got "
            f"{type(network).__name__}."
        )
    n = len(pops)
    # nodes on a circle starting at the left: with two populations they sit side by side, so the
    # (wide) projection labels stack vertically instead of colliding
    angle = np.pi - 2 * np.pi * np.arange(n) / n
    centres = np.column_stack([np.cos(angle), np.sin(angle)]) * (0.0 if n == 1 else 1.0)
    centres[np.abs(centres) < 1e-12] = 0.0
    biggest = max((p.size for p in pops), default=1) or 1
    radius = [0.12 + 0.16 * np.sqrt(p.size / biggest) for p in pops]
    if ax is None:
        tall = float(np.ptp(centres[:, 1])) if n else 0.0
        ax = new_axes(None, (8.0, min(8.0, 3.2 + 2.4 * tall)))
    else:
        ax = new_axes(ax)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if not pops:
        note(ax, "no populations")
        return ax
    index = {id(p): k for k, p in enumerate(pops)}
    for k, p in enumerate(pops):
        ax.add_patch(
            Circle(
                centres[k],
                radius[k],
                facecolor=colour(k),
                alpha=0.35,
                edgecolor=colour(k),
                lw=2,
                gid=f"pop:{p.name}",
            )
        )
        ax.text(
            *centres[k],
            f"{p.name}\n{p.size:,}\n{type(p.model).__name__}",
            ha="center",
            va="center",
            fontsize="small",
            fontweight="bold",
        )
    seen: dict[tuple[int, int], int] = {}
    extent = [
        max(abs(c[0]) + r for c, r in zip(centres, radius, strict=True)),
        max(abs(c[1]) + r for c, r in zip(centres, radius, strict=True)),
    ]
    for q in projs:
        a, b = index[id(q.pre.population)], index[id(q.post.population)]
        k = seen.get((a, b), 0)
        seen[(a, b)] = k + 1
        style = {"arrowstyle": "-|>", "mutation_scale": 14, "color": colour(a), "lw": 1.5}
        if a == b:
            # a self-loop on the outer side of the node: a strongly bent arc between two
            # points of the circle
            out = centres[a] / np.linalg.norm(centres[a]) if n > 1 else np.array([0.0, 1.0])
            side = np.array([-out[1], out[0]])
            r = radius[a]
            spread = 0.6
            pa = centres[a] + r * (out * np.cos(spread) + side * np.sin(spread))
            pb = centres[a] + r * (out * np.cos(spread) - side * np.sin(spread))
            rad = -(2.0 + 0.8 * k)
            arrow = FancyArrowPatch(
                pa, pb, connectionstyle=f"arc3,rad={rad}", gid=f"proj:{q.name}", **style
            )
            dx, dy = pb - pa
            tip = 0.5 * (pa + pb) + 0.5 * rad * np.array([dy, -dx])
            text_at = tip + out * 0.06
            ha = "right" if out[0] < -0.3 else "left" if out[0] > 0.3 else "center"
            va = "top" if out[1] < -0.3 else "bottom" if out[1] > 0.3 else "center"
        else:
            direction = centres[b] - centres[a]
            unit_dir = direction / np.linalg.norm(direction)
            pa = centres[a] + unit_dir * radius[a]
            pb = centres[b] - unit_dir * radius[b]
            rad = 0.3 + 0.2 * k
            arrow = FancyArrowPatch(
                pa, pb, connectionstyle=f"arc3,rad={rad}", gid=f"proj:{q.name}", **style
            )
            dx, dy = pb - pa
            text_at = 0.5 * (pa + pb) + 0.5 * rad * np.array([dy, -dx])
            ha, va = "center", "center"
        ax.add_patch(arrow)
        ax.text(
            *text_at,
            _projection_label(q),
            ha=ha,
            va=va,
            fontsize="x-small",
            color=colour(a),
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        extent = [max(extent[0], abs(text_at[0])), max(extent[1], abs(text_at[1]))]
    span_x = extent[0] + 0.9
    span_y = extent[1] + 0.25
    ax.set_xlim(-span_x, span_x)
    ax.set_ylim(-span_y, span_y)
    return ax


def _projection_label(q: Projection) -> str:
    unit = projection_unit(q)
    name = q.name
    if q.pre is not q.pre.population or q.post is not q.post.population:
        name += f" ({q.pre.name} → {q.post.name})"
    if q.n_synapses == 0:
        return f"{name}\n0 synapses"
    w = q.weights()
    d = q.delays()
    delay = _si_text(float(d.min()), "s")
    if d.max() > d.min():
        delay = f"{_si_text(float(d.min()), 's')}-{_si_text(float(d.max()), 's')}"
    return f"{name}\n{q.n_synapses:,} syn, mean w {_si_text(float(w.mean()), unit)}\ndelay {delay}"
