"""Brian2 (C++ standalone) peer runner of the benchmark models.

Timing phases (all wall clock):

``compile_s``
    Python side after ``import brian2``: model definition, code generation and ``make``
    (``device.build`` with ``compile=True, run=False``). ``details.make_s`` is the ``make`` part
    alone, ``details.codegen_s`` the rest.
``build_s``
    Inside the compiled binary, everything before the simulation loop: array allocation,
    static array loading, synapse generation, initial values, spike-queue preparation. Measured
    with ``clock_gettime(CLOCK_MONOTONIC)`` stamps that we insert into ``main.cpp`` at the
    entry of ``main`` and right after the network run returns: ``build_s`` = (run return - main
    entry) - ``sim_s``. Writing the results to disk after the loop (``details.write_s``) and
    process start/exit are excluded; ``details.binary_s`` is the binary's whole wall time
    measured from Python.
``sim_s``
    The loop time that Brian2 records itself (``results/last_run_info.txt``; wall time with
    OpenMP, CPU time of the process without it). ``details.run_call_s`` is the wall time of the
    whole ``Network::run`` call including its ``before_run`` preparation.

The peak RSS of the binary is read inside the binary (``VmHWM``), so the compiler's memory is
not counted; ``peak_rss_mb`` is the larger of the Python process and the binary.
``details.import_s`` is the time of ``import brian2``, which is not part of ``compile_s``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from typing import Any

import numpy as np

from . import _common as c

_TIMING_FILE = "peer_timing.txt"


def run(
    model: str,
    *,
    scale: float,
    duration: float,
    seed: int,
    threads: int,
    workdir: str | None = None,
) -> dict[str, Any]:
    """Build, compile and run one benchmark model with Brian2's C++ standalone device.

    Parameters
    ----------
    model : str
        One of ``coba``, ``cuba``, ``brunel``, ``cobahh``, ``stdp``.
    scale : float
        Network scale factor (see ``BENCHMARK_MODELS.md``).
    duration : float
        Simulated time [s].
    seed : int
        Seed of Brian2's random number generators.
    threads : int
        OpenMP threads; 1 generates code without OpenMP.
    workdir : str, optional
        Parent folder of the fresh build directory, which is then kept. Without it a temporary
        directory is used and removed afterwards.

    Returns
    -------
    dict
        The result record (see ``snn.bench.peers``).
    """
    t_import = time.perf_counter()
    import brian2 as b2

    t_py0 = time.perf_counter()

    if workdir is not None:
        os.makedirs(workdir, exist_ok=True)
    directory = tempfile.mkdtemp(prefix=f"brian2_{model}_", dir=workdir)
    try:
        record = _run_in(b2, directory, model, scale, duration, seed, threads, t_py0)
        record["details"]["import_s"] = t_py0 - t_import
    finally:
        if workdir is None:
            shutil.rmtree(directory, ignore_errors=True)
    if workdir is not None:
        record["details"]["build_dir"] = directory
    return record


def _run_in(
    b2: Any,
    directory: str,
    model: str,
    scale: float,
    duration: float,
    seed: int,
    threads: int,
    t_py0: float,
) -> dict[str, Any]:
    """Run one model in the build directory ``directory`` (see `run`)."""
    b2.prefs.logging.file_log = False
    b2.prefs.logging.save_script = False
    b2.prefs.devices.cpp_standalone.openmp_threads = threads if threads > 1 else 0
    b2.prefs.codegen.cpp.headers = [*b2.prefs.codegen.cpp.headers, "<sys/resource.h>"]
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    b2.defaultclock.dt = c.DT_MS * b2.ms
    b2.seed(seed)

    builder = _BUILDERS[model]
    net, group, sizes, extra = builder(b2, scale, seed)
    monitor = b2.SpikeMonitor(group, record=True, name="spikes")
    net.add(monitor)

    _insert_timers(b2.device)
    b2.device.insert_code("main", "clock_gettime(CLOCK_MONOTONIC, &_peer_ts[1]);")
    net.run(duration * b2.second, report=None)
    b2.device.insert_code("main", "clock_gettime(CLOCK_MONOTONIC, &_peer_ts[2]);")

    t_build0 = time.perf_counter()
    b2.device.build(directory=directory, compile=True, run=False, with_output=False)
    t_build1 = time.perf_counter()
    b2.device.run(directory=directory, with_output=False)
    binary_s = time.perf_counter() - t_build1

    results_dir = os.path.join(directory, "results")
    with open(os.path.join(results_dir, "last_run_info.txt")) as f:
        loop_s = float(f.read().split()[0])
    with open(os.path.join(results_dir, _TIMING_FILE)) as f:
        fields = f.read().split()
    stamps = [float(x) for x in fields[:4]]
    binary_rss_mb = float(fields[4]) / 1024.0

    senders = np.asarray(monitor.i[:], dtype=np.int64)
    rates, n_spikes = c.population_rates(senders, sizes[0], sizes[1], duration)
    n_synapses = sum(int(s.N[:]) for s in net.objects if isinstance(s, b2.Synapses))

    python_rss_mb = c.rss_mb()
    record: dict[str, Any] = {
        "simulator": "brian2",
        "version": b2.__version__,
        "model": model,
        "scale": scale,
        "seed": seed,
        "threads": threads,
        "bio_s": duration,
        "n_neurons": sizes[0] + sizes[1],
        "n_synapses": n_synapses,
        "build_s": (stamps[2] - stamps[0]) - loop_s,
        "compile_s": t_build1 - t_py0,
        "sim_s": loop_s,
        "rates_hz": rates,
        "n_spikes": n_spikes,
        "peak_rss_mb": max(python_rss_mb, binary_rss_mb),
        "details": {
            "codegen_s": t_build0 - t_py0,
            "make_s": b2.device.timers["compile"]["make"],
            "binary_s": binary_s,
            "run_call_s": stamps[2] - stamps[1],
            "write_s": stamps[3] - stamps[2],
            "peak_rss_python_mb": python_rss_mb,
            "peak_rss_binary_mb": binary_rss_mb,
            "openmp_threads": int(b2.prefs.devices.cpp_standalone.openmp_threads),
        },
    }
    record.update(extra(b2))
    return record


def _insert_timers(device: Any) -> None:
    """Add monotonic time stamps and the binary's peak RSS to the generated ``main.cpp``.

    ``_peer_ts[0]`` is taken at the entry of ``main``, ``[1]``/``[2]`` around the network run
    (inserted by the caller) and ``[3]`` after the results were written; the four stamps [s]
    and the peak RSS [KiB] are written to ``results/peer_timing.txt``. The peak RSS is
    ``VmHWM`` of ``/proc/self/status``: ``getrusage``'s ``ru_maxrss`` survives ``execve`` and
    would report the forking Python process's size when that is larger.
    """
    device.insert_code(
        "before_start",
        "struct timespec _peer_ts[4];\nclock_gettime(CLOCK_MONOTONIC, &_peer_ts[0]);",
    )
    device.insert_code(
        "after_end",
        "\n".join(
            [
                "clock_gettime(CLOCK_MONOTONIC, &_peer_ts[3]);",
                "{",
                "    long _peer_hwm = -1;",
                '    std::ifstream _peer_status("/proc/self/status");',
                "    std::string _peer_line;",
                "    while (std::getline(_peer_status, _peer_line))",
                '        if (_peer_line.compare(0, 6, "VmHWM:") == 0)',
                "            _peer_hwm = std::stol(_peer_line.substr(6));",
                "    if (_peer_hwm < 0) {",
                "        struct rusage _peer_ru;",
                "        getrusage(RUSAGE_SELF, &_peer_ru);",
                "        _peer_hwm = _peer_ru.ru_maxrss;",
                "    }",
                f'    std::ofstream _peer_out(brian::results_dir + "{_TIMING_FILE}");',
                "    _peer_out.precision(17);",
                "    for (int _k = 0; _k < 4; _k++)",
                "        _peer_out << (_peer_ts[_k].tv_sec + 1e-9 * _peer_ts[_k].tv_nsec) << ' ';",
                "    _peer_out << _peer_hwm << std::endl;",
                "}",
            ]
        ),
    )


def _no_extra(b2: Any) -> dict[str, Any]:
    """Return no model-specific result keys."""
    return {}


def _coba(b2: Any, scale: float, seed: int) -> tuple[Any, Any, tuple[int, int], Any]:
    """Build COBA."""
    # Source: BENCHMARK_MODELS.md "COBA" (Brette et al. 2007 benchmark 1, Vogels & Abbott
    # 2005; parameters and initial state of Brian's documented COBA example).
    size = c.ei_size(scale)
    ns = {
        "C_m": 200 * b2.pF,
        "g_L": 10 * b2.nS,
        "E_L": -60 * b2.mV,
        "V_th": -50 * b2.mV,
        "V_reset": -60 * b2.mV,
        "E_ex": 0 * b2.mV,
        "E_in": -80 * b2.mV,
        "tau_ex": 5 * b2.ms,
        "tau_in": 10 * b2.ms,
        "dg_ex": 6 * b2.nS,
        "dg_in": 67 * b2.nS,
    }
    eqs = """
    dv/dt = (g_L*(E_L - v) + g_ex*(E_ex - v) + g_in*(E_in - v)) / C_m : volt (unless refractory)
    dg_ex/dt = -g_ex / tau_ex : siemens
    dg_in/dt = -g_in / tau_in : siemens
    """
    group = b2.NeuronGroup(
        size.n,
        eqs,
        threshold="v > V_th",
        reset="v = V_reset",
        refractory=5 * b2.ms,
        method="euler",
        namespace=ns,
        name="neurons",
    )
    group.v = "-65*mV + 5*mV*randn()"
    group.g_ex = "40*nS + 15*nS*randn()"
    group.g_in = "200*nS + 120*nS*randn()"
    syn_e = b2.Synapses(
        group[: size.n_e], group, on_pre="g_ex_post += dg_ex", namespace=ns, name="syn_e"
    )
    syn_i = b2.Synapses(
        group[size.n_e :], group, on_pre="g_in_post += dg_in", namespace=ns, name="syn_i"
    )
    syn_e.connect(p=size.p)
    syn_i.connect(p=size.p)
    net = b2.Network(group, syn_e, syn_i)
    return net, group, (size.n_e, size.n_i), _no_extra


def _cuba(b2: Any, scale: float, seed: int) -> tuple[Any, Any, tuple[int, int], Any]:
    """Build CUBA."""
    # Source: BENCHMARK_MODELS.md "CUBA" (Brette et al. 2007 benchmark 2, Brian2's
    # examples/CUBA.py).
    size = c.ei_size(scale)
    ns = {
        "tau_m": 20 * b2.ms,
        "tau_ex": 5 * b2.ms,
        "tau_in": 10 * b2.ms,
        "E_L": -49 * b2.mV,
        "V_th": -50 * b2.mV,
        "V_reset": -60 * b2.mV,
        "w_ex": 1.62 * b2.mV,
        "w_in": -9 * b2.mV,
    }
    eqs = """
    dv/dt = (ge + gi - (v - E_L)) / tau_m : volt (unless refractory)
    dge/dt = -ge / tau_ex : volt
    dgi/dt = -gi / tau_in : volt
    """
    group = b2.NeuronGroup(
        size.n,
        eqs,
        threshold="v > V_th",
        reset="v = V_reset",
        refractory=5 * b2.ms,
        method="exact",
        namespace=ns,
        name="neurons",
    )
    group.v = "V_reset + rand() * (V_th - V_reset)"
    syn_e = b2.Synapses(
        group[: size.n_e], group, on_pre="ge_post += w_ex", namespace=ns, name="syn_e"
    )
    syn_i = b2.Synapses(
        group[size.n_e :], group, on_pre="gi_post += w_in", namespace=ns, name="syn_i"
    )
    syn_e.connect(p=size.p)
    syn_i.connect(p=size.p)
    net = b2.Network(group, syn_e, syn_i)
    return net, group, (size.n_e, size.n_i), _no_extra


def _cobahh(b2: Any, scale: float, seed: int) -> tuple[Any, Any, tuple[int, int], Any]:
    """Build COBAHH."""
    # Source: BENCHMARK_MODELS.md "COBAHH" (Brette et al. 2007 benchmark 3, Brian2's
    # examples/COBAHH.py; Traub & Miles 1991 kinetics).
    size = c.ei_size(scale)
    area = 20000 * b2.umetre**2
    ns = {
        "C_m": 1 * b2.ufarad * b2.cm**-2 * area,
        "g_L": 5e-5 * b2.siemens * b2.cm**-2 * area,
        "E_L": -60 * b2.mV,
        "g_Na": 100 * b2.msiemens * b2.cm**-2 * area,
        "E_Na": 50 * b2.mV,
        "g_K": 30 * b2.msiemens * b2.cm**-2 * area,
        "E_K": -90 * b2.mV,
        "V_T": -63 * b2.mV,
        "E_ex": 0 * b2.mV,
        "E_in": -80 * b2.mV,
        "tau_ex": 5 * b2.ms,
        "tau_in": 10 * b2.ms,
        "dg_ex": 6 * b2.nS,
        "dg_in": 67 * b2.nS,
    }
    # alpha/beta written with exprel(x) = (exp(x) - 1) / x, which is finite at x = 0.
    eqs = """
    dv/dt = (g_L*(E_L - v) + g_ex*(E_ex - v) + g_in*(E_in - v)
             - g_Na*(m*m*m)*h*(v - E_Na) - g_K*(n*n*n*n)*(v - E_K)) / C_m : volt
    dm/dt = alpha_m*(1 - m) - beta_m*m : 1
    dn/dt = alpha_n*(1 - n) - beta_n*n : 1
    dh/dt = alpha_h*(1 - h) - beta_h*h : 1
    dg_ex/dt = -g_ex / tau_ex : siemens
    dg_in/dt = -g_in / tau_in : siemens
    alpha_m = 0.32/ms * 4 / exprel((13*mV - v + V_T) / (4*mV)) : Hz
    beta_m = 0.28/ms * 5 / exprel((v - V_T - 40*mV) / (5*mV)) : Hz
    alpha_h = 0.128/ms * exp((17*mV - v + V_T) / (18*mV)) : Hz
    beta_h = 4/ms / (1 + exp((40*mV - v + V_T) / (5*mV))) : Hz
    alpha_n = 0.032/ms * 5 / exprel((15*mV - v + V_T) / (5*mV)) : Hz
    beta_n = 0.5/ms * exp((10*mV - v + V_T) / (40*mV)) : Hz
    """
    group = b2.NeuronGroup(
        size.n,
        eqs,
        threshold="v > -20*mV",
        refractory=3 * b2.ms,
        method="exponential_euler",
        namespace=ns,
        name="neurons",
    )
    group.v = "-65*mV + 5*mV*randn()"
    group.g_ex = "40*nS + 15*nS*randn()"
    group.g_in = "200*nS + 120*nS*randn()"
    syn_e = b2.Synapses(
        group[: size.n_e], group, on_pre="g_ex_post += dg_ex", namespace=ns, name="syn_e"
    )
    syn_i = b2.Synapses(
        group[size.n_e :], group, on_pre="g_in_post += dg_in", namespace=ns, name="syn_i"
    )
    syn_e.connect(p=size.p)
    syn_i.connect(p=size.p)
    net = b2.Network(group, syn_e, syn_i)
    return net, group, (size.n_e, size.n_i), _no_extra


def _brunel_neurons(b2: Any, size: c.BrunelSize) -> tuple[Any, dict[str, Any]]:
    """Create the Brunel neurons and their Poisson drive; return the group and namespace."""
    ns = {
        "tau_m": c.BRUNEL_TAU_M_MS * b2.ms,
        "theta": c.BRUNEL_THETA_MV * b2.mV,
        "V_reset": c.BRUNEL_V_RESET_MV * b2.mV,
        "J": c.BRUNEL_J_MV * b2.mV,
        "J_I": -c.BRUNEL_G * c.BRUNEL_J_MV * b2.mV,
    }
    group = b2.NeuronGroup(
        size.n,
        "dv/dt = -v / tau_m : volt (unless refractory)",
        threshold="v > theta",
        reset="v = V_reset",
        refractory=c.BRUNEL_T_REF_MS * b2.ms,
        method="exact",
        namespace=ns,
        name="neurons",
    )
    group.v = 0 * b2.mV
    # Input that arrives during the refractory period is discarded.
    drive = b2.PoissonInput(
        group,
        "v",
        N=size.c_e,
        rate=size.nu_ext_hz * b2.Hz,
        weight=f"{c.BRUNEL_J_MV}*mV*int(not_refractory)",
    )
    return group, {"ns": ns, "drive": drive}


def _brunel(b2: Any, scale: float, seed: int) -> tuple[Any, Any, tuple[int, int], Any]:
    """Build Brunel (2000) model A."""
    # Source: BENCHMARK_MODELS.md "BRUNEL" (Brunel 2000 model A; NEST's brunel_delta_nest
    # with V_reset = 10 mV).
    size = c.brunel_size(scale)
    group, parts = _brunel_neurons(b2, size)
    ns, delay = parts["ns"], c.BRUNEL_DELAY_MS * b2.ms
    syn_e = b2.Synapses(
        group[: size.n_e],
        group,
        on_pre="v_post += J*int(not_refractory_post)",
        delay=delay,
        namespace=ns,
        name="syn_e",
    )
    syn_i = b2.Synapses(
        group[size.n_e :],
        group,
        on_pre="v_post += J_I*int(not_refractory_post)",
        delay=delay,
        namespace=ns,
        name="syn_i",
    )
    # Fixed in-degree without multapses: for every target, sample C sources without
    # replacement.
    syn_e.connect(i=f"k for k in sample(N_pre, size={size.c_e})")
    syn_i.connect(i=f"k for k in sample(N_pre, size={size.c_i})")
    net = b2.Network(group, parts["drive"], syn_e, syn_i)
    return net, group, (size.n_e, size.n_i), _no_extra


def _stdp(b2: Any, scale: float, seed: int) -> tuple[Any, Any, tuple[int, int], Any]:
    """Build Brunel model A with plastic E->E synapses."""
    # Source: BENCHMARK_MODELS.md "BRUNEL_STDP" (Brunel 2000 model A + additive all-to-all
    # pair STDP as in Morrison et al. 2007 / NEST's stdp_synapse, dendritic delay).
    size = c.brunel_size(scale)
    group, parts = _brunel_neurons(b2, size)
    ns, delay = dict(parts["ns"]), c.BRUNEL_DELAY_MS * b2.ms
    ns.update(
        {
            "tau_plus": c.STDP_TAU_PLUS_MS * b2.ms,
            "tau_minus": c.STDP_TAU_MINUS_MS * b2.ms,
            "lmbda": c.STDP_LAMBDA,
            "alpha": c.STDP_ALPHA,
            "w_max": c.STDP_W_MAX_MV * b2.mV,
        }
    )
    exc, inh = group[: size.n_e], group[size.n_e :]
    plastic = b2.Synapses(
        exc,
        exc,
        model="""
        w : volt
        dxpre/dt = -xpre / tau_plus : 1 (event-driven)
        dypost/dt = -ypost / tau_minus : 1 (event-driven)
        """,
        on_pre={
            # Transmission after the (dendritic) delay D; discarded while refractory.
            "pre": "v_post += w*int(not_refractory_post)",
            # Depression and pre trace at the presynaptic spike time.
            "pre_plast": "w = clip(w - alpha*lmbda*w_max*ypost, 0*mV, w_max)\nxpre += 1",
        },
        # Potentiation and post trace when the postsynaptic spike reaches the synapse.
        on_post={"post": "w = clip(w + lmbda*w_max*xpre, 0*mV, w_max)\nypost += 1"},
        delay={"pre": delay, "pre_plast": 0 * b2.ms, "post": delay},
        namespace=ns,
        name="syn_ee",
    )
    syn_ei = b2.Synapses(
        exc,
        inh,
        on_pre="v_post += J*int(not_refractory_post)",
        delay=delay,
        namespace=ns,
        name="syn_ei",
    )
    syn_i = b2.Synapses(
        inh,
        group,
        on_pre="v_post += J_I*int(not_refractory_post)",
        delay=delay,
        namespace=ns,
        name="syn_i",
    )
    plastic.connect(i=f"k for k in sample(N_pre, size={size.c_e})")
    plastic.w = c.BRUNEL_J_MV * b2.mV
    syn_ei.connect(i=f"k for k in sample(N_pre, size={size.c_e})")
    syn_i.connect(i=f"k for k in sample(N_pre, size={size.c_i})")
    net = b2.Network(group, parts["drive"], plastic, syn_ei, syn_i)

    def extra(b2_: Any) -> dict[str, Any]:
        weights = np.asarray(plastic.w_[:]) * 1e3  # [mV]
        post = np.asarray(plastic.j[:])
        targets = c.stdp_readout_targets(size.n_e, scale, seed)
        mean_all = float(weights.mean())
        sample = weights if targets is None else weights[np.isin(post, targets)]
        mean_sample = float(sample.mean())
        return {"mean_weight_mV": mean_sample, "mean_weight_all_mV": mean_all}

    return net, group, (size.n_e, size.n_i), extra


_BUILDERS = {
    "coba": _coba,
    "cuba": _cuba,
    "brunel": _brunel,
    "cobahh": _cobahh,
    "stdp": _stdp,
}
