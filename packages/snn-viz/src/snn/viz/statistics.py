"""The spike-train statistics behind snn.viz's plots, for analysis code that needs the numbers.

Every function takes plain arrays (spike times [s], neuron rows within a group) and returns
arrays: :func:`cv_isi` (coefficient of variation of the inter-spike intervals per neuron),
:func:`rates_per_neuron`, :func:`isi_per_neuron`, :func:`binned_counts`, :func:`count_matrix`,
:func:`pairwise_correlations`, :func:`fano_factors`, :func:`cross_correlogram` (NEST's
``correlation_detector``).
"""

from snn.viz._correlogram import cross_correlogram
from snn.viz._statistics import (
    binned_counts,
    count_matrix,
    cv_isi,
    fano_factors,
    isi_per_neuron,
    pairwise_correlations,
    rates_per_neuron,
)

__all__ = [
    "binned_counts",
    "count_matrix",
    "cross_correlogram",
    "cv_isi",
    "fano_factors",
    "isi_per_neuron",
    "pairwise_correlations",
    "rates_per_neuron",
]
