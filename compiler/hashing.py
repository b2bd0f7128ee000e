"""Content hashes of files and folders, shared by the build's fingerprint and the PDF section cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def file_sha(path: Path) -> str:
    """sha256 of a file, read in chunks (a large model never sits in memory whole); '' when unreadable."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return ""


def tree_hash(root: Path, skip: Path | None = None) -> str:
    """Hash of every regular file under ``root`` (paths and bytes), skipping ``skip`` and caches."""
    h = hashlib.sha256()
    if not root.is_dir():
        return ""
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not n.startswith(".") and n != "__pycache__"
                             and (skip is None or (d / n).resolve() != skip))
        for name in sorted(filenames):
            p = d / name
            if p.is_symlink() or not p.is_file() or name.endswith(".pyc"):
                continue
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(file_sha(p).encode() + b"\n")
    return h.hexdigest()
