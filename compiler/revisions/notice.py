"""The change notice PDF: revision from/to, reason, affected parts, old vs new, marked sheets, delta FAI, gates.

Sections follow ``shared/standards/revision_and_delta_fai.md`` §3 (ECN/ECO
contents) and §1 (partial FAI: Form 1 field 14 *Partial* with the baseline
part number and revision; Forms 2 and 3 list only what is re-verified).
The AS9102 rows come from :mod:`techpack.quality.as9102` (same FAIR numbers,
requirements and methods as the full FAI in the pack), filtered to the scope.

Changed drawing sheets: the new sheet (the drawings renderer's SVG) with a
revision triangle carrying the new letter beside the balloon of every added
or changed characteristic; positions come from the drawing model's balloon
boxes (:attr:`techpack.drawings.model.Sheet.balloons`).
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from .model import AREAS, ChangeSet
from .report import AREA_TITLES, latest, revision_of
from .scope import PartScope, delta_fai, gates

TRIANGLE_MM = 3.4


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


def _marked_sheets(cs: ChangeSet, scopes: list[PartScope], letter: str) -> tuple[list[dict], list[str]]:
    """(sheets with marks, notes on sheets that could not be drawn)."""
    comp = cs.new.compilation
    sheets, notes = [], []
    if comp is None:
        return sheets, notes
    parts = {p.number: p for p in comp.loaded.spec.parts}
    for scope in scopes:
        if not scope.characteristics or scope.part not in parts:
            continue
        try:
            from ..drawings import part_sheet  # noqa: PLC0415
            from ..drawings.svg import write_svg  # noqa: PLC0415

            sheet = part_sheet(comp, parts[scope.part])
            svg = write_svg(sheet).decode("utf-8")
        except Exception as exc:  # noqa: BLE001 - a sheet that cannot be drawn is named, not fatal
            notes.append(f"{scope.part}: the sheet could not be drawn ({exc}); changed characteristics "
                         f"{', '.join(scope.ids)}")
            continue
        marks, missing = [], []
        for cid in scope.ids:
            box = sheet.balloons.get(cid)
            if box is None:
                missing.append(cid)
                continue
            marks.append(_triangle(_mark_x(sheet, box), sheet.height - (box.y0 + box.y1) / 2, letter))
        overlay = '<g id="revision-marks" fill="none" stroke="#c00000" stroke-width="0.35">' + "".join(marks) + "</g>"
        svg = svg.replace("</svg>", overlay + "</svg>")
        sheets.append({"part": scope.part, "uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
                       "marked": len(marks), "missing": missing, "landscape": sheet.width >= sheet.height})
    return sheets, notes


def _mark_x(sheet, box) -> float:
    """Left of the balloon, or right of it when the left side is taken by another label."""
    cy = (box.y0 + box.y1) / 2
    left = box.x0 - TRIANGLE_MM - 0.8

    def free(x: float) -> bool:
        mark = (x, cy - TRIANGLE_MM / 2, x + TRIANGLE_MM, cy + TRIANGLE_MM / 2)
        return not any(lb.box.x0 < mark[2] and mark[0] < lb.box.x1 and lb.box.y0 < mark[3] and mark[1] < lb.box.y1
                       for lb in sheet.labels if lb.box != box)

    return left if free(left) or not free(box.x1 + 0.8) else box.x1 + 0.8


def _triangle(x: float, y: float, letter: str) -> str:
    s = TRIANGLE_MM
    pts = f"{x:.2f},{y + s * 0.45:.2f} {x + s:.2f},{y + s * 0.45:.2f} {x + s / 2:.2f},{y - s * 0.55:.2f}"
    return (f'<polygon points="{pts}"/><text x="{x + s / 2:.2f}" y="{y + s * 0.3:.2f}" font-size="2.0" '
            f'text-anchor="middle" fill="#c00000" stroke="none" font-family="DejaVu Sans">{_esc(letter)}</text>')


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def context(cs: ChangeSet, *, sheets: bool = True) -> dict:
    scopes = delta_fai(cs)
    entry = latest(cs.new)
    letter = revision_of(cs.new)
    drawn, notes = _marked_sheets(cs, scopes, letter) if sheets else ([], [])
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
