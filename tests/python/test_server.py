"""`tt-lessons serve` as a real subprocess, driven over stdio the way the extension drives it."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest
from tt_lessons.venv import manifest
from tt_lessons.venv.layout import VenvLayout

from .rpc_client import RpcClient
from .waiting import connected_to, until_async
from .wheels import build_simple_index, build_wheelhouse, serve_index

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[RpcClient]:
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home"), "TT_LESSONS_MIN_FREE_MB": "1"}
    rpc = await RpcClient.start(env)
    yield rpc
    await rpc.close()


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


async def test_sanity_run_streams_ordered_events_and_answers_an_outcome(
    client: RpcClient, cpu_venv: Path
) -> None:
    reply = await client.request(
        "tenstorrent/testTtXlaInstall", {"venv": str(cpu_venv), "runId": "sanity-1"}
    )
    outcome = reply["result"]
    assert outcome["status"] == "succeeded" and outcome["exitCode"] == 0
    assert outcome["result"]["platform"] == "cpu" and outcome["result"]["value"] == 32.0
    assert outcome["result"]["ttDevice"] is False

    events = client.events("sanity-1")
    assert [e["seq"] for e in events] == list(range(len(events)))
    kinds = [e["event"]["kind"] for e in events]
    assert kinds[-1] == "end" and kinds[-2] == "result"
    assert "progress" in kinds and "log" in kinds
    assert events[-1]["event"]["status"] == "succeeded"
    assert all(e["method"] == "tenstorrent/testTtXlaInstall" for e in events)


async def test_status_is_answered_without_a_run(client: RpcClient, cpu_venv: Path) -> None:
    reply = await client.request("tenstorrent/status", {"venv": str(cpu_venv)})
    status = reply["result"]
    assert status["state"] == "ready" and status["packages"]["jax"]
    assert status["ttDevices"] == [] and status["ttSmi"] is None


async def test_bad_params_get_a_typed_error_and_the_server_stays_up(client: RpcClient) -> None:
    reply = await client.request("tenstorrent/runTtXlaDemo", {"topK": "many"})
    assert reply["error"]["code"] == -32602
    assert "topK" in reply["error"]["message"]
    assert reply["error"]["data"]["problems"][0]["field"] == "topK"
    unknown = await client.request("tenstorrent/nope", {})
    assert unknown["error"]["code"] == -32601
    assert "result" in await client.request("tenstorrent/status", {})


async def test_run_on_a_missing_venv_fails_with_the_fix(client: RpcClient, tmp_path: Path) -> None:
    reply = await client.request("tenstorrent/testTtXlaInstall", {"venv": str(tmp_path / "none")})
    outcome = reply["result"]
    assert outcome["status"] == "failed"
    assert outcome["error"]["code"] == "venv-not-ready"
    assert any("Install TT-XLA" in fix for fix in outcome["error"]["fixes"])


async def test_cancel_kills_the_workload_process_tree(client: RpcClient, cpu_venv: Path) -> None:
    msg_id, reply = client.start_request(
        "tenstorrent/testTtXlaInstall", {"venv": str(cpu_venv), "runId": "cancel-1"}
    )
    await client.wait_for_event("cancel-1", lambda e: e["kind"] == "progress")  # the child speaks
    children = descendants(client.proc.pid)
    assert children, "the workload runs as a child of the server"
    await client.cancel(msg_id)
    answer = await asyncio.wait_for(reply, 30)
    assert answer["error"]["code"] == -32800  # RequestCancelled
    end = client.events("cancel-1")[-1]["event"]
    assert end["kind"] == "end" and end["status"] == "cancelled"
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"still running after cancel: {alive}"
    assert "result" in await client.request("tenstorrent/status", {})  # server still serves


async def test_cancelled_install_marks_the_venv_incomplete(
    client: RpcClient, tmp_path: Path
) -> None:
    wheelhouse = build_wheelhouse(tmp_path / "wheelhouse")
    build_simple_index(tmp_path / "index", wheelhouse)
    venv = tmp_path / "venv"
    with serve_index(tmp_path / "index", delay_s=60) as url:
        params = {"venv": str(venv), "runId": "inst-1", "offline": True, "indexUrl": url}
        msg_id, reply = client.start_request("tenstorrent/installTtXla", params)
        await client.wait_for_event("inst-1", lambda e: e["kind"] == "progress" and e["step"] == 3)
        # Cancel while the installer is downloading from the (slow) index.
        await until_async(lambda: connected_to(client.proc.pid, url), "the installer to download")
        children = descendants(client.proc.pid)
        await client.cancel(msg_id)
        answer = await asyncio.wait_for(reply, 30)
    assert answer["error"]["code"] == -32800
    assert client.events("inst-1")[-1]["event"]["status"] == "cancelled"
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive
    written = manifest.read(VenvLayout.at(str(venv)))
    assert written is not None and written.state == "incomplete"
    assert "cancelled" in (written.note or "")
    status = (await client.request("tenstorrent/status", {"venv": str(venv)}))["result"]
    assert status["state"] == "incomplete"

    # The next install repairs it: the same index, no longer slow.
    with serve_index(tmp_path / "index") as url:
        params = {"venv": str(venv), "runId": "inst-2", "offline": True, "indexUrl": url}
        outcome = (await client.request("tenstorrent/installTtXla", params, timeout=120))["result"]
    assert outcome["status"] == "succeeded", outcome
    assert outcome["result"]["repaired"] is True
    written = manifest.read(VenvLayout.at(str(venv)))
    assert written is not None and written.state == "ready"
    status = (await client.request("tenstorrent/status", {"venv": str(venv)}))["result"]
    assert status["state"] == "ready"


async def test_events_of_two_runs_keep_their_own_sequence(
    client: RpcClient, tmp_path: Path
) -> None:
    first, second = await asyncio.gather(
        client.request("tenstorrent/doctor", {"venv": str(tmp_path / "a"), "runId": "d1"}),
        client.request("tenstorrent/doctor", {"venv": str(tmp_path / "b"), "runId": "d2"}),
    )
    for run_id in ("d1", "d2"):
        seqs = [e["seq"] for e in client.events(run_id)]
        assert seqs == list(range(len(seqs))) and seqs
    assert json.dumps(first["result"]["runId"]) == '"d1"' and second["result"]["runId"] == "d2"
