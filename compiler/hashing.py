"""Content hashes of files and folders, shared by the build's fingerprint and the render caches."""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import resources
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def file_sha(path: Path) -> str:
    """sha256 of a file, read in chunks (a large model never sits in memory whole); '' when unreadable."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return ""


def source_sha(function) -> str:
    """sha256 of a function's source ('' when it has none to read): what a patch of a library's function checks
    before it replaces or wraps it (:mod:`techpack.svgtext`, :mod:`techpack.tableborders`,
    :mod:`techpack.stylecascade`)."""
    import inspect  # noqa: PLC0415 - only the render processes ask

    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
    except (OSError, TypeError):
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


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """techpack's own code: a change to any module re-renders everything it could touch."""
    return tree_hash(PACKAGE)


@functools.lru_cache(maxsize=1)
def templates_hash() -> str:
    """The shipped templates, style sheets and fonts."""
    return tree_hash(Path(str(resources.files("techpack.templates"))))


@functools.lru_cache(maxsize=1)
def output_basis() -> str:
    """What every cached rendering (a PDF section, a drawing's layout) depends on besides its own input:
    techpack's code, its templates and the versions of the libraries that shape output bytes."""
    from . import versions  # noqa: PLC0415

    return hashlib.sha256((versions.fingerprint_text() + templates_hash() + code_hash()).encode()).hexdigest()
