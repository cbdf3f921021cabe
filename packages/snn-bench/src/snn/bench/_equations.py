"""The COBA and CUBA neurons and the plastic Brunel network's STDP rule written as equations.

``snn-bench run coba --equations`` and ``snn-bench run cuba --equations`` build the benchmark
networks of :mod:`snn.bench._models` with these models instead of the built-in ``LIFCondExp`` and
``LIFExp``; ``snn-bench run stdp --equations`` the plastic Brunel network with :data:`STDP`
instead of the built-in ``PairSTDP``. The equations are those of ``shared/BENCHMARK_MODELS.md``
(Brian2's COBA and CUBA examples, BRUNEL_STDP's rule), in Brian2's syntax; the parameters are
the models' fields.

Importing this module analyses the equations (sympy, once per text; later processes read the
analysis from snn's cache).
"""

from __future__ import annotations

from snn.core.units import ms
from snn.equations import neuron_model, synapse_model

__all__ = ["COBA", "CUBA", "STDP"]

#: Brette et al. 2007 benchmark 1 (Vogels & Abbott 2005): forward Euler, as Brian's example
COBA = neuron_model(
    "COBA",
    """
    dv/dt = (g_L * (E_L - v) + g_ex * (E_ex - v) + g_in * (E_in - v)) / C_m
            : volt (unless refractory)
    dg_ex/dt = -g_ex / tau_ex : siemens
    dg_in/dt = -g_in / tau_in : siemens
    C_m : farad (shared)
    g_L : siemens (shared)
    E_L : volt (shared)
    V_th : volt (shared)
    V_reset : volt (shared)
    E_ex : volt (shared)
    E_in : volt (shared)
    tau_ex : second (shared)
    tau_in : second (shared)
    """,
    threshold="v > V_th",
    reset="v = V_reset",
    refractory=5 * ms,
    on_spike={"exc": "g_ex += w", "inh": "g_in += w"},
    method="euler",
)

#: Brette et al. 2007 benchmark 2 (Brian2's examples/CUBA.py): synaptic variables in volts,
#: exact integration
CUBA = neuron_model(
    "CUBA",
    """
    dv/dt = (ge + gi - (v - E_L)) / tau_m : volt (unless refractory)
    dge/dt = -ge / tau_ex : volt
    dgi/dt = -gi / tau_in : volt
    tau_m : second (shared)
    E_L : volt (shared)
    V_th : volt (shared)
    V_reset : volt (shared)
    tau_ex : second (shared)
    tau_in : second (shared)
    """,
    threshold="v > V_th",
    reset="v = V_reset",
    refractory=5 * ms,
    on_spike={"exc": "ge += w", "inh": "gi += w"},
    method="exact",
)

#: BRUNEL_STDP's rule (Morrison et al. 2007, additive, all-to-all): the built-in PairSTDP's
#: equations, with unit traces and the steps lambda w_max and alpha lambda w_max
STDP = synapse_model(
    "STDP",
    """
    w : volt
    dx/dt = -x / tau_plus : 1 (event-driven)
    dy/dt = -y / tau_minus : 1 (event-driven)
    tau_plus : second
    tau_minus : second
    learning_rate : 1
    alpha : 1
    w_max : volt
    """,
    on_pre="""
    x += 1
    w = clip(w - alpha * learning_rate * w_max * y, 0 * volt, w_max)
    syn += w
    """,
    on_post="""
    y += 1
    w = clip(w + learning_rate * w_max * x, 0 * volt, w_max)
    """,
)
