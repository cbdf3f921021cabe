"""snn.io: checkpoints and the file formats the field exchanges.

Checkpoints (HDF5): :func:`save` writes a whole network, :func:`load` reads it back ready to run
on, bit for bit as if it had never stopped (also ``Network.save`` / ``Network.load`` and
``Network.run(..., checkpoint_every=..., checkpoint_path=...)``).
"""

from snn.io._checkpoint import FORMAT, VERSION, load, save

__all__ = ["FORMAT", "VERSION", "load", "save"]
