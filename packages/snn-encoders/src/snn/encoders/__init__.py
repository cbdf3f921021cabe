"""snn.encoders."""
