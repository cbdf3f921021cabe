"""PyNN's procedural API (``create``, ``connect``, ``record``) for ``pyNN.snn``."""

from __future__ import annotations

from typing import Any

from pyNN import common
from pyNN.connectors import FixedProbabilityConnector

from snn.io._pynn import simulator
from snn.io._pynn.populations import Population
from snn.io._pynn.projections import Projection
from snn.io._pynn.synapses import StaticSynapse

__all__ = ["connect", "create", "record", "record_gsyn", "record_v", "set"]

create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)
set = common.set
record = common.build_record(simulator)


def record_v(source: Any, filename: str) -> None:
    """Record the membrane potential of ``source`` to ``filename``."""
    record(["v"], source, filename)


def record_gsyn(source: Any, filename: str) -> None:
    """Record the synaptic conductances of ``source`` to ``filename``."""
    record(["gsyn_exc", "gsyn_inh"], source, filename)
