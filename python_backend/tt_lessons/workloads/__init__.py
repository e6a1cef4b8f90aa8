"""Scripts that run INSIDE the managed venv as child processes.

They import JAX and friends plus `_emit`, never the backend: the backend only starts them and reads
the JSON lines they print (see protocol.WorkloadEvent for the shapes).
"""
