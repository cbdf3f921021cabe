"""Unsupervised learning of the 8x8 digits with STDP, in the style of Diehl & Cook (2015).

The demo's network, training, labelling and vote live in :mod:`snn.bench.digits` (read it
there: every step is commented), so that ``snn-bench run digits`` runs the same code. This script
runs it with the receptive fields saved beside itself.

Run:  uv run python examples/digits_stdp/digits_stdp.py [--n-exc 200 --epochs 1 --seed 0 ...]
"""

from __future__ import annotations

from pathlib import Path

from snn.bench.digits import Params, Result, cli, main

__all__ = ["Params", "Result", "main"]

if __name__ == "__main__":
    cli(default_plot=str(Path(__file__).resolve().parent / "receptive_fields.png"))
