"""Issue 12 cases 8 and 9: an inch part on an ASME Y14.5 drawing, and limit dimensions on an ISO one.

``locator-block`` is a 2.00 x 1.250 x .500 in block (modelled in mm) with a toleranced hole, a limit-dimension
bore, basic locations, a title-block tolerance block and an all-around profile; ``limits-iso`` is the cases'
spacer plate with its bore and length written as limits.  The exact strings are asserted on the drawing
model, the SVG text, plan.csv, the QIF (validated against the QIF 3.0 schemas) and the forms' limits.
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

HERE = Path(__file__).parent
SHARED = HERE.parents[1].parent / "shared"
QIF_XSD = SHARED / "qif" / "QIF3.0" / "QIFApplications" / "QIFDocument.keyref2021.xsd"
Q = "{http://qifstandards.org/xsd/qif3}"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Spec folder name -> (compilation, sheet, svg text, plan.csv rows by id, QIF root, plan), made once."""
    from techpack.build import build
    from techpack.drawings import make_sheet
    from techpack.drawings.svg import write_svg
    from techpack.engine import compile_spec
    from techpack.quality import build_plan
    from techpack.renderers.quality import RENDERER

    cache: dict = {}

    def get(name: str):
        if name not in cache:
            work = tmp_path_factory.mktemp(name)
            src = work / name
            shutil.copytree(HERE / name, src)
            comp = compile_spec(src)
            assert comp.ok, [str(d) for d in comp.diagnostics if d.severity.value == "error"]
            sheet = make_sheet(comp, comp.loaded.spec.parts[0])
            svg = write_svg(sheet).decode("utf-8")
            out = work / "out"
            result = build(src, out, renderers={RENDERER.name: RENDERER})
            assert result.written, [str(d) for d in result.diagnostics]
            with (out / "inspection" / "plan.csv").open(encoding="utf-8-sig", newline="") as fh:
                rows = {r["id"]: r for r in csv.DictReader(fh)}
            qif = etree.parse(str(out / "inspection" / f"{comp.loaded.spec.product.number}.qif"))
            cache[name] = (comp, sheet, svg, rows, qif, build_plan(comp))
        return cache[name]

    return get


def _svg_texts(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of every unrotated SVG text."""
    out = []
    for m in re.finditer(r'<text x="([-\d.]+)" y="([-\d.]+)"[^>]*?(?<!\))>([^<]*)</text>', svg):
        if "rotate" not in m[0]:
            out.append((float(m[1]), float(m[2]), m[3]))
    return out


def _svg_strings(svg: str) -> set[str]:
    return set(re.findall(r">([^<>]+)</text>", svg))


# --------------------------------------------------------------------------- case 8: the inch part, ASME


def test_asme_drawing_writes_inch_values_per_y14_5(made):
    _comp, sheet, svg, _rows, _qif, _plan = made("locator-block")
    dims = {(d.text, d.basic) for d in sheet.dimensions}
    # toleranced, general-tolerance and basic dimensions all without a leading zero, places as written/matched
    assert (".500 ±.005", False) in dims
    assert ("2.00", False) in dims and ("1.250", False) in dims
    assert {(".75", True), (".625", True), ("1.375", True)} <= dims
    assert ("Ø.257 ±.004 THRU", False) in dims
    texts = _svg_strings(svg)
    assert {".500 ±.005", "2.00", "1.250", ".75", ".625", "1.375", "Ø.257 ±.004 THRU", "Ø.010", ".010"} <= texts
    assert not any(re.search(r"(?<![\d.])0\.\d", t) for t in texts if "ASME" not in t), \
        sorted(t for t in texts if re.search(r"(?<![\d.])0\.\d", t))
    assert "Dimensions in inches; general tolerances UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005 ANGLES ±1°." in texts


def test_asme_limit_dimension_is_stacked_upper_over_lower(made):
    _comp, sheet, svg, _rows, _qif, _plan = made("locator-block")
    assert any(d.kind == "diameter" and d.text == "Ø.504\nØ.500 THRU" for d in sheet.dimensions)
    by_text = {t: (x, y) for x, y, t in _svg_texts(svg)}
    (xu, yu), (xl, yl) = by_text["Ø.504"], by_text["Ø.500 THRU"]
    assert xu == pytest.approx(xl) and yu < yl  # SVG y grows downwards: the upper limit is above


def test_tolerance_block_gives_the_untoleranced_dimensions_their_limits(made):
    _comp, _sheet, _svg, rows, _qif, _plan = made("locator-block")
    length, width = rows["length"], rows["width"]
    assert (length["nominal"], length["lower_limit"], length["upper_limit"], length["unit"]) == ("2", "1.99", "2.01", "in")
    assert length["tolerance_text"] == "±.01 (general)"
    assert length["description"] == "2.00 overall length (±.01, general tolerance)"
    assert (width["lower_limit"], width["upper_limit"], width["tolerance_text"]) == ("1.245", "1.255", "±.005 (general)")


def test_plan_csv_of_the_inch_part(made):
    _comp, _sheet, _svg, rows, _qif, _plan = made("locator-block")
    hole = rows["pin-hole.size"]
    assert (hole["description"], hole["nominal"], hole["lower_limit"], hole["upper_limit"], hole["unit"],
            hole["tolerance_text"]) == ("Ø.257 ±.004 pin hole", "0.257", "0.253", "0.261", "in", "±.004")
    pos = rows["pin-hole.position"]
    assert (pos["description"], pos["tolerance_text"], pos["unit"]) == ("position Ø.010Ⓜ A|B|C pin hole", "Ø.010 Ⓜ", "in")
    assert rows["top.profile-of-a-surface"]["description"] == "profile-of-a-surface .010 A|B|C all around top face"
    units = {r["unit"] for r in rows.values() if r["unit"]}
    assert units == {"in"}, units


def test_method_basis_of_an_inch_item_shows_inches(made):
    _comp, _sheet, _svg, _rows, _qif, plan = made("locator-block")
    item = next(i for i in plan.all_items() if i.id == "pin-hole.size")
    assert (item.method, item.method_basis) == (
        "caliper", "internal diameter: band 0.2032 mm (≈.008 in) ≥ 4 × U 0.02 mm (≈.00079 in)")


def test_inch_limit_dimension_keeps_its_limits_everywhere(made):
    from techpack.quality.batchrecord import limits_text

    _comp, _sheet, _svg, rows, qif, plan = made("locator-block")
    bore = rows["bore.size"]
    assert (bore["lower_limit"], bore["upper_limit"], bore["tolerance_text"], bore["description"]) == \
        ("0.5", "0.504", ".500-.504", "Ø.500-.504 locating bore")
    item = next(i for i in plan.all_items() if i.id == "bore.size")
    assert limits_text(item) == ".500 … .504 in"  # the batch record's and FAI form's limits
    definition = _definition(qif, "TP-7001-01/bore.size")
    assert _tol(definition) == ("0.504", "0.5", "true")
    assert _tol(_definition(qif, "TP-7001-01/pin-hole.size")) == ("0.004", "-0.004", "false")


def test_inch_qif_is_in_inches_and_valid(made):
    _comp, _sheet, _svg, _rows, qif, _plan = made("locator-block")
    if not QIF_XSD.is_file():
        pytest.skip(f"QIF schemas not found at {QIF_XSD}")
    schema = etree.XMLSchema(etree.parse(str(QIF_XSD)))
    assert schema.validate(qif), "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)
    unit = qif.find(f"{Q}FileUnits/{Q}PrimaryUnits/{Q}LinearUnit")
    assert (unit.findtext(f"{Q}UnitName"), unit.findtext(f"{Q}UnitConversion/{Q}Factor")) == ("inch", "0.0254")
    diameters = sorted(e.text for e in qif.iter(f"{Q}Diameter"))
    assert diameters == ["0.257", "0.502"]  # the model's Ø6.5278 / Ø12.7508 mm ÷ 25.4
    points = sorted(e.text for e in qif.iter(f"{Q}AxisPoint"))
    assert points == ["0.75 0.625 0", "1.375 0.625 0"]


def test_all_around_profile_reaches_the_qif_and_the_drawing(made):
    from techpack.drawings.model import Arc, Line
    from techpack.drawings.symbols import H

    _comp, sheet, _svg, _rows, qif, _plan = made("locator-block")
    definition = _definition(qif, "TP-7001-01/top.profile-of-a-surface")
    assert definition.tag == f"{Q}SurfaceProfileCharacteristicDefinition"
    assert definition.findtext(f"{Q}Extent/{Q}ExtentEnum") == "ALL_AROUND"
    others = [d for d in qif.iter() if isinstance(d.tag, str) and d.tag.endswith("CharacteristicDefinition")
              and d is not definition]
    assert all(d.find(f"{Q}Extent") is None for d in others)
    circles = [p for p in sheet.primitives if isinstance(p, Arc) and p.layer == "ANNOTATION" and p.full
               and p.r == pytest.approx(0.75 * H)]
    assert len(circles) == 1  # one circle, at the elbow of the profile's leader
    c = circles[0]
    ends = [(p.x1, p.y1) for p in sheet.primitives if isinstance(p, Line)] + \
           [(p.x2, p.y2) for p in sheet.primitives if isinstance(p, Line)]
    assert sum(1 for x, y in ends if abs(x - c.cx) < 1e-6 and abs(y - c.cy) < 1e-6) >= 2  # both leader segments


def test_capability_messages_of_an_inch_part_show_inches(tmp_path):
    """Capability data is in mm; an inch characteristic's message shows the figure in inches too."""
    from techpack.engine import compile_spec

    src = tmp_path / "tight"
    shutil.copytree(HERE / "locator-block", src)
    spec = src / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace("value: .500 ±.005", "value: .500 ±.0001").replace("tolerance: .002}", "tolerance: .00002}")
    spec.write_text(text, encoding="utf-8")
    comp = compile_spec(src)
    got = sorted(d.message for d in comp.diagnostics if d.code == "TP301")
    assert got == [
        ".5000 ±.0001 thickness needs IT4; mill-5ax holds IT9 at 10-18 mm (≈.3937-.70866 in) (Cpk 0.16 < 1.33)",
        "flatness .00002 bottom face: mill-5ax holds flatness 0.01 mm (≈.00039 in) (Cpk 0.07 < 1.33)",
    ]


# --------------------------------------------------------------------------- case 9: limits on an ISO drawing


def test_iso_limit_dimensions_stay_limits(made):
    from techpack.quality.batchrecord import limits_text

    _comp, sheet, svg, rows, qif, plan = made("limits-iso")
    texts = {d.text for d in sheet.dimensions}
    assert "60.2\n59.8" in texts
    assert any(t.startswith("Ø10.1\nØ9.9") for t in texts), texts
    lines = {t: (x, y) for x, y, t in _svg_texts(svg)}
    assert lines["60.2"][1] < lines["59.8"][1] and lines["60.2"][0] == pytest.approx(lines["59.8"][0])
    assert not any("±0.2" in t or "±0.1" in t for t in texts)
    bore, length = rows["bore.size"], rows["length"]
    assert (bore["nominal"], bore["lower_limit"], bore["upper_limit"], bore["tolerance_text"], bore["unit"]) == \
        ("10", "9.9", "10.1", "9.9..10.1", "mm")
    assert (length["lower_limit"], length["upper_limit"], length["tolerance_text"]) == ("59.8", "60.2", "59.8..60.2")
    assert _tol(_definition(qif, "TP-2001-01/bore.size")) == ("10.1", "9.9", "true")
    assert _tol(_definition(qif, "TP-2001-01/length")) == ("60.2", "59.8", "true")
    assert _tol(_definition(qif, "TP-2001-01/thickness")) == ("0.05", "-0.05", "false")
    item = next(i for i in plan.all_items() if i.id == "bore.size")
    assert limits_text(item) == "9.9 … 10.1 mm"
    unit = qif.find(f"{Q}FileUnits/{Q}PrimaryUnits/{Q}LinearUnit")
    assert unit.findtext(f"{Q}UnitName") == "mm"


def _definition(qif, subject: str):
    found = [e for e in qif.iter() if isinstance(e.tag, str) and e.tag.endswith("CharacteristicDefinition")
             and e.findtext(f"{Q}Name") == subject]
    assert len(found) == 1, subject
    return found[0]


def _tol(definition) -> tuple[str | None, str | None, str | None]:
    tol = definition.find(f"{Q}Tolerance")
    return tol.findtext(f"{Q}MaxValue"), tol.findtext(f"{Q}MinValue"), tol.findtext(f"{Q}DefinedAsLimit")


# --------------------------------------------------------------------------- ASME Y14.1 zones


def _zone_read_off_the_border(sheet, x: float, y: float) -> str:
    """The zone a reader names for (x, y): the number drawn over its column and the letter beside its row,
    the columns and rows bounded by the drawn division lines (independent of ZoneGrid.zone)."""
    from techpack.drawings.model import Line, Text
    from techpack.drawings.titleblock import frame_box

    f = frame_box(sheet.name)
    zl = [p for p in sheet.primitives if getattr(p, "layer", "") == "ZONES"]
    xs = [f.x0] + sorted({p.x1 for p in zl if isinstance(p, Line) and p.x1 == p.x2 and p.y1 >= f.y1 - 1e-9}) + [f.x1]
    ys = [f.y0] + sorted({p.y1 for p in zl if isinstance(p, Line) and p.y1 == p.y2 and p.x1 <= f.x0 + 1e-9}) + [f.y1]
    col = next(i for i in range(len(xs) - 1) if xs[i] <= x <= xs[i + 1])
    row = next(i for i in range(len(ys) - 1) if ys[i] <= y <= ys[i + 1])
    number = next(t.text for t in zl if isinstance(t, Text) and t.y > f.y1 and xs[col] < t.x < xs[col + 1])
    letter = next(t.text for t in zl if isinstance(t, Text) and t.x < f.x0 and ys[row] < t.y < ys[row + 1])
    return letter + number


def test_asme_drawing_zones_run_from_the_lower_right(made):
    """ASME Y14.1: numbers right to left, letters bottom to top; plan.csv and the QIF name each balloon's zone
    as the drawing's border does."""
    _comp, sheet, _svg, rows, qif, _plan = made("locator-block")
    assert sheet.grid.order == "asme"
    f = sheet.grid.frame
    assert sheet.grid.zone(f.x1 - 1.0, f.y0 + 1.0) == "A1"  # the lower right corner
    n_cols, n_rows = len(sheet.grid.columns) - 1, len(sheet.grid.rows) - 1
    assert sheet.grid.zone(f.x0 + 1.0, f.y1 - 1.0) == "ABCDEFGHJKLMNPQRSTUVWXYZ"[n_rows - 1] + str(n_cols)
    assert _zone_read_off_the_border(sheet, f.x1 - 1.0, f.y0 + 1.0) == "A1"
    qif_zones = {z.text for z in qif.iter(f"{Q}DrawingZone")}
    checked = 0
    for cid, box in sheet.balloons.items():
        if cid not in rows:
            continue
        drawn = _zone_read_off_the_border(sheet, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        assert rows[cid]["zone"] == drawn, cid
        assert drawn in qif_zones, cid
        checked += 1
    assert checked >= 5
