"""The sheet as a machinist reads it: nothing overlaps, every characteristic has its balloon."""

from __future__ import annotations

import itertools

import pytest

from techpack.drawings.titleblock import SHEETS, frame_box

from drawing_helpers import PARTS


@pytest.mark.parametrize("pn", PARTS)
def test_annotations_do_not_overlap_each_other(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    labels = sheet.labels
    assert len(labels) > 10
    clashes = [(a.owner, b.owner) for a, b in itertools.combinations(labels, 2)
               if a.owner.split(":datum")[0] != b.owner.split(":datum")[0] and a.box.overlaps(b.box)]
    assert not clashes


@pytest.mark.parametrize("pn", PARTS)
def test_annotations_stay_off_the_view_geometry(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    assert {"front", "side", "iso"} <= set(sheet.view_boxes)
    hits = [(lb.owner, view) for lb in sheet.labels for view, box in sheet.view_boxes.items() if lb.box.overlaps(box)]
    assert not hits


@pytest.mark.parametrize("pn", PARTS)
def test_views_title_block_and_notes_are_apart_and_on_the_sheet(sheets, pn):
    _comp, _part, sheet = sheets[pn]
    frame = frame_box(sheet.name)
    assert (sheet.width, sheet.height) == SHEETS[sheet.name]
    boxes = dict(sheet.view_boxes)
    boxes.update(sheet.reserved)
    for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2):
        assert not ba.overlaps(bb), (a, b)
    for lb in sheet.labels:
        assert frame.contains(lb.box.x0, lb.box.y0) and frame.contains(lb.box.x1, lb.box.y1), lb
        in_notes = sheet.reserved["notes"].overlaps(lb.box)
        assert in_notes == lb.owner.startswith("note:"), lb
        assert not sheet.reserved["title block"].overlaps(lb.box), lb


@pytest.mark.parametrize("pn", PARTS)
def test_every_characteristic_has_exactly_its_balloon(sheets, pn):
    comp, part, sheet = sheets[pn]
    ids = {c.id for c in comp.context.characteristics[part.number]}
    assert set(sheet.balloons) == ids
    texts = [p.text for p in sheet.primitives if getattr(p, "layer", "") == "BALLOONS" and hasattr(p, "text")]
    assert sorted(texts) == sorted(ids)


def test_balloons_sit_next_to_their_annotation(sheets):
    _comp, _part, sheet = sheets["TP-1001-01"]
    b = sheet.balloons
    # the bore's position frame and its balloon are on one row of the bore's callout
    assert abs((b["bore.position"].y0 + b["bore.position"].y1) / 2 - (b["bore.size"].y0 + b["bore.size"].y1) / 2) < 12
    # the notes' balloons are in the notes block
    assert sheet.reserved["notes"].overlaps(b["note.1"]) and sheet.reserved["notes"].overlaps(b["note.2"])
    # a dimension's balloon is beside its value
    dims = {lb.owner: lb.box for lb in sheet.labels if lb.kind == "dimension"}
    length = dims["dim:length"]
    assert abs(b["length"].y0 - length.y0) < 3 and 0 <= b["length"].x0 - length.x1 < 0.2 * length.w + 2.0


def test_scale_and_sheet_are_standard_and_as_large_as_fits(sheets):
    scales = {pn: s.scale for pn, (_c, _p, s) in sheets.items()}
    # the bracket's history (A, B) puts a revision table on the title block: its views keep clear of it at 1:1
    assert scales["TP-1001-01"] == (1, 1)
    assert scales["TP-2001-01"] == (1, 1)
    assert scales["TP-3001-03"] == (5, 1)  # the 20 mm standoff is enlarged
    # the enclosure body's balloons (ISO 3098 2.5 mm) do not fit around it on A3 at 1:1 or 1:2: one size larger
    # sheet keeps it at 1:1 rather than shrinking it two steps to 1:5 on A3
    assert scales["TP-3001-01"] == (1, 1) and sheets["TP-3001-01"][2].name == "A2"
    assert all(s.name == "A3" for pn, (_c, _p, s) in sheets.items() if pn != "TP-3001-01")


def test_candidates_prefer_a_larger_sheet_to_a_second_scale_step():
    """Each scale step below the bare views' largest fitting scale costs as much as one sheet size up: after
    A3 1:1 and A3 1:2 comes A2 1:1, before A3 1:5; the preferred sheet wins a tie."""
    from types import SimpleNamespace

    from techpack.drawings.layout import _candidates

    def view(w, h):
        return SimpleNamespace(edges=[1], bbox=lambda: (0.0, 0.0, w, h))

    inp = SimpleNamespace(projected={"front": view(120, 20), "top": view(120, 65), "left": view(80, 20)},
                          first_angle=True, preferred_sheet="A3")
    order = [(sheet, scale) for _cost, _si, sheet, scale in _candidates(inp)]
    assert order[:5] == [("A3", (1, 1)), ("A3", (1, 2)), ("A2", (1, 1)), ("A3", (1, 5)), ("A2", (1, 2))]
    assert ("A3", (2, 1)) not in order and ("A2", (2, 1)) not in order  # never larger than the views fit on A3


def test_shaft_lies_with_its_axis_horizontal(sheets):
    _comp, _part, sheet = sheets["TP-2001-01"]
    front = sheet.view_boxes["front"]
    assert front.w == pytest.approx(150.0) and front.h == pytest.approx(25.0)


def test_title_block_says_everything(sheets):
    _comp, _part, sheet = sheets["TP-1001-01"]
    title = {p.text for p in sheet.primitives if getattr(p, "layer", "") == "TITLE" and hasattr(p, "text")}
    for expected in ("TP-1001-01", "Bracket", "B", "EN AW-6061-T6, ASTM B221", "ISO 2768-mK", "mm", "1:1", "1 / 1",
                     "2026-03-02", "D. Whitlock", "R. Okafor", "TP-1001 Sensor mounting bracket", "ISO 1101",
                     "Northfield Instruments Ltd", "135.7 g"):
        assert expected in title, expected
    assert any("anodising" in t for t in title)


def test_projection_method_moves_the_views(copy_example):
    from techpack.drawings import make_sheet

    from drawing_helpers import compile_example

    folder = copy_example("bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("projection: first-angle", "projection: third-angle").replace("sheet: A3", "sheet: ANSI-B"),
                    encoding="utf-8")
    comp = compile_example(folder)
    sheet = make_sheet(comp, comp.loaded.spec.parts[0])
    views = sheet.view_boxes
    assert views["top"].y0 > views["front"].y1  # third angle: the view from above is drawn above
    assert views["side"].x0 > views["front"].x1  # and the view from the right on the right
    assert (sheet.width, sheet.height) == SHEETS["ANSI-B"]

    first = make_sheet(*_bracket())
    assert first.view_boxes["top"].y1 < first.view_boxes["front"].y0  # first angle: below


def _bracket():
    from drawing_helpers import EXAMPLES, compile_example

    comp = compile_example(EXAMPLES / "bracket")
    return comp, comp.loaded.spec.parts[0]


def test_a_radius_is_a_radius_dimension_on_its_arc(tmp_path):
    import shutil

    import ezdxf

    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf

    from drawing_helpers import ROOT, compile_example

    folder = tmp_path / "plate"
    shutil.copytree(ROOT / "tests" / "cases" / "_valid", folder)
    (folder / "part.py").write_text(
        "import cadquery as cq\n"
        "result = (cq.Workplane('XY').box(60, 40, 10, centered=False).edges('|Z').fillet(5)\n"
        "          .faces('>Z').workplane(origin=(30, 20, 10)).hole(10))\n", encoding="utf-8")
    spec = folder / "techpack.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "      - {id: thickness, value: 10 ±0.05}\n",
        "      - {id: thickness, value: 10 ±0.05}\n      - {id: corner, type: radius, value: 5 ±0.2}\n"),
        encoding="utf-8")
    comp = compile_example(folder)
    sheet = make_sheet(comp, comp.loaded.spec.parts[0])
    assert not sheet.reserved["notes"].overlaps(sheet.balloons["corner"])  # on a view, not in the notes
    doc = ezdxf.read(__import__("io").StringIO(write_dxf(sheet, comp.date).decode("utf-8")))
    # a leader callout is geometry in the DXF (a reader that redraws a RADIUS dimension would draw it from
    # the centre with the value on the line, not as drawn): the value with its leader and arrowhead
    from ezdxf.tools.text import plain_mtext

    from techpack.drawings.dxf import regenerates

    (corner,) = [d for d in sheet.dimensions if d.kind == "radius"]
    assert corner.text == "R5 ±0.2" and not regenerates(corner)
    assert "R5 ±0.2" in {plain_mtext(m.text) for m in doc.modelspace().query("MTEXT")}
    assert not [d for d in doc.modelspace().query("DIMENSION") if d.dimtype & 0x0F == 4]
