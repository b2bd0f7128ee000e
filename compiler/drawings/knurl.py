"""Knurls drawn by convention (DIN 82 / ISO 13444 style): narrow continuous lines over part of the knurled surface.

The model holds a knurl as a plain cylinder at its nominal diameter.  In each view that shows
the cylinder from the side, the knurl's pattern is drawn over part of the surface — the whole
knurled length, from the axis to the silhouette on one side — so the reader sees which kind of
knurl it is; the designation (``DIN 82 - RGE 0.8``) stays on its leader.

Directions of the lines, by DIN 82 type (DIN 82:1973 names each type by the knurling roll that
makes it: "roll BL/BR swivelled 30°" for the left- and right-hand knurls, both for RGE/RGV; the
cross-knurl rolls KE/KV cut grooves along and around the axis; read in a public copy of the English
edition, pdfcoffee.com/din-82-1973-eng-knurlspdf-pdf-free.html — medium confidence):

=========  ==============================================  ====================
type       grooves                                          lines on the drawing
=========  ==============================================  ====================
RAA        parallel to the axis                            along the axis
RBL / RBR  left- / right-hand helix, 30° to the axis        one set at ±30°
RGE / RGV  left- and right-hand, crossed ("diamond")        both sets, ±30°
RKE / RKV  cross-knurl: along and around the axis           0° and 90°
=========  ==============================================  ====================

A right-hand helix seen from the side leans like ``\\`` when its axis is horizontal, whichever
side it is seen from: the lines are the axis turned clockwise by 30°; left-hand, anticlockwise.
The lines are as far apart as the pitch on paper, but never closer than :data:`MIN_SPACING`.
"""

from __future__ import annotations

import math

from ..schema.spec import Feature, KnurlPattern
from .model import Hatch
from .threads import _silhouette_visible
from .views import SheetView

LAYER = "THIN"
MIN_SPACING = 1.5  # mm on paper between pattern lines, so that they stay apart in print

#: the directions of a pattern's lines, degrees from the axis (positive: anticlockwise on the sheet)
ANGLES: dict[KnurlPattern, tuple[float, ...]] = {
    KnurlPattern.RAA: (0.0,),
    KnurlPattern.RBL: (30.0,),
    KnurlPattern.RBR: (-30.0,),
    KnurlPattern.RGE: (30.0, -30.0),
    KnurlPattern.RGV: (30.0, -30.0),
    KnurlPattern.RKE: (0.0, 90.0),
    KnurlPattern.RKV: (0.0, 90.0),
}


def knurl_primitives(v: SheetView, feature: Feature, cylinder) -> list[Hatch]:
    """The pattern of ``feature``'s knurl on ``cylinder`` in view ``v`` (empty when not seen from the side)."""
    if feature.knurl is None or cylinder is None or cylinder.internal:
        return []
    n = v.projection.normal
    if abs(sum(cylinder.axis_dir[i] * n[i] for i in range(3))) > 1e-6:
        return []  # an end view or an oblique one: the convention draws the side only
    a, b = v.model(cylinder.axis_origin), v.model(cylinder.axis_end)
    dx, dy = b[0] - a[0], b[1] - a[1]
    ln = math.hypot(dx, dy)
    if ln < 1e-9:
        return []
    px, py = -dy / ln, dx / ln
    r = v.scale * cylinder.radius
    if not _silhouette_visible(v, a, b, (px * r, py * r)):
        return []  # the knurled surface is hidden in this view
    side = 1.0 if py > 1e-9 or (abs(py) <= 1e-9 and px > 0) else -1.0  # the upper (else right) half
    ox, oy = side * px * r, side * py * r
    patch = (a, b, (b[0] + ox, b[1] + oy), (a[0] + ox, a[1] + oy))
    axis_deg = math.degrees(math.atan2(dy, dx))
    spacing = max(MIN_SPACING, v.scale * float(feature.knurl.pitch.base))
    return [Hatch(LAYER, (patch,), round((axis_deg + turn) % 180.0, 6), spacing)
            for turn in ANGLES[feature.knurl.pattern]]


def add_knurls(views: dict[str, SheetView], features: list[Feature], match) -> dict[str, list]:
    """Add every knurl's pattern to ``views`` (in place); returns the hatches per view, for the tests."""
    added: dict[str, list] = {}
    if match is None:
        return added
    for f in features:
        fm = match.features.get(f.id)
        if fm is None or f.knurl is None:
            continue
        for c in dict.fromkeys(c for c in fm.cylinders if c is not None):
            for name, v in views.items():
                if name in ("iso", "section"):
                    continue
                prims = knurl_primitives(v, f, c)
                v.primitives.extend(prims)
                added.setdefault(name, []).extend(prims)
    return added


__all__ = ["ANGLES", "add_knurls", "knurl_primitives"]
