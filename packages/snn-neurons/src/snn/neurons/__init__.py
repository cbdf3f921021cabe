"""snn.neurons: neuron models and spike sources.

LIF family (exact integration where linear): :class:`LIFDelta` (NEST ``iaf_psc_delta``),
:class:`LIFExp` (``iaf_psc_exp``), :class:`LIFCondExp` (``iaf_cond_exp``), :class:`LIFAlpha`
(``iaf_psc_alpha``), :class:`LIFCondAlpha` (``iaf_cond_alpha``), :class:`LIFExpMulti`
(``iaf_psc_exp_multisynapse``: any number of receptor ports); :class:`MAT2` (``mat2_psc_exp``,
multi-timescale adaptive threshold). Sources:
:class:`PoissonSource`, :class:`SpikeSourceArray`, and the :class:`PoissonInput` drive.
Current sources for any model's ``current`` receptor: :class:`DCSource`, :class:`StepCurrent`,
:class:`SineCurrent`, :class:`NoiseCurrent`.
"""

from snn.neurons._currents import DCSource, NoiseCurrent, SineCurrent, StepCurrent
from snn.neurons._lif import LIFCondExp, LIFDelta, LIFExp
from snn.neurons._lif_alpha import LIFAlpha, LIFCondAlpha
from snn.neurons._mat import MAT2
from snn.neurons._multisynapse import LIFExpMulti
from snn.neurons._sources import PoissonInput, PoissonSource, SpikeSourceArray

__all__ = [
    "MAT2",
    "DCSource",
    "LIFAlpha",
    "LIFCondAlpha",
    "LIFCondExp",
    "LIFDelta",
    "LIFExp",
    "LIFExpMulti",
    "NoiseCurrent",
    "PoissonInput",
    "PoissonSource",
    "SineCurrent",
    "SpikeSourceArray",
    "StepCurrent",
]
