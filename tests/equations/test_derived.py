"""Subexpressions of equation models are recorded like state variables (``Derived`` values).

Brian2 records a subexpression with ``StateMonitor(G, "I_syn")``; snn's ``record_state`` takes
its name and evaluates it on every sampled state, at the sample's time. The expected values are
the subexpressions' formulas applied with numpy to the recorded state variables (the same
arithmetic in another order: agreement to a few ulps, 1e-12 relative allowed).
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import Hz, ms, mV, nS, pA, pF
from snn.equations import neuron_model
from snn.neurons import DCSource, PoissonInput, SpikeSourceArray

COND = neuron_model(
    "Cond",
    """
    dv/dt = (g_L * (E_L - v) + I_syn + I_inj) / C : volt
    dg/dt = -g / tau_g : siemens
    I_syn = g * (E_syn - v) : amp
    drive = I_amp * sin(2 * pi * f * t) + v / tau_g * C : amp
    I_total = I_syn + I_inj : amp
    g_L : siemens
    E_L : volt
    C : farad
    tau_g : second
    E_syn : volt
    I_amp : amp
    f : hertz
    I_inj : amp
    """,
    threshold="v > -50*mV",
    reset="v = E_L",
    on_spike={"syn": "g += w"},
    currents=["I_inj"],
    initial={"v": "E_L"},
    defaults={
        "g_L": 10 * nS,
        "E_L": -65 * mV,
        "C": 200 * pF,
        "tau_g": 5 * ms,
        "I_amp": 30 * pA,
        "f": 40 * Hz,
    },
)


def network(threads: int = 1, dtype: str = "float64") -> tuple[Network, object]:
    net = Network(dt=0.1 * ms, seed=3, threads=threads, dtype=dtype)
    # a per-neuron reversal potential: the derived function reads it per neuron
    pop = net.add_population(COND(E_syn=np.linspace(-10, 10, 40) * mV), 40, name="P")
    net.add_drive(PoissonInput(rate=4000 * Hz, weight=1 * nS, receptor="syn"), pop)
    mon = net.record_state(pop, ["v", "g", "I_syn", "drive"], interval=0.5 * ms)
    return net, mon


def test_recorded_subexpressions_follow_the_sampled_state():
    net, mon = network()
    net.run(0.05)
    v, g, i_syn, drive = (mon[x] for x in ("v", "g", "I_syn", "drive"))
    assert v.shape == (100, 40) and np.ptp(g) > 1 * nS  # the input moves the conductance
    e_syn = np.linspace(-10, 10, 40) * mV
    np.testing.assert_allclose(i_syn, g * (e_syn - v), rtol=1e-12, atol=1e-24)
    # the time of sample k is k * 0.5 ms: the end of the step whose state was sampled
    t = mon.times[:, None]
    assert mon.times[0] == pytest.approx(0.5 * ms)
    expected = 30 * pA * np.sin(2 * np.pi * 40 * t) + v / (5 * ms) * (200 * pF)
    np.testing.assert_allclose(drive, expected, rtol=1e-12, atol=1e-24)
    assert mon.unit("I_syn") == "A" and mon.unit("v") == "V"
    # read from Python: the same values as the last sample (taken at the end of the run)
    assert net.t == pytest.approx(mon.times[-1])
    np.testing.assert_array_equal(pop_of(net).get("I_syn"), i_syn[-1])
    np.testing.assert_array_equal(pop_of(net)[10:20].get("drive"), drive[-1, 10:20])


def pop_of(net: Network):
    return net.population("P")


def test_two_threads_record_the_same_values():
    ref, ref_mon = network()
    net, mon = network(threads=2)
    ref.run(0.03)
    net.run(0.03)
    for x in ("v", "I_syn", "drive"):
        assert np.array_equal(ref_mon[x], mon[x]), x


def test_float32_network_records_in_float32():
    net, mon = network(dtype="float32")
    net.run(0.01)
    assert mon["I_syn"].dtype == np.float32
    e_syn = (np.linspace(-10, 10, 40) * mV).astype(np.float32)
    np.testing.assert_allclose(mon["I_syn"], mon["g"] * (e_syn - mon["v"]), rtol=1e-5, atol=1e-15)


def test_checkpoint_keeps_and_goes_on_recording(tmp_path):
    from snn.io import load, save

    ref, ref_mon = network()
    ref.run(0.02)
    net, _ = network()
    net.run(0.01)
    loaded = load(save(net, tmp_path / "derived.h5"), models=[COND])
    (mon,) = loaded.monitors
    loaded.run(0.01)
    for x in ("I_syn", "drive"):
        assert np.array_equal(mon[x], ref_mon[x]), x


def test_a_subexpression_of_a_held_current_is_refused_with_its_reason():
    net = Network(dt=0.1 * ms)
    pop = net.add_population(COND(E_syn=0 * mV), 3)
    net.add_drive(DCSource(amplitude=10 * pA, receptor="I_inj"), pop)
    with pytest.raises(
        ConfigurationError, match="`I_total` cannot be recorded: it depends on `I_inj`"
    ):
        net.record_state(pop, ["I_total"])
    with pytest.raises(ConfigurationError, match=r"and it computes \['I_syn', 'drive'\]"):
        net.record_state(pop, ["I_syn", "I_sin"])
    with pytest.raises(ConfigurationError, match="Did you mean 'I_syn'"):
        net.record_state(pop, ["I_sin"])
    with pytest.raises(ConfigurationError, match="`I_total` of 'pop0' cannot be computed: it"):
        pop.get("I_total")
    # a spike source has neither state nor derived values: the same error, not an AttributeError
    src = net.add_population(SpikeSourceArray(times=[1 * ms], indices=[0]), 1, name="src")
    with pytest.raises(ConfigurationError, match="cannot record \\['v'\\] of 'src'"):
        net.record_state(src, "v")


def test_a_subexpression_of_the_time_step_is_recorded_and_read():
    # `dt` is an argument of the derived function like `t`: the loop passes the network's step
    model = neuron_model(
        "Leak",
        "dv/dt = -v / tau : volt\nslope = -v * dt / ms : volt\ntau : second",
        initial={"v": "1*mV"},
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model(tau=10 * ms), 2)
    mon = net.record_state(pop, ["v", "slope"])
    net.run(1 * ms)
    assert pop.model.derived_variables()["slope"].arguments == ("v", "dt")
    np.testing.assert_allclose(mon["slope"], -mon["v"] * 0.1, rtol=1e-12)
    np.testing.assert_allclose(pop.get("slope"), mon["slope"][-1], rtol=1e-12)


def test_a_subexpression_of_rand_is_refused_with_its_reason():
    """``noise = rand() : 1 (constant over dt)`` is drawn anew in each step and not kept:
    ``get`` and ``record_state`` say so (they used to fail inside numba)."""
    model = neuron_model(
        "RAND_SUB", "dv/dt = (-v + noise) / (10*ms) : 1\nnoise = rand() : 1 (constant over dt)"
    )
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model(), 3)
    net.run(1 * ms)
    assert np.all(pop.get("v") > 0)  # the draws act
    with pytest.raises(ConfigurationError, match=r"depends on `rand\(\)`"):
        pop.get("noise")
    with pytest.raises(ConfigurationError, match=r"depends on `rand\(\)`"):
        net.record_state(pop, ["v", "noise"])
