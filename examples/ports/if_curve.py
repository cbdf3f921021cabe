"""Transfer function of the adaptive exponential neuron (NEST's ``pynest/examples/if_curve.py``),
ported to snn.

100 ``aeif_cond_exp`` neurons (the example's parameters: V_peak = -40 mV, reset to E_L, 5 ms
refractory, a = 4 nS, b = 80.8 pA, tau_w = 144 ms) receive a noisy current of mean 400 to
850 pA and standard deviation 0 to 550 pA (a ``noise_generator`` holding each value for 1 ms,
NEST's default at 0.1 ms resolution); each point of the grid is a fresh one-second simulation,
and the figure is the mean rate. The original stores the whole grid; this port returns the rate
at each (mean, std) asked for, with ``net.reset()`` and ``drive.set(mean=, std=)`` between the
points of one network instead of NEST's rebuilt kernel.

NEST's noise reaches the neurons through the default device delay (1 ms) and sends nothing from
the first step, so it acts from 1.1 ms (see docs/from-nest.md).

Run:  uv run python examples/ports/if_curve.py   (the full 10 x 12 grid: about a minute)
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS, pA, pF
from snn.neurons import AdExCondExp, NoiseCurrent

N = 100
#: the original's grid [A]
MEANS = np.arange(400.0, 900.0, 50.0) * pA
STDS = np.arange(0.0, 600.0, 50.0) * pA


def rates(means=MEANS, stds=STDS, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Mean rate [Hz] of the 100 neurons for each mean (rows) and std (columns) [A], and the
    standard deviation of the neurons' rates [Hz]."""
    model = AdExCondExp(
        a=4 * nS,
        b=80.8 * pA,
        v_th=-50.4 * mV,
        delta_t=2 * mV,
        c_m=281 * pF,
        g_l=30 * nS,
        v_reset=-70.6 * mV,
        tau_w=144 * ms,
        t_ref=5 * ms,
        v_peak=-40 * mV,
        e_l=-70.6 * mV,
        e_ex=0.0,
        e_in=-70 * mV,
    )
    net = Network(dt=0.1 * ms, seed=seed)
    neurons = net.add_population(model, N)
    noise = net.add_drive(NoiseCurrent(mean=0.0, std=0.0, interval=1 * ms, start=1.1 * ms), neurons)
    spikes = net.record_spikes(neurons)
    out = np.zeros((len(means), len(stds)))
    spread = np.zeros_like(out)
    for i, mean in enumerate(means):
        for j, std in enumerate(stds):
            net.reset()
            noise.set(mean=mean, std=std)
            net.run(1.0)
            counts = spikes.spike_counts()
            out[i, j], spread[i, j] = counts.mean(), counts.std()
    return out, spread


if __name__ == "__main__":
    grid, _ = rates()
    print(np.round(grid, 1))
