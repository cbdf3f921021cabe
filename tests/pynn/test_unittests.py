"""PyNN's backend-generic unit tests on pyNN.snn.

PyNN's unit tests of populations, views, assemblies, projections and simulation control take the
backend as an argument (``def test_x(self, sim=pyNN.mock)``); they run here with
``sim = pyNN.snn``. Those written for the mock backend's stand-ins (random recorded data, MPI
pretended through its state) do not apply and are left out; every other one passes.
"""

from __future__ import annotations

import inspect
import warnings

import pyNN.snn as sim

MOCK_MPI = "pretends to run on 2 MPI processes through the mock backend's state"
MOCK_SPIKES = "compares the mock backend's made-up spikes"

#: tests written for the mock backend's stand-ins, not run here
NOT_APPLICABLE: dict[str, str] = {
    "test_population::PopulationTest::test_get_multiple_params_no_gather": MOCK_MPI,
    "test_population::PopulationTest::test_get_spike_counts": MOCK_SPIKES,
    "test_population::PopulationTest::test_get_spikes_with_gather": MOCK_SPIKES,
    "test_population::PopulationTest::test_set_random_distribution_parallel_safe": MOCK_MPI,
    "test_population::PopulationTest::test_set_random_distribution_parallel_unsafe": MOCK_MPI,
    "test_populationview::PopulationViewTest::test_get_data_with_gather": MOCK_SPIKES,
    "test_population::PopulationTest::test_mean_spike_count": MOCK_SPIKES,
    "test_populationview::PopulationViewTest::test_get_spike_counts": MOCK_SPIKES,
    "test_populationview::PopulationViewTest::test_mean_spike_count": MOCK_SPIKES,
    "test_assembly::AssemblyTest::test_get_multiple_params_no_gather": MOCK_MPI,
    "test_assembly::AssemblyTest::test_mean_spike_count": MOCK_SPIKES,
    "test_projection::CheckTest::test_check_weights_with_array": MOCK_MPI,
    "test_projection::CheckTest::test_check_weights_with_invalid_value": MOCK_MPI,
    "test_projection::CheckTest::test_check_weights_with_scalar": MOCK_MPI,
}

#: test id to the reason it fails here (none today; the harness keeps the slot)
EXPECTED_FAILURES: dict[str, str] = {}


def _call(method, *, sim_arg):
    if "sim" in inspect.signature(method).parameters:
        return method(sim=sim_arg)
    return method()


def test_unit(unit_test):
    cls, name = unit_test
    case = cls(name)
    with warnings.catch_warnings():
        # PyNN's tests call PyNN's deprecated functions
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        _call(case.setUp, sim_arg=sim)
        try:
            _call(getattr(case, name), sim_arg=sim)
        finally:
            _call(case.tearDown, sim_arg=sim)
