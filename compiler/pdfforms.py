"""Form fields that form fillers can draw: one simple TrueType font in WinAnsi encoding.

WeasyPrint names, in each text field's default appearance (``/DA``), the font it laid the field out with:
a Type0 font with Identity-H encoding, i.e. two bytes per glyph index. A form filler that writes the
typed value into the field's appearance stream itself (pdftk, for one) writes one byte per
character in the font's encoding, which an Identity-H font reads as glyph 0: every value of a filled batch
record printed as empty boxes, while the value itself (``/V``) was right. ``/DA`` also set the page's
graphics state ``/a1.0`` (opacity 1, a no-op), which the new ``/DR`` does not hold, so it is left out.

:func:`reader_safe` gives the fields the font form fillers expect, as the AcroForm examples of ISO 32000
do with Helvetica: the same embedded font file (``techpack form``, templates/fonts), as a simple TrueType
font with ``/WinAnsiEncoding`` and its widths, named ``/TPForm`` in the form's resources (``/DR``), and each
``/DA`` becomes ``/TPForm <size> Tf <colour>``. WinAnsi holds Latin-1 and the typographic marks (± ° µ Ø
ä é ß € “ ” – …): what one writes on a batch record. Nothing else of the document changes.
"""

from __future__ import annotations

import functools
import io
import itertools
import re

FONT = "TPForm"
_TF = re.compile(rb"/(\S+)\s+([0-9.]+)\s+Tf")
_COLOUR = re.compile(rb"((?:[0-9.]+\s+){1,4})(rg|g|k)\b")
_WINANSI = [bytes([c]).decode("cp1252", errors="replace") for c in range(32, 256)]


@functools.lru_cache(maxsize=4)
def _widths(font_file: bytes) -> tuple[int, ...]:
    """Advance widths (1/1000 em) of the WinAnsi codes 32-255 in ``font_file``; 0 for a code it lacks."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    font = TTFont(io.BytesIO(font_file), lazy=True)
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return tuple(round(hmtx[cmap[ord(ch)]][0] * 1000 / upem) if ord(ch) in cmap else 0 for ch in _WINANSI)


def _appearance(da: bytes) -> bytes:
    """``/DA`` naming the simple font: WeasyPrint's size and colour, nothing else."""
    tf = _TF.search(da)
    colour = _COLOUR.search(da)
    size = tf.group(2).decode() if tf else "0"
    paint = b" ".join(colour.group(1).split()).decode() + " " + colour.group(2).decode() if colour else "0 g"
    return f"/{FONT} {size} Tf {paint}".encode()


def _widgets(fields) -> list:
    """Every field and widget of the form's field tree (any order)."""
    out, todo = [], list(fields)
    while todo:
        field = todo.pop()
        out.append(field)
        todo += list(field.get("/Kids", []))
    return out


def _font_named(names: set[str], holders):
    """The font that a field's /DA names: in the form's resources (/DR), else in those of a page a field is
    on."""
    for holder in holders:
        fonts = holder.get("/DR" if "/Fields" in holder else "/Resources", {}).get("/Font", {})
        for name in sorted(names):
            if "/" + name in fonts:
                return fonts["/" + name]
    return None


def _make_safe(pdf) -> bool:
    """Give the text fields of the pikepdf document ``pdf`` one simple WinAnsi TrueType font (in place);
    False when there was nothing to do (no text field, or done already)."""
    import pikepdf  # noqa: PLC0415

    form = pdf.Root.get("/AcroForm")
    if form is None:
        return False
    fields = _widgets(form.get("/Fields", []))
    named = {m.group(1).decode() for f in fields if "/DA" in f
             for m in [_TF.search(bytes(f.DA))] if m is not None}
    if not named or named == {FONT}:
        return False
    source = _font_named(named, itertools.chain([form], (f.P for f in fields if "/P" in f)))
    if source is None:
        raise ValueError(f"the form's fields name the font(s) {sorted(named)}, which it does not hold")
    descriptor = source.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in source else source.FontDescriptor
    font_file = descriptor.FontFile2
    simple_descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/techpackForm"), Flags=32,
        FontBBox=descriptor.FontBBox, ItalicAngle=descriptor.get("/ItalicAngle", 0), Ascent=descriptor.Ascent,
        Descent=descriptor.Descent, CapHeight=descriptor.get("/CapHeight", descriptor.Ascent),
        StemV=descriptor.get("/StemV", 80), FontFile2=font_file))
    simple = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/techpackForm"),
        FirstChar=32, LastChar=255, Widths=pikepdf.Array(_widths(font_file.read_bytes())),
        Encoding=pikepdf.Name.WinAnsiEncoding, FontDescriptor=simple_descriptor))
    form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + FONT: simple}))
    form.DA = pikepdf.String(f"/{FONT} 0 Tf 0 g")
    for field in fields:
        if "/DA" in field:
            field.DA = pikepdf.String(_appearance(bytes(field.DA)))
    return True


def reader_safe(data: bytes) -> bytes:
    """The PDF ``data`` with its text fields given one simple WinAnsi TrueType font; the same bytes back when
    there is nothing to do. The file identifier is a hash of the content (qpdf's deterministic ID), so the
    bytes are reproducible. :func:`techpack.pdf.render_pdf` applies it to every form it renders."""
    import pikepdf  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not _make_safe(pdf):
            return data
        buf = io.BytesIO()
        pdf.save(buf, min_version=pdf.pdf_version, deterministic_id=True, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none, fix_metadata_version=False)
        return buf.getvalue()
