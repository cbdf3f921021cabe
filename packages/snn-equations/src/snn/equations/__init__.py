"""snn.equations: neuron models written as equations, compiled into snn's loop.

A model is a few lines of maths in Brian2's syntax; :func:`neuron_model` turns them into a
neuron model class that runs like a built-in one::

    from snn.equations import neuron_model
    from snn.core.units import ms, mV

    LIF = neuron_model(
        "LIF",
        '''
        dv/dt = (E_L - v) / tau_m : volt (unless refractory)
        tau_m : second
        E_L : volt
        V_th : volt
        V_reset : volt
        ''',
        threshold="v > V_th",
        reset="v = V_reset",
        refractory=2 * ms,
        on_spike={"syn": "v += w"},
        initial={"v": "E_L"},
    )
    neuron = LIF(tau_m=20 * ms, E_L=-70 * mV, V_th=-50 * mV, V_reset=-70 * mV)

The equations are parsed by Python's parser, analysed with sympy (units checked dimensionally,
the integrator chosen per system: exact propagators, exponential Euler or RK4), and compiled
into a numba step function that the network inlines into its fused loop. sympy is imported only
when a model text is analysed for the first time; the analysis is cached on disk.
"""

from snn.equations._model import EquationNeuron, ModelInfo, neuron_model
from snn.equations._source import EquationError
from snn.equations._synapse import EquationSynapse, SynapseInfo, synapse_model

__all__ = [
    "EquationError",
    "EquationNeuron",
    "EquationSynapse",
    "ModelInfo",
    "SynapseInfo",
    "neuron_model",
    "synapse_model",
]
