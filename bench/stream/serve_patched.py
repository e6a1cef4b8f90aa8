"""Start the real server with its workloads folder swapped for the one named in argv[1].

The only change from `tt-lessons serve` is `services.WORKLOADS_DIR`, set before the server is
built; runner, sink, serialisation and the pygls transport are the shipped code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tt_lessons import services
from tt_lessons.server import serve

if __name__ == "__main__":
    services.WORKLOADS_DIR = Path(sys.argv[1])  # type: ignore[attr-defined]
    serve()
