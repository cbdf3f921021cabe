"""Peer reference runs of the benchmark models in Brian2 (C++ standalone) and NEST.

The models are defined in ``shared/BENCHMARK_MODELS.md`` (COBA, CUBA, BRUNEL, COBAHH and
BRUNEL_STDP). Each run happens in its own process::

    python -m snn.bench.peers --simulator {brian2,nest} --model {coba,cuba,brunel,cobahh,stdp}
                              --scale F --duration S --seed N --threads N [--workdir DIR]

which prints one JSON object on the last line of standard output (everything else goes to
standard error). That form needs ``snn.bench`` to be importable; `run_peer` (and `peer_command`)
load this folder as a stand-alone package instead, so the peer's interpreter needs only the
simulator and numpy. The record's keys:

``simulator``, ``version``, ``model``, ``scale``, ``seed``, ``threads``
    What ran; ``version`` is the simulator's version string.
``bio_s``
    Simulated time [s].
``n_neurons``, ``n_synapses``
    Neurons and synapses, without devices and device connections.
``build_s``
    Network construction [s]. NEST: kernel set-up, ``Create``, ``Connect``, initial values and
    ``Prepare``. Brian2: the time spent in the compiled binary before the simulation loop
    (allocation, synapse generation, initial values, spike-queue set-up).
``compile_s``
    Brian2: model definition, code generation and C++ compilation [s]; NEST: 0.
``sim_s``
    The simulation loop alone [s] (NEST ``Run``; Brian2's own loop timer).
``rates_hz``
    ``{"E": rate, "I": rate}``, spikes of the population / (N_pop * T) [Hz].
``n_spikes``
    Total number of spikes of all neurons.
``peak_rss_mb``
    Peak resident memory [MiB] (Brian2: the larger of the Python process and the binary).
``mean_weight_mV`` (``stdp`` only)
    Mean E->E weight after the run [mV], over the synapses onto 1000 E targets drawn with
    ``numpy.random.default_rng(seed + 7)`` (scale >= 1) or over all of them (scale < 1).
    Brian2 also gives ``mean_weight_all_mV`` over all synapses.
``details``
    Finer timings and memory of each phase (simulator specific).

The package imports nothing from ``snn`` outside itself, and imports Brian2 or NEST only in
the subprocess and only the one asked for, so that it runs in an environment that has just
the peer simulator and numpy.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._common import MODELS, PEER_MODELS, SIMULATORS

__all__ = ["MODELS", "PEER_MODELS", "SIMULATORS", "PeerRunError", "run_peer"]

_PACKAGE_DIR = Path(__file__).resolve().parent

# Loads this folder as a stand-alone package (so that neither ``snn`` nor ``snn.bench`` need
# to be importable in the peer's environment), then runs the command line.
_BOOTSTRAP = """\
import importlib.util, os, sys
path = sys.argv.pop(1)
spec = importlib.util.spec_from_file_location(
    "_snn_bench_peers", path, submodule_search_locations=[os.path.dirname(path)])
module = importlib.util.module_from_spec(spec)
sys.modules["_snn_bench_peers"] = module
spec.loader.exec_module(module)
from _snn_bench_peers._cli import main
sys.exit(main(sys.argv[1:]))
"""


class PeerRunError(RuntimeError):
    """A peer run failed; the message ends with the tail of its standard error."""


def peer_command(
    simulator: str,
    model: str,
    *,
    scale: float = 1.0,
    duration: float = 1.0,
    seed: int = 1,
    threads: int = 1,
    python: str | os.PathLike[str] = sys.executable,
    workdir: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Return the command line that runs one peer (see `run_peer` for the parameters).

    Returns
    -------
    list of str
        The argument vector; it does not need ``snn`` to be installed for ``python``.
    """
    if simulator not in SIMULATORS:
        raise ValueError(f"unknown simulator {simulator!r}, expected one of {SIMULATORS}")
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}, expected one of {MODELS}")
    cmd = [
        os.fspath(python),
        "-c",
        _BOOTSTRAP,
        str(_PACKAGE_DIR / "__init__.py"),
        "--simulator",
        simulator,
        "--model",
        model,
        "--scale",
        repr(float(scale)),
        "--duration",
        repr(float(duration)),
        "--seed",
        str(int(seed)),
        "--threads",
        str(int(threads)),
    ]
    if workdir is not None:
        cmd += ["--workdir", os.fspath(workdir)]
    return cmd


def parse_record(stdout: str) -> dict[str, Any]:
    """Return the JSON record on the last line of ``stdout`` that starts with ``{``.

    Parameters
    ----------
    stdout : str
        Standard output of a peer run.

    Returns
    -------
    dict
        The decoded record.

    Raises
    ------
    ValueError
        If no line starts with ``{``.
    """
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON record in the peer's output")


def run_peer(
    simulator: str,
    model: str,
    *,
    scale: float = 1.0,
    duration: float = 1.0,
    seed: int = 1,
    threads: int = 1,
    python: str | os.PathLike[str] = sys.executable,
    timeout: float | None = None,
    workdir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Run one benchmark model in a peer simulator in a subprocess and return its record.

    Parameters
    ----------
    simulator : str
        ``"brian2"`` or ``"nest"``.
    model : str
        ``"coba"``, ``"cuba"``, ``"brunel"``, ``"cobahh"`` or ``"stdp"``.
    scale : float
        Network scale factor (Brunel and STDP: N and in-degrees; others: N).
    duration : float
        Simulated time [s].
    seed : int
        Random seed.
    threads : int
        Threads of the peer (Brian2 OpenMP threads, NEST ``local_num_threads``).
    python : str or os.PathLike
        Interpreter of an environment that has the peer simulator and numpy.
    timeout : float, optional
        Wall-time limit [s]; the whole process group is killed when it is exceeded.
    workdir : str or os.PathLike, optional
        Brian2 only: parent folder of the (kept) build directory.
    env : mapping of str to str, optional
        Extra environment variables of the subprocess.

    Returns
    -------
    dict
        The JSON record (keys described in the module docstring).

    Raises
    ------
    PeerRunError
        If the peer exits with an error or prints no record.
    subprocess.TimeoutExpired
        If ``timeout`` is exceeded.
    """
    cmd = peer_command(
        simulator,
        model,
        scale=scale,
        duration=duration,
        seed=seed,
        threads=threads,
        python=python,
        workdir=workdir,
    )
    child_env = dict(os.environ)
    if env is not None:
        child_env.update(env)
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException:  # timeout or interrupt
        # The peer's own children (make, g++, the Brian2 binary) are in its process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    tail = "\n".join(stderr.splitlines()[-40:])
    if proc.returncode != 0:
        raise PeerRunError(
            f"{simulator} {model} failed with exit status {proc.returncode}:\n{tail}"
        )
    try:
        return parse_record(stdout)
    except ValueError as exc:
        raise PeerRunError(f"{simulator} {model} printed no JSON record:\n{tail}") from exc
