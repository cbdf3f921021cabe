"""snn.plasticity."""
