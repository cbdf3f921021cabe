"""MkDocs hooks: the "Design decisions" section of the nav lists every file of docs/decisions.

Decisions are added by many hands; listing them here keeps mkdocs.yml from going stale (a page
left out of the nav is built but cannot be reached from the menu).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SECTION = "Design decisions"


def on_config(config: Any) -> Any:
    """Fill the nav's design decisions section from the files in docs/decisions."""
    folder = Path(config["docs_dir"]) / "decisions"
    pages = [f"decisions/{p.name}" for p in sorted(folder.glob("*.md"))]
    for item in config["nav"] or []:
        if isinstance(item, dict) and SECTION in item:
            item[SECTION] = pages
    return config
