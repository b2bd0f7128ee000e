"""plan.csv and plan.xlsx: one row per characteristic, numbers as numbers, Excel-safe, reproducible."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal, InvalidOperation

import pytest

from techpack.quality.table import COLUMNS, NUMERIC, STAGE_COLUMNS
from techpack.quality.xlsxplan import plan_xlsx

EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")


def _rows(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_one_row_per_characteristic_numbers_parse_and_no_text_is_a_formula(name, built, plan_of):
    rows = _rows(built(name) / "inspection" / "plan.csv")
    plan = plan_of(name)
    assert [r["subject"] for r in rows] == [i.subject for i in plan.all_items()]
    for r in rows:
        assert tuple(r) == COLUMNS
        for col in COLUMNS:
            cell = r[col]
            if col in NUMERIC:
                if cell:
                    try:
                        Decimal(cell)
                    except InvalidOperation:
                        pytest.fail(f"{r['subject']} {col}: {cell!r} is not a number")
            else:
                assert not cell or cell[0] not in "=+-@\t\r", (r["subject"], col, cell)
        assert any(r[c] for c in STAGE_COLUMNS), r["subject"]


def test_bracket_plan_has_26_rows_and_unmangled_symbols(built):
    rows = _rows(built("bracket") / "inspection" / "plan.csv")
    assert len(rows) == 26
    text = (built("bracket") / "inspection" / "plan.csv").read_bytes().decode("utf-8-sig")
    assert "Ø" in text and "µm" in text and "Ã" not in text
    bore = next(r for r in rows if r["subject"] == "TP-1001-01/bore.position")
    assert (bore["gdt_characteristic"], bore["gdt_zone_shape"]) == ("position", "diameter")
    assert bore["gdt_zone"] and bore["datums"]


def test_requirements_in_words_get_limits_units_and_a_measuring_method(built, plan_of):
    rows = {r["subject"]: r for r in _rows(built("enclosure") / "inspection" / "plan.csv")}
    coat = rows["TP-3001-01/finish.thickness"]
    assert (coat["lower_limit"], coat["upper_limit"], coat["unit"]) == ("60", "80", "µm")
    torque = rows["EX-3001/assembly.1.torque"]
    assert (torque["nominal"], torque["lower_limit"], torque["upper_limit"], torque["unit"]) == \
        ("1.2", "1.08", "1.32", "N·m")
    check = rows["EX-3001/assembly.2.check"]  # "Standoff top faces 21.5 ±0.15 above …"
    assert (check["nominal"], check["lower_limit"], check["upper_limit"], check["unit"]) == \
        ("21.5", "21.35", "21.65", "mm")
    assert check["method"] != "visual"
    # the rule, over every example: a requirement with both limits is never "visual"
    for name in EXAMPLE_NAMES:
        for item in plan_of(name).all_items():
            if (item.dim is not None and item.dim.band is not None) or (item.value and item.value.band is not None):
                assert item.method != "visual", item.subject


def test_batch_record_and_fai_show_coating_and_torque_limits(built):
    from pypdf import PdfReader

    for pdf in ("batch-record.pdf", "inspection/fai-as9102.pdf"):
        text = " ".join(p.extract_text() for p in PdfReader(str(built("enclosure") / pdf)).pages)
        text = " ".join(text.split())
        assert "1.08 … 1.32 N·m" in text, pdf
        assert "60 … 80 µm" in text, pdf


def test_xlsx_has_the_csv_rows_with_numbers_as_numbers_and_is_reproducible(built, plan_of, compiled):
    openpyxl = pytest.importorskip("openpyxl")
    path = built("bracket") / "inspection" / "plan.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["plan"]
    header = [c.value for c in ws[1]]
    assert tuple(header) == COLUMNS
    rows = _rows(built("bracket") / "inspection" / "plan.csv")
    assert ws.max_row == len(rows) + 1
    for excel, text in zip(ws.iter_rows(min_row=2, values_only=True), rows, strict=True):
        for col, value in zip(COLUMNS, excel, strict=True):
            if col in NUMERIC and text[col]:
                assert isinstance(value, (int, float)) and Decimal(str(value)) == Decimal(text[col]), (col, value)
            elif not text[col]:
                assert value is None
            else:
                assert value == text[col].removeprefix("'") or value == text[col]
    from techpack.drawings import balloon_refs

    assert path.read_bytes() == plan_xlsx(plan_of("bracket"), balloon_refs(compiled("bracket")))
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
        assert "2026-03-02T00:00:00Z" in core
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 2, 0, 0, 0)}


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_libreoffice_reads_the_csv_as_one_row_per_characteristic(built, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    src = built("bracket") / "inspection" / "plan.csv"
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--infilter=CSV:44,34,76,1", "--outdir",
                    str(tmp_path), str(src)], check=True, capture_output=True, timeout=300)
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "plan.xlsx").active
    assert ws.max_row == 27
    values = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("Ø" in v for v in values) and not any("Ã" in v for v in values)
