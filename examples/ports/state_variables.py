"""Setting state variables and weights from expressions (Brian2's
``examples/synapses/state_variables.py``), ported to snn.

A hundred neurons get ``v = (sin(2 pi i / N) - 70 + 0.25 randn()) mV``; all-to-all synapses
(self-pairs included, as Brian2's ``connect()``) get ``w = exp(-(i - j)**2 / 200) mV`` where
the source index i exceeds the target index j, and 0 elsewhere. Nothing is simulated: the
original plots v against the neuron index and the weight matrix; this port returns the
matrix's row and column sums and the statistics of v around its sine (:func:`figures`).

The original's ``v : volt`` becomes ``dv/dt = 0*volt/second : volt``: Brian2 takes a
declaration without an equation for a variable (its synapses' ``v += w`` writes it), snn for a
parameter, which no reset or synaptic event may write.

Brian2 writes both as strings evaluated per neuron or per synapse (``G.v = '...'``,
``S.w['i > j'] = '...'``). In snn they are numpy expressions of the indices: v is an initial
value (``add_population(init=...)``; the noise is numpy's draw, so only its distribution is
Brian2's) and the weights are set per synapse with ``Projection.set(weight=...)`` from the
projection's ``sources`` and ``targets``, in the storage order they give.

Run:  uv run python examples/ports/state_variables.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import mV
from snn.equations import neuron_model
from snn.synapses import AllToAll

N = 100
SPACE_CONSTANT = 200.0

# Brian2's `v : volt` is a variable that on_pre may change; in snn a declaration without an
# equation is a parameter, which no event may write: v is a state variable that stays put
Neuron = neuron_model(
    "StateVariablesNeuron",
    "dv/dt = 0*volt/second : volt",
    threshold="v > -50*mV",
    on_spike={"syn": "v += w"},
)


def figures(v: np.ndarray, weights: np.ndarray) -> dict:
    """v [V] of each neuron and the weight matrix [V] (row: source i, column: target j): the
    mean and spread of v around the sine [mV]; the matrix's row and column sums [mV] and its
    number of non-zero weights."""
    residual = np.asarray(v) / mV - (np.sin(2 * np.pi * np.arange(N) / N) - 70)
    w = np.asarray(weights) / mV
    return {
        "residual_mean_mV": float(residual.mean()),
        "residual_sd_mV": float(residual.std(ddof=1)),
        "w_row_sums_mV": w.sum(axis=1).tolist(),
        "w_column_sums_mV": w.sum(axis=0).tolist(),
        "n_nonzero": int(np.count_nonzero(w)),
    }


def run(seed: int = 1) -> dict:
    """Set v and the weights (nothing is simulated)."""
    rng = np.random.default_rng(seed)
    i = np.arange(N)
    v = (np.sin(2 * np.pi * i / N) - 70 + 0.25 * rng.standard_normal(N)) * mV
    net = Network(seed=seed)
    neurons = net.add_population(Neuron(), N, init={"v": v})
    synapses = net.connect(neurons, neurons, rule=AllToAll(), weight=0.0, receptor="syn")
    pre, post = synapses.sources(), synapses.targets()
    synapses.set(
        weight=np.where(pre > post, np.exp(-((pre - post) ** 2) / SPACE_CONSTANT) * mV, 0.0)
    )
    matrix = np.zeros((N, N))
    matrix[synapses.sources(), synapses.targets()] = synapses.weights()
    return figures(neurons.get("v"), matrix)


if __name__ == "__main__":
    out = run()
    print(f"v - sine: {out['residual_mean_mV']:.3f} +- {out['residual_sd_mV']:.3f} mV")
    print("synapses with w > 0:", out["n_nonzero"])
