"""Placing annotations around one view so that nothing readable overlaps: the shared part.

Everything here works in the view's local paper coordinates (geometry box from
(0, 0) to (W, H)).  Readable things (dimension values, frames, symbols,
balloons) are boxes and never enter the geometry box or another box; lines
(extension lines, leaders, dimension lines) never cross a box that is not their
own, and leaders do not cross each other.  Each request is tried at increasing
distance from the view until it fits.  The requests are defined here; dimensions
are placed by :mod:`.place_dims`, leader callouts by :mod:`.place_leaders`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Block, Piece, Row, basic_piece, text_piece
from .model import Box, Dimension, Label, Line, Text
from .symbols import FH, H, datum_triangle

FIRST = 9.0  # first dimension line from the geometry
PITCH = 7.5  # between dimension rows
EXT_GAP = 1.0  # extension lines start this far from the feature
EXT_OVER = 1.5  # and run this far past the dimension line
CLEAR = 1.5  # readable boxes keep this far from the geometry

Seg = tuple[float, float, float, float]


def _seg_hits_box(s: Seg, b: Box, margin: float = 0.0) -> bool:
    """Whether segment s crosses or touches box b grown by ``margin`` (Liang–Barsky clipping)."""
    x1, y1, x2, y2 = s
    bx0, by0, bx1, by1 = b.x0 - margin, b.y0 - margin, b.x1 + margin, b.y1 + margin
    if max(x1, x2) < bx0 or min(x1, x2) > bx1 or max(y1, y2) < by0 or min(y1, y2) > by1:
        return False
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - bx0), (dx, bx1 - x1), (-dy, y1 - by0), (dy, by1 - y1)):
        if abs(p) < 1e-12:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def _segs_cross(a: Seg, b: Seg) -> bool:
    """Whether a and b cross properly (each one's ends strictly on both sides of the other)."""
    # such segments share a point, so their bounding boxes meet (the orientation threshold below is far
    # beyond rounding): boxes a micrometre apart settle it without the four orientations
    if (max(a[0], a[2]) < min(b[0], b[2]) - 1e-6 or max(b[0], b[2]) < min(a[0], a[2]) - 1e-6
            or max(a[1], a[3]) < min(b[1], b[3]) - 1e-6 or max(b[1], b[3]) < min(a[1], a[3]) - 1e-6):
        return False

    def orient(ax, ay, bx, by, cx, cy):
        v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)

    o1 = orient(a[0], a[1], a[2], a[3], b[0], b[1])
    o2 = orient(a[0], a[1], a[2], a[3], b[2], b[3])
    o3 = orient(b[0], b[1], b[2], b[3], a[0], a[1])
    o4 = orient(b[0], b[1], b[2], b[3], a[2], a[3])
    return o1 * o2 < 0 and o3 * o4 < 0


# --------------------------------------------------------------------------- requests


def _split_fit(text: str) -> list[str]:
    """A long value with its limits in brackets as two lines: ``Ø20 k6`` over ``(+0.015/+0.002)``;
    a limit dimension's upper over its lower."""
    if "\n" in text:
        return text.split("\n")
    if text_piece(text).width > 26.0 and " (" in text:
        head, rest = text.split(" (", 1)
        return [head, "(" + rest]
    return [text]


def room(value: Piece) -> Piece:
    """Space after a dimension's value: readers that redraw dimensions in their own, wider font
    (LibreCAD) centre the value where we do, and it must not run into the balloon."""
    return Piece("spacer", 0.07 * value.width + 0.5, 0.0)


def mirror(row: Row) -> Row:
    """A value row with the balloons first, so that the value ends the row (text left of a line)."""
    value = row.pieces[:2] if len(row.pieces) > 1 and row.pieces[1].kind == "spacer" else row.pieces[:1]
    return Row(row.pieces[len(value):] + value[1:] + value[:1])


#: where a linear dimension's value may go: between the extension lines, or outside them
SHIFTS = ("centre", "after", "before", "after6", "before6", "after12", "before12", "after24", "before24", "after40")


def _side_dir(side: str) -> tuple[int, int]:
    return {"top": (0, 1), "bottom": (0, -1), "left": (-1, 0), "right": (1, 0)}[side]


def _collinear_overlap(s: Seg, t: Seg) -> bool:
    """Two horizontal (or two vertical) segments on the same line that overlap."""
    if abs(s[1] - s[3]) < 1e-9 and abs(t[1] - t[3]) < 1e-9 and abs(s[1] - t[1]) < 0.5:
        return min(s[0], s[2]) < max(t[0], t[2]) and min(t[0], t[2]) < max(s[0], s[2])
    if abs(s[0] - s[2]) < 1e-9 and abs(t[0] - t[2]) < 1e-9 and abs(s[0] - t[0]) < 0.5:
        return min(s[1], s[3]) < max(t[1], t[3]) and min(t[1], t[3]) < max(s[1], s[3])
    return False


# --------------------------------------------------------------------------- requests


@dataclass
class LinearReq:
    """A dimension between local coordinates ``a`` < ``b`` along x (``horizontal``) or y."""

    owner: str
    horizontal: bool
    a: float
    b: float
    pa: tuple[float, float]  # where the extension lines start (on the feature)
    pb: tuple[float, float]
    text: str
    measurement: float
    basic: bool = False
    balloons: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # frames etc. under the value
    sides: tuple[str, ...] = ()  # allowed sides in preference order; () = nearest first
    ends: dict[str, tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=dict)
    """Per side, where the extension lines start (the feature's outermost points towards that side)."""


@dataclass
class ThroughReq:
    """A diameter across a cylinder seen from the side: the dimension line crosses it, the value sits outside."""

    owner: str
    horizontal: bool  # the measured direction (False: a vertical dimension line at x = ``at``)
    at: float
    a: float
    b: float
    text: str
    measurement: float
    balloons: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    datum: str | None = None
    slide: tuple[float, float] | None = None  # the dimension line may move along the cylinder within this


@dataclass
class CalloutReq:
    """A label block on a leader: to ``anchor`` or, with ``circle``, radially to a circle's edge."""

    owner: str
    block: Block
    anchor: tuple[float, float] = (0.0, 0.0)
    circle: tuple[float, float, float] | None = None
    outward: tuple[int, int] | None = None  # leave the view this way (a face seen edge-on)
    alternative: tuple[float, float] | None = None  # another point of the same surface (the other silhouette)
    centre: tuple[float, float] | None = None  # a radius' arc centre
    dimension: tuple[str, str, float] | None = None
    """(``diameter`` | ``radius``, value text, measurement): the leader and the first row's first text are a
    DIMENSION entity (the hole's size, a radius), not just a note."""
    extent: str | None = None
    """``all-around`` | ``all-over``: the profile tolerance's symbol at the leader's elbow."""


@dataclass
class DatumReq:
    """A datum feature symbol: triangle on the feature at ``anchor``, framed letter out along ``outward``."""

    owner: str
    anchor: tuple[float, float]
    outward: tuple[int, int]
    letter: str
    slide: tuple[float, float] | None = None  # the anchor may move along the face within this range


@dataclass
class AngleReq:
    """An angle between two lines leaving ``vertex`` along ``d1`` and ``d2`` (outside the part)."""

    owner: str
    vertex: tuple[float, float]
    d1: tuple[float, float]
    d2: tuple[float, float]
    text: str
    measurement: float
    balloons: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the placer


@dataclass
class Placed:
    primitives: list = field(default_factory=list)
    dimensions: list[Dimension] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    balloons: dict[str, Box] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def _seg_bbox(s: Seg) -> tuple[float, float, float, float]:
    return min(s[0], s[2]), min(s[1], s[3]), max(s[0], s[2]), max(s[1], s[3])


class Near:
    """A growing list of (owner, thing) with the things' bounding boxes in numpy: :meth:`around` gives, in list
    order, every entry whose box comes within ``margin`` (plus 2 µm, beyond any rounding) of a box.  A test that
    can only be true for things whose boxes meet that closely gives the same answer over these as over all."""

    def __init__(self, items: list, bbox):
        self.items, self.bbox = items, bbox
        self.rows: list[tuple[float, float, float, float]] = []
        self.arrays = None

    def around(self, x0: float, y0: float, x1: float, y1: float, margin: float) -> list:
        import numpy as np  # noqa: PLC0415

        items = self.items
        if len(self.rows) != len(items):
            self.rows += [self.bbox(thing) for _o, thing in items[len(self.rows):]]
            self.arrays = None
        if not self.rows:
            return []
        if len(self.rows) < 12:  # a few: cheaper in Python
            m = margin + 2e-6
            return [items[k] for k, r in enumerate(self.rows)
                    if r[0] <= x1 + m and x0 - m <= r[2] and r[1] <= y1 + m and y0 - m <= r[3]]
        if self.arrays is None:
            a = np.asarray(self.rows, dtype=np.float64)
            self.arrays = (a[:, 0], a[:, 1], a[:, 2], a[:, 3])
        ax0, ay0, ax1, ay1 = self.arrays
        m = margin + 2e-6
        hit = np.flatnonzero((ax0 <= x1 + m) & (x0 - m <= ax1) & (ay0 <= y1 + m) & (y0 - m <= ay1))
        return [items[k] for k in hit.tolist()]


class PlacerCore:
    """The bookkeeping every kind of annotation shares: what is placed, and what is free."""

    def __init__(self, width: float, height: float, reserve: list | None = None,
                 geometry: list[Seg] | None = None):
        self.geom = Box(0.0, 0.0, width, height)
        self.geometry: list[Seg] = list(geometry or [])  # the view's visible edges, to keep leaders off them
        self.centre_lines: list[Seg] = []  # the view's centre lines: datum symbols keep off them
        self.boxes: list[tuple[str, Box]] = []
        self.segs: list[tuple[str, Seg]] = []
        self.leaders: list[tuple[str, Seg]] = []
        self.out = Placed()
        # where extension lines of the linear dimensions will run: labels keep clear of them
        # (longer dimensions go further out, so their extension lines cross the rows of the shorter ones)
        self.reserved_x: list[tuple[str, float, float]] = []
        self.reserved_y: list[tuple[str, float, float]] = []
        self.span: float | None = None  # the span of the linear dimension being placed
        # the middle of each diameter's cylinder, kept clear for its own value while it is not placed
        self.through_mid: dict[str, tuple[bool, float, float]] = {}
        self.placing_through = False
        for r in reserve or []:
            if isinstance(r, LinearReq):
                (self.reserved_x if r.horizontal else self.reserved_y).extend(
                    [(r.owner, r.a, r.b - r.a), (r.owner, r.b, r.b - r.a)])
            elif isinstance(r, ThroughReq) and r.slide is not None:
                lo, hi = r.slide
                self.through_mid[r.owner] = (r.horizontal, lo + 0.35 * (hi - lo), hi - 0.35 * (hi - lo))

    def _geometry_near(self, s: Seg) -> list[Seg]:
        """The view's edges whose bounding boxes come within 2 µm of segment s's (in their order): the only
        ones :func:`_segs_cross` can find crossing it."""
        import numpy as np  # noqa: PLC0415

        if getattr(self, "_geometry_boxes", None) is None or self._geometry_boxes[0] is not self.geometry:
            a = np.asarray(self.geometry, dtype=np.float64).reshape(-1, 4)
            self._geometry_boxes = (self.geometry, np.minimum(a[:, 0], a[:, 2]), np.minimum(a[:, 1], a[:, 3]),
                                    np.maximum(a[:, 0], a[:, 2]), np.maximum(a[:, 1], a[:, 3]))
        geometry, x0, y0, x1, y1 = self._geometry_boxes
        m = 2e-6
        near = np.flatnonzero((x0 <= max(s[0], s[2]) + m) & (min(s[0], s[2]) - m <= x1)
                              & (y0 <= max(s[1], s[3]) + m) & (min(s[1], s[3]) - m <= y1))
        return [geometry[j] for j in near.tolist()]

    def _crosses_reserved(self, owner: str, b: Box) -> bool:
        g = self.geom
        if self.placing_through or self.span is not None:
            for o, (horizontal, m0, m1) in self.through_mid.items():
                if o == owner:
                    continue
                if not horizontal and (b.y1 < g.y0 or b.y0 > g.y1) and b.x0 < m1 and m0 < b.x1:
                    return True
                if horizontal and (b.x1 < g.x0 or b.x0 > g.x1) and b.y0 < m1 and m0 < b.y1:
                    return True
        if self.span is None:
            return False
        if b.y1 < g.y0 or b.y0 > g.y1:
            if any(o != owner and span > self.span and b.x0 - 0.5 < x < b.x1 + 0.5 for o, x, span in self.reserved_x):
                return True
        if b.x1 < g.x0 or b.x0 > g.x1:
            if any(o != owner and span > self.span and b.y0 - 0.5 < y < b.y1 + 0.5 for o, y, span in self.reserved_y):
                return True
        return False

    # ------------------------------------------------------------------ checks

    def _free(self, owner: str, boxes: list[Box], segs: list[Seg], leaders: list[Seg] = ()) -> bool:
        """Whether boxes (readable things) and lines of ``owner`` fit: no box on the geometry, a reserved
        extension line or another owner's box or line; no line through another owner's box; no leader across
        another owner's leader.  Only the placed things near each one are tested (:class:`Near`)."""
        placed_boxes, placed_segs, placed_leaders = self._near
        for b in boxes:
            if b.overlaps(self.geom, CLEAR) or self._crosses_reserved(owner, b):
                return False
            for o, ob in placed_boxes.around(b.x0, b.y0, b.x1, b.y1, 0.8):
                if o != owner and b.overlaps(ob, 0.8):
                    return False
            for o, s in placed_segs.around(b.x0, b.y0, b.x1, b.y1, 0.4):
                if o != owner and _seg_hits_box(s, b, 0.4):
                    return False
        for s in list(segs) + list(leaders):
            for o, ob in placed_boxes.around(min(s[0], s[2]), min(s[1], s[3]), max(s[0], s[2]), max(s[1], s[3]), 0.2):
                if o != owner and _seg_hits_box(s, ob, 0.2):
                    return False
        for s in leaders:
            for o, t in placed_leaders.around(min(s[0], s[2]), min(s[1], s[3]), max(s[0], s[2]), max(s[1], s[3]), 0.0):
                if o != owner and _segs_cross(s, t):
                    return False
        return True

    @property
    def _near(self) -> tuple["Near", "Near", "Near"]:
        """The placed boxes, lines and leaders, indexed by their bounding boxes (kept up to date: the lists only
        grow)."""
        near = getattr(self, "_near_index", None)
        if near is None:
            near = self._near_index = (Near(self.boxes, lambda b: (b.x0, b.y0, b.x1, b.y1)),
                                       Near(self.segs, _seg_bbox), Near(self.leaders, _seg_bbox))
        return near

    def _commit(self, owner: str, boxes: list[tuple[str, Box]], segs: list[Seg], leaders: list[Seg],
                prims: list, dim: Dimension | None, balloons: dict[str, Box]) -> None:
        for kind, b in boxes:
            self.boxes.append((owner, b))
            self.out.labels.append(Label(owner, kind, b))
        self.segs += [(owner, s) for s in segs]
        self.leaders += [(owner, s) for s in leaders]
        self.out.primitives += prims
        if dim is not None:
            self.out.dimensions.append(dim)
        self.out.balloons.update(balloons)

    # ------------------------------------------------------------------ label blocks

    @staticmethod
    def _value_block(text: str, basic: bool, balloons: list[str], rows: list[Row],
                     stacked: bool = False) -> tuple[Block, Piece]:
        """The value (drawn by the dimension itself: a spacer here), its balloons, then any frames.

        ``stacked`` puts each balloon on a row of its own under the value (narrow labels
        beside vertical dimensions)."""
        from .blocks import balloon_piece  # noqa: PLC0415

        value = basic_piece(text) if basic else text_piece(text)
        if stacked:
            first = Row([Piece("spacer", value.width, value.height)])
            below = [Row([balloon_piece(b)]) for b in balloons]
            return Block([first] + below + list(rows)), value
        first = Row([Piece("spacer", value.width, value.height), room(value)] + [balloon_piece(b) for b in balloons])
        extra = [Row([Piece("spacer", 0.0, 0.0)])] + list(rows) if rows else []
        return Block([first] + extra), value

    @staticmethod
    def _draw_block(block: Block, x: float, y: float) -> tuple[list, list[tuple[str, Box]], dict[str, Box]]:
        prims, boxes = block.draw(x, y)
        balloons: dict[str, Box] = {}
        ids = block.balloon_ids()
        k = 0
        out_boxes = []
        for kind, b in boxes:
            if kind == "spacer":
                continue
            if kind == "balloon":
                balloons[ids[k]] = b
                k += 1
            out_boxes.append((kind if kind in ("balloon", "roughness") else "callout", b))
        return prims, out_boxes, balloons

    # ------------------------------------------------------------------ linear dimensions

    def _datum_parts(self, owner: str, anchor, outward, letter: str, extra_boxes=(), extra_segs=()):
        """Geometry for a datum symbol at ``anchor`` pointing ``outward``; None when it does not fit."""
        ax, ay = anchor
        ox, oy = outward
        from .text import text_width  # noqa: PLC0415

        w = max(FH, text_width(letter, H) + 1.6)
        g = self.geom
        for k in range(16):
            dist = 6.0 + k * 2.5
            if ox == 0:
                edge = g.y0 if oy < 0 else g.y1
                cy = edge + oy * (dist + FH / 2) if (ay - edge) * oy <= 0.01 else ay + oy * (dist + FH / 2)
                cx = ax
                box = Box(cx - w / 2, cy - FH / 2, cx + w / 2, cy + FH / 2)
                stem: Seg = (ax, ay + oy * 2.6, ax, cy - oy * FH / 2)
            else:
                edge = g.x0 if ox < 0 else g.x1
                cx = edge + ox * (dist + w / 2) if (ax - edge) * ox <= 0.01 else ax + ox * (dist + w / 2)
                cy = ay
                box = Box(cx - w / 2, cy - FH / 2, cx + w / 2, cy + FH / 2)
                stem = (ax + ox * 2.6, ay, cx - ox * w / 2, ay)
            if any(box.overlaps(b, 0.8) for b in extra_boxes) or any(_seg_hits_box(s, box) for s in extra_segs):
                continue
            if not self._free(owner + ":datum", [box], [stem]):
                continue
            if self._along_other_line(stem, (ax, ay)):
                continue  # a stem on an extension or centre line would read as that line's datum
            prims = [Line("ANNOTATION", *stem), datum_triangle(ax, ay, ox, oy)]
            prims += [Line("ANNOTATION", box.x0, box.y0, box.x1, box.y0), Line("ANNOTATION", box.x1, box.y0, box.x1, box.y1),
                      Line("ANNOTATION", box.x1, box.y1, box.x0, box.y1), Line("ANNOTATION", box.x0, box.y1, box.x0, box.y0),
                      Text("ANNOTATION", cx, cy, H, letter, "center", "middle")]
            return ([("datum", box)], [stem], [], prims, None, {})
        return None

    def _along_other_line(self, stem: Seg, foot: tuple[float, float], clear: float = 2.0) -> bool:
        """Whether a datum's stem (or its triangle at ``foot``) runs along an extension or centre line."""
        horizontal = abs(stem[1] - stem[3]) < 1e-9
        lo = min(stem[0], stem[2], foot[0]) if horizontal else min(stem[1], stem[3], foot[1])
        hi = max(stem[0], stem[2], foot[0]) if horizontal else max(stem[1], stem[3], foot[1])
        at = stem[1] if horizontal else stem[0]
        for t in [s for _o, s in self.segs] + list(self.centre_lines):
            if horizontal and abs(t[1] - t[3]) < 1e-9 and abs(t[1] - at) < clear:
                if min(t[0], t[2]) < hi and lo < max(t[0], t[2]):
                    return True
            if not horizontal and abs(t[0] - t[2]) < 1e-9 and abs(t[0] - at) < clear:
                if min(t[1], t[3]) < hi and lo < max(t[1], t[3]):
                    return True
        return False

    def datum(self, r: DatumReq) -> bool:
        anchors = [r.anchor]
        if r.slide is not None:
            lo, hi = r.slide
            for t in (0.3, 0.15, 0.5, 0.7, 0.85, 0.05, 0.95):
                c = lo + t * (hi - lo)
                anchors.append((r.anchor[0], c) if r.outward[0] != 0 else (c, r.anchor[1]))
        for anchor in anchors:
            parts = self._datum_parts(r.owner, anchor, r.outward, r.letter)
            if parts is not None:
                self._commit(r.owner + ":datum", *parts)
                return True
        self.out.failed.append(r.owner)
        return False

    # ------------------------------------------------------------------ leader callouts

