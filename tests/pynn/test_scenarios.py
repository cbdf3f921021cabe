"""PyNN's system scenarios (``test/system/scenarios`` of its source distribution) on pyNN.snn.

Each scenario is PyNN's own test function, called with ``sim = pyNN.snn``; the ones that do not
pass are listed below with the reason, as strict expected failures (they must start passing when
the reason goes away), and in ``docs/from-pynn.md``.
"""

from __future__ import annotations

import warnings

import pyNN.snn as sim
import pytest

# snn features being added in issue 15 (live networks) and issue 20 (reference models)
RESET = "needs Network.reset (issue 15)"
SET_PARAMETERS = "needs Population.set of model parameters (issue 15)"
SET_TIMES = "needs Population.set of a SpikeSourceArray's spike times (issue 15)"
SET_DRIVE = "needs drives whose parameters change between runs (AttachedDrive.set, issue 15)"
VIEWS = "needs drives and monitors on arbitrary views of a population (issue 15)"
SET_SYNAPSES = "needs Projection.set of weights and delays (issue 15)"
ADEX_ALPHA = "needs snn.neurons.AdExCondAlpha, NEST's aeif_cond_alpha (issue 20)"
# what snn does not do
U_PER_SYNAPSE = (
    "TsodyksMarkramSynapse with U differing between the synapses of one projection: snn's "
    "synapse models hold one value per projection"
)
OFF_GRID = "spike times off the time grid (spike_precision='off_grid'): snn's spikes are on it"
COMPOSED = (
    "PointNeuron composed of an AdExp and alpha-conductance receptors of its own: snn has no "
    "model with named conductance receptors"
)
STOCHASTIC = "SimpleStochasticSynapse: snn has no synapse that fails at random"
MULTICOMPARTMENT = "multi-compartment neurons with morphologies: pyNN.snn runs point neurons"

#: scenario id to the reason it fails here
EXPECTED_FAILURES: dict[str, str] = {
    "test__simulation_control::test_reset": RESET,
    "test__simulation_control::test_reset_with_clear": RESET,
    "test__simulation_control::test_reset_with_spikes": RESET,
    "test_cell_types::test_EIF_cond_alpha_isfa_ista": ADEX_ALPHA,
    "test_cell_types::test_composed_neuron_model_homogeneous_receptors": COMPOSED,
    "test_cell_types::test_update_SpikeSourceArray": SET_TIMES,
    "test_connection_handling::test_connection_access_weight_and_delay": SET_SYNAPSES,
    "test_connectors::test_all_to_all_tsodyksmarkram": U_PER_SYNAPSE,
    "test_connectors::test_fixed_number_post_with_replacement_heterogeneous_parameters": (
        U_PER_SYNAPSE
    ),
    "test_connectors::test_fixed_number_pre_with_replacement_heterogeneous_parameters": (
        U_PER_SYNAPSE
    ),
    "test_electrodes::test_changing_electrode": SET_DRIVE,
    "test_electrodes::test_issue321": f"{SET_PARAMETERS}; {VIEWS}",
    "test_electrodes::test_issue437": VIEWS,
    "test_electrodes::test_issue451": SET_DRIVE,
    "test_electrodes::test_issue487": VIEWS,
    "test_electrodes::test_issue497": VIEWS,
    "test_electrodes::test_issue759": SET_DRIVE,
    "test_electrodes::test_issue_465_474_630": VIEWS,
    "test_issue274::test_issue274": SET_SYNAPSES,
    "test_parameter_handling::test_issue302": SET_SYNAPSES,
    "test_parameter_handling::test_set_synaptic_parameters_fully_connected": (
        f"{SET_SYNAPSES}; then {U_PER_SYNAPSE}"
    ),
    "test_parameter_handling::test_set_synaptic_parameters_multiply_connected": SET_SYNAPSES,
    "test_parameter_handling::test_set_synaptic_parameters_partially_connected": (
        f"{SET_SYNAPSES}; then {U_PER_SYNAPSE}"
    ),
    "test_recording::test_issue259": OFF_GRID,
    "test_recording::test_record_with_filename": VIEWS,
    "test_recording::test_reset_recording": f"{SET_PARAMETERS}; {RESET}",
    "test_scenario2::test_scenario2": VIEWS,
    "test_scenario3::test_scenario3": SET_PARAMETERS,
    "test_scenario5::test_scenario5": MULTICOMPARTMENT,
    "test_synapse_types::test_simple_stochastic_synapse": STOCHASTIC,
    "test_ticket166::test_ticket166": SET_TIMES,
}


def test_scenario(scenario, tmp_path, monkeypatch):
    func, _ = scenario
    monkeypatch.chdir(tmp_path)  # scenarios write files into the working directory
    with warnings.catch_warnings():
        # PyNN's scenarios call PyNN's deprecated functions (create, record_v, ...), and
        # compute expected values that divide by zero for a neuron they then leave out
        # (test_scenario2); PyNN runs them without warnings as errors
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pynn_scenarios\.")
        try:
            func(sim)
        except pytest.skip.Exception as exc:
            # a scenario skips itself when a library it needs is missing (morphologies): here
            # that means it did not run
            raise AssertionError(f"the scenario did not run: {exc}") from None
