"""A scaling model of the engine: time per biological second on K ranks, from measured parts.

The loop advances in slices of ``L = min_delay`` steps. On K ranks each rank, per slice:

* updates its ``N/K`` neurons for L steps (drives, update, spike gathering):
  ``t_update * N * L / K``;
* delivers the slice's spikes into its own targets: ``t_event * E_slice / K`` for the synaptic
  events, plus ``t_row * S_slice`` because every rank visits the row of every spike (its share of
  the row may be short, the visit costs the same);
* exchanges spikes with one Allgatherv (plus an Allgather of counts): ``2 * alpha * log2(K)`` of
  latency (recursive doubling) plus ``beta * 4 bytes * S_slice`` to receive everyone's spikes;
* merges the received spikes (``t_merge * S_slice``) and returns to Python once
  (``t_python``);
* waits for the slowest rank: per-slice compute times jitter with standard deviation
  ``sigma_slice``; the expected maximum of K such times exceeds the mean by about
  ``sigma_slice * sqrt(2 ln K)``.

Strong scaling keeps the network fixed; weak scaling grows N (and hence the spikes per slice)
with K at fixed in-degree, so events per rank stay constant while spikes per slice grow.
Everything is per slice and multiplied by the number of slices per biological second.
Assumptions: round-robin dealing balances neurons and events exactly; rates do not change with K
(they do not: the network is the same); memory bandwidth per rank is independent of K (one rank
per core group); the interconnect's alpha and beta are given, not measured, beyond one node.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = ["ScalingParameters", "from_run", "predict"]


@dataclass(frozen=True)
class ScalingParameters:
    """Measured and assumed constants of the model (seconds, counts per slice)."""

    n_neurons: int
    slice_steps: int
    slices_per_bio_s: float
    spikes_per_slice: float
    events_per_slice: float
    t_update: float  #: per neuron and step (drives + update + gather) [s]
    t_event: float  #: per synaptic event [s]
    t_row: float  #: per spike and rank (row visit) [s]
    t_merge: float = 5e-9  #: per received spike [s]
    t_python: float = 60e-6  #: per slice, Python side under MPI [s]
    alpha: float = 2e-6  #: collective latency per log2 step [s] (InfiniBand class)
    beta: float = 1 / 10e9  #: per byte received [s] (10 GB/s)
    sigma_slice: float = 20e-6  #: jitter of one slice's compute time [s]


def predict(p: ScalingParameters, ranks: int, *, weak: bool = False) -> dict[str, float]:
    """Predicted seconds per biological second on ``ranks`` ranks, by part.

    Parameters
    ----------
    p
        Model constants (see :func:`from_run`).
    ranks
        Number of ranks K.
    weak
        Weak scaling: the network grows with K (``N * K`` neurons, same in-degrees).

    Returns
    -------
    dict
        ``compute``, ``rows``, ``communication``, ``merge_python``, ``imbalance`` and ``total``.
    """
    k = ranks
    grow = k if weak else 1
    n = p.n_neurons * grow
    spikes = p.spikes_per_slice * grow
    events = p.events_per_slice * grow
    compute = p.t_update * n * p.slice_steps / k + p.t_event * events / k
    rows = p.t_row * spikes
    if k > 1:
        comm = 2 * p.alpha * math.log2(k) + p.beta * 4 * spikes
        merge_python = p.t_merge * spikes + p.t_python
        imbalance = p.sigma_slice * math.sqrt(2 * math.log(k))
    else:
        comm = merge_python = imbalance = 0.0
    parts = {
        "compute": compute,
        "rows": rows,
        "communication": comm,
        "merge_python": merge_python,
        "imbalance": imbalance,
    }
    out = {name: value * p.slices_per_bio_s for name, value in parts.items()}
    out["total"] = sum(out.values())
    return out


def from_run(
    record: dict[str, Any], phases: dict[str, float], *, t_row: float
) -> ScalingParameters:
    """Model constants from a profiled one-rank run.

    Parameters
    ----------
    record
        The ``snn-bench run`` record (neurons, spikes, events, biological time).
    phases
        Seconds in each loop phase (``Network.phase_times``) during that run.
    t_row
        Cost of visiting one spike's row [s] (measured apart, see ``snn-bench scaling``). When
        the rows alone would take longer than the run's whole delivery phase (the two were
        measured at different moments of a loaded machine), the row cost is lowered to the
        delivery time per spike, so that the model still adds up to the measured phases.
    """
    bio = record["bio_s"]
    dt = 1e-4
    steps = bio / dt
    slice_steps = int(record["slice_steps"])
    slices = steps / slice_steps
    spikes = record["n_spikes"]
    events = record["synaptic_events"]
    update = phases["drives"] + phases["update"] + phases["gather"]
    delivery = phases["delivery"]
    if spikes:
        t_row = min(t_row, delivery / spikes)
    t_event = (delivery - t_row * spikes) / max(events, 1)
    return ScalingParameters(
        n_neurons=int(record["n_neurons"]),
        slice_steps=slice_steps,
        slices_per_bio_s=slices / bio,
        spikes_per_slice=spikes / slices,
        events_per_slice=events / slices,
        t_update=update / (record["n_neurons"] * steps),
        t_event=t_event,
        t_row=t_row,
    )


def with_machine(p: ScalingParameters, **changes: float) -> ScalingParameters:
    """A copy with other machine constants (for example this machine's measured MPI costs)."""
    return replace(p, **changes)


def as_dict(p: ScalingParameters) -> dict[str, Any]:
    """The constants as a plain dict (for JSON)."""
    return asdict(p)


def measure_row_visit(repeats: int = 200) -> float:
    """Seconds per visit of a spike's row that holds no synapse onto the block.

    This is the part of delivery that does not shrink with more ranks; it is timed on the
    engine's own delivery kernel.
    """
    import time

    import numpy as np

    from snn.core.kernels import csr_block_split, csr_deliver_block

    n_pre, n_post = 10_000, 1_000
    rng = np.random.default_rng(0)
    indptr = np.arange(n_pre + 1, dtype=np.int64)  # one synapse per row ...
    indices = rng.integers(0, n_post, n_pre).astype(np.uint16)
    # ... and the block below holds targets [0, 0): every visit finds an empty range
    bounds = np.array([0, 0, n_post], dtype=np.int64)
    split = np.empty((3, n_pre), dtype=np.int64)
    csr_block_split(indptr, indices, bounds, split)
    spikes = np.sort(rng.choice(n_pre, 1000, replace=False)).astype(np.int32)
    offsets = np.array([[0, spikes.shape[0]]], dtype=np.int64)
    ring = np.zeros((2, n_post))
    args = (
        spikes,
        offsets,
        np.zeros(2, np.int64),
        1,
        0,
        0,
        0,
        n_pre,
        split,
        0,
        indices,
        1.0,
        np.int64(1),
        ring,
    )
    csr_deliver_block(*args)
    t0 = time.perf_counter()
    for _ in range(repeats):
        csr_deliver_block(*args)
    return (time.perf_counter() - t0) / (repeats * spikes.shape[0])
