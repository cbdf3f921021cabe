"""What a model writer needs to write compiled code for snn.

Built-in packages, the equation compiler and users write their numba code against this module
only; the engine's private modules may change between releases, these names do not.

Compilation
    :func:`kernel` is the one decorator of every snn kernel: on-disk cache, released GIL, numpy's
    floating point error model, and no ``fastmath`` (it would hide NaN and inf).
    :func:`load_module` writes generated source text to a real file in the cache folder
    (:func:`cache_dir`) and imports it, so numba caches generated kernels like hand-written ones;
    :class:`Imports` collects what such a module refers to. :func:`compile_log` lists what numba
    compiled in this process and how long each took (:class:`Compilation`).

Keyed random draws
    Counter-based Philox4x32-10 draws, pure functions of a key ``(k0, k1)`` (from
    :func:`snn.core.random.derive_key`) and a counter ``(a, b)``, for example (neuron index, step).
    The same key and counter give the same value on any thread or MPI rank:
    :func:`uniform` (one value in [0, 1)), :func:`uniform2` (two), :func:`normal` (standard normal),
    :func:`poisson` (a Poisson count), :func:`poisson_tables` / :func:`poisson_from_tables` (a
    Poisson count by table look-up, for a fixed mean), :func:`uniform_fill2` (many pairs at once),
    :func:`random_word` / :func:`random_words_fill` (32 random bits per index, four indices per
    Philox call), :func:`poisson_bit_tables` / :func:`poisson_from_bits` (a Poisson count from
    32 random bits, for a fixed mean), :func:`philox4x32` (the raw generator).

Engine kernels
    :func:`csr_deliver_block`, :func:`csr_block_split`, :func:`csr_deliver` and
    :func:`spikes_gather`, the spike delivery and gathering kernels of the loop, for benchmarks and
    for tests against naive references.

The names a neuron model's step function may use besides its own (``dt``, ``uniform``,
``normal``, ``uniform_shared``, ``t``, ``neuron_index``, ``population_size``) are
:data:`SPECIAL_ARGUMENTS`.

Examples
--------
>>> import numpy as np
>>> from snn.core.kernels import kernel, uniform
>>> from snn.core.random import derive_key
>>> @kernel
... def noisy_sum(k0, k1, n):
...     total = 0.0
...     for i in range(n):
...         total += uniform(k0, k1, np.int64(i), np.int64(0))
...     return total
>>> k0, k1 = derive_key(1, "example")
>>> 0.0 < noisy_sum(k0, k1, 10) < 10.0
True
"""

from snn.core._codegen import Imports, as_jitted, cache_dir, load_module
from snn.core._compile_clock import Compilation, compile_log
from snn.core._delivery import csr_block_split, csr_deliver, csr_deliver_block, spikes_gather
from snn.core._jit import kernel, thread_count
from snn.core._model import SPECIAL_ARGUMENTS
from snn.core._rng import (
    normal,
    philox4x32,
    poisson,
    poisson_bit_tables,
    poisson_from_bits,
    poisson_from_tables,
    poisson_tables,
    random_word,
    random_words_fill,
    uniform,
    uniform2,
    uniform_fill2,
)

__all__ = [
    "SPECIAL_ARGUMENTS",
    "Compilation",
    "Imports",
    "as_jitted",
    "cache_dir",
    "compile_log",
    "csr_block_split",
    "csr_deliver",
    "csr_deliver_block",
    "kernel",
    "load_module",
    "normal",
    "philox4x32",
    "poisson",
    "poisson_bit_tables",
    "poisson_from_bits",
    "poisson_from_tables",
    "poisson_tables",
    "random_word",
    "random_words_fill",
    "spikes_gather",
    "thread_count",
    "uniform",
    "uniform2",
    "uniform_fill2",
]
