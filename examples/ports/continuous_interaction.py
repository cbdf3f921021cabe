"""Continuous synaptic interaction (Brian2's ``examples/synapses/continuous_interaction.py``).

Two Hodgkin-Huxley-type neurons (the reduced Traub-Miles model, "RTM", of Ermentrout and
Kopell) with a synaptic gating variable ``s`` each; neuron 0, driven by 1.5 uA, drives neuron 1
through a synapse that adds ``w * s_pre`` to the target's ``s_in`` at every step (Brian2's
``(summed)`` variable). The equations are Brian2's, pasted; its constants become parameters,
``I_ext`` a per-neuron parameter and ``s_in`` a current input (``currents=["s_in"]``).
Brian2 sets the gates to their steady state with expressions of the state
(``m = "alpham / (alpham + betam)"``); here numpy computes the same values before the run.
Exponential Euler, as Brian2 chooses.

Run:  uv run python examples/ports/continuous_interaction.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, msiemens, mV, uA, ufarad
from snn.equations import neuron_model, synapse_model
from snn.synapses import Explicit

#: Brian2's equations, as in the example
EQUATIONS = """
    alphah = 0.128 * exp(-(vm + 50.0*mV) / (18.0*mV))/ms :Hz
    alpham = 0.32/mV * (vm + 54*mV) / (1.0 - exp(-(vm + 54.0*mV) / (4.0*mV)))/ms:Hz
    alphan = 0.032/mV * (vm + 52*mV) / (1.0 - exp(-(vm + 52.0*mV) / (5.0*mV)))/ms:Hz

    betah  = 4.0 / (1.0 + exp(-(vm + 27.0*mV) / (5.0*mV)))/ms:Hz
    betam  = 0.28/mV * (vm + 27.0*mV) / (exp((vm + 27.0*mV) / (5.0*mV)) - 1.0)/ms:Hz
    betan  = 0.5 * exp(-(vm + 57.0*mV) / (40.0*mV))/ms:Hz

    membrane_Im = I_ext + gNa*m**3*h*(ENa-vm) +
                  gl*(El-vm) + gK*n**4*(EK-vm) + gSyn*s_in*(-vm): amp
    I_ext : amp
    s_in  : 1

    dm/dt = alpham*(1-m)-betam*m : 1
    dn/dt = alphan*(1-n)-betan*n : 1
    dh/dt = alphah*(1-h)-betah*h : 1

    ds/dt = 0.5 * (1 + tanh(0.1*vm/mV)) * (1-s)/tau_r - s/tau_d : 1

    dvm/dt = membrane_Im/C : volt
    """

#: Brian2's constants, as parameters
PARAMETERS = """
    El : volt
    EK : volt
    ENa : volt
    gl : siemens
    gK : siemens
    gNa : siemens
    gSyn : siemens
    C : farad
    tau_r : second
    tau_d : second
    """

RTM = neuron_model("RTM", EQUATIONS + PARAMETERS, method="exponential_euler", currents=["s_in"])

#: the synapse: Brian2's ``s_in_post = weight*s_pre : 1 (summed)`` (``weight`` is snn's ``w``)
SUMMED = synapse_model("Summed", "w : 1\ns_in_post = w*s_pre : 1 (summed)")

#: initial membrane potentials [V]
VM0 = np.array([-70.0, -65.0]) * mV


def steady_gates(vm: np.ndarray) -> dict[str, np.ndarray]:
    """The gates' steady states at ``vm`` [V], from the model's own rate functions."""
    am = 0.32 / mV * (vm + 54 * mV) / (1.0 - np.exp(-(vm + 54.0 * mV) / (4.0 * mV))) / ms
    bm = 0.28 / mV * (vm + 27.0 * mV) / (np.exp((vm + 27.0 * mV) / (5.0 * mV)) - 1.0) / ms
    ah = 0.128 * np.exp(-(vm + 50.0 * mV) / (18.0 * mV)) / ms
    bh = 4.0 / (1.0 + np.exp(-(vm + 27.0 * mV) / (5.0 * mV))) / ms
    an = 0.032 / mV * (vm + 52 * mV) / (1.0 - np.exp(-(vm + 52.0 * mV) / (5.0 * mV))) / ms
    bn = 0.5 * np.exp(-(vm + 57.0 * mV) / (40.0 * mV)) / ms
    return {"m": am / (am + bm), "h": ah / (ah + bh), "n": an / (an + bn)}


def figures(vm: np.ndarray, s: np.ndarray) -> dict:
    """``vm`` [mV] and ``s`` of both neurons at t = 1, 2, ... ms (rows: samples every 0.1 ms
    from t = 0.1 ms on, one column per neuron)."""
    every_ms = slice(9, None, 10)
    return {"vm_mV": vm[every_ms].tolist(), "s": s[every_ms].tolist()}


def run() -> dict:
    """Simulate 100 ms; return both neurons' vm and s every millisecond."""
    net = Network(dt=0.1 * ms)
    model = RTM(
        I_ext=np.array([1.5 * uA, 0.0]),
        El=-67 * mV,
        EK=-100 * mV,
        ENa=50 * mV,
        gl=0.1 * msiemens,
        gK=80 * msiemens,
        gNa=100 * msiemens,
        gSyn=1.0 * msiemens,
        C=1 * ufarad,
        tau_r=0.2 * ms,
        tau_d=2 * ms,
    )
    pop = net.add_population(model, 2, init={"vm": VM0, **steady_gates(VM0)})
    net.connect(pop, pop, rule=Explicit(pre=[0], post=[1]), weight=0.25, synapse=SUMMED())
    monitor = net.record_state(pop, ["vm", "s"])
    net.run(100 * ms)
    values = monitor.record().values
    return figures(values["vm"] / mV, values["s"])


if __name__ == "__main__":
    out = run()
    vm = np.array(out["vm_mV"])
    print(f"vm of neuron 0 from {vm[:, 0].min():.2f} to {vm[:, 0].max():.2f} mV")
    print(f"vm of neuron 1 from {vm[:, 1].min():.2f} to {vm[:, 1].max():.2f} mV")
