"""Removed sections (ISO 128-44): where an internal feature's size would otherwise be dimensioned to
hidden lines, the cut face is drawn beside the views, hatched (ISO 128-50), and the cutting plane is
marked on the main view with its arrows and letters.

Two kinds: a turned part cut square to its axis through a keyway, groove or slot that runs along the
axis (the shaft's keyway depth), built here from the geometry facts; and a cut through an internal
feature's axis (:mod:`.cuts`: blind holes, counterbores, internal grooves), whose edges and cut faces
the geometry worker projects (:func:`cut_section`).  Letters run A, B, C… without I, O, Q.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..geometry.facts import GeometryFacts
from ..geometry.match import SLOT_TYPES
from ..geometry.views import Edge, ProjectedView
from ..schema.spec import Part
from .model import Box, Hatch, Line, Text
from .symbols import arrowhead
from .views import CENTRE_OVERSHOOT, SheetView

LETTER_H = 5.0  # section letters (ISO 3098: a size larger than the dimensions)
STROKE = 5.0  # thick ends of the cutting-plane line
OVER = 4.0  # the cutting-plane line runs this far past the outline
ARROW_LEN = 7.0


LETTERS = "ABCDEFGHJKLMNPRTUVWXYZ"  # section letters: not I, O, Q (nor S, as ASME Y14.3 also avoids)


@dataclass
class Section:
    letter: str
    feature: str  # the feature it shows (the first, when it shows several)
    axis: int  # the model axis square to the cutting plane
    station: float  # where along it
    view: SheetView
    features: tuple[str, ...] = ()  # every feature it is drawn for
    feature_axis: int | None = None  # a cut through features' axes: the axis they share (seen end-on, it is marked)

    @property
    def key(self) -> str:
        """The section's view key on the sheet: ``section`` for the first, ``section-B`` … for the others."""
        return "section" if self.letter == LETTERS[0] else f"section-{self.letter}"


def is_section(key: str) -> bool:
    return key == "section" or key.startswith("section-")


def cut_section(letter: str, plan, pv, facts: GeometryFacts, scale: float) -> Section:
    """The section of a :class:`~techpack.drawings.cuts.CutPlan` from its projected view ``pv``: the material
    behind the plane, centre lines of the cylinders cut through their axes, the cut faces hatched."""
    k = plan.axis

    def cut_through(c) -> bool:  # its axis in the plane (a centre line), or square to it and crossing it (a mark)
        if abs(c.axis_dir[k]) < 1e-9:
            return abs(c.axis_origin[k] - plan.station) < 1e-6
        lo, hi = sorted((c.axis_origin[k], c.axis_end[k]))
        return abs(abs(c.axis_dir[k]) - 1) < 1e-9 and lo + 1e-6 < plan.station < hi - 1e-6

    cut = [c for c in facts.cylinders if cut_through(c)]
    v = SheetView("section", plan.projection, pv, scale, shows=plan.features)
    v.build(tuple(cut), centre_lines=True)
    w, h = v.width, v.height
    spacing = 2.0 if max(w, h) < 40 else 3.0
    loops = tuple(tuple(v.local(x, y) for x, y in loop) for loop in pv.cut_loops)
    v.primitives.insert(0, Hatch("HATCH", loops, 45.0, spacing))
    return Section(letter, plan.features[0], plan.axis, plan.station, v, plan.features, plan.feature_axis)


def _notch(facts: GeometryFacts, sl, axis: int, radius: float):
    """(across axis, lo, hi, depth axis, bottom coordinate, opening direction) of a slot's notch, or None."""
    depth_axis = next(i for i in range(3) if i not in (axis, sl.axis))
    for p in facts.planes:
        if abs(abs(p.normal[depth_axis]) - 1) > 1e-6:
            continue
        if not (sl.lo - 1e-3 <= p.origin[sl.axis] <= sl.hi + 1e-3):
            continue
        if not (sl.length_lo - 1e-3 <= p.origin[axis] <= sl.length_hi + 1e-3):
            continue
        up = 1 if p.normal[depth_axis] > 0 else -1
        bottom = p.origin[depth_axis]
        if abs(bottom) < radius:
            return sl.axis, sl.lo, sl.hi, depth_axis, bottom, up
    return None


def _outer_radius(facts: GeometryFacts, axis: int, station: float) -> float | None:
    found = [c.radius for c in facts.cylinders if not c.internal and abs(abs(c.axis_dir[axis]) - 1) < 1e-6
             and c.axis_origin[axis] - 1e-6 <= station <= c.axis_origin[axis] + c.length + 1e-6]
    return max(found) if found else None


def sections(part: Part, match, facts: GeometryFacts | None, views: dict[str, SheetView],
             turned: int | None, scale: float) -> list[Section]:
    """The removed sections ``part`` needs: one per slot along a turned part's axis that has a depth."""
    if facts is None or match is None or turned is None or "side" not in views:
        return []
    out: list[Section] = []
    for f in part.features:
        fm = match.features.get(f.id)
        sl = fm.slot if fm is not None else None
        if f.type not in SLOT_TYPES or sl is None or f.depth is None or sl.length_axis != turned:
            continue
        station = (sl.length_lo + sl.length_hi) / 2
        radius = _outer_radius(facts, turned, station)
        notch = _notch(facts, sl, turned, radius) if radius else None
        if notch is None:
            continue
        letter = LETTERS[len(out)]
        proj = views["side"].projection
        out.append(Section(letter, f.id, turned, station, _section_view(proj, turned, station, radius, notch, scale),
                           (f.id,)))
    return out


def _section_view(proj, axis: int, station: float, radius: float, notch, scale: float) -> SheetView:
    across, lo, hi, depth_axis, bottom, up = notch

    def to_view(a_val: float, d_val: float) -> tuple[float, float]:
        p = [0.0, 0.0, 0.0]
        p[axis], p[across], p[depth_axis] = station, a_val, d_val
        return proj.to_view(tuple(p))

    def at(r: float, ang: float):
        return (r * math.cos(math.radians(ang)), r * math.sin(math.radians(ang)))

    corners = [(v, up * math.sqrt(max(0.0, radius * radius - v * v))) for v in (lo, hi)]
    c2 = [to_view(a, d) for a, d in corners]
    b2 = [to_view(a, bottom) for a in (lo, hi)]
    centre = to_view(0.0, 0.0)
    mid = to_view(0.0, up * radius)
    angles = [math.degrees(math.atan2(p[1] - centre[1], p[0] - centre[0])) % 360.0 for p in c2]
    mid_ang = math.degrees(math.atan2(mid[1] - centre[1], mid[0] - centre[0])) % 360.0
    a0, a1 = angles
    if (mid_ang - a0) % 360.0 < (a1 - a0) % 360.0:  # the arc from a0 to a1 would cross the notch
        a0, a1 = a1, a0
    edges = (Edge("arc", True, centre=centre, radius=radius, angles=(round(a0, 6), round(a1, 6))),
             Edge("line", True, points=(c2[0], b2[0])), Edge("line", True, points=(b2[0], b2[1])),
             Edge("line", True, points=(b2[1], c2[1])))
    v = SheetView("section", proj, ProjectedView("section", edges), scale)
    v.build(None, centre_lines=False)
    # the hatched cut face: the arc sampled, then the notch
    span = (a1 - a0) % 360.0
    n = max(8, int(span / 5))
    loop = [v.local(centre[0] + radius * math.cos(math.radians(a0 + span * k / n)),
                    centre[1] + radius * math.sin(math.radians(a0 + span * k / n))) for k in range(n + 1)]
    # after the arc's end (at a1) the outline runs down the notch side and along its bottom to the start
    first, last = v.local(*c2[0]), v.local(*c2[1])
    end_pt = loop[-1]
    near_last = math.dist(end_pt, last) < math.dist(end_pt, first)
    bottoms = [v.local(*b2[1]), v.local(*b2[0])] if near_last else [v.local(*b2[0]), v.local(*b2[1])]
    loop += bottoms
    size = 2 * radius * scale
    v.primitives.append(Hatch("HATCH", (tuple(loop),), 45.0, 2.0 if size < 40 else 3.0))
    cx, cy = v.local(*centre)
    r = radius * scale + CENTRE_OVERSHOOT
    v.primitives += [Line("CENTER", cx - r, cy, cx + r, cy), Line("CENTER", cx, cy - r, cx, cy + r)]
    return v


def cutting_plane(sec: Section, v: SheetView) -> tuple[list, list[Box], list]:
    """The cutting plane on view ``v`` (the axis lies in it): line, thick ends, arrows, letters.

    Returns (primitives, readable boxes, segments) in ``v``'s local coordinates.
    """
    which, _sign = v.axis_in_view(sec.axis)
    at = v.coord(sec.axis, sec.station)
    # the viewing direction: the section's viewer looks along −normal; where that points on this view
    n = sec.view.projection.normal
    look = v.projection.to_view((-n[0], -n[1], -n[2]))
    box = v.box
    prims: list = []
    boxes: list[Box] = []
    segs: list = []
    if which == "x":
        lo, hi = box.y0 - OVER, box.y1 + OVER
        prims.append(Line("CUTTING", at, lo + STROKE, at, hi - STROKE))
        ends = [((at, lo), (at, lo + STROKE)), ((at, hi), (at, hi - STROKE))]
        d = (1.0 if look[0] > 0 else -1.0, 0.0)
    else:
        lo, hi = box.x0 - OVER, box.x1 + OVER
        prims.append(Line("CUTTING", lo + STROKE, at, hi - STROKE, at))
        ends = [((lo, at), (lo + STROKE, at)), ((hi, at), (hi - STROKE, at))]
        d = (0.0, 1.0 if look[1] > 0 else -1.0)
    for (ex, ey), (ix, iy) in ends:
        prims.append(Line("VISIBLE", ex, ey, ix, iy))
        tip = (ex + d[0] * ARROW_LEN, ey + d[1] * ARROW_LEN)
        prims += [Line("VISIBLE", ex, ey, tip[0], tip[1]), arrowhead(tip[0], tip[1], d[0], d[1], "VISIBLE")]
        t = Text("ANNOTATION", tip[0] + d[0] * 1.5 + (0 if d[0] else 0), tip[1] + d[1] * 1.5,
                 LETTER_H, sec.letter, "left" if d[0] > 0 else ("right" if d[0] < 0 else "center"),
                 "middle" if d[0] else ("bottom" if d[1] > 0 else "top"))
        prims.append(t)
        boxes.append(t.box())
        segs += [(ex, ey, ix, iy), (ex, ey, tip[0], tip[1])]
    segs.append((prims[0].x1, prims[0].y1, prims[0].x2, prims[0].y2))
    return prims, boxes, segs


def label(sec: Section, x: float, y: float, standard: str = "ISO") -> Text:
    """The section's name over it: ``A–A`` (ISO 128-40), ``SECTION A-A`` on an ASME drawing (Y14.3's wording)."""
    text = f"SECTION {sec.letter}-{sec.letter}" if standard == "ASME" else f"{sec.letter}–{sec.letter}"
    return Text("ANNOTATION", x, y, LETTER_H, text, "center", "bottom")


__all__ = ["LETTERS", "Section", "cut_section", "cutting_plane", "is_section", "label", "sections"]
