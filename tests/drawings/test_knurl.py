"""A knurl is drawn by convention (DIN 82 / ISO 13444 style): narrow lines over part of the knurled surface, in the
directions of its type, in the drawing model, the SVG and the DXF (as LINEs LibreCAD prints).

The part is the new user's thumbscrew (issue 12): a Ø12 × 10 knurled head (``RGE 0.8``: left- and right-hand,
crossed at 30° to the axis) on an M6 stud; the pattern is changed in copies of its spec.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import ezdxf
import pytest

from techpack.drawings.model import Box, Hatch

import ink

THUMBSCREW = Path(__file__).parents[1] / "geometry" / "binding" / "thumbscrew"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Knurl pattern -> (sheet, svg bytes, dxf path) of the thumbscrew with that pattern."""
    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.svg import write_svg
    from techpack.engine import compile_spec

    cache: dict = {}

    def get(pattern: str):
        if pattern not in cache:
            folder = tmp_path_factory.mktemp(f"knurl-{pattern}") / "thumbscrew"
            shutil.copytree(THUMBSCREW, folder)
            spec = folder / "techpack.yaml"
            spec.write_text(spec.read_text(encoding="utf-8").replace("pattern: RGE", f"pattern: {pattern}"),
                            encoding="utf-8")
            comp = compile_spec(folder)
            assert comp.ok, [str(d) for d in comp.diagnostics if d.severity.value == "error"]
            sheet = make_sheet(comp, comp.loaded.spec.parts[0])
            dxf = folder / "sheet.dxf"
            dxf.write_bytes(write_dxf(sheet, comp.date))
            cache[pattern] = (sheet, write_svg(sheet), dxf)
        return cache[pattern]

    return get


def _direction(x1, y1, x2, y2) -> float:
    """A line's direction on the sheet, degrees in [0, 180)."""
    return round(math.degrees(math.atan2(y2 - y1, x2 - x1)) % 180.0, 3) % 180.0


def _knurl_patch(sheet):
    """(x0, x1, y_axis, y_top, y_bottom) of the knurled head in the front view, from the view's box: the head is the
    Ø12 × 10 end of the 28 mm long part, the axis lies horizontal."""
    box = sheet.view_boxes["front"]
    scale = sheet.scale[0] / sheet.scale[1]
    assert box.w == pytest.approx(28 * scale) and box.h == pytest.approx(12 * scale)
    return box, 10 * scale


def _pattern_segments(sheet):
    hatches = [p for p in sheet.primitives if isinstance(p, Hatch) and p.layer == "THIN"]
    return hatches, [s for h in hatches for s in h.segments()]


@pytest.mark.parametrize("pattern, directions", [
    ("RGE", {30.0, 150.0}),  # left and right hand, crossed at 30° to the axis
    ("RAA", {0.0}),  # straight: along the axis
    ("RBR", {150.0}),  # right hand: leans like \ with the axis horizontal
    ("RBL", {30.0}),  # left hand: leans like /
    ("RKE", {0.0, 90.0}),  # cross-knurl: along and around the axis
])
def test_knurl_pattern_lines_are_within_the_knurl_at_its_angles(drawn, pattern, directions):
    sheet, _svg, _dxf = drawn(pattern)
    hatches, segs = _pattern_segments(sheet)
    assert len(hatches) == len(directions)
    assert len(segs) >= 4 * len(directions)
    assert {_direction(*s) for s in segs} == directions
    box, head = _knurl_patch(sheet)
    cy = (box.y0 + box.y1) / 2
    tol = 1e-6
    # the head is at one end of the view: every line lies over it, between the axis and one silhouette (part of
    # the surface, not all of it)
    left = all(box.x0 - tol <= min(x1, x2) and max(x1, x2) <= box.x0 + head + tol for x1, _y1, x2, _y2 in segs)
    right = all(box.x1 - head - tol <= min(x1, x2) and max(x1, x2) <= box.x1 + tol for x1, _y1, x2, _y2 in segs)
    assert left or right
    upper = all(cy - tol <= min(y1, y2) and max(y1, y2) <= box.y1 + tol for _x1, y1, _x2, y2 in segs)
    lower = all(box.y0 - tol <= min(y1, y2) and max(y1, y2) <= cy + tol for _x1, y1, _x2, y2 in segs)
    assert upper or lower
    # the pattern fills its half: lines reach both ends of the head and both the axis and the silhouette
    xs = [x for x1, _y1, x2, _y2 in segs for x in (x1, x2)]
    ys = [y for _x1, y1, _x2, y2 in segs for y in (y1, y2)]
    assert max(xs) - min(xs) > 0.8 * head and max(ys) - min(ys) > 0.8 * (box.h / 2)


def test_knurl_is_in_the_svg_and_in_the_dxf_as_lines(drawn):
    sheet, svg, dxf = drawn("RGE")
    _hatches, segs = _pattern_segments(sheet)
    thin = re.search(rb'<g id="thin"[^>]*>(.*?)</g>', svg, re.S)
    assert thin is not None
    assert len(re.findall(rb"<line ", thin.group(1))) >= len(segs)
    doc = ezdxf.readfile(dxf)
    k = sheet.scale[1] / sheet.scale[0]
    lines = {(round(e.dxf.start.x / k, 3), round(e.dxf.start.y / k, 3), round(e.dxf.end.x / k, 3),
              round(e.dxf.end.y / k, 3)) for e in doc.modelspace().query("LINE[layer=='THIN']")}
    assert {tuple(round(v, 3) for v in s) for s in segs} <= lines
    assert not doc.modelspace().query("HATCH")


def test_the_designation_stays_on_its_leader(drawn):
    sheet, _svg, _dxf = drawn("RGE")
    texts = [p.text for p in sheet.primitives if hasattr(p, "text")]
    assert any("DIN 82 - RGE 0.8" in t for t in texts)


@pytest.mark.skipif(not ink.have_tools(), reason="LibreCAD or pdftoppm is not installed")
def test_librecad_prints_the_knurl(drawn, tmp_path):
    """Over the knurl LibreCAD's print of the DXF shows the pattern the SVG shows; without the pattern's lines it
    does not (so the check sees them)."""
    from techpack.drawings.svg import write_svg

    sheet, _svg, dxf = drawn("RGE")
    svg = tmp_path / "k.svg"
    svg.write_bytes(write_svg(sheet))
    _hatches, segs = _pattern_segments(sheet)
    xs = [x for x1, _y1, x2, _y2 in segs for x in (x1, x2)]
    ys = [y for _x1, y1, _x2, y2 in segs for y in (y1, y2)]
    box = Box(min(xs) + 1.0, min(ys) + 1.0, max(xs) - 1.0, max(ys) - 1.0)  # inside the outline
    lc_near, ours_near, ours_ink = ink.librecad_matches_in(dxf, svg, sheet, box, tmp_path / "with")
    assert ours_ink > 1000 and lc_near >= 0.9 and ours_near >= 0.9, (lc_near, ours_near)
    bare = tmp_path / "bare" / "k.dxf"
    bare.parent.mkdir()
    doc = ezdxf.readfile(dxf)
    for e in doc.modelspace().query("LINE[layer=='THIN']"):
        doc.modelspace().delete_entity(e)
    doc.saveas(bare)
    _lc, without, _ = ink.librecad_matches_in(bare, svg, sheet, box, tmp_path / "without")
    assert without < 0.75, without
