"""The chamfers of a model, with their legs and angles, and which of them a spec chamfer is.

A chamfer is written by its leg and its angle (``C1`` = ``1 × 45°``, ``0.5 × 30°``):

* on a round edge it is a cone: the leg is its length along the axis and the angle its half angle (from the
  axis).  An external cone is a chamfer; an internal cone on a hole's axis is that hole's countersink (a chamfer
  on a hole's edge is given as the hole's ``countersink:``, see :mod:`techpack.geometry.recognise`), so an
  internal cone is a chamfer only where no hole is on its axis;
* on a prismatic edge it is a face inclined between two model axes: its extent along them is its two legs; the
  angle is measured from the face the leg runs along, so ``0.5 × 30°`` fits a face 0.5 along one axis and
  0.5·tan 30° along the other, either way round.

The spec names the edge with ``locations`` (each entry a point of the sharp edge the chamfer replaced: for a
round edge its axis across and the end face along it, ``{z: 28}``; for a prismatic edge its two coordinates,
``{y: 0, z: 10}``), else it must be the only chamfer of its size (or ``count`` of them).  Never a silent pick:
several chamfers of the size and no location is TP130, each listed with the ``locations`` entry that picks it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..schema.quantities import Dim
from ..schema.spec import Feature
from .bind import axis_index, fmt, within
from .facts import Cone, GeometryFacts, Plane

AXES = "xyz"
TOL = 1e-3
ANGLE_TOL = 0.05  # degrees: an untoleranced angle is a model angle to this much


@dataclass(frozen=True)
class Chamfer:
    """One chamfer of the model: how it reads as (leg, angle in degrees), and the sharp edge it replaced."""

    readings: tuple[tuple[float, float], ...]  # (leg, angle from the leg's axis or face), one or two ways round
    edge: tuple[tuple[str, float], ...]  # the sharp edge's coordinates, e.g. (("x", 0), ("y", 0), ("z", 28))
    where: str  # in words

    def text(self) -> str:
        leg, angle = self.readings[0]
        return f"{fmt(leg)} × {fmt(round(angle, 2))}° {self.where}"


def _from_cone(k: Cone) -> Chamfer | None:
    ax = axis_index(k.axis_dir)
    if ax is None:
        return None
    a = AXES[ax]
    # the sharp edge: at the small end of an external cone (the end face), the large end of an internal one
    small_first = k.radius_start <= k.radius_end
    at_start = small_first != k.internal
    along = k.axis_origin[ax] + (0.0 if at_start else k.length)
    big = 2 * max(k.radius_start, k.radius_end)
    cross = tuple((AXES[i], k.axis_origin[i]) for i in range(3) if i != ax)
    where = (f"on the Ø{fmt(big)} {'hole' if k.internal else 'edge'} at {a.upper()} {fmt(along)} "
             f"({', '.join(f'{c.upper()} {fmt(v)}' for c, v in cross)})")
    return Chamfer(((k.length, k.half_angle),), tuple(sorted(cross + ((a, along),))), where)


def _from_plane(p: Plane) -> Chamfer | None:
    """A face inclined between two model axes, with its extent: a chamfer on a prismatic edge."""
    axes = [i for i in range(3) if abs(p.normal[i]) > 1e-6]
    if len(axes) != 2 or p.lo is None or p.hi is None:
        return None
    i, j = axes
    li, lj = p.hi[i] - p.lo[i], p.hi[j] - p.lo[j]
    if li <= TOL or lj <= TOL:
        return None
    # the sharp edge lies where the two faces the chamfer cut met: on the side its normal points to
    ci = p.hi[i] if p.normal[i] > 0 else p.lo[i]
    cj = p.hi[j] if p.normal[j] > 0 else p.lo[j]
    k = 3 - i - j
    readings = ((li, math.degrees(math.atan2(lj, li))), (lj, math.degrees(math.atan2(li, lj))))
    where = (f"on the edge along {AXES[k].upper()} at {AXES[i].upper()} {fmt(ci)}, {AXES[j].upper()} {fmt(cj)}")
    return Chamfer(readings, ((AXES[i], ci), (AXES[j], cj)), where)


def chamfers(facts: GeometryFacts) -> list[Chamfer]:
    """Every chamfer of the model: external cones, internal cones on no hole's axis, inclined faces."""
    out = [c for k in facts.cones if not (k.internal and _hole_of(k, facts)) if (c := _from_cone(k))]
    out += [c for p in facts.planes if (c := _from_plane(p))]
    return out


def countersinks(facts: GeometryFacts) -> list[Cone]:
    """Internal cones on a hole's axis: countersinks (or chamfered hole edges), never a ``chamfer`` feature."""
    return [k for k in facts.cones if k.internal and _hole_of(k, facts) is not None]


def fits(c: Chamfer, leg: Dim, angle: Dim) -> bool:
    return any(within(lg, leg, tol=TOL) and within(an, angle, tol=ANGLE_TOL) for lg, an in c.readings)


def at(c: Chamfer, given: dict[str, float]) -> bool:
    """The chamfer's sharp edge passes the stated coordinates (those it has; a prismatic edge is free along)."""
    edge = dict(c.edge)
    return all(abs(edge[a] - v) <= TOL for a, v in given.items() if a in edge)


def pick_key(c: Chamfer) -> str:
    return "locations: [{" + ", ".join(f"{a}: {fmt(v)} basic" for a, v in c.edge) + "}]"


def match(feature: Feature, facts: GeometryFacts) -> tuple[list[Chamfer], list[tuple[str, int | None]],
                                                            list[tuple[str, int | None]]]:
    """The chamfers ``feature`` is: (bound, problems for TP120, refusals for TP130), each message with the index
    of the location it is about (None: the feature's size)."""
    leg, angle = feature.size, feature.angle
    found = chamfers(facts)
    if leg is None:
        if found:
            return (found if len(found) == feature.count else []), [], []
        return [], [(f"{feature.id}: the model has no chamfer (no cone, no inclined face)", None)], []
    if angle is None:
        from ..schema.quantities import parse_dimension  # noqa: PLC0415

        angle = parse_dimension("45°")
    written = leg.text + ("" if "°" in leg.text or leg.text.lstrip().upper().startswith("C") else f" × {angle.text}")
    what = f"chamfer {written}"
    sized = [c for c in found if fits(c, leg, angle)]
    if not feature.locations:
        if len(sized) > feature.count:
            n = f" for count {feature.count}" if feature.count > 1 else ""
            return [], [], [(f"{feature.id}: {len(sized)} chamfers {written} are in the model{n}, so techpack "
                             "will not pick one; give its location — "
                             + "; ".join(f"{c.text()} ({pick_key(c)})" for c in sized[:6])
                             + (f"; and {len(sized) - 6} more" if len(sized) > 6 else ""), None)]
        if len(sized) < feature.count and sized:
            plural = "s" if len(sized) != 1 else ""
            return sized, [(f"{feature.id}: the model has {len(sized)} chamfer{plural} {written}, the spec says count "
                            f"{feature.count}", None)], []
        if sized:
            return sized, [], []
        return [], [(f"{feature.id}: the model has no {what}{_nearest(found, leg, facts)}", None)], []
    bound, problems, refusals = [], [], []
    for i, pos in enumerate(feature.locations):
        given = {a: float(getattr(pos, a).nominal_mm) for a in AXES if getattr(pos, a) is not None}
        text = ", ".join(f"{a.upper()} {fmt(v)}" for a, v in given.items())
        here = [c for c in found if at(c, given)]
        hits = [c for c in here if fits(c, leg, angle)]
        if len(hits) == 1:
            bound.append(hits[0])
        elif len(hits) > 1:
            refusals.append((f"{feature.id} at {text}: {len(hits)} chamfers {written} are there in the model, so "
                             "techpack will not pick one; give its location — "
                             + "; ".join(f"{c.text()} ({pick_key(c)})" for c in hits[:6]), i))
        elif here:
            problems.append((f"{feature.id} at {text}: the chamfer there is "
                             + ", ".join(c.text() for c in here[:3]) + f", the spec says {what}", i))
        else:
            problems.append((f"{feature.id} at {text}: no chamfer there in the model{_nearest(found, leg, facts)}", i))
    return bound, problems, refusals


def _hole_of(k: Cone, facts: GeometryFacts):
    ax = axis_index(k.axis_dir)
    return next((c for c in facts.cylinders if c.internal and axis_index(c.axis_dir) == ax
                 and all(abs(c.axis_origin[i] - k.axis_origin[i]) <= TOL for i in range(3) if i != ax)), None)


def _nearest(found: list[Chamfer], leg: Dim, facts: GeometryFacts) -> str:
    """The chamfers found nearest the leg, and the countersinks that are not chamfers."""
    target = float(leg.nominal_mm)
    near = sorted(found, key=lambda c: (min(abs(lg - target) for lg, _a in c.readings), c.edge))[:3]
    text = f" (its chamfers nearest that: {'; '.join(c.text() for c in near)})" if near else " (it has none)"
    holes = []
    for k in countersinks(facts):
        c, ax = _hole_of(k, facts), axis_index(k.axis_dir)
        if c is not None and ax is not None:
            holes.append(f"Ø{fmt(2 * c.radius)} hole at "
                         + ", ".join(f"{AXES[i].upper()} {fmt(k.axis_origin[i])}" for i in range(3) if i != ax))
    if holes:
        holes = sorted(set(holes))
        text += (f"; the cone on the {holes[0]} is its countersink" if len(holes) == 1 else
                 f"; the cones on the {', '.join(holes)} are their countersinks") + " (give it with countersink:)"
    return text


__all__ = ["Chamfer", "chamfers", "countersinks", "match"]
