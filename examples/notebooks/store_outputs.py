"""Execute the tutorial notebooks and store them with their outputs (figures as PNG).

The notebooks are kept executed in the repository, so that a reader on a code host and the
documentation site (mkdocs-jupyter, which does not execute them) show their figures. Run after
changing a notebook::

    uv run python examples/notebooks/store_outputs.py [NAME.ipynb ...]

Figures are drawn at 72 dpi to keep the files small; ``tests/docs/test_notebooks.py`` checks the
stored outputs and executes every notebook again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbclient
import nbformat

HERE = Path(__file__).resolve().parent
WIDGET = "application/vnd.jupyter.widget-view+json"
#: set in the kernel before the notebook runs (not stored in it)
SETUP = (
    "%config InlineBackend.figure_formats = ['png']\n%config InlineBackend.rc = {'figure.dpi': 72}"
)


def store(path: Path) -> None:
    """Execute ``path`` in a fresh kernel of this interpreter and write it back with outputs."""
    nb = nbformat.read(path, as_version=4)
    setup = nbformat.v4.new_code_cell(SETUP)
    nb.cells.insert(0, setup)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}
    )
    client.execute()
    nb.cells.pop(0)
    nb.metadata.pop("widgets", None)
    for k, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = k + 1
        # progress bars are widgets: only a live kernel can draw them
        cell.outputs = [o for o in cell.get("outputs", []) if WIDGET not in o.get("data", {})]
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = k + 1
    nbformat.write(nb, path)
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")


def main(names: list[str]) -> None:
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    paths = [HERE / n for n in names] if names else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        store(path)


if __name__ == "__main__":
    main(sys.argv[1:])
