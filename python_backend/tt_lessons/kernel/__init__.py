"""Lesson cells run in a Jupyter kernel inside the managed venv, driven by jupyter_client.

cells.py reads a lesson's ```python fences; spec.py registers the venv as a kernelspec;
outputs.py turns kernel messages into capped, sanitised outputs; session.py runs one kernel;
pool.py keeps one per lesson (the server owns the pool); notebook.py exports .ipynb.
The backend never imports JAX: code runs in the kernel process, never here.
"""
