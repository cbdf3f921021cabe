"""The f-I curve of the LIF neuron against its analytic rate.

Under a constant current ``I`` above rheobase a LIF neuron reset to ``E_L`` fires periodically
with the period ``T = t_ref + tau_m ln(R I / (R I - (V_th - E_L)))`` (R = tau_m / C_m), i.e. the
rate ``1 / T``. On the grid the refractory period is exactly ``t_ref / dt`` steps and the
threshold crossing is stamped at the end of its step (docs/decisions/0002), so every simulated
period lies in ``[T, T + dt)``: the one-step discretisation of the spike time is the tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest

from snn.core import Network
from snn.core.units import ms, mV, pA, pF
from snn.neurons import DCSource, LIFDelta, LIFExp

TAU_M, C_M, E_L, V_TH, T_REF = 10 * ms, 250 * pF, -70 * mV, -55 * mV, 2 * ms
# rheobase C (V_th - E_L) / tau_m = 375 pA; up to 3 nA (periods 29.7 ms down to 2.5 ms)
CURRENTS = np.array([400.0, 500.0, 750.0, 1000.0, 2000.0, 3000.0]) * pA


def analytic_period(current: np.ndarray) -> np.ndarray:
    """``t_ref + tau_m ln(R I / (R I - (V_th - E_L)))`` [s]."""
    r_i = TAU_M / C_M * current
    return T_REF + TAU_M * np.log(r_i / (r_i - (V_TH - E_L)))


def _model(cls, i_e):
    return cls(tau_m=TAU_M, c_m=C_M, e_l=E_L, v_th=V_TH, v_reset=E_L, t_ref=T_REF, i_e=i_e)


@pytest.mark.parametrize("cls", [LIFDelta, LIFExp])
@pytest.mark.parametrize("dt", [0.1 * ms, 2.0**-5 * ms])
def test_lif_fi_curve_matches_analytic_rate(cls, dt):
    net = Network(dt=dt, seed=0)
    # population "i_e": one current per neuron through i_e; population "dc": the lowest current
    # from a DCSource alone (neuron 0), the others topped up through i_e
    by_i_e = net.add_population(_model(cls, CURRENTS), CURRENTS.size, name="i_e")
    by_dc = net.add_population(_model(cls, CURRENTS - CURRENTS[0]), CURRENTS.size, name="dc")
    net.add_drive(DCSource(amplitude=float(CURRENTS[0])), by_dc)
    monitors = [net.record_spikes(by_i_e), net.record_spikes(by_dc)]
    net.run(200 * ms)
    period = analytic_period(CURRENTS)
    for mon in monitors:
        for k in range(CURRENTS.size):
            t = mon.times[mon.indices == k]
            isi = np.diff(t)
            assert isi.size >= 5, k
            # every period in [T, T + dt): the crossing is stamped at the end of its step
            # (1e-9 dt: rounding of the stamps' times k * dt)
            assert np.all(isi >= period[k] - 1e-9 * dt), (k, isi.min(), period[k])
            assert np.all(isi < period[k] + dt), (k, isi.max(), period[k])
            rate = isi.size / (t[-1] - t[0])
            assert 1 / rate == pytest.approx(period[k], abs=dt)
