"""The network of ``vogels_2011.py`` in Brian2, as the reference for its figures.

Same neurons, sizes, in-degrees, weights and rule (learning rate 0.1 nS, off for the first
second, on for nine), written in Brian2's own terms the way Zenke's Brian implementation of
Vogels et al. (2011, Fig. 4) writes them (forward Euler, the rule in ``on_pre``/``on_post`` with
``(event-driven)`` traces). Prints the E rate in the half second before learning, over the last
5 s, the mean CV of the inter-spike intervals there and the mean I->E weight.

Run (needs the ``peers`` group, a C++ compiler for Brian2's standalone mode):
    uv run --group peers python examples/vogels_2011/brian2_reference.py SEED [BUILD_DIR]

Figures (Brian2 2.9.0, seeds 1, 2, 3; 6 Dec 2026) are quoted in
``tests/validation/test_vogels_2011.py``.
"""

from __future__ import annotations

import sys
import tempfile

import brian2 as b2
import numpy as np
from brian2 import Hz, ms, mV, nS, pA, pF, second

N_E, N_I = 2000, 500


def fixed_indegree(rng: np.random.Generator, n_pre: int, n_post: int, k: int) -> dict:
    """Sources ``i`` and targets ``j`` of ``k`` distinct random inputs per target."""
    pre = np.concatenate([rng.choice(n_pre, size=k, replace=False) for _ in range(n_post)])
    return {"i": pre, "j": np.repeat(np.arange(n_post), k)}


def main(seed: int, build_dir: str) -> None:
    b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    b2.seed(seed)
    rng = np.random.default_rng(seed)
    model = """
    dv/dt = (g_l*(e_l - v) + g_ampa*(0*mV - v) + g_gaba*(e_gaba - v) + i_bg)/c_m : volt (unless refractory)
    dg_ampa/dt = -g_ampa/(5*ms) : siemens
    dg_gaba/dt = -g_gaba/(10*ms) : siemens
    """  # noqa: E501
    constants = {"g_l": 10 * nS, "e_l": -60 * mV, "e_gaba": -80 * mV, "c_m": 200 * pF,
                 "i_bg": 200 * pA}  # fmt: skip
    cells = b2.NeuronGroup(N_E + N_I, model, threshold="v > -50*mV", reset="v = -60*mV",
                           refractory=5 * ms, method="euler", namespace=constants)  # fmt: skip
    cells.v = "-60*mV + 10*mV*rand()"
    exc, inh = cells[:N_E], cells[N_E:]
    e_all = b2.Synapses(exc, cells, on_pre="g_ampa += 0.3*nS")
    e_all.connect(**fixed_indegree(rng, N_E, N_E + N_I, 160))
    i_i = b2.Synapses(inh, inh, on_pre="g_gaba += 3*nS")
    i_i.connect(**fixed_indegree(rng, N_I, N_I, 40))
    tau = 20 * ms
    rule = {"tau": tau, "alpha": 2 * 3 * Hz * tau, "eta": 0.1}  # rho_0 = 3 Hz, eta in nS
    i_e = b2.Synapses(
        inh, exc,
        model="""w : 1
        learning : 1 (shared)
        dapre/dt = -apre/tau : 1 (event-driven)
        dapost/dt = -apost/tau : 1 (event-driven)""",
        on_pre="""apre += 1
        w = clip(w + learning*eta*(apost - alpha), 0, 100)
        g_gaba += w*nS""",
        on_post="""apost += 1
        w = clip(w + learning*eta*apre, 0, 100)""",
        namespace=rule,
    )  # fmt: skip
    i_e.connect(**fixed_indegree(rng, N_I, N_E, 40))
    i_e.w = 1e-4
    spikes = b2.SpikeMonitor(exc)
    i_e.learning = 0
    b2.run(1 * second)
    i_e.learning = 1
    b2.run(9 * second)
    b2.device.build(directory=build_dir)
    t, ids = np.asarray(spikes.t / second), np.asarray(spikes.i)
    late = t >= 5.0
    cvs = [np.std(d) / np.mean(d) for d in (np.diff(t[late & (ids == n)]) for n in range(N_E))
           if d.size >= 2]  # fmt: skip
    before = np.sum((t >= 0.5) & (t < 1.0)) / (N_E * 0.5)
    print(f"seed {seed}: before {before:.1f} Hz, last 5 s {np.sum(late) / (N_E * 5.0):.2f} Hz, "
          f"CV {np.mean(cvs):.2f}, mean w {np.mean(i_e.w):.3f} nS")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp())
