"""A workload's interpreter, started ahead of the click that needs it.

Starting Python and importing JAX, Flax and transformers takes seconds; the workload itself often
takes less. The backend starts this script after a run succeeds, so the next run of the same
workload finds those imports done:

    python -u _standby.py SCRIPT [--warm ARGS_JSON] MODULE...

imports each MODULE (`module:name` also reads that attribute, for packages such as
transformers that import lazily on attribute access); with --warm, loads SCRIPT as a module and
calls its `warm(argv)` with the last run's arguments (a JSON list), so work the next run would
repeat is done now and held in _warm.py; prints one ready line on stdout, then waits for one line
on stdin: the run's arguments as a JSON list. It then runs SCRIPT as
`__main__` with them, exactly as `python -u SCRIPT ARGS...` would (same folder on sys.path, same
argv). EOF instead of arguments means the backend dropped this standby: it exits, running nothing.

Nothing here touches a device: importing jax does not start a backend, so a waiting standby never
holds a Tenstorrent card another program wants; a workload's warm() starts one only where JAX can
pick nothing but the CPU (_warm.only_cpu).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import runpy
import sys
import time
from typing import Any

READY = '{"kind": "standby-ready"}'


def warm(script: str, args: list[str]) -> None:
    """Run the script's warm(argv), if it has one. Never fails the standby: warming is only a
    speed-up, and the run does everything itself when nothing was prepared. Whatever it prints
    goes to stderr (stdout must carry the ready line first); the adopted run's log shows it."""
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            namespace: dict[str, Any] = runpy.run_path(script, run_name="__standby__")
            prepare = namespace.get("warm")
            said = prepare(args) if callable(prepare) else None
    except (Exception, SystemExit) as exc:  # argparse exits: still only nothing prepared
        sys.stderr.write(f"Nothing prepared ahead: {type(exc).__name__}: {exc}\n")
        return
    if said:
        sys.stderr.write(f"Prepared ahead in {time.perf_counter() - started:.1f}s: {said}\n")


def main() -> None:
    script, modules = sys.argv[1], sys.argv[2:]
    warm_args: list[str] | None = None
    if modules[:1] == ["--warm"]:
        warm_args, modules = json.loads(modules[1]), modules[2:]
    for spec in modules:
        module, _, attribute = spec.partition(":")
        loaded = importlib.import_module(module)
        if attribute:
            getattr(loaded, attribute)
    if warm_args is not None:
        warm(script, warm_args)
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
