"""Revision marks in the drawing model (``drawings/revmarks.py``): the table's rows, its limits, the triangles."""

from __future__ import annotations

from types import SimpleNamespace

from techpack.drawings.model import Box, Label, Polyline, Sheet, Text
from techpack.drawings.revmarks import (MAX_ROWS, RevisionMark, RevisionRow, place_marks, table_for,
                                        triangle_size)
from techpack.drawings.sheet import revision_rows
from techpack.drawings.text import text_width


def _comp(history, approver="R. Okafor"):
    entries = [SimpleNamespace(revision=r, date=d, description=t, approved_by=a) for r, d, t, a in history]
    product = SimpleNamespace(history=entries, drawing=SimpleNamespace(approved_by=approver))
    return SimpleNamespace(loaded=SimpleNamespace(spec=SimpleNamespace(product=product)))


H = [("A", "2025-01-01", "First release.", None), ("B", "2025-06-01", "Bore changed.", "Q. Lead"),
     ("C", "2026-01-01", "Holes added.", None)]


def test_rows_run_up_to_the_part_revision_and_the_current_one_takes_the_drawing_approver():
    rows = revision_rows(_comp(H), SimpleNamespace(revision="C"), marked=False)
    assert rows == [RevisionRow("A", "First release.", "2025-01-01", "—"),
                    RevisionRow("B", "Bore changed.", "2025-06-01", "Q. Lead"),
                    RevisionRow("C", "Holes added.", "2026-01-01", "R. Okafor")]
    # a part last revised at B: its sheet's latest row is B (the title block's revision)
    rows = revision_rows(_comp(H), SimpleNamespace(revision="B"), marked=False)
    assert [r.revision for r in rows] == ["A", "B"] and rows[-1].approved == "Q. Lead"
    rows = revision_rows(_comp(H), SimpleNamespace(revision="A"), marked=True)
    assert [(r.revision, r.approved) for r in rows] == [("A", "R. Okafor")]


def test_no_table_for_a_first_issue_or_a_revision_the_history_does_not_list():
    first = _comp(H[:1])
    assert revision_rows(first, SimpleNamespace(revision="A"), marked=False) == []
    assert len(revision_rows(first, SimpleNamespace(revision="A"), marked=True)) == 1  # with a baseline: shown
    assert revision_rows(_comp(H), SimpleNamespace(revision="D"), marked=True) == []
    assert revision_rows(_comp([]), SimpleNamespace(revision="A"), marked=True) == []


def test_the_table_keeps_the_latest_rows_and_says_how_many_earlier_ones_are_left_out():
    rows = [RevisionRow(str(n), f"change {n}", "2025-01-01", "—") for n in range(MAX_ROWS + 3)]
    table = table_for(rows)
    assert [r.revision for r in table.rows] == [str(n) for n in range(3, MAX_ROWS + 3)]
    assert table.omitted == 3
    texts = [p.text for p in table.primitives() if isinstance(p, Text)]
    assert "3 earlier revisions: see the revision history in the tech-pack PDF" in texts
    assert table_for([]) is None


def test_a_long_description_is_wrapped_then_shortened_visibly_and_stays_in_its_column():
    long = " ".join(["word"] * 200)
    table = table_for([RevisionRow("A", long, "2025-01-01", "someone with a very long name indeed, really")])
    texts = [p for p in table.primitives() if isinstance(p, Text)]
    desc = [t for t in texts if t.text.startswith("word")]
    assert len(desc) == 2 and desc[-1].text.endswith("…")
    assert all(t.box().x1 <= table.x0 + 16.0 + 104.0 + 0.5 for t in desc)
    approved = next(t for t in texts if t.text.startswith("someone"))
    assert approved.text.endswith("…") and approved.box().x1 <= table.x0 + table.width
    # every text inside the table's box
    assert all(table.box().grow(0.01).contains(t.box().x0, t.box().y0) for t in texts)


def test_the_triangle_holds_its_letter_clear_of_the_slopes():
    for letter in ("B", "AA", "02", "W"):
        mark = RevisionMark("x", letter, 10.0, 20.0)
        tri, text = mark.primitives()
        assert isinstance(tri, Polyline) and tri.closed and len(tri.points) == 3
        s = triangle_size(letter)
        (x0, b), (x1, _), (_, apex) = tri.points
        assert abs((x1 - x0) - s) < 1e-9 and abs(apex - b - 0.866 * s) < 1e-9
        top = text.y + text.height  # the letter's cap line
        half_width_there = (s / 2) * (1 - (top - b) / (apex - b))
        assert text_width(letter, text.height) / 2 < half_width_there


def test_marks_go_beside_the_balloon_where_nothing_else_is():
    sheet = Sheet("A3", 420.0, 297.0, (1, 1))
    sheet.balloons = {"a.size": Box(100.0, 100.0, 120.0, 104.0), "b.size": Box(200.0, 100.0, 220.0, 104.0)}
    # something sits left of b's balloon: its triangle goes to the right
    sheet.labels = [Label("dim", "dimension", Box(190.0, 99.0, 199.5, 105.0))]
    marks, missing = place_marks(sheet, ["a.size", "b.size", "c.size"], "B")
    assert missing == ["c.size"]
    a, b = marks
    assert a.box().x1 <= 100.0 and abs((a.box().y0 + a.box().y1) / 2 - 102.0) < 1.0
    assert b.box().x0 >= 220.0
    assert not any(m.box().overlaps(lb.box) for m in marks for lb in sheet.labels)
    sheet.revision_marks = marks
    prims = sheet.revision_primitives()
    assert sum(isinstance(p, Polyline) for p in prims) == 2 and all(p.layer == "REVISIONS" for p in prims)


def test_the_views_keep_clear_of_the_revision_table(sheets, monkeypatch):
    """The bracket's history (A, B) gives its sheet a table; no view, dimension or label comes near it, and the
    part is drawn at 1:1 with the table as without it."""
    from techpack.drawings import make_sheet, sheet as sheet_module  # noqa: PLC0415
    from techpack.drawings.layout import TABLE_CLEARANCE  # noqa: PLC0415

    comp, part, sheet = sheets["TP-1001-01"]
    table = sheet.revision_table
    assert [r.revision for r in table.rows] == ["A", "B"] and sheet.revision_marks == []  # no baseline: no marks
    assert sheet.reserved["revision table"] == table.box()
    assert table.box().y0 == sheet.reserved["title block"].y1 and table.box().x1 == sheet.reserved["title block"].x1
    for view in sheet.view_boxes.values():
        assert not view.overlaps(table.box(), TABLE_CLEARANCE)
    for label in sheet.labels:
        assert not label.box.overlaps(table.box()), label
    for d in sheet.dimensions:
        for g in d.graphics:
            assert not g.box().overlaps(table.box()), d.text
    assert sheet.scale == (1, 1)
    monkeypatch.setattr(sheet_module, "revision_rows", lambda *_a, **_k: [])
    plain = make_sheet(comp, part)
    assert plain.revision_table is None and plain.scale == (1, 1)
