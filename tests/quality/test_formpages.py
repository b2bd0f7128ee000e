"""A batch record's part pages drawn directly (techpack.formpages): what WeasyPrint draws, or left to WeasyPrint.

Each part section of the examples' batch records is drawn both ways and compared: the same pages, text,
fields (names and cell rectangles), checkboxes and outline entries. What the module does not know goes to
WeasyPrint whole.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from techpack import formpages, pdfsections
from techpack.formpages import model, rules
from techpack.formpages import text as ftext
from techpack.pdf import TEMPLATES, render_pdf
from techpack.quality.batchrecord import build_record

DATE = __import__("datetime").datetime(2024, 1, 2, tzinfo=__import__("datetime").timezone.utc)


def record_html(comp, plan) -> str:
    from techpack.pdf import template_env
    from techpack.renderers.quality import _common

    return template_env().get_template("quality/batch-record.html").render(
        **_common(comp, plan) | {"r": build_record(plan, "")})


def written_html(writer):
    """The HTML of a sectioned document, as its renderer (``writer``: ``plan_pdf``, ``fai_pdf``) writes it."""

    def html(comp, plan) -> str:
        from techpack.renderers import quality

        seen = []
        real = quality._sectioned
        quality._sectioned = lambda comp, template, context, log, forms=False: seen.append(
            quality.template_env().get_template(template).render(**context)) or b""
        try:
            getattr(quality, writer)(comp, plan)
        finally:
            quality._sectioned = real
        return seen[0]

    return html


HTML = {"batch record": record_html, "plan": written_html("plan_pdf"), "fai": written_html("fai_pdf")}


def section_docs(html: str) -> dict[str, str]:
    """Each section of a batch record as the section document a chunk of one section renders."""
    head, _runners, sections = pdfsections.split(html)
    doc_head = pdfsections._with_css(head, "sections.css")
    return {key: doc_head + fragment + "</body>\n</html>\n" for key, fragment in sections}


def weasyprint(doc: str, forms: bool = True) -> bytes:
    return render_pdf(doc, roots=[], date=DATE, forms=forms)[0]


def fields(data: bytes) -> dict[str, list]:
    """Field name -> [(type, rect)] of each widget."""
    out: dict[str, list] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                field = annot if "/T" in annot else annot.Parent
                out.setdefault(str(field.T), []).append(
                    (str(field.FT), number, tuple(float(v) for v in annot.Rect)))
        assert ("/AcroForm" in pdf.Root) == bool(out)
    return out


def outline(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as o:
        return [str(item.title) for item in o.root]


def text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("document", ["batch record", "plan", "fai"])
@pytest.mark.parametrize("name_", ["bracket", "enclosure"])
def test_every_part_section_is_drawn_as_weasyprint_lays_it_out(name_, document, compiled, plan_of):
    forms = document != "plan"
    docs = section_docs(HTML[document](compiled(name_), plan_of(name_)))
    parts = {k: d for k, d in docs.items() if k.startswith(("part/", "fair/")) or k == "why"}
    assert parts and ("header" not in docs or formpages.render(docs["header"], forms) is None)  # WeasyPrint's
    assert formpages.render(next(iter(parts.values())), not forms) is None  # a form is a form, a plan is not
    for key, doc in parts.items():
        drawn, laid = formpages.render(doc, forms), weasyprint(doc, forms)
        assert drawn is not None, key
        assert page_count(drawn) == page_count(laid), key
        # the same characters (white space and hyphens apart: lines break where each engine breaks them, and
        # pdftotext joins a word broken after a hyphen without it)
        assert Counter(re.sub(r"[\s-]", "", text(drawn))) == Counter(re.sub(r"[\s-]", "", text(laid))), key
        assert outline(drawn) == outline(laid), key
        ours, theirs = fields(drawn), fields(laid)
        assert ours.keys() == theirs.keys(), key
        for field, widgets in theirs.items():
            assert [(t, page) for t, page, _ in ours[field]] == [(t, page) for t, page, _ in widgets], field
            for (kind, _p, a), (_k, _q, b) in zip(ours[field], widgets):
                if kind == "/Tx":  # the cell's (or input's) rectangle: its column, its height within 1.5pt
                    assert abs(a[0] - b[0]) < 0.5 and abs(a[2] - b[2]) < 0.5, (field, a, b)
                    assert abs(abs(a[3] - a[1]) - abs(b[3] - b[1])) < 1.5, (field, a, b)
                else:  # a checkbox of WeasyPrint's size (whose rectangles run from the top corner down)
                    assert abs(abs(a[2] - a[0]) - abs(b[2] - b[0])) < 0.01
                    assert abs(abs(a[3] - a[1]) - abs(b[3] - b[1])) < 0.01


def test_the_form_is_one_reader_safe_acroform_with_checkboxes_like_weasyprints(compiled, plan_of):
    docs = section_docs(record_html(compiled("enclosure"), plan_of("enclosure")))
    drawn = formpages.render(next(d for k, d in docs.items() if k.startswith("part/TP-3001-01")))
    with pikepdf.open(io.BytesIO(drawn)) as pdf:
        form = pdf.Root.AcroForm
        assert list(form.DR.Font.keys()) == ["/TPForm"] and str(form.DR.Font.TPForm.Encoding) == "/WinAnsiEncoding"
        texts = [f for f in form.Fields if f.FT == "/Tx"]
        assert texts and all(str(f.DA) == "/TPForm 7.5 Tf 0 g" for f in texts)
        boxes = [f for f in form.Fields if f.FT == "/Btn"]
        assert {str(b.T) for b in boxes} == {"fri/TP-3001-01/major/accept", "fri/TP-3001-01/major/reject",
                                              "fri/TP-3001-01/minor/accept", "fri/TP-3001-01/minor/reject"}
        for box in boxes:
            assert box.AS == "/Off" and box.V == "/Off" and "/on" in box.AP.N
        for page in pdf.pages:
            assert [float(v) for v in page.MediaBox] == [0, 0, *rules.PAGE]
            fonts = page.Resources.get("/Font", {})
            assert all("/FontDescriptor" in f or "/DescendantFonts" in f for f in fonts.values())  # all embedded


def test_the_numbers_it_draws_with_are_the_style_sheets():
    base = (TEMPLATES / "base.css").read_text()
    quality = (TEMPLATES / "quality" / "quality.css").read_text()
    mm = rules.MM

    def rule(css: str, selector: str) -> str:
        m = re.search(r"(?m)^" + re.escape(selector) + r"\s*\{([^}]*)\}", css)
        assert m, selector
        return m.group(1)

    assert "size: A4 landscape" in quality and "margin: 15mm 10mm 12mm 10mm" in quality
    assert rules.MARGIN == pytest.approx((15 * mm, 10 * mm, 12 * mm, 10 * mm))
    assert rules.PAGE == pytest.approx((297 * mm, 210 * mm), abs=1e-4)
    assert "line-height: 1.35" in rule(base, "html") and "color: #111" in rule(base, "html")
    assert "border: 0.5pt solid #888" in rule(base, "th, td")
    assert f"font-size: {rules.TABLE_SIZE:g}pt" in rule(quality, "table")
    assert "padding: 1.5pt 3pt" in rule(quality, "th, td") and rules.CELL_PAD == (1.5, 3.0)
    assert f"background: {rules.HEAD_BG}"[:-3] in rule(quality, "th")
    assert f"font-size: {rules.SMALL:g}pt" in rule(quality, ".small")
    assert f"font-size: {rules.H2_SIZE:g}pt" in rule(quality, "h2") and "break-after: avoid" in rule(quality, "h2")
    assert "border-bottom: 0.75pt solid #444" in rule(base, "h2") and "padding-bottom: 2pt" in rule(base, "h2")
    assert "margin: 10pt 0 4pt" in rule(quality, "h2")
    assert "background: #f4f7fb; height: 4.6mm" in rule(quality, "td[data-tp-field]")
    assert "padding: 0.5pt 1pt" in rule(quality, "td.f") and rules.FIELD_PAD == (0.5, 1.0)
    assert "width: 3.2mm; height: 3.2mm; margin: 0 1.5mm 0 0" in rule(quality, "input[type=checkbox]")
    assert "margin-right: 4mm" in rule(quality, "label.cb")
    assert "color: #a40000" in rule(quality, ".cls-critical") and rules.CRITICAL == "#a40000"
    assert "color: #555" in rule(quality, ".muted") and rules.MUTED == "#555555"
    assert "background: #f1f3f5; font-size: 6.8pt" in rule(quality, "table.form td.lbl")
    assert "font-size: 8pt" in rule(quality, "table.form td.val")
    assert f"font-size: {rules.H3_SIZE:g}pt; margin: 8pt 0 3pt" in rule(quality, "h3")
    assert f"font-size: {rules.MATRIX_HEAD:g}pt" in rule(quality, "table.matrix th")
    assert f"font-size: {rules.BADGE_SIZE:g}pt; border: 0.5pt solid #111; padding: 0 1.5pt; margin-left: 2pt" \
        in rule(quality, ".kc")
    for table, columns in rules.COLUMNS.items():
        for col, percent in columns.items():
            assert f"table.{table} col.{col} {{ width: {percent:g}%; }}" in quality
    assert "border-bottom: 0.5pt solid #666" in rule(quality, "input[type=text], textarea")
    assert "padding: 0 1pt" in rule(quality, "input[type=text], textarea")
    assert "td.f input[type=text] { height: 4.6mm; }" in quality
    fai = (TEMPLATES / "quality" / "fai.css").read_text()
    assert "table.f3 td { vertical-align: top; }" in fai and "table.f3 td.f { vertical-align: middle; }" in fai
    assert f"table.f3 th {{ font-size: {rules.F3_HEAD:g}pt; }}" in fai
    # the sheets it draws like are the batch record's, and its sections'
    record = (TEMPLATES / "quality" / "batch-record.html").read_text()
    assert tuple(re.findall(r'href="([^"]+\.css)"', record)) + ("sections.css",) == rules.SHEETS
    for name, sheets in (("plan.html", rules.PLAN_SHEETS), ("fai.html", rules.FAI_SHEETS)):
        html = (TEMPLATES / "quality" / name).read_text()
        assert tuple(re.findall(r'href="([^"]+\.css)"', html)) + ("sections.css",) == sheets


HEAD = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n'
        + "".join(f'<link rel="stylesheet" href="{s}">\n' for s in rules.SHEETS) + "</head>\n<body>\n")


def doc(body: str) -> str:
    return HEAD + body + "</body>\n</html>\n"


GRID = ('<h2 class="new-page">Sample batch: P-1 Plate (2 pieces)</h2>\n<p class="small muted">Measured value.</p>\n'
        '<table class="form grid">\n<colgroup><col style="width:7mm"><col style="width:38mm"><col>'
        '<col style="width:20mm"><col style="width:20mm"></colgroup>\n'
        '<thead><tr><th class="num">#</th><th>ID</th><th>Requirement</th><th class="c">1</th><th class="c">2</th>'
        '</tr></thead>\n<tbody>\n<tr><td class="num">1</td><td class="id">{id}</td><td class="small">{req}</td>'
        '<td class="f" data-tp-field="r/1"></td><td class="f" data-tp-field="r/2"></td></tr>\n</tbody>\n</table>\n')


def grid(id_: str = "h1.size", req: str = "Ø6 ±0.05") -> str:
    return GRID.replace("{id}", id_).replace("{req}", req)


@pytest.mark.parametrize("body", [
    grid().replace("<h2", '<div>x</div>\n<h2'),  # an element it does not draw
    grid().replace('class="small"', 'class="small kc"'),  # a class it does not know
    grid().replace('data-tp-field="r/1"></td>', 'data-tp-field="r/1">x</td>'),  # a field with content
    grid().replace('<td class="f" data-tp-field="r/2"></td>', '<td class="f" data-tp-field="r/2" colspan="x"></td>'),
    grid().replace('<td class="f" data-tp-field="r/2"></td>', '<td class="f" data-tp-field="r/2" colspan="2"></td>'),
    grid(req="漢字"),  # a character in none of the shipped fonts
    grid(req="قطر ٦ مم"),  # a script that needs shaping and reordering
    grid(req="e\u0301"),  # a combining mark
    grid(req="Ober\u00adfläche"),  # a soft hyphen (invisible unless the line breaks there)
    grid().replace('<col style="width:20mm"></colgroup>', '<col style="width:20%"></colgroup>'),  # not mm
    grid().replace("<tbody>", "<tbody><tr><td>1</td></tr>"),  # a row short of cells
    grid().replace("Measured value.", 'Measured <input type="text" name="x"> value.'),
    grid(req=" ".join(["word"] * 3000)),  # a row taller than a page (ReportLab splits tables between rows only)
    grid().replace("Plate (2", 'Plate <span class="kc">KC</span> (2'),  # a key-characteristic mark in a heading
    grid().replace("{req}", "").replace('<td class="small">Ø6 ±0.05</td>',
                                        '<td class="small"><span class="kc">KC</span> Ø6</td>'),  # ... before text
])
def test_what_it_does_not_know_it_leaves_to_weasyprint(body):
    assert formpages.render(doc(grid())) is not None
    assert formpages.render(doc(body)) is None
    job = pdfsections.Job(doc(body), True, DATE)
    data = pdfsections._render_one(job).data  # WeasyPrint renders it
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "WeasyPrint" in str(pdf.docinfo.get("/Producer", ""))


def test_a_document_with_other_style_sheets_is_not_drawn():
    assert formpages.render(doc(grid()).replace("quality/batch-record.css", "quality/fai.css")) is None
    assert formpages.render(doc(grid()).replace('<link rel="stylesheet" href="sections.css">\n', "")) is None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_spec_text_is_drawn_as_text_never_as_markup():
    hostile = "&lt;font color=&quot;red&quot;&gt;&amp;amp; &lt;br/&gt; x &lt; y"
    data = formpages.render(doc(grid(req=hostile)))
    assert data is not None
    assert '<font color="red">&amp; <br/> x < y' in " ".join(text(data).split())


def test_words_break_inside_only_where_weasyprints_would():
    formpages.warm()
    narrow = 40.0

    def lines(word: str, size=7.0, bold=False, mono=False, anywhere=False, width=narrow) -> int:
        para = ftext._paragraph(model.Text([model.Run(word)]), size, bold, mono, "#111111", 0, False,
                                    anywhere, plain=False)
        para.wrap(width, 1000)
        return len(para.blPara.lines)

    assert lines("X" * 60) > 1  # longer than LONG_RUN: breakable_html makes it breakable
    assert lines("Planned", 7.5, bold=True, width=20.0) == 1  # a word wider than its cell overflows it, whole
    assert lines("mount-holes.position", mono=True, anywhere=True) > 1  # .id: overflow-wrap: anywhere


def test_one_run_is_one_string_where_it_fits_else_its_paragraph():
    formpages.warm()

    def cell(words: str, nowrap=False):
        return ftext._paragraph(model.Text([model.Run(words)]), 7.0, False, False, "#111111", 0, nowrap)

    short = cell("caliper")
    assert short.wrap(40.0, 1000) == (40.0, pytest.approx(7.0 * rules.LINE_HEIGHT)) and short.para is None
    long = cell("dial indicator on a surface plate")
    _w, height = long.wrap(40.0, 1000)
    assert long.para is not None and height > 2 * 7.0 * rules.LINE_HEIGHT  # wrapped by the paragraph
    kept = cell("5.95 … 6.05 mm", nowrap=True)  # white-space: nowrap: one line, overflowing
    assert kept.wrap(20.0, 1000)[1] == pytest.approx(7.0 * rules.LINE_HEIGHT) and kept.para is None
    assert cell("a ⌖ b").__class__.__name__ == "Paragraph"  # two faces (the GD&T font's glyph): a paragraph


def test_the_bytes_are_the_same_in_every_process():
    source = doc(grid() + grid("h2.position", "position Ø0.1 A ⌖").replace("r/1", "r/3").replace("r/2", "r/4"))
    first = formpages.render(source)
    assert first is not None and formpages.render(source) == first
    script = ("import sys; from techpack import formpages; "
              "sys.stdout.buffer.write(formpages.render(sys.stdin.read()))")
    other = subprocess.run([sys.executable, "-c", script], input=source.encode(), capture_output=True, check=True)
    assert other.stdout == first


def test_chunks_never_mix_drawn_and_laid_out_sections():
    sections = [("header", "a" * 10), ("part/1", "b" * 10), ("part/2", "c" * 10), ("gates", "d" * 10)]
    assert pdfsections.chunks(sections, 1000) == [[0, 1, 2, 3]]
    assert pdfsections.chunks(sections, 1000, kinds=[False, True, True, False]) == [[0], [1, 2], [3]]
    assert formpages.likely(grid(), HEAD) and not formpages.likely(grid().replace("<h2", "<ul></ul><h2"), HEAD)
    assert not formpages.likely(grid().replace("form grid", "form gates"), HEAD)  # the batch record's sign-offs
    plan_head = HEAD.replace('<link rel="stylesheet" href="quality/batch-record.css">\n', "")
    assert not formpages.likely(grid(), plan_head)  # a form's table in a plan
    assert formpages.likely(grid().replace("form grid", "matrix").replace('data-tp-field="r/1"', ""), plan_head)


def test_a_build_draws_the_part_sections_and_lays_out_the_rest(example, tmp_path, monkeypatch):
    from techpack.build import BuildOptions, build
    from techpack.renderers.quality import RENDERER

    calls = []
    real = formpages.render

    def spy(html, forms=True, date=None):
        result = real(html, forms, date)
        if formpages.sheets(html) == rules.SHEETS:  # a batch record's chunk (the FAI's are not tried)
            calls.append(result is not None)
        return result

    monkeypatch.setattr(formpages, "render", spy)
    monkeypatch.setattr(pdfsections, "MIN_GROUP", 1)  # a chunk per section
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))
    result = build(example("enclosure"), tmp_path / "out", BuildOptions(jobs=1),
                   renderers={RENDERER.name: RENDERER})
    assert result.written
    # the batch record: 4 part sections drawn, its header and its gates laid out
    assert sorted(calls) == [False, False] + [True] * 4, calls
    assert Path(tmp_path / "out" / "batch-record.pdf").read_bytes().startswith(b"%PDF-")


def test_a_table_of_no_rows_is_its_head_as_in_weasyprint():
    """(An assembly's form 3 lists no characteristic of its own: the form's head row stands alone.)"""
    body = re.sub(r"<tbody>.*</tbody>", "<tbody>\n</tbody>", grid(), flags=re.S)
    drawn = formpages.render(doc(body))
    assert drawn is not None and page_count(drawn) == 1
    if shutil.which("pdftotext"):
        assert "Requirement" in text(drawn) and "Requirement" in text(weasyprint(doc(body)))


def test_the_document_information_is_weasyprints_title_and_the_build_date():
    drawn = formpages.render(doc(grid()), True, DATE)
    laid = weasyprint(doc(grid()))
    with pikepdf.open(io.BytesIO(drawn)) as ours, pikepdf.open(io.BytesIO(laid)) as theirs:
        assert str(ours.docinfo.Title) == str(theirs.docinfo.Title) == "t"
        assert str(ours.docinfo.CreationDate) == str(ours.docinfo.ModDate) == "D:20240102000000Z"
        assert str(theirs.docinfo.CreationDate).startswith("D:20240102000000")
        assert str(ours.docinfo.Producer).startswith("ReportLab ")
        assert set(ours.docinfo.keys()) == {"/Title", "/Producer", "/CreationDate", "/ModDate"}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_a_number_too_wide_for_its_column_starts_at_its_left_edge_as_in_weasyprint():
    """(CSS aligns only what fits: a right-aligned line wider than its box overflows at its end, to the right.)"""
    body = grid().replace('<td class="num">1</td>', '<td class="num">123456789012</td>')

    def left_of(data: bytes, word: str) -> float:
        out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout
        return float(re.search(rf'xMin="([0-9.]+)"[^>]*>{word}<', out.decode()).group(1))

    ours, theirs = left_of(formpages.render(doc(body)), "123456789012"), left_of(weasyprint(doc(body)), "123456789012")
    assert abs(ours - theirs) < 1.0 and ours >= rules.MARGIN[3]


def test_a_head_with_a_style_element_or_another_link_is_not_drawn():
    styled = doc(grid()).replace("</head>", "<style>td { color: red }</style>\n</head>")
    assert formpages.sheets(styled) == () and formpages.render(styled) is None
    other = doc(grid()).replace("</head>", '<link rel="icon" href="x.png">\n</head>')
    assert formpages.sheets(other) == () and formpages.render(other) is None
    assert formpages.sheets(doc(grid())) == rules.SHEETS
