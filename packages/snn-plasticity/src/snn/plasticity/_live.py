"""In-place access to a projection's weights and synapse variables, for slow processes.

Homeostatic scaling and neuromodulated weight updates run between steps (``Network.every``) and
change every synapse of a projection. :meth:`Projection.weights` and
:meth:`Projection.synapse_state` hand out copies, so these processes reach the engine's own
arrays here, in one place (the engine keeps them in place between runs: the loop reads them
through getters each time it is called).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from snn.core import Projection
from snn.core.errors import ConfigurationError

__all__ = ["live_state", "live_weights"]


def live_weights(projection: Projection) -> np.ndarray:
    """The weight array of a stateful projection (storage order), to be changed in place."""
    if projection.synapse is None:
        raise ConfigurationError(
            f"projection {projection.name!r} has static synapses; connect it with a synapse "
            "model to let a plasticity process change its weights."
        )
    weight: Any = projection._csr.weight
    return weight


def live_state(projection: Projection, name: str) -> np.ndarray:
    """Synapse variable ``name`` of a stateful projection, to be changed in place."""
    names = [] if projection.synapse is None else [v.name for v in projection.synapse.synapse_vars]
    if name not in names:
        raise ConfigurationError(
            f"projection {projection.name!r} has no synapse variable {name!r}; it has {names}."
        )
    state: np.ndarray = projection._syn_state[name]
    return state
