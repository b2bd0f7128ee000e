"""Many parts' sheets at once: each part's layout is independent, so they are laid out over the machine's cores.

A part's sheet is plain data (:class:`~techpack.drawings.model.Sheet`), a function of the compiled spec and the
part's geometry alone, so forked workers (each inherits the compilation) lay parts out and send the sheets back
pickled; the parent stores them in ``comp.sheets`` in the spec's part order.  The bytes are those of a serial
run: the same function makes each sheet, and nothing it reads is shared between parts.  ``TECHPACK_JOBS=1``
(or a build's ``jobs=1``) keeps it serial, as do a single part to lay out and a daemonic process (one that
may not fork workers of its own).
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING

from ..schedule import build_jobs, pool_worker

if TYPE_CHECKING:
    from ..engine import Compilation
    from ..schema.spec import Part

MIN_PARALLEL = 4  # fewer parts than this: forking the workers costs about what it saves

_COMP: "Compilation | None" = None  # the compilation the forked workers inherit


def _lay_out(number: str):
    from .sheet import make_sheet  # noqa: PLC0415

    comp = _COMP
    part = next(p for p in comp.loaded.spec.parts if p.number == number)
    return number, make_sheet(comp, part)


def make_sheets(comp: "Compilation", parts: list["Part"]) -> None:
    """The sheets of ``parts`` not made yet, into ``comp.sheets`` (in ``parts`` order)."""
    from .sheet import make_sheet  # noqa: PLC0415

    todo = [p for p in parts if p.number not in comp.sheets]
    workers = min(build_jobs(comp), len(todo))
    if workers <= 1 or len(todo) < MIN_PARALLEL or multiprocessing.current_process().daemon:
        for part in todo:
            comp.sheets[part.number] = make_sheet(comp, part)
        return
    global _COMP
    _COMP = comp
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=pool_worker) as pool:
            made = dict(pool.imap_unordered(_lay_out, [p.number for p in todo]))
    finally:
        _COMP = None
    for part in todo:
        comp.sheets[part.number] = made[part.number]
