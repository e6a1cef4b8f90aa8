"""top-k and top-p filtering (workloads/gpt2_generate.py) on hand-made logits.

The filters are JAX functions, so they run in the CPU venv's interpreter through
tests/fixtures/gpt2_generate_check.py, all cases in one process.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow

CHECK = REPO / "tests" / "fixtures" / "gpt2_generate_check.py"
LOGITS = [1.0, 5.0, 3.0, 4.0, 2.0, -1.0]  # ranked: index 1, 3, 2, 4, 0, 5


def softmax(logits: list[float]) -> list[float]:
    exps = [math.exp(x) for x in logits]
    return [e / sum(exps) for e in exps]


PROBS = softmax(LOGITS)  # by rank: ~0.636, 0.234, 0.086, 0.032, 0.012, 0.0006
TOP2, TOP3 = PROBS[1] + PROBS[3], PROBS[1] + PROBS[3] + PROBS[2]

# (case, indices kept): each p sits just below or just above a cumulative mass, so a filter
# that keeps one candidate too many or too few fails.
CASES: list[tuple[dict[str, Any], list[int]]] = [
    ({"k": 1}, [1]),
    ({"k": 2}, [1, 3]),
    ({"k": 3}, [1, 2, 3]),
    ({"k": 0}, [0, 1, 2, 3, 4, 5]),  # 0: no cut
    ({"k": 6}, [0, 1, 2, 3, 4, 5]),
    ({"k": 50}, [0, 1, 2, 3, 4, 5]),  # more than the vocabulary
    ({"p": 0.1}, [1]),  # the most likely token always stays
    ({"p": PROBS[1] - 1e-3}, [1]),
    ({"p": PROBS[1] + 1e-3}, [1, 3]),
    ({"p": TOP2 - 1e-3}, [1, 3]),
    ({"p": TOP2 + 1e-3}, [1, 2, 3]),
    ({"p": TOP3 + 1e-3}, [1, 2, 3, 4]),
    ({"p": 1.0}, [0, 1, 2, 3, 4, 5]),  # 1: no cut
]


def test_top_k_and_top_p_keep_exactly_the_right_candidates(cpu_venv: Path) -> None:
    cases = [{"logits": LOGITS, **case} for case, _ in CASES]
    done = subprocess.run(
        [str(cpu_venv / "bin" / "python"), str(CHECK), "filters", json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    kept = json.loads(done.stdout.strip().splitlines()[-1])["kept"]
    assert kept == [expected for _, expected in CASES]
