"""The user guide: it builds without warnings, documents every public name, and its code runs.

The build needs the ``docs`` dependency group (``uv sync --group docs --inexact``); without it the
build test is skipped. The snn examples of the "coming from" pages run everywhere.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: public module -> its page of the API reference
API_PAGES = {
    "snn.core": "api/core.md",
    "snn.core.units": "api/units.md",
    "snn.core.random": "api/random.md",
    "snn.core.errors": "api/errors.md",
    "snn.core.kernels": "api/kernels.md",
    "snn.core.validate": "api/validate.md",
    "snn.core.connectivity": "api/connectivity.md",
    "snn.core.mpi": "api/mpi.md",
    "snn.neurons": "api/neurons.md",
    "snn.equations": "api/equations.md",
    "snn.synapses": "api/synapses.md",
    "snn.plasticity": "api/plasticity.md",
    "snn.encoders": "api/encoders.md",
    "snn.io": "api/io.md",
    "snn.viz": "api/viz.md",
    "snn.viz.statistics": "api/statistics.md",
    "snn.bench": "api/bench.md",
    "snn.bench.figures": "api/figures.md",
}


def public_names(module: str) -> list[str]:
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in vars(mod) if not n.startswith("_")]
    return [n for n in names if not n.startswith("_")]


def test_every_package_has_an_api_page():
    packages = sorted(
        "snn." + p.name for p in (ROOT / "packages").glob("snn-*/src/snn/*") if p.is_dir()
    )
    assert packages, "no packages found"
    nav = (ROOT / "mkdocs.yml").read_text()
    for module in packages:
        page = API_PAGES.get(module)
        assert page is not None, f"{module} has no API page: add it to API_PAGES and mkdocs.yml"
        assert (DOCS / page).read_text().strip() == f"::: {module}"
        assert page in nav, f"{page} is not in the nav of mkdocs.yml"


@pytest.mark.slow  # 20-40 s here
@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings") is None,
    reason="mkdocs is not installed: `uv sync --group docs --inexact` to build the docs",
)
def test_site_builds_strict_with_every_public_name(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    problems = [line for line in proc.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not problems, "\n".join(problems)
    for module, page in API_PAGES.items():
        html = (site / page.removesuffix(".md") / "index.html").read_text()
        anchors = set(re.findall(r'id="([\w.]+)"', html))
        assert module in anchors, f"{module} missing from {page}"
        missing = [n for n in public_names(module) if f"{module}.{n}" not in anchors]
        assert not missing, f"{module}: not in the API reference: {missing}"
    for decision in sorted((DOCS / "decisions").glob("*.md")):
        assert (site / "decisions" / decision.stem / "index.html").exists(), decision.name


def test_promises_cite_tests_that_exist():
    """Every test the promises page names is a test function of the suite (in the file named)."""
    page = (DOCS / "promises.md").read_text()
    sources = {p: p.read_text() for p in (ROOT / "tests").rglob("test_*.py")}
    cited = set(re.findall(r"`(?:(tests/[\w/]+\.py)::)?(test_\w+)`", page))
    cited |= {("", name) for name in re.findall(r"\b(test_\w+)\b(?!\.py)", page)}
    assert len(cited) > 20
    for path, name in cited:
        where = [ROOT / path] if path else list(sources)
        assert any(f"def {name}(" in sources.get(p, "") for p in where), f"{path}::{name}"
    for path in set(re.findall(r"`(tests/[\w/]+\.py)", page)):
        assert (ROOT / path).exists(), path


def snn_blocks() -> list[tuple[str, str]]:
    """The python blocks of the guide that open with ``# snn``: our side of the comparisons."""
    blocks = {}
    for page in sorted(DOCS.glob("*.md")):
        for code in re.findall(r"```python\n(.*?)```", page.read_text(), re.S):
            if code.startswith("# snn\n"):
                blocks.setdefault(code, page.name)
    return [(name, code) for code, name in blocks.items()]


@pytest.mark.parametrize(("page", "code"), snn_blocks())
def test_snn_side_of_the_comparisons_runs(page, code, capsys):
    assert "net.run(1.0)" in code
    code = code.replace("net.run(1.0)", "net.run(0.2)")
    exec(compile(code, page, "exec"), {})
    rate = float(re.search(r"E rate: ([0-9.]+) Hz", capsys.readouterr().out).group(1))
    assert 2.0 < rate < 60.0, f"{page}: the network's rate left its regime ({rate} Hz)"


def test_comparison_pages_share_one_network():
    assert len(snn_blocks()) == 1, "the three 'coming from' pages should show the same network"
