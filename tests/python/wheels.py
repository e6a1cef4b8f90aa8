"""Builds tiny, real wheels and a PEP 503 simple index so the pip/uv paths run offline in tests."""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tt_lessons import plugin

# Stand-ins for what the install resolves. jax/jaxlib carry the plugin's own pin, so the
# resolver has to honour Requires-Dist exactly as it would with the real wheel.
FAKE_PACKAGES = {
    "pjrt-plugin-tt": "0.9.0",
    "jax": plugin.JAX_VERSION,
    "jaxlib": plugin.JAX_VERSION,
    "flax": "0.9.2",
    "transformers": "5.0.0",
    "safetensors": "0.5.0",
    "huggingface-hub": "1.0.0",
    "scikit-learn": "1.5.0",
    "ipykernel": "6.29.0",
    "loguru": "0.7.3",  # stands in for the plugin's heavy extras (torch, pandas, ...)
}
# What `tt-lessons install` reports: what it asked for, and jaxlib; not the plugin's extras.
REPORTED_PACKAGES = {name: v for name, v in FAKE_PACKAGES.items() if name != "loguru"}
SFPI_WANTED = "7.77.0"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(
    out: Path,
    name: str,
    version: str,
    payload: bytes = b"",
    *,
    tag: str = "py3-none-any",
    requires_python: str | None = None,
    requires: tuple[str, ...] = (),
    entry_points: str = "",
    files: dict[str, bytes] | None = None,
) -> Path:
    """A wheel with one module that records its own version (plus optional bulk and metadata)."""
    dist = name.replace("-", "_")
    module = dist.lower()
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    metadata += "".join(f"Requires-Dist: {req}\n" for req in requires)
    info = f"{dist}-{version}.dist-info"
    contents = {
        f"{module}/__init__.py": f"__version__ = {version!r}\n".encode(),
        **({f"{module}/bulk.bin": payload} if payload else {}),
        **(files or {}),
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: tt-lessons-tests\n"
            f"Root-Is-Purelib: {'true' if tag.endswith('-any') else 'false'}\nTag: {tag}\n"
        ).encode(),
        **({f"{info}/entry_points.txt": entry_points.encode()} if entry_points else {}),
    }
    record_name = f"{info}/RECORD"
    record = "\n".join(_record_line(n, d) for n, d in contents.items()) + f"\n{record_name},,\n"
    contents[record_name] = record.encode()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dist}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for arcname, data in contents.items():
            zf.writestr(arcname, data)
    return path


INSTALL_SFPI = """\
# Stand-in for ttxla_tools.install_sfpi:main. The real one downloads the .deb/.rpm named by
# sfpi-version and installs it with sudo; this one writes a compiler that reports that version
# into the (fake) system SFPI root, so the check after it can be tested end to end.
import os, re, stat, sys
from pathlib import Path
import pjrt_plugin_tt

def main():
    text = (Path(pjrt_plugin_tt.__file__).parent / "tt-metal/tt_metal/sfpi-version").read_text()
    version = re.search(r"^sfpi_version=['\\"]?([^'\\"\\n]+)", text, re.M).group(1)
    root = Path(os.environ["TT_LESSONS_SFPI_SYSTEM_ROOT"]) / "compiler" / "bin"
    root.mkdir(parents=True, exist_ok=True)
    gxx = root / "riscv-tt-elf-g++"
    stamp = f"riscv-tt-elf-g++ (tenstorrent/sfpi:{version}[930]) 15.1.0"
    gxx.write_text(f"#!/bin/sh\\necho '{stamp}'\\n")
    gxx.chmod(gxx.stat().st_mode | stat.S_IEXEC)
    print(f"SFPI {version} installed to {root.parent.parent}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
"""


def build_plugin_wheel(
    out: Path,
    version: str = "0.9.0",
    *,
    sfpi: str = SFPI_WANTED,
    extra_requires: tuple[str, ...] = (),
) -> Path:
    """A light pjrt-plugin-tt stand-in for file:// and wheelhouse tests (tt_lessons/plugin.py):
    its tag, Requires-Python, the jax/jaxlib pin, one other dependency, the jax_plugins entry
    point, the tt-forge-install script and tt-metal's sfpi-version file. The full twin, with
    every Requires-Dist line and the direct URLs, is tests/python/twin.py."""
    sfpi_file = (
        f"# sfpi release {sfpi}\n\nsfpi_repo='https://github.com/tenstorrent/sfpi'\n"
        f"sfpi_version='{sfpi}'\nsfpi_base=''\nsfpi_build='930'\nsfpi_hashtype='sha256'\n"
    )
    return build_wheel(
        out,
        plugin.PLUGIN,
        version,
        tag=plugin.WHEEL_TAG,
        requires_python=plugin.PYTHON_SPEC,
        requires=(*plugin.JAX_PINS, "loguru", *extra_requires),
        entry_points=(
            f"[jax_plugins]\n{plugin.JAX_PLUGINS_ENTRY}\n\n"
            f"[console_scripts]\n{plugin.SFPI_INSTALLER} = ttxla_tools.install_sfpi:main\n"
        ),
        files={
            "pjrt_plugin_tt/tt-metal/tt_metal/sfpi-version": sfpi_file.encode(),
            "jax_plugin_tt/__init__.py": b"def initialize():\n    pass\n",
            "ttxla_tools/__init__.py": b"",
            "ttxla_tools/install_sfpi.py": INSTALL_SFPI.encode(),
        },
    )


def build_wheelhouse(out: Path, packages: dict[str, str] | None = None) -> Path:
    for name, version in (packages or FAKE_PACKAGES).items():
        if name == plugin.PLUGIN:
            build_plugin_wheel(out, version)
        else:
            build_wheel(out, name, version)
    return out


def _link(wheel: Path) -> str:
    """An anchor as PyPI and devpi write it: the wheel's Requires-Python when it has one, and its
    METADATA served beside it (PEP 658), which the install reads before resolving."""
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        data = zf.read(meta)
    wheel.with_name(wheel.name + ".metadata").write_bytes(data)
    found = re.search(r"^Requires-Python: (.+)$", data.decode(), re.M)
    extra = f' data-requires-python="{html.escape(found.group(1))}"' if found else ""
    digest = hashlib.sha256(data).hexdigest()
    extra += f' data-dist-info-metadata="sha256={digest}" data-core-metadata="sha256={digest}"'
    return f'<a href="{wheel.name}"{extra}>{wheel.name}</a>\n'


def build_simple_index(root: Path, wheelhouse: Path) -> Path:
    """PEP 503 layout: root/simple/<project>/index.html linking the wheels."""
    simple = root / "simple"
    for wheel in sorted(wheelhouse.glob("*.whl")):
        project = wheel.name.split("-")[0].replace("_", "-").lower()
        folder = simple / project
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / wheel.name
        target.write_bytes(wheel.read_bytes())
        links = "".join(_link(w) for w in sorted(folder.glob("*.whl")))
        (folder / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    projects = "".join(f'<a href="{p.name}/">{p.name}</a>\n' for p in sorted(simple.iterdir()))
    (simple / "index.html").write_text(f"<html><body>\n{projects}</body></html>\n")
    return simple


@contextmanager
def serve_index(root: Path, delay_s: float = 0.0) -> Iterator[str]:
    """Serve root on 127.0.0.1; wheel downloads wait delay_s (to catch an install mid-way)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            if self.path.endswith(".whl") and delay_s:
                time.sleep(delay_s)
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
