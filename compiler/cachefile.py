"""Cache entries on disk: written whole or not at all, read back or missed, never an error.

Every cache techpack keeps (geometry facts, views, STEP models and flat patterns, drawing layouts, PDF
sections) is a folder of files named by a content key. :func:`write` puts the bytes in a temporary file
beside the entry and renames it over the entry (``os.replace``), so a reader sees the old entry, the new one
or none, never half of one, even with builds running side by side. A read-only, full or missing cache folder
only means no entry: the caller already has its answer, and computes it again next time.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write(path: Path, data: bytes) -> bool:
    """Store ``data`` as ``path`` atomically; False (and nothing left behind) when the file system refuses."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True


def read(path: Path) -> bytes | None:
    """The bytes stored as ``path``, or None when there is no such entry or it cannot be read."""
    try:
        return path.read_bytes()
    except OSError:
        return None
