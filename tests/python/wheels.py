"""Builds tiny, real wheels and a PEP 503 simple index so the pip/uv paths run offline in tests."""

from __future__ import annotations

import base64
import hashlib
import http.server
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FAKE_PACKAGES = {
    "pjrt-plugin-tt": "0.9.0",
    "jax": "0.9.1",
    "flax": "0.9.2",
    "transformers": "5.0.0",
    "safetensors": "0.5.0",
    "huggingface-hub": "1.0.0",
    "scikit-learn": "1.5.0",
}


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(out: Path, name: str, version: str, payload: bytes = b"") -> Path:
    """A pure-Python wheel with one module that records its own version (plus optional bulk)."""
    dist = name.replace("-", "_")
    module = dist.lower()
    files = {
        f"{module}/__init__.py": f"__version__ = {version!r}\n".encode(),
        **({f"{module}/bulk.bin": payload} if payload else {}),
        f"{dist}-{version}.dist-info/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        ).encode(),
        f"{dist}-{version}.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: tt-lessons-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    record_name = f"{dist}-{version}.dist-info/RECORD"
    record = "\n".join(_record_line(n, d) for n, d in files.items()) + f"\n{record_name},,\n"
    files[record_name] = record.encode()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for arcname, data in files.items():
            zf.writestr(arcname, data)
    return path


def build_wheelhouse(out: Path, packages: dict[str, str] | None = None) -> Path:
    for name, version in (packages or FAKE_PACKAGES).items():
        build_wheel(out, name, version)
    return out


def build_simple_index(root: Path, wheelhouse: Path) -> Path:
    """PEP 503 layout: root/simple/<project>/index.html linking the wheels."""
    simple = root / "simple"
    for wheel in sorted(wheelhouse.glob("*.whl")):
        project = wheel.name.split("-")[0].replace("_", "-").lower()
        folder = simple / project
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / wheel.name
        target.write_bytes(wheel.read_bytes())
        links = "".join(f'<a href="{w.name}">{w.name}</a>\n' for w in sorted(folder.glob("*.whl")))
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
