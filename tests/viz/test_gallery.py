"""examples/gallery/make_gallery.py renders every plot of snn.viz from one Brunel run."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
from matplotlib.image import imread

import snn.viz

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "gallery" / "make_gallery.py"


def gallery_files() -> list[str]:
    tree = ast.parse(SCRIPT.read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if getattr(target, "id", None) == "FILES":
                return list(ast.literal_eval(node.value))
    raise AssertionError("FILES not found in the gallery script")


def test_gallery_calls_every_public_plot():
    source = SCRIPT.read_text()
    missing = [name for name in snn.viz.__all__ if f"viz.{name}(" not in source]
    assert not missing


def test_gallery_renders_every_plot(tmp_path):
    res = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), "--scale", "0.05", "--duration", "0.2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    names = gallery_files()
    assert len(names) == 22
    written = sorted(p.stem for p in tmp_path.glob("*.png"))
    assert written == sorted(names)
    for name in names:
        path = tmp_path / f"{name}.png"
        assert path.stat().st_size > 10_000, name
        pixels = imread(path)
        # something was drawn: many distinct colours, not a blank canvas with a note
        assert np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0).shape[0] > 20, name
    assert "22 plots" in res.stdout
