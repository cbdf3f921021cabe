"""Synapse models from equations run on the engine's synapse protocol, as the built-in rules do.

* Pair STDP written as equations gives the weights and spikes of the built-in ``PairSTDP``, bit
  for bit when the steps are written as the built-in computes them (snn-bench's rule,
  ``snn.bench._equations.STDP``), to round-off when written in Brian2's form (traces in weight
  units);
* the live setters (``learning`` on and off, parameters), weight monitors, threads, MPI ranks
  and a checkpoint work with equation synapses as with built-in ones;
* per-synapse variables (event-driven variables the engine cannot keep as traces) follow the
  closed form of a depressing synapse (Tsodyks & Markram 1997 without facilitation).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snn.bench._equations import STDP
from snn.core import ConfigurationError, Network
from snn.core.units import Hz, ms, mV
from snn.equations import EquationError, neuron_model, synapse_model
from snn.neurons import LIFDelta, PoissonSource, SpikeSourceArray
from snn.plasticity import PairSTDP
from snn.synapses import FixedIndegree, OneToOne

#: the same rule as Brian2's examples/synapses/STDP.py writes it: traces in weight units, the
#: depression trace negative (sent after the weight change, as PairSTDP does)
BRIAN2_STDP = synapse_model(
    "BRIAN2_STDP",
    """
    w : volt
    dApre/dt = -Apre / taupre : volt (event-driven)
    dApost/dt = -Apost / taupost : volt (event-driven)
    taupre : second
    taupost : second
    dApre : volt
    dApost : volt
    gmax : volt
    """,
    on_pre="""
    Apre += dApre
    w = clip(w + Apost, 0 * volt, gmax)
    syn += w
    """,
    on_post="""
    Apost += dApost
    w = clip(w + Apre, 0 * volt, gmax)
    """,
)

LAMBDA, ALPHA, W_MAX, TAU = 0.01, 1.05, 1 * mV, 20 * ms


def rule(kind: str):
    if kind == "builtin":
        return PairSTDP(tau_plus=TAU, tau_minus=TAU, learning_rate=LAMBDA, alpha=ALPHA, w_max=W_MAX)
    if kind == "equations":
        return STDP(tau_plus=TAU, tau_minus=TAU, learning_rate=LAMBDA, alpha=ALPHA, w_max=W_MAX)
    return BRIAN2_STDP(
        taupre=TAU,
        taupost=TAU,
        dApre=LAMBDA * W_MAX,
        dApost=-ALPHA * LAMBDA * W_MAX,
        gmax=W_MAX,
    )


def plastic_network(kind: str, threads: int = 1, parallel: bool | None = None, synapse=None):
    """200 Poisson inputs at 20 Hz onto 20 LIF neurons (100 plastic inputs each), through the
    rule of ``kind`` or through ``synapse``."""
    net = Network(dt=0.1 * ms, seed=3, threads=threads, parallel=parallel)
    src = net.add_population(PoissonSource(rate=20 * Hz), 200, name="in")
    post = net.add_population(
        LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=15 * mV, v_reset=0.0, t_ref=2 * ms), 20, name="out"
    )
    q = net.connect(
        src,
        post,
        rule=FixedIndegree(indegree=100),
        weight=0.5 * mV,
        delay=1.5 * ms,
        synapse=rule(kind) if synapse is None else synapse,
    )
    return net, q, net.record_spikes(post)


def test_pair_stdp_from_equations_gives_the_builtin_weights_bit_for_bit():
    runs = {}
    for kind in ("builtin", "equations", "brian2"):
        net, q, mon = plastic_network(kind)
        net.run(1.0)
        runs[kind] = (q.weights(), mon.steps.copy(), mon.senders.copy())
    w0, steps0, senders0 = runs["builtin"]
    assert steps0.size > 300  # the neurons fire: both pathways act
    assert np.std(w0) > 0.01 * W_MAX  # and the weights spread out
    w, steps, senders = runs["equations"]
    assert np.array_equal(w, w0)
    assert np.array_equal(steps, steps0) and np.array_equal(senders, senders0)
    # Brian2's form sums the traces in volts instead of scaling sums of ones: the same numbers
    # to round-off (measured at most 5.4e-19 V, 5e-16 of w_max, in 2/3 of the synapses), and
    # the same spikes
    w, steps, senders = runs["brian2"]
    assert np.allclose(w, w0, rtol=0, atol=1e-12 * W_MAX)
    assert np.array_equal(steps, steps0) and np.array_equal(senders, senders0)


def test_the_engine_keeps_pair_traces_per_neuron():
    assert dict(STDP.info.variables) == {"x": "source", "y": "target"}
    assert dict(BRIAN2_STDP.info.variables) == {"Apre": "source", "Apost": "target"}
    assert STDP.info.receptor == "syn"
    assert not STDP.synapse_vars  # no per-synapse state besides the weight


def test_learning_switch_parameters_and_weight_monitor():
    net, q, _ = plastic_network("equations")
    wm = net.record_weights(q, synapses=np.arange(0, 2000, 100), interval=10 * ms)
    net.run(0.2)
    w_before = q.weights()
    q.set(learning=False)
    assert not q.learning and q.get("learning_rate") == LAMBDA
    net.run(0.2)
    assert np.array_equal(q.weights(), w_before)  # frozen, bit for bit
    q.set(learning=True, learning_rate=2 * LAMBDA)
    net.run(0.2)
    assert not np.array_equal(q.weights(), w_before)
    rec = wm.record()
    assert rec.weights.shape == (60, 20)
    assert np.array_equal(rec.weights[-1], q.weights()[rec.synapses])
    assert np.all(rec.weights[20:40] == rec.weights[19])  # the frozen interval


def test_two_threads_bit_identical():
    ref, q_ref, mon_ref = plastic_network("equations")
    net, q, mon = plastic_network("equations", threads=2, parallel=True)
    ref.run(0.5)
    net.run(0.5)
    assert net.parallel
    assert np.array_equal(q.weights(), q_ref.weights())
    assert np.array_equal(mon.steps, mon_ref.steps) and np.array_equal(mon.senders, mon_ref.senders)


@pytest.mark.mpi
@pytest.mark.slow  # mpiexec and two compilations: about 20 s here
def test_one_and_two_ranks_identical(run_on_ranks):
    code = """
    import numpy as np
    from test_synapses import plastic_network
    net, q, mon = plastic_network("equations")
    net.run(0.5)
    rec = mon.gather()
    syn = [q.sources(), q.targets(), q.weights()]
    syn = net.comm.gather_arrays(syn) if net.comm.active else syn
    if net.rank == 0:
        order = np.lexsort((syn[2], syn[1], syn[0]))
        np.savez(OUT, times=rec.times, senders=rec.senders, w=syn[2][order],
                 pairs=np.stack([syn[0][order], syn[1][order]]))
    """
    one, two = (run_on_ranks(code, Path(__file__).parent, ranks) for ranks in (1, 2))
    assert one["times"].size > 100 and np.std(one["w"]) > 0.01 * W_MAX
    order = [np.lexsort((o["senders"], o["times"])) for o in (one, two)]
    for key in ("times", "senders"):
        assert np.array_equal(one[key][order[0]], two[key][order[1]]), key
    assert np.array_equal(one["pairs"], two["pairs"]) and np.array_equal(one["w"], two["w"])


def test_checkpoint_resumes_exactly(tmp_path):
    from snn.io import load, save

    ref, q_ref, _ = plastic_network("equations")
    ref.run(0.4)
    net, q, _ = plastic_network("equations")
    net.run(0.2)
    loaded = load(save(net, tmp_path / "stdp.h5"), models=[STDP])
    synapse = loaded.projections[0].synapse
    assert type(synapse) is STDP and synapse == q.synapse
    loaded.run(0.2)
    assert np.array_equal(loaded.projections[0].weights(), q_ref.weights())


# ---- per-synapse variables

DEPRESSING = synapse_model(
    "DEPRESSING",
    """
    w : volt
    dx/dt = (1 - x) / tau_rec : 1 (event-driven)
    tau_rec : second
    U : 1
    """,
    on_pre="""
    syn += w * U * x
    x -= U * x
    """,
    initial={"x": 1.0},
)


def test_per_synapse_variables_follow_the_depressing_synapse_closed_form():
    """Tsodyks & Markram (1997) without facilitation: before spike n the resources are
    ``x_n = 1 + (x_{n-1} (1 - U) - 1) exp(-T_n / tau_rec)``, ``x_0 = 1``; each spike sends
    ``w U x_n``. An integrator neuron (no leak) adds up what arrives."""
    assert dict(DEPRESSING.info.variables) == {"x": "synapse"}
    counter = neuron_model(
        "Counter", "dq/dt = 0 * volt / second : volt", on_spike={"syn": "q += w"}
    )
    times = np.array([10.0, 30.0, 40.0, 45.0, 90.0, 91.0, 150.0]) * ms
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=times, indices=np.zeros(7, int)), 1)
    out = net.add_population(counter(), 1)
    u, tau_rec, w = 0.4, 50 * ms, 2 * mV
    net.connect(
        src, out, rule=OneToOne(), weight=w, delay=1 * ms, synapse=DEPRESSING(tau_rec=tau_rec, U=u)
    )
    mon = net.record_state(out, "q")
    net.run(0.2)
    x, last, expected = 1.0, times[0], []
    for t in times:
        x = 1.0 + (x - 1.0) * np.exp(-(t - last) / tau_rec)
        expected.append(w * u * x)
        x -= u * x
        last = t
    arrivals = np.rint((times + 1 * ms) / (0.1 * ms)).astype(int) - 1
    jumps = np.diff(np.concatenate([[0.0], mon["q"][:, 0]]))[arrivals]
    # exp over the whole interval against the closed form's: round-off (1e-16 relative)
    assert jumps == pytest.approx(expected, rel=1e-12)


def test_temporaries_in_events_are_brian2s_local_values():
    """Brian2 keeps a value assigned to a name the model does not declare for the statements
    after it (``r_S = u_S * x_S`` in Stimberg et al. 2018's example): the depressing synapse
    written with one sends exactly what the inlined one sends."""
    with_temporary = synapse_model(
        "DepressingTemporary",
        """
        w : volt
        dx/dt = (1 - x) / tau_rec : 1 (event-driven)
        tau_rec : second
        U : 1
        """,
        on_pre="""
        released = U * x
        syn += w * released
        x -= released
        """,
        initial={"x": 1.0},
    )
    runs = []
    for model in (DEPRESSING, with_temporary):
        net, _, mon, _ = _depressing_network(model(tau_rec=50 * ms, U=0.4))
        net.run(0.2)
        runs.append(mon["q"])
    assert np.array_equal(runs[0], runs[1]) and runs[0].max() > 0
    with pytest.raises(EquationError, match=r"`wx` is assigned but never used.*did you mean `w`"):
        synapse_model("Typo", "w : volt", on_pre="wx = 2 * w\nsyn += w")


def _counted(on_pre: str, tau=1000 * ms):
    """What a target receives by 50 ms from spikes at 10, 30, 40 and 45 ms through ``on_pre``."""
    model = synapse_model(
        "Counted", "w : volt\ndx/dt = -x / tau : 1 (event-driven)\ntau : second", on_pre=on_pre
    )
    net, _, mon, _ = _depressing_network(model(tau=tau), n=1)
    net.run(0.05)
    return model, mon["q"][-1, 0] / mV


def test_a_temporary_keeps_the_value_of_its_assignment():
    """``d = 1 + x; x += 1; syn += w * d`` sends ``w (1 + x)`` with ``x`` before its increment
    (Brian2's rule). The temporary once stood for its expression, read with the new ``x``: NEST's
    ``iaf_bw_2001`` NMDA rule written so (``delta = k0 + k1 s; s += delta; NMDA += w delta``)
    came out 2.7 times too weak."""
    model, q = _counted("d = 1 + x\nx += 1\nsyn += w * d", tau=5000 * ms)
    assert dict(model.info.variables) == {"x": "synapse"}  # read after its change: per synapse
    x, total, last = 0.0, 0.0, 0.0
    for t in (0.010, 0.030, 0.040, 0.045):
        x *= np.exp(-(t - last) / 5.0)
        total += 2 * (1 + x)  # the value before the increment; 2 + 4 + 6 + 8 mV without decay
        x += 1
        last = t
    assert q == pytest.approx(total, rel=1e-12) and q == pytest.approx(20, rel=1e-2)


def test_a_trace_may_be_changed_through_a_temporary():
    """``d = 0.5 * x + 1; x += d`` changes ``x`` from its own value only: it stays one trace
    per source neuron, its temporary computed in the trace's update, which gives what the
    update written in one statement gives (to round-off)."""
    through, inline = (
        synapse_model(
            name,
            """
            w : volt
            dx/dt = -x / tau : 1 (event-driven)
            tau : second
            """,
            on_pre=f"syn += w\n{update}",
            on_post="w = clip(w + 0.1 * mV * x, 0 * mV, 10 * mV)",
        )
        for name, update in (("Through", "d = 0.5 * x + 1\nx += d"), ("Inline", "x += 0.5 * x + 1"))
    )
    assert dict(through.info.variables) == {"x": "source"}
    runs = []
    for model in (through, inline):
        net, q, _ = plastic_network("", synapse=model(tau=20 * ms))
        net.run(0.3)
        runs.append(q.weights())
    # the same arithmetic up to sympy's ordering of the sum (1.5 x + 1 against x + (0.5 x + 1))
    assert np.std(runs[0]) > 0.1 * mV
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-12)


# ---- parameters per synapse (Brian2: every parameter of a Synapses model is per synapse)


def _depressing_network(synapse, n=3):
    """``n`` sources firing one irregular train, each onto its own integrator (no leak)."""
    counter = neuron_model(
        "Counter", "dq/dt = 0 * volt / second : volt", on_spike={"syn": "q += w"}
    )
    times = np.array([10.0, 30.0, 40.0, 45.0, 90.0, 91.0, 150.0]) * ms
    net = Network(dt=0.1 * ms)
    src = net.add_population(
        SpikeSourceArray(times=np.repeat(times, n), indices=np.tile(np.arange(n), 7)), n
    )
    out = net.add_population(counter(), n)
    q = net.connect(src, out, rule=OneToOne(), weight=2 * mV, delay=1 * ms, synapse=synapse)
    return net, q, net.record_state(out, "q"), times


def test_parameters_per_synapse_follow_each_synapses_closed_form():
    """Three depressing synapses with their own U and tau_rec (given at connect and by set):
    each sends what the closed form with its values gives (the test above)."""
    big_u = np.array([0.1, 0.4, 0.9])
    tau_rec = np.array([20.0, 50.0, 300.0]) * ms
    net, q, mon, times = _depressing_network(DEPRESSING(U=big_u, tau_rec=50 * ms))
    q.set(tau_rec=tau_rec[[0, 2]], pre=[0, 2])
    net.run(0.2)
    arrivals = np.rint((times + 1 * ms) / (0.1 * ms)).astype(int) - 1
    for k in range(3):
        x, last, expected = 1.0, times[0], []
        for t in times:
            x = 1.0 + (x - 1.0) * np.exp(-(t - last) / tau_rec[k])
            expected.append(2 * mV * big_u[k] * x)
            x -= big_u[k] * x
            last = t
        jumps = np.diff(np.concatenate([[0.0], mon["q"][:, k]]))[arrivals]
        # as above: round-off
        assert jumps == pytest.approx(expected, rel=1e-12)
    np.testing.assert_array_equal(q.get("tau_rec"), tau_rec)


def test_equal_parameters_per_synapse_run_bit_identical_to_one_value():
    one, _, m1, _ = _depressing_network(DEPRESSING(U=0.4, tau_rec=50 * ms))
    per, q, m2, _ = _depressing_network(DEPRESSING(U=np.full(3, 0.4), tau_rec=np.full(3, 0.05)))
    one.run(0.2)
    per.run(0.2)
    assert isinstance(q._consts["U"], np.ndarray)
    np.testing.assert_array_equal(m1["q"], m2["q"])


def test_parameters_read_per_neuron_stay_one_value():
    """BRIAN2_STDP's traces decay with taupre and grow by dApre at every presynaptic spike
    (once per neuron): those cannot differ between synapses; the bound gmax can."""
    _, q, _ = plastic_network("brian2")
    q.set(gmax=np.linspace(0.5, 1.0, q.n_synapses) * mV)
    assert q.get("gmax", pre=[0]).shape == (np.sum(q.sources() == 0),)
    with pytest.raises(ConfigurationError, match=r"time constant of trace 'Apre'"):
        q.set(taupre=np.linspace(10, 20, q.n_synapses) * ms)
    with pytest.raises(ConfigurationError, match=r"\['dApre'\] .* source_spike rule"):
        q.set(dApre=0.02 * mV, pre=[0])  # differs from the others' value
    assert q.get("taupre") == TAU


def test_a_shared_parameter_is_one_value():
    shared = synapse_model(
        "SHARED_DEPRESSING",
        """
        w : volt
        dx/dt = (1 - x) / tau_rec : 1 (event-driven)
        tau_rec : second (shared)
        U : 1
        """,
        on_pre="syn += w * U * x\nx -= U * x",
        initial={"x": 1.0},
    )
    assert shared.vector_parameters == ("U",)
    with pytest.raises(ConfigurationError, match="`tau_rec` must be one number"):
        shared(U=0.5, tau_rec=np.array([0.05, 0.1, 0.2]))
    _, q, _, _ = _depressing_network(shared(U=0.5, tau_rec=50 * ms))
    with pytest.raises(ConfigurationError, match="`tau_rec` is one value for the whole projection"):
        q.get("tau_rec", pre=[0])


@pytest.mark.parametrize(
    "on_pre",
    [
        # a temporary of dt that only the weight reads: not copied into the trace's update
        "syn += w\nd = dt / ms\nw = clip(w - 0.001 * mV * d, 0 * mV, 10 * mV)\nx += 1",
        # a trace changed by dt, inline and through a temporary (dt reaches the trace rule)
        "syn += w\nx += dt / ms",
        "syn += w\nd = dt / ms\nx += d",
    ],
)
def test_trace_rules_get_what_they_read_and_nothing_else(on_pre):
    """The trace's own update (``source_spike``) takes ``dt`` when it reads it and leaves out
    the temporaries it does not need; each once failed to compile (a NameError in numba)."""
    model = synapse_model(
        "TraceReads",
        "w : volt\ndx/dt = -x / tau : 1 (event-driven)\ntau : second",
        on_pre=on_pre,
        on_post="w = clip(w + 0.01 * mV * x, 0 * mV, 10 * mV)",
    )
    assert dict(model.info.variables) == {"x": "source"}
    net, q, _ = plastic_network("", synapse=model(tau=20 * ms))
    net.run(0.1)
    assert np.all(np.isfinite(q.weights())) and np.std(q.weights()) > 0


def test_a_synapse_may_only_learn_or_only_connect():
    """Brian2's synapses send only what on_pre says: one that only learns (its tutorial's STDP
    demonstration) or only connects (``Synapses(P, Q, "w : 1")``) leaves the target alone: the
    targets, driven by Poisson input of their own, do exactly what they do without the synapses,
    and the learning synapses learn."""
    from snn.neurons import PoissonInput

    learns = synapse_model(
        "OnlyLearns",
        "w : volt\ndx/dt = -x / tau : 1 (event-driven)\ntau : second",
        on_pre="x += 1",
        on_post="w = clip(w + 0.1 * mV * x, 0 * mV, 10 * mV)",
    )
    connects = synapse_model("OnlyConnects", "w : volt")
    runs = []
    for synapse in (None, learns(tau=20 * ms), connects()):
        net = Network(dt=0.1 * ms, seed=3)
        src = net.add_population(PoissonSource(rate=20 * Hz), 200, name="in")
        post = net.add_population(
            LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=15 * mV, v_reset=0.0, t_ref=2 * ms), 20
        )
        net.add_drive(PoissonInput(rate=2000 * Hz, weight=0.5 * mV), post)
        if synapse is not None:
            q = net.connect(
                src, post, rule=FixedIndegree(indegree=100), weight=0.5 * mV, synapse=synapse
            )
        v = net.record_state(post, "v")
        net.run(0.2)
        runs.append(v["v"].copy())
        if synapse is not None and isinstance(synapse, learns):
            assert q.weights().max() > 0.5 * mV  # postsynaptic spikes potentiated
    assert np.ptp(runs[0]) > 0
    assert np.array_equal(runs[1], runs[0]) and np.array_equal(runs[2], runs[0])
