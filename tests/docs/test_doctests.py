"""Every example in the docstrings of the public API runs and shows what it prints (doctest)."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

#: the modules whose public names the API reference documents (see tests/docs/test_docs.py)
MODULES = [
    "snn.core",
    "snn.core.units",
    "snn.core.random",
    "snn.core.errors",
    "snn.neurons",
    "snn.synapses",
    "snn.plasticity",
    "snn.encoders",
    "snn.io",
    "snn.viz",
    "snn.bench",
]


def docstring_examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(recurse=True, exclude_empty=True)
    found: dict[tuple[str | None, int | None, str], doctest.DocTest] = {}
    for module in MODULES:
        mod = importlib.import_module(module)
        objects = [(module, mod)]
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            documented = inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj)
            if documented and getattr(obj, "__module__", module).startswith("snn"):
                objects.append((f"{module}.{name}", obj))
        for name, obj in objects:
            for test in finder.find(obj, name, module=False, globs={}):
                if test.examples:
                    found.setdefault((test.filename, test.lineno, test.docstring or ""), test)
    return sorted(found.values(), key=lambda t: t.name)


EXAMPLES = docstring_examples()


def test_there_are_docstring_examples():
    assert EXAMPLES


@pytest.mark.parametrize("test", EXAMPLES, ids=[t.name for t in EXAMPLES])
def test_docstring_example_runs(test):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)
