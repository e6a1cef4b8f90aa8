"""Waiting on the event a test needs instead of sleeping a guessed time.

The deadline is generous on purpose: it only bounds a hang, it never asserts how fast anything is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import psutil

DEADLINE_S = 60.0


def until(condition: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S) -> None:
    """Poll condition (in a thread without an event loop) until it holds."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting after {deadline_s:.0f} s for {what}")
        time.sleep(0.02)


async def until_async(
    condition: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S
) -> None:
    """Poll condition from a coroutine, letting the event loop run in between."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting after {deadline_s:.0f} s for {what}")
        await asyncio.sleep(0.02)


def gone(pid: int) -> bool:
    """The process has exited (a zombie waiting to be reaped counts as exited)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def connected_to(pid: int, url: str) -> bool:
    """Some descendant of pid holds a TCP connection to url's host and port (it is downloading)."""
    port = urlsplit(url).port
    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return False
    for kid in kids:
        try:
            if any(c.raddr and c.raddr.port == port for c in kid.net_connections(kind="tcp")):
                return True
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return False
