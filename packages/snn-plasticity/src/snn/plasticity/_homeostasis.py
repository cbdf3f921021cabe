r"""Synaptic homeostasis: scaling toward a target rate, and normalization of incoming weights.

Synaptic scaling (van Rossum, Bi & Turrigiano 2000) multiplies all incoming weights of a neuron
by the same factor, up while it fires below its target rate and down above::

    dw_ij/dt = beta w_ij (rho_target - a_j)
    tau_a da_j/dt = -a_j + sum_k delta(t - t_j^k)       (a_j: rate estimate of neuron j [Hz])

Every ``interval`` the rate estimate takes the interval's spikes (each decayed exactly from its
spike time) and the weights are multiplied by ``exp(beta (rho_target - a_j) interval)``, the
exact solution for a rate held at the estimate; weights are then clipped to ``[0, w_max]``.

Weight normalization (Diehl & Cook 2015, after Goodhill & Barrow 1994) rescales the weights onto
each target neuron so that they sum to ``total`` every ``interval``.

Both act on a stateful projection between steps (``Network.every``), on any synapse model (for
example together with :class:`snn.plasticity.PairSTDP`).

References
----------
van Rossum, Bi & Turrigiano (2000), "Stable Hebbian learning from spike timing-dependent
plasticity", J. Neurosci. 20:8812-8821. Diehl & Cook (2015), "Unsupervised learning of digit
recognition using spike-timing-dependent plasticity", Front. Comput. Neurosci. 9:99.
"""

from __future__ import annotations

import numpy as np

from snn.core import Network, Projection
from snn.core.errors import ConfigurationError, SimulationError
from snn.core.validate import (
    require_in_range,
    require_nonnegative,
    require_positive,
    require_steps,
    require_type,
)
from snn.plasticity._live import live_weights

__all__ = ["SynapticScaling", "WeightNormalization"]


def _check_projection(network: Network, projection: Projection) -> None:
    require_type("network", network, Network, "a Network")
    require_type("projection", projection, Projection, "a Projection")
    if projection not in network.projections:
        raise ConfigurationError("`projection` must be a projection of `network`.")
    live_weights(projection)  # refuses static synapses


class SynapticScaling:
    """Multiplicative scaling of a projection's weights toward a target rate of its targets.

    Parameters
    ----------
    network
        The network; the scaling runs in ``network.every(interval, ...)``.
    projection
        A stateful projection (made with a synapse model).
    target_rate
        Target firing rate of the postsynaptic neurons [Hz].
    tau_rate
        Time constant of the rate estimate [s].
    beta
        Scaling rate per Hz of rate error [1/(s Hz)].
    interval
        Time between two scalings [s], a multiple of dt.
    w_max
        Upper bound of the weights [unit of the receptor]; default the synapse model's
        ``w_max`` (none when it has none).

    Notes
    -----
    The rate estimates start at ``target_rate``. :attr:`rates` holds the current estimate of
    each neuron of the postsynaptic population [Hz].
    """

    def __init__(
        self,
        network: Network,
        projection: Projection,
        *,
        target_rate: float,
        tau_rate: float = 10.0,
        beta: float = 1e-3,
        interval: float = 0.1,
        w_max: float | None = None,
    ) -> None:
        _check_projection(network, projection)
        # a neuron fires at most once per step: a higher target cannot be reached
        require_in_range("target_rate", target_rate, 0.0, 1.0 / network.dt, "Hz")
        require_positive("tau_rate", tau_rate, "s")
        require_nonnegative("beta", beta, "1/(s Hz)")
        # checked before the spike monitor is made: a refusal leaves the network as it was
        require_steps("interval", interval, network.dt, minimum=1)
        if w_max is None:
            w_max = getattr(projection.synapse, "w_max", None)
        if w_max is not None:
            require_positive("w_max", w_max)
        self.projection = projection
        self.target_rate = float(target_rate)
        self.tau_rate = float(tau_rate)
        self.beta = float(beta)
        self.interval = float(interval)
        self.w_max = w_max
        post = projection.post.population
        self.rates = np.full(post.size, self.target_rate)
        self._targets = projection.targets()
        self._spikes = network.record_spikes(post)
        network.every(interval, self._scale)

    def _scale(self, network: Network) -> None:
        ages = (network.step - self._spikes.steps) * network.dt
        fresh = np.bincount(
            self._spikes.indices,
            weights=np.exp(-ages / self.tau_rate) / self.tau_rate,
            minlength=self.rates.shape[0],
        )
        self._spikes.clear()
        self.rates = self.rates * np.exp(-self.interval / self.tau_rate) + fresh
        w = live_weights(self.projection)
        error = self.target_rate - self.rates[self._targets]
        with np.errstate(over="ignore"):
            factor = np.exp(self.beta * error * self.interval)
        if self.w_max is not None:
            with np.errstate(invalid="ignore"):
                scaled = np.where(w == 0.0, 0.0, w * factor)  # 0 * inf is 0 here
            np.clip(scaled, 0.0, self.w_max, out=w)
        elif np.all(np.isfinite(factor)):
            w *= factor
        else:
            raise SimulationError(
                f"synaptic scaling of projection {self.projection.name!r} would make weights "
                f"infinite at t = {network.t:.6g} s (beta = {self.beta!r} is too large for the "
                "rate error); give w_max or a smaller beta."
            )


class WeightNormalization:
    """Rescale the weights onto each target so that they sum to ``total`` (Diehl & Cook 2015).

    Parameters
    ----------
    network
        The network; the normalization runs in ``network.every(interval, ...)``.
    projection
        A stateful projection.
    total
        Sum of the incoming weights of each target neuron [unit of the receptor].
    interval
        Time between two normalizations [s], a multiple of dt.

    Notes
    -----
    A target whose incoming weights are all zero is left alone. The sums are over this process's
    synapses, which under MPI are all the synapses onto its neurons.
    """

    def __init__(
        self, network: Network, projection: Projection, *, total: float, interval: float
    ) -> None:
        _check_projection(network, projection)
        require_positive("total", total)
        require_steps("interval", interval, network.dt, minimum=1)
        self.projection = projection
        self.total = float(total)
        self._targets = projection.targets()
        self._n_post = projection.post.population.size
        network.every(interval, self._normalize)

    def _normalize(self, network: Network) -> None:
        w = live_weights(self.projection)
        sums = np.bincount(self._targets, weights=w, minlength=self._n_post)
        with np.errstate(over="ignore"):
            factor = np.divide(self.total, sums, out=np.ones_like(sums), where=sums > 0)
        if not np.all(np.isfinite(factor)):
            raise SimulationError(
                f"weight normalization of projection {self.projection.name!r} would make weights "
                f"infinite at t = {network.t:.6g} s (total = {self.total!r} over weights that "
                "sum to almost 0)."
            )
        w *= factor[self._targets]
