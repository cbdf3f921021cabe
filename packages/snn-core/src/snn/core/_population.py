"""Populations: a model, a size, and the state of its neurons as one array per variable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from snn.core._model import Model, NeuronModel, SpikeGenerator
from snn.core._params import (
    FrozenAttributes,
    did_you_mean,
    get_population_value,
    loop_constants,
    population_assign_hint,
    set_population_values,
    state_values,
)
from snn.core.errors import ConfigurationError
from snn.core.random import derive_key

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


class Population(FrozenAttributes):
    """A group of neurons sharing one model.

    Created by :meth:`snn.core.Network.add_population`; not instantiated directly. Change
    parameters and state with :meth:`set`, read them with :meth:`get`; ``pop[...]`` gives a
    :class:`PopulationView` of some of the neurons.

    Attributes
    ----------
    name : str
        Unique name within the network.
    model : Model
        The neuron model or spike generator (read-only: :meth:`set` replaces it).
    size : int
        Number of neurons (over all MPI ranks).
    first_id : int
        Global id of neuron 0; neuron ``i`` has global id ``first_id + i``.
    index : int
        Creation order within the network.
    """

    _frozen: ClassVar[dict[str, str]] = {
        "model": "change parameters with Population.set(name=value), which checks them and "
        "replaces the model (e.g. pop.set(tau_m=10 * ms, i_e=...)).",
        **{
            k: "it is fixed when the population is created."
            for k in ("size", "name", "index", "first_id", "local_index")
        },
        "state": "set state variables with Population.set(name=value), which checks them.",
    }

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
        # per ring: the weight its integers count (None: floats), and the one its writers'
        # weights give (they differ while inputs in flight are not whole multiples of it)
        self._ring_q: dict[str, float | None] = {}
        self._ring_want: dict[str, float | None] = {}
        # rings whose writers' weights were set off their quantum: floats for good (0025)
        self._float_rings: set[str] = set()
        self._init = dict(init or {})
        #: state values set at t = 0 (name, local positions, values), restored by a reset
        self._init_overrides: list[tuple[str, Any, np.ndarray]] = []
        self._init_state()
        self._layout = positions
        self._positions: np.ndarray | None = None
        if positions is not None:
            key = derive_key(network.seed, "population", index, "positions")
            self._positions = _checked_positions(positions, size, key)
        self._array_consts: frozenset[str] = frozenset()
        if isinstance(model, NeuronModel):
            self._consts, self._array_consts = loop_constants(self, model)
        if isinstance(model, SpikeGenerator):
            self.buffers = {
                k: np.ascontiguousarray(v)
                for k, v in model.buffers(self.local_index, network.dt).items()
            }
        self._sealed = True

    def _assign_hint(self, name: str) -> str:
        return population_assign_hint(self, name)

    def __repr__(self) -> str:
        return f"<Population {self.name!r}: {self.size} x {type(self.model).__name__}>"

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: Any) -> PopulationView:
        """A view of some neurons: ``pop[a:b]``, ``pop[::2]``, ``pop[[3, 1, 7]]``, ``pop[mask]``.

        Index arrays keep their order (a view's values come in that order); a boolean mask has
        one flag per neuron; an integer gives a view of one neuron. Indices must be distinct.
        """
        return PopulationView(self, _resolve(key, self.size, self.name))

    @property
    def population(self) -> Population:
        """The population itself (a view returns the population it looks into)."""
        return self

    @property
    def indices(self) -> np.ndarray:
        """Population indices of the neurons, ``0 .. size - 1`` (int64)."""
        return np.arange(self.size, dtype=np.int64)

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
    def local_positions(self) -> slice:
        """Positions of the neurons owned by this process in the state arrays (all of them)."""
        return slice(0, self.n_local)

    @property
    def _local_order(self) -> np.ndarray:
        """Positions in :attr:`indices` of the neurons owned by this process."""
        return self.local_index

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

    def _init_state(self) -> None:
        """State variables from their initial values (``init``, model defaults, sets at t = 0)."""
        model = self.model
        names = [v.name for v in model.state_vars]
        unknown = sorted(set(self._init) - set(names))
        if unknown:
            raise ConfigurationError(
                f"`init` names {unknown}, which are not state variables of "
                f"{type(model).__name__} (they are {names}).{did_you_mean(unknown[0], names)}"
            )
        defaults = model.initial_state() if isinstance(model, NeuronModel) else {}
        fdt = self._network.float_dtype
        for var in model.state_vars:
            value = self._init.get(var.name, defaults.get(var.name, 0.0))
            # integers as wide as the floats: mixing 32-bit integer and 64-bit float lanes (or
            # the reverse) costs the vectorised neuron loop shuffles (measured 1.8 vs 1.65 ns per
            # LIFCondExp update in float64; float32 gained nothing with int64 counters)
            dtype = (np.int64 if fdt.itemsize == 8 else np.int32) if var.dtype == "int" else fdt
            self.state[var.name] = state_values(self, var.name, value, dtype)
        for name, positions, values in self._init_overrides:
            self.state[name][positions] = values

    def get(self, name: str | list[str] | None = None) -> Any:
        """Values of a state variable or parameter for the neurons of this process.

        Parameters
        ----------
        name
            A state variable (``"v"``), a parameter of the model (``"tau_m"``), or a value the
            model computes from its state (an equation model's subexpression, ``"I_syn"``:
            computed now, from the current state at the network's time); or a list of them;
            or None (the default) for every state variable and parameter.

        Returns
        -------
        numpy.ndarray or object
            One value per local neuron (a copy), in the unit given by the model [SI]; a
            parameter that is not a number (an integration ``method``) as it is. For a list of
            names, a dict of these by name.

        Raises
        ------
        ConfigurationError
            For a name the model does not have (with the closest one it has).
        """
        return get_population_value(self, name)

    def set(self, **values: Any) -> None:
        """Set parameters and state variables; the next run uses the new values.

        Parameters
        ----------
        **values
            By name: a number, an array with one value per neuron, or a
            :class:`~snn.core.random.Distribution` [unit of the parameter or variable]. A
            Distribution is drawn with a key of the seed, the population and the name, and
            counters of the neuron indices: the same values on any number of threads or ranks;
            for a state variable, the same values as ``init={name: dist}`` gives. Models take
            numbers and arrays, not distributions, so there is no model built with one to
            compare with: ``set`` is how a parameter gets drawn values (the values are
            ``dist.draw_at(indices, key=derive_key(seed, "population", index, "parameter",
            name))``). A parameter that is not a number (``method``) takes a value of its own
            kind.

        Notes
        -----
        Parameters go through the model's own checks (the model is replaced by
        ``dataclasses.replace``); every value is checked before any is written, so a failing
        call changes nothing. A new value needs no compilation and no rebuilding. A parameter
        that was one number and becomes one value per neuron (an array or a Distribution
        given, or a number given to some neurons only), or a change of integration method,
        makes the next run generate and compile the loop once more (seconds); a callback cannot
        make such a change within a run. Once one value per neuron, a parameter stays so
        (whatever the values) until a number is given for the whole population: give an array
        before the run (``pop.set(rate=np.zeros(n))``) to change some neurons from a callback.

        At t = 0 (before the first run, or after :meth:`Network.reset`) the state is the
        initial state: state variables set then are initial values (a reset returns to them),
        and a new parameter value re-initialises the state from the initial values, which may
        follow it (``v`` starts at ``e_l``), as in a network built with it. Later, setting a
        parameter leaves the state as it is (``v`` keeps its value when ``e_l`` changes, as in
        NEST and Brian2).

        Examples
        --------
        >>> from snn.core import Network
        >>> from snn.core.units import mV, ms
        >>> from snn.neurons import LIFDelta
        >>> net = Network(dt=0.1 * ms)
        >>> pop = net.add_population(LIFDelta(), 4)
        >>> pop.set(tau_m=20 * ms, v=-65 * mV)
        >>> float(pop.get("tau_m")[0])
        0.02
        """
        set_population_values(self, values)


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


class PopulationView(FrozenAttributes):
    """Some neurons of a population (``pop[a:b]``, ``pop[[3, 1, 7]]``, ``pop[mask]``).

    A view has the population's model and its own :meth:`set` and :meth:`get`; monitors and
    drives take views, and a view of consecutive neurons (``pop[a:b]``) can be the source or
    target of :meth:`Network.connect` (the rule then sees a population of ``len(view)``
    neurons: indices and random draws are relative to the view; autapses are excluded only
    between a population or view and itself, and ``autapses=False`` between views that share
    some neurons raises). ``view[...]`` gives a view of the view.
    """

    _frozen: ClassVar[dict[str, str]] = {
        "model": "change parameters with set(name=value) (on the view or its population)."
    }

    def __init__(self, population: Population, indices: np.ndarray) -> None:
        idx = np.array(indices, dtype=np.int64)
        idx.flags.writeable = False
        self._population = population
        self._indices = idx
        self._contiguous = bool(np.all(np.diff(idx) == 1))
        n_ranks = population.network.n_ranks
        owned = idx % n_ranks == population.network.rank
        self._order = np.flatnonzero(owned)
        if self._contiguous:
            lo, hi = np.searchsorted(population.local_index, [idx[0], idx[-1] + 1])
            #: positions of the view's neurons among the population's local neurons
            self.local_positions: slice | np.ndarray = slice(int(lo), int(hi))
        else:
            self.local_positions = idx[owned] // n_ranks
        self._sealed = True

    def _assign_hint(self, name: str) -> str:
        return population_assign_hint(self, name)

    def __repr__(self) -> str:
        return f"<PopulationView {self.name!r}: {self.size} x {type(self.model).__name__}>"

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: Any) -> PopulationView:
        """A view of some of the view's neurons (indices relative to the view)."""
        return PopulationView(self._population, self._indices[_resolve(key, self.size, self.name)])

    @property
    def population(self) -> Population:
        """The population looked into."""
        return self._population

    @property
    def indices(self) -> np.ndarray:
        """Population indices of the view's neurons, in view order (int64, read-only)."""
        return self._indices

    @property
    def contiguous(self) -> bool:
        """Whether the view is a range of consecutive neurons, ascending (``pop[a:b]``)."""
        return self._contiguous

    def _range(self) -> tuple[int, int]:
        if not self._contiguous:
            raise ConfigurationError(
                f"view {self.name} is not a range of consecutive neurons; only views such as "
                "pop[a:b] have a start and stop (and can be connected)."
            )
        return int(self._indices[0]), int(self._indices[-1]) + 1

    @property
    def start(self) -> int:
        """First population index covered (views of consecutive neurons only)."""
        return self._range()[0]

    @property
    def stop(self) -> int:
        """One past the last population index covered (views of consecutive neurons only)."""
        return self._range()[1]

    @property
    def size(self) -> int:
        """Number of neurons."""
        return int(self._indices.shape[0])

    @property
    def name(self) -> str:
        """``"pop[a:b]"``, or ``"pop[3, 1, 7]"`` (the first indices and the count when long)."""
        pop = self._population.name
        if self._contiguous:
            return f"{pop}[{self.start}:{self.stop}]"
        head = ", ".join(str(i) for i in self._indices[:5])
        if self.size <= 5:
            return f"{pop}[{head}]"
        return f"{pop}[{head}, ... ({self.size} neurons)]"

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
        return self._population.first_id + int(self._indices[0])

    @property
    def ids(self) -> np.ndarray:
        """Global ids of the view's neurons, in view order."""
        return self._population.first_id + self._indices

    @property
    def local_index(self) -> np.ndarray:
        """Population indices of the view's neurons owned by this process, in view order."""
        return self._indices[self._order]

    @property
    def _local_order(self) -> np.ndarray:
        """Positions in :attr:`indices` of the neurons owned by this process."""
        return self._order

    @property
    def n_local(self) -> int:
        """Number of the view's neurons owned by this process."""
        return int(self._order.shape[0])

    @property
    def layout(self) -> Positions | None:
        """The population's :class:`Positions` (None without positions)."""
        return self._population.layout

    @property
    def positions(self) -> np.ndarray | None:
        """Positions of the view's neurons, float64 ``(size, ndim)`` [m]; None without."""
        pos = self._population.positions
        return None if pos is None else pos[self._indices]

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

    def get(self, name: str | list[str] | None = None) -> Any:
        """Values of a state variable or parameter for the view's neurons of this process.

        In view order; see :meth:`Population.get`.
        """
        return get_population_value(self, name)

    def set(self, **values: Any) -> None:
        """Set parameters and state variables of the view's neurons (see :meth:`Population.set`).

        Arrays hold one value per neuron of the view, in view order. A parameter that is one
        number for the population becomes one value per neuron (the next run compiles the loop
        once more), unless the number given leaves every neuron the same value.
        """
        set_population_values(self, values)


def _resolve(key: Any, size: int, name: str) -> np.ndarray:
    """Population (or view) positions selected by ``key``: a slice, indices or a mask."""
    if isinstance(key, slice):
        idx = np.arange(*key.indices(size), dtype=np.int64)
    elif isinstance(key, int | np.integer) and not isinstance(key, bool):
        idx = np.array([key], dtype=np.int64)
    else:
        arr = np.asarray(key)
        if arr.dtype == np.bool_:
            if arr.shape != (size,):
                raise ConfigurationError(
                    f"a boolean mask of {name!r} needs {size} flags (one per neuron), got shape "
                    f"{arr.shape}."
                )
            idx = np.flatnonzero(arr).astype(np.int64)
        elif arr.ndim == 1 and (arr.size == 0 or np.issubdtype(arr.dtype, np.integer)):
            idx = arr.astype(np.int64)
        else:
            raise ConfigurationError(
                f"{name!r} is indexed with a slice, integer indices or a boolean mask, got {key!r}."
            )
    if idx.size == 0:
        raise ConfigurationError(f"the selection {key!r} of {name!r} holds no neuron.")
    bad = (idx < -size) | (idx >= size)
    if bad.any():
        raise ConfigurationError(
            f"index {int(idx[bad][0])} is out of range for {name!r} of {size} neurons."
        )
    idx = np.where(idx < 0, idx + size, idx)
    if np.unique(idx).size != idx.size:
        raise ConfigurationError(f"the indices of a view of {name!r} must be distinct.")
    return idx
