"""Bad input raises a clear ConfigurationError naming the parameter, and nothing is half built."""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import ConfigurationError, Network, SNNError
from snn.core.units import Hz, ms, mV, nS
from snn.neurons import LIFCondExp, LIFDelta, LIFExp, PoissonInput, PoissonSource, SpikeSourceArray
from snn.synapses import Explicit, FixedIndegree, PairwiseBernoulli


def test_error_hierarchy():
    assert issubclass(ConfigurationError, SNNError)
    assert issubclass(ConfigurationError, ValueError)


@pytest.mark.parametrize(
    ("factory", "name"),
    [
        (lambda: LIFDelta(tau_m=-20 * ms), "tau_m"),
        (lambda: LIFDelta(tau_m=0.0), "tau_m"),
        (lambda: LIFExp(tau_syn_ex=0.0), "tau_syn_ex"),
        (lambda: LIFCondExp(tau_syn_in=-1 * ms), "tau_syn_in"),
        (lambda: LIFCondExp(g_l=0.0), "g_l"),
        (lambda: LIFDelta(c_m=float("nan")), "c_m"),
        (lambda: LIFDelta(t_ref=-1 * ms), "t_ref"),
        (lambda: LIFDelta(v_th=float("nan")), "v_th"),
        (lambda: PoissonSource(rate=-5 * Hz), "rate"),
        (lambda: PoissonSource(rate=float("nan")), "rate"),
        (lambda: PoissonInput(rate=-1.0, weight=0.1 * mV), "rate"),
        (lambda: PoissonInput(rate=float("nan"), weight=0.1 * mV), "rate"),
    ],
)
def test_bad_model_parameters_name_the_parameter(factory, name):
    with pytest.raises(ConfigurationError, match=f"`{name}`"):
        factory()


def test_error_message_says_what_and_got():
    with pytest.raises(ConfigurationError) as info:
        LIFDelta(tau_m=-0.02)
    assert str(info.value) == "`tau_m` must be > 0 s, got -0.02."


def test_reset_above_threshold_refused():
    with pytest.raises(ConfigurationError, match="v_reset"):
        LIFDelta(v_th=-60 * mV, v_reset=-50 * mV)


@pytest.mark.parametrize("dt", [0.0, -0.1 * ms, float("nan"), float("inf")])
def test_bad_dt(dt):
    with pytest.raises(ConfigurationError, match="`dt`"):
        Network(dt=dt)


def test_dt_above_one_ms_warns():
    from snn.core import UnitWarning

    with pytest.warns(UnitWarning, match="milliseconds"):
        Network(dt=0.1)


def test_time_constant_in_ms_by_mistake_warns():
    from snn.core import UnitWarning

    with pytest.warns(UnitWarning, match="tau_m"):
        LIFDelta(tau_m=20.0)


def _two_pops(seed=1):
    net = Network(dt=0.1 * ms, seed=seed)
    a = net.add_population(LIFDelta(), 10, name="a")
    b = net.add_population(LIFDelta(), 20, name="b")
    return net, a, b


def test_delay_shorter_than_dt_refused_and_nothing_built():
    net, a, b = _two_pops()
    with pytest.raises(ConfigurationError, match=r"`delay`.*one time step"):
        net.connect(a, b, rule=PairwiseBernoulli(p=0.5), weight=1 * mV, delay=0.01 * ms)
    assert net.projections == []
    assert net.n_synapses == 0


def test_delay_distribution_below_dt_refused_and_nothing_built():
    from snn.core.random import Uniform

    net, a, b = _two_pops()
    with pytest.raises(ConfigurationError, match="shorter than one time step"):
        net.connect(
            a,
            b,
            rule=PairwiseBernoulli(p=0.5),
            weight=1 * mV,
            delay=Uniform(low=0.0, high=0.2 * ms),
        )
    assert net.projections == []


def test_off_grid_delay_rounds_with_one_warning():
    from snn.core import SNNWarning

    net, a, b = _two_pops()
    with pytest.warns(SNNWarning, match="rounded"):
        q = net.connect(a, b, rule=PairwiseBernoulli(p=1.0), weight=1 * mV, delay=0.26 * ms)
    assert np.allclose(q.delays(), 0.3 * ms)


def test_population_from_another_network_refused():
    net, a, _ = _two_pops()
    _other, c, _ = _two_pops()
    with pytest.raises(ConfigurationError, match="another network"):
        net.connect(a, c, rule=PairwiseBernoulli(p=0.1), weight=1 * mV)
    with pytest.raises(ConfigurationError, match="another network"):
        net.record_spikes(c)
    assert net.projections == []


def test_parameter_array_of_wrong_length_refused():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match=r"3 values.*5 neurons"):
        net.add_population(LIFDelta(v_th=np.array([-50, -51, -52]) * mV), 5)
    assert net.populations == []


def test_initial_value_array_of_wrong_length_refused():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="length 5"):
        net.add_population(LIFDelta(), 5, init={"v": np.zeros(4)})
    assert net.populations == []


def test_unknown_state_variable_in_init_refused():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="not state variables"):
        net.add_population(LIFDelta(), 5, init={"u": 0.0})


def test_explicit_indices_out_of_range_refused_and_nothing_built():
    net, a, b = _two_pops()
    with pytest.raises(ConfigurationError, match=r"`post` indices must lie in \[0, 19\], got 20"):
        net.connect(a, b, rule=Explicit(pre=[0, 1], post=[3, 20]), weight=1 * mV)
    with pytest.raises(ConfigurationError, match="`pre` indices"):
        net.connect(a, b, rule=Explicit(pre=[-1, 1], post=[3, 2]), weight=1 * mV)
    with pytest.raises(ConfigurationError, match="length 2"):
        net.connect(a, b, rule=Explicit(pre=[0, 1], post=[3, 2]), weight=np.ones(3) * mV)
    assert net.projections == []


def test_spike_source_indices_out_of_range_refused():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="`indices` must be < 3"):
        net.add_population(SpikeSourceArray(times=[1 * ms], indices=[3]), 3)


def test_spike_source_time_zero_refused():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="spike times must be >= dt"):
        net.add_population(SpikeSourceArray(times=[0.0], indices=[0]), 1)


def test_weight_sign_checked_against_receptor():
    net = Network(dt=0.1 * ms)
    a = net.add_population(LIFCondExp(), 5)
    with pytest.raises(ConfigurationError, match=">= 0 S"):
        net.connect(a, a, rule=PairwiseBernoulli(p=0.5), weight=-1 * nS, receptor="inh")
    b = net.add_population(LIFExp(), 5)
    with pytest.raises(ConfigurationError, match="<= 0 A"):
        net.connect(a, b, rule=PairwiseBernoulli(p=0.5), weight=1e-12, receptor="inh")
    with pytest.raises(ConfigurationError, match="no receptor 'gaba'"):
        net.connect(a, b, rule=PairwiseBernoulli(p=0.5), weight=1e-12, receptor="gaba")
    with pytest.raises(ConfigurationError, match="name one with `receptor=`"):
        net.connect(a, b, rule=PairwiseBernoulli(p=0.5), weight=1e-12)
    assert net.projections == []


def test_nan_weight_refused():
    net, a, b = _two_pops()
    with pytest.raises(ConfigurationError, match="NaN"):
        net.connect(a, b, rule=PairwiseBernoulli(p=0.5), weight=float("nan"))


def test_fixed_indegree_larger_than_pool_refused():
    net, a, b = _two_pops()
    with pytest.raises(ConfigurationError, match="FixedIndegree\\(11\\)"):
        net.connect(a, b, rule=FixedIndegree(indegree=11), weight=1 * mV)


def test_duration_not_multiple_of_dt_refused():
    net, _, _ = _two_pops()
    with pytest.raises(ConfigurationError, match="multiple of dt"):
        net.run(0.15 * ms)
    assert net.step == 0


def test_poisson_source_rate_too_high_for_dt():
    net = Network(dt=0.1 * ms)
    with pytest.raises(ConfigurationError, match="rate"):
        net.add_population(PoissonSource(rate=20000 * Hz), 3)
    assert net.populations == []


def test_record_unknown_variable_refused():
    net, a, _ = _two_pops()
    with pytest.raises(ConfigurationError, match="state variables are"):
        net.record_state(a, "w")
    # a receptor or a parameter asked for as a state variable: the error says what it is
    receptor = a.model.receptors[0].name
    with pytest.raises(ConfigurationError, match=rf"`{receptor}` is an input of the model"):
        net.record_state(a, ["v", receptor])
    with pytest.raises(ConfigurationError, match=r"`tau_m` is a parameter: read it with"):
        net.record_state(a, "tau_m")
    with pytest.raises(ConfigurationError, match="Did you mean 'v'"):
        net.record_state(a, "vv")
    with pytest.raises(ConfigurationError, match=r"lie in \[0, 9\]"):
        net.record_state(a, "v", neurons=[12])
    with pytest.raises(ConfigurationError, match="multiple of dt"):
        net.record_state(a, "v", interval=0.15 * ms)


def test_duplicate_names_refused():
    net, _a, _ = _two_pops()
    with pytest.raises(ConfigurationError, match="already used"):
        net.add_population(LIFDelta(), 3, name="a")


def test_too_large_population_refused_before_allocation():
    from snn.core import MemoryBudgetError

    net = Network(dt=0.1 * ms)
    with pytest.raises(MemoryBudgetError, match="MiB"):
        net.add_population(LIFDelta(), 10**13)
    assert net.populations == []


def test_too_many_synapses_refused_before_allocation():
    from snn.core import MemoryBudgetError

    net = Network(dt=0.1 * ms)
    big = net.add_population(LIFDelta(), 4_000_000)
    with pytest.raises(MemoryBudgetError, match="synapses"):
        net.connect(big, big, rule=FixedIndegree(indegree=4000), weight=0.1 * mV)
    assert net.projections == []


def test_negative_conductance_weight_explains_the_reversal_potential():
    # NEST selects a conductance model's inhibitory receptor by the weight's sign; snn by name
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIFCondExp(), 2)
    with pytest.raises(ConfigurationError, match=r"is a conductance and must be >= 0 S.*magnitude"):
        net.connect(pop, pop, rule=Explicit(pre=[0], post=[1]), weight=-67 * nS, receptor="inh")
    # a current receptor that only takes positive weights names the inhibitory one instead
    cur = net.add_population(LIFExp(), 2)
    with pytest.raises(ConfigurationError, match=r"excitatory receptor.*inhibitory receptor"):
        net.connect(cur, cur, rule=Explicit(pre=[0], post=[1]), weight=-1e-12, receptor="exc")


@pytest.mark.parametrize(
    ("given", "hint"),
    [("V_m", "Did you mean 'v'"), ("V_th", "Did you mean 'v_th'"), ("TAU_M", "'tau_m'")],
)
def test_nest_names_get_snn_names(given, hint):
    net = Network(dt=0.1 * ms)
    pop = net.add_population(LIFExp(), 2)
    with pytest.raises(ConfigurationError, match=hint):
        pop.set(**{given: 1.0})


def test_unknown_model_parameter_is_a_configuration_error_with_a_hint():
    with pytest.raises(ConfigurationError, match=r"no parameter 'E_L'\. Did you mean 'e_l'"):
        LIFExp(E_L=-70 * mV)
    with pytest.raises(ConfigurationError, match="the state variable 'v': give its initial"):
        LIFExp(V_m=-70 * mV)
    with pytest.raises(ConfigurationError, match=r"no parameter 'rat'\. Did you mean 'rate'"):
        PoissonInput(rat=10 * Hz, weight=1 * mV)
    with pytest.raises(ConfigurationError, match=r"'exc' is an input of the model.*projection"):
        LIFExp(exc=1.0)
    with pytest.raises(ConfigurationError, match=r"'current' is an input.*DCSource"):
        LIFExp(current=1.0)


def test_law_and_per_value_messages_say_what_was_done():
    """A sweep of NEST's documentation found two misleading messages: a shifted Exponential
    reported as "scaled by a factor <= 0", and a built-in synapse parameter given per synapse
    refused without saying which parameters may be."""
    from snn.core.random import Exponential
    from snn.plasticity import PairSTDP

    with pytest.raises(ConfigurationError, match=r"shifted by 1\.0"):
        Exponential(scale=1.0) + 1.0
    with pytest.raises(ConfigurationError, match=r"scaled by -2\.0"):
        Exponential(scale=1.0) * -2.0
    with pytest.raises(ConfigurationError, match=r"every parameter is one value.*snn\.equations"):
        PairSTDP(alpha=np.ones(3))
