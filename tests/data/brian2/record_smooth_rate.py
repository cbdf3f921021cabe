"""Record the Brian2 smoothed population rates that ``tests/core/test_smoothed_rate.py`` reads.

::

    uv run --group peers python tests/data/brian2/record_smooth_rate.py

Brian2 2.9 (numpy target): 20 generator neurons firing at fixed random times over 100 ms
(numpy ``default_rng(7)``, 300 spikes on the 0.1 ms grid), a ``PopulationRateMonitor``, and its
``smooth_rate`` with Gaussian windows of 1 ms and 2.04 ms (standard deviation), flat windows of
1 ms and 0.45 ms, and the array window ``[1, 2, 1]``. Stores the spike steps, the raw rate and
the smoothed rates in ``smooth_rate.npz``.
"""

from __future__ import annotations

from pathlib import Path

import brian2 as b2
import numpy as np

N, STEPS = 20, 1000
WINDOWS = {
    "gaussian_1ms": ("gaussian", 1.0),
    "gaussian_2.04ms": ("gaussian", 2.04),
    "flat_1ms": ("flat", 1.0),
    "flat_0.45ms": ("flat", 0.45),
}


def main() -> None:
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = 0.1 * b2.ms
    rng = np.random.default_rng(7)
    steps = np.sort(rng.integers(0, STEPS, 300))
    indices = rng.integers(0, N, 300)
    # one spike per neuron and step (a generator refuses repeats)
    pairs = np.unique(np.stack([steps, indices]), axis=1)
    gen = b2.SpikeGeneratorGroup(N, pairs[1], pairs[0] * 0.1 * b2.ms)
    mon = b2.PopulationRateMonitor(gen)
    b2.run(STEPS * 0.1 * b2.ms)
    out = {"steps": pairs[0], "indices": pairs[1], "rate": np.asarray(mon.rate / b2.Hz)}
    for name, (kind, ms) in WINDOWS.items():
        out[name] = np.asarray(mon.smooth_rate(kind, ms * b2.ms) / b2.Hz)
    out["array_121"] = np.asarray(mon.smooth_rate(np.array([1.0, 2.0, 1.0])) / b2.Hz)
    np.savez(Path(__file__).with_name("smooth_rate.npz"), brian2=np.array(b2.__version__), **out)


if __name__ == "__main__":
    main()
