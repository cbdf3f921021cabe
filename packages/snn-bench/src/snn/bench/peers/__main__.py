"""Entry point of ``python -m snn.bench.peers`` (see `snn.bench.peers._cli`)."""

from ._cli import main

raise SystemExit(main())
