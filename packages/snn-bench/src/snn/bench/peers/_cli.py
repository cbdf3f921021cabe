"""Command line of the peer runners: run one model in one simulator, print one JSON line.

Everything that Python, Brian2, NEST, the compiler or the Brian2 binary write to standard
output is sent to standard error instead (file descriptor 1 is redirected to 2 at start), so
that the JSON record is the only line on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence

from ._common import MODELS, SIMULATORS


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0.0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m snn.bench.peers``.

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="python -m snn.bench.peers",
        description="Run one benchmark model in Brian2 (C++ standalone) or NEST and print "
        "one JSON record on the last line of standard output.",
    )
    parser.add_argument("--simulator", required=True, choices=SIMULATORS)
    parser.add_argument("--model", required=True, choices=MODELS)
    parser.add_argument(
        "--scale", type=_positive_float, default=1.0, help="network scale factor (default 1)"
    )
    parser.add_argument(
        "--duration", type=_positive_float, default=1.0, help="simulated time [s] (default 1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--threads", type=_positive_int, default=1, help="threads (default 1)")
    parser.add_argument(
        "--workdir",
        default=None,
        help="Brian2: parent folder of the build directory, which is kept "
        "(default: a temporary directory that is removed)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 if the run failed (the traceback is on standard error).
    """
    args = build_parser().parse_args(argv)
    sys.stdout.flush()
    json_fd = os.dup(1)
    os.dup2(2, 1)
    try:
        if args.simulator == "brian2":
            from . import _brian2

            record = _brian2.run(
                args.model,
                scale=args.scale,
                duration=args.duration,
                seed=args.seed,
                threads=args.threads,
                workdir=args.workdir,
            )
        else:
            from . import _nest

            record = _nest.run(
                args.model,
                scale=args.scale,
                duration=args.duration,
                seed=args.seed,
                threads=args.threads,
            )
    except Exception:
        traceback.print_exc()
        sys.stderr.flush()
        return 1
    finally:
        sys.stdout.flush()
    with os.fdopen(json_fd, "w") as out:
        out.write(json.dumps(record) + "\n")
    return 0
