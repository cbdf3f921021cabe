"""snn.viz: matplotlib plots of snn recordings and networks.

Every function takes recordings (or arrays) and an optional ``ax``, returns the Axes it drew
into, and never calls ``plt.show()``; figures are made without pyplot, so they work headless.
"""

from snn.viz._raster import raster

__all__ = ["raster"]
