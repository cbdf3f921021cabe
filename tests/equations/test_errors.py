"""Every error in a model text names its place: the text, the line and the column.

The cases of the brief (syntax, undefined name with a suggestion, unit mismatch naming the term
and both units, a method that cannot integrate the system, a threshold on an unknown variable,
a reset that writes a parameter) and the other checks of the analysis. Analysis only: nothing is
compiled, so the file runs in about a second.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core.errors import ConfigurationError
from snn.core.units import ms, mV
from snn.equations import EquationError, neuron_model

LIF = """
dv/dt = (E_L - v) / tau : volt
E_L : volt
tau : second
"""


def error(equations=LIF, **kw) -> EquationError:
    with pytest.raises(EquationError) as info:
        neuron_model("M", equations, **kw)
    return info.value


def where(e: EquationError) -> tuple[str, int, int]:
    return e.where, e.line, e.column


def test_syntax_error_points_at_the_character():
    e = error("dv/dt = (E_L - v)) / tau : volt\nE_L : volt\ntau : second")
    assert where(e) == ("equations", 1, 18)
    assert "syntax error" in e.reason
    assert "unmatched ')'" in e.reason


def test_undefined_name_suggests_the_closest():
    e = error("dv/dt = (E_L - v) / tua : volt\nE_L : volt\ntau : second")
    assert where(e) == ("equations", 1, 21)
    assert "undefined name `tua`" in e.reason
    assert "did you mean `tau`" in e.reason


def test_unit_mismatch_names_the_term_and_both_units():
    eqs = """
    dv/dt = (g_L * (E_L - v) +
             g_ex) / C_m : volt
    g_L : siemens
    E_L : volt
    g_ex : siemens
    C_m : farad
    """
    e = error(eqs)
    assert where(e) == ("equations", 3, 14)
    assert "`g_L * (E_L - v)` is in amp" in e.reason
    assert "`g_ex` is in siemens" in e.reason


def test_left_and_right_hand_sides_must_agree():
    e = error("dv/dt = E_L - v : volt\nE_L : volt")
    assert where(e) == ("equations", 1, 9)
    assert "is in volt, but `dv/dt` is in volt/second" in e.reason


def test_method_that_cannot_integrate_the_system_names_the_term():
    eqs = """
    dv/dt = (E_L - v + D * exp((v - V_T) / D)) / tau : volt
    E_L : volt
    D : volt
    V_T : volt
    tau : second
    """
    e = error(eqs, method="exact")
    assert where(e) == ("equations", 2, 28)
    assert "method 'exact' cannot integrate `dv/dt`" in e.reason
    assert "`exp((v - V_T) / D)`" in e.reason
    # Brian2 reads exponential Euler as "a sum of terms linear in v", the exponential held at the
    # step's start: accepted as Brian2 accepts it; a term in v**2 is not of that form
    assert neuron_model("A", eqs, method="exponential_euler").info.method == "exponential_euler"
    e = error(eqs.replace("D * exp((v - V_T) / D)", "(v - V_T)**2 / D"), method="exponential_euler")
    assert "is not linear in `v`" in e.reason
    assert "`(v - V_T) ** 2`" in e.reason


def test_method_error_looks_inside_subexpressions():
    eqs = """
    dv/dt = (E_L - v + I_exp) / tau : volt
    I_exp = D * exp((v - V_T) / D) : volt
    E_L : volt
    D : volt
    V_T : volt
    tau : second
    """
    e = error(eqs, method="exact")
    assert where(e) == ("equations", 3, 17)


def test_noise_needs_a_stochastic_method():
    e = error(
        "dv/dt = -v / tau + s * xi : volt\ntau : second\ns : volt / second**0.5", method="rk4"
    )
    assert where(e) == ("equations", 1, 24)
    assert "cannot integrate stochastic equations" in e.reason
    e = error(
        "dv/dt = -v / tau + v * s * xi : volt\ntau : second\ns : second**-0.5", method="euler"
    )
    assert "multiplicative" in e.reason


def test_threshold_on_an_unknown_variable():
    e = error(threshold="V > -50*mV")
    assert where(e) == ("threshold", 1, 1)
    assert "undefined name `V`; did you mean `v`?" in e.reason


def test_reset_that_writes_a_parameter():
    e = error(threshold="v > -50*mV", reset="v = -70*mV\nE_L = -60*mV")
    assert where(e) == ("reset", 2, 1)
    assert "`E_L` is a parameter" in e.reason


@pytest.mark.parametrize(
    ("kw", "place", "fragment"),
    [
        (
            {"equations": "dv/dt = -v / tau : mV\ntau : second"},
            ("equations", 1, 20),
            "SI base form (`volt`)",
        ),
        ({"equations": "dv/dt = -v / tau\ntau : second"}, ("equations", 1, 17), "missing `: unit`"),
        (
            {"equations": "dv/dt = exp(v) / tau : volt\ntau : second"},
            ("equations", 1, 13),
            "needs a dimensionless argument",
        ),
        (
            {
                "equations": "dv/dt = sin(t / ms) * volt / tau : volt\ntau : second",
                "method": "exact",
            },
            ("equations", 1, 13),
            "`t` is not linear with constant coefficients, or changes within the step",
        ),
        (
            {
                "equations": "dv/dt = -v / tau : volt\ntau : second",
                "threshold": "rand() < 0.1 and rand() < v / volt",
            },
            ("threshold", 1, 18),
            "one rand() per neuron and step",
        ),
        (
            {"equations": "dv/dt = (rand() - v) / tau : 1\ntau : second"},
            ("equations", 1, 10),
            "cannot appear in a differential equation",
        ),
        (
            {"equations": "dv/dt = -v / tau : volt\ndv/dt = 0 : volt\ntau : second"},
            ("equations", 2, 2),
            "declared twice",
        ),
        (
            {"equations": "dv/dt = -v / tau : volt (shared)\ntau : second"},
            ("equations", 1, 26),
            "flag (shared) is not allowed",
        ),
        (
            {"equations": "dv/dt = -v / tau : volt (unless refractory)\ntau : second"},
            ("equations", 1, 26),
            "no refractory period",
        ),
        (
            {"equations": "dv/dt = -v / tau : volt\n_x : second\ntau : second"},
            ("equations", 2, 1),
            "reserved",
        ),
        (
            {"equations": "dv/dt = -v / tau : volt\ntau : second", "method": "magic"},
            ("method", 1, 1),
            "unknown method",
        ),
        ({"on_spike": {"syn": "v += w**2"}}, ("on_spike['syn']", 1, 6), "not linear"),
        ({"on_spike": {"syn": "v += 1*mV"}}, ("on_spike['syn']", 1, 1), "does not use"),
        ({"on_spike": {"syn": "v = w"}}, ("on_spike['syn']", 1, 1), "leave `v` as is"),
        # Brian2 scripts name an inhibitory pathway `in`; say why it is refused
        ({"on_spike": {"in": "v += w"}}, ("on_spike['in']", 1, 1), "`in` is a Python keyword"),
        ({"on_spike": {"_x": "v += w"}}, ("on_spike['_x']", 1, 1), "must not start with `_`"),
        ({"on_spike": {"a b": "v += w"}}, ("on_spike['a b']", 1, 1), "not an identifier"),
        # Brian2's `on_pre="ge += w"` names the target's variable; snn's names a receptor
        (
            {"on_spike": {"v": "v += w"}},
            ("on_spike['v']", 1, 1),
            "give the receptor its own name (on_spike={'v_in': ...})",
        ),
        ({"reset": "v = -70*mV"}, ("reset", 1, 1), "needs a threshold"),
        ({"threshold": "v - 50*mV"}, ("threshold", 1, 1), "must be a condition"),
        (
            {"threshold": "E_L > 0*mV"},
            ("threshold", 1, 1),
            "depends on no state variable, current input, time or rand(): `E_L` is a "
            "parameter (constant between `set` calls); for a variable that the reset or events "
            "change, write `dE_L/dt = 0/second : <unit>`",
        ),
        ({"refractory": "E_L"}, ("refractory", 1, 1), "a time or a condition"),
        ({"initial": {"u": -70 * mV}}, ("initial['u']", 1, 1), "not a state variable"),
        ({"initial": {"v": "tau"}}, ("initial['v']", 1, 1), "unit mismatch"),
        (
            {
                "equations": "dv/dt = -v / tau + s * xi_1 + s * xi_2 : volt\ntau : second\n"
                "s : volt / second**0.5"
            },
            ("equations", 1, 35),
            "one noise source",
        ),
        (
            {"equations": "dv/dt = (a - v) / tau : volt\na = b : volt\nb = a : volt\ntau : second"},
            ("equations", 2, 1),
            "cycle",
        ),
    ],
)
def test_other_errors(kw, place, fragment):
    kw = {"equations": LIF, **kw}
    equations = kw.pop("equations")
    if "reset" in kw and "threshold" not in kw and fragment != "needs a threshold":
        kw["threshold"] = "v > -50*mV"
    e = error(equations, **kw)
    assert where(e) == place, str(e)
    assert fragment in e.reason, str(e)


def test_message_quotes_the_line_with_a_caret():
    e = error("dv/dt = (E_L - v) / tua : volt\nE_L : volt\ntau : second")
    lines = str(e).splitlines()
    assert lines[1].strip() == "dv/dt = (E_L - v) / tua : volt"
    assert lines[2].index("^") - lines[1].index("d") == 20


def test_parameters_are_validated_on_construction():
    model = neuron_model("M", LIF + "V_th : volt (shared)", threshold="v > V_th")
    with pytest.raises(ConfigurationError, match="`tau` must be a number, got nan"):
        model(E_L=-70 * mV, tau=float("nan"), V_th=-50 * mV)
    with pytest.raises(ConfigurationError, match="declared \\(shared\\)"):
        model(E_L=-70 * mV, tau=10 * ms, V_th=np.full(3, -50 * mV))
    with pytest.raises(TypeError, match="tau"):
        model(E_L=-70 * mV, V_th=-50 * mV)
    with pytest.raises(ConfigurationError, match="not parameters of the model"):
        neuron_model("M", LIF, defaults={"tau_m": 10 * ms})


def test_currents_must_be_declared():
    with pytest.raises(EquationError, match="named in `currents` but not declared"):
        neuron_model("M", LIF, currents=["I_ext"])


@pytest.mark.parametrize(
    ("jump", "expression"),
    [
        # Python floats: 0.0 ** -1 raises ZeroDivisionError inside the generated constants
        ("v += w / (1 - tau/tau2)", "(-tau/tau2 + 1)**(-1.0)"),
        # numpy: 0/0 gives NaN, caught by the finiteness check (NEST's beta normalisation)
        ("v += w * exp(-tau2*log(tau/tau2)/(tau - tau2))", "log(tau/tau2)/(tau - tau2)"),
    ],
)
def test_a_constant_that_fails_for_the_given_parameters_names_its_expression(jump, expression):
    """Parameters for which an expression of constants divides by zero: the error names the
    model, the expression and the values (it was a raw ZeroDivisionError from the generated
    module, or an error blaming a time constant far below dt)."""
    from snn.core import Network

    model = neuron_model(
        "Pack",
        "dv/dt = -v/tau : volt\ntau : second\ntau2 : second",
        threshold="v > 10*mV",
        reset="v = 0*volt",
        on_spike={"syn": jump},
    )
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError) as info:
        net.add_population(model(tau=10 * ms, tau2=10 * ms), 1)
    text = str(info.value)
    assert text.startswith("Pack: ")
    assert expression in text and "tau = 0.01, tau2 = 0.01" in text
    assert len(net.populations) == 0
    net.add_population(model(tau=10 * ms, tau2=5 * ms), 1)  # fine with other values


def test_too_many_state_variables_refused_when_the_model_is_made():
    """A delay line of 31 stages needs 32 step arguments, more than numba inlines: the model is
    refused when it is made, naming the state variables (it used to fail when a population was
    added, blaming per-neuron parameters it did not have); 29 stages fit."""
    line = "dR1/dt = (I - R1) / dt : 1\nI : 1\n"
    stages = "".join(f"dR{j}/dt = (R{j - 1} - R{j}) / dt : 1\n" for j in range(2, 32))
    with pytest.raises(ConfigurationError, match="31 state variables"):
        neuron_model("LINE31", line + stages, currents=["I"], method="euler")
    fits = "".join(f"dR{j}/dt = (R{j - 1} - R{j}) / dt : 1\n" for j in range(2, 30))
    neuron_model("LINE29", line + fits, currents=["I"], method="euler")
