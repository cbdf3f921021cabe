"""snn.plasticity: learning rules for the synapses of snn, and homeostasis.

Synapse models (the ``synapse`` of :meth:`snn.core.Network.connect`):

* :class:`PairSTDP`: pair-based STDP with traces, all-to-all or nearest pairing, and
  :class:`Additive`, :class:`Multiplicative` or :class:`PowerLaw` (Gütig) weight dependence;
* :class:`TripletSTDP`: Pfister & Gerstner (2006), with their parameter sets
  (:data:`PFISTER_GERSTNER_2006`);
* :class:`InhibitorySTDP`: Vogels et al. (2011), with a target rate;
* :class:`RewardSTDP`: eligibility traces gated by a :class:`Neuromodulator` (Izhikevich 2007),
  driven by the user or by a dopamine-like population.

Homeostasis: :class:`SynapticScaling` toward a target rate, :class:`WeightNormalization`, and the
adaptive-threshold neuron :class:`AdaptiveThresholdLIF` (Diehl & Cook 2015).
"""

from snn.plasticity._dependence import Additive, Multiplicative, PowerLaw, WeightDependence
from snn.plasticity._homeostasis import SynapticScaling, WeightNormalization
from snn.plasticity._inhibitory import InhibitorySTDP
from snn.plasticity._pair import PAIRINGS, PairSTDP
from snn.plasticity._reward import Neuromodulator, RewardSTDP
from snn.plasticity._threshold import AdaptiveThresholdLIF
from snn.plasticity._triplet import PFISTER_GERSTNER_2006, TripletSTDP

__all__ = [
    "PAIRINGS",
    "PFISTER_GERSTNER_2006",
    "AdaptiveThresholdLIF",
    "Additive",
    "InhibitorySTDP",
    "Multiplicative",
    "Neuromodulator",
    "PairSTDP",
    "PowerLaw",
    "RewardSTDP",
    "SynapticScaling",
    "TripletSTDP",
    "WeightDependence",
    "WeightNormalization",
]
