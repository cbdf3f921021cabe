"""The dependency direction of DESIGN.md: core imports no sibling; each package imports only the
packages it may, and the heavy optional libraries only where they belong."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "packages"

ALLOWED = {
    "core": set(),
    "neurons": {"core"},
    "synapses": {"core"},
    "encoders": {"core"},
    "plasticity": {"core", "synapses"},
    # io turns foreign descriptions (NIR, SONATA, PyNN) into snn's own models; PyNN's composed
    # neurons become equation models (snn-equations)
    "io": {"core", "neurons", "synapses", "plasticity", "encoders", "equations"},
    "viz": {"core", "io"},
    # the equation compiler builds snn's own model protocols: core's public API only
    "equations": {"core"},
    "bench": {"core", "neurons", "synapses", "plasticity", "encoders", "io", "viz", "equations"},
}
ONLY_IN = {
    "matplotlib": {"viz"},
    "h5py": {"io"},
    "pynwb": {"io"},
    "neo": {"io"},
    "nir": {"io"},
    "pyNN": {"io"},
    "mpi4py": {"core"},
    "brian2": {"bench"},
    "nest": {"bench"},
    "sympy": {"equations"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependency_direction(package):
    src = ROOT / f"snn-{package}" / "src" / "snn" / package
    files = list(src.rglob("*.py"))
    assert files
    for f in files:
        for name in imports_of(f):
            parts = name.split(".")
            if parts[0] == "snn" and len(parts) > 1 and parts[1] != package:
                assert parts[1] in ALLOWED[package], f"{f} imports {name}"
            if parts[0] in ONLY_IN:
                assert package in ONLY_IN[parts[0]], f"{f} imports {name}"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_siblings_use_public_modules_only(package):
    """A package imports another package's public modules only (``snn.core.kernels``, never
    ``snn.core._jit``): the extension surface is public and documented."""
    src = ROOT / f"snn-{package}" / "src" / "snn" / package
    for f in src.rglob("*.py"):
        for name in imports_of(f):
            parts = name.split(".")
            if parts[0] == "snn" and len(parts) > 2 and parts[1] != package:
                assert not any(p.startswith("_") for p in parts[2:]), f"{f} imports {name}"


def test_no_namespace_init():
    for member in ROOT.iterdir():
        assert not (member / "src" / "snn" / "__init__.py").exists(), member


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_declared_dependencies_cover_imports(package):
    import tomllib

    meta = tomllib.loads((ROOT / f"snn-{package}" / "pyproject.toml").read_text())
    declared = {
        d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
        for d in meta["project"]["dependencies"]
    }
    extras = {
        d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
        for ds in meta["project"].get("optional-dependencies", {}).values()
        for d in ds
    }
    src = ROOT / f"snn-{package}" / "src" / "snn" / package
    third = {
        "numpy",
        "numba",
        "llvmlite",
        "tqdm",
        "matplotlib",
        "scipy",
        "h5py",
        "pynwb",
        "neo",
        "nir",
        "mpi4py",
        "brian2",
        "nest",
        "sympy",
        "pyNN",
    }
    dist_of = {"nest": "nest-simulator", "pyNN": "pynn"}
    for f in src.rglob("*.py"):
        if "peers" in f.parts:
            continue  # run in a peer's own environment, see snn.bench.peers
        for name in imports_of(f):
            top = name.split(".")[0]
            if top == "snn" and len(name.split(".")) > 1 and name.split(".")[1] != package:
                assert f"snn-{name.split('.')[1]}" in declared, f"{f}: {name} undeclared"
            elif top in third:
                dist = dist_of.get(top, top)
                assert dist in declared | extras, f"{f}: {name} undeclared"
