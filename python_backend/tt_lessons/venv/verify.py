"""The last step of an install or repair: does the venv's Python start, and does its
site-packages hold every package asked for?

The interpreter is asked only where its site-packages are (`site` has run by the time `-c` does,
so that costs nothing beyond its start); the versions are then read here from the `.dist-info`
folder names there, as `status` reads them. Importing `importlib.metadata` in the child to ask
each package cost four fifths of this step, for the same answer.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BackendError
from ..protocol import ErrorCode
from ..runner import capture
from ..version_spec import normalize
from .environment import child_env
from .layout import VenvLayout
from .resolver import ALSO_REPORTED
from .status import dist_versions

_SITES = "import site; print('\\n'.join(site.getsitepackages()))"


async def verify(layout: VenvLayout, packages: list[str]) -> dict[str, str]:
    """Normalized name -> version of the packages asked for (and the ones status reports)."""
    code, out, err = await capture([str(layout.python), "-I", "-c", _SITES], env=child_env())
    if code != 0:
        raise BackendError(
            ErrorCode.INSTALL_FAILED,
            f"The venv's Python failed: {err.strip()[-300:]}",
            ["Run install again to repair the venv."],
        )
    found = dist_versions([Path(line) for line in out.splitlines() if line.strip()])
    asked = [*packages, *(name for name in ALSO_REPORTED if name not in packages)]
    missing = [name for name in packages if normalize(name) not in found]
    if missing:
        raise BackendError(
            ErrorCode.INSTALL_FAILED,
            f"Installed, yet missing: {', '.join(missing)}.",
            ["Run install again to repair the venv."],
        )
    return {normalize(name): found[normalize(name)] for name in asked if normalize(name) in found}
