"""The "coming from PyNN" page: its PyNN script runs unchanged on pyNN.snn, and it lists every
PyNN scenario that does not pass here."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "from-pynn.md"


def pynn_block() -> str:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)
    (block,) = [b for b in blocks if b.startswith("import pyNN.snn as sim\n")]
    return block


def test_the_pyNN_script_of_the_page_runs_unchanged(capsys):
    code = pynn_block()
    assert "sim.run(1000.0)" in code
    exec(compile(code.replace("sim.run(1000.0)", "sim.run(200.0)"), str(PAGE), "exec"), {})
    rate = float(re.search(r"E rate: ([0-9.]+) Hz", capsys.readouterr().out).group(1))
    # the page's figure is 16.2 Hz over 1 s; the first 200 ms, from rest, give a few Hz (the
    # bounds of the snn side's test in tests/docs/test_docs.py)
    assert 2.0 < rate < 60.0, rate


def test_the_page_lists_every_scenario_that_does_not_pass():
    spec = importlib.util.spec_from_file_location(
        "pynn_test_scenarios", Path(__file__).with_name("test_scenarios.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = PAGE.read_text()
    missing = [key for key in module.EXPECTED_FAILURES if f"`{key}`" not in text]
    assert not missing, f"docs/from-pynn.md does not list {missing}"
