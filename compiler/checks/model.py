"""Spec vs model: every toleranced feature and dimension of the spec is in the geometry (TP120, TP121).

Catches the classic "the drawing says one thing, the model another" before the
RFQ: a Ø12 H7 bore at X40 Y21 must be a Ø12 cylinder whose axis passes there; a
5 N9 keyway two faces 5 apart facing each other; an 84 ±0.05 bearing span two
faces, edges or axes 84 apart.  The matching itself is
:mod:`techpack.geometry.match`, shared with the drawings.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..geometry.match import match_part
from .context import Context


def check(ctx: Context, diags: Diagnostics) -> None:
    for part in ctx.spec.parts:
        facts = ctx.geometry.get(part.number)
        if facts is None:
            continue  # no geometry, or it did not load (TP110, TP411)
        found = match_part(part, facts)
        for fid in sorted(found.features, key=lambda k: [f.id for f in part.features].index(k)):
            for message, loc in found.features[fid].problems:
                diags.add("TP120", message, loc, subject=f"{part.number}/{fid}")
        for dim in found.unmatched_dims:
            diags.add("TP121", f"{dim.id} {dim.value.text}{' (' + dim.description + ')' if dim.description else ''}: "
                      "no two faces, edges or hole axes of the model lie that far apart along X, Y or Z",
                      dim.loc("value"), subject=f"{part.number}/{dim.id}")
