"""Which Python the plugin on offer accepts, read from the wheels themselves.

Before a venv is made we look at what the index (PEP 503 page, `data-requires-python` and the
wheel tags) or the wheelhouse (wheel tags and METADATA's Requires-Python) actually serves for
pjrt-plugin-tt. Only when neither can be read do we fall back to the known range in plugin.py.
"""

from __future__ import annotations

import asyncio
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from html.parser import HTMLParser
from pathlib import Path

from .. import plugin
from ..version_spec import normalize, release, satisfies

_WHEEL = re.compile(
    r"^(?P<dist>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$"
)
_PRE = re.compile(r"(a|b|rc|dev)\d*", re.IGNORECASE)


@dataclass(frozen=True)
class PythonRequirement:
    """Requires-Python plus the interpreter tags of the newest plugin wheels found."""

    spec: str  # e.g. ">=3.12,<3.13"; "" when any will do
    tags: frozenset[str]  # e.g. {"cp312"}; empty when the wheels are pure-Python (py3)
    source: str  # where we read it, said in messages

    def accepts(self, version: tuple[int, ...]) -> bool:
        text = ".".join(map(str, version))
        if self.spec and not satisfies(text, self.spec):
            return False
        return not self.tags or any(tag_accepts(tag, version) for tag in self.tags)

    def accepts_minor(self, major: int, minor: int) -> bool:
        """Whether a Python major.minor may be accepted (its first or a late micro release):
        judged from a name alone, before starting it, to decide what to try first."""
        return any(self.accepts((major, minor, micro)) for micro in (0, 99))

    def describe(self) -> str:
        parts = [self.spec] if self.spec else []
        if self.tags:
            parts.append("wheels for " + ", ".join(sorted(self.tags)))
        return " and ".join(parts) or "any Python"

    def wanted_minor(self) -> str | None:
        """`3.12` when the tags or the spec name exactly one minor version (what to download)."""
        minors = {f"{t[2]}.{t[3:]}" for t in self.tags if re.fullmatch(r"cp3\d+", t)}
        if len(minors) == 1:
            return minors.pop()
        match = re.search(r">=\s*(3\.\d+)", self.spec)
        return match.group(1) if match else None


KNOWN = PythonRequirement(
    plugin.PYTHON_SPEC, frozenset({plugin.PYTHON_TAG}), "the known range (tt-xla setup.py)"
)


def tag_accepts(tag: str, version: tuple[int, ...]) -> bool:
    """cp312 / py312: that minor only; py3 / py2.py3: any Python 3."""
    match = re.fullmatch(r"(?:cp|py)(\d)(\d*)", tag)
    if not match:
        return True  # a tag we do not know (pp, graalpy): do not rule Pythons out on it
    major, minor = int(match.group(1)), match.group(2)
    if version[0] != major:
        return False
    return not minor or version[1] == int(minor)


@dataclass(frozen=True)
class _Wheel:
    version: str
    tags: frozenset[str]
    requires_python: str


def _parse_wheel_name(name: str, requires_python: str = "") -> _Wheel | None:
    match = _WHEEL.match(urllib.parse.unquote(name))
    if not match or normalize(match.group("dist")) != normalize(plugin.PLUGIN):
        return None
    return _Wheel(match.group("version"), frozenset(match.group("py").split(".")), requires_python)


def _newest(wheels: list[_Wheel], pre: bool) -> list[_Wheel]:
    usable = [w for w in wheels if pre or not _PRE.search(w.version.split("+")[0])] or wheels
    if not usable:
        return []
    top = max(release(w.version) for w in usable)
    return [w for w in usable if release(w.version) == top]


def _combine(wheels: list[_Wheel], source: str) -> PythonRequirement | None:
    if not wheels:
        return None
    specs = sorted({w.requires_python for w in wheels if w.requires_python})
    tags = frozenset(t for w in wheels for t in w.tags if t not in ("py3", "py2"))
    return PythonRequirement(",".join(specs), tags, source)


def _metadata_requires_python(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as wheel:
            name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
            text = wheel.read(name).decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, StopIteration):
        return ""
    return (Parser().parsestr(text, headersonly=True).get("Requires-Python") or "").strip()


def from_wheelhouse(folder: str, pre: bool = False) -> PythonRequirement | None:
    wheels = []
    for path in sorted(Path(folder).expanduser().glob("*.whl")):
        parsed = _parse_wheel_name(path.name)
        if parsed:
            wheels.append(_Wheel(parsed.version, parsed.tags, _metadata_requires_python(path)))
    return _combine(_newest(wheels, pre), f"the wheels in {folder}")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            found = dict(attrs)
            href = found.get("href") or ""
            self.links.append(
                (href.split("#")[0].rsplit("/", 1)[-1], found.get("data-requires-python") or "")
            )


def project_page(index_url: str, timeout_s: float) -> str:
    url = index_url.rstrip("/") + "/" + normalize(plugin.PLUGIN) + "/"
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "file":
        folder = Path(urllib.request.url2pathname(parsed.path))
        page = folder / "index.html"
        if page.is_file():
            return page.read_text(encoding="utf-8", errors="replace")
        return "".join(f'<a href="{p.name}">{p.name}</a>' for p in sorted(folder.glob("*.whl")))
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        data: bytes = response.read(4 << 20)
    return data.decode("utf-8", "replace")


def _from_index_sync(index_url: str, pre: bool, timeout_s: float) -> PythonRequirement | None:
    try:
        page = project_page(index_url, timeout_s)
    except (OSError, urllib.error.URLError, ValueError):
        return None
    parser = _Links()
    parser.feed(page)
    wheels = [w for name, rp in parser.links if (w := _parse_wheel_name(name, rp.strip()))]
    return _combine(_newest(wheels, pre), index_url)


async def from_index(
    index_url: str, pre: bool = False, timeout_s: float = 8.0
) -> PythonRequirement | None:
    return await asyncio.to_thread(_from_index_sync, index_url, pre, timeout_s)


async def plugin_requirement(
    index_url: str | None, wheelhouse: str | None, pre: bool
) -> PythonRequirement:
    """The wheelhouse first (it is what an offline install uses), then the index, then KNOWN."""
    if wheelhouse:
        found = from_wheelhouse(wheelhouse, pre)
        if found:
            return found
    if index_url:
        found = await from_index(index_url, pre)
        if found:
            return found
    return KNOWN
