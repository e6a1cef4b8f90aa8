"""Doctor's probe: what the venv's Python sees, printed as one JSON object on the last line.

It only gathers facts (installed versions, what pjrt-plugin-tt requires, whether its modules
import, which devices JAX reports and what JAX logged while finding them); the backend's doctor
turns them into findings. Every failure is caught and reported as text, because the failure
text itself (for example "undefined symbol: ...") is what the doctor needs to read.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import json
import logging
import platform
import sys
import traceback
import warnings
from typing import Any

PLUGIN_DIST = "pjrt-plugin-tt"
# The wheel ships the runtime package and a thin JAX wrapper that its entry point names.
PLUGIN_MODULES = ("pjrt_plugin_tt",)


class Collect(logging.Handler):
    """Keeps what JAX logs while it loads plugins and backends (failures are logged, not raised)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.name.startswith("jax"):
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text += f" ({describe_chain(record.exc_info[1])})"
            self.lines.append(f"{record.levelname} {record.name}: {text}")


def describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def describe_chain(exc: BaseException) -> str:
    """The exception and what caused it: a plugin may wrap the loader's "undefined symbol"."""
    parts: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(parts) < 5:
        parts.append(describe(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return " <- ".join(parts)


def version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def plugin_modules() -> list[str]:
    names = list(PLUGIN_MODULES)
    for entry in metadata.entry_points(group="jax_plugins"):
        module = entry.value.split(":")[0].strip()
        if module not in names:
            names.append(module)
    return names


def try_imports(names: list[str]) -> dict[str, str | None]:
    """Module -> None when it imports, else the exception as Python prints it."""
    found: dict[str, str | None] = {}
    for name in names:
        try:
            importlib.import_module(name)
            found[name] = None
        except BaseException as exc:  # an ImportError, or a crash inside the plugin's init
            found[name] = describe(exc)
    return found


def probe_jax(report: dict[str, Any]) -> None:
    try:
        import jax
    except BaseException as exc:
        report["jax_error"] = describe(exc)
        return
    try:
        devices = jax.devices()
        report["default_backend"] = jax.default_backend()
    except BaseException as exc:
        report["devices_error"] = describe(exc)
        return
    report["devices"] = [
        {"id": int(d.id), "platform": str(d.platform), "kind": str(getattr(d, "device_kind", ""))}
        for d in devices
    ]


def main(packages: list[str]) -> None:
    """`packages`: whose versions to report (the backend passes protocol.REPORTED_PACKAGES)."""
    collect = Collect()
    logging.getLogger().addHandler(collect)
    logging.getLogger("jax._src.xla_bridge").setLevel(logging.INFO)
    installed = {name: version(name) for name in packages}
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "packages": installed,
        "plugin_requires": None,
        "imports": {},
        "jax_error": None,
        "devices_error": None,
        "devices": [],
        "default_backend": None,
        "log": [],
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if installed.get(PLUGIN_DIST) is not None:
            report["plugin_requires"] = metadata.requires(PLUGIN_DIST) or []
            report["imports"] = try_imports(plugin_modules())
        probe_jax(report)
    report["log"] = collect.lines + [f"warning: {w.message}" for w in caught]
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
