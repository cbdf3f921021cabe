"""Populations: a model, a size, and the state of its neurons as one array per variable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from snn.core._model import Model, NeuronModel, SpikeGenerator
from snn.core.errors import ConfigurationError
from snn.core.random import Distribution, derive_key

if TYPE_CHECKING:
    from snn.core._network import Network

__all__ = ["Population", "PopulationView", "Positions"]


class Positions:
    """Where the neurons of a population sit in space (base class; see :mod:`snn.synapses`).

    Given to :meth:`~snn.core.Network.add_population` as ``positions=``. Lengths are in metres
    (any length unit works if kernels, masks and conduction velocities use the same one).

    Attributes
    ----------
    extent : tuple of float
        Side lengths of the box holding the neurons [m], one per dimension (2 or 3).
    center : tuple of float
        Centre of the box [m].
    periodic : bool
        Whether the box wraps around (distances are then taken to the nearest periodic image).
    """

    extent: tuple[float, ...]
    center: tuple[float, ...]
    periodic: bool

    def place(self, size: int, *, key: tuple[np.uint64, np.uint64]) -> np.ndarray:
        """Positions of ``size`` neurons.

        Parameters
        ----------
        size
            Number of neurons of the population.
        key
            Random key of the population's positions (counter-based draws keyed by the
            neuron's index, so every process computes the same positions).

        Returns
        -------
        numpy.ndarray
            float64 ``(size, len(extent))`` [m], inside the box.
        """
        raise NotImplementedError


class Population:
    """A group of neurons sharing one model.

    Created by :meth:`snn.core.Network.add_population`; not instantiated directly.

    Attributes
    ----------
    name : str
        Unique name within the network.
    model : Model
        The neuron model or spike generator.
    size : int
        Number of neurons (over all MPI ranks).
    first_id : int
        Global id of neuron 0; neuron ``i`` has global id ``first_id + i``.
    index : int
        Creation order within the network.
    """

    def __init__(
        self,
        network: Network,
        model: Model,
        size: int,
        *,
        name: str,
        index: int,
        first_id: int,
        init: Mapping[str, Any] | None,
        positions: Positions | None = None,
    ) -> None:
        self._network = network
        self.model = model
        self.size = size
        self.name = name
        self.index = index
        self.first_id = first_id
        rank, n_ranks = network.rank, network.n_ranks
        #: population indices of the neurons owned by this process, ascending
        self.local_index = np.arange(rank, size, n_ranks, dtype=np.int64)
        self.state: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.rings: dict[str, np.ndarray] = {}
        self._init_state(dict(init or {}))
        self._layout = positions
        self._positions: np.ndarray | None = None
        if positions is not None:
            key = derive_key(network.seed, "population", index, "positions")
            self._positions = _checked_positions(positions, size, key)
        if isinstance(model, SpikeGenerator):
            self.buffers = {
                k: np.ascontiguousarray(v)
                for k, v in model.buffers(self.local_index, network.dt).items()
            }

    def __repr__(self) -> str:
        return f"<Population {self.name!r}: {self.size} x {type(self.model).__name__}>"

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: slice) -> PopulationView:
        """A contiguous range of neurons, ``pop[start:stop]``, usable in ``connect``."""
        if not isinstance(key, slice):
            raise ConfigurationError(
                f"a population is indexed with a slice (pop[100:200]), got {key!r}."
            )
        start, stop, step = key.indices(self.size)
        if step != 1 or stop <= start:
            raise ConfigurationError(
                f"a population view must be a non-empty contiguous range, got {key!r} for "
                f"{self.size} neurons."
            )
        return PopulationView(self, start, stop)

    @property
    def population(self) -> Population:
        """The population itself (a view returns the population it looks into)."""
        return self

    @property
    def start(self) -> int:
        """First population index covered (0)."""
        return 0

    @property
    def stop(self) -> int:
        """One past the last population index covered (the size)."""
        return self.size

    @property
    def network(self) -> Network:
        """The network this population belongs to."""
        return self._network

    @property
    def n_local(self) -> int:
        """Number of neurons owned by this process."""
        return int(self.local_index.shape[0])

    @property
    def layout(self) -> Positions | None:
        """The :class:`Positions` given to ``add_population`` (None without positions)."""
        return self._layout

    @property
    def positions(self) -> np.ndarray | None:
        """Positions of all neurons, float64 ``(size, ndim)`` [m], read-only; None without."""
        return self._positions

    @property
    def extent(self) -> tuple[float, ...] | None:
        """Side lengths of the box holding the neurons [m] (None without positions)."""
        return None if self._layout is None else tuple(self._layout.extent)

    @property
    def center(self) -> tuple[float, ...] | None:
        """Centre of the box holding the neurons [m] (None without positions)."""
        return None if self._layout is None else tuple(self._layout.center)

    @property
    def periodic(self) -> bool:
        """Whether the box wraps around (False without positions)."""
        return bool(self._layout is not None and self._layout.periodic)

    @property
    def ids(self) -> np.ndarray:
        """Global ids of all neurons, int64."""
        return np.arange(self.first_id, self.first_id + self.size, dtype=np.int64)

    def _init_state(self, init: dict[str, Any]) -> None:
        model = self.model
        names = [v.name for v in model.state_vars]
        unknown = sorted(set(init) - set(names))
        if unknown:
            raise ConfigurationError(
                f"`init` names {unknown}, which are not state variables of "
                f"{type(model).__name__} (they are {names})."
            )
        defaults = model.initial_state() if isinstance(model, NeuronModel) else {}
        fdt = self._network.float_dtype
        for k, var in enumerate(model.state_vars):
            value = init.get(var.name, defaults.get(var.name, 0.0))
            # integers as wide as the floats: mixing 32-bit integer and 64-bit float lanes (or
            # the reverse) costs the vectorised neuron loop shuffles (measured 1.8 vs 1.65 ns per
            # LIFCondExp update in float64; float32 gained nothing with int64 counters)
            dtype = (np.int64 if fdt.itemsize == 8 else np.int32) if var.dtype == "int" else fdt
            self.state[var.name] = self._values(var.name, value, dtype, k)

    def _values(self, name: str, value: Any, dtype: Any, k: int) -> np.ndarray:
        if isinstance(value, Distribution):
            key = derive_key(self._network.seed, "population", self.index, "init")
            out = value.draw_at(self.local_index, key=key, b=k)
        else:
            arr = np.asarray(value, dtype=np.float64)
            if arr.ndim == 0:
                out = np.full(self.n_local, float(arr))
            elif arr.shape == (self.size,):
                out = arr[self.local_index]
            else:
                raise ConfigurationError(
                    f"initial value of `{name}` must be a number, a Distribution or an array of "
                    f"length {self.size}, got an array of shape {arr.shape}."
                )
        if not np.all(np.isfinite(out)):
            raise ConfigurationError(f"initial value of `{name}` contains NaN or inf.")
        return np.ascontiguousarray(out, dtype=dtype)

    def get(self, name: str) -> np.ndarray:
        """A copy of state variable ``name`` for the neurons of this process.

        Parameters
        ----------
        name
            State variable.

        Returns
        -------
        numpy.ndarray
            One value per local neuron, in the unit given by the model [SI].
        """
        if name not in self.state:
            raise ConfigurationError(
                f"{self.name!r} has no state variable {name!r}; it has {list(self.state)}."
            )
        return self.state[name].copy()

    def set(self, **values: Any) -> None:
        """Set state variables: a number, a Distribution or an array of length :attr:`size`.

        All values are checked before any is written.
        """
        new = {}
        names = [v.name for v in self.model.state_vars]
        for name, value in values.items():
            if name not in names:
                raise ConfigurationError(
                    f"{self.name!r} has no state variable {name!r}; it has {names}."
                )
            k = names.index(name)
            new[name] = self._values(name, value, self.state[name].dtype, k)
        for name, arr in new.items():
            self.state[name][:] = arr


def _checked_positions(
    layout: Positions, size: int, key: tuple[np.uint64, np.uint64]
) -> np.ndarray:
    if not isinstance(layout, Positions):
        raise ConfigurationError(
            "`positions` must be a Positions object such as snn.synapses.Grid or "
            f"snn.synapses.RandomPositions, got {type(layout).__name__}."
        )
    pos = np.ascontiguousarray(layout.place(size, key=key), dtype=np.float64)
    ndim = len(layout.extent)
    if pos.shape != (size, ndim):
        raise ConfigurationError(
            f"{type(layout).__name__} gave positions of shape {pos.shape}, expected "
            f"({size}, {ndim}) for {size} neurons in {ndim} dimensions."
        )
    pos.flags.writeable = False
    return pos


class PopulationView:
    """Neurons ``start:stop`` of a population (``pop[start:stop]``).

    A view can be the source or target of :meth:`Network.connect`; the rule then sees a
    population of ``stop - start`` neurons (indices and random draws are relative to the view).
    Autapses are excluded only between a population or view and itself.
    """

    def __init__(self, population: Population, start: int, stop: int) -> None:
        self._population = population
        self._start = start
        self._stop = stop
        lo, hi = np.searchsorted(population.local_index, [start, stop])
        #: positions of the view's neurons among the population's local neurons
        self.local_positions = slice(int(lo), int(hi))

    def __repr__(self) -> str:
        return f"<PopulationView {self.name!r}>"

    def __len__(self) -> int:
        return self.size

    @property
    def population(self) -> Population:
        """The population looked into."""
        return self._population

    @property
    def start(self) -> int:
        """First population index covered."""
        return self._start

    @property
    def stop(self) -> int:
        """One past the last population index covered."""
        return self._stop

    @property
    def size(self) -> int:
        """Number of neurons."""
        return self._stop - self._start

    @property
    def name(self) -> str:
        """``"<population>[start:stop]"``."""
        return f"{self._population.name}[{self._start}:{self._stop}]"

    @property
    def network(self) -> Network:
        """The network of the population."""
        return self._population.network

    @property
    def model(self) -> Model:
        """The population's model."""
        return self._population.model

    @property
    def first_id(self) -> int:
        """Global id of the view's first neuron."""
        return self._population.first_id + self._start

    @property
    def local_index(self) -> np.ndarray:
        """Population indices of the view's neurons owned by this process."""
        return self._population.local_index[self.local_positions]

    @property
    def n_local(self) -> int:
        """Number of the view's neurons owned by this process."""
        return self.local_positions.stop - self.local_positions.start

    @property
    def layout(self) -> Positions | None:
        """The population's :class:`Positions` (None without positions)."""
        return self._population.layout

    @property
    def positions(self) -> np.ndarray | None:
        """Positions of the view's neurons, float64 ``(size, ndim)`` [m]; None without."""
        pos = self._population.positions
        return None if pos is None else pos[self._start : self._stop]

    @property
    def extent(self) -> tuple[float, ...] | None:
        """Side lengths of the population's box [m] (None without positions)."""
        return self._population.extent

    @property
    def center(self) -> tuple[float, ...] | None:
        """Centre of the population's box [m] (None without positions)."""
        return self._population.center

    @property
    def periodic(self) -> bool:
        """Whether the population's box wraps around."""
        return self._population.periodic
