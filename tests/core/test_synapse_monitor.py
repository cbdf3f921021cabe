"""Recording synapse variables over time (``Network.record_synapses``, Brian2's
``StateMonitor(synapses, ...)``).

The monitor reads what the synapses store. The reference is the same network run in one-step
pieces with :meth:`Projection.get` read after each piece (settled deferred updates there, updates
at arrival with the monitor: the numbers must agree bit for bit), and, for Tsodyks-Markram
synapses, NEST's ``tsodyks2_synapse`` recurrences (Tsodyks, Pawelzik & Markram 1998; the model's
docstring) evaluated in numpy.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from snn.core import Network
from snn.core.errors import ConfigurationError
from snn.core.units import ms, mV
from snn.equations import neuron_model, synapse_model
from snn.io import load, save
from snn.neurons import LIFDelta, SpikeSourceArray
from snn.plasticity import PairSTDP
from snn.synapses import AllToAll, OneToOne, Tsodyks2Synapse

#: presynaptic spike times [s]: 20 Hz, then a pause, then 50 Hz (depression and recovery)
TIMES = np.array([2, 52, 102, 152, 352, 372, 392]) * ms
U, TAU_REC, TAU_FAC = 0.4, 100 * ms, 50 * ms

#: a coupling with two clock-driven variables: x jumps at each spike, s follows it (linear)
NMDA_TEXT = """
    w : 1
    dx/dt = -x/tau_rise : 1 (clock-driven)
    ds_nmda/dt = (x - s_nmda)/tau_decay : 1 (clock-driven)
    s_nmda_tot_post = w * s_nmda : 1 (summed)
    tau_decay : second
    tau_rise : second
"""
GATE = dict(tau_decay=100 * ms, tau_rise=2 * ms)
NMDA = synapse_model("NMDA_MON", NMDA_TEXT, on_pre="x += 1", defaults=GATE)
#: the same coupling without spike rules: only its clock-driven variables change
QUIET = synapse_model("QUIET_MON", NMDA_TEXT, defaults=GATE)
READOUT = neuron_model(
    "READOUT_MON", "dq/dt = s_nmda_tot / ms : 1\ns_nmda_tot : 1", currents=["s_nmda_tot"]
)


def _stp_network(threads: int = 1) -> tuple[Network, object]:
    # parallel: two blocks on two threads however small the network
    net = Network(dt=0.1 * ms, seed=3, threads=threads, parallel=threads > 1)
    src = net.add_population(SpikeSourceArray(times=TIMES, indices=np.zeros(TIMES.size, int)), 1)
    post = net.add_population(LIFDelta(), 2)
    syn = Tsodyks2Synapse(U=U, tau_rec=TAU_REC, tau_fac=TAU_FAC)
    proj = net.connect(src, post, rule=AllToAll(), weight=0.5 * mV, delay=1 * ms, synapse=syn)
    return net, proj


def _nmda_network(model=NMDA) -> tuple[Network, object]:
    net = Network(dt=0.1 * ms)
    src = net.add_population(SpikeSourceArray(times=TIMES, indices=np.zeros(TIMES.size, int)), 1)
    post = net.add_population(READOUT(), 1)
    proj = net.connect(src, post, rule=OneToOne(), weight=1.0, synapse=model())
    return net, proj


def _piecewise(net: Network, proj: object, names: list[str], steps: int) -> dict:
    out: dict[str, list] = {v: [] for v in names}
    for _ in range(steps):
        net.run(net.dt)
        for v in names:
            out[v].append(proj.get(v))
    return {v: np.array(a) for v, a in out.items()}


def test_tsodyks_variables_match_the_recurrences_and_projection_get():
    """u and x after each spike follow NEST's tsodyks2_synapse recurrences to round-off; every
    sample equals what Projection.get reads after a run ending at that time."""
    steps = 4200
    net, proj = _stp_network()
    mon = net.record_synapses(proj, ["u", "x", "w"])
    net.run(steps * net.dt)
    rec = mon.record()
    assert rec.values["u"].shape == (steps, 2) and np.array_equal(rec.weights, rec.values["w"])
    assert mon.unit("u") == "1" and mon.unit("w") == "V"
    # the recurrences: u_n, x_n are the values a spike sends (stored at its emission)
    u, x, expected = U, 1.0, []
    for n in range(TIMES.size):
        if n:
            h = TIMES[n] - TIMES[n - 1]
            x = 1.0 + (x - x * u - 1.0) * math.exp(-h / TAU_REC)
            u = U + u * (1.0 - U) * math.exp(-h / TAU_FAC)
        expected.append((u, x))
    stamps = np.rint(TIMES / net.dt).astype(int)  # a spike stamped t is in the sample at t
    got = [(rec.values["u"][k - 1, 0], rec.values["x"][k - 1, 0]) for k in stamps]
    assert np.allclose(got, expected, rtol=1e-12, atol=0)
    # held between spikes (event-driven values, as Brian2 records them)
    assert np.all(rec.values["x"][stamps[0] : stamps[1] - 1] == rec.values["x"][stamps[0]])
    ref_net, ref_proj = _stp_network()
    ref = _piecewise(ref_net, ref_proj, ["u", "x"], 500)
    for v in ("u", "x"):
        assert np.array_equal(rec.values[v][:500], ref[v])


def test_clock_driven_coupling_variables_follow_their_closed_form():
    """x of the NMDA coupling decays as exp(-t / tau_rise) after each spike (integrated
    exactly: round-off only); s and x equal Projection.get after each one-step run."""
    net, proj = _nmda_network()
    mon = net.record_synapses(proj, ("s_nmda", "x"), interval=0.5 * ms)
    net.run(60 * ms)
    rec = mon.record()
    since = rec.times[:, None] - TIMES[None, :]
    x_exact = np.where(since >= -1e-12, np.exp(-np.maximum(since, 0) / (2 * ms)), 0).sum(1)
    assert np.allclose(rec.values["x"][:, 0], x_exact, rtol=1e-10, atol=0)
    assert rec.weights is None and mon["s_nmda"].shape == (120, 1)
    ref_net, ref_proj = _nmda_network()
    ref = _piecewise(ref_net, ref_proj, ["s_nmda", "x"], 600)
    for v in ("s_nmda", "x"):
        assert np.array_equal(rec.values[v][:, 0], ref[v][4::5, 0])


def test_coupling_without_spike_rules_is_sampled_after_its_step():
    """A coupling without spike rules is sampled in the update pass: x set to 1 decays as
    exp(-t / tau_rise) exactly (round-off only), sample k at k dt."""
    net, proj = _nmda_network(QUIET)
    proj.set(x=1.0)
    mon = net.record_synapses(proj, "x")
    net.run(5 * ms)
    rec = mon.record()
    assert np.allclose(rec.values["x"][:, 0], np.exp(-rec.times / (2 * ms)), rtol=1e-12, atol=0)
    assert rec.times[0] == pytest.approx(0.1 * ms, rel=1e-12)


def test_one_and_two_threads_record_the_same():
    runs = []
    for threads in (1, 2):
        net, proj = _stp_network(threads)
        mon = net.record_synapses(proj, ["x", "u"], synapses=[1, 0])
        net.run(400 * ms)
        runs.append(mon.record())
    assert np.array_equal(runs[0].values["x"], runs[1].values["x"])
    assert np.array_equal(runs[0].synapses, runs[1].synapses)


def test_checkpoint_keeps_the_samples_and_goes_on(tmp_path):
    net, proj = _stp_network()
    mon = net.record_synapses(proj, ["u", "x"], interval=1 * ms)
    net.run(200 * ms)
    save(net, tmp_path / "c.h5")
    net.run(200 * ms)
    loaded = load(tmp_path / "c.h5")
    (lmon,) = loaded.monitors
    assert lmon.variables == ["u", "x"]
    loaded.run(200 * ms)
    for v in ("u", "x"):
        assert np.array_equal(lmon.record().values[v], mon.record().values[v])


@pytest.mark.parametrize("threads", [1, 2])
def test_columns_are_in_the_order_given(threads, tmp_path):
    """The loop samples synapses grouped by their targets' thread block; the record gives
    them in the order `synapses` named them in, as Brian2's `record=` (the last sample of a run
    equals Projection.weights() there), also after a checkpoint."""
    from snn.neurons import PoissonSource
    from snn.synapses import FixedIndegree

    net = Network(dt=0.1 * ms, seed=4, threads=threads, parallel=threads > 1)
    src = net.add_population(PoissonSource(rate=50.0), 40)
    post = net.add_population(LIFDelta(), 30)
    rule = FixedIndegree(indegree=8)
    proj = net.connect(src, post, rule=rule, weight=0.1 * mV, synapse=PairSTDP())
    proj.set(weight=np.linspace(0.05, 0.15, proj.n_synapses) * mV)  # columns tell apart
    chosen = np.random.default_rng(0).permutation(proj.n_synapses)[:60]
    mon = net.record_synapses(proj, "w", synapses=chosen)
    net.run(100 * ms)
    rec = mon.record()
    assert np.array_equal(rec.synapses, chosen)
    assert np.array_equal(rec.weights[-1], proj.weights()[chosen])
    assert np.array_equal(rec.targets, proj.targets()[chosen])
    net.save(tmp_path / "order.h5")
    loaded = load(tmp_path / "order.h5")
    (lmon,) = loaded.monitors
    assert np.array_equal(lmon.record().synapses, chosen)
    assert np.array_equal(lmon.record().weights, rec.weights)
    net.run(50 * ms)
    loaded.run(50 * ms)
    assert np.array_equal(lmon.record().weights, mon.record().weights)


def test_record_weights_is_record_synapses_of_w():
    net = Network(dt=0.1 * ms, seed=1)
    src = net.add_population(SpikeSourceArray(times=TIMES, indices=np.zeros(TIMES.size, int)), 1)
    post = net.add_population(LIFDelta(), 1)
    proj = net.connect(src, post, rule=OneToOne(), weight=0.1 * mV, synapse=PairSTDP())
    a, b = net.record_weights(proj), net.record_synapses(proj, "w")
    net.run(50 * ms)
    assert np.array_equal(a.record().weights, b.record().values["w"])


@pytest.mark.parametrize(
    ("make", "variables", "fragment"),
    [
        ("stp", ["ux"], "'ux' of projection"),
        ("stp", ["u", "u"], "names 'u' twice"),
        ("stp", [], "non-empty list of names"),
        ("stp", 3, "non-empty list of names"),
        ("quiet", ["w"], "does not change during a run"),
        ("static", ["w"], "static synapses"),
    ],
)
def test_refusals(make, variables, fragment):
    if make == "stp":
        net, proj = _stp_network()
    elif make == "quiet":
        net, proj = _nmda_network(QUIET)
    else:
        net = Network(dt=0.1 * ms)
        pop = net.add_population(LIFDelta(), 2)
        proj = net.connect(pop, pop, rule=AllToAll(), weight=0.1 * mV)
    with pytest.raises(ConfigurationError, match=fragment):
        net.record_synapses(proj, variables)
    assert not net.monitors


def test_a_version_3_checkpoint_with_a_weight_monitor_still_loads(tmp_path, monkeypatch):
    """Format version 3 stored a synapse monitor's weights as dataset ``w`` and no variable
    list; such a file (made here from a version 4 one, as the release before wrote it) loads."""
    import json

    import h5py

    import snn.io._checkpoint as ck

    net, proj = _stp_network()
    mon = net.record_weights(proj, interval=1 * ms)
    net.run(30 * ms)
    path = save(net, tmp_path / "v3.h5")
    with h5py.File(path, "r+") as f:
        f.attrs["version"] = 3
        (g,) = [f["monitors"][k] for k in f["monitors"]]
        spec = json.loads(g.attrs["spec"])
        del spec["variables"]
        ck._json(g, "spec", spec)
        ck._put(g, "w", g["values/w"][()])
        del g["values"]
    monkeypatch.setattr(ck, "VERSION", 3)
    ck._seal(path)
    monkeypatch.undo()
    (lmon,) = load(path).monitors
    assert lmon.variables == ["w"]
    assert np.array_equal(lmon.record().weights, mon.record().weights)


def test_reset_restores_synapse_variables_as_set(tmp_path):
    """A synapse variable given by Projection.set comes back on reset, as weights do, in a
    checkpoint too (found by review: a reset put it back to the model's initial value, so a
    run after reset did not repeat the first)."""
    net, proj = _nmda_network(QUIET)
    proj.set(x=1.0)
    mon = net.record_synapses(proj, ["x", "s_nmda"])
    net.run(20 * ms)
    first = mon.record().values
    net.reset()
    assert np.all(proj.get("x") == 1.0)
    net.run(20 * ms)
    for name, values in mon.record().values.items():
        assert np.array_equal(values, first[name])
    loaded = load(save(net, tmp_path / "c.h5"), models=[READOUT, QUIET])
    loaded.projections[0].set(w=1.0)  # any set; x stays as given
    loaded.reset()
    assert np.all(loaded.projections[0].get("x") == 1.0)
