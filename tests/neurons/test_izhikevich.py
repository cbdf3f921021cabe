"""Izhikevich (2003): the presets fire as their names say; traces against solve_ivp.

Each preset gets the paper's stimulus, a DC step of I = 10 (mV/ms; 10 pA with c_m = 1 pF) from
10 ms on, and is checked on the property its name promises (Izhikevich 2003, Fig. 2):
adaptation for RS, one initial burst for IB, repeated bursts for CH, sustained high-frequency
firing for FS, a low threshold and rebound spikes for LTS.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from snn.core import ConfigurationError, Network, UnitWarning
from snn.core.units import ms, mV, pA
from snn.neurons import Izhikevich, StepCurrent

ONSET = 10 * ms


def run(model, times, amplitudes, duration=310 * ms, dt=0.1 * ms):
    """Spike times [ms] and the v trace of one neuron under a step current."""
    net = Network(dt=dt)
    pop = net.add_population(model, 1)
    net.add_drive(StepCurrent(times=times, amplitudes=amplitudes), pop)
    mon = net.record_state(pop, "v")
    spikes = net.record_spikes(pop)
    net.run(duration)
    return spikes.times / ms, mon.record()


def step10(name):
    return run(Izhikevich.preset(name), [ONSET], [10 * pA])[0]


def bursts(t, gap=10.0):
    """Sizes of the groups of spikes separated by less than ``gap`` [ms]."""
    sizes = [1]
    for isi in np.diff(t):
        if isi < gap:
            sizes[-1] += 1
        else:
            sizes.append(1)
    return sizes


def rate(t, t0, t1):
    return np.sum((t >= t0) & (t < t1)) / ((t1 - t0) * 1e-3)


def test_rs_adapts_and_fires_single_spikes():
    t = step10("RS")
    isi = np.diff(t)
    assert bursts(t) == [1] * len(t)
    # measured: first interval 22.2 ms, then 44.9 ms
    assert isi[-1] / isi[0] > 1.8


def test_ib_fires_one_initial_burst_then_single_spikes():
    sizes = bursts(step10("IB"))
    # measured: [3, 1, 1, ...]
    assert sizes[0] >= 2 and all(s == 1 for s in sizes[1:]) and len(sizes) >= 5


def test_ch_fires_repeated_bursts():
    sizes = bursts(step10("CH"))
    # measured: [7, 5, 5, 5, 5, 1] in 300 ms (rkf45; the last burst is cut by the end of the
    # run, which RK4's end-of-step resets, later by a few tenths of ms per spike, pushed out)
    assert len(sizes) >= 4 and all(s >= 3 for s in sizes[:-1])


def test_fs_fires_fast_without_slowing_down():
    t = step10("FS")
    rs = step10("RS")
    early, late = rate(t, 60, 160), rate(t, 210, 310)
    # measured: 130-140 Hz in both windows (RS: 20-30 Hz)
    assert late > 100 and late >= 0.95 * early
    assert late > 3 * rate(rs, 210, 310)


def test_lts_has_a_low_threshold_and_rebound_spikes():
    # I = 1.5 mV/ms: below the RS and FS rheobase (4 in the paper's units), above the LTS one
    counts = {n: len(run(Izhikevich.preset(n), [ONSET], [1.5 * pA])[0]) for n in ("RS", "FS")}
    lts = run(Izhikevich.preset("LTS"), [ONSET], [1.5 * pA])[0]
    assert counts == {"RS": 0, "FS": 0} and len(lts) >= 3
    # release from 50 ms of hyperpolarisation (I = -10) fires LTS (b = 0.25), not RS
    steps = ([ONSET, 60 * ms], [-10 * pA, 0.0])
    assert len(run(Izhikevich.preset("LTS"), *steps, duration=120 * ms)[0]) >= 1
    assert len(run(Izhikevich.preset("RS"), *steps, duration=120 * ms)[0]) == 0


# ---------------------------------------------------------------------------------------------
# solve_ivp, in the paper's units (mV, ms)


def _reference(a, b, c, d, i, t_end):
    """Spike times [ms] and dense pieces of the published model; I from ONSET on."""

    def rhs(t, y):
        v, u = y
        drive = i if t >= ONSET / ms else 0.0
        return [0.04 * v * v + 5 * v + 140 - u + drive, a * (b * v - u)]

    def peak(t, y):
        return y[0] - 30.0

    peak.terminal, peak.direction = True, 1
    y, t, spikes, pieces = [-65.0, b * -65.0], 0.0, [], []
    for t_stop in (ONSET / ms, t_end):
        while t < t_stop:
            sol = solve_ivp(
                rhs, (t, t_stop), y, method="DOP853", rtol=1e-10, atol=1e-10,
                events=peak, dense_output=True,
            )  # fmt: skip
            pieces.append(sol.sol)
            t, y = sol.t[-1], list(sol.y[:, -1])
            if sol.status == 1:
                spikes.append(t)
                y = [c, y[1] + d]
    return np.array(spikes), pieces


@pytest.mark.parametrize(("name", "method"), [("RS", "rk4"), ("CH", "rkf45"), ("FS", "rk4")])
def test_spike_times_and_latency_match_solve_ivp(name, method):
    dt = 0.05 * ms
    model = Izhikevich.preset(name, method=method)
    t, rec = run(model, [ONSET], [10 * pA], duration=100 * ms, dt=dt)
    a, b, c, d = model.a * 1e-3, model.b * 1e-3, model.c / mV, model.d
    ref, pieces = _reference(a, b, c, d, 10.0, 100.0)
    # the first-spike latency: stamped at the end of the step of the crossing
    assert ref[0] - 1e-9 <= t[0] < ref[0] + dt / ms
    # later spikes: rk4 resets at the end of the step, and near the peak its stages follow the
    # clamped right-hand side: each interval up to two steps longer (FS: 13 spikes, 0.95 ms
    # late at 100 ms); rkf45 resets within the step (measured < 2 steps after 100 ms)
    assert len(t) == len(ref)
    late = 2 * np.arange(len(t)) + 1 if method == "rk4" else 2
    assert np.all(np.abs(t - ref) < late * dt / ms)
    # before the first spike the trace is the reference's (v rises 1 mV per 0.01 ms near the
    # peak: compare up to 25 mV, where RK4's error at 0.05 ms is below 1e-3 mV)
    times = rec.times / ms
    v = rec.values["v"][:, 0] / mV
    sel = (times < ref[0]) & (v < 25.0)
    v_ref = [next(p for p in pieces if p.t_min <= x <= p.t_max)(x)[0] for x in times[sel]]
    assert np.max(np.abs(v[sel] - v_ref)) < 1e-3


# ---------------------------------------------------------------------------------------------
# parameters


def test_presets_are_the_published_values_in_si():
    fs = Izhikevich.preset("FS")
    assert (fs.a, fs.b, fs.c, fs.d) == (100.0, 200.0, -65e-3, 2.0)  # 0.1/ms, 0.2/ms, -65 mV
    ib = Izhikevich.preset("IB", method="euler")
    assert (ib.c, ib.d, ib.method) == (-55e-3, 4.0, "euler")
    with pytest.raises(ConfigurationError, match="unknown Izhikevich preset"):
        Izhikevich.preset("XX")


def test_paper_units_without_conversion_warn():
    with pytest.warns(UnitWarning, match="/ ms"):
        Izhikevich(a=0.02)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"a": 0.0}, "`a`"),
        ({"c_m": 0.0}, "c_m"),
        ({"c": 40 * mV}, "below `v_peak`"),
        ({"method": "implicit"}, "method"),
        ({"d": float("nan")}, "`d`"),
    ],
)
def test_parameters_outside_their_range_are_refused(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        Izhikevich(**kwargs)
