"""NWB (Neurodata Without Borders) export and import of recordings, through pynwb.

Spikes go to the Units table: one row per neuron of each recorded population (neurons that never
spiked too, so that rates can be computed), with the columns ``population`` (name),
``neuron_index`` (index in the population) and ``global_id``, and ``spike_times`` [s]. Each
recorded state variable goes to a TimeSeries in ``acquisition`` named ``<population>.<variable>``
(``<population>#<k>.<variable>`` for the k-th further monitor of a population), data of shape
``(n_samples, n_neurons)`` in SI units with explicit ``timestamps`` [s]; its ``comments`` hold the
recorded neurons as JSON. The file's ``notes`` describe the network (dt, seed, populations).
NWB stores SI units with a ``conversion`` factor of 1, which is what snn uses throughout.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pynwb import NWBHDF5IO, NWBFile, TimeSeries

from snn.core import (
    SpikeMonitor,
    SpikeRecord,
    StateMonitor,
    StateRecord,
    WeightMonitor,
)
from snn.core.errors import ConfigurationError, FileFormatError
from snn.io._untrusted import Where, preflight

__all__ = ["NWBRecording", "read_nwb", "write_nwb"]


@dataclass(frozen=True)
class NWBRecording:
    """Recordings read back from an NWB file.

    Attributes
    ----------
    spikes : dict of str to SpikeRecord
        Per population: spike times [s] and global ids, sorted by time then id.
    states : dict of str to StateRecord
        Per state monitor (named as its TimeSeries without the variable): sample times [s],
        recorded population indices and values per variable [SI unit of the variable].
    units : dict of str to str
        SI unit of each TimeSeries, by its name.
    network : dict
        The network description stored in the file's ``notes`` (dt, seed, populations).
    """

    spikes: dict[str, SpikeRecord]
    states: dict[str, StateRecord]
    units: dict[str, str]
    network: dict[str, Any]


def _network_notes(net: Any) -> dict[str, Any]:
    return {
        "simulator": "snn",
        "name": net.name,
        "dt": net.dt,
        "seed": net.seed,
        "t": net.t,
        "populations": [
            {
                "name": p.name,
                "size": p.size,
                "first_id": p.first_id,
                "model": type(p.model).__name__,
            }
            for p in net.populations
        ],
    }


def write_nwb(
    path: str | os.PathLike[str],
    *monitors: SpikeMonitor | StateMonitor,
    session_description: str = "snn simulation",
    identifier: str | None = None,
    session_start_time: datetime | None = None,
) -> Path:
    """Write spike and state monitors of one network to an NWB file.

    Parameters
    ----------
    path
        Output file (replaced if it exists).
    *monitors
        Spike monitors (Units table) and state monitors (TimeSeries) of the same network.
    session_description
        NWB session description.
    identifier
        NWB identifier (default: network name, seed and time).
    session_start_time
        NWB session start (default: now, UTC).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    if not monitors:
        raise ConfigurationError("write_nwb needs at least one spike or state monitor.")
    nets = {id(m.population.network): m.population.network for m in monitors}
    if len(nets) != 1:
        raise ConfigurationError("all monitors given to write_nwb must belong to one network.")
    net = next(iter(nets.values()))
    if net.n_ranks > 1:
        raise ConfigurationError("write_nwb runs on one process; gather the records first.")
    notes = _network_notes(net)
    start = session_start_time or datetime.now(UTC)
    nwb = NWBFile(
        session_description=session_description,
        identifier=identifier or f"{net.name}-seed{net.seed}-{start.isoformat()}",
        session_start_time=start,
        notes=json.dumps(notes),
    )
    spike_mons = [m for m in monitors if isinstance(m, SpikeMonitor)]
    if spike_mons:
        nwb.add_unit_column(name="population", description="name of the snn population")
        nwb.add_unit_column(name="neuron_index", description="index of the neuron in it")
        nwb.add_unit_column(name="global_id", description="snn global id of the neuron")
        seen: set[str] = set()
        for mon in spike_mons:
            pop = mon.population
            if pop.name in seen:
                continue  # two monitors of one population record the same spikes
            seen.add(pop.name)
            steps, idx = mon.steps, mon.indices
            order = np.lexsort((steps, idx))
            steps, idx = steps[order], idx[order]
            bounds = np.searchsorted(idx, np.arange(pop.size + 1))
            times = steps * net.dt
            for i in range(pop.size):
                nwb.add_unit(
                    spike_times=times[bounds[i] : bounds[i + 1]],
                    population=pop.name,
                    neuron_index=i,
                    global_id=pop.first_id + i,
                )
    counts: dict[str, int] = {}
    for mon in monitors:
        if isinstance(mon, SpikeMonitor):
            continue
        if isinstance(mon, WeightMonitor) or not isinstance(mon, StateMonitor):
            raise ConfigurationError(
                f"write_nwb takes spike and state monitors, got {type(mon).__name__}."
            )
        pop = mon.population
        k = counts.get(pop.name, 0)
        counts[pop.name] = k + 1
        label = pop.name if k == 0 else f"{pop.name}#{k}"
        rec = mon.record()
        for var in mon.variables:
            nwb.add_acquisition(
                TimeSeries(
                    name=f"{label}.{var}",
                    data=np.asarray(rec.values[var]),
                    unit=mon.unit(var),
                    timestamps=rec.times,
                    description=f"{'derived value' if var in mon.derived else 'state variable'} "
                    f"{var} of population {pop.name} [SI]",
                    comments=json.dumps(
                        {"population": pop.name, "variable": var, "neurons": rec.neurons.tolist()}
                    ),
                )
            )
    path = Path(path)
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return path


def read_nwb(path: str | os.PathLike[str]) -> NWBRecording:
    """Read spikes and state traces from an NWB file written by :func:`write_nwb`.

    Other NWB files are read too when their Units table has ``spike_times`` (units without a
    ``population`` column go to population ``"units"``, ids are row numbers).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    snn.core.errors.FileFormatError
        When the file is not a readable NWB file, or what snn reads from it is inconsistent
        (the message names the table or series): spike times must be finite, the ragged index
        must rise within the spike times, columns must have one entry per unit; a TimeSeries
        needs numeric data with one timestamp (finite, non-decreasing) per sample and as many
        recorded neurons as data columns.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no NWB file at {path}.")
    if not path.is_file():
        raise FileFormatError(f"{path} is not a file; expected an NWB file.")
    preflight(path, "an NWB file")
    try:
        io = NWBHDF5IO(str(path), "r")
        nwb = io.read()
    except Exception as exc:  # pynwb/hdmf raise many kinds for a foreign or damaged file
        raise FileFormatError(f"{path} is not a readable NWB file ({exc}).") from None
    try:
        return _read(path, nwb)
    except FileFormatError:
        raise
    except Exception as exc:  # data that pynwb hands out lazily, read from a damaged file
        raise FileFormatError(
            f"{path}: cannot read the recordings ({type(exc).__name__}: {exc})."
        ) from None
    finally:
        io.close()


def _read(path: Path, nwb: Any) -> NWBRecording:
    try:
        network = json.loads(nwb.notes) if nwb.notes else {}
    except (TypeError, ValueError, RecursionError):
        network = {"notes": str(nwb.notes)}
    if not isinstance(network, dict):
        network = {"notes": network}
    return NWBRecording(
        spikes=_units(Where(path, "/units"), nwb.units),
        states=(states := _series(path, nwb))[0],
        units=states[1],
        network=network,
    )


def _units(w: Where, u: Any) -> dict[str, SpikeRecord]:
    if u is None or len(u) == 0:
        return {}
    data = w.at("/units/spike_times").array(w.read(u.spike_times.data), kinds="iuf", ndim=1)
    w.at("/units/spike_times").finite(data.astype(np.float64))
    ends = w.at("/units/spike_times_index").array(
        w.read(u.spike_times_index.data), kinds="iu", ndim=1
    )
    w.at("/units/spike_times_index").ascending(ends)
    if ends.size and (ends[0] < 0 or ends[-1] != data.shape[0]):
        raise w.at("/units/spike_times_index").fail(
            f"must rise from >= 0 to the {data.shape[0]} spike times, ends at {int(ends[-1])}."
        )
    n = ends.shape[0]
    names = u.colnames
    pops = np.full(n, "units")
    if "population" in names:
        pops = w.read(u["population"].data).astype(str)
    ids = np.arange(n, dtype=np.int64)
    if "global_id" in names:
        ids = w.at("/units/global_id").array(w.read(u["global_id"].data), kinds="iu")
    for col, arr in (("population", pops), ("global_id", ids)):
        if arr.shape != (n,):
            raise w.at(f"/units/{col}").fail(
                f"has shape {arr.shape}, expected ({n},) (one per unit)."
            )
    counts = np.diff(np.concatenate([[0], ends.astype(np.int64)]))
    sender = np.repeat(ids.astype(np.int64), counts)
    owner = np.repeat(pops, counts)
    spikes = {}
    times = data.astype(np.float64)
    for name in dict.fromkeys(pops.tolist()):
        sel = owner == name
        t, s = times[sel], sender[sel]
        order = np.lexsort((s, t))
        spikes[name] = SpikeRecord(times=t[order], senders=s[order])
    return spikes


def _series(path: Path, nwb: Any) -> tuple[dict[str, StateRecord], dict[str, str]]:
    states: dict[str, StateRecord] = {}
    units: dict[str, str] = {}
    for name, ts in nwb.acquisition.items():
        if not isinstance(ts, TimeSeries):
            continue
        w = Where(path, f"/acquisition/{name}")
        label, _, var = name.rpartition(".")
        label = label or name
        values = w.at(f"/acquisition/{name}/data").array(w.read(ts.data), kinds="biuf")
        if values.ndim not in (1, 2):
            raise w.fail(f"has data of shape {values.shape}, expected (samples,) or (samples, n).")
        width = values.shape[1] if values.ndim == 2 else 1
        try:
            info = json.loads(ts.comments)
            neurons = np.asarray(info["neurons"], dtype=np.int64)
        except (TypeError, ValueError, KeyError, RecursionError, OverflowError):
            neurons = np.arange(width)
        if neurons.shape != (width,):
            raise w.fail(f"names {neurons.size} neurons for {width} data columns.")
        conversion = w.number(ts.conversion, "conversion")
        offset = w.number(ts.offset, "offset")
        if conversion != 1.0 or offset != 0.0:
            values = values * conversion + offset  # files of other writers
        if ts.timestamps is not None:
            wt = w.at(f"/acquisition/{name}/timestamps")
            times = wt.array(wt.read(ts.timestamps), kinds="iuf", ndim=1).astype(np.float64)
            wt.ascending(wt.finite(times))
        else:
            rate = w.number(ts.rate, "rate", low=0.0)
            if rate <= 0:
                raise w.fail(f"has `rate` = {rate!r}, expected a positive sampling rate [Hz].")
            times = w.number(ts.starting_time, "starting_time") + np.arange(values.shape[0]) / rate
        if times.shape[0] != values.shape[0]:
            raise w.fail(f"has {values.shape[0]} samples but {times.shape[0]} times.")
        units[name] = str(ts.unit)
        old = states.get(label)
        vals = {} if old is None else dict(old.values)
        if old is not None and (
            old.times.shape != times.shape or old.neurons.shape != neurons.shape
        ):
            raise w.fail(f"does not match the samples of the other variables of {label!r}.")
        vals[var] = values
        states[label] = StateRecord(times=times, neurons=neurons, values=vals)
    return states, units
