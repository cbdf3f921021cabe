"""Every tutorial notebook in examples/notebooks runs top to bottom and draws its plots.

Executed with nbclient in a fresh kernel of this interpreter (ipykernel), offline. Each takes
16-30 s here with numba's caches warm and 25-115 s cold (measured on the 2-vCPU project machine
under load), so all are marked slow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the dev group: `uv sync`")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the dev group: `uv sync`")
pytest.importorskip("ipykernel", reason="ipykernel is in the dev group: `uv sync`")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "examples" / "notebooks"


def notebooks():
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    return [pytest.param(p, id=p.stem, marks=pytest.mark.slow) for p in paths]


def test_there_are_notebooks():
    assert len(notebooks()) >= 7


def test_notebooks_are_stored_without_outputs():
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs, f"{path.name}: clear the outputs before committing"


@pytest.mark.parametrize("path", notebooks())
def test_notebook_runs(path, monkeypatch):
    # jupyter_core warns about its old paths otherwise (an error here)
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    # the kernel must be this interpreter (the workspace's environment), not a `python` on PATH
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent), prepend=":")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    images = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "image/png" in out.get("data", {})
    ]
    assert images, f"{path.name} drew no figure"
