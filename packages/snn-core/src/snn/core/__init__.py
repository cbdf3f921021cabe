"""snn.core: the engine of snn.

Network, populations and projections, the generated numba event loop, spike delivery through
ring buffers, monitors, parameter sweeps, counter-based random numbers, units and errors.
Models come from :mod:`snn.neurons`, connection rules from :mod:`snn.synapses`.

Writing models, rules and drives of your own uses the same public surface as the built-in
packages: the protocols exported here (:class:`NeuronModel`, :class:`SpikeGenerator`,
:class:`Drive`, :class:`SynapseModel`, :class:`ConnectionRule`), :mod:`snn.core.kernels` (the
kernel decorator, keyed random draws, generated modules), :mod:`snn.core.validate` (input checks),
:mod:`snn.core.connectivity` (connectivity arrays for rule writers), :mod:`snn.core.random`
(distributions and keys), :mod:`snn.core.units` and :mod:`snn.core.errors`.
"""

from snn.core._connectivity import CSR, ConnectionRule
from snn.core._drives import AttachedDrive
from snn.core._model import Derived, Drive, Model, NeuronModel, Receptor, SpikeGenerator, StateVar
from snn.core._monitors import (
    RateMonitor,
    RateRecord,
    SpikeMonitor,
    SpikeRecord,
    StateMonitor,
    StateRecord,
    WeightMonitor,
    WeightRecord,
)
from snn.core._network import Network
from snn.core._population import Population, PopulationView, Positions
from snn.core._projection import Projection
from snn.core._sweep import SweepTable, grid, sweep
from snn.core._synapse import SynapseModel, Trace
from snn.core.errors import (
    ConfigurationError,
    MemoryBudgetError,
    SimulationError,
    SNNError,
    SNNWarning,
    UnitWarning,
)

__version__ = "0.1.0"

__all__ = [
    "CSR",
    "AttachedDrive",
    "ConfigurationError",
    "ConnectionRule",
    "Derived",
    "Drive",
    "MemoryBudgetError",
    "Model",
    "Network",
    "NeuronModel",
    "Population",
    "PopulationView",
    "Positions",
    "Projection",
    "RateMonitor",
    "RateRecord",
    "Receptor",
    "SNNError",
    "SNNWarning",
    "SimulationError",
    "SpikeGenerator",
    "SpikeMonitor",
    "SpikeRecord",
    "StateMonitor",
    "StateRecord",
    "StateVar",
    "SweepTable",
    "SynapseModel",
    "Trace",
    "UnitWarning",
    "WeightMonitor",
    "WeightRecord",
    "__version__",
    "grid",
    "sweep",
]
