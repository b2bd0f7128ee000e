"""Cells that are text fields (``<td data-tp-field>``, techpack.pdfforms): each becomes one AcroForm text field
with the cell's rectangle, its name whatever characters it holds, in the form font; a cell that a page break
splits is one field with a widget on each page."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest

from techpack.pdf import render_pdf
from techpack.pdfforms import FONT, FONT_FILE

DATE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
HEAD = ('<html><head><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="quality/quality.css">'
        '<style>@page { size: 210mm 297mm; margin: 10mm; } body { margin: 0; } table { margin: 0; }</style>'
        '</head><body>')
MM = 72 / 25.4


def _render(body: str) -> bytes:
    pdf, refused = render_pdf(HEAD + body + "</body></html>", roots=[], date=DATE, forms=True)
    assert refused == []
    return pdf


def _table(rows: str) -> str:
    return ('<table class="form"><colgroup><col style="width:60mm"><col style="width:50mm"><col></colgroup>'
            + rows + "</table>")


def test_a_cell_field_has_the_cells_rectangle_name_and_form_font():
    pdf = _render(_table('<tr><td>a</td><td class="f" data-tp-field="x/a&amp;b ä:1"></td><td>c</td></tr>'))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        (field,) = doc.Root.AcroForm.Fields
        assert str(field.T) == "x/a&b ä:1" and str(field.FT) == "/Tx" and str(field.V) == ""
        assert str(field.DA).startswith(f"/{FONT} 7.5 Tf") and int(field.F) == 4
        x1, y1, x2, y2 = (float(v) for v in field.Rect)
        # the second column of a table whose first column is 60 mm wide, at the page's 10 mm margin
        assert x1 == pytest.approx(70 * MM, abs=1) and x2 == pytest.approx(120 * MM, abs=1)
        assert y2 == pytest.approx((297 - 10) * MM, abs=1) and y2 - y1 >= 4.6 * MM  # the top row, 4.6 mm tall
        page = doc.pages[0]
        assert [a.objgen for a in page.Annots] == [field.objgen] and field.P.objgen == page.obj.objgen
        font = doc.Root.AcroForm.DR.Font[f"/{FONT}"]
        assert (str(font.Subtype), str(font.Encoding)) == ("/TrueType", "/WinAnsiEncoding")
        assert font.FontDescriptor.FontFile2.read_bytes() == FONT_FILE.read_bytes()
        assert "/Names" not in doc.Root  # no named destination for a field


def test_cell_fields_are_in_reading_order_with_the_forms_other_fields():
    rows = ('<tr><td>a</td><td class="f" data-tp-field="r1/b"></td><td><input type="text" name="r1/c"></td></tr>'
            '<tr><td><label class="cb"><input type="checkbox" name="r2/a">ok</label></td>'
            '<td class="f" data-tp-field="r2/b"></td><td class="f" data-tp-field="r2/c"></td></tr>')
    pdf = _render(_table(rows))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert [str(a.T) for a in doc.pages[0].Annots] == ["r1/b", "r1/c", "r2/a", "r2/b", "r2/c"]
        assert {str(f.DA).split()[0] for f in doc.Root.AcroForm.Fields if "/DA" in f} == {f"/{FONT}"}
        # one copy of the form font: WeasyPrint's, for its own text field, is the same stream
        files = {d.FontFile2.objgen for d in doc.objects if isinstance(d, pikepdf.Dictionary)
                 and d.get("/Type") == pikepdf.Name.FontDescriptor and "/FontFile2" in d
                 and d.FontFile2.read_bytes() == FONT_FILE.read_bytes()}
        assert len(files) == 1


def test_a_cell_split_by_a_page_break_is_one_field_with_a_widget_on_each_page():
    tall = "<br>".join(["a line"] * 150)  # a row taller than a page breaks, and its cells with it
    pdf = _render(_table(f'<tr><td>{tall}</td><td class="f" data-tp-field="long/row"></td><td></td></tr>'))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        (field,) = doc.Root.AcroForm.Fields
        assert str(field.T) == "long/row" and "/Rect" not in field
        kids = list(field.Kids)
        assert [k.P.objgen for k in kids] == [p.obj.objgen for p in doc.pages]
        assert all(k.Parent.objgen == field.objgen for k in kids)
        assert [[a.objgen for a in p.Annots] for p in doc.pages] == [[k.objgen] for k in kids]
        for kid, page in zip(kids, doc.pages, strict=True):
            x1, y1, x2, y2 = (float(v) for v in kid.Rect)
            assert 0 <= y1 < y2 <= float(page.mediabox[3])


def test_a_cell_field_outside_a_form_is_an_empty_cell():
    html = HEAD + _table('<tr><td>a</td><td class="f" data-tp-field="x"></td><td></td></tr>') + "</body></html>"
    pdf, _ = render_pdf(html, roots=[], date=DATE, forms=False)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert "/AcroForm" not in doc.Root and "/Annots" not in doc.pages[0]
