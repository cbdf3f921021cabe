"""Setting values after creation: neuron parameters and state, checks shared with ``connect``.

A model is a frozen dataclass; a population does not change it in place but replaces it by
``dataclasses.replace(model, **new)``, which runs the model's own ``__post_init__`` checks. All
values of one ``set`` call are checked (and the new model's loop constants computed) before any
is written, so a failing call leaves the network as it was.

The loop reads each population's constants (``pop._consts``, in the loop's types, for the
neurons of this process) through getters when a run starts, so a new value costs no
compilation. What the generated update indexes is structural: a constant that becomes one value
per neuron (a scalar parameter set on a view, or to an array) makes the next run generate and
compile the loop again, once; a per-neuron constant stays an array afterwards, even when all its
values become equal again, so that going back costs nothing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from snn.core._derived import evaluate
from snn.core._magnitudes import extremes, receptor_quantity, warn_magnitude
from snn.core._model import Model, NeuronModel, SpikeGenerator
from snn.core._validate import did_you_mean
from snn.core.errors import ConfigurationError
from snn.core.random import Distribution, derive_key

if TYPE_CHECKING:
    from snn.core._population import Population, PopulationView

__all__ = [
    "FrozenAttributes",
    "check_weights",
    "did_you_mean",
    "get_population_value",
    "loop_constants",
    "parameter_names",
    "population_assign_hint",
    "prepare_model",
    "replaced",
    "set_population_values",
    "state_values",
    "unknown_name",
    "update_model",
]


_MISSING = object()


class FrozenAttributes:
    """Refuses assignment to the public attributes named in ``_frozen`` once they are set.

    ``_frozen`` maps an attribute to the way to change it instead; the error names it. A
    read-only property is refused too, and once ``_sealed`` is set (at the end of a subclass's
    ``__init__``) so is any public attribute the object does not have, and a method: nothing
    would read it (``pop.v = ...`` as in Brian2 would otherwise be a silent no-op); the error
    names the setter when :meth:`_assign_hint` knows one.
    """

    _frozen: ClassVar[dict[str, str]] = {}

    def __setattr__(self, name: str, value: Any) -> None:
        attr = getattr(type(self), name, _MISSING)
        if name in self._frozen and (name in self.__dict__ or isinstance(attr, property)):
            raise ConfigurationError(
                f"`{type(self).__name__}.{name}` cannot be assigned; {self._frozen[name]}"
            )
        if isinstance(attr, property) and attr.fset is None:
            raise ConfigurationError(f"`{type(self).__name__}.{name}` is read-only.")
        if (
            self.__dict__.get("_sealed")
            and not name.startswith("_")
            and name not in self.__dict__
            and (attr is _MISSING or callable(attr))
        ):
            cls = type(self).__name__
            if callable(attr):
                raise ConfigurationError(f"`{cls}.{name}` is a method; it cannot be assigned.")
            hint = self._assign_hint(name)
            if not hint:
                hint = did_you_mean(name, [n for n in dir(self) if not n.startswith("_")])
            raise ConfigurationError(f"{cls} has no attribute {name!r} to assign.{hint}")
        object.__setattr__(self, name, value)

    def _assign_hint(self, name: str) -> str:
        """What to call instead of assigning ``name`` (a setter), or an empty string."""
        return ""


def unknown_name(what: str, name: str, candidates: list[str]) -> ConfigurationError:
    """The error for a name that is not among ``candidates``."""
    return ConfigurationError(
        f"{what} has no {name!r}.{did_you_mean(name, candidates)} It has {sorted(candidates)}."
    )


def check_weights(name: str, value: Any, sign: int, unit: str, *, warn: bool) -> None:
    """Refuse NaN/inf, and weights of the wrong sign for a receptor (Distributions pass).

    With ``warn``, also warn about a magnitude implausible for the receptor's unit.
    """
    from snn.core._connectivity import BoundLaw, PairLaw

    if isinstance(value, Distribution | PairLaw | BoundLaw):
        return
    # one min and one max, no temporaries: drawn weights run to hundreds of millions
    lo, hi = extremes(value)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ConfigurationError(f"`{name}` contains NaN or inf.")
    shown = "" if unit == "1" else f" {unit}"
    if sign > 1 and lo <= 0:
        raise ConfigurationError(
            f"`{name}` must be > 0 for this receptor, got {lo!r}: the model sees only whether "
            "input arrived, and a weight of 0 would deliver nothing it can see."
        )
    if sign > 0 and lo < 0 and unit == "S":
        raise ConfigurationError(
            f"`{name}` is a conductance and must be >= 0 S, got {lo!r}. A conductance synapse "
            "inhibits through its receptor's reversal potential, not through the weight's sign "
            "(NEST reads a negative weight as a choice of its inhibitory receptor: give the "
            "magnitude to that receptor)."
        )
    if sign > 0 and lo < 0:
        raise ConfigurationError(
            f"`{name}` must be >= 0{shown} for this excitatory receptor, got {lo!r}. Use the "
            "inhibitory receptor instead."
        )
    if sign < 0 and hi > 0:
        raise ConfigurationError(
            f"`{name}` must be <= 0{shown} for this receptor (inhibitory current), got {hi!r}."
        )
    if warn:
        warn_magnitude(name, value, receptor_quantity(unit), bounds=(lo, hi))


def parameter_names(obj: Any) -> list[str]:
    """The parameters of a model, drive or synapse model (its dataclass init fields)."""
    if not dataclasses.is_dataclass(obj):
        return []
    return [f.name for f in dataclasses.fields(obj) if f.init and not f.name.startswith("_")]


def replaced(obj: Any, changes: Mapping[str, Any], what: str) -> Any:
    """``dataclasses.replace(obj, **changes)``: the object's own checks run on the new values."""
    if not dataclasses.is_dataclass(obj):
        raise ConfigurationError(
            f"{what} ({type(obj).__name__}) is not a dataclass, so its parameters cannot be "
            "changed after creation; make it a frozen dataclass of its parameters."
        )
    try:
        return dataclasses.replace(obj, **changes)
    except TypeError as exc:
        raise ConfigurationError(f"cannot set {sorted(changes)} of {what}: {exc}.") from None


# ----------------------------------------------------------------------------- populations
def _numeric(value: Any) -> bool:
    if isinstance(value, bool | str) or value is None:
        return False
    try:
        return np.asarray(value).dtype.kind in "iuf"
    except (TypeError, ValueError):
        return False


def _per_neuron(target: Population | PopulationView, name: str, value: Any, key: Any) -> Any:
    """``value`` for the target's neurons (in target order): a number, or an array of its size."""
    if isinstance(value, Distribution):
        return value.draw_at(target.indices, key=key)
    if not _numeric(value):
        raise ConfigurationError(
            f"`{name}` must be a number, an array of {target.size} numbers or a Distribution, "
            f"got {value!r}."
        )
    arr = np.asarray(value)
    if arr.ndim == 0:
        return arr.item()
    if arr.shape != (target.size,):
        raise ConfigurationError(
            f"`{name}` for {target.name!r} must be a number, a Distribution or an array of "
            f"length {target.size} (one value per neuron), got an array of shape {arr.shape}."
        )
    return arr


def _varies_per_neuron(pop: Population, name: str, current: Any) -> bool:
    """Whether a parameter of a neuron model that holds a number (or one per neuron) varies.

    Anything else (spike times, a method, a tuple of ports, a field the model names in
    ``model_sequences``) is one value for the population.
    """
    return (
        isinstance(pop.model, NeuronModel)
        and name not in pop.model.model_sequences
        and _numeric(current)
        and (np.ndim(current) == 0 or np.shape(current) == (pop.size,))
    )


def _merged_parameter(target: Population | PopulationView, name: str, value: Any) -> Any:
    """The model's new value of parameter ``name`` once the target's neurons get ``value``."""
    pop = target.population
    current = getattr(pop.model, name)
    whole = target is pop
    if not _varies_per_neuron(pop, name, current):
        if not whole or isinstance(value, Distribution):
            raise ConfigurationError(
                f"`{name}` of {type(pop.model).__name__} is one value for the whole population "
                f"({current!r}); set it on population {pop.name!r} (not on a view), and not to a "
                "Distribution."
            )
        return value
    key = derive_key(pop.network.seed, "population", pop.index, "parameter", name)
    new = _per_neuron(target, name, value, key)
    if whole and np.ndim(new) == 0:
        return new
    full = np.array(np.broadcast_to(np.asarray(current), (pop.size,)), dtype=np.float64)
    full[target.indices] = new
    # an array or a Distribution given, or values per neuron already, stay one value per neuron
    # (so a later set needs no compilation, in a callback too); a number given to a view that
    # leaves every neuron the same value keeps one number (no per-neuron constant)
    if np.ndim(current) == 0 and np.ndim(new) == 0 and np.all(full == full[0]):
        return float(full[0])
    return full


#: the kind of quantity a state variable of each unit is, for the magnitude warnings
_STATE_QUANTITY = {"V": "potential", "A": "current", "S": "conductance"}


def state_values(
    target: Population | PopulationView, name: str, value: Any, dtype: Any
) -> np.ndarray:
    """Values of state variable ``name`` for the target's local neurons (target order)."""
    pop = target.population
    names = [v.name for v in pop.model.state_vars]
    if isinstance(value, Distribution):
        # the key and counter of initial values: the same values as `init={name: value}`
        key = derive_key(pop.network.seed, "population", pop.index, "init")
        out = value.draw_at(target.local_index, key=key, b=names.index(name))
    else:
        if not _numeric(value):
            raise ConfigurationError(
                f"`{name}` must be a number, an array of {target.size} numbers or a "
                f"Distribution, got {value!r}."
            )
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim == 0:
            out = np.full(target.n_local, float(arr))
        elif arr.shape == (target.size,):
            out = arr[target._local_order]
        else:
            raise ConfigurationError(
                f"`{name}` for {target.name!r} must be a number, a Distribution or an array of "
                f"length {target.size} (one value per neuron), got an array of shape {arr.shape}."
            )
    if not np.all(np.isfinite(out)):
        raise ConfigurationError(f"`{name}` contains NaN or inf.")
    var = pop.model.state_vars[names.index(name)]
    # a potential given in NEST's millivolts (`init={"v": -65.0}`) runs from -65 V otherwise
    warn_magnitude(name, out, _STATE_QUANTITY.get(var.unit))
    if var.low is not None and out.size and out.min() < var.low:
        raise ConfigurationError(
            f"`{name}` must be >= {var.low} {var.unit} (a {var.doc or name} below it is "
            f"meaningless), got {float(out.min())!r}."
        )
    if np.dtype(dtype).kind == "i" and out.size:
        info = np.iinfo(dtype)
        bad = (out != np.rint(out)) | (out > info.max) | (out < info.min)
        if bad.any():
            raise ConfigurationError(
                f"`{name}` must be a whole number of {var.unit} that fits "
                f"{np.dtype(dtype).name}, got {float(out[bad][0])!r}."
            )
    return np.ascontiguousarray(out, dtype=dtype)


def loop_constants(pop: Population, model: NeuronModel) -> tuple[dict[str, Any], frozenset[str]]:
    """The model's constants as the loop takes them, and the names that are per-neuron arrays.

    Arrays hold the values of this process's neurons, in the network's float type; integers are
    as wide as the floats. A constant already per-neuron in the population's loop
    (``pop._array_consts``) stays an array.
    """
    fdt = pop.network.float_dtype
    sticky = getattr(pop, "_array_consts", frozenset())
    out: dict[str, Any] = {}
    arrays = set()
    for name, value in model.checked_constants(pop.network.dt).items():
        if isinstance(value, np.ndarray) or name in sticky:
            arr = np.asarray(value)
            if arr.ndim == 0:
                local = np.full(pop.n_local, arr.item())
            else:
                local = arr[pop.local_index] if arr.shape[0] == pop.size else arr
            out[name] = np.ascontiguousarray(local, dtype=fdt)
            arrays.add(name)
        elif isinstance(value, int | np.integer) and not isinstance(value, bool):
            itype = np.int64 if fdt.itemsize == 8 else np.int32
            if not np.iinfo(itype).min <= value <= np.iinfo(itype).max:
                raise ConfigurationError(
                    f"{type(model).__name__}'s constant `{name}` is {value}, beyond the "
                    f"{np.dtype(itype).name} counters of a {fdt.name} network (population "
                    f"{pop.name!r}); use a shorter time or a float64 network."
                )
            out[name] = itype(value)
        elif isinstance(value, tuple):
            # homogeneous values packed into one argument (NeuronModel.constants)
            out[name] = tuple(fdt.type(x) for x in value)
        else:
            out[name] = fdt.type(value)
    return out, frozenset(arrays)


def prepare_model(pop: Population, model: Model) -> Any:
    """Check ``model`` for ``pop`` and compute what the loop will read from it (nothing is set).

    Returns the loop constants and per-neuron names of a neuron model, or a spike generator's
    buffers.
    """
    net = pop.network
    model.validate_size(pop.size)
    model.check_dt(net.dt)
    if isinstance(model, NeuronModel):
        model.check_protocol()
        return loop_constants(pop, model)
    assert isinstance(model, SpikeGenerator)
    return {k: np.ascontiguousarray(v) for k, v in model.buffers(pop.local_index, net.dt).items()}


def update_model(pop: Population, model: Model, prepared: Any) -> None:
    """Give ``pop`` a new model of the same kind, with what :func:`prepare_model` returned.

    A new step function, other constants, or a constant that became per-neuron change the loop's
    structure (it is generated again at the next run); anything else is read live.
    """
    net = pop.network
    old = pop.model
    pop.__dict__["model"] = model
    if isinstance(model, SpikeGenerator):
        pop.buffers = prepared
        if model.emit_function() is not old.emit_function():  # type: ignore[union-attr]
            net._touch(code_only=True)
        return
    assert isinstance(model, NeuronModel)
    consts, arrays = prepared
    structural = (
        model.step_function() is not old.step_function()  # type: ignore[union-attr]
        or list(consts) != list(pop._consts)
        or not arrays <= pop._array_consts
    )
    pop._consts = consts
    pop._array_consts = arrays | pop._array_consts
    if structural:
        net._touch(code_only=True)


def set_population_values(target: Population | PopulationView, values: Mapping[str, Any]) -> None:
    """Set state variables and parameters of a population or view (see ``Population.set``)."""
    pop = target.population
    net = pop.network
    model = pop.model
    state_names = [v.name for v in model.state_vars]
    params = parameter_names(model)
    new_state: dict[str, np.ndarray] = {}
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name in state_names:
            new_state[name] = state_values(target, name, value, pop.state[name].dtype)
        elif name in params:
            changes[name] = _merged_parameter(target, name, value)
        else:
            raise unknown_name(
                f"{type(model).__name__} (population {pop.name!r})",
                name,
                state_names + params,
            )
    new_model = prepared = None
    if changes:
        new_model = replaced(model, changes, f"the model of population {pop.name!r}")
        prepared = prepare_model(pop, new_model)
    # everything is checked: write
    if new_model is not None:
        update_model(pop, new_model, prepared)
        if net.step == 0:
            # at t = 0 the state is the initial state, which may follow the parameters (v
            # starts at e_l): as in a network built with the new values
            pop._init_state()
    positions = target.local_positions
    for name, arr in new_state.items():
        pop.state[name][positions] = arr
        if net.step == 0:
            # values set at t = 0 are initial values: Network.reset restores them
            pop._init_overrides.append((name, positions, arr.copy()))


def population_assign_hint(target: Population | PopulationView, name: str) -> str:
    """`` Set it with pop.set(name=...)`` for a state variable or parameter of the model."""
    pop = target.population
    if name in pop.state or name in parameter_names(pop.model):
        kind = "state variable" if name in pop.state else "parameter"
        return (
            f" {name!r} is a {kind} of {type(pop.model).__name__}: set it with "
            f"{type(target).__name__}.set({name}=value) and read it with .get({name!r})."
        )
    return ""


def get_population_value(target: Population | PopulationView, name: Any) -> Any:
    """Values of a state variable or parameter for the target's local neurons (see ``get``).

    A list or tuple of names gives a dict of their values (NEST's ``get([...])``); None every
    state variable and parameter (NEST's ``get()``).
    """
    if name is None:
        name = [*target.population.state, *parameter_names(target.population.model)]
    if isinstance(name, list | tuple):
        return {n: get_population_value(target, n) for n in name}
    if not isinstance(name, str):
        raise ConfigurationError(
            f"`get` takes the name of a state variable or parameter (or a list of names), got "
            f"{name!r}."
        )
    pop = target.population
    model = pop.model
    if name in pop.state:
        return pop.state[name][target.local_positions].copy()
    params = parameter_names(model)
    derived = getattr(model, "derived_variables", dict)()
    if name in derived:
        if derived[name].function is None:
            raise ConfigurationError(
                f"`{name}` of {pop.name!r} cannot be computed: {derived[name].refusal}"
            )
        return evaluate(pop, derived[name], target.local_positions)
    if name not in params:
        raise unknown_name(
            f"{type(model).__name__} (population {pop.name!r})",
            name,
            list(pop.state) + params + list(derived),
        )
    value = getattr(model, name)
    if not _varies_per_neuron(pop, name, value):
        return value
    arr = np.asarray(value)
    return np.array(np.broadcast_to(arr, (pop.size,))[target.local_index], dtype=np.float64)
