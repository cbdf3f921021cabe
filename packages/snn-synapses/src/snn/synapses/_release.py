r"""Stochastic release: synapses that transmit each presynaptic spike with a probability.

At every presynaptic spike, each synapse of the projection independently makes one Bernoulli
trial with success probability ``p``; on success it transmits its weight ``w`` (after its delay,
as a static synapse does), on failure nothing::

    at a presynaptic spike emitted at step s:  transmitted = w  if  U < p  else  0,
    U ~ Uniform[0, 1), one draw per synapse and spike

This is NEST's ``bernoulli_synapse`` (``models/bernoulli_synapse.h``: ``send`` draws
``drand() < p_transmit``), PyNN's ``SimpleStochasticSynapse(weight, delay, p)`` and Brian2's
``on_pre="v_post += w * (rand() < p)"``. The count of spikes a synapse transmits out of ``n`` is
binomial ``B(n, p)``; ``p = 0`` transmits nothing and ``p = 1`` every spike, exactly as a static
synapse (``U < 1`` always holds).

The draw ``U`` is the engine's keyed draw for ``on_pre`` (:mod:`snn.core._synapse`, *Random
numbers*): a function of the network seed, the projection, the synapse (its target and its rank
among the target's synapses) and the spike's step. Results are therefore the same on any number
of threads or MPI ranks, in a rerun with the same seed, and after a checkpoint or
``Network.reset``; the draws of two synapses, or of one synapse at two spikes, are independent.

Stochastic short-term plasticity: release sites that are used up by a release and recover at
random. ``StochasticTsodyksSynapse`` has one site (PyNN's ``StochasticTsodyksMarkramSynapse``,
which PyNN's NEST backend runs as ``stochastic_stp_synapse`` of PyNN's NEST extension,
``pyNN/nest/extensions/stochastic_stp_synapse.h``, after Fuhrmann, Segev, Markram & Tsodyks
2002); at a spike at time ``t``, ``h`` after the previous one (the first is measured from 0)::

    u = U                                  if tau_fac = 0
    u = U + u (1 - U) exp(-h / tau_fac)    otherwise (u starts at 0: the first spike has u = U)
    if depleted: the site recovers if U1 > exp(-(t - t_surv) / tau_rec), else t_surv = t
    if recovered: release if U2 < u (transmit w; the site is depleted, t_surv = t)

``QuantalSynapse`` has ``n`` sites (PyNN's ``MultiQuantalSynapse``, NEST's
``quantal_stp_synapse``, ``models/quantal_stp_synapse.h``; Fuhrmann et al. 2002, Loebel et al.
2009): of ``a`` sites available, at a spike ``h`` after the previous one (not at the first)::

    u = U + u (1 - U) exp(-h / tau_fac)    (exp(...) = 0 if tau_fac = 0; u starts at U)
    each of the n - a depleted sites recovers with probability 1 - exp(-h / tau_rec)
    each available site releases with probability u;  k released: transmit k w,  a -= k

Recovery is a Poisson process of rate ``1 / tau_rec`` per depleted site and releases are
independent Bernoulli trials, so every site is a Markov chain of its own; its probability ``x``
of being available at a spike follows Tsodyks-Markram's deterministic recursion
(:class:`~snn.synapses.Tsodyks2Synapse`, ``x_{n+1} = 1 + (x_n (1 - u_n) - 1) exp(-h / tau_rec)``,
``x_1 = 1``) and the sites are independent: the count released at the ``n``-th spike is
binomial ``B(n_sites, u_n x_n)``, and the mean transmitted is ``w n_sites u_n x_n``, the
deterministic synapse's. With one site and ``u`` starting as the references start it, the two
models are the same law.

Each draw (a site's recovery, a site's release) is one of the synapse's keyed draws for the
spike (:func:`snn.core.random.stream_uniform`, numbered: ``StochasticTsodyksSynapse`` uses draw
0 for recovery and 1 for release, ``QuantalSynapse`` draw ``i`` for the ``i``-th depleted site's
recovery and ``n + j`` for the ``j``-th available site's release), so the results share the
keying of ``StochasticSynapse``: any thread or MPI layout, reruns, checkpoints and resets give
the same releases.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import StateVar, SynapseModel
from snn.core.errors import ConfigurationError
from snn.core.random import Distribution, stream_uniform
from snn.core.validate import require_in_range, require_nonnegative, require_positive

__all__ = ["QuantalSynapse", "StochasticSynapse", "StochasticTsodyksSynapse"]

#: a parameter that may differ between synapses: one number, one value per synapse (storage
#: order) or a Distribution drawn when the projection is made
PerSynapse = float | np.ndarray | Distribution

#: most release sites of a QuantalSynapse: a spike uses up to 2 n keyed draws, of the 2**17
#: a synapse has per spike (snn.core.random.stream_uniform)
MAX_SITES = 2**16


def release_on_pre(w, uniform, p):  # pragma: no cover - compiled
    """One Bernoulli trial per synapse and spike: transmit ``w`` with probability ``p``."""
    return w, w if uniform < p else 0.0 * w


@dataclass(frozen=True, kw_only=True)
class StochasticSynapse(SynapseModel):
    """Synapse transmitting each presynaptic spike with probability ``p`` (``bernoulli_synapse``).

    Parameters
    ----------
    p
        Release (transmission) probability of each spike at each synapse, in [0, 1]
        (NEST ``p_transmit``, PyNN ``p``): one value for the projection, or one per synapse
        (an array in the projection's storage order, or a
        :class:`~snn.core.random.Distribution` drawn when the projection is made); change it
        with ``Projection.set(p=...)``.

    Notes
    -----
    The synapses keep no state besides their weight (a stateful projection stores one weight
    per synapse, 8 bytes) and the counter of their keyed draws (8 bytes); see the module
    docstring for the law and the keying. Probabilities given per synapse cost 8 bytes per
    synapse more.

    Examples
    --------
    >>> from snn.synapses import StochasticSynapse
    >>> StochasticSynapse(p=0.3)
    StochasticSynapse(p=0.3)
    """

    p: float | np.ndarray | Distribution = 1.0

    vector_parameters: ClassVar[tuple[str, ...]] = ("p",)

    def __post_init__(self) -> None:
        require_in_range("p", self.p, 0.0, 1.0)

    def constants(self, dt: float) -> dict[str, Any]:
        return {"p": self.p}

    def on_pre_function(self) -> Callable[..., Any]:
        return release_on_pre


def stochastic_tsodyks_on_pre(
    w, u, r, t_surv, last, step, dt, stream, tau_rec, tau_fac, big_u
):  # pragma: no cover - compiled
    """PyNN's stochastic_stp_synapse::send for one spike (see the module docstring)."""
    if tau_fac > 0.0:
        u = big_u + u * (1.0 - big_u) * math.exp(-(step - last) * dt / tau_fac)
    else:
        u = big_u
    out = 0.0 * w
    if r == 0:
        if stream_uniform(stream, 0) > math.exp(-(step - t_surv) * dt / tau_rec):
            r = 1
        else:
            t_surv = step
    if r == 1 and stream_uniform(stream, 1) < u:
        out = w
        r = 0
        t_surv = step
    return w, u, r, t_surv, step, out


@dataclass(frozen=True, kw_only=True)
class StochasticTsodyksSynapse(SynapseModel):
    """One release site that a release uses up and that recovers at random (PyNN's NEST model).

    PyNN's ``StochasticTsodyksMarkramSynapse`` (``stochastic_stp_synapse``): the stochastic
    form of :class:`~snn.synapses.Tsodyks2Synapse`, whose mean it has (module docstring). Each
    spike transmits the weight ``w`` or nothing.

    Parameters
    ----------
    U
        Utilisation increment per spike, in [0, 1]: the release probability without
        facilitation.
    tau_rec
        Recovery time constant [s]: a depleted site recovers at rate ``1 / tau_rec``.
    tau_fac
        Facilitation time constant [s]; 0 disables facilitation (``u = U`` at every spike).

        These three may differ between synapses: each is one number, an array of one value per
        synapse (storage order) or a :class:`~snn.core.random.Distribution`.
    u0
        Utilisation before the first spike, in [0, 1] (the reference's default 0: the first
        spike has ``u = U``).

    Notes
    -----
    Synapse variables: ``u``; ``r``, 1 while the site is available, 0 while depleted (starts
    at 1); ``t_surv``, the step from which a depleted site's survival is measured; ``last``,
    the step of the previous spike. Times are taken on the grid; -1 stands for time 0 (a spike
    at step ``s`` happens at NEST's time stamp ``(s + 1) dt``).

    Examples
    --------
    >>> from snn.core.units import ms
    >>> from snn.synapses import StochasticTsodyksSynapse
    >>> StochasticTsodyksSynapse(U=0.8, tau_rec=100 * ms)
    StochasticTsodyksSynapse(U=0.8, tau_rec=0.1, tau_fac=0.0, u0=0.0)
    """

    U: PerSynapse = 0.5
    tau_rec: PerSynapse = 800e-3
    tau_fac: PerSynapse = 0.0
    u0: float = 0.0

    vector_parameters: ClassVar[tuple[str, ...]] = ("U", "tau_rec", "tau_fac")
    synapse_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("u", "1", doc="utilisation (release probability)"),
        StateVar("r", "1", "int", doc="1 while the site is available, 0 while depleted"),
        StateVar("t_surv", "steps", "int", doc="step from which survival is measured", low=-1),
        StateVar("last", "steps", "int", doc="step of the previous presynaptic spike", low=-1),
    )

    def __post_init__(self) -> None:
        require_in_range("U", self.U, 0.0, 1.0)
        require_positive("tau_rec", self.tau_rec, "s")
        require_nonnegative("tau_fac", self.tau_fac, "s")
        require_in_range("u0", self.u0, 0.0, 1.0)

    def initial_synapse_state(self) -> dict[str, float]:
        return {"u": self.u0, "r": 1, "t_surv": -1, "last": -1}

    def constants(self, dt: float) -> dict[str, Any]:
        return {"tau_rec": self.tau_rec, "tau_fac": self.tau_fac, "big_u": self.U}

    def on_pre_function(self) -> Callable[..., Any]:
        return stochastic_tsodyks_on_pre


def quantal_on_pre(
    w, u, a, last, step, dt, stream, n_sites, tau_rec, tau_fac, big_u
):  # pragma: no cover - compiled
    """NEST quantal_stp_synapse::send for one spike (see the module docstring)."""
    n = int(n_sites)
    # a cannot exceed n (NEST lets one set it so; here n may be lowered by Projection.set)
    a = min(a, n)
    if last >= 0:
        h = (step - last) * dt
        keep = math.exp(-h / tau_rec)
        u_decay = 0.0 if tau_fac == 0.0 else math.exp(-h / tau_fac)
        u = big_u + u * (1.0 - big_u) * u_decay
        recovered = 0
        for i in range(n - a):
            if stream_uniform(stream, i) < 1.0 - keep:
                recovered += 1
        a += recovered
    released = 0
    for j in range(a):
        if stream_uniform(stream, n + j) < u:
            released += 1
    return w, u, a - released, step, released * w


def _require_sites(name: str, value: Any) -> None:
    """Refuse site counts that are not whole numbers in ``[1, MAX_SITES]``."""
    arr = np.asarray(value, dtype=np.float64)
    bad = ~((arr >= 1) & (arr <= MAX_SITES) & (arr == np.floor(arr)))
    if bad.any():
        first = int(np.flatnonzero(bad.ravel())[0])
        where = f" (synapse {first})" if arr.ndim else ""
        raise ConfigurationError(
            f"`{name}` must be a whole number of release sites in [1, {MAX_SITES}], got "
            f"{arr.ravel()[first]:g}{where}."
        )


@dataclass(frozen=True, kw_only=True)
class QuantalSynapse(SynapseModel):
    """``n`` release sites used up by releases and recovering at random (``quantal_stp_synapse``).

    NEST's ``quantal_stp_synapse`` and PyNN's ``MultiQuantalSynapse``: each spike releases a
    binomial number ``k`` of the available sites and transmits ``k w`` (``w`` is one site's
    weight; all sites give ``n w``). The mean is that of :class:`~snn.synapses.Tsodyks2Synapse`
    with weight ``n w`` (module docstring).

    Parameters
    ----------
    U
        Utilisation increment per spike, in [0, 1]: a site's release probability without
        facilitation.
    tau_rec
        Recovery time constant [s]: each depleted site recovers at rate ``1 / tau_rec``.
    tau_fac
        Facilitation time constant [s]; 0 disables facilitation (``u = U`` at every spike).
    n
        Number of release sites, a whole number in [1, 65536].

        These four may differ between synapses: each is one number, an array of one value per
        synapse (storage order) or a :class:`~snn.core.random.Distribution`.
    u0
        Utilisation at the first spike, in [0, 1] (default ``U``, NEST's).
    a0
        Sites available at the first spike, in [0, n] (default ``n``, NEST's).

    Notes
    -----
    Synapse variables: ``u`` (its value at the last spike), ``a`` (sites available after the
    last spike) and ``last`` (step of the previous spike, -1 before the first). A spike uses
    up to ``2 n`` keyed draws; its cost grows with ``n``.

    Examples
    --------
    >>> from snn.core.units import ms
    >>> from snn.synapses import QuantalSynapse
    >>> QuantalSynapse(U=0.8, tau_rec=100 * ms, n=5)
    QuantalSynapse(U=0.8, tau_rec=0.1, tau_fac=0.0, n=5, u0=None, a0=None)
    """

    U: PerSynapse = 0.5
    tau_rec: PerSynapse = 800e-3
    tau_fac: PerSynapse = 0.0
    n: int | np.ndarray | Distribution = 1
    u0: float | None = None
    a0: int | None = None

    vector_parameters: ClassVar[tuple[str, ...]] = ("U", "tau_rec", "tau_fac", "n")
    synapse_vars: ClassVar[tuple[StateVar, ...]] = (
        StateVar("u", "1", doc="utilisation (each site's release probability)"),
        StateVar("a", "1", "int", doc="release sites available", low=0),
        StateVar("last", "steps", "int", doc="step of the previous presynaptic spike", low=-1),
    )

    def __post_init__(self) -> None:
        require_in_range("U", self.U, 0.0, 1.0)
        require_positive("tau_rec", self.tau_rec, "s")
        require_nonnegative("tau_fac", self.tau_fac, "s")
        if not isinstance(self.n, Distribution):
            _require_sites("n", self.n)
        if self.u0 is not None:
            require_in_range("u0", self.u0, 0.0, 1.0)
        if self.a0 is not None and not isinstance(self.n, Distribution):
            a0 = self.a0
            if isinstance(a0, bool) or not isinstance(a0, int | np.integer) or a0 < 0:
                raise ConfigurationError(
                    f"`a0` must be a whole number of available sites >= 0, got {a0!r}."
                )
            if np.any(a0 > np.asarray(self.n)):
                raise ConfigurationError(
                    f"`a0` cannot exceed the number of sites `n`, got a0={a0!r} and "
                    f"n={int(np.min(self.n))!r}."
                )

    def initial_synapse_state(self) -> dict[str, Any]:
        a = np.asarray(self.n, dtype=np.int64) if self.a0 is None else self.a0
        return {"u": self.U if self.u0 is None else self.u0, "a": a, "last": -1}

    def constants(self, dt: float) -> dict[str, Any]:
        return {
            "n_sites": self.n,
            "tau_rec": self.tau_rec,
            "tau_fac": self.tau_fac,
            "big_u": self.U,
        }

    def on_pre_function(self) -> Callable[..., Any]:
        return quantal_on_pre
