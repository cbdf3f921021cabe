"""``NativeRNG`` of ``pyNN.snn``: "draw these numbers with the simulator's own generator".

pyNN.snn draws with snn's counter-based generator, keyed by ``setup(rng_seed=...)`` and the
object drawing, wherever snn does the drawing: the common connectors (whatever ``rng`` they are
given), weights and delays from a ``RandomDistribution`` of a law snn has (uniform, normal,
clipped normal, log-normal, exponential) and ``NoisyCurrentSource``. A ``NativeRNG`` says so
explicitly, as in PyNN's NEST and NEURON backends; its seed is not used (as NEST's, whose draws
are keyed by the kernel's seed). Where PyNN's own code would have to draw the numbers (cell
parameters, initial values, other laws, connectors PyNN builds itself) a ``NativeRNG`` is
refused with the reason.
"""

from __future__ import annotations

from typing import Any

from pyNN import random

__all__ = ["NativeRNG"]


class NativeRNG(random.NativeRNG):
    """snn's own draws (keyed by ``setup(rng_seed=...)``); the seed given here is not used."""

    def next(
        self,
        n: int | None = None,
        distribution: str | None = None,
        parameters: Any = None,
        mask: Any = None,
    ) -> Any:
        """Refuse: PyNN asked for numbers that snn does not draw itself."""
        raise NotImplementedError(
            f"pyNN.snn: a NativeRNG was asked for {n} numbers of {distribution!r} {parameters} "
            "by PyNN's own code; snn draws natively only in the common connectors, for weights "
            "and delays of laws snn has (uniform, normal, normal_clipped, "
            "normal_clipped_to_boundary, lognormal, exponential) and in NoisyCurrentSource. "
            "Give this RandomDistribution a NumpyRNG."
        )
