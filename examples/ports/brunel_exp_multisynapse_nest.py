"""Random balanced network with 100 exponential receptor ports (NEST's
``pynest/examples/brunel_exp_multisynapse_nest.py``), ported to snn.

Brunel (2000, J. Comput. Neurosci. 8:183-208) with NEST's ``iaf_psc_exp_multisynapse``:
10 000 excitatory and 2500 inhibitory neurons (tau_m = 20 ms, C_m = 1 pF, threshold 20 mV
above rest, reset to rest, 2 ms refractory), each with 100 receptor ports whose current decays
with tau_syn = 0.1, 0.11, ..., 1.09 ms. Each neuron receives exactly 1000 excitatory synapses
of 0.1 pA and 250 inhibitory ones of -0.5 pA (g = 5) from randomly drawn sources (NEST's
``fixed_indegree``), all with a delay of 1.5 ms, and its own Poisson train of 20 kHz (the
example's ``p_rate``: eta = 2 times the threshold rate computed as if J were 0.1 mV, which
it is not for these currents). Every connection, the Poisson one included, lands on a port
drawn uniformly from the 100, so each neuron's drive decays with its own time constant and
the neurons' rates differ widely. The original records the first 50 neurons of each
population for one second and prints their rates; this port returns them, the rates over
all neurons and the CV of the excitatory inter-spike intervals.

In snn: :class:`snn.neurons.LIFExpMulti` (``iaf_psc_exp_multisynapse``, one receptor per port,
``"r1"`` ... ``"r100"``), :class:`snn.synapses.Explicit` and :class:`snn.neurons.PoissonInput`
with ``start=``. snn's ``connect`` feeds one receptor per projection and a drive one receptor,
so a receptor drawn per connection (NEST's ``"receptor_type": nest.random.uniform_int(...)``)
is written as one projection per port and source population, built from pairs drawn here (the
sources of a target with replacement, as NEST's ``fixed_indegree``, then a port for each);
both populations are views of one population of 12 500 so that each port needs 2 projections,
not 4. The Poisson drive's port, drawn per neuron, becomes a 101st port ``"ext"`` whose time
constant is given per neuron (the drawn port's); its current adds to that of the network's
port of the same time constant, so the potential is NEST's (the dynamics are linear). One
``PoissonInput`` per port instead, on the neurons that drew it, makes 100 drives, and the
loop snn generates for them did not compile in 16 minutes.
Conventions that matter (docs/from-nest.md):

* NEST's ``fixed_indegree`` allows multapses and autapses; the pairs drawn here do too.
* The ``poisson_generator`` emits nothing in its first step and reaches the neurons through
  its 1.5 ms delay; ``PoissonInput`` has no delay and starts at 1.6 ms (``start=``), so the
  potentials first move at the same step (as in ``brunel_alpha_nest``).
* Random numbers are keyed differently, so only seed ensembles can agree.

``scale`` shrinks both populations and both in-degrees by the same factor (the drive stays at
the example's 20 kHz); ``scale=1`` is the example.

Run:  uv run python examples/ports/brunel_exp_multisynapse_nest.py
"""

from __future__ import annotations

import numpy as np

# the alpha-synapse example's network parameters, sizes and figures: this example shares them
from brunel_alpha_nest import (
    DELAY,
    DT,
    DURATION,
    EPSILON,
    ETA,
    ORDER,
    TAU_M,
    THETA,
    G,
    figures,
    sizes,
)

from snn.core import Network
from snn.core.units import Hz, ms, mV, pA, pF
from snn.neurons import LIFExpMulti, PoissonInput
from snn.synapses import Explicit

#: the size compared with NEST (see the test); 1 is the example, whose seeds take minutes in
#: NEST and in snn on two cores (100 ports per neuron, 15.6 M synapses)
SCALE = 0.1
N_PORTS = 100
#: the ports' synaptic time constants [s]: 0.1 ms to 1.09 ms in steps of 0.01 ms
TAU_SYN = tuple((0.1 + 0.01 * k) * ms for k in range(N_PORTS))
C_M = 1 * pF
#: weights [A]: the example's J = 0.1 and -g J, in NEST's pA (its comment says mV)
J_EX = 0.1 * pA
J_IN = -G * J_EX


def external_rate() -> float:
    """Rate [Hz] of each neuron's Poisson drive: the example's ``p_rate``, eta times the rate
    ``theta / (J C_E tau_m)`` of C_E sources, all with its numbers (J read as 0.1 mV,
    C_E = 1000) whatever the scale: 20 000 Hz."""
    c_e = int(EPSILON * 4 * ORDER)
    nu_th = (THETA / mV) / (0.1 * c_e * (TAU_M / ms))  # per ms
    return 1000.0 * ETA * nu_th * c_e


def run(seed: int = 1, scale: float = SCALE, drive_delay: float = DELAY + DT) -> dict:
    """Simulate one second; return :func:`figures` of both populations' spikes.

    The Poisson drive starts at ``drive_delay`` [s] (NEST's generator is silent in its first
    step and reaches the neurons through the 1.5 ms delay of its synapse).
    """
    s = sizes(scale)
    n = s["n_e"] + s["n_i"]
    rng = np.random.default_rng(seed)
    net = Network(dt=DT, seed=seed)
    ports = tuple(f"r{k + 1}" for k in range(N_PORTS))
    # the port each neuron's Poisson drive lands on, as its time constant: a port of its own,
    # superposed on the network's port of that time constant (the dynamics are linear)
    drive_tau = np.asarray(TAU_SYN)[rng.integers(N_PORTS, size=n)]
    model = LIFExpMulti(
        c_m=C_M,
        tau_m=TAU_M,
        t_ref=2 * ms,
        e_l=0.0,
        v_reset=0.0,
        v_th=THETA,
        tau_syn=(*TAU_SYN, drive_tau),
        receptor_names=(*ports, "ext"),
    )
    everyone = net.add_population(model, n, name="all")
    exc, inh = everyone[: s["n_e"]], everyone[s["n_e"] :]
    drive = PoissonInput(rate=external_rate() * Hz, weight=J_EX, start=drive_delay, receptor="ext")
    net.add_drive(drive, everyone)
    for pre, n_pre, k_in, w in ((exc, s["n_e"], s["c_e"], J_EX), (inh, s["n_i"], s["c_i"], J_IN)):
        sources = rng.integers(n_pre, size=n * k_in)
        targets = np.repeat(np.arange(n), k_in)
        port_of = rng.integers(N_PORTS, size=n * k_in)
        for k, port in enumerate(ports):
            mine = port_of == k
            net.connect(
                pre,
                everyone,
                rule=Explicit(pre=sources[mine], post=targets[mine]),
                weight=w,
                delay=DELAY,
                receptor=port,
            )
    spikes_e, spikes_i = net.record_spikes(exc), net.record_spikes(inh)
    net.run(DURATION)
    # the monitors of views give indices in the population of 12 500
    return figures(
        spikes_e.times,
        spikes_e.indices,
        spikes_i.times,
        spikes_i.indices - s["n_e"],
        s["n_e"],
        s["n_i"],
    )


if __name__ == "__main__":
    print(run())
