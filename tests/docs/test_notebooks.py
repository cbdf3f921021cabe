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
    assert len(notebooks()) >= 8


#: largest stored notebook [bytes]: figures at 72 dpi keep each well below (100-400 KiB)
MAX_BYTES = 1_000_000


def test_notebooks_are_stored_executed_with_their_figures():
    """The docs site and code hosts show the stored outputs (``store_outputs.py`` writes them)."""
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        counts = [c.execution_count for c in code]
        assert counts == list(range(1, len(code) + 1)), (
            f"{path.name}: not stored executed top to bottom; run "
            "`uv run python examples/notebooks/store_outputs.py`"
        )
        outputs = [o for c in code for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], f"{path.name}: an error"
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{path.name}: no figure"
        assert path.stat().st_size < MAX_BYTES, f"{path.name}: {path.stat().st_size} bytes"


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
