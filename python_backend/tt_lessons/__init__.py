"""tt-lessons backend: installs TT-XLA into a managed venv and runs JAX workloads there."""

__version__ = "0.1.0"
