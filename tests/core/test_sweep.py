"""Parameter sweeps: each point's numbers are those of a network built with its values, whichever
way the sweep runs (serially, on worker processes, in any order), the network is built and
compiled once per process, and bad input is refused with a clear error."""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from snn.core import ConfigurationError, Network, SweepTable, grid, sweep
from snn.core._compile_clock import compile_seconds
from snn.core.units import ms, mV
from snn.neurons import LIFDelta, PoissonInput
from snn.synapses import FixedIndegree

T = 0.1  # simulated per point [s]: ~300-3000 spikes per network
J = 0.5 * mV
NEURON = LIFDelta(tau_m=20 * ms, e_l=0.0, v_th=20 * mV, v_reset=10 * mV, t_ref=2 * ms)


def brunel(g: float = 5.0, eta: float = 2.0, seed: int = 1):
    """Brunel's model A, small (400 E, 100 I, in-degrees 40 and 10, J C_E = 20 mV)."""
    net = Network(dt=0.1 * ms, seed=seed)
    e = net.add_population(NEURON, 400, name="E")
    i = net.add_population(NEURON, 100, name="I")
    inh, drives = [], []
    nu_thr = 20 * mV / (J * 40 * 20 * ms)
    for post in (e, i):
        net.connect(e, post, rule=FixedIndegree(indegree=40), weight=J, delay=1.5 * ms)
        inh.append(
            net.connect(i, post, rule=FixedIndegree(indegree=10), weight=-g * J, delay=1.5 * ms)
        )
        drives.append(net.add_drive(PoissonInput(rate=eta * nu_thr * 40, weight=J), post))
    return net, inh, drives, net.record_spikes(e)


BUILDS = {"n": 0}


def build(seed: int = 1):
    BUILDS["n"] += 1
    return brunel(seed=seed)


def measure(spikes) -> dict:
    digest = hashlib.sha256(spikes.times.tobytes() + spikes.senders.tobytes()).hexdigest()
    return {"rate": spikes.n_spikes / (400 * T), "spikes": spikes.n_spikes, "sha": digest[:16]}


def run(built, g, eta):
    net, inh, drives, spikes = built
    for q in inh:
        q.set(weight=-g * J)
    nu_thr = 20 * mV / (J * 40 * 20 * ms)
    for d in drives:
        d.set(rate=eta * nu_thr * 40)
    net.run(T)
    return measure(spikes)


POINTS = grid(g=[3.0, 6.0], eta=[1.0, 2.0])


def fresh(g: float, eta: float, seed: int = 1) -> dict:
    net, _, _, spikes = brunel(g, eta, seed)
    net.run(T)
    return measure(spikes)


@pytest.fixture(scope="module")
def serial() -> SweepTable:
    return sweep(build, run, POINTS)


def test_each_point_equals_a_network_built_with_its_values(serial):
    assert serial.parameters == ("g", "eta")
    assert serial.measures == ("rate", "spikes", "sha")
    assert len(serial) == 4
    for row, point in zip(serial.rows(), POINTS, strict=True):
        assert {k: row[k] for k in point} == point
        assert {k: row[k] for k in serial.measures} == fresh(**point)
    # the points differ (a sweep whose values change nothing would pass the check above)
    assert len(set(serial["sha"])) == 4
    assert serial["rate"].min() > 1.0


def test_the_network_is_built_and_compiled_once():
    BUILDS["n"] = 0
    c0 = compile_seconds()
    sweep(build, run, POINTS[:1])
    first = compile_seconds() - c0  # what building and loading cost
    c1 = compile_seconds()
    table = sweep(build, run, grid(g=[3.0, 4.0, 5.0, 6.0], eta=[1.0, 1.5, 2.0]))
    assert BUILDS["n"] == 2
    assert len(table) == 12
    # no compilation per point: the second sweep compiles what the first did, at most
    assert compile_seconds() - c1 <= first + 0.05
    assert table.workers == 1 and table.wall_s > table.seconds.sum() > 0


def test_order_and_previous_points_do_not_matter(serial):
    # reversed: each point starts from the state build made, not from the previous point's
    backwards = sweep(build, run, POINTS[::-1])
    assert backwards.to_dict() == {k: v[::-1] for k, v in serial.to_dict().items()}


def test_worker_processes_give_the_same_table(serial):
    on_two = sweep(build, run, POINTS, workers=2)
    assert on_two.workers == 2
    assert on_two.to_dict() == serial.to_dict()


def test_any_executor_runs_the_points():
    with ThreadPoolExecutor(max_workers=1) as ex:
        table = sweep(build, run, POINTS[:2], executor=ex)
    assert table["sha"].tolist() == [fresh(**p)["sha"] for p in POINTS[:2]]


def test_build_keys_build_a_network_per_value():
    BUILDS["n"] = 0
    points = grid(seed=[2, 1], g=[4.0, 6.0])
    table = sweep(build, lambda built, g: run(built, g, 2.0), points, build_keys=["seed"])
    assert BUILDS["n"] == 2  # points of one seed run together
    for row in table.rows():
        assert row["sha"] == fresh(row["g"], 2.0, seed=row["seed"])["sha"]
    assert table["seed"].dtype == np.int64


def test_table_exports(serial, tmp_path):
    rec = serial.to_records()
    assert rec.dtype.names == serial.columns
    assert np.array_equal(rec["rate"], serial["rate"])
    path = tmp_path / "sweep.csv"
    serial.to_csv(path)
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["rate"]) for r in rows] == serial["rate"].tolist()  # written exactly
    assert [r["sha"] for r in rows] == serial["sha"].tolist()
    gs, etas, rate = serial.pivot("rate", "g", "eta")
    assert gs.tolist() == [3.0, 6.0] and etas.tolist() == [1.0, 2.0]
    assert rate[1, 0] == serial["rate"][2]
    part = SweepTable(
        ["g", "eta"],
        ["rate"],
        {"g": np.array([3.0, 6.0]), "eta": np.array([2.0, 1.0]), "rate": np.array([9.0, 4.0])},
        np.zeros(2),
        wall_s=0.0,
        workers=1,
    )
    # cells without a point are NaN
    assert np.array_equal(
        part.pivot("rate", "g", "eta")[2], [[np.nan, 9.0], [4.0, np.nan]], equal_nan=True
    )
    assert "rate" in repr(serial) and "4 points" in repr(serial)
    with pytest.raises(ConfigurationError, match="Did you mean 'rate'"):
        serial["rat"]
    with pytest.raises(ConfigurationError, match="not numeric"):
        serial.pivot("sha", "g", "eta")
    with pytest.raises(ConfigurationError, match="one point per cell"):
        serial.pivot("rate", "g", "g")
    with pytest.raises(ValueError, match="read-only"):
        serial["rate"][0] = 1.0


def run_trace(built, g, eta):
    """The E population's spike counts per 10 ms as an array measure, beside the rate."""
    out = run(built, g, eta)
    spikes = built[3]
    counts = np.histogram(spikes.times, bins=np.linspace(0.0, T, 11))[0]
    return {"rate": out["rate"], "counts": counts}


def test_array_measures_are_columns_with_a_row_per_point(tmp_path):
    """Found porting Brian2's multiprocessing examples (a trace per point had to be split
    into numbered columns)."""
    table = sweep(build, run_trace, POINTS)
    assert table["counts"].shape == (4, 10)
    for k, point in enumerate(POINTS):
        ref = fresh(**point)
        assert table["counts"][k].sum() == ref["spikes"]
    path = tmp_path / "t.csv"
    table.to_csv(path)
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [json.loads(r["counts"]) for r in rows] == table["counts"].tolist()
    assert table.to_records()["counts"].shape == (4, 10)
    assert "[10 values]" in repr(table)
    with pytest.raises(ConfigurationError, match=r"holds arrays of shape \(10,\)"):
        table.pivot("counts", "g", "eta")


def test_grid():
    assert grid(a=[1, 2], b=["x", "y"]) == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
    ]
    with pytest.raises(ConfigurationError, match="at least one axis"):
        grid()
    with pytest.raises(ConfigurationError, match="axis 'g' has no values"):
        grid(g=[])
    with pytest.raises(ConfigurationError, match="sequence of values"):
        grid(g=3.0)


def adds_a_monitor(built, g, eta):
    built[0].record_rate(built[0].populations[0])
    return run(built, g, eta)


def returns_a_list(built, g, eta):
    return [1.0]


def returns_strings(built, g, eta):
    return {"v": np.array(["a", "b"])}


def returns_shapes(built, g, eta):
    return {"v": np.ones(3 if g < 5 else 4)}


def returns_array_or_number(built, g, eta):
    return {"v": np.ones(3) if g < 5 else 1.0}


def returns_a_parameter(built, g, eta):
    return {"g": 1.0}


def varies_its_names(built, g, eta):
    return {"a": 1.0} if g < 5 else {"b": 1.0}


def runs_already():
    built = brunel()
    built[0].run(1 * ms)
    return built


def fails(built, g, eta):
    raise RuntimeError("boom")


BAD = {
    "run changes the structure": (dict(run=adds_a_monitor), "changed the network's structure"),
    "run returns a list": (dict(run=returns_a_list), "must return a mapping"),
    "run returns an array of strings": (dict(run=returns_strings), "must hold numbers"),
    "arrays of two shapes": (dict(run=returns_shapes, points=POINTS[1:3]), "same shape"),
    "an array, then a number": (
        dict(run=returns_array_or_number, points=POINTS[1:3]),
        "a single value at others",
    ),
    "measure named as a parameter": (dict(run=returns_a_parameter), "also a parameter"),
    "measures differ between points": (
        dict(run=varies_its_names, points=POINTS[1:3]),
        "same names",
    ),
    "build returns no network": (dict(build=lambda: 3), "must return a Network"),
    "build runs the network": (dict(build=runs_already), "at t = 0"),
    "no points": (dict(points=[]), "at least one point"),
    "a mapping instead of points": (dict(points={"g": 3.0}), "list of mappings"),
    "points with other keys": (dict(points=[{"g": 3.0}, {"eta": 1.0}]), "same parameters"),
    "an array as a value": (dict(points=[{"g": np.ones(2), "eta": 1.0}]), "numbers or strings"),
    "a key that is no identifier": (dict(points=[{"g x": 1.0}]), "identifiers"),
    "unknown build key": (dict(build_keys=["sed"]), "not keys of the points"),
    "no workers": (dict(workers=0), ">= 1"),
    "half a worker": (dict(workers=1.5), "must be an integer"),
    "progress not a bool": (dict(progress="yes"), "True or False"),
    "workers and executor": (dict(workers=2, executor=ThreadPoolExecutor(1)), "not both"),
    "an executor that is none": (dict(executor="mpi"), "concurrent.futures.Executor"),
    "a pool that forks": (
        dict(executor=ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))),
        "forkserver",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused(case):
    kwargs, message = BAD[case]
    args = {"build": build, "run": run, "points": POINTS[:2], **kwargs}
    with pytest.raises(ConfigurationError, match=message):
        sweep(args.pop("build"), args.pop("run"), args.pop("points"), **args)


def test_an_error_in_run_names_the_point():
    with pytest.raises(RuntimeError, match="boom") as info:
        sweep(build, fails, POINTS[1:2])
    assert "at point 0 {'g': 3.0, 'eta': 2.0}" in "".join(info.value.__notes__)
