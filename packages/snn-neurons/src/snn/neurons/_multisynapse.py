r"""LIF neuron with any number of exponential current synapses (NEST ``iaf_psc_exp_multisynapse``).

Subthreshold dynamics, all in SI units, for receptor ports ``k = 1..n``::

    C_m dV/dt = -(C_m / tau_m) (V - E_L) + sum_k I_k + I_e
    dI_k/dt   = -I_k / tau_syn_k,          I_k += w at each input spike of port k

Every port has its own time constant ``tau_syn_k`` and receptor (``"r1"``, ``"r2"``, ... or the
names given); weights may have either sign. The ``current`` receptor of every LIF model carries
the current of current sources [A], constant over the step and integrated like ``I_e``.

Spike and reset: when ``V >= V_th`` at the end of a step the neuron spikes (at the end of that
step), ``V`` is set to ``V_reset`` and held there for ``t_ref`` (a whole number of steps); the
synaptic currents keep evolving. Order within a step (as NEST): propagate the state over the
step, then add the inputs that arrive at its end, then test the threshold.

Integration: exact, with the propagators of Rotter & Diesmann (1999), "Exact digital simulation
of time-invariant linear systems with applications to neuronal modeling", Biol. Cybern.
81:381-402; ``tau_syn_k == tau_m`` uses the limit of the propagator (NEST refuses it).

Because the number of state variables and receptors depends on the instance, the step function
is generated for the model's ports and loaded from a file in the snn cache folder
(:func:`snn.core.kernels.load_module`), so numba caches it like any kernel.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import NeuronModel, Receptor, StateVar
from snn.core.errors import ConfigurationError
from snn.core.kernels import SPECIAL_ARGUMENTS, Imports, load_module
from snn.core.validate import require_positive, warn_time_constant
from snn.neurons._declarations import CURRENT, REFR, THRESHOLD_OFF
from snn.neurons._lif import _check_common, _refractory_steps, _times
from snn.neurons._propagators import current_to_voltage, decay, membrane_gain

__all__ = ["LIFExpMulti"]

#: constants of every instance; per-port constants are ``p_syn_<k>`` and ``g_syn_<k>``
_CONSTANTS = ("e_l", "p_v", "v_drive", "p_i", "v_th", "v_reset", "ref_steps")
#: local variables of the generated step function (receptor names must not shadow them)
_LOCALS = ("active", "v_free", "v_new", "r_new", "spiked", "v_out", "r_out")


#: CPython compiles a call of more arguments into a call with ``*args``, which numba's inliner
#: refuses ("Calling a closure with *args is unsupported"); from 6 ports on the step function is
#: therefore called, not inlined
_CALL_ARGS_MAX = 30


def _port_constants(k: int) -> tuple[str, str]:
    return f"p_syn_{k}", f"g_syn_{k}"


def _step_source(receptors: tuple[str, ...]) -> str:
    """Source of the step function for the given receptor ports (a ``lif_exp_step`` per port)."""
    states = [f"i_{r}" for r in receptors]
    decays, gains = zip(*(_port_constants(k + 1) for k in range(len(receptors))), strict=True)
    args = [
        "v",
        *states,
        "refr",
        *receptors,
        "current",
        "e_l",
        "p_v",
        *[c for pair in zip(decays, gains, strict=True) for c in pair],
        "v_drive",
        "p_i",
        "v_th",
        "v_reset",
        "ref_steps",
    ]
    synaptic = "".join(f" + {s} * {g}" for s, g in zip(states, gains, strict=True))
    # the new currents overwrite their arguments after v_free has used them, and the tuple
    # returned holds names only: CPython builds a display of more than 30 items through a
    # list, which numba cannot type when the items are conditional expressions
    currents = [
        f"    {s} = {s} * {p} + {r}" for s, p, r in zip(states, decays, receptors, strict=True)
    ]
    return "\n".join(
        [
            '@kernel(inline="always")' if len(args) <= _CALL_ARGS_MAX else "@kernel",
            f"def lif_exp_multi_step({', '.join(args)}):",
            f'    """One exact step of LIFExpMulti with {len(receptors)} port(s)."""',
            "    active = refr == 0",
            f"    v_free = e_l + (v - e_l) * p_v{synaptic} + v_drive + p_i * current",
            "    v_new = v_free if active else v",
            "    r_new = refr if active else refr - 1",
            "    spiked = active & (v_new >= v_th)",
            "    v_out = v_reset if spiked else v_new",
            "    r_out = ref_steps if spiked else r_new",
            *currents,
            f"    return v_out, {''.join(s + ', ' for s in states)}r_out, spiked",
        ]
    )


@dataclass(frozen=True, kw_only=True)
class LIFExpMulti(NeuronModel):
    """LIF neuron with exponential current synapses on any number of ports.

    NEST ``iaf_psc_exp_multisynapse``: each port (receptor) has its own synaptic time constant,
    and a spike of weight ``w`` [A] makes the current of its port jump by ``w``. Defaults are
    NEST's (one port with ``tau_syn = 2 ms``).

    Parameters
    ----------
    tau_m
        Membrane time constant [s].
    c_m
        Membrane capacitance [F].
    e_l
        Resting potential [V].
    v_th
        Spike threshold [V].
    v_reset
        Reset potential [V].
    t_ref
        Absolute refractory period [s].
    i_e
        Constant input current [A].
    tau_syn
        Decay time constant of each port's current [s]: a sequence with one entry per port
        (each a float or a per-neuron array); a single number means one port.
    receptor_names
        Names of the ports (identifiers), default ``("r1", "r2", ...)``.

    Notes
    -----
    State variables: ``v`` [V] (default ``e_l``), ``i_<name>`` [A] for each port (``i_r1``, ...),
    ``refr`` [steps]. Receptors: one per port (weights of either sign, in A) and ``current``.
    Exact integration.
    """

    unbounded_constants: ClassVar[frozenset[str]] = THRESHOLD_OFF

    tau_m: Any = 10e-3
    c_m: Any = 250e-12
    e_l: Any = -70e-3
    v_th: Any = -55e-3
    v_reset: Any = -70e-3
    t_ref: Any = 2e-3
    i_e: Any = 0.0
    tau_syn: Any = (2e-3,)
    receptor_names: tuple[str, ...] | None = None

    matrix_parameters: ClassVar[tuple[str, ...]] = ("tau_syn",)

    def __post_init__(self) -> None:
        _check_common(self, ("tau_m",), ("e_l", "v_th", "v_reset"))
        require_positive("c_m", self.c_m, "F")
        taus = self.tau_syn
        many = isinstance(taus, tuple | list) or (isinstance(taus, np.ndarray) and taus.ndim == 1)
        taus = tuple(taus) if many else (taus,)
        if not taus:
            raise ConfigurationError("`tau_syn` must give at least one port, got none.")
        for k, tau in enumerate(taus):
            require_positive(f"tau_syn[{k}]", tau, "s")
            warn_time_constant(f"tau_syn[{k}]", tau)
        object.__setattr__(self, "tau_syn", tuple(float(t) if np.ndim(t) == 0 else t for t in taus))
        names = self.receptor_names
        if names is None:
            names = tuple(f"r{k + 1}" for k in range(len(taus)))
        elif isinstance(names, str) or not isinstance(names, tuple | list):
            raise ConfigurationError(
                f"`receptor_names` must be a sequence of names, got {names!r}."
            )
        names = tuple(names)
        if len(names) != len(taus):
            raise ConfigurationError(
                f"`receptor_names` must give one name per port: got {len(names)} names for "
                f"{len(taus)} values of `tau_syn`."
            )
        for name in names:
            if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
                raise ConfigurationError(
                    f"`receptor_names` must be Python identifiers, got {name!r}."
                )
        object.__setattr__(self, "receptor_names", names)
        taken = [
            "v",
            "refr",
            CURRENT.name,
            *_CONSTANTS,
            *_LOCALS,
            *SPECIAL_ARGUMENTS,
            *[c for k in range(len(names)) for c in _port_constants(k + 1)],
        ]
        for name in names:
            if name in taken or f"i_{name}" in taken:
                raise ConfigurationError(
                    f"`receptor_names` contains {name!r}, which (or whose state variable "
                    f"'i_{name}') is already a name of the model; choose another name."
                )
            taken += [name, f"i_{name}"]

    @property
    def state_vars(self) -> tuple[StateVar, ...]:  # type: ignore[override]
        """``v``, one synaptic current ``i_<name>`` per port, ``refr``."""
        return (
            StateVar("v", "V", doc="membrane potential"),
            *[
                StateVar(f"i_{name}", "A", doc=f"synaptic current of port {name!r}")
                for name in self.receptor_names
            ],
            REFR,
        )

    @property
    def receptors(self) -> tuple[Receptor, ...]:  # type: ignore[override]
        """One receptor per port (current jumps of either sign) and ``current``."""
        return (
            *[Receptor(name, "A", 0, "current jumps") for name in self.receptor_names],
            CURRENT,
        )

    def validate_size(self, n: int) -> None:
        # tau_syn and receptor_names hold one entry per port, not per neuron
        for name, value in [*vars(self).items(), *enumerate(self.tau_syn)]:
            if name in ("tau_syn", "receptor_names"):
                continue
            arr = np.asarray(value) if isinstance(value, np.ndarray | list | tuple) else None
            if arr is not None and arr.ndim == 1 and arr.shape[0] != n:
                label = f"tau_syn[{name}]" if isinstance(name, int) else name
                raise ConfigurationError(
                    f"{type(self).__name__}.{label} has {arr.shape[0]} values, "
                    f"but the population has {n} neurons."
                )

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l, **{f"i_{r}": 0.0 for r in self.receptor_names}, "refr": 0}

    def step_function(self) -> Callable[..., Any]:
        module = load_module("snn_lif_exp_multi", _step_source(self.receptor_names), Imports())
        return module.lif_exp_multi_step

    def constants(self, dt: float) -> dict[str, Any]:
        gain = membrane_gain(dt, self.tau_m, self.c_m)
        c: dict[str, Any] = {"e_l": self.e_l, "p_v": decay(dt, self.tau_m)}
        for k, tau in enumerate(self.tau_syn):
            p_name, g_name = _port_constants(k + 1)
            c[p_name] = decay(dt, tau)
            c[g_name] = current_to_voltage(dt, tau, self.tau_m, self.c_m)
        c.update(
            v_drive=_times(gain, self.i_e),
            p_i=gain,
            v_th=self.v_th,
            v_reset=self.v_reset,
            ref_steps=_refractory_steps(self.t_ref, dt),
        )
        return c
