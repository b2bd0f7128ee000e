"""Sheet furniture: the border (ISO 5457), the title block (after ISO 7200) and the notes block."""

from __future__ import annotations

from dataclasses import dataclass

from .annotate import NoteLine
from .model import Box, Line, Text
from .symbols import BALLOON_R, balloon, projection_symbol
from .text import text_width, wrap

TB_WIDTH = 180.0
LABEL_H = 2.5  # ISO 3098 heights only: 2.5, 3.5, 5, 7
NOTE_H = 2.5
NOTE_PITCH = 4.6

SHEETS: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0), "A3": (420.0, 297.0), "A2": (594.0, 420.0), "A1": (841.0, 594.0), "A0": (1189.0, 841.0),
    "ANSI-A": (279.4, 215.9), "ANSI-B": (431.8, 279.4), "ANSI-C": (558.8, 431.8), "ANSI-D": (863.6, 558.8),
    "ANSI-E": (1117.6, 863.6),
}
ISO_ORDER = ["A4", "A3", "A2", "A1", "A0"]
ANSI_ORDER = ["ANSI-A", "ANSI-B", "ANSI-C", "ANSI-D", "ANSI-E"]


def larger_sheets(preferred: str) -> list[str]:
    """The preferred sheet, then the larger ones of its series."""
    order = ISO_ORDER if preferred in ISO_ORDER else ANSI_ORDER
    return order[order.index(preferred):]


def frame_box(name: str) -> Box:
    """The drawing frame inside the sheet's margins (20 mm filing margin on the left for ISO sizes)."""
    w, h = SHEETS[name]
    left = 20.0 if name in ISO_ORDER else 10.0
    return Box(left, 10.0, w - 10.0, h - 10.0)


def border(name: str) -> list:
    w, h = SHEETS[name]
    f = frame_box(name)
    out = [Line("TITLE", 0, 0, w, 0), Line("TITLE", w, 0, w, h), Line("TITLE", w, h, 0, h), Line("TITLE", 0, h, 0, 0),
           Line("BORDER", f.x0, f.y0, f.x1, f.y0), Line("BORDER", f.x1, f.y0, f.x1, f.y1),
           Line("BORDER", f.x1, f.y1, f.x0, f.y1), Line("BORDER", f.x0, f.y1, f.x0, f.y0)]
    # centring marks (ISO 5457)
    out += [Line("BORDER", w / 2, 0, w / 2, f.y0 + 5), Line("BORDER", w / 2, h, w / 2, f.y1 - 5),
            Line("BORDER", 5, h / 2, f.x0 + 5, h / 2), Line("BORDER", w, h / 2, f.x1 - 5, h / 2)]
    return out


@dataclass
class TitleData:
    owner: str
    product: str
    title: str
    number: str
    material: str
    finish: str
    general_tolerance: str
    units: str
    scale: str
    first_angle: bool
    standard: str
    revision: str
    drawn_by: str
    approved_by: str
    date: str
    sheet: str
    mass: str


def _fit(text: str, width: float, height: float, preferred: float) -> tuple[list[str], float]:
    """Lines and text height that fit ``text`` into a cell: ``preferred`` or 2.5 (ISO 3098), wrapped, then
    shortened with … when even that does not fit."""
    for h in sorted({preferred, 2.5}, reverse=True):
        if h <= preferred and text_width(text, h) <= width and 1.2 * h <= height:
            return [text], h
    h = 2.5
    lines = wrap(text, h, width)
    if len(lines) * 1.45 * h <= height:
        return lines, h
    n = max(1, int(height // (1.45 * h)))
    lines = lines[:n]
    while lines and text_width(lines[-1] + "…", h) > width and len(lines[-1]) > 1:
        lines[-1] = lines[-1][:-1]
    lines[-1] = lines[-1] + "…"
    return lines, h


def title_block(d: TitleData, frame: Box) -> tuple[list, Box]:
    """The title block in the frame's lower right corner; returns primitives and its box."""
    rows = [
        (9.0, [("Owner", d.owner, 100, 2.5), ("Product", d.product, 80, 2.5)]),
        (13.0, [("Title", d.title, 110, 5.0), ("Part number", d.number, 70, 5.0)]),
        (11.0, [("Material", d.material, 100, 2.5), ("Finish", d.finish, 80, 2.5)]),
        (13.0, [("General tolerances", d.general_tolerance, 46, 2.5), ("Units", d.units, 18, 2.5),
                ("Scale", d.scale, 18, 2.5), ("Projection", "", 32, 0), ("Standard", d.standard, 30, 2.5),
                ("Revision", d.revision, 36, 5.0)]),
        (9.0, [("Drawn", d.drawn_by, 46, 2.5), ("Approved", d.approved_by, 46, 2.5), ("Date", d.date, 34, 2.5),
               ("Sheet", d.sheet, 22, 2.5), ("Mass", d.mass, 32, 2.5)]),
    ]
    height = sum(h for h, _ in rows)
    x0, y0 = frame.x1 - TB_WIDTH, frame.y0
    box = Box(x0, y0, frame.x1, y0 + height)
    out: list = [Line("BORDER", x0, y0, x0, y0 + height), Line("BORDER", x0, y0 + height, frame.x1, y0 + height)]
    top = y0 + height
    for h, cells in rows:
        bottom = top - h
        out.append(Line("TITLE", x0, bottom, frame.x1, bottom))
        cx = x0
        for label, value, w, vh in cells:
            if cx > x0:
                out.append(Line("TITLE", cx, bottom, cx, top))
            out.append(Text("TITLE", cx + 1.0, top - 0.8, LABEL_H, label, "left", "top"))
            if label == "Projection":
                sym, sw = projection_symbol(0, 0, d.first_angle, size=6.0)
                dx = cx + (w - sw) / 2
                dy = bottom + 1.2
                out += [p.moved(dx, dy) for p in sym]
            elif value:
                avail_h = h - LABEL_H - 1.2
                lines, th = _fit(value, w - 2.5, avail_h, vh)
                pitch = 1.45 * th
                ty = bottom + 1.0 + (len(lines) - 1) * pitch
                for line in lines:
                    out.append(Text("TITLE", cx + 1.2, ty, th, line, "left", "bottom"))
                    ty -= pitch
            cx += w
        top = bottom
    return out, box


def notes_block(notes: list[NoteLine], frame: Box, width: float) -> tuple[list, Box, dict[str, Box], float]:
    """The notes, bottom left of the frame, numbered, each characteristic's balloon in front of its note.

    Returns primitives, the block's box, the balloons' boxes and the block's height.
    """
    ids = [b for n in notes for b in n.balloons]
    col = max((balloon(b, 0, 0)[1] for b in ids), default=0.0)
    col = col + 1.5 if col else 0.0
    num_w = text_width("00.", NOTE_H) + 1.0
    text_x = 2.0 + col + num_w
    lines: list[tuple[str, list[str], str]] = []  # (text, balloons on this line, number)
    n = 0
    for note in notes:
        number = ""
        if note.numbered:
            n += 1
            number = f"{n}."
        wrapped = wrap(note.text, NOTE_H, max(20.0, width - text_x - 2.0))
        extra = max(0, len(note.balloons) - len(wrapped))
        for i, line in enumerate(wrapped + [""] * extra):
            lines.append((line, note.balloons[i:i + 1], number if i == 0 else ""))
    height = 7.0 + NOTE_PITCH * len(lines) + 2.0
    x0, y0 = frame.x0, frame.y0
    out: list = [Text("ANNOTATION", x0 + 2.0, y0 + height - 2.0, 3.5, "NOTES", "left", "top")]
    balloons: dict[str, Box] = {}
    y = y0 + height - 7.0 - NOTE_PITCH / 2
    for text, bids, number in lines:
        bx = x0 + 2.0
        for b in bids:
            prims, w = balloon(b, bx, y)
            out += prims
            balloons[b] = Box(bx, y - BALLOON_R, bx + w, y + BALLOON_R)
            bx += w + 1.0
        if number:
            out.append(Text("ANNOTATION", x0 + 2.0 + col, y, NOTE_H, number, "left", "middle"))
        if text:
            out.append(Text("ANNOTATION", x0 + text_x, y, NOTE_H, text, "left", "middle"))
        y -= NOTE_PITCH
    box = Box(x0, y0, x0 + width, y0 + height)
    return out, box, balloons, height
