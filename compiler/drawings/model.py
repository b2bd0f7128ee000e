"""The drawing model: what a sheet holds, in paper millimetres (origin bottom left, y up).

Both writers (``dxf.py``, ``svg.py``) draw exactly these primitives, so the DXF
and the SVG are the same drawing.  Every coordinate is checked finite when a
primitive is made; layer names are checked against :data:`LAYERS`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

#: Layer name -> (DXF colour, lineweight in 1/100 mm, linetype); names are plain and portable.
LAYERS: dict[str, tuple[int, int, str]] = {
    "VISIBLE": (7, 50, "CONTINUOUS"),
    "HIDDEN": (8, 25, "HIDDEN"),
    "CENTER": (1, 18, "CENTER"),
    "BEND": (6, 18, "DIVIDE"),  # bend lines of a developed flat pattern (ISO 128 long dash, two dots)
    "DIMENSIONS": (3, 18, "CONTINUOUS"),
    "ANNOTATION": (3, 25, "CONTINUOUS"),
    "BALLOONS": (5, 18, "CONTINUOUS"),
    "TITLE": (7, 25, "CONTINUOUS"),
    "BORDER": (7, 70, "CONTINUOUS"),
    "ZONES": (7, 35, "CONTINUOUS"),  # ISO 5457 grid references
    "THIN": (7, 25, "CONTINUOUS"),  # narrow continuous: thread roots (ISO 6410-1)
    "HATCH": (7, 18, "CONTINUOUS"),  # section hatching (ISO 128-50)
    "CUTTING": (1, 25, "CENTER"),  # cutting-plane lines (ISO 128-40); thick at the ends (VISIBLE strokes)
    "REVISIONS": (7, 25, "CONTINUOUS"),  # revision triangles and the revision table (revmarks.py)
}
_LAYER_NAME = re.compile(r"^[A-Z][A-Z0-9_-]{0,30}$")


class DrawingError(ValueError):
    """A drawing cannot be made from these inputs (a bug or a degenerate model)."""


def check_layer(name: str) -> str:
    """``name`` if it is a known, portable layer name; else DrawingError."""
    if name not in LAYERS or not _LAYER_NAME.match(name):
        raise DrawingError(f"invalid layer name {name!r}")
    return name


def _finite(*values: float) -> None:
    for v in values:
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            raise DrawingError(f"non-finite coordinate {v!r}")


@dataclass(frozen=True)
class Box:
    """An axis-aligned box (layout bookkeeping; what is drawn is checked by the primitives)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def grow(self, d: float) -> "Box":
        return Box(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def shift(self, dx: float, dy: float) -> "Box":
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def overlaps(self, o: "Box", gap: float = 0.0) -> bool:
        return (self.x0 < o.x1 + gap and o.x0 < self.x1 + gap and self.y0 < o.y1 + gap and o.y0 < self.y1 + gap)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def union(self, o: "Box") -> "Box":
        return Box(min(self.x0, o.x0), min(self.y0, o.y0), max(self.x1, o.x1), max(self.y1, o.y1))


def union(boxes) -> Box | None:
    out = None
    for b in boxes:
        out = b if out is None else out.union(b)
    return out


# --------------------------------------------------------------------------- primitives


@dataclass(frozen=True)
class Line:
    layer: str
    x1: float
    y1: float
    x2: float
    y2: float

    def __post_init__(self) -> None:
        check_layer(self.layer)
        _finite(self.x1, self.y1, self.x2, self.y2)

    def box(self) -> Box:
        return Box(min(self.x1, self.x2), min(self.y1, self.y2), max(self.x1, self.x2), max(self.y1, self.y2))

    def moved(self, dx: float, dy: float) -> "Line":
        return Line(self.layer, self.x1 + dx, self.y1 + dy, self.x2 + dx, self.y2 + dy)


@dataclass(frozen=True)
class Arc:
    """Counter-clockwise from ``a0`` to ``a1`` degrees; (0, 360) is a full circle."""

    layer: str
    cx: float
    cy: float
    r: float
    a0: float = 0.0
    a1: float = 360.0

    def __post_init__(self) -> None:
        check_layer(self.layer)
        _finite(self.cx, self.cy, self.r, self.a0, self.a1)
        if self.r <= 0:
            raise DrawingError("an arc needs a positive radius")

    @property
    def full(self) -> bool:
        return (self.a1 - self.a0) % 360.0 == 0.0 and self.a1 != self.a0

    def box(self) -> Box:
        if self.full:
            return Box(self.cx - self.r, self.cy - self.r, self.cx + self.r, self.cy + self.r)
        span = (self.a1 - self.a0) % 360.0
        angs = [self.a0, self.a0 + span] + [q for q in (0.0, 90.0, 180.0, 270.0, 360.0)
                                            if (q - self.a0) % 360.0 <= span]
        xs = [self.cx + self.r * math.cos(math.radians(a)) for a in angs]
        ys = [self.cy + self.r * math.sin(math.radians(a)) for a in angs]
        return Box(min(xs), min(ys), max(xs), max(ys))

    def moved(self, dx: float, dy: float) -> "Arc":
        return Arc(self.layer, self.cx + dx, self.cy + dy, self.r, self.a0, self.a1)


@dataclass(frozen=True)
class Polyline:
    layer: str
    points: tuple[tuple[float, float], ...]
    closed: bool = False
    filled: bool = False

    def __post_init__(self) -> None:
        check_layer(self.layer)
        if len(self.points) < 2:
            raise DrawingError("a polyline needs two points")
        for x, y in self.points:
            _finite(x, y)

    def box(self) -> Box:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return Box(min(xs), min(ys), max(xs), max(ys))

    def moved(self, dx: float, dy: float) -> "Polyline":
        return Polyline(self.layer, tuple((x + dx, y + dy) for x, y in self.points), self.closed, self.filled)


@dataclass(frozen=True)
class Text:
    """One line of text; ``x, y`` is the anchor: ``halign`` left|center|right, ``valign`` bottom|middle|top
    of the cap height (the baseline is the bottom)."""

    layer: str
    x: float
    y: float
    height: float
    text: str
    halign: str = "left"
    valign: str = "bottom"
    rotation: float = 0.0  # 0, or 90: reads upwards (ISO aligned text beside a vertical dimension line)

    def __post_init__(self) -> None:
        check_layer(self.layer)
        _finite(self.x, self.y, self.height)
        if self.halign not in ("left", "center", "right") or self.valign not in ("bottom", "middle", "top"):
            raise DrawingError("bad text alignment")
        if self.rotation not in (0.0, 90.0):
            raise DrawingError("text is horizontal or reads upwards")

    def box(self) -> Box:
        if "\n" in self.text:
            found = union(t.box() for t in self.lines())
            assert found is not None
            return found
        from .text import text_width  # noqa: PLC0415

        w = text_width(self.text, self.height)
        x0 = -{"left": 0.0, "center": w / 2, "right": w}[self.halign]
        y0 = -{"bottom": 0.0, "middle": self.height / 2, "top": self.height}[self.valign]
        # descenders below the baseline, a little room above the caps
        lo, hi = y0 - 0.25 * self.height, y0 + 1.1 * self.height
        if self.rotation == 90.0:  # (dx, dy) -> (-dy, dx) about the anchor
            return Box(self.x - hi, self.y + x0, self.x - lo, self.y + x0 + w)
        return Box(self.x + x0, self.y + lo, self.x + x0 + w, self.y + hi)

    def lines(self) -> list["Text"]:
        """A text of several lines (``\\n`` between them, as a limit dimension's upper over lower)
        as one Text per line, ``LINE_PITCH`` apart, the block aligned to the anchor as one text is."""
        rows = self.text.split("\n")
        if len(rows) == 1:
            return [self]
        pitch = LINE_PITCH * self.height
        shift = {"top": 0.0, "middle": (len(rows) - 1) * pitch / 2, "bottom": (len(rows) - 1) * pitch}[self.valign]
        out = []
        for i, row in enumerate(rows):
            down = i * pitch - shift  # along the text's own "down": -y, or +x for text reading upwards
            dx, dy = (down, 0.0) if self.rotation == 90.0 else (0.0, -down)
            out.append(Text(self.layer, self.x + dx, self.y + dy, self.height, row, self.halign, self.valign,
                            self.rotation))
        return out

    def moved(self, dx: float, dy: float) -> "Text":
        return Text(self.layer, self.x + dx, self.y + dy, self.height, self.text, self.halign, self.valign,
                    self.rotation)


@dataclass(frozen=True)
class Hatch:
    """A hatched area (ISO 128-50): thin lines at ``angle`` degrees, ``spacing`` mm apart, inside ``loops``
    (closed boundaries; a point is inside when an odd number of loops encloses it)."""

    layer: str
    loops: tuple[tuple[tuple[float, float], ...], ...]
    angle: float = 45.0
    spacing: float = 2.0

    def __post_init__(self) -> None:
        check_layer(self.layer)
        if not self.loops or any(len(loop) < 3 for loop in self.loops):
            raise DrawingError("a hatch needs closed boundaries of three points or more")
        for loop in self.loops:
            for x, y in loop:
                _finite(x, y)
        _finite(self.angle, self.spacing)
        if self.spacing <= 0:
            raise DrawingError("hatch lines need a positive spacing")

    def box(self) -> Box:
        pts = [p for loop in self.loops for p in loop]
        return Box(min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))

    def moved(self, dx: float, dy: float) -> "Hatch":
        return Hatch(self.layer, tuple(tuple((x + dx, y + dy) for x, y in loop) for loop in self.loops),
                     self.angle, self.spacing)

    def segments(self) -> list[tuple[float, float, float, float]]:
        """The hatch lines clipped to the boundaries (what a reader draws for the HATCH entity)."""
        a = math.radians(self.angle)
        ux, uy = math.cos(a), math.sin(a)  # along the lines
        nx, ny = -uy, ux  # across them
        edges = [(loop[i], loop[(i + 1) % len(loop)]) for loop in self.loops for i in range(len(loop))]
        offs = [x * nx + y * ny for loop in self.loops for x, y in loop]
        lo, hi = min(offs), max(offs)
        out = []
        k = math.floor(lo / self.spacing) + 1
        while k * self.spacing < hi:
            c = k * self.spacing
            ts = []
            for (x1, y1), (x2, y2) in edges:
                d1, d2 = x1 * nx + y1 * ny - c, x2 * nx + y2 * ny - c
                if (d1 < 0) != (d2 < 0):
                    f = d1 / (d1 - d2)
                    px, py = x1 + f * (x2 - x1), y1 + f * (y2 - y1)
                    ts.append(px * ux + py * uy)
            ts.sort()
            for t0, t1 in zip(ts[0::2], ts[1::2]):
                out.append((c * nx + t0 * ux, c * ny + t0 * uy, c * nx + t1 * ux, c * ny + t1 * uy))
            k += 1
        return out


Primitive = Line | Arc | Polyline | Text | Hatch

#: distance between the baselines of a text's lines, in text heights
LINE_PITCH = 1.45


def one_line_texts(prims: list) -> list:
    """``prims`` with every text of several lines set as one text per line (what the writers draw)."""
    out: list = []
    for p in prims:
        out.extend(p.lines() if isinstance(p, Text) else [p])
    return out


def move_all(prims, dx: float, dy: float) -> list:
    return [p.moved(dx, dy) for p in prims]


@dataclass
class Dimension:
    """A dimension: the graphics it shows plus what a CAD program needs to know it is one.

    ``kind`` is linear | angular | diameter | radius.  ``points`` are its DXF definition
    points (paper mm): linear ``p1``, ``p2`` (extension line origins), ``line`` (a point
    on the dimension line), ``angle`` (of the dimension line, degrees); angular ``vertex``,
    ``p1``, ``p2``, ``arc``; diameter ``p1``, ``p2`` (chord ends).  ``measurement`` is
    the real size (model units) and ``text`` what it reads.
    """

    kind: str
    text: str
    measurement: float
    points: dict[str, tuple[float, float]]
    text_at: tuple[float, float]
    graphics: list = field(default_factory=list)
    basic: bool = False
    angle: float = 0.0

    def moved(self, dx: float, dy: float) -> "Dimension":
        return Dimension(self.kind, self.text, self.measurement,
                         {k: (x + dx, y + dy) for k, (x, y) in self.points.items()},
                         (self.text_at[0] + dx, self.text_at[1] + dy), move_all(self.graphics, dx, dy),
                         self.basic, self.angle)


@dataclass
class Label:
    """An annotation's readable part (text, frame, symbol, balloon) for the overlap tests."""

    owner: str
    kind: str  # dimension | callout | balloon | datum | roughness | note | title
    box: Box

    def moved(self, dx: float, dy: float) -> "Label":
        return Label(self.owner, self.kind, self.box.shift(dx, dy))


@dataclass
class Sheet:
    """A finished drawing sheet."""

    name: str  # e.g. A3
    width: float
    height: float
    scale: tuple[int, int]  # (1, 2) is 1:2
    primitives: list = field(default_factory=list)
    dimensions: list[Dimension] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    view_boxes: dict[str, Box] = field(default_factory=dict)
    reserved: dict[str, Box] = field(default_factory=dict)  # title block, notes
    balloons: dict[str, Box] = field(default_factory=dict)  # characteristic id -> balloon box
    grid: object = None  # the ISO 5457 zone grid (:class:`~techpack.drawings.zones.ZoneGrid`)
    title: str = ""
    description: str = ""
    number: str = "1"  # the sheet number (ISO 7200 segment/sheet number)

    def zone_of(self, cid: str) -> str:
        """The zone (``C4``) where the balloon of characteristic ``cid`` is, or '' when it has none."""
        box = self.balloons.get(cid)
        return self.grid.zone_of(box) if box is not None and self.grid is not None else ""
    revision_marks: list = field(default_factory=list)  # revmarks.RevisionMark: a triangle by a changed balloon
    revision_table: object | None = None  # revmarks.RevisionTable, above the title block

    def revision_primitives(self) -> list:
        """The lines and text of the revision table and marks (writers draw them after ``primitives``)."""
        out = list(self.revision_table.primitives()) if self.revision_table is not None else []
        for mark in self.revision_marks:
            out += mark.primitives()
        return out
