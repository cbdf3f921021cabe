"""Fixtures of the viz tests: synthetic spike trains, and one small Brunel run shared by all.

The Brunel run has the structure of the gallery's (same monitors), so the generated loop is
compiled once and cached for both.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from snn.core import SpikeRecord


@pytest.fixture
def rng(seed):
    return np.random.default_rng(seed)


@pytest.fixture
def two_pops(rng):
    """E (ids 0-79) and I (ids 80-99) firing Poisson-like over 1 s, as records and arrays."""
    n = 4000
    times = np.sort(rng.uniform(0.0, 1.0, n))
    senders = rng.integers(0, 100, n)
    e = senders < 80
    return {
        "E": SpikeRecord(times=times[e], senders=senders[e]),
        "I": SpikeRecord(times=times[~e], senders=senders[~e]),
    }


@pytest.fixture(scope="session")
def brunel():
    """Brunel at scale 0.05 run for 0.2 s, with v of E 0-2 and I 0-1 recorded."""
    from snn.bench._models import build

    model = build("brunel", scale=0.05, seed=1)
    net = model.network
    state_e = net.record_state(model.groups["E"], "v", neurons=[0, 1, 2])
    state_i = net.record_state(model.groups["I"], "v", neurons=[0, 1])
    net.run(0.2)
    model.info["state_e"] = state_e
    model.info["state_i"] = state_i
    return model


def render(fig_or_ax) -> bytes:
    """Draw headless to PNG bytes (catches errors that only happen at draw time)."""
    fig = getattr(fig_or_ax, "figure", fig_or_ax)
    assert isinstance(fig, Figure)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    return buf.getvalue()


@pytest.fixture
def draw():
    return render


def note_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == "snn-note"]


@pytest.fixture
def notes():
    return note_texts
