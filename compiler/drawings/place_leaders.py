"""Placing leader callouts: a label block off the view, its leader to the feature."""

from __future__ import annotations

import math

from .model import Box, Dimension, Line, Text
from .blocks import GAP, Block, Piece, Row
from .callout_search import Blocked, Grid, by_bound, cost_bounds, search
from .placing import CLEAR, CalloutReq, _seg_hits_box, _segs_cross, _side_dir, mirror
from .symbols import H, arrowhead, extent_symbol


def _mirrored(block: Block) -> Block:
    """The block with its first row's text last (balloons first), for a leader leaving on the right; a datum
    symbol hanging from that row's frame moves along under the frame."""
    first = mirror(block.rows[0])
    shift = first.width - block.rows[0].pieces[0].width  # where the row's first piece (text or frame) now starts
    rows = [first]
    for row in block.rows[1:]:
        if row.pieces and row.pieces[0].kind == "datum" and block.rows[0].pieces[0].kind == "frame":
            row = Row([Piece("spacer", max(0.0, shift - GAP), 0.0)] + row.pieces)
        rows.append(row)
    return Block(rows, mirrored=True)


class CalloutMixin:
    """Callout placement for :class:`~techpack.drawings.placer.Placer`."""

    def callout(self, r: CalloutReq) -> bool:
        bw, bh = r.block.width, r.block.height
        first_h = r.block.rows[0].height
        g = self.geom
        ax, ay = r.anchor if r.circle is None else (r.circle[0], r.circle[1])
        step = 2.5
        lines = []  # the candidate positions, as a grid of rows and columns (see callout_search.Grid)
        for k in range(10):
            off = CLEAR + 4.0 + k * 5.0
            for side in ("top", "bottom", "left", "right"):
                if r.outward is not None and _side_dir(side) != r.outward and k < 2:
                    continue
                if side in ("top", "bottom"):
                    by = g.y1 + off if side == "top" else g.y0 - off - bh
                    n = int((g.w + 2 * 60) / step)
                    lines.append((True, by, g.x0 - 60 - bw / 2, step, n + 1))
                else:
                    bx = g.x1 + off if side == "right" else g.x0 - off - bw
                    n = int((g.h + 2 * 40) / step)
                    lines.append((False, bx, g.y0 - 40, step, n + 1))
        grid = Grid(lines)

        # the leader starts at the callout's text: on the right of the block, its first row ends with the text
        mirrored = _mirrored(r.block)
        first_w = r.block.rows[0].width

        # a surface texture symbol stands on the leader's reference line: it ends at the symbol's vertex
        rough = next((p for p in r.block.rows[0].pieces if p.kind == "roughness"), None)
        sx = 1.4 * H / math.sqrt(3.0)

        def leader_for(bx: float, by: float) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
            ky = by + bh - first_h / 2
            left = abs(bx - ax) <= abs(bx + bw - ax)
            kx = bx - 0.8 if left else bx + first_w + 0.8
            knee = (kx - 3.0, ky) if left else (kx + 3.0, ky)
            if rough is not None:
                ky = by + bh - first_h
                vx = bx + sx if left else bx + first_w - rough.width + sx
                knee = (bx - 3.8, ky) if left else (bx + first_w + 3.8, ky)
                kx = vx
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

        low, high, numpy_leaders = cost_bounds(grid, bw, bh, first_h, first_w, (ax, ay),
                                           rough.width if rough is not None else None, sx, r.circle,
                                           None if r.circle is not None else r.alternative)
        order, lows, highs = by_bound(low, high)

        def exact(i: int) -> tuple:
            c = grid.at(i)
            return (round(cost(c), 3), c)

        blocked = Blocked(grid, order, bw, bh, numpy_leaders, [b for o, b in self.boxes if o != r.owner],
                          [s for o, s in self.segs if o != r.owner], [t for o, t in self.leaders if o != r.owner])
        boundary = r.outward is not None and r.circle is None and (
            abs(ax - g.x0) < 1e-3 or abs(ax - g.x1) < 1e-3 or abs(ay - g.y0) < 1e-3 or abs(ay - g.y1) < 1e-3)
        # among the first few places that are free, the one whose leader crosses the fewest lines
        best = None
        found = 0
        # the first 700 by cost, less those certainly not free (the exact test would refuse them too)
        for (key_cost, (bx, by)), _i in search(order, lows, highs, exact, blocked, 700):
            box = Box(bx, by, bx + bw, by + bh)
            start, knee, end = leader_for(bx, by)
            leader = [(start[0], start[1], knee[0], knee[1]), (knee[0], knee[1], end[0], end[1])]
            if boundary and _seg_hits_box(leader[0], g, -0.3):
                continue  # a face on the outline: its leader leaves the view outwards
            if not self._free(r.owner, [box], [], leader):
                continue
            crossings = sum(1 for t in self._geometry_near(leader[0]) if _segs_cross(leader[0], t))
            near = self._near[1].around(min(leader[0][0], leader[0][2], leader[1][0], leader[1][2]),
                                        min(leader[0][1], leader[0][3], leader[1][1], leader[1][3]),
                                        max(leader[0][0], leader[0][2], leader[1][0], leader[1][2]),
                                        max(leader[0][1], leader[0][3], leader[1][1], leader[1][3]), 0.0)
            crossings += sum(1 for _o, t in near if _segs_cross(leader[0], t) or _segs_cross(leader[1], t))
            score = key_cost + 6.0 * crossings
            if best is None or score < best[0] - 1e-9:
                best = (score, bx, by, start, knee, leader)
            found += 1
            if found >= 12:
                break
        if best is not None:
            _score, bx, by, start, knee, leader = best
            on_right = not abs(bx - ax) <= abs(bx + bw - ax)  # as leader_for decided
            prims, boxes, balloons = self._draw_block(mirrored if on_right else r.block, bx, by)
            dx, dy = start[0] - knee[0], start[1] - knee[1]
            marks = [Line("ANNOTATION", *leader[0]), Line("ANNOTATION", *leader[1]),
                     arrowhead(start[0], start[1], dx, dy, "ANNOTATION")]
            if r.extent is not None:
                marks += extent_symbol(knee[0], knee[1], r.extent)
            dim = None
            if r.dimension is not None:
                dim, prims = self._leader_dimension(r, prims, marks, start)
            else:
                prims += marks
            self._commit(r.owner, boxes, [], leader, prims, dim, balloons)
            return True
        self.out.failed.append(r.owner)
        return False

    @staticmethod
    def _leader_dimension(r: CalloutReq, prims: list, marks: list, start: tuple[float, float]):
        """The leader and the value text as a diameter or radius DIMENSION; the rest stays a note."""
        kind, text, measurement = r.dimension
        value = next((p for p in prims if isinstance(p, Text) and p.text == text), None)
        if value is None:  # pragma: no cover - the block always starts with the value
            return None, prims + marks
        rest = [p for p in prims if p is not value]
        box = value.box()
        text_at = ((box.x0 + box.x1) / 2, value.y)
        if kind == "diameter" and r.circle is not None:
            # the chord runs level, towards the label (readers that redraw the dimension, as LibreCAD
            # does, set its value along the chord)
            cx, cy, rad = r.circle
            side = 1.0 if text_at[0] >= cx else -1.0
            points = {"p1": (cx - side * rad, cy), "p2": (cx + side * rad, cy)}
        else:
            centre = (r.circle[0], r.circle[1]) if r.circle is not None else (r.anchor[0], r.anchor[1])
            points = {"centre": r.centre if r.centre is not None else centre, "p2": start}
        return Dimension(kind, text, measurement, points, text_at, marks + [value]), rest

    # ------------------------------------------------------------------ angles

