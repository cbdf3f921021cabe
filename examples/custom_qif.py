r"""Writing your own neuron model: the quadratic integrate-and-fire neuron (QIF).

A model is a frozen keyword-only dataclass of parameters that tells the engine four things:

1. its state variables (``state_vars``): one float array per variable, ``V`` first, because the
   engine checks the first float variable for NaN and inf in every step;
2. its receptors (``receptors``): input ports fed by synapses (``kind="spike"``, the sum of the
   weights arriving in the step) or by current sources (``kind="current"``, the current held
   over the step);
3. the constants its step function needs for a time step ``dt`` (``constants``);
4. the step function itself: a plain Python function of *one* neuron. Its arguments are matched
   **by name** to state variables, receptors, constants and ``dt`` (``uniform`` and ``normal``
   give fresh random numbers); it returns the new state variables in declared order, then
   whether the neuron spiked. numba compiles it and fuses it into the network's loop, so it runs
   as fast as a built-in model. Write it branch-free (``a if c else b`` is fine) and it
   vectorises; keep it under 30 arguments (CPython passes more through a tuple numba cannot
   inline).

A parameter given as a list, tuple or array is one value per neuron (its length must be the
population's size); a field that is one sequence for the whole model (time constants of several
adaptation currents, as NEST's ``glif_psc``) is named in ``model_sequences`` and reaches the
step function as a tuple constant.

The QIF neuron (Latham et al. 2000, J. Neurophysiol. 83:808), in SI units::

    tau_m dV/dt = (V - E_L)(V - V_c) / (V_c - E_L) + R I
    V >= V_peak: spike, V <- V_reset

Between ``E_L`` (stable) and ``V_c`` (unstable) the neuron returns to rest; above ``V_c`` it
blows up in finite time, the spike. Input spikes make ``V`` jump by their weight. Integration:
forward Euler.

Run ``python examples/custom_qif.py [duration_s]``: 1000 QIF neurons with Poisson input and
sparse inhibition, printing their rate and a check against the theory of the single neuron.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from snn.core import Network, NeuronModel, Receptor, StateVar
from snn.core.random import Uniform
from snn.core.units import Hz, MOhm, ms, mV, pA
from snn.neurons import DCSource, PoissonInput
from snn.synapses import PairwiseBernoulli


def qif_step(v, syn, current, dt, e_l, v_c, inv_width, dt_over_tau, r_m, v_peak, v_reset):
    """One forward-Euler step of one QIF neuron; returns ``(v, spiked)``."""
    v = v + dt_over_tau * ((v - e_l) * (v - v_c) * inv_width + r_m * current) + syn
    spiked = v >= v_peak
    return (v_reset if spiked else v), spiked


@dataclass(frozen=True, kw_only=True)
class QIF(NeuronModel):
    """Quadratic integrate-and-fire neuron with voltage-jump synapses.

    Parameters
    ----------
    tau_m
        Membrane time constant [s].
    e_l
        Resting potential [V].
    v_c
        Critical potential above which V blows up [V].
    r_m
        Membrane resistance [Ohm].
    v_peak
        Spike cut-off [V].
    v_reset
        Reset potential [V].
    """

    tau_m: float = 10 * ms
    e_l: float = -65 * mV
    v_c: float = -50 * mV
    r_m: float = 100 * MOhm
    v_peak: float = 0 * mV
    v_reset: float = -70 * mV

    state_vars: ClassVar[tuple[StateVar, ...]] = (StateVar("v", "V", doc="membrane potential"),)
    receptors: ClassVar[tuple[Receptor, ...]] = (
        Receptor("syn", "V", 0, "voltage jumps"),
        Receptor("current", "A", 0, "injected current", kind="current"),
    )

    def __post_init__(self) -> None:
        if not self.e_l < self.v_c < self.v_peak:
            raise ValueError("QIF needs e_l < v_c < v_peak")

    def step_function(self) -> Callable[..., Any]:
        return qif_step

    def constants(self, dt: float) -> dict[str, float]:
        return {
            "e_l": self.e_l,
            "v_c": self.v_c,
            "inv_width": 1.0 / (self.v_c - self.e_l),
            "dt_over_tau": dt / self.tau_m,
            "r_m": self.r_m,
            "v_peak": self.v_peak,
            "v_reset": self.v_reset,
        }

    def initial_state(self) -> dict[str, Any]:
        return {"v": self.e_l}


def qif_period(model: QIF, current: float) -> float:
    """Firing period [s] of the QIF under a constant current: the time from V_reset to
    V_peak of ``tau dV/dt = (V - a)^2 / w + k`` (closed form with arctan)."""
    w = model.v_c - model.e_l
    a = (model.e_l + model.v_c) / 2  # (V - e_l)(V - v_c) = (V - a)^2 - w^2 / 4
    k = model.r_m * current - w / 4
    if k <= 0:
        return math.inf
    s = math.sqrt(w * k)
    return (
        model.tau_m
        * w
        / s
        * (math.atan((model.v_peak - a) / s) - math.atan((model.v_reset - a) / s))
    )


def main(duration: float = 1.0) -> dict[str, float]:
    """Run the examples; returns the measured and predicted rates [Hz]."""
    model = QIF()

    # one neuron under DC: its rate against the closed form
    net = Network(dt=0.01 * ms, seed=1)
    single = net.add_population(model, 1)
    net.add_drive(DCSource(amplitude=200 * pA), single)
    spikes = net.record_spikes(single)
    net.run(duration)
    predicted = 1.0 / qif_period(model, 200 * pA)
    measured = 1.0 / float(np.mean(np.diff(spikes.times)))  # the first interval starts at E_L

    # a network: Poisson drive, sparse inhibition
    net = Network(dt=0.1 * ms, seed=1)
    pop = net.add_population(model, 1000, init={"v": Uniform(low=-70 * mV, high=-55 * mV)})
    net.add_drive(PoissonInput(rate=8000 * Hz, weight=0.5 * mV), pop)
    net.connect(pop, pop, rule=PairwiseBernoulli(p=0.05), weight=-0.2 * mV, delay=1.5 * ms)
    rec = net.record_spikes(pop)
    net.run(duration)
    network_rate = rec.n_spikes / (1000 * duration)

    print(f"single QIF under 200 pA: {measured:.2f} Hz (closed form {predicted:.2f} Hz)")
    print(f"QIF network rate: {network_rate:.2f} Hz")
    return {"single": measured, "predicted": predicted, "network": network_rate}


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
