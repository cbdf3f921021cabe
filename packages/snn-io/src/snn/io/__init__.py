"""snn.io."""
