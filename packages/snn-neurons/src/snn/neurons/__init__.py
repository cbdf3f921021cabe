"""snn.neurons: neuron models and spike sources.

LIF family (exact integration where linear): :class:`LIFDelta` (NEST ``iaf_psc_delta``),
:class:`LIFExp` (``iaf_psc_exp``), :class:`LIFCondExp` (``iaf_cond_exp``). Sources:
:class:`PoissonSource`, :class:`SpikeSourceArray`, and the :class:`PoissonInput` drive.
Current sources for any model's ``current`` receptor: :class:`DCSource`, :class:`StepCurrent`,
:class:`SineCurrent`, :class:`NoiseCurrent`.
"""

from snn.neurons._currents import DCSource, NoiseCurrent, SineCurrent, StepCurrent
from snn.neurons._lif import LIFCondExp, LIFDelta, LIFExp
from snn.neurons._sources import PoissonInput, PoissonSource, SpikeSourceArray

__all__ = [
    "DCSource",
    "LIFCondExp",
    "LIFDelta",
    "LIFExp",
    "NoiseCurrent",
    "PoissonInput",
    "PoissonSource",
    "SineCurrent",
    "SpikeSourceArray",
    "StepCurrent",
]
