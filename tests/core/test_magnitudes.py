"""Unit checks: values of implausible magnitude warn, naming the value with its sign, the unit and
the likely intended one (the table in snn.core._magnitudes and docs/concepts.md)."""

from __future__ import annotations

import math
import warnings

import pytest

from snn.core import Network, UnitWarning
from snn.core.random import Normal
from snn.core.units import Hz, ms, mV, nA, nS, pA
from snn.core.validate import PLAUSIBLE, warn_magnitude
from snn.encoders import PoissonProcess
from snn.neurons import (
    MAT2,
    AdExCondAlpha,
    DCSource,
    GIFPscExp,
    HHPscAlpha,
    Izhikevich,
    LIFCondExp,
    LIFDelta,
    LIFExp,
    PoissonInput,
    PoissonSource,
    SineCurrent,
    SinusoidalPoissonInput,
    SinusoidalPoissonSource,
)
from snn.synapses import AllToAll


@pytest.mark.parametrize("quantity", sorted(PLAUSIBLE))
def test_every_range_passes_its_inside_and_zero_and_warns_outside(quantity):
    rule = PLAUSIBLE[quantity]
    inside = (max(rule.low, 1e-300) * rule.high) ** 0.5 if rule.low else rule.high / 10
    warn_magnitude("x", inside, quantity)
    warn_magnitude("x", -inside, quantity)
    warn_magnitude("x", 0.0, quantity)
    with pytest.warns(UnitWarning, match=rf"`x` = -{3 * rule.high!r} {rule.unit} .*below"):
        warn_magnitude("x", [inside, -3 * rule.high], quantity)
    if rule.low > 0:
        warn_magnitude("x", [inside, rule.low / 3], quantity)  # some small values are fine
        with pytest.warns(UnitWarning, match=rf"`x` = -{rule.low / 3!r} {rule.unit} .*above"):
            warn_magnitude("x", [rule.low / 30, -rule.low / 3], quantity)  # all small: a slip


def test_potential_keeps_its_sign():
    with pytest.warns(UnitWarning, match=r"`e_l` = -65.0 V .*millivolts"):
        LIFDelta(e_l=-65)


@pytest.mark.parametrize(
    "model_cls",
    [LIFDelta, LIFExp, LIFCondExp, AdExCondAlpha, HHPscAlpha, Izhikevich, GIFPscExp, MAT2],
)
def test_constant_current_in_picoamperes_warns(model_cls):
    """NEST's ``I_e`` in pA pasted without ``* pA`` (hh_psc_alpha.py's ``I_e = 980.0``) is
    980 A: it warns at construction and through ``set`` (it ran silently before)."""
    with pytest.warns(UnitWarning, match=r"`i_e` = 980.0 A .*pA"):
        model_cls(i_e=980.0)
    net = Network(dt=0.1 * ms)
    pop = net.add_population(model_cls(i_e=980 * pA), 1)
    with pytest.warns(UnitWarning, match=r"`i_e` = -980.0 A .*pA"):
        pop.set(i_e=-980.0)


def test_adex_adaptation_in_nest_units_warns():
    """brette_gerstner_fig_2c.py's ``a=4.0, b=80.5`` (nS, pA) pasted as is: 4 S and 80.5 A."""
    with pytest.warns(UnitWarning) as caught:
        AdExCondAlpha(a=4.0, b=80.5)
    messages = sorted(str(w.message) for w in caught)
    assert len(messages) == 2
    assert messages[0].startswith("`a` = 4.0 S is an unusual conductance") and "nS" in messages[0]
    assert messages[1].startswith("`b` = 80.5 A is an unusual current") and "pA" in messages[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        AdExCondAlpha(a=4 * nS, b=80.5 * pA, i_e=500 * pA)
        AdExCondAlpha(a=-10 * nS, b=0.0)


def test_run_in_milliseconds_warns_before_running():
    net = Network(dt=0.1 * ms)
    net.add_population(LIFDelta(), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        with pytest.raises(UnitWarning, match=r"`duration` = 1000.0 s .*milliseconds"):
            net.run(1000.0)
    assert net.t == 0.0


def test_spike_times_in_milliseconds_warn_before_the_run_that_misses_them():
    """NEST's spike_generator counts milliseconds: ``times=[10.0, 20.0, 50.0]`` pasted as is
    are 10-50 s, none in a 100 ms run (which then sees no spike), all in it read as ms."""
    from snn.neurons import SpikeSourceArray

    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[10.0, 20.0, 50.0], indices=[0, 0, 0]), 1)
    with pytest.warns(UnitWarning, match=rf"{src.name!r}: none of the 3 spike times .*`\* ms`"):
        net.run(100 * ms)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        net.run(100 * ms)  # said once
        good = Network(dt=0.1 * ms)
        good.add_population(SpikeSourceArray(times=[10 * ms, 20 * ms], indices=[0, 0]), 1)
        good.run(100 * ms)
        late = Network(dt=0.1 * ms)  # spikes meant for a later run, not in ms either
        late.add_population(SpikeSourceArray(times=[0.5, 0.7], indices=[0, 0]), 1)
        late.run(100 * ms)


@pytest.mark.parametrize(
    ("model", "receptor", "weight", "match"),
    [
        # 0.5 mV meant for a voltage receptor, sent into a current receptor: 0.5 mA
        (LIFExp(), "exc", 0.5 * mV, r"`weight` = 0.0005 A .*current"),
        (LIFExp(), "exc", 30.0, r"`weight` = 30.0 A"),
        (LIFDelta(), None, 0.5, r"`weight` = 0.5 V .*millivolts"),
        (LIFDelta(), None, 20 * pA, r"`weight` = 2e-11 V .*another unit"),
        (LIFCondExp(), "exc", 6.0, r"`weight` = 6.0 S .*nS"),
        (LIFCondExp(), "exc", Normal(mean=5e-4, std=1e-5), r"`weight` = 0.000.* S .*nS"),
    ],
)
def test_weights_are_checked_in_the_unit_of_their_receptor(model, receptor, weight, match):
    net = Network(dt=0.1 * ms)
    a = net.add_population(model, 3)
    with pytest.warns(UnitWarning, match=match):
        net.connect(a, a, rule=AllToAll(), weight=weight, receptor=receptor)


def test_plausible_weights_pass():
    net = Network(dt=0.1 * ms)
    for model, receptor, w in [
        (LIFExp(), "exc", 50 * pA),
        (LIFExp(), "inh", -2 * nA),
        (LIFDelta(), None, 0.1 * mV),
        (LIFCondExp(), "exc", 6 * nS),
    ]:
        a = net.add_population(model, 3)
        net.connect(a, a, rule=AllToAll(), weight=w, receptor=receptor)


def test_delay_in_milliseconds_warns():
    net = Network(dt=0.1 * ms)
    a = net.add_population(LIFDelta(), 2)
    with pytest.warns(UnitWarning, match=r"`delay` = 5.0 s .*milliseconds"):
        net.connect(a, a, rule=AllToAll(), weight=0.1 * mV, delay=5.0)
    # NEST's default delay, 1 ms, pasted as a number (a sweep of NEST's documentation found it
    # accepted silently)
    with pytest.warns(UnitWarning, match=r"`delay` = 1.0 s .*milliseconds"):
        net.connect(a, a, rule=AllToAll(), weight=0.1 * mV, delay=1.0)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: PoissonSource(rate=8 * ms), r"`rate` = 0.008 Hz .*`ms` instead of `Hz`"),
        (lambda: PoissonProcess(rate=8 * ms), r"`rate` = 0.008 Hz"),
        (
            lambda: PoissonSource(
                rate=5e7 * Hz,
            ),
            r"`rate` = 50000000.0 Hz",
        ),
    ],
)
def test_rates_of_sources(make, match):
    with pytest.warns(UnitWarning, match=match):
        make()


@pytest.mark.parametrize(
    ("drive", "model", "match"),
    [
        (PoissonInput(rate=8 * ms, weight=0.1 * mV), LIFDelta(), r"`rate` = 0.008 Hz"),
        (
            PoissonInput(rate=1000 * Hz, weight=0.5 * mV, receptor="exc"),
            LIFExp(),
            r"`weight` = 0.0005 A",
        ),
        (DCSource(amplitude=300.0), LIFExp(), r"`amplitude` = 300.0 A .*pA or nA"),
        (DCSource(amplitude=-2e-20), LIFExp(), r"`amplitude` = -2e-20 A"),
    ],
)
def test_drives_are_checked_in_the_unit_of_their_receptor(drive, model, match):
    net = Network(dt=0.1 * ms)
    a = net.add_population(model, 2)
    with pytest.warns(UnitWarning, match=match):
        net.add_drive(drive, a)


@pytest.mark.parametrize(
    "make",
    [
        lambda: SinusoidalPoissonSource(
            rate=100 * Hz, amplitude=50 * Hz, frequency=10 * Hz, phase=90.0
        ),
        lambda: SinusoidalPoissonInput(
            rate=100 * Hz, weight=0.1 * mV, frequency=10 * Hz, phase=90.0
        ),
    ],
)
def test_phase_in_degrees_warns(make):
    """NEST's sinusoidal generators take the phase in degrees, snn in radians: NEST's
    ``phase=90.0`` pasted as is would be 90 rad, silently."""
    with pytest.warns(UnitWarning, match=r"`phase` = 90.0 rad .*degrees"):
        make()


def test_sine_current_phase_in_degrees_warns():
    net = Network(dt=0.1 * ms)
    a = net.add_population(LIFExp(), 1)
    with pytest.warns(UnitWarning, match=r"`phase` = 90.0 rad .*degrees"):
        net.add_drive(SineCurrent(amplitude=50 * pA, frequency=35 * Hz, phase=90.0), a)
    net.add_drive(SineCurrent(amplitude=50 * pA, frequency=35 * Hz, phase=math.pi / 2), a)


def test_the_value_furthest_out_is_reported_with_its_sign():
    # the largest magnitude sits at one end of the values; with both signs at the top, the
    # first in the array's order is named (as the masked search named it before)
    with pytest.warns(UnitWarning, match=r"`w` = -5\.0 V"):
        warn_magnitude("w", [0.0, -5.0, 5.0, 1e-3], "voltage jump")
    with pytest.warns(UnitWarning, match=r"`w` = 5\.0 V"):
        warn_magnitude("w", [5.0, 1e-3, -5.0], "voltage jump")
    with pytest.warns(UnitWarning, match=r"`w` = 3\.0 V"):
        warn_magnitude("w", [-1.0, 3.0], "voltage jump")


def test_non_finite_values_are_left_to_their_own_checks():
    # NaN and inf do not decide the magnitude: the finite values do
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_magnitude("w", [math.nan, 1e-3, math.inf, -math.inf], "voltage jump")
    with pytest.warns(UnitWarning, match=r"`w` = -2\.0 V"):
        warn_magnitude("w", [math.nan, -2.0, math.inf], "voltage jump")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_magnitude("w", [0.0, math.nan], "voltage jump")
        warn_magnitude("w", [], "voltage jump")


def test_unit_warnings_name_the_users_line():
    """However deep in snn (or in a dataclass's generated ``__init__``) a UnitWarning arises, it
    names the line that made the call, so that ``-W error`` tracebacks and filters point there."""
    import warnings

    from snn.core import Network
    from snn.core.units import ms, second
    from snn.equations import neuron_model
    from snn.neurons import LIFDelta
    from snn.synapses import AllToAll

    model = neuron_model("Slow", "dx/dt = -x / tau : 1\ntau : second")
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIFDelta(), 2)
    calls = [
        lambda: model(tau=150 * second),
        lambda: LIFDelta(tau_m=20 * second),
        lambda: net.connect(pop, pop, rule=AllToAll(), weight=5.0, delay=1 * ms),
        lambda: pop.set(tau_m=30 * second),
    ]
    for call in calls:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            call()
        assert seen and all(w.filename == __file__ for w in seen), [w.filename for w in seen]


def test_state_values_in_the_wrong_unit_warn():
    """NEST's `neuron.set(V_m=-60.0)` pasted: a potential of -60 V would run (or make an HH model
    NaN at its first step); it warns as a parameter would, at init and at set."""
    import warnings

    from snn.core import Network, UnitWarning
    from snn.core.units import ms, mV
    from snn.neurons import LIFExp

    net = Network(dt=0.1 * ms)
    with pytest.warns(UnitWarning, match="`v` = -65.0 V is an unusual potential"):
        pop = net.add_population(LIFExp(), 2, init={"v": -65.0})
    with pytest.warns(UnitWarning, match="did you mean millivolts"):
        pop.set(v=-60.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pop.set(v=-60 * mV)
