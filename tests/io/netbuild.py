"""The network of the resume tests, and a command line to run it in a separate process.

Poisson drive, Tsodyks STP synapses (E -> I), pair STDP (E -> E, per-synapse delays) and static
inhibition, with spike, state, weight and rate monitors.

    python netbuild.py run OUT.npz STEPS             build, run, write results
    python netbuild.py save CKPT STEPS               build, run, checkpoint
    python netbuild.py periodic CKPT STEPS EVERY     build, run with periodic checkpoints
    python netbuild.py resume CKPT STEPS OUT.npz     load, run until STEPS, write results
"""

from __future__ import annotations

import sys

import numpy as np

from snn.core import Network
from snn.core.random import Uniform
from snn.core.units import Hz, ms, mV, pA
from snn.neurons import LIFExp, PoissonInput
from snn.plasticity import PairSTDP
from snn.synapses import FixedIndegree, TsodyksSynapse

DT = 0.1 * ms


def build(seed: int = 7, threads: int = 1) -> Network:
    net = Network(dt=DT, seed=seed, threads=threads, name="resume")
    model = LIFExp(tau_m=10 * ms, t_ref=2 * ms)
    init = {"v": Uniform(low=-70 * mV, high=-56 * mV)}
    e = net.add_population(model, 400, name="E", init=init)
    i = net.add_population(model, 100, name="I", init=init)
    net.connect(
        e,
        e,
        rule=FixedIndegree(indegree=40),
        weight=Uniform(low=20 * pA, high=60 * pA),
        delay=Uniform(low=1.0 * ms, high=3.0 * ms),
        receptor="exc",
        synapse=PairSTDP(w_max=100 * pA, learning_rate=0.05),
        name="EE",
    )
    net.connect(
        e,
        i,
        rule=FixedIndegree(indegree=40),
        weight=150 * pA,
        delay=1.0 * ms,
        receptor="exc",
        synapse=TsodyksSynapse(U=0.4, tau_psc=2 * ms, tau_rec=100 * ms, tau_fac=50 * ms),
        name="EI",
    )
    net.connect(
        i, e, rule=FixedIndegree(indegree=20), weight=-60 * pA, delay=1.5 * ms, receptor="inh"
    )
    for pop in (e, i):
        net.add_drive(PoissonInput(rate=9000 * Hz, weight=40 * pA, receptor="exc"), pop)
    net.record_spikes(e)
    net.record_spikes(i)
    net.record_state(e, ["v", "i_ex"], neurons=[0, 5, 399], interval=0.5 * ms)
    net.record_weights(net.projections[0], synapses=np.arange(0, 16000, 997))
    net.record_rate(i)
    return net


def results(net: Network) -> dict[str, np.ndarray]:
    """Everything that must match bit for bit: spikes, final state, synapse state, records."""
    out: dict[str, np.ndarray] = {"step": np.array(net.step)}
    for pop in net.populations:
        for name, values in pop.state.items():
            out[f"state/{pop.name}/{name}"] = values.copy()
    for proj in net.projections:
        out[f"weights/{proj.name}"] = proj.weights()
        if proj.synapse is not None:
            for name in proj._syn_state:
                out[f"syn/{proj.name}/{name}"] = proj.synapse_state(name)
    for k, mon in enumerate(net._monitors):
        rec = mon.record()
        for field in ("times", "senders", "rate", "weights"):
            if hasattr(rec, field):
                out[f"mon{k}/{field}"] = np.asarray(getattr(rec, field))
        for name, values in getattr(rec, "values", {}).items():
            out[f"mon{k}/{name}"] = values
    return out


def _arm_kill() -> None:
    """SIGKILL this process after ``SNN_KILL_AFTER`` checkpoints, between them (mid-run) or,
    with ``SNN_KILL_MID_WRITE=1``, halfway through writing the next one."""
    import os
    import signal

    import snn.io._checkpoint as ck

    after = int(os.environ.get("SNN_KILL_AFTER", "0"))
    if not after:
        return
    mid_write = os.environ.get("SNN_KILL_MID_WRITE") == "1"
    save, put = ck.save, ck._put
    done = {"saves": 0, "puts": 0}

    def counting_save(net, path):
        if mid_write and done["saves"] == after:
            ck._put = killing_put
        out = save(net, path)
        done["saves"] += 1
        if not mid_write and done["saves"] == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    def killing_put(group, name, value):
        done["puts"] += 1
        if done["puts"] == 20:
            os.kill(os.getpid(), signal.SIGKILL)
        put(group, name, value)

    ck.save = counting_save
    import snn.io

    snn.io.save = counting_save


def main(argv: list[str]) -> None:
    import snn.io

    cmd = argv[0]
    if cmd == "run":
        net = build()
        net.run(int(argv[2]) * DT)
        np.savez(argv[1], **results(net))
    elif cmd == "save":
        net = build()
        net.run(int(argv[2]) * DT)
        snn.io.save(net, argv[1])
    elif cmd == "periodic":
        _arm_kill()
        net = build()
        net.run(int(argv[2]) * DT, checkpoint_every=int(argv[3]) * DT, checkpoint_path=argv[1])
    elif cmd == "resume":
        net = snn.io.load(argv[1])
        net.run((int(argv[2]) - net.step) * DT)
        np.savez(argv[3], **results(net))
    else:
        raise SystemExit(f"unknown command {cmd!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
