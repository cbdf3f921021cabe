"""The network: owns every array, builds the loop, and runs it."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Literal

import numpy as np

from snn.core._compile_clock import compile_seconds, numba_startup
from snn.core._connectivity import BoundLaw, ConnectionRule, PairLaw, build_csr
from snn.core._coupling import (
    check_clocked,
    check_coupling,
    check_neuron_variables,
    exchange_published,
    publish_state,
)
from snn.core._cycles import cycle_frequency
from snn.core._deferred import begin as begin_deferred
from snn.core._deferred import settle_pending
from snn.core._drives import AttachedDrive, check_drive
from snn.core._jit import thread_count
from snn.core._layout import choose_blocks, lay_out
from snn.core._loop import GROW, NONFINITE, PHASES, Plan, build_plan
from snn.core._magnitudes import user_stacklevel, warn_magnitude
from snn.core._memory import require_memory
from snn.core._model import Drive, Model, NeuronModel, SpikeGenerator
from snn.core._monitors import (
    NO_END,
    RateMonitor,
    SpikeMonitor,
    StateMonitor,
    WeightMonitor,
    recorded_synapse_values,
    require_run_memory,
)
from snn.core._mpi import Communicator, exchange, world
from snn.core._params import FrozenAttributes, check_weights, did_you_mean, parameter_names
from snn.core._population import Population, PopulationView, Positions
from snn.core._progress import prepare_shown, simulation_bar
from snn.core._projection import Projection
from snn.core._quanta import sync_quanta
from snn.core._snapshot import Snapshot, put_state, reset, state_arrays
from snn.core._summary import network_html
from snn.core._synapse import SynapseModel, check_weight_bounds, weight_rule
from snn.core._synapse_values import delay_steps, draw_delays, draw_weights
from snn.core._validate import (
    INT_LIMIT,
    SEED_LIMIT,
    require_bool,
    require_int,
    require_positive,
    require_steps,
)
from snn.core.errors import ConfigurationError, SimulationError, SNNWarning, UnitWarning
from snn.core.random import Distribution, derive_key

__all__ = ["Network"]

#: wall time aimed at per call of the compiled loop (progress bar, Ctrl-C latency) [s]
_CHUNK_WALL = 0.25


#: fewest synapses per source and delay value (on average) for arrival-time delivery. Below it
#: the ring is used: each run of synapses costs about 35 ns on top of its synapses (stand-alone
#: test, runs of 8). On the microcircuit at scale 0.1 (about 1 synapse per run, a 7.9 MB ring
#: that stays in cache) arrival delivery of every projection took twice the ring's time; at full
#: scale (about 10 per run, a 79 MB ring) it is what brought the loop from 27 to 8-9 s per
#: biological second on 2 threads (decision 0010).
ARRIVAL_MIN_RUN = 4


class Network(FrozenAttributes):
    """A spiking network: populations, projections, drives and monitors, and the clock.

    Parameters
    ----------
    dt
        Time step [s]; every delay and monitor interval is a whole number of steps.
    seed
        Seed of every random draw of the network (initial values, connectivity, noise, drives).
    dtype
        Floating point type of the state, ring buffers and per-synapse weights: ``"float64"``
        (default) or ``"float32"`` (faster, less precise; the step functions run in float32).
    threads
        Threads for neuron updates and spike delivery (``None``: all cores). Each thread owns a
        fixed block of every population's neurons, so results are identical for any number of
        threads. Where threads cannot pay (one-step delays, small networks) the loop runs
        serially by itself; see :attr:`parallel`.
    parallel
        Force (True) or forbid (False) the parallel loop; ``None`` (default) decides from the
        network's size and smallest delay.
    comm
        An mpi4py communicator to run on. Default: ``MPI.COMM_WORLD`` when the script was started
        by ``mpiexec`` with several ranks, else a single process. Neurons are dealt round-robin
        to ranks; results are identical for any number of ranks.
    name
        A label for printing.

    Examples
    --------
    >>> from snn.core import Network
    >>> from snn.core.units import ms
    >>> net = Network(dt=0.1 * ms, seed=1)
    >>> net.t
    0.0
    """

    _frozen: ClassVar[dict[str, str]] = {
        **{
            k: "it is fixed when the network is made (Network(dt=..., seed=..., threads=...,"
            " dtype=..., comm=...)); build another network to change it."
            for k in ("dt", "seed", "threads", "float_dtype", "comm", "rank", "n_ranks")
        },
        **{k: "run() advances the time and reset() takes it back to 0." for k in ("t", "step")},
    }

    def __init__(
        self,
        *,
        dt: float = 1e-4,
        seed: int = 0,
        dtype: Literal["float64", "float32"] = "float64",
        threads: int | None = 1,
        parallel: bool | None = None,
        comm: Any = None,
        name: str = "network",
    ) -> None:
        require_positive("dt", dt, "s")
        if dt > 1e-3:
            warnings.warn(
                f"dt = {dt!r} s is above 1 ms; did you mean milliseconds (`* ms`)?",
                UnitWarning,
                stacklevel=user_stacklevel(),
            )
        if dtype not in ("float64", "float32"):
            raise ConfigurationError(f"`dtype` must be 'float64' or 'float32', got {dtype!r}.")
        self._dt = float(dt)
        self._seed = require_int("seed", seed, minimum=0, maximum=SEED_LIMIT)
        if threads is None:
            threads = os.cpu_count() or 1
        self.threads = require_int("threads", threads, minimum=1)
        if parallel is not None and not isinstance(parallel, bool | np.bool_):
            raise ConfigurationError(f"`parallel` must be None, True or False, got {parallel!r}.")
        self._parallel_choice = parallel
        self.float_dtype = np.dtype(dtype)
        self.name = name
        self.comm = world() if comm is None else Communicator(comm)
        #: this process's rank and the number of ranks
        self.rank = self.comm.rank
        self.n_ranks = self.comm.size
        self._step = 0
        self.populations: list[Population] = []
        self.projections: list[Projection] = []
        self._drives: list[AttachedDrive] = []
        self._monitors: list[SpikeMonitor | StateMonitor | RateMonitor | WeightMonitor] = []
        # per population index, in order of creation: its drives, its monitors (weight monitors
        # under their target population), the receptors fed and the projections into it
        # (looking them up in the whole lists made the first run of 640 populations quadratic)
        self._drives_by_pop: dict[int, list[AttachedDrive]] = {}
        self._inputs_by_pop: dict[int, list[Projection]] = {}
        self._monitors_by_pop: dict[int, list[Any]] = {}
        self._fed_by_pop: dict[int, set[str]] = {}
        self._hooks: list[tuple[int, Callable[[Network], None], bool]] = []
        self._snapshots: dict[str, Snapshot] = {}
        # the loop's code follows the structure; its arrays follow the layout (structure and
        # delays); each "..._version" below records which one it was made for
        self._structure_version = 0
        #: counts the structure changes that add objects (see `_touch`); `_plan_objects` is its
        #: value when the loop was generated
        self._objects_version = 0
        self._plan_objects = 0
        self._layout_version = 0
        self._plan: Plan | None = None
        self._plan_version = -1
        self._plan_profiled = False
        self._n_blocks = 1
        self._parallel = False
        self._slice = 1
        self._blocks_version = -1
        self._sliced_version = -1
        self._laid_out_version = -1
        #: [pending, first step, steps, parity] of the slice whose spikes await delivery
        self._pending = np.zeros(4, dtype=np.int64)
        #: whether a run left deferred arrivals pending (decision 0026, ``_deferred.py``)
        self._unsettled = False
        #: populations whose spike times were warned about as looking like milliseconds
        self._unit_slips: set[int] = set()
        self._nan_at = np.full((1, 2), -1, dtype=np.int64)
        self._profile_cycles = np.zeros((1, len(PHASES)), dtype=np.uint64)
        #: seconds spent in each phase of the loop by runs with ``profile=True``
        self.phase_times: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self._warned_delay_rounding = False
        self.timings: dict[str, float] = {"build_s": 0.0, "compile_s": 0.0, "sim_s": 0.0}
        self._sealed = True

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise ConfigurationError(
            f"network {self.name!r} cannot be pickled or copied: its compiled loop reads the "
            "arrays of this very network. Save it to a file with net.save(path) (a checkpoint; "
            "snn.io.load(path, ...) brings it back, in another process too), keep its state in "
            "memory with net.store(name) / net.restore(name), or build a second network."
        )

    def __copy__(self) -> Network:
        return self.__reduce_ex__(0)

    def __deepcopy__(self, memo: dict[int, Any]) -> Network:
        return self.__reduce_ex__(0)

    def __repr__(self) -> str:
        return (
            f"<Network {self.name!r}: {self.n_neurons} neurons in {len(self.populations)} "
            f"populations, {self.n_synapses} synapses, t = {self.t:.6g} s>"
        )

    def _repr_html_(self) -> str:
        """A summary table for Jupyter: populations, projections, drives and monitors."""
        return network_html(self)

    # ----------------------------------------------------------------- properties
    @property
    def dt(self) -> float:
        """Time step [s]."""
        return self._dt

    @property
    def seed(self) -> int:
        """Seed of all random draws."""
        return self._seed

    @property
    def step(self) -> int:
        """Number of steps simulated so far."""
        return self._step

    @property
    def t(self) -> float:
        """Current time [s] (``step * dt``)."""
        return self._step * self._dt

    @property
    def n_neurons(self) -> int:
        """Number of neurons of all populations."""
        return sum(p.size for p in self.populations)

    @property
    def n_synapses(self) -> int:
        """Number of synapses of all projections (held by this process)."""
        return sum(q.n_synapses for q in self.projections)

    @property
    def monitors(self) -> tuple[SpikeMonitor | StateMonitor | RateMonitor | WeightMonitor, ...]:
        """Every monitor (spikes, state, rates, weights), in the order they were added.

        A network loaded from a file (:meth:`load`) hands its monitors back here.
        """
        return tuple(self._monitors)

    @property
    def drives(self) -> tuple[AttachedDrive, ...]:
        """Every attached drive (what :meth:`add_drive` returned), in the order added."""
        return tuple(self._drives)

    def _touch(self, *, code_only: bool = False) -> None:
        """The structure changed: the next run generates the loop again (and lays it out).

        ``code_only``: no population, projection, drive or monitor came or went; only the kind
        of a value changed (a parameter that became one value per neuron, another step
        function, weights or delays that became per synapse), which a callback may do within a
        run (the loop is generated again from the next step).
        """
        self._structure_version += 1
        self._layout_version += 1
        if not code_only:
            self._objects_version += 1

    def _relayout(self) -> None:
        """Delays changed: the next run makes the loop's arrays again (the same code)."""
        self._layout_version += 1

    def _warn_delay_rounding(self) -> None:
        if not self._warned_delay_rounding:
            self._warned_delay_rounding = True
            warnings.warn(
                f"delays are rounded to the time grid (dt = {self._dt} s).",
                SNNWarning,
                stacklevel=user_stacklevel(),
            )

    def _own(self, pop: Any, what: str, *, view: bool = True, contiguous: bool = False) -> Any:
        kinds = (Population, PopulationView) if view else (Population,)
        if not isinstance(pop, kinds):
            expected = "a Population or a view such as pop[a:b]" if view else "a Population"
            raise ConfigurationError(f"`{what}` must be {expected}, got {type(pop).__name__}.")
        if pop.network is not self:
            raise ConfigurationError(
                f"`{what}` is population {pop.name!r} of another network; populations can only "
                "be connected and recorded within the network that created them."
            )
        if contiguous and isinstance(pop, PopulationView) and not pop.contiguous:
            raise ConfigurationError(
                f"`{what}` is the view {pop.name}, whose neurons are not consecutive; connect "
                "takes populations and views of consecutive neurons (pop[a:b]). Connect the "
                "population and select pairs with the Explicit rule instead."
            )
        return pop

    def _unique(self, name: str | None, existing: Sequence[str], default: str) -> str:
        if name is None:
            k = len(existing)
            name = f"{default}{k}"
            while name in existing:
                k += 1
                name = f"{default}{k}"
        if not isinstance(name, str) or not name:
            raise ConfigurationError(f"`name` must be a non-empty string, got {name!r}.")
        if name in existing:
            raise ConfigurationError(f"the name {name!r} is already used in this network.")
        return name

    def population(self, name: str) -> Population:
        """The population called ``name``."""
        for p in self.populations:
            if p.name == name:
                return p
        raise ConfigurationError(
            f"no population {name!r}; populations: {[p.name for p in self.populations]}."
        )

    # ----------------------------------------------------------------- building
    def add_population(
        self,
        model: Model,
        size: int,
        *,
        name: str | None = None,
        init: Mapping[str, Any] | None = None,
        positions: Positions | None = None,
    ) -> Population:
        """Add ``size`` neurons of ``model``.

        Parameters
        ----------
        model
            A neuron model (e.g. :class:`snn.neurons.LIF`) or spike generator.
        size
            Number of neurons, >= 1.
        name
            Unique name (default ``"pop<k>"``).
        init
            Initial values of state variables, overriding the model's defaults: a number, a
            per-neuron array or a :class:`~snn.core.random.Distribution` [unit of the variable].
        positions
            Where the neurons sit in space, for spatial connection rules and distance-dependent
            delays: e.g. :class:`snn.synapses.Grid` or :class:`snn.synapses.RandomPositions`
            [m]. Random positions are drawn from the network's seed, the same on every process.

        Returns
        -------
        Population
        """
        clock = _Clock(self.timings, "build_s")
        if not isinstance(model, Model):
            raise ConfigurationError(
                f"`model` must be a neuron model or spike generator, got {type(model).__name__}."
            )
        size = require_int("size", size, minimum=1)
        name = self._unique(name, [p.name for p in self.populations], "pop")
        model.validate_size(size)
        model.check_dt(self._dt)
        per_neuron = (
            sum(8 if v.dtype == "int" else self.float_dtype.itemsize for v in model.state_vars) + 16
        )  # spike flags, slice spike buffer
        require_memory(f"population {name!r} of {size:,} neurons", size * per_neuron)
        if isinstance(model, NeuronModel):
            model.check_protocol()
        first = self.n_neurons
        pop = Population(
            self,
            model,
            size,
            name=name,
            index=len(self.populations),
            first_id=first,
            init=init,
            positions=positions,
        )
        self.populations.append(pop)
        self._touch()
        clock.stop()
        return pop

    def _delay_steps(self, delay: Any) -> Any:
        if delay is None:
            return self._dt
        if isinstance(delay, Distribution | PairLaw):
            return delay
        delay_steps(self, delay)
        return delay

    def connect(
        self,
        pre: Population,
        post: Population,
        *,
        rule: ConnectionRule,
        weight: Any,
        delay: Any = None,
        receptor: str | None = None,
        synapse: SynapseModel | None = None,
        name: str | None = None,
    ) -> Projection:
        """Connect ``pre`` to a receptor of ``post`` with synapses made by ``rule``.

        Parameters
        ----------
        pre, post
            Source and target populations of this network.
        rule
            Connection rule (see :mod:`snn.synapses`).
        weight
            A number, a :class:`~snn.core.random.Distribution`, or an ``(n_pre, n_post)`` matrix
            [unit of the receptor: V, A or S].
        delay
            Same forms [s], or a law of the pair such as :class:`snn.synapses.DistanceDelay`;
            default one time step. Delays are rounded to whole steps, >= 1.
        receptor
            Receptor of ``post``'s model (may be omitted when it has only one).
        synapse
            A stateful synapse model (short-term plasticity, STDP, ...; see
            :class:`snn.core.SynapseModel`); default: static synapses. Stateful synapses store a
            weight per synapse.
        name
            Unique name (default ``"proj<k>"``).

        Returns
        -------
        Projection
            The synapses; nothing is added to the network if any check fails.
        """
        clock = _Clock(self.timings, "build_s")
        pre = self._own(pre, "pre", contiguous=True)
        post = self._own(post, "post", contiguous=True)
        if not isinstance(rule, ConnectionRule):
            raise ConfigurationError(
                f"`rule` must be a connection rule (snn.synapses), got {type(rule).__name__}."
            )
        if not isinstance(post.model, NeuronModel):
            raise ConfigurationError(
                f"population {post.name!r} is a spike source and cannot receive synapses."
            )
        # autapses are a neuron onto itself: only between a population (or view) and itself
        same = pre is post or (
            pre.population is post.population and (pre.start, pre.stop) == (post.start, post.stop)
        )
        overlap = pre.population is post.population and max(pre.start, post.start) < min(
            pre.stop, post.stop
        )
        if overlap and not same and getattr(rule, "autapses", True) is False:
            raise ConfigurationError(
                f"`autapses=False` between overlapping but different neurons ({pre!r} onto "
                f"{post!r}): the rules leave out autapses only between a population or view and "
                "itself. Connect views that do not overlap (the overlap with itself as a "
                "separate projection), or list the pairs with Explicit."
            )
        if synapse is not None and not isinstance(synapse, SynapseModel):
            raise ConfigurationError(
                f"`synapse` must be a SynapseModel, got {type(synapse).__name__}."
            )
        rec = _receptor_fed(post.model, receptor, synapse)
        name = self._unique(name, [q.name for q in self.projections], "proj")
        sign, unit = weight_rule(rec, synapse)
        check_weights("weight", weight, sign, unit, warn=True)
        if synapse is not None and not isinstance(weight, Distribution | PairLaw | BoundLaw):
            # before the build: also when the rule draws no synapse to take the weight
            check_weight_bounds(f"projection {name!r}", synapse, weight)
        if synapse is not None and synapse.coupling_function() is not None:
            check_coupling(synapse, pre, post, rec, delay)
        elif synapse is not None and synapse.clock_function() is not None:
            check_clocked(synapse, pre, post)
        elif synapse is not None:
            check_neuron_variables(synapse, pre, post)
        if synapse is not None:
            synapse.check_connection(pre.population.model, post.model, rec)
        delay = self._delay_steps(delay)
        index = len(self.projections)
        if rule.scheme == "explicit" and (
            isinstance(weight, PairLaw) or isinstance(delay, PairLaw)
        ):
            raise ConfigurationError(
                "the Explicit rule takes weights and delays as numbers or arrays, got "
                f"{type(weight).__name__} and {type(delay).__name__}."
            )
        if isinstance(weight, PairLaw):
            weight = weight.bind(pre, post, what="weight", dt=self._dt)
        if isinstance(delay, PairLaw):
            delay = delay.bind(pre, post, what="delay", dt=self._dt)
        # Explicit pairs with drawn weights or delays: built with placeholders, then drawn as
        # connect draws them for the other rules (and Projection.set for any)
        laws: dict[str, Distribution] = {}
        if rule.scheme == "explicit":
            given = (("weight", weight), ("delay", delay))
            laws = {k: v for k, v in given if isinstance(v, Distribution)}
            csr, short = rule.build_explicit(
                n_pre=pre.size,
                post=post,
                weight=0.0 if "weight" in laws else weight,
                delay=self._dt if "delay" in laws else delay,
                dt=self._dt,
                float_dtype=self.float_dtype,
            )
        else:
            key = derive_key(self._seed, "projection", index, "connectivity")
            csr, short = build_csr(
                rule,
                rule.prepare(pre, post, same=same, key=key),
                n_pre=pre.size,
                n_post=post.size,
                same=same,
                local_targets=post.local_index - post.start,
                index_offset=post.local_positions.start if isinstance(post, PopulationView) else 0,
                post_start=post.start,
                rank=self.rank,
                n_ranks=self.n_ranks,
                key=key,
                weight=weight,
                weight_key=derive_key(self._seed, "projection", index, "weight"),
                delay=delay,
                delay_key=derive_key(self._seed, "projection", index, "delay"),
                dt=self._dt,
                bytes_per_float=self.float_dtype.itemsize,
                threads=self.threads,
            )
        if short:
            raise ConfigurationError(
                f"{short} delays drawn for projection {name!r} are shorter than one time step "
                f"({self._dt} s); bound the delay distribution from below (e.g. Clipped(..., "
                f"low={self._dt})). The projection was not added."
            )
        if isinstance(csr.weight, np.ndarray):
            # drawn weights are checked for magnitude here (given ones were checked above)
            drawn = isinstance(weight, Distribution | PairLaw | BoundLaw)
            check_weights("weight", csr.weight, sign, unit, warn=drawn)
        if synapse is not None:
            synapse.check(self._dt)
            if not isinstance(csr.weight, np.ndarray):
                csr.weight = np.full(csr.n_synapses, csr.weight, dtype=self.float_dtype)
        proj = Projection(
            pre=pre, post=post, receptor=rec.name, csr=csr, name=name, index=index, rule=rule
        )
        if "weight" in laws:
            csr.weight = draw_weights(proj, laws["weight"], slice(None)).astype(self.float_dtype)
            check_weights("weight", csr.weight, sign, unit, warn=True)
            if synapse is not None:
                check_weight_bounds(f"projection {name!r}", synapse, csr.weight)
        if "delay" in laws:
            steps = draw_delays(proj, laws["delay"], slice(None))
            if steps.size and steps.min() < 1:
                raise ConfigurationError(
                    f"delays drawn for projection {name!r} are shorter than one time step "
                    f"({self._dt} s); bound the delay distribution from below. The projection "
                    "was not added."
                )
            csr.delay = steps.astype(np.uint16)
        if synapse is not None:
            proj._attach(synapse, self._dt, self.float_dtype)
        self._add_projection(proj)
        clock.stop()
        return proj

    def _add_projection(self, proj: Projection) -> None:
        """Append a built projection (laid out for arrival delivery when that pays)."""
        self._order_for_arrival(proj)
        proj._born = self._step
        self.projections.append(proj)
        self._fed_by_pop.setdefault(proj.post.population.index, set()).add(proj.receptor)
        self._inputs_by_pop.setdefault(proj.post.population.index, []).append(proj)
        self._touch()

    def _order_for_arrival(self, proj: Projection) -> None:
        """Order the rows of a static projection by delay when arrival-time delivery pays.

        That is when it has per-synapse delays and its rows hold on average at least
        :data:`ARRIVAL_MIN_RUN` synapses per delay value (``README.md`` in this folder), counted
        over all ranks so that every rank decides alike (a collective call under MPI).
        """
        csr = proj._csr
        if proj.synapse is not None or not isinstance(csr.delay, np.ndarray):
            return
        n = csr.n_synapses
        lo = int(csr.delay.min()) if n else 2**31
        hi = int(csr.delay.max()) if n else 0
        if self.comm.active:
            from mpi4py import MPI

            n = self.comm.comm.allreduce(n, op=MPI.SUM)
            lo = self.comm.comm.allreduce(lo, op=MPI.MIN)
            hi = self.comm.comm.allreduce(hi, op=MPI.MAX)
        if n and n >= ARRIVAL_MIN_RUN * proj.pre.size * (hi - lo + 1):
            csr.order_by_delay(lo, hi, self.threads)

    def add_drive(self, drive: Drive, target: Population | PopulationView) -> AttachedDrive:
        """Attach ``drive`` (e.g. :class:`snn.neurons.PoissonInput`) to a population or view.

        The drive feeds the receptor it names (or the model's only receptor of its kind). Its
        random numbers are keyed by the drive's creation order and the neuron's population
        index, so the neurons of a view get the values a drive on their whole population would
        give them.

        Returns
        -------
        AttachedDrive
            The drive as attached: read its parameters as attributes, change them with
            :meth:`AttachedDrive.set`.
        """
        target = self._own(target, "target")
        if not isinstance(drive, Drive):
            raise ConfigurationError(f"`drive` must be a Drive, got {type(drive).__name__}.")
        if not isinstance(target.model, NeuronModel):
            raise ConfigurationError(f"population {target.name!r} cannot receive input.")
        rec = target.model.receptor(drive.receptor_name, drive.receptor_kind)
        check_drive(drive, target.population, rec.name)
        attached = AttachedDrive(drive, target, rec.name, len(self._drives))
        self._drives.append(attached)
        self._drives_by_pop.setdefault(attached.population.index, []).append(attached)
        self._fed_by_pop.setdefault(attached.population.index, set()).add(attached.receptor)
        self._touch()
        return attached

    # ----------------------------------------------------------------- recording
    def record_spikes(
        self,
        population: Population | PopulationView,
        *,
        start: float = 0.0,
        stop: float = math.inf,
    ) -> SpikeMonitor:
        """Record the spikes of a population or view.

        Parameters
        ----------
        population
            The population or view.
        start, stop
            Recording window [s], multiples of dt: spikes at times ``start < t <= stop`` are
            kept (NEST's ``spike_recorder`` window with ``origin`` 0; snn's spike times are the
            end of their step, as NEST's). Default: every spike.

        Returns
        -------
        SpikeMonitor
        """
        target = self._own(population, "population")
        mon = SpikeMonitor(target, window=self._window_steps(start, stop))
        self._add_monitor(mon)
        self._touch()
        return mon

    def record_state(
        self,
        population: Population | PopulationView,
        variables: str | Sequence[str],
        *,
        neurons: Sequence[int] | np.ndarray | None = None,
        interval: float | None = None,
        start: float = 0.0,
        stop: float = math.inf,
    ) -> StateMonitor:
        """Sample state variables of chosen neurons at a fixed interval.

        Parameters
        ----------
        population
            The population or view.
        variables
            Name or names of state variables, or of values the model computes from its state
            (:meth:`NeuronModel.derived_variables`: an equation model's subexpressions).
        neurons
            Indices to record, relative to the population or view (default: all), each once.
            The record's columns follow this order.
        interval
            Sampling interval [s], a multiple of dt (default: every step).
        start, stop
            Recording window [s], multiples of dt: the samples at times ``start < t <= stop``
            are taken (NEST's multimeter window with ``origin`` 0). Default: all of them.

        Returns
        -------
        StateMonitor
        """
        target = self._own(population, "population")
        pop = target.population
        names = [variables] if isinstance(variables, str) else list(variables)
        have = list(pop.state)
        derived = dict(getattr(pop.model, "derived_variables", dict)())
        computed = [v for v, d in derived.items() if d.function is not None]
        missing = [v for v in names if v not in have and v not in computed]
        if missing or not names:
            inputs = {r.name for r in pop.model.receptors}
            params = set(parameter_names(pop.model))
            why = "".join(
                f" `{v}` cannot be recorded: {derived[v].refusal}"
                if v in derived
                else f" `{v}` is an input of the model (a receptor its drives and projections "
                "feed, summed into the step, not kept): record the state it changes."
                if v in inputs
                else f" `{v}` is a parameter: read it with `.get({v!r})`."
                if v in params
                else did_you_mean(v, have + computed)
                for v in missing
            )
            also = f", and it computes {computed}" if computed else ""
            raise ConfigurationError(
                f"cannot record {missing or names} of {pop.name!r}: its state variables are "
                f"{have}{also}.{why}"
            )
        idx = np.arange(target.size) if neurons is None else np.asarray(neurons)
        if idx.ndim != 1 or not (idx.size == 0 or np.issubdtype(idx.dtype, np.integer)):
            raise ConfigurationError("`neurons` must be a 1-D sequence of integer indices.")
        if idx.size and (idx.min() < 0 or idx.max() >= target.size):
            raise ConfigurationError(
                f"`neurons` must lie in [0, {target.size - 1}] for {target.name!r}, got "
                f"{int(idx.min() if idx.min() < 0 else idx.max())}."
            )
        every = self._interval_steps(interval)
        window = self._window_steps(start, stop)
        chosen = target.indices[idx.astype(np.int64)]
        used = {v: derived[v] for v in names if v in computed}
        mon = StateMonitor(pop, names, chosen, every, target=target, window=window, derived=used)
        self._add_monitor(mon)
        self._touch()
        return mon

    def every(
        self, interval: float, callback: Callable[[Network], None], *, at_zero: bool = False
    ) -> None:
        """Call ``callback(network)`` every ``interval`` of simulated time, between steps.

        For slow processes that act on the network from Python (homeostatic scaling of weights, a
        reward signal, changing a parameter): the loop stops at each multiple of ``interval`` after
        t = 0 (every spike emitted so far is delivered), runs the callbacks in the order they were
        added, and goes on. With ``at_zero`` the callback also runs at t = 0, before the first step
        of a run that starts there, as Brian2's ``network_operation`` and ``run_regularly`` and
        PyNN's run callbacks do. Monitors hold every sample up to the current step, and plastic
        weights read there are settled. Values a callback sets (``pop.set``, ``proj.set``, a drive's
        ``set``) act from the next step; one that changes kind (a parameter that becomes one value
        per neuron) makes the loop be generated again first, which costs a compilation the first
        time. A new population, projection, drive or monitor raises, as it can only join between
        runs, and so do ``run``, ``compile``, ``reset``, ``store`` and ``restore`` called from a
        callback. Each call costs a return to Python; keep intervals well above a millisecond for
        fast networks.

        An exception a callback raises ends the run there and reaches the caller of ``run``
        (Brian2's ``stop()``): the network is left at that time (``net.t``), with everything
        recorded so far, and a later ``run`` goes on as an uninterrupted run would.

        Parameters
        ----------
        interval
            Period [s], a multiple of dt.
        callback
            A function of the network. Under MPI it runs on every rank.
        at_zero
            Also call it at t = 0 (at the start of the first run, and again after ``reset`` or
            a ``restore`` to t = 0). A run that ends at a multiple of ``interval`` calls it there,
            so the next run does not call it again at its start.
        """
        if not callable(callback):
            raise ConfigurationError(f"`callback` must be callable, got {callback!r}.")
        require_bool("at_zero", at_zero)
        steps = require_steps("interval", interval, self._dt, minimum=1)
        self._hooks.append((steps, callback, at_zero))

    def _drop_hook(self, callback: Callable[[Network], None]) -> None:
        """Stop calling ``callback`` (registered with :meth:`every`)."""
        self._hooks = [h for h in self._hooks if h[1] != callback]

    def _next_hook(self) -> int:
        if not self._hooks:
            return np.iinfo(np.int64).max
        return min((self._step // k + 1) * k for k, _, _ in self._hooks)

    def _run_hooks(self, end: int) -> bool:
        """Run the callbacks due at this step of a run to ``end``; whether any ran.

        The monitors' rows so far are closed first, so that a callback (or a checkpoint it
        writes) sees everything recorded up to now; new rows open for the rest of the run.
        """
        due = [cb for k, cb, zero in self._hooks if self._step % k == 0 and (self._step or zero)]
        if not due:
            return False
        self._end_monitors(self._step)
        self._running = True
        try:
            for callback in due:
                callback(self)
        finally:
            self._running = False
            self._begin_monitors(self._step, end)
        return True

    def _after_hooks(self, plan: Plan, profile: bool) -> Plan:
        """Take up what callbacks changed: new values, or new delays (a new layout)."""
        if self._plan_version != self._structure_version:
            if self._objects_version != self._plan_objects:
                raise SimulationError(
                    f"a callback changed the network's structure at t = {self.t:.6g} s (a new "
                    "population, projection, drive or monitor); such changes take effect "
                    "between runs, not within one."
                )
            # a value that changed kind (one per neuron now, another step function): new code
            # for the rest of the run, with everything in flight kept
            plan = self._prepare(profile)
        if sync_quanta(self):
            # a ring whose inputs were counted now holds floats: new code for the rest of the
            # run (between chunks every input sits in the rings, decision 0025)
            plan = self._prepare(profile)
        if self._laid_out_version != self._layout_version:
            lay_out(self)
        plan.refresh()
        publish_state(self)
        return plan

    def record_weights(
        self,
        projection: Projection,
        *,
        synapses: Sequence[int] | np.ndarray | None = None,
        interval: float | None = None,
    ) -> WeightMonitor:
        """Sample the weights of chosen synapses: :meth:`record_synapses` of ``"w"``."""
        return self.record_synapses(projection, "w", synapses=synapses, interval=interval)

    def record_synapses(
        self,
        projection: Projection,
        variables: str | Sequence[str],
        *,
        synapses: Sequence[int] | np.ndarray | None = None,
        interval: float | None = None,
    ) -> WeightMonitor:
        """Sample the weight and synapse variables of chosen synapses.

        Brian2's ``StateMonitor(synapses, ...)``.

        Parameters
        ----------
        projection
            A projection made with a synapse model whose values change during a run: spike
            rules (``on_pre`` / ``on_post``) or, for a continuous coupling, clock-driven
            synapse variables.
        variables
            ``"w"`` (the weight) and names of the model's synapse variables
            (``projection.synapse.synapse_vars``); a continuous coupling without spike rules
            changes only its clock-driven variables.
        synapses
            Storage positions of the synapses to record (as in :meth:`Projection.weights`),
            each once; default all. The record's columns follow this order.
        interval
            Sampling interval [s], a multiple of dt (default every step).

        Returns
        -------
        WeightMonitor
            ``monitor.record()`` is a :class:`WeightRecord`; ``monitor["u"]`` the samples of
            one variable, shape ``(n_samples, n_synapses)``.

        Notes
        -----
        A variable that only spike rules change is sampled as stored: its value after the
        synapse's last event, as Brian2 records its event-driven variables. Recording a
        plastic projection makes it apply each postsynaptic update when it happens instead of
        deferring it (the numbers are the same, bit for bit).
        """
        if not isinstance(projection, Projection) or projection not in self.projections:
            raise ConfigurationError("`projection` must be a projection of this network.")
        names = recorded_synapse_values(projection, variables)
        n = projection.n_synapses
        idx = np.arange(n) if synapses is None else np.asarray(synapses)
        if idx.size == 0:
            idx = idx.astype(np.int64)  # [] is a float array
        if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
            raise ConfigurationError("`synapses` must be a 1-D sequence of integer positions.")
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise ConfigurationError(f"`synapses` must lie in [0, {n - 1}].")
        every = self._interval_steps(interval)
        mon = WeightMonitor(projection, idx, every, names)
        self._add_monitor(mon)
        self._touch()
        return mon

    def _window_steps(self, start: float, stop: float) -> tuple[int, int]:
        """A recording window ``(start, stop]`` [s] in steps (:data:`NO_END` for no end)."""
        w0 = require_steps("start", start, self._dt)
        if isinstance(stop, int | float | np.floating) and stop == math.inf:
            return w0, NO_END
        w1 = require_steps("stop", stop, self._dt)
        if w1 <= w0:
            raise ConfigurationError(
                f"the recording window must end after it starts: `start` = {start!r} s, "
                f"`stop` = {stop!r} s; give stop > start (or stop = math.inf for no end)."
            )
        return w0, w1

    def _interval_steps(self, interval: float | None, name: str = "interval") -> int:
        if interval is None:
            return 1
        return require_steps(name, interval, self._dt, minimum=1)

    def record_rate(self, population: Population | PopulationView) -> RateMonitor:
        """Record the spike count of a population or view in every step."""
        mon = RateMonitor(self._own(population, "population"))
        self._add_monitor(mon)
        self._touch()
        return mon

    def _spike_monitors(self) -> list[SpikeMonitor]:
        return [m for m in self._monitors if isinstance(m, SpikeMonitor)]

    def _rate_monitors(self) -> list[RateMonitor]:
        return [m for m in self._monitors if isinstance(m, RateMonitor)]

    def _add_monitor(self, mon: Any) -> None:
        self._monitors.append(mon)
        self._monitors_by_pop.setdefault(mon.population.index, []).append(mon)

    def _monitors_of(self, pop: Population) -> list[Any]:
        return self._monitors_by_pop.get(pop.index, [])

    def _spike_monitors_of(self, pop: Population) -> list[SpikeMonitor]:
        return [m for m in self._monitors_of(pop) if isinstance(m, SpikeMonitor)]

    def _state_monitors_of(self, pop: Population) -> list[StateMonitor]:
        return [m for m in self._monitors_of(pop) if type(m) is StateMonitor]

    def _weight_monitors_of(self, proj: Projection) -> list[WeightMonitor]:
        return [
            m
            for m in self._monitors_of(proj.post.population)
            if isinstance(m, WeightMonitor) and m.projection is proj
        ]

    def _rate_monitors_of(self, pop: Population) -> list[RateMonitor]:
        return [m for m in self._monitors_of(pop) if isinstance(m, RateMonitor)]

    def _active_receptors(self, pop: Population) -> set[str]:
        """Receptors of ``pop`` fed by a projection or a drive (the others get no ring)."""
        return set(self._fed_by_pop.get(pop.index, ()))

    def _drives_of(self, pop: Population) -> list[AttachedDrive]:
        return list(self._drives_by_pop.get(pop.index, ()))

    def _projections_into(self, pop: Population) -> list[Projection]:
        """The projections whose targets are neurons of ``pop``, in order of creation."""
        return list(self._inputs_by_pop.get(pop.index, ()))

    # ----------------------------------------------------------------- running
    def min_delay(self) -> int:
        """Smallest synaptic delay [steps] over all ranks (the slice length of the loop).

        0 without synapses. Continuous couplings have no delay and are not counted (a network
        with one runs in one-step slices). Under MPI this is a collective call.
        """
        local = min(
            (q._csr_raw.min_delay() for q in self.projections if q.n_synapses and not q._coupling),
            default=0,
        )
        if not self.comm.active:
            return local
        from mpi4py import MPI

        big = np.iinfo(np.int64).max
        found = self.comm.comm.allreduce(local if local > 0 else big, op=MPI.MIN)
        return 0 if found == big else int(found)

    def _slice_len(self) -> int:
        """Steps per slice of the loop (the smallest delay, fixed by the current layout)."""
        choose_blocks(self)
        return self._slice

    @property
    def parallel(self) -> bool:
        """Whether the loop runs its blocks on several threads.

        Decided for the current structure; under MPI a collective call after each change.
        """
        choose_blocks(self)
        return self._parallel

    def _prepare(self, profile: bool = False) -> Plan:
        """The loop for the current structure, with its arrays laid out (generated if needed)."""
        sync_quanta(self, settle=True)
        if (
            self._plan is not None
            and self._plan_version == self._structure_version
            and self._plan_profiled == profile
        ):
            if self._laid_out_version != self._layout_version:
                lay_out(self)
            # (a ring that turned between floats and counts needs new code)
            if self._plan_version == self._structure_version:
                return self._plan
        clock = _Clock(self.timings, "compile_s")
        lay_out(self)
        self._plan = build_plan(self, profile=profile)
        self._plan_version = self._structure_version
        self._plan_objects = self._objects_version
        self._plan_profiled = profile
        clock.stop()
        return self._plan

    def _lay_out(self) -> None:
        """Make the loop's arrays for the current structure and values (no code generated)."""
        if self._laid_out_version != self._layout_version:
            lay_out(self)

    def _state_arrays(self, *, values: bool = False) -> dict[str, np.ndarray]:
        """Every array the loop carries between steps, by path (see ``_snapshot.py``).

        With ``values`` the ring buffers are in their receptor's unit (what files hold);
        :meth:`_put_state` puts such an array back.
        """
        return state_arrays(self, values=values)

    def _put_state(self, path: str, live: np.ndarray, value: np.ndarray) -> None:
        """Copy ``value`` into ``live``, an entry of ``_state_arrays(values=True)``.

        A ring's values go on into the ring itself.
        """
        if not put_state(self, path, live, value):
            raise ConfigurationError(f"cannot put {path}: shape {value.shape}, now {live.shape}.")

    def compile(self) -> None:
        """Generate and compile the loop now (``run`` does it on first use)."""
        self._not_running("compile()")
        self._load(self._prepare())

    def _load(self, plan: Plan) -> None:
        """Compile ``plan``'s loop, or load it from numba's cache, by a call of no steps."""
        status = np.zeros(4, dtype=np.int64)
        clock = _Clock(self.timings, "compile_s")
        self._begin_monitors(self._step, self._step)
        plan.refresh()
        try:
            loop_s = self.timings.get("loop_s", 0.0)
            _call(plan, self, self._step, self._step, 1, status)
            self.timings["loop_s"] = loop_s  # loading is not simulating
        finally:
            self._end_monitors(self._step)
            clock.stop()

    def _begin_monitors(self, step0: int, step1: int) -> None:
        for m in self._monitors:
            if isinstance(m, StateMonitor | RateMonitor):
                m._begin(step0, step1)

    def _end_monitors(self, reached: int) -> None:
        for m in self._monitors:
            if isinstance(m, StateMonitor | RateMonitor):
                m._end(reached)

    def steps_for(self, duration: float) -> int:
        """Number of steps in ``duration`` seconds (which must be a multiple of dt)."""
        return require_steps("duration", duration, self._dt)

    def run(
        self,
        duration: float,
        *,
        progress: bool = False,
        profile: bool = False,
        checkpoint_every: float | None = None,
        checkpoint_path: str | os.PathLike[str] | None = None,
    ) -> None:
        """Advance the network by ``duration``.

        Parameters
        ----------
        duration
            Biological time to simulate [s], a multiple of dt.
        progress
            Show a progress bar (tqdm; renders in Jupyter too), after a line saying how long
            compiling the loop took when it had to be compiled or loaded.
        profile
            Time the phases of the loop (drives, neuron updates, spike gathering and monitors,
            delivery) with the CPU's cycle counter and add them to :attr:`phase_times` [s].
            Costs a few percent; the profiled loop is compiled separately.
        checkpoint_every
            Write a checkpoint (:func:`snn.io.save`, needs the snn-io package) at every multiple
            of this much simulated time [s] (a multiple of dt), counted from t = 0. Each write
            replaces the previous one atomically, so a crash leaves the last complete one.
        checkpoint_path
            File of the checkpoints (required with ``checkpoint_every``).

        Raises
        ------
        KeyboardInterrupt
            On Ctrl-C, after stopping cleanly at the end of the current chunk: the network is
            consistent at :attr:`t` and ``run`` can be called again to go on.
        SimulationError
            When a state variable becomes NaN or infinite (names population, neuron, variable
            and time).
        """
        self._not_running("run()")
        n = self.steps_for(duration)
        warn_magnitude("duration", duration, "duration")
        require_bool("progress", progress)
        require_bool("profile", profile)
        if self._step + n >= INT_LIMIT:
            raise ConfigurationError(
                f"running {n:,} more steps from step {self._step:,} passes {INT_LIMIT:.3g}, the "
                "most the 64-bit step counter holds; run for a shorter duration."
            )
        require_run_memory(self._monitors, self._step, self._step + n)
        self._warn_spike_units(self.t, (self._step + n) * self._dt)
        every = self._checkpoint_steps(checkpoint_every, checkpoint_path)
        show = progress and self.rank == 0
        plan = prepare_shown(self, profile) if show else self._prepare(profile)
        if n == 0:
            return
        slice_len = self._slice_len()
        end = self._step + n
        status = np.zeros(4, dtype=np.int64)
        self._begin_monitors(self._step, end)
        plan.refresh()
        publish_state(self)
        bar = simulation_bar(n * self._dt) if show else None
        chunk = max(slice_len, min(n, 64 * slice_len))
        clock = _Clock(self.timings, "sim_s")
        try:
            if self._step == 0:
                # callbacks due at t = 0 (`every(..., at_zero=True)`) run before the first step
                if self._run_hooks(end):
                    plan = self._after_hooks(plan, profile)
                    slice_len = self._slice_len()
                # the target variables' past is their initial value, as set by now (decision 0027)
                for proj in self.projections:
                    proj._hold_target_variables()
            with _interrupt_guard(enabled=not self.comm.active) as interrupted:
                while self._step < end:
                    # (rings made anew only if something settled the arrivals since)
                    begin_deferred(self)
                    stop = min(end, self._step + chunk, self._next_hook())
                    if every:
                        stop = min(stop, (self._step // every + 1) * every)
                    w0 = time.perf_counter()
                    start = self._step
                    self._step = self._advance(plan, start, stop, status)
                    # (a stop to grow a monitor advances nothing: its callbacks already ran)
                    if self._step != start and self._run_hooks(end):
                        plan = self._after_hooks(plan, profile)
                        slice_len = self._slice_len()
                    wall = time.perf_counter() - w0
                    if status[0] == GROW:
                        for m in self._monitors:
                            if isinstance(m, SpikeMonitor):
                                m._grow(slice_len * m.population.n_local)
                        plan.refresh()
                    elif status[0] == NONFINITE:
                        raise self._nonfinite_error(int(status[1]), int(status[2]))
                    else:
                        self._check_finite(start)
                        if every and self._step % every == 0:
                            self._checkpoint(plan, end, checkpoint_path)
                    if bar is not None:
                        bar.update((self._step - start) * self._dt)
                    if interrupted():
                        raise KeyboardInterrupt(
                            f"stopped at t = {self.t:.6g} s; call run() again to continue"
                        )
                    if status[0] != GROW and wall > 0:
                        rate = (self._step - start) / wall
                        chunk = max(slice_len, int(rate * _CHUNK_WALL) // slice_len * slice_len)
        finally:
            self._end_monitors(self._step)
            clock.stop()
            if profile:
                self._add_phase_times()
            if bar is not None:
                bar.close()

    # ----------------------------------------------------------------- snapshots
    def _warn_spike_units(self, t0: float, t1: float) -> None:
        """Warn (once per population) when a spike source's times look like milliseconds."""
        for pop in self.populations:
            if isinstance(pop.model, SpikeGenerator) and pop.index not in self._unit_slips:
                why = pop.model.unit_slip(t0, t1)
                if why is not None:
                    self._unit_slips.add(pop.index)
                    warnings.warn(
                        f"population {pop.name!r}: {why}", UnitWarning, stacklevel=user_stacklevel()
                    )

    def _not_running(self, what: str) -> None:
        if getattr(self, "_running", False):
            raise SimulationError(
                f"{what} cannot be called from a callback while the network runs; call it "
                "between runs."
            )

    def reset(self, *, weights: Literal["initial", "keep"] = "initial") -> None:
        """Go back to t = 0, as if the network had just been built.

        State variables are drawn again from their initial values (``init`` of
        :meth:`add_population`, the model's defaults, and values set at t = 0) with the same
        random keys; synapse variables go back to the model's initial values, or to those
        :meth:`Projection.set` gave them at t = 0; ring buffers (inputs in flight), spike histories,
        plasticity traces and pending spikes are cleared; monitors are emptied; spike
        generators start again. Parameters, connectivity, drives and monitors stay as they
        are, with their current values. A run after ``reset`` gives the spikes a new network
        built with the current parameters gives, bit for bit.

        Parameters
        ----------
        weights
            ``"initial"`` (default): weights of plastic projections go back to those they had
            when made or last given by :meth:`Projection.set`, undoing what plasticity learnt,
            so that a reset network is a fresh one (PyNN's ``reset()`` semantics). ``"keep"``:
            learnt weights stay (train, reset, test). Static weights only change through
            ``set``, so both leave them alone. ``"initial"`` costs a copy of the plastic weights,
            made when the projection is built.

        Notes
        -----
        Objects outside the network keep their own state: a neuromodulator's concentration,
        what :meth:`every` callbacks hold.
        """
        self._not_running("reset()")
        reset(self, weights)

    def store(self, name: str = "default") -> None:
        """Keep the network's state in memory under ``name`` (Brian2's ``store``).

        Stored: the time, every state variable and buffer the loop carries (inputs in flight,
        spike histories, traces, synapse variables), the weights, delays and parameters
        (models, drives, synapse models, learning switches) and the data recorded by every
        monitor. :meth:`restore` brings all of them back; a run after it repeats the run that
        followed ``store``, bit for bit. Arrays changed in place by the loop are copied (about
        the memory of the state and the plastic weights); connectivity and parameters are only
        referenced, since ``set`` replaces them instead of changing them.
        Python callbacks and objects outside the network (:meth:`every` functions, a
        neuromodulator's concentration) are not stored.

        Parameters
        ----------
        name
            Name of the snapshot; storing again under a name replaces it.
        """
        self._not_running("store()")
        if not isinstance(name, str) or not name:
            raise ConfigurationError(f"`name` must be a non-empty string, got {name!r}.")
        self._snapshots[name] = Snapshot.take(self)

    def restore(self, name: str = "default") -> None:
        """Bring back the state stored by :meth:`store` under ``name`` (kept for more restores).

        The network must have the same populations, projections, drives and monitors as when
        it was stored. Parameters changed since are set back; a parameter that became one value
        per neuron stays an array in the loop (same values, no recompilation).
        """
        self._not_running("restore()")
        if not isinstance(name, str) or name not in self._snapshots:
            raise ConfigurationError(
                f"nothing was stored under {name!r}; stored: {sorted(self._snapshots)}."
                f"{did_you_mean(name, self._snapshots)}"
            )
        self._snapshots[name].put_back(self, name)

    # ----------------------------------------------------------------- checkpoints
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a checkpoint of the network to ``path`` (see :func:`snn.io.save`).

        Needs the snn-io package. Load it with :meth:`Network.load`.
        """
        _io().save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, models: Sequence[type] = ()) -> Network:
        """Read a network from a checkpoint written by :meth:`save` (see :func:`snn.io.load`).

        ``models``: your own model, synapse, drive, rule or layout classes the network uses.
        The loaded network's monitors (with what they recorded) and drives are in
        :attr:`monitors` and :attr:`drives`, in the order they were added.
        """
        return _io().load(path, models=models)

    def _checkpoint_steps(self, every: float | None, path: Any) -> int:
        """Steps between checkpoints of a run (0: none), validated before the run starts."""
        if every is None:
            if path is not None:
                raise ConfigurationError("`checkpoint_path` is given without `checkpoint_every`.")
            return 0
        if path is None:
            raise ConfigurationError("`checkpoint_every` needs a `checkpoint_path`.")
        _io().check_checkpoint_path(path)
        return self._interval_steps(every, "checkpoint_every")

    def _checkpoint(self, plan: Plan, end: int, path: Any) -> None:
        """Save in the middle of a run: close the monitors' rows so far, save, open new ones."""
        self._end_monitors(self._step)
        settle_pending(self)
        try:
            _io().save(self, path)
        finally:
            self._begin_monitors(self._step, end)
            plan.refresh()

    def _advance(self, plan: Plan, start: int, stop: int, status: np.ndarray) -> int:
        """Run the loop from ``start`` towards ``stop``; return the step reached.

        On one process this is one call. Under MPI it is one call per slice, each followed by the
        exchange of the slice's spikes, and a final call that delivers the last slice.
        """
        if not self.comm.active:
            return _call(plan, self, start, stop, 1, status)
        slice_len = self._slice_len()
        t = start
        while t < stop:
            t1 = min(stop, t + slice_len)
            reached = _call(plan, self, t, t1, 0, status)
            if status[0] != 0:
                return reached
            exchange(self, t1 - t)
            exchange_published(self, t1)
            t = t1
        return _call(plan, self, t, t, 1, status)

    def _add_phase_times(self) -> None:
        """Add what the cycle counters counted to :attr:`phase_times`, and zero them.

        At the end of a profiled run, and before a new layout replaces them (another number of
        blocks, also within a run): the counters only ever hold uncounted cycles.
        """
        if not self._profile_cycles.any():
            return  # (no profiled run since: no need to measure the counter's frequency)
        # per-thread average: each block is run by one thread
        spent = self._profile_cycles.astype(np.float64).mean(axis=0)
        hz = cycle_frequency()
        for k, name in enumerate(PHASES):
            self.phase_times[name] += float(spent[k]) / hz
        self._profile_cycles[:] = 0

    def _check_finite(self, since: int) -> None:
        """All float state variables, between chunks (the loop checks one per step)."""
        for pop in self.populations:
            for var in pop.model.state_vars:
                values = pop.state[var.name]
                if var.dtype == "float" and not np.isfinite(values).all():
                    bad = int(np.flatnonzero(~np.isfinite(values))[0])
                    raise SimulationError(
                        f"state variable `{var.name}` of neuron {int(pop.local_index[bad])} of "
                        f"population {pop.name!r} became {float(values[bad])} between t = "
                        f"{since * self._dt:.6g} s and t = {self.t:.6g} s. Check parameters and "
                        "inputs (a too large dt or weight makes explicit integration diverge)."
                        f"{_hint(pop.model)}"
                    )

    def _nonfinite_error(self, step: int, p: int) -> SimulationError:
        pop = self.populations[p]
        for var in pop.model.state_vars:
            values = pop.state[var.name]
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                i = int(pop.local_index[bad[0]])
                return SimulationError(
                    f"state variable `{var.name}` of neuron {i} of population {pop.name!r} "
                    f"became {float(values[bad[0]])} during the step ending at t = "
                    f"{(step + 1) * self._dt:.6g} s. Check parameters and inputs (a too large dt "
                    f"or weight makes explicit integration diverge).{_hint(pop.model)}"
                )
        return SimulationError(f"population {pop.name!r} became non-finite at step {step}.")


def _hint(model: Any) -> str:
    hint = model.nonfinite_hint() if isinstance(model, NeuronModel) else ""
    return f" {hint}" if hint else ""


def _receptor_fed(model: Any, receptor: str | None, synapse: SynapseModel | None) -> Any:
    """The receptor of ``model`` a projection feeds.

    The one named, or the one its synapse model names, or the model's only one of the kind the
    synapses feed (a current receptor for a coupling).
    """
    if synapse is None:
        return model.receptor(receptor)
    wanted = synapse.target_receptor(model)
    if receptor is not None and wanted is not None and wanted != receptor:
        raise ConfigurationError(
            f"{type(synapse).__name__} feeds receptor {wanted!r} of {type(model).__name__}, but "
            f"`receptor` is {receptor!r}; leave `receptor` out or make them agree."
        )
    kind = "current" if synapse.coupling_function() is not None else "spike"
    return model.receptor(receptor if receptor is not None else wanted, kind)


def _io() -> Any:
    """The snn.io module, imported on first use: snn-core does not depend on snn-io."""
    import importlib

    try:
        return importlib.import_module("snn.io")
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            "checkpoints need the snn-io package (`pip install snn-io`); it is not installed."
        ) from exc


def _call(plan: Plan, net: Network, start: int, stop: int, flush: int, st: np.ndarray) -> int:
    """One call of the compiled loop, on ``net.threads`` threads when it is parallel."""
    slice_len = net._slice_len()
    w0 = time.perf_counter()
    c0 = compile_seconds()
    if not net._parallel:
        reached = plan.function(start, stop, slice_len, flush, st, *plan.current())
    else:
        with thread_count(net.threads):
            reached = plan.function(start, stop, slice_len, flush, st, *plan.current())
    # time inside the compiled loop, without compilation: sim_s minus this is Python's share
    spent = time.perf_counter() - w0 - (compile_seconds() - c0)
    net.timings["loop_s"] = net.timings.get("loop_s", 0.0) + spent
    return int(reached)


class _Clock:
    """Adds the wall time until :meth:`stop` to ``timings[key]``.

    The time numba spent compiling meanwhile goes to ``timings["compile_s"]`` instead.
    """

    def __init__(self, timings: dict[str, float], key: str) -> None:
        self.timings = timings
        self.key = key
        self.wall0 = time.perf_counter()
        self.compile0 = compile_seconds()
        numba_startup()

    def stop(self) -> None:
        wall = time.perf_counter() - self.wall0
        compiling = compile_seconds() - self.compile0
        self.timings["compile_s"] += compiling
        self.timings[self.key] += wall - compiling


@contextmanager
def _interrupt_guard(enabled: bool = True) -> Iterator[Any]:
    """Turn Ctrl-C into a flag checked between chunks (main thread only).

    Not under MPI, where ranks would stop at different steps: there Ctrl-C aborts the job.
    """
    flag = {"hit": False}
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return

    def handler(signum: int, frame: Any) -> None:
        flag["hit"] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: flag["hit"]
    finally:
        signal.signal(signal.SIGINT, previous)
