"""Each balloon's sheet and zone, from the drawing layout, in plan.csv, the AS9102 Form 3 and the QIF."""

from __future__ import annotations

import csv
import io

from lxml import etree

from techpack.quality.as9102 import build_fairs

NS = {"q": "http://qifstandards.org/xsd/qif3"}


def _sheets(comp):
    from techpack.drawings import part_sheet

    return {p.number: part_sheet(comp, p) for p in comp.loaded.spec.parts}


def test_plan_csv_names_the_zone_of_every_balloon(built, compiled):
    comp = compiled("bracket")
    sheets = _sheets(comp)
    out = built("bracket")
    rows = list(csv.DictReader(io.StringIO((out / "inspection" / "plan.csv").read_text(encoding="utf-8-sig"))))
    ballooned = [r for r in rows if r["balloon"]]
    assert len(ballooned) >= 20
    for r in ballooned:
        sheet = sheets[r["part"]]
        assert (r["sheet"], r["zone"]) == ("1", sheet.zone_of(r["id"])), r["id"]
        assert r["zone"]
    bore = next(r for r in rows if r["id"] == "bore.size")
    assert (bore["sheet"], bore["zone"]) == ("1", "C6")
    # what is not on the drawing (the material, the finish) names no zone
    assert all(not r["zone"] for r in rows if not r["balloon"])


def test_qif_location_on_drawing_has_sheet_and_zone(built, compiled):
    out = built("bracket")
    doc = etree.parse(str(next((out / "inspection").glob("*.qif"))))
    items = doc.findall(".//q:CharacteristicItems/*", NS)
    by_name = {el.findtext("q:Name", namespaces=NS): el for el in items}
    bore = by_name["TP-1001-01/bore.size"].find("q:LocationOnDrawing", NS)
    assert bore.findtext("q:SheetNumber", namespaces=NS) == "1"
    assert bore.findtext("q:DrawingZone", namespaces=NS) == "C6"
    sheets = _sheets(compiled("bracket"))
    zones = {n: el.findtext("q:LocationOnDrawing/q:DrawingZone", namespaces=NS) for n, el in by_name.items()}
    for cid in sheets["TP-1001-01"].balloons:
        assert zones[f"TP-1001-01/{cid}"] == sheets["TP-1001-01"].zone_of(cid)


def test_qif_with_zones_is_still_valid(built, qif_schema):
    out = built("enclosure")
    doc = etree.parse(str(next((out / "inspection").glob("*.qif"))))
    assert len(doc.findall(".//q:DrawingZone", NS)) > 30
    qif_schema.assertValid(doc)


def test_as9102_form3_reference_location(compiled, plan_of):
    from techpack.drawings import balloon_refs

    comp = compiled("enclosure")
    fairs = build_fairs(plan_of("enclosure"), balloon_refs(comp))
    sheets = _sheets(comp)
    detail = [f for f in fairs if f.kind == "Detail"]
    assert len(detail) == 3
    for fair in detail:
        for row in fair.form3:
            if row.item.balloon:
                assert row.reference == f"sheet 1 zone {sheets[fair.part_number].zone_of(row.item.id)}"
            else:
                assert row.reference == ""
    assert build_fairs(plan_of("enclosure"))[0].form3[0].reference == ""  # no drawing layout given: empty


def test_fai_pdf_prints_the_reference_location(built):
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(built("bracket") / "inspection" / "fai-as9102.pdf")).pages)
    assert "5 bore.size sheet 1 zone C6 KEY" in " ".join(text.split())  # the cell wraps
