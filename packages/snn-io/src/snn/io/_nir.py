"""NIR (Neuromorphic Intermediate Representation) import and export, through the ``nir`` package.

Supported nodes: ``Input`` (a spike source fed with a boolean array per step), ``LIF`` and ``IF``
(the models :class:`NIRLIF` and :class:`NIRIF` below), ``Linear`` and ``Affine`` (synapses with
the matrix as weights, the bias as a constant current of the target) and ``Output`` (a spike
monitor of its source). NIR parameters are read as SI values (s, Ohm, V, A), which is what NIR
graphs exported by snnTorch, Norse and the NIR paper's examples hold; no conversion is needed.

Timing. NIR's discrete simulators apply a layer's input within the same step; snn's synapses
have delays of at least one step. The spikes of an ``Input`` are emitted one step early, so the
first layer receives input ``x[k]`` during step ``k`` exactly as NIR specifies; each further
``Linear``/``Affine`` between two neuron layers adds one step of latency.

LIF (NIR's definition, exact integration for an input current held over the step)::

    tau dv/dt = (v_leak - v) + r I,    spike when v > v_threshold,    then v = v_reset

IF: ``dv/dt = r I`` (no leak), same threshold and reset.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import nir
import numpy as np

from snn.core import (
    Network,
    NeuronModel,
    Population,
    Projection,
    Receptor,
    SpikeGenerator,
    SpikeMonitor,
    StateVar,
)
from snn.core.connectivity import CSR, index_dtype
from snn.core.errors import ConfigurationError, FileFormatError
from snn.core.kernels import kernel
from snn.core.validate import require_finite, require_positive
from snn.io._untrusted import preflight

__all__ = ["NIRIF", "NIRLIF", "NIRInput", "NIRNetwork", "from_nir", "to_nir"]


def nir_lif_step(v, current, decay, gain, v_leak, v_threshold, v_reset, i_bias):
    """One exact step of NIR's LIF (IF: ``decay`` 1, ``gain`` r dt); returns ``(v, spiked)``."""
    v = v_leak + (v - v_leak) * decay + (current + i_bias) * gain
    if v > v_threshold:
        return v_reset, True
    return v, False


def _params(value: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(value, dtype=np.float64))


@dataclass(frozen=True, kw_only=True)
class NIRLIF(NeuronModel):
    """NIR's leaky integrate-and-fire neuron (see the module docstring).

    Parameters
    ----------
    tau
        Membrane time constant [s], per neuron.
    r
        Resistance [Ohm], per neuron.
    v_leak
        Leak potential [V], per neuron.
    v_threshold
        Threshold [V], per neuron; the neuron spikes when ``v`` exceeds it.
    v_reset
        Potential after a spike [V], per neuron.
    i_bias
        Constant input current [A] (an Affine node's bias), per neuron.

    Notes
    -----
    State: ``v`` [V]. Receptor ``current``: the sum of the weights of the spikes arriving for a
    step is a current [A] held over that step. Exact integration.
    """

    tau: Any
    r: Any
    v_leak: Any
    v_threshold: Any
    v_reset: Any = 0.0
    i_bias: Any = 0.0

    state_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("v", "V", doc="membrane potential"),)
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("current", "A", 0, "input current held over the step"),
    )

    def __post_init__(self) -> None:
        self._check_tau()
        for name, unit in (
            ("r", "Ohm"),
            ("v_leak", "V"),
            ("v_threshold", "V"),
            ("v_reset", "V"),
            ("i_bias", "A"),
        ):
            require_finite(name, getattr(self, name), unit)

    def _check_tau(self) -> None:
        require_positive("tau", self.tau, "s")

    def step_function(self) -> Callable[..., Any]:
        return nir_lif_step

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.v_leak}

    def _decay(self, dt: float) -> np.ndarray:
        return np.exp(-dt / _params(self.tau))

    def constants(self, dt: float) -> dict[str, Any]:
        decay = self._decay(dt)
        gain = _params(self.r) * (1.0 - decay) if decay.size else decay
        out = {
            "decay": decay,
            "gain": gain,
            "v_leak": _params(self.v_leak),
            "v_threshold": _params(self.v_threshold),
            "v_reset": _params(self.v_reset),
            "i_bias": _params(self.i_bias),
        }
        return {k: float(v[0]) if v.shape == (1,) else v for k, v in out.items()}


@dataclass(frozen=True, kw_only=True)
class NIRIF(NIRLIF):
    """NIR's integrate-and-fire neuron: ``dv/dt = r I``, threshold and reset as :class:`NIRLIF`.

    Parameters
    ----------
    r
        Resistance [Ohm] (here: the rate of change of ``v`` per unit current [V/(A s)]).
    v_threshold
        Threshold [V].
    v_reset
        Potential after a spike [V].
    i_bias
        Constant input current [A].
    """

    tau: Any = field(default=np.inf, repr=False)
    v_leak: Any = 0.0

    def _check_tau(self) -> None:
        """No leak: ``tau`` stays infinite (it is not a parameter of NIR's IF)."""
        tau = np.asarray(self.tau, dtype=np.float64)
        if not np.all(tau == np.inf):
            raise ConfigurationError(
                f"NIRIF has no leak: `tau` is not one of its parameters (it stays infinite), "
                f"got {self.tau!r}. Use NIRLIF for a leaky neuron."
            )

    def constants(self, dt: float) -> dict[str, Any]:
        out = super().constants(dt)
        out["decay"] = 1.0
        r = _params(self.r) * dt
        out["gain"] = float(r[0]) if r.shape == (1,) else r
        return out


@kernel
def nir_input_emit(step, steps, ids, cursor, out):  # pragma: no cover - compiled
    """Emit the spikes of emission step ``step`` (``steps`` ascending, ``cursor`` advances)."""
    c = cursor[0]
    while c < steps.shape[0] and steps[c] < step:
        c += 1
    n = 0
    while c < steps.shape[0] and steps[c] == step:
        out[n] = ids[c]
        n += 1
        c += 1
    cursor[0] = c
    return n


@dataclass(frozen=True, kw_only=True)
class NIRInput(SpikeGenerator):
    """The spikes of a NIR ``Input`` node: ``events[k, i]`` is an input to neuron ``i`` in step k.

    Parameters
    ----------
    events
        Boolean (or 0/1) array of shape ``(n_steps, n)``. Emitted one step early (see the
        module docstring), so ``events[0]`` must be empty.
    """

    events: Any

    matrix_parameters: ClassVar[tuple[str, ...]] = ("events",)

    cursor_buffers: ClassVar[tuple[str, ...]] = ("cursor",)

    def __post_init__(self) -> None:
        ev = np.asarray(self.events)
        if ev.ndim != 2:
            raise ConfigurationError(
                f"`events` of a NIR input must be (n_steps, n_neurons), got shape {ev.shape}."
            )
        if not np.all((ev == 0) | (ev == 1)):
            raise ConfigurationError("`events` of a NIR input must be 0 or 1 (spikes).")
        if ev.shape[0] and np.any(ev[0]):
            raise ConfigurationError(
                "`events[0]` must be empty: an input reaches the first layer one step after it "
                "is emitted, so step 0 cannot receive input; prepend a row of zeros."
            )

    def validate_size(self, n: int) -> None:
        if np.asarray(self.events).shape[1] != n:
            raise ConfigurationError(
                f"`events` has {np.asarray(self.events).shape[1]} columns for {n} neurons."
            )

    def buffers(self, local_index: np.ndarray, dt: float) -> dict[str, np.ndarray]:
        ev = np.asarray(self.events)[:, local_index] != 0
        steps, ids = np.nonzero(ev)
        return {
            "steps": np.ascontiguousarray(steps - 1, dtype=np.int64),
            "ids": np.ascontiguousarray(ids, dtype=np.int32),
            "cursor": np.zeros(1, dtype=np.int64),
        }

    def emit_function(self) -> Callable[..., Any]:
        return nir_input_emit


@dataclass(frozen=True)
class NIRNetwork:
    """A network built from a NIR graph.

    Attributes
    ----------
    network : Network
        The snn network (run it for ``n_steps * dt``).
    populations : dict of str to Population
        The population of each Input, LIF and IF node, by node name.
    outputs : dict of str to SpikeMonitor
        The spike monitor of each Output node, by node name.
    """

    network: Network
    populations: dict[str, Population]
    outputs: dict[str, SpikeMonitor]


def _size(node: Any) -> int:
    for attr in ("tau", "r", "v_threshold"):
        value = getattr(node, attr, None)
        if value is not None:
            return int(np.asarray(value).size)
    shape = next(iter(node.output_type.values()))
    return int(np.prod(shape))


def _connect(net: Network, pre: Population, post: Population, weight: np.ndarray, name: str):
    """Synapses ``pre -> post`` with ``weight[j, i]`` from ``i`` to ``j`` (zeros omitted)."""
    w = np.asarray(weight, dtype=np.float64)
    if w.shape != (post.size, pre.size):
        raise ConfigurationError(
            f"NIR node {name!r} has a weight matrix of shape {w.shape}; its source has "
            f"{pre.size} and its target {post.size} neurons, so ({post.size}, {pre.size}) is "
            "expected."
        )
    src, tgt = np.nonzero(w.T)  # by source, targets ascending within a source
    indptr = np.zeros(pre.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=pre.size), out=indptr[1:])
    csr = CSR(
        indptr,
        tgt.astype(index_dtype(post.size)),
        w.T[src, tgt].astype(net.float_dtype),
        1,
    )
    proj = Projection(
        pre=pre,
        post=post,
        receptor="current",
        csr=csr,
        name=name,
        index=len(net.projections),
        rule=None,
    )
    net._add_projection(proj)
    return proj


def from_nir(
    graph: nir.NIRGraph | str,
    *,
    inputs: Mapping[str, np.ndarray],
    dt: float,
    seed: int = 0,
) -> NIRNetwork:
    """Build an snn network from a NIR graph.

    Parameters
    ----------
    graph
        A :class:`nir.NIRGraph` or the path of a ``.nir`` file (read with the nir package; a
        file that cannot be read raises :class:`~snn.core.errors.FileFormatError`).
    inputs
        For each Input node: a 0/1 array ``(n_steps, n)`` of the input spikes of each step.
    dt
        Time step [s].
    seed
        Seed of the network (NIR graphs are deterministic; it matters only for added noise).

    Returns
    -------
    NIRNetwork
    """
    if isinstance(graph, str | os.PathLike):
        graph = _read_file(Path(graph))
    if not isinstance(graph, nir.NIRGraph):
        raise ConfigurationError(
            "`graph` must be a nir.NIRGraph or the path of a .nir file, got "
            f"{type(graph).__name__}."
        )
    if not isinstance(inputs, Mapping):
        raise ConfigurationError(
            f"`inputs` must map Input node names to arrays, got {inputs!r:.60}."
        )
    nodes, edges = _checked_graph(graph)
    net = Network(dt=dt, seed=seed, name="nir")
    pops: dict[str, Population] = {}
    for name, node in nodes.items():
        if isinstance(node, nir.Input):
            if name not in inputs:
                raise ConfigurationError(
                    f"the NIR graph has an Input node {name!r}; give its spikes in "
                    f"`inputs[{name!r}]`."
                )
            ev = np.asarray(inputs[name])
            pops[name] = net.add_population(NIRInput(events=ev), ev.shape[1], name=name)
        elif isinstance(node, nir.LIF):
            model = NIRLIF(
                tau=_params(node.tau),
                r=_params(node.r),
                v_leak=_params(node.v_leak),
                v_threshold=_params(node.v_threshold),
                v_reset=_params(node.v_reset),
            )
            pops[name] = net.add_population(model, _size(node), name=name)
        elif isinstance(node, nir.IF):
            model = NIRIF(
                r=_params(node.r),
                v_threshold=_params(node.v_threshold),
                v_reset=_params(node.v_reset),
            )
            pops[name] = net.add_population(model, _size(node), name=name)
        elif not isinstance(node, nir.Output | nir.Linear | nir.Affine):
            raise ConfigurationError(
                f"NIR node {name!r} is a {type(node).__name__}; snn imports Input, Output, "
                "LIF, IF, Linear and Affine nodes."
            )
    outputs: dict[str, SpikeMonitor] = {}
    for name, node in nodes.items():
        if isinstance(node, nir.Linear | nir.Affine):
            sources = [a for a, b in edges if b == name]
            targets = [b for a, b in edges if a == name]
            if len(sources) != 1 or len(targets) != 1:
                raise ConfigurationError(
                    f"NIR node {name!r} must have one source and one target, got {sources} "
                    f"and {targets}."
                )
            pre, post = pops.get(sources[0]), pops.get(targets[0])
            if pre is None or post is None or not isinstance(post.model, NIRLIF):
                raise ConfigurationError(
                    f"NIR node {name!r} must connect a population to a LIF or IF node, got "
                    f"{sources[0]!r} -> {targets[0]!r}."
                )
            _connect(net, pre, post, node.weight, name)
            bias = np.asarray(getattr(node, "bias", 0.0), dtype=np.float64)
            if bias.ndim and bias.shape != (post.size,):
                raise ConfigurationError(
                    f"NIR node {name!r} has a bias of shape {bias.shape} for a target of "
                    f"{post.size} neurons."
                )
            if np.any(bias != 0):
                post.set(i_bias=_params(post.model.i_bias) + bias)
        elif isinstance(node, nir.Output):
            sources = [a for a, b in edges if b == name]
            if len(sources) != 1 or sources[0] not in pops:
                raise ConfigurationError(
                    f"NIR Output {name!r} must have one population as source, got {sources}."
                )
            outputs[name] = net.record_spikes(pops[sources[0]])
    for a, b in edges:
        if a in pops and b in pops:
            raise ConfigurationError(
                f"the NIR edge {a!r} -> {b!r} joins two populations directly; snn needs a "
                "Linear or Affine node between them."
            )
    return NIRNetwork(network=net, populations=pops, outputs=outputs)


def _read_file(path: Path) -> nir.NIRGraph:
    """A NIR graph read from ``path`` with the nir package; any failure is a FileFormatError."""
    if not path.exists():
        raise FileNotFoundError(f"no NIR file at {path}.")
    if not path.is_file():
        raise FileFormatError(f"{path} is not a file; expected a NIR graph (.nir).")
    preflight(path, "a NIR graph")
    try:
        return nir.read(path)
    except Exception as exc:  # the nir package raises many kinds for a damaged or foreign file
        raise FileFormatError(
            f"{path} is not a readable NIR graph ({type(exc).__name__}: {exc})."
        ) from None


def _checked_graph(graph: nir.NIRGraph) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The graph's nodes and edges, refusing edges that are not pairs of its nodes."""
    nodes = graph.nodes
    if not isinstance(nodes, Mapping):
        raise ConfigurationError(f"the NIR graph's nodes are {type(nodes).__name__}, not a dict.")
    edges = []
    for edge in graph.edges:
        if not (isinstance(edge, tuple | list) and len(edge) == 2):
            raise ConfigurationError(f"the NIR edge {edge!r:.60} is not a (source, target) pair.")
        a, b = edge
        missing = [x for x in (a, b) if x not in nodes]
        if missing:
            raise ConfigurationError(
                f"the NIR edge {a!r} -> {b!r} names {missing[0]!r}, which is not a node of the "
                "graph."
            )
        if a == b:
            raise ConfigurationError(f"the NIR edge {a!r} -> {b!r} joins a node to itself.")
        edges.append((a, b))
    for name, node in nodes.items():
        for attr in ("weight", "bias", "tau", "r", "v_leak", "v_threshold", "v_reset"):
            value = getattr(node, attr, None)
            if value is None:
                continue
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise ConfigurationError(
                    f"NIR node {name!r}: `{attr}` must hold numbers, got {value!r:.60}."
                ) from None
            if not np.isfinite(arr).all() and not (attr == "tau" and isinstance(node, nir.IF)):
                raise ConfigurationError(f"NIR node {name!r}: `{attr}` holds NaN or inf.")
            if arr.ndim > (2 if attr == "weight" else 1) or arr.size == 0:
                raise ConfigurationError(
                    f"NIR node {name!r}: `{attr}` has shape {arr.shape}, expected "
                    f"{'a matrix' if attr == 'weight' else 'one value per neuron'}."
                )
    return nodes, edges


def to_nir(net: Network, *, outputs: Mapping[str, SpikeMonitor] | None = None) -> nir.NIRGraph:
    """Export a network made of NIR-expressible parts as a :class:`nir.NIRGraph`.

    Populations of :class:`NIRInput`, :class:`NIRLIF` and :class:`NIRIF` become Input, LIF and
    IF nodes named as the populations; each projection becomes an Affine node (a Linear one
    when its target has no bias current) with the dense weight matrix, named as the projection;
    each spike monitor an Output node (named by ``outputs``, default ``"<population>.output"``).

    Raises
    ------
    ConfigurationError
        For a part NIR cannot express here (another model, a synapse model, delays other than
        one step).
    """
    nodes: dict[str, Any] = {}
    edges: list[tuple[str, str]] = []
    for pop in net.populations:
        m = pop.model
        n = pop.size
        if isinstance(m, NIRInput):
            nodes[pop.name] = nir.Input(input_type={"input": np.array([n])})
        elif isinstance(m, NIRIF):
            nodes[pop.name] = nir.IF(
                r=_full(m.r, n), v_threshold=_full(m.v_threshold, n), v_reset=_full(m.v_reset, n)
            )
        elif isinstance(m, NIRLIF):
            nodes[pop.name] = nir.LIF(
                tau=_full(m.tau, n),
                r=_full(m.r, n),
                v_leak=_full(m.v_leak, n),
                v_threshold=_full(m.v_threshold, n),
                v_reset=_full(m.v_reset, n),
            )
        else:
            raise ConfigurationError(
                f"population {pop.name!r} is a {type(m).__name__}; NIR export supports "
                "NIRInput, NIRLIF and NIRIF populations."
            )
    biased: set[str] = set()
    for proj in net.projections:
        if proj.synapse is not None or not np.all(proj.delays() == net.dt):
            raise ConfigurationError(
                f"projection {proj.name!r} has a synapse model or delays other than one step; "
                "NIR's Linear and Affine nodes cannot express them."
            )
        pre, post = proj.pre.population, proj.post.population
        w = np.zeros((post.size, pre.size))
        np.add.at(w, (proj.targets(), proj.sources()), proj.weights())
        bias = _full(post.model.i_bias, post.size)
        if np.any(bias != 0) and post.name not in biased:
            biased.add(post.name)
            nodes[proj.name] = nir.Affine(weight=w, bias=bias)
        else:
            nodes[proj.name] = nir.Linear(weight=w)
        edges += [(pre.name, proj.name), (proj.name, post.name)]
    names = dict(outputs or {})
    if not names:
        names = {f"{m.population.name}.output": m for m in net._spike_monitors()}
    for name, mon in names.items():
        nodes[name] = nir.Output(output_type={"output": np.array([mon.population.size])})
        edges.append((mon.population.name, name))
    return nir.NIRGraph(nodes=nodes, edges=edges)


def _full(value: Any, n: int) -> np.ndarray:
    arr = _params(value)
    return np.full(n, arr[0]) if arr.shape == (1,) and n != 1 else arr.copy()
