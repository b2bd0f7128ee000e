"""The checks, in the order they run.  Adding a check is one module and one line here.

Each check is a function ``check(ctx: Context, diags: Diagnostics) -> None``.
Waivers are applied after all checks (see :mod:`techpack.checks.waivers`).
"""

from __future__ import annotations

from typing import Callable

from ..diagnostics import Diagnostics
from . import batch, capability, deviations, gdt, glyphs, model, quality, references, rfq, sheetmetal
from .context import Context

Check = Callable[[Context, Diagnostics], None]

CHECKS: dict[str, Check] = {
    "references": references.check,
    "model": model.check,
    "sheetmetal": sheetmetal.check,
    "gdt": gdt.check,
    "rfq": rfq.check,
    "capability": capability.check,
    "batch": batch.check,
    "quality": quality.check,
    "glyphs": glyphs.check,
    "deviations": deviations.check,  # reads the traceability store (compiler/store)
}

__all__ = ["CHECKS", "Check", "Context"]
