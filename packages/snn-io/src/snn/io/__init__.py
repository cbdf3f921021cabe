"""snn.io: checkpoints and the file formats the field exchanges.

Checkpoints (HDF5): :func:`save` writes a whole network, :func:`load` reads it back ready to run
on, bit for bit as if it had never stopped (also ``Network.save`` / ``Network.load`` and
``Network.run(..., checkpoint_every=..., checkpoint_path=...)``).

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
from snn.io._sonata import NEST_PARAMETERS, SonataNetwork, read_sonata, write_sonata
from snn.io._stream import SpikeStream, read_spike_stream

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
