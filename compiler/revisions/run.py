"""``techpack diff`` as a library call: open both sides, compile, diff, report."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from . import EXIT_CHANGED, EXIT_SAME
from ..gcpause import gc_paused
from .model import ChangeSet, diff
from .sides import open_side
from .snapshot import snapshot


def compare(old: str, new: str | None, *, git_rev: str | None = None, geometry: bool = True,
            capability: list[Path] | None = None, stack: ExitStack | None = None) -> ChangeSet:
    """Diff OLD against NEW; with ``git_rev`` and no NEW, OLD's path at that git revision against OLD itself.

    Temporary folders of git revisions and packs live as long as ``stack`` (closed here when not given).
    Raises :class:`~.sides.SideError` when a side cannot be read.
    """
    own = stack is None
    stack = stack or ExitStack()
    try:
        if git_rev is not None and new is None:
            a, b = stack.enter_context(open_side(old, git_rev)), stack.enter_context(open_side(old))
        elif git_rev is not None:
            a, b = stack.enter_context(open_side(old, git_rev)), stack.enter_context(open_side(new))
        else:
            a, b = stack.enter_context(open_side(old)), stack.enter_context(open_side(new if new is not None else old))
        old_snap = snapshot(a, geometry=geometry, capability=capability)
        new_snap = snapshot(b, geometry=geometry, capability=capability)
        with gc_paused():
            return diff(old_snap, new_snap)
    finally:
        if own:
            stack.close()


def exit_code(cs: ChangeSet) -> int:
    return EXIT_CHANGED if cs.changed else EXIT_SAME
