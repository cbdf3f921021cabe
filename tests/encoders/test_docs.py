"""Public API: docstring parameters match the signatures (stumpy's habit), ``__all__`` exact."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import snn.encoders as enc


def documented(doc: str) -> list[str]:
    """Names in the numpydoc Parameters section of ``doc``."""
    lines = inspect.cleandoc(doc).splitlines()
    if "Parameters" not in lines:
        return []
    i = lines.index("Parameters") + 2
    names = []
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and set(lines[i + 1]) == {"-"}:
            break  # the next section
        if line and not line.startswith(" "):
            names += [n.strip() for n in line.split(":")[0].split(",")]
        i += 1
    return names


def signature_names(func) -> list[str]:
    return [
        p.name
        for p in inspect.signature(func).parameters.values()
        if p.name not in ("self", "cls") and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]


def public_callables():
    for name in enc.__all__:
        obj = getattr(enc, name)
        if inspect.isclass(obj):
            if dataclasses.is_dataclass(obj) and "Parameters" in (obj.__doc__ or ""):
                fields = [f.name for f in dataclasses.fields(obj) if f.init]
                yield name, obj.__doc__, fields
            for meth_name, meth in vars(obj).items():
                meth = getattr(meth, "__func__", meth)
                if callable(meth) and not meth_name.startswith("_") and meth.__doc__:
                    yield f"{name}.{meth_name}", meth.__doc__, signature_names(meth)
        elif callable(obj):
            yield name, obj.__doc__, signature_names(obj)


@pytest.mark.parametrize(("name", "doc", "names"), list(public_callables()))
def test_docstring_parameters_match_signature(name, doc, names):
    listed = documented(doc)
    if listed:
        assert listed == names, name


def test_all_is_exact():
    public = {n for n in dir(enc) if not n.startswith("_")}
    assert set(enc.__all__) == public
