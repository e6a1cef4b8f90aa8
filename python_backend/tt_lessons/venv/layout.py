"""Where things live inside a venv, and in the folder the backend owns."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "tt-lessons-manifest.json"


def state_home() -> Path:
    """Folder the backend owns (locks, compile cache); TT_LESSONS_HOME overrides it."""
    env = os.environ.get("TT_LESSONS_HOME")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")) / "tt-lessons"
    return base.expanduser()


@dataclass(frozen=True)
class VenvLayout:
    root: Path

    @classmethod
    def at(cls, path: str) -> VenvLayout:
        return cls(Path(path).expanduser().absolute())

    @property
    def python(self) -> Path:
        if sys.platform == "win32":
            return self.root / "Scripts" / "python.exe"
        return self.root / "bin" / "python"

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def pyvenv_cfg(self) -> Path:
        return self.root / "pyvenv.cfg"

    @property
    def lock_file(self) -> Path:
        # Resolved, so two spellings of one folder (a symlink, `..`) share one lock.
        digest = hashlib.sha256(str(self.root.resolve()).encode()).hexdigest()[:16]
        return state_home() / "locks" / f"{digest}.lock"

    def site_packages(self) -> list[Path]:
        return sorted(self.root.glob("lib/python3*/site-packages")) + sorted(
            self.root.glob("Lib/site-packages")
        )

    def python_version(self) -> str | None:
        """From pyvenv.cfg, so no interpreter has to start."""
        try:
            text = self.pyvenv_cfg.read_text(encoding="utf-8")
        except OSError:
            return None
        match = re.search(r"^(?:version|version_info)\s*=\s*([0-9.]+)", text, re.MULTILINE)
        return match.group(1) if match else None

    def exists(self) -> bool:
        return self.root.exists()

    def is_empty_dir(self) -> bool:
        return self.root.is_dir() and not any(self.root.iterdir())
