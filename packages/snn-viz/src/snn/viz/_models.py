"""Plots of single-neuron and plasticity models: f-I curve, STDP window, phase plane."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from snn.core.errors import ConfigurationError
from snn.viz._axes import colour, new_axes, note, si_scale, unit_label

__all__ = ["fi_curve", "phase_plane", "stdp_window"]


def fi_curve(
    currents: np.ndarray | Sequence[float],
    rates: np.ndarray | Sequence[float],
    *,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    unit: str = "A",
    title: str | None = None,
) -> Axes:
    """Firing rate against input current (f-I curve), one line per model or parameter set.

    Parameters
    ----------
    currents
        Input currents [``unit``], shape ``(n,)``.
    rates
        Firing rates [Hz], shape ``(n,)`` or ``(n_curves, n)``.
    ax
        Axes to draw into; a new figure is made when omitted.
    labels
        One label per curve.
    unit
        SI unit of the x values (``"A"``; ``"V"`` for a voltage drive, ``"Hz"`` for an input
        rate).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        One line with markers per curve: x the input in the prefixed unit of the label, y the
        rate [Hz].
    """
    i = np.asarray(currents, dtype=np.float64)
    r = np.asarray(rates, dtype=np.float64)
    if r.ndim == 1:
        r = r[None, :]
    if i.ndim != 1 or r.ndim != 2 or r.shape[1] != i.shape[0]:
        raise ConfigurationError(
            f"`rates` must have shape (n,) or (n_curves, n) with n = len(currents) = "
            f"{i.shape[0] if i.ndim == 1 else i.shape}, got {np.shape(rates)}."
        )
    if labels is not None and len(labels) != r.shape[0]:
        raise ConfigurationError(f"{len(labels)} labels for {r.shape[0]} curves.")
    factor, shown = si_scale(i, unit)
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel(unit_label("input", shown))
    ax.set_ylabel("rate [Hz]")
    if title:
        ax.set_title(title)
    if i.size == 0:
        note(ax, "no data")
        return ax
    order = np.argsort(i, kind="stable")
    for k, row in enumerate(r):
        ax.plot(
            i[order] * factor,
            row[order],
            "o-" if i.size <= 40 else "-",
            ms=3,
            color=colour(k),
            label=None if labels is None else labels[k],
        )
    if labels is not None:
        ax.legend(frameon=False, fontsize="small", loc="upper left")
    return ax


def stdp_window(
    delta_t: np.ndarray | Sequence[float],
    delta_w: np.ndarray | Sequence[float] | Callable[[np.ndarray], np.ndarray],
    *,
    ax: Axes | None = None,
    unit: str = "",
    title: str | None = None,
) -> Axes:
    """STDP window: weight change against spike-timing difference ``t_post - t_pre``.

    Parameters
    ----------
    delta_t
        Timing differences ``t_post - t_pre`` [s] (positive: pre before post).
    delta_w
        Weight change for each difference [``unit``], or a vectorised function of
        ``delta_t`` [s] giving it.
    ax
        Axes to draw into; a new figure is made when omitted.
    unit
        SI unit of the weight change ("" for relative changes).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        The window as one line (gid ``"snn-window"``, markers when 40 points or fewer), x in ms,
        with the axes through 0 drawn; potentiation is shaded above 0, depression below.
    """
    dt = np.asarray(delta_t, dtype=np.float64).ravel()
    dw = np.asarray(delta_w(dt) if callable(delta_w) else delta_w, dtype=np.float64).ravel()
    if dt.shape != dw.shape:
        raise ConfigurationError(
            f"`delta_t` and `delta_w` differ in length: {dt.shape[0]} and {dw.shape[0]}."
        )
    ax = new_axes(ax, (5, 3.5))
    ax.set_xlabel("t_post - t_pre [ms]")
    factor, shown = si_scale(dw, unit)
    ax.set_ylabel(unit_label("weight change", shown))
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(0, color="0.5", lw=0.8)
    if title:
        ax.set_title(title)
    if dt.size == 0:
        note(ax, "no data")
        return ax
    order = np.argsort(dt, kind="stable")
    x, y = dt[order] * 1e3, dw[order] * factor
    ax.plot(x, y, "o-" if x.size <= 40 else "-", ms=3, color="C0", gid="snn-window")
    ax.fill_between(x, 0, y, where=y > 0, color="C3", alpha=0.2, lw=0, label="potentiation")
    ax.fill_between(x, 0, y, where=y < 0, color="C0", alpha=0.2, lw=0, label="depression")
    ax.legend(frameon=False, fontsize="small", loc="upper left")
    return ax


def _sign_change(z: np.ndarray) -> bool:
    finite = z[np.isfinite(z)]
    return bool(finite.size and finite.min() < 0 < finite.max())


def phase_plane(
    derivatives: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]],
    *,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    ax: Axes | None = None,
    trajectory: np.ndarray | None = None,
    names: tuple[str, str] = ("v", "w"),
    units: tuple[str, str] = ("V", "A"),
    arrows: int = 20,
    resolution: int = 300,
    title: str | None = None,
) -> Axes:
    """Phase plane of a 2-D model: flow arrows, nullclines and an optional trajectory.

    For AdEx (Brette & Gerstner 2005) the state is ``(v [V], w [A])`` with
    ``dv/dt = (-g_L (v - E_L) + g_L Δ_T exp((v - V_T) / Δ_T) - w + I) / C`` and
    ``dw/dt = (a (v - E_L) - w) / τ_w``; for Izhikevich (2003), ``(v, u)``. Nullclines are the
    zero contours of each derivative on a ``resolution`` x ``resolution`` grid, so any model
    works, analytic nullclines or not.

    Parameters
    ----------
    derivatives
        Vectorised ``f(x, y) -> (dx/dt, dy/dt)`` on arrays [unit/s].
    x_range, y_range
        Extent of the plane [``units``].
    ax
        Axes to draw into; a new figure is made when omitted.
    trajectory
        A simulated path, shape ``(n, 2)`` [``units``]; its start is marked.
    names
        Names of the two variables.
    units
        SI units of the two variables.
    arrows
        Arrows per side of the flow field.
    resolution
        Grid points per side for the nullclines.
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        A quiver of unit-length flow directions (coloured by log speed), the x-nullcline
        (``dx/dt = 0``, contour set with gid ``"snn-x-nullcline"``), the y-nullcline (gid
        ``"snn-y-nullcline"``) and the trajectory, all in the prefixed units of the labels.
    """
    x0, x1 = (float(v) for v in x_range)
    y0, y1 = (float(v) for v in y_range)
    if not (x1 > x0 and y1 > y0):
        raise ConfigurationError(
            f"`x_range` and `y_range` must be (low, high) with low < high, got {x_range} and "
            f"{y_range}."
        )
    if not callable(derivatives):
        raise ConfigurationError("`derivatives` must be a function f(x, y) -> (dx/dt, dy/dt).")
    fx, ux = si_scale([x0, x1], units[0])
    fy, uy = si_scale([y0, y1], units[1])
    ax = new_axes(ax, (5.5, 4.5))
    ax.set_xlabel(unit_label(names[0], ux))
    ax.set_ylabel(unit_label(names[1], uy))
    if title:
        ax.set_title(title)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    with np.errstate(all="ignore"):
        dx, dy = (
            np.broadcast_to(np.asarray(d, dtype=np.float64), gx.shape) for d in derivatives(gx, gy)
        )
    handles = []
    for z, gid, color, label in (
        (dx, "snn-x-nullcline", "C0", f"d{names[0]}/dt = 0"),
        (dy, "snn-y-nullcline", "C1", f"d{names[1]}/dt = 0"),
    ):
        if _sign_change(z):
            cs = ax.contour(
                gx * fx,
                gy * fy,
                np.nan_to_num(z, posinf=1e300, neginf=-1e300),
                levels=[0.0],
                colors=color,
                linewidths=2,
            )
            cs.set_gid(gid)
            handles.append(Line2D([], [], color=color, lw=2, label=label))
    qx, qy = np.meshgrid(np.linspace(x0, x1, arrows), np.linspace(y0, y1, arrows))
    with np.errstate(all="ignore"):
        ax_, ay_ = (
            np.broadcast_to(np.asarray(d, dtype=np.float64), qx.shape) for d in derivatives(qx, qy)
        )
        # directions on the plotted scale, so arrows are unit length on screen
        sx, sy = ax_ / (x1 - x0), ay_ / (y1 - y0)
        speed = np.hypot(sx, sy)
        ok = np.isfinite(speed) & (speed > 0)
        u = np.where(ok, sx / np.where(ok, speed, 1), 0.0)
        v = np.where(ok, sy / np.where(ok, speed, 1), 0.0)
        shade = np.log10(np.where(ok, speed, np.nan))
    q = ax.quiver(
        qx * fx,
        qy * fy,
        u * (x1 - x0) * fx,
        v * (y1 - y0) * fy,
        np.nan_to_num(shade, nan=float(np.nanmin(shade)) if ok.any() else 0.0),
        cmap="Greys",
        angles="xy",
        scale_units="xy",
        scale=arrows * 1.6,
        width=0.003,
        alpha=0.7,
    )
    q.set_gid("snn-flow")
    if trajectory is not None:
        tr = np.asarray(trajectory, dtype=np.float64)
        if tr.ndim != 2 or tr.shape[1] != 2:
            raise ConfigurationError(f"`trajectory` must have shape (n, 2), got {tr.shape}.")
        if tr.shape[0]:
            (line,) = ax.plot(tr[:, 0] * fx, tr[:, 1] * fy, color="C3", lw=1.2, label="trajectory")
            ax.plot(tr[0, 0] * fx, tr[0, 1] * fy, "o", color="C3", ms=5)
            handles.append(line)
    ax.set_xlim(x0 * fx, x1 * fx)
    ax.set_ylim(y0 * fy, y1 * fy)
    if handles:
        ax.legend(handles=handles, frameon=False, fontsize="small", loc="upper left")
    else:
        note(ax, "no nullcline in this range")
    return ax
