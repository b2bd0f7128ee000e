"""Sections through internal features' axes (issue 12): where a depth or an internal size would only be seen as
hidden lines, the part is cut on the plane through the feature's axis and the dimension is drawn on the cut.

Two small parts (cadquery, ``sections/``): a clamp block with a blind counterbored hole and a blind pin bore whose
depths are toleranced (cut A–A, parallel to the front view) and a blind hole in its front face (cut B–B, parallel to
the top view), and a bushing with an internal retaining-ring groove.
"""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
import pytest

from techpack.drawings.model import Hatch, Line, Text

import ink
from drawing_helpers import _view_of, compile_example, dimensions_to_hidden_lines

HERE = Path(__file__).parent / "sections"


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    """Folder name -> (sheet, dxf path)."""
    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf

    out = {}
    folder = tmp_path_factory.mktemp("cuts")
    for name in ("cbore-block", "bushing"):
        comp = compile_example(HERE / name)
        sheet = make_sheet(comp, comp.loaded.spec.parts[0])
        path = folder / f"{name}.dxf"
        path.write_bytes(write_dxf(sheet, comp.date))
        out[name] = (sheet, path)
    return out


def _dim(sheet, text):
    found = [d for d in sheet.dimensions if d.text == text]
    assert len(found) == 1, (text, [d.text for d in sheet.dimensions])
    return found[0]


def _on_section(sheet, text):
    d = _dim(sheet, text)
    name, box = _view_of(sheet, d.points["p1"])
    return name, box, d


@pytest.mark.parametrize("name, on_cut", [
    ("cbore-block", {"15 ±0.2": 15.0, "6.8 ±0.1": 6.8, "12 ±0.1": 12.0}),  # hole, counterbore and bore depths
    ("cbore-block", {"10 ±0.2": 10.0}),  # the front face's blind hole, on B–B
    ("bushing", {"Ø20 +0.2/0": 20.0, "4 +0.1/0": 4.0}),  # the internal groove's diameter and width
])
def test_internal_sizes_are_dimensioned_on_the_section_to_visible_edges(cut, name, on_cut):
    sheet, _dxf = cut[name]
    scale = sheet.scale[0] / sheet.scale[1]
    for text, value in on_cut.items():
        view, _box, d = _on_section(sheet, text)
        assert view == ("section-B" if text == "10 ±0.2" else "section"), (text, view)
        assert d.kind == "linear"
        (x1, y1), (x2, y2) = d.points["p1"], d.points["p2"]
        assert abs(abs((x2 - x1) if d.angle == 0.0 else (y2 - y1)) - value * scale) < 1e-6, text
    assert not dimensions_to_hidden_lines(sheet)


def test_the_depths_leave_the_hole_callouts(cut):
    sheet, _dxf = cut["cbore-block"]
    box = sheet.view_boxes["section"]
    texts = [p.text for p in sheet.primitives if isinstance(p, Text)]  # the callouts' lines
    texts += [g.text for d in sheet.dimensions if not _view_of(sheet, d.points["p1"])[0].startswith("section")
              for g in d.graphics if isinstance(g, Text)]
    for value in ("15 ±0.2", "6.8 ±0.1", "12 ±0.1", "10 ±0.2"):
        assert not [t for t in texts if value in t]  # only on the sections
    assert any(t.startswith("Ø6.6 H13") for t in texts) and any("Ø11 H13" in t for t in texts)
    assert box.w > 0


@pytest.mark.parametrize("name, key, letter, marked_on", [
    ("cbore-block", "section", "A", "top"),  # through the vertical holes' axes, marked where they are circles
    ("cbore-block", "section-B", "B", "front"),  # through the front face's hole, marked on the front view
    ("bushing", "section", "A", "side"),
])
def test_section_is_named_marked_and_hatched(cut, name, key, letter, marked_on):
    sheet, _dxf = cut[name]
    box = sheet.view_boxes[key]
    texts = [p for p in sheet.primitives if isinstance(p, Text)]
    assert [t for t in texts if t.text == f"{letter}–{letter}" and box.x0 <= t.x <= box.x1 and t.y > box.y1]
    # the cutting plane: a chain line across the view that sees the features end-on, with its two letters
    view = sheet.view_boxes[marked_on]
    cutting = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "CUTTING"
               and view.x0 - 5 <= min(p.x1, p.x2) and max(p.x1, p.x2) <= view.x1 + 5
               and view.y0 - 5 <= min(p.y1, p.y2) and max(p.y1, p.y2) <= view.y1 + 5]
    assert len(cutting) == 1
    letters = [t for t in texts if t.text == letter and t.height == 5.0 and t.layer == "ANNOTATION"]
    assert len(letters) == 2
    assert all(view.x0 - 15 <= t.x <= view.x1 + 15 and view.y0 - 15 <= t.y <= view.y1 + 15 for t in letters)
    # ISO 128-50 hatching at 45° inside this section
    hatches = [p for p in sheet.primitives if isinstance(p, Hatch) and p.layer == "HATCH"
               and box.x0 - 1e-6 <= p.box().x0 and p.box().x1 <= box.x1 + 1e-6
               and box.y0 - 1e-6 <= p.box().y0 and p.box().y1 <= box.y1 + 1e-6]
    assert len(hatches) == 1
    segs = hatches[0].segments()
    assert len(segs) > 10
    for x1, y1, x2, y2 in segs:
        assert abs(math.degrees(math.atan2(y2 - y1, x2 - x1)) % 180.0 - 45.0) < 1e-6


def test_section_letters_skip_i_o_q():
    from techpack.drawings.section import LETTERS

    assert LETTERS.startswith("ABCDEFGH") and not set("IOQ") & set(LETTERS)
    assert LETTERS[8] == "J"


def test_hatching_stays_out_of_the_holes(cut):
    """The cut face excludes the bores: no hatch line crosses the counterbored hole's axis inside it."""
    sheet, _dxf = cut["cbore-block"]
    box = sheet.view_boxes["section"]
    scale = sheet.scale[0] / sheet.scale[1]
    hatch = next(p for p in sheet.primitives if isinstance(p, Hatch) and box.contains(p.box().x0, p.box().y0))
    # the block is cut at Y20 and seen from the front: X runs right from the box's left edge, Z up from its bottom
    hole_x = box.x0 + 20 * scale
    for x1, y1, x2, y2 in hatch.segments():
        lo, hi = sorted((x1, x2))
        if lo < hole_x < hi:  # where the line passes the hole's axis it is below the hole's floor (Z5)
            y = y1 + (y2 - y1) * (hole_x - x1) / (x2 - x1)
            assert y <= box.y0 + 5 * scale + 1e-6


def test_the_section_is_in_the_dxf(cut):
    sheet, path = cut["bushing"]
    doc = ezdxf.readfile(path)
    k = sheet.scale[1] / sheet.scale[0]
    hatch = next(p for p in sheet.primitives if isinstance(p, Hatch))
    lines = doc.modelspace().query("LINE[layer=='HATCH']")
    assert len(lines) == len(hatch.segments())
    assert doc.modelspace().query("LINE[layer=='CUTTING']")
    values = {e.dxf.text for e in doc.modelspace().query("DIMENSION")}
    values |= {e.plain_text() for e in doc.modelspace().query("MTEXT")}
    assert {"Ø20 +0.2/0", "4 +0.1/0", "A–A"} <= values


def test_parts_whose_holes_are_through_get_no_cut(sheets):
    """The examples' holes are through holes (and tapped): no cut, as before."""
    for pn in ("TP-1001-01", "TP-3001-01", "TP-3001-02", "TP-3001-03"):
        _comp, _part, sheet = sheets[pn]
        assert not [k for k in sheet.view_boxes if k.startswith("section")]


@pytest.mark.skipif(not ink.have_tools(), reason="LibreCAD or pdftoppm is not installed")
def test_librecad_prints_the_sections_hatching(cut, tmp_path):
    """Inside each section's box LibreCAD's print of the DXF carries the hatching the SVG shows; the same DXF
    without its hatch lines does not (so the check sees them)."""
    from techpack.drawings.svg import write_svg

    sheet, dxf = cut["cbore-block"]
    svg = tmp_path / "block.svg"
    svg.write_bytes(write_svg(sheet))
    bare = tmp_path / "bare" / "block.dxf"
    bare.parent.mkdir()
    doc = ezdxf.readfile(dxf)
    for e in doc.modelspace().query("LINE[layer=='HATCH']"):
        doc.modelspace().delete_entity(e)
    doc.saveas(bare)
    for key in ("section", "section-B"):
        box = sheet.view_boxes[key]
        lc_near, ours_near, ours_ink = ink.librecad_matches_in(dxf, svg, sheet, box, tmp_path / key)
        assert ours_ink > 2000 and lc_near >= 0.9 and ours_near >= 0.9, (key, lc_near, ours_near)
        _lc, without, _ = ink.librecad_matches_in(bare, svg, sheet, box, tmp_path / f"{key}-bare")
        assert without < 0.75, (key, without)


def test_an_asme_drawing_names_its_section_as_y14_3_does(tmp_path):
    """ASME Y14.3: "SECTION A-A"; the ISO sheets above read "A–A"."""
    import shutil

    from techpack.drawings import make_sheet

    folder = tmp_path / "bushing"
    shutil.copytree(HERE / "bushing", folder)
    spec = folder / "techpack.yaml"
    text = spec.read_text()
    assert "  rfq_contact:\n" in text
    spec.write_text(text.replace("  rfq_contact:\n", "  drawing: {standard: ASME, projection: third-angle}\n"
                                 "  rfq_contact:\n", 1))
    comp = compile_example(folder)
    sheet = make_sheet(comp, comp.loaded.spec.parts[0])
    names = [p.text for p in sheet.primitives if isinstance(p, Text) and "A" in p.text and "-" in p.text]
    assert "SECTION A-A" in names and not [p for p in sheet.primitives if isinstance(p, Text) and p.text == "A–A"]
