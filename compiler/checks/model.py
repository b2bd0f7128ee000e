"""Spec vs model: every toleranced feature and dimension of the spec is in the geometry, once (TP120, TP121, TP130).

Catches the classic "the drawing says one thing, the model another" before the
RFQ: a Ø12 H7 bore at X40 Y21 must be a Ø12 cylinder whose axis passes there; a
5 N9 keyway two faces 5 apart facing each other; an 84 ±0.05 bearing span two
faces, edges or axes 84 apart.  The matching itself is
:mod:`techpack.geometry.match`, shared with the drawings.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..geometry.match import match_part
from .chains import check_part as check_chains
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
            for message, loc in found.features[fid].ambiguous:
                diags.add("TP130", message, loc, subject=f"{part.number}/{fid}")
        for dim in found.unmatched_dims:
            diags.add("TP121", f"{dim.id} {dim.value.text}{' (' + dim.description + ')' if dim.description else ''}: "
                      "no cylinder of the model has that diameter" + _diameters(facts),
                      dim.loc("value"), subject=f"{part.number}/{dim.id}")
        for r in found.refused:
            diags.add(r.code, r.message, r.dim.loc("between") if r.code == "TP131" else r.dim.loc("value"),
                      subject=f"{part.number}/{r.dim.id}")
        check_chains(part, found, diags)


def _diameters(facts) -> str:
    have = sorted({c.diameter for c in facts.cylinders})
    return f" (it has {', '.join(f'Ø{d:g}' for d in have[:8])})" if have else ""
