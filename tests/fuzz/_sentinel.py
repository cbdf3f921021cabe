"""A module no loader may import: a crafted checkpoint names it; importing it leaves a mark."""

from __future__ import annotations

from tests.fuzz import _worker

(_worker.TMP / "sentinel-ran").write_text("imported")


class Boom:
    """A class no loader may call."""

    def __init__(self, **fields: object) -> None:
        (_worker.TMP / "sentinel-ran").write_text("called")
