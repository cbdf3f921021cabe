"""Progress of runs: compiling is shown on its own line with its time, then the simulation's bar;
a finished bar stays in notebooks; without progress nothing of it is called."""

from __future__ import annotations

import re

import pytest

from snn.core import Network, grid, sweep
from snn.core import _progress as progress_module
from snn.core.units import Hz, ms, mV
from snn.neurons import LIFDelta, PoissonInput


@pytest.fixture
def bars(monkeypatch):
    """The progress bars made during the test."""
    made = []
    make = progress_module.progress_bar

    def spy(**kwargs):
        made.append(make(**kwargs))
        return made[-1]

    monkeypatch.setattr(progress_module, "progress_bar", spy)
    return made


def small(seed: int = 1) -> Network:
    net = Network(dt=0.1 * ms, seed=seed)
    pop = net.add_population(LIFDelta(), 20)
    net.add_drive(PoissonInput(rate=5000 * Hz, weight=0.5 * mV), pop)
    net.record_spikes(pop)
    return net


def test_compiling_is_shown_before_the_bar_and_only_when_it_happens(capsys):
    net = small()
    net.run(5 * ms, progress=True)
    err = capsys.readouterr().err
    notice = re.search(
        r"compiling the network's loop \.\.\.\r(compiled the network's loop|loaded the network's"
        r" compiled loop from the cache) in \d+\.\d\d s",
        err,
    )
    assert notice, err
    bar = err.index("simulating")
    assert notice.end() < bar
    assert "/0.005 s bio" in err
    net.run(5 * ms, progress=True)  # the loop is ready: the bar only
    err = capsys.readouterr().err
    assert "compil" not in err and "simulating" in err
    net.add_population(LIFDelta(), 3)  # a new structure: compiled (or loaded) again
    net.run(5 * ms, progress=True)
    assert "compiling the network's loop" in capsys.readouterr().err


def test_in_a_notebook_the_notice_is_updated_and_the_bar_stays(monkeypatch, bars):
    shown = []

    class Handle:
        def update(self, obj, raw):
            shown.append(("update", obj["text/plain"]))

    def display(obj, raw, display_id):
        shown.append(("display", obj["text/plain"]))
        return Handle()

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", display)
    monkeypatch.setattr(progress_module, "in_notebook", lambda: True)
    net = small(seed=2)
    net.run(5 * ms, progress=True)
    assert shown[0] == ("display", "compiling the network's loop ...")
    assert shown[1][0] == "update" and " in " in shown[1][1]
    assert bars[0].leave is True


def test_in_a_terminal_the_finished_bar_is_removed():
    bar = progress_module.simulation_bar(1.0)
    assert bar.leave is False
    bar.close()


def test_without_progress_nothing_is_shown(monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise AssertionError("progress machinery called with progress=False")

    monkeypatch.setattr("snn.core._network.prepare_shown", refuse)
    monkeypatch.setattr("snn.core._network.simulation_bar", refuse)
    net = small(seed=3)
    net.run(5 * ms)
    net.run(5 * ms)
    assert capsys.readouterr().err == ""


def build():
    net = small()
    return net, net._drives[0]


def run(built, rate):
    net, drive = built
    drive.set(rate=rate)
    net.run(2 * ms)
    return {"t": net.t}


def test_a_sweep_shows_a_bar_over_its_points(bars, capsys):
    table = sweep(build, run, grid(rate=[4000 * Hz, 5000 * Hz, 6000 * Hz]), progress=True)
    assert table["t"].tolist() == pytest.approx([2 * ms] * 3)
    assert "points [" in capsys.readouterr().err
    assert (bars[0].n, bars[0].total) == (3, 3)
