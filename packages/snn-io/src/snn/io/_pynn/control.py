"""Simulation control of ``pyNN.snn``: ``setup``, ``run``, ``reset``, ``end`` and the queries."""

from __future__ import annotations

from typing import Any

import numpy as np
from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.recording import get_io

from snn.core.errors import ConfigurationError
from snn.core.validate import require_positive, require_type
from snn.io._pynn import simulator

__all__ = [
    "end",
    "get_current_time",
    "get_max_delay",
    "get_min_delay",
    "get_time_step",
    "initialize",
    "num_processes",
    "rank",
    "reset",
    "run",
    "run_for",
    "run_until",
    "setup",
]


def setup(
    timestep: float = DEFAULT_TIMESTEP,
    min_delay: float | str = DEFAULT_MIN_DELAY,
    **extra_params: Any,
) -> int:
    """Start a new simulation: a new, empty snn network.

    Parameters
    ----------
    timestep
        Time step [ms].
    min_delay
        Smallest synaptic delay [ms], or ``'auto'`` (the smallest delay of the network).
    **extra_params
        ``max_delay`` [ms] or ``'auto'``; ``rng_seed`` (the network's seed, default 0; every
        draw of snn's rules, sources and noise is keyed by it); ``threads`` (threads of the
        network). Arguments meant for other backends (``spike_precision``, ``verbosity``, ...)
        are ignored, as PyNN expects of a backend, and logged; ``spike_precision='off_grid'``
        is logged as a warning: snn's spikes are on the grid.

    Returns
    -------
    int
        The MPI rank of this process.
    """
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    _check_times(timestep, min_delay, max_delay)
    common.setup(timestep, min_delay, **extra_params)
    ignored = sorted(set(extra_params) - {"max_delay", "rng_seed", "threads"})
    if ignored:
        simulator.logger.info("pyNN.snn: setup() ignores %s (other backends' options).", ignored)
    if extra_params.get("spike_precision", "on_grid") != "on_grid":
        simulator.logger.warning(
            "pyNN.snn: spike_precision=%r is not available; spikes are on the time grid.",
            extra_params["spike_precision"],
        )
    simulator.state.configure(
        timestep,
        min_delay,
        max_delay,
        seed=extra_params.get("rng_seed", 0),
        threads=extra_params.get("threads", 1),
    )
    return rank()


def _check_times(timestep: Any, min_delay: Any, max_delay: Any) -> None:
    """Refuse a time step or delay bound that is not a positive number of ms (or ``'auto'``).

    PyNN's own checks compare them (``min_delay < timestep``), which NaN and strings pass
    through, and raise a bare ``Exception``.
    """
    values = {"timestep": timestep, "min_delay": min_delay, "max_delay": max_delay}
    for name, value in values.items():
        if name != "timestep" and isinstance(value, str) and value == "auto":
            continue
        auto = "" if name == "timestep" else " or 'auto'"
        require_type(name, value, (int, float, np.number), f"a number of ms{auto}")
        require_positive(name, value, "ms")
    for name in ("min_delay", "max_delay"):
        if values[name] != "auto" and values[name] < timestep:
            raise ConfigurationError(
                f"setup(): `{name}` ({values[name]!r} ms) must be >= `timestep` ({timestep!r} ms)."
            )
    if "auto" not in (min_delay, max_delay) and min_delay > max_delay:
        raise ConfigurationError(
            f"setup(): `min_delay` ({min_delay!r} ms) must be <= `max_delay` ({max_delay!r} ms)."
        )


def end(compatible_output: bool = True) -> None:
    """Write the data recorded to the files given to ``record(..., to_file=...)``."""
    for population, variables, filename in simulator.state.write_on_end:
        population.write_data(get_io(filename), variables)
    simulator.state.write_on_end = []


run, run_until = common.build_run(simulator)
run_for = run


reset = common.build_reset(simulator)

initialize = common.initialize

(
    get_current_time,
    get_time_step,
    get_min_delay,
    get_max_delay,
    num_processes,
    rank,
) = common.build_state_queries(simulator)
