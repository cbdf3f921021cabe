"""NEST peer runner of the benchmark models.

Timing phases (all wall clock, ``time.perf_counter``):

``build_s``
    Kernel set-up, ``Create``, ``Connect``, setting initial states and NEST's ``Prepare``
    (which builds the connection infrastructure); ``details.prepare_s`` is that last part.
``sim_s``
    ``nest.Run`` alone, i.e. the simulation loop. ``nest.Simulate`` is ``Prepare`` + ``Run`` +
    ``Cleanup``; ``details.simulate_s`` is the sum of the three, for the literal comparison.
``compile_s``
    0 (NEST models are precompiled).

Initial values are drawn with ``numpy.random.default_rng(seed)`` so that they do not depend
on the number of threads; NEST's own generators (connectivity, Poisson input) use
``rng_seed = seed``. Synapse counts exclude all device connections.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from . import _common as c


def run(
    model: str,
    *,
    scale: float,
    duration: float,
    seed: int,
    threads: int,
) -> dict[str, Any]:
    """Build and run one benchmark model with NEST.

    Parameters
    ----------
    model : str
        One of ``coba``, ``cuba``, ``brunel``, ``cobahh``, ``stdp``, ``microcircuit``.
    scale : float
        Network scale factor (see ``BENCHMARK_MODELS.md``).
    duration : float
        Simulated time [s].
    seed : int
        NEST ``rng_seed`` and seed of the numpy generator for initial values.
    threads : int
        NEST ``local_num_threads``.

    Returns
    -------
    dict
        The result record (see ``snn.bench.peers``).
    """
    import nest

    nest.verbosity = nest.VerbosityLevel.WARNING
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.SetKernelStatus(
        {
            "resolution": c.DT_MS,
            "local_num_threads": threads,
            "rng_seed": seed,
            "print_time": False,
        }
    )
    net = _BUILDERS[model](nest, scale, seed)
    recorder = nest.Create("spike_recorder", params={"record_to": "memory"})
    nest.Connect(net.nodes, recorder)
    n_device_conns = net.n_device_conns + len(net.nodes)
    t1 = time.perf_counter()
    nest.Prepare()
    if net.transient > 0:
        nest.Run(net.transient * 1e3)
    t2 = time.perf_counter()
    nest.Run(duration * 1e3)
    t3 = time.perf_counter()
    nest.Cleanup()
    t4 = time.perf_counter()

    events = recorder.get("events")
    first_id = net.nodes[0].global_id
    kept = np.asarray(events["times"]) > net.transient * 1e3
    senders = np.asarray(events["senders"], dtype=np.int64)[kept] - first_id
    if net.groups is None:
        rates, n_spikes = c.population_rates(senders, net.n_e, net.n_i, duration)
    else:
        rates, n_spikes = c.group_rates(senders, net.groups, duration)
    n_synapses = int(nest.GetKernelStatus("num_connections")) - n_device_conns
    if threads != int(nest.GetKernelStatus("local_num_threads")):
        raise RuntimeError("NEST did not apply local_num_threads")

    record: dict[str, Any] = {
        "simulator": "nest",
        "version": str(nest.__version__),
        "model": model,
        "scale": scale,
        "seed": seed,
        "threads": threads,
        "bio_s": duration,
        "transient_s": net.transient,
        "n_neurons": len(net.nodes),
        "n_synapses": n_synapses,
        "build_s": t2 - t0,
        "compile_s": 0.0,
        "sim_s": t3 - t2,
        "rates_hz": rates,
        "n_spikes": n_spikes,
        "peak_rss_mb": c.rss_mb(),
        "details": {
            "prepare_s": t2 - t1,
            "cleanup_s": t4 - t3,
            "simulate_s": t4 - t1,
        },
    }
    if net.readout is not None:
        record.update(net.readout())
    return record


class _Net:
    """What a NEST model builder returns.

    Parameters
    ----------
    nodes : nest.NodeCollection
        All neurons, E first.
    n_e, n_i : int
        Population sizes.
    n_device_conns : int
        Connections from devices made by the builder (excluded from the synapse count).
    readout : callable, optional
        Returns extra result keys after the run.
    groups : dict of str to (int, int), optional
        Named populations as ``(first index, size)`` in ``nodes``, reported instead of E and I.
    transient : float
        Biological time [s] simulated before the measured run (its spikes are dropped).
    """

    def __init__(
        self,
        nodes: Any,
        n_e: int,
        n_i: int,
        n_device_conns: int = 0,
        readout: Any = None,
        groups: dict[str, tuple[int, int]] | None = None,
        transient: float = 0.0,
    ) -> None:
        self.nodes = nodes
        self.n_e = n_e
        self.n_i = n_i
        self.n_device_conns = n_device_conns
        self.readout = readout
        self.groups = groups
        self.transient = transient


def _bernoulli(nest: Any, nodes: Any, n_e: int, p: float, w_e: float, w_i: float) -> None:
    """Connect E and I sources to all neurons with pairwise Bernoulli p, delay one step."""
    conn = {"rule": "pairwise_bernoulli", "p": p, "allow_autapses": True}
    nest.Connect(nodes[:n_e], nodes, conn, {"weight": w_e, "delay": c.DT_MS})
    nest.Connect(nodes[n_e:], nodes, conn, {"weight": w_i, "delay": c.DT_MS})


def _coba(nest: Any, scale: float, seed: int) -> _Net:
    """Build COBA."""
    # Source: BENCHMARK_MODELS.md "COBA" (Brette et al. 2007 benchmark 1, Vogels & Abbott
    # 2005) with NEST's iaf_cond_exp (GSL RKF45 integration, spike if V >= V_th).
    size = c.ei_size(scale)
    rng = np.random.default_rng(seed)
    params = {
        "C_m": 200.0,
        "g_L": 10.0,
        "E_L": -60.0,
        "V_th": -50.0,
        "V_reset": -60.0,
        "t_ref": 5.0,
        "E_ex": 0.0,
        "E_in": -80.0,
        "tau_syn_ex": 5.0,
        "tau_syn_in": 10.0,
        "I_e": 0.0,
    }
    nodes = nest.Create("iaf_cond_exp", size.n, params)
    nodes.set(
        {
            "V_m": rng.normal(-65.0, 5.0, size.n).tolist(),
            "g_ex": rng.normal(40.0, 15.0, size.n).tolist(),
            "g_in": rng.normal(200.0, 120.0, size.n).tolist(),
        }
    )
    # Conductance jumps [nS]; negative weights target the inhibitory conductance.
    _bernoulli(nest, nodes, size.n_e, size.p, 6.0, -67.0)
    return _Net(nodes, size.n_e, size.n_i)


def _cuba(nest: Any, scale: float, seed: int) -> _Net:
    """Build CUBA."""
    # Source: BENCHMARK_MODELS.md "CUBA" (Brette et al. 2007 benchmark 2, Brian2's
    # examples/CUBA.py) with NEST's iaf_psc_exp; PSC jumps w = C_m * dV / tau_m.
    size = c.ei_size(scale)
    rng = np.random.default_rng(seed)
    c_m, tau_m = 200.0, 20.0
    params = {
        "C_m": c_m,
        "tau_m": tau_m,
        "E_L": -49.0,
        "V_th": -50.0,
        "V_reset": -60.0,
        "t_ref": 5.0,
        "tau_syn_ex": 5.0,
        "tau_syn_in": 10.0,
        "I_e": 0.0,
    }
    nodes = nest.Create("iaf_psc_exp", size.n, params)
    nodes.set({"V_m": rng.uniform(-60.0, -50.0, size.n).tolist()})
    w_ex = c_m * 1.62 / tau_m  # 16.2 pA
    w_in = c_m * -9.0 / tau_m  # -90 pA
    _bernoulli(nest, nodes, size.n_e, size.p, w_ex, w_in)
    return _Net(nodes, size.n_e, size.n_i)


def _cobahh(nest: Any, scale: float, seed: int) -> _Net:
    """Build COBAHH."""
    # Source: BENCHMARK_MODELS.md "COBAHH" (Brette et al. 2007 benchmark 3, Brian2's
    # examples/COBAHH.py) with NEST's hh_cond_exp_traub (spike at the local maximum of V once
    # V >= V_T + 30 mV, GSL RKF45).
    size = c.ei_size(scale)
    rng = np.random.default_rng(seed)
    tau_ex, tau_in = 5.0, 10.0
    params = {
        "C_m": 200.0,
        "g_L": 10.0,
        "E_L": -60.0,
        "g_Na": 20000.0,
        "E_Na": 50.0,
        "g_K": 6000.0,
        "E_K": -90.0,
        "V_T": -63.0,
        "E_ex": 0.0,
        "E_in": -80.0,
        "tau_syn_ex": tau_ex,
        "tau_syn_in": tau_in,
        "t_ref": 3.0,
        "I_e": 0.0,
        # Brian2's example leaves m, n, h at 0; NEST would start at their equilibria.
        "Act_m": 0.0,
        "Inact_h": 0.0,
        "Act_n": 0.0,
    }
    nodes = nest.Create("hh_cond_exp_traub", size.n, params)
    nodes.set({"V_m": rng.normal(-65.0, 5.0, size.n).tolist()})
    g_ex0 = rng.normal(40.0, 15.0, size.n)
    g_in0 = rng.normal(200.0, 120.0, size.n)
    _bernoulli(nest, nodes, size.n_e, size.p, 6.0, -67.0)
    # g_ex/g_in of hh_cond_exp_traub cannot be set: deliver the initial draws as one kick.
    # A spike emitted at 0.1 ms with delay 0.1 ms is added to g at the end of the step that
    # ends at t_k = 0.2 ms, so weight g0 * exp(-t_k / tau) makes g(t) = g0 exp(-t / tau) for
    # t >= t_k, as in Brian2. Negative draws are clipped to 0 (their connections are skipped).
    t_k = 2 * c.DT_MS
    kick = nest.Create("spike_generator", params={"spike_times": [c.DT_MS]})
    ids = np.asarray(nodes.tolist(), dtype=np.int64)
    w_ex = np.maximum(g_ex0, 0.0) * np.exp(-t_k / tau_ex)
    w_in = -np.maximum(g_in0, 0.0) * np.exp(-t_k / tau_in)
    targets = np.concatenate([ids[w_ex > 0], ids[w_in < 0]])
    weights = np.concatenate([w_ex[w_ex > 0], w_in[w_in < 0]])
    sources = np.full(targets.size, kick.global_id, dtype=np.int64)
    nest.Connect(
        sources,
        targets,
        "one_to_one",
        {"weight": weights, "delay": np.full(targets.size, c.DT_MS)},
    )
    return _Net(nodes, size.n_e, size.n_i, n_device_conns=int(targets.size))


def _brunel_neurons(nest: Any, size: c.BrunelSize, extra: dict[str, float]) -> tuple[Any, int]:
    """Create Brunel neurons with their Poisson drive; return them and the device conns."""
    params = {
        "tau_m": c.BRUNEL_TAU_M_MS,
        "t_ref": c.BRUNEL_T_REF_MS,
        "E_L": 0.0,
        "V_reset": c.BRUNEL_V_RESET_MV,
        "V_th": c.BRUNEL_THETA_MV,
        "V_m": 0.0,
        "refractory_input": False,
        **extra,
    }
    nodes = nest.Create("iaf_psc_delta", size.n, params)
    # One generator, an independent Poisson train per target. The delay equals the network
    # delay so that NEST's min_delay (communication interval) stays at 1.5 ms.
    noise = nest.Create("poisson_generator", params={"rate": size.poisson_rate_hz})
    nest.Connect(noise, nodes, syn_spec={"weight": c.BRUNEL_J_MV, "delay": c.BRUNEL_DELAY_MS})
    return nodes, size.n


def _indegree(k: int) -> dict[str, Any]:
    """Return a fixed in-degree rule without multapses, autapses allowed."""
    return {
        "rule": "fixed_indegree",
        "indegree": k,
        "allow_autapses": True,
        "allow_multapses": False,
    }


def _brunel(nest: Any, scale: float, seed: int) -> _Net:
    """Build Brunel (2000) model A."""
    # Source: BENCHMARK_MODELS.md "BRUNEL" (Brunel 2000 model A; NEST's brunel_delta_nest
    # example with V_reset = 10 mV).
    size = c.brunel_size(scale)
    nodes, n_dev = _brunel_neurons(nest, size, {})
    d = c.BRUNEL_DELAY_MS
    j_e, j_i = c.BRUNEL_J_MV, -c.BRUNEL_G * c.BRUNEL_J_MV
    nest.Connect(nodes[: size.n_e], nodes, _indegree(size.c_e), {"weight": j_e, "delay": d})
    nest.Connect(nodes[size.n_e :], nodes, _indegree(size.c_i), {"weight": j_i, "delay": d})
    return _Net(nodes, size.n_e, size.n_i, n_device_conns=n_dev)


def _stdp(nest: Any, scale: float, seed: int) -> _Net:
    """Build Brunel model A with plastic E->E synapses."""
    # Source: BENCHMARK_MODELS.md "BRUNEL_STDP" (Brunel 2000 model A + NEST's stdp_synapse,
    # additive (mu_plus = mu_minus = 0) all-to-all pair STDP, Morrison et al. 2007).
    size = c.brunel_size(scale)
    nodes, n_dev = _brunel_neurons(nest, size, {"tau_minus": c.STDP_TAU_MINUS_MS})
    d = c.BRUNEL_DELAY_MS
    j_e, j_i = c.BRUNEL_J_MV, -c.BRUNEL_G * c.BRUNEL_J_MV
    nest.CopyModel(
        "stdp_synapse",
        "stdp_ee",
        {
            "tau_plus": c.STDP_TAU_PLUS_MS,
            "lambda": c.STDP_LAMBDA,
            "alpha": c.STDP_ALPHA,
            "mu_plus": 0.0,
            "mu_minus": 0.0,
            "Wmax": c.STDP_W_MAX_MV,
        },
    )
    exc, inh = nodes[: size.n_e], nodes[size.n_e :]
    nest.Connect(
        exc, exc, _indegree(size.c_e), {"synapse_model": "stdp_ee", "weight": j_e, "delay": d}
    )
    nest.Connect(exc, inh, _indegree(size.c_e), {"weight": j_e, "delay": d})
    nest.Connect(inh, nodes, _indegree(size.c_i), {"weight": j_i, "delay": d})

    def readout() -> dict[str, Any]:
        targets = c.stdp_readout_targets(size.n_e, scale, seed)
        target_nodes = exc if targets is None else exc[targets.tolist()]
        conns = nest.GetConnections(source=exc, target=target_nodes, synapse_model="stdp_ee")
        weights = np.asarray(conns.get("weight"), dtype=np.float64)
        return {"mean_weight_mV": float(weights.mean())}

    return _Net(nodes, size.n_e, size.n_i, n_device_conns=n_dev, readout=readout)


def _microcircuit(nest: Any, scale: float, seed: int) -> _Net:
    """Build the Potjans & Diesmann (2014) microcircuit as snn's ``microcircuit`` model."""
    # Source: NEST's pynest/examples/Potjans_2014 (network.py), with the parameters of
    # snn.bench._pd14 (its network_params.py); thalamic input off, Poisson background. As in
    # snn's model, the Poisson input has no delay and delays are redrawn below one step.
    from numpy import inf

    from snn.bench._pd14 import NEURON, POPULATIONS, RESOLUTION, V0_MEAN, V0_STD, microcircuit

    p = microcircuit(scale)
    rng = np.random.default_rng(seed)
    pops = []
    for k in range(8):
        params = {
            "C_m": NEURON["C_m"],
            "tau_m": NEURON["tau_m"],
            "tau_syn_ex": NEURON["tau_syn"],
            "tau_syn_in": NEURON["tau_syn"],
            "E_L": NEURON["E_L"],
            "V_th": NEURON["V_th"],
            "V_reset": NEURON["V_reset"],
            "t_ref": NEURON["t_ref"],
            "I_e": float(p.dc_amp[k]),
        }
        n = int(p.num_neurons[k])
        pop = nest.Create("iaf_psc_exp", n, params)
        pop.set({"V_m": rng.normal(V0_MEAN[k], V0_STD[k], n).tolist()})
        pops.append(pop)
    for i in range(8):
        for j in range(8):
            n_syn = int(p.num_synapses[i, j])
            if n_syn == 0:
                continue
            w_mean = float(p.weight_mean[i, j])
            lo, hi = (0.0, inf) if w_mean > 0 else (-inf, 0.0)
            weight = nest.math.redraw(
                nest.random.normal(mean=w_mean, std=float(p.weight_std[i, j])), min=lo, max=hi
            )
            delay = nest.math.redraw(
                nest.random.normal(mean=float(p.delay_mean[i, j]), std=float(p.delay_std[i, j])),
                min=RESOLUTION,
                max=inf,
            )
            nest.Connect(
                pops[j],
                pops[i],
                {"rule": "fixed_total_number", "N": n_syn},
                {"synapse_model": "static_synapse", "weight": weight, "delay": delay},
            )
    n_dev = 0
    for k in range(8):
        rate = float(p.ext_indegree[k]) * 8.0
        noise = nest.Create("poisson_generator", params={"rate": rate})
        nest.Connect(noise, pops[k], syn_spec={"weight": p.weight_ext, "delay": RESOLUTION})
        n_dev += len(pops[k])
    nodes = pops[0]
    for pop in pops[1:]:
        nodes = nodes + pop
    groups, first = {}, 0
    for name, pop in zip(POPULATIONS, pops, strict=True):
        groups[name] = (first, len(pop))
        first += len(pop)
    return _Net(nodes, 0, 0, n_device_conns=n_dev, groups=groups, transient=0.5)


_BUILDERS = {
    "coba": _coba,
    "cuba": _cuba,
    "brunel": _brunel,
    "cobahh": _cobahh,
    "stdp": _stdp,
    "microcircuit": _microcircuit,
}
