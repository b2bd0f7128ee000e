"""Shared constants and helpers of the drawing tests (imported by conftest and the tests)."""

from __future__ import annotations

from pathlib import Path

from techpack.drawings.model import Arc, Line

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PARTS = ["TP-1001-01", "TP-2001-01", "TP-3001-01", "TP-3001-02", "TP-3001-03"]


def compile_example(folder: Path):
    from techpack.engine import compile_spec

    comp = compile_spec(folder)
    assert comp.ok, [str(d) for d in comp.diagnostics if d.severity.value == "error"]
    return comp


# --------------------------------------------------------------------------- no dimension to a hidden line

TOL = 1e-3


def _view_of(sheet, point):
    """The view a dimension measures: the one whose box holds its first definition point."""
    x, y = point
    for name, b in sheet.view_boxes.items():
        if b.x0 - 0.5 <= x <= b.x1 + 0.5 and b.y0 - 0.5 <= y <= b.y1 + 0.5:
            return name, b
    return None, None


def _shown(sheet, box, along_x: bool, at: float, layers=("VISIBLE", "THIN")) -> bool:
    """A visible edge on x = ``at`` (``along_x``) or y = ``at`` inside ``box``, or a visible circle centred there."""
    for p in sheet.primitives:
        if getattr(p, "layer", None) not in layers:
            continue
        if isinstance(p, Line):
            if not (box.x0 - TOL <= min(p.x1, p.x2) and max(p.x1, p.x2) <= box.x1 + TOL
                    and box.y0 - TOL <= min(p.y1, p.y2) and max(p.y1, p.y2) <= box.y1 + TOL):
                continue
            a, b = (p.x1, p.x2) if along_x else (p.y1, p.y2)
            if abs(a - at) < TOL and abs(b - at) < TOL:
                return True
        elif isinstance(p, Arc) and box.contains(p.cx, p.cy):
            c = p.cx if along_x else p.cy
            if p.full and abs(c - at) < TOL:
                return True
            if any(abs(c + k * p.r - at) < TOL for k in (1, -1)):  # an arc tangent to that line
                return True
    return False


def _centre_of_visible(sheet, box, along_x: bool, at: float) -> bool:
    """A centre line on ``at`` through a visible feature symmetric about it (a slot located by its centre)."""
    for p in sheet.primitives:
        if not (isinstance(p, Line) and p.layer == "CENTER" and box.contains(p.x1, p.y1)):
            continue
        a, b = (p.x1, p.x2) if along_x else (p.y1, p.y2)
        if abs(a - at) > TOL or abs(b - at) > TOL:
            continue
        lo, hi = (min(p.y1, p.y2), max(p.y1, p.y2)) if along_x else (min(p.x1, p.x2), max(p.x1, p.x2))
        sides = [q for q in sheet.primitives if isinstance(q, Line) and q.layer == "VISIBLE"
                 and ((abs(q.x1 - q.x2) < TOL and lo - TOL <= q.y1 <= hi + TOL) if along_x
                      else (abs(q.y1 - q.y2) < TOL and lo - TOL <= q.x1 <= hi + TOL))]
        offsets = {round((q.x1 if along_x else q.y1) - at, 3) for q in sides}
        if any(d > 0 and -d in offsets for d in offsets):
            return True
    return False


def _ends(d):
    """(measures along x, first end, second end) of a linear dimension, in sheet coordinates."""
    (x1, y1), (x2, y2) = d.points["p1"], d.points["p2"]
    if d.angle == 0.0:
        return True, x1, x2
    return False, y1, y2



def dimensions_to_hidden_lines(sheet) -> list:
    """(text, view, offset) of every end of a linear dimension that is no visible edge of its view (nor a centre
    line through a visible feature symmetric about it)."""
    bad = []
    for d in sheet.dimensions:
        if d.kind != "linear":
            continue
        name, box = _view_of(sheet, d.points["p1"])
        assert name is not None, d.text
        along_x, a, b = _ends(d)
        for end in (a, b):
            if not (_shown(sheet, box, along_x, end) or _centre_of_visible(sheet, box, along_x, end)):
                bad.append((d.text, name, round(end - (box.x0 if along_x else box.y0), 3)))
    return bad
