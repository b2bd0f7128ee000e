"""Sections through an internal feature's axis (ISO 128-40/-44/-50): where a hole's floor, a counterbore's floor or
an internal groove would otherwise only show as hidden lines, the part is cut on the plane through the feature's
axis, parallel to the main view that shows that axis, and the feature's depths and internal sizes are dimensioned
on the cut (where its edges are visible).

This module decides which cuts a part needs (:func:`plan_cuts`) before the geometry worker is asked for them: a
cut is a :class:`~techpack.geometry.views.Projection` with ``cut`` set, which the worker answers with the
remaining material's visible edges and the cut faces' boundaries (for the hatching).  Features whose axes lie in
one plane share one cut.  The turned part's keyway (a cut square to the axis) stays in :mod:`.section`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..geometry.facts import Cylinder, GeometryFacts
from ..geometry.views import Projection
from ..schema.spec import FeatureType, Part

#: the main views a cut may be parallel to, best first
VIEWS = ("front", "top", "side")


@dataclass(frozen=True)
class CutPlan:
    """One section through the axes of ``features``, seen as the main view ``parallel_to`` is."""

    features: tuple[str, ...]
    parallel_to: str
    axis: int  # the model axis square to the cutting plane
    station: float  # where the plane crosses it
    projection: Projection
    feature_axis: int = 2  # the axis of the features it cuts (lies in the plane)


def _axis(c: Cylinder) -> int | None:
    return next((i for i in range(3) if abs(abs(c.axis_dir[i]) - 1) < 1e-6), None)


def _on_boundary(facts: GeometryFacts, axis: int, value: float) -> bool:
    return min(abs(value - facts.bbox_min[axis]), abs(value - facts.bbox_max[axis])) < 1e-3


def _blind(c: Cylinder, facts: GeometryFacts, axis: int) -> bool:
    """A bore with a floor: one of its ends lies inside the part's bounding box."""
    ends = (c.axis_origin[axis], c.axis_end[axis])
    return not all(_on_boundary(facts, axis, e) for e in ends)


def needs_cut(f, fm, facts: GeometryFacts) -> Cylinder | None:
    """The cylinder of ``f`` to cut through when one of its sizes would only be seen as hidden lines: a blind hole
    or bore's depth, a counterbore's depth, an internal groove; else None."""
    cyls = [c for c in (fm.cylinders if fm is not None else []) if c is not None and c.internal]
    if not cyls or f.thread:
        return None
    c = cyls[0]
    axis = _axis(c)
    if axis is None:
        return None
    depth = f.depth is not None and not isinstance(f.depth, str) and _blind(c, facts, axis)
    groove = f.type is FeatureType.groove
    if depth or f.counterbore is not None or groove:
        return c
    return None


def plan_cuts(part: Part, match, facts: GeometryFacts | None, projections: list[Projection],
              first_angle: bool) -> list[CutPlan]:
    """The cuts ``part`` needs, in the order of its features (one per plane)."""
    if facts is None or match is None:
        return []
    by_name = {p.name: p for p in projections}
    main = {"front": by_name.get("front"), "top": by_name.get("top"),
            "side": by_name.get("left" if first_angle else "right")}
    planes: dict[tuple, list[str]] = {}
    axes: dict[tuple, int] = {}
    order: list[tuple] = []
    for f in part.features:
        c = needs_cut(f, match.features.get(f.id), facts)
        if c is None:
            continue
        axis = _axis(c)
        for key in VIEWS:
            p = main.get(key)
            if p is None or abs(p.normal[axis]) > 1e-9:
                continue
            normal_axis = next(i for i in range(3) if abs(abs(p.normal[i]) - 1) < 1e-9)
            station = round(c.axis_origin[normal_axis], 6) + 0.0
            k = (key, normal_axis, station)
            if k not in planes:
                planes[k] = []
                order.append(k)
                axes[k] = axis
            planes[k].append(f.id)
            break
    out = []
    for n, (key, normal_axis, station) in enumerate(order):
        p = main[key]
        point = [0.0, 0.0, 0.0]
        point[normal_axis] = station
        out.append(CutPlan(tuple(planes[(key, normal_axis, station)]), key, normal_axis, station,
                           Projection(f"cut-{n + 1}", p.normal, p.xdir, hidden=False, cut=tuple(point)),
                           axes[(key, normal_axis, station)]))
    return out


__all__ = ["CutPlan", "needs_cut", "plan_cuts"]
