"""Generated kernels of stateful synapse models (see :mod:`snn.core._synapse`).

For each synapse model (and whether its projection's delays are homogeneous) one module is
generated with the model's rule functions inlined:

``deliver``
    the presynaptic spikes of one slice step into one thread block: ``on_pre`` per synapse, the
    transmitted value into the ring buffer, then ``source_spike`` on the block's copy of the
    source traces (held as their value right after the source's last spike, ``src``, and that
    spike's step, ``last``: a reader takes :func:`trace_at`); an ``on_pre`` taking ``uniform``
    gets one keyed draw per synapse and spike, one taking ``stream`` the key and counter of as
    many (``snn.core.random.stream_uniform``),
    from the hidden constants :data:`DRAW_CONSTANTS` (the projection's key and its synapses'
    counters, ``Projection._update_constants``);
``post_arrivals``
    the postsynaptic spikes that reach the block's synapses at this step (emitted ``d`` steps
    before, read from the population's spike history): ``on_post`` per synapse, through the
    projection's post-side index (CSC order, sorted by delay within each target);
``settle`` (deferred projections, decision 0026)
    ``snn.core._deferred.post_record`` (one kernel for every model) keeps each target's recent
    spike steps in a ring of its own (``pring``, ``pn`` spikes so far) and its newest ``RECENT``
    in ``prec``; ``deliver`` applies, before a
    synapse's ``on_pre``, the postsynaptic spikes that reached it since the source's last spike
    (``done``), oldest first;
    ``settle`` does the same for every synapse of a block up to a given step (when a target's
    ring runs short of room, and before Python reads the weights);
``target_step``
    in the update pass, after the population's spikes of step ``t`` are known: store the target
    traces and the target neuron variables the spike rules read (``post_variables``, rows after
    the traces) into their history, apply ``target_spike`` to the neurons that spiked, decay.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from snn.core._codegen import Imports, as_jitted, load_module
from snn.core._delivery import at
from snn.core._jit import kernel
from snn.core._rng import uniform
from snn.core._synapse import SynapseModel

__all__ = [
    "DEFERRED_STATE",
    "DRAW_CONSTANTS",
    "NOISE_CONSTANTS",
    "POWERS",
    "RECENT",
    "clock_draws",
    "csc_by_target",
    "decay_powers",
    "draws",
    "plastic_module",
    "rule_arguments",
    "trace_at",
]

#: the newest spike steps kept per target of a deferred projection beside its ring (``prec``,
#: one row per place: the newest of all targets side by side, the row read for every synapse)
RECENT = 4

#: a deferred projection's arrays that ``deliver`` and ``settle`` take after the source traces,
#: in this order (the projection's attributes of these names with a leading underscore)
DEFERRED_STATE = ("done", "pring", "pn", "prec", "kmask")

#: steps of decay tabulated per source trace (:func:`decay_powers`): 4096 steps, 0.4 s at
#: dt = 0.1 ms; longer gaps take a few table lengths
POWERS = 4096

#: the hidden constants of a projection whose ``on_pre`` draws: the two key words (uint64) and
#: each synapse's counter (uint64 array, storage order)
DRAW_CONSTANTS = ("_draw_k0", "_draw_k1", "_draw_id")


def draws(model: SynapseModel) -> bool:
    """Whether ``model``'s ``on_pre`` draws: takes ``uniform`` or the keyed ``stream``."""
    on_pre = model.on_pre_function()
    return on_pre is not None and bool({"uniform", "stream"} & set(rule_arguments(on_pre)))


#: the hidden constants of a projection whose clock function draws its noise (``normal``): the
#: two words of a key of its own (the synapses' counters are ``_draw_id`` as for ``on_pre``)
NOISE_CONSTANTS = ("_noise_k0", "_noise_k1")


def clock_draws(model: SynapseModel) -> bool:
    """Whether ``model``'s clock function takes ``normal`` (a noise draw per synapse and step)."""
    clock = model.clock_function()
    return clock is not None and "normal" in rule_arguments(clock)


def rule_arguments(func: Any) -> list[str]:
    """The parameter names of a rule function (jitted or not)."""
    return list(inspect.signature(getattr(func, "py_func", func)).parameters)


def _call(func_name: str, arg_names: list[str], mapping: dict[str, str]) -> str:
    missing = [a for a in arg_names if a not in mapping]
    if missing:
        raise KeyError(missing)
    return f"{func_name}({', '.join(mapping[a] for a in arg_names)})"


@kernel
def trace_at(pw, n, x, m):  # pragma: no cover - compiled
    """Source trace ``n`` that held ``x`` right after its last spike, ``m >= 0`` steps later.

    ``pw[n, i]`` is the trace's decay over ``i`` steps (:func:`decay_powers`); a gap longer than
    the table is crossed in whole table lengths, in a fixed order (the same product wherever it
    is evaluated).
    """
    top = pw.shape[1] - 1
    while m > top and x != 0.0:
        x = x * pw[n, top]
        m -= top
    return x * pw[n, min(m, top)]


def decay_powers(factors: np.ndarray, length: int = POWERS) -> np.ndarray:
    """``out[n, i]``: ``factors[n]`` to the power ``i``, as ``i`` repeated products.

    Products rather than ``exp`` keep the table the same bit for bit on every machine.
    """
    out = np.ones((len(factors), length), dtype=factors.dtype)
    for i in range(1, length):
        out[:, i] = out[:, i - 1] * factors
    return out


def plastic_module(
    model: SynapseModel,
    consts: dict[str, Any],
    homogeneous_delay: bool,
    transmit: bool = True,
    deferred: bool = False,
) -> Any:
    """The generated module of ``model`` (see the module docstring).

    A constant given as an array holds one value per synapse (storage order): ``on_pre`` and
    ``on_post`` read the synapse's own.

    ``transmit=False`` (a coupling's spike rules): ``deliver`` keeps on_pre's new state and
    discards the transmitted value.

    ``deferred``: postsynaptic arrivals are applied at the synapse's next presynaptic spike (or
    by ``settle``) instead of by ``post_arrivals`` (decision 0026).
    """
    from snn.core.errors import ConfigurationError

    imports = Imports()
    at_name = imports.name(at, "at")
    trace = imports.name(trace_at, "trace_at")
    syn = [v.name for v in model.synapse_vars]
    src = [t.name for t in model.source_traces]
    tgt = [t.name for t in model.target_traces]
    # target neuron variables the spike rules read: rows after the traces in the history
    nv = list(model.post_variables) if transmit else []
    cnames = list(consts)
    cparams = "".join(f", c_{c}" for c in cnames)
    svparams = "".join(f", sv_{v}" for v in syn)
    lines: list[str] = []

    def named(func: Any, role: str, mapping: dict[str, str]) -> str:
        fn = imports.name(as_jitted(func), role)
        try:
            return _call(fn, rule_arguments(func), mapping)
        except KeyError as exc:
            raise ConfigurationError(
                f"{type(model).__name__}.{role}: arguments {exc.args[0]} are not the weight, "
                "synapse variables, traces, target variables (`<name>_post` of "
                "`post_variables`), constants, `step`, `dt` or (on_pre) `uniform` or `stream`."
            ) from None

    base = {"dt": "dt", "step": "step", **{c: f"c_{c}" for c in cnames}}

    def target_variables(place: str) -> dict[str, str]:
        """The target variables of synapse ``k`` (target ``j``) at history place ``place``."""
        return {f"{v}_post": f"tgt_hist[{len(tgt) + m}, {place}, j]" for m, v in enumerate(nv)}

    # constants given per synapse (arrays in storage order) are read at the synapse's position
    # by the synapse rules; the projection refuses them for the trace rules
    per_synapse = {c: f"c_{c}[k]" for c in cnames if isinstance(consts[c], np.ndarray)}
    on_post = model.on_post_function()

    def post_rule(indent: str, arrival: str, hoisted: bool = False) -> list[str]:
        """``on_post`` of synapse ``k`` (source ``r``) for a postsynaptic spike arriving then.

        ``hoisted``: the source's traces and last spike step are in ``x_<n>`` and ``lp``. Not
        hoisted (``post_arrivals``), the target's variables are read at the spike's emission
        step (history place ``ths``).
        """
        mapping = {"w": "w[k]", **base, "step": arrival, **per_synapse}
        if not hoisted:
            mapping.update(target_variables("ths"))
        mapping.update({v: f"sv_{v}[k]" for v in syn})
        for n, t in enumerate(src):
            x, lp = (f"x_{n}", "lp") if hoisted else (f"src[b, {n}, r]", "last[b, r]")
            mapping[t] = f"{trace}(pw, {n}, {x}, {arrival} - {lp})"
        outs = ["w_new", *[f"n_{v}" for v in syn]]
        return [
            f"{indent}{', '.join(outs)}{',' if len(outs) == 1 else ''} = "
            f"{named(on_post, 'on_post', mapping)}",
            f"{indent}w[k] = w_new",
            *[f"{indent}sv_{v}[k] = n_{v}" for v in syn],
        ]

    def chosen_rule(indent: str, place: int) -> list[str]:
        """``on_post`` for the target's ``place``-th newest spike, kept only if it is pending.

        Computed whether or not it is kept (a select, no branch): which of a target's newest
        spikes are pending changes from synapse to synapse and would be mispredicted.
        """
        mapping = {"w": "wc", **base, "step": f"e{place} + di", **per_synapse}
        mapping.update({v: f"c_sv_{v}" for v in syn})
        for n, t in enumerate(src):
            mapping[t] = (
                f"(x_{n} * pw[{n}, g] if g < npw else {trace}(pw, {n}, x_{n}, np.int64(g)))"
            )
        outs = ["w_new", *[f"n_{v}" for v in syn]]
        return [
            f"{indent}e{place} = prec[{place}, j]",
            # unsigned: no wrap-around code for the table index
            f"{indent}g = np.uint64(max(e{place} + di - lp, 0))",
            f"{indent}ok = (e{place} > since) & (e{place} <= until)",
            f"{indent}{', '.join(outs)}{',' if len(outs) == 1 else ''} = "
            f"{named(on_post, 'on_post', mapping)}",
            f"{indent}wc = w_new if ok else wc",
            *[f"{indent}c_sv_{v} = n_{v} if ok else c_sv_{v}" for v in syn],
        ]

    def pending(indent: str, upto: str, skip_idle: bool = False) -> list[str]:
        """Deferred arrivals at synapse ``k`` (target ``j``), oldest first.

        The spikes of ``j`` emitted after ``dn - d`` and at most ``upto - d``: the pending ones of
        its ``RECENT - 1`` newest (``prec``, newest first), or from its ring when even the
        ``RECENT``-th newest is pending. ``skip_idle``: ``continue`` the synapse loop when none
        is (for ``settle``: after a short run most targets have not spiked since, and a branch
        that is rarely taken is cheap; in ``deliver`` it would be mispredicted).
        """
        i2, i3 = indent + "    ", indent + "        "
        lines = [
            f"{indent}di = np.int64({at_name}(delay, k))",
            f"{indent}since = dn - di",
            *([f"{indent}if prec[0, j] <= since:", f"{i2}continue"] if skip_idle else []),
            f"{indent}until = {upto} - di",
            # all of the newest spikes pending (rare): the older ones are in the ring
            f"{indent}if prec[{RECENT - 1}, j] > since:",
            f"{i2}nn = pn[j]",
            f"{i2}m = nn - 1",
            f"{i2}oldest = max(nn - kmask - 1, 0)",
            f"{i2}while m > oldest and pring[j, (m - 1) & kmask] > since:",
            f"{i3}m -= 1",
            f"{i2}while m < nn:",
            f"{i3}emitted = pring[j, m & kmask]",
            f"{i3}if emitted > until:",
            f"{i3}    break",
            *post_rule(i3, "emitted + di", hoisted=True),
            f"{i3}m += 1",
            f"{indent}else:",
            f"{i2}wc = w[k]",
            *[f"{i2}c_sv_{v} = sv_{v}[k]" for v in syn],
        ]
        for place in range(RECENT - 2, -1, -1):
            lines += chosen_rule(i2, place)
        lines += [f"{i2}w[k] = wc", *[f"{i2}sv_{v}[k] = c_sv_{v}" for v in syn]]
        return lines

    def hoist(indent: str) -> list[str]:
        """The source's own values, read once per source (stores into ``w`` may alias them)."""
        return [
            f"{indent}dn = done[b, r]",
            f"{indent}lp = last[b, r]",
            f"{indent}npw = np.uint64(pw.shape[1])",
            *[f"{indent}x_{n} = src[b, {n}, r]" for n in range(len(src))],
        ]

    # ---- deliver
    on_pre = model.on_pre_function()
    state = ", ".join(DEFERRED_STATE)
    deferred_params = f", {state}" if deferred else ""
    lines += [
        "@kernel",
        "def deliver(spikes, offsets, bounds, stride, s, step, pre_start, pre_stop, split, b, "
        f"indices, delay, ring, w{svparams}, src, last, pw, tgt_hist, hmask{deferred_params}, "
        f"dt{cparams}):",
        "    mask = np.uint64(ring.shape[0] - 1)",
        "    ustep = np.uint64(step)",
        "    for bb in range(offsets.shape[0]):",
        "        base = stride * bounds[bb]",
        "        for q in range(np.uint64(base + offsets[bb, s]), "
        "np.uint64(base + offsets[bb, s + 1])):",
        "            i = spikes[q]",
        "            if i < pre_start or i >= pre_stop:",
        "                continue",
        "            r = np.uint64(i - pre_start)",
        *(hoist("            ") if deferred else []),
        "            for k in range(np.uint64(split[b, r]), np.uint64(split[b + 1, r])):",
        "                j = indices[k]",
    ]
    if deferred:
        lines += pending("                ", "step")
    lines.append(f"                d = np.uint64({at_name}(delay, k))")
    if on_pre is None:
        lines.append("                ring[(ustep + d) & mask, j] += w[k]")
    else:
        mapping = {"w": "w[k]", **base, **per_synapse, **{v: f"sv_{v}[k]" for v in syn}}
        if tgt or nv:
            lines.append("                hs = (ustep - d) & hmask")
        if draws(model):
            if not set(DRAW_CONSTANTS) <= set(cnames):
                raise ConfigurationError(
                    f"{type(model).__name__}.on_pre draws random numbers, but its projection "
                    "holds no random key (the engine adds it when the projection is made)."
                )
            k0, k1, ids = (f"c_{c}" for c in DRAW_CONSTANTS)
            if "uniform" in rule_arguments(on_pre):
                draw = imports.name(uniform, "uniform")
                lines.append(f"                u_draw = {draw}({k0}, {k1}, {ids}[k], ustep)")
                mapping["uniform"] = "u_draw"
            # the stream's draw 0 is `uniform` (snn.core.random.stream_uniform)
            mapping["stream"] = f"({k0}, {k1}, {ids}[k], ustep)"
        mapping.update({t: f"tgt_hist[{n}, hs, j]" for n, t in enumerate(tgt)})
        mapping.update(target_variables("hs"))
        outs = ["w_new", *[f"n_{v}" for v in syn], "out"]
        lines.append(f"                {', '.join(outs)} = {named(on_pre, 'on_pre', mapping)}")
        lines.append("                w[k] = w_new")
        lines += [f"                sv_{v}[k] = n_{v}" for v in syn]
        if transmit:
            lines.append("                ring[(ustep + d) & mask, j] += out")
    if deferred:
        lines.append("            done[b, r] = step")
    src_spike = model.source_spike_function()
    if src_spike is not None and src:
        # the traces just before this spike (the spike's own step excluded), then its jump
        lines += [
            f"            before_{n} = {trace}(pw, {n}, src[b, {n}, r], step - last[b, r])"
            for n in range(len(src))
        ]
        mapping = {**base, **{t: f"before_{n}" for n, t in enumerate(src)}}
        lhs = ", ".join(f"src[b, {n}, r]" for n in range(len(src))) + ("," if len(src) == 1 else "")
        lines.append(f"            {lhs} = {named(src_spike, 'source_spike', mapping)}")
        lines.append("            last[b, r] = step")
    lines += ["", ""]
    # ---- post_arrivals (eager) or settle (deferred)
    if deferred:
        lines += [
            "@kernel",
            f"def settle(b, upto, split, indices, delay, w{svparams}, src, last, pw, {state}, "
            f"flushed, lo, hi, need, dt{cparams}):",
            "    for r in range(last.shape[1]):",
            "        if done[b, r] >= upto:",
            "            continue",
            *hoist("        "),
            "        for k in range(np.uint64(split[b, r]), np.uint64(split[b + 1, r])):",
            "            j = indices[k]",
            *pending("            ", "upto", skip_idle=True),
            "        done[b, r] = upto",
            "    for j in range(lo, hi):",
            "        flushed[j] = pn[j]",
            "    need[b] = 0",
            "",
            "",
        ]
    lines += [
        "@kernel",
        "def post_arrivals(step, b, hist_ids, hist_cnt, post_lo, hmask, dmin, dmax, csc_ptr, "
        f"csc_syn, csc_src, delay, w{svparams}, src, last, pw, tgt_hist, thmask, dt{cparams}):",
    ]
    if on_post is None or deferred:
        lines.append("    return")
    else:
        lines += [
            "    for d in range(dmin, dmax + 1):",
            "        hs = np.uint64(step - d) & hmask",
            *(["        ths = np.uint64(step - d) & thmask"] if nv else []),
            "        for m in range(hist_cnt[hs, b]):",
            "            j = hist_ids[hs, post_lo + m]",
            "            for c in range(np.uint64(csc_ptr[j]), np.uint64(csc_ptr[j + 1])):",
            "                k = csc_syn[c]",
        ]
        if not homogeneous_delay:
            # incoming synapses are sorted by delay: skip to this delay's run
            lines += [
                f"                dk = {at_name}(delay, k)",
                "                if dk < d:",
                "                    continue",
                "                if dk > d:",
                "                    break",
            ]
        lines += ["                r = csc_src[c]", *post_rule("                ", "step")]
    lines += ["", ""]
    # ---- target_step: three passes over the block (each element sees store, jump, decay in
    # that order, as one pass would do), the first and last vectorised; jumps for the spikes only
    tgt_spike = model.target_spike_function()
    nvparams = "".join(f", nv_{m}" for m in range(len(nv)))
    lines += [
        "@kernel",
        f"def target_step(t, spk, q0, q1, lo, hi, tgt, tgt_hist, hmask, factors{nvparams}, "
        f"dt{cparams}):",
        "    hs = np.uint64(t) & hmask",
        "    step = t",
        "    for n in range(tgt.shape[0]):",
        "        for i in range(lo, hi):",
        "            tgt_hist[n, hs, i] = tgt[n, i]",
    ]
    for m in range(len(nv)):
        lines += [
            "    for i in range(lo, hi):",
            f"        tgt_hist[{len(tgt) + m}, hs, i] = nv_{m}[i]",
        ]
    if tgt_spike is not None and tgt:
        mapping = {**base, **{t: f"tgt[{n}, i]" for n, t in enumerate(tgt)}}
        lhs = ", ".join(f"tgt[{n}, i]" for n in range(len(tgt))) + ("," if len(tgt) == 1 else "")
        lines += [
            "    for q in range(q0, q1):",
            "        i = spk[q]",
            f"        {lhs} = {named(tgt_spike, 'target_spike', mapping)}",
        ]
    lines += [
        "    for n in range(tgt.shape[0]):",
        "        f = factors[n]",
        "        for i in range(lo, hi):",
        "            tgt[n, i] *= f",
    ]
    extra = (f"homogeneous={homogeneous_delay}",) + (() if transmit else ("transmit=False",))
    extra += ("deferred",) if deferred else ()
    return load_module("snn_synapse", "\n".join(lines), imports, extra=extra)


@kernel
def csc_by_target(indptr, indices, delay, n_post, csc_ptr, csc_syn, csc_src):  # pragma: no cover
    """Post-side index of a CSR projection: the synapses onto each target, sorted by delay.

    ``delay`` is the per-synapse delay array, or an empty array when the delay is homogeneous.
    Fills ``csc_ptr`` (``n_post + 1``) and, for each entry ``c``, the synapse's CSR position
    ``csc_syn[c]`` and source row ``csc_src[c]``. Within a target, synapses are ordered by delay,
    then by CSR position: a fixed order whatever the thread blocks. Two stable counting sorts
    (by delay, then by target).
    """
    n_syn = indices.shape[0]
    rows = np.empty(n_syn, dtype=np.int64)
    for r in range(indptr.shape[0] - 1):
        for k in range(indptr[r], indptr[r + 1]):
            rows[k] = r
    order = np.arange(n_syn)
    if delay.shape[0] == n_syn and n_syn > 0:  # per-synapse delays (empty when homogeneous)
        top = 0
        for k in range(n_syn):
            top = max(top, np.int64(delay[k]))
        start = np.zeros(top + 2, dtype=np.int64)
        for k in range(n_syn):
            start[np.int64(delay[k]) + 1] += 1
        for v in range(top + 1):
            start[v + 1] += start[v]
        for k in range(n_syn):
            v = np.int64(delay[k])
            order[start[v]] = k
            start[v] += 1
    counts = np.zeros(n_post + 1, dtype=np.int64)
    for k in range(n_syn):
        counts[np.int64(indices[k]) + 1] += 1
    for j in range(n_post):
        counts[j + 1] += counts[j]
    for j in range(n_post + 1):
        csc_ptr[j] = counts[j]
    for m in range(n_syn):
        k = order[m]
        j = np.int64(indices[k])
        c = counts[j]
        csc_syn[c] = k
        csc_src[c] = rows[k]
        counts[j] = c + 1
