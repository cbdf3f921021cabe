"""Record NEST 3.10's ``correlation_detector`` histogram for ``tests/viz/test_correlogram.py``.

Run in an environment with NEST (the ``peers`` group)::

    uv sync --group peers --inexact
    uv run --no-sync python tests/data/nest/record_correlation.py

Two irregular trains on the 0.1 ms grid (1,500 draws each over 2 s, repeats dropped) reach a
``correlation_detector`` (``delta_tau`` 0.5 ms, ``tau_max`` 10 ms) through a
``parrot_neuron`` each (receptor 0 and 1; both parrots add the same delay, so the lags are the
trains'). Writes ``correlation_detector.npz``: ``times_1``, ``times_2`` [ms], ``delta_tau``,
``tau_max`` [ms], ``count_histogram``, and ``window`` [ms] with ``count_histogram_window`` of a
second detector counting only in that window (``Tstart``, ``Tstop``), and the NEST version.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def main() -> None:
    import nest

    rng = np.random.default_rng(7)
    a = np.unique(rng.integers(1, 20000, 1500)) * 0.1
    b = np.unique(rng.integers(1, 20000, 1500)) * 0.1
    nest.ResetKernel()
    nest.resolution = 0.1
    g1 = nest.Create("spike_generator", params={"spike_times": a})
    g2 = nest.Create("spike_generator", params={"spike_times": b})
    p1, p2 = nest.Create("parrot_neuron"), nest.Create("parrot_neuron")
    cd = nest.Create("correlation_detector", params={"delta_tau": 0.5, "tau_max": 10.0})
    # the same with a counting window: a pair counts when its later spike is in it
    window = {"delta_tau": 0.5, "tau_max": 10.0, "Tstart": 500.0, "Tstop": 1500.0}
    cdw = nest.Create("correlation_detector", params=window)
    nest.Connect(g1, p1)
    nest.Connect(g2, p2)
    for detector in (cd, cdw):
        nest.Connect(p1, detector, syn_spec={"receptor_type": 0})
        nest.Connect(p2, detector, syn_spec={"receptor_type": 1})
    nest.Simulate(2100.0)
    np.savez_compressed(
        HERE / "correlation_detector.npz",
        times_1=a,
        times_2=b,
        delta_tau=0.5,
        tau_max=10.0,
        count_histogram=np.asarray(cd.count_histogram, dtype=np.int64),
        # Tstart, Tstop [ms] of the second detector, in the parrots' time (the inputs' + 1 ms)
        window=np.array([500.0, 1500.0]),
        count_histogram_window=np.asarray(cdw.count_histogram, dtype=np.int64),
        nest_version=nest.__version__,
    )


if __name__ == "__main__":
    main()
