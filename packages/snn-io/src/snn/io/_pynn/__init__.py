"""``pyNN.snn``: PyNN's API on snn (``import pyNN.snn as sim``).

PyNN scripts run unchanged on snn with this backend: populations of PyNN's standard cell types
become snn populations of the matching models, projections become snn projections (the common
connectors on snn's numba rules), current sources become snn drives, recordings come back as Neo
blocks with PyNN's annotations. Units and signs are PyNN's (ms, mV, nA, nF, uS; negative weights
for inhibitory current synapses); snn works in SI inside.

This package is imported as ``pyNN.snn`` through the import hook snn-io installs (decision 0012);
see ``docs/from-pynn.md`` for what is supported and how it maps onto snn.
"""

from pyNN import errors, random, space  # noqa: F401
from pyNN.connectors import *  # noqa: F403
from pyNN.network import Network  # noqa: F401
from pyNN.random import GSLRNG, NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import *  # noqa: F403
from pyNN.space import Space  # noqa: F401
from pyNN.standardmodels import StandardCellType

from snn.io._pynn import simulator  # noqa: F401
from snn.io._pynn.cells import *  # noqa: F403
from snn.io._pynn.composed import *  # noqa: F403
from snn.io._pynn.connectors import FixedProbabilityConnector, FromListConnector  # noqa: F401
from snn.io._pynn.control import (  # noqa: F401
    end,
    get_current_time,
    get_max_delay,
    get_min_delay,
    get_time_step,
    initialize,
    num_processes,
    rank,
    reset,
    run,
    run_for,
    run_until,
    setup,
)
from snn.io._pynn.electrodes import *  # noqa: F403
from snn.io._pynn.native_rng import NativeRNG  # noqa: F401
from snn.io._pynn.populations import Assembly, Population, PopulationView  # noqa: F401
from snn.io._pynn.procedural_api import (  # noqa: F401
    connect,
    create,
    record,
    record_gsyn,
    record_v,
    set,
)
from snn.io._pynn.projections import Projection  # noqa: F401
from snn.io._pynn.synapses import *  # noqa: F403
from snn.io._pynn.unavailable import *  # noqa: F403


def list_standard_models() -> list[str]:
    """Names of the standard cell types this backend provides."""
    return sorted(
        obj.__name__
        for obj in globals().values()
        if isinstance(obj, type)
        and issubclass(obj, StandardCellType)
        and obj.__module__ != "pyNN.standardmodels.base"
    )
