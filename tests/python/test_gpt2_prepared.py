"""A repeated GPT-2 click through the server: the standby prepared its weights and programs.

After a demo run succeeds the server starts the next interpreter with that run's arguments
(workloads/_standby.py --warm), and the demo's warm() loads the tokenizer and weights and compiles
both programs there. The next run must use them only where they fit, and make the same tokens as
a run that prepared nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tt_lessons.protocol import DemoParams
from tt_lessons.routes import demo as demo_route
from tt_lessons.workload_specs import WORKLOADS_DIR

from .conftest import json_lines, run_cli, venv_python
from .rpc_client import RpcClient

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

PROMPT = "The capital of France is"
AHEAD_WEIGHTS = "Tokenizer and weights were loaded ahead"
AHEAD_PROGRAMS = "Programs were prepared ahead"


async def click(client: RpcClient, run_id: str, **params: Any) -> tuple[dict[str, Any], str]:
    """One demo request: (its result, its whole log as one text)."""
    answer = await client.request("tenstorrent/runTtXlaDemo", {**params, "runId": run_id})
    events = [e["event"] for e in client.events(run_id)]
    log = "\n".join(line for e in events if e["kind"] == "log" for line in e["lines"])
    assert answer["result"]["status"] == "succeeded", log[-3000:]
    result: dict[str, Any] = answer["result"]["result"]
    result["tokenIds"] = [e["tokenId"] for e in events if e["kind"] == "token"]
    return result, log


def fresh_tokens(venv: Path, folder: Path, prompt: str, env: dict[str, str]) -> list[int]:
    """The same run from the CLI: a fresh process, nothing prepared."""
    argv = ["demo", "--venv", str(venv), "--model", str(folder), "--prompt", prompt]
    done = run_cli(*argv, "--generate", "4", "--json", env=env)
    assert done.returncode == 0, done.stdout[-3000:]
    events = [line["event"] for line in json_lines(done.stdout) if "event" in line]
    return [int(e["tokenId"]) for e in events if e["kind"] == "token"]


async def test_a_repeated_click_uses_what_the_standby_prepared_where_it_fits(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home")}
    folder = checkpoints["prefixed"]
    base = {"venv": str(cpu_venv), "model": str(folder), "generate": 4, "stopAtEos": False}
    client = await RpcClient.start(env)
    try:
        first, log = await click(client, "d1", prompt=PROMPT, **base)
        assert AHEAD_WEIGHTS not in log and first["cacheHit"] is False
        assert first["preparedAhead"] is None

        again, log = await click(client, "d2", prompt=PROMPT, **base)
        assert "Prepared ahead in" in log and AHEAD_WEIGHTS in log and AHEAD_PROGRAMS in log, log
        assert again["tokenIds"] == first["tokenIds"] and again["topK"] == first["topK"]
        # The standby's programs came from the compile cache the first run filled.
        assert again["cacheHit"] is True
        assert again["preparedAhead"] == "weights-and-programs"

        # Another prompt of the same size class reuses the programs, and makes the tokens a
        # fresh process makes.
        other = "The capital of Italy is"
        third, log = await click(client, "d3", prompt=other, **base)
        assert AHEAD_PROGRAMS in log, log
        assert third["tokenIds"] == fresh_tokens(cpu_venv, folder, other, env)

        # bfloat16 weights are not what was prepared (float32): loaded afresh.
        bf16, log = await click(client, "d4", prompt=PROMPT, weights="bfloat16", **base)
        assert AHEAD_WEIGHTS not in log and AHEAD_PROGRAMS not in log, log
        assert bf16["tokenIds"] and bf16["preparedAhead"] is None
    finally:
        await client.close()


# Where a device plugin is installed, warm() may not start a backend: it keeps host arrays only,
# and main() builds the model from them. Run in the venv's interpreter as a standby would (warm,
# then the run as __main__), with the plugin check answering "a device is there".
HOST_ONLY = """
import json, os, runpy, sys
workloads, argv = sys.argv[1], sys.argv[2:]
sys.path.insert(0, workloads)
import _warm
_warm.only_cpu = lambda: False
script = os.path.join(workloads, "gpt2_demo.py")
said = runpy.run_path(script, run_name="__standby__")["warm"](argv)
kept = _warm._held["gpt2"]
print(json.dumps({"said": said, "model": kept.model is not None,
                  "programs": kept.generator is not None, "tensors": len(kept.tensors)}))
sys.argv = [script, *argv]
runpy.run_path(script, run_name="__main__")
"""


def test_with_a_device_plugin_only_host_memory_is_prepared(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    folder = checkpoints["prefixed"]
    params = DemoParams(venv=str(cpu_venv), model=str(folder), prompt=PROMPT, generate=4)
    argv = demo_route._args(params)
    argv[-1] = str(tmp_path / "cache")  # --cache-dir's value: a fresh, empty compile cache
    script = [venv_python(cpu_venv), "-c", HOST_ONLY, str(WORKLOADS_DIR), *argv]
    done = subprocess.run(script, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    kept = json_lines(done.stdout)[0]
    assert "in host memory" in kept["said"] and kept["tensors"] > 0
    assert kept["model"] is False and kept["programs"] is False  # no backend was started ahead
    assert AHEAD_WEIGHTS in done.stdout and AHEAD_PROGRAMS not in done.stdout
    events = json_lines(done.stdout)[1:]
    ours = [e["tokenId"] for e in events if e.get("kind") == "token"]
    (result,) = [e["result"] for e in events if e.get("kind") == "result"]
    assert result["preparedAhead"] == "weights"
    assert ours == fresh_tokens(cpu_venv, folder, PROMPT, dict(os.environ))
