"""An online uv install in two halves, so its download can be watched: the resolver writes a
PEP 751 lock (the one resolution), every locked file is fetched with byte progress into the
backend's wheel cache, then uv installs exactly those files offline: the lock's versions as
constraints, the plugin's direct-URL dependencies as overrides pointing at the cached files.
"""

from __future__ import annotations

from pathlib import Path

from ..protocol import InstallParams
from ..run_sink import RunSink
from ..runner import run_child
from ..version_spec import normalize
from . import lock_reuse
from .download import cache_dir, download
from .download_log import summary
from .environment import child_env
from .install_errors import classify_failure
from .layout import VenvLayout, state_home
from .lockfile import LockedFile, Target, read_locked_files
from .resolver import UrlDeps, index_args, requested_packages

LOCK_NAME = "pylock.tt-lessons.toml"  # uv insists on this shape of name


def applies(params: InstallParams, uv: str | None) -> bool:
    """Online uv installs; a wheelhouse or --offline install has nothing to download."""
    return uv is not None and not params.offline and not params.wheelhouse


async def lock(
    params: InstallParams,
    layout: VenvLayout,
    uv: str,
    use_index: bool,
    packages: list[str],
    deps: UrlDeps,
    sink: RunSink,
) -> Path:
    """`uv pip compile` with the install's own inputs, for the venv's Python; returns the lock."""
    wanted = layout.root / ".tt-lessons-requirements.in"
    wanted.write_text("\n".join(packages) + "\n", encoding="utf-8")
    out = layout.root / LOCK_NAME
    flags = [a for a in index_args(params, use_index, True) if a != "--reinstall"]
    overrides = ["--override", str(deps.override_file)] if deps.override_file else []
    override_text = deps.override_file.read_text(encoding="utf-8") if deps.override_file else ""
    key = lock_reuse.request_key(layout.python, flags, packages, override_text)
    store = state_home() / "locks"
    reused = lock_reuse.reusable(out, key, store)
    if reused:
        sink.log(f"Resolving skipped: {reused}.")
        return out
    argv = [uv, "pip", "compile", "--format", "pylock.toml", "--python", str(layout.python)]
    argv += [*flags, *overrides, str(wanted), "-o", str(out)]
    sink.log("$ " + " ".join(argv))
    lock_reuse.forget(out)
    code = await run_child(
        argv, sink, env=child_env(False), timeout_s=params.timeout_s, parse_events=False
    )
    if code != 0:
        raise classify_failure(list(sink.tail), "uv", code)
    lock_reuse.remember(out, key, store)
    return out


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


def direct_files(override_file: Path | None) -> list[LockedFile]:
    """The plugin's direct-URL wheels (http(s) lines without a marker), fetched before locking:
    the resolver then reads them from the cache instead of downloading them a first time."""
    if override_file is None:
        return []
    found = []
    for line in override_file.read_text(encoding="utf-8").splitlines():
        requirement, _, marker = line.partition(";")
        if "@" not in requirement or marker.strip():
            continue
        name, url = (part.strip() for part in requirement.split("@", 1))
        if not url.startswith(("http://", "https://")):
            continue
        url, _, fragment = url.partition("#")
        sha = fragment.removeprefix("sha256=") if fragment.startswith("sha256=") else None
        found.append(LockedFile(normalize(name), "", url, sha, None, direct=True))
    return found


def _local_overrides(deps: UrlDeps, fetched: list[LockedFile], cache: Path) -> UrlDeps:
    """The override lines with each fetched wheel's URL replaced by its file in the cache."""
    assert deps.override_file is not None
    local = {f.url: (cache / f.filename).as_uri() for f in fetched}
    lines = []
    for line in deps.override_file.read_text(encoding="utf-8").splitlines():
        for url, uri in local.items():
            if f"@ {url}" in line or f"@{url}" in line:
                line = f"{line.split('@', 1)[0].strip()} @ {uri}"
        lines.append(line)
    path = deps.override_file.with_name(".tt-lessons-fetched-overrides.txt")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return UrlDeps(override_file=path, plugin_version=deps.plugin_version)


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
    """Download the direct-URL wheels, lock, download the rest (one running count), and return
    the offline install's command line."""
    packages = requested_packages(params, pin_jax, deps.plugin_version)
    cache = cache_dir()
    first = direct_files(deps.override_file)
    carried = await download(first, sink, cache) if first else None
    if first:
        deps = _local_overrides(deps, first, cache)
    locked = await lock(params, layout, uv, use_index, packages, deps, sink)
    try:
        files = read_locked_files(locked, Target.here(python))
    except ValueError as exc:
        raise classify_failure([str(exc)], "uv", 1) from exc
    done = {f.filename for f in first}
    rest = [f for f in files if f.filename not in done]
    tally = await download(rest, sink, cache, carried)
    sink.log(summary(tally, cache))
    return offline_argv(params, layout, uv, packages, files, cache)
