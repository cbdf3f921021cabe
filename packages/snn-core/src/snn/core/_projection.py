"""Projections: the synapses from one population onto one receptor of another."""

from __future__ import annotations

import dataclasses
import inspect
import math
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from snn.core._connectivity import CSR, DelayRuns
from snn.core._coupling import is_coupling
from snn.core._deferred import Settled, allocate, settle_pending
from snn.core._layout import carry_rows
from snn.core._memory import require_memory
from snn.core._params import FrozenAttributes, check_weights, parameter_names, replaced
from snn.core._plastic import (
    DRAW_CONSTANTS,
    NOISE_CONSTANTS,
    clock_draws,
    csc_by_target,
    decay_powers,
    draws,
    plastic_module,
)
from snn.core._synapse import SynapseModel, check_weight_bounds, weight_rule
from snn.core._synapse_values import (
    canonical_order,
    delay_steps,
    draw_delays,
    draw_parameter,
    draw_weights,
    flush_in_flight,
    storage_kind,
    target_ranks,
)
from snn.core._validate import require_finite
from snn.core.errors import ConfigurationError
from snn.core.random import Distribution, derive_key

if TYPE_CHECKING:
    from snn.core._network import Network
    from snn.core._population import Population

__all__ = ["Projection"]


class Projection(FrozenAttributes):
    """Synapses from ``pre`` onto receptor ``receptor`` of ``post``.

    Created by :meth:`snn.core.Network.connect`. Synapses are stored by presynaptic neuron (CSR);
    on an MPI rank only the synapses onto the rank's own neurons exist. Change weights, delays
    and the synapse model's parameters with :meth:`set`; read them with :meth:`get`.

    Attributes
    ----------
    pre, post : Population or PopulationView
        Source and target neurons (as given to ``connect``).
    receptor : str
        Receptor of ``post`` that the synapses feed.
    name : str
        Unique name within the network.
    index : int
        Creation order within the network.
    """

    _frozen: ClassVar[dict[str, str]] = {
        "synapse": "change the synapse model's parameters with Projection.set(name=value).",
        **{
            k: "it is fixed when the projection is made."
            for k in ("pre", "post", "receptor", "name", "index", "rule")
        },
    }

    def __init__(
        self,
        *,
        pre: Population,
        post: Population,
        receptor: str,
        csr: CSR,
        name: str,
        index: int,
        rule: object,
    ) -> None:
        self.pre = pre
        self.post = post
        self.receptor = receptor
        self._csr = csr
        self.name = name
        self.index = index
        self.rule = rule
        self._sealed = True

    #: the synapse model of a stateful projection (None: static synapses)
    synapse: SynapseModel | None = None
    # what deferred arrivals change: read or replaced from Python, they settle first
    _csr: CSR = Settled()  # type: ignore[assignment]
    _syn_state: dict[str, np.ndarray] = Settled()  # type: ignore[assignment]
    _src: np.ndarray | None = Settled()  # type: ignore[assignment]
    _src_step: np.ndarray | None = Settled()  # type: ignore[assignment]
    _consts: dict[str, Any] = Settled()  # type: ignore[assignment]
    #: whether postsynaptic arrivals wait for the synapse's next presynaptic spike (decision
    #: 0026; set by the layout)
    _deferred: bool = False
    #: step at which the projection was made: spikes emitted before it are not delivered
    _born: int = 0
    #: whether the synapse model's learning parameters act (see :meth:`set`)
    _learning: bool = True
    #: weights a reset with ``weights="initial"`` restores (stateful synapses: as made or set)
    _w0: np.ndarray | None = None
    #: synapse variables given by :meth:`set` at t = 0, as a reset restores them (the others go
    #: back to the model's initial values); None: none given
    _sv0: dict[str, np.ndarray] | None = None
    #: constants of the rule the loop reads per synapse (arrays); once per synapse, a constant
    #: stays an array (as a population's per-neuron constants), so that going back to one value
    #: costs no new loop
    _array_consts: frozenset[str] = frozenset()

    def _assign_hint(self, name: str) -> str:
        if name in self._names():
            return (
                f" {name!r} belongs to the synapses: set it with Projection.set({name}=value) "
                f"and read it with .get({name!r})."
            )
        return ""

    @property
    def _coupling(self) -> bool:
        """Whether the synapses couple continuously instead of at spikes (``_coupling.py``)."""
        return is_coupling(self)

    @property
    def _arrival(self) -> bool:
        """Whether the loop delivers this projection at arrival time (rows ordered by delay)."""
        return isinstance(self._csr_raw.delay, DelayRuns)

    def _attach(self, synapse: SynapseModel, dt: float, fdt: np.dtype) -> None:
        """Make the synapses stateful: per-synapse state from the model's initial values.

        Refuses (before changing anything) initial weights outside the model's bounds and a
        projection the model cannot serve.
        """
        synapse.check_projection(self)
        synapse = self._per_synapse_values(synapse)
        self._check_bounds(synapse, self._csr.weight)
        prepared = self._constants(synapse, True, dt, fdt)
        self.synapse = synapse
        self._learning = True
        self._w0 = np.array(self._csr.weight, copy=True)
        n = self.n_synapses
        self._syn_state = {}
        for v in synapse.synapse_vars:
            dtype = (np.int64 if fdt.itemsize == 8 else np.int32) if v.dtype == "int" else fdt
            self._syn_state[v.name] = np.zeros(n, dtype=dtype)
        self._init_synapse_state()
        self._src = None
        self._src_step = None
        self._tgt = None
        self._tgt_hist = None
        self._csc = None
        self._put_constants(prepared)

    def _per_synapse_values(self, synapse: SynapseModel) -> SynapseModel:
        """``synapse`` with its per-synapse parameters drawn (Distributions) and checked.

        An array must hold one value per synapse; a Distribution is drawn as ``set`` draws it
        (:func:`~snn.core._synapse_values.draw_parameter`), and the model's own checks run on
        the drawn values.
        """
        drawn: dict[str, Any] = {}
        n = self.n_synapses
        for name in synapse.vector_parameters or ():
            value = getattr(synapse, name)
            if isinstance(value, Distribution):
                drawn[name] = draw_parameter(self, name, value, slice(None))
            elif isinstance(value, np.ndarray | list | tuple):
                # a copy of snn's own: the loop may read it in place (see _constants)
                arr = np.array(value, dtype=np.float64)
                if arr.shape != (n,):
                    raise ConfigurationError(
                        f"`{name}` of {type(synapse).__name__} holds {arr.size} values, but "
                        f"projection {self.name!r} has {n} synapses; give one number, one value "
                        "per synapse (in the projection's storage order, see Projection.sources "
                        "and .targets) or a Distribution."
                    )
                drawn[name] = arr
        if drawn:
            synapse = replaced(synapse, drawn, f"the synapse model of projection {self.name!r}")
        return synapse

    def _check_bounds(self, synapse: SynapseModel, weight: Any) -> None:
        """Refuse weights outside the bounds of the synapse model (``weight_bounds``)."""
        check_weight_bounds(f"projection {self.name!r}", synapse, weight)

    def _history_rows(self) -> int:
        """Rows of the target history.

        The target traces, then the target neuron variables the spike rules read (decision
        0027).
        """
        model = self.synapse
        assert model is not None
        return len(model.target_traces) + (0 if self._coupling else len(model.post_variables))

    def _hold_target_variables(self) -> None:
        """Every place of the target variables' history at the variables' present values.

        A synapse reading a step before the history began (before the first step, or before
        the projection was made) sees the value the variable had then.
        """
        if self.synapse is None or self._coupling or self._tgt_hist is None:
            return
        first = len(self.synapse.target_traces)
        state = self.post.population.state
        for m, v in enumerate(self.synapse.post_variables):
            self._tgt_hist[first + m] = state[v]

    def _init_synapse_state(self) -> None:
        """Synapse variables at their initial values (the model's, or as :meth:`set` gave)."""
        assert self.synapse is not None
        init = self.synapse.initial_synapse_state()
        given = self._sv0 or {}
        for name, arr in self._syn_state.items():
            arr[...] = given[name] if name in given else init.get(name, 0)

    def _update_constants(self, dt: float, fdt: np.dtype) -> None:
        """The rule's constants and trace decay factors in the loop's types (read live by it)."""
        assert self.synapse is not None
        self._put_constants(self._constants(self.synapse, self._learning, dt, fdt))

    def _constants(
        self, model: SynapseModel, learning: bool, dt: float, fdt: np.dtype
    ) -> tuple[dict[str, Any], frozenset[str], np.ndarray, np.ndarray]:
        """The constants of ``model`` as the loop takes them (nothing is set), checked.

        Returns the constants (numbers, or one value per synapse in storage order), the names
        of those per synapse, and the decay factors of the source and target traces. With
        learning switched off the model's :attr:`~snn.core.SynapseModel.learning` parameters
        are zero here (the model keeps its values).
        """
        if not learning:
            model = dataclasses.replace(model, **dict.fromkeys(model.learning, 0.0))
        itype = np.int64 if fdt.itemsize == 8 else np.int32
        consts: dict[str, Any] = {}
        arrays = set()
        for name, value in model.constants(dt).items():
            if np.ndim(value) or name in self._array_consts:
                arr = np.asarray(value, dtype=fdt)
                flags = arr.flags
                if not (arr.shape == (self.n_synapses,) and flags.c_contiguous and flags.writeable):
                    arr = np.array(np.broadcast_to(arr, (self.n_synapses,)), dtype=fdt)
                # one value per synapse; a parameter passed on unchanged in the loop's type is
                # the model's own array (snn's copy, never written: set makes new ones), so it
                # is not stored twice
                consts[name] = arr
                arrays.add(name)
            elif isinstance(value, int | np.integer) and not isinstance(value, bool):
                consts[name] = itype(value)
            else:
                consts[name] = fdt.type(value)
        if draws(model):
            consts.update(zip(DRAW_CONSTANTS, self._draw_constants(), strict=True))
        if clock_draws(model):
            # the synapses' counters, and a key of the noise's own (independent of on_pre's)
            consts[DRAW_CONSTANTS[2]] = self._draw_constants()[2]
            noise = derive_key(self.network.seed, "projection", self.index, "clock noise")
            consts.update(zip(NOISE_CONSTANTS, noise, strict=True))
        _check_per_synapse(model, arrays, self.name)
        src_decay = np.array(
            [np.exp(-dt / model.trace_tau(t)) for t in model.source_traces], dtype=fdt
        )
        tgt_decay = np.array(
            [np.exp(-dt / model.trace_tau(t)) for t in model.target_traces], dtype=fdt
        )
        return consts, frozenset(arrays), src_decay, tgt_decay

    def _put_constants(
        self, prepared: tuple[dict[str, Any], frozenset[str], np.ndarray, np.ndarray]
    ) -> None:
        """Store what :meth:`_constants` returned; a constant newly per synapse is structural."""
        consts, arrays, src_decay, tgt_decay = prepared
        # first: pending arrivals are applied with the old values (``_consts`` is Settled)
        self._consts = consts
        self._src_pow = decay_powers(src_decay)
        self._tgt_decay = tgt_decay
        if not arrays <= self._array_consts:
            self._array_consts = self._array_consts | arrays
            self.network._touch(code_only=True)

    def _draw_constants(self) -> tuple[np.uint64, np.uint64, np.ndarray]:
        """Key and per-synapse counters of ``on_pre``'s keyed draws (``_synapse.py``).

        The counter of a synapse is its target's index in the target view, with its rank among
        that target's synapses (sources ascending) in the upper 32 bits: the counters of
        ``connect``'s weight draws, the same on any thread or MPI layout. A stateful
        projection keeps its storage order, so they are computed once.
        """
        ids = getattr(self, "_draw_ids", None)
        if ids is None:
            require_memory(f"the random counters of projection {self.name!r}", 8 * self.n_synapses)
            target, rank = target_ranks(self)
            ids = target.astype(np.uint64) | (rank.astype(np.uint64) << np.uint64(32))
            self._draw_ids = ids
        k0, k1 = derive_key(self.network.seed, "projection", self.index, "release")
        return k0, k1, ids

    def _prepare(
        self, step: int, slice_len: int, n_blocks: int, fdt: np.dtype, deferred: bool
    ) -> None:
        """Traces, history and post-side index for the loop's layout (kept when unchanged).

        ``deferred``: postsynaptic arrivals are applied later, in storage order (decision 0026,
        :mod:`snn.core._deferred`), and the post-side index is not needed.
        """
        model = self.synapse
        assert model is not None
        homogeneous = not isinstance(self._csr.delay, np.ndarray)
        self._deferred = deferred
        self._module = plastic_module(
            model, self._consts, homogeneous, transmit=not self._coupling, deferred=deferred
        )
        n_src, n_tgt = len(model.source_traces), len(model.target_traces)
        n_hist = self._history_rows()
        shape = (n_blocks, n_src, self.pre.size)
        if self._src is None:
            self._src = np.zeros(shape, dtype=fdt)
        elif self._src.shape != shape:
            # every block holds the same copy: widen or narrow from block 0 (a writable copy:
            # narrowed to one block, the broadcast view would be contiguous and read-only)
            self._src = np.array(np.broadcast_to(self._src[:1], shape))
        steps = (n_blocks, self.pre.size)
        if self._src_step is None:
            self._src_step = np.zeros(steps, dtype=np.int64)
        elif self._src_step.shape != steps:
            self._src_step = np.array(np.broadcast_to(self._src_step[:1], steps))
        if deferred:
            allocate(self, n_blocks, slice_len)
        n_post = self.post.population.n_local
        if self._tgt is None:
            self._tgt = np.zeros((n_tgt, n_post), dtype=fdt)
        size = 1 << math.ceil(math.log2(2 * slice_len + self._csr.max_delay() + 2))
        if self._tgt_hist is None or self._tgt_hist.shape[1] != size:
            require_memory(
                f"the target trace history of projection {self.name!r} ({size} steps)",
                n_hist * size * n_post * fdt.itemsize,
            )
            old = self._tgt_hist
            self._tgt_hist = np.zeros((n_hist, size, n_post), dtype=fdt)
            self._hold_target_variables()
            if old is not None:
                carry_rows(old, self._tgt_hist, step, past=True, axis=1)
        # a coupling's post-side index (lay_out_couplings) serves its on_post too
        if self._csc is not None or self._coupling or deferred:
            return
        if model.on_post_function() is not None:
            n = self.n_synapses
            itype = np.uint32 if n < 2**32 and self.pre.size < 2**32 else np.uint64
            ptr = np.zeros(n_post + 1, dtype=np.int64)
            syn = np.zeros(n, dtype=itype)
            src = np.zeros(n, dtype=itype)
            delay = self._csr.delay if not homogeneous else np.zeros(0, dtype=np.uint16)
            csc_by_target(self._csr.indptr, self._csr.indices, delay, n_post, ptr, syn, src)
            self._csc = {"ptr": ptr, "syn": syn, "src": src}
        else:
            empty = np.zeros(0, dtype=np.uint32)
            self._csc = {"ptr": np.zeros(n_post + 1, dtype=np.int64), "syn": empty, "src": empty}

    @property
    def network(self) -> Network:
        """The network of the projection."""
        return self.post.population.network

    @property
    def learning(self) -> bool:
        """Whether plasticity changes the weights (switched with ``set(learning=...)``)."""
        return self.synapse is not None and self._learning

    def _names(self) -> list[str]:
        """What :meth:`get` and :meth:`set` take (the engine's own ``_`` names left out)."""
        names = ["weight", "delay", "learning"]
        if self.synapse is not None:
            names += parameter_names(self.synapse)
            names += [v.name for v in self.synapse.synapse_vars if not v.name.startswith("_")]
        return names

    def _named(self, name: str) -> str:
        """``name``, or ``"weight"`` for ``"w"`` (Brian2's and the synapse equations' name)."""
        return "weight" if name == "w" and "w" not in self._names() else name

    def _selection(self, pre: Any, post: Any) -> np.ndarray | slice:
        """Storage positions of the synapses from ``pre`` onto ``post`` (``slice(None)``: all).

        Selecting all synapses makes no index array (a large projection's would be large).
        """
        if pre is None and post is None:
            return slice(None)
        keep = np.ones(self.n_synapses, dtype=bool)
        sides = (("pre", pre, self.pre, self.sources), ("post", post, self.post, self.targets))
        for what, value, side, ends in sides:
            if value is not None:
                keep &= np.isin(ends(), _population_indices(value, side.population, what))
        return np.flatnonzero(keep)

    def get(self, name: str | list[str], *, pre: Any = None, post: Any = None) -> Any:
        """Weights, delays, synapse variables or parameters of the synapse model.

        Parameters
        ----------
        name
            ``"weight"`` (or ``"w"``) [unit of the receptor], ``"delay"`` [s], a synapse
            variable of a stateful projection (``"u"``), a parameter of its synapse model
            (``"tau_rec"``), ``"learning"``, or ``"source"`` / ``"target"`` (the population
            indices of each selected synapse's neurons, as NEST's ``conns.get("source")``); or
            a list of these, for a dict of them. A parameter the model may hold per synapse
            (:attr:`~snn.core.SynapseModel.vector_parameters`) is given per synapse when it
            holds one value per synapse or when ``pre`` or ``post`` is given.
        pre, post
            Select the synapses from these source and onto these target neurons: population
            indices (an int, a sequence, a slice) or a population or view of the projection's
            populations. Default: all synapses.

        Returns
        -------
        numpy.ndarray or object
            One value per selected synapse held by this process, in storage order (see
            :meth:`weights`), or the parameter's value for the whole projection; a dict of
            them by name for a list of names.
        """
        if isinstance(name, list | tuple):
            return {n: self.get(n, pre=pre, post=post) for n in name}
        if name in ("source", "target"):
            ends = self.sources() if name == "source" else self.targets()
            return ends[self._selection(pre, post)]
        name = self._named(name)
        names = self._names()
        if name not in names:
            raise _unknown(self, name, names)
        selected = pre is not None or post is not None
        vector = name in self._vector_names()
        per_synapse = name in ("weight", "delay") or name in getattr(self, "_syn_state", {})
        if vector and (selected or np.ndim(getattr(self.synapse, name))):
            sel = self._selection(pre, post)
            value = np.asarray(getattr(self.synapse, name), dtype=np.float64)
            return np.array(np.broadcast_to(value, (self.n_synapses,))[sel])
        if not per_synapse:
            if selected:
                raise ConfigurationError(
                    f"`{name}` is one value for the whole projection; `pre` and `post` select "
                    "synapses for per-synapse values (weight, delay, synapse variables, and "
                    f"the synapse model's parameters {list(self._vector_names())})."
                )
            return self.learning if name == "learning" else getattr(self.synapse, name)
        sel = self._selection(pre, post)
        if name == "weight":
            return self.weights()[sel]
        if name == "delay":
            return self.delays()[sel]
        return self._syn_state[name][sel].astype(np.float64)

    def _vector_names(self) -> tuple[str, ...]:
        """The synapse model's parameters that may take one value per synapse."""
        return () if self.synapse is None else tuple(self.synapse.vector_parameters or ())

    def set(self, *, pre: Any = None, post: Any = None, **values: Any) -> None:
        """Change weights, delays or the synapse model's parameters; the next run uses them.

        Parameters
        ----------
        pre, post
            Select synapses for ``weight``, ``delay`` and per-synapse parameters (as in
            :meth:`get`; default all).
        **values
            ``weight`` [unit of the receptor] and ``delay`` [s]: a number, one value per
            selected synapse (storage order, as :meth:`get` gives them) or a
            :class:`~snn.core.random.Distribution` (drawn as ``connect`` draws it, see below);
            a parameter of the synapse model (``U=``, ``tau_rec=`` of short-term plasticity;
            ``learning_rate=``, ``w_max=`` of STDP): a value for the whole projection, or,
            for the parameters the model may hold per synapse
            (:attr:`~snn.core.SynapseModel.vector_parameters`: ``U``, ``tau_rec``, ``tau_fac``
            and ``tau_psc`` of short-term plasticity), the forms of ``weight`` too, for the
            selected synapses;
            ``learning``: False freezes the weights of a plastic projection (it goes on
            delivering with its current weights, its traces go on), True lets them learn again;
            a clock-driven synapse variable (:attr:`~snn.core.SynapseModel.clock_variables`):
            a number or one value per selected synapse, the state the next step starts from.

        Notes
        -----
        Every value is checked before anything changes (weights against the receptor's sign,
        delays against the time step, the synapse model through its own ``__post_init__``). New
        values need no compilation and no new connectivity; a few changes are structural and
        make the next run generate the loop again, once: a projection's first per-synapse
        weights or delays (one number becomes an array: 8 bytes of weight or 2 of delay per
        synapse), and delays that change how it is delivered. Longer delays enlarge the ring
        buffers; a new smallest delay changes the loop's slice length; inputs already in flight
        keep the delays they were sent with. The rules of stateful synapses use the new delays
        from the change on (a postsynaptic spike on its way to the synapses reaches them after
        their new delay).

        A Distribution is drawn with the projection's key and the counters
        ``connect`` uses for rules that generate the sources of each target (the target's
        index and the synapse's rank among its sources): for those rules, setting
        ``weight=dist`` gives the weights ``connect(..., weight=dist)`` gives. Fixed out-degree
        rules and explicit lists draw by source in ``connect``; ``set`` draws by target for
        them as well (the same law, other values). Between multapses of one pair delivered at
        arrival time (rows ordered by delay) ranks follow storage order.

        Per-synapse parameters are stored as the synapse model's own values (read them back
        with :meth:`get`, or ``projection.synapse.U``): one number while they are equal for all
        synapses, else one float64 per synapse, and the rule's constants in the loop's float
        type per synapse (the first such ``set`` generates the loop again; the constant stays
        per synapse afterwards). A Distribution is drawn with its own key (the projection and
        the parameter's name) and the counters of ``weight``.

        Learning is switched off by zeroing the synapse model's
        :attr:`~snn.core.SynapseModel.learning` parameters (the model keeps its values).
        """
        net = self.network
        if self._deferred:
            # arrivals pending are applied with the values they were made under
            settle_pending(net)
        if "w" in values and self._named("w") == "weight":
            if "weight" in values:
                raise ConfigurationError("give the weights once: `w` is `weight` here.")
            values["weight"] = values.pop("w")
        names = self._names()
        for name in values:
            if name not in names:
                raise _unknown(self, name, names)
        clock = self.synapse.clock_variables if self.synapse is not None else ()
        if self.synapse is not None:
            frozen = [v.name for v in self.synapse.synapse_vars if v.name in values]
            frozen = [v for v in frozen if v not in clock]
            if frozen:
                raise ConfigurationError(
                    f"{frozen} are synapse variables (state) of projection {self.name!r}; they "
                    "follow the synapse model's rule and cannot be set (clock-driven ones can)."
                )
        if "delay" in values and self._coupling:
            raise ConfigurationError(
                f"projection {self.name!r} couples its neurons continuously, without delay; it "
                "has no delay to set."
            )
        per = {k: values[k] for k in ("weight", "delay", *clock) if k in values}
        params = {k: v for k, v in values.items() if k not in per and k != "learning"}
        vector = self._vector_names()
        shared = [k for k in params if k not in vector] + ["learning"] * ("learning" in values)
        if (pre is not None or post is not None) and shared:
            raise ConfigurationError(
                f"`pre` and `post` select synapses for per-synapse values; {shared} hold for "
                f"the whole projection (per synapse: weight, delay and {list(vector)})."
            )
        sel = self._selection(pre, post) if per or params else slice(0, 0)
        state = {}
        for k in clock:
            if k in per:
                state[k] = _per_synapse(k, per[k], self._count(sel))
                require_finite(k, state[k])
        weight = self._new_weights(per["weight"], sel) if "weight" in per else None
        delay = self._new_delays(per["delay"], sel) if "delay" in per else None
        model = None
        if params:
            changes = {
                k: self._merged_parameter(k, v, sel) if k in vector else v
                for k, v in params.items()
            }
            model = replaced(self.synapse, changes, f"the synapse model of {self.name!r}")
            model.check(net.dt)
            _check_same_rules(self.synapse, model, self.name)
        if self.synapse is not None and (weight is not None or model is not None):
            self._check_bounds(
                model or self.synapse, self._csr.weight if weight is None else weight
            )
        learning = self._learning
        if "learning" in values:
            learning = _learning_flag(values["learning"], self)
        prepared = None
        if model is not None or learning != self._learning:
            assert self.synapse is not None
            prepared = self._constants(model or self.synapse, learning, net.dt, net.float_dtype)
        # everything is checked: write
        for k, value in state.items():
            self._syn_state[k][sel] = value
            if net.step == 0:  # as neuron state: values set at t = 0 are what a reset restores
                self._sv0 = {**(self._sv0 or {}), k: self._syn_state[k].copy()}
        if weight is not None:
            self._put_weights(weight)
        if delay is not None:
            self._put_delays(delay)
        if prepared is not None:
            if model is not None:
                self.__dict__["synapse"] = model
                if net.step == 0:
                    self._init_synapse_state()
            self._learning = learning
            self._put_constants(prepared)

    def _merged_parameter(self, name: str, value: Any, sel: np.ndarray | slice) -> Any:
        """The model's new value of per-synapse parameter ``name`` once ``sel`` gets ``value``.

        One number for all synapses stays one number; values that differ become one per
        synapse (storage order). A parameter that was one number and whose new values are all
        equal stays one number.
        """
        if isinstance(value, Distribution):
            new: Any = draw_parameter(self, name, value, sel)
        else:
            new = _per_synapse(name, value, self._count(sel))
        n = self.n_synapses
        if np.ndim(new) == 0 and self._count(sel) == n:
            return new
        current = getattr(self.synapse, name)
        full = np.array(np.broadcast_to(np.asarray(current, dtype=np.float64), (n,)))
        full[sel] = new
        if np.ndim(current) == 0 and np.all(full == (full[0] if n else current)):
            return float(full[0]) if n else current
        return full

    def _count(self, sel: np.ndarray | slice) -> int:
        return len(range(*sel.indices(self.n_synapses))) if isinstance(sel, slice) else len(sel)

    def _new_weights(self, value: Any, sel: np.ndarray | slice) -> Any:
        """The projection's new weight storage (a number or an array), checked."""
        net = self.network
        rec = self.post.model.receptor(self.receptor)
        if isinstance(value, Distribution):
            new = draw_weights(self, value, sel)
        else:
            new = _per_synapse("weight", value, self._count(sel))
        check_weights("weight", new, *weight_rule(rec, self.synapse), warn=True)
        current = self._csr.weight
        fdt = net.float_dtype
        if np.ndim(new) == 0 and self._count(sel) == self.n_synapses:
            if not isinstance(current, np.ndarray):
                return float(new)
            return np.full(self.n_synapses, new, dtype=fdt)
        require_memory(f"the weights of projection {self.name!r}", self.n_synapses * fdt.itemsize)
        full = np.array(np.broadcast_to(np.asarray(current, dtype=fdt), (self.n_synapses,)))
        full[sel] = new
        if not isinstance(current, np.ndarray) and np.all(full == full[:1]):
            return float(full[0]) if full.size else float(current)
        return full

    def _put_weights(self, weight: Any) -> None:
        structural = storage_kind(weight) != storage_kind(self._csr.weight)
        self._csr.weight = weight
        if self.synapse is not None:
            self._w0 = weight.copy()
        if structural:
            self.network._touch(code_only=True)

    def _new_delays(self, value: Any, sel: np.ndarray | slice) -> int | np.ndarray:
        """The delays [steps]: one for all synapses, or every synapse's in storage order."""
        if isinstance(value, Distribution):
            new: Any = draw_delays(self, value, sel)
            if new.size and (new.min() < 1 or new.max() > 65535):
                raise ConfigurationError(
                    f"the delays drawn for projection {self.name!r} include values below one "
                    "time step or above 65535 steps; bound the distribution (Clipped)."
                )
        else:
            new = delay_steps(self.network, _per_synapse("delay", value, self._count(sel)))
        if np.ndim(new) == 0 and self._count(sel) == self.n_synapses:
            return int(new)
        current = np.asarray(self._csr.delays(), dtype=np.float64)
        full = np.array(np.broadcast_to(current, (self.n_synapses,)))
        full[sel] = new
        return int(full[0]) if full.size and np.all(full == full[0]) else full

    def _put_delays(self, delay: int | np.ndarray) -> None:
        """Store new delays, laid out as a fresh projection with them would be."""
        net = self.network
        csr = self._csr
        kind = storage_kind(csr.delay)
        order = None
        if self._arrival:
            flush_in_flight(net, self)
            order = canonical_order(self)
        # new arrays, never changed in place: a stored snapshot may hold the old ones
        csr.indices = csr.indices[order] if order is not None else csr.indices.copy()
        if isinstance(csr.weight, np.ndarray):
            csr.weight = csr.weight[order] if order is not None else csr.weight.copy()
        if isinstance(delay, np.ndarray):
            if order is not None:
                delay = delay[order]
            csr.delay = np.ascontiguousarray(delay, dtype=np.uint16)
        else:
            csr.delay = delay
        if self.synapse is None:
            net._order_for_arrival(self)
        else:
            self._csc = None  # the post-side index is sorted by delay
        if storage_kind(csr.delay) != kind:
            net._touch(code_only=True)
        else:
            net._relayout()

    def synapse_state(self, name: str) -> np.ndarray:
        """A copy of synapse variable ``name`` of a stateful projection, in storage order."""
        if self.synapse is None or name not in self._syn_state:
            have = [] if self.synapse is None else list(self._syn_state)
            raise ConfigurationError(
                f"projection {self.name!r} has no synapse variable {name!r}; it has {have}."
            )
        return self._syn_state[name].copy()

    def __repr__(self) -> str:
        return (
            f"<Projection {self.name!r}: {self.pre.name} -> {self.post.name}.{self.receptor}, "
            f"{self.n_synapses} synapses>"
        )

    @property
    def n_synapses(self) -> int:
        """Number of synapses (held by this process)."""
        return self._csr_raw.n_synapses

    @property
    def nbytes(self) -> int:
        """Bytes of memory used by the synapse arrays."""
        return self._csr_raw.nbytes

    def sources(self) -> np.ndarray:
        """Population index of each synapse's source, in storage order (int64)."""
        rows = np.arange(self.pre.start, self.pre.stop, dtype=np.int64)
        return np.repeat(rows, np.diff(self._csr_raw.indptr))

    def targets(self) -> np.ndarray:
        """Population index of each synapse's target, in storage order (int64)."""
        return self.post.population.local_index[self._csr_raw.indices.astype(np.int64)]

    def weights(self) -> np.ndarray:
        """Weight of each synapse in storage order [unit of the receptor] (a copy)."""
        w = self._csr.weight
        if isinstance(w, np.ndarray):
            return w.astype(np.float64)
        return np.full(self.n_synapses, float(w))

    def delays(self) -> np.ndarray:
        """Delay of each synapse in storage order [s]."""
        d = self._csr_raw.delays()
        dt = self.post.population.network.dt
        if isinstance(d, np.ndarray):
            return d.astype(np.float64) * dt
        return np.full(self.n_synapses, float(d) * dt)

    @property
    def homogeneous_weight(self) -> bool:
        """True when all synapses share one weight (stored once)."""
        return not isinstance(self._csr_raw.weight, np.ndarray)

    @property
    def homogeneous_delay(self) -> bool:
        """True when all synapses share one delay (stored once)."""
        return not isinstance(self._csr_raw.delay, np.ndarray | DelayRuns)

    def in_degrees(self) -> np.ndarray:
        """Number of synapses onto each local target neuron of ``post``."""
        pop = self.post.population
        counts = np.bincount(self._csr_raw.indices, minlength=pop.n_local)
        lo = int(np.searchsorted(pop.local_index, self.post.start))
        return counts[lo : lo + self.post.n_local]

    def out_degrees(self) -> np.ndarray:
        """Number of synapses (held here) leaving each source neuron."""
        return np.diff(self._csr_raw.indptr)


def _unknown(proj: Projection, name: str, names: list[str]) -> ConfigurationError:
    from snn.core._params import unknown_name

    return unknown_name(f"projection {proj.name!r}", name, names)


def _population_indices(value: Any, pop: Population, side: str) -> np.ndarray:
    """Population indices named by a selection: an int, indices, a slice, a population or view."""
    from snn.core._population import Population, PopulationView

    if isinstance(value, Population | PopulationView):
        if value.population is not pop:
            raise ConfigurationError(
                f"`{side}` is {value.name!r}, which is not the projection's {side} population "
                f"{pop.name!r}."
            )
        return value.indices
    if isinstance(value, slice):
        return np.arange(*value.indices(pop.size), dtype=np.int64)
    arr = np.atleast_1d(np.asarray(value))
    if arr.ndim != 1 or not (arr.size == 0 or np.issubdtype(arr.dtype, np.integer)):
        raise ConfigurationError(
            f"`{side}` must be population indices, a slice, a population or a view, got {value!r}."
        )
    if arr.size and (arr.min() < 0 or arr.max() >= pop.size):
        raise ConfigurationError(
            f"`{side}` indices must lie in [0, {pop.size - 1}] for {pop.name!r}, got "
            f"{int(arr.min() if arr.min() < 0 else arr.max())}."
        )
    return arr.astype(np.int64)


def _per_synapse(name: str, value: Any, n: int) -> Any:
    """A number, or an array of ``n`` numbers (one per selected synapse)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"`{name}` must be a number, {n} numbers (one per selected synapse) or a "
            f"Distribution, got {value!r}."
        ) from None
    if arr.ndim == 0:
        return float(arr)
    if arr.shape != (n,):
        raise ConfigurationError(
            f"`{name}` must be a number, a Distribution or an array of {n} values (one per "
            f"selected synapse, in storage order), got an array of shape {arr.shape}."
        )
    return arr


def _learning_flag(value: Any, proj: Projection) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise ConfigurationError(f"`learning` must be True or False, got {value!r}.")
    if proj.synapse is None or not proj.synapse.learning:
        what = "static synapses" if proj.synapse is None else type(proj.synapse).__name__
        raise ConfigurationError(
            f"projection {proj.name!r} has {what}, which have no learning to switch (a synapse "
            "model names its learning parameters in `learning`)."
        )
    return bool(value)


def _check_per_synapse(model: SynapseModel, arrays: set[str], name: str) -> None:
    """Refuse per-synapse values where the rules need one value (per neuron or per projection).

    ``arrays`` names the constants that are per synapse. ``on_pre`` and ``on_post`` read the
    synapse's own value; the trace rules act once per neuron, a trace decays alike for all its
    synapses, and a coupling reads its constants once per projection.
    """
    cls = type(model).__name__
    for trace in (*model.source_traces, *model.target_traces):
        if np.ndim(model.trace_tau(trace)):
            raise ConfigurationError(
                f"{cls}: the time constant of trace {trace.name!r} ({trace.tau}) is one per "
                "neuron; the parameters it depends on cannot differ between the synapses of "
                f"projection {name!r}."
            )
    if not arrays:
        return
    if model.coupling_function() is not None or model.clock_function() is not None:
        continuous = model.coupling_function() is not None
        what = (
            "couples its neurons continuously"
            if continuous
            else "has clock-driven synapse variables"
        )
        raise ConfigurationError(
            f"{cls} {what}; its parameters are one value for projection {name!r}, got "
            f"{sorted(arrays)} per synapse."
        )
    for role in ("source_spike_function", "target_spike_function"):
        func = getattr(model, role)()
        if func is None:
            continue
        args = inspect.signature(getattr(func, "py_func", func)).parameters
        shared = sorted(arrays & set(args))
        if shared:
            raise ConfigurationError(
                f"{cls}: the constants {shared} of projection {name!r} differ between synapses, "
                f"but its {role.removesuffix('_function')} rule, which acts once per neuron, "
                "reads them; give the parameters behind them one value for the projection."
            )


def _check_same_rules(old: SynapseModel, new: SynapseModel, name: str) -> None:
    """Refuse parameters that would change the synapse model's rules (its generated kernels)."""
    roles = ("on_pre_function", "on_post_function", "source_spike_function")
    roles += ("target_spike_function", "coupling_function", "clock_function")
    if any(getattr(old, r)() is not getattr(new, r)() for r in roles) or list(
        old.constants(1e-4)
    ) != list(new.constants(1e-4)):
        raise ConfigurationError(
            f"the new parameters change the rules of projection {name!r}'s synapse model "
            f"({type(new).__name__}: another pairing or weight dependence); make a new "
            "projection with that model instead."
        )
