"""Placing annotations around one view so that nothing readable overlaps.

Everything here works in the view's local paper coordinates (geometry box from
(0, 0) to (W, H)).  Readable things (dimension values, frames, symbols,
balloons) are boxes and never enter the geometry box or another box; lines
(extension lines, leaders, dimension lines) never cross a box that is not their
own, and leaders do not cross each other.  Each request is tried at increasing
distance from the view until it fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .blocks import GAP, Block, Piece, Row, basic_piece, text_piece
from .model import Box, Dimension, Label, Line, Polyline, Text
from .symbols import ARROW, FH, H, arrowhead, datum_triangle

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
    def orient(ax, ay, bx, by, cx, cy):
        v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)

    o1 = orient(a[0], a[1], a[2], a[3], b[0], b[1])
    o2 = orient(a[0], a[1], a[2], a[3], b[2], b[3])
    o3 = orient(b[0], b[1], b[2], b[3], a[0], a[1])
    o4 = orient(b[0], b[1], b[2], b[3], a[2], a[3])
    return o1 * o2 < 0 and o3 * o4 < 0


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


class Placer:
    def __init__(self, width: float, height: float, reserve: list | None = None,
                 geometry: list[Seg] | None = None):
        self.geom = Box(0.0, 0.0, width, height)
        self.geometry: list[Seg] = list(geometry or [])  # the view's visible edges, to keep leaders off them
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
        for b in boxes:
            if b.overlaps(self.geom, CLEAR) or self._crosses_reserved(owner, b):
                return False
            for o, ob in self.boxes:
                if o != owner and b.overlaps(ob, 0.8):
                    return False
            for o, s in self.segs:
                if o != owner and _seg_hits_box(s, b, 0.4):
                    return False
        for s in list(segs) + list(leaders):
            for o, ob in self.boxes:
                if o != owner and _seg_hits_box(s, ob, 0.2):
                    return False
        for s in leaders:
            for o, t in self.leaders:
                if o != owner and _segs_cross(s, t):
                    return False
        return True

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
        first = Row([Piece("spacer", value.width, value.height)] + [balloon_piece(b) for b in balloons])
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
            out_boxes.append(("balloon" if kind == "balloon" else "callout", b))
        return prims, out_boxes, balloons

    # ------------------------------------------------------------------ linear dimensions

    def linear(self, r: LinearReq) -> bool:
        block, value = self._value_block(r.text, r.basic, r.balloons, r.rows, stacked=not r.horizontal)
        sides = r.sides or self._nearest_sides(r)
        first = block.rows[0]
        mirrored = Block([Row(first.pieces[1:] + first.pieces[:1])] + block.rows[1:])
        for reserve in (True, False):
            self.span = r.b - r.a if reserve else None
            for k in range(14):
                for side in sides:
                    for shift in SHIFTS:
                        use = mirrored if shift.startswith("before") and r.horizontal and not r.rows else block
                        if self._try_linear(r, use, value, side, k, shift):
                            self.span = None
                            return True
        self.span = None
        self.out.failed.append(r.owner)
        return False

    def _nearest_sides(self, r: LinearReq) -> tuple[str, ...]:
        if r.ends:
            sides = [s for s in (("bottom", "top") if r.horizontal else ("left", "right")) if s in r.ends]

            def reach(side: str) -> float:
                pa, pb = r.ends[side]
                edge = {"bottom": self.geom.y0, "top": self.geom.y1, "left": self.geom.x0, "right": self.geom.x1}[side]
                i = 1 if r.horizontal else 0
                return abs(pa[i] - edge) + abs(pb[i] - edge)

            return tuple(sorted(sides, key=lambda s: (round(reach(s), 3), s)))
        if r.horizontal:
            lo = min(r.pa[1], r.pb[1])
            hi = max(r.pa[1], r.pb[1])
            return ("bottom", "top") if lo - self.geom.y0 <= self.geom.y1 - hi else ("top", "bottom")
        lo = min(r.pa[0], r.pb[0])
        hi = max(r.pa[0], r.pb[0])
        return ("left", "right") if lo - self.geom.x0 <= self.geom.x1 - hi else ("right", "left")

    def _try_linear(self, r: LinearReq, block: Block, value: Piece, side: str, k: int, shift: str) -> bool:
        g = self.geom
        if r.horizontal != (side in ("bottom", "top")):
            return False
        if not r.horizontal:
            return self._try_linear_v(r, value, side, k, shift)
        outward = -1 if side in ("bottom", "left") else 1
        edge = {"bottom": g.y0, "top": g.y1, "left": g.x0, "right": g.x1}[side]
        line = edge + outward * (FIRST + k * PITCH)
        a, b = r.a, r.b
        inside = b - a >= 2 * ARROW + 1.0
        segs: list[Seg] = []
        pa, pb = r.ends.get(side, (r.pa, r.pb))
        for p, c in ((pa, a), (pb, b)):
            start = (p[1] if r.horizontal else p[0]) + outward * EXT_GAP
            if (line - start) * outward <= 0:
                return False
            segs.append((c, start, c, line + outward * EXT_OVER) if r.horizontal
                        else (start, c, line + outward * EXT_OVER, c))
        bw, bh = block.width, block.height
        h1 = block.rows[0].height
        lo, hi = (a, b) if inside else (a - ARROW - 2.0, b + ARROW + 2.0)
        if r.horizontal:
            if shift == "centre":
                bx = (a + b) / 2 - value.width / 2
                if value.width > (b - a) - 1.0:
                    return False
            elif shift.startswith("after"):
                bx = hi + 1.0 + float(shift[5:] or 0)
                hi = bx + value.width
            else:
                if block.rows[0].pieces[0].kind == "spacer" and bw > value.width:
                    return False  # balloons would run back over the dimension
                bx = lo - 1.0 - bw - float(shift[6:] or 0)
                lo = bx + bw - value.width
            by = line + 0.8 + h1 - bh  # the value sits on the line, further rows hang below it
            dim_line: Seg = (lo, line, hi, line)
            vx, vy = bx, line + 0.8
            if block.rows[0].pieces[0].kind != "spacer":  # mirrored: the value ends the row
                vx = bx + block.rows[0].width - value.width
        else:
            by = (a + b) / 2 + h1 / 2 - bh
            off = EXT_OVER + 0.8  # clear of the extension lines' overshoot
            bx = line + off if side == "right" else line - off - bw
            dim_line = (line, lo, line, hi)
            vx, vy = bx, by + bh - h1
        box = Box(bx, by, bx + bw, by + bh)
        all_segs = segs + [dim_line]
        if not self._free(r.owner, [box], all_segs):
            return False
        # its own extension lines must not cross its own balloons or frames
        own = [Box(vx + value.width + 0.3, vy, bx + bw, vy + h1) if vx <= bx + 1e-6 else Box(bx, vy, vx - 0.3, vy + h1)]
        if bh > h1 + 0.01:
            own.append(Box(bx, by, bx + bw, vy - 0.3))
        if any(_seg_hits_box(t, o) for t in segs for o in own if o.w > 0 and o.h > 0):
            return False
        for o, t in self.segs:
            if o != r.owner and _collinear_overlap(t, dim_line):
                return False
        blk_prims, boxes, balloons = self._draw_block(block, bx, by)
        if value.kind == "basic":
            value_prims = [p for p in value.draw(vx, vy, h1) if isinstance(p, Text)]
            # the frame is drawn beside the dimension: readers that regenerate dimensions drop DIMGAP < 0
            blk_prims += [p for p in value.draw(vx, vy, h1) if not isinstance(p, Text)]
        else:
            value_prims = [Text("DIMENSIONS", vx, vy + h1 / 2, H, str(value.data), "left", "middle")]
        graphics = [Line("DIMENSIONS", *t) for t in all_segs]
        sgn = -1 if inside else 1
        if r.horizontal:
            graphics += [arrowhead(a, line, sgn, 0), arrowhead(b, line, -sgn, 0)]
            pts = {"p1": (a, pa[1]), "p2": (b, pb[1]), "line": (b, line)}
        else:
            graphics += [arrowhead(line, a, 0, sgn), arrowhead(line, b, 0, -sgn)]
            pts = {"p1": (pa[0], a), "p2": (pb[0], b), "line": (line, b)}
        graphics += value_prims
        vbox = Box(vx, vy + (h1 - value.height) / 2, vx + value.width, vy + (h1 + value.height) / 2)
        text_at = (vx + value.width / 2, vy + h1 / 2)
        dim = Dimension("linear", r.text, r.measurement, pts, text_at, graphics, r.basic,
                        0.0 if r.horizontal else 90.0)
        self._commit(r.owner, [("dimension", vbox)] + boxes, all_segs, [], blk_prims, dim, balloons)
        return True

    def _try_linear_v(self, r: LinearReq, value: Piece, side: str, k: int, shift: str) -> bool:
        """A vertical dimension: the value reads upwards beside the line (ISO aligned text, as every DXF
        reader that regenerates dimensions draws it); balloons and frames stand outside the line."""
        from .blocks import balloon_piece  # noqa: PLC0415

        g = self.geom
        outward = -1 if side == "left" else 1
        edge = g.x0 if side == "left" else g.x1
        line = edge + outward * (FIRST + k * PITCH)
        a, b = r.a, r.b
        inside = b - a >= 2 * ARROW + 1.0
        pa, pb = r.ends.get(side, (r.pa, r.pb))
        segs: list[Seg] = []
        for p, c in ((pa, a), (pb, b)):
            start = p[0] + outward * EXT_GAP
            if (line - start) * outward <= 0:
                return False
            segs.append((start, c, line + outward * EXT_OVER, c))
        length = value.width
        lo, hi = (a, b) if inside else (a - ARROW - 2.0, b + ARROW + 2.0)
        if shift == "centre":
            if length > (b - a) - 1.0:
                return False
            t0 = (a + b) / 2 - length / 2
        elif shift.startswith("after"):
            t0 = hi + 1.0 + float(shift[5:] or 0)
            hi = t0 + length
        else:
            t0 = lo - 1.0 - length - float(shift[6:] or 0)
            lo = t0
        base_x = line - 0.8  # the baseline, just left of the line; the letters stand to its left
        text = Text("DIMENSIONS", base_x, t0, H, r.text, "left", "bottom", 90.0) if not r.basic else None
        if r.basic:
            tbox = Box(base_x - 1.8 * H - 0.4, t0, base_x, t0 + length)
        else:
            tbox = text.box()
        rows = [Row([balloon_piece(bid)]) for bid in r.balloons] + list(r.rows)
        extra = Block(rows) if rows else None
        boxes = [tbox]
        if extra is not None:
            bw, bh = extra.width, extra.height
            bx = tbox.x0 - 1.0 - bw if side == "left" else line + EXT_OVER + 0.8
            by = (t0 + length / 2) - bh / 2
            boxes.append(Box(bx, by, bx + bw, by + bh))
        dim_line: Seg = (line, lo, line, hi)
        all_segs = segs + [dim_line]
        if not self._free(r.owner, boxes, all_segs):
            return False
        if any(_seg_hits_box(t, o) for t in segs for o in boxes):
            return False
        for o, t in self.segs:
            if o != r.owner and _collinear_overlap(t, dim_line):
                return False
        graphics = [Line("DIMENSIONS", *t) for t in all_segs]
        sgn = -1 if inside else 1
        graphics += [arrowhead(line, a, 0, sgn), arrowhead(line, b, 0, -sgn)]
        if r.basic:
            cx = (tbox.x0 + tbox.x1) / 2
            graphics.append(Text("DIMENSIONS", cx + 0.5 * H, t0 + length / 2, H, r.text, "center", "bottom", 90.0))
            frame = [Line("DIMENSIONS", tbox.x0, tbox.y0, tbox.x1, tbox.y0), Line("DIMENSIONS", tbox.x1, tbox.y0, tbox.x1, tbox.y1),
                     Line("DIMENSIONS", tbox.x1, tbox.y1, tbox.x0, tbox.y1), Line("DIMENSIONS", tbox.x0, tbox.y1, tbox.x0, tbox.y0)]
        else:
            graphics.append(text)
            frame = []
        prims: list = list(frame)
        labels: list[tuple[str, Box]] = [("dimension", tbox)]
        balloons: dict[str, Box] = {}
        if extra is not None:
            bp, bb, bl = self._draw_block(extra, boxes[1].x0, boxes[1].y0)
            prims += bp
            labels += bb
            balloons = bl
        text_at = ((tbox.x0 + tbox.x1) / 2 if r.basic else base_x - H / 2, t0 + length / 2)
        dim = Dimension("linear", r.text, r.measurement, {"p1": (pa[0], a), "p2": (pb[0], b), "line": (line, b)},
                        text_at, graphics, r.basic, 90.0)
        self._commit(r.owner, labels, all_segs, [], prims, dim, balloons)
        return True

    # ------------------------------------------------------------------ diameters across a profile

    def through(self, r: ThroughReq) -> bool:
        block, value = self._value_block(r.text, False, r.balloons, r.rows)
        g = self.geom
        shifts = ("centre", "right", "left") if not r.rows else ("right", "left")
        # left of the line, the balloons come first so that the value meets the line
        first = block.rows[0]
        mirrored = Block([Row(first.pieces[1:] + first.pieces[:1])] + block.rows[1:])
        ats = [r.at]
        if r.slide is not None:
            lo, hi = r.slide
            ats += [lo + t * (hi - lo) for t in (0.3, 0.7, 0.15, 0.85)]
        if not r.horizontal:
            return self._through_v(r, ats)
        for keep_clear in (True, False):
            self.placing_through = keep_clear
            for k in range(14):
                for at in ats:
                    rr = replace(r, at=at)
                    for side in ("top", "bottom") if not r.horizontal else ("right", "left"):
                        for shift in shifts if not r.horizontal else ("centre",):
                            if self._try_through(rr, mirrored if shift == "left" else block, value, side, k, g, shift):
                                self.placing_through = False
                                self.through_mid.pop(r.owner, None)
                                return True
        self.placing_through = False
        self.out.failed.append(r.owner)
        return False

    def _through_v(self, r: ThroughReq, ats: list[float]) -> bool:
        for keep_clear in (True, False):
            self.placing_through = keep_clear
            for k in range(8):
                for at in ats:
                    for side in ("top", "bottom"):
                        if self._try_through_v(replace(r, at=at), side, k):
                            self.placing_through = False
                            self.through_mid.pop(r.owner, None)
                            return True
        self.placing_through = False
        self.out.failed.append(r.owner)
        return False

    def _try_through_v(self, r: ThroughReq, side: str, k: int) -> bool:
        """A diameter across a horizontal cylinder: vertical line, the value reading upwards beside its
        extension outside the part, balloons and frames right of the line at the value's far end."""
        from .blocks import balloon_piece  # noqa: PLC0415

        g = self.geom
        x = r.at
        small = r.b - r.a < 2 * ARROW + 1
        lines = _split_fit(r.text)
        length = max(text_piece(t).width for t in lines)
        base_x = x - 0.8
        if side == "top":
            t0 = g.y1 + 2.5 + k * 4.0
            line: Seg = (x, r.a - (ARROW + 2.0 if small else 0.0), x, t0 + length)
        else:
            t0 = g.y0 - 2.5 - k * 4.0 - length
            line = (x, t0, x, r.b + (ARROW + 2.0 if small else 0.0))
        texts = [Text("DIMENSIONS", base_x - (len(lines) - 1 - i) * 1.45 * H, t0 + (length - text_piece(t).width) / 2,
                      H, t, "left", "bottom", 90.0) for i, t in enumerate(lines)]
        tbox = texts[0].box()
        for t in texts[1:]:
            tbox = tbox.union(t.box())
        rows = [Row([balloon_piece(b) for b in r.balloons])] if r.balloons else []
        rows += list(r.rows)
        extra = Block(rows) if rows else None
        boxes = [tbox]
        if extra is not None:
            bx = x + 1.0
            by = t0 + length - extra.height if side == "top" else t0
            boxes.append(Box(bx, by, bx + extra.width, by + extra.height))
        if not self._free(r.owner, boxes, [line]):
            return False
        datum_parts = None
        if r.datum:
            anchor, outward = ((x, r.a), (0, -1)) if side == "top" else ((x, r.b), (0, 1))
            datum_parts = self._datum_parts(r.owner, anchor, outward, r.datum, boxes, [line])
            if datum_parts is None:
                return False
        graphics: list = [Line("DIMENSIONS", *line)] + texts
        graphics += ([arrowhead(x, r.a, 0, 1), arrowhead(x, r.b, 0, -1)] if small else
                     [arrowhead(x, r.a, 0, -1), arrowhead(x, r.b, 0, 1)])
        prims: list = []
        labels: list[tuple[str, Box]] = [("dimension", tbox)]
        balloons: dict[str, Box] = {}
        if extra is not None:
            bp, bb, bl = self._draw_block(extra, boxes[1].x0, boxes[1].y0)
            prims, labels, balloons = bp, labels + bb, bl
        dim = Dimension("diameter", "\n".join(lines), r.measurement, {"p1": (x, r.a), "p2": (x, r.b)},
                        ((tbox.x0 + tbox.x1) / 2, t0 + length / 2), graphics)
        self._commit(r.owner, labels, [line], [], prims, dim, balloons)
        if datum_parts is not None:
            self._commit(r.owner + ":datum", *datum_parts)
        return True

    def _try_through(self, r: ThroughReq, block: Block, value: Piece, side: str, k: int, g: Box,
                     shift: str = "centre") -> bool:
        bw, bh = block.width, block.height
        h1 = block.rows[0].height
        small = r.b - r.a < 2 * ARROW + 1
        if not r.horizontal:
            x = r.at
            if side == "top":
                by = g.y1 + FIRST - 2.0 + k * PITCH
                tip = by - 0.5 if shift == "centre" else by + bh - h1 / 2
                line: Seg = (x, r.a - (ARROW + 2.0 if small else 0.0), x, tip)
            else:
                by = g.y0 - FIRST + 2.0 - k * PITCH - bh
                tip = by + bh + 0.5 if shift == "centre" else by + bh - h1 / 2
                line = (x, tip, x, r.b + (ARROW + 2.0 if small else 0.0))
            bx = {"centre": x - value.width / 2, "right": x + 1.0, "left": x - 1.0 - bw}[shift]
        else:
            y = r.at
            if side == "right":
                bx = g.x1 + FIRST - 2.0 + k * PITCH
                line = (r.a, y, bx - 0.5, y)
            else:
                bx = g.x0 - FIRST + 2.0 - k * PITCH - bw
                line = (bx + bw + 0.5, y, r.b, y)
            by = y - bh + h1 / 2
        box = Box(bx, by, bx + bw, by + bh)
        outside = [line]
        if not self._free(r.owner, [box], outside):
            return False
        datum_parts = None
        if r.datum:
            if not r.horizontal:  # on the other end of the dimension line from the value
                anchor, outward = ((r.at, r.a), (0, -1)) if side == "top" else ((r.at, r.b), (0, 1))
            else:
                anchor, outward = ((r.a, r.at), (-1, 0)) if side == "right" else ((r.b, r.at), (1, 0))
            datum_parts = self._datum_parts(r.owner, anchor, outward, r.datum, [box], outside)
            if datum_parts is None:
                return False
        blk_prims, boxes, balloons = self._draw_block(block, bx, by)
        vx, vy = bx, by + bh - block.rows[0].height
        if block.rows[0].pieces[0].kind != "spacer":  # mirrored: the value is the row's last piece
            vx = bx + block.rows[0].width - value.width
        graphics = [Line("DIMENSIONS", *line)]
        if not r.horizontal:
            graphics += ([arrowhead(r.at, r.a, 0, 1), arrowhead(r.at, r.b, 0, -1)] if small else
                         [arrowhead(r.at, r.a, 0, -1), arrowhead(r.at, r.b, 0, 1)])
            pts = {"p1": (r.at, r.a), "p2": (r.at, r.b)}
        else:
            graphics += ([arrowhead(r.a, r.at, 1, 0), arrowhead(r.b, r.at, -1, 0)] if small else
                         [arrowhead(r.a, r.at, -1, 0), arrowhead(r.b, r.at, 1, 0)])
            pts = {"p1": (r.a, r.at), "p2": (r.b, r.at)}
        graphics.append(Text("DIMENSIONS", vx, vy + block.rows[0].height / 2, H, r.text, "left", "middle"))
        vbox = Box(vx, vy + (block.rows[0].height - value.height) / 2, vx + value.width,
                   vy + (block.rows[0].height + value.height) / 2)
        text_at = (vx + value.width / 2, vy + block.rows[0].height / 2)
        dim = Dimension("diameter", r.text, r.measurement, pts, text_at, graphics)
        self._commit(r.owner, [("dimension", vbox)] + boxes, outside, [], blk_prims, dim, balloons)
        if datum_parts is not None:
            self._commit(r.owner + ":datum", *datum_parts)
        return True

    # ------------------------------------------------------------------ datum symbols

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
            prims = [Line("ANNOTATION", *stem), datum_triangle(ax, ay, ox, oy)]
            prims += [Line("ANNOTATION", box.x0, box.y0, box.x1, box.y0), Line("ANNOTATION", box.x1, box.y0, box.x1, box.y1),
                      Line("ANNOTATION", box.x1, box.y1, box.x0, box.y1), Line("ANNOTATION", box.x0, box.y1, box.x0, box.y0),
                      Text("ANNOTATION", cx, cy, H, letter, "center", "middle")]
            return ([("datum", box)], [stem], [], prims, None, {})
        return None

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

    def callout(self, r: CalloutReq) -> bool:
        bw, bh = r.block.width, r.block.height
        first_h = r.block.rows[0].height
        g = self.geom
        ax, ay = r.anchor if r.circle is None else (r.circle[0], r.circle[1])
        cands = []
        step = 2.5
        for k in range(10):
            off = CLEAR + 4.0 + k * 5.0
            for side in ("top", "bottom", "left", "right"):
                if r.outward is not None and _side_dir(side) != r.outward and k < 2:
                    continue
                if side in ("top", "bottom"):
                    by = g.y1 + off if side == "top" else g.y0 - off - bh
                    n = int((g.w + 2 * 60) / step)
                    for i in range(n + 1):
                        bx = g.x0 - 60 - bw / 2 + i * step
                        cands.append((bx, by))
                else:
                    bx = g.x1 + off if side == "right" else g.x0 - off - bw
                    n = int((g.h + 2 * 40) / step)
                    for i in range(n + 1):
                        by = g.y0 - 40 + i * step
                        cands.append((bx, by))

        def leader_for(bx: float, by: float) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
            ky = by + bh - first_h / 2
            left = abs(bx - ax) <= abs(bx + bw - ax)
            kx = bx - 0.8 if left else bx + bw + 0.8
            knee = (kx - 3.0, ky) if left else (kx + 3.0, ky)
            if r.circle is not None:
                cx, cy, rad = r.circle
                dx, dy = knee[0] - cx, knee[1] - cy
                n = math.hypot(dx, dy) or 1.0
                start = (cx + rad * dx / n, cy + rad * dy / n)
            else:
                start = (ax, ay)
                if r.alternative is not None:
                    alt = r.alternative
                    if math.hypot(knee[0] - alt[0], knee[1] - alt[1]) < math.hypot(knee[0] - ax, knee[1] - ay):
                        start = alt
            return start, knee, (kx, ky)

        def cost(c) -> float:
            bx, by = c
            start, knee, _end = leader_for(bx, by)
            length = math.hypot(knee[0] - start[0], knee[1] - start[1])
            slope = abs(knee[1] - start[1]) / (abs(knee[0] - start[0]) + 1e-6)
            return length + (8.0 if slope < 0.25 or slope > 6 else 0.0)

        scored = sorted((round(cost(c), 3), c) for c in cands)
        costs = dict((c, k) for k, c in scored)
        cands = [c for _k, c in scored]
        boundary = r.outward is not None and r.circle is None and (
            abs(ax - g.x0) < 1e-3 or abs(ax - g.x1) < 1e-3 or abs(ay - g.y0) < 1e-3 or abs(ay - g.y1) < 1e-3)
        # among the first few places that are free, the one whose leader crosses the fewest lines
        best = None
        found = 0
        for bx, by in cands[:1500]:
            box = Box(bx, by, bx + bw, by + bh)
            start, knee, end = leader_for(bx, by)
            leader = [(start[0], start[1], knee[0], knee[1]), (knee[0], knee[1], end[0], end[1])]
            if boundary and _seg_hits_box(leader[0], g, -0.3):
                continue  # a face on the outline: its leader leaves the view outwards
            if not self._free(r.owner, [box], [], leader):
                continue
            crossings = sum(1 for t in self.geometry if _segs_cross(leader[0], t))
            crossings += sum(1 for _o, t in self.segs if _segs_cross(leader[0], t) or _segs_cross(leader[1], t))
            score = costs[(bx, by)] + 6.0 * crossings
            if best is None or score < best[0] - 1e-9:
                best = (score, bx, by, start, knee, leader)
            found += 1
            if found >= 12:
                break
        if best is not None:
            _score, bx, by, start, knee, leader = best
            prims, boxes, balloons = self._draw_block(r.block, bx, by)
            dx, dy = start[0] - knee[0], start[1] - knee[1]
            prims += [Line("ANNOTATION", *leader[0]), Line("ANNOTATION", *leader[1]),
                      arrowhead(start[0], start[1], dx, dy, "ANNOTATION")]
            self._commit(r.owner, boxes, [], leader, prims, None, balloons)
            return True
        self.out.failed.append(r.owner)
        return False

    # ------------------------------------------------------------------ angles

    def angle(self, r: AngleReq) -> bool:
        from .blocks import balloon_piece  # noqa: PLC0415

        block = Block([Row([text_piece(r.text)] + [balloon_piece(b) for b in r.balloons])])
        vx, vy = r.vertex
        a1 = math.degrees(math.atan2(r.d1[1], r.d1[0]))
        a2 = math.degrees(math.atan2(r.d2[1], r.d2[0]))
        # the arc runs counter-clockwise from the first to the second line through the smaller angle
        start, end = (a1, a2) if (a2 - a1) % 360 <= 180 else (a2, a1)
        mid = math.radians(start + ((end - start) % 360) / 2)
        for k in range(12):
            rad = 8.0 + k * 3.0
            tx, ty = vx + (rad + 2.0) * math.cos(mid), vy + (rad + 2.0) * math.sin(mid)
            bx = tx - (block.width if math.cos(mid) < 0 else 0.0)
            by = ty - (block.height if math.sin(mid) < 0 else 0.0)
            box = Box(bx, by, bx + block.width, by + block.height)
            ext = [(vx + 1.0 * d[0], vy + 1.0 * d[1], vx + (rad + 2.0) * d[0], vy + (rad + 2.0) * d[1]) for d in (r.d1, r.d2)]
            arc_pts = [(vx + rad * math.cos(math.radians(start + t * ((end - start) % 360) / 8)),
                        vy + rad * math.sin(math.radians(start + t * ((end - start) % 360) / 8))) for t in range(9)]
            arc_segs = [(p[0], p[1], q[0], q[1]) for p, q in zip(arc_pts, arc_pts[1:])]
            if not self._free(r.owner, [box], ext + arc_segs):
                continue
            if any(_seg_hits_box(s, self.geom, -0.5) for s in arc_segs):
                continue
            from .model import Arc  # noqa: PLC0415

            blk_prims, boxes, balloons = self._draw_block(block, bx, by)
            # the value is drawn by the dimension; the block drew it too: keep the block's balloons only
            blk_prims = [p for p in blk_prims if not (isinstance(p, Text) and p.layer == "ANNOTATION" and p.text == r.text)]
            value_box = boxes[0][1]
            p1 = arc_pts[0]
            p2 = arc_pts[-1]
            tangent1 = (-math.sin(math.radians(start)), math.cos(math.radians(start)))
            tangent2 = (math.sin(math.radians(end)), -math.cos(math.radians(end)))
            graphics = [Line("DIMENSIONS", *s) for s in ext]
            graphics += [Arc("DIMENSIONS", vx, vy, rad, start % 360, end % 360),
                         arrowhead(p1[0], p1[1], -tangent1[0], -tangent1[1]),
                         arrowhead(p2[0], p2[1], -tangent2[0], -tangent2[1]),
                         Text("DIMENSIONS", value_box.x0, (value_box.y0 + value_box.y1) / 2, H, r.text, "left", "middle")]
            pts = {"vertex": (vx, vy), "p1": (vx + rad * r.d1[0], vy + rad * r.d1[1]),
                   "p2": (vx + rad * r.d2[0], vy + rad * r.d2[1]),
                   "arc": (vx + rad * math.cos(mid), vy + rad * math.sin(mid))}
            dim = Dimension("angular", r.text, r.measurement, pts,
                            ((value_box.x0 + value_box.x1) / 2, (value_box.y0 + value_box.y1) / 2), graphics)
            labels = [("dimension", value_box)] + boxes[1:]
            self._commit(r.owner, labels, ext + arc_segs, [], blk_prims, dim, balloons)
            return True
        self.out.failed.append(r.owner)
        return False


def _split_fit(text: str) -> list[str]:
    """A long value with its limits in brackets as two lines: ``Ø20 k6`` over ``(+0.015/+0.002)``."""
    if text_piece(text).width > 26.0 and " (" in text:
        head, rest = text.split(" (", 1)
        return [head, "(" + rest]
    return [text]


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
