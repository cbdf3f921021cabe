"""Receptor inputs counted in whole multiples of one weight (decision 0025).

A ring buffer row holds, for each neuron, the sum of the inputs that reach one receptor at one
step. When everything that feeds the receptor adds whole multiples ``k * q`` of one weight ``q``
(static projections of one weight each, Poisson drives whose events carry one weight), the ring
holds the integers ``k`` summed, and the update reads ``count * q``: an integer sum is exact in
any order, and the row of 4-byte integers halves the memory that delivery scatters into and that
the update reads and clears (full Brunel: delivery 0.50 -> 0.38 s per biological second).

The choice follows the weights, checked whenever the loop is prepared and after callbacks
(:func:`sync_quanta`): a weight that stops being a whole multiple of its receptor's quantum
turns the ring into floats (its counts times ``q``) for good, and the loop is generated again
once (from a callback, between two chunks of the run). Snapshots and checkpoint files see the
inputs in the receptor's unit (:func:`ring_values`, :func:`put_ring_values`), whatever the ring
holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._coupling import is_coupling

if TYPE_CHECKING:
    from snn.core._network import Network
    from snn.core._population import Population

__all__ = [
    "counted_weight",
    "prepare_ring",
    "put_ring_values",
    "ring_quantum",
    "ring_values",
    "sync_quanta",
    "to_floats",
]

#: the largest multiple of the quantum a single weight may be
MAX_MULTIPLE = 2**15
#: events a counted drive adds to one neuron in one step, at most (PoissonInput: fewer than 300
#: at its largest mean, 100 per step)
MAX_DRIVE_COUNT = 2**20


def _writers(net: Network, pop: Population, rec: str) -> tuple[list[Any], list[Any]]:
    projections = [q for q in net._projections_into(pop) if q.receptor == rec]
    drives = [d for d in net._drives_of(pop) if d.receptor == rec]
    return projections, drives


def ring_quantum(net: Network, pop: Population, rec: str) -> float | None:
    """The weight whose whole multiples every input into ``pop``'s ring ``rec`` adds, or None.

    None (a ring of floats) unless the network computes in float64 and every writer is a static
    projection with one weight (delivered at emission) or a drive that adds counts of one
    weight (``Drive.counted``), and every weight is ``k * q`` exactly, ``q`` the smallest
    magnitude among them and ``|k| <= 2**15``.
    """
    if net.float_dtype != np.float64 or rec in pop._float_rings:
        return None
    projections, drives = _writers(net, pop, rec)
    weights = []
    for proj in projections:
        if proj.synapse is not None or proj._arrival or is_coupling(proj):
            return None
        weight = proj._csr.weight
        if isinstance(weight, np.ndarray):
            return None
        weights.append(float(weight))
    for att in drives:
        name = att.drive.counted
        if name is None:
            return None
        weights.append(float(att._args[name]))
    magnitudes = [abs(w) for w in weights if w != 0.0]
    if not magnitudes:
        return None
    q = min(magnitudes)
    for w in weights:
        k = round(w / q)
        if abs(k) > MAX_MULTIPLE or k * q != w:
            return None
    return q


def quantum_dtype(net: Network, pop: Population, rec: str, q: float) -> np.dtype:
    """int32 when no sum of one step can leave its range on this process, else int64.

    The values are the same either way (whole numbers), so processes may differ.
    """
    projections, drives = _writers(net, pop, rec)
    bound = sum(abs(round(float(p._csr.weight) / q)) * p.n_synapses for p in projections)
    bound += sum(abs(round(float(d._args[d.drive.counted]) / q)) * MAX_DRIVE_COUNT for d in drives)
    return np.dtype(np.int32 if bound < 2**31 else np.int64)


def counted_weight(pop: Population, rec: str, weight: Any) -> Any:
    """``weight`` as a multiple of the unit ``pop``'s ring ``rec`` counts, or None (floats)."""
    q = pop._ring_q.get(rec)
    if q is None:
        return None
    return pop.rings[rec].dtype.type(round(float(weight) / q))


def ring_values(pop: Population, rec: str) -> np.ndarray:
    """The inputs of ring ``rec`` in the receptor's unit.

    The ring itself when it holds floats, a new array of ``count * q`` when it counts.
    """
    ring = pop.rings[rec]
    q = pop._ring_q.get(rec)
    return ring if q is None else ring * q


def to_floats(net: Network, pop: Population, rec: str, values: np.ndarray | None = None) -> None:
    """Make ring ``rec`` hold floats: ``values`` if given, else its own inputs.

    A ring that counted turns into a new array, and the loop is generated again at the next
    run (its code reads the ring's type).
    """
    if pop._ring_q.get(rec) is None:
        if values is not None:
            pop.rings[rec][...] = values
        return
    pop.rings[rec] = np.array(ring_values(pop, rec) if values is None else values, np.float64)
    pop._ring_q[rec] = None
    net._touch(code_only=True)


def put_ring_values(net: Network, pop: Population, rec: str, values: np.ndarray) -> None:
    """Set ring ``rec`` to ``values`` (receptor's unit, the ring's shape).

    A counted ring whose new values are not whole multiples of its quantum turns into floats.
    """
    q = pop._ring_q.get(rec)
    counts = None if q is None else convert_ring(values, None, q, pop.rings[rec].dtype)
    if counts is None:
        to_floats(net, pop, rec, values)
    else:
        pop.rings[rec][...] = counts


def convert_ring(
    old: np.ndarray, q_old: float | None, q_new: float | None, dtype: np.dtype
) -> np.ndarray | None:
    """``old`` (counts of ``q_old``, or floats) as a ring of ``dtype`` (counts of ``q_new``).

    None when its values are not whole multiples of ``q_new`` within ``dtype``'s range.
    """
    values = old.astype(np.float64) * q_old if q_old is not None else old
    if q_new is None:
        return values.astype(dtype)
    counts = np.rint(values / q_new)
    limit = np.iinfo(dtype).max
    if not np.all(counts * q_new == values) or np.abs(counts).max(initial=0) > limit:
        return None
    return counts.astype(dtype)


def prepare_ring(net: Network, pop: Population, rec: str) -> tuple[np.ndarray | None, np.dtype]:
    """Choose how ``pop``'s ring ``rec`` holds its inputs; return it converted, and its type.

    Counted if its writers allow (:func:`ring_quantum`). Inputs in flight are kept; a ring whose
    inputs in flight are not whole multiples of the new quantum stays a ring of floats until a
    later layout. A change between floats and counts touches the structure: the loop's code
    reads the ring's type. The caller resizes the ring returned (None: none yet).
    """
    want = ring_quantum(net, pop, rec)
    pop._ring_want[rec] = want
    dtype = net.float_dtype if want is None else quantum_dtype(net, pop, rec, want)
    old, q_old = pop.rings.get(rec), pop._ring_q.get(rec)
    if old is not None and (old.dtype != dtype or q_old != want):
        new = convert_ring(old, q_old, want, dtype)
        if new is None:
            want, dtype = None, net.float_dtype
            new = convert_ring(old, q_old, None, dtype)
        if old.dtype != new.dtype or (q_old is None) != (want is None):
            net._touch(code_only=True)
        old = new
    pop._ring_q[rec] = want
    return old, np.dtype(dtype)


def sync_quanta(net: Network, *, settle: bool = False) -> bool:
    """Follow new weights; return whether the loop's code must change (the structure touched).

    A ring whose writers' weights are all multiples of a new quantum, with its inputs in flight
    whole multiples of it too, only needs a new layout (the counts converted in place). A ring
    whose weights stop being multiples of one quantum holds floats from then on (so that a
    sweep over weights generates the loop once, not at every value) and the loop's code
    changes. With ``settle`` (between runs), a ring left holding floats because its inputs in
    flight were no whole multiples counts again once they are.
    """
    touched = False
    for pop in net.populations:
        for rec, want in pop._ring_want.items():
            if rec not in pop.rings:
                continue
            new = ring_quantum(net, pop, rec)
            ring, q = pop.rings[rec], pop._ring_q.get(rec)
            if new == want:
                if settle and want is not None and q is None:
                    dtype = quantum_dtype(net, pop, rec, want)
                    touched = touched or convert_ring(ring, None, want, dtype) is not None
                continue
            if new is not None and q is not None:
                dtype = quantum_dtype(net, pop, rec, new)
                if dtype == ring.dtype and convert_ring(ring, q, new, dtype) is not None:
                    net._relayout()
                    continue
            if want is not None:
                pop._float_rings.add(rec)
            touched = True
    if touched:
        net._touch(code_only=True)
    return touched
