"""Revision marks on a sheet: a triangle with the revision letter beside each changed characteristic's
balloon, and the revision table above the title block.

After ASME Y14.35 (``shared/standards/revision_and_delta_fai.md`` §2): the letter sits
near the change in a triangle ("delta"); the revision block lists revision, description,
date and approval, chronologically from the top, and the title block's revision is its
latest row.  Only this revision's changes are marked: a sheet carries the triangles of
the change from the baseline and no older ones.  ISO 7200 has only the title block's
revision index and no table layout, so ISO sheets get the same table.

Both are part of the drawing model (:class:`~techpack.drawings.model.Sheet` fields
``revision_marks`` and ``revision_table``); :meth:`RevisionMark.primitives` and
:meth:`RevisionTable.primitives` give the lines and text every writer draws, on
the ``REVISIONS`` layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Box, Line, Polyline, Sheet, Text
from .text import clean, text_width, wrap
from .titleblock import SHEETS, frame_box

LAYER = "REVISIONS"
LETTER_H = 2.5  # the letter's cap height in the triangle (ISO 3098: 2.5, 3.5, 5, 7)
MARK_GAP = 0.6  # between a balloon and its triangle
CLEARANCE = 0.4  # from every other label
TABLE_TITLE_H = 5.0
HEADER_H = 5.0
VALUE_H = 2.5
LABEL_H = 2.5
PITCH = 1.45  # line pitch per text height
MAX_ROWS = 8  # the latest revisions; earlier ones are named in a line ("see the tech-pack PDF")
MAX_LINES = 2  # description lines per row; longer text is shortened with "…"
# REV, DESCRIPTION, DATE, APPROVED; widths add up to the title block's 180 mm
COLUMNS = (("REV", 16.0), ("DESCRIPTION", 104.0), ("DATE", 24.0), ("APPROVED", 36.0))


@dataclass(frozen=True)
class RevisionRow:
    """One revision of the history, as the table shows it."""

    revision: str
    description: str
    date: str
    approved: str


def triangle_size(letter: str) -> float:
    """Side of the equilateral triangle that holds ``letter`` clear of its slopes; for one letter about as tall
    as a balloon, so a triangle beside a balloon stays in the balloon's row."""
    # the letter's top corners (0.4 + LETTER_H over the base) stay 0.3 mm inside the slopes
    return max(5.6, text_width(letter, LETTER_H) + 0.6 + (0.4 + LETTER_H) / 0.866)


@dataclass(frozen=True)
class RevisionMark:
    """A revision triangle carrying ``letter``; ``x`` is its left base corner, ``cy`` its vertical centre (the
    balloon's centre line when it sits beside the balloon)."""

    characteristic: str
    letter: str
    x: float
    cy: float

    @property
    def size(self) -> float:
        return triangle_size(self.letter)

    def _base(self) -> float:
        return self.cy - 0.5 * 0.866 * self.size

    def box(self) -> Box:
        s = self.size
        return Box(self.x, self._base(), self.x + s, self._base() + 0.866 * s)

    def primitives(self) -> list:
        s, b = self.size, self._base()
        tri = Polyline(LAYER, ((self.x, b), (self.x + s, b), (self.x + s / 2, b + 0.866 * s)), closed=True)
        return [tri, Text(LAYER, self.x + s / 2, b + 0.4, LETTER_H, self.letter, "center", "bottom")]

    def moved(self, dx: float, dy: float) -> "RevisionMark":
        return RevisionMark(self.characteristic, self.letter, self.x + dx, self.cy + dy)


def _shorten(lines: list[str], height: float, width: float) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    kept = lines[:MAX_LINES]
    last = kept[-1]
    while last and text_width(last + "…", height) > width:
        last = last[:-1]
    kept[-1] = last + "…"
    return kept


@dataclass(frozen=True)
class RevisionTable:
    """The revision table; ``x0, y0`` is its lower left corner (on the title block's top edge)."""

    rows: tuple[RevisionRow, ...]
    x0: float = 0.0
    y0: float = 0.0
    omitted: int = 0  # earlier revisions not shown (more than MAX_ROWS)

    @property
    def width(self) -> float:
        return sum(w for _, w in COLUMNS)

    def _cells(self) -> list[tuple[RevisionRow, list[str], float]]:
        """Each row with its description lines and its height."""
        desc_w = COLUMNS[1][1] - 2.5
        out = []
        for row in self.rows:
            lines = _shorten(wrap(row.description, VALUE_H, desc_w), VALUE_H, desc_w)
            out.append((row, lines, 2.0 + PITCH * VALUE_H * len(lines)))
        return out

    @property
    def height(self) -> float:
        note = PITCH * LABEL_H + 1.5 if self.omitted else 0.0
        return TABLE_TITLE_H + HEADER_H + note + sum(h for _, _, h in self._cells())

    def box(self) -> Box:
        return Box(self.x0, self.y0, self.x0 + self.width, self.y0 + self.height)

    def moved(self, dx: float, dy: float) -> "RevisionTable":
        return RevisionTable(self.rows, self.x0 + dx, self.y0 + dy, self.omitted)

    def primitives(self) -> list:
        x0, x1 = self.x0, self.x0 + self.width
        top = self.y0 + self.height
        out: list = [Line(LAYER, x0, self.y0, x0, top), Line(LAYER, x0, top, x1, top), Line(LAYER, x1, top, x1, self.y0)]
        out.append(Text(LAYER, (x0 + x1) / 2, top - TABLE_TITLE_H / 2, 2.5, "REVISIONS", "center", "middle"))
        y = top - TABLE_TITLE_H
        out.append(Line(LAYER, x0, y, x1, y))
        cx = x0
        for label, w in COLUMNS:
            out.append(Text(LAYER, cx + 1.2, y - HEADER_H / 2, LABEL_H, label, "left", "middle"))
            cx += w
        col_top = y
        y -= HEADER_H
        out.append(Line(LAYER, x0, y, x1, y))
        for row, lines, h in self._cells():
            first = y - 1.0 - VALUE_H
            cx = x0
            for (_, w), value in zip(COLUMNS, (row.revision, None, row.date, row.approved)):
                if value is None:
                    ty = first
                    for line in lines:
                        out.append(Text(LAYER, cx + 1.2, ty, VALUE_H, line, "left", "bottom"))
                        ty -= PITCH * VALUE_H
                else:
                    out.append(Text(LAYER, cx + 1.2, first, VALUE_H, _fit(value, w - 2.4), "left", "bottom"))
                cx += w
            y -= h
            out.append(Line(LAYER, x0, y, x1, y))
        cx = x0
        for _, w in COLUMNS[:-1]:
            cx += w
            out.append(Line(LAYER, cx, col_top, cx, y))
        if self.omitted:
            word = "revision" if self.omitted == 1 else "revisions"
            out.append(Text(LAYER, x0 + 1.2, y - 1.0, LABEL_H,
                            f"{self.omitted} earlier {word}: see the revision history in the tech-pack PDF",
                            "left", "top"))
        return out


def _fit(text: str, width: float) -> str:
    if text_width(text, VALUE_H) <= width:
        return text
    while text and text_width(text + "…", VALUE_H) > width:
        text = text[:-1]
    return text + "…"


def table_for(rows: list[RevisionRow]) -> RevisionTable | None:
    """The table of ``rows`` (oldest first), the latest MAX_ROWS of them; None without rows."""
    if not rows:
        return None
    rows = [RevisionRow(clean(r.revision), clean(r.description), clean(r.date), clean(r.approved)) for r in rows]
    shown = rows[-MAX_ROWS:]
    return RevisionTable(tuple(shown), omitted=len(rows) - len(shown))


def _inside(inner: Box, outer: Box) -> bool:
    return outer.x0 <= inner.x0 and inner.x1 <= outer.x1 and outer.y0 <= inner.y0 and inner.y1 <= outer.y1


def place_marks(sheet: Sheet, ids: list[str], letter: str) -> tuple[list[RevisionMark], list[str]]:
    """A triangle beside the balloon of each of ``ids``: left of it, else right, above or below, where no
    label, reserved block or other triangle is.  Returns (marks, ids without a balloon on the sheet)."""
    marks: list[RevisionMark] = []
    missing: list[str] = []
    s = triangle_size(letter)
    taken = [lb.box for lb in sheet.labels] + list(sheet.reserved.values())
    frame = frame_box(sheet.name) if sheet.name in SHEETS else Box(0.0, 0.0, sheet.width, sheet.height)
    for cid in ids:
        box = sheet.balloons.get(cid)
        if box is None:
            missing.append(cid)
            continue
        cy = (box.y0 + box.y1) / 2
        cx = (box.x0 + box.x1) / 2 - s / 2
        tall = 0.866 * s
        candidates = [(box.x0 - MARK_GAP - s, cy), (box.x1 + MARK_GAP, cy),
                      (cx, box.y1 + MARK_GAP + 0.5 * tall), (cx, box.y0 - MARK_GAP - 0.5 * tall)]
        chosen = fallback = None
        for x, y in candidates:
            mark = RevisionMark(cid, letter, x, y)
            mb = mark.box()
            if not _inside(mb, frame):
                continue
            fallback = fallback or mark
            if (not any(mb.overlaps(t, CLEARANCE) for t in taken if t != box and not _inside(box, t))
                    and not any(mb.overlaps(m.box(), CLEARANCE) for m in marks)):
                chosen = mark
                break
        mark = chosen or fallback or RevisionMark(cid, letter, *candidates[1])
        marks.append(mark)
    return marks, missing


__all__ = ["RevisionMark", "RevisionRow", "RevisionTable", "place_marks", "table_for", "triangle_size"]
