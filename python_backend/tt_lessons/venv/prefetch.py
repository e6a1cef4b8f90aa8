"""An online uv install in two halves, so its download can be watched: the resolver writes a
PEP 751 lock (the one resolution), every locked file is fetched with byte progress into the
backend's wheel cache, then uv installs exactly those files offline: the lock's versions as
constraints, the plugin's direct-URL dependencies as overrides pointing at the cached files.

Python 3.10 has no `tomllib` to read the lock; there the resolver downloads by itself as before.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..protocol import InstallParams
from ..run_sink import RunSink
from ..runner import run_child
from .download import cache_dir, download
from .download_log import summary
from .environment import child_env
from .install_errors import classify_failure
from .layout import VenvLayout
from .lockfile import LockedFile, Target, locked_files
from .resolver import UrlDeps, index_args, requested_packages

LOCK_NAME = "pylock.tt-lessons.toml"  # uv insists on this shape of name


def applies(params: InstallParams, uv: str | None) -> bool:
    """Online uv installs; a wheelhouse or --offline install has nothing to download."""
    return (
        uv is not None
        and not params.offline
        and not params.wheelhouse
        and sys.version_info >= (3, 11)
    )


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # 3.11+, checked by applies()

    return tomllib.loads(path.read_text(encoding="utf-8"))


async def lock(
    params: InstallParams,
    layout: VenvLayout,
    uv: str,
    use_index: bool,
    packages: list[str],
    deps: UrlDeps,
    sink: RunSink,
) -> dict[str, Any]:
    """`uv pip compile` with the install's own inputs, for the venv's interpreter."""
    wanted = layout.root / ".tt-lessons-requirements.in"
    wanted.write_text("\n".join(packages) + "\n", encoding="utf-8")
    out = layout.root / LOCK_NAME
    flags = [a for a in index_args(params, use_index, True) if a != "--reinstall"]
    overrides = ["--override", str(deps.override_file)] if deps.override_file else []
    argv = [uv, "pip", "compile", "--format", "pylock.toml", "--python", str(layout.python)]
    argv += [*flags, *overrides, str(wanted), "-o", str(out)]
    sink.log("$ " + " ".join(argv))
    code = await run_child(
        argv, sink, env=child_env(False), timeout_s=params.timeout_s, parse_events=False
    )
    if code != 0:
        raise classify_failure(list(sink.tail), "uv", code)
    return _read_toml(out)


def offline_argv(
    params: InstallParams,
    layout: VenvLayout,
    uv: str,
    packages: list[str],
    files: list[LockedFile],
    cache: Path,
) -> list[str]:
    """Install exactly the locked files from the cache, without the network."""
    constraints = layout.root / ".tt-lessons-constraints.txt"
    constraints.write_text(
        "".join(f"{f.name}=={f.version}\n" for f in files if not f.direct), encoding="utf-8"
    )
    overrides = layout.root / ".tt-lessons-local-overrides.txt"
    overrides.write_text(
        "".join(f"{f.name} @ {(cache / f.filename).as_uri()}\n" for f in files if f.direct),
        encoding="utf-8",
    )
    flags = ["--prerelease", "allow"] if params.pre else []
    flags += ["--reinstall"] if params.reinstall else []
    return [
        uv,
        "pip",
        "install",
        "--python",
        str(layout.python),
        "--offline",
        "--no-index",
        "--find-links",
        str(cache),
        "--constraint",
        str(constraints),
        "--override",
        str(overrides),
        *flags,
        *packages,
    ]


async def prefetch(
    params: InstallParams,
    layout: VenvLayout,
    uv: str,
    use_index: bool,
    pin_jax: bool,
    deps: UrlDeps,
    python: tuple[int, int],
    sink: RunSink,
) -> list[str]:
    """Lock, download with progress, and return the offline install's command line."""
    packages = requested_packages(params, pin_jax, deps.plugin_version)
    locked = await lock(params, layout, uv, use_index, packages, deps, sink)
    try:
        files = locked_files(locked, Target.here(python))
    except ValueError as exc:
        raise classify_failure([str(exc)], "uv", 1) from exc
    cache = cache_dir()
    tally = await download(files, sink, cache)
    sink.log(summary(tally, cache))
    return offline_argv(params, layout, uv, packages, files, cache)
