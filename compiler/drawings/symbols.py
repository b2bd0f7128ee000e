"""Drawing symbols as plain geometry (lines, arcs, filled polygons), so every DXF reader shows them.

GD&T characteristic symbols (ISO 1101 / ASME Y14.5), the material-condition
circle, the depth symbol, arrowheads, datum triangles, the surface texture
symbol (ISO 1302 / ASME Y14.36), balloons and the projection-method symbol
(ISO 5456-2).  Every function draws at a given origin and returns primitives.
"""

from __future__ import annotations

import math

from ..schema.spec import GdtCharacteristic as G
from .model import Arc, Line, Polyline, Text
from .text import text_width

H = 2.5  # annotation text height (mm)
FH = 5.0  # feature control frame height
ARROW = 2.5  # arrowhead length
BALLOON_H = 2.5  # balloon text height (ISO 3098)
BALLOON_R = 2.0  # balloon end radius
#: how far the text runs into each rounded end: its cap-height corners stay 0.35 mm inside the arcs
BALLOON_INSET = ((BALLOON_R - 0.35) ** 2 - (BALLOON_H / 2) ** 2) ** 0.5

L = "ANNOTATION"


def arrowhead(x: float, y: float, dx: float, dy: float, layer: str = "DIMENSIONS") -> Polyline:
    """A filled 30° arrowhead with its tip at (x, y), pointing along (dx, dy)."""
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    half = ARROW * math.tan(math.radians(15))
    bx, by = x - ux * ARROW, y - uy * ARROW
    return Polyline(layer, ((x, y), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)),
                    closed=True, filled=True)


def datum_triangle(x: float, y: float, dx: float, dy: float, layer: str = L) -> Polyline:
    """A filled datum triangle with its base centred on (x, y), pointing away along (dx, dy)."""
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    half, tall = 1.6, 2.6
    return Polyline(layer, ((x - uy * half, y + ux * half), (x + uy * half, y - ux * half),
                            (x + ux * tall, y + uy * tall)), closed=True, filled=True)


def _seg(cx: float, cy: float, s: float, pts) -> list:
    return [Line(L, cx + s * a, cy + s * b, cx + s * c, cy + s * d) for a, b, c, d in pts]


def _arrow_line(cx, cy, s, x1, y1, x2, y2) -> list:
    """A line with an open arrowhead at (x2, y2), in symbol units."""
    out = _seg(cx, cy, s, [(x1, y1, x2, y2)])
    ang = math.atan2(y2 - y1, x2 - x1)
    for da in (math.radians(150), math.radians(-150)):
        out += _seg(cx, cy, s, [(x2, y2, x2 + 0.32 * math.cos(ang + da), y2 + 0.32 * math.sin(ang + da))])
    return out


def gdt_symbol(ch: G, cx: float, cy: float, size: float = 3.2) -> list:
    """The characteristic symbol centred on (cx, cy), ``size`` mm across."""
    s = size
    t60 = math.tan(math.radians(60))
    if ch is G.straightness:
        return _seg(cx, cy, s, [(-0.5, 0, 0.5, 0)])
    if ch is G.flatness:
        pts = [(-0.5, -0.22), (0.25, -0.22), (0.5, 0.22), (-0.25, 0.22)]
        return [Polyline(L, tuple((cx + s * a, cy + s * b) for a, b in pts), closed=True)]
    if ch is G.circularity:
        return [Arc(L, cx, cy, 0.45 * s)]
    if ch is G.cylindricity:
        r = 0.32 * s
        out: list = [Arc(L, cx, cy, r)]
        ang = math.radians(60)
        ox, oy = math.sin(ang) * r, -math.cos(ang) * r  # tangent offsets, lines at 60°
        for k in (1, -1):
            px, py = cx + k * ox, cy + k * oy
            dx, dy = math.cos(ang) * 0.5 * s, math.sin(ang) * 0.5 * s
            out.append(Line(L, px - dx, py - dy, px + dx, py + dy))
        return out
    if ch is G.profile_line:
        return [Arc(L, cx, cy - 0.2 * s, 0.45 * s, 0, 180)]
    if ch is G.profile_surface:
        return [Arc(L, cx, cy - 0.2 * s, 0.45 * s, 0, 180), Line(L, cx - 0.45 * s, cy - 0.2 * s, cx + 0.45 * s, cy - 0.2 * s)]
    if ch is G.perpendicularity:
        return _seg(cx, cy, s, [(-0.45, -0.4, 0.45, -0.4), (0, -0.4, 0, 0.45)])
    if ch is G.parallelism:
        d = 0.45 / t60
        return _seg(cx, cy, s, [(-0.3 - d, -0.45, -0.3 + d + 0.12, 0.45), (0.1 - d, -0.45, 0.1 + d + 0.12, 0.45)])
    if ch is G.angularity:
        return _seg(cx, cy, s, [(-0.45, -0.4, 0.45, -0.4), (-0.45, -0.4, 0.45, 0.12)])
    if ch is G.position:
        return [Arc(L, cx, cy, 0.3 * s)] + _seg(cx, cy, s, [(-0.5, 0, 0.5, 0), (0, -0.5, 0, 0.5)])
    if ch in (G.concentricity, G.coaxiality):
        return [Arc(L, cx, cy, 0.45 * s), Arc(L, cx, cy, 0.22 * s)]
    if ch is G.symmetry:
        return _seg(cx, cy, s, [(-0.5, 0, 0.5, 0), (-0.3, 0.3, 0.3, 0.3), (-0.3, -0.3, 0.3, -0.3)])
    if ch is G.circular_runout:
        return _arrow_line(cx, cy, s, -0.35, -0.45, 0.3, 0.45)
    if ch is G.total_runout:
        return (_arrow_line(cx, cy, s, -0.45, -0.45, 0.05, 0.45) + _arrow_line(cx, cy, s, 0.05, -0.45, 0.55, 0.45)
                + _seg(cx, cy, s, [(-0.45, -0.45, 0.05, -0.45)]))
    raise ValueError(f"no symbol for {ch}")  # pragma: no cover - every member is covered


def modifier(letter: str, x: float, cy: float) -> tuple[list, float]:
    """A circled M or L (Ⓜ Ⓛ) with its left edge at ``x``; returns (primitives, width)."""
    r = 1.8
    return [Arc(L, x + r, cy, r), Text(L, x + r, cy, H, letter, "center", "middle")], 2 * r


def extent_symbol(x: float, y: float, extent: str, layer: str = "ANNOTATION") -> list:
    """All around (one circle) or all over (two concentric circles, ASME Y14.5-2018) at a leader's elbow."""
    r = 0.75 * H
    out: list = [Arc(layer, x, y, r)]
    if extent == "all-over":
        out.append(Arc(layer, x, y, r + 0.5))
    return out


def depth_symbol(x: float, y: float, h: float = H) -> tuple[list, float]:
    """The depth symbol ↧ standing on (x, y); returns (primitives, width)."""
    w = 0.6 * h
    cx = x + w / 2
    out = [Line(L, cx, y, cx, y + h), Line(L, x, y, x + w, y)]
    out += [Line(L, cx, y, cx - 0.35 * h, y + 0.5 * h), Line(L, cx, y, cx + 0.35 * h, y + 0.5 * h)]
    return out, w


def balloon(cid: str, x: float, cy: float) -> tuple[list, float]:
    """A balloon (obround) carrying a characteristic ID, left end at ``x``; returns (primitives, width)."""
    r = BALLOON_R
    tw = text_width(cid, BALLOON_H)
    w = tw + 2 * (r - BALLOON_INSET)
    x0, x1 = x + r, x + w - r
    prims = [Arc("BALLOONS", x0, cy, r, 90, 270), Arc("BALLOONS", x1, cy, r, 270, 90),
             Line("BALLOONS", x0, cy + r, x1, cy + r), Line("BALLOONS", x0, cy - r, x1, cy - r),
             Text("BALLOONS", x + w / 2, cy, BALLOON_H, cid, "center", "middle")]
    return prims, w


def roughness_symbol(x: float, y: float, ra: str, process: str | None, lay: str | None) -> tuple[list, float, float]:
    """ISO 1302 surface texture symbol, material removal required, vertex at (x, y).

    ``ra`` (e.g. ``Ra 0.8``) sits under the extended long leg, ``process`` above it and
    ``lay`` right of the vertex.  Returns (primitives, width, height) with the
    symbol's box starting at ``x - short leg``.
    """
    h1, h2 = 1.4 * H, 3.0 * H
    t60 = math.tan(math.radians(60))
    sx = h1 / t60
    lx = h2 / t60
    tw = max(text_width(ra, H), text_width(process or "", H)) + 1.0
    out = [Line(L, x, y, x - sx, y + h1), Line(L, x, y, x + lx, y + h2), Line(L, x - sx, y + h1, x + h1 / t60, y + h1),
           Line(L, x + lx, y + h2, x + lx + tw, y + h2),
           Text(L, x + lx + 0.5, y + h2 - 0.8 - H, H, ra)]
    height = h2
    if process:
        out.append(Text(L, x + lx + 0.5, y + h2 + 0.8, H, process))
        height = h2 + 0.8 + 1.2 * H
    width = sx + lx + tw
    if lay:
        out.append(Text(L, x + h1 / t60 + 0.8, y + 0.2, H, lay))
    return out, width, height


def projection_symbol(x: float, y: float, first_angle: bool, size: float = 8.0) -> tuple[list, float]:
    """ISO 5456-2 projection-method symbol with its lower left at (x, y); returns (primitives, width).

    The cone's elevation has its small end on the left.  First angle puts the view
    from the left (two circles) right of it; third angle puts it on the left.
    """
    big, small, length, gap = size, size / 2, size, size * 0.6
    cy = y + big / 2
    out: list = []

    def cone(x0: float) -> None:
        out.extend([Line(L, x0, cy - small / 2, x0, cy + small / 2), Line(L, x0 + length, cy - big / 2, x0 + length, cy + big / 2),
                    Line(L, x0, cy + small / 2, x0 + length, cy + big / 2), Line(L, x0, cy - small / 2, x0 + length, cy - big / 2)])

    def circles(x0: float) -> None:
        out.extend([Arc(L, x0 + big / 2, cy, big / 2), Arc(L, x0 + big / 2, cy, small / 2)])

    if first_angle:
        cone(x)
        circles(x + length + gap)
    else:
        circles(x)
        cone(x + big + gap)
    total = length + gap + big
    out.append(Line("CENTER", x - 1.5, cy, x + total + 1.5, cy))
    return out, total
