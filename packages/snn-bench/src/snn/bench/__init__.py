"""snn.bench: benchmark models and the ``snn-bench`` command.

The models are those of ``shared/BENCHMARK_MODELS.md``; ``snn-bench compare`` runs them side by
side with Brian2 and NEST.
"""

from snn.bench._models import MODELS, BenchModel, build
from snn.bench._run import run_model, spikes_sha256

__all__ = ["MODELS", "BenchModel", "build", "run_model", "spikes_sha256"]
