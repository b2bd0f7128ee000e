"""No dimension is drawn to a hidden line: each end of every dimension is a visible edge of its view."""

from __future__ import annotations

import math

import pytest

from techpack.drawings.model import Arc, Line

from drawing_helpers import PARTS, TOL, _ends, _shown, _view_of, dimensions_to_hidden_lines


@pytest.mark.parametrize("pn", PARTS)
def test_every_linear_dimension_ends_on_visible_edges(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    assert not dimensions_to_hidden_lines(sheet)


@pytest.mark.parametrize("pn", PARTS)
def test_hole_sizes_are_given_where_the_hole_is_a_visible_circle(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    for d in sheet.dimensions:
        if d.kind != "diameter":
            continue
        (x1, y1), (x2, y2) = d.points["p1"], d.points["p2"]
        cx, cy, r = (x1 + x2) / 2, (y1 + y2) / 2, math.hypot(x2 - x1, y2 - y1) / 2
        assert any(isinstance(p, Arc) and p.layer == "VISIBLE" and p.full and abs(p.cx - cx) < TOL
                   and abs(p.cy - cy) < TOL and abs(p.r - r) < TOL for p in sheet.primitives), d.text


def test_the_check_sees_a_hidden_end(sheets):
    """The rule above is not vacuous: a hidden edge alone does not count."""
    _comp, _part, sheet = sheets["TP-3001-03"]
    front = sheet.view_boxes["front"]
    hidden = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "HIDDEN" and p.y1 == p.y2
              and front.contains(p.x1, p.y1)]
    assert hidden
    y = hidden[0].y1
    assert _shown(sheet, front, False, y, layers=("HIDDEN",))
    assert not _shown(sheet, front, False, y)


def test_keyway_depth_is_dimensioned_on_the_section(sheets):
    comp, _part, sheet = sheets["TP-2001-01"]
    d = next(d for d in sheet.dimensions if d.text == "3 +0.1/0")
    name, box = _view_of(sheet, d.points["p1"])
    assert name == "section"
    along_x, a, b = _ends(d)
    assert not along_x and abs(abs(b - a) - 3.0) < TOL  # 1:1
    bottom = min(a, b)
    # the keyway's bottom is a visible edge of the section: a thick line as wide as the key (5 mm)
    assert [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "VISIBLE" and p.y1 == p.y2
            and abs(p.y1 - bottom) < TOL and abs(abs(p.x2 - p.x1) - 5.0) < TOL and box.contains(p.x1, p.y1)]
