"""Removed sections (ISO 128-40/-44/-50): the shaft's keyway cut open, hatched, and marked on the main view."""

from __future__ import annotations

import io
import math

from techpack.drawings.model import Arc, Hatch, Line, Text


def test_shaft_has_section_a_a_through_the_keyway(sheets):
    _comp, _part, sheet = sheets["TP-2001-01"]
    box = sheet.view_boxes["section"]
    assert box.w == 16.0  # the Ø16 journal at 1:1, cut open at the top by the 5 mm keyway
    assert abs(box.h - (8.0 + math.sqrt(8.0 ** 2 - 2.5 ** 2))) < 1e-6
    texts = [p for p in sheet.primitives if isinstance(p, Text)]
    assert [t for t in texts if t.text == "A–A" and t.height == 5.0 and box.x0 <= t.x <= box.x1 and t.y > box.y1]
    letters = [t for t in texts if t.text == "A" and t.height == 5.0]
    assert len(letters) == 2
    # the cutting plane crosses the front view square to the axis, at the keyway's middle (Z135, 15 from the end)
    front = sheet.view_boxes["front"]
    cut = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "CUTTING"]
    assert len(cut) == 1 and cut[0].x1 == cut[0].x2
    assert abs(cut[0].x1 - (front.x0 + 135.0)) < 1e-6
    # thick strokes at its ends, and arrows pointing the way the section is viewed (the letters beyond them)
    strokes = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "VISIBLE" and p.x1 == p.x2 == cut[0].x1
               and (max(p.y1, p.y2) > front.y1 or min(p.y1, p.y2) < front.y0)]
    assert len(strokes) == 2
    ends = sorted(y for st in strokes for y in (st.y1, st.y2))
    assert ends[0] < front.y0 and ends[-1] > front.y1  # the plane runs across the whole view
    assert sorted((cut[0].y1, cut[0].y2)) == [ends[1], ends[2]]  # the chain line joins the thick ends
    assert all(t.x > cut[0].x1 for t in letters)


def test_section_is_hatched_at_45_degrees_inside_its_outline(sheets):
    _comp, _part, sheet = sheets["TP-2001-01"]
    box = sheet.view_boxes["section"]
    hatches = [p for p in sheet.primitives if isinstance(p, Hatch)]
    assert len(hatches) == 1
    h = hatches[0]
    assert h.angle == 45.0 and h.layer == "HATCH" and 1.5 <= h.spacing <= 3.0
    segs = h.segments()
    assert len(segs) >= 5
    arcs = [p for p in sheet.primitives if isinstance(p, Arc) and p.layer == "VISIBLE" and box.contains(p.cx, p.cy)]
    cx, cy = arcs[0].cx, arcs[0].cy
    for x1, y1, x2, y2 in segs:
        assert abs(math.degrees(math.atan2(y2 - y1, x2 - x1)) % 180 - 45.0) < 1e-6
        for x, y in ((x1, y1), (x2, y2)):
            assert math.hypot(x - cx, y - cy) <= 8.0 + 1e-6  # within the Ø16 circle
            # and never inside the keyway notch (5 wide, down to 3 below the top)
            assert not (abs(x - cx) < 2.5 - 1e-6 and y > cy + 5.0 + 1e-6)
    # the outline: a visible arc (the journal, cut open at the keyway), not a full circle
    arcs = [p for p in sheet.primitives if isinstance(p, Arc) and p.layer == "VISIBLE" and box.contains(p.cx, p.cy)]
    assert len(arcs) == 1 and not arcs[0].full and abs(arcs[0].r - 8.0) < 1e-6


def test_section_in_dxf_and_svg(sheets):
    import ezdxf
    from lxml import etree

    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.svg import write_svg

    comp, _part, sheet = sheets["TP-2001-01"]
    doc = ezdxf.read(io.StringIO(write_dxf(sheet, comp.date).decode("utf-8")))
    # the hatching is written as its lines (LibreCAD prints no user-defined HATCH pattern), at 45° and true size
    hatch = next(p for p in sheet.primitives if isinstance(p, Hatch))
    k = sheet.scale[1] / sheet.scale[0]  # model units per paper mm
    lines = doc.modelspace().query("LINE[layer=='HATCH']")
    assert not doc.modelspace().query("HATCH")
    assert len(lines) == len(hatch.segments()) > 3
    for e in lines:
        dx, dy = e.dxf.end.x - e.dxf.start.x, e.dxf.end.y - e.dxf.start.y
        assert abs(abs(dx) - abs(dy)) < 1e-4 and dx * dy > 0  # 45°
    got = sorted((round(e.dxf.start.x / k, 3), round(e.dxf.start.y / k, 3)) for e in lines)
    assert got == sorted((round(x1, 3), round(y1, 3)) for x1, y1, _x2, _y2 in hatch.segments())
    root = etree.fromstring(write_svg(sheet))
    group = root.find(".//{http://www.w3.org/2000/svg}g[@id='hatch']")
    assert group is not None and len(group) == len(next(p for p in sheet.primitives if isinstance(p, Hatch)).segments())


def test_parts_without_hidden_internal_depths_get_no_section(sheets):
    for pn in ("TP-1001-01", "TP-3001-01", "TP-3001-02", "TP-3001-03"):
        _comp, _part, sheet = sheets[pn]
        assert "section" not in sheet.view_boxes
        assert not [p for p in sheet.primitives if isinstance(p, Hatch)]
