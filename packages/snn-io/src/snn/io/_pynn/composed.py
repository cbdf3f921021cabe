r"""PyNN's composed point neurons (``PointNeuron``) on snn's equation models.

A PyNN 0.13 script may compose a point neuron from a membrane model and post-synaptic responses
it names itself::

    sim.PointNeuron(sim.AdExp(tau_m=10.0), AMPA=sim.AlphaPSR(tau_syn=1.0, e_syn=0.0),
                    GABAA=sim.AlphaPSR(tau_syn=1.5, e_syn=-70.0))

and projections then pick a response with ``receptor_type="AMPA"``. Here the composition becomes
the text of a neuron model in Brian2's equation syntax, in SI units, compiled by
:func:`snn.equations.neuron_model` (one class per kind of composition, kept for the process);
each named response is a receptor of that model, so a receptor name of the composition is a
valid ``receptor_type`` and its variables (``"AMPA.gsyn"``) can be recorded and initialised.

Membranes (``C_m = cm``, ``g_L = cm / tau_m``; ``I_syn`` is the sum of the responses' currents,
``I`` the current sources')::

    LIF:    C_m dV/dt = g_L (E_L - V) + I_syn + I_e + I                  (V held while refractory)
            spike when V >= V_th; V = V_reset; refractory for t_ref
    AdExp:  C_m dV/dt = g_L (E_L - V') + g_L Delta_T exp((V' - V_th) / Delta_T) - w
                        + I_syn + I_e + I,            V' = min(V, V_peak)
            tau_w dw/dt = a (V' - E_L) - w
            spike when V >= V_peak; V = V_reset, w += b; refractory for t_ref

Responses (weight ``q`` of the spikes arriving in a step)::

    CurrExpPostSynapticResponse:   dI/dt = -I / tau_syn,               I += q   (q in A, any sign)
    CondExpPostSynapticResponse:   dg/dt = -g / tau_syn,               g += q   (q in S, >= 0)
    CondAlphaPostSynapticResponse: dg/dt = (e y - g) / tau_syn,
                                   dy/dt = -y / tau_syn,               y += q
    CondBetaPostSynapticResponse:  dg/dt = h - g / tau_decay,
                                   dh/dt = -h / tau_rise,              h += q g0

with the current ``g (E_syn - V)`` of a conductance (``V'`` for AdExp). An alpha conductance
peaks at ``q`` after ``tau_syn``; a beta conductance at ``q`` too (``g0``: NEST's
``beta_normalization_factor``, the alpha limit when the time constants are equal). These are
NEST's multisynapse models (``iaf_psc_exp_multisynapse``, ``aeif_cond_alpha_multisynapse``,
``aeif_cond_beta_multisynapse``: ``models/*.cpp``), which PyNN's NEST backend uses, and PyNN's
Brian2 backend's equations (``pyNN/brian2/standardmodels/receptors.py``).

Integration (chosen per membrane, as snn's built-in models of the same family):

* LIF with current responses: linear, integrated exactly (snn's matrix exponential of the
  system, NEST's exact integration); the same trajectories as ``IF_curr_exp`` to round-off.
* LIF with conductances: RK4 with the conductances propagated exactly, as snn's
  ``LIFCondExp`` / ``LIFCondAlpha`` (``IF_cond_exp`` / ``IF_cond_alpha``).
* AdExp: RKF45 with adaptive substeps and NEST's error tolerance (``gsl_error_tol`` 1e-6), as
  NEST's ``aeif_*_multisynapse``; the spike is taken and reset at the end of the step in which
  ``V`` reached ``V_peak`` (NEST resets at the crossing inside the step).

Refused, with the reason: membranes other than LIF and AdExp, responses of other backends or
types, current and conductance responses mixed in one neuron (PyNN's own rule), receptor names
that are not ASCII identifiers or that would collide with the model's variables, and parameter
values snn cannot integrate (time constants <= 0, ``delta_T <= 0``, ``v_spike < v_thresh``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from copy import deepcopy
from typing import Any, ClassVar

import numpy as np
from pyNN import errors
from pyNN.parameters import LazyArray, ParameterSpace
from pyNN.standardmodels import build_translations, cells, receptors

from snn.core import Model
from snn.equations import neuron_model
from snn.io._pynn.cells import _LEAKY as _CELL_LEAKY
from snn.io._pynn.cells import _TAU_M, MV, NA, NS, US, SnnCellType, _renamed
from snn.io._pynn.simulator import MS

__all__ = [
    "LIF",
    "AdExp",
    "AlphaPSR",
    "BetaPSR",
    "CondAlphaPostSynapticResponse",
    "CondBetaPostSynapticResponse",
    "CondExpPostSynapticResponse",
    "CurrExpPostSynapticResponse",
    "ExpPSR",
    "PointNeuron",
]

#: NEST's ``gsl_error_tol`` of the aeif models (RKF45 local error per substep, 1 mV / 1 pA units)
_RKF45_TOLERANCE = 1e-6


# ---- membranes ----------------------------------------------------------------------------


class _Membrane:
    """What a membrane adds: its equations (SI), state translations and parameter checks."""

    #: equation text; ``{i_syn}`` is replaced by the sum of the responses' currents
    equations: ClassVar[str]
    threshold: ClassVar[str]
    reset: ClassVar[str]
    #: the membrane potential as the responses' currents see it
    v_syn: ClassVar[str] = "v"
    #: name of the weight in ``on_spike`` statements (``weight`` when the model has a ``w``)
    weight_name: ClassVar[str] = "w"
    #: method for current responses and for conductances
    methods: ClassVar[tuple[str | None, str | None]]
    #: SI value of the unit of each native parameter
    si_scale: ClassVar[Mapping[str, float]]
    translations: ClassVar[dict[str, dict[str, Any]]]
    state_variable_translations: ClassVar[dict[str, dict[str, Any]]]

    def equation_parameters(self, native: Mapping[str, Any]) -> dict[str, Any]:
        """The equation parameters [SI] from native values (PyNN's units, snn's names)."""
        return {name: _times(value, self.si_scale.get(name, 1.0)) for name, value in native.items()}

    def check(self, native: Mapping[str, Any]) -> None:
        """Refuse values snn cannot integrate (PyNN's names and units in the message)."""
        _require(native, "tau_m", "tau_m", "ms", positive=True)
        _require(native, "c_m", "cm", "nF", positive=True)
        _require(native, "t_ref", "tau_refrac", "ms", positive=False)


#: the leaky membrane's parameters, as pyNN.snn's standard cells translate them
_LEAKY = (*_CELL_LEAKY, _TAU_M)


class LIF(_Membrane, cells.LIF):
    __doc__ = cells.LIF.__doc__
    translations, si_scale = _renamed(*_LEAKY)
    state_variable_translations = build_translations(("v", "v", MV))
    equations = """
    dv/dt = (e_l - v) / tau_m + ({i_syn} + i_e + current) / c_m : volt (unless refractory)
    tau_m : second
    c_m : farad
    e_l : volt
    v_th : volt
    v_reset : volt
    t_ref : second
    i_e : amp
    current : amp
    """
    threshold = "v >= v_th"
    reset = "v = v_reset"
    methods = ("exact", "rk4")


class AdExp(_Membrane, cells.AdExp):
    __doc__ = cells.AdExp.__doc__
    translations, si_scale = _renamed(
        *_LEAKY,
        ("v_spike", "v_peak", MV),
        ("a", "a", NS),
        ("b", "b", NA),
        ("delta_T", "delta_t", MV),
        ("tau_w", "tau_w", MS),
    )
    state_variable_translations = build_translations(("v", "v", MV), ("w", "w", NA))
    equations = """
    dv/dt = (g_l * (e_l - v_c) + g_l * delta_t * exp((v_c - v_th) / delta_t) - w
             + {i_syn} + i_e + current) / c_m : volt (unless refractory)
    dw/dt = (a * (v_c - e_l) - w) / tau_w : amp
    v_c = minimum(v, v_peak) : volt
    c_m : farad
    g_l : siemens
    e_l : volt
    v_th : volt
    delta_t : volt
    tau_w : second
    a : siemens
    b : amp
    v_peak : volt
    v_reset : volt
    t_ref : second
    i_e : amp
    current : amp
    """
    threshold = "v >= v_peak"
    reset = "v = v_reset; w += b"
    v_syn = "v_c"
    weight_name = "weight"
    methods = ("rkf45", "rkf45")

    def equation_parameters(self, native: Mapping[str, Any]) -> dict[str, Any]:
        args = super().equation_parameters(native)
        args["g_l"] = _ratio(args["c_m"], args.pop("tau_m"))
        return args

    def check(self, native: Mapping[str, Any]) -> None:
        super().check(native)
        _require(native, "tau_w", "tau_w", "ms", positive=True)
        _require(native, "delta_t", "delta_T", "mV", positive=True, hint=" (use LIF for 0)")
        peak, th, reset = (np.asarray(native[k]) for k in ("v_peak", "v_th", "v_reset"))
        if np.any(peak < th) or np.any(reset >= peak):
            raise errors.InvalidParameterValueError(
                "AdExp needs v_thresh <= v_spike and v_reset < v_spike (NEST's aeif models), got "
                f"v_thresh={native['v_th']}, v_spike={native['v_peak']}, "
                f"v_reset={native['v_reset']} mV."
            )
        # NEST's guard: exp((V_peak - V_th) / Delta_T) must not overflow
        if np.any((peak - th) / np.asarray(native["delta_t"]) >= 700.0):
            raise errors.InvalidParameterValueError(
                "AdExp: (v_spike - v_thresh) / delta_T must be < 700 (exp overflows), got "
                f"v_spike={native['v_peak']}, v_thresh={native['v_th']}, "
                f"delta_T={native['delta_t']} mV."
            )


# ---- post-synaptic responses ------------------------------------------------------------


class _Response:
    """What a response adds: its equations for one receptor name ``r``, and its parameters.

    The equation parameters are ``<name>_<r>`` for each PyNN parameter (``tau_syn_AMPA``).
    """

    conductance_based: ClassVar[bool]
    recordable: ClassVar[list[str]]
    #: PyNN parameter -> (SI value of its unit, its unit's name, must be > 0)
    parameter_units: ClassVar[Mapping[str, tuple[float, str, bool]]]
    #: PyNN state variable -> (equation variable prefix, SI value of its unit)
    state_units: ClassVar[Mapping[str, tuple[str, float]]]
    #: shape tag in the model's class name
    tag: ClassVar[str]

    def parts(self, r: str, v: str, weight: str) -> tuple[str, str, str]:
        """(equations, synaptic current term, on_spike statement) of receptor ``r``."""
        raise NotImplementedError

    def variables(self, r: str) -> list[str]:
        """Names this response adds to the model for receptor ``r``."""
        states = [f"{prefix}_{r}" for prefix in self.extra_states] + [
            f"{prefix}_{r}" for prefix, _ in self.state_units.values()
        ]
        return states + [f"{p}_{r}" for p in self.parameter_units] + list(self.extra_parameters(r))

    extra_states: ClassVar[tuple[str, ...]] = ()

    def extra_parameters(self, r: str) -> dict[str, Any]:
        return {}

    def equation_parameters(self, r: str, native: Mapping[str, Any]) -> dict[str, Any]:
        """Equation parameters [SI] of receptor ``r`` from its native values (PyNN's units)."""
        args = {}
        for p, (scale, unit, positive) in self.parameter_units.items():
            _require(native, p, f"{r}.{p}", unit, positive=positive)
            args[f"{p}_{r}"] = _times(native[p], scale)
        return args

    def state_translations(self, r: str) -> dict[str, dict[str, Any]]:
        return build_translations(
            *(
                (f"{r}.{var}", f"{prefix}_{r}", scale)
                for var, (prefix, scale) in self.state_units.items()
            )
        )


class CurrExpPostSynapticResponse(_Response, receptors.CurrExpPostSynapticResponse):
    __doc__ = receptors.CurrExpPostSynapticResponse.__doc__
    recordable: ClassVar[list[str]] = ["isyn"]
    parameter_units: ClassVar[Mapping[str, tuple[float, str, bool]]] = {"tau_syn": (MS, "ms", True)}
    state_units: ClassVar[Mapping[str, tuple[str, float]]] = {"isyn": ("i", NA)}
    tag = "ie"

    def parts(self, r: str, v: str, weight: str) -> tuple[str, str, str]:
        return (
            f"di_{r}/dt = -i_{r} / tau_syn_{r} : amp\ntau_syn_{r} : second",
            f"i_{r}",
            (f"i_{r} += {weight}"),
        )


_COND_UNITS = {"tau_syn": (MS, "ms", True), "e_syn": (MV, "mV", False)}


class CondExpPostSynapticResponse(_Response, receptors.CondExpPostSynapticResponse):
    __doc__ = receptors.CondExpPostSynapticResponse.__doc__
    recordable: ClassVar[list[str]] = ["gsyn"]
    parameter_units: ClassVar[Mapping[str, tuple[float, str, bool]]] = _COND_UNITS
    state_units: ClassVar[Mapping[str, tuple[str, float]]] = {"gsyn": ("g", US)}
    tag = "ge"

    def parts(self, r: str, v: str, weight: str) -> tuple[str, str, str]:
        eqs = f"dg_{r}/dt = -g_{r} / tau_syn_{r} : siemens\ntau_syn_{r} : second\ne_syn_{r} : volt"
        return eqs, f"g_{r} * (e_syn_{r} - {v})", f"g_{r} += {weight}"


class CondAlphaPostSynapticResponse(_Response, receptors.CondAlphaPostSynapticResponse):
    __doc__ = receptors.CondAlphaPostSynapticResponse.__doc__
    recordable: ClassVar[list[str]] = ["gsyn"]
    parameter_units: ClassVar[Mapping[str, tuple[float, str, bool]]] = _COND_UNITS
    state_units: ClassVar[Mapping[str, tuple[str, float]]] = {"gsyn": ("g", US)}
    extra_states = ("y",)
    tag = "ga"

    def parts(self, r: str, v: str, weight: str) -> tuple[str, str, str]:
        eqs = (
            f"dg_{r}/dt = (e * y_{r} - g_{r}) / tau_syn_{r} : siemens\n"
            f"dy_{r}/dt = -y_{r} / tau_syn_{r} : siemens\n"
            f"tau_syn_{r} : second\ne_syn_{r} : volt"
        )
        return eqs, f"g_{r} * (e_syn_{r} - {v})", f"y_{r} += {weight}"


class CondBetaPostSynapticResponse(_Response, receptors.CondBetaPostSynapticResponse):
    __doc__ = receptors.CondBetaPostSynapticResponse.__doc__
    recordable: ClassVar[list[str]] = ["gsyn"]
    parameter_units: ClassVar[Mapping[str, tuple[float, str, bool]]] = {
        "tau_rise": (MS, "ms", True),
        "tau_decay": (MS, "ms", True),
        "e_syn": (MV, "mV", False),
    }
    state_units: ClassVar[Mapping[str, tuple[str, float]]] = {"gsyn": ("g", US)}
    extra_states = ("h",)
    tag = "gb"

    def parts(self, r: str, v: str, weight: str) -> tuple[str, str, str]:
        eqs = (
            f"dg_{r}/dt = h_{r} - g_{r} / tau_decay_{r} : siemens\n"
            f"dh_{r}/dt = -h_{r} / tau_rise_{r} : siemens / second\n"
            f"tau_rise_{r} : second\ntau_decay_{r} : second\ne_syn_{r} : volt\n"
            f"g0_{r} : hertz"
        )
        return eqs, f"g_{r} * (e_syn_{r} - {v})", f"h_{r} += {weight} * g0_{r}"

    def extra_parameters(self, r: str) -> dict[str, Any]:
        return {f"g0_{r}": None}

    def equation_parameters(self, r: str, native: Mapping[str, Any]) -> dict[str, Any]:
        args = super().equation_parameters(r, native)
        args[f"g0_{r}"] = _beta_factor(args[f"tau_rise_{r}"], args[f"tau_decay_{r}"])
        return args


AlphaPSR = CondAlphaPostSynapticResponse
ExpPSR = CondExpPostSynapticResponse
BetaPSR = CondBetaPostSynapticResponse

_MEMBRANES = (LIF, AdExp)
_RESPONSES = (
    CurrExpPostSynapticResponse,
    CondExpPostSynapticResponse,
    CondAlphaPostSynapticResponse,
    CondBetaPostSynapticResponse,
)


def _beta_factor(tau_rise: Any, tau_decay: Any) -> Any:
    """NEST's ``beta_normalization_factor`` [1/s]: the jump of ``h`` that makes g peak at 1.

    ``libnestutil/beta_normalization_factor.h``: ``(1/tau_rise - 1/tau_decay) / (exp(-t_p /
    tau_decay) - exp(-t_p / tau_rise))`` at the peak time ``t_p``; ``e / tau_decay`` (the alpha
    function's) when the time constants are equal to machine precision.
    """
    rise = np.asarray(tau_rise, dtype=np.float64)
    decay = np.asarray(tau_decay, dtype=np.float64)
    rise, decay = np.broadcast_arrays(rise, decay)
    out = np.e / decay
    diff = decay - rise
    eps = np.finfo(np.float64).eps
    distinct = np.abs(diff) > eps
    with np.errstate(divide="ignore", invalid="ignore"):
        t_peak = np.where(
            distinct, decay * rise * np.log(decay / rise) / np.where(distinct, diff, 1), 0
        )
        peak = np.where(distinct, np.exp(-t_peak / decay) - np.exp(-t_peak / rise), 0.0)
        beta = (1.0 / rise - 1.0 / decay) / np.where(np.abs(peak) >= eps, peak, 1.0)
    out = np.where(np.abs(peak) >= eps, beta, out)
    return float(out) if out.ndim == 0 else out


# ---- the composed cell type ---------------------------------------------------------------


class PointNeuron(SnnCellType, cells.PointNeuron):
    """A point neuron composed of a membrane (LIF, AdExp) and named post-synaptic responses.

    PyNN's ``PointNeuron``: ``PointNeuron(AdExp(...), AMPA=AlphaPSR(...), ...)``. Its receptor
    types are the names given; parameters of a response are read and set as
    ``"AMPA.tau_syn"``, its state as ``"AMPA.gsyn"`` (``"AMPA.isyn"`` for currents). The snn
    model is built from equations (see :mod:`snn.io._pynn.composed`).
    """

    def __init__(self, neuron: Any, **post_synaptic_receptors: Any) -> None:
        if not isinstance(neuron, _MEMBRANES):
            raise errors.NoModelAvailableError(
                "pyNN.snn composes a PointNeuron from LIF or AdExp (pyNN.snn's), got "
                f"{type(neuron).__module__}.{type(neuron).__name__}."
            )
        for name, psr in post_synaptic_receptors.items():
            if not isinstance(psr, _RESPONSES):
                raise errors.NoModelAvailableError(
                    f"PointNeuron receptor {name!r}: pyNN.snn has CurrExpPostSynapticResponse, "
                    "CondExpPostSynapticResponse (ExpPSR), CondAlphaPostSynapticResponse "
                    "(AlphaPSR) and CondBetaPostSynapticResponse (BetaPSR) of pyNN.snn, got "
                    f"{type(psr).__module__}.{type(psr).__name__}."
                )
        kinds = {psr.conductance_based for psr in post_synaptic_receptors.values()}
        if len(kinds) > 1:
            shown = {n: type(p).__name__ for n, p in post_synaptic_receptors.items()}
            raise errors.NoModelAvailableError(
                "PointNeuron cannot mix current-based and conductance-based responses (PyNN's "
                f"rule: its weights are in nA or in uS, one unit per neuron), got {shown}."
            )
        _check_names(neuron, post_synaptic_receptors)
        cells.PointNeuron.__init__(self, neuron, **post_synaptic_receptors)
        self._conductance = kinds == {True}
        self.weight_scale = US if self._conductance else NA
        self.receptor_map = {name: name for name in self.receptor_types}
        translations = dict(neuron.state_variable_translations)
        for name, psr in post_synaptic_receptors.items():
            translations.update(psr.state_translations(name))
        self.state_variable_translations = translations

    # -- PyNN's view of the parameters (flat: membrane names, and "AMPA.tau_syn") ------------
    @property
    def conductance_based(self) -> bool:  # type: ignore[override]
        return self._conductance

    def computed_parameters(self) -> list[str]:
        return []

    def computed_parameters_include(self, parameter_names: Any) -> bool:
        return False

    def _split(self, name: str) -> tuple[str, str] | None:
        """``(receptor, parameter)`` of a response parameter ``"AMPA.tau_syn"``; None otherwise."""
        if "." not in name:
            return None
        receptor, _, parameter = name.partition(".")
        psr = self.post_synaptic_receptors.get(receptor)
        if psr is None or parameter not in psr.default_parameters or parameter == "locations":
            raise errors.NonExistentParameterError(name, self, self._parameter_names())
        return receptor, parameter

    def _parameter_names(self) -> list[str]:
        return list(self.neuron.default_parameters) + [
            f"{r}.{p}"
            for r, psr in self.post_synaptic_receptors.items()
            for p in psr.default_parameters
            if p != "locations"
        ]

    def get_native_names(self, *names: str) -> list[str]:
        if not names:
            names = tuple(self._parameter_names())
        out = []
        for name in names:
            if self._split(name) is not None:
                out.append(name)
            elif name in self.neuron.translations:
                out.append(self.neuron.translations[name]["translated_name"])
            else:
                raise errors.NonExistentParameterError(name, self, self._parameter_names())
        return out

    def translate(self, parameters: ParameterSpace, copy: bool = True) -> ParameterSpace:
        names = list(parameters.keys())
        native = dict(
            zip(self.get_native_names(*names), (parameters[n] for n in names), strict=True)
        )
        return ParameterSpace(deepcopy(native) if copy else native, shape=parameters.shape)

    def reverse_translate(self, native_parameters: ParameterSpace) -> ParameterSpace:
        back = {tr["translated_name"]: name for name, tr in self.neuron.translations.items()}
        out = {}
        for name in native_parameters.keys():  # noqa: SIM118 - a ParameterSpace
            out[back.get(name, name)] = native_parameters[name]
        return ParameterSpace(out, shape=native_parameters.shape)

    @property
    def native_parameters(self) -> ParameterSpace:  # type: ignore[override]
        values: dict[str, LazyArray] = dict(self.neuron.native_parameters.items())
        for r, psr in self.post_synaptic_receptors.items():
            for p, value in psr.parameter_space.items():
                if p != "locations":
                    values[f"{r}.{p}"] = value
        return ParameterSpace(values, shape=self.parameter_space.shape)

    # -- the snn model ---------------------------------------------------------------------
    def snn_model_class(self) -> type[Model]:
        return _model_class(self.neuron, tuple(self.post_synaptic_receptors.items()))

    def snn_model(self, native: Mapping[str, Any], size: int) -> Model:
        return self.snn_model_class()(**self.model_arguments(native, size))

    def model_arguments(self, native: Mapping[str, Any], size: int) -> dict[str, Any]:
        """Equation parameters [SI] from the native values; refuses what snn cannot integrate."""
        membrane = {k: v for k, v in native.items() if "." not in k}
        self.neuron.check(membrane)
        args = self.neuron.equation_parameters(membrane)
        for r, psr in self.post_synaptic_receptors.items():
            own = {k.partition(".")[2]: v for k, v in native.items() if k.startswith(r + ".")}
            args.update(psr.equation_parameters(r, own))
        return args

    def tau_key(self, receptor_type: str) -> str:
        """The receptor's time constant is the equation parameter ``tau_syn_<receptor>``."""
        return receptor_type


def _check_names(neuron: _Membrane, psrs: Mapping[str, Any]) -> None:
    """Refuse receptor names that are not ASCII identifiers or that collide with a variable."""
    taken = _declared_names(neuron.equations) | {"current", "refr", "w", "weight", "i_syn"}
    for name, psr in psrs.items():
        if not (name.isascii() and name.isidentifier()) or name.startswith("_"):
            raise errors.InvalidParameterValueError(
                f"PointNeuron receptor names must be ASCII identifiers not starting with '_', "
                f"got {name!r}."
            )
        mine = {name, *psr.variables(name)}
        clash = sorted(mine & taken)
        if clash:
            raise errors.InvalidParameterValueError(
                f"PointNeuron receptor name {name!r} would name the model's variables {clash}, "
                "which the membrane or another receptor already uses; choose another name."
            )
        taken |= mine


def _declared_names(equations: str) -> set[str]:
    names = set()
    for line in equations.splitlines():
        head = line.split(":")[0].strip()
        if head.startswith("d") and "/dt" in head:
            names.add(head[1 : head.index("/dt")])
        elif "=" in head:
            names.add(head.split("=")[0].strip())
        elif head.isidentifier():
            names.add(head)
    return names


#: composed model classes made in this process, by their equations
_CLASSES: dict[tuple[Any, ...], type[Model]] = {}


def _model_class(neuron: _Membrane, psrs: tuple[tuple[str, Any], ...]) -> type[Model]:
    """The snn model class of a composition (one per membrane type and receptor list)."""
    key = (type(neuron).__name__, tuple((r, type(p).__name__) for r, p in psrs))
    cls = _CLASSES.get(key)
    if cls is not None:
        return cls
    conductance = any(p.conductance_based for _, p in psrs)
    parts = [p.parts(r, neuron.v_syn, neuron.weight_name) for r, p in psrs]
    i_syn = " + ".join(f"({term})" for _, term, _ in parts) if parts else "0 * amp"
    text = "\n".join(
        [neuron.equations.format(i_syn="i_syn"), f"i_syn = {i_syn} : amp"]
        + [eqs for eqs, _, _ in parts]
    )
    name = "_".join(["PyNN", type(neuron).__name__] + [f"{r}_{p.tag}" for r, p in psrs])
    cls = neuron_model(
        name,
        text,
        threshold=neuron.threshold,
        reset=neuron.reset,
        refractory="t_ref",
        on_spike={r: stmt for (r, _), (_, _, stmt) in zip(psrs, parts, strict=True)},
        currents=["current"],
        initial={"v": "e_l"},
        method=neuron.methods[1 if conductance else 0],
        tolerance=_RKF45_TOLERANCE,
        module=__name__,
    )
    # conductance weights must be >= 0 (NEST's multisynapse models refuse negative ones)
    cls.receptors = tuple(  # type: ignore[misc]
        dataclasses.replace(rec, sign=1, doc="conductance jumps [S]")
        if conductance and rec.kind == "spike"
        else rec
        for rec in cls.receptors
    )
    _CLASSES[key] = cls
    return cls


# ---- small helpers ------------------------------------------------------------------------


def _times(value: Any, scale: float) -> Any:
    if isinstance(value, np.ndarray) and value.shape:
        return value * scale
    return float(value) * scale


def _ratio(num: Any, den: Any) -> Any:
    out = np.asarray(num, dtype=np.float64) / np.asarray(den, dtype=np.float64)
    return float(out) if out.ndim == 0 else out


def _require(
    native: Mapping[str, Any], key: str, shown: str, unit: str, *, positive: bool, hint: str = ""
) -> None:
    """Refuse a non-finite ``native[key]``, and one <= 0 (``positive``) or < 0 (a duration).

    Potentials (``unit`` mV) need only be finite; ``shown`` is PyNN's name in the message.
    """
    value = np.asarray(native[key], dtype=np.float64)
    bad = ~np.isfinite(value)
    if positive:
        bad |= ~(value > 0)
        rule = "> 0"
    elif unit != "mV":
        bad |= ~(value >= 0)
        rule = ">= 0"
    else:
        rule = "finite"
    if np.any(bad):
        first = value.ravel()[int(np.argmax(bad.ravel()))] if value.shape else float(value)
        what = "a finite number" if rule == "finite" else rule
        raise errors.InvalidParameterValueError(
            f"`{shown}` must be {what} {unit}{hint}, got {first}."
        )
