"""Kuramoto's coupled phase oscillators (Brian2's ``examples/coupled_oscillators.py``), ported to
snn.

A hundred oscillators, ``dTheta_i/dt = omega_i + K / N sum_j sin(Theta_j - Theta_i)``, coupled
all to all, start from uniform random phases with intrinsic frequencies drawn from a normal
distribution of mean and spread 0.5 rad/s, clipped at 0. The original runs 10 s at dt = 1 ms
(forward Euler) for K = 0, 1, 2 and 4 /s from the same initial state (its fixed seed) and
animates the phases with the order parameter ``r = |mean_j exp(i Theta_j)|``; this port
returns r every second and its mean over the last two seconds, and the phases every second, for
each K (:func:`figures`). The critical coupling of this frequency distribution is about 0.8 /s
(Kuramoto's 2 / (pi g(0)) for the unclipped normal): uncoupled, r stays at the 1/sqrt(N) of
random phases; K = 1 synchronises slowly and partially; K = 2 and 4 lock.

The equations are the original's (docs/from-brian2-equations.md, "Summed variables"):
``coupling`` is a current input of the neuron model fed by the synapse model's summed variable
``coupling_post = sin(Theta_pre - Theta_post)``, which declares no weight (``connect`` is given
1, which nothing reads). Two changes: the original's ``N`` is Brian2's group size, which snn's
neuron equations do not offer (declaring ``N`` is refused), so it is a parameter ``n_osc``; and
the original's random initial state, Brian2 string expressions run at its seed, is drawn here by
numpy from the same distributions (:func:`initial_state`), or given (Brian2's own, to compare
trajectories). Brian2's ``connect()`` includes self-pairs, which add ``sin(0) = 0``.

Conventions that matter: none beyond the summed variable being computed from the phases at each
step's start and held over the step, in both; Brian2's StateMonitor samples each step's start
and snn's ``record_state`` its end, so snn's row j is Brian2's sample j + 1.

Run:  uv run python examples/ports/coupled_oscillators.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import ms, second
from snn.equations import neuron_model, synapse_model
from snn.synapses import AllToAll

N = 100
DT = 1 * ms
DURATION = 10 * second
K_VALUES = (0.0, 1.0, 2.0, 4.0)  # [1/s]
ORIGINAL_SEED = 214040893  # the original's seed for Brian2's initial state

Oscillator = neuron_model(
    "KuramotoOscillator",
    """
    dTheta/dt = omega + K/n_osc*coupling : radian
    omega : radian/second (constant) # intrinsic frequency
    coupling : 1
    K : hertz (shared)
    n_osc : 1 (shared)
    """,
    method="euler",
    currents=["coupling"],
)

Coupling = synapse_model(
    "KuramotoCoupling", "coupling_post = sin(Theta_pre - Theta_post) : 1 (summed)"
)


def initial_state(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Initial phases [rad] uniform on [0, 2 pi) and intrinsic frequencies [rad/s] from the
    normal distribution N(0.5, 0.5) clipped at 0, as the original draws them."""
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0.0, 2 * np.pi, N)
    omega = np.clip(0.5 + 0.5 * rng.standard_normal(N), 0.0, np.inf)
    return theta, omega


def order_parameter(theta: np.ndarray) -> np.ndarray:
    """Kuramoto's r of each row of phases (one column per oscillator)."""
    return np.abs(np.exp(1j * np.asarray(theta)).mean(axis=-1))


def figures(theta: np.ndarray) -> dict:
    """``theta`` at every step from t = dt to the end (one column per oscillator): r and the
    phases at t = 1, 2, ... 10 s, and r averaged over the last 2 s."""
    theta = np.asarray(theta)
    step = round(1 * second / DT)
    every_s = slice(step - 1, None, step)
    r = order_parameter(theta)
    return {
        "r": r[every_s].tolist(),
        "r_late": float(r[-2 * step :].mean()),
        "theta": theta[every_s].tolist(),
    }


def simulate(k: float, theta0: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Phases [rad] at every step from t = dt to 10 s (one column per oscillator)."""
    net = Network(dt=DT)
    model = Oscillator(omega=np.asarray(omega, dtype=float), K=k, n_osc=N)
    oscillators = net.add_population(model, N, init={"Theta": np.asarray(theta0, dtype=float)})
    net.connect(oscillators, oscillators, rule=AllToAll(), weight=1.0, synapse=Coupling())
    phases = net.record_state(oscillators, "Theta")
    net.run(DURATION)
    return phases.record().values["Theta"]


def run(seed: int = 1, initial: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """The four couplings from one initial state (drawn from ``seed`` unless ``initial``, a pair
    of phases and frequencies, is given): ``{"K=0": figures, ...}``."""
    theta0, omega = initial_state(seed) if initial is None else initial
    return {f"K={k:g}": figures(simulate(k, theta0, omega)) for k in K_VALUES}


if __name__ == "__main__":
    for name, fig in run().items():
        print(f"{name}: r every s", np.round(fig["r"], 3), f"late {fig['r_late']:.3f}")
