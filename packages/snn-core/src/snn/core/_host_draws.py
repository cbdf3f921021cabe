"""Keyed draws computed by numpy, for the small arrays drawn while a network is being built.

The values are those of the compiled draws (:mod:`snn.core._rng`,
:func:`snn.core.random.dist_sample`), bit for bit: Philox4x32-10 in 64-bit integer array
arithmetic, the ziggurat's first attempt vectorised (about 99 % of normal values end there), and
the rest of the ziggurat, the tail and every exponential or logarithm in plain Python. Python's
``math.exp`` and ``math.log`` call the same C library functions as numba's compiled code, while
numpy's own vectorised ``exp`` and ``log`` differ in the last bit for a few values in a hundred
(measured here: 29,177 of 600,000 ``exp`` values, 1,101 of 600,000 ``log`` values), so they are
not used.

Why a second implementation: compiling the numba sampler costs about 1.2 s of CPU on a first run
(the largest single compilation of a fresh COBA run after the loop), while a population's initial
values (one per neuron and variable) take numpy a few milliseconds. Large draws still use the
compiled sampler (:data:`HOST_DRAW_MAX`). ``tests/core/test_host_draws.py`` checks the two against
each other.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from snn.core._rng import _ZF, _ZIG_KEY, _ZIG_R, _ZX
from snn.core._rng import philox4x32 as _compiled_philox4x32

__all__ = ["HOST_DRAW_MAX", "dist_values"]

#: the most values drawn by numpy in one call; above, the compiled sampler is used. numpy took
#: 0.05-0.25 us per value for 4,000 values here and 0.15-0.85 us for 131,072 (3 us with a redraw
#: keeping 30 % of the mass), the compiled sampler about 0.06 us once compiled
HOST_DRAW_MAX = 1 << 14

_LO = 0xFFFFFFFF
_ONE_BITS = 0x3FF0000000000000
_KEY = int(_ZIG_KEY)
# distribution codes and bound methods of snn.core.random's spec arrays
_CONSTANT, _UNIFORM, _NORMAL, _LOGNORMAL, _EXPONENTIAL = 0, 1, 2, 3, 4
_REDRAW = 1
_MAX_REDRAW = 1000


#: Philox4x32-10 of :func:`snn.core._rng.philox4x32`, its Python body run on uint64 arrays or on
#: ints (products of two 32-bit words fit in 64 bits, so uint64 arrays never wrap)
philox4x32 = _compiled_philox4x32.py_func


def _units(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """:func:`snn.core._rng.bits_to_unit` of uint64 arrays."""
    bits = (((hi << 32) | lo) >> 12) | _ONE_BITS
    return bits.view(np.float64) - 1.0


def _unit(hi: int, lo: int) -> float:
    """:func:`snn.core._rng.bits_to_unit` of Python ints."""
    bits = ((((hi << 32) | lo) & 0xFFFFFFFFFFFFFFFF) >> 12) | _ONE_BITS
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0]) - 1.0


def _counter(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    ua = a.astype(np.uint64)
    return ua & _LO, ua >> 32, b & _LO, b >> 32


def _uniform(k0: int, k1: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The first value of :func:`snn.core._rng.uniform2` for each counter ``(a[i], b[i])``."""
    x0, x1, _, _ = philox4x32(*_counter(a, b), k0, k1)
    return _units(x0, x1)


def _ziggurat_rest(k0: int, k1: int, c: tuple[int, ...], x: tuple[int, ...]) -> float:
    """Continue :func:`snn.core._rng.normal_ziggurat` after a rejected first attempt ``x``."""
    t = 0
    while True:
        i = x[2] & 0xFF
        neg = (x[2] >> 8) & 1
        z = _unit(x[0], x[1]) * float(_ZX[i])
        if z < float(_ZX[i + 1]):
            return -z if neg else z
        t += 1
        if i == 0:
            while True:
                y = philox4x32(*c, k0 ^ _KEY, (k1 + t) & _LO)
                e = -math.log(1.0 - _unit(y[0], y[1])) / _ZIG_R
                g = -math.log(1.0 - _unit(y[2], y[3]))
                if 2.0 * g > e * e:
                    return -(_ZIG_R + e) if neg else _ZIG_R + e
                t += 1
        w = _unit(x[3], x[2])
        f0 = float(_ZF[i])
        if f0 + w * (float(_ZF[i + 1]) - f0) < math.exp(-0.5 * z * z):
            return -z if neg else z
        x = philox4x32(*c, k0 ^ _KEY, (k1 + t) & _LO)


def _normal(k0: int, k1: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`snn.core._rng.normal_ziggurat` for each counter ``(a[i], b[i])``."""
    c = _counter(a, b)
    x = philox4x32(*c, k0, k1)
    i = x[2] & 0xFF
    z = _units(x[0], x[1]) * _ZX[i]
    out = np.where((x[2] >> 8) & 1, -z, z)
    for m in np.flatnonzero(~(z < _ZX[i + 1])):
        out[m] = _ziggurat_rest(k0, k1, tuple(int(w[m]) for w in c), tuple(int(w[m]) for w in x))
    return out


def _raw(spec: np.ndarray, k0: int, k1: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`snn.core.random._dist_raw` for each counter ``(a[i], b[i])``."""
    code, p0, p1 = int(spec[0]), float(spec[1]), float(spec[2])
    if code in (_NORMAL, _LOGNORMAL):
        x = p0 + p1 * _normal(k0, k1, a, b)
        if code == _LOGNORMAL:
            x = np.fromiter(map(math.exp, x.tolist()), np.float64, x.shape[0])
        return x
    if code == _CONSTANT:
        return np.full(a.shape[0], p0)
    u = _uniform(k0, k1, a, b)
    if code == _UNIFORM:
        return p0 + (p1 - p0) * u
    logs = np.fromiter(map(math.log, (1.0 - u).tolist()), np.float64, u.shape[0])
    return -p0 * logs


def dist_values(spec: np.ndarray, k0: int, k1: int, a: np.ndarray, b: int) -> np.ndarray:
    """:func:`snn.core.random.dist_sample` for counters ``(a[i], b)``, bounds and redraws included.

    Parameters
    ----------
    spec
        The distribution's encoding (:meth:`snn.core.random.Distribution.spec`).
    k0, k1
        Key words.
    a
        First counter word of each value (int64, >= 0).
    b
        Second counter word (below 2**48).

    Returns
    -------
    numpy.ndarray
        float64, one value per entry of ``a``.
    """
    a = np.asarray(a, dtype=np.int64)
    bb = np.full(a.shape[0], b, dtype=np.uint64)
    low, high = float(spec[3]), float(spec[4])
    x = _raw(spec, int(k0), int(k1), a, bb)
    out_of = np.flatnonzero(~((low <= x) & (x <= high)))
    if spec[5] == _REDRAW:
        for sub in range(1, _MAX_REDRAW):
            if out_of.shape[0] == 0:
                break
            bs = bb[out_of] | np.uint64(sub << 48)
            x[out_of] = _raw(spec, int(k0), int(k1), a[out_of], bs)
            out_of = out_of[~((low <= x[out_of]) & (x[out_of] <= high))]
    x[out_of] = np.minimum(np.maximum(x[out_of], low), high)
    return x
