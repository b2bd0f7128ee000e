"""Measure every cadquery model named on the command line in ONE process; print {name: facts} as JSON.

The binding corpus has two dozen small parts: one geometry worker each (a sandbox and a
cadquery import per part) would take minutes, so the test runs this once, with the
worker's own loader and measurement (``techpack.geometry.worker``), unconfined: the
models are the test's own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> None:
    import cadquery as cq

    from techpack.geometry import worker

    out = {}
    for p in paths:
        path = Path(p).resolve()
        shape = worker._load_cadquery(cq, str(path), path.read_bytes())
        out[path.stem] = worker.measure(shape)
    sys.stdout.write(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
