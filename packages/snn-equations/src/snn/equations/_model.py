"""Neuron model classes made from equations: :func:`neuron_model` and :class:`EquationNeuron`.

:func:`neuron_model` analyses a model text once (sympy), writes the generated module
(:mod:`snn.equations._codegen`) and returns a new class: a frozen keyword-only dataclass whose
fields are the parameters declared in the equations, implementing snn's neuron protocol like a
built-in model. Everything built-in models work with (monitors, drives, checkpoints, threads,
MPI, parameter setters) therefore works with it.

The result of the analysis (declarations, units and the generated module text) is cached on disk
under the hash of the model text (:func:`snn.core.kernels.cache_dir`, folder ``equations``), and
the generated module is a real file that numba caches: a second process that defines the same
model imports neither sympy nor compiles anything.
"""

from __future__ import annotations

import dataclasses
import linecache
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from snn.core import Derived, NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import load_module
from snn.core.validate import require_finite, warn_time_constant, warn_voltage
from snn.equations._cache import cached_spec, caller_module, fields, runtime_imports
from snn.equations._source import ModelText, require_text

__all__ = ["RKF_MAX_SUBSTEPS", "EquationNeuron", "ModelInfo", "neuron_model"]

#: most substeps of method ``rkf45`` in one step: beyond them (or at an accepted state that is
#: not finite) the step ends with NaN, which the engine's NaN check reports, instead of up to
#: 2**30 smallest substeps (here, not in the sympy-using code generator, so that loading a
#: cached model can state it)
RKF_MAX_SUBSTEPS = 10_000

#: numba inlines calls of at most this many positional arguments (CPython passes more as a
#: tuple, which numba's inliner refuses)
MAX_ARGUMENTS = 30
#: the argument that holds packed constants (see :meth:`EquationNeuron._packed`)
PACK = "_pack"
#: constants that are step counts (never packed with the floats)
_INTEGER_CONSTANTS = ("_ref_steps",)


@dataclass(frozen=True)
class ModelInfo:
    """What the analysis of a model text found, and the code it generated.

    Attributes
    ----------
    equations : str
        The model text as given.
    method : str
        The integration method (``"exact"``, ``"exponential_euler"``, ``"euler"``, ``"heun"``,
        ``"rk2"``, ``"rk4"`` or ``"rkf45"``).
    reason : str
        Why this method (``"requested"`` when ``method=`` chose it).
    linear_block : tuple of str
        Variables propagated exactly inside a Runge-Kutta step (empty otherwise).
    parameters : tuple of (str, str)
        Parameter names and their units.
    shared : tuple of str
        Parameters flagged ``(shared)``: one value for all neurons.
    source : str
        The generated module's body (step function, constants, initial values).
    arguments : tuple of str
        The step function's arguments.
    from_cache : bool
        Whether the analysis came from the on-disk cache (no sympy in this process).
    analysis_s : float
        Seconds spent reading, analysing and generating (or loading them from the cache).
    """

    equations: str
    method: str
    reason: str
    linear_block: tuple[str, ...]
    parameters: tuple[tuple[str, str], ...]
    shared: tuple[str, ...]
    source: str
    arguments: tuple[str, ...]
    from_cache: bool
    analysis_s: float


#: :meth:`EquationNeuron._constant_names` by model class and packed constants
_CONSTANT_NAMES: dict[tuple[type, tuple[str, ...]], list[str]] = {}


class EquationNeuron(NeuronModel):
    """Base class of the neuron models made by :func:`neuron_model`.

    A subclass is a frozen keyword-only dataclass of the parameters declared in its equations
    (floats or per-neuron arrays, in SI units), validated on construction; :attr:`info`
    describes its analysis.
    """

    #: the analysis of the model text and the generated code
    info: ClassVar[ModelInfo]
    _module: ClassVar[ModuleType]
    _spec: ClassVar[dict[str, Any]]
    _units: ClassVar[dict[str, str]]

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            unit = self._units[f.name]
            require_finite(f.name, value, unit)
            ndim = np.ndim(value)
            if ndim > 1:
                raise ConfigurationError(
                    f"`{f.name}` must be a number or a 1-D array (one value per neuron), got "
                    f"an array of shape {np.shape(value)}."
                )
            if ndim == 1 and f.name in self.info.shared:
                raise ConfigurationError(
                    f"`{f.name}` is declared (shared): give one value for all neurons, got an "
                    f"array of {np.shape(value)[0]}."
                )
            if unit == "s":
                warn_time_constant(f.name, value)
            elif unit == "V":
                warn_voltage(f.name, value)

    def nonfinite_hint(self) -> str:
        """For ``rkf45``: its substep limit ends a step with NaN."""
        if self.info.method != "rkf45":
            return ""
        return (
            f"Method 'rkf45' ends a step with NaN when it needs more than {RKF_MAX_SUBSTEPS:,} "
            "substeps to meet its tolerance: a variable grows by orders of magnitude within the "
            "step (bound it in the equations, as NEST's aeif models use min(v, V_peak) wherever "
            "they read v) or the system is stiff (a smaller dt, or a looser `tolerance`)."
        )

    def parameter_values(self) -> dict[str, Any]:
        """The parameters by name (floats or per-neuron arrays)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def constants(self, dt: float) -> dict[str, Any]:
        """The step's constants for time step ``dt`` [s] (computed by the generated module)."""
        return self._pack(self._raw_constants(dt))

    def _constant_names(self, dt: float) -> list[str]:
        """The names :meth:`constants` gives, without computing the values.

        The engine checks the step function's arguments against them at every ``set``; with
        per-neuron parameters the values take one matrix exponential per neuron, so the names
        are read from the constants of the first neuron's parameters, once per class and
        packing (they depend on nothing else).
        """
        key = (type(self), self._packed())
        names = _CONSTANT_NAMES.get(key)
        if names is None:
            names = _CONSTANT_NAMES[key] = self._computed_constant_names(dt)
        return list(names)

    def _computed_constant_names(self, dt: float) -> list[str]:
        first = {
            k: np.asarray(v).ravel()[0] if np.ndim(v) else v
            for k, v in self.parameter_values().items()
        }
        try:
            with np.errstate(all="ignore"):
                raw = self._module.constants(first, dt)
        except (ArithmeticError, ValueError):
            raw = self.constants(dt)  # says what fails, for all neurons
        return list(self._pack(dict.fromkeys(raw, 0.0)))

    def _pack(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with the constants of :meth:`_packed` moved into one tuple.

        Those that a derived value's function also reads stay under their names too.
        """
        packed = self._packed()
        if packed:
            values[PACK] = tuple(values[c] for c in packed)
            read = {a for _, _, args, _ in self._spec["derived"] for a in args}
            for c in packed:
                if c not in read:
                    del values[c]
        return values

    def derived_variables(self) -> dict[str, Derived]:
        """The subexpressions, which a state monitor records like state variables.

        Each is computed from the sampled state, the parameters and the sample's time. One that
        depends on a current input or on ``not_refractory`` says why it cannot be recorded.
        """
        out = {}
        for name, unit, args, why in self._spec["derived"]:
            fn = None if why else getattr(self._module, f"derived_{name}")
            out[name] = Derived(unit, fn, tuple(args), refusal=why)
        return out

    def _raw_constants(self, dt: float) -> dict[str, Any]:
        """The generated ``constants``; an expression that fails names itself and the values."""
        try:
            return self._module.constants(self.parameter_values(), dt)
        except (ArithmeticError, ValueError) as exc:
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            line = _generated_line(self._module, lineno=tb.tb_lineno if tb is not None else 0)
            raise ConfigurationError(
                f"{type(self).__name__}: a constant of its step cannot be computed for dt = {dt} "
                f"s and {self._shown_parameters()}: {line or 'an expression'} fails ({exc}). "
                "The model's expressions divide by zero or leave their domain for these values."
            ) from None

    def checked_constants(self, dt: float) -> dict[str, Any]:
        """:meth:`constants`, refusing one that is not finite (naming its expression)."""
        with np.errstate(all="ignore"):
            raw = self._raw_constants(dt)
        for name, value in raw.items():
            if not np.all(np.isfinite(np.asarray(value, dtype=np.float64))):
                line = _generated_line(self._module, name=name)
                raise ConfigurationError(
                    f"{type(self).__name__}: the constant {line or '`' + name + '`'} is not "
                    f"finite for dt = {dt} s and {self._shown_parameters()}; the model's "
                    "expressions divide by zero or overflow for these values, or a time "
                    "constant is far below dt."
                )
        return self._pack(raw)

    def _shown_parameters(self) -> str:
        shown = [
            f"{k} = {float(v):.6g}" if np.ndim(v) == 0 else f"{k} = (per neuron)"
            for k, v in self.parameter_values().items()
            if k in self._units
        ]
        return "parameters " + ", ".join(shown) if shown else "no parameters"

    def step_function(self) -> Callable[..., Any]:
        """The generated step function (see :attr:`ModelInfo.source`)."""
        return _variant(self._spec, self._module, self._packed()).step

    def _packed(self) -> tuple[str, ...]:
        """Constants passed in one tuple argument.

        None when the step has at most :data:`MAX_ARGUMENTS` arguments, else every float
        constant that is homogeneous in this instance.
        """
        spec = self._spec
        if len(spec["arguments"]) <= MAX_ARGUMENTS:
            return ()
        arrays = {p for p in self._units if np.ndim(getattr(self, p)) > 0}
        packed = tuple(
            c
            for c in spec["constants"]
            if c not in _INTEGER_CONSTANTS and not set(spec["depends"][c]) & arrays
        )
        if len(spec["arguments"]) - len(packed) + 1 > MAX_ARGUMENTS:
            raise ConfigurationError(
                f"{type(self).__name__}: with {len(arrays)} per-neuron parameters the step "
                f"function needs more than {MAX_ARGUMENTS} arguments, the most numba can "
                "inline; give some of them one value for all neurons."
            )
        return packed

    def initial_state(self) -> dict[str, Any]:
        """Default initial values: the model's ``initial`` values, 0 for the others."""
        return self._module.initial(self.parameter_values())


def _check_argument_count(name: str, spec: dict[str, Any]) -> None:
    """Refuse a model whose step needs too many arguments even with every constant packed."""
    packable = [c for c in spec["constants"] if c not in _INTEGER_CONSTANTS]
    needed = len(spec["arguments"]) - len(packable) + (1 if packable else 0)
    if needed > MAX_ARGUMENTS:
        raise ConfigurationError(
            f"{name}: its step function needs {needed} arguments ({len(spec['state'])} state "
            f"variables and {needed - len(spec['state'])} others), more than the "
            f"{MAX_ARGUMENTS} numba inlines; split the model into populations with fewer state "
            "variables each (coupled through summed variables)."
        )


def neuron_model(
    name: str,
    equations: str,
    *,
    threshold: str | None = None,
    reset: str | None = None,
    refractory: float | str | None = None,
    on_spike: Mapping[str, str] | None = None,
    currents: Iterable[str] = (),
    initial: Mapping[str, float | str] | None = None,
    method: str | None = None,
    tolerance: float = 1e-6,
    every_step: str | None = None,
    defaults: Mapping[str, Any] | None = None,
    module: str | None = None,
) -> type[EquationNeuron]:
    """A neuron model class from equations (Brian2's syntax; see the guide page).

    Parameters
    ----------
    name
        Name of the class (as you assign it: a checkpoint names the class by its module and
        this name, and ``snn.io.load(path, models=[TheClass])`` matches it).
    equations
        Differential equations, subexpressions and parameters, one per logical line:
        ``dv/dt = (E_L - v) / tau_m : volt (unless refractory)``, ``I = g * (E - v) : amp``,
        ``tau_m : second``. Parameters become the class's fields.
    threshold
        Spike condition on the state after the step, e.g. ``"v > V_th"``.
    reset
        Statements applied when the neuron spikes, e.g. ``"v = V_reset; w += b"``.
    refractory
        A period [s] (a number, or an expression of parameters such as ``"t_ref"``), or a
        condition: the neuron stays refractory while it holds (``"v > -40*mV"``). While
        refractory no spike is emitted and variables flagged ``(unless refractory)`` are held.
    on_spike
        The receptors: receptor name -> statements applying the summed weight of the spikes
        arriving during a step, written ``w`` (``weight`` in a model that has its own ``w``),
        e.g. ``{"exc": "g_e += w", "inh": "g_i += w"}``. The weight's unit follows from the
        statement. The statements may change several variables, one after the other
        (``"s += w * (k0 + k1 * x); x += w"``), each linearly in ``w`` and leaving every variable
        as it is at ``w = 0``: the spikes of one step arrive as the sum of their weights.
    currents
        Names declared in the equations like parameters (``I_inj : amp``) that current sources
        (:mod:`snn.neurons` drives) feed: receptors of kind ``"current"``, held over each step.
    initial
        Default initial values of state variables: numbers [SI] or expressions of parameters
        (``{"v": "E_L"}``); 0 otherwise.
    method
        Integration method; None chooses (exact, exponential Euler, RK4; Euler-Maruyama or Heun
        for noise). ``"exact"``, ``"exponential_euler"``, ``"euler"``, ``"heun"``, ``"rk2"``,
        ``"rk4"``, ``"rkf45"``.
    tolerance
        Local error tolerance of ``"rkf45"`` per substep, in units of 1 mV, 1 pA, 1 nS, 1 pF,
        1 ms (NEST's ``gsl_error_tol``) or 1 for other variables [1].
    every_step
        Statements run at the start of every step, before the integration, whether or not the
        neuron is refractory (Brian2's ``G.run_regularly(code)`` at every step, ``when="start"``;
        the clamps NEST's models apply after each step, ``"m = minimum(m, m_inf)"``). They may
        change state variables and read ``t`` (the step's start), parameters, subexpressions
        and ``rand()``; a monitor's sample of a step is taken before the next step's
        statements.
    defaults
        Default values of parameters; parameters without one must be given when the model is
        created.
    module
        Module the class claims to live in (default: the caller's).

    Returns
    -------
    type
        A subclass of :class:`EquationNeuron`.

    Raises
    ------
    EquationError
        For an error in any of the texts, with its line and column.
    """
    if not name.isidentifier():
        raise ConfigurationError(f"`name` must be a Python identifier, got {name!r}.")
    if on_spike is not None and not isinstance(on_spike, Mapping):
        raise ConfigurationError(
            f"`on_spike` must map receptor names to statements, got {on_spike!r:.60}."
        )
    texts = {"equations": equations, "threshold": threshold, "reset": reset}
    texts |= {"every_step": every_step}
    texts |= {f"on_spike[{k!r}]": v for k, v in (on_spike or {}).items()}
    for what, value in texts.items():
        require_text(what, value, required=what == "equations")
    text = ModelText(
        equations=equations,
        threshold=threshold,
        reset=reset,
        refractory=refractory,
        on_spike=tuple((str(k), str(v)) for k, v in (on_spike or {}).items()),
        currents=tuple(currents),
        initial=tuple((str(k), v) for k, v in (initial or {}).items()),
        method=method,
        tolerance=float(tolerance),
        every_step=every_step,
    )
    spec, seconds, cached = cached_spec(text, _analyse)
    info = ModelInfo(
        equations=text.equations,
        method=spec["method"],
        reason=spec["reason"],
        linear_block=tuple(spec["linear_block"]),
        parameters=tuple((p, u) for p, u, _ in spec["parameters"]),
        shared=tuple(spec["shared"]),
        source=spec["body"],
        arguments=tuple(spec["arguments"]),
        from_cache=cached,
        analysis_s=seconds,
    )
    _check_argument_count(name, spec)
    mod = load_module("snn_eq", spec["body"], runtime_imports())
    return _make_class(name, spec, info, mod, defaults or {}, module or caller_module())


def _make_class(
    name: str,
    spec: dict[str, Any],
    info: ModelInfo,
    mod: ModuleType,
    defaults: Mapping[str, Any],
    module: str,
) -> type[EquationNeuron]:
    params = [p for p, _, _ in spec["parameters"]]
    namespace = {
        "info": info,
        "_module": mod,
        "_spec": spec,
        "_units": {p: sym for p, _, sym in spec["parameters"]},
        "state_vars": tuple(StateVar(n, u, d) for n, u, d in spec["state"]),
        "receptors": tuple(Receptor(n, u, 0, "", k) for n, u, k in spec["receptors"]),
        "receptor_variables": dict(spec["receptor_variables"]),
        "__doc__": _docstring(name, spec, info),
        "__module__": module,
        "__qualname__": name,
    }
    cls = dataclasses.make_dataclass(
        name,
        fields(params, defaults, EquationNeuron),
        bases=(EquationNeuron,),
        namespace=namespace,
        frozen=True,
        kw_only=True,
    )
    cls.__module__ = module
    return cls


def _docstring(name: str, spec: dict[str, Any], info: ModelInfo) -> str:
    lines = [f"{name}: a neuron model from equations ({info.method}).", "", "Equations::", ""]
    lines += ["    " + line.strip() for line in info.equations.strip().splitlines()]
    lines += ["", "Parameters", "----------"]
    for p, unit, _ in spec["parameters"]:
        lines += [p, f"    [{unit}]"]
    return "\n".join(lines)


def _variant(spec: dict[str, Any], module: ModuleType, packed: tuple[str, ...]) -> ModuleType:
    """The generated module, or a copy whose step reads ``packed`` from one tuple argument."""
    if not packed:
        return module
    lines = spec["body"].split("\n")
    head = next(k for k, line in enumerate(lines) if line.startswith("def step("))
    args = [a for a in spec["arguments"] if a not in packed] + [PACK]
    lines[head] = f"def step({', '.join(args)}):"
    unpack = [f"    {c} = {PACK}[{k}]" for k, c in enumerate(packed)]
    lines[head + 2 : head + 2] = unpack  # after the docstring
    return load_module("snn_eq", "\n".join(lines), runtime_imports())


# ---- the analysis


def _analyse(text: Any) -> dict[str, Any]:
    """Analyse and generate (imports sympy): the JSON-able spec of the model."""
    from snn.equations._analysis import analyse, receptor_variables
    from snn.equations._codegen import generate
    from snn.equations._methods import choose_method

    an = analyse(text)
    method, chosen = choose_method(an)
    gen = generate(an, method, chosen)
    state = [(x, an.dims[x].symbol(), "float") for x in an.state]
    if an.refractory_kind != "none":
        state.append(("refr", "steps", "int"))
    receptors = [(r, an.receptor_dims[r].symbol(), "spike") for r in an.on_spike]
    receptors += [(c, an.dims[c].symbol(), "current") for c in an.currents]
    return {
        "parameters": [(p, str(an.dims[p]), an.dims[p].symbol()) for p in an.parameters],
        "shared": sorted(an.shared),
        "state": state,
        "receptors": receptors,
        "receptor_variables": receptor_variables(an),
        "method": method,
        "reason": gen.reason,
        "linear_block": gen.linear_block,
        "arguments": gen.arguments,
        "constants": gen.constants,
        "depends": gen.depends,
        "derived": [(n, an.dims[n].symbol(), args, why) for n, args, why in gen.derived],
        "body": gen.body,
    }


def _generated_line(module: ModuleType, *, lineno: int = 0, name: str = "") -> str:
    """A line ``name = expression`` of a generated module, in backticks, or ''.

    Line ``lineno``, or with ``name`` the line that computes that constant.
    """
    lines = [t.strip() for t in linecache.getlines(getattr(module, "__file__", "") or "")]
    if name:
        found = [t for t in lines if t.startswith(f"{name} = ")]
    else:
        found = lines[lineno - 1 : lineno] if lineno > 0 else []
    found = [t for t in found if " = " in t]
    return f"`{found[0]}`" if found else ""
