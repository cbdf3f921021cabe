"""Spike delivery and spike gathering kernels.

A projection's synapses are stored in CSR order by presynaptic neuron (see ``README.md`` in this
folder). Delivering the spikes of one step walks the rows of the neurons that spiked and adds each
synapse's weight into the target's ring-buffer slot for the arrival step. Weight and delay are a
scalar when homogeneous over the projection and an array (one value per synapse) otherwise; one
kernel serves all four combinations through :func:`at`, which numba resolves at compile time.
"""

from __future__ import annotations

import numpy as np
from numba.core import types
from numba.extending import overload

from snn.core._jit import kernel


def at(values, k):  # pragma: no cover - replaced by the overload in compiled code
    """``values[k]`` for an array, ``values`` itself for a scalar."""
    return values[k] if isinstance(values, np.ndarray) else values


@overload(at, inline="always")
def _at_overload(values, k):
    if isinstance(values, types.Array):
        return lambda values, k: values[k]
    return lambda values, k: values


@kernel
def csr_deliver(spikes, lo, hi, step, indptr, indices, weight, delay, ring):  # pragma: no cover
    """Add the weights of the synapses of ``spikes[lo:hi]`` (emitted at ``step``) into ``ring``.

    Parameters
    ----------
    spikes : int32[:]
        Population-local indices of the presynaptic neurons that spiked, ascending.
    lo, hi : int
        Range of ``spikes`` emitted at ``step``.
    step : int64
        Emission step.
    indptr : int64[n_pre + 1]
        CSR row pointer.
    indices : uint16[:] or uint32[:]
        Local target index of each synapse (ascending within a row).
    weight : float or float[n_syn]
        Weight [unit of the receptor].
    delay : int or uint16[n_syn] or uint32[n_syn]
        Delay [steps], >= 1; the input is read by the target during step ``step + delay``.
    ring : float[n_slots, n_post]
        The receptor's ring buffer; ``n_slots`` is a power of two larger than every delay.

    Notes
    -----
    Mutates ``ring``. The order of additions into each target is fixed by the order of spikes
    and synapses, which makes sums reproducible whatever the partition of the work.
    """
    mask = ring.shape[0] - 1
    for q in range(lo, hi):
        i = spikes[q]
        for k in range(indptr[i], indptr[i + 1]):
            ring[(step + at(delay, k)) & mask, indices[k]] += at(weight, k)


@kernel
def spikes_gather(flags, words, out, offset):  # pragma: no cover - compiled
    """Write the indices ``i`` with ``flags[i]`` set into ``out[offset:]``; return how many.

    ``flags`` is a bool array padded with zeros to a multiple of 8 entries and ``words`` its
    ``uint64`` view, so that stretches without spikes are skipped 8 neurons at a time.
    """
    n = offset
    for w in range(words.shape[0]):
        if words[w] != 0:
            base = 8 * w
            for b in range(8):
                if flags[base + b]:
                    out[n] = base + b
                    n += 1
    return n - offset
