"""Two short-term plasticity synapses side by side (NEST's
``pynest/examples/evaluate_tsodyks2_synapse.py``), ported to snn.

One ``iaf_psc_exp`` neuron (NEST's defaults, 3 ms excitatory currents) is driven by 376 pA for
500 ms, left alone for 500 ms and driven again for 500 ms: a burst, a pause and a recovery
probe. Each of its spikes reaches two further neurons with weight 250 pA and NEST's default
delay of 1 ms, one through ``tsodyks_synapse`` (three resource states, Tsodyks, Pawelzik &
Markram 1998), the other through ``tsodyks2_synapse`` (two variables, Fuhrmann et al. 2002,
Maass & Markram 2002); the example runs this once with depressing parameters (U = u = 0.67,
tau_rec = 450 ms, no facilitation) and once with facilitating ones (U = u = 0.1,
tau_rec = 100 ms, tau_fac = 1 s). The original plots both targets' V_m, sampled every
millisecond, for each experiment; this port returns them.

In snn the two synapse models are :class:`snn.synapses.TsodyksSynapse` and
:class:`snn.synapses.Tsodyks2Synapse`, given to ``connect(..., synapse=...)``; the example's
``u`` is their ``u0`` and its ``x`` their ``x0``. ``TsodyksSynapse`` also needs ``tau_psc``,
which NEST's ``tsodyks_synapse`` leaves at its default of 3 ms (the targets' ``tau_syn_ex``).
Conventions that matter here (docs/from-nest.md): spike times are the end of the step, as in
NEST, so the intervals the synapses recover over are the same; NEST's voltmeter hands over the
samples of the last millisecond only in the next run, so it has 1499 samples of the 1.5 s and
snn 1500.

The example calls the two models' conditions identical, but the same ``u`` means different
things to them: ``tsodyks_synapse`` adds ``U (1 - u)`` to it at the first spike, while
``tsodyks2_synapse`` sends the first spike with ``u`` as it is. With facilitation (U = 0.1)
that makes most of the 0.15 mV between the two traces; with ``u0=0`` for ``TsodyksSynapse``
the traces differ by 0.007 mV, as little as under depression (0.005 mV).

Run:  uv run python examples/ports/evaluate_tsodyks2_synapse.py
"""

from __future__ import annotations

from snn.core import Network
from snn.core.units import ms, mV, pA
from snn.neurons import LIFExp
from snn.synapses import AllToAll, Tsodyks2Synapse, TsodyksSynapse

#: the example's two parameter sets (``u`` and ``x`` are the synapses' initial values)
EXPERIMENTS = {
    "depression": {"U": 0.67, "u": 0.67, "x": 1.0, "tau_rec": 450 * ms, "tau_fac": 0.0},
    "facilitation": {"U": 0.1, "u": 0.1, "x": 1.0, "tau_rec": 100 * ms, "tau_fac": 1000 * ms},
}
WEIGHT = 250 * pA
DRIVE = 376 * pA


def run(experiment: str) -> dict:
    """Simulate 1.5 s of one experiment; return the driven neuron's spikes [ms], the V_m [mV]
    of the targets of ``tsodyks_synapse`` and ``tsodyks2_synapse`` every ms, and the two
    synapses' variables at the end (NEST's ``GetConnections(...).get(["u", "x"])``)."""
    p = EXPERIMENTS[experiment]
    net = Network(dt=0.1 * ms)
    model = LIFExp(tau_syn_ex=3 * ms)  # NEST's iaf_psc_exp defaults otherwise
    driven = net.add_population(model, 1, name="driven")
    target_1 = net.add_population(model, 1, name="tsodyks")
    target_2 = net.add_population(model, 1, name="tsodyks2")
    common = {"U": p["U"], "tau_rec": p["tau_rec"], "tau_fac": p["tau_fac"]}
    synapses = (
        (target_1, TsodyksSynapse(tau_psc=3 * ms, u0=p["u"], x0=p["x"], **common)),
        (target_2, Tsodyks2Synapse(u0=p["u"], x0=p["x"], **common)),
    )
    projections = [
        net.connect(
            driven,
            target,
            rule=AllToAll(),
            weight=WEIGHT,
            delay=1 * ms,
            receptor="exc",
            synapse=synapse,
        )
        for target, synapse in synapses
    ]
    spikes = net.record_spikes(driven)
    monitors = [net.record_state(t, "v", interval=1 * ms) for t in (target_1, target_2)]
    for amplitude in (DRIVE, 0.0, DRIVE):
        driven.set(i_e=amplitude)
        net.run(500 * ms)
    v_1, v_2 = (m.record().values["v"][:, 0] / mV for m in monitors)
    return {
        "spikes_ms": (spikes.times / ms).tolist(),
        "v_tsodyks_mV": v_1.tolist(),
        "v_tsodyks2_mV": v_2.tolist(),
        "state_tsodyks": {k: float(projections[0].get(k)[0]) for k in ("u", "x", "y")},
        "state_tsodyks2": {k: float(projections[1].get(k)[0]) for k in ("u", "x")},
    }


if __name__ == "__main__":
    for name in EXPERIMENTS:
        out = run(name)
        print(
            f"{name}: {len(out['spikes_ms'])} presynaptic spikes; peak V_m "
            f"{max(out['v_tsodyks_mV']):.4f} mV (tsodyks), "
            f"{max(out['v_tsodyks2_mV']):.4f} mV (tsodyks2)"
        )
