"""Counter-based random numbers: Philox4x32-10 and the draws built on it.

Every random value in snn is a pure function of ``(key, a, b)``: the key identifies the seed and
the consumer (a population's initial values, a projection's connectivity, a Poisson drive...), and
the 128-bit counter ``(a, b)`` says which value of that consumer is meant (for example the neuron's
global index and the time step). No generator state exists, so results cannot depend on how the
work is split over threads or MPI ranks, or on the order in which values are drawn.

Philox4x32-10 is the generator of Salmon, Moraes, Dror & Shaw (2011), "Parallel random numbers:
as easy as 1, 2, 3" (SC'11); it passes TestU01's BigCrush. The known-answer vectors of its
reference implementation (Random123) are checked in the tests.

Counter layout: ``a`` fills words 0-1 and ``b`` words 2-3. Draws that need several values for one
``(a, b)`` (rejection samplers, redraws) put a sub-index into bits 48-63 of ``b``; time steps and
other ``b`` values therefore stay below 2**48.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from snn.core._jit import kernel

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_LO = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_S12 = np.uint64(12)
_SUB = np.uint64(48)
_S2 = np.uint64(2)
_THREE = np.uint64(3)
_ONE_BITS = np.uint64(0x3FF0000000000000)
_TWO_PI = 2.0 * math.pi


@intrinsic
def _bits_to_double(typingctx, bits):  # pragma: no cover - compiled
    """Reinterpret the 64 bits of a uint64 as a float64."""
    sig = types.float64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


@kernel(inline="always")
def philox4x32(c0, c1, c2, c3, k0, k1):  # pragma: no cover - compiled
    """Philox4x32 with 10 rounds.

    All arguments are ``uint64`` values below 2**32 (four counter words, two key words). Returns
    the four 32-bit output words as ``uint64``.
    """
    for _ in range(10):
        p0 = _M0 * c0
        p1 = _M1 * c2
        n0 = (p1 >> _S32) ^ c1 ^ k0
        n2 = (p0 >> _S32) ^ c3 ^ k1
        c1 = p1 & _LO
        c3 = p0 & _LO
        c0 = n0
        c2 = n2
        k0 = (k0 + _W0) & _LO
        k1 = (k1 + _W1) & _LO
    return c0, c1, c2, c3


@kernel(inline="always")
def bits_to_unit(x_hi, x_lo):  # pragma: no cover - compiled
    """A double in [0, 1) from the top 52 bits of the 64-bit word ``x_hi:x_lo``.

    The bits become the mantissa of a number in [1, 2) from which 1 is subtracted: exact, and
    unlike an integer-to-float conversion it vectorises on AVX2.
    """
    bits = ((x_hi << _S32) | x_lo) >> _S12
    return _bits_to_double(bits | _ONE_BITS) - 1.0


@kernel(inline="always")
def uniform2(k0, k1, a, b):  # pragma: no cover - compiled
    """Two independent uniform doubles in [0, 1), multiples of 2**-52.

    ``k0``, ``k1``: key words (uint64 < 2**32); ``a``, ``b``: counter (uint64 or int64 >= 0).
    """
    ua = np.uint64(a)
    ub = np.uint64(b)
    x0, x1, x2, x3 = philox4x32(ua & _LO, ua >> _S32, ub & _LO, ub >> _S32, k0, k1)
    return bits_to_unit(x0, x1), bits_to_unit(x2, x3)


@kernel(inline="always")
def uniform(k0, k1, a, b):  # pragma: no cover - compiled
    """One uniform double in [0, 1) for counter ``(a, b)``."""
    u0, _ = uniform2(k0, k1, a, b)
    return u0


@kernel(inline="always")
def stream_uniform(stream, i):  # pragma: no cover - compiled
    """Uniform draw number ``i`` in [0, 1) of the keyed stream ``stream = (k0, k1, a, b)``.

    Draws ``2 j`` and ``2 j + 1`` are the two values of :func:`uniform2` for counter
    ``(a, b)`` with sub-index ``j`` in bits 48-63 of ``b``: ``i`` ranges over ``[0, 2**17)``,
    ``b`` must stay below ``2**48``, and draw 0 is :func:`uniform` ``(k0, k1, a, b)``. Each
    draw is a pure function of ``(stream, i)``, whatever the order in which they are asked for.
    """
    k0, k1, a, b = stream
    ui = np.uint64(i)
    u0, u1 = uniform2(k0, k1, a, sub_counter(b, ui >> np.uint64(1)))
    return u0 if (ui & np.uint64(1)) == 0 else u1


@kernel
def uniform_fill2(first, second, n, k0, k1, a0, a_stride, b):  # pragma: no cover - compiled
    """Both uniforms of counter ``(a0 + a_stride * i, b)``: ``first[i]`` and ``second[i]``."""
    ub = np.uint64(b)
    c2 = ub & _LO
    c3 = ub >> _S32
    for i in range(n):
        ua = np.uint64(a0 + a_stride * i)
        x0, x1, x2, x3 = philox4x32(ua & _LO, ua >> _S32, c2, c3, k0, k1)
        first[i] = bits_to_unit(x0, x1)
        second[i] = bits_to_unit(x2, x3)


@kernel(inline="always")
def random_word(k0, k1, j, b):  # pragma: no cover - compiled
    """32 random bits (a ``uint64`` below 2**32) for index ``j`` (>= 0) and counter word ``b``.

    Word ``j & 3`` of the Philox output for counter ``(j >> 2, b)``: four consecutive indices
    share one Philox call, and every value depends on ``(key, j, b)`` alone.
    """
    uj = np.uint64(j)
    ub = np.uint64(b)
    g = uj >> _S2
    x0, x1, x2, x3 = philox4x32(g & _LO, g >> _S32, ub & _LO, ub >> _S32, k0, k1)
    w = uj & _THREE
    # selects rather than branches, so that a loop over indices vectorises
    low = x0 if w == 0 else x1
    high = x2 if w == 2 else x3
    return low if w < 2 else high


@kernel
def random_words_fill(out, n, k0, k1, j0, j_stride, b):  # pragma: no cover - compiled
    """``out[i] = random_word(k0, k1, j0 + j_stride * i, b)`` for ``i < n``.

    ``out``: uint32 (or wider unsigned) array of at least ``n`` entries, overwritten;
    ``j0 >= 0``. With ``j_stride == 1`` each aligned group of four indices costs one Philox
    call, with ``j_stride == 2`` (one of two MPI ranks) each group's two indices of this
    stride share one, in loops LLVM vectorises (``vpmuludq``); the up to three indices at
    either end of a block that does not start or end on a group boundary are drawn one by one.
    Other strides draw every value on its own. The values do not depend on how the indices are
    cut into blocks.
    """
    if j_stride == 1:
        per_group = 4
        head = min(n, (-j0) & 3)
    elif j_stride == 2:
        # indices j0 + 2 i of one group are words j0 & 1 and (j0 & 1) + 2
        per_group = 2
        head = min(n, (j0 >> 1) & 1)
    else:
        per_group = 1
        head = n
    for i in range(head):
        out[i] = random_word(k0, k1, j0 + j_stride * i, b)
    ub = np.uint64(b)
    c2 = ub & _LO
    c3 = ub >> _S32
    g0 = (j0 + j_stride * head) >> 2
    groups = (n - head) // per_group
    # indices into a view without an offset: with one added, LLVM does not vectorise the loops
    body = out[head:]
    if per_group == 4:
        for q in range(groups):
            ua = np.uint64(g0 + q)
            x0, x1, x2, x3 = philox4x32(ua & _LO, ua >> _S32, c2, c3, k0, k1)
            body[4 * q] = x0
            body[4 * q + 1] = x1
            body[4 * q + 2] = x2
            body[4 * q + 3] = x3
    elif per_group == 2:
        odd = (j0 & 1) == 1
        for q in range(groups):
            ua = np.uint64(g0 + q)
            x0, x1, x2, x3 = philox4x32(ua & _LO, ua >> _S32, c2, c3, k0, k1)
            body[2 * q] = x1 if odd else x0
            body[2 * q + 1] = x3 if odd else x2
    for i in range(head + per_group * groups, n):
        out[i] = random_word(k0, k1, j0 + j_stride * i, b)


#: layers, base-strip edge and layer area of the 256-layer normal ziggurat (Marsaglia & Tsang
#: 2000, "The ziggurat method for generating random variables", J. Stat. Softw. 5(8))
_ZIG_LAYERS = 256
_ZIG_R = 3.6541528853610088
_ZIG_V = 0.00492867323399
#: key tag of the extra draws of rejected ziggurat attempts (a different key is another Philox
#: permutation, so these draws never reuse a counter of any ``(a, b)`` value)
_ZIG_KEY = np.uint64(0x5A16A7E5)
_BYTE = np.uint64(0xFF)
_S8 = np.uint64(8)


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray]:
    """Layer edges ``x[0..256]`` (``x[0]``: the base strip's equivalent width), ``exp(-x**2/2)``."""
    x = np.empty(_ZIG_LAYERS + 1)
    x[1] = _ZIG_R
    x[0] = _ZIG_V / math.exp(-0.5 * _ZIG_R**2)
    for i in range(2, _ZIG_LAYERS):
        x[i] = math.sqrt(-2.0 * math.log(_ZIG_V / x[i - 1] + math.exp(-0.5 * x[i - 1] ** 2)))
    x[_ZIG_LAYERS] = 0.0
    return x, np.exp(-0.5 * x * x)


_ZX, _ZF = _ziggurat_tables()


@kernel
def normal_ziggurat(k0, k1, a, b):  # pragma: no cover - compiled
    """One standard normal value for counter ``(a, b)`` by the ziggurat method.

    One Philox call gives the first attempt: a 52-bit uniform (words 0-1), the layer (low byte
    of word 2), the sign (bit 8) and the wedge uniform (word 3 and the top of word 2). About 99 %
    of draws end there with one multiply and one compare; a rejected attempt, and the tail beyond
    ``R`` (Marsaglia 1964, "Generating a variable from the tail of the normal distribution"),
    draw again from key ``(k0 ^ _ZIG_KEY, k1 + t)`` at the same counter. Exact: the ziggurat is
    a rejection method, its acceptance tests use the density itself. Several times faster than
    Box-Muller's logarithm, square root and cosine.
    """
    ua = np.uint64(a)
    ub = np.uint64(b)
    c0 = ua & _LO
    c1 = ua >> _S32
    c2 = ub & _LO
    c3 = ub >> _S32
    j0 = k0
    j1 = k1
    t = np.uint64(0)
    while True:
        x0, x1, x2, x3 = philox4x32(c0, c1, c2, c3, j0, j1)
        i = x2 & _BYTE
        neg = (x2 >> _S8) & np.uint64(1)
        z = bits_to_unit(x0, x1) * _ZX[i]
        if z < _ZX[i + np.uint64(1)]:
            return -z if neg else z
        t += np.uint64(1)
        if i == 0:
            while True:
                y0, y1, y2, y3 = philox4x32(c0, c1, c2, c3, k0 ^ _ZIG_KEY, (k1 + t) & _LO)
                e = -math.log(1.0 - bits_to_unit(y0, y1)) / _ZIG_R
                g = -math.log(1.0 - bits_to_unit(y2, y3))
                if 2.0 * g > e * e:
                    return -(_ZIG_R + e) if neg else _ZIG_R + e
                t += np.uint64(1)
        w = bits_to_unit(x3, x2)
        f0 = _ZF[i]
        if f0 + w * (_ZF[i + np.uint64(1)] - f0) < math.exp(-0.5 * z * z):
            return -z if neg else z
        j0 = k0 ^ _ZIG_KEY
        j1 = (k1 + t) & _LO


@kernel(inline="always")
def sub_counter(b, sub):  # pragma: no cover - compiled
    """Counter word ``b`` with sub-index ``sub`` (< 2**16) in its top 16 bits."""
    return np.uint64(b) | (np.uint64(sub) << _SUB)


@kernel(inline="always")
def normal(k0, k1, a, b):  # pragma: no cover - compiled
    """One standard normal value for counter ``(a, b)`` (Box-Muller, cosine branch)."""
    u0, u1 = uniform2(k0, k1, a, b)
    return math.sqrt(-2.0 * math.log(1.0 - u0)) * math.cos(_TWO_PI * u1)


@kernel
def poisson(k0, k1, a, b, lam):  # pragma: no cover - compiled
    """One Poisson(``lam``) count for counter ``(a, b)``.

    Inversion with one uniform for ``lam < 10``; above, the transformed rejection sampler PTRS of
    Hörmann (1993), "The transformed rejection method for generating Poisson random variables",
    Insurance: Mathematics and Economics 12, 39-45, with successive sub-counters of ``b``.
    """
    if lam <= 0.0:
        return 0
    if not lam < math.inf:
        # NaN or inf: the rejection loop below would never end (callers check their rates)
        raise ValueError("internal: a Poisson mean is NaN or inf")
    if lam < 10.0:
        u = uniform(k0, k1, a, b)
        p = math.exp(-lam)
        cdf = p
        k = 0
        # Rounding may leave the summed cdf just below u for u close to 1: stop once the
        # pmf has underflowed (about k = 200 for lam < 10), which has probability ~1e-16.
        while u > cdf and p > 0.0:
            k += 1
            p *= lam / k
            cdf += p
        return k
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    bb = 0.931 + 2.53 * slam
    aa = -0.059 + 0.02483 * bb
    inv_alpha = 1.1239 + 1.1328 / (bb - 3.4)
    vr = 0.9277 - 3.6224 / (bb - 2.0)
    sub = 0
    while True:
        uu, v = uniform2(k0, k1, a, sub_counter(b, sub))
        sub += 1
        u = uu - 0.5
        us = 0.5 - abs(u)
        k = math.floor((2.0 * aa / us + bb) * u + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return int(k)
        if k < 0 or (us < 0.013 and v > us):
            continue
        lhs = math.log(v) + math.log(inv_alpha) - math.log(aa / (us * us) + bb)
        if lhs <= -lam + k * loglam - math.lgamma(k + 1.0):
            return int(k)


def poisson_tables(lam: float, guide_size: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Inversion tables of the Poisson(``lam``) law, for ``lam`` below about 100.

    Returns
    -------
    cdf : numpy.ndarray
        ``P(K <= k)`` for ``k = 0, 1, ...`` up to the first entry that rounds to 1, which is set
        to exactly 1 so that every uniform in [0, 1) falls below it.
    guide : numpy.ndarray
        int32, ``guide[m]`` = smallest ``k`` with ``cdf[k] > m / guide_size`` (Chen & Asau 1974
        guide table): a draw starts its search there and almost never has to step further.
    """
    if not 0.0 <= lam < 700.0:
        raise ValueError(f"poisson_tables needs 0 <= lam < 700, got {lam!r}")
    cdf_list = []
    p = math.exp(-lam)
    total = p
    k = 0
    while total < 1.0 and (k < 10 or p > 0.0):
        cdf_list.append(total)
        k += 1
        p *= lam / k
        total += p
    cdf_list.append(1.0)
    cdf = np.array(cdf_list, dtype=np.float64)
    edges = np.arange(guide_size, dtype=np.float64) / guide_size
    guide = np.searchsorted(cdf, edges, side="right").astype(np.int32)
    return cdf, guide


@kernel(inline="always")
def poisson_from_tables(u, cdf, guide):  # pragma: no cover - compiled
    """Poisson count (int64) for the uniform ``u`` by guided inversion of ``cdf``.

    Conversions go through signed int64 and indices are unsigned: float-to-uint64 conversion
    and signed indexing both cost extra instructions per draw in numba (2.4 instead of 4 ns).
    """
    k = np.uint64(guide[np.uint64(np.int64(u * np.float64(guide.shape[0])))])
    while cdf[k] <= u:
        k += np.uint64(1)
    return np.int64(k)


#: bits of the guide index of :func:`poisson_bit_tables` (a 1024-entry guide)
_GUIDE_BITS = 10
_GUIDE_SHIFT = np.uint64(32 - _GUIDE_BITS)


def poisson_bit_tables(lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Inversion tables of the Poisson(``lam``) law for 32-bit random words, ``lam`` < 700.

    The law sampled by :func:`poisson_from_bits` is the Poisson law with every cdf value rounded
    to the nearest multiple of 2**-32: ``P(K <= k) = rint(2**32 F(k)) / 2**32``, ``F`` the
    Poisson cdf (:func:`poisson_tables`), so each cdf value is within 2**-33 (plus the float64
    error of ``F``, about 1e-15) of the exact one, and a count whose probability is below
    about 2**-32 may never occur.

    Returns
    -------
    thr : numpy.ndarray
        uint64, ``thr[k] = rint(2**32 P(K <= k))``, non-decreasing, ending with the first entry
        equal to 2**32: the count of a word ``x`` is the smallest ``k`` with ``x < thr[k]``.
    guide : numpy.ndarray
        uint32, 1024 entries: ``guide[m]`` is the smallest ``k`` with ``thr[k] > m * 2**22``,
        where the search for a word ``x`` starts (at ``guide[x >> 22]``).
    """
    cdf, _ = poisson_tables(lam)
    thr = np.rint(cdf * 2.0**32).astype(np.uint64)
    last = int(np.argmax(thr >= np.uint64(2**32)))
    thr = thr[: last + 1].copy()
    thr[last] = np.uint64(2**32)
    edges = np.arange(1 << _GUIDE_BITS, dtype=np.uint64) << _GUIDE_SHIFT
    guide = np.searchsorted(thr, edges, side="right").astype(np.uint32)
    return thr, guide


@kernel(inline="always")
def poisson_from_bits(x, thr, guide):  # pragma: no cover - compiled
    """Poisson count (int64) of the 32-bit word ``x`` by guided inversion of ``thr``.

    ``thr``, ``guide``: from :func:`poisson_bit_tables`. Integer compares only; the search
    starts at the guide entry of the top 10 bits of ``x`` and almost never steps further.
    """
    u = np.uint64(x)
    k = np.uint64(guide[u >> _GUIDE_SHIFT])
    while thr[k] <= u:
        k += np.uint64(1)
    return np.int64(k)
