"""The process group a network runs on.

:func:`world` is ``MPI.COMM_WORLD`` wrapped as a :class:`Communicator` when the script was started
by ``mpiexec`` with several ranks, else a single-process stand-in; mpi4py is imported only then.
"""

from snn.core._mpi import Communicator, world

__all__ = ["Communicator", "world"]
