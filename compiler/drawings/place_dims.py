"""Placing dimensions: linear (in rows beside the view), diameters across a profile, angles."""

from __future__ import annotations

import math
from dataclasses import replace

from .blocks import Block, Piece, Row, text_piece
from .model import Box, Dimension, Line, Text
from .placing import (EXT_GAP, EXT_OVER, FIRST, PITCH, SHIFTS, AngleReq, LinearReq, Seg, ThroughReq,
                      _collinear_overlap, _seg_hits_box, _split_fit, mirror)
from .symbols import ARROW, H, arrowhead


class DimensionMixin:
    """Dimension placement for :class:`~techpack.drawings.placer.Placer`."""

    def linear(self, r: LinearReq) -> bool:
        block, value = self._value_block(r.text, r.basic, r.balloons, r.rows, stacked=not r.horizontal)
        sides = r.sides or self._nearest_sides(r)
        first = block.rows[0]
        mirrored = Block([mirror(first)] + block.rows[1:], mirrored=True)
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
                if not block.mirrored and len(block.rows[0].pieces) > 2:
                    return False  # balloons would run back over the dimension
                bx = lo - 1.0 - bw - float(shift[6:] or 0)
                lo = bx + bw - value.width
            by = line + 0.8 + h1 - bh  # the value sits on the line, further rows hang below it
            dim_line: Seg = (lo, line, hi, line)
            vx, vy = bx, line + 0.8
            if block.mirrored:  # the value ends the row
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
        mirrored = Block([mirror(first)] + block.rows[1:], mirrored=True)
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
        # a linear dimension across the diameter (Ø in its text): every reader places its value where we do
        dim = Dimension("linear", "\n".join(lines), r.measurement, {"p1": (x, r.a), "p2": (x, r.b), "line": (x, r.b)},
                        ((tbox.x0 + tbox.x1) / 2, t0 + length / 2), graphics, angle=90.0)
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
        if block.mirrored:  # the value is the row's last piece
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
        pts["line"] = pts["p2"]
        dim = Dimension("linear", r.text, r.measurement, pts, text_at, graphics,
                        angle=0.0 if r.horizontal else 90.0)
        self._commit(r.owner, [("dimension", vbox)] + boxes, outside, [], blk_prims, dim, balloons)
        if datum_parts is not None:
            self._commit(r.owner + ":datum", *datum_parts)
        return True

    # ------------------------------------------------------------------ datum symbols

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


