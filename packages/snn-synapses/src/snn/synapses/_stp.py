r"""Short-term plasticity: Tsodyks-Markram synapses (NEST tsodyks_synapse, tsodyks2_synapse).

``TsodyksSynapse`` (Tsodyks, Pawelzik & Markram 1998, "Neural networks with dynamic synapses",
Neural Comput. 10:821-853) keeps three fractions of resources per synapse, recovered ``x``, active
``y`` and inactive ``z = 1 - x - y``, and the utilisation ``u``::

    dx/dt = z / tau_rec,   dy/dt = -y / tau_psc,   du/dt = -u / tau_fac
    at a spike:  u += U (1 - u),   dy = u x,   x -= dy,   y += dy

and transmits ``w * dy``. Between spikes the linear system is solved exactly (NEST's
propagators); ``tau_psc`` should equal the target's synaptic time constant, whose current then
follows ``y``. ``tau_fac = 0`` turns facilitation off (``u`` restarts from 0 at every spike).

``Tsodyks2Synapse`` (Fuhrman, Segev, Markram & Tsodyks 2002; Maass & Markram 2002, Eqs. 4-5)
keeps ``u`` and ``x`` only. At spike ``n + 1``, an interval ``h`` after spike ``n``, both first
recover over that interval::

    x_{n+1} = 1 + (x_n - x_n u_n - 1) exp(-h / tau_rec)
    u_{n+1} = U + u_n (1 - U) exp(-h / tau_fac)

and then ``w u_{n+1} x_{n+1}`` is transmitted. The first spike transmits ``w u0 x0`` unchanged
(NEST's ``tsodyks2_synapse::send``, which recovers over the current interval before sending).

Both update at each presynaptic spike only (on delivery), with times taken on the grid; spike
intervals are whole steps.

``U``, ``tau_rec`` and ``tau_fac`` (and ``tau_psc``) may differ between synapses, as in NEST,
where every connection holds its own: give them as one value per synapse (an array in the
projection's storage order, or a :class:`~snn.core.random.Distribution` drawn when the
projection is made), or set them per synapse later with ``Projection.set(U=..., pre=...,
post=...)``. One number (the default) is stored once per projection.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import StateVar, SynapseModel
from snn.core.random import Distribution
from snn.core.validate import require_in_range, require_nonnegative, require_positive

__all__ = ["Tsodyks2Synapse", "TsodyksSynapse"]

#: a parameter that may differ between synapses: one number, one value per synapse (storage
#: order) or a Distribution drawn when the projection is made
PerSynapse = float | np.ndarray | Distribution

#: -1 before the first presynaptic spike
_LAST = StateVar("last", "steps", "int", "step of the previous presynaptic spike", low=-1.0)


def tsodyks_on_pre(
    w, u, x, y, last, step, dt, tau_psc, tau_rec, tau_fac, big_u
):  # pragma: no cover
    """NEST tsodyks_synapse::send, for one spike (see the module docstring)."""
    h = (step - last) * dt
    puu = 0.0 if tau_fac == 0.0 else math.exp(-h / tau_fac)
    pyy = math.exp(-h / tau_psc)
    pzz = math.exp(-h / tau_rec)
    pxy = ((pzz - 1.0) * tau_rec - (pyy - 1.0) * tau_psc) / (tau_psc - tau_rec)
    pxz = 1.0 - pzz
    z = 1.0 - x - y
    u = u * puu
    x = x + pxy * y + pxz * z
    y = y * pyy
    u = u + big_u * (1.0 - u)
    dy = u * x
    return w, u, x - dy, y + dy, step, dy * w


@dataclass(frozen=True, kw_only=True)
class TsodyksSynapse(SynapseModel):
    """Depressing and facilitating synapse with three resource states (NEST ``tsodyks_synapse``).

    Parameters
    ----------
    U
        Increment of the utilisation per spike, in [0, 1].
    tau_psc
        Decay time constant of the active resources [s]; use the target's synaptic time constant.
    tau_rec
        Recovery time constant [s].
    tau_fac
        Facilitation time constant [s]; 0 disables facilitation.

        These four may differ between synapses: each is one number, an array of one value per
        synapse (storage order) or a :class:`~snn.core.random.Distribution`.
    u0, x0, y0
        Initial utilisation and recovered and active fractions (NEST defaults 0, 1, 0).

    Notes
    -----
    Synapse variables: ``u``, ``x``, ``y`` and ``last`` (step of the previous spike; -1 before the
    first, so that the first interval is measured from time 0 as in NEST).
    """

    U: PerSynapse = 0.5
    tau_psc: PerSynapse = 3e-3
    tau_rec: PerSynapse = 800e-3
    tau_fac: PerSynapse = 0.0
    u0: float = 0.0
    x0: float = 1.0
    y0: float = 0.0

    vector_parameters: ClassVar[tuple[str, ...]] = ("U", "tau_psc", "tau_rec", "tau_fac")
    synapse_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("u", "1", doc="utilisation"),
        StateVar("x", "1", doc="recovered resources"),
        StateVar("y", "1", doc="active resources"),
        _LAST,
    )

    def __post_init__(self) -> None:
        require_in_range("U", self.U, 0.0, 1.0)
        require_positive("tau_psc", self.tau_psc, "s")
        require_positive("tau_rec", self.tau_rec, "s")
        require_nonnegative("tau_fac", self.tau_fac, "s")
        require_in_range("u0", self.u0, 0.0, 1.0)
        require_in_range("x0", self.x0, 0.0, 1.0)
        require_in_range("y0", self.y0, 0.0, 1.0 - self.x0)
        same = np.ravel(np.asarray(self.tau_psc) == np.asarray(self.tau_rec))
        if same.any():
            from snn.core.errors import ConfigurationError

            k = int(np.flatnonzero(same)[0])
            tau = float(np.broadcast_to(self.tau_rec, same.shape)[k])
            where = f" at synapse {k}" if same.shape[0] > 1 else ""
            raise ConfigurationError(
                "`tau_psc` and `tau_rec` must differ (the propagator divides by their "
                f"difference), got both {tau!r} s{where}."
            )

    def initial_synapse_state(self) -> dict[str, float]:
        return {"u": self.u0, "x": self.x0, "y": self.y0, "last": -1}

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "tau_psc": self.tau_psc,
            "tau_rec": self.tau_rec,
            "tau_fac": self.tau_fac,
            "big_u": self.U,
        }

    def on_pre_function(self) -> Callable[..., Any]:
        return tsodyks_on_pre


def tsodyks2_on_pre(w, u, x, last, step, dt, tau_rec, tau_fac, big_u):  # pragma: no cover
    """NEST tsodyks2_synapse::send, for one spike (see the module docstring)."""
    if last >= 0:
        # recovery over the interval that ends with this spike, before it is sent
        h = (step - last) * dt
        x_decay = math.exp(-h / tau_rec)
        u_decay = 0.0 if tau_fac == 0.0 else math.exp(-h / tau_fac)
        x = 1.0 + (x - x * u - 1.0) * x_decay
        u = big_u + u * (1.0 - big_u) * u_decay
    return w, u, x, step, x * u * w


@dataclass(frozen=True, kw_only=True)
class Tsodyks2Synapse(SynapseModel):
    """Depressing and facilitating synapse, two-variable form (NEST ``tsodyks2_synapse``).

    Parameters
    ----------
    U
        Utilisation increment per spike, in [0, 1].
    tau_rec
        Recovery time constant [s].
    tau_fac
        Facilitation time constant [s]; 0 disables facilitation.

        These three may differ between synapses: each is one number, an array of one value per
        synapse (storage order) or a :class:`~snn.core.random.Distribution`.
    u0, x0
        Initial values (NEST defaults: ``u0 = U``, ``x0 = 1``).

    Notes
    -----
    Synapse variables: ``u``, ``x`` (their values at the last spike, as sent), ``last`` (step of
    the previous spike, -1 before the first: the first spike sends ``w u0 x0``).
    """

    U: PerSynapse = 0.5
    tau_rec: PerSynapse = 800e-3
    tau_fac: PerSynapse = 0.0
    u0: float | None = None
    x0: float = 1.0

    vector_parameters: ClassVar[tuple[str, ...]] = ("U", "tau_rec", "tau_fac")
    synapse_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("u", "1", doc="utilisation"),
        StateVar("x", "1", doc="fraction of resources available"),
        _LAST,
    )

    def __post_init__(self) -> None:
        require_in_range("U", self.U, 0.0, 1.0)
        require_positive("tau_rec", self.tau_rec, "s")
        require_nonnegative("tau_fac", self.tau_fac, "s")
        if self.u0 is not None:
            require_in_range("u0", self.u0, 0.0, 1.0)
        require_in_range("x0", self.x0, 0.0, 1.0)

    def initial_synapse_state(self) -> dict[str, float]:
        return {"u": self.U if self.u0 is None else self.u0, "x": self.x0, "last": -1}

    def constants(self, dt: float) -> dict[str, Any]:
        return {"tau_rec": self.tau_rec, "tau_fac": self.tau_fac, "big_u": self.U}

    def on_pre_function(self) -> Callable[..., Any]:
        return tsodyks2_on_pre
