"""Every error in a synapse model text names its place: the text, the line and the column.

Analysis only, except the last tests (units of neuron variables and of the value sent are
checked when the synapses are connected, where the neuron models are known).
"""

from __future__ import annotations

import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import ms, mV, nS, pF
from snn.equations import EquationError, synapse_model
from snn.neurons import LIFCondExp, LIFDelta
from snn.synapses import Explicit

MODEL = """
w : volt
dApre/dt = -Apre / taupre : volt (event-driven)
dApost/dt = -Apost / taupost : volt (event-driven)
taupre : second
taupost : second
gmax : volt
"""
ON_PRE = "ge += w\nApre += 0.01 * gmax\nw = clip(w + Apost, 0 * volt, gmax)"
ON_POST = "Apost -= 0.0105 * gmax\nw = clip(w + Apre, 0 * volt, gmax)"


def error(model=MODEL, on_pre=ON_PRE, on_post=ON_POST, **kw) -> EquationError:
    with pytest.raises(EquationError) as info:
        synapse_model("S", model, on_pre=on_pre, on_post=on_post, **kw)
    return info.value


def where(e: EquationError) -> tuple[str, int, int]:
    return e.where, e.line, e.column


def test_the_text_itself_is_accepted():
    assert dict(synapse_model("S", MODEL, on_pre=ON_PRE, on_post=ON_POST).info.variables) == {
        "Apre": "source",
        "Apost": "target",
    }


@pytest.mark.parametrize(
    ("kw", "place", "fragment"),
    [
        (
            {"model": MODEL.replace("-Apre / taupre", "-Apre / / taupre")},
            ("model", 3, 20),
            "syntax error",
        ),
        ({"on_pre": "ge += w\nw = w + Apots"}, ("on_pre", 2, 9), "did you mean `Apost`"),
        ({"on_pre": "ge += w\nw += Apre / gmax"}, ("on_pre", 2, 6), "unit mismatch"),
        (
            {"model": MODEL.replace("-Apre / taupre", "-Apre**2 / (taupre * gmax)")},
            ("model", 3, 12),
            "linear in its own variable with constant coefficients",
        ),
        ({"on_pre": "ge += w\ntaupre = 1 * ms"}, ("on_pre", 2, 1), "`taupre` is a parameter"),
        ({"on_pre": "ge += w\nge_post += w"}, ("on_pre", 2, 1), "sends to the target twice"),
        ({"on_post": "ge += w"}, ("on_post", 1, 1), "on_post changes the weight"),
        ({"on_pre": "ge -= w"}, ("on_pre", 1, 1), "by adding it"),
        ({"on_pre": "ge += w\nw += v_pre"}, ("on_pre", 2, 6), "not the source's"),
        ({"on_pre": "ge += w\nw += t * volt / second"}, ("on_pre", 2, 6), "`t`: time"),
        ({"on_pre": "ge += w\nApr += gmax"}, ("on_pre", 2, 1), "did you mean `Apre`"),
        ({"on_pre": "ge += w\nv_pre += w"}, ("on_pre", 2, 1), "cannot change the source"),
        (
            {"model": MODEL + "I = w * v_pre / (volt * ms) : amp (summed)"},
            ("model", 8, 1),
            "written `<name>_post`",
        ),
        (
            {"model": "w : siemens\nI_post = w * (v_pre - v_post) : amp (summed)"},
            ("on_pre", 1, 1),
            "with a (summed) variable acts on its target through it",
        ),
        ({"initial": {"Apree": 0.0}}, ("initial['Apree']", 1, 1), "not a variable"),
        ({"model": MODEL + "step : 1"}, ("model", 8, 1), "cannot be declared"),
        ({"model": MODEL + "x_pre : 1"}, ("model", 8, 1), "ends like a neuron variable"),
        (
            {"model": MODEL + "dw/dt = 0 * volt / second : volt (event-driven)"},
            ("model", 8, 2),
            "declared twice",
        ),
    ],
)
def test_errors_name_their_place(kw, place, fragment):
    e = error(**kw)
    assert where(e) == place, str(e)
    assert fragment in e.reason, str(e)
    assert f"line {place[1]}, column {place[2]}" in str(e)


GAP_WRONG = synapse_model(
    "GAP_WRONG", "w : siemens\ncurrent_post = w * v_pre / second : amp (summed)"
)


def lif_pair() -> tuple[Network, object]:
    net = Network(dt=0.1 * ms)
    model = LIFDelta(tau_m=10 * ms, c_m=250 * pF, e_l=-70 * mV, v_th=0.0, v_reset=-70 * mV)
    return net, net.add_population(model, 2)


def test_summed_units_are_checked_with_the_neurons():
    net, pop = lif_pair()
    with pytest.raises(EquationError) as info:
        net.connect(pop, pop, rule=Explicit(pre=[0], post=[1]), weight=1 * nS,
                    synapse=GAP_WRONG())  # fmt: skip
    e = info.value
    assert where(e) == ("model", 2, 16)
    assert (
        "is in volt*siemens" in e.reason or "is in amp" in e.reason or "unit mismatch" in e.reason
    )
    assert not net.projections  # nothing was added


def test_the_value_sent_must_match_the_receptor():
    stdp = synapse_model("S", MODEL.replace("ge", "exc"), on_pre=ON_PRE.replace("ge", "exc"),
                         on_post=ON_POST)  # fmt: skip
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIFCondExp(), 2)
    with pytest.raises(ConfigurationError, match="sends values in V to receptor 'exc'"):
        net.connect(
            pop,
            pop,
            rule=Explicit(pre=[0], post=[1]),
            weight=1 * nS,
            synapse=stdp(taupre=20 * ms, taupost=20 * ms, gmax=2 * mV),
        )
    with pytest.raises(ConfigurationError, match="feeds receptor 'exc'"):
        net.connect(
            pop,
            pop,
            rule=Explicit(pre=[0], post=[1]),
            weight=1 * nS,
            receptor="inh",
            synapse=stdp(taupre=20 * ms, taupost=20 * ms, gmax=2 * mV),
        )


COUPLING = """
dy/dt = -y / tau : 1 (clock-driven)
tau : second
A : amp
I_post = A * y : amp (summed)
"""


@pytest.mark.parametrize(
    ("model", "column"),
    [
        (COUPLING.replace("A * y", "w * A * y"), 10),  # w would be in 1: connect judged it in A
        (COUPLING.replace("-y / tau", "-y / tau + w / tau"), 20),
    ],
)
def test_an_undeclared_weight_cannot_be_read_by_a_coupling(model, column):
    """Neither a summed variable nor a clock-driven equation infers the weight's unit (on_pre's
    ``g += w`` does): an undeclared ``w`` used to be accepted with any unit, while ``connect``
    judged the weights in the receptor's unit (1.0 warned as "1.0 A ... did you mean pA", and
    1 pA scaled ``w * A * y`` by 1e-12 without a word). Brian2 refuses the undefined name."""
    with pytest.raises(EquationError, match="declare its unit") as info:
        synapse_model("S", model, on_pre="y += 1")
    assert where(info.value)[1:] == (5 if column == 10 else 2, column)


def test_a_coupling_without_weight_takes_any_number_silently():
    """A coupling that declares no ``w`` (Brian2's Tsodyks-Pawelzik-Markram synapse) never reads
    its weights: ``connect`` must not judge them as currents of the receptor (it warned that 1.0
    is an unusual current in A)."""
    import warnings

    from snn.equations import neuron_model
    from snn.neurons import SpikeSourceArray
    from snn.synapses import AllToAll

    membrane = neuron_model(
        "M", "dv/dt = (-v + R * I) / tau : volt\nI : amp\nR : ohm\ntau : second", currents=["I"]
    )
    coupling = synapse_model("S", COUPLING, on_pre="y += 1")
    assert coupling.weight_unit == "1"
    net = Network(dt=0.1 * ms)
    source = net.add_population(SpikeSourceArray(times=[1 * ms], indices=[0]), 1)
    target = net.add_population(membrane(R=1e8, tau=10 * ms), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.connect(
            source, target, rule=AllToAll(), weight=1.0, synapse=coupling(tau=3 * ms, A=1e-10)
        )


@pytest.mark.parametrize("flag", ["event-driven", "clock-driven"])
def test_a_weight_with_an_equation_says_what_to_write_instead(flag):
    """Brian2's ``synapses.py`` decays its weight between spikes (``dw/dt = -w/(50*ms)``): the
    error points at `w`, keeps its unit in the declaration it suggests, and gives the way round."""
    with pytest.raises(EquationError) as info:
        synapse_model("S", f"dw/dt = -w / (50*ms) : 1 ({flag})", on_pre="syn += w")
    text = str(info.value)
    assert "line 1, column 2" in text and "(`w : 1`)" in text
    assert "`w * (1 - z)`" in text
