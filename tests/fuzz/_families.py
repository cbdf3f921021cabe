"""All families of the fuzz suite (the public API and the loaders), in one list."""

from __future__ import annotations

from tests.fuzz._harness import Family


def all_families() -> list[Family]:
    """Every family, API first, then the loaders."""
    from tests.fuzz import _api, _files, _live, _pynn

    return [*_api.FAMILIES, *_live.FAMILIES, *_pynn.FAMILIES, *_files.FAMILIES]
