"""Features beyond plain cylinders and plane pairs: what the model must show for each, or what it shows instead.

* a counterbore (⌴): an internal cylinder on the hole's axis, of its diameter, as deep as stated;
* a countersink (⌵): an internal cone on the hole's axis, of its included angle and diameter at the face;
* a full-radius slot: its length runs over the two end arcs (internal cylinders of half its width whose
  axes lie along the slot), its width between the flats;
* a chamfer: see :mod:`techpack.geometry.chamfers` (an internal cone on a hole's axis is a countersink);
* an undercut or thread relief (``groove`` sized as a diameter): an external cylinder of that diameter, as
  long as its ``length``.

Each function returns problems as ``(message, Location | None)`` like :mod:`techpack.geometry.match`.
"""

from __future__ import annotations

import math

from ..schema.quantities import Dim
from ..schema.spec import Feature
from .bind import axis_index as _axis_index
from .bind import fmt as _fmt
from .bind import within as _within
from .facts import Cylinder, GeometryFacts

TOL = 1e-3
AXES = "xyz"


def _coaxial(a_origin, a_dir, b_origin, b_dir) -> bool:
    cross = (a_dir[1] * b_dir[2] - a_dir[2] * b_dir[1], a_dir[2] * b_dir[0] - a_dir[0] * b_dir[2],
             a_dir[0] * b_dir[1] - a_dir[1] * b_dir[0])
    if math.hypot(*cross) > 1e-6:
        return False
    off = [b_origin[i] - a_origin[i] for i in range(3)]
    t = sum(off[i] * a_dir[i] for i in range(3))
    return math.dist(off, [a_dir[i] * t for i in range(3)]) <= TOL


def counterbore(feature: Feature, hole: Cylinder, facts: GeometryFacts) -> str | None:
    """Why the counterbore of ``feature`` is not on ``hole``'s axis, or None when it is."""
    cb = feature.counterbore
    if cb is None:
        return None
    on_axis = [c for c in facts.cylinders if c.internal and c is not hole
               and _coaxial(hole.axis_origin, hole.axis_dir, c.axis_origin, c.axis_dir) and c.radius > hole.radius]
    for c in on_axis:
        if _within(2 * c.radius, cb.size) and _within(c.length, cb.depth):
            return None
    found = ", ".join(f"Ø{_fmt(2 * c.radius)} {_fmt(c.length)} deep" for c in on_axis) or "none"
    return (f"{feature.id}: no counterbore {cb.size.text} {cb.depth.text} deep on the hole's axis "
            f"(counterbores there: {found})")


def countersink(feature: Feature, hole: Cylinder, facts: GeometryFacts) -> str | None:
    """Why the countersink of ``feature`` is not on ``hole``'s axis, or None when it is."""
    cs = feature.countersink
    if cs is None or not cs.angle.is_angle:
        return None
    on_axis = [k for k in facts.cones if k.internal
               and _coaxial(hole.axis_origin, hole.axis_dir, k.axis_origin, k.axis_dir)]
    for k in on_axis:
        if _within(2 * max(k.radius_start, k.radius_end), cs.size) and _within(2 * k.half_angle, cs.angle):
            return None
    found = ", ".join(f"Ø{_fmt(2 * max(k.radius_start, k.radius_end))} {_fmt(2 * k.half_angle)}°"
                      for k in on_axis) or "none"
    return (f"{feature.id}: no countersink {cs.size.text} × {cs.angle.text} on the hole's axis "
            f"(countersinks there: {found})")


def arc_length(facts: GeometryFacts, width_axis: int, lo: float, hi: float,
               length: Dim) -> tuple[int, float, float] | None:
    """A full-radius slot's length over its end arcs: (axis, lo, hi) or None.

    The arcs are internal cylinders of radius (hi - lo) / 2, centred between the flats, whose axes run
    across both the width and the length; the length is the distance between their axes plus the width.
    """
    r = (hi - lo) / 2
    mid = (lo + hi) / 2
    arcs = [c for c in facts.cylinders if c.internal and abs(c.radius - r) <= TOL
            and (a := _axis_index(c.axis_dir)) is not None and a != width_axis
            and abs(c.axis_origin[width_axis] - mid) <= TOL]
    found = []
    for i, c in enumerate(arcs):
        ax = _axis_index(c.axis_dir)
        for d in arcs[i + 1:]:
            if _axis_index(d.axis_dir) != ax:
                continue
            along = [k for k in range(3) if k not in (ax, width_axis)][0]
            if abs(c.axis_origin[ax] - d.axis_origin[ax]) > max(c.length, d.length):
                continue  # not in the same plate
            a, b = sorted((c.axis_origin[along], d.axis_origin[along]))
            if _within(b - a + 2 * r, length):
                found.append((along, round(a - r, 6), round(b + r, 6)))
    return min(found) if found else None


def undercut(feature: Feature, facts: GeometryFacts) -> tuple[Cylinder | None, str | None]:
    """An undercut or thread relief (a ``groove`` sized Ø): a cylinder of that diameter and length, external on a
    shaft or internal in a bore (a groove for a retaining ring)."""
    size = feature.size
    axis = AXES.index(feature.axis) if feature.axis else None
    side = sorted((c for c in facts.cylinders if axis is None or _axis_index(c.axis_dir) == axis),
                  key=lambda c: c.internal)  # a shaft's undercut first, as before internal grooves were found
    sized = [c for c in side if _within(2 * c.radius, size)]
    if feature.length is not None:
        fit = [c for c in sized if _within(c.length, feature.length)]
    else:
        fit = sized
    if fit:
        return fit[0], None
    if sized:
        c = sized[0]
        return None, (f"{feature.id}: the model's Ø{_fmt(2 * c.radius)} relief is {_fmt(c.length)} long, "
                      f"the spec says {feature.length.text}")
    have = sorted({f"Ø{_fmt(2 * c.radius)}" for c in side})
    return None, (f"{feature.id}: the model has no undercut {size.text}"
                  + (f" (its turned diameters are {', '.join(have)})" if have else ""))


__all__ = ["arc_length", "counterbore", "countersink", "undercut"]
