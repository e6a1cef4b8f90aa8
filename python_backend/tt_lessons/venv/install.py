"""Create or repair the managed venv and install TT-XLA into it in one resolver call.

Order matters for honesty: the manifest says `incomplete` before anything is touched and says
`ready` only after every step passed, so a crash, a kill or a cancel at any point leaves a venv
that `status` reports as incomplete and the next install repairs.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from typing import Literal

from .. import plugin
from ..errors import BackendError, open_settings_action
from ..protocol import (
    ErrorCode,
    InstallParams,
    InstallResult,
    Manifest,
    PluginSource,
    SfpiInfo,
    VenvState,
)
from ..run_sink import RunSink
from ..runner import run_child
from . import checks, choose_python, manifest, prefetch, sfpi, wheelhouse_pin
from .choose_python import Choice
from .environment import child_env
from .install_errors import classify_failure
from .interpreters import Interpreter
from .layout import VenvLayout
from .lock import venv_lock
from .resolver import (
    find_uv,
    install_argv,
    reported_packages,
    requested_packages,
    url_dependencies,
    wheelhouse_has_plugin,
)
from .status import venv_state
from .verify import verify

PLUGIN = plugin.PLUGIN
STEPS = (
    "Check prerequisites",
    "Create virtual environment",
    "Install packages",
    "Verify",
    "Finish",
)


async def _prepare_index(params: InstallParams, sink: RunSink) -> bool:
    """Whether to pass the TT index; raise the clear error when it is needed and unreachable."""
    if params.cpu_only:
        return False
    reason = await checks.index_unreachable_reason(params.index_url)
    if reason is None:
        return True
    if wheelhouse_has_plugin(params.wheelhouse):
        sink.log(f"Index {params.index_url} unreachable ({reason}); using the wheelhouse's plugin.")
        return False
    raise checks.index_unreachable_error(params.index_url, reason)


async def _create(
    layout: VenvLayout,
    base: Interpreter,
    uv: str | None,
    sink: RunSink,
    params: InstallParams,
) -> None:
    if uv:
        argv = [uv, "venv", "--allow-existing", "--python", base.path, str(layout.root)]
    else:
        argv = [base.path, "-m", "venv", str(layout.root)]
    code = await run_child(
        argv, sink, env=child_env(), timeout_s=params.timeout_s, parse_events=False
    )
    if code != 0:
        raise classify_failure(list(sink.tail), "creating the venv", code)


def _check_venv_module(python: Interpreter, uv: str | None) -> None:
    """pip's path needs `venv` + `ensurepip` (Debian ships them separately); uv does not."""
    if uv is None and not python.has_venv:
        minor = f"{python.version[0]}.{python.version[1]}"
        raise BackendError(
            ErrorCode.VENV_MODULE_MISSING,
            f"{python.path} has no working `venv` module (ensurepip is missing).",
            [
                f"On Debian/Ubuntu: sudo apt install python{minor}-venv",
                "Or install uv: pip install uv",
            ],
        )


def _wrong_python(layout: VenvLayout, python: Interpreter) -> str | None:
    """Why an existing venv cannot be reused with this interpreter (a rebuild, never a patch)."""
    have = layout.python_version()
    want = f"{python.version[0]}.{python.version[1]}"
    if have is None or have == want or have.startswith(want + "."):
        return None
    return f"{layout.root} runs Python {have}; the new venv needs Python {python.version_text}."


async def _check_sfpi(layout: VenvLayout, sink: RunSink) -> SfpiInfo:
    found = await sfpi.info(layout.site_packages(), layout.python.parent)
    if found.fix is not None:
        sink.log(f"Warning: {found.message} Run {plugin.SFPI_INSTALLER} (it uses sudo).")
    elif found.state == "ok":
        sink.log(found.message)
    return found


async def _prerequisites(
    params: InstallParams, layout: VenvLayout, sink: RunSink
) -> tuple[str | None, Choice, bool]:
    """Everything that can fail before a byte is written: (uv, interpreter choice, use index)."""
    uv = find_uv() if params.use_uv else None
    choice = await choose_python.choose(params, uv, sink)
    _check_venv_module(choice.python, uv)
    wheelhouse_pin.check(params, choice.python, choice.pin_jax)
    checks.check_writable(layout.root)
    checks.check_disk(layout.root, checks.min_free_mb(params.cpu_only))
    use_index = await _prepare_index(params, sink)
    return uv, choice, use_index


def _refuse_external(params: InstallParams) -> None:
    if params.external_env:
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"The lesson runs in {params.external_env}, an environment you manage; tt-lessons "
            "never installs into it, repairs it or deletes it.",
            [
                "Install what it lacks there yourself (e.g. pip install flax transformers).",
                "Or clear tenstorrent.ttXla.externalEnvironment (--external-env) to use the venv "
                "tt-lessons manages.",
            ],
            [open_settings_action("externalEnvironment")],
        )


async def install(params: InstallParams, sink: RunSink) -> InstallResult:
    _refuse_external(params)
    checks.validate_index_url(params.index_url)
    layout = VenvLayout.at(params.venv)
    with venv_lock(layout):
        sink.progress(1, len(STEPS), STEPS[0])
        state, _ = venv_state(layout)
        if state is VenvState.FOREIGN and not params.force:
            raise BackendError(
                ErrorCode.FOREIGN_VENV,
                f"{layout.root} already exists and was not made by tt-lessons; it was left as is.",
                [
                    "Choose another venv folder (tenstorrent.ttXla.venvPath or --venv).",
                    "Or let tt-lessons replace it: tt-lessons install --force.",
                ],
            )
        uv, choice, use_index = await _prerequisites(params, layout, sink)
        python = choice.python
        tool: Literal["uv", "pip"] = "uv" if uv else "pip"
        sink.log(f"Python {python.version_text} at {python.path}; installer: {tool}")

        try:
            sink.progress(2, len(STEPS), STEPS[1])
            wrong = _wrong_python(layout, python) if state is not VenvState.FOREIGN else None
            if state is VenvState.FOREIGN or wrong:
                sink.log(
                    wrong + " Rebuilding it." if wrong else f"Replacing {layout.root} (--force)."
                )
                await asyncio.to_thread(shutil.rmtree, layout.root)
            repaired = state in (VenvState.READY, VenvState.INCOMPLETE)
            source = PluginSource(
                index_url=None if params.cpu_only else params.index_url,
                wheelhouse=params.wheelhouse,
                pre=params.pre,
                cpu_only=params.cpu_only,
                offline=params.offline,
            )
            manifest.write(
                layout,
                Manifest(
                    state="incomplete",
                    note="Install in progress.",
                    installer=tool,
                    base_python=python.path,
                    source=source,
                    updated_at=manifest.now(),
                ),
            )
            if not layout.python.exists():
                await _create(layout, python, uv, sink, params)

            sink.progress(3, len(STEPS), STEPS[2])
            python_tag = f"cp{python.version[0]}{python.version[1]}"
            deps = await url_dependencies(params, layout, uv, use_index, python_tag)
            if deps.plugin_version:
                sink.log(f"The index offers {PLUGIN} {deps.plugin_version} for {python_tag}.")
            if uv is not None and prefetch.applies(params, uv):
                argv = await prefetch.prefetch(
                    params,
                    layout,
                    uv,
                    use_index,
                    choice.pin_jax,
                    deps,
                    (python.version[0], python.version[1]),
                    sink,
                )
            else:
                argv = install_argv(params, layout, uv, use_index, choice.pin_jax, deps)
            sink.log("$ " + " ".join(argv))
            code = await run_child(
                argv,
                sink,
                env=child_env(params.offline),
                timeout_s=params.timeout_s,
                parse_events=False,
            )
            if code != 0:
                raise classify_failure(list(sink.tail), tool, code)

            sink.progress(4, len(STEPS), STEPS[3])
            versions = await verify(
                layout, reported_packages(requested_packages(params, choice.pin_jax))
            )
            sfpi_info = None if params.cpu_only else await _check_sfpi(layout, sink)

            sink.progress(5, len(STEPS), STEPS[4])
            manifest.write(
                layout,
                Manifest(
                    state="ready",
                    python_version=layout.python_version(),
                    base_python=python.path,
                    installer=tool,
                    packages=versions,
                    source=source,
                    updated_at=manifest.now(),
                ),
            )
        except BaseException as exc:
            reason = "cancelled" if isinstance(exc, asyncio.CancelledError) else str(exc)[:300]
            # On a full disk this write can fail as well; the original error is the one to report,
            # and the manifest has said `incomplete` since before anything was touched.
            if layout.exists():
                with contextlib.suppress(OSError):
                    manifest.mark_incomplete(layout, f"Install did not finish ({reason}).")
            raise
    sink.log(f"Ready: {layout.root}")
    return InstallResult(
        venv=str(layout.root),
        installer=tool,
        packages=versions,
        cpu_only=params.cpu_only,
        repaired=repaired,
        python=python.path,
        python_version=python.version_text,
        jax_pinned=choice.pin_jax or not params.cpu_only,
        note=choice.note,
        sfpi=sfpi_info,
    )
