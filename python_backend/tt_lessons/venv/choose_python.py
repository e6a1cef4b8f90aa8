"""Pick the interpreter a venv is made from, before anything on disk is touched.

With the plugin: the Python its wheels accept (python_spec), in this order: the configured one,
one already on the machine, a uv-managed CPython (when downloads are allowed). None of them:
a clear error, and nothing changed. CPU-only rehearses the real stack: the plugin's jax pin on
a Python the plugin accepts when there is one; otherwise it says what it does instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import plugin
from ..protocol import InstallParams
from ..run_sink import RunSink
from . import interpreters, python_spec
from .interpreters import Interpreter, Search
from .python_spec import PythonRequirement

# jax 0.7.1 itself needs Python >= 3.11 (its Requires-Python); older ones get the newest jax.
PIN_MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Choice:
    python: Interpreter
    requirement: PythonRequirement | None  # what the plugin accepts; None: not asked
    pin_jax: bool  # CPU-only: install the plugin's jax/jaxlib pin
    note: str | None = None  # said in the result when the choice is not the rehearsal asked for


async def _accepted(
    requirement: PythonRequirement,
    base: Interpreter,
    uv: str | None,
    sink: RunSink,
    params: InstallParams,
    *,
    may_download: bool,
) -> tuple[Interpreter | None, Search, bool]:
    """(interpreter or None, what was tried, whether a download was tried and failed)."""
    search = Search()
    if requirement.accepts(base.version):
        return base, search, False
    search.note(base.path, f"Python {base.version_text}, the configured one")
    found = await interpreters.find_accepted(requirement, uv, search)
    if found:
        sink.log(
            f"{base.path} is Python {base.version_text}; pjrt-plugin-tt needs "
            f"{requirement.describe()}, so the venv is made from {found.path} "
            f"(Python {found.version_text})."
        )
        return found, search, False
    minor = requirement.wanted_minor()
    if uv and minor and may_download and params.python_download and not params.offline:
        sink.log(
            f"No Python {minor} on this machine; downloading a managed CPython {minor} with uv."
        )
        found = await interpreters.download(minor, uv, sink, params.timeout_s)
        return found, search, found is None
    return None, search, False


async def choose(params: InstallParams, uv: str | None, sink: RunSink) -> Choice:
    base = await interpreters.configured(params.python)
    if params.cpu_only and params.latest_jax:
        return Choice(base, None, pin_jax=False)
    if params.cpu_only:
        requirement = python_spec.KNOWN
        # Preferred, not required: a laptop without 3.12 still gets a CPU venv, and no download.
        found, _, _ = await _accepted(requirement, base, uv, sink, params, may_download=False)
        if found:
            return Choice(found, requirement, pin_jax=True)
        if base.version[:2] >= PIN_MIN_PYTHON:
            note = (
                f"No Python {requirement.describe()} was found; the CPU-only venv uses Python "
                f"{base.version_text} with the plugin's jax pin."
            )
            sink.log(note)
            return Choice(base, requirement, pin_jax=True, note=note)
        note = (
            f"Python {base.version_text} cannot run the plugin's jax {plugin.JAX_VERSION}"
            " pin; the CPU-only venv gets the newest jax this Python can run instead."
        )
        sink.log(note)
        return Choice(base, requirement, pin_jax=False, note=note)
    requirement = await python_spec.plugin_requirement(
        params.index_url, params.wheelhouse, params.pre
    )
    sink.log(f"pjrt-plugin-tt accepts Python {requirement.describe()} (from {requirement.source}).")
    found, search, download_failed = await _accepted(
        requirement, base, uv, sink, params, may_download=True
    )
    if found is None:
        raise interpreters.none_fits_error(
            requirement,
            search,
            uv=uv,
            download_refused=not params.python_download or params.offline,
            download_failed=download_failed,
        )
    return Choice(found, requirement, pin_jax=False)
