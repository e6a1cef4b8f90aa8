"""The managed TT-XLA virtual environment: layout, manifest, lock, checks, install, status."""
