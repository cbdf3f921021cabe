"""``python -m snn.bench`` runs the ``snn-bench`` command."""

import sys

from snn.bench.cli import main

sys.exit(main())
