"""Time in neuron equations: ``t`` and ``rand()``.

``t`` is the time at the start of the step in the equations (Runge-Kutta stages and Heun's
corrector see theirs) and at its end in events (threshold, reset), where the state is; ``rand()``
is the engine's per-neuron uniform draw of the step.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import Hz, ms
from snn.equations import neuron_model

DRIVEN = "dv/dt = cos(2 * pi * f * t) / second : 1\nf : Hz"


def forced_error(method: str, dt: float) -> float:
    """Largest error of v(t) = sin(2 pi f t) / (2 pi f s) over 50 ms at 40 Hz."""
    model = neuron_model("Driven", DRIVEN, method=method)
    net = Network(dt=dt)
    pop = net.add_population(model(f=40 * Hz), 1)
    mon = net.record_state(pop, "v")
    net.run(50 * ms)
    exact = np.sin(2 * np.pi * 40 * mon.times) / (2 * np.pi * 40)
    return float(np.abs(mon["v"][:, 0] - exact).max())


@pytest.mark.parametrize(("method", "order"), [("euler", 1), ("heun", 2), ("rk2", 2), ("rk4", 4)])
def test_time_dependent_forcing_converges_at_the_method_order(method, order):
    """Halving dt divides the error by 2**order (measured ratios within 15 % of it): the
    stages see their own times, not the step's start."""
    coarse, fine = forced_error(method, 0.4 * ms), forced_error(method, 0.2 * ms)
    assert fine < coarse
    assert np.log2(coarse / fine) == pytest.approx(order, rel=0.15)


def test_exact_is_not_chosen_for_time_dependent_equations():
    assert neuron_model("Driven", DRIVEN).info.method == "rk4"


def test_events_see_the_time_at_the_end_of_the_step():
    clock = neuron_model(
        "Clock", "dv/dt = 0 / second : 1", threshold="t > 4.95 * ms", reset="v += 1"
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(clock(), 1)
    spikes = net.record_spikes(pop)
    net.run(5.3 * ms)
    # steps ending at 5.0, 5.1, 5.2, 5.3 ms
    assert np.allclose(spikes.times, [5.0 * ms, 5.1 * ms, 5.2 * ms, 5.3 * ms])
    assert pop.get("v")[0] == 4


def test_poisson_source_from_an_expression():
    """Brian2's PoissonGroup(rates='...') as equations: a rate of 20 Hz and 60 Hz in alternate
    50 ms halves; each step spikes with probability rate dt (the rate at the step's end)."""
    source = neuron_model(
        "Source",
        "rate = r0 * (1 + 0.5 * sign(sin(2 * pi * f * t))) : Hz\nr0 : Hz\nf : Hz",
        threshold="rand() < rate * dt",
    )
    n = 500
    net = Network(dt=0.1 * ms, seed=9)
    pop = net.add_population(source(r0=40 * Hz, f=10 * Hz), n)
    spikes = net.record_spikes(pop)
    net.run(1.0)
    t_end = (np.arange(10000) + 1) * 0.1 * ms
    p = 40 * (1 + 0.5 * np.sign(np.sin(2 * np.pi * 10 * t_end))) * 0.1 * ms
    high = np.sin(2 * np.pi * 10 * t_end) > 0
    per_step = np.bincount(spikes.steps - 1, minlength=10000)
    for part in (high, ~high):
        mean, var = n * p[part].sum(), n * (p[part] * (1 - p[part])).sum()
        assert abs(per_step[part].sum() - mean) < 5 * np.sqrt(var)
    assert per_step[high].sum() > 2.5 * per_step[~high].sum()
