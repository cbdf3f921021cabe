"""A 2-D sheet of neurons with Gaussian, distance-dependent connectivity and conduction delays.

An excitatory 40 x 40 grid and an inhibitory 20 x 20 grid share one periodic 1 mm x 1 mm sheet
(a torus, so no neuron sits at an edge). Every pair connects with probability
``p_max * exp(-d**2 / (2 sigma**2))`` (NEST's spatial ``pairwise_bernoulli``), excitation
spreading wider than inhibition; a synapse's delay is ``0.5 ms + d / (0.5 m/s)``. Poisson input
drives the network for 200 ms and the script prints the mean rates::

    python examples/spatial_network.py [--duration SECONDS] [--threads N]
"""

from __future__ import annotations

import argparse

from snn.core import Network
from snn.core.units import Hz, mm, ms, mV
from snn.neurons import LIFDelta, PoissonInput
from snn.synapses import DistanceDelay, DistanceDependent, GaussianKernel, Grid


def main(duration: float = 0.2, threads: int = 1) -> dict[str, float]:
    """Build and run the network; return the mean rate of each population [Hz]."""
    net = Network(dt=0.1 * ms, seed=7, threads=threads)
    neuron = LIFDelta(tau_m=20 * ms, e_l=0 * mV, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)
    sheet = {"extent": (1 * mm, 1 * mm), "periodic": True}
    exc = net.add_population(neuron, 1600, name="E", positions=Grid((40, 40), **sheet))
    inh = net.add_population(neuron, 400, name="I", positions=Grid((20, 20), **sheet))
    delay = DistanceDelay(base=0.5 * ms, velocity=0.5)  # 0.5 m/s = 0.5 mm/ms
    wide = DistanceDependent(GaussianKernel(sigma=0.15 * mm), p_max=0.2, autapses=False)
    narrow = DistanceDependent(GaussianKernel(sigma=0.1 * mm), p_max=0.4, autapses=False)
    for post in (exc, inh):
        net.connect(exc, post, rule=wide, weight=0.1 * mV, delay=delay)
        net.connect(inh, post, rule=narrow, weight=-0.5 * mV, delay=delay)
        net.add_drive(PoissonInput(rate=12_000 * Hz, weight=0.1 * mV), post)
    monitors = {pop.name: (pop, net.record_spikes(pop)) for pop in (exc, inh)}
    net.run(duration)
    rates = {}
    for name, (pop, mon) in monitors.items():
        rates[name] = mon.n_spikes / (pop.size * net.t)
    for proj in net.projections:
        print(
            f"{proj.name}: {proj.pre.name} -> {proj.post.name}, {proj.n_synapses} synapses, "
            f"mean in-degree {proj.n_synapses / proj.post.size:.1f}, "
            f"delays {proj.delays().min() / ms:.1f}-{proj.delays().max() / ms:.1f} ms"
        )
    for name, rate in rates.items():
        print(f"{name} rate: {rate:.1f} Hz")
    return rates


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=0.2, help="biological time [s]")
    parser.add_argument("--threads", type=int, default=1)
    opts = parser.parse_args()
    main(opts.duration, opts.threads)
