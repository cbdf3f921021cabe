"""Continuous coupling: synapses that act on their target at every step, without delay.

A projection whose synapse model has a :meth:`~snn.core.SynapseModel.coupling_function` (a gap
junction, a Brian2 ``(summed)`` variable) adds, at every step ``t`` and for each of its target
neurons ``j``, the sum over the synapses ``k`` onto ``j`` of ``f(w_k, source state at t, state of
j at t)`` into its receptor (a current receptor, held over the step), before ``j`` is updated
(Brian2's summed variables are updated at the same point: before the state update of their
target). Decision 0015 explains the choice; in short:

* **One-step slices.** A coupling needs its sources' state at the start of the very step it
  computes, so a network with a coupling runs in one-step slices, whatever its smallest spike
  delay (:func:`slice_steps`).
* **Published state.** After updating its neurons for step ``t``, each thread block writes the
  variables that couplings read from its population into row ``(t + 1) & 1`` of the
  population's published array (``pop._published[name]``, one row of ``pop.size`` values, at the
  neurons' population indices); couplings of step ``t`` read row ``t & 1``. Blocks write and read
  different rows, and a one-step slice's pass ends (threads join) before the next begins: no
  race, whatever the number of threads.
* **MPI.** After each slice the ranks exchange the new row (one ``Allgatherv`` per published
  variable, :func:`exchange_published`), next to the spikes.
* **Fixed order.** Each target's sum runs over its synapses in one order (by source, then
  storage position: the post-side index :func:`~snn.core._plastic.csc_by_target` builds) and is
  added to the receptor once, before the drives: the same number for any thread or rank layout.
* **Run start.** The current state is published when a run starts (:func:`publish_state`), so
  values set between runs (``pop.set(v=...)``, a reset, a loaded checkpoint) are what couplings
  read; the published arrays are therefore not part of the stored state.
* **Clock-driven synapse variables** (decision 0018). A coupling's
  :meth:`~snn.core.SynapseModel.clock_function` advances its synapse's clock-driven variables
  over the step in the same pass, right after the synapse's term of the sum: the sum of step
  ``t`` reads them at ``t`` (Brian2 computes summed variables before the state updates; its
  synapse update, after the neurons', reads their values at ``t + dt`` where this one reads
  them at ``t``), and
  each synapse is advanced by the block that owns its target, from its own values only, so the
  result does not depend on the layout either.
* **Spike rules.** A coupling's ``on_pre`` and ``on_post`` (which may change the weight and
  synapse variables, and transmit nothing) run in the delivery at the start of the next pass,
  like a plastic projection's with delay 0: the rules of the spikes emitted by step ``t - 1``
  (stamped ``t``), postsynaptic ones first, are in the state the coupling of step ``t`` reads.
* **Clock-driven variables without a coupling** (decision 0030). A projection acting at spikes
  whose model has a ``clock_function`` and no ``coupling_function`` (:func:`is_clocked`) gets
  a per-step pass without the sum (no receptor row): each block advances the synapses onto its
  own targets, walking them in storage order (each source's segment for the block, as the
  delivery does), so each synapse's variables are written by one block only and the targets'
  variables read are the block's own. Its spike rules
  run in the plastic delivery, with the projection's delays, never deferred (decision 0026):
  the spikes of step ``t - 1`` read the variables at ``t``, before the pass of step ``t``
  advances them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._codegen import Imports, as_jitted, load_module
from snn.core._jit import kernel
from snn.core._model import NeuronModel, Receptor
from snn.core._plastic import (
    DRAW_CONSTANTS,
    NOISE_CONSTANTS,
    _call,
    clock_draws,
    csc_by_target,
    rule_arguments,
)
from snn.core._rng import normal
from snn.core._synapse import SynapseModel
from snn.core.errors import ConfigurationError

if TYPE_CHECKING:
    from snn.core._network import Network
    from snn.core._population import Population

__all__ = [
    "changing_synapse_values",
    "check_clocked",
    "check_coupling",
    "check_neuron_variables",
    "coupling_lines",
    "exchange_published",
    "has_spike_rules",
    "is_clocked",
    "is_coupling",
    "lay_out_couplings",
    "publish_lines",
    "publish_state",
    "slice_steps",
    "steps_synapses",
]


def is_coupling(proj: Any) -> bool:
    """Whether projection ``proj`` is a continuous coupling."""
    return proj.synapse is not None and proj.synapse.coupling_function() is not None


def is_clocked(proj: Any) -> bool:
    """Whether ``proj`` acts at spikes and has clock-driven synapse variables (no coupling)."""
    model = proj.synapse
    return (
        model is not None
        and model.clock_function() is not None
        and model.coupling_function() is None
    )


def steps_synapses(proj: Any) -> bool:
    """Whether ``proj`` has a pass over its synapses at every step (a coupling or clocked)."""
    return is_coupling(proj) or is_clocked(proj)


def has_spike_rules(proj: Any) -> bool:
    """Whether coupling ``proj`` also has ``on_pre`` or ``on_post`` (delivered as plastic)."""
    model = proj.synapse
    return model.on_pre_function() is not None or model.on_post_function() is not None


def changing_synapse_values(proj: Any) -> list[str]:
    """The per-synapse values of ``proj`` that change during a run (what a monitor may record).

    The weight and every synapse variable when the model has spike rules; otherwise a
    coupling's clock-driven variables only, and nothing for static synapses.
    """
    model = proj.synapse
    if model is None:
        return []
    if has_spike_rules(proj):
        # names starting with "_" are the engine's (an equation model's step of its last spike)
        return ["w", *(v.name for v in model.synapse_vars if not v.name.startswith("_"))]
    return list(model.clock_variables) if is_coupling(proj) else []


def slice_steps(net: Network, min_delay: int) -> int:
    """Steps per slice of the loop: one with a per-step synapse pass, else the smallest delay.

    64 without any delay.
    """
    if any(steps_synapses(q) for q in net.projections):
        return 1
    return min_delay if min_delay > 0 else 64


def check_coupling(
    synapse: SynapseModel, pre: Population, post: Population, rec: Receptor, delay: Any
) -> None:
    """Refuse a coupling ``connect`` cannot make (before anything is built)."""
    name = type(synapse).__name__
    if synapse.coupling_function() is None:
        raise ConfigurationError(
            f"{name} has a clock_function but no coupling_function: clock-driven synapse "
            "variables are advanced in the per-step pass of a continuous coupling."
        )
    rules = ("source_spike_function", "target_spike_function")
    traced = [r[: -len("_function")] for r in rules if getattr(synapse, r)() is not None]
    if traced or synapse.source_traces or synapse.target_traces:
        raise ConfigurationError(
            f"{name} couples continuously and also has traces ({traced or 'declared'}); a "
            "coupling's spike rules may change its weight and synapse variables only: make a "
            "second projection for the traces."
        )
    _check_clock_variables(synapse)
    if delay is not None:
        raise ConfigurationError(
            f"{name} couples its neurons continuously, without delay; connect it without "
            f"`delay` (got {delay!r})."
        )
    if rec.kind != "current":
        raise ConfigurationError(
            f"{name} adds a value to its target's receptor at every step, which needs a "
            f"`current` receptor (held over the step); {rec.name!r} of "
            f"{type(post.model).__name__} is a spike receptor."
        )
    check_neuron_variables(synapse, pre, post)


def _check_clock_variables(synapse: SynapseModel) -> None:
    """Refuse ``clock_variables`` that are not synapse variables advanced by ``clock``."""
    name = type(synapse).__name__
    syn = [v.name for v in synapse.synapse_vars]
    stray = [v for v in synapse.clock_variables if v not in syn]
    if stray or (synapse.clock_function() is None) != (not synapse.clock_variables):
        raise ConfigurationError(
            f"{name}.clock_variables must name synapse variables ({syn}) advanced by "
            f"clock_function, got {list(synapse.clock_variables)} with "
            f"{'no ' if synapse.clock_function() is None else 'a '}clock_function."
        )


def check_clocked(synapse: SynapseModel, pre: Population, post: Population) -> None:
    """Refuse a synapse model with clock-driven variables and no coupling ``connect`` cannot make.

    Its synapses act at spikes (``on_pre`` sends what reaches the target, with the delay) and
    its clock-driven variables are advanced at every step (see the module docstring).
    """
    _check_clock_variables(synapse)
    if synapse.on_pre_function() is None:
        raise ConfigurationError(
            f"{type(synapse).__name__} has clock-driven synapse variables but neither a "
            "coupling_function nor an on_pre_function: nothing would reach the target. Give "
            "it an on_pre rule (what a presynaptic spike sends) or a coupling function."
        )
    check_neuron_variables(synapse, pre, post)


def check_neuron_variables(synapse: SynapseModel, pre: Population, post: Population) -> None:
    """Refuse neuron variables a synapse model reads that its neurons do not keep.

    A coupling reads ``pre_variables`` and ``post_variables``; a synapse acting at spikes reads
    ``post_variables`` only (in ``on_pre`` and ``on_post``, see :class:`SynapseModel`).
    """
    name = type(synapse).__name__
    spikes = synapse.coupling_function() is None and synapse.clock_function() is None
    if spikes and synapse.pre_variables:
        raise ConfigurationError(
            f"{name} reads {list(synapse.pre_variables)} of its source neurons in its spike "
            "rules; on_pre and on_post can read the target's variables only (`<name>_post`). "
            "Keep a presynaptic quantity as a source trace of the synapse model instead."
        )
    for side, pop, names in (
        ("source", pre, synapse.pre_variables),
        ("target", post, synapse.post_variables),
    ):
        model = pop.population.model
        have = [v.name for v in getattr(model, "state_vars", ())]
        missing = [v for v in names if v not in have]
        if missing or (names and not isinstance(model, NeuronModel)):
            computed = [v for v in missing if v in getattr(model, "derived_variables", dict)()]
            hint = (
                f" {computed} are computed from the state (subexpressions), not kept: write "
                "their expressions of the state variables into the synapse's equations."
                if computed
                else ""
            )
            raise ConfigurationError(
                f"{name} reads {list(names)} of its {side} neurons, but {pop.name!r} "
                f"({type(model).__name__}) has no {missing or list(names)}: its state variables "
                f"are {have}.{hint}"
            )


def coupling_module(model: SynapseModel, consts: dict[str, Any]) -> Any:
    """The generated kernel of a block's per-step pass over the synapses of its targets.

    With a coupling function, ``couple(lo, hi, row, csc_ptr, csc_syn, csc_src, w, <synapse
    variables>, <pre_name>, <post_name>, dt, <constants>)``: for each target ``j`` in ``lo:hi``,
    the coupling function summed over its synapses in post-side order, then added to
    ``row[j]``. ``pre_<name>`` hold the sources' published values (population indices),
    ``post_<name>`` the targets' state. With a clock function, each synapse's clock-driven
    variables are advanced over the step right after its term is added.

    Without one (clock-driven variables of synapses acting at spikes), ``couple(b, split,
    indices, pre0, w, ...)`` advances the variables of block ``b``'s synapses, each source's
    segment ``split[b, r]:split[b + 1, r]`` in storage order (``pre0``: the population index
    of the first source).
    """
    imports = Imports()
    func = model.coupling_function()
    fn = imports.name(as_jitted(func), "coupling") if func is not None else ""
    syn = [v.name for v in model.synapse_vars]
    clock = model.clock_function()
    mapping = {
        "w": "w[k]",
        "dt": "dt",
        **{c: f"c_{c}" for c in consts},
        **{v: f"sv_{v}[k]" for v in syn},
        **{f"{v}_pre": f"pre_{v}[i]" for v in model.pre_variables},
        **{f"{v}_post": f"post_{v}[j]" for v in model.post_variables},
    }
    noisy = clock_draws(model)
    if noisy:
        # one standard normal per synapse and step, keyed by the synapse's counter and the step
        k0, k1 = (f"c_{c}" for c in NOISE_CONSTANTS)
        draw = imports.name(normal, "normal")
        mapping["normal"] = f"{draw}({k0}, {k1}, c_{DRAW_CONSTANTS[2]}[k], t)"
    calls = {}
    for role, f in (("coupling", func), ("clock", clock)):
        if f is None:
            continue
        try:
            name = fn if role == "coupling" else imports.name(as_jitted(f), "clock")
            calls[role] = _call(name, rule_arguments(f), mapping)
        except KeyError as exc:
            raise ConfigurationError(
                f"{type(model).__name__}.{role}: arguments {exc.args[0]} are not the weight, "
                "synapse variables, `<name>_pre` / `<name>_post` of the declared neuron "
                "variables, constants or `dt`."
            ) from None
    advance = []
    if clock is not None:
        new = [f"n_{v}" for v in model.clock_variables]
        lhs = ", ".join(new) + ("," if len(new) == 1 else "")
        advance = [f"            {lhs} = {calls['clock']}"]
        advance += [f"            sv_{v}[k] = n_{v}" for v in model.clock_variables]
    params = ["w", *(f"sv_{v}" for v in syn)]
    params += [f"pre_{v}" for v in model.pre_variables]
    params += [f"post_{v}" for v in model.post_variables]
    params += ["dt", *(["t"] if noisy else []), *(f"c_{c}" for c in consts)]
    if func is None:
        lines = [
            "@kernel",
            f"def couple(b, split, indices, pre0, {', '.join(params)}):",
            "    for r in range(split.shape[1]):",
            "        i = pre0 + r",
            "        for k in range(np.uint64(split[b, r]), np.uint64(split[b + 1, r])):",
            "            j = indices[k]",
            *advance,
        ]
        return load_module("snn_coupling", "\n".join(lines), imports)
    lines = [
        "@kernel",
        f"def couple(lo, hi, row, csc_ptr, csc_syn, csc_src, {', '.join(params)}):",
        "    zero = dt - dt",
        "    for j in range(np.uint64(lo), np.uint64(hi)):",
        "        acc = zero",
        "        for c in range(np.uint64(csc_ptr[j]), np.uint64(csc_ptr[j + 1])):",
        "            k = csc_syn[c]",
        "            i = csc_src[c]",
        f"            acc += {calls['coupling']}",
        *advance,
        "        row[j] += acc",
    ]
    return load_module("snn_coupling", "\n".join(lines), imports)


@kernel
def publish_block(state, row, lo, hi, j0, js):  # pragma: no cover - compiled
    """``row[j0 + js * i] = state[i]`` for the local neurons ``i`` in ``lo:hi``."""
    for i in range(lo, hi):
        row[j0 + js * i] = state[i]


def _published_variables(net: Network, pop: Population) -> list[str]:
    """The variables of ``pop`` that couplings read from their sources, in a fixed order."""
    names: list[str] = []
    for q in net.projections:
        if steps_synapses(q) and q.pre.population is pop:
            names += [v for v in q.synapse.pre_variables if v not in names]
    return names


def lay_out_couplings(net: Network) -> None:
    """Post-side indices, kernels and published arrays of the per-step synapse passes.

    Those of the couplings and of the clock-driven variables of projections acting at spikes
    (which walk their synapses in storage order and need no post-side index of their own).
    """
    fdt = net.float_dtype
    for proj in net.projections:
        if not steps_synapses(proj):
            continue
        proj._coupling_module = coupling_module(proj.synapse, proj._consts)
        if is_coupling(proj) and proj._csc is None:
            n, n_post = proj.n_synapses, proj.post.population.n_local
            itype = np.uint32 if n < 2**32 and proj.pre.size < 2**32 else np.uint64
            ptr = np.zeros(n_post + 1, dtype=np.int64)
            syn = np.zeros(n, dtype=itype)
            src = np.zeros(n, dtype=itype)
            csr = proj._csr
            empty = np.zeros(0, dtype=np.uint16)
            csc_by_target(csr.indptr, csr.indices, empty, n_post, ptr, syn, src)
            # the index holds CSR rows of the projection's source view: population indices
            src += np.asarray(proj.pre.start, dtype=itype)
            proj._csc = {"ptr": ptr, "syn": syn, "src": src}
    for pop in net.populations:
        names = _published_variables(net, pop)
        old = getattr(pop, "_published", {})
        pop._published = {
            v: old[v] if v in old else np.zeros((2, pop.size), dtype=fdt) for v in names
        }


def publish_state(net: Network) -> None:
    """Publish every coupled variable's current values into the row of the current step.

    Collective under MPI (every rank calls it at the start of a run).
    """
    for pop in net.populations:
        for name, pub in getattr(pop, "_published", {}).items():
            pub[net.step & 1, pop.local_index] = pop.state[name]
    exchange_published(net, net.step)


def exchange_published(net: Network, step: int) -> None:
    """Under MPI: every rank's published values of ``step`` in every rank's row (collective)."""
    if not net.comm.active:
        return
    from mpi4py import MPI

    n_ranks = net.n_ranks
    for pop in net.populations:
        for pub in getattr(pop, "_published", {}).values():
            row = pub[step & 1]
            counts = np.array([len(range(r, pop.size, n_ranks)) for r in range(n_ranks)])
            displ = np.concatenate([[0], np.cumsum(counts[:-1])])
            mine = np.ascontiguousarray(row[pop.local_index])
            out = np.empty(pop.size, dtype=row.dtype)
            kind = MPI.DOUBLE if row.dtype == np.float64 else MPI.FLOAT
            net.comm.comm.Allgatherv(mine, [out, counts, displ, kind])
            for r in range(n_ranks):
                row[r::n_ranks] = out[displ[r] : displ[r] + counts[r]]


def coupling_lines(w: Any, net: Network, pop: Population) -> list[tuple[int, str]]:
    """Loop lines of the per-step synapse passes onto ``pop`` for step ``t``.

    The couplings add to their receptor rows (``slot`` is the ring row of step ``t``), the
    clock-driven variables of projections acting at spikes are advanced. Run in block ``b`` for
    its neurons ``lo:hi`` before the drives and the update.
    """
    lines: list[tuple[int, str]] = []
    for q, proj in enumerate(net.projections):
        if not steps_synapses(proj) or proj.post.population is not pop:
            continue
        model = proj.synapse
        pre = proj.pre.population
        fn = w.imports.name(proj._coupling_module.couple, "couple")
        if is_coupling(proj):
            where = [
                "lo",
                "hi",
                w.arg_once(f"q{q}_ring", lambda proj=proj: pop.rings[proj.receptor]) + "[slot]",
                *(
                    w.arg_once(f"q{q}_csc_{k}", lambda proj=proj, k=k: proj._csc[k])
                    for k in ("ptr", "syn", "src")
                ),
            ]
        else:
            # the names the delivery gives the same arrays (snn.core._loop._csr_part)
            where = [
                "b",
                w.arg_once(f"q{q}_split", lambda proj=proj: proj._split),
                w.arg_once(f"q{q}_indices", lambda proj=proj: proj._csr_raw.indices),
                w.const(f"q{q}_clock_pre0", np.int64(proj.pre.start)),
            ]
        args = [
            *where,
            w.arg_once(f"q{q}_weight", lambda proj=proj: proj._csr.weight),
            *(
                w.arg_once(f"q{q}_sv_{v.name}", lambda proj=proj, v=v.name: proj._syn_state[v])
                for v in model.synapse_vars
            ),
            *(
                w.arg_once(f"p{pre.index}_pub_{v}", lambda pre=pre, v=v: pre._published[v])
                + "[t & 1]"
                for v in model.pre_variables
            ),
            *(
                w.arg_once(f"p{pop.index}_cs_{v}", lambda v=v: pop.state[v])
                for v in model.post_variables
            ),
            "dt",
            *(["t"] if clock_draws(model) else []),
            *(
                w.arg_once(f"q{q}_c_{c}", lambda proj=proj, c=c: proj._consts[c])
                for c in proj._consts
            ),
        ]
        lines.append((0, f"{fn}({', '.join(args)})"))
    return lines


def publish_lines(w: Any, net: Network, pop: Population) -> list[tuple[int, str]]:
    """Loop lines publishing ``pop``'s coupled variables after its update of step ``t``."""
    names = list(getattr(pop, "_published", {}))
    if not names:
        return []
    p = pop.index
    fn = w.imports.name(publish_block, "publish_block")
    j0 = w.arg_once(f"p{p}_rank0", lambda: np.int64(net.rank))
    js = w.arg_once(f"p{p}_nranks", lambda: np.int64(net.n_ranks))
    lines = []
    for v in names:
        state = w.arg_once(f"p{p}_cs_{v}", lambda v=v: pop.state[v])
        pub = w.arg_once(f"p{p}_pub_{v}", lambda v=v: pop._published[v])
        lines.append((0, f"{fn}({state}, {pub}[(t + 1) & 1], lo, hi, {j0}, {js})"))
    return lines
