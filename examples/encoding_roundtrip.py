"""Round trip: encode digits into spikes, pass them through a network, decode them again.

Two encodings of the same 8x8 digits (pixels in [0, 1]) feed two one-to-one "identity" layers of
LIFDelta neurons (a 20 mV jump crosses the 15 mV gap to threshold, no refractory period, so
every input spike makes exactly one output spike, one synaptic delay later):

* rate coding (PoissonEncoder, 200 Hz for a white pixel): the output spike counts equal the
  input counts, and the pixel decoded from them is within the binomial noise of the input;
  a ridge readout on the counts classifies the digits (compared with logistic regression on the
  raw pixels);
* latency coding (LatencyEncoder, linear, t_max = 90 ms): the pixel decoded from each output
  neuron's first spike time is within one time step (dt / t_max) of the input.

Run:  uv run python examples/encoding_roundtrip.py
"""

from __future__ import annotations

import numpy as np

from snn.core import Network
from snn.core.units import Hz, ms, mV
from snn.encoders import (
    LatencyEncoder,
    LinearReadout,
    PoissonEncoder,
    digits_baseline,
    first_spike_times,
    load_digits,
    spike_counts,
    train_test_split,
)
from snn.neurons import LIFDelta
from snn.synapses import OneToOne

DT = 0.1 * ms
PRESENTATION = 100 * ms
DELAY = 1 * ms


def identity_layer(net, trains, name):
    """Trains -> one-to-one LIFDelta layer that repeats every spike one delay later."""
    src = net.add_population(trains, trains.n, name=f"{name}_in")
    out = net.add_population(LIFDelta(t_ref=0.0), trains.n, name=f"{name}_out")
    net.connect(src, out, rule=OneToOne(), weight=20 * mV, delay=DELAY)
    return net.record_spikes(out)


def main(n_digits: int = 600, seed: int = 7, threads: int = 1, parallel=None) -> dict:
    digits = load_digits()
    x, y = digits.data[:n_digits], digits.target[:n_digits]
    rate_enc = PoissonEncoder(max_rate=200 * Hz)
    latency_enc = LatencyEncoder(t_max=90 * ms)
    rate_in = rate_enc.encode(x, PRESENTATION, dt=DT, seed=seed)
    latency_in = latency_enc.encode(x, PRESENTATION, dt=DT)

    net = Network(dt=DT, seed=seed, threads=threads, parallel=parallel)
    rate_out = identity_layer(net, rate_in, "rate")
    latency_out = identity_layer(net, latency_in, "latency")
    net.run(rate_in.schedule.duration + DELAY)

    # the output sees each sample one delay later
    late = rate_in.schedule.shifted(DELAY)
    counts_in = spike_counts(rate_in, rate_in.schedule)
    counts = spike_counts(rate_out, late)
    x_rate = counts / (rate_enc.max_rate * PRESENTATION)
    # binomial noise of a count over P steps with p = x * max_rate * dt, in units of x
    steps = round(PRESENTATION / DT)
    p = x * rate_enc.max_rate * DT
    sd = np.sqrt(steps * p * (1 - p)) / (rate_enc.max_rate * PRESENTATION)
    rate_z = np.abs(x_rate - x)[sd > 0] / sd[sd > 0]

    t_first = first_spike_times(latency_out, latency_in.schedule.shifted(DELAY))
    x_latency = np.nan_to_num(latency_enc.intensity(t_first), nan=0.0)
    latency_error = float(np.abs(x_latency - x).max())

    split = train_test_split(counts, y, test_fraction=0.25, seed=seed)
    readout = LinearReadout.fit(split.x_train, split.y_train, alpha=10.0)
    accuracy = readout.accuracy(split.x_test, split.y_test)

    print(f"{n_digits} digits, {PRESENTATION / ms:g} ms each, dt = {DT / ms:g} ms")
    print(f"rate coding: output counts equal input counts: {np.array_equal(counts, counts_in)}")
    print(f"rate coding: largest decoding error {rate_z.max():.2f} binomial sd")
    print(
        f"latency coding: largest decoding error {latency_error:.5f} (one step: {DT / 90e-3:.5f})"
    )
    print(f"ridge readout on output counts: test accuracy {accuracy:.3f}")
    baseline = digits_baseline(seed)
    return {
        "x": x,
        "x_rate": x_rate,
        "x_latency": x_latency,
        "counts_equal": bool(np.array_equal(counts, counts_in)),
        "latency_error": latency_error,
        "accuracy": accuracy,
        "baseline": baseline,
        "rate_out": (rate_out.steps, rate_out.indices),
        "latency_out": (latency_out.steps, latency_out.indices),
    }


if __name__ == "__main__":
    main()
