"""The change notice PDF: revision from/to, reason, affected parts, old vs new, marked sheets, delta FAI, gates.

Sections follow ``shared/standards/revision_and_delta_fai.md`` §3 (ECN/ECO
contents) and §1 (partial FAI: Form 1 field 14 *Partial* with the baseline
part number and revision; Forms 2 and 3 list only what is re-verified).
The AS9102 rows come from :mod:`techpack.quality.as9102` (same FAIR numbers,
requirements and methods as the full FAI in the pack), filtered to the scope.

Changed drawing sheets: the new sheet as the pack draws it with a baseline
(:func:`techpack.drawings.make_sheet` with ``changed``): a revision triangle
carrying the part's revision letter beside the balloon of every added or
changed characteristic, and the revision table above the title block.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from .model import AREAS, ChangeSet
from .report import AREA_TITLES, latest, revision_of
from .scope import PartScope, delta_fai, gates

def _fairs(cs: ChangeSet, scopes: list[PartScope]) -> list[dict]:
    from ..drawings import balloon_refs  # noqa: PLC0415
    from ..quality.as9102 import build_fairs  # noqa: PLC0415
    from ..quality.plan import build_plan  # noqa: PLC0415

    comp = cs.new.compilation
    if comp is None:
        return []
    by_part = {s.part: s for s in scopes}
    out = []
    for fair in build_fairs(build_plan(comp), balloon_refs(comp)):
        scope = by_part.get(fair.part_number)
        if scope is None:
            continue
        wanted = set(scope.ids)
        rows = fair.form3 if scope.full else [r for r in fair.form3 if r.item.id in wanted]
        kinds = {"material" if c.area in ("material", "certificate") else "finish" for c in scope.form2}
        form2 = fair.form2 if scope.full else [r for r in fair.form2 if r["item"].kind in kinds]
        out.append({"fair": fair, "scope": scope, "form3": rows, "form2": form2})
    return out


def _marked_sheets(cs: ChangeSet, scopes: list[PartScope]) -> tuple[list[dict], list[str]]:
    """(sheets with marks, notes on sheets that could not be drawn).

    Each is the part's drawing as the pack has it, with the revision triangles and table of the drawing
    model (:mod:`techpack.drawings.revmarks`) on the changed characteristics.
    """
    comp = cs.new.compilation
    sheets, notes = [], []
    if comp is None:
        return sheets, notes
    parts = {p.number: p for p in comp.loaded.spec.parts}
    for scope in scopes:
        if not scope.characteristics or scope.part not in parts:
            continue
        try:
            from ..drawings import make_sheet  # noqa: PLC0415
            from ..drawings.svg import write_svg  # noqa: PLC0415

            sheet = make_sheet(comp, parts[scope.part], changed=scope.ids)
            svg = write_svg(sheet)
        except Exception as exc:  # noqa: BLE001 - a sheet that cannot be drawn is named, not fatal
            notes.append(f"{scope.part}: the sheet could not be drawn ({exc}); changed characteristics "
                         f"{', '.join(scope.ids)}")
            continue
        marked = {m.characteristic for m in sheet.revision_marks}
        sheets.append({"part": scope.part, "uri": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
                       "marked": len(marked), "missing": [c for c in scope.ids if c not in marked],
                       "landscape": sheet.width >= sheet.height})
    return sheets, notes


def context(cs: ChangeSet, *, sheets: bool = True) -> dict:
    scopes = delta_fai(cs)
    entry = latest(cs.new)
    letter = revision_of(cs.new)
    drawn, notes = _marked_sheets(cs, scopes) if sheets else ([], [])
    from ..quality.fields import name  # noqa: PLC0415
    from ..quality.methods import NAMES  # noqa: PLC0415

    return {
        "product": cs.new.product, "old": cs.old, "new": cs.new,
        "rev_old": revision_of(cs.old), "rev_new": letter,
        "reason": entry.get("description", ""), "author": entry.get("author") or "",
        "date": entry.get("date") or cs.new.product.get("revision_date", ""),
        "history": cs.new.history,
        "parts": [{"number": pn, "name": cs.new.part_names.get(pn) or cs.old.part_names.get(pn, ""),
                   "old": cs.old.part_revisions.get(pn, "—"), "new": cs.new.part_revisions.get(pn, "—")}
                  for pn in cs.parts_affected()],
        "areas": [(AREA_TITLES[a], cs.of(a)) for a in AREAS if cs.of(a)],
        "scopes": scopes, "fairs": _fairs(cs, scopes), "gates": gates(cs, scopes),
        "sheets": drawn, "sheet_notes": notes, "names": NAMES,
        "field": lambda *parts: name("ecn", *parts),
    }


def render_notice(cs: ChangeSet, date: dt.datetime | None = None, *, sheets: bool = True) -> bytes:
    from ..pdf import render_pdf, template_env  # noqa: PLC0415

    comp = cs.new.compilation
    date = date or (comp.date if comp is not None and comp.date else dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
    html = template_env().get_template("revisions/notice.html").render(**context(cs, sheets=sheets))
    data, _refused = render_pdf(html, roots=[], date=date, forms=True)
    return data


def write_notice(cs: ChangeSet, path: Path) -> None:
    data = render_notice(cs)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
