"""Izhikevich's simple-model network (Brian2's ``examples/frompapers/Izhikevich_2003.py``),
ported to snn.

Izhikevich (2003, IEEE Trans. Neural Netw. 14:1569): 800 excitatory neurons (regular spiking to
chattering, ``c = -65 + 15 r^2``, ``d = 8 - 6 r^2``) and 200 inhibitory ones (fast spiking to
low-threshold spiking, ``a = 0.02 + 0.08 r``, ``b = 0.25 - 0.05 r``), all to all with uniform
random weights (0 to 0.5 from excitatory neurons, 0 to -1 from inhibitory ones), thalamic noise
of standard deviation 5 (excitatory) and 2 (inhibitory) drawn every millisecond, forward Euler
at dt = 1 ms for one second. The original plots the raster, which shows the network's alpha and
gamma rhythms; this port reduces it to the excitatory and inhibitory rates and the frequency of
the largest peak of the population rate's spectrum between 5 and 100 Hz.

Brian2's synapses add ``w`` to the input ``I`` at the spike and take it away one millisecond
later, so ``I`` carries the weight for exactly one Euler step, which adds it to ``v``; snn's
receptor adds ``w`` to ``v`` after the step's Euler update, which is the same. The noise
``I_noise = 5*randn()`` (Brian2's ``run_regularly``) is a :class:`snn.neurons.NoiseCurrent`
feeding the model's current ``I_noise``, one value per step.

Run:  uv run python examples/ports/izhikevich_2003.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms
from snn.equations import neuron_model
from snn.neurons import NoiseCurrent
from snn.synapses import AllToAll

N_E, N_I = 800, 200
DT = 1 * ms
DURATION = 1.0

Izhikevich = neuron_model(
    "Izhikevich2003",
    """
    dv/dt = (0.04*v**2 + 5*v + 140 - u + I_noise) / ms : 1
    du/dt = a * (b*v - u) / ms : 1
    I_noise : 1
    a : 1
    b : 1
    c : 1
    d : 1
    """,
    threshold="v >= 30",
    reset="v = c; u += d",
    method="euler",
    on_spike={"syn": "v += w"},
    currents=["I_noise"],
)


def run(seed: int = 1) -> dict:
    """Simulate one second; return the rates [Hz] and the rhythm's frequency [Hz]."""
    rng = np.random.default_rng(seed)
    r_e, r_i = rng.uniform(size=N_E), rng.uniform(size=N_I)
    weights = np.vstack(
        [0.5 * rng.uniform(size=(N_E, N_E + N_I)), -rng.uniform(size=(N_I, N_E + N_I))]
    )
    net = Network(dt=DT, seed=seed)
    exc_model = Izhikevich(a=0.02, b=0.2, c=-65 + 15 * r_e**2, d=8 - 6 * r_e**2)
    inh_model = Izhikevich(a=0.02 + 0.08 * r_i, b=0.25 - 0.05 * r_i, c=-65.0, d=2.0)
    exc = net.add_population(exc_model, N_E, init={"v": -65.0, "u": -65.0 * 0.2})
    inh = net.add_population(inh_model, N_I, init={"v": -65.0, "u": -65.0 * (0.25 - 0.05 * r_i)})
    pops = (exc, inh)
    for k, pre in enumerate(pops):
        rows = slice(0, N_E) if k == 0 else slice(N_E, N_E + N_I)
        for m, post in enumerate(pops):
            cols = slice(0, N_E) if m == 0 else slice(N_E, N_E + N_I)
            net.connect(
                pre, post, rule=AllToAll(), weight=weights[rows, cols], delay=DT, receptor="syn"
            )
    net.add_drive(NoiseCurrent(std=5.0), exc)
    net.add_drive(NoiseCurrent(std=2.0), inh)
    spikes_e = net.record_spikes(exc)
    spikes_i = net.record_spikes(inh)
    net.run(DURATION)
    return figures(spikes_e.times, spikes_i.times)


def figures(times_e: np.ndarray, times_i: np.ndarray) -> dict:
    """Rates of both populations [Hz] and the spectral peak of the whole network's rate [Hz]."""
    counts, _ = np.histogram(np.concatenate([times_e, times_i]), bins=np.arange(0, 1.0005, 1e-3))
    spectrum = np.abs(np.fft.rfft(counts - counts.mean())) ** 2
    freqs = np.fft.rfftfreq(counts.size, 1e-3)
    band = (freqs >= 5) & (freqs <= 100)
    return {
        "rate_e_Hz": float(times_e.size / N_E / DURATION),
        "rate_i_Hz": float(times_i.size / N_I / DURATION),
        "peak_Hz": float(freqs[band][np.argmax(spectrum[band])]),
    }


if __name__ == "__main__":
    print(run())
