"""The agreement with Brian2 and NEST claimed in BENCHMARKS.md, checked without the peers.

``tests/data/peer_figures.json`` holds the peers' rates (and the plastic network's mean weight)
for every configuration of :data:`snn.bench.figures.CONFIGS` and seed, recorded by
``uv run --group peers snn-bench figures`` (Brian2 2.9.0 C++ standalone, NEST 3.10.0; the file
records each run's version). Here snn runs the same configurations live and its seed ensemble
must agree with the peers' (:func:`snn.bench.figures.agreement`: within 4 standard errors of the
difference of the ensemble means; the module says why).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from snn.bench import run_model
from snn.bench.figures import CONFIGS, agreement, quantities

STORED = Path(__file__).resolve().parents[1] / "data" / "peer_figures.json"
FIGURES = json.loads(STORED.read_text())


@pytest.mark.parametrize("cfg", CONFIGS, ids=[c.key for c in CONFIGS])
def test_agrees_with_stored_peer_figures(cfg):
    stored = FIGURES[cfg.key]
    assert stored["config"]["seeds"] == list(cfg.seeds), "re-record: the configuration changed"
    peers = stored["runs"]
    assert peers, f"no peer runs stored for {cfg.key}"
    ours = []
    for seed in cfg.seeds:
        rec, _ = run_model(cfg.model, duration=cfg.duration, scale=cfg.scale, seed=seed)
        ours.append(quantities(rec))
    failures = []
    for name in peers[0]["figures"]:
        ok, text = agreement([r["figures"][name] for r in peers], [q[name] for q in ours])
        if not ok:
            failures.append(f"{name}: {text}")
    assert not failures, f"{cfg.key} disagrees with the peers:\n" + "\n".join(failures)
