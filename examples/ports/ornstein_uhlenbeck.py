"""The Ornstein-Uhlenbeck process (Brian2's ``examples/advanced/Ornstein_Uhlenbeck.py``), ported
to snn.

Longtin (2010, Scholarpedia 5:1619), Fig. 2: ``dy/dt = -y / tau + sqrt(2 sigma**2 / tau) xi``
for (tau, sigma) = (1 s, 0.1) and (0.1 s, 0.31622), both of noise intensity sigma**2 tau =
0.01, from y(0) = 1, integrated by Euler-Maruyama at dt = 0.1 ms for 10 s. The mean decays
as exp(-t / tau); the process settles to a Gaussian of standard deviation sigma whose
autocorrelation decays as exp(-lag / tau). The original plots the two realizations; this port
reduces each to

* ``y_at_tau``: y at t = tau (closed form: mean exp(-1), variance sigma**2 (1 - exp(-2)));
* ``var``: the mean of y**2 after 5 tau, an estimate of the stationary variance sigma**2
  (about zero, the known mean, so not biased low by a sample mean; what is left of y(0) = 1,
  exp(-5), adds 0.5 % for tau = 1 s);
* ``acov``: the mean of y(t) y(t + tau / 10) over the same window, of expectation
  sigma**2 exp(-1/10);
* ``tau``: the autocorrelation time -lag / log(acov / var) of that realization.

Both simulators sample the same Euler-Maruyama chain, whose stationary variance is
sigma**2 / (1 - dt / (2 tau)) and autocorrelation (1 - dt / tau)**(lag / dt) (at most 0.05 %
from the continuous process's). Brian2's monitor samples at the start of each step (t = 0 ...
10 s - dt), snn's at its end (t = dt ... 10 s): ``figures`` takes the sample times.

Run:  uv run python examples/ports/ornstein_uhlenbeck.py
"""

from __future__ import annotations

import math

import numpy as np

from snn.core import Network
from snn.core.units import ms, second
from snn.equations import neuron_model

DT = 0.1 * ms
DURATION = 10 * second
TAU = np.array([1.0, 0.1]) * second
SIGMA = np.array([0.1, 0.31622])
NAMES = ("tau1s", "tau100ms")

OrnsteinUhlenbeck = neuron_model(
    "OrnsteinUhlenbeck",
    """
    tau : second
    sigma : 1
    dy/dt = -y/tau + sqrt(2*sigma**2/tau)*xi : 1
    """,
    method="euler",
    initial={"y": 1.0},
)


def closed_form(tau: float, sigma: float, dt: float = DT) -> dict:
    """Expectations of the figures for the Euler-Maruyama chain of step ``dt`` [s]."""
    decay = 1 - dt / tau
    var = sigma**2 / (1 - dt / (2 * tau))
    lag = round(tau / 10 / dt)
    return {
        "y_at_tau": decay ** round(tau / dt),
        "var": var,
        "acov": var * decay**lag,
        "tau": -lag * dt / math.log(decay**lag),
    }


def figures(times: np.ndarray, y: np.ndarray) -> dict:
    """The figures above for both realizations; ``y`` has one column per neuron, sampled at
    ``times`` [s] every DT."""
    out = {}
    for k, name in enumerate(NAMES):
        tau, trace = TAU[k], y[:, k]
        out[f"y_at_tau_{name}"] = float(trace[np.argmin(np.abs(times - tau))])
        late = trace[times >= 5 * tau]
        lag = round(tau / 10 / DT)
        var = float(np.mean(late**2))
        acov = float(np.mean(late[:-lag] * late[lag:]))
        out[f"var_{name}"] = var
        out[f"acov_{name}"] = acov
        out[f"tau_{name}"] = -lag * DT / math.log(acov / var) if acov > 0 else math.nan
    return out


def run(seed: int = 1) -> dict:
    """Simulate both processes for 10 s; return :func:`figures`."""
    net = Network(dt=DT, seed=seed)
    pop = net.add_population(OrnsteinUhlenbeck(tau=TAU, sigma=SIGMA), 2)
    mon = net.record_state(pop, "y")
    net.run(DURATION)
    rec = mon.record()
    return figures(np.asarray(rec.times), rec.values["y"])


if __name__ == "__main__":
    fig = run()
    for k, name in enumerate(NAMES):
        expected = closed_form(TAU[k], SIGMA[k])
        print(
            f"tau = {TAU[k]:g} s: sd {math.sqrt(fig[f'var_{name}']):.4f} "
            f"(closed form {math.sqrt(expected['var']):.4f}), autocorrelation time "
            f"{fig[f'tau_{name}']:.4f} s (closed form {expected['tau']:.4f} s)"
        )
