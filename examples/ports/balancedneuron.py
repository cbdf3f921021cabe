"""Balancing a neuron's input (NEST's ``pynest/examples/balancedneuron.py``), ported to snn.

One ``iaf_psc_alpha`` neuron receives the Poisson spikes of 16000 excitatory neurons at 5 Hz
and of 4000 inhibitory neurons (45 pA and -45 pA, each population as one Poisson drive); the
original finds by bisection (scipy's ``bisect``, rates 15-25 Hz, tolerance 0.01 Hz) the
inhibitory rate at which the neuron fires at 5 Hz, measuring each guess over 25 s of one
simulation that goes on from guess to guess. The port does the same with
``drive.set(rate=...)`` between runs of one network.

Run:  uv run python examples/ports/balancedneuron.py   (about 250 s of simulated time)
"""

from __future__ import annotations

from scipy.optimize import bisect

from snn.core import Network
from snn.core.units import Hz, ms, pA
from snn.neurons import LIFAlpha, PoissonInput

N_EX, N_IN = 16000, 4000
R_EX = 5.0  # rate of the excitatory neurons, and the neuron's target rate [Hz]


def run(seed: int = 1, t_sim: float = 25.0) -> dict:
    """Bisect the inhibitory rate [Hz]; return it and every (guess, output rate) evaluated."""
    net = Network(dt=0.1 * ms, seed=seed)
    neuron = net.add_population(LIFAlpha(), 1)
    net.add_drive(PoissonInput(rate=N_EX * R_EX * Hz, weight=45 * pA, receptor="exc"), neuron)
    inhibition = net.add_drive(
        PoissonInput(rate=N_IN * 20.5 * Hz, weight=-45 * pA, receptor="inh"), neuron
    )
    spikes = net.record_spikes(neuron)
    evaluations = []

    def output_rate(guess: float) -> float:
        inhibition.set(rate=N_IN * guess * Hz)
        before = spikes.n_spikes
        net.run(t_sim)
        out = (spikes.n_spikes - before) / t_sim
        evaluations.append((guess, out))
        return out

    in_rate = bisect(lambda x: output_rate(x) - R_EX, 15.0, 25.0, xtol=0.01)
    return {"in_rate_Hz": float(in_rate), "evaluations": evaluations}


if __name__ == "__main__":
    out = run()
    print(f"inhibitory rate for {R_EX} spikes/s: {out['in_rate_Hz']:.2f} Hz")
