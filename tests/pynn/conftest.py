"""PyNN's own tests, fetched from its source distribution, run against ``pyNN.snn``.

Nothing of PyNN's is kept in this repository: the source distribution of the PyNN release in the
lock file is downloaded with pip at test time (checked against the lock's sha256) and unpacked
into a cache folder (``$SNN_PYNN_CACHE``, default ``~/.cache/snn/pynn-<version>``), reused by
later runs. Where the download is impossible the tests are skipped, except in CI (``CI`` set),
where they fail.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import types
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def locked_sdist() -> tuple[str, str]:
    """PyNN's version and the sha256 of its source distribution, from ``uv.lock``."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    (pkg,) = [p for p in lock["package"] if p["name"] == "pynn"]
    return pkg["version"], pkg["sdist"]["hash"].removeprefix("sha256:")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PyNN's source distribution is needed in CI: {reason}")
    pytest.skip(f"PyNN's source distribution is not available: {reason}")


def pynn_sdist() -> Path:
    """The unpacked source distribution of the locked PyNN release (downloaded once)."""
    version, sha = locked_sdist()
    cache = Path(
        os.environ.get("SNN_PYNN_CACHE", Path.home() / ".cache" / "snn" / f"pynn-{version}")
    )
    root = cache / f"pynn-{version}"
    if (root / "test" / "system" / "scenarios").is_dir():
        return root
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        cmd += ["--no-binary", ":all:", f"PyNN=={version}", "-d", tmp]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        tarballs = list(Path(tmp).glob("*.tar.gz"))
        if proc.returncode != 0 or len(tarballs) != 1:
            _unavailable(f"`{' '.join(cmd)}` failed: {proc.stderr.strip()[-500:]}")
        data = tarballs[0].read_bytes()
        got = hashlib.sha256(data).hexdigest()
        if got != sha:
            pytest.fail(f"PyNN {version} sdist has sha256 {got}, uv.lock says {sha}.")
        cache.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(cache, filter="data")
    return root


@pytest.fixture(scope="session")
def pynn_examples() -> Path:
    """The folder of PyNN's example scripts in its unpacked source distribution."""
    return pynn_sdist() / "examples"


def load_package(name: str, folder: Path) -> types.ModuleType:
    """Import ``folder`` (a package with relative imports) under the name ``name``."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def scenario_functions() -> dict[str, tuple[Callable[..., None], tuple[str, ...]]]:
    """PyNN's system scenarios: ``"<file>::<test>"`` to the function and the simulators PyNN
    runs it with."""
    folder = pynn_sdist() / "test" / "system" / "scenarios"
    load_package("pynn_scenarios", folder)
    found = {}
    for path in sorted(folder.glob("test_*.py")):
        module = importlib.import_module(f"pynn_scenarios.{path.stem}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            marks = getattr(func, "pytestmark", [])
            params = [m for m in marks if m.name == "parametrize" and m.args[0] == "sim"]
            if name.startswith("test_") and params:
                sims = tuple(p.id for p in params[0].args[1])
                found[f"{path.stem}::{name}"] = (func, sims)
    return found


#: PyNN's unit tests that take the backend as an argument (``def test_x(self, sim=sim)``)
UNIT_TEST_MODULES = (
    "test_population",
    "test_populationview",
    "test_assembly",
    "test_projection",
    "test_simulation_control",
)


def unit_tests() -> dict[str, tuple[type, str]]:
    """PyNN's backend-generic unit tests: ``"<file>::<class>::<test>"`` to class and name."""
    folder = pynn_sdist() / "test" / "unittests"
    load_package("pynn_unittests", folder)
    found = {}
    for stem in UNIT_TEST_MODULES:
        module = importlib.import_module(f"pynn_unittests.{stem}")
        for cname, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for name, func in inspect.getmembers(cls, inspect.isfunction):
                if name.startswith("test") and "sim" in inspect.signature(func).parameters:
                    found[f"{stem}::{cname}::{name}"] = (cls, name)
    return found


def _parametrize(metafunc: pytest.Metafunc, argname: str, find: Callable[[], dict]) -> None:
    """Parametrize ``argname`` over PyNN's tests, leaving out the module's ``NOT_APPLICABLE``
    and marking its ``EXPECTED_FAILURES`` (id to reason) as strict xfails."""
    expected = getattr(metafunc.module, "EXPECTED_FAILURES", {})
    left_out = getattr(metafunc.module, "NOT_APPLICABLE", {})
    try:
        found = find()
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        metafunc.parametrize(argname, [pytest.param(None, id="unavailable")])
        metafunc.definition.add_marker(pytest.mark.skip(reason=str(exc)))
        return
    unknown = sorted((set(expected) | set(left_out)) - set(found))
    assert not unknown, f"{metafunc.module.__name__} names tests PyNN does not have: {unknown}"
    params = []
    for key, value in found.items():
        if key in left_out:
            continue
        marks = [pytest.mark.xfail(strict=True, reason=expected[key])] if key in expected else []
        params.append(pytest.param(value, id=key, marks=marks))
    metafunc.parametrize(argname, params)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``scenario``: PyNN's system scenarios; ``unit_test``: its backend-generic unit tests."""
    if "scenario" in metafunc.fixturenames:
        _parametrize(metafunc, "scenario", scenario_functions)
    if "unit_test" in metafunc.fixturenames:
        _parametrize(metafunc, "unit_test", unit_tests)
