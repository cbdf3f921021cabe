"""Connectivity: connection rules' protocol and the builder that turns a rule into CSR arrays.

A rule describes which pairs connect; the builder generates the synapses inside numba in two
passes over the same counter-based random draws: the first counts the synapses of every
presynaptic neuron, the second writes them into their final place. No temporary array as large
as the synapse count is ever made, and the exact number of synapses is known (and checked against
the memory available) before the synapse arrays are allocated.

Per-target rules (all-to-all, one-to-one, pairwise Bernoulli, fixed in-degree, ...) produce the
sources of one target neuron at a time, from random draws keyed by the target's index; weights and
delays drawn from distributions are keyed by ``(target, rank of the synapse among the target's
inputs)``. Per-source rules (fixed out-degree) do the same from the source's side. The result does
not depend on which targets a process or thread owns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core._codegen import Imports, load_module
from snn.core._delivery import order_rows_by_delay
from snn.core._jit import thread_count
from snn.core._memory import empty_mapped, memory_available, require_memory
from snn.core._validate import CheckedParameters
from snn.core.errors import ConfigurationError
from snn.core.random import Distribution, rounding_tables

#: Delays become whole steps rounded to the nearest, halves up, as NEST's
#: ``Time::delay_ms_to_steps``; a value less than 1e-9 step below a half counts as the half, so
#: that a delay written as 0.15 ms (1.4999999999999998 steps of 0.1 ms in floating point) is
#: 2 steps, as in NEST. Continuous draws are rounded the same way (their ties have probability 0).
HALF_UP = 0.5 + 1e-9


def nearest_steps(steps: Any) -> Any:
    """``steps`` (delays over dt, a number or array) rounded as :data:`HALF_UP` says."""
    return np.floor(np.asarray(steps, dtype=np.float64) + HALF_UP)


__all__ = [
    "CSR",
    "BoundLaw",
    "ConnectionRule",
    "DelayRuns",
    "PairLaw",
    "RuleArgs",
    "build_csr",
    "memory_available",
]

Scheme = Literal["per_target", "per_source", "explicit"]

#: largest delay [steps] stored in a uint16 per-synapse delay array
_U16_MAX = 65535


@dataclass(frozen=True)
class RuleArgs:
    """What a rule needs to generate the synapses of one projection.

    Attributes
    ----------
    params
        Extra positional arguments of the rule's generator (numbers and arrays).
    buffer_size
        Upper bound of the generator's output for one neuron (length of its scratch arrays).
    expected
        Expected number of synapses of the whole projection (for memory estimates).
    counts
        For ``per_source`` rules that know it in advance: the number of synapses each source
        makes (int64, one per source). A single process then skips the counting pass.
    """

    params: tuple[Any, ...]
    buffer_size: int
    expected: float
    counts: np.ndarray | None = None


class ConnectionRule(CheckedParameters):
    """Base class of connection rules.

    A rule provides a numba generator, ``gen(j, n_other, same, k0, k1, buf, fbuf, *params) -> n``.
    For a ``per_target`` rule it writes the presynaptic indices of target ``j`` into ``buf[:n]``
    in ascending order; for a ``per_source`` rule the postsynaptic indices of source ``j``.
    ``n_other`` is the size of the other population, ``same`` tells whether pre and post are the
    same population (for autapses), ``(k0, k1)`` is the projection's connectivity key, ``buf``
    (int64) and ``fbuf`` (float64) are scratch arrays of :attr:`RuleArgs.buffer_size` owned by
    the calling thread, and every random draw must use a counter ``(j, c)`` so that the result for
    ``j`` does not depend on any other ``j``.
    """

    scheme: ClassVar[Scheme] = "per_target"
    #: parameters are one number each unless a rule lists its array fields here
    vector_parameters: ClassVar[tuple[str, ...] | None] = ()

    def generator(self) -> Callable[..., Any]:
        """The numba generator function."""
        raise NotImplementedError

    def prepare(self, pre: Any, post: Any, *, same: bool, key: tuple[int, int]) -> RuleArgs:
        """Validate the rule against the populations and compute the generator's arguments.

        Parameters
        ----------
        pre, post
            Source and target :class:`~snn.core.Population` (or view): sizes and positions.
        same
            Whether ``pre`` and ``post`` are the same neurons (autapses are possible).
        key
            The projection's connectivity key, for rules that draw projection-wide numbers
            (every process computes the same values from it).
        """
        raise NotImplementedError

    def build_explicit(self, **kwargs: Any) -> tuple[CSR, int]:
        """CSR of an ``explicit`` rule (one that lists its synapses instead of generating them)."""
        raise NotImplementedError


class PairLaw:
    """Base class of weight or delay laws computed from the (source, target) pair.

    A law provides a numba function ``f(i, j, *args) -> float`` giving the value [s for delays,
    receptor unit for weights] of a synapse from source ``i`` to target ``j`` (indices relative to
    the connected populations or views), and binds itself to the populations of a projection
    (:meth:`bind`), which validates it and computes ``args``. The value is computed in the filling
    pass of the builder, one synapse at a time: no temporary array is made. Used for
    distance-dependent delays (:class:`snn.synapses.DistanceDelay`).
    """

    def function(self) -> Callable[..., Any]:
        """The numba function ``f(i, j, *args) -> float``."""
        raise NotImplementedError

    def bind(self, pre: Any, post: Any, *, what: str, dt: float) -> BoundLaw:
        """Validate the law against the projection and compute the function's arguments.

        Parameters
        ----------
        pre, post
            Source and target :class:`~snn.core.Population` (or view).
        what
            ``"weight"`` or ``"delay"``: the quantity the law gives (for messages).
        dt
            Time step [s].
        """
        raise NotImplementedError


@dataclass(frozen=True)
class BoundLaw:
    """A :class:`PairLaw` bound to one projection: its function and the function's arguments."""

    function: Callable[..., Any]
    args: tuple[Any, ...]


@dataclass
class DelayRuns:
    """Per-synapse delays of a CSR whose rows are ordered by delay, stored as run boundaries.

    Row ``r`` holds its synapses of delay ``first + j`` at positions
    ``indptr[r] + offsets[r, j] : indptr[r] + offsets[r, j + 1]`` (targets ascending within a
    run); ``offsets[r, -1]`` is the row's length. This replaces the 2 bytes per synapse of a delay
    array by ``offsets.shape[1]`` small integers per row, and is what arrival-time delivery reads
    (see ``README.md`` in this folder).

    Attributes
    ----------
    first : int
        Smallest delay [steps].
    offsets : numpy.ndarray
        uint16 or uint32 ``(n_pre, n_delays + 1)``: row-relative start of each delay's run.
    """

    first: int
    offsets: np.ndarray

    @property
    def last(self) -> int:
        """Largest delay [steps] a run is kept for."""
        return self.first + self.offsets.shape[1] - 2

    def expand(self) -> np.ndarray:
        """The delay of every synapse in storage order [steps] (uint16 or uint32)."""
        counts = np.diff(self.offsets.astype(np.int64), axis=1)
        values = np.arange(self.first, self.last + 1, dtype=np.int64)
        dtype = np.uint16 if self.last <= _U16_MAX else np.uint32
        return np.repeat(np.tile(values, self.offsets.shape[0]), counts.ravel()).astype(dtype)


@dataclass
class CSR:
    """Synapses of one projection, by presynaptic neuron.

    Attributes
    ----------
    indptr : numpy.ndarray
        int64 ``(n_pre + 1,)``: synapses of source ``i`` are ``indptr[i]:indptr[i+1]``.
    indices : numpy.ndarray
        uint16 or uint32: local index of each synapse's target, ascending within a row (within
        each delay's run when ``delay`` is a :class:`DelayRuns`).
    weight : float or numpy.ndarray
        Weight [unit of the receptor]: one float when homogeneous, else float64 per synapse.
    delay : int, numpy.ndarray or DelayRuns
        Delay [steps]: one int when homogeneous, uint16/uint32 per synapse, or the runs of rows
        ordered by delay.
    """

    indptr: np.ndarray
    indices: np.ndarray
    weight: float | np.ndarray
    delay: int | np.ndarray | DelayRuns

    @property
    def n_synapses(self) -> int:
        """Number of synapses."""
        return int(self.indptr[-1])

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays."""
        total = self.indptr.nbytes + self.indices.nbytes
        delay = self.delay.offsets if isinstance(self.delay, DelayRuns) else self.delay
        for a in (self.weight, delay):
            if isinstance(a, np.ndarray):
                total += a.nbytes
        return total

    def max_delay(self) -> int:
        """Largest delay [steps] (0 when there are no synapses)."""
        if isinstance(self.delay, DelayRuns):
            return self.delay.last if self.n_synapses else 0
        if isinstance(self.delay, np.ndarray):
            return int(self.delay.max()) if self.delay.size else 0
        return int(self.delay)

    def min_delay(self) -> int:
        """Smallest delay [steps] (0 when there are no synapses)."""
        if isinstance(self.delay, DelayRuns):
            return self.delay.first if self.n_synapses else 0
        if isinstance(self.delay, np.ndarray):
            return int(self.delay.min()) if self.delay.size else 0
        return int(self.delay)

    def delays(self) -> int | np.ndarray:
        """The homogeneous delay, or the delay of every synapse in storage order [steps]."""
        return self.delay.expand() if isinstance(self.delay, DelayRuns) else self.delay

    def order_by_delay(self, first: int, last: int, threads: int = 1) -> None:
        """Reorder every row by (delay, target) and keep the delays as :class:`DelayRuns`.

        ``delay`` must be a per-synapse array with values in ``[first, last]``. The reordering
        is stable, so targets stay ascending within each delay's run, and it is done in place
        (one row's worth of scratch per thread, rows in parallel on ``threads``).
        """
        d = self.delay
        assert isinstance(d, np.ndarray)
        n_pre = self.indptr.shape[0] - 1
        longest = int(np.diff(self.indptr).max()) if n_pre else 0
        off_t = np.uint16 if longest <= _U16_MAX else np.uint32
        offsets = np.zeros((n_pre, last - first + 2), dtype=off_t)
        weight = self.weight if isinstance(self.weight, np.ndarray) else np.zeros(0)
        with thread_count(threads):
            order_rows_by_delay(self.indptr, self.indices, weight, d, first, offsets)
        self.delay = DelayRuns(first, offsets)


def _check_memory(n_synapses: float, per_synapse: int, n_pre: int, overhead: int = 0) -> None:
    need = n_synapses * per_synapse + 8 * (2 * n_pre + 1) + overhead
    require_memory(
        f"This projection of {n_synapses:,.0f} synapses",
        need,
        "Use homogeneous weights and delays (stored once per projection), fewer synapses, or "
        "more MPI ranks.",
    )


def _value_mode(name: str, value: Any, n_pre: int, n_post: int) -> str:
    if isinstance(value, Distribution):
        return "dist"
    if isinstance(value, BoundLaw):
        return "law"
    if isinstance(value, PairLaw):
        raise ConfigurationError(
            f"`{name}` is an unbound {type(value).__name__}; bind it to the projection's "
            "populations first (Network.connect does)."
        )
    if np.ndim(value) == 0:
        return "scalar"
    arr = np.asarray(value)
    if arr.ndim == 2:
        if arr.shape != (n_pre, n_post):
            raise ConfigurationError(
                f"`{name}` as a matrix must have shape (n_pre, n_post) = ({n_pre}, {n_post}), "
                f"got {arr.shape}."
            )
        return "matrix"
    raise ConfigurationError(
        f"`{name}` must be a number, a Distribution or an (n_pre, n_post) matrix for this rule, "
        f"got an array of shape {arr.shape}; per-synapse arrays go with the Explicit rule."
    )


def _law_args(src: str, n_args: int) -> str:
    return "".join(f", {src}q{k}" for k in range(n_args))


def _assign(
    target: str, mode: str, src: str, first: str, second: str, scale: str, n_law: int = 0
) -> list[str]:
    """Lines computing ``x`` for one synapse (``first``/``second`` index the pair)."""
    if mode == "law":
        return [f"x = {src}law(i, j{_law_args(src, n_law)}){scale}"]
    if mode == "dist":
        return [f"x = dist_sample({src}spec, {src}k0, {src}k1, {first}, q){scale}"]
    if mode == "table":
        return [f"x = table_sample({src}spec, {src}guide, {src}k0, {src}k1, {first}, q)"]
    if mode == "matrix":
        return [f"x = {src}mat[i, j]{scale}"]
    return []


def _value_lines(
    wmode: str, dmode: str, first: str, pad: str, n_wlaw: int = 0, n_dlaw: int = 0
) -> list[str]:
    """Lines storing the weight and delay of the synapse at ``pos`` (pair ``first``, rank ``q``)."""
    lines: list[str] = []
    if wmode != "scalar":
        lines += [pad + s for s in _assign("w", wmode, "w", first, "q", "", n_wlaw)]
        lines.append(pad + "weight[pos] = x")
    if dmode != "scalar":
        lines += [pad + s for s in _assign("d", dmode, "d", first, "q", " * inv_dt", n_dlaw)]
        lines += [
            pad + f"d = int(np.floor(x + {HALF_UP!r}))",
            pad + "if d < 1:",
            pad + "    short += 1",
            pad + "    d = 1",
            pad + "if d > dmax:",
            pad + "    over += 1",
            pad + "    d = dmax",
            pad + "delay[pos] = d",
        ]
    return lines


#: the fill kernels' value arguments; in "table" mode ``dspec`` holds the delay's rounding table
#: (:func:`snn.core.random.rounding_tables`) and ``dguide`` its guide
_FILL_VALUES = (
    "weight, wspec, wk0, wk1, wmat, delay, dspec, dguide, dk0, dk1, dmat, inv_dt, dmax, shorts, "
    "overs"
)


def _builder_body(
    scheme: Scheme,
    wmode: str,
    dmode: str,
    n_params: int,
    parallel: bool,
    n_wlaw: int = 0,
    n_dlaw: int = 0,
) -> str:
    """Source of the counting and filling kernels for one rule scheme and value forms.

    Work is split into blocks of consecutive neurons (``bounds``), each with its own scratch
    arrays (row ``b`` of ``bufs`` and ``fbufs``), run by ``prange`` when ``parallel``. Per-target
    rules count the synapses of every source separately for each block (row ``b`` of ``counts``),
    so that each block can be given its own write position in every source's row: the synapses
    land where a serial pass would put them, in the same order, whatever the number of blocks.
    """
    params = "".join(f", p{k}" for k in range(n_params))
    laws = _law_args("w", n_wlaw) + _law_args("d", n_dlaw)
    loop = "numba.prange" if parallel else "range"
    deco = "@kernel(parallel=True)" if parallel else "@kernel"
    lines: list[str] = []
    if scheme == "per_target":
        lines += [
            deco,
            f"def count(targets, bounds, n_other, same, k0, k1, bufs, fbufs, counts{params}):",
            f"    for b in {loop}(bounds.shape[0] - 1):",
            "        buf = bufs[b]",
            "        fbuf = fbufs[b]",
            "        row = counts[b]",
            "        for jl in range(bounds[b], bounds[b + 1]):",
            f"            n = gen(targets[jl], n_other, same, k0, k1, buf, fbuf{params})",
            "            for q in range(n):",
            "                row[buf[q]] += 1",
            "",
            "",
            deco,
            "def fill(targets, bounds, offset, n_other, same, k0, k1, bufs, fbufs, cursors, "
            f"indices, {_FILL_VALUES}{params}{laws}):",
            f"    for b in {loop}(bounds.shape[0] - 1):",
            "        buf = bufs[b]",
            "        fbuf = fbufs[b]",
            "        cursor = cursors[b]",
            "        short = 0",
            "        over = 0",
            "        for jl in range(bounds[b], bounds[b + 1]):",
            "            j = targets[jl]",
            f"            n = gen(j, n_other, same, k0, k1, buf, fbuf{params})",
            "            for q in range(n):",
            "                i = buf[q]",
            "                pos = cursor[i]",
            "                cursor[i] = pos + 1",
            "                indices[pos] = jl + offset",
        ]
        lines += _value_lines(wmode, dmode, "j", " " * 16, n_wlaw, n_dlaw)
    else:
        own = "(j + start) % n_ranks == rank"
        lines += [
            deco,
            "def count(bounds, n_other, same, k0, k1, bufs, fbufs, counts, rank, n_ranks, "
            f"start{params}):",
            f"    for b in {loop}(bounds.shape[0] - 1):",
            "        buf = bufs[b]",
            "        fbuf = fbufs[b]",
            "        for i in range(bounds[b], bounds[b + 1]):",
            f"            n = gen(i, n_other, same, k0, k1, buf, fbuf{params})",
            "            c = 0",
            "            for q in range(n):",
            "                j = buf[q]",
            f"                if {own}:",
            "                    c += 1",
            "            counts[i] = c",
            "",
            "",
            deco,
            "def fill(bounds, n_other, same, k0, k1, bufs, fbufs, indptr, indices, "
            f"{_FILL_VALUES}, rank, n_ranks, start{params}{laws}):",
            f"    for b in {loop}(bounds.shape[0] - 1):",
            "        buf = bufs[b]",
            "        fbuf = fbufs[b]",
            "        short = 0",
            "        over = 0",
            "        for i in range(bounds[b], bounds[b + 1]):",
            f"            n = gen(i, n_other, same, k0, k1, buf, fbuf{params})",
            "            pos = indptr[i]",
            "            for q in range(n):",
            "                j = buf[q]",
            f"                if not ({own}):",
            "                    continue",
            "                indices[pos] = (j + start) // n_ranks",
        ]
        lines += _value_lines(wmode, dmode, "i", " " * 16, n_wlaw, n_dlaw)
        lines.append("                pos += 1")
    lines += ["        shorts[b] = short", "        overs[b] = over"]
    return "\n".join(lines)


def _builder(
    rule: ConnectionRule,
    wmode: str,
    dmode: str,
    n_params: int,
    parallel: bool,
    weight: Any,
    delay: Any,
) -> Any:
    imports = Imports()
    gen_name = imports.name(rule.generator(), "gen")
    from snn.core.random import dist_sample, table_sample

    ds_name = imports.name(dist_sample, "dist_sample")
    ts_name = imports.name(table_sample, "table_sample")
    if parallel:
        imports.raw("import numba")
    n_wlaw = len(weight.args) if wmode == "law" else 0
    n_dlaw = len(delay.args) if dmode == "law" else 0
    body = _builder_body(rule.scheme, wmode, dmode, n_params, parallel, n_wlaw, n_dlaw)
    body = body.replace("gen(", f"{gen_name}(").replace("dist_sample(", f"{ds_name}(")
    body = body.replace("table_sample(", f"{ts_name}(")
    for src, mode, value in (("w", wmode, weight), ("d", dmode, delay)):
        if mode == "law":
            body = body.replace(f"{src}law(", f"{imports.name(value.function, src + 'law')}(")
    return load_module("snn_build", body, imports)


def _spec_of(value: Any) -> np.ndarray:
    return value.spec() if isinstance(value, Distribution) else np.zeros(6)


def index_dtype(n: int) -> np.dtype:
    """Narrowest unsigned integer type for indices below ``n``."""
    return np.dtype(np.uint16) if n <= 1 << 16 else np.dtype(np.uint32)


def _block_bounds(n: int, n_blocks: int) -> np.ndarray:
    """``n_blocks + 1`` ascending edges splitting ``range(n)`` into nearly equal blocks."""
    n_blocks = max(1, min(n_blocks, n))
    return np.linspace(0, n, n_blocks + 1).round().astype(np.int64)


#: blocks per thread when building in parallel (smaller blocks even out unequal neurons)
_BLOCKS_PER_THREAD = 4


def build_csr(
    rule: ConnectionRule,
    args: RuleArgs,
    *,
    n_pre: int,
    n_post: int,
    same: bool,
    local_targets: np.ndarray,
    index_offset: int = 0,
    post_start: int = 0,
    rank: int,
    n_ranks: int,
    key: tuple[np.uint64, np.uint64],
    weight: Any,
    weight_key: tuple[np.uint64, np.uint64],
    delay: Any,
    delay_key: tuple[np.uint64, np.uint64],
    dt: float,
    bytes_per_float: int = 8,
    threads: int = 1,
) -> tuple[CSR, int]:
    """Generate the synapses of ``rule`` onto ``local_targets`` as CSR arrays.

    Parameters
    ----------
    rule
        The connection rule.
    args
        What :meth:`ConnectionRule.prepare` returned for this projection.
    n_pre, n_post
        Sizes of the populations.
    same
        Whether pre and post are the same population.
    local_targets
        Indices (relative to the target population or view) of the targets this process owns,
        ascending, int64.
    index_offset
        Position of the first of them among the target population's local neurons (a view's
        targets are stored as positions in its population's arrays).
    post_start
        First population index of the target view (0 for a population).
    rank, n_ranks
        This process's rank and the number of ranks (population index ``g`` lives on rank
        ``g % n_ranks`` at local position ``g // n_ranks``).
    key, weight_key, delay_key
        Random keys of the connectivity, the weights and the delays.
    weight
        Number, :class:`~snn.core.random.Distribution`, ``(n_pre, n_post)`` matrix or
        :class:`BoundLaw` (a value computed from the pair) [receptor unit].
    delay
        Same forms [s].
    dt
        Time step [s].
    bytes_per_float
        Size of a stored weight (8, or 4 for float32 networks).
    threads
        Threads that generate the synapses (the result does not depend on it).

    Returns
    -------
    CSR
        The synapses.
    int
        Number of synapses whose delay rounded below one step (and was raised to one step); the
        caller refuses the projection when it is not 0.
    """
    wmode = _value_mode("weight", weight, n_pre, n_post)
    dmode = _value_mode("delay", delay, n_pre, n_post)
    if dmode == "dist":
        # delays are whole steps: sample the rounded law directly (same law, no normal draw)
        dmode = "table"
    # indices are population-local: a view's offset counts towards the width
    idx_dt = index_dtype(max(1, index_offset + local_targets.shape[0]))
    per_synapse = (
        idx_dt.itemsize
        + (bytes_per_float if wmode != "scalar" else 0)
        + (2 if dmode != "scalar" else 0)
    )
    per_target = rule.scheme == "per_target"
    n_work = local_targets.shape[0] if per_target else n_pre
    parallel = threads > 1
    bounds = _block_bounds(n_work, threads * _BLOCKS_PER_THREAD if parallel else 1)
    n_blocks = bounds.shape[0] - 1
    scratch = max(1, args.buffer_size)
    # per-block counts (n_blocks x n_pre int64) and scratch arrays are the only temporaries
    overhead = 8 * n_pre * (n_blocks if per_target else 1) + 16 * scratch * n_blocks
    # Refuse from the expected count before spending time on the counting pass; the exact count
    # is checked again before allocating.
    share = local_targets.shape[0] / max(1, n_post)
    _check_memory(args.expected * share, per_synapse, n_pre, overhead)
    mod = _builder(rule, wmode, dmode, len(args.params), parallel, weight, delay)
    laws = (weight.args if wmode == "law" else ()) + (delay.args if dmode == "law" else ())
    n_other = n_pre if per_target else n_post
    bufs = np.empty((n_blocks, scratch), dtype=np.int64)
    fbufs = np.empty((n_blocks, scratch), dtype=np.float64)
    k0, k1 = key
    targets = np.ascontiguousarray(local_targets, dtype=np.int64)
    wmat = np.asarray(weight, dtype=np.float64) if wmode == "matrix" else np.zeros((1, 1))
    dmat = np.asarray(delay, dtype=np.float64) if dmode == "matrix" else np.zeros((1, 1))
    with thread_count(threads):
        if per_target:
            counts = np.zeros((n_blocks, n_pre), dtype=np.int64)
            mod.count(targets, bounds, n_other, same, k0, k1, bufs, fbufs, counts, *args.params)
            row_counts = counts.sum(axis=0)
        elif args.counts is not None and n_ranks == 1:
            row_counts = args.counts
        else:
            row_counts = np.zeros(n_pre, dtype=np.int64)
            mod.count(
                bounds,
                n_other,
                same,
                k0,
                k1,
                bufs,
                fbufs,
                row_counts,
                rank,
                n_ranks,
                post_start,
                *args.params,
            )
        total = int(row_counts.sum())
        _check_memory(total, per_synapse, n_pre, overhead)
        indptr = np.zeros(n_pre + 1, dtype=np.int64)
        np.cumsum(row_counts, out=indptr[1:])
        indices = empty_mapped(total, idx_dt)
        w_arr = empty_mapped(total if wmode != "scalar" else 0, _FLOAT_OF[bytes_per_float])
        d_arr = empty_mapped(total if dmode != "scalar" else 0, np.uint16)
        shorts = np.zeros(n_blocks, dtype=np.int64)
        overs = np.zeros(n_blocks, dtype=np.int64)
        values = (
            w_arr,
            _spec_of(weight),
            weight_key[0],
            weight_key[1],
            wmat,
            d_arr,
            *(
                rounding_tables(delay, 1.0 / dt, _U16_MAX)
                if dmode == "table"
                else (_spec_of(delay), np.zeros(1, dtype=np.int32))
            ),
            delay_key[0],
            delay_key[1],
            dmat,
            1.0 / dt,
            _U16_MAX,
            shorts,
            overs,
        )
        if per_target:
            # block b writes source i's synapses after those of blocks 0..b-1
            cursors = np.empty_like(counts)
            np.cumsum(counts, axis=0, out=cursors)
            cursors -= counts
            cursors += indptr[:-1]
            del counts
            mod.fill(
                targets,
                bounds,
                index_offset,
                n_other,
                same,
                k0,
                k1,
                bufs,
                fbufs,
                cursors,
                indices,
                *values,
                *args.params,
                *laws,
            )
        else:
            mod.fill(
                bounds,
                n_other,
                same,
                k0,
                k1,
                bufs,
                fbufs,
                indptr,
                indices,
                *values,
                rank,
                n_ranks,
                post_start,
                *args.params,
                *laws,
            )
    if overs.any():
        raise ConfigurationError(
            f"{int(overs.sum())} synaptic delays exceed {_U16_MAX} steps ({_U16_MAX * dt:.4g} s "
            "at this dt); per-synapse delays are stored in 16 bits. Bound the delay distribution."
        )
    w: float | np.ndarray = float(weight) if wmode == "scalar" else w_arr
    if dmode == "scalar":
        d: int | np.ndarray = int(nearest_steps(float(delay) / dt))
    else:
        d = d_arr
    return CSR(indptr=indptr, indices=indices, weight=w, delay=d), int(shorts.sum())


_FLOAT_OF = {8: np.float64, 4: np.float32}


def csr_from_pairs(
    pre: np.ndarray,
    post: np.ndarray,
    *,
    n_pre: int,
    n_local: int,
    local_of: np.ndarray,
    weight: Any,
    delay: Any,
    dt: float,
    float_dtype: np.dtype,
) -> tuple[CSR, int]:
    """CSR arrays from explicit ``(pre, post)`` pairs (the Explicit rule).

    ``local_of[j]`` is the local index of target ``j`` or -1 when another rank owns it; weights and
    delays are numbers or arrays aligned with the pairs. Returns the CSR and the number of delays
    below one step.
    """
    keep = local_of[post] >= 0
    order = np.lexsort((post[keep], pre[keep]))
    pre_k = pre[keep][order]
    post_k = local_of[post[keep][order]]
    counts = np.bincount(pre_k, minlength=n_pre)
    indptr = np.zeros(n_pre + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = post_k.astype(index_dtype(max(1, n_local)))
    if np.ndim(weight) == 0:
        w: float | np.ndarray = float(weight)
    else:
        w = np.asarray(weight, dtype=float_dtype)[keep][order]
    short = 0
    if np.ndim(delay) == 0:
        d: int | np.ndarray = int(nearest_steps(float(delay) / dt))
    else:
        steps = nearest_steps(np.asarray(delay, dtype=np.float64)[keep][order] / dt)
        short = int((steps < 1).sum())
        if steps.size and steps.max() > _U16_MAX:
            raise ConfigurationError(
                f"per-synapse delays above {_U16_MAX} steps ({_U16_MAX * dt:.4g} s) are not "
                f"supported; the largest given is {steps.max() * dt:.4g} s."
            )
        d = np.maximum(steps, 1).astype(np.uint16)
    return CSR(indptr=indptr, indices=indices, weight=w, delay=d), short
