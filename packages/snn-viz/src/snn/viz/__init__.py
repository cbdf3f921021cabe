"""snn.viz: matplotlib plots of snn recordings and networks.

Every function takes recordings (monitors or records from :mod:`snn.core`) or plain arrays in SI
units, draws into an optional ``ax`` (a new pyplot-free figure otherwise), returns the Axes (the
Figure for :func:`run_summary`), and never calls ``plt.show()``: figures are built from
:class:`matplotlib.figure.Figure`, so they work headless and leave no global state. Empty input
gives an empty plot with a note; inconsistent input raises
:class:`~snn.core.errors.ConfigurationError` before anything is drawn.

Spikes
    :func:`raster`, :func:`population_rate`, :func:`psth`, :func:`rate_histogram`,
    :func:`isi_histogram`, :func:`cv_histogram`, :func:`correlation_histogram`,
    :func:`fano_factor`
States
    :func:`traces`
Weights
    :func:`weight_matrix`, :func:`weight_histogram`, :func:`weight_evolution`,
    :func:`receptive_fields`
Connectivity
    :func:`degree_histogram`, :func:`connection_probability_vs_distance`,
    :func:`network_diagram`
Models
    :func:`fi_curve`, :func:`stdp_window`, :func:`phase_plane`
Summary
    :func:`run_summary` (used by ``snn-bench run --plot``)
"""

from snn.viz._connectivity import (
    connection_probability_vs_distance,
    degree_histogram,
    network_diagram,
)
from snn.viz._models import fi_curve, phase_plane, stdp_window
from snn.viz._raster import raster
from snn.viz._rates import (
    correlation_histogram,
    cv_histogram,
    fano_factor,
    isi_histogram,
    population_rate,
    psth,
    rate_histogram,
)
from snn.viz._summary import run_summary
from snn.viz._traces import traces
from snn.viz._weights import (
    receptive_fields,
    weight_evolution,
    weight_histogram,
    weight_matrix,
)

__all__ = [
    "connection_probability_vs_distance",
    "correlation_histogram",
    "cv_histogram",
    "degree_histogram",
    "fano_factor",
    "fi_curve",
    "isi_histogram",
    "network_diagram",
    "phase_plane",
    "population_rate",
    "psth",
    "raster",
    "rate_histogram",
    "receptive_fields",
    "run_summary",
    "stdp_window",
    "traces",
    "weight_evolution",
    "weight_histogram",
    "weight_matrix",
]
