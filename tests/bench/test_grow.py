"""``snn-bench grow``: after COBA gains a population of a kind its loop lacks, with the kernels
and the units' functions cached on disk by an earlier process, the run compiles the new loop
and nothing else (decision 0021)."""

from __future__ import annotations

import pytest

from snn.bench._grow import grow_report, measure_grow


@pytest.mark.slow  # two processes compiling COBA from empty caches: about 20-40 s
def test_a_grown_network_compiles_only_its_loop():
    result = measure_grow(repeats=1)
    (run,) = result["snn"]["runs"]
    assert [c["function"].rsplit(".", 1)[-1] for c in run["compiled"]] == ["chunk"]
    assert run["compiled"][0]["function"].startswith("snn_loop_")
    # the loop calls its groups' functions, every one loaded from the first process's cache
    assert run["units"] >= 4 and run["unit_cache_misses"] == 0
    assert "grown run" in grow_report(result)
