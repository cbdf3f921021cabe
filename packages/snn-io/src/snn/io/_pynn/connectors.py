"""PyNN's common connectors on snn's connection rules (numba, no Python loop per neuron).

============================================  ============================================
PyNN                                           snn
============================================  ============================================
``AllToAllConnector``                          :class:`snn.synapses.AllToAll`
``OneToOneConnector``                          :class:`snn.synapses.OneToOne`
``FixedProbabilityConnector``                  :class:`snn.synapses.PairwiseBernoulli`
``FixedNumberPreConnector``                    :class:`snn.synapses.FixedIndegree`
``FixedNumberPostConnector``                   :class:`snn.synapses.FixedOutdegree`
``FixedTotalNumberConnector``                  :class:`snn.synapses.FixedTotalNumber`
============================================  ============================================

``allow_self_connections=False`` excludes autapses, ``with_replacement`` allows multapses.
The rule's draws come from snn's counter-based generator keyed by the network's seed
(``setup(rng_seed=...)``) and the projection, not from the connector's ``rng``; so do weights and
delays drawn from a ``RandomDistribution`` of a law snn has (uniform, normal, clipped normal,
log-normal, exponential). Other weights and delays (functions of distance, arrays, other laws)
are evaluated by PyNN for every pair, when the pair matrix is small enough.

Onto or from an assembly, ``AllToAll`` and ``FixedProbability`` connect each pair of its
populations with the rule. A connector runs PyNN's generic code instead (``native_connect``
returns False) for the others on an assembly, when ``n`` is drawn at random, when PyNN's rule
differs from snn's (more synapses than sources without replacement, ``'NoMutual'``, autapses to
exclude between different but overlapping views), and when a synapse parameter other than weight
and delay differs between synapses, except one that snn holds per synapse (``U``, ``tau_rec``,
``tau_facil`` of ``TsodyksMarkramSynapse``) drawn from a law snn has: snn draws it per synapse
when it makes the projection.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import numpy as np
from pyNN import connectors, errors
from pyNN.random import RandomDistribution
from pyNN.standardmodels.base import check_weights

from snn.core import ConnectionRule
from snn.core.errors import ConfigurationError
from snn.core.random import Clipped, Distribution, Exponential, LogNormal, Normal, Uniform
from snn.core.validate import require_nonnegative, require_type
from snn.synapses import (
    AllToAll,
    FixedIndegree,
    FixedOutdegree,
    FixedTotalNumber,
    OneToOne,
    PairwiseBernoulli,
)

if TYPE_CHECKING:
    from snn.io._pynn.projections import Projection, _Side

__all__ = ["FixedProbabilityConnector", "FromListConnector", "native_connect"]

#: largest pair matrix evaluated in full for weights or delays given per pair (8 bytes each)
_MAX_PAIRS = 20_000_000


class FixedProbabilityConnector(connectors.FixedProbabilityConnector):
    """PyNN's ``FixedProbabilityConnector``, whose probability is checked first.

    PyNN's own asserts ``0 <= p_connect`` (an ``AssertionError``, or nothing under ``python
    -O``, and NaN connects nothing); here a probability that is not a finite number >= 0 is a
    ``ConfigurationError``. As in PyNN, a probability above 1 connects every pair.
    """

    def __init__(self, p_connect: Any, *args: Any, **kwargs: Any) -> None:
        require_type("p_connect", p_connect, (int, float, np.number), "a probability")
        require_nonnegative("p_connect", p_connect)
        super().__init__(p_connect, *args, **kwargs)


class FromListConnector(connectors.FromListConnector):
    """PyNN's ``FromListConnector``, whose list is checked first.

    PyNN's own takes any numbers as indices (``0.5`` becomes neuron 0, ``-1`` the last neuron)
    and fails with an ``IndexError`` on a flat list; here the list must be rows of
    ``(pre, post[, parameters...])`` with whole, non-negative indices.
    """

    def __init__(self, conn_list: Any, *args: Any, **kwargs: Any) -> None:
        if len(conn_list) > 0:
            try:
                rows = np.asarray(conn_list, dtype=np.float64)
            except (TypeError, ValueError):
                rows = None
            if rows is None or rows.ndim != 2 or rows.shape[1] < 2:
                raise ConfigurationError(
                    "FromListConnector: `conn_list` must be rows of (pre, post[, parameters]) "
                    f"numbers, got {conn_list!r:.200}."
                )
            ends = rows[:, :2]
            if not np.all((ends >= 0) & (ends == np.floor(ends))):
                raise ConfigurationError(
                    "FromListConnector: the pre and post indices must be whole numbers >= 0, "
                    f"got {ends[~np.all((ends >= 0) & (ends == np.floor(ends)), axis=1)][0]}."
                )
        super().__init__(conn_list, *args, **kwargs)

    def connect(self, projection: Any) -> None:
        """Connect the pairs of the list (PyNN's own drops targets past the end silently)."""
        if self.conn_list.size and np.any(self.conn_list[:, 1] >= projection.post.size):
            raise errors.ConnectionError(
                f"FromListConnector: target index {int(self.conn_list[:, 1].max())} is out of "
                f"range for {projection.post.size} postsynaptic neurons."
            )
        super().connect(projection)


#: connectors whose rule holds pair by pair: onto an assembly they connect part by part
_PAIRWISE = (
    connectors.AllToAllConnector,
    connectors.FixedProbabilityConnector,
    FixedProbabilityConnector,
)


def native_connect(projection: Projection) -> bool:
    """Build ``projection`` with snn rules; False when PyNN's generic code must do it."""
    connector = projection._connector
    if getattr(connector, "location_selector", None) is not None:
        return False
    sides = [*projection._pre_sides, *projection._post_sides]
    if any(not _consecutive(side.indices) for side in sides):
        return False  # snn connects runs of consecutive neurons: from a list
    pairs = [(pre, post) for pre in projection._pre_sides for post in projection._post_sides]
    if len(pairs) > 1 and type(connector) not in _PAIRWISE:
        return False
    rules = [_rule(connector, pre, post) for pre, post in pairs]
    if any(rule is None for rule in rules):
        return False
    for post in projection._post_sides:
        params = projection._target_parameters(post.population, post.indices)
        if projection.synapse_type.target_groups(params) is not None:
            return False  # one snn projection per group of targets: from a list
    values = _values(connector, projection)
    if values is None:
        return False
    for (pre, post), rule in zip(pairs, rules, strict=True):
        projection._connect_part(pre, post, rule, _part_of(values, pre, post))
    if connector.callback is not None:
        connector.callback(1.0)
    return True


def _consecutive(indices: np.ndarray) -> bool:
    """Whether population indices are a run ``a, a + 1, ...`` (an snn population or view)."""
    return indices.shape[0] == 0 or bool(
        np.array_equal(indices, np.arange(indices[0], indices[0] + indices.shape[0]))
    )


def _part_of(values: dict[str, Any], pre: _Side, post: _Side) -> dict[str, Any]:
    """The values of one part of an assembly: pair matrices cut to its rows and columns."""
    rows = slice(pre.offset, pre.offset + pre.indices.shape[0])
    cols = slice(post.offset, post.offset + post.indices.shape[0])
    return {
        name: value[rows, cols] if isinstance(value, np.ndarray) and value.ndim == 2 else value
        for name, value in values.items()
    }


def _same_and_overlap(pre: _Side, post: _Side) -> tuple[bool, bool]:
    """Whether two sides are the same neurons, and whether they share any."""
    if pre.population is not post.population:
        return False, False
    same = np.array_equal(pre.indices, post.indices)
    return same, same or bool(np.intersect1d(pre.indices, post.indices).size)


def _rule(connector: Any, pre: _Side, post: _Side) -> ConnectionRule | None:
    allow = getattr(connector, "allow_self_connections", True)
    if allow == "NoMutual":
        return None
    same, overlap = _same_and_overlap(pre, post)
    if not allow and overlap and not same:
        return None
    autapses = bool(allow)
    kind = type(connector)
    if kind is connectors.AllToAllConnector:
        return AllToAll(autapses=autapses)
    if kind is connectors.OneToOneConnector:
        return OneToOne()
    if kind in (connectors.FixedProbabilityConnector, FixedProbabilityConnector):
        return PairwiseBernoulli(p=min(float(connector.p_connect), 1.0), autapses=autapses)
    if kind in (
        connectors.FixedNumberPreConnector,
        connectors.FixedNumberPostConnector,
        connectors.FixedTotalNumberConnector,
    ):
        n = connector.n
        if not isinstance(n, int | np.integer):
            return None
        multapses = bool(connector.with_replacement)
        if kind is connectors.FixedTotalNumberConnector:
            return FixedTotalNumber(n=int(n), autapses=autapses, multapses=multapses)
        side = pre if kind is connectors.FixedNumberPreConnector else post
        pool = side.indices.shape[0] - (1 if same and not autapses else 0)
        if not multapses and n > pool:
            return None  # PyNN then connects every neuron once, and draws the rest again
        if kind is connectors.FixedNumberPreConnector:
            return FixedIndegree(indegree=int(n), autapses=autapses, multapses=multapses)
        return FixedOutdegree(outdegree=int(n), autapses=autapses, multapses=multapses)
    return None


def _values(connector: Any, projection: Projection) -> dict[str, Any] | None:
    """Native synapse parameters as numbers, snn distributions or pair matrices (or None)."""
    space = connector._parameters_from_synapse_type(projection)
    model_names = set(projection.synapse_type.model_parameters())
    out: dict[str, Any] = {}
    for name, lazy in space.items():
        if lazy.is_homogeneous:
            value = lazy.evaluate(simplify=True)
            if name == "weight" and connector.safe:
                check_weights(value, projection)
            out[name] = value
            continue
        own = projection.synapse_type.per_synapse_parameters()
        if name in model_names and name not in own:
            return None  # built by PyNN, in one snn projection per value
        scale = projection.weight_scale if name == "weight" else 1.0
        dist = _distribution(lazy, scale)
        if name in own and dist is None:
            return None  # built by PyNN, then set per synapse
        if dist is not None:
            out[name] = dist
        elif np.prod(projection.shape) <= _MAX_PAIRS:
            matrix = np.asarray(lazy.evaluate(simplify=False), dtype=np.float64)
            if name == "weight" and connector.safe:
                check_weights(matrix, projection)
            out[name] = matrix
        else:
            return None
    return out


def _distribution(lazy: Any, scale: float) -> Distribution | None:
    """The snn form of a PyNN ``RandomDistribution`` times constant factors, if snn has the law."""
    base = lazy.base_value
    if not isinstance(base, RandomDistribution):
        return None
    for f, arg in lazy.operations:
        if f is not operator.mul or not isinstance(arg, int | float):
            return None
        scale *= arg
    p = base.parameters
    name = base.name
    if name == "uniform":
        low, high = sorted((p["low"] * scale, p["high"] * scale))
        return Uniform(low=low, high=high)
    if name in ("normal", "normal_clipped", "normal_clipped_to_boundary"):
        normal = Normal(mean=p["mu"] * scale, std=abs(p["sigma"] * scale))
        if name == "normal":
            return normal
        low, high = sorted((p["low"] * scale, p["high"] * scale))
        method = "redraw" if name == "normal_clipped" else "clip"
        return Clipped(normal, low=low, high=high, method=method)
    if name == "lognormal" and scale > 0:
        return LogNormal(mu=p["mu"] + float(np.log(scale)), sigma=p["sigma"])
    if name == "exponential" and scale > 0:
        return Exponential(scale=p["beta"] * scale)
    return None
