"""The benchmark models, exactly as defined in ``shared/BENCHMARK_MODELS.md``.

Each builder returns a :class:`BenchModel`: the network, its neuron groups by name (populations
or views of one), and a spike monitor on every population (the peers record all spikes too).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from snn.core import Network, Population, PopulationView, SpikeMonitor, StateMonitor
from snn.core.errors import ConfigurationError
from snn.core.random import Normal, Uniform
from snn.core.units import Hz, ms, mV, nS, pA, pF
from snn.neurons import HHTraubMiles, LIFCondExp, LIFDelta, LIFExp, PoissonInput
from snn.plasticity import PairSTDP
from snn.synapses import FixedIndegree, PairwiseBernoulli

__all__ = ["EQUATION_MODELS", "MODELS", "BenchModel", "build"]


@dataclass
class BenchModel:
    """A benchmark network ready to run."""

    name: str
    scale: float
    network: Network
    groups: dict[str, Population | PopulationView]
    monitors: list[SpikeMonitor] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    #: extra figures read after the run (a collective call under MPI), e.g. a mean weight
    readout: Callable[[], dict[str, float]] | None = None
    #: biological time (s) simulated and discarded before the measured run
    transient: float = 0.0
    #: membrane potential traces recorded for the run summary plot (``run_model(traces=...)``)
    traces: StateMonitor | None = None


def _sizes(scale: float, n: int) -> int:
    k = round(n * scale)
    if k < 1:
        raise ConfigurationError(f"`scale` {scale} leaves no neuron of {n}.")
    return k


def _record_all(model: BenchModel) -> BenchModel:
    for pop in model.network.populations:
        model.monitors.append(model.network.record_spikes(pop))
    return model


def _equation_model(name: str) -> tuple[Any, float]:
    """The equation version of a benchmark neuron and the seconds its analysis took here."""
    t0 = time.perf_counter()
    from snn.bench import _equations

    return getattr(_equations, name), time.perf_counter() - t0


def build_coba(
    *,
    scale: float = 1.0,
    seed: int = 1,
    dtype: str = "float64",
    threads: int = 1,
    equations: bool = False,
) -> BenchModel:
    """Brette et al. 2007 benchmark 1 (Vogels & Abbott 2005), forward Euler as Brian2's example.

    4000 neurons (3200 E, 800 I) at scale 1, pairwise Bernoulli p = 0.02, conductance jumps
    6 nS / 67 nS, one-step delays, self-sustained. With ``equations``, the neuron is Brian2's
    equations (:mod:`snn.bench._equations`) instead of ``LIFCondExp``; its threshold is
    Brian2's ``v > V_th`` (the built-in model's is ``v >= v_th``).
    """
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype, threads=threads, name="coba")
    params = {
        "c_m": 200 * pF,
        "g_l": 10 * nS,
        "e_l": -60 * mV,
        "v_th": -50 * mV,
        "v_reset": -60 * mV,
        "e_ex": 0 * mV,
        "e_in": -80 * mV,
    }
    info: dict[str, Any] = {}
    if equations:
        cls, info["equations_s"] = _equation_model("COBA")
        names = {"c_m": "C_m", "g_l": "g_L", "e_l": "E_L", "v_th": "V_th", "v_reset": "V_reset",
                 "e_ex": "E_ex", "e_in": "E_in"}  # fmt: skip
        neuron = cls(**{names[k]: v for k, v in params.items()}, tau_ex=5 * ms, tau_in=10 * ms)
    else:
        neuron = LIFCondExp(
            **params, t_ref=5 * ms, tau_syn_ex=5 * ms, tau_syn_in=10 * ms, method="euler"
        )
    init = {
        "v": Normal(mean=-65 * mV, std=5 * mV),
        "g_ex": Normal(mean=40 * nS, std=15 * nS),
        "g_in": Normal(mean=200 * nS, std=120 * nS),
    }
    # one population, as Brian2's single NeuronGroup: one update loop, one row per spike
    n_e, n_i = _sizes(scale, 3200), _sizes(scale, 800)
    pop = net.add_population(neuron, n_e + n_i, name="P", init=init)
    e, i = pop[:n_e], pop[n_e:]
    rule = PairwiseBernoulli(p=0.02)
    net.connect(e, pop, rule=rule, weight=6 * nS, receptor="exc")
    net.connect(i, pop, rule=rule, weight=67 * nS, receptor="inh")
    return _record_all(BenchModel("coba", scale, net, {"E": e, "I": i}, info=info))


def build_cuba(
    *,
    scale: float = 1.0,
    seed: int = 1,
    dtype: str = "float64",
    threads: int = 1,
    equations: bool = False,
) -> BenchModel:
    """Brette et al. 2007 benchmark 2 (Brian2's CUBA example), exact integration.

    Brian2 writes the synaptic variables in volts (``dv/dt = (ge + gi - (v - E_L)) / tau_m``,
    jumps 1.62 mV and -9 mV); with ``C_m = 200 pF`` they are the currents ``C_m w / tau_m``:
    16.2 pA and -90 pA (NEST's mapping in BENCHMARK_MODELS.md). With ``equations``, the neuron
    is Brian2's equations (:mod:`snn.bench._equations`) and the jumps are in volts.
    """
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype, threads=threads, name="cuba")
    info: dict[str, Any] = {}
    if equations:
        cls, info["equations_s"] = _equation_model("CUBA")
        neuron: Any = cls(
            tau_m=20 * ms,
            E_L=-49 * mV,
            V_th=-50 * mV,
            V_reset=-60 * mV,
            tau_ex=5 * ms,
            tau_in=10 * ms,
        )
        w_ex, w_in = 1.62 * mV, -9 * mV
    else:
        neuron = LIFExp(
            tau_m=20 * ms,
            c_m=200 * pF,
            e_l=-49 * mV,
            v_th=-50 * mV,
            v_reset=-60 * mV,
            t_ref=5 * ms,
            tau_syn_ex=5 * ms,
            tau_syn_in=10 * ms,
        )
        w_ex, w_in = 16.2 * pA, -90 * pA
    init = {"v": Uniform(low=-60 * mV, high=-50 * mV)}
    n_e, n_i = _sizes(scale, 3200), _sizes(scale, 800)
    pop = net.add_population(neuron, n_e + n_i, name="P", init=init)
    e, i = pop[:n_e], pop[n_e:]
    rule = PairwiseBernoulli(p=0.02)
    net.connect(e, pop, rule=rule, weight=w_ex, receptor="exc")
    net.connect(i, pop, rule=rule, weight=w_in, receptor="inh")
    return _record_all(BenchModel("cuba", scale, net, {"E": e, "I": i}, info=info))


def build_brunel(
    *, scale: float = 1.0, seed: int = 1, dtype: str = "float64", threads: int = 1
) -> BenchModel:
    """Brunel 2000 model A, asynchronous irregular state (NEST's brunel_delta_nest).

    Full size (scale 1): 10000 E, 2500 I, in-degrees C_E = 1000, C_I = 250, J = 0.1 mV, g = 5,
    eta = 2, delay 1.5 ms. ``scale`` shrinks neurons and in-degrees together and keeps the
    external rate per neuron (eta * nu_thr * C_E = 20 kHz).
    """
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype, threads=threads, name="brunel")
    n_e, n_i = _sizes(scale, 10000), _sizes(scale, 2500)
    c_e, c_i = _sizes(scale, 1000), _sizes(scale, 250)
    j, g, eta = 0.1 * mV, 5.0, 2.0
    tau_m, theta = 20 * ms, 20 * mV
    neuron = LIFDelta(tau_m=tau_m, e_l=0 * mV, v_th=theta, v_reset=10 * mV, t_ref=2 * ms, i_e=0.0)
    e = net.add_population(neuron, n_e, name="E", init={"v": 0.0})
    i = net.add_population(neuron, n_i, name="I", init={"v": 0.0})
    delay = 1.5 * ms
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=c_e), weight=j, delay=delay)
        net.connect(i, post, rule=FixedIndegree(indegree=c_i), weight=-g * j, delay=delay)
    nu_thr = theta / (j * c_e * tau_m)
    nu_ext = eta * nu_thr
    for post in (e, i):
        net.add_drive(PoissonInput(rate=nu_ext * c_e, weight=j), post)
    model = BenchModel("brunel", scale, net, {"E": e, "I": i})
    model.info.update(nu_ext_hz=nu_ext / Hz, input_rate_hz=nu_ext * c_e / Hz)
    return _record_all(model)


def build_cobahh(
    *, scale: float = 1.0, seed: int = 1, dtype: str = "float64", threads: int = 1
) -> BenchModel:
    """Brette et al. 2007 benchmark 3 (Brian2's COBAHH example), exponential Euler.

    4000 Hodgkin-Huxley neurons with Traub & Miles kinetics (3200 E, 800 I) at scale 1, pairwise
    Bernoulli p = 0.02, exponential conductances with jumps 6 nS / 67 nS, one-step delays,
    self-sustained; spikes at V >= -20 mV (Brian2: >) with 3 ms of blocked detection, no reset.
    """
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype, threads=threads, name="cobahh")
    # HHTraubMiles' defaults are the benchmark's parameters (membrane area 20000 um^2); the
    # benchmark's (cheaper, less accurate) integration and spike detection are chosen explicitly
    neuron = HHTraubMiles(method="exp_euler", spike_detection="threshold")
    init = {
        "v": Normal(mean=-65 * mV, std=5 * mV),
        # Brian2's example leaves the gates at 0
        "m": 0.0,
        "h": 0.0,
        "n": 0.0,
        "g_ex": Normal(mean=40 * nS, std=15 * nS),
        "g_in": Normal(mean=200 * nS, std=120 * nS),
    }
    n_e, n_i = _sizes(scale, 3200), _sizes(scale, 800)
    pop = net.add_population(neuron, n_e + n_i, name="P", init=init)
    e, i = pop[:n_e], pop[n_e:]
    rule = PairwiseBernoulli(p=0.02)
    net.connect(e, pop, rule=rule, weight=6 * nS, receptor="exc")
    net.connect(i, pop, rule=rule, weight=67 * nS, receptor="inh")
    return _record_all(BenchModel("cobahh", scale, net, {"E": e, "I": i}))


def build_stdp(
    *,
    scale: float = 1.0,
    seed: int = 1,
    dtype: str = "float64",
    threads: int = 1,
    equations: bool = False,
) -> BenchModel:
    """Brunel model A with plastic E->E synapses (BRUNEL_STDP of BENCHMARK_MODELS.md).

    The network of :func:`build_brunel` (same projections in the same order, so the same
    connectivity for a seed) whose E->E synapses follow additive pair STDP with all-to-all
    traces and hard bounds: ``tau_plus = tau_minus = 20 ms``, ``lambda = 0.01``,
    ``alpha = 1.05``, ``w_max = 0.3 mV``, initial ``w = J``; the whole delay is dendritic (NEST's
    convention). Weights are updated eagerly at every pre- and postsynaptic event (as Brian2;
    NEST applies potentiation lazily at the next presynaptic spike).

    ``readout`` gives ``mean_weight_mV``: the mean E->E weight over the synapses onto 1000 E
    targets drawn with ``numpy.random.default_rng(seed + 7)`` at scale >= 1, over all of them
    below (the peers' sample, ``snn.bench.peers._common.stdp_readout_targets``). With
    ``equations``, the rule is written as equations (:data:`snn.bench._equations.STDP`).
    """
    net = Network(dt=0.1 * ms, seed=seed, dtype=dtype, threads=threads, name="stdp")
    n_e, n_i = _sizes(scale, 10000), _sizes(scale, 2500)
    c_e, c_i = _sizes(scale, 1000), _sizes(scale, 250)
    j, g, eta = 0.1 * mV, 5.0, 2.0
    tau_m, theta = 20 * ms, 20 * mV
    neuron = LIFDelta(tau_m=tau_m, e_l=0 * mV, v_th=theta, v_reset=10 * mV, t_ref=2 * ms, i_e=0.0)
    e = net.add_population(neuron, n_e, name="E", init={"v": 0.0})
    i = net.add_population(neuron, n_i, name="I", init={"v": 0.0})
    delay = 1.5 * ms
    rule = dict(tau_plus=20 * ms, tau_minus=20 * ms, learning_rate=0.01, alpha=1.05, w_max=0.3 * mV)
    equations_s = 0.0
    if equations:
        cls, equations_s = _equation_model("STDP")
        stdp = cls(**rule)
    else:
        stdp = PairSTDP(**rule)
    # build_brunel's projections in its order (E->E, I->E, E->I, I->I): the same connectivity
    plastic = net.connect(
        e, e, rule=FixedIndegree(indegree=c_e), weight=j, delay=delay, synapse=stdp
    )
    net.connect(i, e, rule=FixedIndegree(indegree=c_i), weight=-g * j, delay=delay)
    net.connect(e, i, rule=FixedIndegree(indegree=c_e), weight=j, delay=delay)
    net.connect(i, i, rule=FixedIndegree(indegree=c_i), weight=-g * j, delay=delay)
    nu_ext = eta * theta / (j * c_e * tau_m)
    for post in (e, i):
        net.add_drive(PoissonInput(rate=nu_ext * c_e, weight=j), post)
    # the peers' readout sample: 1000 E targets at full size, every synapse below
    targets = (
        np.sort(np.random.default_rng(seed + 7).choice(n_e, size=min(1000, n_e), replace=False))
        if scale >= 1.0
        else None
    )

    def readout() -> dict[str, float]:
        w = plastic.weights()
        if targets is not None:
            w = w[np.isin(plastic.targets(), targets)]
        total, count = float(w.sum()), int(w.size)
        if net.comm.active:
            total, count = net.comm.comm.allreduce(total), net.comm.comm.allreduce(count)
        return {"mean_weight_mV": total / count / mV}

    model = BenchModel("stdp", scale, net, {"E": e, "I": i}, readout=readout)
    model.info.update(nu_ext_hz=nu_ext / Hz, input_rate_hz=nu_ext * c_e / Hz)
    if equations:
        model.info["equations_s"] = equations_s
    return _record_all(model)


def build_microcircuit(
    *, scale: float = 1.0, seed: int = 1, dtype: str = "float64", threads: int = 1
) -> BenchModel:
    """Potjans & Diesmann (2014) cortical microcircuit, as NEST's reference example builds it.

    77,169 neurons and about 0.3 billion synapses at scale 1 (in-degrees scaled with the
    neurons below it, with the reference's weight and DC compensation), Poisson background,
    a 0.5 s transient discarded (:mod:`snn.bench._microcircuit`).
    """
    from snn.bench._microcircuit import microcircuit_network
    from snn.bench._pd14 import FULL_MEAN_RATES, POPULATIONS

    net, pops = microcircuit_network(scale=scale, seed=seed, dtype=dtype, threads=threads)
    model = BenchModel("microcircuit", scale, net, dict(pops), transient=0.5)
    rates = zip(POPULATIONS, FULL_MEAN_RATES, strict=True)
    model.info.update({f"full_scale_rate_{p}_hz": float(r) for p, r in rates})
    model.readout = lambda: _cv_isi_readout(model)
    return _record_all(model)


def _cv_isi_readout(model: BenchModel) -> dict[str, Any]:
    """Mean CV of the inter-spike intervals per population (neurons with >= 3 spikes).

    Collective under MPI (the spikes are gathered on rank 0; other ranks return nothing).
    """
    from snn.viz.statistics import cv_isi

    records = [m.gather() for m in model.monitors]
    if any(r is None for r in records):
        return {}
    out = {}
    for (name, pop), rec in zip(model.groups.items(), records, strict=True):
        cv = cv_isi(rec.times, rec.senders - pop.first_id, pop.size)
        out[name] = float(np.nanmean(cv)) if np.isfinite(cv).any() else float("nan")
    return {"cv_isi": out}


MODELS: dict[str, Callable[..., BenchModel]] = {
    "coba": build_coba,
    "cuba": build_cuba,
    "brunel": build_brunel,
    "cobahh": build_cobahh,
    "stdp": build_stdp,
    "microcircuit": build_microcircuit,
}


#: models that can be built from equations (``equations=True``)
EQUATION_MODELS = ("coba", "cuba", "stdp")


def build(
    name: str,
    *,
    scale: float = 1.0,
    seed: int = 1,
    dtype: str = "float64",
    threads: int = 1,
    equations: bool = False,
) -> BenchModel:
    """Build benchmark model ``name`` (one of :data:`MODELS`) on ``threads`` threads.

    With ``equations``, the neurons (coba, cuba) or the STDP rule (stdp) are written as equations
    (:mod:`snn.equations`) instead of the built-in model; available for :data:`EQUATION_MODELS`.
    """
    if name not in MODELS:
        raise ConfigurationError(f"unknown model {name!r}; choose one of {sorted(MODELS)}.")
    if equations:
        if name not in EQUATION_MODELS:
            raise ConfigurationError(
                f"{name!r} has no equation version; those with one: {list(EQUATION_MODELS)}."
            )
        return MODELS[name](scale=scale, seed=seed, dtype=dtype, threads=threads, equations=True)
    return MODELS[name](scale=scale, seed=seed, dtype=dtype, threads=threads)
