"""The model protocols: what a neuron model, a spike generator and a drive tell the engine.

A model says *what* to compute; the network owns the arrays and runs the kernels.

:class:`NeuronModel`
    A frozen keyword-only dataclass of parameters plus four declarations: its state variables
    (:class:`StateVar`), its receptors (:class:`Receptor`, one input port each, fed by
    projections and drives through a ring buffer), the constants it needs for a given time step
    (:meth:`NeuronModel.constants`), and a per-neuron step function that numba compiles. The engine
    generates the loop over neurons around the step function and fuses it with the rest of the
    network, so a user-written model runs exactly like a built-in one.

    The step function's parameters are matched *by name*: a state variable's name gives its value
    at the start of the step, a receptor's name gives the input that arrived for this step (the
    sum of the weights of the spikes and drives delivered to it), a constant's name gives the
    constant, and these names are provided by the engine:

    ``dt``
        The time step [s].
    ``uniform``
        A uniform number in [0, 1), fresh for every neuron and step (counter-based, keyed by the
        seed, the population, the neuron's index and the step).
    ``normal``
        A standard normal number, fresh for every neuron and step.
    ``uniform_shared``
        A uniform number in [0, 1) shared by all neurons of the population, fresh for every step
        (keyed by the seed, the population and the step): for sources whose neurons emit one
        common train.
    ``t``
        The time at the start of the step [s] (float64), for inputs that vary in time.

    It returns the new values of all state variables in the declared order, then a boolean:
    whether the neuron spiked during this step.

    A model may also offer values computed from its state that it does not keep (an equation
    model's subexpressions): :meth:`NeuronModel.derived_variables` names them, each with a
    per-neuron kernel (:class:`Derived`), and a state monitor records them like state variables.

:class:`SpikeGenerator`
    A source that emits prescribed spikes (for example from arrays). It provides an ``emit``
    kernel that writes the indices of the neurons spiking at a step.

:class:`Drive`
    An input attached to one receptor of a population (a Poisson input, a current source). Its
    ``add`` kernel adds this step's input to the receptor's ring-buffer row before the neurons
    are updated.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core._validate import CheckedParameters
from snn.core.errors import ConfigurationError

__all__ = [
    "SPECIAL_ARGUMENTS",
    "Derived",
    "Drive",
    "Model",
    "NeuronModel",
    "Receptor",
    "SpikeGenerator",
    "StateVar",
]

#: argument names of a step function that the engine provides itself (``neuron_index``: the
#: neuron's index in its population, the same on any thread or rank layout; ``population_size``:
#: the number of neurons of the population)
SPECIAL_ARGUMENTS = (
    "dt",
    "uniform",
    "normal",
    "uniform_shared",
    "t",
    "neuron_index",
    "population_size",
)


@dataclass(frozen=True)
class StateVar:
    """A state variable of a neuron model.

    Parameters
    ----------
    name
        Identifier (the step function's argument name).
    unit
        SI unit of the values ("V", "A", "S", "1", "steps", ...).
    dtype
        ``"float"`` (the network's float type) or ``"int"`` (an integer as wide as the float type,
        e.g. a refractory counter).
    doc
        One line of description.
    low
        Smallest meaningful value: initial values and :meth:`Population.set` refuse anything
        below it. Default: 0 for counters (unit ``"steps"``), else no bound (conductances may
        start negative, as in Brian2's COBA example, which draws them from a normal law).
    """

    name: str
    unit: str
    dtype: Literal["float", "int"] = "float"
    doc: str = ""
    low: float | None = None

    def __post_init__(self) -> None:
        if self.low is None and self.unit == "steps":
            object.__setattr__(self, "low", 0.0)


@dataclass(frozen=True)
class Receptor:
    """An input port of a neuron model.

    Parameters
    ----------
    name
        Identifier used by projections (``receptor="exc"``) and by the step function.
    unit
        SI unit of the weights delivered to this port ("V" for voltage jumps, "A" for current
        jumps, "S" for conductance jumps).
    sign
        ``+1``: weights must be >= 0; ``-1``: weights must be <= 0; ``0``: either sign; ``2``:
        weights must be > 0 (a model that only sees whether input arrived, as a parrot).
    doc
        One line of description.
    kind
        ``"spike"``: jumps delivered by synapses; ``"current"``: a current held over the step
        (fed by current sources). Projections that name no receptor use the model's only spike
        receptor; current sources that name none use its only current receptor.
    """

    name: str
    unit: str
    sign: int = 0
    doc: str = ""
    kind: Literal["spike", "current"] = "spike"


@dataclass(frozen=True)
class Derived:
    """A value computed from a neuron's state, recordable though not kept (a subexpression).

    Parameters
    ----------
    unit
        SI unit of the value.
    function
        Per-neuron kernel of the value (a plain function numba compiles, like a step function),
        or None for a value that cannot be recorded (see ``refusal``).
    arguments
        The function's arguments in order, each a state variable, a constant of
        :meth:`NeuronModel.constants`, ``"t"``: the time of the sample [s] (the end of the
        step whose state is sampled), or ``"dt"``: the time step [s].
    refusal
        Why the value cannot be recorded (``function`` is None), as a sentence.
    """

    unit: str
    function: Callable[..., Any] | None
    arguments: tuple[str, ...] = ()
    refusal: str = ""


class Model(CheckedParameters):
    """Common base of everything that can form a population."""

    kind: ClassVar[str] = "abstract"

    #: fields that hold one sequence for the whole model (a list of time constants, one per
    #: receptor or adaptation current), not one value per neuron as other sequences do
    model_sequences: ClassVar[frozenset[str]] = frozenset()

    def validate_size(self, n: int) -> None:
        """Check per-neuron parameter arrays against the population size ``n``.

        Every list, tuple or 1-D array field is one value per neuron, except the fields named
        in :attr:`model_sequences`.
        """
        for name, value in vars(self).items():
            if name in self.model_sequences:
                continue
            arr = np.asarray(value) if isinstance(value, np.ndarray | list | tuple) else None
            if arr is not None and arr.ndim == 1 and arr.shape[0] != n:
                raise ConfigurationError(
                    f"{type(self).__name__}.{name} has {arr.shape[0]} values, "
                    f"but the population has {n} neurons."
                )

    def check_dt(self, dt: float) -> None:
        """Refuse or warn about a time step that this model cannot integrate well (default: ok)."""


class NeuronModel(Model):
    """Base class of neuron models (see the module docstring for the protocol).

    Subclasses are frozen keyword-only dataclasses of parameters and define the class attributes
    :attr:`state_vars` and :attr:`receptors`, and the methods :meth:`constants`,
    :meth:`step_function` and :meth:`initial_state`.
    """

    kind: ClassVar[str] = "neuron"
    state_vars: ClassVar[tuple[StateVar, ...]] = ()
    receptors: ClassVar[tuple[Receptor, ...]] = ()
    #: receptor -> the state variable it adds the weight to, for the receptors that do exactly
    #: that (``v += w``): a synapse model's Brian2-style ``v_post += w`` feeds that receptor
    receptor_variables: ClassVar[Mapping[str, str]] = {}
    #: constants that may be +inf (:meth:`checked_constants` lets them through): a spike
    #: threshold of +inf, NEST's way of switching spiking off
    unbounded_constants: ClassVar[frozenset[str]] = frozenset()

    def constants(self, dt: float) -> dict[str, float | np.ndarray]:
        """Values passed to the step function, by argument name.

        Parameters
        ----------
        dt
            Time step [s].

        Returns
        -------
        dict
            Name to float (homogeneous) or float64 array (one value per neuron). Integer-valued
            constants (step counts) are passed as integers. A tuple of floats is passed as a
            tuple of homogeneous values (numba inlines step functions of at most 30 arguments;
            a model with more constants packs some into one); the step function reads its
            items by constant index (``pack[0]``), which also works when the engine hands it
            the tuples of several populations as the rows of an array.
        """
        raise NotImplementedError

    def step_function(self) -> Callable[..., Any]:
        """The per-neuron step function (a plain Python function numba can compile)."""
        raise NotImplementedError

    def nonfinite_hint(self) -> str:
        """What of this model's own integration can make its state NaN or infinite.

        A sentence the engine adds to its error when that happens (default: none).
        """
        return ""

    def derived_variables(self) -> Mapping[str, Derived]:
        """Values a state monitor can record besides the state variables (default: none).

        Returns
        -------
        Mapping
            Name to :class:`Derived`.
        """
        return {}

    def _constant_names(self, dt: float) -> list[str]:
        with np.errstate(all="ignore"):  # only the names matter here
            return list(self.constants(dt))

    def checked_constants(self, dt: float) -> dict[str, float | np.ndarray]:
        """:meth:`constants`, refusing any that is not finite.

        Extreme parameters (a time constant many orders of magnitude below ``dt``) can make a
        propagator overflow; the engine uses this instead of :meth:`constants`, so such a model
        is refused before it runs instead of running on infinite or NaN constants.
        """
        with np.errstate(all="ignore"):
            consts = self.constants(dt)
        for name, value in consts.items():
            arr = np.asarray(value, dtype=np.float64)
            if name in self.unbounded_constants:
                arr = np.where(arr == np.inf, 0.0, arr)
            if not np.all(np.isfinite(arr)):
                raise ConfigurationError(
                    f"{type(self).__name__}: the constant `{name}` is not finite for dt = {dt} "
                    "s; a parameter is too extreme for this time step (a time constant far "
                    "below dt, or a value near the float range)."
                )
        return consts

    def initial_state(self) -> dict[str, Any]:
        """Default initial values by state variable.

        Each is a float, a per-neuron array or a :class:`~snn.core.random.Distribution`.
        """
        return {v.name: 0 if v.dtype == "int" else 0.0 for v in self.state_vars}

    def receptor(self, name: str | None, kind: str = "spike") -> Receptor:
        """The receptor called ``name``, or when ``name`` is None the only one of ``kind``."""
        if name is None:
            candidates = [r for r in self.receptors if r.kind == kind]
            if len(candidates) == 1:
                return candidates[0]
            names = [r.name for r in self.receptors]
            raise ConfigurationError(
                f"{type(self).__name__} has receptors {names}: name one with `receptor=`."
                if names
                else f"{type(self).__name__} has no receptors and cannot receive input. Declare "
                f"one of the kind {kind!r} in the model (an equation model's "
                + (
                    "`currents=['I']` with `I : amp` in its equations)."
                    if kind == "current"
                    else "`on_spike={'syn': 'v += w'}` on a state variable `v`)."
                )
            )
        for r in self.receptors:
            if r.name == name:
                return r
        hint = (
            f" `{name}` is a state variable: a synapse's `{name}_post += w` feeds the receptor "
            f"whose statement is exactly `{name} += w`, and this model has none (or several)."
            if name in {v.name for v in getattr(self, "state_vars", ())}
            else ""
        )
        raise ConfigurationError(
            f"{type(self).__name__} has no receptor {name!r}; "
            f"its receptors are {[r.name for r in self.receptors]}.{hint}"
        )

    def check_protocol(self) -> list[str]:
        """Validate the declarations against the step function; returns its argument names."""
        func = self.step_function()
        py = getattr(func, "py_func", func)
        try:
            params = list(inspect.signature(py).parameters.values())
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"{type(self).__name__}: cannot read the step function's signature ({exc})."
            ) from None
        names = [p.name for p in params]
        known = self._argument_sources(0.1e-3)
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigurationError(
                f"{type(self).__name__}: step function argument(s) {unknown} are not state "
                f"variables, receptors, constants or one of {list(SPECIAL_ARGUMENTS)}."
            )
        return names

    def _argument_sources(self, dt: float) -> dict[str, str]:
        sources: dict[str, str] = {}
        for group, names in (
            ("state", [v.name for v in self.state_vars]),
            ("receptor", [r.name for r in self.receptors]),
            ("constant", list(self._constant_names(dt))),
            ("special", list(SPECIAL_ARGUMENTS)),
        ):
            for n in names:
                if n in sources:
                    raise ConfigurationError(
                        f"{type(self).__name__}: the name {n!r} is used both as a {sources[n]} "
                        f"and as a {group}; names must be unique."
                    )
                sources[n] = group
        return sources


class SpikeGenerator(Model):
    """Base class of spike sources that emit prescribed spikes.

    Subclasses provide :meth:`emit_function` and :meth:`buffers`. The emit kernel is called once
    per step as ``n = emit(step, *buffers, out)``; it writes the local indices of the neurons
    that spike during ``step`` (in ascending order) into ``out`` and returns how many.
    """

    kind: ClassVar[str] = "generator"
    state_vars: ClassVar[tuple[StateVar, ...]] = ()
    receptors: ClassVar[tuple[Receptor, ...]] = ()
    #: buffers the emit kernel changes while running, each a position within the longest of the
    #: others (a checkpoint restores them; the others are rebuilt from the parameters and a
    #: checkpoint's copy must equal them)
    cursor_buffers: ClassVar[tuple[str, ...]] = ()

    def emit_function(self) -> Callable[..., Any]:
        """The numba emit kernel."""
        raise NotImplementedError

    def buffers(self, local_index: np.ndarray, dt: float) -> dict[str, np.ndarray]:
        """Arrays the emit kernel reads and updates (positional, in this order).

        ``local_index`` holds the population indices of the neurons this process owns
        (ascending); the kernel emits *local* indices, positions in ``local_index``.
        """
        raise NotImplementedError

    def unit_slip(self, t0: float, t1: float) -> str | None:
        """Why the spikes given look like milliseconds for a run over ``(t0, t1]`` [s], or None.

        Called before each run; a message becomes a :class:`~snn.core.UnitWarning`.
        """
        return None


class Drive(CheckedParameters):
    """Base class of inputs attached to a receptor of a population.

    The ``add`` kernel is called once per step, before the neurons are updated, as
    ``add(row, step, j0, j_stride, k0, k1, *arguments)``: ``row`` is the receptor's ring-buffer
    row for this step, for a block of consecutive local neurons; entry ``i`` of the block belongs
    to the neuron with population index ``j0 + j_stride * i``, and ``(k0, k1)`` is the drive's
    random key. Arguments named in :attr:`per_neuron` are cut to the same block. A drive attached
    to a view is called once per run of consecutive local neurons of the view in the block, with
    ``j0`` that run's first population index; its per-neuron arguments then hold one value per
    local neuron of the view, in ascending order.
    """

    #: names of :meth:`arguments` that hold one value per local neuron; the engine passes each
    #: thread only its block's part of them
    per_neuron: ClassVar[tuple[str, ...]] = ()
    #: parameters are one number each unless a drive lists its array fields here
    vector_parameters: ClassVar[tuple[str, ...] | None] = ()
    #: the argument (of :meth:`arguments`, one number) that the add kernel adds a whole number
    #: of times per neuron and step (``row[i] += count * weight``, an integer count of fewer than
    #: 2**20), or None. Such a drive may feed a ring that counts multiples of one weight
    #: (decision 0025): the kernel then gets the weight as an integer multiple of the ring's unit.
    counted: ClassVar[str | None] = None

    def add_function(self) -> Callable[..., Any]:
        """The numba add kernel."""
        raise NotImplementedError

    def arguments(self, n: int, dt: float) -> Mapping[str, Any]:
        """Extra arguments of the add kernel, by name, in call order."""
        raise NotImplementedError

    #: kind of receptor fed when the drive names none ("spike" or "current")
    receptor_kind: ClassVar[str] = "spike"

    #: fields checked for a plausible magnitude when the drive is added to a network: field
    #: name -> a kind of quantity ("rate", ...; see ``snn.core.validate.warn_magnitude``) or
    #: ``"receptor"`` for a value in the unit of the receptor fed (a weight, a current)
    quantities: ClassVar[Mapping[str, str]] = {}

    @property
    def receptor_name(self) -> str | None:
        """Receptor that the drive feeds (None: the model's only one of :attr:`receptor_kind`)."""
        return getattr(self, "receptor", None)

    def value_range(self) -> tuple[float, float] | None:
        """Lowest and highest value the drive adds to its receptor in one step (None: unknown).

        ``Network.add_drive`` refuses a drive whose range leaves the receptor's sign (a negative
        input into a conductance). Default: from a ``weight`` attribute (0 or the weight).
        """
        weight = getattr(self, "weight", None)
        if weight is None:
            return None
        w = float(weight)
        return (min(w, 0.0), max(w, 0.0))
