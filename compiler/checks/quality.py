"""The quality plan as a check: inspection overrides and AQLs that cannot apply are findings (TP106, TP013).

The plan is made here, once, so ``check`` reports what ``build`` would, and every
quality renderer reads the same plan from the context.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..quality.plan import make_plan
from .context import Context


def check(ctx: Context, diags: Diagnostics) -> None:
    ctx.quality_plan = make_plan(ctx)
    for f in ctx.quality_plan.findings:
        diags.add(f.code, f.message, f.loc, subject=f.subject)
