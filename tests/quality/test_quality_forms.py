"""The batch record, FAI forms and labels are real, fillable AcroForms with the documented field names."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader, PdfWriter

from techpack.quality.as9102 import build_fairs
from techpack.quality.batchrecord import build_record
from techpack.quality.fields import name, parse

EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")


def widgets(path) -> list[tuple[str, str]]:
    """(field name, field type) of every widget, in page order."""
    out = []
    for page in PdfReader(str(path)).pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if a.get("/Subtype") == "/Widget":
                out.append((str(a.get("/T")), str(a.get("/FT"))))
    return out


@pytest.mark.parametrize("name_", EXAMPLE_NAMES)
def test_batch_record_fields_are_the_models_unique_and_named_by_id(name_, built, plan_of):
    plan = plan_of(name_)
    record = build_record(plan, "")
    found = widgets(built(name_) / "batch-record.pdf")
    names = [n for n, _ in found]
    assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]
    assert set(names) == set(record.field_names())
    assert all("." not in n for n in names)  # PDF forbids periods in partial field names
    # the result grid: every measured characteristic x every piece of every recorded stage
    for stage in ("sample", "pp", "fai", "top"):
        for row in plan.rows_of(stage):
            if row.pieces:
                for n in range(1, row.pieces + 1):
                    assert name("result", stage, row.item.owner, row.item.id, n) in names
                assert name("result", stage, row.item.owner, row.item.id, row.pieces + 1) not in names
    grid = [n for n in names if n.startswith("result/")]
    assert len(grid) == sum(r.pieces for s in ("sample", "pp", "fai", "top") for r in plan.rows_of(s) if r.pieces)
    # names read back to the characteristic IDs
    subjects = {i.subject for i in plan.all_items()}
    for n in grid:
        _result, _stage, owner, cid, piece = parse(n)
        assert f"{owner}/{cid}" in subjects and int(piece) >= 1
    # checkboxes are the gates, the FRI decisions and the deviations
    boxes = {n for n, t in found if t == "/Btn"}
    assert {"gate/pp/approved", "gate/fai/passed", "gate/fri/accept", "gate/fri/reject"} <= boxes
    spec = plan.spec
    for m in {p.material for p in spec.parts}:
        assert {name("material", m, k) for k in ("lot", "heat", "cert")} <= set(names)
    for p in spec.production.process_parameters:
        assert name("param", p.id, "actual") in names


def test_bracket_batch_record_counts(built, plan_of):
    names = [n for n, _ in widgets(built("bracket") / "batch-record.pdf")]
    plan = plan_of("bracket")
    # 25 characteristics (the M5 threads' size comes from their class, 6H: no separate drill size row);
    # the material and finish certificates are reviewed, not measured per piece
    assert len([i for i in plan.all_items() if i.measured]) == 23
    assert len([n for n in names if n.startswith("result/sample/")]) == 23 * 15
    assert len([n for n in names if n.startswith("result/pp/")]) == 23 * 5
    assert len([n for n in names if n.startswith("result/fai/")]) == 23
    assert len([n for n in names if n.startswith("result/top/")]) == 23 * 3
    assert len([n for n in names if n.startswith("stage/")]) == 9 * 5
    assert "result/sample/TP-1001-01/bore:size/15" in names
    assert "inline/TP-1001-01/bore:size/first" in names
    assert "fri/TP-1001-01/major/accept" in names


def test_batch_record_fills_in_and_reads_back(built, tmp_path):
    reader = PdfReader(str(built("bracket") / "batch-record.pdf"))
    writer = PdfWriter()
    writer.append(reader)
    values = {"batch/id": "B-2026-001", "result/sample/TP-1001-01/bore:size/3": "12.007",
              "material/al6061/heat": "H 7731/ä"}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    buf = io.BytesIO()
    writer.write(buf)
    got = PdfReader(io.BytesIO(buf.getvalue())).get_fields()
    for k, v in values.items():
        assert got[k].get("/V") == v


def test_batch_record_carries_the_spec_hash_and_qr(built, plan_of):
    plan = plan_of("bracket")
    data = (built("bracket") / "batch-record.pdf").read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages[:1])
    assert plan.sha256[:16] in text.replace("\n", "")
    assert b"/Image" in data or b"/XObject" in data  # the QR code is drawn (SVG becomes vector or image)


@pytest.mark.parametrize("name_", EXAMPLE_NAMES)
def test_fai_forms_fields(name_, built, plan_of):
    plan = plan_of(name_)
    found = widgets(built(name_) / "inspection" / "fai-as9102.pdf")
    names = [n for n, _ in found]
    assert len(names) == len(set(names))
    for fair in build_fairs(plan):
        for row in fair.form3:
            assert {row.result, row.tooling_field, row.ncr} <= set(names)
        for form in ("f1", "f2", "f3"):
            assert fair.f(f"{form}/serial") in names
        assert fair.f("f1/signature") in names
    fairs = build_fairs(plan)
    assert [f.kind for f in fairs].count("Assembly") == (1 if name_ == "enclosure" else 0)


def test_fai_assembly_indexes_the_sub_parts(plan_of):
    fair = next(f for f in build_fairs(plan_of("enclosure")) if f.kind == "Assembly")
    assert [r["number"] for r in fair.index] == ["EX-3001-10", "TP-3001-01", "TP-3001-03", "TP-3001-02"]
    assert [r["item"].id for r in fair.form2] == ["bom.1.3", "bom.3", "bom.4", "bom.5"]


@pytest.mark.parametrize("name_", EXAMPLE_NAMES)
def test_labels(name_, built, plan_of):
    spec = plan_of(name_).spec
    reader = PdfReader(str(built(name_) / "labels.pdf"))
    assert len(reader.pages) == 2 + len(spec.parts)  # unit pack, carton, one per part number
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (100, 50)
    fields = reader.get_fields()
    assert "label/pack/batch-id" in fields and "label/carton/batch-id" in fields
    assert fields["label/carton/quantity"].get("/V") == str(spec.packaging.units_per_carton)
    text = reader.pages[0].extract_text()
    assert spec.product.number in text and spec.product.revision in text
    for page, part in zip(reader.pages[2:], spec.parts, strict=True):
        text = page.extract_text()
        assert part.number in text and part.revision in text
        assert name("label", f"part-{part.number}", "batch-id") in fields


def test_label_payload_names_the_part_and_keeps_a_batch_field(plan_of):
    from techpack.quality.labels import build_labels

    plan = plan_of("enclosure")
    pages = build_labels(plan.spec, plan.sha256)
    part = plan.spec.parts[0]
    page = next(p for p in pages if p.number == part.number)
    assert page.payload.split(":") == ["techpack-label", plan.product.number, part.number, part.revision, "",
                                       "{batch}", "sha256", plan.sha256]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_longest_label_text_is_never_clipped(built, plan_of):
    """The longest pack description and part name of the examples appear whole on their label page."""
    texts = []
    for name_ in EXAMPLE_NAMES:
        spec = plan_of(name_).spec
        pages = PdfReader(str(built(name_) / "labels.pdf")).pages
        texts.append((len(spec.packaging.unit_pack), name_, 0, spec.packaging.unit_pack))
        for n, part in enumerate(spec.parts, 2):
            texts.append((len(part.name), name_, n, part.name))
    longest = max(t for t in texts if t[2] == 0)
    longest_part = max(t for t in texts if t[2] != 0)
    for _len, name_, page, words in (longest, longest_part):
        pdf = PdfReader(str(built(name_) / "labels.pdf"))
        assert _words(words) in _words(pdf.pages[page].extract_text()), (name_, words)
