"""Reference figures of the ported examples, computed by the peers they come from.

Run one example per process (NEST's kernel and Brian2's magic network are global)::

    uv run --group peers python examples/ports/peers.py <name> [seed ...]

It prints one JSON line per seed: the peer, its version, the seed and the figures that
``tests/validation/test_ports.py`` hard-codes. Each function runs the original example's model
(cited in its docstring) as the original does, and reduces its plot to numbers with the
same function as the port (imported from the port's module).
"""

from __future__ import annotations

import json
import sys

import numpy as np
from aeif_cond_beta_multisynapse import DELAYS_MS as AEIF_DELAYS_MS
from aeif_cond_beta_multisynapse import E_REV_MV as AEIF_E_REV_MV
from aeif_cond_beta_multisynapse import TAU_DECAY_MS as AEIF_TAU_DECAY_MS
from aeif_cond_beta_multisynapse import TAU_RISE_MS as AEIF_TAU_RISE_MS
from artificial_synchrony import DURATION as SYNCHRONY_DURATION
from artificial_synchrony import STRENGTHS_PA as SYNCHRONY_STRENGTHS_PA
from artificial_synchrony import WINDOW_START as SYNCHRONY_WINDOW_START
from artificial_synchrony import figures as synchrony_figures
from artificial_synchrony import initial_potentials as synchrony_initial_potentials
from brette_2004 import N as BRETTE_2004_N
from brette_2004 import figures as brette_2004_figures
from brette_gerstner_fig_2c import figures as brette_gerstner_2c_figures
from brody_hopfield import figures as brody_figures
from brunel_alpha_nest import J_EX as BRUNEL_ALPHA_J_EX
from brunel_alpha_nest import SCALE as BRUNEL_ALPHA_SCALE
from brunel_alpha_nest import external_rate as brunel_alpha_rate
from brunel_alpha_nest import figures as brunel_alpha_figures
from brunel_alpha_nest import sizes as brunel_alpha_sizes
from brunel_exp_multisynapse_nest import N_PORTS as MULTISYNAPSE_N_PORTS
from brunel_exp_multisynapse_nest import SCALE as MULTISYNAPSE_SCALE
from brunel_exp_multisynapse_nest import external_rate as multisynapse_rate
from brunel_exp_multisynapse_nest import sizes as multisynapse_sizes
from brunel_hakim import figures as brunel_hakim_figures
from campbell_siegert import figures as campbell_siegert_figures
from clopath_2010 import EQUATIONS as CLOPATH_EQUATIONS
from clopath_2010 import PARAMETERS as CLOPATH_PARAMETERS
from clopath_2010 import RATES_HZ as CLOPATH_RATES_HZ
from clopath_2010 import REPS as CLOPATH_REPS
from clopath_2010 import W_INIT as CLOPATH_W_INIT
from clopath_2010 import figures as clopath_figures
from continuous_interaction import EQUATIONS as CONTINUOUS_EQUATIONS
from continuous_interaction import figures as continuous_figures
from coupled_oscillators import DURATION as KURAMOTO_DURATION
from coupled_oscillators import K_VALUES as KURAMOTO_K
from coupled_oscillators import ORIGINAL_SEED as KURAMOTO_SEED
from coupled_oscillators import N as KURAMOTO_N
from coupled_oscillators import figures as kuramoto_figures
from evaluate_quantal_stp_synapse import N_TRIALS as QUANTAL_N_TRIALS
from evaluate_quantal_stp_synapse import figures as quantal_figures
from evaluate_tsodyks2_synapse import EXPERIMENTS as TSODYKS2_EXPERIMENTS
from gap_junctions_inhibitory_network import figures as gap_junctions_inhibitory_network_figures
from gap_junctions_two_neurons import figures as gap_junctions_two_neurons_figures
from gapjunctions import DURATION as GAP_DURATION
from gapjunctions import RECORDED as GAP_RECORDED
from gapjunctions import N as GAP_N
from gapjunctions import figures as gap_figures
from gif_population import figures as gif_figures
from hh_psc_alpha import CURRENTS_PA as HH_CURRENTS_PA
from hh_psc_alpha import figures as hh_psc_alpha_figures
from hindmarsh_rose_1984 import figures as hindmarsh_rose_figures
from if_curve_hodgkin_huxley import DURATION as HH_DURATION
from if_curve_hodgkin_huxley import EQUATIONS as HH_EQUATIONS
from if_curve_hodgkin_huxley import N as HH_N
from izhikevich_2003 import figures as izhikevich_figures
from izhikevich_2007 import D_APOST as IZH2007_D_APOST
from izhikevich_2007 import D_APRE as IZH2007_D_APRE
from izhikevich_2007 import DOPAMINE_TIMES as IZH2007_DOPAMINE_TIMES
from izhikevich_2007 import DURATION as IZH2007_DURATION
from izhikevich_2007 import EPSILON_DOPA as IZH2007_EPSILON_DOPA
from izhikevich_2007 import GMAX as IZH2007_GMAX
from izhikevich_2007 import INPUT_INDICES as IZH2007_INPUT_INDICES
from izhikevich_2007 import INPUT_TIMES as IZH2007_INPUT_TIMES
from licklider import figures as licklider_figures
from morris_lecar_1981 import BRIAN2_EQUATIONS as MORRIS_LECAR_EQUATIONS
from morris_lecar_1981 import PLOTTED as MORRIS_LECAR_PLOTTED
from morris_lecar_1981 import figures as morris_lecar_figures
from multimeter_file import EXCITATORY_MS, INHIBITORY_MS
from naud_2008 import figures as naud_figures
from non_reliability import figures as non_reliability_figures
from one_neuron_with_noise import figures as noise_figures
from ornstein_uhlenbeck import SIGMA as OU_SIGMA
from ornstein_uhlenbeck import TAU as OU_TAU
from ornstein_uhlenbeck import figures as ou_figures
from phase_locking import figures as phase_locking_figures
from platkiewicz_brette_2011 import N as PLATKIEWICZ_N
from platkiewicz_brette_2011 import figures as platkiewicz_figures
from precise_spiking import RESOLUTIONS_MS as PRECISE_RESOLUTIONS_MS
from recording_demo import WINDOW as RECORDING_WINDOW
from recording_demo import figures as recording_figures
from reliability import figures as reliability_figures
from repeated_stimulation import figures as repeated_figures
from rothman_manis_2003 import COMMON as ROTHMAN_MANIS_COMMON
from rothman_manis_2003 import EQUATIONS as ROTHMAN_MANIS_EQUATIONS
from rothman_manis_2003 import TYPES as ROTHMAN_MANIS_TYPES
from rothman_manis_2003 import conductances as rothman_manis_conductances
from rothman_manis_2003 import figures as rothman_manis_figures
from sensitivity_to_perturbation import T_STIM as PERTURBATION_T_STIM
from sensitivity_to_perturbation import figures as perturbation_figures
from spike_based_homeostasis import EPOCH as HOMEOSTASIS_EPOCH
from spike_based_homeostasis import VARYING_RATES as HOMEOSTASIS_RATES
from spike_based_homeostasis import figures as homeostasis_figures
from state_variables import SPACE_CONSTANT as STATE_VARIABLES_SPACE
from state_variables import N as STATE_VARIABLES_N
from state_variables import figures as state_variables_figures
from stdp_song_abbott import DURATION as STDP_DURATION
from stdp_song_abbott import figures as stdp_figures
from touboul_brette_2008 import summary as touboul_summary
from tsodyks_facilitation import NUDGE as TSODYKS_FACILITATION_NUDGE
from tsodyks_pawelzik_markram_1998 import PANELS as TPM_PANELS
from tsodyks_pawelzik_markram_1998 import figures as tpm_figures
from tsodyks_pawelzik_markram_1998 import stimulus_times as tpm_stimulus_times
from tsodyks_uziel_markram_2000 import BURN_IN as TUM_BURN_IN
from tsodyks_uziel_markram_2000 import DURATION as TUM_DURATION
from tsodyks_uziel_markram_2000 import figures as tum_figures
from wang_buzsaki_1996 import BRIAN2_EQUATIONS as WANG_BUZSAKI_EQUATIONS
from wang_buzsaki_1996 import figures as wang_buzsaki_figures


def _nest():
    import nest

    nest.verbosity = nest.VerbosityLevel.WARNING
    nest.ResetKernel()
    return nest


def twoneurons(seed: int) -> dict:
    """pynest/examples/twoneurons.py: the membrane potential of the driven neuron's target."""
    nest = _nest()
    n1 = nest.Create("iaf_psc_alpha")
    n2 = nest.Create("iaf_psc_alpha")
    n1.I_e = 376.0
    nest.Connect(n1, n2, syn_spec={"weight": 20.0, "delay": 1.0})
    vm = nest.Create("voltmeter")
    nest.Connect(vm, n2)
    sr = nest.Create("spike_recorder")
    nest.Connect(n1, sr)
    nest.Simulate(1000.0)
    ev = vm.events
    return {
        "spikes_1_ms": sr.events["times"].tolist(),
        "v2_mean_mV": float(np.mean(ev["V_m"])),
        "v2_max_mV": float(np.max(ev["V_m"])),
        "v2_samples_mV": ev["V_m"][::50].tolist(),
    }


def one_neuron_with_noise(seed: int) -> dict:
    """pynest/examples/one_neuron_with_noise.py: statistics of the plotted V_m."""
    nest = _nest()
    nest.rng_seed = seed
    neuron = nest.Create("iaf_psc_alpha")
    noise = nest.Create("poisson_generator", 2)
    noise[0].rate = 80000.0
    noise[1].rate = 15000.0
    nest.Connect(noise, neuron, syn_spec={"weight": [[1.2, -1.0]], "delay": 1.0})
    vm = nest.Create("voltmeter")
    nest.Connect(vm, neuron)
    nest.Simulate(1000.0)
    return noise_figures(vm.events["V_m"])


def vinit_example(seed: int) -> dict:
    """pynest/examples/vinit_example.py: five traces of iaf_cond_exp_sfa_rr from different V_m."""
    out = {}
    for vinit in np.arange(-100, -50, 10, float):
        nest = _nest()
        cbn = nest.Create("iaf_cond_exp_sfa_rr")
        cbn.V_m = vinit
        vm = nest.Create("voltmeter")
        nest.Connect(vm, cbn)
        nest.Simulate(75.0)
        out[f"{vinit:.0f}"] = vm.events["V_m"].tolist()
    return out


def multimeter_file(seed: int) -> dict:
    """pynest/examples/multimeter_file.py: V_m, g_ex and g_in of iaf_cond_alpha every 0.1 ms."""
    nest = _nest()
    neuron = nest.Create("iaf_cond_alpha", params={"tau_syn_ex": 1.0, "V_reset": -70.0})
    meter = nest.Create(
        "multimeter", params={"interval": 0.1, "record_from": ["V_m", "g_ex", "g_in"]}
    )
    for times, weight in ((EXCITATORY_MS, 40.0), (INHIBITORY_MS, -20.0)):
        generator = nest.Create("spike_generator", params={"spike_times": list(times)})
        nest.Connect(generator, neuron, syn_spec={"weight": weight})
    nest.Connect(meter, neuron)
    nest.Simulate(100.0)
    events = meter.events
    return {
        "times_ms": events["times"].tolist(),
        "v_mV": events["V_m"].tolist(),
        "g_ex_nS": events["g_ex"].tolist(),
        "g_in_nS": events["g_in"].tolist(),
    }


def aeif_cond_beta_multisynapse(seed: int) -> dict:
    """pynest/examples/aeif_cond_beta_multisynapse.py: V_m every 0.1 ms for one second."""
    nest = _nest()
    neuron = nest.Create(
        "aeif_cond_beta_multisynapse",
        params={
            "V_peak": 0.0, "a": 4.0, "b": 80.5, "E_rev": list(AEIF_E_REV_MV),
            "tau_decay": list(AEIF_TAU_DECAY_MS), "tau_rise": list(AEIF_TAU_RISE_MS),
        },
    )  # fmt: skip
    spike = nest.Create("spike_generator", params={"spike_times": [10.0]})
    voltmeter = nest.Create("voltmeter", params={"interval": 0.1})
    for port, delay in enumerate(AEIF_DELAYS_MS, start=1):
        syn = {"synapse_model": "static_synapse", "receptor_type": port, "weight": 1.0}
        nest.Connect(spike, neuron, syn_spec=syn | {"delay": delay})
    nest.Connect(voltmeter, neuron)
    nest.Simulate(1000.0)
    return {
        "times_ms": voltmeter.events["times"].tolist(),
        "v_mV": voltmeter.events["V_m"].tolist(),
    }


def precise_spiking(seed: int) -> dict:
    """pynest/examples/precise_spiking.py: iaf_psc_exp's spike times at three resolutions."""
    out = {}
    for res in PRECISE_RESOLUTIONS_MS:
        nest = _nest()
        nest.resolution = res
        neuron = nest.Create("iaf_psc_exp")
        dc = nest.Create("dc_generator", params={"amplitude": 700.0})
        recorder = nest.Create("spike_recorder")
        nest.Connect(dc, neuron)
        nest.Connect(neuron, recorder)
        nest.Simulate(100.0)
        out[f"{res:g}"] = recorder.events["times"].tolist()
    return out


def balancedneuron(seed: int) -> dict:
    """pynest/examples/balancedneuron.py: the bisected inhibitory rate giving 5 spikes/s."""
    from scipy.optimize import bisect

    nest = _nest()
    nest.rng_seed = seed
    t_sim, n_ex, n_in, r_ex = 25000.0, 16000, 4000, 5.0
    neuron = nest.Create("iaf_psc_alpha")
    noise = nest.Create("poisson_generator", 2)
    sr = nest.Create("spike_recorder")
    noise.rate = [n_ex * r_ex, n_in * 20.5]
    nest.Connect(neuron, sr)
    nest.Connect(noise, neuron, syn_spec={"weight": [[45.0, -45.0]], "delay": 1.0})
    evaluations = []

    def output_rate(guess):
        noise[1].rate = float(abs(n_in * guess))
        sr.n_events = 0
        nest.Simulate(t_sim)
        out = sr.n_events * 1000.0 / t_sim
        evaluations.append((guess, out))
        return out

    in_rate = bisect(lambda x: output_rate(x) - r_ex, 15.0, 25.0, xtol=0.01)
    return {"in_rate_Hz": in_rate, "evaluations": evaluations}


def brody_hopfield(seed: int) -> dict:
    """pynest/examples/BrodyHopfield.py: spike counts and locking to the 35 Hz drive."""
    nest = _nest()
    nest.rng_seed = seed
    n = 1000
    neurons = nest.Create("iaf_psc_alpha", n)
    sr = nest.Create("spike_recorder")
    noise = nest.Create("noise_generator", params={"mean": 0.0, "std": 200.0})
    drive = nest.Create("ac_generator", params={"amplitude": 50.0, "frequency": 35.0})
    neurons.set(
        {
            "tau_m": 20.0,
            "V_th": 20.0,
            "E_L": 10.0,
            "t_ref": 2.0,
            "V_reset": 0.0,
            "C_m": 200.0,
            "V_m": 0.0,
        }
    )
    neurons.I_e = [(k * 60.0 / n + 140.0) for k in range(1, n + 1)]
    nest.Connect(drive, neurons)
    nest.Connect(noise, neurons)
    nest.Connect(neurons, sr)
    nest.Simulate(600.0)
    ev = sr.events
    return brody_figures(ev["times"] / 1000.0, ev["senders"] - neurons[0].global_id)


def sinusoidal_poisson_generator(seed: int) -> dict:
    """pynest/examples/sinusoidal_poisson_generator.py: counts, rates, the parrots' trains."""
    nest = _nest()
    nest.rng_seed = seed
    nest.resolution = 0.01
    g = nest.Create(
        "sinusoidal_poisson_generator",
        n=2,
        params={
            "rate": [10000.0, 0.0],
            "amplitude": [5000.0, 10000.0],
            "frequency": [10.0, 5.0],
            "phase": [0.0, 90.0],
        },
    )
    m = nest.Create("multimeter", 2, {"interval": 0.1, "record_from": ["rate"]})
    s = nest.Create("spike_recorder", 2)
    nest.Connect(m, g, "one_to_one")
    nest.Connect(g, s, "one_to_one")
    nest.Simulate(200.0)
    out = {
        "counts": [len(s[j].events["times"]) for j in range(2)],
        "rate_times_ms": m[0].events["times"][:5].tolist(),
        "rate_first_Hz": np.stack([m[j].events["rate"][:5] for j in range(2)], 1).tolist(),
        "rate_mean_Hz": [float(np.mean(m[j].events["rate"])) for j in range(2)],
    }
    for individual in (True, False):
        nest.ResetKernel()
        nest.rng_seed = seed
        nest.SetDefaults("sinusoidal_poisson_generator", {"individual_spike_trains": individual})
        g = nest.Create(
            "sinusoidal_poisson_generator",
            params={"rate": 100.0, "amplitude": 50.0, "frequency": 10.0, "phase": 0.0},
        )
        p = nest.Create("parrot_neuron", 20)
        s = nest.Create("spike_recorder")
        nest.Connect(g, p, "all_to_all")
        nest.Connect(p, s, "all_to_all")
        nest.Simulate(200.0)
        ev = s.events
        trains = {tuple(ev["times"][ev["senders"] == k.global_id]) for k in p}
        key = "individual" if individual else "shared"
        out[key] = {"n_spikes": len(ev["times"]), "distinct_trains": len(trains)}
    return out


def brette_gerstner_fig_3d(seed: int) -> dict:
    """pynest/examples/brette_gerstner_fig_3d.py: V_m every 0.1 ms and the spike times."""
    nest = _nest()
    neuron = nest.Create("aeif_cond_exp")
    neuron.set(V_peak=20.0, E_L=-60.0, a=80.0, b=80.5, tau_w=720.0)
    dc = nest.Create("dc_generator")
    dc.set(amplitude=-800.0, start=0.0, stop=400.0)
    nest.Connect(dc, neuron, "all_to_all")
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, neuron)
    sr = nest.Create("spike_recorder")
    nest.Connect(neuron, sr)
    nest.Simulate(1000.0)
    return {"v_mV": vm.events["V_m"].tolist(), "spikes_ms": sr.events["times"].tolist()}


def gif_population(seed: int) -> dict:
    """pynest/examples/gif_population.py: rate and synchrony of the population."""
    nest = _nest()
    nest.rng_seed = seed
    params = {
        "C_m": 83.1,
        "g_L": 3.7,
        "E_L": -67.0,
        "Delta_V": 1.4,
        "V_T_star": -39.6,
        "t_ref": 4.0,
        "V_reset": -36.7,
        "lambda_0": 1.0,
        "q_stc": [56.7, -6.9],
        "tau_stc": [57.8, 218.2],
        "q_sfa": [11.7, 1.8],
        "tau_sfa": [53.8, 640.0],
        "tau_syn_ex": 10.0,
    }
    population = nest.Create("gif_psc_exp", 100, params=params)
    noise = nest.Create("poisson_generator", 50, params={"rate": 10.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(
        population,
        population,
        {"rule": "pairwise_bernoulli", "p": 0.3},
        syn_spec={"weight": 30.0},
    )
    nest.Connect(noise, population, "all_to_all", syn_spec={"weight": 20.0})
    nest.Connect(population, sr)
    nest.Simulate(2000.0)
    return gif_figures(sr.events["times"] / 1000.0)


def tsodyks_depression(seed: int) -> dict:
    """pynest/examples/iaf_tum_2000_short_term_depression.py: V_m of the second neuron."""
    nest = _nest()
    tau_m, c_m, v_th, t_ref = 40.0, 400.0, 15.0, 2.0
    dc_amp = v_th * c_m / tau_m / (1 - np.exp(-(50.0 - t_ref) / tau_m))
    dc = nest.Create("dc_generator", params={"amplitude": dc_amp, "start": 50.0, "stop": 1050.0})
    nrns = nest.Create(
        "iaf_tum_2000",
        2,
        params={
            "C_m": c_m,
            "tau_m": tau_m,
            "tau_syn_ex": 3.0,
            "tau_syn_in": 3.0,
            "V_th": v_th,
            "V_reset": 0.0,
            "E_L": 0.0,
            "V_m": 0.0,
            "t_ref": t_ref,
            "U": 0.5,
            "tau_psc": 3.0,
            "tau_rec": 800.0,
            "tau_fac": 0.0,
            "x": 1.0,
            "u": 0.0,
        },
    )
    nest.Connect(dc, nrns[0])
    nest.Connect(
        nrns[0],
        nrns[1],
        syn_spec={
            "synapse_model": "static_synapse",
            "weight": 250.0,
            "delay": 0.1,
            "receptor_type": 1,
        },
    )
    vm = nest.Create("voltmeter", params={"interval": 1.0})
    nest.Connect(vm, nrns[1])
    sr = nest.Create("spike_recorder")
    nest.Connect(nrns[0], sr)
    nest.Simulate(1200.0)
    return {"v_mV": vm.events["V_m"].tolist(), "spikes_ms": sr.events["times"].tolist()}


def if_curve(seed: int) -> dict:
    """pynest/examples/if_curve.py: the rate grid (one thread, the original's four only change
    the random streams)."""
    import nest

    params = {
        "a": 4.0,
        "b": 80.8,
        "V_th": -50.4,
        "Delta_T": 2.0,
        "I_e": 0.0,
        "C_m": 281.0,
        "g_L": 30.0,
        "V_reset": -70.6,
        "tau_w": 144.0,
        "t_ref": 5.0,
        "V_peak": -40.0,
        "E_L": -70.6,
        "E_ex": 0.0,
        "E_in": -70.0,
    }
    means, stds = np.arange(400.0, 900.0, 50.0), np.arange(0.0, 600.0, 50.0)
    rate = np.zeros((means.size, stds.size))
    for i, mean in enumerate(means):
        for j, std in enumerate(stds):
            _nest()
            nest.rng_seed = seed
            neurons = nest.Create("aeif_cond_exp", 100, params)
            noise = nest.Create("noise_generator")
            sr = nest.Create("spike_recorder")
            nest.Connect(noise, neurons, "all_to_all")
            nest.Connect(neurons, sr, "all_to_all")
            noise.set(mean=mean, std=std, start=0.0, stop=1000.0, origin=0.0)
            nest.Simulate(1000.0)
            rate[i, j] = sr.n_events / 100.0
    return {"means_pA": means.tolist(), "stds_pA": stds.tolist(), "rate_Hz": rate.tolist()}


def repeated_stimulation(seed: int) -> dict:
    """pynest/examples/repeated_stimulation.py: spikes per trial and per 100 ms bin."""
    nest = _nest()
    nest.rng_seed = seed
    pg = nest.Create("poisson_generator", params={"rate": 1000.0, "start": 100.0, "stop": 500.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(pg, sr)
    for _ in range(5):
        pg.origin = nest.biological_time
        nest.Simulate(1000.0)
    return repeated_figures(sr.events["times"] / 1000.0)


def if_curve_lif(seed: int) -> dict:
    """examples/IF_curve_LIF.py (Brian2): spike counts against v0."""
    import brian2 as b

    b.start_scope()
    n = 1000
    tau = 10 * b.ms
    group = b.NeuronGroup(
        n,
        "dv/dt = (v0 - v) / tau : volt (unless refractory)\nv0 : volt",
        threshold="v > 10*mV",
        reset="v = 0*mV",
        refractory=5 * b.ms,
        method="exact",
        namespace={"tau": tau},
    )
    group.v = 0 * b.mV
    group.v0 = "20*mV * i / (n-1)"
    mon = b.SpikeMonitor(group)
    b.run(1 * b.second, namespace={"n": n, "tau": tau})
    return {"counts": mon.count[:].tolist()}


def adaptive_threshold(seed: int) -> dict:
    """examples/adaptive_threshold.py (Brian2): spike count, threshold and v at the crossings."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    eqs = "dv/dt = -v/(10*ms) : volt\ndvt/dt = (10*mV-vt)/(15*ms) : volt"
    neuron = b.NeuronGroup(1, eqs, reset="v = 0*mV\nvt += 3*mV", threshold="v>vt", method="exact")
    neuron.vt = 10 * b.mV
    pg = b.PoissonGroup(1, 500 * b.Hz)
    syn = b.Synapses(pg, neuron, on_pre="v += 3*mV")
    syn.connect()
    mvt = b.StateMonitor(neuron, "vt", record=0)
    crossings = b.SpikeMonitor(neuron, variables="v")
    b.run(2 * b.second)
    v = crossings.v / b.mV
    return {
        "n_spikes": int(crossings.num_spikes),
        "vt_mean_mV": float(np.mean(mvt.vt[0] / b.mV)),
        "v_cross_mean_mV": float(np.mean(v)),
    }


def brunel_hakim(seed: int) -> dict:
    """examples/frompapers/Brunel_Hakim_1999.py (Brian2): rate and its oscillation."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    n, c = 5000, 1000
    ns = {
        "muext": 25 * b.mV,
        "sigmaext": 1 * b.mV,
        "tau": 20 * b.ms,
        "theta": 20 * b.mV,
        "Vr": 10 * b.mV,
        "J": 0.1 * b.mV,
    }
    group = b.NeuronGroup(
        n,
        "dV/dt = (-V+muext + sigmaext * sqrt(tau) * xi)/tau : volt",
        threshold="V>theta",
        reset="V=Vr",
        refractory=2 * b.ms,
        method="euler",
        namespace=ns,
    )
    group.V = 10 * b.mV
    conn = b.Synapses(group, group, on_pre="V += -J", delay=2 * b.ms, namespace=ns)
    conn.connect(p=c / n)
    mon = b.SpikeMonitor(group)
    b.run(0.1 * b.second)
    return brunel_hakim_figures(np.asarray(mon.t / b.second))


def licklider(seed: int) -> dict:
    """examples/synapses/licklider.py (Brian2): spike count and best frequency per 100 ms."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    b.defaultclock.dt = 0.02 * b.ms
    ns = {
        "tau_ear": 1 * b.ms,
        "tau": 1 * b.ms,
        "sigma": 0.1,
        "min_freq": 50 * b.Hz,
        "max_freq": 1000 * b.Hz,
        "num_neurons": 300,
    }
    ears = b.NeuronGroup(
        2,
        """dx/dt = (sound-x)/tau_ear+0.1*(2./tau_ear)**.5*xi : 1 (unless refractory)
        sound = 5*sin(2*pi*frequency*t)**3 : 1
        frequency = (200+200*t*Hz)*Hz : Hz""",
        threshold="x>1",
        reset="x=0",
        refractory=2 * b.ms,
        method="euler",
        namespace=ns,
    )
    neurons = b.NeuronGroup(
        300,
        "dv/dt = -v/tau+sigma*(2./tau)**.5*xi : 1",
        threshold="v>1",
        reset="v=0",
        method="euler",
        namespace=ns,
    )
    syn = b.Synapses(ears, neurons, on_pre="v += 0.5", namespace=ns)
    syn.connect()
    syn.delay = "i*1.0/exp(log(min_freq/Hz)+(j*1.0/(num_neurons-1))*log(max_freq/min_freq))*second"
    mon = b.SpikeMonitor(neurons)
    b.run(500 * b.ms)
    return licklider_figures(np.asarray(mon.t / b.second), np.asarray(mon.i))


def izhikevich_2003(seed: int) -> dict:
    """examples/frompapers/Izhikevich_2003.py (Brian2): rates and the rhythm's frequency."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    rng = np.random.default_rng(seed)
    n_e, n_i = 800, 200
    r_e, r_i = rng.uniform(size=n_e), rng.uniform(size=n_i)
    weights = np.vstack(
        [0.5 * rng.uniform(size=(n_e, n_e + n_i)), -rng.uniform(size=(n_i, n_e + n_i))]
    )
    b.defaultclock.dt = 1 * b.ms
    eqs = """dv/dt = (0.04*v**2 + 5*v + 140 - u + I + I_noise )/ms : 1
             du/dt = (a*(b*v - u))/ms  : 1
             I : 1
             I_noise : 1
             a : 1
             b : 1
             c : 1
             d : 1"""
    net = b.NeuronGroup(n_e + n_i, eqs, threshold="v>=30", reset="v=c; u+=d", method="euler")
    net.v = -65
    exc, inh = net[:n_e], net[n_e:]
    exc.a, exc.b, exc.c, exc.d = 0.02, 0.2, -65 + 15 * r_e**2, 8 - 6 * r_e**2
    inh.a, inh.b, inh.c, inh.d = 0.02 + 0.08 * r_i, 0.25 - 0.05 * r_i, -65, 2
    exc.u = "b*v"
    inh.u = "b*v"
    syn = b.Synapses(
        net,
        net,
        "w : 1",
        on_pre={"up": "I += w", "down": "I -= w"},
        delay={"up": 0 * b.ms, "down": 1 * b.ms},
    )
    syn.connect()
    syn.w[:] = weights.flatten()
    exc.run_regularly("I_noise = 5*randn()", dt=1 * b.ms)
    inh.run_regularly("I_noise = 2*randn()", dt=1 * b.ms)
    mon = b.SpikeMonitor(net)
    b.run(1000 * b.ms)
    t, i = np.asarray(mon.t / b.second), np.asarray(mon.i)
    return izhikevich_figures(t[i < n_e], t[i >= n_e])


def phase_locking(seed: int) -> dict:
    """examples/phase_locking.py (Brian2): spike counts and vector strengths."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    ns = {"tau": 20 * b.ms, "n": 100, "b": 1.2, "freq": 10 * b.Hz}
    neurons = b.NeuronGroup(
        100,
        "dv/dt = (-v + a * sin(2 * pi * freq * t) + b) / tau : 1\na : 1",
        threshold="v > 1",
        reset="v = 0",
        method="euler",
        namespace=ns,
    )
    neurons.v = "rand()"
    neurons.a = "0.05 + 0.7*i/n"
    mon = b.SpikeMonitor(neurons)
    b.run(1000 * b.ms)
    return phase_locking_figures(np.asarray(mon.t / b.second), np.asarray(mon.i))


def reliability(seed: int) -> dict:
    """examples/reliability.py (Brian2): spike count and reliability."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    ns = {"tau_input": 5 * b.ms, "tau": 10 * b.ms, "sigma": 0.015}
    source = b.NeuronGroup(1, "dx/dt = -x / tau_input + (2 /tau_input)**.5 * xi : 1", namespace=ns)
    neurons = b.NeuronGroup(
        25,
        "dx/dt = (0.9 + .5 * I - x) / tau + sigma * (2 / tau)**.5 * xi : 1\nI : 1 (linked)",
        threshold="x > 1",
        reset="x = 0",
        refractory=5 * b.ms,
        method="euler",
        namespace=ns,
    )
    neurons.x = "rand()"
    neurons.I = b.linked_var(source, "x")
    mon = b.SpikeMonitor(neurons)
    b.run(500 * b.ms)
    return reliability_figures(np.asarray(mon.t / b.second), np.asarray(mon.i))


def touboul_brette_2008(seed: int) -> dict:
    """examples/frompapers/Touboul_Brette_2008.py (Brian2): spikes and distinct w per neuron."""
    import brian2 as b

    b.start_scope()
    b.defaultclock.dt = 0.01 * b.ms
    ns = {
        "C": 281 * b.pF,
        "gL": 30 * b.nS,
        "EL": -70.6 * b.mV,
        "VT": -50.4 * b.mV,
        "DeltaT": 2 * b.mV,
        "tauw": 40 * b.ms,
        "a": 4 * b.nS,
        "b": 0.08 * b.nA,
        "I": 0.8 * b.nA,
        "Vcut": -50.4 * b.mV + 10 * b.mV,
    }
    eqs = """dvm/dt=(gL*(EL-vm)+gL*DeltaT*exp((vm-VT)/DeltaT)+I-w)/C : volt
    dw/dt=(a*(vm-EL)-w)/tauw : amp
    Vr:volt"""
    neuron = b.NeuronGroup(
        200, eqs, threshold="vm > Vcut", reset="vm = Vr; w += b", method="euler", namespace=ns
    )
    neuron.vm = -70.6 * b.mV
    neuron.w = 0 * b.nA
    neuron.Vr = np.linspace(-48.3 * b.mV, -47.7 * b.mV, 200)
    b.run(3 * b.second)
    states = b.StateMonitor(neuron, "w", record=True, when="start")
    spikes = b.SpikeMonitor(neuron)
    b.run(1 * b.second)
    i = np.asarray(spikes.i)
    k = np.asarray(np.rint((spikes.t - 3 * b.second) / b.defaultclock.dt), dtype=int)
    return touboul_summary(i, np.asarray(states.w[i, k] / b.pA))


def nonlinear_synapses(seed: int) -> dict:
    """examples/synapses/nonlinear.py (Brian2): g_syn of both synapses and the target's v at
    1, 2, ... ms."""
    import brian2 as b

    b.start_scope()
    ns = {"a": 1 / (10 * b.ms), "b": 1 / (10 * b.ms), "c": 1 / (10 * b.ms)}
    inputs = b.NeuronGroup(
        2, "dv/dt = 1/(10*ms) : 1", threshold="v>1", reset="v = 0", method="euler"
    )
    target = b.NeuronGroup(1, "dv/dt = (g-v)/(10*ms) : 1\ng : 1", method="exact")
    syn = b.Synapses(
        inputs,
        target,
        """dg_syn/dt = -a*g_syn+b*x*(1-g_syn) : 1 (clock-driven)
        g_post = g_syn : 1 (summed)
        dx/dt=-c*x : 1 (clock-driven)
        w : 1""",
        on_pre="x += w",
        namespace=ns,
    )
    syn.connect()
    syn.w = [1.0, 10.0]
    inputs.v = [0.0, 0.5]
    m_syn = b.StateMonitor(syn, "g_syn", record=[0, 1])
    m_v = b.StateMonitor(target, "v", record=0)
    b.run(1000 * b.ms)
    every_ms = slice(10, None, 10)  # t = 1, 2, ... ms
    return {
        "g_syn": np.asarray(m_syn.g_syn).T[every_ms].tolist(),
        "v": np.asarray(m_v.v[0])[every_ms].tolist(),
    }


def _every_step(brian2, group, name: str, duration) -> np.ndarray:
    """``name`` of ``group`` at t = dt, 2 dt, ... ``duration`` (one column per neuron).

    Brian2's StateMonitor samples at the start of each step (t = 0 ... duration - dt): its
    samples from the second on, then the state after the run.
    """
    mon = brian2.StateMonitor(group, name, record=True)
    brian2.run(duration)
    samples = np.asarray(getattr(mon, name)).T[1:]
    return np.vstack([samples, np.asarray(getattr(group, name))[None, :]])


def continuous_interaction(seed: int) -> dict:
    """examples/synapses/continuous_interaction.py (Brian2): vm and s of both neurons each ms."""
    import brian2 as b

    b.start_scope()
    ns = {
        "El": -67 * b.mV, "EK": -100 * b.mV, "ENa": 50 * b.mV, "gl": 0.1 * b.msiemens,
        "gK": 80 * b.msiemens, "gNa": 100 * b.msiemens, "C": 1 * b.ufarad, "weight": 0.25,
        "gSyn": 1.0 * b.msiemens, "tau_d": 2 * b.ms, "tau_r": 0.2 * b.ms,
    }  # fmt: skip
    neuron = b.NeuronGroup(2, CONTINUOUS_EQUATIONS, method="exponential_euler", namespace=ns)
    neuron.vm = [-70.0, -65.0] * b.mV
    neuron.m = "alpham / (alpham + betam)"
    neuron.h = "alphah / (alphah + betah)"
    neuron.n = "alphan / (alphan + betan)"
    neuron.I_ext = [1.5 * b.uA, 0.0 * b.uA]
    syn = b.Synapses(neuron, neuron, "s_in_post = weight*s_pre:1 (summed)", namespace=ns)
    syn.connect(i=0, j=1)
    mon = b.StateMonitor(neuron, ["vm", "s"], record=True)
    b.run(100 * b.ms)
    # Brian2 samples at the start of each step: its samples from the second on, then the end
    vm = np.vstack([np.asarray(mon.vm).T[1:], np.asarray(neuron.vm)[None, :]])
    s = np.vstack([np.asarray(mon.s).T[1:], np.asarray(neuron.s)[None, :]])
    return continuous_figures(vm / 1e-3, s)


def if_curve_hodgkin_huxley(seed: int) -> dict:
    """examples/IF_curve_Hodgkin_Huxley.py (Brian2): spike counts, neuron 50's spike times."""
    import brian2 as b

    b.start_scope()
    area = 20000 * b.umetre**2
    ns = {
        "Cm": 1 * b.ufarad * b.cm**-2 * area, "gl": 5e-5 * b.siemens * b.cm**-2 * area,
        "El": -65 * b.mV, "EK": -90 * b.mV, "ENa": 50 * b.mV,
        "g_na": 100 * b.msiemens * b.cm**-2 * area, "g_kd": 30 * b.msiemens * b.cm**-2 * area,
        "VT": -63 * b.mV, "num_neurons": HH_N,
    }  # fmt: skip
    group = b.NeuronGroup(
        HH_N,
        HH_EQUATIONS,
        threshold="v > -40*mV",
        refractory="v > -40*mV",
        method="exponential_euler",
        namespace=ns,
    )
    group.v = ns["El"]
    group.I = "0.7*nA * i / num_neurons"
    monitor = b.SpikeMonitor(group)
    b.run(HH_DURATION * b.second)
    times = np.asarray(monitor.t / b.ms)[np.asarray(monitor.i) == 50]
    return {"counts": np.asarray(monitor.count).tolist(), "times_50_ms": times.tolist()}


def morris_lecar_1981(seed: int) -> dict:
    """examples/frompapers/Morris_Lecar_1981.py (Brian2): V of the four plotted fibres each ms."""
    import brian2 as b

    b.start_scope()
    b.defaultclock.dt = 0.01 * b.ms
    ns = {
        "g_L": 2 * b.mS, "g_Ca": 4 * b.mS, "g_K": 8 * b.mS, "V_L": -50 * b.mV,
        "V_Ca": 100 * b.mV, "V_K": -70 * b.mV, "lambda_n__max": 1.0 / (15 * b.ms),
        "V_1": 10 * b.mV, "V_2": 15 * b.mV, "V_3": -1 * b.mV, "V_4": 14.5 * b.mV,
        "C": 20 * b.uF,
    }  # fmt: skip
    neuron = b.NeuronGroup(17, MORRIS_LECAR_EQUATIONS, method="exponential_euler", namespace=ns)
    neuron.I = (np.arange(17) * 25 + 100) * b.uA
    neuron.V = ns["V_L"]
    neuron.n = "n_inf"
    v = _every_step(b, neuron, "V", 220 * b.ms)  # in V: numpy strips the unit
    return morris_lecar_figures(v[99::100][:, list(MORRIS_LECAR_PLOTTED)])


def wang_buzsaki_1996(seed: int) -> dict:
    """examples/frompapers/Wang_Buszaki_1996.py (Brian2): v every 0.1 ms and the spike count."""
    import brian2 as b

    b.start_scope()
    b.defaultclock.dt = 0.01 * b.ms
    ns = {
        "Cm": 1 * b.uF, "Iapp": 2 * b.uA, "gL": 0.1 * b.msiemens, "EL": -65 * b.mV,
        "ENa": 55 * b.mV, "EK": -90 * b.mV, "gNa": 35 * b.msiemens, "gK": 9 * b.msiemens,
    }  # fmt: skip
    neuron = b.NeuronGroup(1, WANG_BUZSAKI_EQUATIONS, method="exponential_euler", namespace=ns)
    neuron.v = -70 * b.mV
    neuron.h = 1
    return wang_buzsaki_figures(_every_step(b, neuron, "v", 100 * b.ms)[:, 0])


def hindmarsh_rose_1984(seed: int) -> dict:
    """examples/frompapers/Hindmarsh_Rose_1984.py (Brian2): x every 10 units and the spikes."""
    import brian2 as b

    b.start_scope()
    time_unit = 1 * b.ms
    b.defaultclock.dt = time_unit / 10
    ns = {"a": 1, "b": 3, "c": 1, "d": 5, "r": 0.001, "s": 4, "x_1": -1.6, "time_unit": time_unit}
    eqs = """
    dx/dt = (y - a*x**3 + b*x**2 + I - z)/time_unit : 1
    dy/dt = (c - d*x**2 - y)/time_unit : 1
    dz/dt = r*(s*(x - x_1) - z)/time_unit : 1
    I : 1 (constant)
    """
    neuron = b.NeuronGroup(3, eqs, method="rk4", namespace=ns)
    neuron.x = ns["x_1"]
    neuron.y = "c - d*x**2"
    neuron.z = "r*(s*(x - x_1))"
    neuron.I = [0.4, 2, 4]
    return hindmarsh_rose_figures(_every_step(b, neuron, "x", 2100 * time_unit))


def brette_2004(seed: int) -> dict:
    """examples/frompapers/Brette_2004.py (Brian2): spikes of each neuron in the recorded 5 s."""
    import brian2 as b

    b.start_scope()
    b.prefs.codegen.target = "cython"  # 2000 neurons for 10 s: numpy's runtime is slow here
    tau = 100 * b.ms
    eqs = """
    dv/dt = (-v + a + 2*sin(2*pi*t/tau))/tau : 1
    a : 1
    """
    neurons = b.NeuronGroup(
        BRETTE_2004_N, eqs, threshold="v>1", reset="v=0", method="euler", namespace={"tau": tau}
    )
    neurons.a = np.linspace(2, 4, BRETTE_2004_N)
    b.run(5 * b.second)
    spikes = b.SpikeMonitor(neurons)
    b.run(5 * b.second)
    return brette_2004_figures(np.asarray(spikes.i))


def naud_2008(seed: int) -> dict:
    """examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py (Brian2): each pattern's
    spikes, and vm (clipped at 0 mV) and w every 5 ms as the original's monitor records them."""
    import brian2 as b

    eqs = """
    dvm/dt = (g_l*(e_l - vm) + g_l*d_t*exp((vm-v_t)/d_t) + i_stim - w)/c_m : volt
    dw/dt  = (a*(vm - e_l) - w)/tau_w : amp
    """
    pF, nS, mV, ms, pA = b.pF, b.nS, b.mV, b.ms, b.pA
    # the original's dictionary, one line per pattern; v_t = -50 mV and d_t = 2 mV in all
    patterns = {
        "tonic spiking": dict(c_m=200 * pF, g_l=10 * nS, e_l=-70.0 * mV, a=2.0 * nS,
                              tau_w=30.0 * ms, b=0.0 * pA, v_r=-58.0 * mV, i_stim=500 * pA),
        "adaptation": dict(c_m=200 * pF, g_l=12 * nS, e_l=-70.0 * mV, a=2.0 * nS,
                           tau_w=300.0 * ms, b=60.0 * pA, v_r=-58.0 * mV, i_stim=500 * pA),
        "initial burst": dict(c_m=130 * pF, g_l=18 * nS, e_l=-58.0 * mV, a=4.0 * nS,
                              tau_w=150.0 * ms, b=120.0 * pA, v_r=-50.0 * mV, i_stim=400 * pA),
        "regular bursting": dict(c_m=200 * pF, g_l=10 * nS, e_l=-58.0 * mV, a=2.0 * nS,
                                 tau_w=120.0 * ms, b=100.0 * pA, v_r=-46.0 * mV,
                                 i_stim=210 * pA),
        "delayed accelerating": dict(c_m=200 * pF, g_l=12 * nS, e_l=-70.0 * mV, a=-10.0 * nS,
                                     tau_w=300.0 * ms, b=0.0 * pA, v_r=-58.0 * mV,
                                     i_stim=300 * pA),
        "delayed regular bursting": dict(c_m=100 * pF, g_l=10 * nS, e_l=-65.0 * mV,
                                         a=-10.0 * nS, tau_w=90.0 * ms, b=30.0 * pA,
                                         v_r=-47.0 * mV, i_stim=110 * pA),
        "transient spiking": dict(c_m=100 * pF, g_l=10 * nS, e_l=-65.0 * mV, a=10.0 * nS,
                                  tau_w=90.0 * ms, b=100.0 * pA, v_r=-47.0 * mV,
                                  i_stim=180 * pA),
        "irregular spiking": dict(c_m=100 * pF, g_l=12 * nS, e_l=-60.0 * mV, a=-11.0 * nS,
                                  tau_w=130.0 * ms, b=30.0 * pA, v_r=-48.0 * mV,
                                  i_stim=160 * pA),
    }  # fmt: skip
    out = {}
    for name, parameters in patterns.items():
        b.start_scope()  # the original's objects of the previous pattern are gone: t restarts
        parameters = dict(parameters, v_t=-50.0 * mV, d_t=2.0 * mV)
        neuron = b.NeuronGroup(
            1,
            model=eqs,
            threshold="vm > 0*mV",
            reset="vm = v_r; w += b",
            method="euler",
            namespace=parameters,
        )
        neuron.vm = parameters["e_l"]
        neuron.w = 0
        states = b.StateMonitor(neuron, ["vm", "w"], record=True, when="thresholds")
        spikes = b.SpikeMonitor(neuron)
        b.defaultclock.dt = 0.1 * ms
        b.run(0.6 * b.second)
        out[name] = naud_figures(
            np.asarray(spikes.t / ms),
            np.clip(np.asarray(states[0].vm / mV), a_min=None, a_max=0),
            np.asarray(states[0].w / b.nA),
        )
    return out


def non_reliability(seed: int) -> dict:
    """examples/non_reliability.py (Brian2): spike count, first spikes, intervals, reliability."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    ns = {"N": 25, "tau": 20 * b.ms, "sigma": 0.015}
    neurons = b.NeuronGroup(
        25,
        "dx/dt = (1.1 - x) / tau + sigma * (2 / tau)**.5 * xi : 1 (unless refractory)",
        threshold="x > 1",
        reset="x = 0",
        refractory=5 * b.ms,
        method="euler",
        namespace=ns,
    )
    spikes = b.SpikeMonitor(neurons)
    b.run(500 * b.ms)
    return non_reliability_figures(np.asarray(spikes.t / b.second), np.asarray(spikes.i))


def evaluate_tsodyks2_synapse(seed: int) -> dict:
    """pynest/examples/evaluate_tsodyks2_synapse.py: V_m of the targets of tsodyks_synapse and
    tsodyks2_synapse, every ms, and the synapses' variables at the end, in both experiments."""
    out = {}
    for name, params in TSODYKS2_EXPERIMENTS.items():
        nest = _nest()
        syn = {
            "U": params["U"],
            "u": params["u"],
            "x": params["x"],
            "tau_rec": params["tau_rec"] / 1e-3,
            "tau_fac": params["tau_fac"] / 1e-3,
            "weight": 250.0,
        }
        neuron = nest.Create("iaf_psc_exp", 3, params={"tau_syn_ex": 3.0})
        nest.Connect(neuron[0], neuron[1], syn_spec=dict(syn, synapse_model="tsodyks_synapse"))
        nest.Connect(neuron[0], neuron[2], syn_spec=dict(syn, synapse_model="tsodyks2_synapse"))
        vm = nest.Create("voltmeter", 2)
        nest.Connect(vm[0], neuron[1])
        nest.Connect(vm[1], neuron[2])
        sr = nest.Create("spike_recorder")
        nest.Connect(neuron[0], sr)
        for amplitude in (376.0, 0.0, 376.0):
            neuron[0].I_e = amplitude
            nest.Simulate(500.0)
        out[name] = {
            "spikes_ms": sr.events["times"].tolist(),
            "v_tsodyks_mV": vm[0].events["V_m"].tolist(),
            "v_tsodyks2_mV": vm[1].events["V_m"].tolist(),
            "state_tsodyks": nest.GetConnections(neuron[0], neuron[1]).get(["u", "x", "y"]),
            "state_tsodyks2": nest.GetConnections(neuron[0], neuron[2]).get(["u", "x"]),
        }
    return out


def brunel_alpha_nest(seed: int, scale: float = BRUNEL_ALPHA_SCALE) -> dict:
    """pynest/examples/brunel_alpha_nest.py: rates of the first 50 neurons of each population
    and of all, and the CV of the excitatory inter-spike intervals."""
    nest = _nest()
    nest.rng_seed = seed
    size = brunel_alpha_sizes(scale)
    params = {
        "C_m": 250.0,
        "tau_m": 20.0,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
        "t_ref": 2.0,
        "E_L": 0.0,
        "V_reset": 0.0,
        "V_m": 0.0,
        "V_th": 20.0,
    }
    j_ex = BRUNEL_ALPHA_J_EX / 1e-12  # pA, the example's ComputePSPnorm (checked in the test)
    nodes_ex = nest.Create("iaf_psc_alpha", size["n_e"], params=params)
    nodes_in = nest.Create("iaf_psc_alpha", size["n_i"], params=params)
    noise = nest.Create("poisson_generator", params={"rate": brunel_alpha_rate(size["c_e"])})
    nest.CopyModel("static_synapse", "excitatory", {"weight": j_ex, "delay": 1.5})
    nest.CopyModel("static_synapse", "inhibitory", {"weight": -5.0 * j_ex, "delay": 1.5})
    return _nest_brunel_second(nest, nodes_ex, nodes_in, noise, size, "excitatory", "inhibitory")


def _nest_brunel_second(nest, nodes_ex, nodes_in, noise, size, syn_ex, syn_in) -> dict:
    """What NEST's Brunel examples share: the drive onto every neuron, spike recorders on all
    neurons (the examples record the first 50), fixed in-degree connections, one second, and
    the figures of ``brunel_alpha_nest``."""
    espikes, ispikes = nest.Create("spike_recorder"), nest.Create("spike_recorder")
    nest.Connect(noise, nodes_ex, syn_spec=syn_ex)
    nest.Connect(noise, nodes_in, syn_spec=syn_ex)
    nest.Connect(nodes_ex, espikes, syn_spec="excitatory")
    nest.Connect(nodes_in, ispikes, syn_spec="excitatory")
    everyone = nodes_ex + nodes_in
    nest.Connect(nodes_ex, everyone, {"rule": "fixed_indegree", "indegree": size["c_e"]}, syn_ex)
    nest.Connect(nodes_in, everyone, {"rule": "fixed_indegree", "indegree": size["c_i"]}, syn_in)
    nest.Simulate(1000.0)
    e, i = espikes.events, ispikes.events
    return brunel_alpha_figures(
        e["times"] / 1000.0,
        e["senders"] - nodes_ex[0].global_id,
        i["times"] / 1000.0,
        i["senders"] - nodes_in[0].global_id,
        size["n_e"],
        size["n_i"],
    )


def brette_gerstner_fig_2c(seed: int) -> dict:
    """pynest/examples/brette_gerstner_fig_2c.py: V_m every ms (every tenth 0.1 ms sample) and
    the spike times."""
    nest = _nest()
    nest.resolution = 0.1
    neuron = nest.Create("aeif_cond_alpha")
    neuron.set(a=4.0, b=80.5)
    dc = nest.Create("dc_generator", 2)
    dc.set(amplitude=[500.0, 800.0], start=[0.0, 500.0], stop=[200.0, 1000.0])
    nest.Connect(dc, neuron, "all_to_all")
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, neuron)
    sr = nest.Create("spike_recorder")
    nest.Connect(neuron, sr)
    nest.Simulate(1000.0)
    return brette_gerstner_2c_figures(vm.events["V_m"], sr.events["times"])


def hh_psc_alpha(seed: int) -> dict:
    """pynest/examples/hh_psc_alpha.py: the rate at each current (the original's loop and
    counting), with a voltmeter and a second spike recorder added for the traces."""
    nest = _nest()
    neuron = nest.Create("hh_psc_alpha")
    sr = nest.Create("spike_recorder")
    sr.record_to = "memory"
    nest.Connect(neuron, sr, syn_spec={"weight": 1.0, "delay": 0.1})
    every = nest.Create("spike_recorder")
    nest.Connect(neuron, every)
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, neuron)
    rates = []
    for amp in HH_CURRENTS_PA:
        neuron.I_e = float(amp)
        nest.Simulate(1000)
        sr.n_events = 0
        nest.Simulate(1000)
        rates.append(sr.n_events / 1.0)
    out = hh_psc_alpha_figures(every.events["times"], vm.events["V_m"])
    assert out["rate_Hz"] == rates  # the figures' counting is the original's
    return out


def ornstein_uhlenbeck(seed: int) -> dict:
    """examples/advanced/Ornstein_Uhlenbeck.py (Brian2): both realizations' statistics."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    group = b.NeuronGroup(
        2,
        "tau : second\nsigma : 1\ndy/dt = -y/tau + sqrt(2*sigma**2/tau)*xi : 1",
        method="euler",
    )
    group.tau = OU_TAU * b.second
    group.sigma = OU_SIGMA
    group.y = 1
    mon = b.StateMonitor(group, "y", record=True)
    b.run(10 * b.second)
    return ou_figures(np.asarray(mon.t / b.second), np.asarray(mon.y).T)


def stdp_song_abbott(seed: int) -> dict:
    """examples/synapses/STDP.py (Brian2): final weights and the output rate."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    b.prefs.codegen.target = "cython"  # 10**6 steps of 1000 synapses: numpy's runtime is slow
    taupre = taupost = 20 * b.ms
    gmax = 0.01
    ns = {
        "taum": 10 * b.ms, "Ee": 0 * b.mV, "vt": -54 * b.mV, "vr": -60 * b.mV,
        "El": -74 * b.mV, "taue": 5 * b.ms, "taupre": taupre, "taupost": taupost, "gmax": gmax,
        "dApre": 0.01 * gmax, "dApost": -0.01 * taupre / taupost * 1.05 * gmax,
    }  # fmt: skip
    inputs = b.PoissonGroup(1000, rates=15 * b.Hz)
    neuron = b.NeuronGroup(
        1,
        "dv/dt = (ge * (Ee-v) + El - v) / taum : volt\ndge/dt = -ge / taue : 1",
        threshold="v>vt",
        reset="v = vr",
        method="euler",
        namespace=ns,
    )
    syn = b.Synapses(
        inputs,
        neuron,
        """w : 1
        dApre/dt = -Apre / taupre : 1 (event-driven)
        dApost/dt = -Apost / taupost : 1 (event-driven)""",
        on_pre="""ge += w
        Apre += dApre
        w = clip(w + Apost, 0, gmax)""",
        on_post="""Apost += dApost
        w = clip(w + Apre, 0, gmax)""",
        namespace=ns,
    )
    syn.connect()
    syn.w = "rand() * gmax"
    out = b.SpikeMonitor(neuron)  # not in the original: the output rate
    b.run(STDP_DURATION * b.second)
    return stdp_figures(np.asarray(syn.w), np.asarray(out.t / b.second))


def platkiewicz_brette_2011(seed: int) -> dict:
    """examples/frompapers/Platkiewicz_Brette_2011.py (Brian2): the slope-threshold scatter."""
    import brian2 as b

    b.start_scope()
    b.prefs.codegen.target = "cython"  # 200 neurons, 10 000 steps: numpy's runtime takes 70 s
    b.seed(seed)
    tau_i, tau = 5 * b.ms, 5 * b.ms
    ns = {
        "EL": -70 * b.mV, "vT": -55 * b.mV, "Vi": -63 * b.mV, "tauh": 5 * b.ms, "tau": tau,
        "a": (5 * b.mV) / (6 * b.mV), "tauI": tau_i, "mu": 15 * b.mV,
        "sigma": 6 * b.mV / np.sqrt(tau_i / (tau_i + tau)),
    }  # fmt: skip
    eqs = """
    dv/dt=(EL-v+mu+sigma*I)/tau : volt
    dtheta/dt=(vT+a*clip(v-Vi, 0*mV, inf*mV)-theta)/tauh : volt
    dI/dt=-I/tauI+(2/tauI)**.5*xi : 1
    """
    neurons = b.NeuronGroup(
        PLATKIEWICZ_N, eqs, threshold="v>theta", reset="v=EL", refractory=5 * b.ms, namespace=ns
    )
    neurons.v = ns["EL"]
    neurons.theta = ns["vT"]
    neurons.I = 0
    spikes = b.SpikeMonitor(neurons)
    mon = b.StateMonitor(neurons, "v", record=True)
    b.run(1 * b.second)
    crossing = np.asarray(np.rint(spikes.t / b.defaultclock.dt), dtype=int)
    return platkiewicz_figures(np.asarray(mon.v / b.mV).T, np.asarray(spikes.i), crossing)


def tsodyks_pawelzik_markram_1998(seed: int) -> dict:
    """examples/frompapers/Tsodyks_Pawelzik_Markram_1998.py (Brian2): v of each panel every ms
    and its maximum."""
    import brian2 as b

    out = {}
    for panel, p in TPM_PANELS.items():
        b.start_scope()  # the original's run() of new objects starts again from t = 0
        neuron = b.NeuronGroup(
            1,
            """
            tau_mem : second
            I_syn : ampere
            R_in : ohm
            dv/dt = -v/tau_mem + (R_in*I_syn)/tau_mem : volt
            """,
            method="exact",
        )
        neuron.tau_mem = p["neuron"]["tau_mem"] * b.second
        neuron.R_in = p["neuron"]["R_in"] * b.ohm
        times = tpm_stimulus_times(**p["stimulus"]) * b.second
        stimulus = b.SpikeGeneratorGroup(1, [0] * len(times), times)
        facilitating = "tau_facil" in p["synapse"]
        eqs = """
        dx/dt =  z/tau_rec   : 1 (clock-driven)
        dy/dt = -y/tau_inact : 1 (clock-driven)
        A_SE : ampere
        U_SE : 1
        tau_inact : second
        tau_rec : second
        z = 1 - x - y : 1
        I_syn_post = A_SE*y : ampere (summed)
        """
        if facilitating:
            eqs += "du/dt = -u/tau_facil : 1 (clock-driven)\ntau_facil : second\n"
            on_pre = "u += U_SE*(1-u)\ny += u*x\nx += -u*x"
        else:
            on_pre = "y += U_SE*x\nx += -U_SE*x"
        synapses = b.Synapses(
            stimulus, neuron, model=eqs, on_pre=on_pre, method="exponential_euler"
        )
        synapses.connect()
        synapses.x = 1
        s = p["synapse"]
        synapses.tau_inact = s["tau_inact"] * b.second
        synapses.A_SE = s["A_SE"] * b.amp
        synapses.U_SE = s["U_SE"]
        synapses.tau_rec = s["tau_rec"] * b.second
        if facilitating:
            synapses.tau_facil = s["tau_facil"] * b.second
        # _every_step's run() would collect only its own frame's objects: an explicit network
        mon = b.StateMonitor(neuron, "v", record=0)
        b.Network(neuron, stimulus, synapses, mon).run(p["duration"] * b.second)
        trace = np.append(np.asarray(mon.v[0])[1:], float(neuron.v[0]))  # t = dt ... the end
        out[panel] = tpm_figures(trace)
    return out


def brunel_exp_multisynapse_nest(seed: int, scale: float = MULTISYNAPSE_SCALE) -> dict:
    """pynest/examples/brunel_exp_multisynapse_nest.py: rates of the first 50 neurons of each
    population and of all, and the CV of the excitatory inter-spike intervals."""
    nest = _nest()
    nest.rng_seed = seed
    size = multisynapse_sizes(scale)
    params = {
        "C_m": 1.0,
        "tau_m": 20.0,
        "t_ref": 2.0,
        "E_L": 0.0,
        "V_reset": 0.0,
        "V_m": 0.0,
        "V_th": 20.0,
        "tau_syn": [0.1 + 0.01 * i for i in range(MULTISYNAPSE_N_PORTS)],
    }
    nodes_ex = nest.Create("iaf_psc_exp_multisynapse", size["n_e"], params=params)
    nodes_in = nest.Create("iaf_psc_exp_multisynapse", size["n_i"], params=params)
    noise = nest.Create("poisson_generator", params={"rate": multisynapse_rate()})
    nest.CopyModel("static_synapse", "excitatory", {"weight": 0.1, "delay": 1.5})
    nest.CopyModel("static_synapse", "inhibitory", {"weight": -0.5, "delay": 1.5})
    port = nest.random.uniform_int(max=MULTISYNAPSE_N_PORTS - 1) + 1
    syn_ex = {"synapse_model": "excitatory", "receptor_type": port}
    syn_in = {"synapse_model": "inhibitory", "receptor_type": port}
    return _nest_brunel_second(nest, nodes_ex, nodes_in, noise, size, syn_ex, syn_in)


def campbell_siegert(seed: int) -> dict:
    """pynest/examples/CampbellSiegert.py: the mean and variance of the free V_m and the rate
    of the ten neurons, and the example's own theory (its fmin-normalised J, Campbell's mean
    and variance, its 101-point sum of Siegert's integral), computed as it does."""
    from scipy.optimize import fmin
    from scipy.special import erf

    c_m, e_l, v_th, t_ref, tau_m, tau_s = 250.0, -70.0, -55.0, 2.0, 10.0, 0.5  # pF, mV, ms
    weight, rate = 0.1, 10000.0  # mV, Hz
    ms = mv = 1e-3  # the example's unit conversions
    pf = pa = 1e-12

    def psp(x):
        return -(
            (c_m * pf) / (tau_s * ms) * (1 / (c_m * pf)) * (np.exp(1) / (tau_s * ms))
            * (((-x * np.exp(-x / (tau_s * ms))) / (1 / (tau_s * ms) - 1 / (tau_m * ms)))
               + (np.exp(-x / (tau_m * ms)) - np.exp(-x / (tau_s * ms)))
               / ((1 / (tau_s * ms) - 1 / (tau_m * ms)) ** 2))
        )  # fmt: skip

    j = c_m * weight / tau_s * (-1.0 / fmin(psp, [0], full_output=1, disp=0)[1])  # pA
    mu = rate * (j * pa) * (tau_s * ms) * np.exp(1) * (tau_m * ms) / (c_m * pf) + e_l * mv
    amp = (
        j * pa * tau_s * ms * np.exp(1) * tau_m * ms / (2 * (c_m * pf) * (tau_m * ms + tau_s * ms))
    )
    sigma2 = rate * (2 * tau_m * ms + tau_s * ms) * amp**2
    upper = (v_th * mv - mu) / (np.sqrt(sigma2) * np.sqrt(2))
    lower = (e_l * mv - mu) / (np.sqrt(sigma2) * np.sqrt(2))
    step = (upper - lower) / 100
    total = sum(
        step * np.sqrt(np.pi) * np.exp(u**2) * (1 + erf(u))
        for u in (lower + k * step for k in range(101))
    )
    siegert = 1.0 / (t_ref * ms + tau_m * ms * total)

    nest = _nest()
    nest.rng_seed = seed
    params = {
        "V_th": v_th,
        "tau_m": tau_m,
        "tau_syn_ex": tau_s,
        "tau_syn_in": 2.0,
        "C_m": c_m,
        "E_L": e_l,
        "t_ref": t_ref,
        "V_m": e_l,
        "V_reset": e_l,
    }
    n = nest.Create("iaf_psc_alpha", 10, params=params)
    n_free = nest.Create("iaf_psc_alpha", params=dict(params, V_th=1e12))
    pg = nest.Create("poisson_generator", 1, {"rate": [rate]})
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    sr = nest.Create("spike_recorder")
    nest.Connect(pg, n, syn_spec={"weight": np.tile([j], (10, 1)), "delay": 0.1})
    nest.Connect(pg, n_free, syn_spec={"weight": [[j]]})
    nest.Connect(vm, n_free)
    nest.Connect(n, sr)
    nest.Simulate(20000.0)
    return {
        **campbell_siegert_figures(vm.events["V_m"], sr.n_events),
        "J_pA": float(j),
        "theory_v_mean_mV": float(mu * 1000),
        "theory_v_var_mV2": float(sigma2 * 1e6),
        "theory_rate_Hz": float(siegert),
    }


def _gap_junctions_two_neurons_run(nest, **kernel) -> tuple:
    """The original's network under the kernel settings given; V_m [mV] (samples x neurons),
    spike times [ms] and senders (0, 1)."""
    nest.resolution = 0.05
    nest.set(**kernel)
    neuron = nest.Create("hh_psc_alpha_gap", 2)
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    sr = nest.Create("spike_recorder")
    neuron.I_e = 100.0
    neuron[0].V_m = -10.0
    nest.Connect(vm, neuron, "all_to_all")
    nest.Connect(neuron, sr)
    nest.Connect(
        neuron,
        neuron,
        {"rule": "all_to_all", "allow_autapses": False},
        {"synapse_model": "gap_junction", "weight": 0.5},
    )
    nest.Simulate(351.0)
    ev, first = vm.events, neuron[0].global_id
    v = np.stack([ev["V_m"][ev["senders"] == first + k] for k in range(2)], axis=1)
    return v, sr.events["times"], sr.events["senders"] - first


def gap_junctions_two_neurons(seed: int) -> dict:
    """pynest/examples/gap_junctions_two_neurons.py: both V_m every 1 ms and the spikes, and how
    far the potentials move when the waveform relaxation is iterated to convergence (wfr_tol
    1e-8 instead of 1e-4 mV, at most 100 iterations, every step instead of every 1 ms)."""
    v, spikes, senders = _gap_junctions_two_neurons_run(_nest())
    tight, _, _ = _gap_junctions_two_neurons_run(
        _nest(), wfr_tol=1e-8, wfr_max_iterations=100, wfr_comm_interval=0.05
    )
    n = len(v)  # NEST's voltmeter hands over 9 more samples when the interval is one step
    return {
        **gap_junctions_two_neurons_figures(v, spikes, senders),
        "wfr_converged_change_mV": float(np.max(np.abs(tight[:n] - v))),
    }


def _tsodyks_facilitation_run(dc_amp: float) -> dict:
    """The original's two iaf_tum_2000 neurons with the given DC amplitude [pA]."""
    nest = _nest()
    dc = nest.Create("dc_generator", params={"amplitude": dc_amp, "start": 50.0, "stop": 1050.0})
    nrns = nest.Create(
        "iaf_tum_2000",
        2,
        params={
            "C_m": 60.0,
            "tau_m": 60.0,
            "tau_syn_ex": 1.5,
            "tau_syn_in": 1.5,
            "V_th": 15.0,
            "V_reset": 0.0,
            "E_L": 0.0,
            "V_m": 0.0,
            "t_ref": 2.0,
            "U": 0.03,
            "tau_psc": 1.5,
            "tau_rec": 130.0,
            "tau_fac": 530.0,
            "x": 1.0,
            "u": 0.0,
        },
    )
    nest.Connect(dc, nrns[0])
    nest.Connect(
        nrns[0],
        nrns[1],
        syn_spec={
            "synapse_model": "static_synapse",
            "weight": 1540.0,
            "delay": 0.1,
            "receptor_type": 1,
        },
    )
    vm = nest.Create("voltmeter", params={"interval": 1.0})
    nest.Connect(vm, nrns[1])
    # in steps: iaf_tum_2000 sends u x in the spike's offset field, which a recorder in ms
    # subtracts from the spike's time
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(nrns[0], sr)
    nest.Simulate(1200.0)
    steps = sr.events["times"]
    return {"v_mV": vm.events["V_m"].tolist(), "spikes_ms": (steps * 0.1).tolist()}


def tsodyks_facilitation(seed: int) -> dict:
    """pynest/examples/iaf_tum_2000_short_term_facilitation.py: V_m of the second neuron, with
    the original's DC amplitude and with it lowered by a relative 1e-9 ("nudged_" figures)."""
    tau_m, c_m, v_th, t_ref = 60.0, 60.0, 15.0, 2.0
    dc_amp = v_th * c_m / tau_m / (1 - np.exp(-(50.0 - t_ref) / tau_m))
    nudged = _tsodyks_facilitation_run(dc_amp * (1 - TSODYKS_FACILITATION_NUDGE))
    return {
        **_tsodyks_facilitation_run(dc_amp),
        **{f"nudged_{key}": value for key, value in nudged.items()},
    }


def gap_junctions_inhibitory_network(seed: int) -> dict:
    """pynest/examples/gap_junctions_inhibitory_network.py: the mean rate and the synchrony of
    the population (the original's settings, gap weight 0.3 nS; two virtual processes instead
    of eight; ``nest.rng_seed`` and numpy's seed, 1 in the original, set to ``seed``)."""
    nest = _nest()
    nest.rng_seed = seed
    rng = np.random.RandomState(seed)
    nest.resolution = 0.05
    nest.total_num_virtual_procs = 2
    nest.set(
        use_wfr=True,
        wfr_comm_interval=1.0,
        wfr_tol=0.0001,
        wfr_max_iterations=15,
        wfr_interpolation_order=3,
    )
    neurons = nest.Create("hh_psc_alpha_gap", 500)
    sr = nest.Create("spike_recorder")
    pg = nest.Create("poisson_generator", params={"rate": 500.0})
    conn = {"rule": "fixed_indegree", "indegree": 50, "allow_autapses": False}
    conn["allow_multapses"] = True
    nest.Connect(neurons, neurons, conn, {"weight": -50.0, "delay": 1.0})
    nest.Connect(pg, neurons, "all_to_all", syn_spec={"weight": 300.0, "delay": 1.0})
    nest.Connect(neurons, sr)
    neurons.V_m = nest.random.uniform(min=-80.0, max=-40.0)
    pairs = rng.choice(neurons.tolist(), [500 * 60 // 2, 2])
    for source, target in pairs:
        nest.Connect(
            nest.NodeCollection([source]),
            nest.NodeCollection([target]),
            {"rule": "one_to_one", "make_symmetric": True},
            {"synapse_model": "gap_junction", "weight": 0.3},
        )
    nest.Simulate(501.0)
    return gap_junctions_inhibitory_network_figures(sr.events["times"])


def one_neuron(seed: int) -> dict:
    """pynest/examples/one_neuron.py: V_m every ms, and the spikes (not recorded by the
    original)."""
    nest = _nest()
    neuron = nest.Create("iaf_psc_alpha")
    voltmeter = nest.Create("voltmeter")
    neuron.I_e = 376.0
    nest.Connect(voltmeter, neuron)
    sr = nest.Create("spike_recorder")
    nest.Connect(neuron, sr)
    nest.Simulate(1000.0)
    return {"v_mV": voltmeter.events["V_m"].tolist(), "spikes_ms": sr.events["times"].tolist()}


def testiaf(seed: int) -> dict:
    """pynest/examples/testiaf.py: spikes and V_m every ms at the three resolutions."""
    out = {}
    for dt in [0.1, 0.5, 1.0]:
        nest = _nest()
        nest.local_num_threads = 1
        nest.resolution = dt
        neuron = nest.Create("iaf_psc_alpha")
        neuron.I_e = 376.0
        vm = nest.Create("voltmeter")
        sr = nest.Create("spike_recorder")
        nest.Connect(vm, neuron)
        nest.Connect(neuron, sr)
        nest.Simulate(1000.0)
        out[f"{dt}"] = {"v_mV": vm.events["V_m"].tolist(), "spikes_ms": sr.events["times"].tolist()}
    return out


def gapjunctions(seed: int) -> dict:
    """examples/synapses/gapjunctions.py (Brian2): v of neurons 0 and 5 every ms, spike times."""
    import brian2 as b

    b.start_scope()
    ns = {"v0": 1.05, "tau": 10 * b.ms, "n": GAP_N}
    neurons = b.NeuronGroup(
        GAP_N,
        "dv/dt = (v0 - v + Igap) / tau : 1\nIgap : 1",
        threshold="v > 1",
        reset="v = 0",
        method="exact",
        namespace=ns,
    )
    neurons.v = "i * 1.0 / (n-1)"
    syn = b.Synapses(neurons, neurons, "w : 1\nIgap_post = w * (v_pre - v_post) : 1 (summed)")
    syn.connect()
    syn.w = 0.02
    spikes = b.SpikeMonitor(neurons)  # not in the original: the spike times
    trace = b.StateMonitor(neurons, "v", record=GAP_RECORDED)
    b.run(GAP_DURATION * b.second)
    v = np.vstack([np.asarray(trace.v).T[1:], np.asarray(neurons.v)[GAP_RECORDED][None, :]])
    return gap_figures(v, np.asarray(spikes.t / b.ms), np.asarray(spikes.i))


def coupled_oscillators(seed: int) -> dict:
    """examples/coupled_oscillators.py (Brian2): r every second and late, for each K; at the
    original's seed also the phases every second and the initial state (other seeds leave
    them out: 4000 numbers each)."""
    import brian2 as b

    b.prefs.codegen.target = "cython"  # 10 000 steps of 10 000 summed terms, four times
    b.defaultclock.dt = 1 * b.ms
    out = {}
    for k in KURAMOTO_K:
        b.start_scope()
        b.seed(seed)  # as the original's run_sim: the same initial state for every K
        oscillators = b.NeuronGroup(
            KURAMOTO_N,
            """dTheta/dt = omega + K/N*coupling : radian
            omega : radian/second (constant)
            coupling : 1""",
            method="euler",
            namespace={"K": k / b.second},
        )
        oscillators.Theta = "rand()*2*pi"
        oscillators.omega = "clip(0.5 + randn()*0.5, 0, inf)*radian/second"
        initial = (np.asarray(oscillators.Theta).tolist(), np.asarray(oscillators.omega).tolist())
        connections = b.Synapses(
            oscillators, oscillators, "coupling_post = sin(Theta_pre - Theta_post) : 1 (summed)"
        )
        connections.connect()
        mon = b.StateMonitor(oscillators, "Theta", record=True)
        b.run(KURAMOTO_DURATION * b.second)
        theta = np.vstack([np.asarray(mon.Theta).T[1:], np.asarray(oscillators.Theta)[None, :]])
        figures = kuramoto_figures(theta)
        if seed == KURAMOTO_SEED:
            out["initial"] = initial
        else:
            del figures["theta"]
        out[f"K={k:g}"] = figures
    return out


def tsodyks_uziel_markram_2000(seed: int) -> dict:
    """examples/frompapers/Tsodyks_Uziel_Markram_2000.py (Brian2): rates, population bursts and
    the E->E synapses' mean x, after the burn-in (numpy and Brian2 both seeded with ``seed``;
    the original seeds numpy with 5)."""
    import brian2 as b
    import scipy.stats

    b.start_scope()
    b.prefs.codegen.target = "cython"  # 25 000 clock-driven synapses, 5100 steps
    b.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (the original's draws: numpy's global generator)
    ms, mv = b.ms, b.mV

    def truncated_normal(loc, scale, bounds, size):
        bounds = np.array([bounds] * size)
        return scipy.stats.truncnorm.rvs(
            (bounds[:, 0] - loc) / scale, (bounds[:, 1] - loc) / scale, loc=loc, scale=scale
        )

    def population(name, n, tau_refrac):
        neurons = b.NeuronGroup(
            n,
            """
            tau_mem : second
            tau_refrac : second
            v_reset : volt
            v_thresh : volt
            I_syn_ee_synapses : volt
            I_syn_ei_synapses : volt
            I_syn_ie_synapses : volt
            I_syn_ii_synapses : volt
            I_b : volt
            dv/dt = -v/tau_mem + (I_syn_ee_synapses + I_syn_ei_synapses +
                                  I_syn_ie_synapses + I_syn_ii_synapses)/tau_mem
                               + I_b/tau_mem : volt (unless refractory)
            """,
            threshold="v>v_thresh",
            reset="v=v_reset",
            refractory=tau_refrac,
            method="exact",
            name=name,
        )
        neurons.tau_mem = 30 * ms
        neurons.v_thresh = 15 * mv
        neurons.v_reset = 13.5 * mv
        neurons.I_b = np.random.uniform(15 - 0.5, 15 + 0.5, size=n) * mv  # noqa: NPY002
        return neurons

    def synapses(name, source, target, tau_i, a, u, tau_rec, tau_facil=None):
        eqs = f"""
        A : volt
        U : 1
        tau_I : second
        tau_rec : second
        dx/dt =  z/tau_rec : 1 (clock-driven)
        dy/dt = -y/tau_I   : 1 (clock-driven)
        z = 1 - x - y      : 1
        I_syn_{name}_post = A*y : volt (summed)
        """
        if tau_facil:
            eqs += "du/dt = -u/tau_facil : 1 (clock-driven)\ntau_facil : second\n"
            action = "u += U*(1-u)\ny += u*x\nx += -u*x"
        else:
            action = "y += U*x\nx += -U*x"
        syn = b.Synapses(source, target, model=eqs, on_pre=action, method="exact", name=name)
        syn.connect(p=0.1)
        n = len(syn)
        syn.tau_I = tau_i
        a_min, a_max = min(0.2 * a, 2 * a), max(0.2 * a, 2 * a)
        syn.A = truncated_normal(a / mv, 0.5 * abs(a / mv), [a_min / mv, a_max / mv], n) * mv
        u_mean, u_min, u_max = u
        syn.U = truncated_normal(u_mean, 0.5 * u_mean, [u_min, u_max], n)
        syn.tau_rec = truncated_normal(tau_rec / ms, 0.5 * tau_rec / ms, [5, np.inf], n) * ms
        if tau_facil:
            syn.tau_facil = (
                truncated_normal(tau_facil / ms, 0.5 * tau_facil / ms, [5, np.inf], n) * ms
            )
        syn.x = 1
        return syn

    exc = population("exc_neurons", 400, 3 * ms)
    inh = population("inh_neurons", 100, 2 * ms)
    ee = synapses("ee_synapses", exc, exc, 3 * ms, 1.8 * mv, [0.5, 0.1, 0.9], 800 * ms)
    ei = synapses(
        "ei_synapses", exc, inh, 3 * ms, 7.2 * mv, [0.04, 0.001, 0.07], 100 * ms, 1 * b.second
    )
    ie = synapses("ie_synapses", inh, exc, 3 * ms, -5.4 * mv, [0.5, 0.1, 0.9], 800 * ms)
    ii = synapses(
        "ii_synapses", inh, inh, 3 * ms, -7.2 * mv, [0.04, 0.001, 0.07], 100 * ms, 1 * b.second
    )
    net = b.Network(exc, inh, ee, ei, ie, ii)  # not the magic network: these live in a helper
    b.defaultclock.dt = 1 * ms
    net.run(TUM_BURN_IN * b.second)
    spikes_e, spikes_i = b.SpikeMonitor(exc), b.SpikeMonitor(inh)
    x_ee = b.StateMonitor(ee, ["x"], record=True)
    net.add(spikes_e, spikes_i, x_ee)
    net.run(TUM_DURATION * b.second)
    times = np.concatenate([np.asarray(spikes_e.t / ms), np.asarray(spikes_i.t / ms)])
    senders = np.concatenate([np.asarray(spikes_e.i), np.asarray(spikes_i.i) + 400])
    return tum_figures(times, senders, np.asarray(x_ee.x).mean(axis=0), TUM_BURN_IN / 1e-3)


def spike_based_homeostasis(seed: int) -> dict:
    """examples/synapses/spike_based_homeostasis.py (Brian2): both neurons' rates and the
    plastic weight at the end of each 10 s epoch."""
    import brian2 as b

    b.start_scope()
    b.prefs.codegen.target = "cython"  # 400 000 steps
    b.seed(seed)
    b.defaultclock.dt = 0.1 * b.ms
    # the TimedArrays are found by name (Brian2 reads the strings' names from this frame)
    steady_stimulus = b.TimedArray([50] * b.Hz, dt=40 * b.second)  # noqa: F841
    steady = b.PoissonGroup(1, rates="steady_stimulus(t)")
    varying_stimulus = b.TimedArray(  # noqa: F841
        [25 * b.Hz, 50 * b.Hz, 0 * b.Hz, 35 * b.Hz, 0 * b.Hz], dt=10 * b.second
    )
    varying = b.PoissonGroup(1, rates="varying_stimulus(t)")
    ns = {"tau": 10 * b.ms, "dw_plus": 0.05, "dw_minus": 0.05, "w_max": 2, "w_initial": 0}
    eqs = "dv/dt = (0 - v)/tau : 1 (unless refractory)"
    kw = {"threshold": "v > 1", "reset": "v = -1", "method": "euler", "refractory": 1 * b.ms}
    with_h = b.NeuronGroup(1, eqs, namespace=ns, **kw)
    without_h = b.NeuronGroup(1, eqs, namespace=ns, **kw)
    plastic = b.Synapses(
        steady,
        with_h,
        "w : 1",
        on_pre="v_post += w\nw = clip(w + dw_plus, 0, w_max)",
        on_post="w = clip(w - dw_minus, 0, w_max)",
        namespace=ns,
    )
    plastic.connect()
    plastic.w = ns["w_initial"]
    static_without = b.Synapses(varying, without_h, "w : 1", on_pre="v_post += w")
    static_without.connect()
    static_without.w = 2
    static_with = b.Synapses(varying, with_h, "w : 1", on_pre="v_post += w")
    static_with.connect()
    static_with.w = 2
    spikes_with, spikes_without = b.SpikeMonitor(with_h), b.SpikeMonitor(without_h)  # rates
    weights = []
    for _ in HOMEOSTASIS_RATES:  # the original's one 40 s run, read every 10 s
        b.run(HOMEOSTASIS_EPOCH * b.second)
        weights.append(float(plastic.w[0]))
    spikes = [np.asarray(m.t / b.second) for m in (spikes_with, spikes_without)]
    return homeostasis_figures(spikes, weights)


def state_variables(seed: int) -> dict:
    """examples/synapses/state_variables.py (Brian2): v around its sine, the weight matrix."""
    import brian2 as b

    b.start_scope()
    b.seed(seed)
    group = b.NeuronGroup(STATE_VARIABLES_N, "v:volt", threshold="v>-50*mV")
    group.v = "(sin(2*pi*i/N) - 70 + 0.25*randn()) * mV"
    ns = {"space_constant": STATE_VARIABLES_SPACE}
    syn = b.Synapses(group, group, "w : volt", on_pre="v += w", namespace=ns)
    syn.connect()
    syn.w["i > j"] = "exp(-(i - j)**2/space_constant) * mV"
    matrix = np.zeros((STATE_VARIABLES_N, STATE_VARIABLES_N))
    matrix[syn.i[:], syn.j[:]] = np.asarray(syn.w[:])
    return state_variables_figures(np.asarray(group.v), matrix)


def sensitivity_to_perturbation(seed: int) -> dict:
    """pynest/examples/sensitivity_to_perturbation.py: the two trials' spikes (to T) reduced
    to the rate, their agreement before the extra spike and the spikes that differ after it;
    ``seed`` is both the NEST and the NumPy seed (the original's are 30). The original seeds
    NEST after connecting, so its connectivity is that of NEST's default seed whatever its
    seed; here the seed comes first and draws the connectivity too, as snn's does (a seed
    ensemble over networks on both sides)."""
    trials = []
    for trial in [0, 1]:
        nest = _nest()
        nest.resolution = 0.01
        nest.rng_seed = seed
        ex = nest.Create("iaf_psc_delta", 1000)
        inh = nest.Create("iaf_psc_delta", 250)
        nodes = ex + inh
        nest.Connect(
            ex, nodes, {"rule": "fixed_indegree", "indegree": 100}, {"weight": 0.5, "delay": 0.01}
        )
        nest.Connect(
            inh, nodes, {"rule": "fixed_indegree", "indegree": 25}, {"weight": -3.0, "delay": 0.01}
        )
        ext = nest.Create("poisson_generator", params={"rate": 6500.0, "stop": 1000.0})
        nest.Connect(ext, nodes, syn_spec={"weight": 0.2, "delay": 0.01})
        suppr = nest.Create(
            "dc_generator", params={"amplitude": -1e16, "start": 1000.0, "stop": 1000.2}
        )
        nest.Connect(suppr, nodes)
        sr = nest.Create("spike_recorder")
        nest.Connect(nodes, sr)
        stimulus = nest.Create("spike_generator")
        # the original's draws (numpy's global generator), E_L to V_th
        nodes.V_m = -70.0 + 15.0 * np.random.RandomState(seed).rand(1250)
        if trial == 1:
            t0, i0 = trials[0]
            target = nodes[int(i0[t0 > PERTURBATION_T_STIM * 1e3][0])]
            nest.Connect(stimulus, target, syn_spec={"weight": 0.2, "delay": 0.01})
            stimulus.spike_times = [PERTURBATION_T_STIM * 1e3]
        nest.Simulate(1000.0)
        nest.Simulate(0.2)
        ev = sr.events
        trials.append((ev["times"], ev["senders"] - nodes[0].global_id))
    return perturbation_figures(*trials[0], *trials[1])


def recording_demo(seed: int) -> dict:
    """pynest/examples/recording_demo.py: the memory backend's spikes (the ascii backend writes
    the same events to a file; ``time_in_steps`` only changes their units), and an added
    spike recorder and multimeter with the window ``start``, ``stop`` of the port."""
    nest = _nest()
    nest.rng_seed = seed
    n = nest.Create("iaf_psc_exp")
    pg = nest.Create("poisson_generator", 1, {"rate": 1000000.0})
    sr = nest.Create("spike_recorder", 1, {"record_to": "memory", "time_in_steps": False})
    nest.Connect(pg, n, syn_spec={"weight": 10.0})
    nest.Connect(n, sr)
    start, stop = (w * 1e3 for w in RECORDING_WINDOW)
    windowed = nest.Create("spike_recorder", 1, {"start": start, "stop": stop})
    nest.Connect(n, windowed)
    mm = nest.Create("multimeter", 1, {"record_from": ["V_m"], "start": start, "stop": stop})
    nest.Connect(mm, n)
    nest.Simulate(30.0)
    ev = mm.events
    return recording_figures(sr.events["times"], windowed.events["times"], ev["times"], ev["V_m"])


def evaluate_quantal_stp_synapse(seed: int) -> dict:
    """pynest/examples/evaluate_quantal_stp_synapse.py: the voltmeters' traces averaged over
    the cycles, their RMS difference and the driven neuron's spikes (not recorded by the
    original), over the port's number of cycles instead of 500."""
    nest = _nest()
    nest.resolution = 0.1
    nest.rng_seed = seed
    params = {"U": 0.02, "u": 0.02, "tau_fac": 500.0, "tau_rec": 200.0, "weight": 1.0}
    tsyn_params = params  # the original's aliasing: x below is written into both dicts...
    qsyn_params = tsyn_params.copy()  # ...after this copy, so only tsodyks2 gets x = U
    tsyn_params["x"] = tsyn_params["U"]
    qsyn_params["n"] = 10
    qsyn_params["weight"] = 1.0 / 10
    pre, tsyn, qsyn = nest.Create("iaf_psc_exp", params={"tau_syn_ex": 3.0}, n=3)
    vm_t, vm_q = nest.Create("voltmeter", params={"start": 1500.0, "interval": 0.1}, n=2)
    nest.Connect(pre, tsyn, syn_spec={"synapse_model": "tsodyks2_synapse", **tsyn_params})
    nest.SetDefaults("quantal_stp_synapse", qsyn_params)
    nest.Connect(pre, qsyn, syn_spec={"synapse_model": "quantal_stp_synapse"})
    nest.Connect(vm_t, tsyn)
    nest.Connect(vm_q, qsyn)
    sr = nest.Create("spike_recorder")
    nest.Connect(pre, sr)
    with nest.RunManager():
        for _ in range(QUANTAL_N_TRIALS + 1):
            pre.I_e = 376.0
            nest.Run(500.0)
            pre.I_e = 0.0
            nest.Run(1000.0)
    nest.Simulate(nest.resolution)
    v_t, v_q = vm_t.get("events", "V_m"), vm_q.get("events", "V_m")
    return quantal_figures(v_t, v_q, sr.events["times"], QUANTAL_N_TRIALS)


def rothman_manis_2003(seed: int) -> dict:
    """examples/frompapers/Rothman_Manis_2003.py (Brian2): V of each type during the step."""
    import brian2 as b

    out = {}
    for kind in ROTHMAN_MANIS_TYPES:
        b.start_scope()
        b.defaultclock.dt = 0.1 * b.ms
        ns = {**ROTHMAN_MANIS_COMMON, **rothman_manis_conductances(kind)}
        ns = {k: v * _brian2_unit(b, k) for k, v in ns.items()}
        neuron = b.NeuronGroup(1, ROTHMAN_MANIS_EQUATIONS, method="exponential_euler", namespace=ns)
        neuron.v = ns["El"]
        b.run(50 * b.ms)
        mon = b.StateMonitor(neuron, "v", record=0)
        neuron.I = 250 * b.pA
        b.run(100 * b.ms)
        out[kind] = rothman_manis_figures(np.asarray(mon.v[0]) / 1e-3)
    return out


def clopath_2010(seed: int) -> dict:
    """examples/frompapers/Clopath_et_al_2010_no_homeostasis.py (Brian2): final weights by rate.

    The original's model and protocol, each rate from fresh objects (as the port). Brian2's
    numpy target: its on_post reads ``v_lowpass2_post`` after the statement before it raised it
    by 10 mV, as the statements say; the Cython target (the default) reads the value before it
    (pre-post weights 100.1-111.8 % instead of 115.5-132.1 %).
    """
    import brian2 as b

    b.prefs.codegen.target = "numpy"

    ns = {
        **{k: v * (b.second if k == "taux" else b.volt if k == "Theta_low" else 1)
           for k, v in CLOPATH_PARAMETERS.items()},
        "ampa_max_cond": CLOPATH_PARAMETERS["ampa_max_cond"] * b.siemens,
        "x_reset": 1.0, "V_rest": -70 * b.mV, "V_thresh": -50 * b.mV, "gleak": 30 * b.nS,
        "C": 300 * b.pF, "tau_AMPA": 2 * b.ms, "E_AMPA": 0 * b.mV, "tau_lowpass1": 40 * b.ms,
        "tau_lowpass2": 30 * b.ms,
    }  # fmt: skip
    eqs = CLOPATH_EQUATIONS + "dx_trace/dt = -x_trace/taux :1\n"
    pre = """
    g_ampa_post += w_ampa*ampa_max_cond
    w_minus = A_LTD*(v_lowpass1_post/mV - Theta_low/mV)*int(v_lowpass1_post/mV - Theta_low/mV > 0)
    w_ampa = clip(w_ampa-w_minus,0,w_max)
    """
    post = """
    v_lowpass1 += 10*mV
    v_lowpass2 += 10*mV
    w_plus = A_LTP*x_trace_pre*(v_lowpass2_post/mV - Theta_low/mV)*int(v_lowpass2_post/mV - Theta_low/mV > 0)
    w_ampa = clip(w_ampa+w_plus,0,w_max)
    """  # noqa: E501 (the original's line)
    result: list[list[float]] = [[], []]
    for rate in CLOPATH_RATES_HZ:
        b.start_scope()
        b.defaultclock.dt = 0.1 * b.ms
        nrns = b.NeuronGroup(
            2, eqs, threshold="v>V_thresh", reset="v=V_rest;x_trace+=x_reset/(taux/ms)",
            method="euler", namespace=ns,
        )  # fmt: skip
        syn = b.Synapses(nrns, nrns, model="w_ampa:1", on_pre=pre, on_post=post, namespace=ns)
        syn.connect("i!=j")
        net = b.Network(nrns, syn)
        nrns.v = ns["V_rest"]
        nrns.v_lowpass1 = ns["V_rest"]
        nrns.v_lowpass2 = ns["V_rest"]
        syn.w_ampa = CLOPATH_W_INIT
        for _ in range(CLOPATH_REPS):
            nrns.v[0] = ns["V_thresh"] + 1 * b.mV
            net.run(10 * b.ms)
            nrns.v[1] = ns["V_thresh"] + 1 * b.mV
            net.run(1.0 / rate * b.second - 10 * b.ms)
        for k in (0, 1):
            result[k].append(100.0 * float(syn.w_ampa[k]) / CLOPATH_W_INIT)
    return clopath_figures(result[0], result[1])


def izhikevich_2007(seed: int) -> dict:
    """examples/frompapers/Izhikevich_2007.py (Brian2): s, c and d every 10 ms, spike times.

    The original's network, numpy target (deterministic): ``"original"``; and the same with the
    STDP synapse's postsynaptic pathway delayed by one step (``"post_delay_dt"``), where snn's
    postsynaptic spikes reach the synapse (NEST's convention with its shortest delay).
    """
    return {
        "original": _izhikevich_2007_run(0.0),
        "post_delay_dt": _izhikevich_2007_run(0.1),
    }


def _izhikevich_2007_run(post_delay_ms: float) -> dict:
    """One run of :func:`izhikevich_2007`; samples at each 10 ms mark (the state there)."""
    import brian2 as b

    b.start_scope()
    b.prefs.codegen.target = "numpy"
    b.defaultclock.dt = 0.1 * b.ms
    ns = {
        "taum": 10 * b.ms, "Ee": 0 * b.mV, "vt": -54 * b.mV, "vr": -60 * b.mV,
        "El": -74 * b.mV, "taue": 5 * b.ms, "taupre": 20 * b.ms, "taupost": 20 * b.ms,
        "gmax": IZH2007_GMAX, "dApre": IZH2007_D_APRE, "dApost": IZH2007_D_APOST,
        "tauc": 1000 * b.ms, "taud": 200 * b.ms, "taus": 1 * b.ms,
        "epsilon_dopa": IZH2007_EPSILON_DOPA,
    }  # fmt: skip
    spike_input = b.SpikeGeneratorGroup(2, IZH2007_INPUT_INDICES, IZH2007_INPUT_TIMES * b.second)
    neurons = b.NeuronGroup(
        2, "dv/dt = (ge * (Ee-v) + El - v) / taum : volt\ndge/dt = -ge / taue : 1",
        threshold="v>vt", reset="v = vr", method="euler", namespace=ns,
    )  # fmt: skip
    neurons.v = ns["vr"]
    spikes = b.SpikeMonitor(neurons)
    synapse = b.Synapses(spike_input, neurons, model="s: volt", on_pre="v += s")
    synapse.connect(i=[0, 1], j=[0, 1])
    synapse.s = 100.0 * b.mV
    stdp = b.Synapses(
        neurons, neurons,
        model="""mode: 1
                 dc/dt = -c / tauc : 1 (clock-driven)
                 dd/dt = -d / taud : 1 (clock-driven)
                 ds/dt = mode * c * d / taus : 1 (clock-driven)
                 dApre/dt = -Apre / taupre : 1 (event-driven)
                 dApost/dt = -Apost / taupost : 1 (event-driven)""",
        on_pre="""ge += s
                  Apre += dApre
                  c = clip(c + mode * Apost, -gmax, gmax)
                  s = clip(s + (1-mode) * Apost, -gmax, gmax)""",
        on_post="""Apost += dApost
                   c = clip(c + mode * Apre, -gmax, gmax)
                   s = clip(s + (1-mode) * Apre, -gmax, gmax)""",
        method="euler", namespace=ns,
    )  # fmt: skip
    stdp.connect(i=0, j=1)
    stdp.post.delay = post_delay_ms * b.ms
    stdp.mode = 0
    stdp.s = 1e-10
    stdp.c = 1e-10
    stdp.d = 0
    mon = b.StateMonitor(stdp, ["s", "c", "d"], record=[0])
    dopamine = b.SpikeGeneratorGroup(1, [0, 0, 0], IZH2007_DOPAMINE_TIMES * b.second)
    reward = b.Synapses(dopamine, stdp, on_pre="d_post += epsilon_dopa", method="exact",
                        namespace=ns)  # fmt: skip
    reward.connect()
    net = b.Network(spike_input, neurons, spikes, synapse, stdp, mon, dopamine, reward)
    net.run(IZH2007_DURATION / 2 * b.second)
    stdp.mode = 1
    net.run(IZH2007_DURATION / 2 * b.second)
    # the monitor records at each step's start: row k is the state at k dt; the last mark
    # (the end of the run) is the final state
    steps = np.arange(1, round(IZH2007_DURATION / 0.01)) * 100
    final = {"s": stdp.s[0], "c": stdp.c[0], "d": stdp.d[0]}
    return {
        "t_s": [*np.asarray(mon.t)[steps].tolist(), float(net.t)],
        **{
            k: [*(np.asarray(getattr(mon, k)[0])[steps] / IZH2007_GMAX), final[k] / IZH2007_GMAX]
            for k in "scd"
        },
        "spikes_ms": [(np.asarray(spikes.t[spikes.i == k]) * 1e3).tolist() for k in range(2)],
    }


def _brian2_unit(b, name: str):
    """Brian2's unit of a Rothman-Manis constant (snn holds them in SI floats)."""
    if name in ("C",):
        return b.farad
    if name in ("Eh", "EK", "El", "ENa"):
        return b.volt
    if name.startswith("g"):
        return b.siemens
    return 1


def artificial_synchrony(seed: int) -> dict:
    """pynest/examples/artificial_synchrony.py (NEST): the grid half, three strengths, 2 s."""
    out = {}
    for strength in SYNCHRONY_STRENGTHS_PA:
        nest = _nest()
        nest.SetKernelStatus({"tics_per_ms": 32, "resolution": 1.0 / 32})
        params = {
            "C_m": 250.0, "E_L": 0.0, "I_e": 575.0, "tau_m": 10.0, "tau_syn_ex": 1.648,
            "V_reset": 0.0, "V_th": 20.0, "t_ref": 0.25,
        }  # fmt: skip
        nodes = nest.Create("iaf_psc_alpha", 128, params=params)
        nodes.V_m = (synchrony_initial_potentials() / 1e-3).tolist()
        nest.Connect(
            nodes,
            nodes,
            {"rule": "all_to_all", "allow_autapses": True},
            {"weight": strength, "delay": 0.25},
        )
        meter = nest.Create("voltmeter", params={"interval": 1.0})
        nest.Connect(meter, nodes)
        recorder = nest.Create("spike_recorder")
        nest.Connect(nodes, recorder)
        nest.Simulate(SYNCHRONY_DURATION * 1e3)
        ev = meter.events
        times, senders = np.asarray(ev["times"]), np.asarray(ev["senders"]) - nodes[0].global_id
        start = SYNCHRONY_WINDOW_START * 1e3
        grid = np.arange(start, SYNCHRONY_DURATION * 1e3)  # [1000, 2000) ms
        v = np.full((grid.size, 128), np.nan)
        keep = (times >= start) & (times < SYNCHRONY_DURATION * 1e3)
        v[np.searchsorted(grid, times[keep]), senders[keep]] = np.asarray(ev["V_m"])[keep]
        spikes = recorder.events
        out[f"{strength:g}"] = synchrony_figures(
            v, spikes["times"], np.asarray(spikes["senders"]) - nodes[0].global_id
        )
    return out


EXAMPLES = {
    "twoneurons": twoneurons,
    "one_neuron_with_noise": one_neuron_with_noise,
    "vinit_example": vinit_example,
    "balancedneuron": balancedneuron,
    "brody_hopfield": brody_hopfield,
    "if_curve_lif": if_curve_lif,
    "adaptive_threshold": adaptive_threshold,
    "brunel_hakim": brunel_hakim,
    "licklider": licklider,
    "sinusoidal_poisson_generator": sinusoidal_poisson_generator,
    "izhikevich_2003": izhikevich_2003,
    "phase_locking": phase_locking,
    "reliability": reliability,
    "brette_gerstner_fig_3d": brette_gerstner_fig_3d,
    "gif_population": gif_population,
    "tsodyks_depression": tsodyks_depression,
    "touboul_brette_2008": touboul_brette_2008,
    "nonlinear_synapses": nonlinear_synapses,
    "if_curve": if_curve,
    "repeated_stimulation": repeated_stimulation,
    "morris_lecar_1981": morris_lecar_1981,
    "wang_buzsaki_1996": wang_buzsaki_1996,
    "hindmarsh_rose_1984": hindmarsh_rose_1984,
    "brette_2004": brette_2004,
    "naud_2008": naud_2008,
    "non_reliability": non_reliability,
    "evaluate_tsodyks2_synapse": evaluate_tsodyks2_synapse,
    "brunel_alpha_nest": brunel_alpha_nest,
    "brette_gerstner_fig_2c": brette_gerstner_fig_2c,
    "hh_psc_alpha": hh_psc_alpha,
    "ornstein_uhlenbeck": ornstein_uhlenbeck,
    "stdp_song_abbott": stdp_song_abbott,
    "platkiewicz_brette_2011": platkiewicz_brette_2011,
    "tsodyks_pawelzik_markram_1998": tsodyks_pawelzik_markram_1998,
    "brunel_exp_multisynapse_nest": brunel_exp_multisynapse_nest,
    "campbell_siegert": campbell_siegert,
    "gap_junctions_two_neurons": gap_junctions_two_neurons,
    "tsodyks_facilitation": tsodyks_facilitation,
    "gap_junctions_inhibitory_network": gap_junctions_inhibitory_network,
    "one_neuron": one_neuron,
    "testiaf": testiaf,
    "gapjunctions": gapjunctions,
    "coupled_oscillators": coupled_oscillators,
    "tsodyks_uziel_markram_2000": tsodyks_uziel_markram_2000,
    "spike_based_homeostasis": spike_based_homeostasis,
    "state_variables": state_variables,
    "sensitivity_to_perturbation": sensitivity_to_perturbation,
    "recording_demo": recording_demo,
    "evaluate_quantal_stp_synapse": evaluate_quantal_stp_synapse,
    "multimeter_file": multimeter_file,
    "continuous_interaction": continuous_interaction,
    "if_curve_hodgkin_huxley": if_curve_hodgkin_huxley,
    "aeif_cond_beta_multisynapse": aeif_cond_beta_multisynapse,
    "precise_spiking": precise_spiking,
    "rothman_manis_2003": rothman_manis_2003,
    "artificial_synchrony": artificial_synchrony,
    "clopath_2010": clopath_2010,
    "izhikevich_2007": izhikevich_2007,
}


def main() -> None:
    """Print the figures of one example for each seed given (default: seed 1)."""
    name, *seeds = sys.argv[1:]
    func = EXAMPLES[name]
    for seed in [int(s) for s in seeds] or [1]:
        figures = func(seed)
        if func.__doc__.startswith("pynest/"):
            import nest

            peer = f"nest {nest.__version__}"
        else:
            import brian2

            peer = f"brian2 {brian2.__version__}"
        print(json.dumps({"example": name, "peer": peer, "seed": seed, "figures": figures}))


if __name__ == "__main__":
    main()
