"""Spikes and states of a few small networks, bit for bit as before the loop was rewritten.

The hashes were computed on ``main`` at d2121ea (before issue 19 changed how the event loop is
generated and composed): the SHA-256 of each network's ``(step, global id)`` spike pairs
(:func:`snn.bench.spikes_sha256`) and of its recorded membrane potentials (float64 bytes). Code
generation, argument bundling, caching and compilation must never change a single addition, so
any difference here is a bug, not a tolerance question. A change that alters the arithmetic on
purpose (a new integration scheme, a different draw) updates the hashes and says so.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from snn.bench import build, spikes_sha256
from snn.core import Network
from snn.core.random import Normal, Uniform
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput, SpikeSourceArray
from snn.synapses import FixedIndegree


def mixed(seed: int) -> tuple[Network, list, list]:
    """Random delays (ring and arrival delivery), drawn weights, a generator, views, monitors."""
    net = Network(dt=0.1 * ms, seed=seed)
    model = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    init = {"v": Uniform(low=0.0, high=20 * mV)}
    pops = [net.add_population(model, 80 + 20 * k, name=f"P{k}", init=init) for k in range(3)]
    gen = net.add_population(
        SpikeSourceArray(times=np.arange(1, 150) * 0.3 * ms, indices=np.arange(149) % 11), 11
    )
    for k, post in enumerate(pops):
        for j, pre in enumerate(pops):
            # with few distinct delays and many synapses per source, a projection is delivered
            # at arrival (README: arrival-time delivery); the others use the ring
            dense = (j + k) % 2 == 0
            net.connect(
                pre,
                post,
                rule=FixedIndegree(indegree=(50 if dense else 10) + 5 * j),
                weight=Normal(mean=(0.2 if j != 1 else -0.6) * mV, std=0.05 * mV),
                delay=Uniform(low=1.0 * ms, high=1.4 * ms)
                if dense
                else Uniform(low=0.5 * ms, high=3.0 * ms),
            )
        net.add_drive(PoissonInput(rate=(15000 + 1000 * k) * Hz, weight=0.1 * mV), post[: 40 + k])
        net.connect(gen, post, rule=FixedIndegree(indegree=3), weight=2 * mV, delay=1 * ms)
    spikes = [net.record_spikes(p) for p in (*pops, gen)]
    states = [net.record_state(p[5:30], ["v"], interval=0.2 * ms) for p in pops]
    return net, spikes, states


def _spike_hash(monitors: list, dt: float) -> str:
    steps = np.concatenate([np.rint(m.times / dt).astype(np.int64) for m in monitors])
    senders = np.concatenate([m.senders for m in monitors])
    return spikes_sha256(steps, senders)


def _state_hash(monitors: list) -> str:
    h = hashlib.sha256()
    for m in monitors:
        h.update(np.ascontiguousarray(m.record().values["v"], dtype="<f8").tobytes())
    return h.hexdigest()


#: (model, scale, duration [s]) -> (spike count, spikes sha256), from main at d2121ea
BENCH = {
    ("coba", 0.25, 0.2): (215, "398a0466eb5990e1aca93a3752885e9c0672c99656e6f0d174e8fbb1a30752d8"),
    ("cuba", 0.1, 0.2): (1067, "727943ab6048b88ecfad14e71de86fcb9b01738e03c76f737bf00d7c391fe743"),
    # brunel, stdp (and MIXED below): new values with the PoissonInput draws of branch
    # poisson-draws (issue 19: 32 random bits per count, four neurons per Philox call; a changed
    # random stream, not arithmetic: the rates stay within their seed-to-seed spread)
    ("brunel", 0.02, 0.2): (
        4563,
        "227b46f0548728482268f90de48b4936231660153bba0729408a83423329f61d",
    ),
    ("stdp", 0.02, 0.2): (4550, "01705990a07f0f9be6ea1471dd012e6a143f795b315cd438214c5b78a20dd356"),
}


@pytest.mark.parametrize(("name", "scale", "duration"), list(BENCH))
def test_benchmark_spikes_unchanged(name, scale, duration):
    model = build(name, scale=scale, seed=3)
    model.network.run(duration)
    n = sum(m.senders.shape[0] for m in model.monitors)
    assert (n, _spike_hash(model.monitors, model.network.dt)) == BENCH[(name, scale, duration)]


#: spike count, spikes sha256 and states sha256 of :func:`mixed` (seed 5, 0.1 s then 0.05 s)
MIXED = (
    8882,
    "7c4a66f0594786d7cccd94f54fe5f4a68b0b1177e363035ba9a32f64940e0d6d",
    "38565c96da3fc89395a1c40cfdf69a9ad37e1f9d26150863ca7fb50a1d3425ea",
)


def test_mixed_network_unchanged():
    net, spikes, states = mixed(seed=5)
    assert sum(p._arrival for p in net.projections) == 5  # both delivery paths are exercised
    net.run(0.1)
    net.run(0.05)  # a second call: arguments collected again
    n = sum(m.senders.shape[0] for m in spikes)
    assert (n, _spike_hash(spikes, net.dt), _state_hash(states)) == MIXED
