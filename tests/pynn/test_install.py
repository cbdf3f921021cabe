"""``import pyNN.snn`` works from built wheels in a fresh environment, not only from this
workspace's editable install (the ``.pth`` import hook of snn-io, decision 0012)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")

SCRIPT = textwrap.dedent(
    """
    import pyNN.snn as sim
    import snn.io._pynn

    assert sim is snn.io._pynn
    sim.setup(timestep=0.1)
    p = sim.Population(1, sim.IF_curr_exp(i_offset=1.0))
    p.record("spikes")
    sim.run(50.0)
    # tau_m ln(R I / (R I - 15 mV)) = 20 ln(20 / 5) = 27.73 ms, on the 0.1 ms grid: 27.8 ms
    print([float(t) for t in p.get_data().segments[0].spiketrains[0].magnitude])
    """
)


@pytest.mark.slow  # builds wheels and installs them into a new environment (uv's cache: ~10 s)
@pytest.mark.skipif(UV is None, reason="uv is not on PATH")
def test_wheels_installed_in_a_fresh_environment_provide_pyNN_snn(tmp_path):
    dist = tmp_path / "dist"
    members = (
        "snn-core",
        "snn-neurons",
        "snn-synapses",
        "snn-plasticity",
        "snn-equations",
        "snn-io",
    )
    for member in members:
        subprocess.run(
            [UV, "build", "--wheel", "-o", str(dist), str(ROOT / "packages" / member)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "-q", "-p", sys.executable, str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    wheels = [str(w) for w in sorted(dist.glob("*.whl"))]
    io_wheel = next(w for w in wheels if "snn_io" in w)
    wheels = [w for w in wheels if w != io_wheel] + [f"{io_wheel}[pynn]"]
    subprocess.run(
        [UV, "pip", "install", "-q", "-p", str(python), *wheels],
        check=True,
        capture_output=True,
        timeout=600,
    )
    out = subprocess.run(
        [str(python), "-c", SCRIPT], capture_output=True, text=True, timeout=600, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "[27.8]"
