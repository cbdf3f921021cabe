"""Clock-driven variables of synapses that act at spikes (no summed variable; decision 0030).

Brian2 users write short-term plasticity and eligibility traces as per-synapse variables
integrated every step, ``dx/dt = (1 - x) / tau_rec : 1 (clock-driven)``, with ``on_pre`` sending
to the target (``v_post += w * u * x``) and no summed variable. snn advances such variables in a
per-step pass over each target block's synapses (the pass of continuous couplings, without the
sum) and runs ``on_pre`` and ``on_post`` as for any synapse acting at spikes.

References: Tsodyks & Markram (1997), PNAS 94:719-723, and Tsodyks, Pawelzik & Markram (1998),
Neural Comput. 10:821-835 (the model); Brian2 2.9's traces of the same text
(``tests/data/brian2/record_clock_driven.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV
from snn.equations import neuron_model, synapse_model
from snn.neurons import PoissonInput, SpikeSourceArray
from snn.synapses import AllToAll, FixedIndegree, OneToOne

BRIAN2 = np.load(Path(__file__).resolve().parents[1] / "data" / "brian2" / "clock_driven.npz")

STP_MODEL = """
w : volt
dx/dt = (1 - x) / tau_rec : 1 ({flag})
du/dt = (U - u) / tau_f : 1 ({flag})
U : 1 (shared)
tau_rec : second (shared)
tau_f : second (shared)
"""
STP_ON_PRE = "u += U * (1 - u)\nr = u * x\nx -= r\nv_post += w * r"
STP = synapse_model(
    "STP",
    STP_MODEL.format(flag="clock-driven"),
    on_pre=STP_ON_PRE,
    initial={"x": 1.0, "u": "U"},
)
#: the same synapse with event-driven variables (advanced exactly at each spike only)
STP_EVENTS = synapse_model(
    "STP_EVENTS",
    STP_MODEL.format(flag="event-driven"),
    on_pre=STP_ON_PRE,
    initial={"x": 1.0, "u": "U"},
)

MEMBRANE = neuron_model(
    "MEMBRANE", "dv/dt = -v / tau_m : volt\ntau_m : second", on_spike={"syn": "v += w"}
)


def stp_pair(model: type, times: np.ndarray, **params: float) -> tuple[Network, object, object]:
    """One source firing at ``times`` [s] through one ``model`` synapse onto a membrane."""
    net = Network(dt=0.1 * ms, seed=1)
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(times.size, int)), 1)
    post = net.add_population(MEMBRANE(tau_m=float(BRIAN2["tau_m_ms"]) * ms), 1)
    syn = model(
        U=float(BRIAN2["U"]),
        tau_rec=float(BRIAN2["tau_rec_ms"]) * ms,
        tau_f=float(BRIAN2["tau_f_ms"]) * ms,
        **params,
    )
    proj = net.connect(src, post, rule=AllToAll(), weight=float(BRIAN2["w_mV"]) * mV,
                       delay=0.1 * ms, synapse=syn)  # fmt: skip
    return net, post, proj


def brian2_times() -> np.ndarray:
    """Brian2's spike times [s] in snn's convention (stamped at the end of their step)."""
    return (np.floor(BRIAN2["times_ms"] / 0.1 + 1e-3) + 1) * 0.1 * ms


def test_brian2_text_integrated_exactly_every_step():
    assert STP.info.method == "exact"
    assert STP.clock_variables == ("x", "u")


def test_traces_match_brian2():
    """``u`` and ``x`` at every step agree with Brian2's (both integrate them exactly).

    The tolerance, 1e-12 on values of order 1, bounds the round-off of 4,500 steps; the
    measured difference is 8e-14. Brian2 records at the start of a step, snn after it: a row
    of each is compared at the same time.
    """
    net, _, proj = stp_pair(STP, brian2_times())
    mon = net.record_synapses(proj, ["u", "x"])
    net.run(float(BRIAN2["t_ms"][-1]) * ms)
    rec = mon.record()
    rows = np.rint(rec.times / (0.1 * ms)).astype(int)  # Brian2's row k is at k dt
    for name in ("u", "x"):
        ours, theirs = rec.values[name][:, 0], BRIAN2[name][rows]
        assert np.max(np.abs(ours - theirs)) < 1e-12, name
    # the synapse did change: ten spikes depress x to below a half, facilitate u above U
    assert BRIAN2["x"].min() < 0.5 and BRIAN2["u"].max() > 2 * float(BRIAN2["U"])


def test_clock_driven_equals_event_driven():
    """The linear variables advanced every step and advanced at events send the same values.

    The membranes agree to 1e-12 of their peak (round-off of the two integrations), and the
    clock-driven values at the end are the event-driven ones at the last spike advanced in
    closed form to the end.
    """
    times = brian2_times()
    end = 0.45
    out = {}
    for model in (STP, STP_EVENTS):
        net, post, proj = stp_pair(model, times)
        mon = net.record_state(post, "v")
        net.run(end)
        out[model.__name__] = (mon.record().values["v"][:, 0], proj.get("x")[0], proj.get("u")[0])
    v_clock, x_clock, u_clock = out["STP"]
    v_event, x_event, u_event = out["STP_EVENTS"]
    assert np.max(np.abs(v_clock - v_event)) < 1e-12 * np.max(np.abs(v_event))
    # the event-driven values are those right after the last spike (stamped times[-1])
    gap = end - times[-1]
    tau_rec, tau_f, U = (float(BRIAN2[k]) for k in ("tau_rec_ms", "tau_f_ms", "U"))
    assert x_clock == pytest.approx(1 - (1 - x_event) * np.exp(-gap / (tau_rec * ms)), rel=1e-12)
    assert u_clock == pytest.approx(U + (u_event - U) * np.exp(-gap / (tau_f * ms)), rel=1e-12)


def test_set_record_and_reset():
    """``set`` of a clock-driven variable between runs acts from the next step; ``reset``
    restores the initial values; the monitor samples the value of every step."""
    net, _, proj = stp_pair(STP, np.array([50.0]) * ms)
    mon = net.record_synapses(proj, "x")
    net.run(10 * ms)
    proj.set(x=0.25)
    net.run(10 * ms)
    rec = mon.record()
    tau_rec = float(BRIAN2["tau_rec_ms"]) * ms
    # from 0.25 at 10 ms, recovering with tau_rec: sample j after the set is at 10 ms + j dt
    after = rec.values["x"][100:, 0]
    steps = np.arange(1, after.size + 1) * 0.1 * ms
    assert after == pytest.approx(1 - 0.75 * np.exp(-steps / tau_rec), rel=1e-12)
    net.reset()
    assert proj.get("x")[0] == 1.0 and proj.get("u")[0] == float(BRIAN2["U"])


def test_clock_driven_variable_reads_the_target():
    """``dz/dt = (v_post - z) / tau_z`` low-passes a membrane held at 4 mV exactly:
    ``z(t) = 4 mV (1 - exp(-t / tau_z))`` (the exact method, ``v_post`` held over a step)."""
    lowpass = synapse_model(
        "LOWPASS",
        "w : volt\ndz/dt = (v_post - z) / tau_z : volt (clock-driven)\ntau_z : second (shared)",
        on_pre="v_post += w",
        defaults={"tau_z": 5 * ms},
    )
    held = neuron_model("HELD", "dv/dt = 0 * volt / second : volt", on_spike={"syn": "v += w"})
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[], indices=[]), 1)
    post = net.add_population(held(), 1, init={"v": 4 * mV})
    proj = net.connect(src, post, rule=AllToAll(), weight=1 * mV, delay=0.1 * ms,
                       synapse=lowpass())  # fmt: skip
    net.run(3 * ms)
    assert proj.get("z")[0] == pytest.approx(4 * mV * (1 - np.exp(-3 / 5)), rel=1e-12)


LIF = neuron_model(
    "LIF_STP",
    "dv/dt = (V_L - v) / tau_m : volt (unless refractory)\nV_L : volt\ntau_m : second",
    threshold="v > V_L + 20 * mV",
    reset="v = V_L + 10 * mV",
    refractory="2 * ms",
    on_spike={"syn": "v += w"},
    initial={"v": "V_L"},
    defaults={"V_L": -70 * mV, "tau_m": 20 * ms},
)
#: short-term plasticity, a noisy low-pass of the target's potential, and a weight change at
#: each postsynaptic spike that reads it (a synapse with every kind of clock-driven read)
PLASTIC_STP = synapse_model(
    "PLASTIC_STP",
    """
    w : volt
    dx/dt = (1 - x) / tau_rec : 1 (clock-driven)
    du/dt = (U - u) / tau_f : 1 (clock-driven)
    dz/dt = (v_post - z) / tau_z + mV * sqrt(2 / tau_z) * xi : volt (clock-driven)
    U : 1 (shared)
    tau_rec : second (shared)
    tau_f : second (shared)
    tau_z : second (shared)
    eta : 1 (shared)
    """,
    on_pre=STP_ON_PRE,
    on_post="w = clip(w + eta * (z + 60 * mV), 0 * mV, 2 * mV)",
    initial={"x": 1.0, "u": "U", "z": -70 * mV},
    defaults={"U": 0.3, "tau_rec": 80 * ms, "tau_f": 40 * ms, "tau_z": 10 * ms, "eta": 0.01},
)


def stp_network(threads: int = 1, parallel: bool | None = None):
    """200 LIF neurons with Poisson drive and recurrent plastic STP synapses with delays."""
    net = Network(dt=0.1 * ms, seed=5, threads=threads, parallel=parallel)
    pop = net.add_population(LIF(), 200, init={"v": Uniform(low=-70 * mV, high=-52 * mV)})
    net.add_drive(PoissonInput(rate=3000 * Hz, weight=0.5 * mV, receptor="syn"), pop)
    proj = net.connect(pop, pop, rule=FixedIndegree(indegree=20), weight=1 * mV,
                       delay=Uniform(low=0.5 * ms, high=3 * ms), synapse=PLASTIC_STP())  # fmt: skip
    return net, pop, net.record_spikes(pop), proj


def test_network_runs_in_one_step_slices_and_is_not_deferred():
    assert PLASTIC_STP.info.method == "euler"  # additive noise: Euler-Maruyama
    net, _, mon, proj = stp_network()
    net.run(0.05)
    assert net._slice_len() == 1 and not proj._deferred
    assert mon.n_spikes > 100
    # every kind of change happened: depressed, facilitated, low-passed, weights moved
    assert proj.get("x").min() < 0.9 and proj.get("u").max() > 0.3
    assert np.ptp(proj.get("z")) > 1 * mV and np.ptp(proj.weights()) > 0


def test_network_identical_on_one_and_two_threads(one_and_two_threads):
    (_, _, ref_mon, ref_proj), (_, _, _, proj) = one_and_two_threads(stp_network, 0.1)
    assert ref_mon.n_spikes > 300
    for name in ("x", "u", "z"):
        assert np.array_equal(ref_proj.get(name), proj.get(name))
    assert np.array_equal(ref_proj.weights(), proj.weights())


def test_store_restore_and_checkpoint_continue_exactly(continues_exactly):
    names = ["x", "u", "z", "weight"]
    continues_exactly(stp_network, names, [LIF, PLASTIC_STP], 0.03, 0.03, 0.02)


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations: about 20 s here
def test_network_identical_on_one_and_two_ranks(spikes_on_ranks):
    build = "from test_clock_driven_spikes import stp_network as b\nnet, pop, mon, proj = b()\n"
    assert spikes_on_ranks(build, Path(__file__).parent, 0.05) > 100


def test_per_synapse_parameters_refused():
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=[], indices=[]), 2)
    post = net.add_population(MEMBRANE(tau_m=10 * ms), 2)
    per_synapse = synapse_model(
        "PER_SYNAPSE",
        "w : volt\ndx/dt = (1 - x) / tau_rec : 1 (clock-driven)\ntau_rec : second",
        on_pre="v_post += w * x\nx = 0",
        initial={"x": 1.0},
    )
    with pytest.raises(ConfigurationError, match="has clock-driven synapse variables"):
        net.connect(src, post, rule=AllToAll(), weight=1 * mV, delay=0.1 * ms,
                    synapse=per_synapse(tau_rec=Uniform(low=50 * ms, high=100 * ms)))  # fmt: skip
    assert net.projections == []


#: an Ornstein-Uhlenbeck variable per synapse: stationary standard deviation ``sigma``
OU = synapse_model(
    "OU",
    """
    w : volt
    dx/dt = -x / tau + sigma * sqrt(2 / tau) * xi : 1 (clock-driven)
    tau : second (shared)
    sigma : 1 (shared)
    """,
    on_pre="v_post += w * x",
    defaults={"tau": 10 * ms, "sigma": 0.5},
)


def ou_values(seed: int, times: tuple[float, ...], threads: int = 1) -> list[np.ndarray]:
    """``x`` of 10,000 OU synapses (100 x 100, all-to-all) at ``times`` [s], from x = 0."""
    net = Network(dt=0.1 * ms, seed=seed, threads=threads, parallel=threads > 1 or None)
    src = net.add_population(SpikeSourceArray(times=[], indices=[]), 100)
    post = net.add_population(MEMBRANE(tau_m=10 * ms), 100)
    proj = net.connect(src, post, rule=AllToAll(), weight=1 * mV, delay=0.1 * ms, synapse=OU())
    out = []
    for t in times:
        net.run(t - net.t)
        assert net._n_blocks == threads
        out.append(proj.get("x"))
    return out


def test_noise_gives_the_ornstein_uhlenbeck_statistics():
    """Euler-Maruyama with ``a = 1 - dt / tau`` (0.99) has the stationary variance
    ``sigma^2 (2 dt / tau) / (1 - a^2)`` (0.2513 for sigma = 0.5) and the correlation ``a^n``
    after ``n`` steps (0.99^100 = 0.366 after 10 ms). Over 10,000 independent synapses the
    variance's standard error is 1.4 % and the correlation's 0.01: the bounds are 4 of them.
    """
    a = 1 - 0.1 / 10
    first, later = ou_values(seed=3, times=(0.1, 0.11))
    variance = 0.25 * (2 * 0.01) / (1 - a**2)
    assert abs(first.mean()) < 4 * np.sqrt(variance / first.size)
    assert first.var() == pytest.approx(variance, rel=4 * np.sqrt(2 / first.size))
    assert np.corrcoef(first, later)[0, 1] == pytest.approx(a**100, abs=0.04)
    # neighbouring synapses (same source, same target) are independent
    grid = first.reshape(100, 100)
    assert abs(np.corrcoef(grid[:, :-1].ravel(), grid[:, 1:].ravel())[0, 1]) < 0.04
    assert abs(np.corrcoef(grid[:-1].ravel(), grid[1:].ravel())[0, 1]) < 0.04


def test_noise_keyed_by_seed_synapse_and_step():
    """The same seed gives the same values on one and two threads; another seed others."""
    (one,), (two,), (other,) = (
        ou_values(seed=3, times=(0.02,), threads=1),
        ou_values(seed=3, times=(0.02,), threads=2),
        ou_values(seed=4, times=(0.02,)),
    )
    assert np.array_equal(one, two)
    assert abs(np.corrcoef(one, other)[0, 1]) < 0.04


def test_multiplicative_noise_gets_heun():
    """Graupner & Brunel's (2012) efficacy equation, as Brian2's example writes it."""
    rule = synapse_model(
        "GRAUPNER_BRUNEL",
        """
        w : 1
        drho/dt = (-rho * (1 - rho) * (rho_star - rho) + gamma_p * (1 - rho) * int(c > theta_p)
                   - gamma_d * rho * int(c > theta_d)
                   + sigma * sqrt(tau) * sqrt(int(c > theta_d) + int(c > theta_p)) * xi
                  ) / tau : 1 (clock-driven)
        dc/dt = -c / tau_Ca : 1 (clock-driven)
        tau : second (shared)
        rho_star : 1 (shared)
        gamma_p : 1 (shared)
        theta_p : 1 (shared)
        gamma_d : 1 (shared)
        theta_d : 1 (shared)
        tau_Ca : second (shared)
        sigma : 1 (shared)
        """,
        on_pre="c += 1",
        on_post="c += 2",
    )
    assert rule.info.method == "heun"


NOISY = "w : 1\ndx/dt = -x / (5 * ms) + xi / sqrt(5 * ms) : 1 (clock-driven)\n"


@pytest.mark.parametrize(
    ("model", "kw", "place", "fragment"),
    [
        # noise in an event-driven equation
        ("w : 1\ndx/dt = -x / (5 * ms) + xi / sqrt(5 * ms) : 1 (event-driven)", {},
         ("model", 2, 25), "clock-driven variables"),
        # noise in on_pre
        (NOISY, {"on_pre": "x += xi * sqrt(ms)"}, ("on_pre", 1, 6), "clock-driven variables"),
        # noise in a subexpression
        (NOISY + "y = x + xi * sqrt(ms) : 1", {}, ("model", 3, 9), "clock-driven variables"),
        # two noise sources
        (NOISY + "dy/dt = -y / (5 * ms) + xi_b / sqrt(5 * ms) : 1 (clock-driven)", {},
         ("model", 3, 25), "one noise source per synapse"),
        # noise entering nonlinearly
        ("w : 1\ndx/dt = -x / (5 * ms) + xi**2 * x : 1 (clock-driven)", {}, ("model", 2, 25),
         "linearly"),
        # an integrator without noise
        (NOISY, {"method": "exact"}, ("model", 2, 25), "cannot integrate stochastic"),
    ],
)  # fmt: skip
def test_noise_errors_name_line_and_column(model, kw, place, fragment):
    from snn.equations import EquationError

    with pytest.raises(EquationError) as info:
        synapse_model("S", model, **kw)
    e = info.value
    assert (e.where, e.line, e.column) == place
    assert fragment in str(e)


def test_noise_in_a_coupling():
    """A summed variable of a noisy clock-driven variable: an OU process per synapse summed
    into the target, the same on one and two threads; the noisy sum moves the target."""
    noisy_sum = synapse_model(
        "NOISY_SUM",
        """
        w : 1
        dx/dt = -x / (10 * ms) + xi / sqrt(10 * ms) : 1 (clock-driven)
        I_post = w * x : 1 (summed)
        """,
    )
    readout = neuron_model("READ_SUM", "dq/dt = I / ms : 1\nI : 1", currents=["I"])
    out = []
    for threads in (1, 2):
        net = Network(dt=0.1 * ms, seed=9, threads=threads, parallel=threads > 1 or None)
        src = net.add_population(SpikeSourceArray(times=[], indices=[]), 20)
        post = net.add_population(readout(), 20)
        proj = net.connect(src, post, rule=AllToAll(), weight=1.0, synapse=noisy_sum())
        net.run(0.02)
        assert net._n_blocks == threads
        out.append((proj.get("x"), post.get("q")))
    assert np.array_equal(out[0][0], out[1][0]) and np.array_equal(out[0][1], out[1][1])
    assert out[0][0].std() > 0.1 and out[0][1].std() > 0


def test_noise_coefficient_may_read_neuron_variables():
    """A neuron variable read only by the noise term is read all the same: the noise scaled by
    the held ``v_post`` (0 mV and 4 mV here) is zero on the first target and not on the second;
    the same with a coupling reading ``v_pre``."""
    held = neuron_model("HELD_N", "dv/dt = 0 * volt / second : volt\nI : 1", currents=["I"],
                        on_spike={"syn": "v += w"})  # fmt: skip
    scaled = synapse_model(
        "SCALED_NOISE",
        "w : 1\ndz/dt = -z / (5*ms) + v_post / mV * xi / sqrt(5*ms) : 1 (clock-driven)",
    )
    coupled = synapse_model(
        "SCALED_COUPLING",
        "w : 1\ndz/dt = -z / (5*ms) + v_pre / mV * xi / sqrt(5*ms) : 1 (clock-driven)\n"
        "I_post = w * z : 1 (summed)",
    )
    assert scaled.post_variables == ("v",) and coupled.pre_variables == ("v",)
    net = Network(dt=0.1 * ms, seed=2)
    pop = net.add_population(held(), 2, init={"v": np.array([0.0, 4.0]) * mV})
    spiking = net.connect(pop, pop, rule=OneToOne(), weight=1.0, delay=0.1 * ms, synapse=scaled())
    coupling = net.connect(pop, pop, rule=OneToOne(), weight=1.0, synapse=coupled())
    net.run(2 * ms)
    for proj in (spiking, coupling):
        z = proj.get("z")
        assert z[0] == 0.0 and z[1] != 0.0


def test_units_of_source_variables_checked_when_connecting():
    """A clock-driven equation reading only ``v_pre`` checks its unit at ``connect``."""
    from snn.equations import EquationError

    follows = synapse_model("FOLLOWS_PRE", "w : 1\ndz/dt = (v_pre - z) / (5*ms) : volt")
    unitless = neuron_model("UNITLESS_V", "dv/dt = -v / (5*ms) : 1", on_spike={"syn": "v += w"})
    net = Network(dt=0.1 * ms)
    src = net.add_population(unitless(), 1)
    post = net.add_population(MEMBRANE(tau_m=10 * ms), 1)
    with pytest.raises(EquationError, match="unit mismatch"):
        net.connect(src, post, rule=OneToOne(), weight=1 * mV, delay=0.1 * ms, synapse=follows())
    assert net.projections == []


def test_pathways_and_sizes_are_refused_clearly():
    """Brian2's several pathways (``on_pre={...}``) and ``N_pre`` get errors that say what to do
    instead (they used to fail with an AttributeError and a message about a variable ``N``)."""
    from snn.core.errors import ConfigurationError
    from snn.equations import EquationError

    with pytest.raises(ConfigurationError, match="once per pathway"):
        synapse_model("TWO_WAYS", "w : 1", on_pre={"up": "v_post += w", "down": "v_post -= w"})
    with pytest.raises(ConfigurationError, match="must be a string"):
        synapse_model("NOT_TEXT", ["w : 1"])
    with pytest.raises(EquationError, match="sizes are not available"):
        synapse_model("SIZES", "w : 1\nI_post = w * N_pre : 1 (summed)")
