"""The form fields' font, and fields that every form filler draws (techpack.pdfforms).

A PDF reader or form filler draws what a user types with the font the field names (``/DA``), so that
font is embedded whole. With the text font doing both jobs, every form PDF carried all of DejaVu Sans
(760 KB, 6,000 glyphs, about 0.3 s to measure and compress per document), named as a two-byte Identity-H
font that pdftk fills with glyph 0: a batch record filled with it printed empty boxes.
``techpack-form.ttf`` holds the WinAnsi characters, outline for outline DejaVu Sans's glyphs, and the
fields name it as a simple TrueType font in WinAnsi encoding.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from techpack.pdf import TEMPLATES, render_pdf
from techpack.pdfforms import FONT, reader_safe

from .conftest import EXAMPLES, build_quality

FONTS = TEMPLATES / "fonts"
WINANSI = {ord(ch) for ch in bytes(range(0x20, 0x100)).decode("cp1252", errors="ignore")} - {0x7F}
"""The characters a WinAnsi-encoded field can hold: ASCII, Latin-1 and the typographic marks of 0x80-0x9F."""


@pytest.fixture(scope="module")
def fonts() -> tuple[TTFont, TTFont]:
    return TTFont(str(FONTS / "DejaVuSans.ttf")), TTFont(str(FONTS / "techpack-form.ttf"))


def test_the_form_font_maps_exactly_dejavus_winansi_characters(fonts):
    full, form = fonts
    expected = {cp: g for cp, g in full.getBestCmap().items() if cp in WINANSI}
    assert form.getBestCmap() == expected
    assert set(expected) == WINANSI and len(WINANSI) == 224 - 1 - 5  # 0x20-0xFF less DEL and 5 unassigned
    assert set("0123456789.,-+±°µØøäöüßé€–—“”…") <= {chr(cp) for cp in expected}


def test_every_glyph_is_dejavus_own_outline_and_width(fonts):
    full, form = fonts
    glyf_full, glyf_form = full["glyf"], form["glyf"]
    names = form.getGlyphOrder()
    assert len(names) > 200
    for name in names:
        assert form["hmtx"][name] == full["hmtx"][name], name
        a, b = glyf_form[name], glyf_full[name]
        a.expand(glyf_form)
        b.expand(glyf_full)
        assert a.getCoordinates(glyf_form)[0] == b.getCoordinates(glyf_full)[0], name


def test_the_form_font_is_named_apart_and_keeps_the_licence_notice(fonts):
    full, form = fonts
    assert form["name"].getDebugName(1) == "techpack form"
    assert form["name"].getDebugName(6) == "techpackForm"
    assert form["name"].getDebugName(0) == full["name"].getDebugName(0)  # the copyright notice
    assert (FONTS / "techpack-form.ttf").stat().st_size < 50_000


DA = re.compile(rf"/{FONT} [0-9.]+ Tf( [0-9.]+){{1,4}} (g|rg|k)")


def _form_facts(pdf: bytes) -> dict:
    """The field font (from /DR), each field's /DA, and the embedded size of every font file by font name."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        form = doc.Root.AcroForm
        dr = form.DR.Font
        field_font = dr["/" + FONT]
        sizes = {}
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor:
                sizes[str(obj.FontName)] = len(obj.FontFile2.read_bytes())
        return {"dr": sorted(dr.keys()), "subtype": str(field_font.Subtype), "encoding": str(field_font.Encoding),
                "first": int(field_font.FirstChar), "widths": [float(w) for w in field_font.Widths],
                "file": len(field_font.FontDescriptor.FontFile2.read_bytes()),
                "das": [str(f.DA) for f in form.Fields if "/DA" in f], "sizes": sizes}


@pytest.mark.parametrize("css", ["quality/quality.css", "quality/labels.css"])
def test_every_rendered_form_names_one_simple_winansi_font_and_subsets_the_text_fonts(css: str):
    html = (f'<html><head><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="{css}"></head>'
            '<body><p>Measured <b>value</b></p><input type="text" name="a"><input type="text" name="b" value="12">'
            '</body></html>')
    pdf, refused = render_pdf(html, roots=[], date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), forms=True)
    assert refused == []
    facts = _form_facts(pdf)
    assert facts["dr"] == ["/" + FONT]
    assert (facts["subtype"], facts["encoding"], facts["first"]) == ("/TrueType", "/WinAnsiEncoding", 32)
    assert facts["file"] == (FONTS / "techpack-form.ttf").stat().st_size  # whole: the filler draws with it
    form = TTFont(str(FONTS / "techpack-form.ttf"))
    zero = form["hmtx"][form.getBestCmap()[ord("0")]][0] * 1000 / form["head"].unitsPerEm
    assert facts["widths"][ord("0") - 32] == round(zero) and facts["widths"][0x81 - 32] == 0
    assert len(facts["das"]) == 2 and all(DA.fullmatch(da) for da in facts["das"]), facts["das"]
    text = {n: s for n, s in facts["sizes"].items() if "techpack-sans" in n}
    assert text and all(s < 60_000 for s in text.values()), text  # the text fonts are subset again
    assert reader_safe(pdf) == pdf  # once is enough: a form already done comes back as it was


@pytest.mark.skipif(shutil.which("pdftk") is None, reason="pdftk (pdftk-java) is installed by .ci/run")
def test_a_record_filled_with_pdftk_shows_the_values_in_the_font_of_the_fields(tmp_path):
    """pdftk writes the appearance of each filled field with the font its /DA names: one byte per character in
    WinAnsi. Before, with the Identity-H font, it wrote byte 0 for every character (empty boxes in print)."""
    build_quality(EXAMPLES / "bracket", tmp_path / "pack")
    blank = tmp_path / "pack" / "batch-record.pdf"
    with pikepdf.open(blank) as doc:
        names = [str(f.T) for f in doc.Root.AcroForm.Fields if str(f.T).startswith("result/sample/")][:2]
    value = "12,5 Ø µ ä"
    xfdf = tmp_path / "v.xfdf"
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>'
                    + "".join(f'<field name="{n}"><value>{value}</value></field>' for n in names)
                    + "</fields></xfdf>", encoding="utf-8")
    filled = tmp_path / "filled.pdf"
    subprocess.run(["pdftk", str(blank), "fill_form", str(xfdf), "output", str(filled)], check=True,
                   capture_output=True, timeout=300)
    with pikepdf.open(filled) as doc:
        done = {str(f.T): f for f in doc.Root.AcroForm.Fields if str(f.T) in names}
        assert len(done) == 2
        for field in done.values():
            assert str(field.V) == value
            shown = field.AP.N.read_bytes()
            name = re.search(rb"/(\S+) [0-9.]+ Tf", shown).group(1).decode()
            font = field.AP.N.Resources.Font["/" + name]
            assert (str(font.BaseFont), str(font.Encoding)) == ("/techpackForm", "/WinAnsiEncoding")
            assert b"(" + value.encode("cp1252") + b")Tj" in shown, shown
