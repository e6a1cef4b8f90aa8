"""What every `tt-lessons` start pays: importing the CLI builds no model validator up front."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json
import tt_lessons.cli  # noqa: F401
from tt_lessons.protocol import Model

def walk(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from walk(sub)

built = sorted({m.__name__ for m in walk(Model) if m.__pydantic_complete__})
print(json.dumps({"models": len(set(walk(Model))), "built": built}))
"""


def test_importing_the_cli_builds_no_model() -> None:
    # A fresh interpreter: this test process has long since used (built) most models.
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout)
    assert seen["models"] > 50  # the probe did find the protocol's models
    assert seen["built"] == []


def test_a_deferred_model_still_validates_and_serializes() -> None:
    from tt_lessons.protocol.cells import ExportNotebookParams

    params = ExportNotebookParams.model_validate({"lessonId": "tt-xla-jax", "path": "/tmp/x.ipynb"})
    assert params.lesson_id == "tt-xla-jax"
    assert json.loads(params.model_dump_json(by_alias=True))["lessonId"] == "tt-xla-jax"


def test_json_output_never_imports_rich() -> None:
    # rich draws the human output only; a --json run (the benchmark's, a script's) skips its import.
    probe = (
        "import sys\n"
        "from tt_lessons.cli import main\n"
        "code = main(['status', '--json', '--venv', sys.argv[1]])\n"
        "print('rich' in sys.modules, file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, "/nonexistent/tt-venv"], capture_output=True, text=True
    )
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1])  # it did answer, as JSON


def test_human_output_still_draws_with_rich() -> None:
    probe = (
        "import sys\n"
        "from tt_lessons.cli import main\n"
        "main(['status', '--venv', sys.argv[1]])\n"
        "print('rich' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, "/nonexistent/tt-venv"], capture_output=True, text=True
    )
    assert out.stderr.strip().splitlines()[-1] == "True", out.stderr
    assert "venv" in out.stdout and "missing" in out.stdout
