"""Importing filled batch records and measurement CSVs: whole or not at all, located errors, idempotent."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import func, select

from techpack.store import tables as t
from techpack.store.errors import RecordRefused, StoreError
from techpack.store.ingest import import_file
from techpack.store.register import register

BORE = "result/sample/TP-1001-01/bore:size/{}"


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(tab)).scalar()
                for name, tab in (("source", t.source), ("batch", t.batch), ("unit", t.unit), ("lot", t.lot),
                                  ("measurement", t.measurement), ("issue", t.issue), ("stage", t.stage_run))}


def refused(engine, path) -> str:
    before = counts(engine)
    with pytest.raises((RecordRefused, StoreError)) as info:
        import_file(engine, path)
    assert counts(engine) == before, "a refused record must store nothing"
    return str(info.value)


def test_pdf_import_computes_pass_fail_from_limits(registered, forms):
    v = forms.header("S-1", 15)
    v.update({BORE.format(1): "12.004", BORE.format(2): "12.030", BORE.format(3): "12,010 mm",
              "result/sample/TP-1001-01/upright-threads:thread/1": "OK",
              "param/spindle-finish/actual": "12000 rpm", "ncr/1/number": "NCR-1", "ncr/1/characteristic": "bore.size",
              "ncr/1/description": "oversize bore", "ncr/1/disposition": "scrap"})
    r = import_file(registered, forms.pdf("s1.pdf", v))
    assert (r.batch, r.units, r.measurements, r.failed, r.ncrs) == ("S-1", 15, 4, 1, 1)
    with registered.connect() as conn:
        got = {(row.value_text, row.status) for row in conn.execute(select(t.measurement))}
        assert got == {("12.004", "pass"), ("12.030", "fail"), ("12,010 mm", "pass"), ("OK", "pass")}
        serials = conn.execute(select(t.unit.c.serial).order_by(t.unit.c.piece)).scalars().all()
        assert serials[0] == "S-1-001" and serials[-1] == "S-1-015"
        assert conn.execute(select(t.stage_run.c.equipment).where(t.stage_run.c.stage == "milling")).scalar() \
            == "mill-5ax"
        assert conn.execute(select(t.parameter.c.actual)).scalar() == "12000 rpm"
        assert conn.execute(select(t.issue.c.subject)).scalar() == "TP-1001-01/bore.size"


def test_reimport_changes_nothing(registered, forms):
    path = forms.pdf("s.pdf", forms.header("S-2", 15))
    import_file(registered, path)
    before = counts(registered)
    again = import_file(registered, path)
    assert again.already and counts(registered) == before


def test_pdftk_filled_form_imports(registered, forms):
    if not shutil.which("pdftk"):
        pytest.skip("pdftk (Debian pdftk-java) is not installed")
    from fill import fill_pdftk

    v = forms.header("T-1", 15)
    v[BORE.format(4)] = "12.006"
    r = import_file(registered, fill_pdftk(forms.blank, forms.tmp / "pdftk.pdf", v))
    assert (r.batch, r.units, r.measurements, r.failed) == ("T-1", 15, 1, 0)


def test_lot_ranges_assign_units(registered, forms):
    v = forms.header("P-1", 300, lots="LA [1-100]; LB [101-300]", heat="HA; HB")
    import_file(registered, forms.pdf("p.pdf", v))
    with registered.connect() as conn:
        rows = conn.execute(select(t.lot.c.code, t.lot.c.heat, func.count()).join(t.lot_use)
                            .group_by(t.lot.c.code, t.lot.c.heat).order_by(t.lot.c.code)).all()
    assert [tuple(r) for r in rows] == [("LA", "HA", 100), ("LB", "HB", 200)]


@pytest.mark.parametrize(("change", "message"), [
    ({BORE.format(1): "12.01 in"}, r"page \d+:result/sample/TP-1001-01/bore:size/1: unit in given where "
                                   r"TP-1001-01/bore.size is measured in mm"),
    ({BORE.format(2): "twelve"}, r"bore:size/2: 'twelve' is not a number \(limits 12 … 12.018 mm\)"),
    ({"batch/end-date": "2026-03-01"}, r"batch/end-date: batch ends 2026-03-01 before it starts 2026-03-10"),
    ({"stage/milling/start": "2026-03-09"}, r"stage/milling/start: stage milling starts 2026-03-09, before the "
                                            r"batch starts"),
    ({"batch/quantity-started": ""}, r"page 1:batch/quantity-started: required: quantity started"),
    ({"batch/start-date": "10/03/2026"}, r"batch/start-date: batch start date: '10/03/2026' is not a date"),
    ({"material/al6061/lot": ""}, r"material/al6061/lot: required: the material lot used"),
    ({"material/al6061/lot": "LA [1-10]"}, r"pieces 11…15 \(5\) have no lot of al6061"),
    ({"ncr/2/description": "burr"}, r"ncr/2/number: required: the NCR number"),
    ({"ncr/1/number": "N1", "ncr/1/characteristic": "bore.sise"}, r"ncr/1/characteristic: unknown characteristic"),
])
def test_bad_record_is_refused_whole_with_location(registered, forms, change, message):
    v = forms.header("X-1", 15)
    v[BORE.format(3)] = "12.001"
    v.update(change)
    text = refused(registered, forms.pdf("bad.pdf", v))
    assert text.startswith(str(forms.tmp / "bad.pdf") + ":page ")
    import re
    assert re.search(message, text), text


def test_several_problems_are_all_listed(registered, forms):
    v = forms.header("X-2", 15)
    v.update({BORE.format(1): "abc", BORE.format(2): "12.02 in", "batch/end-date": "2026-01-01"})
    text = refused(registered, forms.pdf("bad.pdf", v))
    for part in ("bore:size/1: 'abc' is not a number", "bore:size/2: unit in given", "batch ends 2026-01-01"):
        assert part in text
    assert "problem(s); nothing stored" in text


def test_other_revision_is_refused_naming_both(bracket_pack, engine, forms, tmp_path):
    other = tmp_path / "rev-c"
    shutil.copytree(bracket_pack, other)
    m = json.loads((other / "manifest.json").read_text())
    m["product"]["revision"] = "C"
    m["spec_sha256"] = "c" * 64
    (other / "manifest.json").write_text(json.dumps(m))
    register(engine, other)
    text = refused(engine, forms.pdf("b.pdf", forms.header("R-1", 15)))
    assert "record is for TP-1001 rev B, but the store holds TP-1001 rev C" in text


def test_changed_spec_without_new_revision_is_refused(bracket_pack, engine, forms, tmp_path):
    other = tmp_path / "rev-b2"
    shutil.copytree(bracket_pack, other)
    m = json.loads((other / "manifest.json").read_text())
    m["spec_sha256"] = "b" * 64
    (other / "manifest.json").write_text(json.dumps(m))
    register(engine, other)
    text = refused(engine, forms.pdf("b.pdf", forms.header("R-2", 15)))
    assert "different spec of TP-1001 rev B" in text
    with pytest.raises(StoreError, match="already registered with spec sha256 bbbbbbbbbbbb"):
        register(engine, bracket_pack)


def test_unregistered_revision_is_refused(engine, forms):
    assert "TP-1001 rev B is not registered" in refused(engine, forms.pdf("b.pdf", forms.header("R-3", 15)))


# -- hostile PDFs ------------------------------------------------------------------------------------------------
def test_encrypted_pdf(registered, forms):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(forms.pdf("a.pdf", forms.header("E-1", 15))))
    w.encrypt("", "owner")
    path = forms.tmp / "enc.pdf"
    with path.open("wb") as f:
        w.write(f)
    assert "encrypted PDF" in refused(registered, path)


def test_broken_xref(registered, forms):
    path = forms.pdf("a.pdf", forms.header("E-2", 15))
    data = path.read_bytes()
    i = data.rindex(b"startxref")
    path.write_bytes(data[:i] + b"startxref\n123\n%%EOF\n")
    assert "malformed PDF" in refused(registered, path)


def test_javascript(registered, forms):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(forms.pdf("a.pdf", forms.header("E-3", 15))))
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    js = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                           NameObject("/JS"): TextStringObject("app.alert('hi');")})
    annot = w.pages[0]["/Annots"][0].get_object()  # hidden in a field's keystroke action
    annot[NameObject("/AA")] = DictionaryObject({NameObject("/K"): w._add_object(js)})
    path = forms.tmp / "js.pdf"
    with path.open("wb") as f:
        w.write(f)
    assert "carries JavaScript" in refused(registered, path)


def test_50_mb(registered, forms):
    path = forms.pdf("a.pdf", forms.header("E-4", 15))
    with path.open("ab") as f:
        f.truncate(51 * 1024 * 1024)
    assert "over the 50 MB limit" in refused(registered, path)


def test_flattened_form(registered, forms):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(forms.pdf("a.pdf", forms.header("E-5", 15))))
    w.remove_annotations(subtypes="/Widget")
    del w._root_object["/AcroForm"]
    path = forms.tmp / "flat.pdf"
    with path.open("wb") as f:
        w.write(f)
    assert "no fillable fields (flattened or scanned)" in refused(registered, path)


def test_not_a_batch_record(registered, bracket_pack):
    assert "does not name a techpack spec" in refused(registered, bracket_pack / "inspection" / "plan.pdf")


# -- CSV ---------------------------------------------------------------------------------------------------------
def _row(serial, value, **kw):
    return {"product": "TP-1001", "revision": "B", "batch": "C-1", "serial": serial,
            "subject": "TP-1001-01/base-thickness", "stage": "production", "unit": "mm", "value": value,
            "lower_limit": "7.95", "upper_limit": "8.05", "machine": "mill-5ax", **kw}


def test_csv_import_and_idempotence(registered, forms):
    path = forms.csv("m.csv", [_row("S1", "8.01", lot="L9"), _row("S2", "8.07", lot="L9"),
                               _row("S3", "7.99", measured_at="2026-03-04T10:00")])
    r = import_file(registered, path)
    assert (r.batch, r.units, r.measurements, r.failed) == ("C-1", 3, 3, 1)
    from techpack.store.trace import containment

    assert [u.serial for u in containment(registered, "machine", "mill-5ax").units] == ["S1", "S2", "S3"]
    assert [u.serial for u in containment(registered, "machine", "mill-5ax", "2026-03-05").units] == ["S1", "S2"]
    assert [u.serial for u in containment(registered, "lot", "L9").units] == ["S1", "S2"]
    before = counts(registered)
    assert import_file(registered, path).already and counts(registered) == before


@pytest.mark.parametrize(("rows", "message"), [
    ([_row("S1", "8.01"), _row("S1", "8.02")], r"m.csv:line 3:column 8 \(value\): duplicate: serial S1 "
                                               r"TP-1001-01/base-thickness at production is already given at "
                                               r".*m.csv:line 2"),
    ([_row("S1", "0.315", unit="in")], r"line 2:column 8 \(value\): unit in given where .* is measured in mm"),
    ([_row("S1", "n/a")], r"line 2:column 8 \(value\): 'n/a' is not a number"),
    ([_row("S1", "8", lower_limit="7.9")], r"line 2:column 9 \(lower_limit\): limits 7.9 … 8.05 differ from "
                                           r"TP-1001 rev B's 7.95 … 8.05"),
    ([_row("S1", "8", revision="A")], r"record is for TP-1001 rev A, but the store holds TP-1001 rev B"),
    ([_row("S1", "8", subject="TP-1001-01/nope")], r"unknown characteristic TP-1001-01/nope"),
    ([_row("S1", "8", measured_at="yesterday")], r"column 11 \(measured_at\): 'yesterday' is not a date"),
])
def test_bad_csv_refused_whole(registered, forms, rows, message):
    import re

    text = refused(registered, forms.csv("m.csv", rows))
    assert re.search(message, text), text


def test_csv_serial_of_another_batch(registered, forms):
    import_file(registered, forms.csv("a.csv", [_row("S1", "8.0")]))
    text = refused(registered, forms.csv("b.csv", [_row("S1", "8.0", batch="C-2")]))
    assert "serial S1 already belongs to batch C-1" in text


def test_csv_into_a_pdf_batch_checks_serials(registered, forms):
    import_file(registered, forms.pdf("p.pdf", forms.header("P-9", 15)))
    import_file(registered, forms.csv("a.csv", [_row("P-9-001", "8.0", batch="P-9")]))
    text = refused(registered, forms.csv("b.csv", [_row("P-9-016", "8.0", batch="P-9")]))
    assert "serial P-9-016 is not a unit of batch P-9" in text
