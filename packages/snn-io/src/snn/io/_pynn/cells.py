"""PyNN's standard cell types on snn's models: names, units and receptors.

Each class is PyNN's standard cell type (its parameter names, defaults and units: mV, nF, ms, nA,
uS, Hz) with the translation onto an snn model in SI units. PyNN's translations
(:func:`pyNN.standardmodels.build_translations`) rename the parameters; their values stay in
PyNN's units in the population's record (PyNN reads back what it set, exactly) and are turned
into SI when the snn model gets them (:attr:`SnnCellType.si_scale`); a leak conductance
``g_l = cm / tau_m`` is computed there too.

Weights: PyNN's are in nA for current synapses, uS for conductances and mV for voltage jumps
(``IF_curr_delta``, ``Izhikevich``); :attr:`SnnCellType.weight_scale` turns them into A, S or V.
PyNN's inhibitory current weights are negative, as snn's (its ``inh`` current receptors take
weights <= 0), so signs pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from pyNN import errors
from pyNN.parameters import ArrayParameter, Sequence
from pyNN.standardmodels import build_translations, cells

import snn.neurons
from snn.core import Model
from snn.io._pynn.generators import DeadTimePoissonWindow, GammaWindow, PoissonWindow
from snn.io._pynn.simulator import MS, state

__all__ = [
    "EIF_cond_alpha_isfa_ista",
    "EIF_cond_exp_isfa_ista",
    "GIF_cond_exp",
    "HH_cond_exp",
    "IF_cond_alpha",
    "IF_cond_exp",
    "IF_cond_exp_gsfa_grr",
    "IF_curr_alpha",
    "IF_curr_delta",
    "IF_curr_exp",
    "IF_facets_hardware1",
    "Izhikevich",
    "SnnCellType",
    "SpikeSourceArray",
    "SpikeSourceGamma",
    "SpikeSourcePoisson",
    "SpikeSourcePoissonRefractory",
]

MV = 1e-3  #: one millivolt [V]
NF = 1e-9  #: one nanofarad [F]
NA = 1e-9  #: one nanoampere [A]
US = 1e-6  #: one microsiemens [S]
NS = 1e-9  #: one nanosiemens [S]

_CURRENT_RECEPTORS = {"excitatory": "exc", "inhibitory": "inh"}
_VOLTAGE_RECEPTORS = {"excitatory": "syn", "inhibitory": "syn"}


_LEAKY = (
    ("v_rest", "e_l", MV),
    ("v_reset", "v_reset", MV),
    ("cm", "c_m", NF),
    ("tau_refrac", "t_ref", MS),
    ("v_thresh", "v_th", MV),
    ("i_offset", "i_e", NA),
)
_TAU_M = ("tau_m", "tau_m", MS)
_SYN_TAUS = (("tau_syn_E", "tau_syn_ex", MS), ("tau_syn_I", "tau_syn_in", MS))
_REVERSALS = (("e_rev_E", "e_ex", MV), ("e_rev_I", "e_in", MV))


def _renamed(*items: tuple[Any, ...]) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """PyNN's translations (renames only) and the SI factor of each snn parameter.

    ``items`` are ``(PyNN name, snn name)`` or ``(PyNN name, snn name, SI value of PyNN's
    unit)``. The native values kept by a population are PyNN's numbers under snn's names (so
    that PyNN reads back exactly what it was given); :meth:`SnnCellType.model_arguments`
    multiplies them by these factors.
    """
    translations = build_translations(*((item[0], item[1]) for item in items))
    return translations, {item[1]: item[2] for item in items if len(item) > 2}


_CURRENT_STATE = build_translations(
    ("v", "v", MV), ("isyn_exc", "i_ex", NA), ("isyn_inh", "i_in", NA)
)
_CONDUCTANCE_STATE = build_translations(
    ("v", "v", MV), ("gsyn_exc", "g_ex", US), ("gsyn_inh", "g_in", US)
)


class SnnCellType:
    """What ``pyNN.snn`` adds to a PyNN standard cell type: the snn model and its receptors.

    Attributes
    ----------
    model_name : str
        Name of the snn model class in :mod:`snn.neurons` (or a model of this backend).
    receptor_map : dict
        PyNN receptor type to snn receptor name.
    weight_scale : float
        SI value of one PyNN weight unit (nA, uS or mV) onto this cell type.
    fixed : dict
        snn model parameters that PyNN does not have.
    """

    model_name: ClassVar[str] = ""
    receptor_map: ClassVar[Mapping[str, str]] = _CURRENT_RECEPTORS
    weight_scale: ClassVar[float] = NA
    fixed: ClassVar[Mapping[str, Any]] = {}
    state_variable_translations: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, **parameters: Any) -> None:
        # PyNN's lazy arrays assert that values are real (an AssertionError): refuse first
        for name, value in parameters.items():
            items = value if isinstance(value, list | tuple) else [value]  # lists may be ragged
            if any(
                isinstance(x, complex | np.complexfloating)
                or (isinstance(x, np.ndarray) and np.iscomplexobj(x))
                for x in items
            ):
                raise errors.InvalidParameterValueError(
                    f"{type(self).__name__}: `{name}` must be real, got {value!r}."
                )
        super().__init__(**parameters)

    def snn_model_class(self) -> type[Model]:
        """The snn model class."""
        return getattr(snn.neurons, self.model_name)

    def snn_model(self, native: Mapping[str, Any], size: int) -> Model:
        """The snn model of ``size`` neurons for native (translated, SI) parameter values."""
        return self.snn_model_class()(**self.model_arguments(native, size), **self.fixed)

    #: the snn model takes a leak conductance ``g_l = c_m / tau_m`` instead of ``tau_m``
    leak_conductance: ClassVar[bool] = False

    #: SI value of the unit of each native parameter (see :func:`_renamed`)
    si_scale: ClassVar[Mapping[str, float]] = {}

    #: PyNN state variables that the model recomputes from others before their first use, as
    #: NEST's model does: their initial values have no effect (and are not stored)
    recomputed_state: ClassVar[frozenset[str]] = frozenset()

    def model_arguments(self, native: Mapping[str, Any], size: int) -> dict[str, Any]:
        """Arguments of the snn model (SI) from the native parameters (PyNN's units).

        Models with a leak conductance get ``g_l = c_m / tau_m``.
        """
        args = {
            name: value * self.si_scale[name] if name in self.si_scale else value
            for name, value in native.items()
        }
        if self.leak_conductance:
            args["g_l"] = np.asarray(args["c_m"]) / np.asarray(args.pop("tau_m"))
            if args["g_l"].ndim == 0:
                args["g_l"] = float(args["g_l"])
        return args

    def initial_state(
        self, model: Model, size: int, *, seed: int, stream: str, dt: float
    ) -> dict[str, np.ndarray]:
        """State variables drawn at creation besides PyNN's initial values (none by default).

        ``dt`` is the time step [s]; draws are keyed by ``seed`` and ``stream``.
        """
        return {}

    def tau_key(self, receptor_type: str) -> str:
        """Suffix of the snn parameter ``tau_syn_<suffix>`` of a receptor type (``ex``, ``in``)."""
        return "in" if receptor_type in ("inhibitory", "GABA", "GABAA", "GABAB") else "ex"

    def snn_receptor(self, receptor_type: str) -> str:
        """The snn receptor for a PyNN receptor type."""
        try:
            return self.receptor_map[receptor_type]
        except KeyError:
            raise errors.ConnectionError(
                f"{type(self).__name__} has receptor types {list(self.receptor_map)}, got "
                f"{receptor_type!r}."
            ) from None


class IF_curr_alpha(SnnCellType, cells.IF_curr_alpha):
    __doc__ = cells.IF_curr_alpha.__doc__
    model_name = "LIFAlpha"
    translations, si_scale = _renamed(*_LEAKY, _TAU_M, *_SYN_TAUS)
    state_variable_translations = _CURRENT_STATE


class IF_curr_exp(SnnCellType, cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    model_name = "LIFExp"
    translations, si_scale = _renamed(*_LEAKY, _TAU_M, *_SYN_TAUS)
    state_variable_translations = _CURRENT_STATE


class IF_curr_delta(SnnCellType, cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__
    model_name = "LIFDelta"
    receptor_map = _VOLTAGE_RECEPTORS
    weight_scale = MV
    translations, si_scale = _renamed(*_LEAKY, _TAU_M)
    state_variable_translations = build_translations(("v", "v", MV))


class IF_cond_exp(SnnCellType, cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    model_name = "LIFCondExp"
    weight_scale = US
    leak_conductance = True
    translations, si_scale = _renamed(*_LEAKY, _TAU_M, *_SYN_TAUS, *_REVERSALS)
    state_variable_translations = _CONDUCTANCE_STATE


class IF_cond_alpha(SnnCellType, cells.IF_cond_alpha):
    __doc__ = cells.IF_cond_alpha.__doc__
    model_name = "LIFCondAlpha"
    weight_scale = US
    leak_conductance = True
    translations, si_scale = _renamed(*_LEAKY, _TAU_M, *_SYN_TAUS, *_REVERSALS)
    state_variable_translations = _CONDUCTANCE_STATE


class IF_facets_hardware1(SnnCellType, cells.IF_facets_hardware1):
    __doc__ = cells.IF_facets_hardware1.__doc__
    model_name = "LIFCondExp"
    weight_scale = US
    # PyNN's NEST backend: iaf_cond_exp with C_m 200 pF, t_ref 1 ms, E_ex 0 mV
    fixed: ClassVar[Mapping[str, Any]] = {"c_m": 200e-12, "t_ref": 1 * MS, "e_ex": 0.0}
    translations, si_scale = _renamed(
        ("v_reset", "v_reset", MV),
        ("v_rest", "e_l", MV),
        ("v_thresh", "v_th", MV),
        ("e_rev_I", "e_in", MV),
        *_SYN_TAUS,
        ("g_leak", "g_l", NS),
    )
    state_variable_translations = _CONDUCTANCE_STATE


_ADEX = (
    *_LEAKY,
    _TAU_M,
    *_SYN_TAUS,
    *_REVERSALS,
    ("v_spike", "v_peak", MV),
    ("a", "a", NS),
    ("b", "b", NA),
    ("delta_T", "delta_t", MV),
    ("tau_w", "tau_w", MS),
)
_ADEX_STATE = build_translations(
    ("v", "v", MV), ("w", "w", NA), ("gsyn_exc", "g_ex", US), ("gsyn_inh", "g_in", US)
)


class _AdEx(SnnCellType):
    """The adaptive exponential integrate-and-fire cells (conductances and their leak)."""

    weight_scale = US
    leak_conductance = True
    translations, si_scale = _renamed(*_ADEX)
    state_variable_translations = _ADEX_STATE


class EIF_cond_exp_isfa_ista(_AdEx, cells.EIF_cond_exp_isfa_ista):
    __doc__ = cells.EIF_cond_exp_isfa_ista.__doc__
    model_name = "AdExCondExp"


class EIF_cond_alpha_isfa_ista(_AdEx, cells.EIF_cond_alpha_isfa_ista):
    __doc__ = cells.EIF_cond_alpha_isfa_ista.__doc__
    model_name = "AdExCondAlpha"  # NEST aeif_cond_alpha


class IF_cond_exp_gsfa_grr(SnnCellType, cells.IF_cond_exp_gsfa_grr):
    __doc__ = cells.IF_cond_exp_gsfa_grr.__doc__
    model_name = "LIFCondExpSfaRr"  # NEST iaf_cond_exp_sfa_rr
    weight_scale = US
    leak_conductance = True
    translations, si_scale = _renamed(
        *_LEAKY,
        _TAU_M,
        *_SYN_TAUS,
        *_REVERSALS,
        ("tau_sfa", "tau_sfa", MS),
        ("e_rev_sfa", "e_sfa", MV),
        ("q_sfa", "q_sfa", NS),
        ("tau_rr", "tau_rr", MS),
        ("e_rev_rr", "e_rr", MV),
        ("q_rr", "q_rr", NS),
    )
    state_variable_translations = build_translations(
        ("v", "v", MV),
        ("g_r", "g_rr", NS),
        ("g_s", "g_sfa", NS),
        ("gsyn_exc", "g_ex", US),
        ("gsyn_inh", "g_in", US),
    )


#: NEST hh_cond_exp_traub detects a spike when V is above V_T + 30 mV and falling [V]
_TRAUB_DETECTION_OFFSET = 30 * MV


class HH_cond_exp(SnnCellType, cells.HH_cond_exp):
    __doc__ = cells.HH_cond_exp.__doc__
    model_name = "HHTraubMiles"
    weight_scale = US
    receptor_map = _CURRENT_RECEPTORS
    # NEST's hh_cond_exp_traub (PyNN's reference for HH_cond_exp): peak detection above
    # V_T + 30 mV, 2 ms without a further spike (its t_ref default)
    fixed: ClassVar[Mapping[str, Any]] = {"spike_detection": "peak", "t_ref": 2 * MS}
    translations, si_scale = _renamed(
        ("gbar_Na", "g_na", US),
        ("gbar_K", "g_k", US),
        ("g_leak", "g_l", US),
        ("cm", "c_m", NF),
        ("v_offset", "v_t", MV),
        ("e_rev_Na", "e_na", MV),
        ("e_rev_K", "e_k", MV),
        ("e_rev_leak", "e_l", MV),
        *_REVERSALS,
        *_SYN_TAUS,
        ("i_offset", "i_e", NA),
    )
    state_variable_translations = build_translations(
        ("v", "v", MV),
        ("gsyn_exc", "g_ex", US),
        ("gsyn_inh", "g_in", US),
        ("h", "h"),
        ("m", "m"),
        ("n", "n"),
    )

    def model_arguments(self, native: Mapping[str, Any], size: int) -> dict[str, Any]:
        """Arguments of :class:`snn.neurons.HHTraubMiles`, with NEST's detection threshold."""
        args = super().model_arguments(native, size)
        args["v_th"] = np.asarray(args["v_t"]) + _TRAUB_DETECTION_OFFSET
        if args["v_th"].ndim == 0:
            args["v_th"] = float(args["v_th"])
        return args


_GIF_KERNELS = ("tau_stc", "q_stc", "tau_sfa", "q_sfa")


def _kernel_values(name: str, value: Any) -> np.ndarray:
    """One kernel list for the whole population from PyNN's ``ArrayParameter`` value(s).

    snn's GIF models hold their kernels per population (they are written into the generated
    step function), so neurons of one population must share them.
    """
    if isinstance(value, ArrayParameter):
        return np.asarray(value.value, dtype=np.float64)
    per_neuron = [np.asarray(v.value, dtype=np.float64) for v in np.asarray(value).ravel()]
    if any(v.shape != per_neuron[0].shape or np.any(v != per_neuron[0]) for v in per_neuron):
        raise errors.InvalidParameterValueError(
            f"GIF_cond_exp's {name} (PyNN's tau_eta, a_eta, tau_gamma, a_gamma) must be the same "
            "for every neuron of a population on pyNN.snn (its kernels are per population), got "
            f"{[v.tolist() for v in per_neuron]}."
        )
    return per_neuron[0]


class GIF_cond_exp(SnnCellType, cells.GIF_cond_exp):
    __doc__ = cells.GIF_cond_exp.__doc__
    model_name = "GIFCondExp"  # NEST gif_cond_exp
    weight_scale = US
    leak_conductance = True
    # a_eta is in nA (PyNN's units; NEST's q_stc in pA), a_gamma in mV
    translations, si_scale = _renamed(
        ("v_rest", "e_l", MV),
        ("cm", "c_m", NF),
        _TAU_M,
        ("tau_refrac", "t_ref", MS),
        *_SYN_TAUS,
        *_REVERSALS,
        ("v_reset", "v_reset", MV),
        ("i_offset", "i_e", NA),
        ("delta_v", "delta_v", MV),
        ("v_t_star", "v_t_star", MV),
        ("lambda0", "lambda_0"),
        ("tau_eta", "tau_stc", MS),
        ("a_eta", "q_stc", NA),
        ("tau_gamma", "tau_sfa", MS),
        ("a_gamma", "q_sfa", MV),
    )
    state_variable_translations = _CONDUCTANCE_STATE
    # NEST's I_stc and E_sfa (PyNN's i_eta and v_t) are sums over the kernels, recomputed at the
    # start of every step; snn keeps the kernels only (i_eta and v_t cannot be recorded)
    recomputed_state = frozenset({"i_eta", "v_t"})

    def model_arguments(self, native: Mapping[str, Any], size: int) -> dict[str, Any]:
        """Arguments of :class:`snn.neurons.GIFCondExp`; the kernels are one list each."""
        kernels = {name: _kernel_values(name, native[name]) for name in _GIF_KERNELS}
        args = super().model_arguments({**native, **kernels}, size)
        return {**args, **{name: tuple(args[name].tolist()) for name in _GIF_KERNELS}}


class Izhikevich(SnnCellType, cells.Izhikevich):
    __doc__ = cells.Izhikevich.__doc__
    model_name = "Izhikevich"
    receptor_map = _VOLTAGE_RECEPTORS
    weight_scale = MV
    # a, b in 1/ms -> 1/s; d and u in mV/ms = V/s; c in mV -> V; i_offset in nA with the model's
    # 1 pF capacitance (1 pA is 1 mV/ms, NEST's and PyNN's convention)
    translations, si_scale = _renamed(
        ("a", "a", 1.0 / MS),
        ("b", "b", 1.0 / MS),
        ("c", "c", MV),
        ("d", "d"),
        ("i_offset", "i_e", NA),
    )
    state_variable_translations = build_translations(("v", "v", MV), ("u", "u"))


class _SourceType(SnnCellType):
    """A spike source: no receptors, nothing to inject into."""

    receptor_map: ClassVar[Mapping[str, str]] = {}

    def snn_model_class(self) -> type[Model]:
        return self.source_class

    source_class: ClassVar[type[Model]]


_WINDOW = (("start", "start", MS), ("duration", "duration", MS))


class SpikeSourcePoisson(_SourceType, cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    source_class = PoissonWindow
    translations, si_scale = _renamed(("rate", "rate"), *_WINDOW)


class SpikeSourceGamma(_SourceType, cells.SpikeSourceGamma):
    __doc__ = cells.SpikeSourceGamma.__doc__
    source_class = GammaWindow
    translations, si_scale = _renamed(("alpha", "alpha"), ("beta", "beta"), *_WINDOW)

    def initial_state(
        self, model: Model, size: int, *, seed: int, stream: str, dt: float
    ) -> dict[str, np.ndarray]:
        assert isinstance(model, GammaWindow)
        return model.stationary_state(size, seed=seed, stream=stream)


class SpikeSourcePoissonRefractory(_SourceType, cells.SpikeSourcePoissonRefractory):
    __doc__ = cells.SpikeSourcePoissonRefractory.__doc__
    source_class = DeadTimePoissonWindow
    translations, si_scale = _renamed(("rate", "rate"), ("tau_refrac", "dead_time", MS), *_WINDOW)

    def initial_state(
        self, model: Model, size: int, *, seed: int, stream: str, dt: float
    ) -> dict[str, np.ndarray]:
        assert isinstance(model, DeadTimePoissonWindow)
        return model.stationary_state(size, seed=seed, stream=stream, dt=dt)


def spike_time_arrays(spike_times: Any, size: int, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Flat ``(times [s], indices)`` of per-neuron PyNN spike times [ms], on the time grid.

    ``spike_times`` is one :class:`~pyNN.parameters.Sequence` for every neuron, or one per neuron.
    Each neuron's times must increase, as in NEST (PyNN's test of issue 511). Times are rounded
    to the nearest step of ``dt`` [ms]. PyNN's other backends differ for times between steps:
    Brian2's takes the step before (1.13 and 1.17 ms are 1.1 ms at dt = 0.1 ms), NEST's with
    ``spike_precision="on_grid"`` the step after (both 1.2 ms).
    """
    if isinstance(spike_times, Sequence):
        per_neuron = [spike_times] * size
    else:
        per_neuron = list(np.asarray(spike_times, dtype=object).ravel())
    times, indices = [], []
    for i, seq in enumerate(per_neuron):
        t = np.asarray(seq.value if isinstance(seq, Sequence) else seq, dtype=np.float64).ravel()
        if np.any(np.diff(t) < 0):
            raise errors.InvalidParameterValueError(
                f"spike times given to SpikeSourceArray must increase, got {t.tolist()} for "
                f"neuron {i}."
            )
        times.append(t)
        indices.append(np.full(t.shape[0], i, dtype=np.int64))
    if not times:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    return np.rint(np.concatenate(times) / dt) * dt * MS, np.concatenate(indices)


class SpikeSourceArray(_SourceType, cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    source_class = snn.neurons.SpikeSourceArray
    # times stay in ms here: the snn model gets them in s from model_arguments
    translations, si_scale = _renamed(("spike_times", "spike_times"))

    def model_arguments(self, native: Mapping[str, Any], size: int) -> dict[str, Any]:
        times, indices = spike_time_arrays(native["spike_times"], size, state.dt)
        return {"times": times, "indices": indices}
