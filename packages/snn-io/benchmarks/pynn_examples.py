"""PyNN's examples, unchanged, on pyNN.snn, pyNN.nest and pyNN.brian2 side by side.

    uv sync --group peers --inexact      # NEST and Brian2, once
    uv run --no-sync python packages/snn-io/benchmarks/pynn_examples.py EXAMPLES [--seeds 0 1 2]
        [--simulators snn nest brian2] [--only VAbenchmarks-COBA ...] [--json OUT]

``EXAMPLES`` is the ``examples`` folder of PyNN's source distribution (the tests keep one in
``~/.cache/snn/pynn-0.13.0/pynn-0.13.0``). Each example runs in its own process, in a scratch
folder, as ``python <example>.py <simulator> [arguments]``: the script is PyNN's, unchanged. For
seed ``s > 0`` the runner wraps ``setup()`` to pass ``rng_seed=s`` (pyNN.snn draws its
connectivity and sources from it, NEST its sources and noise) and seeds numpy's global generator
(Brian2's Poisson groups), and the scripts' own ``NumpyRNG`` seeds are offset by ``s``; seed 0 is
the script as published. Prints, per example and simulator, what the example reports (rates,
final weights, peak conductances, voltages) and the process's wall time, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo
import numpy as np

#: example name -> (script, arguments)
EXAMPLES: dict[str, tuple[str, list[str]]] = {
    "VAbenchmarks-CUBA": ("VAbenchmarks.py", ["CUBA"]),
    "VAbenchmarks-COBA": ("VAbenchmarks.py", ["COBA"]),
    "brunel": ("brunel.py", []),
    "small_network": ("small_network.py", []),
    "simple_STDP": ("simple_STDP.py", []),
    "tsodyksmarkram": ("tsodyksmarkram.py", []),
    "current_injection": ("current_injection.py", []),
    "Izhikevich": ("Izhikevich.py", []),
}

RUNNER = """
import sys, runpy
import numpy as np
seed, sim_name, script = int(sys.argv[1]), sys.argv[2], sys.argv[3]
if seed:
    import importlib
    sim = importlib.import_module("pyNN." + sim_name)
    setup = sim.setup
    def seeded_setup(*args, **kwargs):
        kwargs.setdefault("rng_seed", seed)
        return setup(*args, **kwargs)
    sim.setup = seeded_setup
    np.random.seed(seed)
sys.argv = [script, sim_name, *sys.argv[4:]]
runpy.run_path(script, run_name="__main__")
"""

#: the scripts' seed variables (``rngseed = 98765``, ``kernelseed = ...``), offset by the seed
SEED_PATTERN = r"\b(\w*seed\s*=\s*)(\d+)"


def _number(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else None


def _rates(out: str, folder: Path) -> dict[str, Any]:
    return {
        "E rate [Hz]": _number(r"Excitatory rate\s*:\s*([-\d.eE+]+)", out),
        "I rate [Hz]": _number(r"Inhibitory rate\s*:\s*([-\d.eE+]+)", out),
        "build [s]": _number(r"Build time\s*:\s*([-\d.eE+]+)", out),
        "simulation [s]": _number(r"Simulation time\s*:\s*([-\d.eE+]+)", out),
    }


def _blocks(folder: Path, stem: str) -> list[neo.Block]:
    files = sorted(folder.glob(f"Results/**/{stem}*.pkl"))
    return [neo.io.PickleIO(str(f)).read_block() for f in files]


def _small_network(out: str, folder: Path) -> dict[str, Any]:
    return {"rate [Hz]": _number(r"Mean firing rate:\s*([-\d.eE+]+)", out)}


def _stdp(out: str, folder: Path) -> dict[str, Any]:
    found = re.search(r"Final weights: \[(.*?)\]", out, re.S)
    weights = np.array(found.group(1).split(), dtype=float) if found else np.zeros(0)
    return {"final weights [uS]": weights.tolist()}


def _peaks(stem: str, variable: str) -> Callable[[str, Path], dict[str, Any]]:
    def extract(out: str, folder: Path) -> dict[str, Any]:
        result = {}
        for block in _blocks(folder, stem):
            for sig in block.segments[0].analogsignals:
                if sig.name == variable:
                    key = f"{block.name} max {variable}"
                    result[key] = np.asarray(sig.magnitude).max(axis=0).round(6).tolist()
        return result

    return extract


EXTRACT: dict[str, Callable[[str, Path], dict[str, Any]]] = {
    "VAbenchmarks-CUBA": _rates,
    "VAbenchmarks-COBA": _rates,
    "brunel": _rates,
    "small_network": _small_network,
    "simple_STDP": _stdp,
    "tsodyksmarkram": _peaks("tsodyksmarkram", "gsyn_inh"),
    "current_injection": _peaks("current_injection", "v"),
    "Izhikevich": _peaks("Izhikevich", "v"),
}


def run(examples: Path, name: str, simulator: str, seed: int) -> dict[str, Any]:
    """One example on one simulator with one seed, in a scratch folder."""
    script, args = EXAMPLES[name]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = (examples / script).read_text()
        if seed:
            text = re.sub(SEED_PATTERN, lambda m: f"{m.group(1)}{int(m.group(2)) + seed}", text)
        (folder / script).write_text(text)
        (folder / "runner.py").write_text(RUNNER)
        cmd = [sys.executable, "runner.py", str(seed), simulator, script, *args]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=3600)
        wall = time.perf_counter() - t0
        result: dict[str, Any] = {"wall [s]": round(wall, 3), "ok": proc.returncode == 0}
        if proc.returncode != 0:
            errors = [line for line in proc.stderr.splitlines() if "Error" in line]
            result["error"] = errors[-1][:300] if errors else proc.stderr[-300:]
            return result
        result.update(EXTRACT[name](proc.stdout, folder))
        return result


def main() -> None:
    """Run the examples and print (and optionally save) what they report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", type=Path)
    parser.add_argument("--simulators", nargs="+", default=["snn", "nest", "brian2"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--only", nargs="+", default=list(EXAMPLES))
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    results = []
    for name in options.only:
        for seed in options.seeds:
            for simulator in options.simulators:
                result = run(options.examples, name, simulator, seed)
                row = {"example": name, "simulator": simulator, "seed": seed, **result}
                results.append(row)
                print(json.dumps(row), flush=True)
    print(f"load average {os.getloadavg()}")
    if options.json:
        options.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
