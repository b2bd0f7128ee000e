"""Batch economics and the staged plan (TP501–TP504)."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from .context import Context

SAMPLE_BATCH_RANGE = (10, 20)
MAX_RECORDED_PIECES = 1000
"""The batch record has a column per piece for the sample, PP and top-of-run stages: larger is an error."""


def check(ctx: Context, diags: Diagnostics) -> None:
    prod = ctx.spec.production
    if prod is None:
        return
    subject = ctx.spec.product.number
    if prod.moq is not None and prod.production_quantity is not None and prod.production_quantity < prod.moq:
        diags.add("TP501", f"production quantity {prod.production_quantity} is below the MOQ of {prod.moq}",
                  prod.loc("production_quantity"), subject=subject)
    lo, hi = SAMPLE_BATCH_RANGE
    if prod.sample_batch is None:
        diags.add("TP502", f"no sample batch: plan {lo}-{hi} units before production", prod.loc(), subject=subject)
    elif not lo <= prod.sample_batch <= hi:
        diags.add("TP502", f"sample batch of {prod.sample_batch} units is outside {lo}-{hi}",
                  prod.loc("sample_batch"), subject=subject)
    if prod.pp_sample is None:
        diags.add("TP503", "no pp_sample: approve production parts from bulk material and production tooling "
                  "before the run", prod.loc(), subject=subject)
    elif not (prod.pp_sample.from_bulk_material and prod.pp_sample.production_tooling):
        diags.add("TP503", "the PP sample must come from bulk material on production tooling",
                  prod.loc("pp_sample"), subject=subject)
    _bounds(prod, subject, diags)
    for param in prod.process_parameters:
        if param.min is not None and param.max is not None and param.min > param.max:
            diags.add("TP504", f"process parameter {param.id}: min {param.min} is above max {param.max}",
                      param.loc("min"), subject=f"{subject}/{param.id}")
        if param.nominal is not None and ((param.min is not None and param.nominal < param.min)
                                          or (param.max is not None and param.nominal > param.max)):
            diags.add("TP504", f"process parameter {param.id}: nominal {param.nominal} is outside its limits",
                      param.loc("nominal"), subject=f"{subject}/{param.id}")


def _bounds(prod, subject: str, diags: Diagnostics) -> None:
    """Piece-by-piece stages stay printable; process stage names never take an inspection stage's place."""
    from ..quality.fields import slug  # noqa: PLC0415
    from ..quality.stages import STAGE_BY_KEY  # noqa: PLC0415

    pieces = [("sample_batch", prod.sample_batch, prod.loc("sample_batch"))]
    if prod.pp_sample is not None:
        pieces.append(("pp_sample quantity", prod.pp_sample.quantity, prod.pp_sample.loc("quantity")))
    if prod.inspection is not None:
        pieces.append(("inspection top_units", prod.inspection.top_units, prod.inspection.loc("top_units")))
    for what, n, loc in pieces:
        if n is not None and n > MAX_RECORDED_PIECES:
            diags.add("TP013", f"{what} of {n:,} pieces: every piece gets a column in the batch record; at most "
                      f"{MAX_RECORDED_PIECES:,} (sample the rest with the production inspection)", loc,
                      subject=subject)
    for param in prod.process_parameters:
        key = slug(param.stage)
        if key in STAGE_BY_KEY:
            diags.add("TP013", f"process stage {param.stage!r} has the name of the batch record's inspection stage "
                      f"'{STAGE_BY_KEY[key].title}', whose sign-off row it would replace; name the process stage "
                      "after the work done (e.g. 'final machining')", param.loc("stage"),
                      subject=f"{subject}/{param.id}")
