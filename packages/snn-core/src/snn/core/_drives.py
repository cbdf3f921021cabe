"""Drives attached to a population or view: what ``Network.add_drive`` returns.

A :class:`~snn.core.Drive` (Poisson input, a current source) is a frozen dataclass of parameters;
attaching it to neurons makes an :class:`AttachedDrive`, which holds the arguments its ``add``
kernel gets (read live by the loop) and, for a view, the runs of consecutive local neurons it
feeds. :meth:`AttachedDrive.set` replaces the drive by ``dataclasses.replace`` (its checks run)
and recomputes the arguments; the loop is generated again only if their numba types change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numba
import numpy as np

from snn.core._magnitudes import receptor_quantity, warn_magnitude
from snn.core._model import Drive
from snn.core._params import (
    FrozenAttributes,
    check_weights,
    parameter_names,
    replaced,
    unknown_name,
)
from snn.core.errors import ConfigurationError

if TYPE_CHECKING:
    from snn.core._population import Population, PopulationView

__all__ = ["AttachedDrive"]


def local_runs(target: Population | PopulationView) -> np.ndarray | None:
    """Runs of consecutive local neurons of a view: ``(start, end, offset)`` rows (None: all).

    ``start:end`` are positions among the population's local neurons (ascending); ``offset`` is
    the position of ``start`` among the view's local neurons sorted the same way.
    """
    if target is target.population:
        return None
    positions = np.sort(np.arange(target.population.n_local)[target.local_positions])
    if positions.size == 0:
        return np.zeros((0, 3), dtype=np.int64)
    breaks = np.flatnonzero(np.diff(positions) != 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [positions.size]])
    return np.ascontiguousarray(
        np.stack([positions[starts], positions[ends - 1] + 1, starts], axis=1), dtype=np.int64
    )


class AttachedDrive(FrozenAttributes):
    """A drive feeding a receptor of a population or view (returned by ``add_drive``).

    Read the drive's parameters as attributes (``inp.rate``) or with :meth:`get`; change them
    with :meth:`set`. Per-neuron arguments of the drive (:attr:`Drive.per_neuron`) hold one
    value per neuron of the target owned by this process, in ascending population order.

    Attributes
    ----------
    drive : Drive
        The drive with its current parameters (read-only: :meth:`set` replaces it).
    target : Population or PopulationView
        The neurons fed.
    receptor : str
        The receptor fed.
    index : int
        Creation order among the network's drives (its random stream).
    """

    _frozen: ClassVar[dict[str, str]] = {
        "drive": "change its parameters with set(name=value).",
        "target": "add another drive to feed other neurons.",
        "receptor": "add another drive to feed another receptor.",
        "index": "it is fixed when the drive is added.",
    }

    def __init__(
        self,
        drive: Drive,
        target: Population | PopulationView,
        receptor: str,
        index: int,
    ) -> None:
        self.drive = drive
        self.target = target
        self.receptor = receptor
        self.index = index
        self._runs = local_runs(target)
        self._args = self._arguments(drive)
        self._sealed = True

    def __repr__(self) -> str:
        return f"<AttachedDrive {self.drive!r} -> {self.target.name}.{self.receptor}>"

    def __getattr__(self, name: str) -> Any:
        # parameters of the drive read as attributes (only called when normal lookup fails)
        drive = self.__dict__.get("drive")
        if drive is not None and name in parameter_names(drive):
            return getattr(drive, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        drive = self.__dict__.get("drive")
        if name not in self._frozen and drive is not None and name in parameter_names(drive):
            raise ConfigurationError(
                f"`{name}` of a drive cannot be assigned; use set({name}=...), which checks "
                "the value."
            )
        super().__setattr__(name, value)

    @property
    def population(self) -> Population:
        """The population of the neurons fed."""
        return self.target.population

    def _arguments(self, drive: Drive) -> dict[str, Any]:
        return dict(drive.arguments(self.target.n_local, self.population.network.dt))

    def get(self, name: str) -> Any:
        """The current value of the drive's parameter ``name``."""
        names = parameter_names(self.drive)
        if name not in names:
            raise unknown_name(type(self.drive).__name__, name, names)
        return getattr(self.drive, name)

    def set(self, **values: Any) -> None:
        """Change parameters of the drive; the next run uses them.

        Parameters
        ----------
        **values
            New values by parameter name (e.g. ``rate=``, ``weight=`` of
            :class:`snn.neurons.PoissonInput`; ``amplitude=``, ``start=``, ``stop=`` of
            :class:`snn.neurons.DCSource`; ``mean=``, ``std=`` of a noise current; ``times=``,
            ``amplitudes=`` of a step current) [units of the parameters].

        Notes
        -----
        The drive is replaced by ``dataclasses.replace``, so its own checks run, and its kernel
        arguments are computed before anything changes; a failing call changes nothing. The
        drive's random numbers do not depend on its parameters: a drive set to new values
        gives the input a drive made with them would have given from the same step on.
        """
        names = parameter_names(self.drive)
        for name in values:
            if name not in names:
                raise unknown_name(type(self.drive).__name__, name, names)
        if "receptor" in values and values["receptor"] != self.drive.receptor_name:
            raise ConfigurationError(
                "the receptor of an attached drive is fixed; add another drive to feed "
                f"another receptor (this one feeds {self.receptor!r})."
            )
        drive = replaced(self.drive, values, f"drive {self.index} ({type(self.drive).__name__})")
        check_drive(drive, self.population, self.receptor)
        self._put(drive)

    def _put(self, drive: Drive) -> None:
        """Use the (checked) ``drive`` from now on; new code only if argument types differ."""
        args = self._arguments(drive)
        structural = list(args) != list(self._args) or any(
            numba.typeof(args[k]) != numba.typeof(self._args[k]) for k in args
        )
        self.__dict__["drive"] = drive
        self._args = args
        if structural:
            self.population.network._touch(code_only=True)

    def _reset(self) -> None:
        """Fresh kernel arguments (per-neuron scratch holds values of the last steps)."""
        self._args = self._arguments(self.drive)


def check_drive(drive: Drive, population: Population, receptor: str) -> None:
    """Refuse a drive whose input leaves the sign of the receptor it feeds.

    A negative input into a conductance (or an excitatory current) is meaningless: the drive's
    :meth:`~snn.core.Drive.value_range` must stay within the receptor's sign. Values of an
    implausible magnitude (:attr:`Drive.quantities`) warn.
    """
    rec = population.model.receptor(receptor)
    weight = getattr(drive, "weight", None)
    if weight is not None:
        check_weights("weight", weight, rec.sign, rec.unit, warn=False)
    span = drive.value_range()
    if span is not None and (span[0] < 0 < rec.sign or span[1] > 0 > rec.sign):
        raise ConfigurationError(
            f"{type(drive).__name__} adds values in [{span[0]!r}, {span[1]!r}] {rec.unit} to "
            f"receptor {rec.name!r} of {population.name!r}, which takes only values "
            f"{'>= 0' if rec.sign > 0 else '<= 0'} (a conductance or a signed current)."
        )
    for field, quantity in drive.quantities.items():
        kind = receptor_quantity(rec.unit) if quantity == "receptor" else quantity
        warn_magnitude(field, getattr(drive, field), kind)
