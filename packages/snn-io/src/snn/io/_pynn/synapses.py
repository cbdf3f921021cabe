r"""PyNN's standard synapse types on snn's synapse models.

Translations keep weights in PyNN's units (nA, uS or mV, whichever the target takes) and turn
times into seconds; a projection multiplies weights and weight bounds by its target's
:attr:`~snn.io._pynn.cells.SnnCellType.weight_scale` when it hands them to snn.

``StaticSynapse``
    snn's static synapses (no synapse model).
``SimpleStochasticSynapse``
    :class:`snn.synapses.StochasticSynapse` (NEST ``bernoulli_synapse``): each spike crosses
    each synapse with probability ``p``, one keyed draw per synapse and spike; ``p`` may
    differ between synapses (snn holds it per synapse).
``TsodyksMarkramSynapse``
    :class:`snn.synapses.TsodyksSynapse` (NEST ``tsodyks_synapse``), whose ``tau_psc`` is the
    target's synaptic time constant of the receptor, as in PyNN's NEST backend (per synapse,
    when the targets' differ). ``U``, ``tau_rec`` and ``tau_facil`` may differ between synapses
    (snn holds them per synapse).
``StochasticTsodyksMarkramSynapse``
    :class:`snn.synapses.StochasticTsodyksSynapse` (``stochastic_stp_synapse`` of PyNN's NEST
    extension, which PyNN's NEST backend uses): one release site, used up by a release and
    recovering at random; ``initialize(u=...)`` sets ``u`` before the first spike.
``MultiQuantalSynapse``
    :class:`snn.synapses.QuantalSynapse` (NEST ``quantal_stp_synapse``): ``n`` release sites,
    each release transmitting ``weight``; ``initialize(u=..., a=...)`` sets the utilisation and
    the available sites at the first spike. All parameters of both may differ between
    synapses.
``STDPMechanism``
    ``SpikePairRule`` with a weight dependence is :class:`snn.plasticity.PairSTDP` with all-to-all
    pairing, parameterised as NEST's ``stdp_synapse``: ``A_plus`` is the learning rate
    ``lambda``, ``A_minus / A_plus`` is ``alpha`` (with ``A_plus = 0`` the value of ``A_minus``
    is kept as ``alpha``, where it has no effect, as PyNN's NEST backend does), ``w_max`` the
    upper bound; steps are fractions of ``w_max``. Additive and multiplicative dependences are
    snn's :class:`~snn.plasticity.Additive` and :class:`~snn.plasticity.Multiplicative`; Gütig's
    with ``mu_plus = mu_minus`` is :class:`~snn.plasticity.PowerLaw`; Gütig's with two exponents
    and ``AdditivePotentiationMultiplicativeDepression`` (exponents 0 and 1) use
    :class:`TwoExponentPowerLaw` below, NEST's ``stdp_synapse`` with ``mu_plus != mu_minus``.
    ``Vogels2011Rule`` with an additive dependence is :class:`snn.plasticity.InhibitorySTDP`.
    snn's lower weight bound is 0 and the whole delay is dendritic (PyNN's default
    ``dendritic_delay_fraction = 1``, NEST's convention); other values are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyNN import errors
from pyNN.standardmodels import build_translations, synapses

from snn.core import SynapseModel
from snn.core.validate import require_in_range
from snn.io._pynn.simulator import MS, state
from snn.plasticity import (
    Additive,
    InhibitorySTDP,
    Multiplicative,
    PairSTDP,
    PowerLaw,
    WeightDependence,
)
from snn.synapses import (
    QuantalSynapse,
    StochasticSynapse,
    StochasticTsodyksSynapse,
    TsodyksSynapse,
)

__all__ = [
    "AdditivePotentiationMultiplicativeDepression",
    "AdditiveWeightDependence",
    "GutigWeightDependence",
    "MultiQuantalSynapse",
    "MultiplicativeWeightDependence",
    "STDPMechanism",
    "SimpleStochasticSynapse",
    "SpikePairRule",
    "StaticSynapse",
    "StochasticTsodyksMarkramSynapse",
    "TsodyksMarkramSynapse",
    "TwoExponentPowerLaw",
    "Vogels2011Rule",
]

_WEIGHT_DELAY = (("weight", "weight"), ("delay", "delay", MS))


def power_law2_depress(w, y, dep_step, w_max, mu_minus):  # pragma: no cover - compiled
    """Depression ``alpha lambda w_max (w / w_max)^mu_minus y``; returns ``(w, transmitted)``."""
    w = max(w - dep_step * (w / w_max) ** mu_minus * y, 0.0)
    return w, w


def power_law2_potentiate(w, x, pot_step, w_max, mu_plus):  # pragma: no cover - compiled
    """Potentiation ``lambda w_max (1 - w / w_max)^mu_plus x``; returns ``(w,)``."""
    return (min(w + pot_step * (1.0 - w / w_max) ** mu_plus * x, w_max),)


@dataclass(frozen=True)
class TwoExponentPowerLaw(WeightDependence):
    """Gütig's power law with two exponents (NEST ``stdp_synapse``'s ``mu_plus``, ``mu_minus``).

    ``f_+(u) = (1 - u)^mu_plus``, ``f_-(u) = u^mu_minus`` with ``u = w / w_max`` (see
    :mod:`snn.plasticity` for the rule): ``(0, 1)`` is additive potentiation with multiplicative
    depression (van Rossum, Bi & Turrigiano 2000), ``(mu, mu)`` is
    :class:`snn.plasticity.PowerLaw`.

    Parameters
    ----------
    mu_plus, mu_minus
        Exponents in [0, 1].
    """

    mu_plus: float
    mu_minus: float

    def __post_init__(self) -> None:
        require_in_range("mu_plus", self.mu_plus, 0.0, 1.0)
        require_in_range("mu_minus", self.mu_minus, 0.0, 1.0)

    def functions(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        return power_law2_depress, power_law2_potentiate

    def constants(self, learning_rate: float, alpha: float, w_max: float) -> dict[str, Any]:
        # the additive rule's steps (dep_step, pot_step, w_max), then the exponents
        steps = Additive().constants(learning_rate, alpha, w_max)
        return {**steps, "mu_plus": float(self.mu_plus), "mu_minus": float(self.mu_minus)}


def _minimum_delay() -> float:
    """PyNN's default delay [ms]: the minimum delay, or one time step with ``'auto'``."""
    return state.min_delay if state._min_delay != "auto" else state.dt


class SnnSynapseType:
    """What ``pyNN.snn`` adds to a PyNN synapse type: the snn synapse model, if any."""

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()

    def snn_synapse(
        self, native: Mapping[str, float], target: Mapping[str, Any], scale: float
    ) -> SynapseModel | None:
        """The snn synapse model for homogeneous native parameter values.

        Parameters
        ----------
        native
            The synapse type's native parameters (one value each; weights in PyNN's unit).
        target
            Native parameters of the target population, and ``"receptor"``: the snn receptor.
        scale
            SI value of the target's weight unit.
        """
        return None

    def target_groups(self, target: Mapping[str, Any]) -> np.ndarray | None:
        """Labels grouping target neurons that need a synapse model of their own.

        None: one model for all. ``target`` holds the targets' SI parameters (one value, or one
        per target).
        """
        return None

    def model_parameters(self) -> list[str]:
        """Native names of the parameters that make the snn synapse model.

        All but weight and delay.
        """
        return [name for name in self.get_native_names() if name not in ("weight", "delay")]

    def per_synapse_parameters(self) -> dict[str, str]:
        """Native names of the parameters snn's model holds per synapse, to its field names.

        These may differ between the synapses of one snn projection (set with
        ``Projection.set``, read with ``Projection.get``); the others are one value per snn
        projection.
        """
        return {}

    def target_values(self, target: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Fields of the snn model that follow each synapse's target, one value per target.

        Empty when none differs between the targets. ``target`` is as for :meth:`snn_synapse`
        with one value per target; the projection sets each synapse's value from its target.
        """
        return {}

    def initial_values(self) -> dict[str, tuple[str, Callable[[float], Any]]]:
        """Synapse variables ``Projection.initialize`` may start elsewhere.

        PyNN's name, to the snn model's field of its starting value and the conversion of the
        value.
        """
        return {}


class StaticSynapse(SnnSynapseType, synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = build_translations(*_WEIGHT_DELAY)


class SimpleStochasticSynapse(SnnSynapseType, synapses.SimpleStochasticSynapse):
    __doc__ = synapses.SimpleStochasticSynapse.__doc__
    translations = build_translations(*_WEIGHT_DELAY, ("p", "p"))

    def snn_synapse(
        self, native: Mapping[str, float], target: Mapping[str, Any], scale: float
    ) -> SynapseModel | None:
        return StochasticSynapse(p=float(native["p"]))

    def per_synapse_parameters(self) -> dict[str, str]:
        return {"p": "p"}


class TsodyksMarkramSynapse(SnnSynapseType, synapses.TsodyksMarkramSynapse):
    __doc__ = synapses.TsodyksMarkramSynapse.__doc__
    translations = build_translations(
        *_WEIGHT_DELAY,
        ("U", "U"),
        ("tau_rec", "tau_rec", MS),
        ("tau_facil", "tau_fac", MS),
    )

    @staticmethod
    def _tau_psc(target: Mapping[str, Any]) -> np.ndarray:
        tau = target.get("tau_syn_" + target["receptor"])
        if tau is None:
            raise errors.ConnectionError(
                "TsodyksMarkramSynapse needs a target with a synaptic time constant for receptor "
                f"{target['receptor']!r} (tau_syn_E or tau_syn_I)."
            )
        return np.asarray(tau, dtype=np.float64)

    def per_synapse_parameters(self) -> dict[str, str]:
        return {"U": "U", "tau_rec": "tau_rec", "tau_fac": "tau_fac"}

    def target_values(self, target: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """``tau_psc`` per target when the targets' synaptic time constants differ.

        NEST sets it per connection, as PyNN's NEST backend does from each target's ``tau_syn``.
        """
        tau = self._tau_psc(target)
        if tau.ndim == 0 or np.all(tau == tau.ravel()[0]):
            return {}
        return {"tau_psc": tau}

    def snn_synapse(
        self, native: Mapping[str, float], target: Mapping[str, Any], scale: float
    ) -> SynapseModel | None:
        tau = self._tau_psc(target)
        return TsodyksSynapse(
            U=float(native["U"]),
            tau_psc=float(tau.ravel()[0]),
            tau_rec=float(native["tau_rec"]),
            tau_fac=float(native["tau_fac"]),
        )


_STP = (("U", "U"), ("tau_rec", "tau_rec", MS), ("tau_facil", "tau_fac", MS))


class StochasticTsodyksMarkramSynapse(SnnSynapseType, synapses.StochasticTsodyksMarkramSynapse):
    __doc__ = synapses.StochasticTsodyksMarkramSynapse.__doc__
    translations = build_translations(*_WEIGHT_DELAY, *_STP)

    def per_synapse_parameters(self) -> dict[str, str]:
        return {"U": "U", "tau_rec": "tau_rec", "tau_fac": "tau_fac"}

    def initial_values(self) -> dict[str, tuple[str, Callable[[float], Any]]]:
        return {"u": ("u0", float)}

    def snn_synapse(
        self, native: Mapping[str, float], target: Mapping[str, Any], scale: float
    ) -> SynapseModel | None:
        return StochasticTsodyksSynapse(
            U=float(native["U"]), tau_rec=float(native["tau_rec"]), tau_fac=float(native["tau_fac"])
        )


def _sites(value: float) -> int:
    if value != int(value):
        raise errors.InvalidParameterValueError(
            f"a number of release sites must be whole, got {value!r}."
        )
    return int(value)


class MultiQuantalSynapse(SnnSynapseType, synapses.MultiQuantalSynapse):
    __doc__ = synapses.MultiQuantalSynapse.__doc__
    translations = build_translations(*_WEIGHT_DELAY, *_STP, ("n", "n"))

    def per_synapse_parameters(self) -> dict[str, str]:
        return {"U": "U", "tau_rec": "tau_rec", "tau_fac": "tau_fac", "n": "n"}

    def initial_values(self) -> dict[str, tuple[str, Callable[[float], Any]]]:
        return {"u": ("u0", float), "a": ("a0", _sites)}

    def snn_synapse(
        self, native: Mapping[str, float], target: Mapping[str, Any], scale: float
    ) -> SynapseModel | None:
        return QuantalSynapse(
            U=float(native["U"]),
            tau_rec=float(native["tau_rec"]),
            tau_fac=float(native["tau_fac"]),
            n=float(native["n"]),
        )


class AdditiveWeightDependence(synapses.AdditiveWeightDependence):
    __doc__ = synapses.AdditiveWeightDependence.__doc__
    translations = build_translations(("w_max", "w_max"), ("w_min", "w_min"))

    def snn_dependence(self, native: Mapping[str, float]) -> WeightDependence:
        """The snn form of this dependence."""
        return Additive()


class MultiplicativeWeightDependence(synapses.MultiplicativeWeightDependence):
    __doc__ = synapses.MultiplicativeWeightDependence.__doc__
    translations = build_translations(("w_max", "w_max"), ("w_min", "w_min"))

    def snn_dependence(self, native: Mapping[str, float]) -> WeightDependence:
        """The snn form of this dependence."""
        return Multiplicative()


class AdditivePotentiationMultiplicativeDepression(
    synapses.AdditivePotentiationMultiplicativeDepression
):
    __doc__ = synapses.AdditivePotentiationMultiplicativeDepression.__doc__
    translations = build_translations(("w_max", "w_max"), ("w_min", "w_min"))

    def snn_dependence(self, native: Mapping[str, float]) -> WeightDependence:
        """The snn form of this dependence."""
        return TwoExponentPowerLaw(mu_plus=0.0, mu_minus=1.0)


class GutigWeightDependence(synapses.GutigWeightDependence):
    __doc__ = synapses.GutigWeightDependence.__doc__
    translations = build_translations(
        ("w_max", "w_max"), ("w_min", "w_min"), ("mu_plus", "mu_plus"), ("mu_minus", "mu_minus")
    )

    def snn_dependence(self, native: Mapping[str, float]) -> WeightDependence:
        """The snn form of this dependence."""
        mu_plus, mu_minus = float(native["mu_plus"]), float(native["mu_minus"])
        if mu_plus == mu_minus:
            return PowerLaw(mu=mu_plus)
        return TwoExponentPowerLaw(mu_plus=mu_plus, mu_minus=mu_minus)


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = build_translations(
        ("tau_plus", "tau_plus", MS),
        ("tau_minus", "tau_minus", MS),
        ("A_plus", "A_plus"),
        ("A_minus", "A_minus"),
    )


class Vogels2011Rule(synapses.Vogels2011Rule):
    __doc__ = synapses.Vogels2011Rule.__doc__
    translations = build_translations(("tau", "tau", MS), ("eta", "eta"), ("rho", "rho"))


class STDPMechanism(SnnSynapseType, synapses.STDPMechanism):
    __doc__ = synapses.STDPMechanism.__doc__
    base_translations = build_translations(
        *_WEIGHT_DELAY, ("dendritic_delay_fraction", "dendritic_delay_fraction")
    )

    def _build_translations(self) -> None:
        # a copy per instance: PyNN updates the class's dict in place with the components'
        self.translations = dict(self.base_translations)
        for component in (self.timing_dependence, self.weight_dependence, self.voltage_dependence):
            if component:
                self.translations.update(component.translations)

    def snn_synapse(
        self, native: Mapping[str, float], target: Mapping[str, Any], scale: float
    ) -> SynapseModel | None:
        if self.voltage_dependence is not None:
            raise errors.NoModelAvailableError("snn has no voltage-dependent STDP.")
        if float(native["dendritic_delay_fraction"]) != 1.0:
            raise errors.NoModelAvailableError(
                "snn's STDP treats the whole delay as dendritic (NEST's convention): "
                "dendritic_delay_fraction must be 1, got "
                f"{float(native['dendritic_delay_fraction'])!r}."
            )
        if float(native["w_min"]) != 0.0:
            raise errors.NoModelAvailableError(
                f"snn's STDP bounds weights below by 0; w_min must be 0, got {native['w_min']!r}."
            )
        w_max = float(native["w_max"]) * scale
        timing = self.timing_dependence
        if isinstance(timing, Vogels2011Rule):
            if not isinstance(self.weight_dependence, AdditiveWeightDependence):
                raise errors.NoModelAvailableError(
                    "Vogels2011Rule runs with AdditiveWeightDependence in snn (InhibitorySTDP)."
                )
            return InhibitorySTDP(
                tau=float(native["tau"]),
                eta=float(native["eta"]) * scale,
                rho_0=float(native["rho"]),
                w_max=w_max,
            )
        if not isinstance(timing, SpikePairRule):
            raise errors.NoModelAvailableError(
                f"snn has no STDP timing rule for {type(timing).__name__}."
            )
        a_plus, a_minus = float(native["A_plus"]), float(native["A_minus"])
        return PairSTDP(
            tau_plus=float(native["tau_plus"]),
            tau_minus=float(native["tau_minus"]),
            learning_rate=a_plus,
            alpha=a_minus / a_plus if a_plus > 0 else a_minus,
            w_max=w_max,
            pairing="all_to_all",
            weight_dependence=self.weight_dependence.snn_dependence(native),
        )
