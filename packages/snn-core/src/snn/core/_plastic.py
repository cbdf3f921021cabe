"""Generated kernels of stateful synapse models (see :mod:`snn.core._synapse`).

For each synapse model (and whether its projection's delays are homogeneous) one module is
generated with the model's rule functions inlined:

``deliver``
    the presynaptic spikes of one slice step into one thread block: ``on_pre`` per synapse, the
    transmitted value into the ring buffer, then ``source_spike`` on the block's copy of the
    source traces; an ``on_pre`` taking ``uniform`` gets one keyed draw per synapse and spike,
    one taking ``stream`` the key and counter of as many (``snn.core.random.stream_uniform``),
    from the hidden constants :data:`DRAW_CONSTANTS` (the projection's key and its synapses'
    counters, ``Projection._update_constants``);
``post_arrivals``
    the postsynaptic spikes that reach the block's synapses at this step (emitted ``d`` steps
    before, read from the population's spike history): ``on_post`` per synapse, through the
    projection's post-side index (CSC order, sorted by delay within each target);
``decay_sources``
    one step of decay of the block's source traces;
``target_step``
    in the update pass, after the population's spikes of step ``t`` are known: store the target
    traces into their history, apply ``target_spike`` to the neurons that spiked, decay.
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

__all__ = ["DRAW_CONSTANTS", "csc_by_target", "draws", "plastic_module"]

#: the hidden constants of a projection whose ``on_pre`` draws: the two key words (uint64) and
#: each synapse's counter (uint64 array, storage order)
DRAW_CONSTANTS = ("_draw_k0", "_draw_k1", "_draw_id")


def draws(model: SynapseModel) -> bool:
    """Whether ``model``'s ``on_pre`` draws: takes ``uniform`` or the keyed ``stream``."""
    on_pre = model.on_pre_function()
    return on_pre is not None and bool({"uniform", "stream"} & set(_args(on_pre)))


def _args(func: Any) -> list[str]:
    return list(inspect.signature(getattr(func, "py_func", func)).parameters)


def _call(func_name: str, arg_names: list[str], mapping: dict[str, str]) -> str:
    missing = [a for a in arg_names if a not in mapping]
    if missing:
        raise KeyError(missing)
    return f"{func_name}({', '.join(mapping[a] for a in arg_names)})"


def plastic_module(
    model: SynapseModel, consts: dict[str, Any], homogeneous_delay: bool, transmit: bool = True
) -> Any:
    """The generated module of ``model`` (see the module docstring).

    A constant given as an array holds one value per synapse (storage order): ``on_pre`` and
    ``on_post`` read the synapse's own.

    ``transmit=False`` (a coupling's spike rules): ``deliver`` keeps on_pre's new state and
    discards the transmitted value.
    """
    from snn.core.errors import ConfigurationError

    imports = Imports()
    at_name = imports.name(at, "at")
    syn = [v.name for v in model.synapse_vars]
    src = [t.name for t in model.source_traces]
    tgt = [t.name for t in model.target_traces]
    cnames = list(consts)
    cparams = "".join(f", c_{c}" for c in cnames)
    svparams = "".join(f", sv_{v}" for v in syn)
    lines: list[str] = []

    def named(func: Any, role: str, mapping: dict[str, str]) -> str:
        fn = imports.name(as_jitted(func), role)
        try:
            return _call(fn, _args(func), mapping)
        except KeyError as exc:
            raise ConfigurationError(
                f"{type(model).__name__}.{role}: arguments {exc.args[0]} are not the weight, "
                "synapse variables, traces, constants, `step`, `dt` or (on_pre) `uniform` "
                "or `stream`."
            ) from None

    base = {"dt": "dt", "step": "step", **{c: f"c_{c}" for c in cnames}}
    # constants given per synapse (arrays in storage order) are read at the synapse's position
    # by the synapse rules; the projection refuses them for the trace rules
    per_synapse = {c: f"c_{c}[k]" for c in cnames if isinstance(consts[c], np.ndarray)}
    # ---- deliver
    on_pre = model.on_pre_function()
    lines += [
        "@kernel",
        "def deliver(spikes, offsets, bounds, stride, s, step, pre_start, pre_stop, split, b, "
        f"indices, delay, ring, w{svparams}, src, tgt_hist, hmask, dt{cparams}):",
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
        "            for k in range(np.uint64(split[b, r]), np.uint64(split[b + 1, r])):",
        "                j = indices[k]",
        f"                d = np.uint64({at_name}(delay, k))",
    ]
    if on_pre is None:
        lines.append("                ring[(ustep + d) & mask, j] += w[k]")
    else:
        mapping = {"w": "w[k]", **base, **per_synapse, **{v: f"sv_{v}[k]" for v in syn}}
        if tgt:
            lines.append("                hs = (ustep - d) & hmask")
        if draws(model):
            if not set(DRAW_CONSTANTS) <= set(cnames):
                raise ConfigurationError(
                    f"{type(model).__name__}.on_pre draws random numbers, but its projection "
                    "holds no random key (the engine adds it when the projection is made)."
                )
            k0, k1, ids = (f"c_{c}" for c in DRAW_CONSTANTS)
            if "uniform" in _args(on_pre):
                draw = imports.name(uniform, "uniform")
                lines.append(f"                u_draw = {draw}({k0}, {k1}, {ids}[k], ustep)")
                mapping["uniform"] = "u_draw"
            # the stream's draw 0 is `uniform` (snn.core.random.stream_uniform)
            mapping["stream"] = f"({k0}, {k1}, {ids}[k], ustep)"
        mapping.update({t: f"tgt_hist[{n}, hs, j]" for n, t in enumerate(tgt)})
        outs = ["w_new", *[f"n_{v}" for v in syn], "out"]
        lines.append(f"                {', '.join(outs)} = {named(on_pre, 'on_pre', mapping)}")
        lines.append("                w[k] = w_new")
        lines += [f"                sv_{v}[k] = n_{v}" for v in syn]
        if transmit:
            lines.append("                ring[(ustep + d) & mask, j] += out")
    src_spike = model.source_spike_function()
    if src_spike is not None and src:
        mapping = {**base, **{t: f"src[b, {n}, r]" for n, t in enumerate(src)}}
        lhs = ", ".join(f"src[b, {n}, r]" for n in range(len(src))) + ("," if len(src) == 1 else "")
        lines.append(f"            {lhs} = {named(src_spike, 'source_spike', mapping)}")
    lines += ["", ""]
    # ---- post_arrivals
    on_post = model.on_post_function()
    lines += [
        "@kernel",
        "def post_arrivals(step, b, hist_ids, hist_cnt, post_lo, hmask, dmin, dmax, csc_ptr, "
        f"csc_syn, csc_src, delay, w{svparams}, src, dt{cparams}):",
    ]
    if on_post is None:
        lines.append("    return")
    else:
        mapping = {"w": "w[k]", **base, **per_synapse, **{v: f"sv_{v}[k]" for v in syn}}
        mapping.update({t: f"src[b, {n}, r]" for n, t in enumerate(src)})
        outs = ["w_new", *[f"n_{v}" for v in syn]]
        lines += [
            "    for d in range(dmin, dmax + 1):",
            "        hs = np.uint64(step - d) & hmask",
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
        lines += [
            "                r = csc_src[c]",
            f"                {', '.join(outs)}{',' if len(outs) == 1 else ''} = "
            f"{named(on_post, 'on_post', mapping)}",
            "                w[k] = w_new",
            *[f"                sv_{v}[k] = n_{v}" for v in syn],
        ]
    lines += ["", ""]
    # ---- decay_sources
    lines += [
        "@kernel",
        "def decay_sources(src, b, factors):",
        "    for n in range(src.shape[1]):",
        "        f = factors[n]",
        "        for i in range(np.uint64(src.shape[2])):",
        "            src[b, n, i] *= f",
        "",
        "",
    ]
    # ---- target_step
    tgt_spike = model.target_spike_function()
    lines += [
        "@kernel",
        f"def target_step(t, lo, hi, flags, tgt, tgt_hist, hmask, factors, dt{cparams}):",
        "    hs = np.uint64(t) & hmask",
        "    step = t",
        "    for i in range(np.uint64(lo), np.uint64(hi)):",
        "        for n in range(tgt.shape[0]):",
        "            tgt_hist[n, hs, i] = tgt[n, i]",
    ]
    if tgt_spike is not None and tgt:
        mapping = {**base, **{t: f"tgt[{n}, i]" for n, t in enumerate(tgt)}}
        lhs = ", ".join(f"tgt[{n}, i]" for n in range(len(tgt))) + ("," if len(tgt) == 1 else "")
        lines += [
            "        if flags[i]:",
            f"            {lhs} = {named(tgt_spike, 'target_spike', mapping)}",
        ]
    lines += [
        "        for n in range(tgt.shape[0]):",
        "            tgt[n, i] *= factors[n]",
    ]
    extra = (f"homogeneous={homogeneous_delay}",) + (() if transmit else ("transmit=False",))
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
