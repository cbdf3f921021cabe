"""The README's example runs as written (shortened to 0.1 s)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_example_runs(capsys):
    text = README.read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 16
    code = code.replace("net.run(1.0, progress=True)", "net.run(0.1)")
    exec(compile(code, str(README), "exec"), {})
    out = capsys.readouterr().out
    rate = float(re.search(r"E rate: ([0-9.]+) Hz", out).group(1))
    assert 5.0 < rate < 200.0


def test_readme_setup_commands_match_ci():
    text = README.read_text()
    ci = (README.parent / ".ci" / "run").read_text()
    assert "uv run pytest" in text
    assert ci.strip().splitlines()[-1] == "uv run pytest"
    assert "pip install uv && uv run snn-bench run brunel --plot brunel.png" in text
