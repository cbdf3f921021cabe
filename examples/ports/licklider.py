"""Pitch from delays and coincidences (Brian2's ``examples/synapses/licklider.py``), ported.

Licklider's (1951) duplex model of pitch: two noisy "ear" neurons follow a sound whose pitch
rises from 200 to 300 Hz over 500 ms; 300 noisy coincidence detectors receive both ears, one of
them delayed by 1/f, with f from 50 to 1000 Hz on a log scale. A detector fires most when its
delay matches a period of the sound. The original plots the raster; the port reduces it to the
spike count and, per 100 ms window, the frequency 1/delay of the detectors that fire most.

Two conventions differ (see docs/from-brian2.md). Brian2 gives the first ear's synapses no
delay, which acts within the step; snn's shortest delay is one step, so both ears' delays are
one step longer here, which keeps their difference, the quantity the model reads. And Brian2
adds a synaptic jump after its threshold test, so the jump has decayed for one step when it is
first tested, while snn tests it at once: two coincident jumps of 0.5 reach the threshold of 1
in snn but not in Brian2. With the original's weight of 0.5 the detectors fire about 20 % more
than in Brian2; :data:`BRIAN2_WEIGHT`, the jump after one step of decay, gives Brian2's counts.

Run:  uv run python examples/ports/licklider.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms
from snn.equations import neuron_model
from snn.synapses import Explicit

DT = 0.02 * ms
N = 300
F_MIN, F_MAX = 50 * Hz, 1000 * Hz
DURATION = 0.5

Ear = neuron_model(
    "Ear",
    """
    dx/dt = (sound - x) / tau_ear + 0.1 * (2. / tau_ear)**.5 * xi : 1 (unless refractory)
    sound = 5 * sin(2 * pi * frequency * t)**3 : 1
    frequency = (200 + 200 * t * Hz) * Hz : hertz
    tau_ear : second
    """,
    threshold="x > 1",
    reset="x = 0",
    refractory=2 * ms,
    method="euler",
)

Detector = neuron_model(
    "Detector",
    """
    dv/dt = -v / tau + sigma * (2. / tau)**.5 * xi : 1
    tau : second
    sigma : 1
    """,
    threshold="v > 1",
    reset="v = 0",
    method="euler",
    on_spike={"exc": "v += w"},
)

#: the detectors' jump as Brian2's threshold first sees it: 0.5 after one step of decay
BRIAN2_WEIGHT = 0.5 * float(np.exp(-DT / (1 * ms)))

#: the frequency each detector is tuned to [Hz]
BEST = np.exp(np.log(F_MIN) + np.arange(N) / (N - 1) * np.log(F_MAX / F_MIN))


def run(seed: int = 1, weight: float = 0.5) -> dict:
    """Simulate 500 ms; return the spike count and the best frequency per 100 ms [Hz].

    ``weight`` is the detectors' jump per ear spike (the original's 0.5, or
    :data:`BRIAN2_WEIGHT` for Brian2's timing).
    """
    net = Network(dt=DT, seed=seed)
    ears = net.add_population(Ear(tau_ear=1 * ms), 2)
    detectors = net.add_population(Detector(tau=1 * ms, sigma=0.1), N)
    pre = np.repeat([0, 1], N)
    post = np.tile(np.arange(N), 2)
    delay = DT * (1 + np.rint(pre / BEST[post] / DT))  # on the grid, as Brian2 rounds them
    net.connect(
        ears,
        detectors,
        rule=Explicit(pre=pre, post=post),
        weight=weight,
        delay=delay,
        receptor="exc",
    )
    spikes = net.record_spikes(detectors)
    net.run(DURATION)
    return figures(spikes.times, spikes.indices)


def figures(times: np.ndarray, index: np.ndarray) -> dict:
    """Spike count and, per 100 ms window, the frequency the detectors report [Hz].

    A window's frequency is the count-weighted geometric mean of the tunings of the detectors
    within 10 % of the one that fires most (the peak of the window's tuning curve).
    """
    best = []
    for start in np.arange(0.0, DURATION, 0.1):
        inside = (times >= start) & (times < start + 0.1)
        counts = np.bincount(index[inside], minlength=N)
        near = np.abs(np.log(BEST / BEST[np.argmax(counts)])) < np.log(1.1)
        log_f = np.average(np.log(BEST[near]), weights=counts[near])
        best.append(float(np.exp(log_f)))
    return {"n_spikes": int(times.size), "best_Hz": best}


if __name__ == "__main__":
    print(run())
