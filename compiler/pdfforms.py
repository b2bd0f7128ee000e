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

**Cell fields.** A table cell that holds nothing but one text field is written ``<td data-tp-field="NAME">``
(the ``cell`` macro of templates/quality/_fields.html): the cell itself is the field. WeasyPrint lays an
``<input>`` out as an inline block in a line box of its own, with its own style and its own field
dictionary built through Pango; on a batch record's result grids (76 fields a page) that was a fifth of the
layout time. The cell is laid out as any other; :func:`take_cells` finds it in the laid-out pages, and
:func:`reader_safe` adds one text field per cell: a widget with the cell's rectangle, named by the cell, in
the font every other field of the form names.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FONT = "TPForm"
FONT_FILE = Path(str(resources.files("techpack.templates"))) / "fonts" / "techpack-form.ttf"
ATTRIBUTE = "data-tp-field"
SIZE = 7.5  # the font size (pt) of what is typed into a cell field: that of quality.css's input[type=text]


@dataclass(frozen=True)
class Cell:
    """A cell field as laid out: its name, its page (0-based) and its rectangle in PDF points (x1, y1, x2, y2,
    from the page's lower left corner)."""

    name: str
    page: int
    rect: tuple[float, float, float, float]


def take_cells(document, scale: float = 0.75) -> list[Cell]:
    """The cell fields of the laid-out WeasyPrint ``document``, in page and document order. ``scale``: PDF
    points per CSS pixel, WeasyPrint's.

    The cells are found in each page's box tree, by the element they were made from. An id would make
    WeasyPrint report a cell's rectangle itself (``Page.anchors``), but an element with an id computes its
    style alone, not shared with its equal siblings, and that took back what the cells saved."""
    from weasyprint.formatting_structure.boxes import TableCellBox  # noqa: PLC0415

    cells = []
    for number, page in enumerate(document.pages):
        root = getattr(page, "_page_box", None)
        if root is None:  # pragma: no cover - a WeasyPrint whose pages keep no box tree
            raise RuntimeError("this WeasyPrint's pages hold no box tree: the form's cell fields cannot be placed")
        for box in root.descendants():
            if not isinstance(box, TableCellBox) or box.element is None:  # (its anonymous boxes share its element)
                continue
            name = box.element.get(ATTRIBUTE)
            if name is None:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            # (a row taller than the page is cut at its foot)
            x1, y1, x2, y2 = x, max(y, 0), x + box.border_width(), min(y + box.border_height(), page.height)
            rect = (x1 * scale, (page.height - y2) * scale, x2 * scale, (page.height - y1) * scale)
            cells.append(Cell(name, number, tuple(round(v, 3) for v in rect)))
    return cells


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


@functools.lru_cache(maxsize=1)
def _file_metrics() -> dict:
    """The form font file's descriptor values (1/1000 em)."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    font = TTFont(str(FONT_FILE), lazy=True)
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]

    def em(v: float) -> int:
        return round(v * 1000 / head.unitsPerEm)

    return {"FontBBox": [em(head.xMin), em(head.yMin), em(head.xMax), em(head.yMax)],
            "ItalicAngle": float(font["post"].italicAngle), "Ascent": em(hhea.ascent), "Descent": em(hhea.descent),
            "CapHeight": em(getattr(os2, "sCapHeight", hhea.ascent)), "StemV": 80}


@functools.lru_cache(maxsize=1)
def form_widths() -> tuple[int, ...]:
    """The form font's advance widths (1/1000 em) of the WinAnsi codes 32-255."""
    return _widths(FONT_FILE.read_bytes())


def form_font(pdf, font_file=None):
    """The form font as a simple TrueType font in WinAnsi encoding, an indirect dictionary of the pikepdf document
    ``pdf``; its file is ``font_file`` (a stream of ``pdf``) or the form font file, embedded whole."""
    import pikepdf  # noqa: PLC0415

    if font_file is None:
        data = FONT_FILE.read_bytes()
        font_file = pdf.make_stream(data)
        font_file.Length1 = len(data)
    metrics = _file_metrics()
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/techpackForm"), Flags=32,
        FontBBox=metrics["FontBBox"], ItalicAngle=metrics["ItalicAngle"], Ascent=metrics["Ascent"],
        Descent=metrics["Descent"], CapHeight=metrics["CapHeight"], StemV=metrics["StemV"], FontFile2=font_file))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/techpackForm"),
        FirstChar=32, LastChar=255, Widths=pikepdf.Array(form_widths()),
        Encoding=pikepdf.Name.WinAnsiEncoding, FontDescriptor=descriptor))


def _form(pdf):
    """The AcroForm of the pikepdf document ``pdf``, made (empty) if it has none."""
    import pikepdf  # noqa: PLC0415

    form = pdf.Root.get("/AcroForm")
    if form is None:
        form = pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), NeedAppearances=True)
    return form


def _place(form, field, widgets: list) -> None:
    """``field`` in the form's fields, and each of its ``widgets`` on its page (``/P``)."""
    import pikepdf  # noqa: PLC0415

    form.Fields.append(field)
    for widget in widgets:
        if "/Annots" not in widget.P:
            widget.P.Annots = pikepdf.Array()
        widget.P.Annots.append(widget)


CHECK = 0.066667
"""The grey of a checkbox's check mark and border colour (#111), as WeasyPrint writes it."""


def _add_boxes(pdf, boxes: list[Cell]) -> None:
    """A checkbox field for each of ``boxes`` (their rectangles; the box itself is drawn on the page), as
    WeasyPrint makes one: a widget whose "on" appearance is a check mark, off until checked."""
    import pikepdf  # noqa: PLC0415

    form = _form(pdf)
    pages = [page.obj for page in pdf.pages]
    for box in boxes:
        x1, y1, x2, y2 = box.rect
        w, h = x2 - x1, y2 - y1
        mark = (f"{CHECK:g} {CHECK:g} {CHECK:g} rg\n0 {h / 2:.6f} m\n{w / 2:.6f} 0 l\n{w:.6f} {h:.6f} l\n"
                f"{w * 0.4286:.6f} {h / 3:.6f} l\nh\nf").encode()
        on = pdf.make_stream(mark, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                             BBox=pikepdf.Array([0, 0, round(w, 6), round(h, 6)]))
        widget = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Btn, T=pikepdf.String(box.name),
            TU=pikepdf.String(box.name), Rect=pikepdf.Array(box.rect), P=pages[box.page], F=4,
            AS=pikepdf.Name.Off, V=pikepdf.Name.Off, Border=pikepdf.Array([0, 0, 0]),
            MK=pikepdf.Dictionary(BC=pikepdf.Array([CHECK, CHECK, CHECK])),
            AP=pikepdf.Dictionary(N=pikepdf.Dictionary({"/on": on}))))
        _place(form, widget, [widget])


def _add_cells(pdf, cells: list[Cell]) -> None:
    """A text field for every cell of ``cells`` (pikepdf document ``pdf``, in place); a name laid out on two
    pages (a cell split by a page break) is one field with a widget on each."""
    import pikepdf  # noqa: PLC0415

    form = _form(pdf)
    by_name: dict[str, list[Cell]] = {}
    for cell in cells:
        by_name.setdefault(cell.name, []).append(cell)
    pages = [page.obj for page in pdf.pages]  # (pdf.pages[i] costs a walk of the page tree each time)
    for name, laid_out in by_name.items():
        widgets = [pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=pikepdf.Array(cell.rect),
            P=pages[cell.page], F=4)) for cell in laid_out]
        keys = {"/FT": pikepdf.Name.Tx, "/T": pikepdf.String(name), "/TU": pikepdf.String(name),
                "/DA": pikepdf.String(f"/{FONT} {SIZE:g} Tf 0 g"), "/V": pikepdf.String("")}
        if len(widgets) == 1:  # the field and its widget in one dictionary, as WeasyPrint writes them
            widgets[0].update(keys)
            field = widgets[0]
        else:
            field = pdf.make_indirect(pikepdf.Dictionary(keys))
            field.Kids = pikepdf.Array(widgets)
            for widget in widgets:
                widget.Parent = field
        _place(form, field, widgets)
    for page in pdf.pages:  # tab order: the widgets in reading order, after the page's other annotations
        annots = list(page.obj.get("/Annots", []))
        widgets = [a for a in annots if a.get("/Subtype") == pikepdf.Name.Widget]
        if widgets:
            page.obj.Annots = pikepdf.Array([a for a in annots if a.get("/Subtype") != pikepdf.Name.Widget]
                                            + _reading_order(widgets))


def _reading_order(widgets: list) -> list:
    """``widgets`` by rows from the top, each row from the left: a widget whose middle lies within the height of
    a row's first (topmost) widget is in that row, so a checkbox at the foot of a tall row stays in it."""
    rows: list[tuple[float, list]] = []  # (bottom of the row's first widget, its widgets)
    for w in sorted(widgets, key=lambda a: -float(a.Rect[3])):
        middle = (float(w.Rect[1]) + float(w.Rect[3])) / 2
        if rows and middle >= rows[-1][0]:
            rows[-1][1].append(w)
        else:
            rows.append((float(w.Rect[1]), [w]))
    return [w for _bottom, row in rows for w in sorted(row, key=lambda a: float(a.Rect[0]))]


def _font_named(names: set[str], holders):
    """The font that a field's /DA names: in the form's resources (/DR), else in those of a page a field is
    on."""
    for holder in holders:
        fonts = holder.get("/DR" if "/Fields" in holder else "/Resources", {}).get("/Font", {})
        for name in sorted(names):
            if "/" + name in fonts:
                return fonts["/" + name]
    return None


def make_safe(pdf, cells: list[Cell], boxes: list[Cell] = ()) -> bool:
    """Add the checkbox fields ``boxes`` and the cell fields ``cells`` and give the text fields of the pikepdf
    document ``pdf`` one simple WinAnsi TrueType font (in place); False when there was no text field to give it
    to (none, or done already)."""
    import pikepdf  # noqa: PLC0415

    if boxes:
        _add_boxes(pdf, boxes)
    form = pdf.Root.get("/AcroForm")
    named = set()
    if form is not None:
        named = {m.group(1).decode() for f in _widgets(form.get("/Fields", [])) if "/DA" in f
                 for m in [_TF.search(bytes(f.DA))] if m is not None}
    if cells:
        _add_cells(pdf, cells)
        form = pdf.Root.AcroForm
    if FONT in named or not named and not cells:  # done already, or no text field
        return bool(cells)
    fields = _widgets(form.get("/Fields", []))
    # the form font file, whole (a filler draws what one types with it), one stream whichever way the form's
    # fields were made, so that the sections of a long form share one copy once merged
    data = FONT_FILE.read_bytes()
    font_file = pdf.make_stream(data)
    font_file.Length1 = len(data)
    if named:  # WeasyPrint made text fields, and embedded the same file for them: that copy becomes this one
        source = _font_named(named, itertools.chain([form], (f.P for f in fields if "/P" in f)))
        if source is None:
            raise ValueError(f"the form's fields name the font(s) {sorted(named)}, which it does not hold")
        descriptor = (source.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in source
                      else source.FontDescriptor)
        if descriptor.FontFile2.read_bytes() == data:
            descriptor.FontFile2 = font_file
    form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + FONT: form_font(pdf, font_file)}))
    form.DA = pikepdf.String(f"/{FONT} 0 Tf 0 g")
    for field in fields:
        if "/DA" in field:
            field.DA = pikepdf.String(_appearance(bytes(field.DA)))
    return True


def reader_safe(data: bytes, cells: list[Cell] | None = None) -> bytes:
    """The PDF ``data`` with the cell fields ``cells`` added and its text fields given one simple WinAnsi
    TrueType font; the same bytes back when there is nothing to do. The file identifier is a hash of the content
    (qpdf's deterministic ID), so the bytes are reproducible. :func:`techpack.pdf.render_pdf` applies it to every
    form it renders."""
    import pikepdf  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not make_safe(pdf, cells or []):
            return data
        return save(pdf)


def save(pdf) -> bytes:
    """The bytes of the pikepdf document ``pdf``: streams kept as they are (compressed anew only where changed),
    the file identifier a hash of the content (qpdf's deterministic ID)."""
    import pikepdf  # noqa: PLC0415

    buf = io.BytesIO()
    pdf.save(buf, min_version=pdf.pdf_version, deterministic_id=True, compress_streams=True,
             stream_decode_level=pikepdf.StreamDecodeLevel.none, fix_metadata_version=False)
    return buf.getvalue()
