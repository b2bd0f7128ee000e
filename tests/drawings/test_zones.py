"""ISO 5457 grid reference system: the zone fields on the border and the zone of every balloon."""

from __future__ import annotations

import re

import pytest

from techpack.drawings.model import Line, Text
from techpack.drawings.titleblock import SHEETS, frame_box
from techpack.drawings.zones import ISO_FIELDS, zone_grid

from drawing_helpers import PARTS, ROOT

TABLE = ROOT.parent / "shared" / "standards" / "iso5457_drawing_sheets.md"


def _table_counts() -> dict[str, tuple[int, int]]:
    """(fields along the long side, along the short side) per ISO size, read from the standards table."""
    out = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (A\d) \|[^|]*\|[^|]*\| \**(\d+)\** [^|]*\| \**(\d+)\** ", line + " ")
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def test_field_counts_are_the_standards_table():
    table = _table_counts()
    assert sorted(table) == ["A0", "A1", "A2", "A3", "A4"]
    for name, (long_side, short_side) in table.items():
        w, h = SHEETS[name]
        grid = zone_grid(name, w, h, frame_box(name))
        across, down = len(grid.columns) - 1, len(grid.rows) - 1
        # A4 is drawn portrait: its long side runs down the sheet
        assert (max(across, down), min(across, down)) == (long_side, short_side), name
        assert (across, down) == ISO_FIELDS[name]


@pytest.mark.parametrize("name", ["A0", "A1", "A2", "A3", "A4"])
def test_fields_are_50_mm_from_the_centring_marks(name):
    w, h = SHEETS[name]
    f = frame_box(name)
    grid = zone_grid(name, w, h, f)
    assert grid.columns[0] == f.x0 and grid.columns[-1] == f.x1
    assert grid.rows[0] == f.y1 and grid.rows[-1] == f.y0  # letters from the top
    assert w / 2 in grid.columns and h / 2 in grid.rows
    inner_x = [b - a for a, b in zip(grid.columns[1:-2], grid.columns[2:-1])]
    inner_y = [a - b for a, b in zip(grid.rows[1:-2], grid.rows[2:-1])]
    assert all(abs(d - 50.0) < 1e-9 for d in inner_x + inner_y)


#: points of the A3 frame (x, y from the sheet's lower left) -> (ISO 5457 zone, ASME Y14.1 zone)
A3_CELLS = {
    (21.0, 286.0): ("A1", "F8"),  # top left corner
    (409.0, 286.0): ("A8", "F1"),  # top right corner
    (21.0, 11.0): ("F1", "A8"),  # bottom left corner
    (409.0, 11.0): ("F8", "A1"),  # bottom right corner: the title block's corner, where ASME starts
    (210.5, 148.0): ("D5", "C4"),  # just right of and below the centring marks
    (209.5, 149.0): ("C4", "D5"),  # just left of and above them
    (159.9, 198.6): ("B3", "E6"),
}


@pytest.mark.parametrize("order", ["iso", "asme"])
def test_a3_zones_cell_by_cell_in_both_conventions(order):
    """ISO 5457 numbers from the left and letters from the top; ASME Y14.1 numbers from the right and letters
    from the bottom: the same point gets mirrored names."""
    w, h = SHEETS["A3"]
    grid = zone_grid("A3", w, h, frame_box("A3"), order)
    for (x, y), names in A3_CELLS.items():
        assert grid.zone(x, y) == names[0 if order == "iso" else 1], (order, x, y)


@pytest.mark.parametrize("order", ["iso", "asme"])
def test_drawn_references_name_the_zones_the_grid_reports(order):
    """The numbers and letters drawn on the border read, at each cell, the zone ``ZoneGrid.zone`` gives."""
    from techpack.drawings.zones import grid_primitives

    w, h = SHEETS["ANSI-B"] if order == "asme" else SHEETS["A3"]
    name = "ANSI-B" if order == "asme" else "A3"
    grid = zone_grid(name, w, h, frame_box(name), order)
    texts = [p for p in grid_primitives(grid, w, h) if isinstance(p, Text)]
    f = grid.frame
    top = {round(t.x, 6): t.text for t in texts if t.y > f.y1}
    left = {round(t.y, 6): t.text for t in texts if t.x < f.x0}
    for x, number in top.items():
        for y, letter in left.items():
            assert grid.zone(x, y) == letter + number
    corner = grid.zone(f.x1 - 1.0, f.y0 + 1.0)
    assert corner == ("A1" if order == "asme" else LETTERS_LAST(grid) + str(len(grid.columns) - 1))


def LETTERS_LAST(grid) -> str:  # noqa: N802 - the last row letter of a grid
    return "ABCDEFGHJKLMNPQRSTUVWXYZ"[len(grid.rows) - 2]


def test_a3_zones_by_hand():
    w, h = SHEETS["A3"]
    grid = zone_grid("A3", w, h, frame_box("A3"))
    assert grid.columns == (20.0, 60.0, 110.0, 160.0, 210.0, 260.0, 310.0, 360.0, 410.0)
    assert grid.zone(21.0, 286.0) == "A1"
    assert grid.zone(409.0, 11.0) == "F8"
    assert grid.zone(210.5, 148.0) == "D5"  # just right of and below the centring marks
    assert grid.zone(159.9, 198.6) == "B3"


@pytest.mark.parametrize("pn", PARTS)
def test_grid_is_drawn_with_numbers_and_letters_on_opposite_sides(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    texts = sorted(p.text for p in sheet.primitives if isinstance(p, Text) and p.layer == "ZONES")
    nx, ny = len(sheet.grid.columns) - 1, len(sheet.grid.rows) - 1
    letters = [c for c in "ABCDEFGHJKLMNPQRSTUVWXYZ"][:ny]
    assert texts == sorted([str(i) for i in range(1, nx + 1)] * 2 + letters * 2)
    assert "I" not in texts and "O" not in texts
    assert all(p.height == 3.5 for p in sheet.primitives if isinstance(p, Text) and p.layer == "ZONES")


def _zone_from_drawn_ticks(sheet, x: float, y: float) -> str:
    """The zone read off the drawn division lines, as a person counts them (independent of ZoneGrid.zone)."""
    f = frame_box(sheet.name)
    ticks = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "ZONES"]
    top_x = sorted({p.x1 for p in ticks if p.x1 == p.x2 and min(p.y1, p.y2) >= f.y1 - 1e-9})
    left_y = sorted({p.y1 for p in ticks if p.y1 == p.y2 and max(p.x1, p.x2) <= f.x0 + 1e-9}, reverse=True)
    column = 1 + sum(1 for t in top_x if t <= x)
    row = sum(1 for t in left_y if t >= y)
    return "ABCDEFGHJKLMNPQRSTUVWXYZ"[row] + str(column)


@pytest.mark.parametrize("pn", PARTS)
def test_every_balloon_has_the_zone_it_is_drawn_in(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    assert sheet.balloons
    for cid, box in sheet.balloons.items():
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        assert sheet.zone_of(cid) == _zone_from_drawn_ticks(sheet, cx, cy), cid


def test_known_balloons_of_the_bracket(sheets):
    _comp, _part, sheet = sheets["TP-1001-01"]
    assert sheet.zone_of("note.1") == "F1"  # the notes block: bottom left
    assert sheet.zone_of("bore.size") == "C6"
    assert sheet.zone_of("no-such-characteristic") == ""


@pytest.mark.parametrize("pn", PARTS)
def test_lettering_uses_iso_3098_heights(sheets, pn):
    """Every text of the drawing, balloons included, is 2.5, 3.5, 5 or 7 mm high."""
    _comp, _part, sheet = sheets[pn]
    texts = [p for p in sheet.primitives if isinstance(p, Text)]
    texts += [g for d in sheet.dimensions for g in d.graphics if isinstance(g, Text)]
    assert {p.height for p in texts} <= {2.5, 3.5, 5.0, 7.0}, {p.height for p in texts}
    assert {p.height for p in texts if p.layer == "BALLOONS"} == {2.5}
    assert {p.height for p in texts if p.layer == "TITLE"} <= {2.5, 5.0}


@pytest.mark.parametrize("pn", PARTS)
def test_title_block_values_are_whole_at_2_5_mm(sheets, pn):
    """The title block wraps rather than shrinks; no example's value is shortened with …."""
    _comp, _part, sheet = sheets[pn]
    assert not [p.text for p in sheet.primitives if isinstance(p, Text) and p.layer == "TITLE" and "…" in p.text]
