"""The grid reference system of a sheet (ISO 5457): zone fields on the border, and the zone of a point.

Fields are 50 mm long, measured outwards from the centring marks; the field at each
corner takes what remains.  The number of fields per side is ISO 5457's for the
sheet size (``../shared/standards/iso5457_drawing_sheets.md``): A3 8 × 6, A4
(portrait) 4 × 6, A2 12 × 8, A1 16 × 12, A0 24 × 16.  Numbers run from the left,
capital letters from the top, without I and O.  ANSI sheets get the same
construction with the even field count the 50 mm rule gives.

On an ASME drawing the fields are named as ASME Y14.1 does: numbers run right to left
along the horizontal borders and letters bottom to top along the vertical ones, both from
the lower right-hand corner (the corner of the title block), so zone A1 is at the lower
right.  The Y14.1 text itself was not read; the order is the one CAD systems offer as
their ANSI zoning ("label from bottom right": Autodesk Inventor's ``DefaultBorder.
LabelFromBottomRight``, https://help.autodesk.com/cloudhelp/2022/ENU/Inventor-API/files/
DefaultBorder_LabelFromBottomRight.htm; Siemens NX ``ZoneOrigin.BottomRight``), so
confidence is medium.  I and O are left out in both conventions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Box, Line, Text

FIELD = 50.0  # mm, from the centring marks outwards
LETTER_H = 3.5  # ISO 3098 height for the grid references
STRIP = 5.0  # the grid's division lines run this far out from the frame
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # without I and O

#: ISO 5457 field counts per sheet: (along the width, along the height) as the sheet is drawn
ISO_FIELDS: dict[str, tuple[int, int]] = {"A0": (24, 16), "A1": (16, 12), "A2": (12, 8), "A3": (8, 6), "A4": (4, 6)}


def _even_count(length: float) -> int:
    """The 50 mm rule for sizes ISO 5457 does not list: length / 50 rounded up to an even number."""
    n = math.ceil(length / FIELD - 1e-9)
    return max(2, n + (n % 2))


def _bounds(lo: float, hi: float, centre: float, count: int) -> list[float]:
    """Field boundaries from ``lo`` to ``hi``: ``count / 2`` fields each side of ``centre``, the corner ones the rest."""
    half = count // 2
    inner = [centre - FIELD * k for k in range(half - 1, 0, -1)] + [centre] + [centre + FIELD * k for k in range(1, half)]
    return [lo] + inner + [hi]


#: the two naming conventions: ISO 5457 (from the top left) and ASME Y14.1 (from the lower right)
ORDERS = ("iso", "asme")


@dataclass(frozen=True)
class ZoneGrid:
    """Column boundaries (left to right) and row boundaries (top to bottom); ``order`` names them: ``iso``
    numbers the columns 1… from the left and letters the rows A… from the top, ``asme`` numbers from the
    right and letters from the bottom."""

    frame: Box
    columns: tuple[float, ...]
    rows: tuple[float, ...]  # descending y: the top row first
    order: str = "iso"

    def column_label(self, i: int) -> str:
        """The number of the ``i``-th column from the left."""
        n = len(self.columns) - 1
        return str(i + 1 if self.order == "iso" else n - i)

    def row_label(self, i: int) -> str:
        """The letter of the ``i``-th row from the top."""
        n = len(self.rows) - 1
        return LETTERS[i if self.order == "iso" else n - 1 - i]

    def column(self, x: float) -> str:
        n = len(self.columns) - 1
        return self.column_label(next((i for i in range(n) if x < self.columns[i + 1]), n - 1))

    def row(self, y: float) -> str:
        n = len(self.rows) - 1
        return self.row_label(next((i for i in range(n) if y > self.rows[i + 1]), n - 1))

    def zone(self, x: float, y: float) -> str:
        """The zone of a sheet point: row letter then column number, e.g. ``C4``."""
        return self.row(y) + self.column(x)

    def zone_of(self, box: Box) -> str:
        """The zone of a drawn thing: where its centre lies."""
        return self.zone((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)


def zone_grid(name: str, width: float, height: float, frame: Box, order: str = "iso") -> ZoneGrid:
    """The grid of sheet ``name`` (trimmed ``width`` × ``height``, drawing ``frame``), named in ``order``."""
    if order not in ORDERS:
        raise ValueError(f"unknown zone order {order!r}")
    if name in ISO_FIELDS:
        nx, ny = ISO_FIELDS[name]
    else:
        nx, ny = _even_count(frame.w), _even_count(frame.h)
    if len(LETTERS) < ny:  # pragma: no cover - no sheet is that tall
        raise ValueError(f"{ny} rows need more letters than there are")
    cols = _bounds(frame.x0, frame.x1, width / 2, nx)
    rows = list(reversed(_bounds(frame.y0, frame.y1, height / 2, ny)))
    return ZoneGrid(frame, tuple(cols), tuple(rows), order)


def grid_primitives(grid: ZoneGrid, width: float, height: float) -> list:
    """Division lines across the border strip and the references, repeated on opposite sides."""
    f = grid.frame
    out: list = []
    top_mid = (f.y1 + height) / 2
    bottom_mid = f.y0 / 2
    left_mid = f.x0 - (height - f.y1) / 2  # centred in a strip as wide as the top margin
    right_mid = (f.x1 + width) / 2
    for x in grid.columns[1:-1]:
        out += [Line("ZONES", x, f.y1, x, f.y1 + STRIP), Line("ZONES", x, f.y0, x, f.y0 - STRIP)]
    for y in grid.rows[1:-1]:
        out += [Line("ZONES", f.x0, y, f.x0 - STRIP, y), Line("ZONES", f.x1, y, f.x1 + STRIP, y)]
    for i in range(len(grid.columns) - 1):
        cx = (grid.columns[i] + grid.columns[i + 1]) / 2
        out += [Text("ZONES", cx, top_mid, LETTER_H, grid.column_label(i), "center", "middle"),
                Text("ZONES", cx, bottom_mid, LETTER_H, grid.column_label(i), "center", "middle")]
    for i in range(len(grid.rows) - 1):
        cy = (grid.rows[i] + grid.rows[i + 1]) / 2
        out += [Text("ZONES", left_mid, cy, LETTER_H, grid.row_label(i), "center", "middle"),
                Text("ZONES", right_mid, cy, LETTER_H, grid.row_label(i), "center", "middle")]
    return out
