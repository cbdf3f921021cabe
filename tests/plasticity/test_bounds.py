"""Weights of the triplet and inhibitory rules never leave [0, w_max] (hypothesis), whatever the
amplitudes and the activity (pair STDP: tests/plasticity/test_pair.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from snn.core import Network
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, PoissonSource
from snn.plasticity import InhibitorySTDP, TripletSTDP
from snn.synapses import FixedIndegree

W_MAX = 0.5 * mV


def run_dense(rule, rate, seed):
    """40 Poisson inputs at ``rate`` onto 10 strongly driven neurons (~100+ Hz) for 0.2 s."""
    net = Network(dt=0.1 * ms, seed=seed)
    src = net.add_population(PoissonSource(rate=rate * Hz), 40, name="in")
    post = net.add_population(
        LIFDelta(tau_m=10 * ms, e_l=0.0, v_th=5 * mV, v_reset=0.0, t_ref=1 * ms), 10, name="out"
    )
    net.add_drive(PoissonInput(rate=8000 * Hz, weight=0.2 * mV), post)
    q = net.connect(
        src, post, rule=FixedIndegree(indegree=20), weight=0.25 * mV, delay=1 * ms, synapse=rule
    )
    mon = net.record_weights(q, interval=5 * ms)
    net.run(0.2)
    return mon.record().weights, q.weights()


@settings(deadline=None, max_examples=5)
@given(
    amplitudes=st.lists(st.floats(0.0, 5.0), min_size=4, max_size=4),
    pairing=st.sampled_from(["all_to_all", "nearest"]),
    rate=st.floats(20.0, 200.0),
    seed=st.integers(0, 2**16),
)
def test_triplet_weights_never_leave_their_bounds(amplitudes, pairing, rate, seed):
    a2p, a3p, a2m, a3m = amplitudes
    rule = TripletSTDP(
        a2_plus=a2p,
        a3_plus=a3p,
        a2_minus=a2m,
        a3_minus=a3m,
        w_ref=0.25 * mV,
        w_max=W_MAX,
        pairing=pairing,
    )
    sampled, final = run_dense(rule, rate, seed)
    assert sampled.min() >= 0.0 and sampled.max() <= W_MAX
    assert final.min() >= 0.0 and final.max() <= W_MAX


@settings(deadline=None, max_examples=5)
@given(
    eta=st.floats(0.0, 1.0),
    rho_0=st.floats(0.0, 200.0),
    rate=st.floats(20.0, 200.0),
    seed=st.integers(0, 2**16),
)
def test_inhibitory_weights_never_leave_their_bounds(eta, rho_0, rate, seed):
    rule = InhibitorySTDP(tau=20 * ms, eta=eta * mV, rho_0=rho_0, w_max=W_MAX)
    sampled, final = run_dense(rule, rate, seed)
    assert sampled.min() >= 0.0 and sampled.max() <= W_MAX
    assert final.min() >= 0.0 and final.max() <= W_MAX
