"""AdEx with four beta-function synapses (NEST's ``aeif_cond_beta_multisynapse.py``), in snn.

NEST's example sends one spike at 10 ms to an ``aeif_cond_beta_multisynapse`` neuron through
its four receptor ports, with delays of 1, 300, 500 and 700 ms, and plots the membrane
potential: four postsynaptic potentials, each with its own reversal potential and rise and
decay times. snn has no built-in model of it, so it is written here as equations: NEST's
model, with each receptor a conductance ``g_k`` driven by ``h_k`` (a difference of two
exponentials), the jump of ``h_k`` scaled by NEST's normalisation (the peak of ``g_k`` after a
spike of weight ``w`` is ``w``), the potential in the currents clipped at ``V_peak`` and
adaptive Runge-Kutta-Fehlberg integration as NEST's. NEST's defaults, with ``V_peak`` = 0 mV,
``a`` = 4 nS and ``b`` = 80.5 pA as the example sets them; the neuron stays below threshold.

Run:  uv run python examples/ports/aeif_cond_beta_multisynapse.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, mV, nS, pA, pF
from snn.equations import neuron_model
from snn.neurons import SpikeSourceArray
from snn.synapses import AllToAll

#: per receptor: reversal potential [mV], decay and rise times [ms], delay of the spike [ms]
E_REV_MV = (0.0, 0.0, 0.0, -85.0)
TAU_DECAY_MS = (50.0, 20.0, 20.0, 20.0)
TAU_RISE_MS = (10.0, 10.0, 1.0, 1.0)
DELAYS_MS = (1.0, 300.0, 500.0, 700.0)
PORTS = range(1, len(E_REV_MV) + 1)


def _equations() -> str:
    synaptic = " + ".join(f"g{k}*(E{k} - V)" for k in PORTS)
    lines = [
        "dv/dt = (-g_L*(V - E_L) + g_L*Delta_T*exp((V - V_th)/Delta_T) + I_syn - w_ad + I_e)"
        " / C_m : volt",
        "V = minimum(v, V_peak) : volt",
        "dw_ad/dt = (a*(V - E_L) - w_ad) / tau_w : amp",
        f"I_syn = {synaptic} : amp",
    ]
    for k in PORTS:
        lines += [
            f"dg{k}/dt = h{k} - g{k}/td{k} : siemens",
            f"dh{k}/dt = -h{k}/tr{k} : siemens/second",
            f"E{k} : volt",
            f"td{k} : second",
            f"tr{k} : second",
        ]
    lines += [
        f"{name} : {unit}"
        for name, unit in (
            ("g_L", "siemens"), ("E_L", "volt"), ("Delta_T", "volt"), ("V_th", "volt"),
            ("V_peak", "volt"), ("V_reset", "volt"), ("a", "siemens"), ("b", "amp"),
            ("tau_w", "second"), ("C_m", "farad"), ("I_e", "amp"),
        )
    ]  # fmt: skip
    return "\n".join(lines)


def _jump(k: int) -> str:
    """NEST's normalisation of receptor ``k``: the peak of ``g`` is the spike's weight."""
    t_peak = f"(td{k}*tr{k}*log(td{k}/tr{k})/(td{k} - tr{k}))"
    return f"h{k} += w * (1/tr{k} - 1/td{k}) / (exp(-{t_peak}/td{k}) - exp(-{t_peak}/tr{k}))"


AEIFBeta = neuron_model(
    "AEIFCondBetaMultisynapse",
    _equations(),
    threshold="v >= V_peak",
    reset="v = V_reset; w_ad += b",
    on_spike={f"r{k}": _jump(k) for k in PORTS},
    initial={"v": "E_L"},
    method="rkf45",
)


def run() -> dict:
    """Simulate one second; return the samples' times [ms] and V_m [mV], every 0.1 ms."""
    params = {
        "g_L": 30 * nS, "E_L": -70.6 * mV, "Delta_T": 2 * mV, "V_th": -50.4 * mV,
        "V_peak": 0.0, "V_reset": -60 * mV, "a": 4 * nS, "b": 80.5 * pA, "tau_w": 144 * ms,
        "C_m": 281 * pF, "I_e": 0.0,
    }  # fmt: skip
    for k, e, td, tr in zip(PORTS, E_REV_MV, TAU_DECAY_MS, TAU_RISE_MS, strict=True):
        params |= {f"E{k}": e * mV, f"td{k}": td * ms, f"tr{k}": tr * ms}
    net = Network(dt=0.1 * ms)
    neuron = net.add_population(AEIFBeta(**params), 1)
    spike = net.add_population(SpikeSourceArray(times=[10 * ms], indices=[0]), 1)
    for k, delay in zip(PORTS, DELAYS_MS, strict=True):
        net.connect(
            spike, neuron, rule=AllToAll(), weight=1 * nS, delay=delay * ms, receptor=f"r{k}"
        )
    voltmeter = net.record_state(neuron, "v")
    net.run(1.0)
    record = voltmeter.record()
    return {
        "times_ms": (record.times / ms).tolist(),
        "v_mV": (record.values["v"][:, 0] / mV).tolist(),
    }


if __name__ == "__main__":
    out = run()
    v = np.array(out["v_mV"])
    print(f"V_m from {v.min():.4f} to {v.max():.4f} mV over {len(v)} samples")
