r"""The neuron models of :mod:`snn.neurons` as plain-Python ODEs, for the adaptive reference.

Each function below transcribes one model's equations from its module docstring (and its NEST
model's documentation) in SI units, without using snn's kernels, and states the model's spike
rules (:class:`~snn.bench._reference.Continuous`). :func:`continuous` picks the one of a model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from snn.bench._reference import Continuous

__all__ = ["continuous"]

_MV, _NS, _PA = 1e-3, 1e-9, 1e-12


def _steps(t_ref: float, dt: float) -> int:
    return round(t_ref / dt)


def _fixed(v_th: float) -> Callable[[np.ndarray], float]:
    return lambda y: v_th


def _reset_v(v_reset: float) -> Callable[[np.ndarray], np.ndarray]:
    def reset(y: np.ndarray) -> np.ndarray:
        y[0] = v_reset
        return y

    return reset


def _lif_delta(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        return np.array([0.0 if frozen else -(y[0] - m.e_l) / m.tau_m + (m.i_e + i) / m.c_m])

    return Continuous(
        ("v",), rhs, (_MV,), {"syn": (0, 1.0)}, "grid", _fixed(m.v_th), _reset_v(m.v_reset),
        _steps(m.t_ref, dt), clamp=True,
    )  # fmt: skip


def _lif_exp(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v, i_ex, i_in = y
        dv = 0.0 if frozen else -(v - m.e_l) / m.tau_m + (i_ex + i_in + m.i_e + i) / m.c_m
        return np.array([dv, -i_ex / m.tau_syn_ex, -i_in / m.tau_syn_in])

    return Continuous(
        ("v", "i_ex", "i_in"), rhs, (_MV, _PA, _PA), {"exc": (1, 1.0), "inh": (2, 1.0)}, "grid",
        _fixed(m.v_th), _reset_v(m.v_reset), _steps(m.t_ref, dt), clamp=True,
    )  # fmt: skip


def _lif_exp_multi(m: Any, dt: float) -> Continuous:
    taus = [float(t) for t in m.tau_syn]

    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        dy = np.empty_like(y)
        dy[0] = 0.0 if frozen else -(y[0] - m.e_l) / m.tau_m + (y[1:].sum() + m.i_e + i) / m.c_m
        dy[1:] = -y[1:] / np.array(taus)
        return dy

    names = ("v", *[f"i_{r}" for r in m.receptor_names])
    return Continuous(
        names, rhs, (_MV,) + (_PA,) * len(taus),
        {r: (k + 1, 1.0) for k, r in enumerate(m.receptor_names)}, "grid", _fixed(m.v_th),
        _reset_v(m.v_reset), _steps(m.t_ref, dt), clamp=True,
    )  # fmt: skip


def _lif_cond_exp(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v, g_ex, g_in = y
        i_m = m.g_l * (m.e_l - v) + g_ex * (m.e_ex - v) + g_in * (m.e_in - v) + m.i_e + i
        return np.array(
            [0.0 if frozen else i_m / m.c_m, -g_ex / m.tau_syn_ex, -g_in / m.tau_syn_in]
        )

    return Continuous(
        ("v", "g_ex", "g_in"), rhs, (_MV, _NS, _NS), {"exc": (1, 1.0), "inh": (2, 1.0)}, "grid",
        _fixed(m.v_th), _reset_v(m.v_reset), _steps(m.t_ref, dt), clamp=True,
    )  # fmt: skip


def _lif_sfa_rr(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v = min(y[0], m.v_th)  # NEST's bound (matters only within the step that crosses)
        g_ex, g_in, g_sfa, g_rr = y[1:]
        i_m = m.g_l * (m.e_l - v) + g_ex * (m.e_ex - v) + g_in * (m.e_in - v)
        i_m += g_sfa * (m.e_sfa - v) + g_rr * (m.e_rr - v) + m.i_e + i
        return np.array([
            0.0 if frozen else i_m / m.c_m, -g_ex / m.tau_syn_ex, -g_in / m.tau_syn_in,
            -g_sfa / m.tau_sfa, -g_rr / m.tau_rr,
        ])  # fmt: skip

    def reset(y: np.ndarray) -> np.ndarray:
        y[0] = m.v_reset
        y[3] += m.q_sfa
        y[4] += m.q_rr
        return y

    return Continuous(
        ("v", "g_ex", "g_in", "g_sfa", "g_rr"), rhs, (_MV, _NS, _NS, _NS, _NS),
        {"exc": (1, 1.0), "inh": (2, 1.0)}, "grid", _fixed(m.v_th), reset, _steps(m.t_ref, dt),
        clamp=True,
    )  # fmt: skip


def _alpha_rhs(y: np.ndarray, k: int, tau: float, dy: np.ndarray) -> None:
    """Alpha synapse ``(x', x)`` at ``y[k], y[k + 1]``.

    ``dx'/dt = -x' / tau``, ``dx/dt = x' - x / tau``.
    """
    dy[k] = -y[k] / tau
    dy[k + 1] = y[k] - y[k + 1] / tau


def _lif_alpha(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        dy = np.empty(5)
        i_syn = y[2] + y[4]
        dy[0] = 0.0 if frozen else -(y[0] - m.e_l) / m.tau_m + (i_syn + m.i_e + i) / m.c_m
        _alpha_rhs(y, 1, m.tau_syn_ex, dy)
        _alpha_rhs(y, 3, m.tau_syn_in, dy)
        return dy

    return Continuous(
        ("v", "di_ex", "i_ex", "di_in", "i_in"), rhs, (_MV, _PA * 1e3, _PA, _PA * 1e3, _PA),
        {"exc": (1, math.e / m.tau_syn_ex), "inh": (3, math.e / m.tau_syn_in)}, "grid",
        _fixed(m.v_th), _reset_v(m.v_reset), _steps(m.t_ref, dt), clamp=True,
    )  # fmt: skip


def _lif_cond_alpha(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        dy = np.empty(5)
        v = y[0]
        i_m = m.g_l * (m.e_l - v) + y[2] * (m.e_ex - v) + y[4] * (m.e_in - v) + m.i_e + i
        dy[0] = 0.0 if frozen else i_m / m.c_m
        _alpha_rhs(y, 1, m.tau_syn_ex, dy)
        _alpha_rhs(y, 3, m.tau_syn_in, dy)
        return dy

    return Continuous(
        ("v", "dg_ex", "g_ex", "dg_in", "g_in"), rhs, (_MV, _NS * 1e3, _NS, _NS * 1e3, _NS),
        {"exc": (1, math.e / m.tau_syn_ex), "inh": (3, math.e / m.tau_syn_in)}, "grid",
        _fixed(m.v_th), _reset_v(m.v_reset), _steps(m.t_ref, dt), clamp=True,
    )  # fmt: skip


def _mat2(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v, i_ex, i_in, th1, th2 = y
        return np.array([
            -(v - m.e_l) / m.tau_m + (i_ex + i_in + m.i_e + i) / m.c_m,
            -i_ex / m.tau_syn_ex, -i_in / m.tau_syn_in, -th1 / m.tau_1, -th2 / m.tau_2,
        ])  # fmt: skip

    def reset(y: np.ndarray) -> np.ndarray:
        y[3] += m.alpha_1
        y[4] += m.alpha_2
        return y

    return Continuous(
        ("v", "i_ex", "i_in", "v_th_1", "v_th_2"), rhs, (_MV, _PA, _PA, _MV, _MV),
        {"exc": (1, 1.0), "inh": (2, 1.0)}, "grid", lambda y: m.omega + y[3] + y[4], reset,
        _steps(m.t_ref, dt),
    )  # fmt: skip


def _adex(m: Any, dt: float, synapse: str) -> Continuous:
    """AdEx (Brette & Gerstner 2005) with exponential or alpha conductances or currents."""
    alpha = synapse.endswith("alpha")
    cond = synapse.startswith("cond")
    k_ex, k_in = (3, 5) if alpha else (2, 3)

    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v, w = y[0], y[1]
        x_ex, x_in = y[k_ex], y[k_in]
        i_syn = x_ex * (m.e_ex - v) + x_in * (m.e_in - v) if cond else x_ex + x_in
        # the solution is reset at V_peak; the cap only keeps the solver's trial stages beyond
        # it from overflowing (a cap at V_peak itself, as the model's, is a kink that stalls it)
        arg = min((v - m.v_th) / m.delta_t, 500.0) if m.delta_t > 0 else 0.0
        spike = m.g_l * m.delta_t * math.exp(arg) if m.delta_t > 0 else 0.0
        dy = np.empty_like(y)
        dy[0] = (-m.g_l * (v - m.e_l) + spike - w + i_syn + m.i_e + i) / m.c_m
        dy[1] = (m.a * (v - m.e_l) - w) / m.tau_w
        if alpha:
            _alpha_rhs(y, 2, m.tau_syn_ex, dy)
            _alpha_rhs(y, 4, m.tau_syn_in, dy)
        else:
            dy[2] = -y[2] / m.tau_syn_ex
            dy[3] = -y[3] / m.tau_syn_in
        return dy

    def reset(y: np.ndarray) -> np.ndarray:
        y[0] = m.v_reset
        y[1] += m.b
        return y

    unit = _NS if cond else _PA
    x = "g" if cond else "i"
    if alpha:
        names = ("v", "w", f"d{x}_ex", f"{x}_ex", f"d{x}_in", f"{x}_in")
        scale = (_MV, _PA, unit * 1e3, unit, unit * 1e3, unit)
        jumps = {"exc": (2, math.e / m.tau_syn_ex), "inh": (4, math.e / m.tau_syn_in)}
    else:
        names = ("v", "w", f"{x}_ex", f"{x}_in")
        scale = (_MV, _PA, unit, unit)
        jumps = {"exc": (2, 1.0), "inh": (3, 1.0)}
    v_spike = m.v_peak if m.delta_t > 0 else m.v_th
    return Continuous(names, rhs, scale, jumps, "crossing", _fixed(v_spike), reset)


def _izhikevich(m: Any, dt: float) -> Continuous:
    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v, u = y
        return np.array(
            [4e4 * v * v + 5e3 * v + 140.0 - u + (m.i_e + i) / m.c_m, m.a * (m.b * v - u)]
        )

    def reset(y: np.ndarray) -> np.ndarray:
        y[0] = m.c
        y[1] += m.d
        return y

    return Continuous(("v", "u"), rhs, (_MV, 1e-3), {"syn": (0, 1.0)}, "crossing",
                      _fixed(m.v_peak), reset)  # fmt: skip


def _exp(x: float) -> float:
    """``exp(x)``, saturated instead of overflowing (the solver's trial stages may go far)."""
    return math.exp(min(x, 700.0))


def _vtrap(x: float, y: float) -> float:
    """``x / (exp(x / y) - 1)``, continued by ``y`` at ``x = 0``."""
    return y * (1.0 - x / (2.0 * y)) if abs(x / y) < 1e-6 else x / math.expm1(min(x / y, 700.0))


def _traub_rates(v: float, v_t: float) -> tuple[float, ...]:
    """Traub & Miles (1991) rates [1/ms] at ``u = V - V_T`` [mV] (NEST hh_cond_exp_traub)."""
    u = (v - v_t) / _MV
    return (
        0.32 * _vtrap(13.0 - u, 4.0),
        0.28 * _vtrap(u - 40.0, 5.0),
        0.128 * _exp((17.0 - u) / 18.0),
        4.0 / (1.0 + _exp((40.0 - u) / 5.0)),
        0.032 * _vtrap(15.0 - u, 5.0),
        0.5 * _exp((10.0 - u) / 40.0),
    )


def _squid_rates(v: float, v_t: float) -> tuple[float, ...]:
    """Hodgkin & Huxley (1952) rates [1/ms] at ``V`` [mV], rest at -65 mV (NEST hh_psc_alpha)."""
    u = v / _MV
    return (
        0.1 * _vtrap(-(u + 40.0), 10.0),
        4.0 * _exp(-(u + 65.0) / 18.0),
        0.07 * _exp(-(u + 65.0) / 20.0),
        1.0 / (1.0 + _exp(-(u + 35.0) / 10.0)),
        0.01 * _vtrap(-(u + 55.0), 10.0),
        0.125 * _exp(-(u + 65.0) / 80.0),
    )


def _hh(m: Any, dt: float, rates: Callable[..., tuple[float, ...]], synapse: str) -> Continuous:
    alpha = synapse.endswith("alpha")
    cond = synapse.startswith("cond")
    k_ex, k_in = (5, 7) if alpha else (4, 5)
    v_t = getattr(m, "v_t", 0.0)

    def rhs(y: np.ndarray, i: float, frozen: bool) -> np.ndarray:
        v, mm, h, n = y[0], y[1], y[2], y[3]
        am, bm, ah, bh, an, bn = (1e3 * r for r in rates(v, v_t))  # 1/ms -> 1/s
        x_ex, x_in = y[k_ex], y[k_in]
        i_syn = x_ex * (m.e_ex - v) + x_in * (m.e_in - v) if cond else x_ex + x_in
        i_ion = m.g_l * (m.e_l - v) + m.g_na * mm**3 * h * (m.e_na - v) + m.g_k * n**4 * (m.e_k - v)
        dy = np.empty_like(y)
        dy[0] = (i_ion + i_syn + m.i_e + i) / m.c_m
        dy[1] = am * (1.0 - mm) - bm * mm
        dy[2] = ah * (1.0 - h) - bh * h
        dy[3] = an * (1.0 - n) - bn * n
        if alpha:
            _alpha_rhs(y, 4, m.tau_syn_ex, dy)
            _alpha_rhs(y, 6, m.tau_syn_in, dy)
        else:
            dy[4] = -y[4] / m.tau_syn_ex
            dy[5] = -y[5] / m.tau_syn_in
        return dy

    unit = _NS if cond else _PA
    x = "g" if cond else "i"
    if alpha:
        names = ("v", "m", "h", "n", f"d{x}_ex", f"{x}_ex", f"d{x}_in", f"{x}_in")
        scale = (_MV, 1.0, 1.0, 1.0, unit * 1e3, unit, unit * 1e3, unit)
        jumps = {"exc": (4, math.e / m.tau_syn_ex), "inh": (6, math.e / m.tau_syn_in)}
    else:
        names = ("v", "m", "h", "n", f"{x}_ex", f"{x}_in")
        scale = (_MV, 1.0, 1.0, 1.0, unit, unit)
        jumps = {"exc": (4, 1.0), "inh": (5, 1.0)}
    rule = "peak" if getattr(m, "spike_detection", "threshold") == "peak" else "threshold"
    return Continuous(names, rhs, scale, jumps, rule, _fixed(m.v_th), None, _steps(m.t_ref, dt))


#: model class name -> builder of its continuous form at a time step
_BUILDERS: dict[str, Callable[[Any, float], Continuous]] = {
    "LIFDelta": _lif_delta,
    "LIFExp": _lif_exp,
    "LIFExpMulti": _lif_exp_multi,
    "LIFCondExp": _lif_cond_exp,
    "LIFAlpha": _lif_alpha,
    "LIFCondAlpha": _lif_cond_alpha,
    "LIFCondExpSfaRr": _lif_sfa_rr,
    "MAT2": _mat2,
    "AdExCondExp": lambda m, dt: _adex(m, dt, "cond_exp"),
    "AdExPscExp": lambda m, dt: _adex(m, dt, "psc_exp"),
    "AdExCondAlpha": lambda m, dt: _adex(m, dt, "cond_alpha"),
    "Izhikevich": _izhikevich,
    "HHTraubMiles": lambda m, dt: _hh(m, dt, _traub_rates, "cond_exp"),
    "HHSquid": lambda m, dt: _hh(m, dt, _squid_rates, "psc_exp"),
    "HHPscAlpha": lambda m, dt: _hh(m, dt, _squid_rates, "psc_alpha"),
}


def continuous(model: Any, dt: float) -> Continuous:
    """The continuous form of ``model`` (an instance of a :mod:`snn.neurons` model) at ``dt``."""
    return _BUILDERS[type(model).__name__](model, dt)
