"""Blocks drawn with ReportLab's platypus: headings with outline entries, notes, tables whose field cells and
checkboxes are recorded where they land."""

from __future__ import annotations

import io

from ..pdfforms import Cell
from .model import Badge, Boxes, CellSpec, Drawn, FieldCell, Heading, Note, Run, TableSpec, Text, TextAndField
from .rules import (BADGE_GAP, BADGE_PAD, BADGE_RULE, BADGE_SIZE, BOX, BOX_GAP, BOX_RULE, CRITICAL, F3_HEAD,
    FIELD_BG, FIELD_HEIGHT, FIELD_PAD, FIELD_ROW, H2_RULE, H2_SIZE, H3_SIZE, HEAD_BG, INK, INPUT_PAD,
    INPUT_RULE, LABEL_BG, LABEL_GAP, LABEL_SIZE, LINE_HEIGHT, MARGIN, MATRIX_HEAD, MUTED, PAGE, ROW_PAD, RULE,
    RULE_WIDTH, SIDE_PAD, SMALL, TABLE_SIZE, Unsupported, VALUE_SIZE)
from .text import _fonts, _paragraph, drawable_text, plain


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
                drawn.boxes.append(_placed(c, name, x, y, x + BOX, y + BOX))
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
                drawn.cells.append(_placed(c, cellval.name, x, y, x + w, y + h))
                return
            super()._drawCell(cellval, cellstyle, pos, size)

    class Headline(Flowable):
        """An ``h2`` (``level`` 1) or ``h3`` (2): its text, an h2's rule under it, its outline entry. With
        ``keep_top``, its top margin is part of it: ReportLab drops a flowable's space before at a page's top,
        WeasyPrint keeps it after a forced break and at the document's start."""

        def __init__(self, para, title: str, keep_top: bool, level: int, number: int):
            super().__init__()
            self.para, self.title, self.level, self.number = para, title, level, number
            # h2: margin 10pt 0 4pt, a rule 0.75pt under 2pt of padding; h3: margin 8pt 0 3pt, no rule
            self.spaceBefore, self.spaceAfter = (10.0, 4.0) if level == 1 else (8.0, 3.0)
            self.rule = 2.0 + 0.75 if level == 1 else 0.0
            self.top = self.spaceBefore if keep_top else 0.0

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
            drawn.cells.append(_placed(c, self.name, INPUT_PAD, 0.5, self.width - INPUT_PAD, self.height))

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
            out.append(Headline(para, " ".join(plain(block.text).split()), block.new_page or not out, block.level,
                                len(out)))
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
    if not drawable_text(main + badge.text) or any(ord(ch) not in fonts["chars"][face]
                                                   for ch in main + badge.text if ch != " "):
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


def _placed(canvas, name: str, x1: float, y1: float, x2: float, y2: float) -> Cell:
    """The field ``name`` on the canvas's page, with the rectangle (x1, y1)-(x2, y2) of the flowable being drawn in
    page coordinates."""
    a, b = canvas.absolutePosition(x1, y1)
    c, d = canvas.absolutePosition(x2, y2)
    rect = tuple(round(v, 3) for v in (min(a, c), min(b, d), max(a, c), max(b, d)))
    return Cell(name, canvas.getPageNumber() - 1, rect)


def draw(blocks: list) -> tuple[bytes, Drawn]:
    """The PDF of ``blocks`` (ReportLab's bytes, fields not yet made) and what it drew where."""
    from reportlab import rl_config  # noqa: PLC0415
    from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate  # noqa: PLC0415
    from reportlab.platypus.frames import Frame  # noqa: PLC0415

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
