"""The online install's download as people see it, on the real wheel's twin over HTTP: byte
events that add up to the files in the wheel cache, and a second install (another venv, the same
backend home) that fetches nothing and still installs everything, offline from that cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tt_lessons import plugin

from .conftest import json_lines, run_cli
from .test_install_plugin import needs_312
from .test_install_twin import base_env, installed
from .twin import Twin, fill, serve

# Also on the 3.10 backend (Ubuntu 22.04's python3), which reads the lock with tomli.
pytestmark = [needs_312]


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Twin]:
    root = tmp_path_factory.mktemp("twin-download")
    with serve(root) as served:
        fill(served)
        yield served


def install(twin: Twin, env: dict[str, str], venv: Path) -> list[dict[str, object]]:
    args = ["install", "--venv", str(venv), "--index-url", twin.tt_index, "--json"]
    proc = run_cli(*args, env=twin.env(env))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return [n["event"] for n in json_lines(proc.stdout) if isinstance(n.get("event"), dict)]


def logged(events: list[dict[str, object]]) -> str:
    return "\n".join(line for e in events if e["kind"] == "log" for line in e["lines"])  # type: ignore[attr-defined]


def downloads(events: list[dict[str, object]]) -> list[dict[str, object]]:
    return [e for e in events if e["kind"] == "download"]


def test_the_download_is_counted_then_reused(twin: Twin, tmp_path: Path) -> None:
    env = base_env(tmp_path)
    first = downloads(install(twin, env, tmp_path / "venv1"))
    cache = Path(env["TT_LESSONS_HOME"]) / "wheels"
    on_disk = sum(p.stat().st_size for p in cache.glob("*.whl"))
    last = first[-1]
    assert last["doneBytes"] == last["totalBytes"] == on_disk > 0
    assert last["filesDone"] == last["filesTotal"] == len(list(cache.glob("*.whl")))
    assert any(p.name.startswith("torch-2.11.0+cpu") for p in cache.iterdir())
    # Every wheel crossed the wire once, through the downloader: the resolver read the index's
    # PEP 658 metadata and the direct-URL wheels from the cache, not from the server.
    assert set(twin.served.by_agent) == {"tt-lessons"}
    assert twin.served.wheel_bytes == on_disk

    wheels_served = twin.served.wheel_requests
    events = install(twin, env, tmp_path / "venv2")
    second = downloads(events)
    assert second[-1]["doneBytes"] == 0 and second[-1]["reusedBytes"] == on_disk
    assert twin.served.wheel_requests == wheels_served  # nothing fetched twice
    # The same request minutes later: the first install's lock, not a second resolution.
    assert "Resolving skipped: a lock resolved" in logged(events)
    assert "pip compile" not in logged(events)
    have = installed(tmp_path / "venv2")
    assert have["pjrt-plugin-tt"] == plugin.TT_XLA_TAG and have["torch"] == "2.11.0+cpu"

    # A repair of that venv (nothing changed) keeps its versions without asking the resolver.
    events = install(twin, env, tmp_path / "venv2")
    assert "Resolving skipped: this venv's lock for the same request" in logged(events)
    assert installed(tmp_path / "venv2") == have
