"""A workload's interpreter, started ahead of the click that needs it.

Starting Python and importing JAX, Flax and transformers takes seconds; the workload itself often
takes less. The backend starts this script after a run succeeds, so the next run of the same
workload finds those imports done:

    python -u _standby.py SCRIPT MODULE...

imports each MODULE (`module:name` also reads that attribute, for packages such as
transformers that import lazily on attribute access), prints one ready line on stdout, then
waits for one line on stdin: the run's arguments as a JSON list. It then runs SCRIPT as
`__main__` with them, exactly as `python -u SCRIPT ARGS...` would (same folder on sys.path, same
argv). EOF instead of arguments means the backend dropped this standby: it exits, running nothing.

Nothing here touches a device: importing jax does not start a backend, so a waiting standby never
holds a Tenstorrent card another program wants.
"""

from __future__ import annotations

import importlib
import json
import runpy
import sys

READY = '{"kind": "standby-ready"}'


def main() -> None:
    script, modules = sys.argv[1], sys.argv[2:]
    for spec in modules:
        module, _, attribute = spec.partition(":")
        loaded = importlib.import_module(module)
        if attribute:
            getattr(loaded, attribute)
    sys.stdout.write(READY + "\n")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line.strip():
        return
    args = json.loads(line)
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise SystemExit(f"standby: expected a JSON list of strings, got {line[:200]!r}")
    sys.stdin.close()  # workloads read no input, as when started with stdin on /dev/null
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
