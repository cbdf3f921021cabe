"""Imported by the forkserver that starts a sweep's worker processes (``_sweep.py``).

Importing it pays numba's one-off start-up (typing and target contexts, about 0.4-1.5 s here) in
the server, so every worker forked from it starts with numba ready instead of paying it again.
"""

from snn.core._compile_clock import numba_startup

numba_startup()
