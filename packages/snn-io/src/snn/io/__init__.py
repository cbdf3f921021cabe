"""snn.io: checkpoints and the file formats the field exchanges.

Checkpoints (HDF5): :func:`save` writes a whole network, :func:`load` reads it back ready to run
on, bit for bit as if it had never stopped (also ``Network.save`` / ``Network.load`` and
``Network.run(..., checkpoint_every=..., checkpoint_path=...)``, which checks the path with
:func:`check_checkpoint_path` before it starts).

Every reader treats its file as untrusted: it imports and calls nothing the file names (a
checkpoint's classes come from snn's own packages or the ``models=`` the caller passes), and it
checks every value before use, raising :class:`~snn.core.errors.FileFormatError` with the file
and the place in it.

Recordings: :class:`SpikeStream` appends spikes to HDF5 during a run (bounded memory),
:func:`write_nwb` / :func:`read_nwb` (NWB: Units table and TimeSeries, SI units),
:func:`to_neo` (a Neo Block with PyNN-style annotations, usable by Elephant).

NIR: :func:`from_nir` builds a network from a NIR graph (Input, LIF, IF, Linear, Affine,
Output), :func:`to_nir` exports one.

SONATA: :func:`read_sonata` imports point-neuron networks (nodes, edges, input spikes, run),
:func:`write_sonata` exports a network and its spikes.
"""

from snn.io._checkpoint import FORMAT, VERSION, load, save
from snn.io._neo import to_neo
from snn.io._nir import NIRIF, NIRLIF, NIRInput, NIRNetwork, from_nir, to_nir
from snn.io._nwb import NWBRecording, read_nwb, write_nwb
from snn.io._sonata import NEST_PARAMETERS, SonataNetwork, write_sonata
from snn.io._sonata_read import read_sonata
from snn.io._stream import SpikeStream, read_spike_stream
from snn.io._tempfiles import check_checkpoint_path

__all__ = [
    "FORMAT",
    "NEST_PARAMETERS",
    "NIRIF",
    "NIRLIF",
    "VERSION",
    "NIRInput",
    "NIRNetwork",
    "NWBRecording",
    "SonataNetwork",
    "SpikeStream",
    "check_checkpoint_path",
    "from_nir",
    "load",
    "read_nwb",
    "read_sonata",
    "read_spike_stream",
    "save",
    "to_neo",
    "to_nir",
    "write_nwb",
    "write_sonata",
]
