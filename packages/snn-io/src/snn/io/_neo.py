"""Neo export of recordings: a Block with one Segment of SpikeTrains and AnalogSignals.

Annotations follow PyNN's Neo output, so tools written for PyNN data (and Elephant) read it:
a SpikeTrain per neuron with ``source_population``, ``source_id`` (global id) and
``source_index`` (index in the population); an AnalogSignal per recorded variable with
``name`` = the variable, ``source_population``, and the array annotations ``channel_index``
(population indices) and ``source_ids`` (global ids). Times are in seconds and values in the
variable's SI unit, as quantities.
"""

from __future__ import annotations

from typing import Any

import neo
import numpy as np
import quantities as pq

from snn.core import SpikeMonitor, StateMonitor, WeightMonitor
from snn.core.errors import ConfigurationError

__all__ = ["to_neo"]

#: quantities unit of an snn unit string
_UNITS = {
    "V": pq.V,
    "A": pq.A,
    "S": pq.S,
    "F": pq.F,
    "s": pq.s,
    "Hz": pq.Hz,
    "Ohm": pq.ohm,
    "1": pq.dimensionless,
    "steps": pq.dimensionless,
}


def to_neo(*monitors: SpikeMonitor | StateMonitor, name: str | None = None) -> neo.Block:
    """Recordings of one network as a :class:`neo.Block` (one Segment).

    Parameters
    ----------
    *monitors
        Spike monitors (one SpikeTrain per neuron of the population, from t = 0 to the network's
        current time) and state monitors (one AnalogSignal per variable, sampled every monitor
        interval).
    name
        Name of the Block and Segment (default: the network's name).

    Returns
    -------
    neo.Block
        ``block.segments[0].spiketrains`` and ``.analogsignals``.
    """
    if not monitors:
        raise ConfigurationError("to_neo needs at least one spike or state monitor.")
    nets = {id(m.population.network): m.population.network for m in monitors}
    if len(nets) != 1:
        raise ConfigurationError("all monitors given to to_neo must belong to one network.")
    net = next(iter(nets.values()))
    label = name or net.name
    block = neo.Block(name=label, description="recorded by snn", dt=net.dt, seed=net.seed)
    seg = neo.Segment(name=label)
    block.segments.append(seg)
    t_stop = net.t
    for mon in monitors:
        if isinstance(mon, SpikeMonitor):
            _spiketrains(seg, mon, net.dt, t_stop)
        elif isinstance(mon, StateMonitor) and not isinstance(mon, WeightMonitor):
            _signals(seg, mon)
        else:
            raise ConfigurationError(
                f"to_neo takes spike and state monitors, got {type(mon).__name__}."
            )
    return block


def _spiketrains(seg: neo.Segment, mon: SpikeMonitor, dt: float, t_stop: float) -> None:
    pop = mon.population
    steps, idx = mon.steps, mon.indices
    order = np.lexsort((steps, idx))
    steps, idx = steps[order], idx[order]
    bounds = np.searchsorted(idx, np.arange(pop.size + 1))
    times = steps * dt
    for i in range(pop.size):
        st = neo.SpikeTrain(
            times[bounds[i] : bounds[i + 1]],
            units=pq.s,
            t_start=0.0 * pq.s,
            t_stop=t_stop * pq.s,
            name=f"{pop.name}[{i}]",
            source_population=pop.name,
            source_id=int(pop.first_id + i),
            source_index=i,
        )
        seg.spiketrains.append(st)


def _signals(seg: neo.Segment, mon: StateMonitor) -> None:
    pop = mon.population
    rec = mon.record()
    if rec.times.size == 0:
        return
    period = mon.every * pop.network.dt
    steps = np.rint(rec.times / pop.network.dt).astype(np.int64)
    regular = steps.size < 2 or np.all(np.diff(steps) == mon.every)
    for var in mon.variables:
        unit = _UNITS.get(mon.unit(var), pq.dimensionless)
        common = {
            "name": var,
            "source_population": pop.name,
            "array_annotations": {
                "channel_index": rec.neurons.astype(np.int64),
                "source_ids": (rec.neurons + pop.first_id).astype(np.int64),
            },
        }
        values = np.asarray(rec.values[var], dtype=np.float64)
        if regular:
            sig: Any = neo.AnalogSignal(
                values,
                units=unit,
                t_start=rec.times[0] * pq.s,
                sampling_period=period * pq.s,
                **common,
            )
        else:
            sig = neo.IrregularlySampledSignal(rec.times * pq.s, values, units=unit, **common)
        seg.analogsignals.append(sig) if regular else seg.irregularlysampledsignals.append(sig)
