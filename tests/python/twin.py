"""The real pjrt-plugin-tt's twin, served over local HTTP the way Tenstorrent and PyPI serve it.

Built from tt_lessons/plugin.py (tt-xla 1.4.0): the same Requires-Dist lines, wheel tag
(cp312-cp312-manylinux_2_34_x86_64), Requires-Python, entry points and sfpi-version file, plus a
nightly (1.5.0.devN) that only `--pre` picks. One server plays every host:

- `/tt/simple/`: Tenstorrent's index (the plugin, with PEP 658 `.metadata` files announced by
  `data-dist-info-metadata` / `data-core-metadata` unless `pep658=False`);
- `/pypi/simple/`: PyPI. Small wheels under the real names and versions stand in for the heavy
  pins (pandas==3.0.0, seaborn, networkx, ...); with `upstream=True` every other project's page
  is PyPI's own (real jax, flax, transformers), else fakes of those are served too;
- `/download.pytorch.org/...` and `/pypi.eng.aws.tenstorrent.com/...`: the three direct-URL
  wheels (torch 2.11.0+cpu, torch-xla 2.9.0+git56f8e61, tt_lang), at their real paths.

The one change to the facts, said plainly: in the twin's METADATA the hosts
`https://download.pytorch.org` and `https://pypi.eng.aws.tenstorrent.com` are rewritten to this
server's URL (paths kept), because tests cannot reach them. The stand-in modules are empty, so a
venv built here runs jax (the sanity check) but not flax's or transformers' yaml/requests paths.
"""

from __future__ import annotations

import hashlib
import html
import http.server
import os
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tt_lessons import plugin

from .wheels import FAKE_PACKAGES, INSTALL_SFPI, SFPI_WANTED, build_wheel

REAL_HOSTS = ("https://download.pytorch.org/", "https://pypi.eng.aws.tenstorrent.com/")
NIGHTLY = "1.5.0.dev20260801"
# The pins (and the two unpinned names) whose real wheels are large or native: small wheels with
# the real names and versions stand in. requests' version is PyPI's newest at the time of writing.
STAND_INS = {
    "nanobind": "2.10.2",
    "networkx": "3.6.1",
    "graphviz": "0.21",
    "seaborn": "0.13.2",
    "pyyaml": "6.0.3",
    "click": "8.3.1",
    "pandas": "3.0.0",
    "websockets": "16.0",
    "requests": "2.32.5",
    "loguru": "0.7.3",
}


def local_requires(base: str, requires: tuple[str, ...] = plugin.REQUIRES) -> tuple[str, ...]:
    """plugin.REQUIRES with the real hosts pointing at this server (`base` ends with /)."""
    out = []
    for line in requires:
        for host in REAL_HOSTS:
            line = line.replace(host, base + urllib.parse.urlparse(host).netloc + "/")
        out.append(line)
    return tuple(out)


def _sfpi_file(version: str) -> bytes:
    return (
        f"# sfpi release {version}\n\nsfpi_repo='https://github.com/tenstorrent/sfpi'\n"
        f"sfpi_version='{version}'\nsfpi_base=''\nsfpi_build='930'\nsfpi_hashtype='sha256'\n"
    ).encode()


def build_twin(
    out: Path, base: str, version: str = plugin.TT_XLA_TAG, tag: str = plugin.WHEEL_TAG
) -> Path:
    """pjrt-plugin-tt as setup.py makes it, its URL dependencies pointing at `base`."""
    return build_wheel(
        out,
        plugin.PLUGIN,
        version,
        tag=tag,
        requires_python=plugin.PYTHON_SPEC,
        requires=local_requires(base),
        entry_points=(
            f"[jax_plugins]\n{plugin.JAX_PLUGINS_ENTRY}\n\n"
            f"[torch_xla.plugins]\n{plugin.TORCH_XLA_PLUGINS_ENTRY}\n\n"
            "[console_scripts]\n" + "\n".join(plugin.CONSOLE_SCRIPTS) + "\n"
        ),
        files={
            "/".join(plugin.SFPI_VERSION_FILE): _sfpi_file(SFPI_WANTED),
            "jax_plugin_tt/__init__.py": b"def initialize():\n    pass\n",
            "torch_plugin_tt/__init__.py": b"class TTPlugin:\n    pass\n",
            "ttxla_tools/__init__.py": b"",
            "ttxla_tools/install_sfpi.py": INSTALL_SFPI.encode(),
            "tracy/__init__.py": b"",
            "tracy/__main__.py": b"def main():\n    return 0\n",
            "tt_torch/__init__.py": b"",
            "tt_torch/weight_dtype.py": b"def main():\n    return 0\n",
        },
    )


def url_wheel(root: Path, url: str, size: int = 0) -> Path:
    """A stand-in wheel at the path a rewritten direct URL names, under its real file name;
    `size` bytes of bulk make it as heavy as the real one (stored, so the wire carries them)."""
    path = urllib.parse.unquote(urllib.parse.urlparse(url).path).lstrip("/")
    target = root / path
    name, version, *tag = target.name.removesuffix(".whl").split("-")
    bulk = (os.urandom(1 << 20) * (size // (1 << 20) + 1))[:size] if size else b""
    built = build_wheel(target.parent, name, version, bulk, tag="-".join(tag))
    assert built == target, (built, target)
    return built


def _metadata_of(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        return zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA")))


def publish(simple: Path, wheel: Path, pep658: bool = True) -> None:
    """Put a wheel on a PEP 503 index, with its PEP 658 `.metadata` beside it when asked."""
    project = wheel.name.split("-")[0].replace("_", "-").lower()
    folder = simple / project
    folder.mkdir(parents=True, exist_ok=True)
    (folder / wheel.name).write_bytes(wheel.read_bytes())
    if pep658:
        (folder / f"{wheel.name}.metadata").write_bytes(_metadata_of(wheel))
    links = ""
    for w in sorted(folder.glob("*.whl")):
        attrs = (
            f' data-requires-python="{html.escape(plugin.PYTHON_SPEC)}"'
            if "cp312" in w.name
            else ""
        )
        meta = folder / f"{w.name}.metadata"
        if meta.is_file():
            digest = "sha256=" + hashlib.sha256(meta.read_bytes()).hexdigest()
            attrs += f' data-dist-info-metadata="{digest}" data-core-metadata="{digest}"'
        href = urllib.parse.quote(w.name)
        sha = hashlib.sha256(w.read_bytes()).hexdigest()
        links += f'<a href="{href}#sha256={sha}"{attrs}>{w.name}</a>\n'
    (folder / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    projects = "".join(
        f'<a href="{p.name}/">{p.name}</a>\n' for p in sorted(simple.iterdir()) if p.is_dir()
    )
    (simple / "index.html").write_text(f"<html><body>\n{projects}</body></html>\n")


@dataclass
class Served:
    """Bytes of wheel files the server really wrote to its sockets (the truth the install's
    progress is checked against), how many wheel requests it answered, and the bytes per
    User-Agent (the install's own downloader says `tt-lessons`; the resolver is `uv/...`)."""

    wheel_bytes: int = 0
    wheel_requests: int = 0
    by_agent: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, n: int, agent: str = "") -> None:
        with self.lock:
            self.wheel_bytes += n
            self.by_agent[agent] = self.by_agent.get(agent, 0) + n


@dataclass
class Twin:
    root: Path
    base: str  # http://127.0.0.1:PORT/
    served: Served = field(default_factory=Served)

    @property
    def tt_index(self) -> str:
        return self.base + "tt/simple/"

    @property
    def pypi(self) -> str:
        return self.base + "pypi/simple/"

    def env(self, env: dict[str, str]) -> dict[str, str]:
        """The person's machine with this server as PyPI (uv and pip), no local pip config."""
        out = {k: v for k, v in env.items() if not k.startswith(("PIP_", "UV_INDEX"))}
        return {
            **out,
            "PIP_CONFIG_FILE": "/dev/null",
            "PIP_INDEX_URL": self.pypi,
            "UV_DEFAULT_INDEX": self.pypi,
        }


def fill(
    twin: Twin,
    *,
    pep658: bool = True,
    upstream: bool = False,
    tag: str = plugin.WHEEL_TAG,
    heavy: dict[str, int] | None = None,
) -> None:
    """Everything the install will ask the server for (see the module's docstring); `heavy`
    gives direct-URL wheels (by normalised name: torch, torch-xla, tt-lang) their bulk in bytes."""
    wheels = twin.root / "build"
    tt = twin.root / "tt" / "simple"
    for version in (plugin.TT_XLA_TAG, NIGHTLY):
        publish(tt, build_twin(wheels, twin.base, version, tag), pep658)
    for line in local_requires(twin.base):
        if "@" in line:
            name, url = (part.strip() for part in line.split("@", 1))
            size = (heavy or {}).get(name.lower().replace("_", "-"), 0)
            url_wheel(twin.root, url.split(";")[0].strip(), size)
    pypi = twin.root / "pypi" / "simple"
    fakes = {} if upstream else {k: v for k, v in FAKE_PACKAGES.items() if k != plugin.PLUGIN}
    for name, version in {**fakes, **STAND_INS}.items():
        publish(pypi, build_wheel(wheels, name, version))


THROTTLE_CHUNK = 64 * 1024


@contextmanager
def serve(root: Path, upstream: bool = False, rate_bps: float | None = None) -> Iterator[Twin]:
    """Serve root; with `upstream`, /pypi/simple/<name>/ pages not found here are PyPI's; with
    `rate_bps`, each wheel is sent no faster than that (a slow link, for progress and cancel).
    Wheel bytes really sent are counted in `Twin.served`."""
    served = Served()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            parts = self.path.split("?")[0].strip("/").split("/")
            local = root.joinpath(*parts)
            if (
                upstream
                and parts[:2] == ["pypi", "simple"]
                and len(parts) == 3
                and not local.exists()
            ):
                self._relay(f"https://pypi.org/simple/{parts[2]}/")
                return
            super().do_GET()

        def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
            if not self.path.split("?")[0].endswith(".whl"):
                shutil.copyfileobj(source, outputfile)
                return
            with served.lock:
                served.wheel_requests += 1
            agent = (self.headers.get("User-Agent") or "").split("/")[0].split(" ")[0]
            started, sent = time.monotonic(), 0
            while chunk := source.read(THROTTLE_CHUNK):
                try:
                    outputfile.write(chunk)
                except ConnectionError:  # the client hung up (a cancelled download)
                    return
                sent += len(chunk)
                served.add(len(chunk), agent)
                if rate_bps:
                    ahead = sent / rate_bps - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)

        def _relay(self, url: str) -> None:
            request = urllib.request.Request(url, headers={"Accept": "text/html"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    body = response.read()
            except urllib.error.HTTPError as exc:
                self.send_error(exc.code)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Twin(root, f"http://127.0.0.1:{server.server_address[1]}/", served)
    finally:
        server.shutdown()
