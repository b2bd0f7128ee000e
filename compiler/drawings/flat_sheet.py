"""Sheet 2 of a sheet-metal part's drawing: its flat pattern, at the largest standard scale that fits.

The pattern is the one the ``flat/<part>.dxf`` file holds (developed by the sheet-metal check):
cut outline and cut-outs as visible lines, round holes, each bend line (ISO 128 long-dashed
double-dotted line, layer ``BEND``) with its label (direction, angle, inside radius, K-factor), and
the bend table beside the title block, which says "2 / 2".
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .model import Arc, Box, Dimension, DrawingError, Label, Line, Polyline, Sheet, Text
from .symbols import arrowhead
from .text import clean, text_width
from .titleblock import NOTE_H, NOTE_PITCH, SHEETS, TB_WIDTH, border, frame_box, larger_sheets, title_block

if TYPE_CHECKING:
    from ..engine import Compilation
    from ..schema.spec import Part
    from ..sheetmetal.flat import FlatPattern

SCALES = [(5, 1), (2, 1), (1, 1), (1, 2), (1, 5), (1, 10), (1, 20)]
MARGIN = 14.0  # around the pattern, for the bend labels and the overall sizes
GAP, OVER, OFFSET = 1.0, 1.5, 8.0  # extension lines: gap to the outline, run past the dimension line; line offset


def flat_of(comp: "Compilation", part: "Part") -> "FlatPattern | None":
    """The part's developed flat pattern, when it is sheet metal and unfolded."""
    flats = comp.context.flat_patterns if comp.context is not None else {}
    flat = flats.get(part.number)
    return flat if flat is not None and not flat.not_sheet and flat.outline else None


def sheet_count(comp: "Compilation", part: "Part") -> int:
    """How many sheets the part's drawing has: 2 when its flat pattern is drawn on a second sheet."""
    return 2 if flat_of(comp, part) is not None else 1


def _loops(flat: "FlatPattern") -> list:
    from ..sheetmetal.dxf import JOIN_TOL, loops  # noqa: PLC0415

    out = []
    for loop in loops(list(flat.outline)):
        closed = len(loop) > 2 and math.dist(loop[0], loop[-1]) < JOIN_TOL
        pts = tuple(loop[:-1] if closed else loop)
        if len(pts) >= 2:
            out.append((pts, closed))
    return out


def _pattern(flat: "FlatPattern", s: float, ox: float, oy: float) -> tuple[list, list[Label]]:
    """The pattern at scale ``s`` with its origin at (ox, oy): primitives and the bend labels' boxes."""
    from ..sheetmetal.dxf import bend_label  # noqa: PLC0415

    prims: list = []
    for pts, closed in _loops(flat):
        prims.append(Polyline("VISIBLE", tuple((ox + x * s, oy + y * s) for x, y in pts), closed=closed))
    for (cx, cy), r in flat.holes:
        prims.append(Arc("VISIBLE", ox + cx * s, oy + cy * s, r * s))
    from ..sheetmetal.labels import place  # noqa: PLC0415

    labels: list[Label] = []
    texts = [bend_label(b, flat.k) for b in flat.bends]
    spots = place(flat, [(text_width(clean(t), NOTE_H) / s, NOTE_H / s) for t in texts], gap=1.0 / s)
    for b, text, spot in zip(flat.bends, texts, spots):
        (x0, y0), (x1, y1) = b.line
        prims.append(Line("BEND", ox + x0 * s, oy + y0 * s, ox + x1 * s, oy + y1 * s))
        label = Text("ANNOTATION", ox + spot.centre[0] * s, oy + spot.centre[1] * s, NOTE_H, text, "center", "middle",
                     90.0 if abs(spot.angle) > 45.0 else 0.0)
        prims.append(label)
        labels.append(Label(f"bend:{b.id}", "note", label.box()))
    return prims, labels


def _overall(w: float, h: float, s: float, ox: float, oy: float) -> list[Dimension]:
    """The developed length and width below and left of the pattern, as reference dimensions (ISO 129-1)."""
    out = []
    x0, y0, x1, y1 = ox, oy, ox + w * s, oy + h * s
    y = y0 - OFFSET  # below: the width of the flat
    text = f"({w:.2f})"
    out.append(Dimension("linear", text, w, {"p1": (x0, y0), "p2": (x1, y0), "line": (x1, y)},
                         ((x0 + x1) / 2, y + 0.8 + NOTE_H / 2),
                         [Line("DIMENSIONS", x0, y0 - GAP, x0, y - OVER), Line("DIMENSIONS", x1, y0 - GAP, x1, y - OVER),
                          Line("DIMENSIONS", x0, y, x1, y), arrowhead(x0, y, -1, 0), arrowhead(x1, y, 1, 0),
                          Text("DIMENSIONS", (x0 + x1) / 2, y + 0.8, NOTE_H, text, "center", "bottom")], angle=0.0))
    x = x0 - OFFSET  # left: the height of the flat, reading upwards
    text = f"({h:.2f})"
    out.append(Dimension("linear", text, h, {"p1": (x0, y0), "p2": (x0, y1), "line": (x, y1)},
                         (x - 0.8 - NOTE_H / 2, (y0 + y1) / 2),
                         [Line("DIMENSIONS", x0 - GAP, y0, x - OVER, y0), Line("DIMENSIONS", x0 - GAP, y1, x - OVER, y1),
                          Line("DIMENSIONS", x, y0, x, y1), arrowhead(x, y0, 0, -1), arrowhead(x, y1, 0, 1),
                          Text("DIMENSIONS", x - 0.8, (y0 + y1) / 2, NOTE_H, text, "center", "bottom", 90.0)], angle=90.0))
    return out


def _table(flat: "FlatPattern", x: float, y: float) -> tuple[list, float, float]:
    """The bend table, top left at (x, y): primitives, width and height."""
    head = ("BEND", "DIR", "ANGLE", "INSIDE R", "K", "BA", "LENGTH")
    rows = [(b.id, b.direction.upper(), f"{b.angle:.1f}°", f"{b.radius:.3f}", f"{flat.k:.4g}", f"{b.ba:.3f}",
             f"{b.length:.2f}") for b in flat.bends]
    widths = [max(text_width(clean(r[i]), NOTE_H) for r in [head, *rows]) + 3.0 for i in range(len(head))]
    lines = [f"FLAT PATTERN (developed), mm, thickness {flat.thickness:g}, K-factor {flat.k:g}"]
    prims = [Text("ANNOTATION", x, y - 0.5 * NOTE_PITCH, NOTE_H, lines[0], "left", "middle")]
    for j, row in enumerate([head, *rows]):
        cx = x
        for i, cell in enumerate(row):
            prims.append(Text("ANNOTATION", cx, y - (j + 1.5) * NOTE_PITCH, NOTE_H, clean(cell), "left", "middle"))
            cx += widths[i]
    foot = "BA = π/180 × angle × (R + K × t); bend lines are the middle of each bend zone."
    n = len(rows) + 2
    prims.append(Text("ANNOTATION", x, y - (n + 0.5) * NOTE_PITCH, NOTE_H, foot, "left", "middle"))
    width = max(sum(widths), text_width(lines[0], NOTE_H), text_width(foot, NOTE_H))
    return prims, width, NOTE_PITCH * (n + 1)


def flat_sheet(comp: "Compilation", part: "Part") -> Sheet | None:
    """Sheet 2 of ``part``'s drawing, or None when the part has no flat pattern."""
    from .sheet import title_data  # noqa: PLC0415 - sheet.py asks this module how many sheets there are

    flat = flat_of(comp, part)
    if flat is None:
        return None
    w, h = flat.size
    if not (math.isfinite(w) and math.isfinite(h) and w > 0 and h > 0):
        raise DrawingError(f"flat pattern of {part.number} has no size")
    data = title_data(comp, part)
    data.sheet = "2 / 2"
    for name in larger_sheets(comp.loaded.spec.product.drawing.sheet.value):
        frame = frame_box(name)
        tb_prims, tb_box = title_block(data, frame)
        table_x, table_top = frame.x0 + 4.0, frame.y0 + tb_box.h
        table, tw, th = _table(flat, table_x, table_top)
        if tw > frame.w - TB_WIDTH - 8.0:
            continue
        area = Box(frame.x0 + 6.0, frame.y0 + max(tb_box.h, th) + 4.0, frame.x1 - 6.0, frame.y1 - 6.0)
        for scale in SCALES:
            s = scale[0] / scale[1]
            if w * s + 2 * MARGIN <= area.w and h * s + 2 * MARGIN <= area.h:
                break
        else:
            continue
        data.scale = f"{scale[0]}:{scale[1]}"
        tb_prims, tb_box = title_block(data, frame)
        ox = area.x0 + (area.w - w * s) / 2
        oy = area.y0 + (area.h - h * s) / 2
        prims, labels = _pattern(flat, s, ox, oy)
        out = Sheet(name, *SHEETS[name], scale)
        out.primitives = border(name) + prims + table + tb_prims
        out.dimensions = _overall(w, h, s, ox, oy)
        out.labels = labels
        out.view_boxes = {"flat": Box(ox, oy, ox + w * s, oy + h * s)}
        out.reserved = {"title block": tb_box, "bend table": Box(table_x, table_top - th, table_x + tw, table_top)}
        out.title = f"{part.number} {clean(part.name)} rev {clean(part.revision)} sheet 2 flat pattern"
        out.description = f"{comp.loaded.spec.product.number} {clean(comp.loaded.spec.product.name)}"
        return out
    raise DrawingError(f"the flat pattern of {part.number} ({w:g} x {h:g} mm) fits no sheet at 1:20")
