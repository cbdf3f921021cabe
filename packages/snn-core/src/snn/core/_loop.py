"""The event loop: one numba function per network structure, generated and cached.

See ``README.md`` in this folder for the time and delay conventions. The generated function
``chunk(t_begin, t_end, slice_len, status, ...)`` advances the network from step ``t_begin`` to
``t_end`` in slices of at most ``slice_len`` steps (the smallest delay). Within a slice every
population is updated step by step and its spikes are kept; at the end of the slice the spikes are
delivered, step by step and projection by projection. Delivering late is exact because no spike
can arrive before the next slice, and the order of additions into every target is the same for
any slice length. It returns the step reached; ``status`` says why it stopped early:

* ``GROW`` (1): a spike monitor needs more room before the slice starting at ``status[1]``;
* ``NONFINITE`` (2): population ``status[2]`` got a NaN or infinite state during step
  ``status[1]`` (the network is left in that state).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._codegen import Imports, as_jitted, load_module
from snn.core._cycles import read_cycles
from snn.core._delivery import csr_deliver, spikes_gather
from snn.core._jit import kernel
from snn.core._model import NeuronModel, SpikeGenerator
from snn.core._rng import normal, uniform
from snn.core.random import derive_key

if TYPE_CHECKING:
    from snn.core._network import Network

OK, GROW, NONFINITE = 0, 1, 2


@dataclass
class Plan:
    """A compiled loop and the recipe for its arguments."""

    function: Any
    getters: list[Callable[[], Any]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    source: str = ""

    def arguments(self) -> list[Any]:
        """Current argument values (arrays may be replaced between calls)."""
        return [g() for g in self.getters]


class _Writer:
    def __init__(self) -> None:
        self.params: list[str] = []
        self.getters: list[Callable[[], Any]] = []
        self.lines: list[str] = []

    def arg(self, name: str, getter: Callable[[], Any]) -> str:
        self.params.append(name)
        self.getters.append(getter)
        return name

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)


@kernel
def phase_tick(prof, phase, since):  # pragma: no cover - compiled
    """Add the cycles elapsed ``since`` to ``prof[phase]`` (none when ``phase < 0``); return now."""
    now = read_cycles()
    if phase >= 0:
        prof[phase] += now - since
    return now


def _const_getter(value: Any) -> Callable[[], Any]:
    return lambda: value


#: phases timed by a profiled loop, in the order of the ``prof`` array
PHASES = ("drives", "update", "gather", "delivery")


def build_plan(net: Network, *, profile: bool = False) -> Plan:
    """Generate (or load from cache) the loop of ``net`` and its argument recipe.

    With ``profile``, the loop also adds the cycles spent in each of :data:`PHASES` into its
    last argument (a uint64 array).
    """
    imports = Imports()
    w = _Writer()
    tick_name = imports.name(phase_tick, "phase_tick") if profile else ""

    def tick(body: list[tuple[int, str]], depth: int, phase: int) -> None:
        if profile:
            body.append((depth, f"_c = {tick_name}(prof, {phase}, _c)"))

    deliver = imports.name(csr_deliver, "csr_deliver")
    gather = imports.name(spikes_gather, "spikes_gather")
    fdt = net.float_dtype
    dt_name = w.arg("dt", _const_getter(fdt.type(net.dt)))
    del dt_name

    # capacity checks of spike monitors, at the start of every slice
    pre_slice: list[str] = []
    step_body: list[tuple[int, str]] = []
    delivery: list[tuple[int, str]] = []

    for p, pop in enumerate(net.populations):
        n = w.arg(f"p{p}_n", lambda pop=pop: np.int64(pop.n_local))
        spk = w.arg(f"p{p}_spk", lambda pop=pop: pop._spk)
        off = w.arg(f"p{p}_off", lambda pop=pop: pop._off)
        mask = w.arg(f"p{p}_mask", lambda pop=pop: np.int64(pop._ring_mask))
        step_body.append((2, f"# population {p}: {pop.name!r}, {type(pop.model).__name__}"))
        step_body.append((2, f"slot = t & {mask}"))
        tick(step_body, 2, -1)
        # drives add into this step's ring rows before the neurons read them
        for d_i, (drive, rname) in enumerate(net._drives_of(pop)):
            fn = imports.name(as_jitted(drive.add_function()), "drive")
            key = derive_key(net.seed, "drive", net._drive_index(drive))
            k0 = w.arg(f"p{p}_d{d_i}_k0", _const_getter(key[0]))
            k1 = w.arg(f"p{p}_d{d_i}_k1", _const_getter(key[1]))
            ring = w.arg(f"p{p}_d{d_i}_ring", lambda pop=pop, r=rname: pop.rings[r])
            extra = []
            for a_name, value in drive.arguments(pop.n_local, net.dt).items():
                extra.append(w.arg(f"p{p}_d{d_i}_{a_name}", _const_getter(value)))
            j0 = w.arg(f"p{p}_d{d_i}_j0", _const_getter(np.int64(net.rank)))
            js = w.arg(f"p{p}_d{d_i}_js", _const_getter(np.int64(net.n_ranks)))
            call = ", ".join([f"{ring}[slot]", "t", j0, js, k0, k1, *extra])
            step_body.append((2, f"{fn}({call})"))
        tick(step_body, 2, 0)
        model = pop.model
        if isinstance(model, NeuronModel):
            _emit_neuron_update(w, imports, net, p, pop, step_body)
            tick(step_body, 2, 1)
            step_body.append((2, f"n = spikes_gather(p{p}_flags, p{p}_words, {spk}, {off}[s])"))
        elif isinstance(model, SpikeGenerator):
            fn = imports.name(as_jitted(model.emit_function()), "emit")
            bufs = [w.arg(f"p{p}_b_{k}", lambda pop=pop, k=k: pop.buffers[k]) for k in pop.buffers]
            step_body.append((2, f"n = {fn}(t, {''.join(b + ', ' for b in bufs)}{spk}[{off}[s]:])"))
            tick(step_body, 2, 1)
        step_body.append((2, f"{off}[s + 1] = {off}[s] + n"))
        # monitors of this population
        for m_i, mon in enumerate(net._spike_monitors_of(pop)):
            ms = w.arg(f"p{p}_sm{m_i}_steps", lambda mon=mon: mon._steps)
            mi = w.arg(f"p{p}_sm{m_i}_ids", lambda mon=mon: mon._ids)
            mc = w.arg(f"p{p}_sm{m_i}_count", lambda mon=mon: mon._count)
            pre_slice.append(f"if {ms}.shape[0] - {mc}[0] < (t1 - t0) * {n}:")
            pre_slice.append(f"    status[0] = {GROW}")
            pre_slice.append("    status[1] = t0")
            pre_slice.append("    return t0")
            step_body += [
                (2, f"c = {mc}[0]"),
                (2, f"for q in range({off}[s], {off}[s + 1]):"),
                (3, f"{ms}[c] = t + 1"),
                (3, f"{mi}[c] = {spk}[q]"),
                (3, "c += 1"),
                (2, f"{mc}[0] = c"),
            ]
        for m_i, mon in enumerate(net._rate_monitors_of(pop)):
            rc = w.arg(f"p{p}_rm{m_i}_counts", lambda mon=mon: mon._counts)
            r0 = w.arg(f"p{p}_rm{m_i}_t0", lambda mon=mon: np.int64(mon._step0))
            step_body.append((2, f"{rc}[t - {r0}] = n"))
        for m_i, mon in enumerate(net._state_monitors_of(pop)):
            every = w.arg(f"p{p}_st{m_i}_every", _const_getter(np.int64(mon.every)))
            row = w.arg(f"p{p}_st{m_i}_row", lambda mon=mon: mon._row)
            idx = w.arg(f"p{p}_st{m_i}_idx", lambda mon=mon: mon.local)
            step_body.append((2, f"if (t + 1) % {every} == 0:"))
            step_body.append((3, f"r = {row}[0]"))
            for v in mon.variables:
                buf = w.arg(f"p{p}_st{m_i}_{v}", lambda mon=mon, v=v: mon._buffers[v])
                sv = f"p{p}_s_{v}"
                step_body.append((3, f"for k in range({idx}.shape[0]):"))
                step_body.append((4, f"{buf}[r, k] = {sv}[{idx}[k]]"))
            step_body.append((3, f"{row}[0] = r + 1"))
        tick(step_body, 2, 2)

    for q, proj in enumerate(net.projections):
        pre = proj.pre.index
        names = []
        for part in ("indptr", "indices", "weight", "delay"):
            names.append(w.arg(f"q{q}_{part}", lambda proj=proj, part=part: _csr_part(proj, part)))
        ring = w.arg(f"q{q}_ring", lambda proj=proj: proj.post.rings[proj.receptor])
        delivery.append(
            (
                2,
                f"{deliver}(p{pre}_spk, p{pre}_off[s], p{pre}_off[s + 1], t0 + s, "
                f"{', '.join(names)}, {ring})",
            )
        )

    if profile:
        w.arg("prof", lambda: net._profile_cycles)
    lines = [
        "@kernel",
        f"def chunk(t_begin, t_end, slice_len, status, {', '.join(w.params)}):",
        *(["    _c = read_cycles()"] if profile else []),
        "    t1 = t_begin",
        "    while t1 < t_end:",
        "        t0 = t1",
        "        t1 = min(t0 + slice_len, t_end)",
    ]
    lines += ["        " + x for x in pre_slice]
    lines += ["        for t in range(t0, t1):", "            s = t - t0"]
    lines += ["    " * d + "    " + x for d, x in step_body]
    if delivery:
        if profile:
            lines.append(f"        _c = {tick_name}(prof, -1, _c)")
        lines.append("        for s in range(t1 - t0):")
        lines += ["    " * d + "    " + x for d, x in delivery]
        if profile:
            lines.append(f"        _c = {tick_name}(prof, 3, _c)")
    lines += [f"    status[0] = {OK}", "    return t1"]
    body = "\n".join(lines).replace("spikes_gather(", f"{gather}(")
    if profile:
        body = body.replace("read_cycles()", f"{imports.name(read_cycles, 'read_cycles')}()")
    module = load_module("snn_loop", body, imports, extra=(str(fdt),))
    return Plan(function=module.chunk, getters=w.getters, names=w.params, source=body)


def _csr_part(proj: Any, part: str) -> Any:
    csr = proj._csr
    value = getattr(csr, part)
    if part == "weight" and not isinstance(value, np.ndarray):
        return proj.post.network.float_dtype.type(value)
    if part == "delay" and not isinstance(value, np.ndarray):
        return np.int64(value)
    return value


def _update_module(model: NeuronModel, dt: float, consts: dict[str, Any]) -> tuple[Any, list]:
    """Generate the population update of ``model`` as its own cached kernel.

    Its text depends only on the model's step function and on which constants are arrays, so
    every network using the same model shares one compiled update. Returns the kernel and its
    parameter list: ``("state", name)``, ``("ring", receptor)``, ``("const", name)`` or
    ``("key", part)`` entries after the leading ``n, slot, t, dt``.
    """
    imports = Imports()
    step = as_jitted(model.step_function())
    fn = imports.name(step, "step")
    arg_names = list(inspect.signature(getattr(step, "py_func", step)).parameters)
    state_names = [v.name for v in model.state_vars]
    rec_names = [r.name for r in model.receptors]
    params: list[tuple[str, str]] = [("state", v) for v in state_names]
    params += [("ring", r) for r in rec_names]
    call: list[str] = []
    noise = any(a in ("uniform", "normal") for a in arg_names)
    for a in arg_names:
        if a in consts:
            params.append(("const", a))
            call.append(f"c_{a}[i]" if isinstance(consts[a], np.ndarray) else f"c_{a}")
        elif a == "dt":
            call.append("dt")
        elif a in ("uniform", "normal"):
            draw = imports.name(uniform if a == "uniform" else normal, a)
            call.append(f"{draw}(k0, k1, j0 + js * i, t)")
        elif a in state_names:
            call.append(f"s_{a}[i]")
        else:
            call.append(f"row{rec_names.index(a)}[i]")
    if noise:
        params += [("key", "k0"), ("key", "k1"), ("key", "j0"), ("key", "js")]
    names = []
    for kind, name in params:
        names.append(
            {"state": f"s_{name}", "ring": f"r_{name}", "const": f"c_{name}", "key": name}[kind]
        )
    outs = [f"x{k}" for k in range(len(state_names))]
    # a model without state returns the 1-tuple (spiked,)
    lhs = ", ".join([*outs, "sp"]) + ("" if outs else ",")
    lines = [
        "@kernel",
        f"def update(n, slot, t, dt, flags, {', '.join(names)}):",
        *[f"    row{k} = r_{r}[slot]" for k, r in enumerate(rec_names)],
        "    bad = False",
        "    for i in range(n):",
        f"        {lhs} = {fn}({', '.join(call)})",
        *[f"        s_{v}[i] = x{k}" for k, v in enumerate(state_names)],
        *[f"        row{k}[i] = 0.0" for k in range(len(rec_names))],
        "        flags[i] = sp",
        *[
            f"        bad |= (x{k} - x{k}) != 0.0"
            for k, v in enumerate(model.state_vars)
            if v.dtype == "float"
        ],
        "    return bad",
    ]
    module = load_module("snn_update", "\n".join(lines), imports)
    return module.update, params


def _emit_neuron_update(
    w: _Writer, imports: Imports, net: Network, p: int, pop: Any, body: list[tuple[int, str]]
) -> None:
    model: NeuronModel = pop.model
    consts = model.constants(net.dt)
    fdt = net.float_dtype
    update, params = _update_module(model, net.dt, consts)
    fn = imports.name(update, "update")
    flags = w.arg(f"p{p}_flags", lambda pop=pop: pop._flags)
    w.arg(f"p{p}_words", lambda pop=pop: pop._words)
    key = derive_key(net.seed, "population", pop.index, "noise")
    keys = {"k0": key[0], "k1": key[1], "j0": np.int64(net.rank), "js": np.int64(net.n_ranks)}
    call = [f"p{p}_n", "slot", "t", "dt", flags]
    for kind, name in params:
        if kind == "state":
            call.append(w.arg(f"p{p}_s_{name}", lambda pop=pop, v=name: pop.state[v]))
        elif kind == "ring":
            call.append(w.arg(f"p{p}_r_{name}", lambda pop=pop, r=name: pop.rings[r]))
        elif kind == "key":
            call.append(w.arg(f"p{p}_{name}", _const_getter(keys[name])))
        else:
            value = consts[name]
            if isinstance(value, np.ndarray):
                local = value[pop.local_index] if value.shape[0] == pop.size else value
                value = np.ascontiguousarray(local, dtype=fdt)
            elif isinstance(value, int | np.integer) and not isinstance(value, bool):
                value = np.int64(value)
            else:
                value = fdt.type(value)
            call.append(w.arg(f"p{p}_c_{name}", _const_getter(value)))
    body.append((2, f"if {fn}({', '.join(call)}):"))
    body.append((3, f"status[0] = {NONFINITE}"))
    body.append((3, "status[1] = t"))
    body.append((3, f"status[2] = {p}"))
    body.append((3, "return t"))
