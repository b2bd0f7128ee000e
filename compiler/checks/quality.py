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
    _label_texts(ctx, diags)


def _label_texts(ctx: Context, diags: Diagnostics) -> None:
    """TP412: names and pack descriptions longer than a label shows (they are shortened there)."""
    from ..quality.labels import text_capacity  # noqa: PLC0415

    spec = ctx.spec
    pack = spec.packaging
    cap = text_capacity(pack.label.size if pack is not None else None)
    size = (pack.label.size if pack is not None and pack.label.size else "100 x 50 mm")
    texts = [(spec.product.name, spec.product, "name", spec.product.number)]
    texts += [(p.name, p, "name", p.number) for p in spec.parts]
    if pack is not None:
        texts += [(f"Unit pack: {pack.unit_pack}", pack, "unit_pack", spec.product.number)]
    for text, owner, key, subject in texts:
        if len(text) > cap:
            diags.add("TP412", f"{len(text):,} characters do not fit a {size} label (about {cap}); the label "
                      "shows the start of it, ending in …", owner.loc(key), subject=subject)
