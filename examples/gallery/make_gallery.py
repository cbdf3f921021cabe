"""Render every plot of snn.viz from one Brunel run into PNG files.

Usage::

    uv run python examples/gallery/make_gallery.py OUT_DIR [--scale 0.2] [--duration 1.0]

Brunel (2000) model A in the asynchronous irregular state (the ``brunel`` benchmark), with
membrane potentials of a few neurons recorded. Plots of things the run does not have (weight
monitors, positions, AdEx/Izhikevich) are computed here from the run or from the model
equations, as noted at each one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from snn import viz
from snn.bench._models import build
from snn.core.units import ms, mV, nA, nS, pF

#: every file the gallery writes (the test checks them all)
FILES = (
    "raster",
    "raster_dense",
    "population_rate",
    "psth",
    "rate_histogram",
    "isi_histogram",
    "cv_histogram",
    "correlation_histogram",
    "fano_factor",
    "traces",
    "weight_matrix",
    "weight_histogram",
    "weight_evolution",
    "receptive_fields",
    "degree_histogram",
    "connection_probability_vs_distance",
    "network_diagram",
    "fi_curve",
    "stdp_window",
    "phase_plane_adex",
    "phase_plane_izhikevich",
    "run_summary",
)


def save(ax_or_fig, out: Path, name: str) -> None:
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    fig.savefig(out / f"{name}.png", dpi=110)


def stdp(delta_t: np.ndarray) -> np.ndarray:
    """Additive pair STDP window (Song et al. 2000): A+ = 0.01, A- = 0.0105, tau = 20 ms."""
    return np.where(
        delta_t > 0, 0.01 * np.exp(-delta_t / (20 * ms)), -0.0105 * np.exp(delta_t / (20 * ms))
    )


def offline_stdp(
    pre_spk: np.ndarray, post_spk: np.ndarray, dt: float, w0: float, every: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weights of synapses driven by recorded spikes under :func:`stdp` (nearest-all traces).

    ``pre_spk`` and ``post_spk`` are (n_steps, n_synapses) booleans; returns the sample times
    [s] and weights (n_samples, n_synapses), relative to ``w0``.
    """
    n_steps, n_syn = pre_spk.shape
    x = np.zeros(n_syn)
    y = np.zeros(n_syn)
    w = np.full(n_syn, w0)
    decay = np.exp(-dt / (20 * ms))
    samples, times = [], []
    for k in range(n_steps):
        x *= decay
        y *= decay
        x[pre_spk[k]] += 1.0
        y[post_spk[k]] += 1.0
        w += w0 * (0.01 * x * post_spk[k] - 0.0105 * y * pre_spk[k])
        np.clip(w, 0.0, 2 * w0, out=w)
        if (k + 1) % every == 0:
            samples.append(w.copy())
            times.append((k + 1) * dt)
    return np.array(times), np.array(samples)


def adex(v: np.ndarray, w: np.ndarray, i_ext: float = 0.5 * nA):
    """AdEx with Brette & Gerstner (2005) parameters: (dv/dt [V/s], dw/dt [A/s])."""
    c, g_l, e_l, v_t, d_t = 281 * pF, 30 * nS, -70.6 * mV, -50.4 * mV, 2 * mV
    a, tau_w = 4 * nS, 144 * ms
    dv = (-g_l * (v - e_l) + g_l * d_t * np.exp((v - v_t) / d_t) - w + i_ext) / c
    dw = (a * (v - e_l) - w) / tau_w
    return dv, dw


def izhikevich(v: np.ndarray, u: np.ndarray, i_ext: float = 10.0):
    """Izhikevich (2003) regular spiking in SI: v [V], u [V/s], I [V/s]."""
    vm = v / mV
    dv = (0.04 * vm**2 + 5 * vm + 140 - u + i_ext) * mV / ms
    du = 0.02 * (0.2 * vm - u) / ms
    return dv, du


def integrate(f, x0: float, y0: float, dt: float, steps: int, stop: float) -> np.ndarray:
    """Forward Euler path of a 2-D system from (x0, y0), stopped when x exceeds ``stop``."""
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        dx, dy = f(np.array(x), np.array(y))
        x, y = x + dt * float(dx), y + dt * float(dy)
        if x > stop:
            break
        path.append((x, y))
    return np.array(path)


def grid_shape(n: int) -> tuple[int, int]:
    h = int(np.sqrt(n))
    while n % h:
        h -= 1
    return h, n // h


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--scale", type=float, default=0.2, help="Brunel size factor")
    parser.add_argument("--duration", type=float, default=1.0, help="biological time [s]")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    model = build("brunel", scale=args.scale, seed=args.seed)
    net = model.network
    e, i = model.groups["E"], model.groups["I"]
    mon_e, mon_i = model.monitors
    state_e = net.record_state(e, "v", neurons=[0, 1, 2])
    state_i = net.record_state(i, "v", neurons=[0, 1])
    net.run(args.duration)
    t_run = time.perf_counter() - t0
    dt = net.dt
    spikes = {"E": mon_e, "I": mon_i}
    n_spikes = mon_e.n_spikes + mon_i.n_spikes
    title = f"Brunel, scale {args.scale:g}, {n_spikes:,} spikes"

    t0 = time.perf_counter()
    save(viz.raster(spikes, max_neurons=300, title=title), out, "raster")
    save(viz.raster(spikes, dense_limit=0, title="dense mode (2-D histogram)"), out, "raster_dense")
    save(viz.population_rate(spikes, bin_width=1 * ms, smoothing=2 * ms), out, "population_rate")
    # events: upward crossings of the E population rate through its mean + 1 SD (bursts)
    counts = np.bincount((mon_e.times / (1 * ms)).astype(int))
    level = counts.mean() + counts.std()
    events = np.flatnonzero((counts[1:] > level) & (counts[:-1] <= level)) * 1 * ms
    events = events[(events > 20 * ms) & (events < args.duration - 20 * ms)]
    save(
        viz.psth(
            spikes,
            events,
            window=(-20 * ms, 20 * ms),
            bin_width=1 * ms,
            title=f"aligned on {events.size} population bursts",
        ),
        out,
        "psth",
    )
    save(viz.rate_histogram(spikes), out, "rate_histogram")
    save(viz.isi_histogram(spikes, bins=60), out, "isi_histogram")
    save(viz.cv_histogram(spikes), out, "cv_histogram")
    save(viz.correlation_histogram(spikes, bin_width=5 * ms), out, "correlation_histogram")
    save(viz.fano_factor(spikes, bin_width=args.duration / 10), out, "fano_factor")
    save(viz.traces(state_e, spikes=mon_e, title="E neurons"), out, "traces")

    # the signed weights among the first 60 E and 15 I neurons, from all four projections
    n_e, n_i = min(60, e.size), min(15, i.size)
    src, tgt, wts = [], [], []
    for q in net.projections:
        s = q.sources() + (0 if q.pre.population is e else n_e)
        t = q.targets() + (0 if q.post.population is e else n_e)
        keep = (q.sources() < (n_e if q.pre.population is e else n_i)) & (
            q.targets() < (n_e if q.post.population is e else n_i)
        )
        src.append(s[keep])
        tgt.append(t[keep])
        wts.append(q.weights()[keep])
    save(
        viz.weight_matrix(
            np.concatenate(wts),
            sources=np.concatenate(src),
            targets=np.concatenate(tgt),
            n_pre=n_e + n_i,
            n_post=n_e + n_i,
            unit="V",
            title=f"first {n_e} E and {n_i} I neurons",
        ),
        out,
        "weight_matrix",
    )
    save(viz.weight_histogram(net.projections, log=True), out, "weight_histogram")

    # no weight monitor exists yet: drive 200 E->E synapses by the recorded spikes through STDP
    ee = net.projections[0]
    pick = np.linspace(0, ee.n_synapses - 1, min(200, ee.n_synapses)).astype(int)
    pre, post = ee.sources()[pick], ee.targets()[pick]
    steps = net.steps_for(args.duration)
    spk = np.zeros((steps + 1, e.size), dtype=bool)
    spk[mon_e.steps, mon_e.indices] = True
    w_times, w = offline_stdp(spk[1:, pre], spk[1:, post], dt, 0.1 * mV, every=10)
    save(
        viz.weight_evolution(w_times, w, unit="V", title="E->E under STDP"), out, "weight_evolution"
    )
    save(viz.stdp_window(np.linspace(-100 * ms, 100 * ms, 401), stdp), out, "stdp_window")
    save(
        viz.receptive_fields(ee, grid_shape(e.size), max_fields=16, title="E->E rows as images"),
        out,
        "receptive_fields",
    )
    save(viz.degree_histogram(net.projections, kind="both"), out, "degree_histogram")

    # no positions in the model: put E on a grid in a 1 mm square; Brunel's p(d) is flat
    _h, w_ = grid_shape(e.size)
    pos = np.column_stack([np.arange(e.size) % w_, np.arange(e.size) // w_]) * (1e-3 / w_)
    dist = np.hypot(*(pos[:, None, :] - pos[None, :, :]).transpose(2, 0, 1))
    connected = np.zeros((e.size, e.size), dtype=bool)
    connected[ee.sources(), ee.targets()] = True
    p_flat = model.network.projections[0].n_synapses / e.size**2
    save(
        viz.connection_probability_vs_distance(
            dist, connected, profile=lambda d: np.full_like(d, p_flat)
        ),
        out,
        "connection_probability_vs_distance",
    )
    save(viz.network_diagram(net, title="Brunel model A"), out, "network_diagram")

    # f-I of the Brunel neuron (LIFDelta, c_m 250 pF): closed form of the LIF first passage
    tau_m, c_m, theta, v_r = 20 * ms, 250 * pF, 20 * mV, 10 * mV
    current = np.linspace(0, 1 * nA, 60)
    drive = current * tau_m / c_m
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = [
            np.where(
                drive > theta, 1 / (t_ref + tau_m * np.log((drive - v_r) / (drive - theta))), 0
            )
            for t_ref in (2 * ms, 0.0)
        ]
    save(viz.fi_curve(current, np.array(rates), labels=["t_ref 2 ms", "t_ref 0"]), out, "fi_curve")
    save(
        viz.phase_plane(
            adex,
            x_range=(-80 * mV, -40 * mV),
            y_range=(-0.1 * nA, 0.4 * nA),
            trajectory=integrate(adex, -70.6 * mV, 0.0, 0.05 * ms, 8000, -40 * mV),
            names=("v", "w"),
            units=("V", "A"),
            title="AdEx (Brette & Gerstner 2005), I = 0.5 nA",
        ),
        out,
        "phase_plane_adex",
    )
    save(
        viz.phase_plane(
            izhikevich,
            x_range=(-80 * mV, -30 * mV),
            y_range=(-20.0, 5.0),
            trajectory=integrate(izhikevich, -70 * mV, -14.0, 0.05 * ms, 4000, -30 * mV),
            names=("v", "u"),
            units=("V", "V/s"),
            title="Izhikevich regular spiking, I = 10",
        ),
        out,
        "phase_plane_izhikevich",
    )
    save(
        viz.run_summary(spikes, states={"E": state_e, "I": state_i}, title=title),
        out,
        "run_summary",
    )
    t_plot = time.perf_counter() - t0
    print(f"{len(FILES)} plots in {out} (run {t_run:.1f} s, plots {t_plot:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
