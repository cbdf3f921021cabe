"""PyNN's standard types that ``pyNN.snn`` does not run, each with the reason.

PyNN's own idiom for a model a backend lacks (``pyNN.standardmodels.ModelNotAvailable``, used by
its NEURON backend): the name exists in the backend module and making one raises
``NotImplementedError``. Here the message also says what snn lacks and what to use instead, so
that a PyNN script stops at the line that asks for the model (without the names, a script failed
with ``AttributeError: module 'snn.io._pynn' has no attribute 'PointNeuron'``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pyNN.standardmodels import ModelNotAvailable


class _NotAvailable(ModelNotAvailable):
    """A PyNN standard type this backend does not have: making one raises the reason."""

    reason: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            f"pyNN.snn does not have {type(self).__name__}: {self.reason}. "
            "docs/from-pynn.md lists what pyNN.snn runs."
        )


#: each name's reason
_REASONS = {
    "MultiCompartmentNeuron": "pyNN.snn runs point neurons only (no morphologies or ion channels)",
    "ElectricalSynapse": (
        "pyNN.snn does not map PyNN's electrical synapses (snn's own API has gap junctions: "
        "snn.synapses.GapJunction)"
    ),
    "SpikeSourceInhGamma": (
        "snn has no inhomogeneous gamma source (SpikeSourceGamma, of constant rate, and "
        "SpikeSourcePoisson are available)"
    ),
}

# one class per name, as PyNN's backends define them (``type`` instead of a written-out class
# for each: they differ by their reason only)
for _name, _reason in _REASONS.items():
    globals()[_name] = type(_name, (_NotAvailable,), {"reason": _reason, "__module__": __name__})

__all__ = sorted(_REASONS)
