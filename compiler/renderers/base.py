"""What a renderer is: a name, the files it will write, and how it writes them.

A renderer declares its targets before anything runs (``targets``), which
gives the manifest, ``--dry-run`` and incremental builds; then ``render``
writes exactly those files through :class:`Output`.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..engine import Compilation


@dataclass(frozen=True)
class Target:
    """One output file.

    ``path`` is relative to the output folder (POSIX separators); ``kind`` is
    the manifest kind (``drawing-dxf``, ``qif``, …); ``depends`` names the
    inputs it is made from: ``spec`` (the whole spec), ``part:<number>`` (one
    part with its material, finish and geometry), ``capability``; the
    templates and techpack's version always count.
    """

    path: str
    kind: str
    depends: tuple[str, ...] = ("spec",)


class Renderer(Protocol):
    name: str

    def targets(self, comp: "Compilation") -> list[Target]:
        """Every file this renderer writes for ``comp``; called before anything is rendered."""

    def render(self, comp: "Compilation", out: "Output", targets: list[Target]) -> None:
        """Write ``targets`` (all of this renderer's, or the subset whose inputs changed)."""

    # Optional: ``prepare(comp, targets)`` runs in the build's own process before any render job forks, for
    # domain results several renderers share (the drawing layouts: sheets and balloon zones); each is
    # then computed once and every job inherits it.


_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_relative(path: str) -> bool:
    """A path every file system can hold and that stays inside the output folder."""
    p = PurePosixPath(path)
    if p.is_absolute() or not p.parts or len(path) > 200:
        return False
    for part in p.parts:
        stem = part.split(".")[0].lower()
        if not _SAFE_PART.match(part) or part.endswith(".") or stem in _RESERVED:
            return False
    return True


class OutputError(Exception):
    """A renderer tried to write a file it did not declare, or twice (a bug in techpack)."""


class Output:
    """The staging folder a build writes into; only declared files, each once."""

    def __init__(self, root: Path, declared: dict[str, Target]):
        self.root = root
        self.declared = declared
        self.written: dict[str, bytes] = {}
        self.written_here: set[str] = set()  # written by this process (a render worker reports these)
        self.notes: dict[str, dict] = {}  # per file: how it was made (a sectioned PDF's rendered/reused sections)

    def note(self, path: str, info: dict) -> None:
        """Record how ``path`` was made, for the build's log (never part of the pack's bytes)."""
        self.notes[path] = info

    def write(self, path: str, data: bytes) -> None:
        if path not in self.declared:
            raise OutputError(f"undeclared output {path!r}")
        if path in self.written:
            raise OutputError(f"output {path!r} written twice")
        if not isinstance(data, (bytes, bytearray)):
            raise OutputError(f"output {path!r} must be bytes")
        dest = self.root / path
        if not self.root.is_dir() or self.root.is_symlink():
            # the staging folder was removed under us: never recreate it (a half pack would follow)
            raise OSError(errno.ESTALE, "the staging folder disappeared during the build", str(self.root))
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "xb") as fh:  # never through an existing file or link
            fh.write(data)
        self.written[path] = bytes(data)
        self.written_here.add(path)

    def adopt(self, path: str) -> None:
        """Take in a file a render worker process wrote into this staging folder."""
        if path not in self.declared:
            raise OutputError(f"undeclared output {path!r}")
        if path in self.written:
            raise OutputError(f"output {path!r} written twice")
        fd = os.open(self.root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            self.written[path] = fh.read()

    def read(self, path: str) -> bytes:
        """A file already written (or kept) in this build, e.g. an SVG drawing for the PDF."""
        if path in self.written:
            return self.written[path]
        raise OutputError(f"output {path!r} has not been written yet (a renderer that reads another's files "
                          "names it in its `reads`)")
