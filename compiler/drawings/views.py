"""Views on the sheet: projected edges at the drawing scale, centre lines, and probes into them.

A :class:`SheetView` holds one projection's edges in *local* paper coordinates:
its geometry box runs from (0, 0) to (``width``, ``height``); the layout moves
the whole view into place at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..geometry.facts import Cylinder, GeometryFacts
from ..geometry.views import Projection, ProjectedView
from .model import Arc, Box, Line, Polyline

CENTRE_OVERSHOOT = 2.5  # mm past the feature, on paper


def _dot(a, b) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@dataclass
class SheetView:
    name: str
    projection: Projection
    source: ProjectedView
    scale: float
    umin: float = 0.0
    vmin: float = 0.0
    width: float = 0.0
    height: float = 0.0
    primitives: list = field(default_factory=list)
    visible_segments: list[tuple[float, float, float, float]] = field(default_factory=list)
    shows: tuple[str, ...] = ()  # a section: the features it is drawn for

    # ------------------------------------------------------------------ coordinates

    def local(self, u: float, v: float) -> tuple[float, float]:
        """Local paper point of a view-frame point (model units)."""
        return (self.scale * (u - self.umin), self.scale * (v - self.vmin))

    def model(self, p: tuple[float, float, float]) -> tuple[float, float]:
        """Local paper point of a model point."""
        return self.local(*self.projection.to_view(p))

    def axis_in_view(self, axis: int) -> tuple[str, int] | None:
        """How model axis ``axis`` shows here: ('x'|'y', sign), or None when it points at the viewer."""
        x, y = self.projection.xdir, self.projection.ydir
        if abs(abs(x[axis]) - 1) < 1e-9:
            return ("x", 1 if x[axis] > 0 else -1)
        if abs(abs(y[axis]) - 1) < 1e-9:
            return ("y", 1 if y[axis] > 0 else -1)
        return None

    def looks_along(self, axis: int) -> bool:
        return abs(abs(self.projection.normal[axis]) - 1) < 1e-9

    def coord(self, axis: int, value: float) -> float:
        """Local paper coordinate (along the view axis showing model ``axis``) of model coordinate ``value``."""
        how = self.axis_in_view(axis)
        if how is None:
            raise ValueError("axis not in this view's plane")
        which, sign = how
        if which == "x":
            return self.scale * (sign * value - self.umin)
        return self.scale * (sign * value - self.vmin)

    @property
    def box(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    # ------------------------------------------------------------------ building

    def build(self, cylinders: tuple[Cylinder, ...] | None = None, centre_lines: bool = True) -> None:
        """Place the edges at the drawing scale; centre lines for ``cylinders`` (whole ones: holes, shafts)."""
        bb = self.source.bbox() or (0.0, 0.0, 1.0, 1.0)
        self.umin, self.vmin = bb[0], bb[1]
        self.width = self.scale * (bb[2] - bb[0])
        self.height = self.scale * (bb[3] - bb[1])
        s = self.scale
        prims: list = []
        for e in self.source.edges:
            layer = "VISIBLE" if e.visible else "HIDDEN"
            if e.kind == "arc":
                cx, cy = self.local(*e.centre)
                prims.append(Arc(layer, cx, cy, s * e.radius, e.angles[0], e.angles[1]))
            else:
                pts = tuple(self.local(*p) for p in e.points)
                if len(pts) == 2:
                    prims.append(Line(layer, pts[0][0], pts[0][1], pts[1][0], pts[1][1]))
                    if e.visible:
                        self.visible_segments.append((pts[0][0], pts[0][1], pts[1][0], pts[1][1]))
                else:
                    prims.append(Polyline(layer, pts))
        if centre_lines and cylinders:
            prims += self._centre_lines(cylinders)
        self.primitives = prims

    def _centre_lines(self, cylinders: tuple[Cylinder, ...]) -> list:
        out: list = []
        seen: set = set()
        n = self.projection.normal
        o = CENTRE_OVERSHOOT
        axial: dict[tuple, list[float]] = {}
        for c in cylinders:
            along = abs(_dot(c.axis_dir, n))
            if along > 0.999:  # seen end-on: a centre mark
                cx, cy = self.model(c.axis_origin)
                r = self.scale * c.radius
                key = (round(cx, 3), round(cy, 3))
                if key in seen:
                    continue
                seen.add(key)
                big = max((self.scale * k.radius for k in cylinders
                           if abs(_dot(k.axis_dir, n)) > 0.999 and
                           (round(self.model(k.axis_origin)[0], 3), round(self.model(k.axis_origin)[1], 3)) == key),
                          default=r)
                out += [Line("CENTER", cx - big - o, cy, cx + big + o, cy), Line("CENTER", cx, cy - big - o, cx, cy + big + o)]
            elif along < 1e-6:  # lying in the view plane: a centre line along the axis
                a = self.model(c.axis_origin)
                b = self.model(c.axis_end)
                d = (b[0] - a[0], b[1] - a[1])
                ln = math.hypot(*d) or 1.0
                ux, uy = d[0] / ln, d[1] / ln
                # group coaxial cylinders into one line
                key = (round(ux, 6), round(uy, 6), round(a[0] * uy - a[1] * ux, 3))
                t0, t1 = a[0] * ux + a[1] * uy, b[0] * ux + b[1] * uy
                span = axial.setdefault(key, [t0, t1, a[0] - ux * t0, a[1] - uy * t0])
                span[0], span[1] = min(span[0], t0), max(span[1], t1)
        for (ux, uy, _k), (t0, t1, px, py) in sorted(axial.items()):
            out.append(Line("CENTER", px + ux * (t0 - o), py + uy * (t0 - o), px + ux * (t1 + o), py + uy * (t1 + o)))
        return out

    # ------------------------------------------------------------------ probes

    def extreme_on(self, along_x: bool, at: float, toward: int, lo: float | None = None,
                   hi: float | None = None) -> float | None:
        """The outermost geometry point on the line x = ``at`` (``along_x``) or y = ``at``.

        ``toward`` -1 gives the smallest other coordinate, +1 the largest; only
        crossings within [lo, hi] count when given.  None when nothing is there.
        """
        hits: list[float] = []
        tol = 1e-3
        for p in self.primitives:
            if p.layer not in ("VISIBLE", "HIDDEN"):
                continue
            if isinstance(p, Line):
                segs = [(p.x1, p.y1, p.x2, p.y2)]
            elif isinstance(p, Polyline):
                segs = [(a[0], a[1], b[0], b[1]) for a, b in zip(p.points, p.points[1:])]
            else:
                hits += _arc_hits(p, along_x, at)
                continue
            for x1, y1, x2, y2 in segs:
                if not along_x:  # swap roles: probing a horizontal line y = at
                    x1, y1, x2, y2 = y1, x1, y2, x2
                if abs(x1 - at) < tol and abs(x2 - at) < tol:
                    hits += [y1, y2]
                elif min(x1, x2) - tol <= at <= max(x1, x2) + tol and abs(x2 - x1) > tol:
                    hits.append(y1 + (y2 - y1) * (at - x1) / (x2 - x1))
        if lo is not None:
            hits = [h for h in hits if lo - tol <= h <= (hi if hi is not None else h) + tol]
        if not hits:
            return None
        return max(hits) if toward > 0 else min(hits)

    def visible_line_at(self, along_x: bool, at: float) -> list[tuple[float, float]]:
        """Visible straight edges lying on x = ``at`` (``along_x``) or y = ``at``: their (start, end) spans."""
        out = []
        for x1, y1, x2, y2 in self.visible_segments:
            if along_x and abs(x1 - at) < 1e-3 and abs(x2 - at) < 1e-3:
                out.append((min(y1, y2), max(y1, y2)))
            elif not along_x and abs(y1 - at) < 1e-3 and abs(y2 - at) < 1e-3:
                out.append((min(x1, x2), max(x1, x2)))
        return sorted(out)

    def shows_visibly(self, along_x: bool, at: float) -> bool:
        """Whether a visible edge marks x = ``at`` (``along_x``) or y = ``at``: an edge lying on that line, or a
        visible circle centred on it (a hole seen end-on: its centre line is a dimension's end)."""
        if self.visible_line_at(along_x, at):
            return True
        for p in self.primitives:
            if isinstance(p, Arc) and p.layer == "VISIBLE" and p.full:
                c = p.cx if along_x else p.cy
                if abs(c - at) < 1e-3:
                    return True
        return False

    def visible_edge_key(self) -> tuple:
        """The visible edges, for telling two views apart."""
        return tuple(sorted((e.kind, e.points, e.centre, e.radius, e.angles)
                            for e in self.source.edges if e.visible))


def whole_cylinders(facts: GeometryFacts, projected: dict[str, ProjectedView],
                    projections: list[Projection]) -> tuple[Cylinder, ...]:
    """The cylinders that are whole round (a hole, a shaft), not a fillet's quarter: seen end-on, a full circle."""
    out = []
    for c in facts.cylinders:
        for p in projections:
            if abs(abs(_dot(c.axis_dir, p.normal)) - 1) > 1e-6 or p.name not in projected:
                continue
            u, v = p.to_view(c.axis_origin)
            if any(e.is_circle and abs(e.radius - c.radius) < 1e-3 and abs(e.centre[0] - u) < 1e-3
                   and abs(e.centre[1] - v) < 1e-3 for e in projected[p.name].edges):
                out.append(c)
                break
    return tuple(out)


def _arc_hits(a: Arc, along_x: bool, at: float) -> list[float]:
    d = (at - a.cx) if along_x else (at - a.cy)
    if abs(d) > a.r:
        return []
    h = math.sqrt(max(0.0, a.r * a.r - d * d))
    out = []
    for sgn in (1, -1):
        if along_x:
            x, y = at, a.cy + sgn * h
        else:
            x, y = a.cx + sgn * h, at
        ang = math.degrees(math.atan2(y - a.cy, x - a.cx)) % 360.0
        span = (a.a1 - a.a0) % 360.0 or 360.0
        if (ang - a.a0) % 360.0 <= span + 1e-6:
            out.append(y if along_x else x)
    return out
