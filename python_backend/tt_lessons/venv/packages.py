"""What every install puts into the venv besides the plugin: one list for install and wheelhouse."""

from __future__ import annotations

# jax/flax/transformers as the lesson asks, plus what the demo (hub, safetensors) and CNN read.
WORKLOAD_PACKAGES = (
    "jax",
    "flax",
    "transformers",
    "safetensors",
    "huggingface-hub",
    "scikit-learn",  # the CNN step trains on its bundled 8x8 digits
    "ipykernel",  # lesson cells run in a Jupyter kernel in the venv (kernel/)
)
