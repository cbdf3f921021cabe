"""The event loop: one numba function per network structure, generated and cached.

See ``README.md`` in this folder for the conventions. The generated function

``chunk(t_begin, t_end, slice_len, flush, status, pend, nan_at, prof, dt, ...)``

advances the network from step ``t_begin`` to ``t_end`` in slices of at most ``slice_len`` steps
(the smallest delay). Each slice is one pass over the neuron blocks (one block per thread, run
with ``prange`` when the network is parallel): a block first delivers the *previous* slice's
spikes into its own targets, then updates its neurons for every step of the new slice and gathers
their spikes into the slice buffer of the new slice's parity. Delivering one slice late is exact
because no spike arrives before the next slice (every delay is at least ``slice_len``), and each
target receives its inputs in a fixed order (emission step, projection, source, synapse) for any
slice length, chunking or number of blocks. Spike buffers alternate between two parities so that
one slice's spikes are read while the next are written. With ``flush``, a chunk ends with a pass
that only delivers, so between chunks every emitted spike sits in the ring buffers.

Under MPI the network calls the loop once per slice without ``flush``: between calls the ranks
exchange the slice's spikes (``snn.core._mpi``), and the next call delivers them from the
received buffers.

It returns the step reached; ``status[0]`` says why it stopped early:

* ``GROW`` (1): a spike monitor needs more room before the slice starting at ``status[1]``;
* ``NONFINITE`` (2): population ``status[2]`` got a NaN or infinite state during step
  ``status[1]`` (the network is left in that state).
"""

from __future__ import annotations

import heapq
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numba
import numba.typed
import numpy as np

from snn.core import _bundles
from snn.core._bundles import BundleTable, bundleable
from snn.core._codegen import Imports, as_jitted, load_module
from snn.core._coupling import coupling_lines, has_spike_rules, is_coupling, publish_lines
from snn.core._cycles import read_cycles
from snn.core._deferred import post_record
from snn.core._delivery import (
    any_spikes,
    arrival_deliver_block,
    csr_deliver_block,
    history_store,
    spikes_gather,
)
from snn.core._jit import kernel
from snn.core._model import Derived, NeuronModel, SpikeGenerator
from snn.core._plastic import DEFERRED_STATE
from snn.core._quanta import counted_weight
from snn.core._rng import normal, uniform
from snn.core._units import unit_call
from snn.core.random import derive_key

if TYPE_CHECKING:
    from snn.core._network import Network

OK, GROW, NONFINITE = 0, 1, 2

#: the bundle intrinsics are compiled into the loop: their code is part of its identity
_BUNDLES_SOURCE = Path(_bundles.__file__).read_text()

#: phases timed by a profiled loop, in the order of the ``prof`` array's columns
PHASES = ("drives", "update", "gather", "delivery")


@dataclass
class Plan:
    """A compiled loop and the recipe for its arguments."""

    function: Any
    getters: list[Callable[[], Any]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    source: str = ""
    #: the sources of the loop's unit functions (:mod:`snn.core._units`), in order of first call
    units: list[str] = field(default_factory=list)
    _current: list[Any] | None = None

    def arguments(self) -> list[Any]:
        """Current argument values (arrays may be replaced between calls)."""
        return [g() for g in self.getters]

    def refresh(self) -> None:
        """Collect the arguments again (after buffers were replaced)."""
        self._current = self.arguments()

    def current(self) -> list[Any]:
        """The arguments as collected by the last :meth:`refresh` (saves ~25 us per call)."""
        if self._current is None:
            self.refresh()
        return self._current


class _Writer:
    """Collects the loop's parameters (with how to get their current values) and its lines."""

    def __init__(self, imports: Imports, profile: bool, float_dtype: Any) -> None:
        self.imports = imports
        self.profile = profile
        #: what a unit function's module identity holds besides its text (:mod:`snn.core._units`)
        self.unit_extra = (str(float_dtype), _BUNDLES_SOURCE)
        #: the loop's parameters in order, each with its getter (a dict: a network of 640
        #: populations spent 29 s in list.index looking them up in a list)
        self.getter: dict[str, Callable[[], Any]] = {}
        self.lines: list[str] = []
        self.grouped: list[str] = []
        self.units: list[str] = []
        self.table = BundleTable()
        self._tick = imports.name(phase_tick, "phase_tick") if profile else ""

    def arg(self, name: str, getter: Callable[[], Any]) -> str:
        # one parameter per name (arg_once reuses one); a second would shadow the first
        assert name not in self.getter, f"loop parameter {name!r} registered twice"
        self.getter[name] = getter
        return name

    def value(self, name: str) -> Any:
        """The current value of parameter ``name``."""
        return self.getter[name]()

    def const(self, name: str, value: Any) -> str:
        return self.arg(name, lambda: value)

    def arg_once(self, name: str, getter: Callable[[], Any]) -> str:
        """Like :meth:`arg`, but a name registered before is reused."""
        return name if name in self.getter else self.arg(name, getter)

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def tick(self, depth: int, phase: int, row: str = "b") -> None:
        """Charge the cycles since the last tick to ``phase`` (-1: to nobody)."""
        if self.profile:
            self.line(depth, f"_c = {self._tick}(prof, {row}, {phase}, _c)")


@kernel
def phase_tick(prof, row, phase, since):  # pragma: no cover - compiled
    """Add the cycles elapsed ``since`` to ``prof[row, phase]`` (none when ``phase < 0``)."""
    now = read_cycles()
    if phase >= 0:
        prof[row, phase] += now - since
    return now


def build_plan(net: Network, *, profile: bool = False) -> Plan:
    """Generate (or load from cache) the loop of ``net`` and its argument recipe.

    With ``profile``, the loop also adds the cycles spent in each of :data:`PHASES` by each block
    into ``net._profile_cycles`` (shape ``(blocks, len(PHASES))``).
    """
    imports = Imports()
    w = _Writer(imports, profile, net.float_dtype)
    w.arg("BT", w.table.build)
    deliver = imports.name(csr_deliver_block, "csr_deliver_block")
    anyspk = imports.name(any_spikes, "any_spikes")
    n_blocks = net._n_blocks
    parallel = net._parallel

    neuron_pops = [p for p in net.populations if isinstance(p.model, NeuronModel)]
    generators = [p for p in net.populations if isinstance(p.model, SpikeGenerator)]
    mpi = net.comm.active
    for pop in net.populations:
        p = pop.index
        w.arg(f"p{p}_spk", lambda pop=pop: pop._spk)
        w.arg(f"p{p}_off", lambda pop=pop: pop._off)
        w.arg(f"p{p}_bounds", lambda pop=pop: pop._bounds)
        if mpi:
            # every rank's spikes of the pending slice, population indices in one block
            w.arg(f"p{p}_rspk", lambda pop=pop: pop._rspk)
            w.arg(f"p{p}_roff", lambda pop=pop: pop._roff)
            w.arg(f"p{p}_rbounds", lambda pop=pop: pop._rbounds)

    # ---- serial, before the pass: monitor capacity, spike generators, spike histories
    units = []
    for pop in net.populations:
        if getattr(pop, "_arr_ids", None) is None:
            continue
        p = pop.index
        w.arg(f"p{p}_aids", lambda pop=pop: pop._arr_ids)
        w.arg(f"p{p}_acnt", lambda pop=pop: pop._arr_cnt)
        w.arg(f"p{p}_ahmask", lambda pop=pop: np.uint64(pop._arr_ids.shape[0] - 1))
        store = imports.name(history_store, "history_store")
        lines = [
            (0, "for s in range(dl):"),
            (
                1,
                f"{store}({_delivery_source(p, mpi)}, slice_len, s, d0 + s, p{p}_aids, "
                f"p{p}_acnt, p{p}_ahmask)",
            ),
        ]
        units.append(_Unit(f"spike history of population {p}", lines, (f"p{p}",), "spike history"))
    for mon_i, mon in enumerate(net._spike_monitors()):
        steps = w.arg(f"sm{mon_i}_steps", lambda mon=mon: mon._steps)
        count = w.arg(f"sm{mon_i}_count", lambda mon=mon: mon._count)
        n = w.const(f"sm{mon_i}_n", np.int64(mon.population.n_local))
        lines = [
            (0, f"if ns > 0 and {steps}.shape[0] - {count}[0] < ns * {n}:"),
            (1, f"status[0] = {GROW}"),
            (1, "status[1] = t0"),
            (1, "return t0"),
        ]
        units.append(
            _Unit(f"room in spike monitor {mon_i}", lines, (f"sm{mon_i}",), "monitor room")
        )
    for pop in generators:
        p = pop.index
        fn = imports.name(as_jitted(pop.model.emit_function()), "emit")
        bufs = [w.arg(f"p{p}_b_{k}", lambda pop=pop, k=k: pop.buffers[k]) for k in pop.buffers]
        lines = [
            (0, f"p{p}_off[par, 0, 0] = 0"),
            (0, "for s in range(ns):"),
            (1, f"o = p{p}_off[par, 0, s]"),
            (1, f"n = {fn}(t0 + s, {''.join(b + ', ' for b in bufs)}p{p}_spk[par, o:])"),
            (1, f"p{p}_off[par, 0, s + 1] = o + n"),
        ]
        label = f"spike generator {p}: {pop.name!r}"
        units.append(_Unit(label, lines, (f"p{p}",), "spike generator"))
    head = _grouped(w, units, depth=0)

    # ---- the pass over blocks: deliver the pending slice, then update the new one
    body: list[tuple[int, str]] = []
    # continuous couplings deliver no spikes; their spike rules run as a plastic projection's
    # (see _coupling.py)
    spiking = [q for q in net.projections if not is_coupling(q) or has_spike_rules(q)]
    # deferred projections whose targets' spike rings ran short of room: settle first (every
    # arrival up to the last delivered step)
    body += _grouped(w, _settle_units(w, net), depth=0, reorder=True)
    if any(not proj._arrival for proj in spiking):
        body.append((0, "for s in range(dl):"))
        body.append((1, "p = d0 + s"))
        plastic = [(q, proj) for q, proj in enumerate(net.projections) if proj in spiking]
        plastic = [(q, proj) for q, proj in plastic if proj.synapse]
        # postsynaptic spikes reaching plastic synapses come first at a step (NEST's order);
        # each projection's touch its own synapses only: they commute
        arriving = [
            _Unit(
                f"postsynaptic spikes reaching projection {q}",
                [(0, _post_arrivals_call(w, net, q, proj))],
                (f"p{proj.post.population.index}", f"q{q}"),
                "postsynaptic arrivals",
            )
            for q, proj in plastic
            if proj.synapse.on_post_function() is not None and not proj._deferred
        ]
        body += _grouped(w, arriving, depth=1, reorder=True)
        units = []
        for q, proj in enumerate(net.projections):
            if proj._arrival or proj not in spiking:
                continue
            if proj._coupling and proj.synapse.on_pre_function() is None:
                continue
            pre = proj.pre.population.index
            parts = [
                w.arg_once(f"q{q}_{part}", lambda proj=proj, part=part: _csr_part(proj, part))
                for part in ("split", "indices", "weight", "delay")
            ]
            ring = w.arg(f"q{q}_ring", lambda proj=proj: proj.post.population.rings[proj.receptor])
            lo = w.const(f"q{q}_pre0", np.int64(proj.pre.start))
            hi = w.const(f"q{q}_pre1", np.int64(proj.pre.stop))
            source = f"{_delivery_source(pre, mpi)}, slice_len, s, p, {lo}, {hi}, {parts[0]}, b"
            if proj.synapse is None:
                call = f"{deliver}({source}, {parts[1]}, {parts[2]}, {parts[3]}, {ring})"
                offsets = source.split(", ")[1]
                lines = [(0, f"if {anyspk}({offsets}, s):"), (1, call)]
                units.append(
                    _Unit(
                        f"projection {q}",
                        lines,
                        (f"p{pre}", f"q{q}"),
                        "static projection",
                        _ring_chain(proj),
                    )
                )
            else:
                call = _plastic_deliver_call(w, net, q, proj, source, parts, ring)
                units.append(
                    _Unit(
                        f"projection {q} (plastic)",
                        [(0, call)],
                        (f"p{pre}", f"q{q}"),
                        "plastic projection",
                        _ring_chain(proj),
                    )
                )
        body += _grouped(w, units, depth=1, reorder=True)
        # then each plastic projection's weights are sampled (its own arrays only: they commute)
        after = [
            unit for q, proj in plastic for unit in _synapse_monitor_units(w, net, q, proj, "p")
        ]
        body += _grouped(w, after, depth=1, reorder=True)
    arrivals = [
        _arrival_unit(w, q, proj, n_blocks)
        for q, proj in enumerate(net.projections)
        if proj._arrival
    ]
    if arrivals:
        # inputs that arrive during the new slice, from spikes of earlier slices
        body.append((0, "for s in range(ns):"))
        body.append((1, "t = t0 + s"))
        body += _grouped(w, arrivals, depth=1, reorder=True)
    if net.projections and profile:
        body.append((0, f"_c = {w._tick}(prof, b, 3, _c)"))
    body.append((0, "nan_at[b, 0] = -1"))
    offsets = [
        _Unit(
            f"offsets of {p.index}",
            [(0, f"p{p.index}_off[par, b, 0] = 0")],
            (f"p{p.index}",),
            "offsets",
        )
        for p in neuron_pops
    ]
    body += _grouped(w, offsets, depth=0)
    body.append((0, "failed = False"))
    body.append((0, "for s in range(ns):"))
    body.append((1, "if failed:"))
    body.append((2, "break"))
    body.append((1, "t = t0 + s"))
    if profile:
        body.append((1, f"_c = {w._tick}(prof, b, -1, _c)"))
    couplings, drives = _input_units(w, net, neuron_pops)
    body += _grouped(w, couplings, depth=1)
    # the clock-driven variables of couplings without spike rules, just advanced to t + 1
    # (those with spike rules are sampled with the plastic projections: one-step slices)
    sampled = [
        unit
        for q, proj in enumerate(net.projections)
        if is_coupling(proj) and not has_spike_rules(proj)
        for unit in _synapse_monitor_units(w, net, q, proj, "t")
    ]
    body += _grouped(w, sampled, depth=1, reorder=True)
    body += _grouped(w, drives, depth=1, reorder=True)
    if profile:
        body.append((1, f"_c = {w._tick}(prof, b, 0, _c)"))
    units = []
    for pop in neuron_pops:
        label = f"population {pop.index}: {pop.name!r}, {type(pop.model).__name__}"
        kind = f"population ({type(pop.model).__name__})"
        units.append(_Unit(label, _emit_population(w, net, pop), (f"p{pop.index}",), kind))
    # populations commute within a step: each reads and writes its own arrays only
    body += _grouped(w, units, depth=1, reorder=True)
    targets = _target_units(w, net) + _record_units(w, net)
    body += _grouped(w, targets, depth=1, reorder=True)
    if profile and targets:
        body.append((1, f"_c = {w._tick}(prof, b, 2, _c)"))  # charged with the gathering
    tail = _serial_monitors(w, net)
    lines = [
        f"@kernel({'parallel=True' if parallel else ''})",
        "def chunk(t_begin, t_end, slice_len, flush, status, pend, nan_at, prof, dt, "
        f"{', '.join(w.getter)}):",
        "    t1 = t_begin",
        "    while True:",
        "        t0 = t1",
        "        t1 = t0 + slice_len if t0 + slice_len < t_end else t_end",
        "        ns = t1 - t0",
        "        if ns == 0 and (pend[0] == 0 or flush == 0):",
        "            break",
        "        pp = pend[3]",
        "        par = 1 - pp",
        "        dl = pend[2] if pend[0] != 0 else 0",
        "        d0 = pend[1]",
        *("        " + "    " * d + x for d, x in head),
        f"        for b in {'numba.prange' if parallel else 'range'}({n_blocks}):",
        *(["            _c = read_cycles()"] if profile else []),
        *("            " + "    " * d + x for d, x in body),
        "        pend[0] = 1 if ns > 0 else 0",
        "        pend[1] = t0",
        "        pend[2] = ns",
        "        pend[3] = par",
        "        worst = -1",
        f"        for b in range({n_blocks}):",
        "            if nan_at[b, 0] >= 0 and (worst < 0 or nan_at[b, 0] < nan_at[worst, 0]):",
        "                worst = b",
        "        if worst >= 0:",
        f"            status[0] = {NONFINITE}",
        "            status[1] = nan_at[worst, 0]",
        "            status[2] = nan_at[worst, 1]",
        "            return nan_at[worst, 0]",
    ]
    if profile and tail:
        lines.append("        _c = read_cycles()")
    lines += ["        " + "    " * d + x for d, x in tail]
    if profile and tail:
        lines.append(f"        _c = {w._tick}(prof, 0, 2, _c)")
    lines += ["        if ns == 0:", "            break", f"    status[0] = {OK}", "    return t1"]
    source = "\n".join(lines)
    source, names, getters = _drop_unused(source, w)
    if profile:
        source = source.replace("read_cycles()", f"{imports.name(read_cycles, 'rc')}()")
    if parallel:
        imports.raw("import numba")
    if "BT" in names:
        imports.raw("from snn.core._bundles import bundle_scalar, bundle_view")
    getters = [
        lambda: net._pending,
        lambda: net._nan_at,
        lambda: net._profile_cycles,
        lambda: net.float_dtype.type(net.dt),
        *getters,
    ]
    module = load_module(
        "snn_loop",
        source,
        imports,
        extra=(str(net.float_dtype), f"blocks={n_blocks}", f"mpi={mpi}", _BUNDLES_SOURCE),
    )
    return Plan(function=module.chunk, getters=getters, names=names, source=source, units=w.units)


#: the fewest alike units :func:`_grouped` loops over (fewer are written out one by one); 1: every
#: unit runs from the bundle table, so one more unit of a kind the loop has does not change it
GROUP_MIN = 1


@dataclass
class _Unit:
    """Lines of the loop body that repeat per population or projection, for :func:`_grouped`.

    ``prefixes`` are the unit's own parameter prefixes (``"p3"`` for population 3's ``p3_*``
    arguments); a unit without any is never grouped. ``kind`` describes it in the generated
    text without naming it (the text must not change when another alike unit is added).
    """

    label: str
    lines: list[tuple[int, str]]
    prefixes: tuple[str, ...]
    kind: str
    #: for :func:`_grouped` with ``reorder``: units of one chain keep their order (those adding
    #: into one ring row); None: the unit commutes with every other unit of the list
    chain: Any = None


def _ring_chain(proj: Any) -> tuple[int, str]:
    """The chain of a unit adding into ``proj``'s target ring (its population and receptor)."""
    return (proj.post.population.index, proj.receptor)


def _schedule(units: list[_Unit], kinds: list[Any]) -> list[int]:
    """An order of ``units`` that keeps each chain's order and puts alike units side by side.

    Greedy: take the next unit of the kind just taken whose chain allows it (earliest first),
    else the earliest unit any chain allows. Units of different chains commute, so any such
    order computes the same numbers; the loop then groups alike units however they were
    interleaved (populations of three models in turn: one group per model, not one per
    population).
    """
    chains: dict[Any, list[int]] = {}
    for k, unit in enumerate(units):
        chains.setdefault(("own", k) if unit.chain is None else unit.chain, []).append(k)
    queues = list(chains.values())
    heads = [0] * len(queues)
    by_kind: dict[Any, list[tuple[int, int]]] = {}
    earliest: list[tuple[int, int]] = []

    def offer(c: int) -> None:
        if heads[c] < len(queues[c]):
            k = queues[c][heads[c]]
            heapq.heappush(by_kind.setdefault(kinds[k], []), (k, c))
            heapq.heappush(earliest, (k, c))

    for c in range(len(queues)):
        offer(c)
    order: list[int] = []
    taken: set[int] = set()
    kind = None
    while len(order) < len(units):
        pool = by_kind.get(kind) or earliest
        k, c = heapq.heappop(pool)
        if k in taken:  # already taken from the other heap
            continue
        taken.add(k)
        order.append(k)
        kind = kinds[k]
        heads[c] += 1
        offer(c)
    return order


def _grouped(
    w: _Writer, units: list[_Unit], depth: int, reorder: bool = False
) -> list[tuple[int, str]]:
    """Lines running ``units`` in order, consecutive alike ones as one loop over bundles.

    Units are alike when their lines are the same once each unit's prefixes are replaced by
    placeholders and the arguments behind each placeholder have the same numba type. A run of at
    least :data:`GROUP_MIN` alike units becomes ``for grp in range(n):``, its length ``n`` and
    every member's arguments read from the bundle table (:mod:`snn.core._bundles`; values it
    cannot hold, from a typed list per argument, :func:`_bundle`). The loop thus has one copy of
    each kind's code and one parameter for all of them, and its text depends on the sequence of
    kinds, not on how many units each run has. Numba's compile time grows faster than linearly
    with the number of array parameters (200 arrays: 18 s as parameters, 7 s in one tuple, 0.4 s
    in one typed list), and the Potjans-Diesmann microcircuit's 55 deliveries and 8 populations
    written out one by one took LLVM three minutes. Order, and so every floating-point sum, is
    unchanged; with ``reorder``, units of different chains (:attr:`_Unit.chain`) may change
    places so that alike ones meet (:func:`_schedule`), which leaves every sum as it was.
    """
    out: list[tuple[int, str]] = []
    run: list[tuple[_Unit, str, dict[str, Any]]] = []

    def flush() -> None:
        if len(run) < GROUP_MIN:
            for unit, _, _ in run:
                out.append((depth, f"# {unit.label}"))
                out.extend((depth + d, x) for d, x in unit.lines)
        else:
            tag = f"g{len(w.grouped)}"
            w.grouped.append(tag)
            text = run[0][1]
            fetches = []
            for name in run[0][2]:
                members = [_member_name(unit, name) for unit, _, _ in run]
                getters = [w.getter[m] for m in members]
                local = f"{tag}_{name[1:]}"
                if all(bundleable(f()) for f in getters):
                    fetches.append(f"{local} = {w.table.fetch(w.table.add(getters), 'grp')}")
                    text = re.sub(rf"{re.escape(name)}\b", local, text)
                else:
                    tup = w.arg(local, lambda g=getters: _bundle([f() for f in g]))
                    text = re.sub(rf"{re.escape(name)}\b", f"{tup}[grp]", text)
            lines = [(int(d), x) for d, x in _split_lines(text)]
            call = None
            if not w.profile:
                made = unit_call(w.imports, tag, fetches, lines, w.unit_extra)
                if made is not None:
                    call, unit_source = made
                    w.units.append(unit_source)
            out.append((depth, f"# {run[0][0].kind}"))
            out.append((depth, f"for grp in range(BT[{w.table.add_count(len(run))}, 1]):"))
            if call is not None:
                out.extend((depth + 1 + d, x) for d, x in call)
            else:
                out.extend((depth + 1, x) for x in fetches)
                out.extend((depth + 1 + d, x) for d, x in lines)
        run.clear()

    signatures = []
    for unit in units:
        text = "\n".join(f"{d}:{x}" for d, x in unit.lines)
        for k, prefix in enumerate(unit.prefixes):
            text = re.sub(rf"\b{prefix}_(\w+)", rf"@{k}_\1", text)
        names = sorted(set(re.findall(r"@\d+_\w+", text)))
        types = {n: numba.typeof(w.value(_member_name(unit, n))) for n in names}
        signatures.append((text, types))
    order = range(len(units))
    if reorder:
        # a unit without prefixes is never grouped: a kind of its own
        kinds = [
            (text, tuple(types.items())) if unit.prefixes else ("alone", k)
            for k, (unit, (text, types)) in enumerate(zip(units, signatures, strict=True))
        ]
        order = _schedule(units, kinds)
    for k in order:
        unit, (text, types) = units[k], signatures[k]
        if not run or not unit.prefixes or text != run[0][1] or types != run[0][2]:
            flush()
        run.append((unit, text, types))
    flush()
    return out


def _bundle(values: list[Any]) -> Any:
    """The values of a group's argument in one container: an array of scalars, or a typed list.

    A numba typed list of arrays is a single parameter that numba passes as one pointer; a
    tuple is flattened into every array's fields. Its items are fetched by reference, so
    writing into ``bundle[grp]`` writes into the member's own array.
    """
    if isinstance(values[0], np.ndarray):
        # built by cached kernels: numba.typed.List(values) compiles its methods anew in every
        # process, ~0.35 s per item type
        items = _list_of(values[0])
        for v in values[1:]:
            _list_append(items, v)
        return items
    return np.array(values, dtype=np.asarray(values[0]).dtype)


@kernel
def _list_of(first):  # pragma: no cover - compiled
    """A typed list holding ``first``."""
    items = numba.typed.List()
    items.append(first)
    return items


@kernel
def _list_append(items, item):  # pragma: no cover - compiled
    """Append ``item`` to the typed list ``items``."""
    items.append(item)


def _member_name(unit: _Unit, placeholder: str) -> str:
    """The parameter of ``unit`` behind a placeholder ``@k_suffix``."""
    k, suffix = placeholder[1:].split("_", 1)
    return f"{unit.prefixes[int(k)]}_{suffix}"


def _split_lines(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split(":", 1)) for line in text.split("\n")]  # type: ignore[misc]


def _drop_unused(source: str, w: _Writer) -> tuple[str, list[str], list[Callable[[], Any]]]:
    """Remove parameters the loop never reads (those only reached through a group's tuples).

    Returns the source and the names and getters of the parameters kept, in order.
    """
    body = source.split("\n", 2)[2]
    used = set(re.findall(r"\w+", body))
    keep = [name for name in w.getter if name in used]
    header = source.split("\n", 2)[:2]
    header[1] = header[1].replace(", ".join(w.getter), ", ".join(keep))
    return "\n".join([*header, body]), keep, [w.getter[name] for name in keep]


def _synapse_monitor_units(w: _Writer, net: Network, q: int, proj: Any, step: str) -> list[_Unit]:
    """Sampling of ``proj``'s synapse monitors after step ``step`` (their sample ``step + 1``).

    Each block samples the synapses onto its own targets (the monitor's ``_split``).
    """
    units = []
    for m_i, mon in enumerate(net._weight_monitors_of(proj)):
        tag = f"q{q}_wm{m_i}"
        every = w.const(f"{tag}_every", np.int64(mon.every))
        row0 = w.arg(f"{tag}_row0", lambda mon=mon: np.int64(mon._row0))
        syn = w.arg(f"{tag}_syn", lambda mon=mon: mon.synapses)
        split = w.arg(f"{tag}_split", lambda mon=mon: mon._split)
        lines = [
            (0, f"if ({step} + 1) % {every} == 0:"),
            (1, f"r = ({step} + 1) // {every} - {row0}"),
            (1, f"for k in range({split}[b], {split}[b + 1]):"),
        ]
        for n, v in enumerate(mon.variables):
            buf = w.arg(f"{tag}_buf{n}", lambda mon=mon, v=v: mon._buffers[v])
            stored = f"q{q}_weight" if v == "w" else f"q{q}_sv_{v}"
            lines.append((2, f"{buf}[r, k] = {stored}[{syn}[k]]"))
        label = f"synapse monitor {m_i} of {q}"
        units.append(_Unit(label, lines, (tag, f"q{q}"), "synapse monitor"))
    return units


def _synapse_args(w: _Writer, q: int, proj: Any) -> dict[str, str]:
    """Register (once) the arguments of a plastic projection; return their names."""
    names = {
        "weight": f"q{q}_weight",
        "delay": f"q{q}_delay",
        "src": f"q{q}_src, q{q}_src_step, q{q}_src_pow",
        "sv": "".join(f", q{q}_sv_{v.name}" for v in proj.synapse.synapse_vars),
        "consts": "".join(f", q{q}_c_{c}" for c in proj._consts),
    }
    if f"q{q}_src" in w.getter:
        return names
    for part in ("weight", "delay"):
        w.arg_once(names[part], lambda proj=proj, part=part: _csr_part(proj, part))
    w.arg(f"q{q}_src", lambda proj=proj: proj._src_raw)
    w.arg(f"q{q}_src_step", lambda proj=proj: proj._src_step_raw)
    w.arg(f"q{q}_src_pow", lambda proj=proj: proj._src_pow)
    for v in proj.synapse.synapse_vars:
        w.arg(f"q{q}_sv_{v.name}", lambda proj=proj, v=v.name: proj._syn_state_raw[v])
    for c in proj._consts:
        w.arg(f"q{q}_c_{c}", lambda proj=proj, c=c: proj._consts_raw[c])
    return names


def _post_arrivals_call(w: _Writer, net: Network, q: int, proj: Any) -> str:
    fn = w.imports.name(proj._module.post_arrivals, "post_arrivals")
    post = proj.post.population
    pp = post.index
    if f"p{pp}_hist_ids" not in w.getter:
        w.arg(f"p{pp}_hist_ids", lambda post=post: post._hist_ids)
        w.arg(f"p{pp}_hist_cnt", lambda post=post: post._hist_cnt)
        w.arg(f"p{pp}_hmask", lambda post=post: np.uint64(post._hist_ids.shape[0] - 1))
    csc = [
        w.arg_once(f"q{q}_csc_{k}", lambda proj=proj, k=k: proj._csc[k])
        for k in ("ptr", "syn", "src")
    ]
    # a coupling has no delay: its on_post acts on the spikes of the pending step itself
    dmin = w.arg(f"q{q}_dmin", lambda proj=proj: np.int64(_post_delays(proj)[0]))
    dmax = w.arg(f"q{q}_dmax", lambda proj=proj: np.int64(_post_delays(proj)[1]))
    n = _synapse_args(w, q, proj)
    hist, hmask = _target_history_args(w, q, proj)
    return (
        f"{fn}(p, b, p{pp}_hist_ids, p{pp}_hist_cnt, p{pp}_bounds[b], p{pp}_hmask, {dmin}, "
        f"{dmax}, {', '.join(csc)}, {n['delay']}, {n['weight']}{n['sv']}, {n['src']}, "
        f"{hist}, {hmask}, dt{n['consts']})"
    )


def _target_history_args(w: _Writer, q: int, proj: Any) -> tuple[str, str]:
    """Register (once) the history of ``proj``'s target traces and variables, and its mask."""
    hist = w.arg_once(f"q{q}_tgt_hist", lambda proj=proj: proj._tgt_hist)
    hmask = w.arg_once(f"q{q}_tgt_hmask", lambda proj=proj: np.uint64(proj._tgt_hist.shape[1] - 1))
    return hist, hmask


def _post_delays(proj: Any) -> tuple[int, int]:
    """Smallest and largest steps from a postsynaptic spike to ``proj``'s on_post."""
    if proj._coupling:
        return 0, 0
    return proj._csr.min_delay(), proj._csr.max_delay()


def _plastic_deliver_call(
    w: _Writer, net: Network, q: int, proj: Any, source: str, parts: list[str], ring: str
) -> str:
    fn = w.imports.name(proj._module.deliver, "deliver")
    n = _synapse_args(w, q, proj)
    hist, hmask = _target_history_args(w, q, proj)
    deferred = ""
    if proj._deferred:
        a = _deferred_args(w, q, proj)
        deferred = "".join(", " + a[name] for name in DEFERRED_STATE)
    return (
        f"{fn}({source}, {parts[1]}, {parts[3]}, {ring}, {parts[2]}{n['sv']}, {n['src']}, "
        f"{hist}, {hmask}{deferred}, dt{n['consts']})"
    )


def _deferred_args(w: _Writer, q: int, proj: Any) -> dict[str, str]:
    """Register (once) a deferred projection's arrays (``snn.core._deferred``); names by key.

    The keys: ``DEFERRED_STATE`` (in that order, as ``deliver`` and ``settle`` take them),
    ``flushed``, ``room`` and ``need``.
    """
    return {
        name: w.arg_once(f"q{q}_{name}", lambda proj=proj, name=name: getattr(proj, "_" + name))
        for name in (*DEFERRED_STATE, "flushed", "room", "need")
    }


def _settle_units(w: _Writer, net: Network) -> list[_Unit]:
    """Settle the deferred projections flagged by ``post_record``.

    Block ``b``, up to the last delivered step (``t0 - dl - 1``) before delivering.
    """
    units = []
    for q, proj in enumerate(net.projections):
        if not proj._deferred:
            continue
        fn = w.imports.name(proj._module.settle, "settle")
        p = proj.post.population.index
        parts = [
            w.arg_once(f"q{q}_{part}", lambda proj=proj, part=part: _csr_part(proj, part))
            for part in ("split", "indices", "delay", "weight")
        ]
        n = _synapse_args(w, q, proj)
        a = _deferred_args(w, q, proj)
        state = ", ".join(a[name] for name in DEFERRED_STATE)
        call = (
            f"{fn}(b, t0 - dl - 1, {', '.join(parts)}{n['sv']}, {n['src']}, {state}, "
            f"{a['flushed']}, p{p}_bounds[b], p{p}_bounds[b + 1], {a['need']}, dt{n['consts']})"
        )
        lines = [(0, f"if {a['need']}[b] != 0:"), (1, call)]
        units.append(_Unit(f"settle projection {q}", lines, (f"q{q}", f"p{p}"), "settle"))
    return units


def _record_units(w: _Writer, net: Network) -> list[_Unit]:
    """Deferred projections: their targets' spikes of step ``t`` into the spike rings."""
    units = []
    for q, proj in enumerate(net.projections):
        if not proj._deferred:
            continue
        fn = w.imports.name(post_record, "post_record")
        p = proj.post.population.index
        a = _deferred_args(w, q, proj)
        call = (
            f"{fn}(t, {_step_spikes(p)}, {a['pring']}, {a['pn']}, {a['prec']}, {a['flushed']}, "
            f"{a['kmask']}, {a['room']}, {a['need']}, b)"
        )
        units.append(
            _Unit(f"spike ring of projection {q}", [(0, call)], (f"q{q}", f"p{p}"), "spike ring")
        )
    return units


def _arrival_unit(w: _Writer, q: int, proj: Any, n_blocks: int) -> _Unit:
    """The call delivering projection ``q``'s inputs that arrive at step ``t`` into block ``b``."""
    fn = w.imports.name(arrival_deliver_block, "arrival_deliver_block")
    pre = proj.pre.population.index
    post = proj.post.population
    parts = [
        w.arg(f"q{q}_{part}", lambda proj=proj, part=part: _csr_part(proj, part))
        for part in ("split", "indices", "weight")
    ]
    net = post.network
    runs = w.arg_once("arrival_runs", lambda net=net: net._runs)
    born = w.arg(f"q{q}_born", lambda proj=proj: np.int64(proj._born))
    first = w.arg(f"q{q}_first", lambda proj=proj: np.int64(proj._csr_raw.delay.first))
    lo = w.const(f"q{q}_pre0", np.int64(proj.pre.start))
    hi = w.const(f"q{q}_pre1", np.int64(proj.pre.stop))
    ring = w.arg(f"q{q}_ring", lambda proj=proj: proj.post.population.rings[proj.receptor])
    rmask = w.arg(f"q{q}_rmask", lambda post=post: np.uint64(post._ring_mask))
    call = (
        f"{fn}(t, {born}, p{pre}_aids, p{pre}_acnt, p{pre}_ahmask, {lo}, {hi}, {first}, "
        f"{parts[0]}, {n_blocks}, b, {parts[1]}, {parts[2]}, {ring}, {rmask}, {runs}[b])"
    )
    label = f"projection {q} (at arrival)"
    return _Unit(
        label, [(0, call)], (f"p{pre}", f"q{q}"), "projection at arrival", _ring_chain(proj)
    )


def _delivery_source(pre: int, mpi: bool) -> str:
    """The slice buffer the pending slice is delivered from: the received one under MPI."""
    if mpi:
        return f"p{pre}_rspk, p{pre}_roff, p{pre}_rbounds"
    return f"p{pre}_spk[pp], p{pre}_off[pp], p{pre}_bounds"


def _serial_monitors(w: _Writer, net: Network) -> list[tuple[int, str]]:
    """Copy the new slice's spikes into spike monitors, count them for rate monitors.

    A monitor of a view keeps only the spikes of the view's neurons (``mask``, one flag per
    local neuron of the population).
    """
    units = []
    for mon_i, mon in enumerate(net._spike_monitors()):
        p = mon.population.index
        steps, count = f"sm{mon_i}_steps", f"sm{mon_i}_count"
        ids = w.arg(f"sm{mon_i}_ids", lambda m=mon: m._ids)
        keep = _view_test(w, f"sm{mon_i}", mon, f"p{p}_spk[par, q]")
        w0, w1 = _window_args(w, f"sm{mon_i}", mon)
        lines = [
            (0, f"c = {count}[0]"),
            # the steps t0 + s + 1 of the slice in the window (w0, w1]
            (0, f"s0 = {w0} - t0 if {w0} > t0 else 0"),
            (0, f"s1 = {w1} - t0 if {w1} - t0 < ns else ns"),
            (0, "for s in range(s0, s1):"),
            (1, f"for bb in range(p{p}_off.shape[1]):"),
            (2, f"base = slice_len * p{p}_bounds[bb]"),
            (2, f"for q in range(base + p{p}_off[par, bb, s], base + p{p}_off[par, bb, s + 1]):"),
            *[(3 + d, x) for d, x in keep],
            (3, f"{steps}[c] = t0 + s + 1"),
            (3, f"{ids}[c] = p{p}_spk[par, q]"),
            (3, "c += 1"),
            (0, f"{count}[0] = c"),
        ]
        units.append(
            _Unit(f"spike monitor {mon_i}", lines, (f"sm{mon_i}", f"p{p}"), "spike monitor")
        )
    for mon_i, mon in enumerate(net._rate_monitors()):
        p = mon.population.index
        counts = w.arg(f"rm{mon_i}_counts", lambda m=mon: m._counts)
        first = w.arg(f"rm{mon_i}_t0", lambda m=mon: np.int64(m._step0))
        lines = [
            (0, "for s in range(ns):"),
            (1, "c = 0"),
            (1, f"for bb in range(p{p}_off.shape[1]):"),
        ]
        if mon._mask is None:
            lines.append((2, f"c += p{p}_off[par, bb, s + 1] - p{p}_off[par, bb, s]"))
        else:
            keep = _view_test(w, f"rm{mon_i}", mon, f"p{p}_spk[par, q]")
            span = f"base + p{p}_off[par, bb, s], base + p{p}_off[par, bb, s + 1]"
            lines += [
                (2, f"base = slice_len * p{p}_bounds[bb]"),
                (2, f"for q in range({span}):"),
                *[(3 + d, x) for d, x in keep],
                (3, "c += 1"),
            ]
        lines.append((1, f"{counts}[t0 + s - {first}] = c"))
        units.append(_Unit(f"rate monitor {mon_i}", lines, (f"rm{mon_i}", f"p{p}"), "rate monitor"))
    # each monitor writes its own buffers only
    return _grouped(w, units, depth=0, reorder=True)


def _window_args(w: _Writer, tag: str, mon: Any) -> tuple[str, str]:
    """The loop's names of a monitor's recording window ``(w0, w1]`` [steps]."""
    return (
        w.arg(f"{tag}_w0", lambda mon=mon: np.int64(mon._window[0])),
        w.arg(f"{tag}_w1", lambda mon=mon: np.int64(mon._window[1])),
    )


def _view_test(w: _Writer, tag: str, mon: Any, local: str) -> list[tuple[int, str]]:
    """Lines skipping a spike of local neuron ``local`` outside a monitor's view (none if whole)."""
    if mon._mask is None:
        return []
    mask = w.arg(f"{tag}_mask", lambda m=mon: m._mask)
    return [(0, f"if not {mask}[{local}]:"), (1, "continue")]


def _csr_part(proj: Any, part: str) -> Any:
    if part == "split":
        return proj._split
    value = getattr(proj._csr_raw, part)
    if part == "weight" and not isinstance(value, np.ndarray):
        count = counted_weight(proj.post.population, proj.receptor, value)
        return proj.post.population.network.float_dtype.type(value) if count is None else count
    if part == "delay" and not isinstance(value, np.ndarray):
        return np.int64(value)
    return value


def _block_lines(w: _Writer, pop: Any) -> list[tuple[int, str]]:
    """Lines setting ``lo:hi`` (``pop``'s neurons in block ``b``) and ``slot`` (its ring row)."""
    p = pop.index
    mask = w.arg_once(f"p{p}_mask", lambda pop=pop: np.int64(pop._ring_mask))
    return [
        (0, f"lo = p{p}_bounds[b]"),
        (0, f"hi = p{p}_bounds[b + 1]"),
        (0, f"slot = t & {mask}"),
    ]


def _input_units(w: _Writer, net: Network, pops: list[Any]) -> tuple[list[_Unit], list[_Unit]]:
    """The couplings and the drives adding into the populations' rings at step ``t``, as units.

    They run for every population before any population's update, the couplings first: each
    adds into its own population's ring row of step ``t`` only, which no update of another
    population reads or writes, so each row receives the same additions in the same order
    (couplings, then drives in the order they were attached) as when they ran just before
    their population's update. As units of their own, alike drives are one group however many
    there are: written inside their population's code, K drives on views of one population
    compiled in time growing faster than K (3.5 s for 5, 81 s for 50). A drive's chain is its
    ring (population and receptor), so drives of different rings may change places to meet
    alike ones (:func:`_schedule`).
    """
    couplings, drives = [], []
    for pop in pops:
        p = pop.index
        lines = coupling_lines(w, net, pop)
        if lines:
            lines = _block_lines(w, pop) + lines
            couplings.append(_Unit(f"couplings into {p}", lines, (f"p{p}",), "couplings"))
        for d_i, att in enumerate(net._drives_of(pop)):
            tag = f"p{p}_d{d_i}"
            lines = _block_lines(w, pop) + _drive_lines(w, net, pop, tag, att)
            kind = f"drive ({type(att.drive).__name__})"
            unit = _Unit(f"drive {d_i} of {p}", lines, (tag, f"p{p}"), kind, (p, att.receptor))
            drives.append(unit)
    return couplings, drives


def _step_spikes(p: int) -> str:
    """Population ``p``'s spikes of block ``b`` at slice step ``s``, as kernel arguments.

    The slice buffer and the first and end places of those spikes in it (``spk, q0, q1``).
    """
    first = f"slice_len * p{p}_bounds[b]"
    return f"p{p}_spk[par], {first} + p{p}_off[par, b, s], {first} + p{p}_off[par, b, s + 1]"


def _target_units(w: _Writer, net: Network) -> list[_Unit]:
    """The target traces of plastic projections stepped for step ``t``, one unit each.

    They run after every population's update of the step: each reads its target population's
    spikes of step ``t`` (:func:`_step_spikes`, gathered by that update) and writes its own
    projection's traces, which the projection reads only in a later slice; so they commute.
    """
    units = []
    for q, proj in enumerate(net.projections):
        if proj.synapse is None:
            continue
        variables = [] if proj._coupling else list(proj.synapse.post_variables)
        if not proj.synapse.target_traces and not variables:
            continue
        pop = proj.post.population
        p = pop.index
        fn = w.imports.name(proj._module.target_step, "target_step")
        tgt = w.arg_once(f"q{q}_tgt", lambda proj=proj: proj._tgt)
        hist, hmask = _target_history_args(w, q, proj)
        factors = w.arg_once(f"q{q}_tgt_decay", lambda proj=proj: proj._tgt_decay)
        factors += "".join(
            ", " + w.arg_once(f"p{p}_cs_{v}", lambda pop=pop, v=v: pop.state[v]) for v in variables
        )
        consts = "".join(
            ", " + w.arg_once(f"q{q}_c_{c}", lambda proj=proj, c=c: proj._consts_raw[c])
            for c in proj._consts
        )
        call = f"{fn}(t, {_step_spikes(p)}, lo, hi, {tgt}, {hist}, {hmask}, {factors}, dt{consts})"
        lines = [*_block_lines(w, pop), (0, call)]
        units.append(_Unit(f"target traces of {q}", lines, (f"q{q}", f"p{p}"), "target traces"))
    return units


def _emit_population(w: _Writer, net: Network, pop: Any) -> list[tuple[int, str]]:
    """Update, gather and state monitors of one population's block for step ``t``."""
    p = pop.index
    model: NeuronModel = pop.model
    imports = w.imports
    gather = imports.name(spikes_gather, "spikes_gather")
    body = _block_lines(w, pop)
    if w.profile:
        body.append((0, f"_c = {w._tick}(prof, b, -1, _c)"))
    counted = {r for r, q in pop._ring_q.items() if q is not None}
    update, params = _update_module(model, pop._consts, net._active_receptors(pop), counted)
    fn = imports.name(update, "update")
    flags = w.arg_once(f"p{p}_flags", lambda pop=pop: pop._flags)
    words = w.arg(f"p{p}_words", lambda pop=pop: pop._words)
    key = derive_key(net.seed, "population", p, "noise")
    keys = {"k0": key[0], "k1": key[1], "j0": np.int64(net.rank), "js": np.int64(net.n_ranks)}
    call = ["lo", "hi", "slot", "t", "dt", flags]
    for kind, name in params:
        if kind == "state":
            call.append(w.arg(f"p{p}_s_{name}", lambda pop=pop, v=name: pop.state[v]))
        elif kind == "ring":
            call.append(w.arg(f"p{p}_r_{name}", lambda pop=pop, r=name: pop.rings[r]))
        elif kind == "quantum":
            call.append(w.arg(f"p{p}_q_{name}", lambda pop=pop, r=name: pop._ring_q[r]))
        elif kind == "key":
            call.append(w.const(f"p{p}_{name}", keys[name]))
        elif kind == "size":
            call.append(w.arg_once(f"p{p}_size", lambda pop=pop: np.int64(pop.size)))
        else:
            call.append(w.arg(f"p{p}_c_{name}", lambda pop=pop, c=name: pop._consts[c]))
    body += [
        (0, f"if {fn}({', '.join(call)}):"),
        (1, "nan_at[b, 0] = t"),
        (1, f"nan_at[b, 1] = {w.const(f'p{p}_index', np.int64(p))}"),
        (1, "failed = True"),
    ]
    body += publish_lines(w, net, pop)
    if w.profile:
        body.append((0, f"_c = {w._tick}(prof, b, 1, _c)"))
    body += [
        (0, f"o = p{p}_off[par, b, s]"),
        (0, f"n = {gather}({flags}, {words}, lo, hi, p{p}_spk[par], slice_len * lo + o)"),
        (0, f"p{p}_off[par, b, s + 1] = o + n"),
    ]
    if getattr(pop, "_hist_ids", None) is not None:
        # spike history for plastic synapses' postsynaptic arrivals (block b's spikes of step t)
        ids = w.arg_once(f"p{p}_hist_ids", lambda pop=pop: pop._hist_ids)
        cnt = w.arg_once(f"p{p}_hist_cnt", lambda pop=pop: pop._hist_cnt)
        hmask = w.arg_once(f"p{p}_hmask", lambda pop=pop: np.uint64(pop._hist_ids.shape[0] - 1))
        body += [
            (0, f"hs = np.uint64(t) & {hmask}"),
            (0, f"{cnt}[hs, b] = n"),
            (0, "for m in range(n):"),
            (1, f"{ids}[hs, lo + m] = p{p}_spk[par, slice_len * lo + o + m]"),
        ]
    for m_i, mon in enumerate(net._state_monitors_of(pop)):  # not weight monitors
        tag = f"p{p}_st{m_i}"
        every = w.const(f"{tag}_every", np.int64(mon.every))
        row0 = w.arg(f"{tag}_row0", lambda mon=mon: np.int64(mon._row0))
        idx = w.arg(f"{tag}_idx", lambda mon=mon: mon.local)
        split = w.arg(f"{tag}_split", lambda mon=mon: mon._split)
        w0, w1 = _window_args(w, tag, mon)
        body.append((0, f"if (t + 1) % {every} == 0 and {w0} < t + 1 <= {w1}:"))
        body.append((1, f"r = (t + 1) // {every} - {row0}"))
        for v in mon.variables:
            buf = w.arg(f"{tag}_{v}", lambda mon=mon, v=v: mon._buffers[v])
            body.append((1, f"for k in range({split}[b], {split}[b + 1]):"))
            if v in mon.derived:
                body.append((2, f"j = {idx}[k]"))
                body.append((2, f"{buf}[r, k] = {_derived_call(w, pop, mon.derived[v])}"))
            else:
                body.append((2, f"{buf}[r, k] = p{p}_s_{v}[{idx}[k]]"))
    if w.profile:
        body.append((0, f"_c = {w._tick}(prof, b, 2, _c)"))
    return body


def _derived_call(w: _Writer, pop: Any, derived: Derived) -> str:
    """The call of a derived value's kernel for local neuron ``j`` at the end of step ``t``."""
    assert derived.function is not None
    fn = w.imports.name(as_jitted(derived.function), "derived")
    p = pop.index
    args = []
    for a in derived.arguments:
        if a == "t":
            args.append("(t + 1) * dt")
        elif a == "dt":
            args.append("dt")
        elif a == "neuron_index":
            net = pop.network
            j0 = w.arg_once(f"p{p}_rank0", lambda net=net: np.int64(net.rank))
            js = w.arg_once(f"p{p}_nranks", lambda net=net: np.int64(net.n_ranks))
            args.append(f"({j0} + {js} * np.int64(j))")
        elif a == "population_size":
            args.append(w.arg_once(f"p{p}_size", lambda pop=pop: np.int64(pop.size)))
        elif a in pop.state:
            args.append(f"p{p}_s_{a}[j]")
        else:
            c = w.arg_once(f"p{p}_c_{a}", lambda pop=pop, a=a: pop._consts[a])
            args.append(f"{c}[j]" if isinstance(pop._consts[a], np.ndarray) else c)
    return f"{fn}({', '.join(args)})"


def _drive_lines(w: _Writer, net: Network, pop: Any, tag: str, att: Any) -> list[tuple[int, str]]:
    """The call of one drive's add kernel for block ``b`` (per run of neurons for a view).

    A drive on a whole population adds into the block's row ``lo:hi``. A drive on a view adds
    into every run of consecutive local neurons of the view (``att._runs``: start, end, and
    position of the start among the view's local neurons), cut to the block.
    """
    fn = w.imports.name(as_jitted(att.drive.add_function()), "drive")
    key = derive_key(net.seed, "drive", att.index)
    k0, k1 = w.const(f"{tag}_k0", key[0]), w.const(f"{tag}_k1", key[1])
    ring = w.arg(f"{tag}_ring", lambda pop=pop, r=att.receptor: pop.rings[r])
    j0 = w.const(f"{tag}_j0", np.int64(net.rank))
    js = w.const(f"{tag}_js", np.int64(net.n_ranks))
    per_neuron = att.drive.per_neuron
    counted = att.drive.counted

    def value(a: str, att: Any = att) -> Any:
        # a counted weight: an integer multiple of its ring's unit when the ring counts them
        count = None if a != counted else counted_weight(att.population, att.receptor, att._args[a])
        return att._args[a] if count is None else count

    names = [(a, w.arg(f"{tag}_{a}", lambda a=a: value(a))) for a in att._args]
    if att._runs is None:
        extra = [f"{n}[lo:hi]" if a in per_neuron else n for a, n in names]
        call = ", ".join([f"{ring}[slot, lo:hi]", "t", f"{j0} + {js} * lo", js, k0, k1, *extra])
        return [(0, f"{fn}({call})")]
    runs = w.arg(f"{tag}_runs", lambda att=att: att._runs)
    extra = [f"{n}[dc:dc + de - da]" if a in per_neuron else n for a, n in names]
    call = ", ".join([f"{ring}[slot, da:de]", "t", f"{j0} + {js} * da", js, k0, k1, *extra])
    return [
        (0, f"for dr in range({runs}.shape[0]):"),
        (1, f"da = max({runs}[dr, 0], lo)"),
        (1, f"de = min({runs}[dr, 1], hi)"),
        (1, "if da < de:"),
        (2, f"dc = {runs}[dr, 2] + da - {runs}[dr, 0]"),
        (2, f"{fn}({call})"),
    ]


def _update_module(
    model: NeuronModel, consts: dict[str, Any], active: set[str], counted: set[str]
) -> tuple[Any, list]:
    """Generate the population update of ``model`` as its own cached kernel.

    Its text depends only on the model's step function and on which constants are arrays, so
    every network using the same model shares one compiled update. Returns the kernel and its
    parameters after the leading ``lo, hi, slot, t, dt, flags``: ``("state", name)``,
    ``("ring", receptor)``, ``("quantum", receptor)``, ``("const", name)`` or ``("key", part)``.
    It updates neurons ``lo:hi``, clears their ring slot, sets their spike flags and returns
    whether the first float state variable became NaN or infinite. Receptors not in ``active``
    (nothing feeds them) get zero and no ring, which saves their memory traffic; those in
    ``counted`` hold integer counts of their quantum (decision 0025), read as ``count * q``.
    """
    imports = Imports()
    step = as_jitted(model.step_function())
    fn = imports.name(step, "step")
    arg_names = list(inspect.signature(getattr(step, "py_func", step)).parameters)
    state_names = [v.name for v in model.state_vars]
    all_receptors = [r.name for r in model.receptors]
    rec_names = [r for r in all_receptors if r in active]
    params: list[tuple[str, str]] = [("state", v) for v in state_names]
    params += [("ring", r) for r in rec_names]
    params += [("quantum", r) for r in rec_names if r in counted]
    call: list[str] = []
    before: list[str] = []
    noise = any(a in ("uniform", "normal", "uniform_shared") for a in arg_names)
    index = False
    for a in arg_names:
        if a in consts:
            params.append(("const", a))
            call.append(f"c_{a}[i]" if isinstance(consts[a], np.ndarray) else f"c_{a}")
        elif a == "dt":
            call.append("dt")
        elif a in ("uniform", "normal"):
            draw = imports.name(uniform if a == "uniform" else normal, a)
            call.append(f"{draw}(k0, k1, j0 + js * np.int64(i), t)")
        elif a == "uniform_shared":
            # counter (-1, t): no neuron's (its index is >= 0)
            draw = imports.name(uniform, "uniform")
            before.append(f"    u_shared = {draw}(k0, k1, np.int64(-1), t)")
            call.append("u_shared")
        elif a == "t":
            before.append("    time = t * np.float64(dt)")
            call.append("time")
        elif a == "neuron_index":
            # the population index of local neuron i (neurons are dealt to ranks in turn)
            index = True
            call.append("j0 + js * np.int64(i)")
        elif a == "population_size":
            params.append(("size", "size"))
            call.append("size")
        elif a in state_names:
            call.append(f"s_{a}[i]")
        elif a in rec_names:
            k = rec_names.index(a)
            call.append(f"row{k}[i] * q_{a}" if a in counted else f"row{k}[i]")
        else:
            call.append("zero")
    if noise:
        params += [("key", "k0"), ("key", "k1"), ("key", "j0"), ("key", "js")]
    elif index:
        params += [("key", "j0"), ("key", "js")]
    prefix = {"state": "s_", "ring": "r_", "quantum": "q_", "const": "c_", "key": "", "size": ""}
    names = [prefix[kind] + name for kind, name in params]
    outs = [f"x{k}" for k in range(len(state_names))]
    # Every step checks the first float state variable (the membrane potential of every model
    # here: a NaN or inf elsewhere reaches it within a step or two); the network checks all of
    # them between chunks. Checking all three of LIFCondExp's every step costs 20 % of its update.
    checked = [k for k, v in enumerate(model.state_vars) if v.dtype == "float"]
    # a model without state returns the 1-tuple (spiked,)
    lhs = ", ".join([*outs, "sp"]) + ("" if outs else ",")
    lines = [
        "@kernel",
        f"def update(lo, hi, slot, t, dt, flags, {', '.join(names)}):",
        *[f"    row{k} = r_{r}[slot]" for k, r in enumerate(rec_names)],
        # input of receptors nothing feeds, in the network's float type (a 0.0 literal would
        # promote float32 arithmetic to float64)
        "    zero = dt - dt",
        *before,
        "    bad = False",
        # unsigned induction variable: numba adds negative-index wrap-around code for signed
        # ones, which stops LLVM from vectorising the loop (measured 2.5x slower)
        "    for i in range(np.uint64(lo), np.uint64(hi)):",
        f"        {lhs} = {fn}({', '.join(call)})",
        *[f"        s_{v}[i] = x{k}" for k, v in enumerate(state_names)],
        *[f"        row{k}[i] = {0 if r in counted else 0.0}" for k, r in enumerate(rec_names)],
        "        flags[i] = sp",
        *[f"        bad |= (x{k} - x{k}) != 0.0" for k in checked[:1]],
        "    return bad",
    ]
    module = load_module("snn_update", "\n".join(lines), imports)
    return module.update, params
