"""Synapse model classes made from equations: :func:`synapse_model` and :class:`EquationSynapse`.

:func:`synapse_model` analyses a synapse text once (:mod:`snn.equations._synapse_analysis`),
writes the generated rule functions (:mod:`snn.equations._synapse_codegen`) and returns a new
class: a frozen keyword-only dataclass of the parameters declared in the text, implementing
snn's synapse protocol (:class:`snn.core.SynapseModel`) like the built-in rules of
:mod:`snn.plasticity`. The engine generates its delivery kernels around the rule functions as
for a built-in rule, so delivery order, bit-reproducibility on any thread or rank layout,
checkpoints, weight monitors and the live setters (``Projection.set``, ``learning`` on and off)
work unchanged. Analysis and generated module are cached as for neuron models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from snn.core import Receptor, StateVar, SynapseModel, Trace
from snn.core.errors import ConfigurationError
from snn.core.kernels import load_module
from snn.core.validate import require_finite, warn_time_constant
from snn.equations._cache import cached_spec, caller_module, fields, runtime_imports
from snn.equations._runtime import LEARNING
from snn.equations._source import SynapseText, require_text
from snn.equations._units import dim_of_symbol

__all__ = ["EquationSynapse", "SynapseInfo", "synapse_model"]


@dataclass(frozen=True)
class SynapseInfo:
    """What the analysis of a synapse text found, and the code it generated.

    Attributes
    ----------
    model, on_pre, on_post : str or None
        The texts as given.
    parameters : tuple of (str, str)
        Parameter names and their units.
    variables : tuple of (str, str)
        Synapse variables and how the engine keeps them: ``"source"`` (a trace per
        presynaptic neuron), ``"target"`` (a trace per postsynaptic neuron), ``"synapse"``
        (one value per synapse, advanced exactly at its events) or ``"clock"`` (one value per
        synapse, integrated every step).
    receptor : str or None
        The receptor fed (named by on_pre's transmission or the summed variable).
    source : str
        The generated module's body.
    from_cache : bool
        Whether the analysis came from the on-disk cache (no sympy in this process).
    analysis_s : float
        Seconds spent reading, analysing and generating (or loading them from the cache).
    method : str or None
        The integration method of the clock-driven variables (None without them).
    method_reason : str or None
        Why it was chosen ("requested" when given).
    """

    model: str
    on_pre: str | None
    on_post: str | None
    parameters: tuple[tuple[str, str], ...]
    variables: tuple[tuple[str, str], ...]
    receptor: str | None
    source: str
    from_cache: bool
    analysis_s: float
    method: str | None = None
    method_reason: str | None = None


class EquationSynapse(SynapseModel):
    """Base class of the synapse models made by :func:`synapse_model`.

    A subclass is a frozen keyword-only dataclass of the parameters declared in its text, in SI
    units: each one number for the whole projection or, as in Brian2 (whose ``Synapses``
    parameters are per synapse unless ``(shared)``), one value per synapse (an array in the
    projection's storage order, or a :class:`~snn.core.random.Distribution` drawn when the
    projection is made; ``Projection.set(name=..., pre=..., post=...)`` later). A parameter that
    a trace's time constant, a trace rule or a summed variable reads must be one number (the
    projection refuses others). :attr:`info` describes its analysis.
    """

    #: the analysis of the text and the generated code
    info: ClassVar[SynapseInfo]
    _module: ClassVar[ModuleType]
    _spec: ClassVar[dict[str, Any]]
    _units: ClassVar[dict[str, str]]

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            unit = self._units.get(f.name, "1")
            if np.ndim(value) != 0 and f.name not in self.vector_parameters:
                raise ConfigurationError(
                    f"`{f.name}` of a synapse model is one value for the whole projection, got "
                    f"an array of shape {np.shape(value)}."
                )
            require_finite(f.name, value, unit)
            if unit == "s":
                warn_time_constant(f.name, value)

    def parameter_values(self) -> dict[str, Any]:
        """The parameters by name (with the hidden learning switch)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def constants(self, dt: float) -> dict[str, Any]:
        """The rule functions' constants for time step ``dt`` [s]."""
        return self._module.constants(self.parameter_values(), dt)

    def initial_synapse_state(self) -> dict[str, float]:
        """Initial values of the per-synapse variables."""
        return self._module.initial(self.parameter_values())

    def trace_tau(self, trace: Trace) -> Any:
        """Time constant of ``trace`` [s] (inf when it does not decay).

        An array when parameters it depends on are given per synapse (the projection refuses
        it).
        """
        tau = self._module.trace_taus(self.parameter_values())[trace.name]
        return tau if np.ndim(tau) else float(tau)

    def _function(self, name: str) -> Callable[..., Any] | None:
        return getattr(self._module, name) if name in self._spec["functions"] else None

    def on_pre_function(self) -> Callable[..., Any] | None:
        return self._function("on_pre")

    def on_post_function(self) -> Callable[..., Any] | None:
        return self._function("on_post")

    def source_spike_function(self) -> Callable[..., Any] | None:
        return self._function("source_spike")

    def target_spike_function(self) -> Callable[..., Any] | None:
        return self._function("target_spike")

    def coupling_function(self) -> Callable[..., Any] | None:
        return self._function("coupling")

    def clock_function(self) -> Callable[..., Any] | None:
        return self._function("clock")

    def target_receptor(self, model: Any) -> str | None:
        """The receptor named by on_pre's transmission or by the summed variable.

        A name that is no receptor of ``model`` but one of its state variables (Brian2's
        ``v_post += w``) is the receptor that adds the weight to that variable
        (``NeuronModel.receptor_variables``), when there is exactly one.
        """
        name = self._spec["receptor"]
        if name is None or name in {r.name for r in model.receptors}:
            return name
        into = getattr(model, "receptor_variables", {})
        feeding = [r for r, v in into.items() if v == name]
        return feeding[0] if len(feeding) == 1 else name

    def check_connection(self, pre: Any, post: Any, receptor: Receptor) -> None:
        """Refuse a receptor of another unit; check the units of the neuron variables read."""
        spec = self._spec
        sent = spec["summed_unit"] or spec["out_unit"]
        if spec["summed_unit"] is not None or spec["post_variables"] or spec["pre_variables"]:
            units = {v.name + "_pre": v.unit for v in pre.state_vars}
            units.update({v.name + "_post": v.unit for v in post.state_vars})
            names = [f"{v}_pre" for v in spec["pre_variables"]]
            names += [f"{v}_post" for v in spec["post_variables"]]
            text = dataclasses.replace(
                self._text, neuron_units=tuple((n, units[n]) for n in names if n in units)
            )
            # checks the units; a value sent that reads a neuron variable has its unit only now
            checked = cached_spec(text, _check_units)[0]["out_unit"]
            sent = sent or checked
        if sent is not None and dim_of_symbol(sent) != dim_of_symbol(receptor.unit):
            raise ConfigurationError(
                f"{type(self).__name__} sends values in {sent} to receptor {receptor.name!r} of "
                f"{type(post).__name__}, which takes {receptor.unit}."
            )


def _check_units(text: SynapseText) -> dict[str, Any]:
    from snn.equations._synapse_analysis import check_neuron_units

    return check_neuron_units(text)


def synapse_model(
    name: str,
    model: str,
    *,
    on_pre: str | None = None,
    on_post: str | None = None,
    initial: Mapping[str, float | str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    method: str | None = None,
    module: str | None = None,
) -> type[EquationSynapse]:
    """A synapse model class from equations (Brian2's ``Synapses`` syntax; see the guide).

    Parameters
    ----------
    name
        Name of the class (as you assign it: checkpoints find the class again by its module
        and this name).
    model
        Declarations, one per logical line: ``w : siemens`` (the weight's unit), parameters
        (``taupre : second``: fields of the class, one value per synapse or one for the
        projection, only one with ``(shared)``), event-driven
        variables (``dApre/dt = -Apre / taupre : siemens (event-driven)``), subexpressions,
        at most one summed variable (``Igap_post = w * (v_pre - v_post) : amp (summed)``: a
        continuous coupling into the target's current receptor ``Igap``), and clock-driven
        variables (``dx/dt = -x / tau : 1 (clock-driven)``, or no flag: one value per synapse,
        integrated every step, beside a summed variable (decision 0018) or in synapses acting
        at spikes (decision 0030)).
    on_pre
        Statements for each synapse a presynaptic spike crosses; ``ge += w`` sends ``w`` to the
        target's receptor ``ge``. In a model with a summed variable they may only change the
        weight and the clock-driven variables (``x += 1``), which the coupling of the step
        stamped with the spike's time reads.
    on_post
        Statements for each synapse a postsynaptic spike reaches.
    initial
        Initial values of event-driven and clock-driven variables: numbers [SI] or expressions
        of parameters; 0 otherwise.
    defaults
        Default values of parameters.
    method
        Integration method of the clock-driven variables (as for neuron models: ``"exact"``,
        ``"exponential_euler"``, ``"euler"``, ``"heun"``, ``"rk2"``, ``"rk4"``, ``"rkf45"``);
        default: chosen as for neuron models (exact when linear with constant coefficients).
    module
        Module the class claims to live in (default: the caller's).

    Returns
    -------
    type
        A subclass of :class:`EquationSynapse`; pass an instance as ``connect(...,
        synapse=...)``.

    Raises
    ------
    EquationError
        For an error in any of the texts, with its line and column.
    """
    if not name.isidentifier():
        raise ConfigurationError(f"`name` must be a Python identifier, got {name!r}.")
    require_text("model", model, required=True)
    pathways = (
        " Several pathways (Brian2's `on_pre={'up': ..., 'down': ...}`) are one projection "
        "each here: connect the same pairs once per pathway, each with its own model and delay."
    )
    for what, value in (("on_pre", on_pre), ("on_post", on_post)):
        require_text(what, value, hint=pathways if isinstance(value, Mapping) else "")
    text = SynapseText(
        model=model,
        on_pre=on_pre,
        on_post=on_post,
        initial=tuple((str(k), v) for k, v in (initial or {}).items()),
        method=method,
    )
    spec, seconds, cached = cached_spec(text, _analyse)
    info = SynapseInfo(
        model=model,
        on_pre=on_pre,
        on_post=on_post,
        parameters=tuple((p, u) for p, u, _ in spec["parameters"]),
        variables=tuple((x, k) for x, k in spec["kinds"]),
        receptor=spec["receptor"],
        source=spec["body"],
        from_cache=cached,
        analysis_s=seconds,
        method=spec["method"],
        method_reason=spec["method_reason"],
    )
    mod = load_module("snn_syn", spec["body"], runtime_imports())
    return _make_class(name, spec, info, mod, text, defaults or {}, module or caller_module())


def _make_class(
    name: str,
    spec: dict[str, Any],
    info: SynapseInfo,
    mod: ModuleType,
    text: SynapseText,
    defaults: Mapping[str, Any],
    module: str,
) -> type[EquationSynapse]:
    params = [p for p, _, _ in spec["parameters"]]
    hidden = []
    if spec["learns"]:
        # switched to 0 by Projection.set(learning=False); not a parameter of the class
        hidden.append((LEARNING, float, dataclasses.field(default=1.0, repr=False)))
    units = {p: sym for p, _, sym in spec["parameters"]}
    taus = dict(spec["taus"])
    namespace = {
        "info": info,
        "_module": mod,
        "_spec": spec,
        "_text": text,
        "_units": units,
        "synapse_vars": tuple(
            StateVar(x, u, "int" if x == "_last" else "float") for x, u in spec["synapse_vars"]
        ),
        "source_traces": tuple(Trace(x, taus[x]) for x in spec["source_traces"]),
        "target_traces": tuple(Trace(x, taus[x]) for x in spec["target_traces"]),
        "learning": (LEARNING,) if spec["learns"] else (),
        # every declared parameter may be per synapse (Brian2's default) but the (shared) ones
        # and the hidden learning switch
        "vector_parameters": tuple(p for p in params if p not in spec["shared"]),
        "clock_variables": tuple(spec["clock_variables"]),
        "pre_variables": tuple(spec["pre_variables"]),
        "post_variables": tuple(spec["post_variables"]),
        "weight_unit": spec["w_unit"],
        "__doc__": _docstring(name, info),
        "__module__": module,
        "__qualname__": name,
    }
    cls = dataclasses.make_dataclass(
        name,
        [*fields(params, defaults, EquationSynapse), *hidden],
        bases=(EquationSynapse,),
        namespace=namespace,
        frozen=True,
        kw_only=True,
    )
    cls.__module__ = module
    return cls


def _docstring(name: str, info: SynapseInfo) -> str:
    lines = [f"{name}: a synapse model from equations.", "", "Model::", ""]
    lines += ["    " + line.strip() for line in info.model.strip().splitlines()]
    for label, code in (("on_pre", info.on_pre), ("on_post", info.on_post)):
        if code:
            lines += ["", f"{label}::", ""] + ["    " + x.strip() for x in code.strip().split("\n")]
    lines += ["", "Parameters", "----------"]
    for p, unit in info.parameters:
        lines += [p, f"    [{unit}]"]
    return "\n".join(lines)


def _weight_unit(an: Any, summed: bool) -> str | None:
    """The weights' unit when it is not the receptor's (None: the receptor's, and its sign rule).

    A coupling that declares no weight never reads it: any number. A declared weight whose unit
    is not that of the value sent (``w : 1`` with ``ge += w * g_max``), or may not be (the value
    reads a neuron variable), is checked in its own unit, of either sign.
    """
    if summed:
        return an.w_dim.symbol() if an.w_dim is not None else "1"
    if an.w_dim is not None and an.w_dim != an.out_dim:
        # (out_dim None: the value sent reads a neuron variable, its unit known at connect)
        return an.w_dim.symbol()
    return None


def _analyse(text: SynapseText) -> dict[str, Any]:
    """Analyse and generate (imports sympy): the JSON-able spec of the synapse model."""
    from snn.equations._synapse_analysis import analyse_synapse
    from snn.equations._synapse_codegen import generate_synapse

    an = analyse_synapse(text)
    gen = generate_synapse(an)
    dims = an.dims

    def symbol(dim: Any) -> str | None:
        return None if dim is None else dim.symbol()

    taus = []
    for x in an.variables:
        if an.kinds[x] != "synapse":
            taus.append((x, f"-1 / ({an.decay[x][0]})"))
    synapse_vars = [(x, dims[x].symbol()) for x in gen["synapse_vars"] if x != "_last"]
    if "_last" in gen["synapse_vars"]:
        synapse_vars.append(("_last", "steps"))
    summed = an.summed is not None
    return {
        "parameters": [(p, str(dims[p]), dims[p].symbol()) for p in an.parameters],
        "shared": list(an.shared),
        "kinds": [(x, an.kinds[x]) for x in an.variables] + [(x, "clock") for x in an.clock],
        "clock_variables": gen["clock_variables"],
        "method": an.method,
        "method_reason": an.reason,
        "taus": taus,
        "synapse_vars": synapse_vars,
        "source_traces": gen["source_traces"],
        "target_traces": gen["target_traces"],
        "functions": gen["functions"],
        "learns": gen["learns"],
        "receptor": an.receptor,
        "out_unit": symbol(an.out_dim),
        "summed_unit": symbol(an.summed_dim),
        "w_unit": _weight_unit(an, summed),
        "pre_variables": an.pre_variables,
        "post_variables": an.post_variables,
        "body": gen["body"],
    }
