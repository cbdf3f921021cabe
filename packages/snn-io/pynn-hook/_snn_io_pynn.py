"""Import hook of snn-io: ``import pyNN.snn`` gives the PyNN backend ``snn.io._pynn``.

PyNN's package ``pyNN`` is a regular package, so a ``pyNN/snn`` folder shipped by another
distribution is not found in an editable install. snn-io installs this module and a ``.pth`` file
that imports it at interpreter start-up (decision 0012). It only puts a finder on
``sys.meta_path`` (it imports nothing else, to keep start-up cheap): when someone imports
``pyNN.snn`` (or a submodule), that is the very module object ``snn.io._pynn`` (or its submodule).
"""

import sys

_ALIAS = "pyNN.snn"
_TARGET = "snn.io._pynn"


class _AliasLoader:
    """Hands out the already importable module ``target`` under another name."""

    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        import importlib

        return importlib.import_module(self.target)

    def exec_module(self, module):
        """Nothing to run: the target module was executed when it was imported."""


class _PyNNSnnFinder:
    """Finds ``pyNN.snn`` and ``pyNN.snn.<name>`` as ``snn.io._pynn`` and its submodules."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != _ALIAS and not name.startswith(_ALIAS + "."):
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, _AliasLoader(_TARGET + name[len(_ALIAS) :]))


# first: the path finder would otherwise load ``pyNN.snn.<name>`` a second time from the folder
# of snn.io._pynn (the ``__path__`` of the aliased module) under the new name
if not any(type(f).__name__ == "_PyNNSnnFinder" for f in sys.meta_path):
    sys.meta_path.insert(0, _PyNNSnnFinder())
