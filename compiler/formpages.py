"""Table pages drawn directly: a batch record's part pages (result grids, inline checks, final inspection), an
inspection plan's (characteristics by stage, and the reasons for each class, method and interval) and the
AS9102 forms of each part.

A batch record is mostly the same few tables, page after page: each characteristic of each part once per
inspection stage, with a fillable cell per piece. WeasyPrint lays any HTML and CSS out, and pays for that
generality on every cell (style cascade, box tree, layout, painting): on the 100-part product the record's
633 pages were the largest share of the build. ReportLab, made for documents of this kind, draws the same
pages in about a tenth of the time.

:func:`render` takes a section document of the batch record (``techpack.pdfsections``: the document's head and
some of its sections' HTML) and draws it when it can, else returns None and WeasyPrint renders it as before.
It draws a document when

* its head links exactly the batch record's style sheets or the plan's (:data:`PROFILES`), whose rules this
  module draws (the numbers below are quality.css's and base.css's; ``tests/quality/test_formpages.py`` holds
  them to the CSS);
* its body holds only what those sections write: ``h2`` and ``h3`` headings (``new-page`` starts a page), ``p``
  notes, a report's ``div.fair``, and fixed-layout tables of the profile's classes (``colgroup`` widths in mm
  or a labelled-box form's percentages, at most one ``thead`` row, ``tbody`` rows, column spans) whose cells
  hold text (``b``, ``span``, ``code``, ``br``; a key-characteristic mark ``span.kc`` at the end of a line),
  or, in a form, are a text field (``td[data-tp-field]``, empty), hold checkboxes (``label.cb``) or end in a
  text input, with the classes the templates give them;
* every character of its text is in the shipped fonts (DejaVu Sans and its bold and mono faces, or the GD&T
  font, as WeasyPrint would fall back to it) and needs no shaping or reordering (no right-to-left or combining
  marks): ReportLab draws a string glyph by glyph.

Anything else (another element, attribute or class, a field with content, a column span, a character outside
the fonts) and the whole document goes to WeasyPrint: this is a faster path for what it knows, never a
guess. The pages it draws carry what WeasyPrint's do: the page box and margins (left empty for the running
header and page numbers stamped after the merge), an outline entry per heading, a text field per field cell
with the cell's rectangle (:func:`techpack.pdfforms.reader_safe` makes them, as it does for WeasyPrint's
pages), a checkbox per ``label.cb`` like WeasyPrint's, rows that never split across pages and a table head
repeated on every page a table continues on. The bytes are reproducible (ReportLab's invariant mode; the
fonts are subset by glyph use only).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from .pdfforms import Cell

SHEETS = ("base.css", "quality/quality.css", "quality/batch-record.css", "sections.css")
"""The style sheets, in order, of a batch record's section documents."""
PLAN_SHEETS = ("base.css", "quality/quality.css", "sections.css")
"""... of an inspection plan's"""
FAI_SHEETS = ("base.css", "quality/quality.css", "quality/fai.css", "sections.css")
"""... and of the AS9102 forms'."""


@dataclass(frozen=True)
class Profile:
    """What this module draws of a kind of document: its tables' classes, and whether it is a form."""

    tables: frozenset
    forms: bool


PROFILES = {SHEETS: Profile(frozenset({"form grid", "form"}), True),
            PLAN_SHEETS: Profile(frozenset({"matrix", "fixed"}), False),
            FAI_SHEETS: Profile(frozenset({"form", "c8 form", "c6 form", "c4 form", "f3 form"}), True)}
"""By the style sheets a document links: the batch record's form tables (its result grids, inline checks and
final inspection), the inspection plan's characteristic matrices and its table of reasons, the AS9102 forms
(labelled boxes, the characteristics of form 3)."""
COLUMNS = {"c8": {"l": 10.0, "v": 15.0}, "c6": {"l": 13.0, "v": 20.3}, "c4": {"l": 16.0, "v": 34.0}}
"""Percent widths of a labelled-box form's label and value columns (quality.css ``table.c8 col.l`` …)."""
F3_HEAD = 6.8  # table.f3 th { font-size } (fai.css)
H3_SIZE = 9.5  # quality.css h3

MM = 72 / 25.4
PAGE = (841.889764, 595.275591)
"""A4 landscape in points, as WeasyPrint writes the page box (so the merged pages' boxes are all alike)."""
MARGIN = (15 * MM, 10 * MM, 12 * MM, 10 * MM)
"""quality.css ``@page`` margin: top, right, bottom, left."""

INK = "#111111"  # html { color }
MUTED = "#555555"  # .muted
CRITICAL = "#a40000"  # .cls-critical
RULE = "#888888"  # th, td border: 0.5pt solid #888
HEAD_BG = "#e4e8ec"  # th background (quality.css)
LABEL_BG = "#f1f3f5"  # table.form td.lbl
FIELD_BG = "#f4f7fb"  # td[data-tp-field] background
H2_RULE = "#444444"  # h2 border-bottom: 0.75pt solid #444
BOX_RULE = "#333333"  # input[type=checkbox] border
INPUT_RULE = "#666666"  # input[type=text] border-bottom: 0.5pt solid #666
INPUT_PAD = 1.0  # input[type=text] padding: 0 1pt
CHECK = 0.066667  # the check mark's grey in WeasyPrint's checkbox appearance (#111)
LINE_HEIGHT = 1.35
TABLE_SIZE = 7.5  # table { font-size }
SMALL = 7.0  # .small, .id
LABEL_SIZE = 6.8  # table.form td.lbl
VALUE_SIZE = 8.0  # table.form td.val
H2_SIZE = 11.0
FIELD_HEIGHT = 4.6 * MM  # td[data-tp-field] { height }
CELL_PAD = (1.5, 3.0)  # th, td padding: vertical, horizontal
FIELD_PAD = (0.5, 1.0)  # td.f padding
RULE_WIDTH = 0.5
ROW_PAD = CELL_PAD[0] + RULE_WIDTH / 2
"""A row's padding above and below its text: the cell's, and half the collapsed border (WeasyPrint's rows are
their content, padding and one border width high)."""
SIDE_PAD = CELL_PAD[1] + RULE_WIDTH / 2
"""A cell's padding left and right of its text: the cell's, and half the collapsed border."""
FIELD_ROW = {True: 1.1, False: 1.5}
"""What a row of fields adds to a field's height (its padding, 0.5pt above and below, and what WeasyPrint's line
box adds), by whether the table is a result grid (its cells are aligned in the middle, the others' fields at the
bottom), as measured on WeasyPrint's pages: such rows are 14.14pt and 14.54pt high."""
BOX = 3.2 * MM  # input[type=checkbox] width and height
BOX_GAP = 1.5 * MM  # its right margin
LABEL_GAP = 4 * MM  # label.cb right margin

FONTS = {("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
         ("mono", False): "DejaVuSansMono.ttf", ("mono", True): "DejaVuSansMono.ttf", ("gdt", False): "techpack-gdt.ttf",
         ("gdt", True): "techpack-gdt.ttf"}
"""The shipped faces (templates/fonts) by family and weight; the mono and GD&T fonts have no bold face
(WeasyPrint uses their regular one as well)."""

TD_CLASSES = frozenset("num id small nowrap muted c f lbl val cls-critical cls-major cls-minor".split())
SPAN_CLASSES = frozenset("small muted mono id".split())
MATRIX_HEAD = 6.8  # table.matrix th { font-size }
BADGE_SIZE = 6.5  # .kc { font-size: 6.5pt; border: 0.5pt solid #111; padding: 0 1.5pt; margin-left: 2pt }
BADGE_PAD, BADGE_GAP, BADGE_RULE = 1.5, 2.0, 0.5


class Unsupported(Exception):
    """The document holds something this module does not draw: WeasyPrint renders it."""


# --------------------------------------------------------------------------- the document, read


@dataclass
class Run:
    text: str
    bold: bool = False
    small: bool = False
    muted: bool = False
    mono: bool = False


@dataclass
class Badge:
    """A key-characteristic mark (``span.kc``): its text in a thin box after the cell's text."""

    text: str


@dataclass
class Text:
    """A cell's (or heading's) content: runs of text, ``None`` for a line break."""

    runs: list


@dataclass
class Boxes:
    """A cell holding checkboxes: (field name, label) each."""

    boxes: list[tuple[str, str]]


@dataclass
class FieldCell:
    name: str


@dataclass
class TextAndField:
    """A cell's text with a text field under it (an ``<input type="text">`` after it: an inline block as wide
    as the cell)."""

    text: Text
    name: str


@dataclass
class CellSpec:
    content: object  # Text | Boxes | FieldCell | TextAndField
    classes: frozenset
    head: bool = False
    span: int = 1  # colspan


@dataclass
class TableSpec:
    widths: list  # points, or None (an automatic column)
    head: list[CellSpec]
    rows: list[list[CellSpec]]
    grid: bool = False
    classes: frozenset = frozenset()


@dataclass
class Heading:
    text: Text
    new_page: bool
    level: int = 1  # bookmark level: h2 1, h3 2


@dataclass
class Note:
    text: Text
    classes: frozenset


@dataclass
class Drawn:
    """What a drawing made besides its pages: the field cells and checkboxes, with page and rectangle."""

    cells: list[Cell] = field(default_factory=list)
    boxes: list[Cell] = field(default_factory=list)


def _classes(el) -> frozenset:
    return frozenset((el.get("class") or "").split())


def _only(el, allowed: set) -> None:
    if set(el.keys()) - allowed:
        raise Unsupported(f"<{el.tag}> with attributes {sorted(el.keys())}")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _inline(el, into: list, style: Run) -> None:
    """The text of ``el``'s children (and their tails) as runs, with the inline markup the templates write."""
    for child in el:
        tag = child.tag
        if tag == "br":
            _only(child, set())
            into.append(None)
        elif tag == "b":
            _only(child, set())
            _runs(child, into, Run("", True, style.small, style.muted, style.mono))
        elif tag == "code":  # (base.css: the mono face)
            _only(child, set())
            _runs(child, into, Run("", style.bold, style.small, style.muted, True))
        elif tag == "span" and _classes(child) == {"kc"}:
            _only(child, {"class"})
            if len(child) or child.tail and child.tail.strip():
                raise Unsupported("a key-characteristic mark with markup in it or text after it")
            into.append(Badge(" ".join((child.text or "").split())))
        elif tag == "span":
            _only(child, {"class"})
            cls = _classes(child)
            if cls - SPAN_CLASSES:
                raise Unsupported(f"<span class={sorted(cls)}>")
            _runs(child, into, Run("", style.bold, style.small or "small" in cls or "id" in cls,
                                   style.muted or "muted" in cls, style.mono or bool(cls & {"mono", "id"})))
        else:
            raise Unsupported(f"<{tag}> in text")
        if child.tail:
            into.append(Run(child.tail, style.bold, style.small, style.muted, style.mono))


def _runs(el, into: list, style: Run) -> None:
    if el.text:
        into.append(Run(el.text, style.bold, style.small, style.muted, style.mono))
    _inline(el, into, style)


def _text(el, style: Run | None = None) -> Text:
    runs: list = []
    _runs(el, runs, style or Run(""))
    return Text(runs)


def _cell(el, head: bool, forms: bool) -> CellSpec:
    _only(el, {"class", "data-tp-field", "colspan"})
    span = el.get("colspan", "1")
    if not span.isdigit() or not 1 <= int(span) <= 50:
        raise Unsupported(f"colspan {span!r}")
    cell = _cell_content(el, head, forms)
    cell.span = int(span)
    return cell


def _cell_content(el, head: bool, forms: bool) -> CellSpec:
    cls = _classes(el)
    if cls - TD_CLASSES:
        raise Unsupported(f"<{el.tag} class={sorted(cls)}>")
    name = el.get("data-tp-field")
    if not forms and (name is not None or "f" in cls or any(c.tag in ("label", "input") for c in el.iter())):
        raise Unsupported("a field in a document that is not a form")
    if name is not None:
        if head or len(el) or not _blank(el.text):
            raise Unsupported("a field cell with content")
        return CellSpec(FieldCell(name), cls)
    labels = [c for c in el if c.tag == "label"]
    if labels:
        boxes = []
        if not _blank(el.text) or len(labels) != len(el):
            raise Unsupported("checkboxes beside other content")
        for label in labels:
            if _classes(label) != {"cb"} or len(label) != 1 or not _blank(label.text) or not _blank(label.tail):
                raise Unsupported("a checkbox label other than the templates'")
            box = label[0]
            if box.tag != "input" or box.get("type") != "checkbox" or set(box.keys()) != {"type", "name"} \
                    or len(box):
                raise Unsupported("a checkbox other than the templates'")
            boxes.append((box.get("name"), " ".join((box.tail or "").split())))
        return CellSpec(Boxes(boxes), cls, head)
    if len(el) and el[-1].tag == "input":
        field = el[-1]
        if head or field.get("type") != "text" or set(field.keys()) != {"type", "name"} or len(field) \
                or not _blank(field.tail):
            raise Unsupported("a text input other than the templates' at the end of a cell")
        el.remove(field)
        return CellSpec(TextAndField(_text(el), field.get("name")), cls, head)
    return CellSpec(_text(el, Run("", bold=head)), cls, head)


def _length(value: str) -> float | None:
    m = re.fullmatch(r"\s*width\s*:\s*([0-9.]+)mm\s*;?\s*", value or "")
    if m is None:
        raise Unsupported(f"a column width {value!r}")
    return float(m.group(1)) * MM


def _column(col, table: frozenset):
    """A column's width: in mm (its style), a percentage of the table (a labelled-box form's ``l``/``v`` column),
    or None (automatic)."""
    if col.get("style") is not None and col.get("class") is not None:
        raise Unsupported("a column with both a style and a class")
    if col.get("class") is not None:
        kind = [COLUMNS[c] for c in table if c in COLUMNS]
        if len(kind) != 1 or col.get("class") not in kind[0]:
            raise Unsupported(f"a column of class {col.get('class')!r} in a table of classes {sorted(table)}")
        return ("%", kind[0][col.get("class")])
    return _length(col.get("style")) if col.get("style") is not None else None


def _read_table(el, profile: Profile) -> TableSpec:
    _only(el, {"class"})
    cls = _classes(el)
    if " ".join(sorted(cls)) not in profile.tables:
        raise Unsupported(f"<table class={sorted(cls)}>")
    widths: list = []
    head: list[CellSpec] = []
    rows: list[list[CellSpec]] = []
    for part in el:
        if not _blank(part.tail):
            raise Unsupported("text in a table")
        if part.tag == "colgroup" and not widths and not head and not rows:
            _only(part, set())
            for col in part:
                if col.tag != "col" or not _blank(col.tail):
                    raise Unsupported("a column group other than <col>s")
                _only(col, {"style", "class"})
                widths.append(_column(col, cls))
        elif part.tag == "thead" and not head and not rows:
            _only(part, set())
            trs = list(part)
            if len(trs) != 1 or trs[0].tag != "tr":
                raise Unsupported("a table head of other than one row")
            head = [_row_cell(c, "th", profile.forms) for c in trs[0]]
        elif part.tag == "tbody" and not rows:
            _only(part, set())
            for tr in part:
                if tr.tag != "tr" or not _blank(tr.tail):
                    raise Unsupported("a table body of other than rows")
                _only(tr, set())
                rows.append([_row_cell(c, "td", profile.forms) for c in tr])
        else:
            raise Unsupported(f"<{part.tag}> in a table")
    ncols = sum(c.span for c in head) if head else sum(c.span for c in rows[0]) if rows else 0
    if not ncols or not (rows or head) or any(sum(c.span for c in r) != ncols for r in rows) \
            or (widths and len(widths) != ncols) or any(c.span > 1 for c in head):
        raise Unsupported("a table whose rows do not all have one cell per column")
    return TableSpec(widths or [None] * ncols, head, rows, "grid" in cls, cls)


def _row_cell(el, tag: str, forms: bool) -> CellSpec:
    if el.tag != tag or not _blank(el.tail):
        raise Unsupported(f"<{el.tag}> where <{tag}> was expected")
    return _cell(el, tag == "th", forms)


def read(root, forms: bool = True) -> list:
    """The blocks of a parsed section document (:func:`techpack.fasthtml.parse`) of a form (``forms``) or not;
    raises :class:`Unsupported`."""
    head, body = root.find("head"), root.find("body")
    if head is None or body is None:
        raise Unsupported("no head or body")
    linked = tuple(link.get("href") for link in head.iter("link"))
    profile = PROFILES.get(linked)
    if profile is None or profile.forms != forms or any(el.tag in ("style", "base") for el in head.iter()):
        raise Unsupported(f"style sheets {linked}")
    if not _blank(body.text):
        raise Unsupported("text directly in the body")
    _only(body, set())
    blocks: list = []
    _blocks(body, profile, blocks)
    if not blocks:
        raise Unsupported("an empty document")
    return blocks


def _blocks(parent, profile: Profile, blocks: list) -> None:
    for el in parent:
        if not _blank(el.tail):
            raise Unsupported("text directly in the body")
        if el.tag == "div" and el.get("class") == "fair" and profile.forms and set(el.keys()) == {"class"}:
            if not _blank(el.text):
                raise Unsupported("text directly in a form's block")
            _blocks(el, profile, blocks)  # (one AS9102 report: a box of no style of its own)
        elif el.tag == "h3":
            _only(el, set())
            blocks.append(Heading(_text(el, Run("", bold=True)), False, 2))
        elif el.tag == "h2":
            _only(el, {"class"})
            cls = _classes(el)
            if cls - {"new-page"}:
                raise Unsupported(f"<h2 class={sorted(cls)}>")
            blocks.append(Heading(_text(el, Run("", bold=True)), "new-page" in cls))
        elif el.tag == "p":
            _only(el, {"class"})
            cls = _classes(el)
            if cls - {"small", "muted"}:
                raise Unsupported(f"<p class={sorted(cls)}>")
            blocks.append(Note(_text(el, Run("", small="small" in cls, muted="muted" in cls)), cls))
        elif el.tag == "table":
            blocks.append(_read_table(el, profile))
        else:
            raise Unsupported(f"<{el.tag}> in the body")


# --------------------------------------------------------------------------- fonts


@functools.lru_cache(maxsize=1)
def _fonts() -> dict:
    """ReportLab names of the shipped faces, registered once per process, and each face's characters."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    from .pdf import TEMPLATES  # noqa: PLC0415

    names, chars = {}, {}
    for key, file in FONTS.items():
        name = "tp-" + file.removesuffix(".ttf")
        if name not in chars:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(TEMPLATES / "fonts" / file)))
            chars[name] = frozenset(pdfmetrics.getFont(name).face.charToGlyph)
        names[key] = name
    return {"names": names, "chars": chars}


def warm() -> None:
    """Import ReportLab and register the fonts now (the render host, before it forks the section renders)."""
    import reportlab.platypus  # noqa: F401, PLC0415

    _fonts()


_LINK = re.compile(r'<link rel="stylesheet" href="([^"]*)">')


def sheets(html: str) -> tuple[str, ...]:
    """The style sheets a document's head links, as the templates write the links."""
    end = html.find("</head>")
    return tuple(_LINK.findall(html[:end])) if end >= 0 else ()


TAGS = frozenset("h2 h3 p div table colgroup col thead tbody tr th td b span br label input code".split())
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_TABLE = re.compile(r'<table(?: class="([^"]*)")?')


def likely(fragment: str, html_head: str) -> bool:
    """Whether a section's HTML (of a document with the head ``html_head``) looks like what :func:`render` draws:
    only its elements and tables of its classes. A hint for grouping sections into chunks
    (``techpack.pdfsections``), so that a section that is not drawn here does not send its neighbours to
    WeasyPrint; :func:`render` decides."""
    profile = PROFILES.get(sheets(html_head))
    if profile is None or not set(_TAG.findall(fragment)) <= TAGS:
        return False
    return all(" ".join(sorted((cls or "").split())) in profile.tables for cls in _TABLE.findall(fragment))


_SHAPED = re.compile("[\u00ad\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u200b-\u200f"
                     "\u202a-\u202e\u2060-\u2069\ufb1d-\ufdff\ufe70-\ufeff]")
"""Scripts that need shaping or reordering (Hebrew, Arabic, Indic, Thai, Lao, Myanmar, Khmer, the joiners and
direction marks), and the invisible break hints (soft hyphen, zero-width space, word joiner): ReportLab draws
glyph by glyph, left to right, and would draw a soft hyphen as a hyphen."""


def _markup(run: Run, text: str) -> str:
    """``text`` of ``run`` as ReportLab paragraph markup, each character in the first shipped face that has it."""
    fonts = _fonts()
    family = "mono" if run.mono else "sans"
    first = fonts["names"][(family, run.bold)]
    second = fonts["names"][("gdt", False)]
    if _SHAPED.search(text) or any(unicodedata.combining(ch) for ch in text):
        raise Unsupported("text that needs shaping")
    own, gdt = fonts["chars"][first], fonts["chars"][second]
    out, current, chunk = [], None, []
    for ch in text:
        face = first if ord(ch) in own or ch == " " else second if ord(ch) in gdt else None
        if face is None:
            raise Unsupported(f"U+{ord(ch):04X} is in none of the shipped fonts")
        if face != current and chunk:
            out.append((current, "".join(chunk)))
            chunk = []
        current = face
        chunk.append(ch)
    if chunk:
        out.append((current, "".join(chunk)))
    parts = []
    for face, piece in out:
        piece = escape(piece)
        parts.append(piece if face == first else f'<font face="{face}">{piece}</font>')
    return "".join(parts)


def _collapse(text: Text) -> list:
    """The runs with white space collapsed as HTML does: one space between words, none at a line's ends."""
    out: list = []
    space = True  # at the start of a line
    for run in text.runs:
        if isinstance(run, Badge):
            raise Unsupported("a key-characteristic mark outside a table cell")
        if run is None:
            while out and out[-1] is not None and out[-1][1].endswith(" "):
                out[-1] = (out[-1][0], out[-1][1][:-1])
            out.append(None)
            space = True
            continue
        t = re.sub(r"[ \t\n\r\f]+", " ", run.text)
        if space:
            t = t.lstrip(" ")
        if not t:
            continue
        space = t.endswith(" ")
        out.append((run, t))
    while out and out[-1] is not None and out[-1][1].endswith(" "):
        out[-1] = (out[-1][0], out[-1][1][:-1])
    return [o for o in out if o is None or o[1]]


def plain(text: Text) -> str:
    """The collapsed text (an outline entry's title)."""
    return "".join("\n" if o is None else o[1] for o in _collapse(text))


# --------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=None)
def _style(size: float, bold: bool, mono: bool, colour: str, align: int, breaks: bool):
    from reportlab.lib.colors import HexColor  # noqa: PLC0415
    from reportlab.lib.styles import ParagraphStyle  # noqa: PLC0415

    name = _fonts()["names"][("mono" if mono else "sans", bold)]
    return ParagraphStyle(f"{name}-{size}-{colour}-{align}-{breaks}", fontName=name, fontSize=size,
                          leading=size * LINE_HEIGHT, textColor=HexColor(colour), alignment=align,
                          splitLongWords=breaks, allowWidows=1, allowOrphans=1, spaceShrinkage=0)


def _paragraph(text: Text, size: float, bold: bool, mono: bool, colour: str, align: int, nowrap: bool,
               anywhere: bool = False, plain: bool = True):
    """A ReportLab paragraph of ``text`` in the cell's style; its spans change the size, colour, face. A word
    breaks inside only where WeasyPrint's would: anywhere with ``anywhere`` (``.id``: overflow-wrap), else only
    a word longer than ``LONG_RUN`` characters (:func:`techpack.pdf.breakable_html`); a shorter one overflows
    its cell as it does there."""
    from reportlab.platypus import Paragraph  # noqa: PLC0415

    from .pdf import LONG_RUN  # noqa: PLC0415

    fonts = _fonts()
    pieces = []
    items = _collapse(text)
    breaks = not nowrap and (anywhere or any(len(word) > LONG_RUN for item in items if item is not None
                                             for word in item[1].split()))
    if plain and len(items) == 1 and items[0] is not None:  # one run of one face: a line when it fits
        run, t = items[0]
        face = fonts["names"][("mono" if run.mono or mono else "sans", run.bold or bold)]
        if not _SHAPED.search(t) and all(ord(ch) in fonts["chars"][face] or ch == " " for ch in t) \
                and not any(unicodedata.combining(ch) for ch in t):
            return _plain()(t, face, SMALL if run.small else size, MUTED if run.muted else colour, size, align,
                            nowrap or (not breaks and " " not in t),
                            lambda: _paragraph(text, size, bold, mono, colour, align, nowrap, anywhere, False))
    for item in items:
        if item is None:
            pieces.append("<br/>")
            continue
        run, t = item
        markup = _markup(Run(t, run.bold or bold, run.small, run.muted, run.mono or mono), t)
        attrs = []
        run_bold, run_mono = run.bold or bold, run.mono or mono
        if (run_mono, run_bold) != (mono, bold):
            attrs.append(f'face="{fonts["names"][("mono" if run_mono else "sans", run_bold)]}"')
        if run.small and size != SMALL:
            attrs.append(f'size="{SMALL}"')
        if run.muted and colour != MUTED:
            attrs.append(f'color="{MUTED}"')
        pieces.append(f"<font {' '.join(attrs)}>{markup}</font>" if attrs else markup)
    style = _style(size, bold, mono, colour, align, breaks)
    if nowrap and align == 0:
        return _one_line()("".join(pieces), style)
    return Paragraph("".join(pieces), style)


@functools.lru_cache(maxsize=1)
def _plain():
    """One run of text in one face, drawn as one string where it fits its cell's width (or must stay on one line:
    ``nowrap``, or one word that may not break), as its paragraph would draw it there, without a paragraph's
    markup parsing and line breaking; else that paragraph (``make``) lays it out. Most cells of a form are
    this."""
    from reportlab.lib.colors import HexColor  # noqa: PLC0415
    from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415
    from reportlab.platypus.flowables import Flowable  # noqa: PLC0415

    class Plain(Flowable):
        def __init__(self, text, face, size, colour, style_size, align, one_line, make):
            super().__init__()
            self.text, self.face, self.size, self.colour = text, face, size, colour
            self.leading, self.align, self.one_line, self.make = style_size * LINE_HEIGHT, align, one_line, make
            self.para = None
            self.spaceBefore = self.spaceAfter = 0

        def wrap(self, aw, ah):
            self.width = aw
            if self.para is None and (self.one_line or stringWidth(self.text, self.face, self.size) <= aw):
                self.height = self.leading
                return aw, self.height
            if self.para is None:
                self.para = self.make()
            return self.para.wrap(aw, ah)

        def draw(self):
            if self.para is not None:
                self.para.drawOn(self.canv, 0, 0)
                return
            c = self.canv
            c.setFillColor(HexColor(self.colour))
            c.setFont(self.face, self.size)
            y = self.height - self.size  # where a paragraph puts its first line's baseline
            if self.align == 2:
                c.drawRightString(self.width, y, self.text)
            elif self.align == 1:
                c.drawCentredString(self.width / 2, y, self.text)
            else:
                c.drawString(0, y, self.text)

    return Plain


@functools.lru_cache(maxsize=1)
def _one_line():
    """A paragraph laid out on one line however narrow its cell (``white-space: nowrap``): it overflows to the
    right, as in WeasyPrint."""
    from reportlab.platypus import Paragraph  # noqa: PLC0415

    class OneLine(Paragraph):
        def wrap(self, aw, ah):
            _w, h = super().wrap(1e6, ah)
            self.width = aw
            return aw, h

    return OneLine


def _cell_style(cls: frozenset, head: bool, table: frozenset = frozenset()) -> tuple:
    """(size, bold, mono, colour, align, nowrap) of a cell with classes ``cls`` (quality.css, base.css) in a
    table of classes ``table``."""
    size = MATRIX_HEAD if head and "matrix" in table else F3_HEAD if head and "f3" in table else TABLE_SIZE
    if "val" in cls:
        size = VALUE_SIZE
    if "lbl" in cls:
        size = LABEL_SIZE
    if "small" in cls or "id" in cls:
        size = SMALL
    bold = head or "lbl" in cls or bool(cls & {"cls-critical", "cls-major"})
    colour = CRITICAL if "cls-critical" in cls else MUTED if "muted" in cls else INK
    align = 2 if "num" in cls else 1 if "c" in cls else 0
    return size, bold, "id" in cls, colour, align, "nowrap" in cls


def _flowables(blocks: list, drawn: Drawn) -> list:
    from reportlab.lib.colors import HexColor  # noqa: PLC0415
    from reportlab.platypus import CondPageBreak  # noqa: PLC0415
    from reportlab.platypus.flowables import PageBreakIfNotEmpty  # noqa: PLC0415
    from reportlab.platypus.flowables import Flowable  # noqa: PLC0415
    from reportlab.platypus.tables import Table  # noqa: PLC0415

    class FieldMark(Flowable):
        """A field cell's content: nothing to draw, the row at least as high as the field (``FIELD_HEIGHT``)."""

        def __init__(self, name: str, row: float):
            super().__init__()
            self.name, self.row = name, row

        def wrap(self, aw, ah):
            return 0, FIELD_HEIGHT + self.row - 2 * ROW_PAD

        def draw(self):
            pass

    class CheckBoxes(Flowable):
        """Checkboxes with their labels on one line (``label.cb``): the boxes drawn, their fields recorded."""

        def __init__(self, boxes):
            super().__init__()
            self.boxes = boxes
            self.font = _fonts()["names"][("sans", False)]

        def wrap(self, aw, ah):
            from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415

            # each label whole (white-space: nowrap), a line broken between two where the next does not fit
            self.placed, x, line = [], 0.0, 0
            for name, label in self.boxes:
                w = BOX + BOX_GAP + stringWidth(label, self.font, TABLE_SIZE)
                if x and x + w > aw:
                    x, line = 0.0, line + 1
                self.placed.append((name, label, x, line))
                x += w + LABEL_GAP
            self.line = max(TABLE_SIZE * LINE_HEIGHT, BOX + 3.0)
            self.width, self.height = aw, (line + 1) * self.line
            return self.width, self.height

        def draw(self):
            c = self.canv
            c.setLineWidth(0.5)
            c.setFont(self.font, TABLE_SIZE)
            for name, label, x, line in self.placed:
                middle = self.height - (line + 0.5) * self.line
                y = middle - BOX / 2
                c.setStrokeColor(HexColor(BOX_RULE))
                c.rect(x, y, BOX, BOX, stroke=1, fill=0)
                x1, y1 = c.absolutePosition(x, y)
                x2, y2 = c.absolutePosition(x + BOX, y + BOX)
                drawn.boxes.append(Cell(name, c.getPageNumber() - 1, _rect(x1, y1, x2, y2)))
                c.setFillColor(HexColor(INK))
                c.drawString(x + BOX + BOX_GAP, middle - TABLE_SIZE * 0.35, label)

    class FormTable(Table):
        """A table whose field cells are filled with the field colour and recorded (their border boxes)."""

        def _drawCell(self, cellval, cellstyle, pos, size):
            if isinstance(cellval, (list, tuple)) and len(cellval) == 1:
                cellval = cellval[0]
            if isinstance(cellval, FieldMark):
                (x, y), (w, h) = pos, size
                c = self.canv
                c.setFillColor(HexColor(FIELD_BG))
                c.rect(x, y, w, h, stroke=0, fill=1)
                x1, y1 = c.absolutePosition(x, y)
                x2, y2 = c.absolutePosition(x + w, y + h)
                drawn.cells.append(Cell(cellval.name, c.getPageNumber() - 1, _rect(x1, y1, x2, y2)))
                return
            super()._drawCell(cellval, cellstyle, pos, size)

    class Headline(Flowable):
        """An ``h2``: its text, the rule under it, and its outline entry (bookmark level 1)."""

        def __init__(self, para, title: str, top: float, level: int, number: int):
            super().__init__()
            self.para, self.title, self.top, self.level, self.number = para, title, top, level, number
            # h2: margin 10pt 0 4pt, a rule 0.75pt under 2pt of padding; h3: margin 8pt 0 3pt, no rule
            self.spaceBefore, self.spaceAfter = (10.0, 4.0) if level == 1 else (8.0, 3.0)
            self.rule = 2.0 + 0.75 if level == 1 else 0.0

        def wrap(self, aw, ah):
            w, h = self.para.wrap(aw, ah)
            self.width, self.height = aw, self.top + h + self.rule
            return self.width, self.height

        def draw(self):
            c = self.canv
            self.para.drawOn(c, 0, self.rule)
            if self.rule:
                c.setStrokeColor(HexColor(H2_RULE))
                c.setLineWidth(0.75)
                c.line(0, 0.375, self.width, 0.375)
            key = f"tp-heading-{self.number}"
            c.bookmarkHorizontal(key, 0, self.height)
            c.addOutlineEntry(self.title, key, level=self.level - 1)

    class InputMark(Flowable):
        """A text input after a cell's text (``td.f input[type=text]``): a box as wide as the cell, 4.6mm high,
        with the field colour and a rule at its foot; its text field made on its rectangle."""

        def __init__(self, name: str):
            super().__init__()
            self.name = name

        def wrap(self, aw, ah):
            self.width, self.height = aw, FIELD_HEIGHT
            return self.width, self.height

        def draw(self):
            c = self.canv
            c.setFillColor(HexColor(FIELD_BG))
            c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            c.setStrokeColor(HexColor(INPUT_RULE))
            c.setLineWidth(0.5)
            c.line(0, 0.25, self.width, 0.25)
            # the field is the input's content box, as WeasyPrint makes it: inside its padding (0 1pt) and its
            # bottom rule
            x1, y1 = c.absolutePosition(INPUT_PAD, 0.5)
            x2, y2 = c.absolutePosition(self.width - INPUT_PAD, self.height)
            drawn.cells.append(Cell(self.name, c.getPageNumber() - 1, _rect(x1, y1, x2, y2)))

    kinds = {"field": FieldMark, "boxes": CheckBoxes, "input": InputMark, "table": FormTable}
    width = PAGE[0] - MARGIN[1] - MARGIN[3]
    out: list = []
    for block in blocks:
        if isinstance(block, Heading):
            if block.new_page and out:
                out.append(PageBreakIfNotEmpty())
            elif out:
                out.append(CondPageBreak(70))
            para = _paragraph(block.text, H2_SIZE if block.level == 1 else H3_SIZE, True, False, INK, 0, False)
            # a forced page break, or the document's start, keeps the heading's top margin (WeasyPrint); a
            # page's top drops ReportLab's
            top = (10.0 if block.level == 1 else 8.0) if block.new_page or not out else 0.0
            out.append(Headline(para, " ".join(plain(block.text).split()), top, block.level, len(out)))
        elif isinstance(block, Note):
            size = SMALL if "small" in block.classes else 9.0
            colour = MUTED if "muted" in block.classes else INK
            para = _paragraph(block.text, size, False, False, colour, 0, False)
            para.spaceAfter = 4.0
            out.append(para)
        else:
            out.append(_table(block, width, kinds))
    # CSS collapses the margins between two blocks to the larger one; ReportLab adds them up
    after = 0.0
    for flowable in out:
        if not hasattr(flowable, "wrap") or isinstance(flowable, (CondPageBreak, PageBreakIfNotEmpty)):
            continue
        flowable.spaceBefore = max(0.0, flowable.getSpaceBefore() - after)
        after = flowable.getSpaceAfter()
    return out


def _table(spec: TableSpec, width: float, kinds: dict):
    from reportlab.lib.colors import HexColor  # noqa: PLC0415
    from reportlab.platypus.tables import TableStyle  # noqa: PLC0415

    percent = [w[1] * width / 100 if isinstance(w, tuple) else w for w in spec.widths]
    fixed = sum(w for w in percent if w is not None)
    auto = [i for i, w in enumerate(percent) if w is None]
    if auto and fixed >= width:
        raise Unsupported("fixed columns wider than the page")
    share = (width - fixed) / len(auto) if auto else 0.0
    widths = [share if w is None else w for w in percent]
    if not auto:  # a fixed layout stretches the columns to the table's width, in proportion
        widths = [w * width / fixed for w in widths]
    f3 = "f3" in spec.classes

    def content(cell: CellSpec):
        if isinstance(cell.content, FieldCell):
            return kinds["field"](cell.content.name, FIELD_ROW[spec.grid])
        if isinstance(cell.content, Boxes):
            return kinds["boxes"](cell.content.boxes)
        size, bold, mono, colour, align, nowrap = _cell_style(cell.classes, cell.head, spec.classes)
        if isinstance(cell.content, TextAndField):
            text = _paragraph(cell.content.text, size, bold, mono, colour, align, nowrap)
            return [text, kinds["input"](cell.content.name)]
        if any(isinstance(r, Badge) for r in cell.content.runs):
            return _badged(cell.content, size, bold, mono, colour, align)
        anywhere = "id" in cell.classes or ("fixed" in spec.classes and not cell.head)  # overflow-wrap: anywhere
        return _paragraph(cell.content, size, bold, mono, colour, align, nowrap, anywhere)

    rows = ([spec.head] if spec.head else []) + spec.rows
    data, spans = [], []
    for r, row in enumerate(rows):
        line, c = [], 0
        for cell in row:
            line.append(content(cell))
            line += [""] * (cell.span - 1)
            if cell.span > 1:
                spans.append(("SPAN", (c, r), (c + cell.span - 1, r)))
            c += cell.span
        data.append(line)
    first = 1 if spec.head else 0
    body = "MIDDLE" if spec.grid else "TOP"
    style = [("FONT", (0, 0), (-1, -1), _fonts()["names"][("sans", False)], TABLE_SIZE),  # (not Helvetica)
             ("GRID", (0, 0), (-1, -1), RULE_WIDTH, HexColor(RULE)),
             ("VALIGN", (0, 0), (-1, -1), body),
             ("TOPPADDING", (0, 0), (-1, -1), ROW_PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), ROW_PAD),
             ("LEFTPADDING", (0, 0), (-1, -1), SIDE_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), SIDE_PAD), *spans]
    if spec.head:
        style += [("BACKGROUND", (0, 0), (-1, 0), HexColor(HEAD_BG)), ("VALIGN", (0, 0), (-1, 0), "TOP")]
    for r, row in enumerate(spec.rows, first):
        c = 0
        for cell in row:
            here = ((c, r), (c + cell.span - 1, r))
            if "lbl" in cell.classes:
                style.append(("BACKGROUND", *here, HexColor(LABEL_BG)))
            if "f" in cell.classes and not isinstance(cell.content, FieldCell):
                # td.f: its own padding, and at the foot of its row (in the middle in a grid or form 3)
                style += [("VALIGN", *here, "MIDDLE" if spec.grid or f3 else "BOTTOM"),
                          ("TOPPADDING", *here, FIELD_PAD[0] + RULE_WIDTH / 2),
                          ("BOTTOMPADDING", *here, FIELD_PAD[0] + RULE_WIDTH / 2),
                          ("LEFTPADDING", *here, FIELD_PAD[1] + RULE_WIDTH / 2),
                          ("RIGHTPADDING", *here, FIELD_PAD[1] + RULE_WIDTH / 2)]
            c += cell.span
    return kinds["table"](data, colWidths=widths, repeatRows=first, style=TableStyle(style), hAlign="LEFT",
                          spaceBefore=2.0, spaceAfter=6.0)


def _badged(text: Text, size: float, bold: bool, mono: bool, colour: str, align: int):
    """A cell's one line of plain text ending in a key-characteristic mark (the plan's class column, "major KC"):
    the text, then the mark's text in a thin box, on the line's baseline as WeasyPrint sets them."""
    from reportlab.lib.colors import HexColor  # noqa: PLC0415
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth  # noqa: PLC0415
    from reportlab.platypus.flowables import Flowable  # noqa: PLC0415

    *runs, badge = text.runs
    if not isinstance(badge, Badge) or align != 0 or any(not isinstance(r, Run) or r.small or r.muted or r.mono
                                                         for r in runs):
        raise Unsupported("a key-characteristic mark other than at the end of one line of plain text")
    main = " ".join("".join(r.text for r in runs).split())
    fonts = _fonts()
    face = fonts["names"][("mono" if mono else "sans", bold)]
    if any(ord(ch) not in fonts["chars"][face] for ch in main + badge.text if ch != " "):
        raise Unsupported("a key-characteristic mark's cell with a character of another font")
    face_info = getFont(face).face
    ascent, descent = face_info.ascent / 1000 * BADGE_SIZE, -face_info.descent / 1000 * BADGE_SIZE

    class Badged(Flowable):
        def wrap(self, aw, ah):
            self.main_w = stringWidth(main, face, size)
            self.badge_w = stringWidth(badge.text, face, BADGE_SIZE)
            # (no break between the text and the mark: a line too long overflows the cell, as in WeasyPrint)
            self.width, self.height = aw, size * LINE_HEIGHT
            return self.width, self.height

        def draw(self):
            c = self.canv
            baseline = self.height - size  # where ReportLab's paragraphs put a first line's baseline
            c.setFillColor(HexColor(colour))
            c.setFont(face, size)
            c.drawString(0, baseline, main)
            x = self.main_w + (BADGE_GAP if main else 0.0)
            c.setStrokeColor(HexColor(INK))
            c.setLineWidth(BADGE_RULE)
            c.rect(x, baseline - descent, self.badge_w + 2 * BADGE_PAD, ascent + descent, stroke=1, fill=0)
            c.setFont(face, BADGE_SIZE)
            c.drawString(x + BADGE_PAD, baseline, badge.text)

    return Badged()


def _rect(x1: float, y1: float, x2: float, y2: float) -> tuple:
    return tuple(round(v, 3) for v in (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))


def draw(blocks: list) -> tuple[bytes, Drawn]:
    """The PDF of ``blocks`` (ReportLab's bytes, fields not yet made) and what it drew where."""
    from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate  # noqa: PLC0415
    from reportlab.platypus.frames import Frame  # noqa: PLC0415

    from reportlab import rl_config  # noqa: PLC0415

    rl_config.useA85 = 0  # streams deflated only, as WeasyPrint's are (ASCII85 adds a quarter to their size)
    drawn = Drawn()
    story = _flowables(blocks, drawn)
    buf = io.BytesIO()
    top, right, bottom, left = MARGIN
    frame = Frame(left, bottom, PAGE[0] - left - right, PAGE[1] - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc = BaseDocTemplate(buf, pagesize=PAGE, pageTemplates=[PageTemplate("page", [frame])], invariant=1,
                          pageCompression=1, title="", author="", subject="", creator="", producer="",
                          initialFontName=_fonts()["names"][("sans", False)], lang=None)
    doc.build(story)
    return buf.getvalue(), drawn


def drawable(html: str, forms: bool) -> bool:
    """Whether ``html`` is a section document of a kind this module draws (by its style sheets alone)."""
    profile = PROFILES.get(sheets(html))
    return profile is not None and profile.forms == forms


def render(html: str, forms: bool = True, date=None) -> bytes | None:
    """The section document ``html`` drawn as a PDF (a fillable one with ``forms``), or None when it holds what
    this module does not draw (WeasyPrint renders it then). ``date`` (a datetime): the document's creation and
    modification dates, as WeasyPrint writes them; without it the file has none."""
    from . import fasthtml  # noqa: PLC0415

    if not drawable(html, forms):
        return None
    root = fasthtml.parse(html)
    if root is None:
        return None
    from reportlab.platypus.doctemplate import LayoutError  # noqa: PLC0415

    try:
        blocks = read(root, forms)
        data, drawn = draw(blocks)
    except (Unsupported, LayoutError):  # (a row taller than a page: WeasyPrint cuts it at the page's foot)
        return None
    title = root.find("head/title")
    return finish(data, drawn, " ".join((title.text or "").split()) if title is not None else "", date)


def finish(data: bytes, drawn: Drawn, title: str = "", date=None) -> bytes:
    """ReportLab's PDF with WeasyPrint's page box on every page, the checkboxes and the text fields made, and the
    document information WeasyPrint gives (the title, the producer, the dates: the merged document takes its
    first section's)."""
    import pikepdf  # noqa: PLC0415
    import reportlab  # noqa: PLC0415

    from . import pdfforms  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(data)) as pdf:
        box = pikepdf.Array([0, 0, *PAGE])
        for page in pdf.pages:
            page.obj.MediaBox = box
        _add_boxes(pdf, drawn.boxes)
        pdfforms.make_safe(pdf, drawn.cells)
        info = pdf.docinfo
        for key in list(info.keys()):
            del info[key]
        if title:
            info.Title = pikepdf.String(title)
        info.Producer = pikepdf.String(f"ReportLab {reportlab.Version} (techpack formpages)")
        if date is not None:
            stamp = pikepdf.String(date.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ"))
            info.CreationDate = info.ModDate = stamp
        return pdfforms.save(pdf)


def _add_boxes(pdf, boxes: list[Cell]) -> None:
    """A checkbox field for each of ``boxes``, as WeasyPrint makes one: a widget whose "on" appearance is a check
    mark, off until checked; the box itself is drawn on the page."""
    import pikepdf  # noqa: PLC0415

    if not boxes:
        return
    form = pdf.Root.get("/AcroForm")
    if form is None:
        form = pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), NeedAppearances=True)
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
        form.Fields.append(widget)
        page = pages[box.page]
        if "/Annots" not in page:
            page.Annots = pikepdf.Array()
        page.Annots.append(widget)
