"""The sheet: views arranged by the projection method, annotated, scaled to fit, with title block and notes.

The largest standard scale (ISO 5455: 5:1 … 1:100) at which the annotated views
fit the preferred sheet wins; when none fits, the next larger sheet is tried.
First-angle projection puts the view from above below the front view and the
view from the left on its right; third-angle puts them above and on the right.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..characteristics import Characteristic
from ..geometry.facts import GeometryFacts
from ..geometry.match import PartMatch
from ..geometry.views import ProjectedView
from ..schema.spec import Part
from .annotate import NoteLine, plan_part, unplaced_to_notes
from .model import Box, Label, Line, Sheet, Text, move_all, union
from .revmarks import RevisionRow, table_for
from .placer import AngleReq, CalloutReq, DatumReq, LinearReq, Placed, Placer, ThroughReq
from .titleblock import (TB_WIDTH, TitleData, border, frame_box, larger_sheets, notes_block, title_block)
from .section import LETTERS, cut_section, cutting_plane, is_section, sections
from .section import label as section_label
from .knurl import add_knurls
from .threads import add_threads
from .views import SheetView, whole_cylinders
from .zones import grid_primitives, zone_grid

SCALES = [(5, 1), (2, 1), (1, 1), (1, 2), (1, 5), (1, 10), (1, 20), (1, 50), (1, 100)]
CELL_GAP = 10.0
SECTION_LABEL = 9.0  # room over a section for its name
ISO_LABEL = 8.0  # room under a pictorial view drawn at its own scale, for "SCALE 1:2"


@dataclass
class Laid:
    view: SheetView
    placed: Placed | None
    extent: Box


def _scale_text(s: tuple[int, int]) -> str:
    return f"{s[0]}:{s[1]}"


def _order(reqs: list) -> list:
    def key(r):
        if isinstance(r, AngleReq):
            return (0, 0.0)
        if isinstance(r, LinearReq):
            return (1, round(r.b - r.a, 3))
        if isinstance(r, ThroughReq):
            return (2, 0.0)
        if isinstance(r, DatumReq):
            return (3, 0.0)
        return (4, 0.0)

    return sorted(reqs, key=key)


def _place(view: SheetView, reqs: list, fixed: list | None = None) -> Placed:
    """Annotations around ``view``; ``fixed`` (owner, primitives, boxes, segments) are drawn first, where they are."""
    placer = Placer(view.width, view.height, reserve=reqs, geometry=view.visible_segments)
    placer.centre_lines = [(p.x1, p.y1, p.x2, p.y2) for p in view.primitives if isinstance(p, Line) and p.layer == "CENTER"]
    for owner, prims, boxes, segs in fixed or []:
        placer._commit(owner, [("title", b) for b in boxes], segs, [], prims, None, {})  # noqa: SLF001
    for r in _order(reqs):
        if isinstance(r, ThroughReq):
            placer.through(r)
        elif isinstance(r, LinearReq):
            placer.linear(r)
        elif isinstance(r, AngleReq):
            placer.angle(r)
        elif isinstance(r, DatumReq):
            placer.datum(r)
        elif isinstance(r, CalloutReq):
            placer.callout(r)
    return placer.out


def _extent(view: SheetView, placed: Placed | None) -> Box:
    boxes = [view.box] + [p.box() for p in view.primitives]
    if placed is not None:
        boxes += [p.box() for p in placed.primitives] + [lb.box for lb in placed.labels]
        for d in placed.dimensions:
            boxes += [g.box() for g in d.graphics]
    return union(boxes)  # type: ignore[return-value]


def _views_at(projected: dict[str, ProjectedView], facts: GeometryFacts, scale: float, first_angle: bool) -> dict[str, SheetView]:
    from ..geometry.views import standard_projections  # noqa: PLC0415

    side = "left" if first_angle else "right"
    projections = standard_projections(facts.to_json())
    whole = whole_cylinders(facts, projected, projections)
    views: dict[str, SheetView] = {}
    for key, name in (("front", "front"), ("top", "top"), ("side", side), ("iso", "iso")):
        pv = projected.get(name)
        if pv is None or not pv.edges:
            continue
        v = SheetView(key, next(p for p in projections if p.name == name), pv, scale)
        v.build(whole, centre_lines=key != "iso")
        views[key] = v
    if "top" in views and "front" in views and views["top"].visible_edge_key() == views["front"].visible_edge_key():
        del views["top"]  # a turned part: the view from above repeats the front view
    return views


def _grid(laid: dict[str, Laid], first_angle: bool) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """Total size of the arrangement and each view's geometry origin within it."""
    def ext(k):
        return laid[k].extent if k in laid else None

    f, t, s, i = ext("front"), ext("top"), ext("side"), ext("iso")
    cuts = [(k, laid[k].extent) for k in laid if is_section(k)]
    fw = laid["front"].view.width
    fh = laid["front"].view.height
    # column 1: front and top share x; row of front and side share y
    left1 = max(-f.x0, -(t.x0) if t else 0.0)
    right1 = max(f.x1 - fw, (t.x1 - fw) if t else 0.0)
    col1 = left1 + fw + right1
    below_f = max(-f.y0, -(s.y0) if s else 0.0)
    above_f = max(f.y1 - fh, (s.y1 - laid["side"].view.height) if s else 0.0)
    row_f = below_f + fh + above_f
    # the removed sections (each under its label) sit over the pictorial view, in the side view's column
    sec_h = sum(c.h + SECTION_LABEL for _k, c in cuts) + CELL_GAP * (len(cuts) - 1 + (1 if i else 0)) if cuts else 0.0
    col2 = max([(s.w if s else 0.0), (i.w if i else 0.0)] + [c.w for _k, c in cuts])
    row_t = max((t.h if t else 0.0), (i.h if i else 0.0) + sec_h)
    width = col1 + (CELL_GAP + col2 if col2 else 0.0)
    height = row_f + (CELL_GAP + row_t if row_t else 0.0)
    origins: dict[str, tuple[float, float]] = {}
    # y of the two rows (from the bottom of the arrangement)
    if first_angle:
        y_t = 0.0
        y_f = (row_t + CELL_GAP) if row_t else 0.0
    else:
        y_f = 0.0
        y_t = row_f + CELL_GAP
    origins["front"] = (left1, y_f + below_f)
    if t:
        origins["top"] = (left1, y_t + (row_t - t.h) / 2 - t.y0)
    x2 = col1 + CELL_GAP
    if s:
        origins["side"] = (x2 - s.x0 + (col2 - s.w) / 2, y_f + below_f)
    top = y_t + row_t
    for k, c in cuts:
        origins[k] = (x2 - c.x0 + (col2 - c.w) / 2, top - SECTION_LABEL - c.h - c.y0)
        top -= SECTION_LABEL + c.h + CELL_GAP
    if i:
        origins["iso"] = (x2 - i.x0 + (col2 - i.w) / 2, y_t + (row_t - sec_h - i.h) / 2 - i.y0)
    return width, height, origins


@dataclass
class Inputs:
    part: Part
    chars: list[Characteristic]
    facts: GeometryFacts | None
    match: PartMatch | None
    projected: dict[str, ProjectedView]
    first_angle: bool
    standard: str
    preferred_sheet: str
    general_notes: list[str]
    title: TitleData
    revision_rows: list[RevisionRow] = field(default_factory=list)  # the revision table's rows, oldest first
    cuts: list = field(default_factory=list)  # (cuts.CutPlan, ProjectedView): sections through feature axes


@dataclass
class Attempt:
    sheet: Sheet | None  # None when the views do not fit the sheet
    failed: int  # annotations that found no place (they are listed in the notes)


def _placed_once(memo: dict | None, key: tuple, place) -> Placed:
    """A view's annotations at a scale, placed once per composition: the sheet sizes tried at one scale have the
    same views with the same requests (nothing the placer reads depends on the sheet), so they place the same.
    Shared between the attempts: :func:`_try` only reads a :class:`Placed` (it moves copies onto the sheet)."""
    if memo is None:
        return place()
    if key not in memo:
        memo[key] = place()
    return memo[key]


def _try(inp: Inputs, sheet: str, scale: tuple[int, int], force: bool = False, memo: dict | None = None) -> Attempt:
    s = scale[0] / scale[1]
    frame = frame_box(sheet)
    views = _views_at(inp.projected, inp.facts, s, inp.first_angle) if inp.facts is not None else {}
    if "front" not in views:
        views = {}  # no geometry: title block and notes only, every characteristic listed
    add_threads(views, inp.part.features, inp.match, inp.standard,
                (inp.facts.bbox_min, inp.facts.bbox_max) if inp.facts is not None else None)
    add_knurls(views, inp.part.features, inp.match)
    secs = _sections(inp, views, s)
    add_threads({sec.key: sec.view for sec in secs}, inp.part.features, inp.match, inp.standard,
                (inp.facts.bbox_min, inp.facts.bbox_max) if inp.facts is not None else None)
    plan = plan_part(inp.part, inp.chars, inp.match, inp.facts, views, inp.standard, inp.general_notes)
    laid: dict[str, Laid] = {}
    for key, v in views.items():
        fixed = [(f"section:{sec.letter}", *cutting_plane(sec, v)) for sec in secs if key == _cut_on(views, sec)]
        fixed = [(o, prims, boxes, segs) for o, prims, boxes, segs in fixed]
        placed = _placed_once(memo, (scale, key), lambda: _place(v, plan.requests.get(key, []), fixed)) \
            if key != "iso" else None
        laid[key] = Laid(v, placed, _extent(v, placed))
    failed = [o for lv in laid.values() if lv.placed for o in lv.placed.failed]
    unplaced_to_notes(plan, failed, plan.requests, {c.id: c for c in inp.chars})
    notes_w = frame.w - TB_WIDTH - 6.0
    notes_prims, notes_box, note_balloons, notes_h = notes_block(plan.notes, frame, notes_w)
    data = inp.title
    data.scale = _scale_text(scale) if views else "—"
    tb_prims, tb_box = title_block(data, frame)
    table = table_for(inp.revision_rows)
    if table is not None:  # on the title block, as wide as it
        table = table.moved(tb_box.x0, tb_box.y1)
    strip = max(tb_box.h, notes_h) + 4.0  # the revision table stands in the view area: the views keep clear of it
    area = Box(frame.x0 + 6.0, frame.y0 + strip, frame.x1 - 6.0, frame.y1 - 6.0)  # clear of the centring marks
    width, height, origins = _grid(laid, inp.first_angle) if laid else (0.0, 0.0, {})
    iso_scale = ""
    if "iso" in laid and (width > area.w or height > area.h):
        # the pictorial view may be smaller than the others (its scale is then stated), or left out
        full = laid.pop("iso")
        for factor in (0.5, 0.25):
            iso = SheetView("iso", full.view.projection, full.view.source, s * factor)
            iso.build(None, centre_lines=False)
            ext = _extent(iso, None)  # with room under it for its "SCALE" label
            laid["iso"] = Laid(iso, None, Box(ext.x0, ext.y0 - ISO_LABEL, ext.x1, ext.y1))
            width, height, origins = _grid(laid, inp.first_angle)
            if width <= area.w and height <= area.h:
                iso_scale = _scale_text(_reduce(scale[0], scale[1] * int(1 / factor)))
                break
            del laid["iso"]
        else:
            width, height, origins = _grid(laid, inp.first_angle)
    if (width > area.w or height > area.h) and not force:
        return Attempt(None, len(failed))
    # centre the arrangement in the area; with a revision table, the nearest position whose views keep clear of it
    placed_at = _clear_of(table.box() if table is not None else None, laid, origins, area, width, height)
    if placed_at is None:
        if not force:
            return Attempt(None, len(failed))
        placed_at = (area.x0 + max(0.0, (area.w - width) / 2), area.y0 + max(0.0, (area.h - height) / 2))
    ox, oy = placed_at
    out = Sheet(sheet, *_size(sheet), scale)
    out.grid = zone_grid(sheet, out.width, out.height, frame, "asme" if inp.standard == "ASME" else "iso")
    out.primitives += border(sheet) + grid_primitives(out.grid, out.width, out.height)
    for key, lv in laid.items():
        dx, dy = ox + origins[key][0], oy + origins[key][1]
        out.primitives += move_all(lv.view.primitives, dx, dy)
        out.view_boxes[key] = lv.view.box.shift(dx, dy)
        sec = next((sc for sc in secs if sc.key == key), None)
        if sec is not None:
            name = section_label(sec, dx + lv.view.width / 2, dy + lv.extent.y1 + 3.0, inp.standard)
            out.primitives.append(name)
            out.labels.append(Label(f"section:{sec.letter}", "title", name.box()))
        if key == "iso" and iso_scale:
            label = Text("ANNOTATION", dx + lv.view.width / 2, dy - 4.0, 2.5, f"SCALE {iso_scale}", "center", "top")
            out.primitives.append(label)
            out.labels.append(Label("iso:scale", "title", label.box()))
        if lv.placed is not None:
            out.primitives += move_all(lv.placed.primitives, dx, dy)
            out.dimensions += [d.moved(dx, dy) for d in lv.placed.dimensions]
            out.labels += [lb.moved(dx, dy) for lb in lv.placed.labels]
            out.balloons.update({k: b.shift(dx, dy) for k, b in lv.placed.balloons.items()})
    out.primitives += tb_prims + notes_prims
    out.reserved = {"title block": tb_box, "notes": notes_box}
    if table is not None:
        out.revision_table = table
        out.reserved["revision table"] = table.box()
    out.labels += [Label(f"note:{k}", "balloon", b) for k, b in note_balloons.items()]
    out.balloons.update(note_balloons)
    return Attempt(out, len(failed))


def _sections(inp: "Inputs", views: dict[str, SheetView], scale: float) -> list:
    """The removed sections the part needs, added to ``views`` under their keys (``section``, ``section-B`` …):
    a turned part's keyway (square to its axis), then the cuts through internal features' axes."""
    from ..geometry.views import turned_axis  # noqa: PLC0415

    if inp.facts is None or not views:
        return []
    axis = turned_axis(inp.facts.to_json())
    found = sections(inp.part, inp.match, inp.facts, views, "xyz".index(axis) if axis else None, scale)[:1]
    for plan, pv in inp.cuts:
        found.append(cut_section(LETTERS[len(found)], plan, pv, inp.facts, scale))
    for sec in found:
        views[sec.key] = sec.view
    return found


def _cut_on(views: dict[str, SheetView], sec) -> str | None:
    """The view that carries the cutting plane: a main view with the plane seen edge-on; for a cut through features'
    axes the one that sees them end-on, for a turned part's the first with its axis in the view's plane."""
    found = [k for k in ("front", "top", "side") if k in views and views[k].axis_in_view(sec.axis)]
    if sec.feature_axis is not None:
        found.sort(key=lambda k: not views[k].looks_along(sec.feature_axis))
    else:
        found = [k for k in found if k != "side"]
    return found[0] if found else None


TABLE_CLEARANCE = 4.0


def _clear_of(table: Box | None, laid: dict[str, Laid], origins: dict[str, tuple[float, float]], area: Box,
              width: float, height: float) -> tuple[float, float] | None:
    """Where the arrangement goes: centred, else moved left, up, or both, until no view (with its annotations)
    comes within TABLE_CLEARANCE of the revision table; None when no such place is in the area."""
    cx = area.x0 + max(0.0, (area.w - width) / 2)
    cy = area.y0 + max(0.0, (area.h - height) / 2)
    if table is None or not table.overlaps(area):
        return cx, cy
    left, top = area.x0, area.y0 + max(0.0, area.h - height)
    for ox, oy in ((cx, cy), (left, cy), (cx, top), (left, top)):
        boxes = [lv.extent.shift(ox + origins[k][0], oy + origins[k][1]) for k, lv in laid.items()]
        if not any(b.overlaps(table, TABLE_CLEARANCE) for b in boxes):
            return ox, oy
    return None


def _reduce(a: int, b: int) -> tuple[int, int]:
    from math import gcd  # noqa: PLC0415

    g = gcd(a, b)
    return (a // g, b // g)


def _size(sheet: str) -> tuple[float, float]:
    from .titleblock import SHEETS  # noqa: PLC0415

    return SHEETS[sheet]


def _fits_roughly(inp: Inputs, sheet: str, scale: tuple[int, int]) -> bool:
    """Cheap test before the full layout: the bare views with a margin each must fit."""
    s = scale[0] / scale[1]
    frame = frame_box(sheet)
    bb = {k: v.bbox() for k, v in inp.projected.items() if v.edges}
    if "front" not in bb:
        return True  # nothing to fit but the title block and notes
    fw = (bb["front"][2] - bb["front"][0]) * s
    fh = (bb["front"][3] - bb["front"][1]) * s
    side = bb.get("left" if inp.first_angle else "right")
    sw = (side[2] - side[0]) * s if side else 0.0
    top = bb.get("top")
    th = (top[3] - top[1]) * s if top else 0.0
    margin = 18.0
    return (fw + sw + 4 * margin <= frame.w - 4) and (fh + th + 4 * margin <= frame.h - 60)


def _candidates(inp: Inputs) -> list[tuple[int, int, str, tuple[int, int]]]:
    """(cost, sheet index, sheet, scale) to try, cheapest first.

    The cost counts steps away from the ideal: each scale step below the largest one at which the bare
    views fit the preferred sheet costs one, and so does each sheet size above the preferred one.  So when
    the annotations do not fit around the views, one size larger sheet at the views' scale is as good as
    one scale smaller on the preferred sheet (the smaller sheet wins the tie), and a drawing is never
    shrunk two scale steps to stay on its sheet when the next sheet holds it one step larger.
    """
    sheets = larger_sheets(inp.preferred_sheet)
    best = next((k for k, sc in enumerate(SCALES) if _fits_roughly(inp, sheets[0], sc)), len(SCALES) - 1)
    out = []
    for si, sheet in enumerate(sheets):
        for ki, scale in enumerate(SCALES):
            if ki < best or not _fits_roughly(inp, sheet, scale):
                continue
            out.append((si + ki - best, si, sheet, scale))
    return sorted(out, key=lambda c: c[:2])


def compose(inp: Inputs) -> Sheet:
    """The drawing sheet: a standard scale (ISO 5455) and sheet size (ISO 5457) by :func:`_candidates`.

    A layout where every annotation found its place wins; failing that, the one with
    the fewest annotations moved to the notes (cheapest candidate first).
    """
    sheets = larger_sheets(inp.preferred_sheet)
    partial: list[tuple[int, int, Sheet]] = []
    memo: dict = {}  # (scale, view) -> its annotations (_placed_once)
    for cost, _si, sheet, scale in _candidates(inp):
        if partial and cost > partial[0][1] + 1:
            break  # a step beyond the first partial layout will not free much room around the views
        done = _try(inp, sheet, scale, memo=memo)
        if done.sheet is None:
            continue
        if done.failed == 0:
            return done.sheet
        partial.append((done.failed, cost, done.sheet))
    if partial:
        return min(partial, key=lambda t: t[:2])[2]
    # nothing fits: the largest sheet at the smallest scale that roughly fits
    for scale in SCALES:
        if _fits_roughly(inp, sheets[-1], scale):
            return _try(inp, sheets[-1], scale, force=True, memo=memo).sheet  # type: ignore[return-value]
    return _try(inp, sheets[-1], SCALES[-1], force=True, memo=memo).sheet  # type: ignore[return-value]


__all__ = ["Inputs", "NoteLine", "compose"]
