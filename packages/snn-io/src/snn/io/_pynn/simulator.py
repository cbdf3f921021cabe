"""The simulator state of ``pyNN.snn``: one snn :class:`~snn.core.Network` behind PyNN's globals.

PyNN keeps its simulation in module-level state (``setup()`` ... ``end()``); here that state owns
one network, in SI units inside. PyNN's units stop at this boundary: times are milliseconds in
PyNN and seconds in snn (:data:`MS`).
"""

from __future__ import annotations

import logging
import math
import numbers
from typing import Any

import numpy as np
from pyNN import common

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.mpi import world

__all__ = ["ID", "MS", "State", "state"]

#: name PyNN reports for this backend (Neo block annotations, ``pyNN.utility``)
name = "snn"

#: one millisecond [s] (PyNN's time unit)
MS = 1e-3

logger = logging.getLogger("PyNN")


class ID(int, common.IDMixin):
    """A neuron of ``pyNN.snn``: its value is the neuron's global id in the snn network."""

    def __init__(self, n: int) -> None:
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    """What ``setup()`` creates: the network, the clock in ms, and the objects PyNN tracks."""

    def __init__(self) -> None:
        common.control.BaseState.__init__(self)
        comm = world()
        self.mpi_rank = comm.rank
        self.num_processes = comm.size
        self.network: Network | None = None
        self.dt = 0.1
        self._min_delay: float | str = "auto"
        self._max_delay: float | str = "auto"
        self.seed = 0
        self.threads = 1
        self.clear()

    # ------------------------------------------------------------------ set-up
    def configure(
        self,
        timestep: float,
        min_delay: float | str,
        max_delay: float | str,
        *,
        seed: int = 0,
        threads: int = 1,
    ) -> None:
        """Start a new, empty network (``setup()``)."""
        if not timestep > 0:
            raise ConfigurationError(f"`timestep` must be > 0 ms, got {timestep!r}.")
        self.clear()
        self.dt = float(timestep)
        self._min_delay = min_delay
        self._max_delay = max_delay
        self.seed = int(seed)
        self.threads = int(threads)
        self.network = Network(
            dt=self.dt * MS, seed=self.seed, threads=self.threads, name="pyNN.snn"
        )
        self.mpi_rank = self.network.rank
        self.num_processes = self.network.n_ranks

    def clear(self) -> None:
        """Forget the network and everything built on it."""
        self.network = None
        self.recorders: set[Any] = set()
        self.populations: list[Any] = []
        self.projections: list[Any] = []
        self.current_sources: list[Any] = []
        self.write_on_end = []
        #: drives added to the network so far (a drive's random key is keyed by its number)
        self.n_drives = 0
        self.segment_counter = -1
        self.reset()

    def reset(self) -> None:
        """``reset()``: back to t = 0 with PyNN's initial values, and a new recording segment.

        A network that ran is reset by :meth:`snn.core.Network.reset`; PyNN's initial values
        (``initialize``) are then written into the state again, and the recorders skip what
        they recorded before.
        """
        if self.network is not None and self.network.step > 0:
            self.network.reset()
            for population in self.populations:
                population._reapply_initial_values()
            for recorder in self.recorders:
                recorder._clear_simulator()
        self.running = False
        self.t_start = 0
        self.segment_counter += 1

    @property
    def net(self) -> Network:
        """The network (one with the default set-up if ``setup()`` was not called)."""
        if self.network is None:
            self.configure(self.dt, self._min_delay, self._max_delay)
        assert self.network is not None
        return self.network

    # ------------------------------------------------------------------ clock
    @property
    def t(self) -> float:
        """Current time [ms]."""
        if self.network is None:
            return 0.0
        return self.network.step * self.dt

    def steps(self, duration: float) -> int:
        """``duration`` [ms] as a whole number of steps of ``dt``."""
        if not isinstance(duration, numbers.Real) or not math.isfinite(duration):
            raise ConfigurationError(f"run times must be finite numbers of ms, got {duration!r}.")
        n = round(duration / self.dt)
        if abs(n * self.dt - duration) > 1e-6 * self.dt:
            raise ConfigurationError(
                f"run times must be multiples of the time step {self.dt} ms, got {duration!r} ms."
            )
        return n

    def run(self, simtime: float) -> None:
        """Advance the network by ``simtime`` [ms]."""
        net = self.net
        n = self.steps(simtime)
        for recorder in list(self.recorders):
            recorder._finalize()
        self.running = True
        if n > 0:
            net.run(n * net.dt)

    def run_until(self, tstop: float) -> None:
        """Advance the network to ``tstop`` [ms] (nothing if it is there already)."""
        n = self.steps(tstop) - (self.network.step if self.network is not None else 0)
        if n > 0:
            self.run(n * self.dt)
        else:
            self.running = True

    # ------------------------------------------------------------------ delays
    @property
    def min_delay(self) -> float:
        """Smallest delay [ms]: as given to ``setup()``, or with ``'auto'`` the network's."""
        if self._min_delay != "auto":
            return float(self._min_delay)
        if self.network is None:
            return self.dt
        steps = self.network.min_delay()
        return steps * self.dt if steps > 0 else self.dt

    @property
    def max_delay(self) -> float:
        """Largest delay [ms]: as given to ``setup()``, or with ``'auto'`` the network's."""
        if self._max_delay != "auto":
            return float(self._max_delay)
        delays = [q.delays().max() for q in self.net.projections if q.n_synapses]
        return float(max(delays)) / MS if delays else self.min_delay

    def local_mask(self, population: Any) -> np.ndarray:
        """Which neurons of an snn population this process owns, as a boolean array."""
        mask = np.zeros(population.size, dtype=bool)
        mask[population.local_index] = True
        return mask


state = State()
