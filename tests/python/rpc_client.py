"""A small JSON-RPC client over the server's stdio (LSP framing), like vscode-languageclient.

Written by hand on purpose: the tests also send malformed and oversized frames that a real client
library would refuse to produce.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from collections.abc import Sequence
from typing import Any

SERVE = [sys.executable, "-m", "tt_lessons.cli", "serve"]


class RpcClient:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.ids = itertools.count(1)
        self.pending: dict[int | str, asyncio.Future[dict[str, Any]]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.sends: list[asyncio.Future[None]] = []
        self.notified = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(
        cls, env: dict[str, str] | None = None, argv: Sequence[str] = SERVE
    ) -> RpcClient:
        """Start a server (ours, or `argv`'s) and finish the LSP handshake with it."""
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            limit=1 << 24,
        )
        client = cls(proc)
        await client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        await client.notify("initialized", {})
        return client

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            header = await self.proc.stdout.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in header.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            message = json.loads(await self.proc.stdout.readexactly(length))
            if "id" in message and ("result" in message or "error" in message):
                future = self.pending.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message)
            elif "method" in message:
                self.notifications.append(message)
                self.notified.set()

    async def send_raw(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await self.proc.stdin.drain()

    async def send(self, message: dict[str, Any]) -> None:
        await self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def start_request(
        self, method: str, params: Any = None
    ) -> tuple[int, asyncio.Future[dict[str, Any]]]:
        msg_id = next(self.ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[msg_id] = future
        self.sends.append(
            asyncio.ensure_future(self.send({"id": msg_id, "method": method, "params": params}))
        )
        return msg_id, future

    async def request(
        self, method: str, params: Any = None, timeout: float = 600
    ) -> dict[str, Any]:
        _, future = self.start_request(method, params)
        return await asyncio.wait_for(future, timeout)

    async def notify(self, method: str, params: Any) -> None:
        await self.send({"method": method, "params": params})

    async def cancel(self, msg_id: int) -> None:
        await self.notify("$/cancelRequest", {"id": msg_id})

    def events(self, run_id: str) -> list[dict[str, Any]]:
        return [
            n["params"]
            for n in self.notifications
            if n["method"] == "tenstorrent/event" and n["params"]["runId"] == run_id
        ]

    async def wait_for_event(
        self, run_id: str, predicate: Any, timeout: float = 120
    ) -> dict[str, Any]:
        async def scan() -> dict[str, Any]:
            while True:
                for event in self.events(run_id):
                    if predicate(event["event"]):
                        return event
                self.notified.clear()
                await self.notified.wait()

        return await asyncio.wait_for(scan(), timeout)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.request("shutdown"), 10)
            await self.notify("exit", None)
            await asyncio.wait_for(self.proc.wait(), 10)
        except (asyncio.TimeoutError, ConnectionError):
            self.proc.kill()
            await self.proc.wait()
        self.reader.cancel()
