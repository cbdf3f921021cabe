"""Current sources drive every nonlinear model through its ``current`` receptor.

The sources themselves are checked against closed forms in ``test_currents.py`` (LIF). Here:
a :class:`DCSource` of amplitude ``I`` gives, bit for bit, the trace of the same model with
``i_e = I`` (every step function adds ``i_e + current``, and ``0 + I == I + 0`` exactly); step,
sine and noise sources, together on one population, run on every model and move ``V``.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import Hz, ms, pA
from snn.neurons import (
    AdExCondAlpha,
    AdExCondExp,
    AdExPscExp,
    DCSource,
    GIFCondExp,
    GIFPscExp,
    HHPscAlpha,
    HHSquid,
    HHTraubMiles,
    Izhikevich,
    LIFCondExpSfaRr,
    NoiseCurrent,
    SineCurrent,
    StepCurrent,
)

# a current that makes each model fire within 40 ms at its defaults (measured first spikes: AdEx
# 1 nA at 11.9 ms, squid 1 nA at 1.9 ms; 500 pA fires neither AdEx in 40 ms; Izhikevich RS
# rheobase 4 pA with c_m = 1 pF)
CASES = [
    (AdExCondExp, {}, 1000 * pA),
    (AdExPscExp, {"method": "rkf45"}, 1000 * pA),
    (Izhikevich, {"method": "exp_euler"}, 10 * pA),
    (HHTraubMiles, {}, 300 * pA),
    (HHSquid, {"method": "rk4"}, 1000 * pA),
    (AdExCondAlpha, {}, 1000 * pA),
    (HHPscAlpha, {}, 1000 * pA),
    (LIFCondExpSfaRr, {}, 600 * pA),
    # escape noise in its deterministic limit (Delta_V = 1e-4 mV: the populations draw
    # different random numbers) at a low threshold: fires within 40 ms at 200 pA
    *[
        (cls, {"delta_v": 1e-7, "lambda_0": 1000.0, "v_t_star": -50e-3}, 200 * pA)
        for cls in (GIFPscExp, GIFCondExp)
    ],
]


@pytest.mark.parametrize(("model_cls", "kwargs", "amplitude"), CASES)
def test_current_sources_drive_every_model(model_cls, kwargs, amplitude):
    dt = 0.01 * ms if kwargs.get("method") == "rk4" else 0.1 * ms  # rk4 HH: stability limit
    net = Network(dt=dt, seed=3)
    by_i_e = net.add_population(model_cls(i_e=amplitude, **kwargs), 1, name="i_e")
    by_dc = net.add_population(model_cls(**kwargs), 1, name="dc")
    mixed = net.add_population(model_cls(**kwargs), 1, name="mixed")
    net.add_drive(DCSource(amplitude=amplitude), by_dc)
    net.add_drive(StepCurrent(times=[5 * ms, 30 * ms], amplitudes=[amplitude, 0.0]), mixed)
    net.add_drive(SineCurrent(amplitude=amplitude, frequency=50 * Hz), mixed)
    net.add_drive(NoiseCurrent(mean=0.0, std=amplitude), mixed)
    mons = [net.record_state(p, "v") for p in (by_i_e, by_dc, mixed)]
    spikes = [net.record_spikes(p) for p in (by_i_e, by_dc, mixed)]
    net.run(40 * ms)
    v_i_e, v_dc, v_mixed = (m.record().values["v"][:, 0] for m in mons)
    assert spikes[0].n_spikes >= 1  # the amplitude is above rheobase
    assert np.array_equal(v_dc, v_i_e)  # bit for bit
    assert np.array_equal(spikes[1].steps, spikes[0].steps)
    assert np.all(np.isfinite(v_mixed))
    # the mixed drive moves V within the first 5 ms (sine and noise), when the others rest at
    # the same initial state under a different current
    assert np.ptp(v_mixed[: round(5 * ms / dt)]) > 0.0
    assert not np.array_equal(v_mixed, v_i_e)
