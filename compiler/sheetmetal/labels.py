"""Where each bend label of a flat pattern goes: beside its bend line, clear of every cut.

Pure Python, in flat millimetres, shared by ``flat/<part>.dxf`` and the drawing's flat sheet so the two
agree.  A label is a box ``w`` long along its bend line and ``h`` high across it.  Tried in order: beside
the line's middle, then at other places along it, on either side of it; then beyond either end of the
line, outside the flat.  The first place whose box crosses no cut line and no hole is taken; when none is
clear (a pattern with cuts everywhere) the place crossing the fewest cut lines is taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .flat import Bend, FlatPattern

GAP = 1.0  # mm between the bend line (or the flat's edge) and the label
FRACTIONS = (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)


@dataclass(frozen=True)
class Placed:
    centre: tuple[float, float]  # the label box's centre on the flat
    angle: float  # degrees, readable from the bottom or the right
    corners: tuple[tuple[float, float], ...]  # the box, for tests and overlap checks


def _frame(b: Bend) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float], float, float]:
    (x0, y0), (x1, y1) = b.line
    ang = math.degrees(math.atan2(y1 - y0, x1 - x0))
    if ang > 90 or ang <= -90:  # readable from the bottom or the right
        ang -= 180 if ang > 0 else -180
        (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    d = ((x1 - x0) / length, (y1 - y0) / length)
    return (x0, y0), d, (-d[1], d[0]), length, ang


def cut_segments(flat: FlatPattern) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Every cut line of the flat as a segment (holes as 48-gons)."""
    segs = []
    for poly in flat.outline:
        segs += list(zip(poly, poly[1:]))
    for (cx, cy), r in flat.holes:
        pts = [(cx + r * math.cos(2 * math.pi * i / 48), cy + r * math.sin(2 * math.pi * i / 48)) for i in range(49)]
        segs += list(zip(pts, pts[1:]))
    return segs


def _clip(p, q, lo, hi) -> bool:
    """Segment p–q meets the axis-aligned box lo–hi (Liang–Barsky)."""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for pp, qq in ((-dx, p[0] - lo[0]), (dx, hi[0] - p[0]), (-dy, p[1] - lo[1]), (dy, hi[1] - p[1])):
        if pp == 0:
            if qq < 0:
                return False
            continue
        r = qq / pp
        if pp < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def crossings(corners, segs) -> int:
    """How many of ``segs`` meet the (possibly turned) box ``corners`` (4 points, in order)."""
    o = corners[0]
    ex = (corners[1][0] - o[0], corners[1][1] - o[1])
    ey = (corners[3][0] - o[0], corners[3][1] - o[1])
    lx, ly = math.hypot(*ex) or 1.0, math.hypot(*ey) or 1.0
    ux, uy = (ex[0] / lx, ex[1] / lx), (ey[0] / ly, ey[1] / ly)

    def local(p):
        v = (p[0] - o[0], p[1] - o[1])
        return (v[0] * ux[0] + v[1] * ux[1], v[0] * uy[0] + v[1] * uy[1])

    return sum(1 for a, b in segs if _clip(local(a), local(b), (0.0, 0.0), (lx, ly)))


def _box(o, d, n, s0, s1, u0, u1):
    def at(s, u):
        return (o[0] + s * d[0] + u * n[0], o[1] + s * d[1] + u * n[1])

    return (at(s0, u0), at(s1, u0), at(s1, u1), at(s0, u1))


def place(flat: FlatPattern, sizes: list[tuple[float, float]], gap: float = GAP, zone: bool = False) -> list[Placed]:
    """One place per bend of ``flat`` for a label of ``sizes[i]`` = (length along the line, height); with
    ``zone`` the label keeps ``gap`` off the bend zone's edges (drawn in the DXF), else off the bend line."""
    segs = cut_segments(flat)
    out = []
    taken: list[tuple] = []
    for b, (w, h) in zip(flat.bends, sizes):
        o, d, n, length, ang = _frame(b)
        tries = []
        for f in FRACTIONS:
            s = f * length
            off = gap + (b.ba / 2 if zone else 0.0)
            for u0, u1 in ((off, off + h), (-off - h, -off)):
                tries.append((s - w / 2, s + w / 2, u0, u1))
        for s0, s1 in ((length + gap, length + gap + w), (-gap - w, -gap)):  # beyond the ends, on the line
            tries.append((s0, s1, -h / 2, h / 2))
        best = None
        for k, (s0, s1, u0, u1) in enumerate(tries):
            corners = _box(o, d, n, s0, s1, u0, u1)
            bad = crossings(corners, segs) + sum(crossings(corners, t) for t in taken)
            if best is None or bad < best[0]:
                best = (bad, k, corners)
            if bad == 0:
                break
        corners = best[2]
        cx = sum(p[0] for p in corners) / 4
        cy = sum(p[1] for p in corners) / 4
        taken.append(list(zip(corners, corners[1:] + corners[:1])))
        out.append(Placed((cx, cy), ang, corners))
    return out
