"""The plugin's own requirements, read before resolving: the one place that knows about its
direct-URL dependencies.

pjrt-plugin-tt names torch, torch-xla and tt_lang as `name @ https://…whl`. uv refuses such a
dependency when it arrives through a package from an index ("URL dependencies must be expressed as
direct requirements or constraints"), so the install reads the metadata of the plugin wheel the
resolver will pick and hands those lines over itself: as direct requirements when online, as
overrides pointing at the local files when installing from a wheelhouse. `tt-lessons wheelhouse`
reports what it fetched with the same functions.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from html.parser import HTMLParser
from pathlib import Path

from .. import plugin
from ..version_spec import normalize, release
from .python_spec import project_page

_WHEEL = re.compile(
    r"^(?P<dist>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?-(?P<py>[^-]+)-[^-]+-[^-]+\.whl$"
)
_PRE = re.compile(r"(?P<kind>a|b|rc|dev)(?P<n>\d*)", re.IGNORECASE)
_PRE_RANK = {"dev": 0, "a": 1, "b": 2, "rc": 3}


@dataclass(frozen=True)
class UrlRequirement:
    name: str  # normalised project name
    url: str
    marker: str | None

    def line(self, url: str | None = None) -> str:
        """`name @ url` (a PEP 508 line), keeping the marker; `url` replaces the original."""
        text = f"{self.name} @ {url or self.url}"
        return f"{text} ; {self.marker}" if self.marker else text


def url_requirements(metadata: str) -> list[UrlRequirement]:
    """The `name @ url` entries of a METADATA's Requires-Dist."""
    found: list[UrlRequirement] = []
    for entry in Parser().parsestr(metadata, headersonly=True).get_all("Requires-Dist") or []:
        requirement, _, marker = entry.partition(";")
        if "@" not in requirement:
            continue
        name, url = (part.strip() for part in requirement.split("@", 1))
        name = re.sub(r"\[.*\]", "", name).strip()
        found.append(UrlRequirement(normalize(name), url, marker.strip() or None))
    return found


def wheel_metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        return zf.read(name).decode("utf-8", "replace")


def version_key(version: str) -> tuple[tuple[int, ...], int, int]:
    """Enough of PEP 440 to order plugin versions: 1.4.0 < 1.5.0.dev1 < 1.5.0.dev2 < 1.5.0."""
    public = version.split("+")[0]
    pre = _PRE.search(public)
    if pre is None:
        return release(public), 9, 0
    return release(public), _PRE_RANK[pre.group("kind").lower()], int(pre.group("n") or 0)


def is_pre(version: str) -> bool:
    return _PRE.search(version.split("+")[0]) is not None


@dataclass(frozen=True)
class Candidate:
    filename: str
    url: str
    version: str
    metadata_url: str | None  # PEP 658/714: the wheel's METADATA served beside it


def pick(candidates: list[Candidate], pre: bool, python_tag: str) -> Candidate | None:
    """The wheel a resolver would take: this Python's tag, finals unless `pre` (or none else)."""
    fits = [c for c in candidates if _tag_fits(c.filename, python_tag)]
    usable = [c for c in fits if pre or not is_pre(c.version)] or fits
    return max(usable, key=lambda c: version_key(c.version), default=None)


def _tag_fits(filename: str, python_tag: str) -> bool:
    match = _WHEEL.match(filename)
    if not match:
        return False
    tags = match.group("py").split(".")
    return python_tag in tags or "py3" in tags


class _Anchors(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.found: list[Candidate] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        href = urllib.parse.urljoin(self.base, found.get("href") or "")
        filename = urllib.parse.unquote(href.split("#")[0].rsplit("/", 1)[-1])
        match = _WHEEL.match(filename)
        if not match or normalize(match.group("dist")) != normalize(plugin.PLUGIN):
            return
        offered = found.get("data-core-metadata") or found.get("data-dist-info-metadata")
        has_meta = offered is not None and offered.lower() != "false"
        url = href.split("#")[0]
        meta = url + ".metadata" if has_meta else None
        self.found.append(Candidate(filename, url, match.group("version"), meta))


def index_candidates(index_url: str, timeout_s: float) -> list[Candidate]:
    base = index_url.rstrip("/") + "/" + normalize(plugin.PLUGIN) + "/"
    parser = _Anchors(base)
    parser.feed(project_page(index_url, timeout_s))
    return parser.found


def _read_url(url: str, timeout_s: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "tt-lessons"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        data: bytes = response.read()
    return data


def candidate_metadata(candidate: Candidate, timeout_s: float) -> str:
    """PEP 658's `.metadata` when the index offers it, else the wheel's own METADATA."""
    if candidate.metadata_url:
        try:
            return _read_url(candidate.metadata_url, timeout_s).decode("utf-8", "replace")
        except urllib.error.HTTPError:
            pass  # offered yet missing: read the wheel instead
    with tempfile.TemporaryDirectory(prefix="tt-lessons-plugin-") as tmp:
        path = Path(tmp) / candidate.filename
        path.write_bytes(_read_url(candidate.url, timeout_s))
        return wheel_metadata(path)


@dataclass(frozen=True)
class Offered:
    """The plugin the index would give this Python, and its URL lines as they are written."""

    version: str
    url_lines: list[str]


def _online_sync(index_url: str, pre: bool, python_tag: str, timeout_s: float) -> Offered | None:
    chosen = pick(index_candidates(index_url, timeout_s), pre, python_tag)
    if chosen is None:
        return None
    metadata = candidate_metadata(chosen, timeout_s)
    return Offered(chosen.version, [req.line() for req in url_requirements(metadata)])


async def offered(
    index_url: str, pre: bool, python_tag: str, timeout_s: float = 60.0
) -> Offered | None:
    """None when the index cannot be read here: the resolver's own error (which install_errors
    explains) then names what went wrong."""
    try:
        return await asyncio.to_thread(_online_sync, index_url, pre, python_tag, timeout_s)
    except (OSError, urllib.error.URLError, ValueError, zipfile.BadZipFile, StopIteration):
        return None


def wheelhouse_overrides(wheelhouse: str) -> list[str]:
    """For each URL requirement of the plugin wheels in the folder whose file is there too,
    `name @ file://…`: an offline install takes the local wheel instead of the URL. A URL whose
    wheel is missing stays as it is, so the resolver's own error names it."""
    folder = Path(wheelhouse).expanduser().absolute()
    dist = normalize(plugin.PLUGIN).replace("-", "_")
    lines: set[str] = set()
    for wheel in sorted(folder.glob(f"{dist}-*.whl")):
        for req in url_requirements(wheel_metadata(wheel)):
            local = folder / urllib.parse.unquote(req.url.rsplit("/", 1)[-1].split("#")[0])
            if local.is_file():
                lines.add(req.line(local.as_uri()))
    return sorted(lines)
