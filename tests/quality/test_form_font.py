"""The form fields' font: DejaVu Sans cut to what one writes on a batch record, embedded whole in form PDFs.

A PDF viewer draws what a user types into a field with the font the field names, so WeasyPrint embeds
that font whole, not subset. With the text font doing both jobs, every form PDF carried all of DejaVu
Sans (760 KB, 6,000 glyphs, about 0.3 s to measure and compress per document). ``techpack-form.ttf``
holds the scripts and symbols below, outline for outline the same glyphs as the shipped DejaVu Sans.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from techpack.pdf import TEMPLATES, render_pdf

FONTS = TEMPLATES / "fonts"
RANGES = [(0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x1E00, 0x1EFF),
          (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F),
          (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x25A0, 0x25FF), (0x2713, 0x2718), (0xFFFD, 0xFFFD)]
"""Latin (with Latin Extended Additional), combining marks, Greek, Cyrillic, punctuation, super- and
subscripts, currency, letterlike symbols, number forms, arrows, mathematical operators, technical symbols
(⌀), geometric shapes, check marks. The same list is in templates/fonts/README.md with the command."""


@pytest.fixture(scope="module")
def fonts() -> tuple[TTFont, TTFont]:
    return TTFont(str(FONTS / "DejaVuSans.ttf")), TTFont(str(FONTS / "techpack-form.ttf"))


def test_the_form_font_maps_exactly_dejavus_characters_in_the_ranges(fonts):
    full, form = fonts
    wanted = {cp for a, b in RANGES for cp in range(a, b + 1)}
    expected = {cp: g for cp, g in full.getBestCmap().items() if cp in wanted}
    assert form.getBestCmap() == expected
    assert {"0", "9", "±", "°", "µ", "Ø", "ä", "ł", "Ж", "λ", "⌀", "≤", "✓"} <= {chr(cp) for cp in expected}


def test_every_glyph_is_dejavus_own_outline_and_width(fonts):
    full, form = fonts
    glyf_full, glyf_form = full["glyf"], form["glyf"]
    names = form.getGlyphOrder()
    assert len(names) > 2000
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
    assert (FONTS / "techpack-form.ttf").stat().st_size < (FONTS / "DejaVuSans.ttf").stat().st_size / 3


def _fonts_of(pdf: bytes) -> tuple[set[str], dict[str, int]]:
    """(fonts the form fields draw with, embedded size of each font file by its PDF name)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        dr = doc.Root.AcroForm.DR.Font
        field_fonts = {str(dr[k].BaseFont) for k in dr.keys()
                       if any(k.lstrip("/") in str(w.get("/DA", "")) for w in doc.Root.AcroForm.Fields)}
        sizes = {}
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor:
                sizes[str(obj.FontName)] = len(obj.FontFile2.read_bytes())
    return field_fonts, sizes


@pytest.mark.parametrize("css", ["quality/quality.css", "quality/labels.css"])
def test_form_pdfs_embed_the_form_font_and_subset_the_text_fonts(css: str):
    html = (f'<html><head><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="{css}"></head>'
            '<body><p>Measured <b>value</b></p><input type="text" name="a"><input type="text" name="b" value="12"></body></html>')
    pdf, refused = render_pdf(html, roots=[], date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), forms=True)
    assert refused == []
    field_fonts, sizes = _fonts_of(pdf)
    assert len(field_fonts) == 1 and next(iter(field_fonts)).endswith("techpack-form"), field_fonts
    form = next(s for n, s in sizes.items() if n.endswith("techpack-form"))
    assert form == (FONTS / "techpack-form.ttf").stat().st_size  # whole: the viewer draws typed text with it
    text = {n: s for n, s in sizes.items() if "techpack-sans" in n}
    assert text and all(s < 60_000 for s in text.values()), text  # the text fonts are subset again
    assert len(pdf) < Path(FONTS / "DejaVuSans.ttf").stat().st_size / 2
