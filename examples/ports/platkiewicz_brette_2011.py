"""Slope-threshold relationship in the adaptive threshold model (Brian2's
``examples/frompapers/Platkiewicz_Brette_2011.py``), ported to snn.

Platkiewicz & Brette (2011, PLoS Comput. Biol. 7:e1001129), Fig. 5E,F: sodium inactivation
makes the spike threshold theta follow the membrane potential with a time constant of 5 ms
once v is above Vi = -63 mV (slope a = ka / ki = 5/6), so the faster v depolarises before a
spike, the lower the threshold it meets. 200 leaky neurons (tau = 5 ms, driven 15 mV above
rest) receive independent Ornstein-Uhlenbeck noise (tau_I = 5 ms) for one second; threshold
``v > theta``, reset to E_L, 5 ms refractory during which v keeps integrating (no
``(unless refractory)``, as in the original). The original plots one neuron's v and theta and,
for every spike, the threshold (v at the last sample before the crossing step) against the
depolarisation slope (a linear regression over the preceding 5 ms), with the theoretical curve.
This port reduces that scatter plot to numbers (:func:`figures`): the spike count, the mean and
spread of slopes and thresholds, the regression of threshold on slope, and the mean distance of
the thresholds from the theoretical curve.

The equations are the original's, the constants declared as parameters. Both simulators choose
Euler-Maruyama (additive noise; ``clip`` makes the system nonlinear). Conventions that matter
(docs/from-brian2-equations.md): snn stamps a spike at the end of the step in which v crosses
theta and Brian2 at its start, so :func:`run` passes the crossing step on Brian2's stamping to
:func:`figures`; and Brian2 holds a neuron refractory one step fewer than snn, so Brian2's 5 ms
is snn's 4.9 ms (:data:`BRIAN2_REFRACTORY`). The noise realisations differ, so only the seed
ensembles of the figures can agree.

Run:  uv run python examples/ports/platkiewicz_brette_2011.py
"""

from __future__ import annotations

import numpy as np
from scipy import optimize
from scipy.stats import linregress

from snn.core import Network
from snn.core.units import ms, mV
from snn.equations import neuron_model

N = 200
DT = 0.1 * ms
DURATION = 1.0
#: Brian2's refractory=5*ms, counted as snn counts it (one step fewer)
BRIAN2_REFRACTORY = 4.9 * ms

# the original's constants [SI]
E_L = -70 * mV
V_T = -55 * mV
V_I = -63 * mV
TAU_H = 5 * ms
TAU = 5 * ms
K_A = 5 * mV
K_I = 6 * mV
A = K_A / K_I
TAU_I = 5 * ms
MU = 15 * mV
SIGMA = 6 * mV / np.sqrt(TAU_I / (TAU_I + TAU))

AdaptiveThreshold = neuron_model(
    "PlatkiewiczBrette",
    """
    dv/dt = (EL - v + mu + sigma*I) / tau : volt
    dtheta/dt = (vT + a*clip(v - Vi, 0*mV, inf*mV) - theta) / tauh : volt
    dI/dt = -I/tauI + (2/tauI)**.5*xi : 1
    EL : volt
    vT : volt
    Vi : volt
    a : 1
    mu : volt
    sigma : volt
    tau : second
    tauh : second
    tauI : second
    t_ref : second
    """,
    threshold="v > theta",
    reset="v = EL",
    refractory="t_ref",
    initial={"v": "EL", "theta": "vT"},
)


def run(seed: int = 1, refractory: float = 5 * ms) -> dict:
    """Simulate one second of the 200 neurons; return the figures of :func:`figures`."""
    net = Network(dt=DT, seed=seed)
    model = AdaptiveThreshold(
        EL=E_L,
        vT=V_T,
        Vi=V_I,
        a=A,
        mu=MU,
        sigma=SIGMA,
        tau=TAU,
        tauh=TAU_H,
        tauI=TAU_I,
        t_ref=refractory,
    )
    neurons = net.add_population(model, N)
    spikes = net.record_spikes(neurons)
    state = net.record_state(neurons, "v")
    net.run(DURATION)
    # row j of the monitor is v at (j + 1) dt: prepend v(0) = E_L for samples at j dt
    v = np.vstack([np.full((1, N), E_L), state.record().values["v"]])
    crossing = np.rint(spikes.times / DT).astype(int) - 1  # the step the crossing happened in
    return figures(v / mV, spikes.indices, crossing)


def theoretical_threshold(slope: np.ndarray) -> np.ndarray:
    """The threshold [mV] a depolarisation of constant ``slope`` [mV/ms] meets (the original's
    exact relation, solved by ``fsolve`` from the paper's approximation)."""
    s, tauh, vi, vt = np.asarray(slope, dtype=float), TAU_H / ms, V_I / mV, V_T / mV
    guess = vi - s * tauh * np.log(1 + (vi - vt / A) / (s * tauh))

    def excess(th: float, k: float) -> float:
        rise = A * k * tauh * np.exp((vi - th) / (k * tauh))
        return rise - th * (1 - A) - A * (k * tauh + vi) + vt

    solved = [optimize.fsolve(excess, g, args=(k,))[0] for k, g in zip(s, guess, strict=True)]
    return np.array(solved)


def figures(v_mV: np.ndarray, index: np.ndarray, crossing: np.ndarray) -> dict:
    """Figures of the slope-threshold scatter plot.

    ``v_mV`` holds v [mV] of every neuron at t = 0, dt, 2 dt, ... (one column per neuron);
    spike ``n`` is neuron ``index[n]`` crossing its threshold in the step from
    ``crossing[n] dt`` to the next (Brian2 stamps it ``crossing[n] dt``). As in the original,
    its threshold is v at the last sample before that step's start, its slope the least-squares
    slope of v over the samples of the open 5 ms interval before that start [mV/ms].
    """
    index, crossing = np.asarray(index), np.asarray(crossing)
    window = round(TAU_H / DT) - 1  # the original's open interval (t - tauh, t)
    steps = crossing[:, None] + np.arange(-window, 0)[None, :]  # samples k - 49 ... k - 1
    inside = steps >= 0  # the first spikes' windows start at t = 0
    y = np.where(inside, v_mV[np.maximum(steps, 0), index[:, None]], 0.0)
    x = np.where(inside, steps * (DT / ms), 0.0)
    n = inside.sum(axis=1)
    x_mean, y_mean = x.sum(axis=1) / n, y.sum(axis=1) / n
    dx = np.where(inside, x - x_mean[:, None], 0.0)
    slope = (dx * (y - y_mean[:, None])).sum(axis=1) / (dx**2).sum(axis=1)  # least squares
    threshold = y[:, -1]
    fit = linregress(slope, threshold)
    grid = np.linspace(0.5, 4.0, 100)  # the original's theoretical curve
    in_range = (slope >= grid[0]) & (slope <= grid[-1])
    theory = np.interp(slope[in_range], grid, theoretical_threshold(grid))
    return {
        "n_spikes": int(slope.size),
        "slope_mean": float(np.mean(slope)),
        "slope_sd": float(np.std(slope)),
        "threshold_mean_mV": float(np.mean(threshold)),
        "threshold_sd_mV": float(np.std(threshold)),
        "fit_slope_ms": float(fit.slope),
        "fit_r": float(fit.rvalue),
        "above_theory_mV": float(np.mean(threshold[in_range] - theory)),
    }


if __name__ == "__main__":
    print(run(refractory=BRIAN2_REFRACTORY))
