"""Threads drawn per ISO 6410-1 (or the ASME simplified form): checked on the real drawing model."""

from __future__ import annotations

import csv
import math
import shutil

import pytest

from techpack.drawings.model import Arc, Line
from techpack.drawings.threads import COARSE_PITCH, MIN_GAP, ROOT_DEPTH, thread_size

from drawing_helpers import ROOT, compile_example

ISO965 = ROOT.parent / "shared" / "standards" / "iso965_metric_threads.csv"


def _full_circles(sheet, layer):
    return [p for p in sheet.primitives if isinstance(p, Arc) and p.layer == layer and p.full]


def _three_quarter(sheet, layer="THIN"):
    return [p for p in sheet.primitives if isinstance(p, Arc) and p.layer == layer and not p.full]


def _in(box, x, y):
    return box.x0 - 1e-6 <= x <= box.x1 + 1e-6 and box.y0 - 1e-6 <= y <= box.y1 + 1e-6


def test_pitches_and_root_depth_agree_with_iso_965():
    rows = list(csv.DictReader(ISO965.open(encoding="utf-8")))
    coarse = {float(r["d"]): float(r["P"]) for r in rows if r["series"] == "coarse"}
    assert coarse == COARSE_PITCH
    for r in rows:
        size = thread_size(r["designation"] + "-6g")
        assert size.major == float(r["d"]) and size.pitch == float(r["P"]), r["designation"]
        assert size.minor_external == pytest.approx(float(r["d3_basic"]), abs=0.0015), r["designation"]


def test_unified_designations():
    assert thread_size("1/4-20 UNC-2A").major == pytest.approx(6.35)
    assert thread_size("1/4-20 UNC-2A").pitch == pytest.approx(1.27)
    assert thread_size("#10-32 UNF-2B").major == pytest.approx(0.19 * 25.4)
    assert thread_size("G1/4") is None  # not a thread this knows: nothing is drawn for it


def test_bracket_m5_end_view_is_a_thick_crest_circle_and_a_thin_three_quarter_root(sheets):
    _comp, _part, sheet = sheets["TP-1001-01"]
    s = sheet.scale[0] / sheet.scale[1]
    front = sheet.view_boxes["front"]
    arcs = [a for a in _three_quarter(sheet) if _in(front, a.cx, a.cy)]
    assert len(arcs) == 2  # both M5 holes
    for a in arcs:
        assert (a.a1 - a.a0) % 360 == 270.0 and a.a0 == 90.0  # open in the upper right quadrant
        crest = [c for c in _full_circles(sheet, "VISIBLE") if math.hypot(c.cx - a.cx, c.cy - a.cy) < 1e-6]
        assert [c.r for c in crest] == [pytest.approx(2.1 * s)]  # the Ø4.2 tap drill, thick
        # the root at the major Ø5, or the ISO minimum spacing from the crest when that is wider on paper
        assert a.r == pytest.approx(max(2.5 * s, 2.1 * s + MIN_GAP))
        assert a.r - crest[0].r >= 0.7 and a.r - crest[0].r >= 2 * 0.5
    # no thick circle of the major diameter anywhere (the root is never thick)
    assert not [c for c in _full_circles(sheet, "VISIBLE") if abs(c.r - 2.5 * s) < 1e-6]


def test_standoff_m4_both_ends_true_scale(sheets):
    _comp, _part, sheet = sheets["TP-3001-03"]
    assert sheet.scale == (5, 1)
    side = sheet.view_boxes["side"]
    arcs = [a for a in _three_quarter(sheet) if _in(side, a.cx, a.cy)]
    assert len(arcs) == 1 and arcs[0].r == pytest.approx(10.0)  # M4 major at 5:1, its true size
    crest = [c for c in _full_circles(sheet, "VISIBLE") if math.hypot(c.cx - arcs[0].cx, c.cy - arcs[0].cy) < 1e-6]
    assert sorted(c.r for c in crest) == [pytest.approx(8.25), pytest.approx(20.0)]  # Ø3.3 drill and Ø8 outside
    # side view: the bore is hidden, so the thread's root lines and its limit lines are narrow dashed
    front = sheet.view_boxes["front"]
    axis_y = (front.y0 + front.y1) / 2
    hidden = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "HIDDEN" and _in(front, p.x1, p.y1)]
    roots = [p for p in hidden if p.y1 == p.y2 and abs(abs(p.y1 - axis_y) - 10.0) < 1e-6]
    assert sorted(round(abs(p.x2 - p.x1), 6) for p in roots) == [40.0] * 4  # 8 mm at each end, 5:1, both sides
    limits = [p for p in hidden if p.x1 == p.x2 and abs(abs(p.y2 - p.y1) - 20.0) < 1e-6]
    assert sorted(round(p.x1 - front.x0, 6) for p in limits) == [40.0, 60.0]  # 8 mm from each end face


def _stud(tmp_path, standard: str = "ISO"):
    folder = tmp_path / "stud"
    shutil.copytree(ROOT / "tests" / "cases" / "_valid", folder)
    (folder / "part.py").write_text(
        "import cadquery as cq\n"
        "result = (cq.Workplane('YZ').circle(10).extrude(10)\n"
        "          .faces('>X').workplane().circle(5).extrude(20))\n", encoding="utf-8")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    start, end = text.index("    datums:\n"), text.index("bom:")
    features = ("    features:\n"
                "      - {id: shank, type: shaft, size: Ø10, thread: M10x1.5-6g, length: 20 ±0.2, axis: x}\n"
                "      - {id: head, type: shaft, size: Ø20 ±0.1, axis: x}\n"
                "    dimensions:\n      - {id: overall, value: 30 ±0.2}\n\n")
    text = text[:start] + features + text[end:]
    if standard == "ASME":
        text = text.replace("  rfq_contact:", "  drawing: {standard: ASME}\n  rfq_contact:")
    spec.write_text(text, encoding="utf-8")
    comp = compile_example(folder)
    from techpack.drawings import make_sheet

    return make_sheet(comp, comp.loaded.spec.parts[0])


def test_external_thread_thin_minor_lines_and_hidden_end_view(tmp_path):
    sheet = _stud(tmp_path)
    s = sheet.scale[0] / sheet.scale[1]
    d3 = 10 - ROOT_DEPTH * 1.5
    thin = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "THIN"]
    assert len(thin) == 2 and all(p.y1 == p.y2 for p in thin)
    assert abs(thin[0].y1 - thin[1].y1) == pytest.approx(d3 * s)  # the root (minor Ø) as narrow lines
    assert all(abs(p.x2 - p.x1) == pytest.approx(20 * s) for p in thin)
    # seen from the head's side the shank is hidden: its root is a hidden ¾ circle at the minor Ø
    arcs = _three_quarter(sheet, "HIDDEN")
    assert [a.r for a in arcs] == [pytest.approx(d3 / 2 * s)]
    # the thread is called out on the major diameter
    assert any(d.text == "M10x1.5-6g" for d in sheet.dimensions)


def test_asme_simplified_thread(tmp_path):
    sheet = _stud(tmp_path, "ASME")
    s = sheet.scale[0] / sheet.scale[1]
    d3 = 10 - ROOT_DEPTH * 1.5
    assert not [p for p in sheet.primitives if getattr(p, "layer", "") == "THIN"]
    assert not [p for p in sheet.primitives if isinstance(p, Arc) and not p.full and p.layer in ("THIN", "HIDDEN")]
    hidden = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "HIDDEN"
              and abs(abs(p.x2 - p.x1) - 20 * s) < 1e-6]
    assert len(hidden) == 2 and abs(hidden[0].y1 - hidden[1].y1) == pytest.approx(d3 * s)
    assert [c.r for c in _full_circles(sheet, "HIDDEN") if abs(c.r - d3 / 2 * s) < 1e-6]


def test_dxf_carries_the_thread_arcs_and_the_zone_grid(sheets):
    import io

    import ezdxf

    from techpack.drawings.dxf import write_dxf

    comp, _part, sheet = sheets["TP-1001-01"]
    doc = ezdxf.read(io.StringIO(write_dxf(sheet, comp.date).decode("utf-8")))
    arcs = [a for a in doc.modelspace().query("ARC") if a.dxf.layer == "THIN"]
    assert len(arcs) == 2 and all((a.dxf.end_angle - a.dxf.start_angle) % 360 == 270 for a in arcs)
    assert doc.layers.get("THIN").dxf.lineweight == 25 and doc.layers.get("VISIBLE").dxf.lineweight == 50
    zones = [m for m in doc.modelspace().query("MTEXT") if m.dxf.layer == "ZONES"]
    assert len(zones) == 2 * (8 + 6)
