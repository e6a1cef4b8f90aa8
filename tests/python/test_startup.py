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
