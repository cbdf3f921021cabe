"""Stored reference figures of the peers, so that agreement with them is checked without them.

BENCHMARKS.md claims that snn's benchmark models agree with Brian2 and NEST (rates of COBA,
CUBA, Brunel, the microcircuit and COBAHH; the mean weight of plastic Brunel). The peers are not
installed in CI, so :func:`record` runs them once per configuration of :data:`CONFIGS` and seed
(``snn-bench figures --out tests/data/peer_figures.json``, needs the ``peers`` group) and the
test suite compares snn, run live with the same configurations, against the stored records
(:func:`agreement`).

Seeds do not correspond between simulators (each draws its own connectivity and input), so the
comparison is between seed ensembles: snn's mean over its seeds must lie within
:data:`N_SIGMA` standard errors of the difference of the two ensembles' means from the peers'
mean over all their seeds and simulators, the standard error being
``sqrt(var_peers / n_peers + var_snn / n_snn)`` from the seed-to-seed variances.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snn.bench.peers import PEER_MODELS, run_peer

__all__ = ["CONFIGS", "N_SIGMA", "Config", "agreement", "quantities", "record"]

#: standard errors of the difference of the ensemble means within which snn must lie. With 3-5
#: seeds a side the variances are themselves uncertain (a 3-seed standard deviation can be half
#: the true one); 4 keeps the chance of a false alarm per quantity small while a shift of a few
#: seed-spreads, what a convention error gives, still fails.
N_SIGMA = 4.0


@dataclass(frozen=True)
class Config:
    """One benchmark model at one size, duration and set of seeds.

    Parameters
    ----------
    model
        Benchmark model name (``snn-bench list``).
    scale
        Network scale factor.
    duration
        Simulated time after the model's transient [s].
    seeds
        Seeds run on every side.
    """

    model: str
    scale: float
    duration: float
    seeds: tuple[int, ...]

    @property
    def key(self) -> str:
        """Name of the configuration in the stored file."""
        return f"{self.model}@{self.scale:g}x{self.duration:g}s"


#: the configurations, small enough that snn runs all of them in CI in about a minute
CONFIGS: tuple[Config, ...] = (
    Config("coba", 1.0, 1.0, (1, 2, 3, 4, 5)),
    Config("cuba", 1.0, 1.0, (1, 2, 3, 4, 5)),
    Config("brunel", 0.2, 1.0, (1, 2, 3)),
    Config("cobahh", 1.0, 1.0, (1, 2, 3)),
    Config("stdp", 0.2, 1.0, (1, 2, 3)),
    Config("microcircuit", 0.1, 1.0, (1, 2, 3)),
)


def quantities(rec: dict[str, Any]) -> dict[str, float]:
    """The compared figures of one run record: rate per group [Hz] and mean weight [mV]."""
    out = {f"rate_{k}_hz": float(v) for k, v in rec["rates_hz"].items()}
    if "mean_weight_mV" in rec:
        out["mean_weight_mV"] = float(rec["mean_weight_mV"])
    return out


def record(
    path: str | Path,
    *,
    configs: Sequence[Config] = CONFIGS,
    python: str = sys.executable,
    timeout: float = 3600.0,
) -> dict[str, Any]:
    """Run every peer on every configuration and seed; write and return the figures.

    Parameters
    ----------
    path
        JSON file to write (existing configurations not in ``configs`` are kept).
    configs
        Configurations to run.
    python
        Interpreter with Brian2 and NEST installed.
    timeout
        Per peer run [s].

    Returns
    -------
    dict
        ``{config key: {"config": {...}, "runs": [{simulator, version, seed, figures}]}}``.
    """
    path = Path(path)
    stored = json.loads(path.read_text()) if path.exists() else {}
    for cfg in configs:
        runs = []
        for simulator, models in PEER_MODELS.items():
            if cfg.model not in models:
                continue
            for seed in cfg.seeds:
                t0 = time.perf_counter()
                rec = run_peer(
                    simulator,
                    cfg.model,
                    scale=cfg.scale,
                    duration=cfg.duration,
                    seed=seed,
                    python=python,
                    timeout=timeout,
                )
                runs.append(
                    {
                        "simulator": simulator,
                        "version": rec["version"],
                        "seed": seed,
                        "figures": quantities(rec),
                    }
                )
                print(
                    f"{cfg.key} {simulator} seed {seed}: {quantities(rec)} "
                    f"({time.perf_counter() - t0:.0f} s)",
                    file=sys.stderr,
                )
        stored[cfg.key] = {
            "config": {
                "model": cfg.model,
                "scale": cfg.scale,
                "duration": cfg.duration,
                "seeds": list(cfg.seeds),
            },
            "runs": runs,
        }
        path.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    return stored


def _mean_var(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return mean, var


def agreement(
    peers: Sequence[float], ours: Sequence[float], *, n_sigma: float = N_SIGMA
) -> tuple[bool, str]:
    """Whether snn's seed ensemble ``ours`` agrees with the peers' ``peers`` (see module doc).

    Returns
    -------
    bool
        Agreement.
    str
        The figures behind the verdict, for a failure message.
    """
    mp, vp = _mean_var(peers)
    mo, vo = _mean_var(ours)
    se = math.sqrt(vp / len(peers) + vo / len(ours))
    ok = abs(mo - mp) <= n_sigma * se
    text = (
        f"snn {mo:.4g} (sd {math.sqrt(vo):.3g}, n {len(ours)}) vs peers {mp:.4g} "
        f"(sd {math.sqrt(vp):.3g}, n {len(peers)}): |difference| {abs(mo - mp):.3g}, "
        f"allowed {n_sigma:g} x {se:.3g}"
    )
    return ok, text
