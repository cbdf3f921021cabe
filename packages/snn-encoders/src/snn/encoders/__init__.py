"""snn.encoders: spike sources, data-to-spike encoders, decoders and the example data set.

Everything produces :class:`SpikeTrains`: spikes on the time grid, usable as a population
(``net.add_population(trains, trains.n)``), for plotting, or for decoding directly.

Sources (``source.trains(n, duration, dt=..., seed=...)``): :class:`PoissonProcess`,
:class:`InhomogeneousPoissonProcess`, :class:`DeadTimePoissonProcess`, :class:`GammaProcess`,
:class:`RegularProcess`, :class:`JitteredProcess`; :meth:`SpikeTrains.from_times` and
:meth:`SpikeTrains.from_record` replay given spikes.

Encoders (``encoder.encode(data, presentation, dt=..., seed=...)``, one window per sample, see
:class:`Schedule`): :class:`PoissonEncoder`, :class:`BernoulliEncoder`, :class:`LatencyEncoder`,
:class:`RankOrderEncoder`, :class:`BurstEncoder`, :class:`DeltaEncoder`,
:class:`PopulationEncoder`.

Decoders: :func:`spike_counts`, :func:`spike_rates`, :func:`first_spike_times`,
:func:`binned_counts`, :func:`population_vector`, :func:`delta_reconstruct`, and
:class:`LinearReadout` (ridge regression on spike counts).

Data: :func:`load_digits` (scikit-learn's 8x8 digits in [0, 1]), :func:`train_test_split`
(seeded, counter-based), :func:`digits_baseline` (logistic regression on raw pixels).
"""

from snn.encoders._datasets import Digits, Split, digits_baseline, load_digits, train_test_split
from snn.encoders._decoders import (
    binned_counts,
    delta_reconstruct,
    first_spike_times,
    population_vector,
    spike_counts,
    spike_rates,
)
from snn.encoders._encoders import (
    BernoulliEncoder,
    BurstEncoder,
    DeltaEncoder,
    Encoder,
    LatencyEncoder,
    PoissonEncoder,
    PopulationEncoder,
    RankOrderEncoder,
)
from snn.encoders._readout import LinearReadout
from snn.encoders._sources import (
    DeadTimePoissonProcess,
    GammaProcess,
    InhomogeneousPoissonProcess,
    JitteredProcess,
    PoissonProcess,
    RegularProcess,
)
from snn.encoders._trains import Schedule, SpikeTrains

__all__ = [
    "BernoulliEncoder",
    "BurstEncoder",
    "DeadTimePoissonProcess",
    "DeltaEncoder",
    "Digits",
    "Encoder",
    "GammaProcess",
    "InhomogeneousPoissonProcess",
    "JitteredProcess",
    "LatencyEncoder",
    "LinearReadout",
    "PoissonEncoder",
    "PoissonProcess",
    "PopulationEncoder",
    "RankOrderEncoder",
    "RegularProcess",
    "Schedule",
    "SpikeTrains",
    "Split",
    "binned_counts",
    "delta_reconstruct",
    "digits_baseline",
    "first_spike_times",
    "load_digits",
    "population_vector",
    "spike_counts",
    "spike_rates",
    "train_test_split",
]
