"""Cut-outs of a sheet-metal flat against its bends: how near each is to a bend zone, whether it cuts into
one, and which spec feature it is (so TP703/TP709 point at the hole's entry in the spec).

Pure Python on the unfolded :class:`~techpack.sheetmetal.flat.FlatPattern`; no OCP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..schema.spec import Feature, Part
from ..sheetmetal.flat import Bend, Cutout, FlatPattern

EPS = 1e-3  # mm: a point this close to a tangent line is on it, not in the zone
MATCH_TOL = 0.5  # mm: a cut-out's centre on the model within this of a feature's location is that feature
AXES = ("x", "y", "z")


def _seg_dist(p, a, b) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    n2 = dx * dx + dy * dy
    s = 0.0 if n2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / n2))
    return math.hypot(p[0] - (ax + s * dx), p[1] - (ay + s * dy))


def _points(cut: Cutout, n: int = 72) -> list[tuple[float, float]]:
    if cut.centre is None:
        return list(cut.points)
    (cx, cy), r = cut.centre, cut.radius or 0.0
    return [(cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)) for i in range(n)]


def distance(cut: Cutout, bend: Bend) -> float:
    """On the flat: from the cut-out's edge to the nearer tangent line of ``bend`` (0 when it touches or crosses)."""
    lines = bend.tangents
    if cut.centre is not None:
        d = min(_seg_dist(cut.centre, a, b) for a, b in lines) - (cut.radius or 0.0)
    else:
        d = min(_seg_dist(p, a, b) for p in cut.points for a, b in lines)
    return max(d, 0.0)


@dataclass(frozen=True)
class Intrusion:
    depth: float  # mm of the bend zone's width the cut-out covers, across the bend
    width: float  # the bend zone's width on the flat (BA)
    side: int  # 0: from the first tangent line, 1: from the second, 2: across the whole zone


def intrusion(cut: Cutout, bend: Bend) -> Intrusion | None:
    """How far ``cut`` runs into ``bend``'s zone (between its tangent lines, within its length), or None."""
    (a0, b0), (a1, _b1) = bend.tangents
    length = math.dist(a0, b0)
    if length <= 0:
        return None
    d = ((b0[0] - a0[0]) / length, (b0[1] - a0[1]) / length)
    n = (-d[1], d[0])
    width = (a1[0] - a0[0]) * n[0] + (a1[1] - a0[1]) * n[1]
    if width < 0:
        n, width = (-n[0], -n[1]), -width
    if width <= 2 * EPS:
        return None
    inside = []
    for p in _points(cut):
        s = (p[0] - a0[0]) * d[0] + (p[1] - a0[1]) * d[1]
        u = (p[0] - a0[0]) * n[0] + (p[1] - a0[1]) * n[1]
        if -EPS < s < length + EPS:
            inside.append(u)
    lo = max(min(inside, default=0.0), 0.0)
    hi = min(max(inside, default=0.0), width)
    if not inside or hi - lo <= EPS or hi <= EPS or lo >= width - EPS:
        return None
    side = 2 if lo <= EPS and hi >= width - EPS else (0 if lo <= EPS else 1 if hi >= width - EPS else 2)
    return Intrusion(hi - lo, width, side)


def _centre3(cut: Cutout) -> tuple[tuple[float, float, float], tuple[float, float, float]] | None:
    """The cut-out's centre on the model (its points' box middle) and the box's size."""
    if not cut.points3:
        return None
    lo = [min(p[i] for p in cut.points3) for i in range(3)]
    hi = [max(p[i] for p in cut.points3) for i in range(3)]
    return tuple((a + b) / 2 for a, b in zip(lo, hi)), tuple(b - a for a, b in zip(lo, hi))  # type: ignore[return-value]


def feature_of(part: Part, cut: Cutout) -> tuple[Feature, int] | None:
    """The spec feature (and which of its locations) the cut-out is, by its centre on the model."""
    found = _centre3(cut)
    if found is None:
        return None
    centre, size = found
    best = None
    for feature in part.features:
        for i, pos in enumerate(feature.locations):
            given = {a: float(getattr(pos, a).nominal_mm) for a in AXES if getattr(pos, a) is not None}
            if feature.axis is not None:
                given.pop(feature.axis, None)
            elif len(given) == 3:  # the coordinate across the sheet is where the skin is, not the hole
                given.pop(AXES[min(range(3), key=lambda k: size[k])])
            if len(given) < 2:
                continue
            off = max(abs(centre[AXES.index(a)] - v) for a, v in given.items())
            if off <= MATCH_TOL and (best is None or off < best[0]):
                best = (off, feature, i)
    return None if best is None else (best[1], best[2])


def where_in_spec(part: Part, cut: Cutout, fallback):
    """(the location to report, ' (feature <id>)' or '') for a cut-out."""
    hit = feature_of(part, cut)
    if hit is None:
        return fallback, ""
    feature, i = hit
    loc = feature.loc("locations", i) if len(feature.locations) > 1 else feature.loc()
    name = f"{feature.id}" + (f" #{i + 1}" if len(feature.locations) > 1 else "")
    return loc or fallback, f" ({name})"


def cutouts(flat: FlatPattern) -> list[Cutout]:
    return flat.cutouts()
