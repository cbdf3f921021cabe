"""Every model's default integration keeps spike times within 0.2 ms of an adaptive reference.

The reference (``snn.bench._reference``: ``solve_ivp``, DOP853, rtol 1e-10, with the model's own
threshold, reset and refractory rules) is a plain-Python transcription of each model's equations
(``snn.bench._continuous``), independent of snn's kernels. Protocols of the accuracy table
(``docs/accuracy.md``, ``snn-bench accuracy``): 1 s of a DC step, and 1 s of a bias current with
excitatory and inhibitory Poisson input, at dt = 0.1 ms.

The fast tests compare with the reference spike times stored by ``tests/data/accuracy/record.py``
(they fail, asking for a rerun, when a model's defaults or a protocol changed since); the slow
test recomputes the references.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snn.bench._accuracy import (
    PROTOCOLS,
    SPECS,
    fingerprint,
    max_error,
    reference_times,
    snn_times,
)
from snn.bench.cli import main
from snn.core.units import ms

REFERENCES = Path(__file__).parent.parent / "data" / "accuracy" / "references.npz"
DT = 0.1 * ms
#: the issue's requirement for every default method at dt = 0.1 ms
BOUND = 0.2 * ms


@pytest.fixture(scope="module")
def stored():
    return np.load(REFERENCES)


@pytest.mark.parametrize("name", list(SPECS))
def test_default_method_is_within_bound_of_the_reference(name, stored):
    assert str(stored[f"{name}/fingerprint"]) == fingerprint(name), (
        f"the defaults of {name} or its protocols changed: rerun tests/data/accuracy/record.py"
    )
    ours = snn_times(name, None, DT)
    for protocol in PROTOCOLS:
        ref = stored[f"{name}/{protocol}"]
        assert ref.size >= 5, "a protocol must make the neuron fire"
        assert ours[protocol].size == ref.size, (protocol, ours[protocol], ref)
        assert max_error(ours[protocol], ref) <= BOUND + 1e-12, protocol


def test_a_cheap_method_is_detected(stored):
    """The test above can fail: AdEx with RK4 (reset at the end of the step) drifts by about
    1 ms over the DC protocol (measured 1.1 ms)."""
    ours = snn_times("AdExCondExp", "rk4", DT)["dc"]
    assert max_error(ours, stored["AdExCondExp/dc"]) > BOUND


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SPECS))
def test_stored_references_are_the_reference(name, stored):
    for protocol in PROTOCOLS:
        live = reference_times(name, DT, protocol)
        # spike stamps on the grid: identical unless a crossing lies within the reference's
        # tolerance of a grid point
        np.testing.assert_allclose(live, stored[f"{name}/{protocol}"], atol=1e-12)


def test_cli_writes_the_table(tmp_path, capsys):
    out = tmp_path / "accuracy.md"
    assert main(["accuracy", "--models", "LIFExp", "--dt", "0.1", "--no-speed",
                 "--output", str(out)]) == 0  # fmt: skip
    text = out.read_text()
    assert "| LIFExp | exact | 0.1 | 0.00 (56) | 0.00 (47) | - |" in text
    assert "load average" in text
