"""Shared fixtures and the CI guard. Tests run with warnings as errors (pyproject) and seeds.

In CI (the environment variable ``CI`` is set by ``.ci/run``) everything a test needs is
installed or provided: the dev group (MPI, notebooks, docs), the shared data folder. There a
skip would hide a test that did not run, so it fails instead. The one exception is a comparison
that needs the reference simulators (Brian2, NEST: the ``peers`` group, not installed in CI): its
skip reason starts with :data:`PEERS_SKIP`, and CI checks our side against the stored figures of
those comparisons instead (``tests/validation/test_peer_figures.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

#: prefix of the reason of every skip allowed in CI
PEERS_SKIP = "peers:"


def _forbidden_skip(report: pytest.CollectReport | pytest.TestReport) -> str | None:
    """The reason of a skip that CI must not accept, else None."""
    if not os.environ.get("CI") or not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return None if reason.removeprefix("Skipped: ").startswith(PEERS_SKIP) else reason


def _fail_forbidden(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = _forbidden_skip(report)
    if reason is not None:
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI, where everything this test needs must be present: {reason}"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    _fail_forbidden(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    _fail_forbidden(outcome.get_result())


@pytest.fixture
def seed() -> int:
    """The seed used by tests that do not vary it."""
    return 12345


MPIEXEC = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")

#: Open MPI refuses to run as root and to start more ranks than cores unless told (documented
#: environment variables of Open MPI 5 / PRRTE)
MPI_ENV = {
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    "PRTE_MCA_rmaps_default_mapping_policy": ":oversubscribe",
    "OMPI_MCA_rmaps_base_oversubscribe": "1",
    "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
}


@pytest.fixture
def mpi_command() -> tuple[str, dict[str, str]]:
    """``mpiexec`` and the environment Open MPI needs here; skips without mpiexec or mpi4py."""
    if MPIEXEC is None:
        pytest.skip("mpiexec not found (install the mpi group)")
    pytest.importorskip("mpi4py")
    return MPIEXEC, {**os.environ, **MPI_ENV}


@pytest.fixture
def run_on_ranks(
    tmp_path: Path, mpi_command: tuple[str, dict[str, str]]
) -> Callable[[str, Path, int], dict[str, np.ndarray]]:
    """Run a script on some number of ranks and return the arrays its rank 0 saved.

    The script runs with ``folder`` first on ``sys.path`` (to import the calling test module)
    and must save its results on rank 0 with ``np.savez(OUT, ...)``. Skips when mpiexec or
    mpi4py is missing (in CI that is a failure, see above).
    """
    mpiexec, env = mpi_command

    def run(code: str, folder: Path, ranks: int) -> dict[str, np.ndarray]:
        out = tmp_path / f"out{ranks}.npz"
        script = tmp_path / f"script{ranks}.py"
        header = f"import sys\nsys.path.insert(0, {str(folder)!r})\nOUT = {str(out)!r}\n"
        script.write_text(header + textwrap.dedent(code))
        cmd = [sys.executable, str(script)]
        if ranks > 1:
            cmd = [mpiexec, "-n", str(ranks), *cmd]
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-4000:]
        return dict(np.load(out))

    return run


@pytest.fixture
def spikes_on_ranks(
    run_on_ranks: Callable[[str, Path, int], dict[str, np.ndarray]],
) -> Callable[[str, Path, float], int]:
    """Run a network built by a test module on 1 and on 2 ranks; assert the same spikes.

    ``build`` is code that defines ``net`` and a spike monitor ``mon`` (importing the test
    module from ``folder``); the network runs ``duration`` [s]. Returns the number of spikes.
    """

    def run(build: str, folder: Path, duration: float) -> int:
        code = textwrap.dedent(build) + textwrap.dedent(f"""
            import numpy as np
            net.run({duration!r})
            rec = mon.gather()
            if net.rank == 0:
                np.savez(OUT, times=rec.times, senders=rec.senders)
            """)
        outs = [run_on_ranks(code, folder, ranks) for ranks in (1, 2)]
        spikes = []
        for o in outs:
            k = np.lexsort((o["senders"], o["times"]))
            spikes.append((o["times"][k], o["senders"][k]))
        (t1, s1), (t2, s2) = spikes
        assert np.array_equal(t1, t2) and np.array_equal(s1, s2)
        return int(t1.size)

    return run


@pytest.fixture
def one_and_two_threads() -> Callable[..., tuple[Any, Any]]:
    """Run ``build()`` whole on one thread and ``build(threads=2, parallel=True)`` in two halves.

    ``build`` returns ``(net, pop, mon, ...)``; asserts that both give the same spikes (``mon``)
    and the same ``v`` of ``pop`` in one-step slices, and returns both tuples.
    """

    def run(build: Callable[..., tuple[Any, ...]], duration: float) -> tuple[Any, Any]:
        ref, net = build(), build(threads=2, parallel=True)
        ref[0].run(duration)
        net[0].run(duration / 2)
        net[0].run(duration / 2)
        assert net[0].parallel and net[0]._slice_len() == 1
        (a, b), (p, q) = (ref[2], net[2]), (ref[1], net[1])
        assert np.array_equal(a.steps, b.steps) and np.array_equal(a.senders, b.senders)
        assert np.array_equal(p.state["v"], q.state["v"])
        return ref, net

    return run


@pytest.fixture
def continues_exactly(tmp_path: Path) -> Callable[..., None]:
    """Check that ``store``/``restore`` and a checkpoint continue a run bit for bit.

    ``build()`` returns ``(net, pop, mon, proj)``. The reference runs ``first`` [s], stores,
    runs ``second``, restores and runs ``second`` again: the spikes of ``mon``, the synapse
    values ``names`` of ``proj`` and ``v`` of ``pop`` must repeat. A second network saved after
    ``saved`` [s] and loaded with ``models`` must then run to the reference's time with the
    same values.
    """

    def run(build, names, models, first: float, second: float, saved: float) -> None:
        from snn.io import load, save

        ref, ref_pop, ref_mon, ref_proj = build()
        ref.run(first)
        ref.store()
        ref.run(second)
        steps = ref_mon.steps.copy()
        values = {name: ref_proj.get(name) for name in names}
        v = ref_pop.state["v"].copy()
        ref.restore()
        ref.run(second)
        assert np.array_equal(ref_mon.steps[-steps.size :], steps[-steps.size :])
        for name in names:
            assert np.array_equal(ref_proj.get(name), values[name]), name
        assert np.array_equal(ref_pop.state["v"], v)
        net = build()[0]
        net.run(saved)
        loaded = load(save(net, tmp_path / "continued.h5"), models=models)
        assert type(loaded.projections[0].synapse) is type(ref_proj.synapse)
        loaded.run(first + second - saved)
        for name in names:
            assert np.array_equal(loaded.projections[0].get(name), ref_proj.get(name)), name
        assert np.array_equal(loaded.populations[0].state["v"], ref_pop.state["v"])

    return run
