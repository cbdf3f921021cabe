"""Hindmarsh and Rose's bursting neuron (Brian2's ``examples/frompapers/Hindmarsh_Rose_1984.py``),
ported to snn.

Hindmarsh & Rose (1984, Proc. R. Soc. B 221:87), Fig. 6: three neurons of the three-variable
model at constant inputs I = 0.4, 2 and 4 (one burst, regular bursts, tonic spiking), started at
the equilibrium of the model without adaptation (x = -1.6, y = 1 - 5 x**2, z = 0), RK4 at a
tenth of the model's time unit (1 ms) for 2100 units. The original plots x; this port reduces it
to x every 10 units and the number of upward crossings of x = 1 (spikes) per neuron.

The model has no threshold or reset: a neuron model from equations alone. ``I : 1 (constant)``
is a per-neuron parameter, the module-level constants of the original are shared parameters.

Run:  uv run python examples/ports/hindmarsh_rose_1984.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms
from snn.equations import neuron_model

TIME_UNIT = 1 * ms
DT = TIME_UNIT / 10
DURATION = 2100 * TIME_UNIT
X_1 = -1.6

HindmarshRose = neuron_model(
    "HindmarshRose",
    """
    dx/dt = (y - a*x**3 + b*x**2 + I - z)/time_unit : 1
    dy/dt = (c - d*x**2 - y)/time_unit : 1
    dz/dt = r*(s*(x - x_1) - z)/time_unit : 1
    I : 1 (constant)
    a : 1 (shared)
    b : 1 (shared)
    c : 1 (shared)
    d : 1 (shared)
    r : 1 (shared)
    s : 1 (shared)
    x_1 : 1 (shared)
    time_unit : second (shared)
    """,
    method="rk4",
)


def figures(x: np.ndarray) -> dict:
    """``x`` every step from t = dt on (one column per neuron): every 10 units, and the spikes."""
    up = (x[:-1] < 1.0) & (x[1:] >= 1.0)
    return {"x": np.round(x[99::100], 12).tolist(), "spikes": up.sum(axis=0).tolist()}


def run(seed: int = 1) -> dict:
    """Simulate the three neurons (deterministic: ``seed`` unused)."""
    model = HindmarshRose(
        a=1, b=3, c=1, d=5, r=0.001, s=4, x_1=X_1, time_unit=TIME_UNIT, I=np.array([0.4, 2, 4])
    )
    net = Network(dt=DT, seed=seed)
    pop = net.add_population(model, 3, init={"x": X_1, "y": 1 - 5 * X_1**2, "z": 0.0})
    mon = net.record_state(pop, "x")
    net.run(DURATION)
    return figures(mon.record().values["x"])


if __name__ == "__main__":
    print("spikes (upward crossings of x = 1) at I = 0.4, 2, 4:", run()["spikes"])
