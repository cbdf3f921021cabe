"""Record the adaptive-reference spike times that ``tests/bench/test_accuracy.py`` compares with.

::

    uv run --no-sync python tests/data/accuracy/record.py

For every model of :data:`snn.bench._accuracy.SPECS`, the spike times of the adaptive reference
(``solve_ivp``, DOP853, rtol 1e-10, the model's spike rules) under both protocols of the
accuracy table at dt = 0.1 ms over 1 s, and the fingerprint of the model's defaults and of the
protocols (the test refuses stale references). About two minutes; a slow test recomputes them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from snn.bench._accuracy import PROTOCOLS, SPECS, fingerprint, reference_times

DT = 1e-4


def main() -> None:
    data = {}
    for name in SPECS:
        data[f"{name}/fingerprint"] = np.array(fingerprint(name))
        for protocol in PROTOCOLS:
            data[f"{name}/{protocol}"] = reference_times(name, DT, protocol)
        print(name, "done", flush=True)
    np.savez_compressed(Path(__file__).parent / "references.npz", **data)


if __name__ == "__main__":
    main()
