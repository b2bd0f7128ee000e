"""Text in ReportLab: the shipped fonts, each character in the face that has it, white space collapsed as in
HTML, paragraphs that break lines where WeasyPrint would, and single strings where a run fits its cell."""

from __future__ import annotations

import functools
import re
import unicodedata
from xml.sax.saxutils import escape

from .model import Badge, Run, Text
from .rules import FONTS, LINE_HEIGHT, MUTED, SMALL, Unsupported


@functools.lru_cache(maxsize=1)
def _fonts() -> dict:
    """ReportLab names of the shipped faces, registered once per process, and each face's characters."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    from ..pdf import TEMPLATES  # noqa: PLC0415

    names, chars = {}, {}
    for key, file in FONTS.items():
        name = "tp-" + file.removesuffix(".ttf")
        if name not in chars:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(TEMPLATES / "fonts" / file)))
            chars[name] = frozenset(pdfmetrics.getFont(name).face.charToGlyph)
        names[key] = name
    return {"names": names, "chars": chars}


_SHAPED = re.compile("[\u00ad\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u200b-\u200f"
                     "\u202a-\u202e\u2060-\u2069\ufb1d-\ufdff\ufe70-\ufeff]")
"""Scripts that need shaping or reordering (Hebrew, Arabic, Indic, Thai, Lao, Myanmar, Khmer, the joiners and
direction marks), and the invisible break hints (soft hyphen, zero-width space, word joiner): ReportLab draws
glyph by glyph, left to right, and would draw a soft hyphen as a hyphen."""


def drawable_text(text: str) -> bool:
    """Whether ReportLab draws ``text`` as WeasyPrint would: nothing in it needs shaping or reordering, and no
    combining mark or invisible break hint (:data:`_SHAPED`)."""
    return not _SHAPED.search(text) and not any(unicodedata.combining(ch) for ch in text)


def _markup(run: Run, text: str) -> str:
    """``text`` of ``run`` as ReportLab paragraph markup, each character in the first shipped face that has it."""
    fonts = _fonts()
    family = "mono" if run.mono else "sans"
    first = fonts["names"][(family, run.bold)]
    second = fonts["names"][("gdt", False)]
    if not drawable_text(text):
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

    from ..pdf import LONG_RUN  # noqa: PLC0415

    fonts = _fonts()
    pieces = []
    items = _collapse(text)
    breaks = not nowrap and (anywhere or any(len(word) > LONG_RUN for item in items if item is not None
                                             for word in item[1].split()))
    if plain and len(items) == 1 and items[0] is not None:  # one run of one face: a line when it fits
        run, t = items[0]
        face = fonts["names"][("mono" if run.mono or mono else "sans", run.bold or bold)]
        if drawable_text(t) and all(ord(ch) in fonts["chars"][face] or ch == " " for ch in t):
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
            if not hasattr(self, "text_width"):
                self.text_width = stringWidth(self.text, self.face, self.size)
            if self.para is None and (self.one_line or self.text_width <= aw):
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
            if self.text_width > self.width:
                c.drawString(0, y, self.text)  # too wide: from the start edge, overflowing at the end (CSS)
            elif self.align == 2:
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
