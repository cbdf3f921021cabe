"""snn.neurons: neuron models and spike sources.

LIF family (exact integration where linear): :class:`LIFDelta` (NEST ``iaf_psc_delta``),
:class:`LIFExp` (``iaf_psc_exp``), :class:`LIFCondExp` (``iaf_cond_exp``), :class:`LIFAlpha`
(``iaf_psc_alpha``), :class:`LIFCondAlpha` (``iaf_cond_alpha``), :class:`LIFExpMulti`
(``iaf_psc_exp_multisynapse``: any number of receptor ports), :class:`LIFCondExpSfaRr`
(``iaf_cond_exp_sfa_rr``: adaptation and relative refractoriness); :class:`MAT2`
(``mat2_psc_exp``, multi-timescale adaptive threshold); :class:`GIFPscExp` and
:class:`GIFCondExp` (``gif_psc_exp``, ``gif_cond_exp``: generalised integrate-and-fire with
escape noise). Nonlinear models (adaptive RKF45 by default; RK4, exponential or forward Euler
opt-in): :class:`AdExCondExp` (``aeif_cond_exp``), :class:`AdExPscExp` (``aeif_psc_exp``),
:class:`AdExCondAlpha` (``aeif_cond_alpha``), :class:`Izhikevich` (with named presets),
:class:`HHTraubMiles` (``hh_cond_exp_traub``, COBAHH), :class:`HHPscAlpha` (``hh_psc_alpha``)
and :class:`HHSquid` (squid axon, exponential currents). Sources: :class:`PoissonSource`,
:class:`SpikeSourceArray`, :class:`SinusoidalPoissonSource` (rate modulated in time, evaluated
in the loop), the :class:`ParrotNeuron`, and the drives :class:`PoissonInput`,
:class:`SinusoidalPoissonInput` and :class:`InhomogeneousPoissonInput` (rate from a table).
Current sources for any model's ``current`` receptor: :class:`DCSource`, :class:`StepCurrent`,
:class:`SineCurrent`, :class:`NoiseCurrent`.

The accuracy of every model's methods against an adaptive reference is tabulated in the user
guide (``docs/accuracy.md``, ``snn-bench accuracy``).
"""

from snn.neurons._adex import AdExCondAlpha, AdExCondExp, AdExPscExp
from snn.neurons._currents import DCSource, NoiseCurrent, SineCurrent, StepCurrent
from snn.neurons._gif import GIFCondExp, GIFPscExp
from snn.neurons._hh import HHPscAlpha, HHSquid, HHTraubMiles
from snn.neurons._izhikevich import Izhikevich
from snn.neurons._lif import LIFCondExp, LIFDelta, LIFExp
from snn.neurons._lif_alpha import LIFAlpha, LIFCondAlpha
from snn.neurons._lif_sfa import LIFCondExpSfaRr
from snn.neurons._mat import MAT2
from snn.neurons._modulated import (
    InhomogeneousPoissonInput,
    ParrotNeuron,
    SinusoidalPoissonInput,
    SinusoidalPoissonSource,
)
from snn.neurons._multisynapse import LIFExpMulti
from snn.neurons._sources import PoissonInput, PoissonSource, SpikeSourceArray

__all__ = [
    "MAT2",
    "AdExCondAlpha",
    "AdExCondExp",
    "AdExPscExp",
    "DCSource",
    "GIFCondExp",
    "GIFPscExp",
    "HHPscAlpha",
    "HHSquid",
    "HHTraubMiles",
    "InhomogeneousPoissonInput",
    "Izhikevich",
    "LIFAlpha",
    "LIFCondAlpha",
    "LIFCondExp",
    "LIFCondExpSfaRr",
    "LIFDelta",
    "LIFExp",
    "LIFExpMulti",
    "NoiseCurrent",
    "ParrotNeuron",
    "PoissonInput",
    "PoissonSource",
    "SineCurrent",
    "SinusoidalPoissonInput",
    "SinusoidalPoissonSource",
    "SpikeSourceArray",
    "StepCurrent",
]
