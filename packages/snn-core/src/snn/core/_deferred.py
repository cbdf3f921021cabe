"""Deferred postsynaptic updates of plastic synapses (decision 0026).

A plastic projection's ``on_post`` changes the synapses onto a target when the target's spike
reaches them. Applied at once, that walks the target's incoming synapses, which lie scattered
over the projection's arrays (one cache miss each: 70-80 % of plastic Brunel's run time). A
*deferred* projection applies them later, in storage order, where nothing else can have changed
the synapse in between:

* each target keeps the steps of its recent spikes in a ring of its own (``_pring``, ``_pn``
  spikes so far) and its newest ``RECENT`` in ``_prec`` (row ``m``: every target's ``m``-th
  newest), written by the loop's ``post_record``;
* when a presynaptic spike crosses synapse ``k`` (target ``j``, delay ``d``), the generated
  ``deliver`` first applies ``on_post`` for each spike of ``j`` that reached ``k`` since the
  source's last spike (``_done``), oldest first, with the source traces of the arrival step;
  then ``on_pre`` runs as before. The update for each of the target's three newest spikes is
  computed and kept only if that spike is pending (a select: a branch would be mispredicted
  about once per synapse); the ring is read when even the fourth newest is pending. A
  synapse's variables change only at its own pre- and postsynaptic events, so this is the same
  sequence of updates, clipping included;
* source traces are kept as their value right after the source's last spike and that spike's
  step (``_src``, ``_src_step``, both kinds of projection), read through a table of decay
  powers: the value at any arrival step is one product, the same whether the arrival is applied
  at once or later;
* ``settle`` applies every pending arrival of a block up to a step: in the loop when a target's
  ring runs short of room (a flag set by ``post_record``), and from Python (:func:`settle`)
  before anything outside the loop reads or writes the synapses. A run leaves its arrivals
  pending (``Network._unsettled``): a loop of short runs walks no synapse between them. The
  projection arrays they change are :class:`Settled` attributes, which settle when read or
  replaced from Python; what changes the step, the spike history or the layout (reset,
  restore, a checkpoint, a new layout, ``Projection.set``) settles first too. The loop's own
  code reads the stored arrays (``<name>_raw``), and the next run goes on from the rings as
  they are.

A projection whose weights are recorded during the run (a weight monitor reads them every
sampling step) is not deferred: its ``on_post`` runs at arrival (``post_arrivals``). Both ways
compute the same numbers bit for bit, so recording weights changes nothing.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._jit import kernel
from snn.core._memory import require_memory
from snn.core._plastic import DEFERRED_STATE, RECENT, rule_arguments

if TYPE_CHECKING:
    from snn.core._network import Network
    from snn.core._projection import Projection

__all__ = ["Settled", "allocate", "begin", "is_deferred", "settle", "settle_pending"]

#: places added to each target's ring row (see :func:`allocate`)
PAD = 8

#: ``_prec`` of a target that has not spiked
NEVER = np.iinfo(np.int64).min // 4


def is_deferred(net: Network, proj: Projection) -> bool:
    """Whether ``proj``'s postsynaptic arrivals are deferred (see the module docstring).

    Not when its ``on_post`` reads target neuron variables: they are kept for as many steps as
    the longest delay, not until the synapse's next presynaptic spike; nor when the synapses
    have clock-driven variables, which change at every step.
    """
    if proj.synapse is None or proj._coupling or proj.synapse.clock_function() is not None:
        return False
    on_post = proj.synapse.on_post_function()
    if on_post is None or net._weight_monitors_of(proj):
        return False
    reads = {f"{v}_post" for v in proj.synapse.post_variables}
    return not reads & set(rule_arguments(on_post))


class Settled:
    """A projection attribute that deferred arrivals change (weights, synapse state, traces).

    Read or replaced from Python, it first applies the arrivals a run left pending
    (:func:`settle_pending`), so what Python sees is settled. The value is stored as
    ``<name>_raw``, which the loop's own code reads without settling.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.raw = name + "_raw"

    def __get__(self, proj: Projection | None, owner: type | None = None) -> Any:
        if proj is None:
            return self
        if proj._deferred:
            settle_pending(proj.network)
        try:
            return proj.__dict__[self.raw]
        except KeyError:
            cls = type(proj).__name__
            raise AttributeError(f"{cls!r} object has no attribute {self.name!r}") from None

    def __set__(self, proj: Projection, value: Any) -> None:
        if proj._deferred:
            settle_pending(proj.network)
        proj.__dict__[self.raw] = value


def settle_pending(net: Network) -> None:
    """Apply the arrivals the last run left pending, if any (see the module docstring).

    The flag is cleared only once every block is settled: settling again after an interruption
    (Ctrl-C between blocks) passes over the rows already done.
    """
    if net._unsettled:
        settle(net)
        net._unsettled = False


def ring_size(max_delay: int, slice_len: int) -> tuple[int, int]:
    """Places per target in the spike ring, and how many spikes after a settle call for another.

    After a settle at step ``T`` (the start of a pass), the spikes still needed were emitted
    after ``T - max_delay`` and at most ``T + slice_len``: at most ``max_delay + slice_len + 1``
    of them, one per step at most. The flag raised at ``room`` fresh spikes is acted on at the
    next pass, up to ``slice_len`` spikes later, before any needed place is written again.
    """
    keep = max_delay + slice_len + 1
    size = 1 << max(4, math.ceil(math.log2(2 * (keep + slice_len) + 16)))
    return size, size - keep - slice_len


def allocate(proj: Projection, n_blocks: int, slice_len: int) -> None:
    """The arrays of a deferred projection (their contents are made by :func:`begin`)."""
    n_post = proj.post.population.n_local
    size, room = ring_size(proj._csr.max_delay(), slice_len)
    # rows a little longer than the ring: a power-of-two stride would put every target's
    # newest places into the same few cache sets
    shape = (n_post, size + PAD)
    if getattr(proj, "_pring", None) is None or proj._pring.shape != shape:
        require_memory(
            f"the recent spike steps of projection {proj.name!r}'s targets ({size} each)",
            8 * (size + PAD + RECENT + 2) * n_post,
        )
        proj._pring = np.zeros(shape, dtype=np.int64)
        proj._pn = np.zeros(n_post, dtype=np.int64)
        proj._prec = np.full((RECENT, n_post), NEVER, dtype=np.int64)
        proj._flushed = np.zeros(n_post, dtype=np.int64)
    proj._room = np.int64(room)
    proj._kmask = np.int64(size - 1)
    if getattr(proj, "_done", None) is None or proj._done.shape != (n_blocks, proj.pre.size):
        proj._done = np.zeros((n_blocks, proj.pre.size), dtype=np.int64)
        proj._need = np.zeros(n_blocks, dtype=np.int64)


def _delivered(net: Network) -> int:
    """The last step whose presynaptic spikes have crossed their synapses."""
    pend = net._pending
    return int(pend[1]) - 1 if pend[0] != 0 else net.step - 1


def begin(net: Network) -> None:
    """Before a run: go on from the rings as the last run left them, or make them anew.

    With arrivals pending (``net._unsettled``) nothing outside the loop has touched the rings
    since the last run. Otherwise every arrival up to the last delivered step is applied, and
    the targets' spike rings are rebuilt from their population's spike history, which holds
    every spike an arrival may still come from.
    """
    if net._unsettled:
        return
    upto = _delivered(net)
    for proj in net.projections:
        if not proj._deferred:
            continue
        pop = proj.post.population
        ids, cnt, bounds = pop._hist_ids, pop._hist_cnt, pop._bounds
        rows = ids.shape[0]
        proj._pn[:] = 0
        proj._prec[:] = NEVER
        first = np.int64(max(0, net.step - rows))
        ring_history(ids, cnt, bounds, first, np.int64(net.step), proj._pring, proj._pn,
                     proj._prec, proj._kmask)  # fmt: skip
        proj._flushed[:] = proj._pn
        proj._done[:] = upto
        proj._need[:] = 0
    net._unsettled = any(proj._deferred for proj in net.projections)


@kernel(inline="always")
def note_spike(j, step, pring, pn, prec, kmask):  # pragma: no cover - compiled
    """Target ``j``'s spike of ``step`` into its ring and newest places; its spikes so far.

    The ring is ``pring`` (``pn`` spikes so far), the newest places ``prec``.
    """
    n = pn[j]
    pring[j, n & kmask] = step
    pn[j] = n + 1
    for place in range(prec.shape[0] - 1, 0, -1):
        prec[place, j] = prec[place - 1, j]
    prec[0, j] = step
    return n + 1


@kernel
def post_record(t, spk, q0, q1, pring, pn, prec, flushed, kmask, room, need, b):  # pragma: no cover
    """The loop's part: step ``t``'s spikes ``spk[q0:q1]`` of the targets into their rings.

    ``need[b]`` flags a target whose ring runs short of room (a settle is due).
    """
    for q in range(q0, q1):
        j = spk[q]
        if note_spike(j, t, pring, pn, prec, kmask) - flushed[j] >= room:
            need[b] = 1


@kernel
def ring_history(ids, cnt, bounds, first, last, pring, pn, prec, kmask):  # pragma: no cover
    """Put the spikes of a history's steps ``first`` to ``last - 1`` into the targets' rings.

    Oldest first; before a run, when the rings are made anew.
    """
    rows = ids.shape[0]
    for step in range(first, last):
        hs = step & (rows - 1)
        for b in range(bounds.shape[0] - 1):
            for m in range(cnt[hs, b]):
                note_spike(ids[hs, bounds[b] + m], step, pring, pn, prec, kmask)


def settle(net: Network) -> None:
    """Apply every deferred arrival up to the last delivered step (see the module docstring)."""
    from snn.core._loop import _csr_part

    upto = np.int64(_delivered(net))
    dt = net.float_dtype.type(net.dt)
    for proj in net.projections:
        if not proj._deferred:
            continue
        bounds = proj.post.population._bounds
        fixed = [_csr_part(proj, part) for part in ("split", "indices", "delay", "weight")]
        state = proj._syn_state_raw
        args: list[Any] = [*fixed, *(state[v.name] for v in proj.synapse.synapse_vars)]
        args += [proj._src_raw, proj._src_step_raw, proj._src_pow]
        args += [getattr(proj, "_" + name) for name in (*DEFERRED_STATE, "flushed")]
        consts = list(proj._consts_raw.values())
        for b in range(len(bounds) - 1):
            lo, hi = np.int64(bounds[b]), np.int64(bounds[b + 1])
            proj._module.settle(np.int64(b), upto, *args, lo, hi, proj._need, dt, *consts)
