"""Which faces of the model a spec feature or dimension is: the bridge between spec and geometry.

Pure Python over :class:`~techpack.geometry.GeometryFacts` (no kernel), used by
the spec-vs-model check (``checks/model.py``) and by the drawings, so that what
the drawing dimensions is exactly what the check found.

* Round features (hole, bore, boss, shaft, pin, thread) are cylinders of their
  size; located ones must have their axis through each stated location.
* Slot-like features (slot, keyway, groove, pocket: faces facing each other;
  tab, width: faces facing away) are a pair of parallel planes the size apart,
  and the length apart along the second direction when a length is given.
* Faces have no coordinates in the spec; they are found from their description
  ("(Z18)", "at Y80", "bottom", "front", …) or from a dimension that runs
  between two of them.  An unresolved face is not an error, only undrawable.
* A linear dimension is a pair of coordinates along one model axis (planes,
  bounding box, hole axes) that lie its value apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..schema.quantities import Dim
from ..schema.spec import DimensionKind, Feature, FeatureType, Part, PartDimension
from ..standards import iso965
from . import chamfers, pick, recognise
from .bind import Refusal, Span, axis_index, bind, within
from .bind import fmt as _fmt
from .facts import Cylinder, GeometryFacts

AXES = "xyz"
TOL = 1e-3  # mm: model coordinates are exact; this absorbs rounding
ROUND_TYPES = frozenset({FeatureType.hole, FeatureType.bore, FeatureType.boss, FeatureType.shaft, FeatureType.pin,
                         FeatureType.thread, FeatureType.knurl})
INTERNAL_ROUND = frozenset({FeatureType.hole, FeatureType.bore, FeatureType.thread})
SLOT_TYPES = frozenset({FeatureType.slot, FeatureType.keyway, FeatureType.groove, FeatureType.pocket})
TAB_TYPES = frozenset({FeatureType.tab, FeatureType.width})
FACE_TYPES = frozenset({FeatureType.face, FeatureType.edge, FeatureType.flange, FeatureType.surface,
                        FeatureType.profile})

_COORD_HINT = re.compile(r"(?<![A-Za-z])([XYZ])\s*=?\s*(-?\d+(?:\.\d+)?)(?![\d.])")
_WORD_HINTS = (("underside", 2, -1), ("bottom", 2, -1), ("lower", 2, -1), ("top", 2, 1), ("upper", 2, 1),
               ("front", 1, -1), ("back", 1, 1), ("rear", 1, 1), ("left", 0, -1), ("right", 0, 1))
_THREAD = re.compile(r"^M\s*(\d+(?:\.\d+)?)(?:\s*[x×]\s*(\d+(?:\.\d+)?))?", re.IGNORECASE)


@dataclass(frozen=True)
class Face:
    """A planar face seen along a model axis: ``coord`` on ``axis`` (0..2), outward normal sign ``sign``."""

    axis: int
    coord: float
    sign: int


@dataclass(frozen=True)
class Slot:
    """Two parallel faces ``lo``..``hi`` across ``axis``; ``length`` the same along ``length_axis``."""

    axis: int
    lo: float
    hi: float
    internal: bool
    length_axis: int | None = None
    length_lo: float = 0.0
    length_hi: float = 0.0


@dataclass
class FeatureMatch:
    """What one spec feature is in the model, and what does not agree."""

    feature: Feature
    cylinders: list[Cylinder | None] = field(default_factory=list)  # per instance (located) or all found
    slot: Slot | None = None
    face: Face | None = None
    problems: list[tuple[str, object]] = field(default_factory=list)  # (message, Location | None): TP120
    ambiguous: list[tuple[str, object]] = field(default_factory=list)  # several places fit, none picked: TP130
    chamfers: list[chamfers.Chamfer] = field(default_factory=list)  # a chamfer feature's edges


@dataclass
class PartMatch:
    features: dict[str, FeatureMatch]
    spans: dict[str, Span]  # dimension id -> where it is
    angles: dict[str, tuple[Face, Face]]  # angle dimension id -> its two faces
    unmatched_dims: list[PartDimension]  # diameters no cylinder has
    refused: list[Refusal] = field(default_factory=list)  # linear dimensions bound to no pair, or to several




def _diameters(feature: Feature) -> list[float]:
    """Diameters the model may show for a round feature (a thread: its size, major or tap drill)."""
    out = []
    if feature.size is not None:
        out.append(float(feature.size.nominal_mm))
    if feature.thread:  # a thread feature, or a shaft/bore that carries one
        m = _THREAD.match(feature.thread.strip())
        if m:
            major = float(m.group(1))
            out.append(major)
            pitch = float(m.group(2)) if m.group(2) else None
            if pitch:
                out.append(round(major - pitch, 3))
    return out


def _size_ok(c: Cylinder, feature: Feature) -> bool:
    d = 2 * c.radius
    if feature.size is not None and within(d, feature.size):
        return True
    return any(abs(d - v) <= TOL for v in _diameters(feature))


def _describe(feature: Feature) -> str:
    size = feature.size.text if feature.size is not None else (feature.thread or "")
    kind = feature.type.value
    return f"{size} {kind}".strip()


# --------------------------------------------------------------------------- round features


def _internal(feature: Feature) -> bool | None:
    """A hole (True), a shaft (False), or either (None: a thread without a class says neither)."""
    if feature.type is FeatureType.thread and feature.thread:
        external = iso965.is_external(feature.thread)
        return None if external is None else not external
    return feature.type in INTERNAL_ROUND


def _match_round(feature: Feature, facts: GeometryFacts, m: FeatureMatch) -> None:
    internal = _internal(feature)
    axis = AXES.index(feature.axis) if feature.axis else None
    side = [c for c in facts.cylinders if (internal is None or c.internal == internal)
            and (axis is None or axis_index(c.axis_dir) == axis)]
    sized = [c for c in side if _size_ok(c, feature)]
    where = f" along {feature.axis.upper()}" if feature.axis else ""
    if not feature.locations:
        if not sized:
            have = sorted({f"Ø{_fmt(2 * c.radius)}" for c in side})
            other = sorted({f"Ø{_fmt(2 * c.radius)}" for c in facts.cylinders if internal is not None
                            and c.internal != internal and (axis is None or axis_index(c.axis_dir) == axis)})
            found = (f" (it has {', '.join(have)})" if have else
                     f" (its only cylinders there are {'shafts' if internal else 'holes'}: {', '.join(other)})"
                     if other else "")
            m.problems.append((f"{feature.id}: the model has no {_describe(feature)}{where}{found}",
                               feature.loc("size") if feature.size is not None else feature.loc("thread")))
            return
        groups = pick.features(sized, facts)
        if len(groups) > feature.count:  # never a silent pick: the spec must say which
            n = f"for count {feature.count}, " if feature.count > 1 else ""
            m.ambiguous.append((f"{feature.id}: {len(groups)} {_describe(feature)}s{where} are in the model, "
                                f"{n}so techpack will not pick one; give its location — "
                                + "; ".join(pick.listing(groups)),
                                feature.loc("size") if feature.size is not None else feature.loc("thread")))
            return
        m.cylinders = [c for g in groups for c in g]
        _length(feature, groups, m, feature.loc("length"))
        if len(groups) < feature.count and len(m.cylinders) != feature.count and not feature.thread:
            # (segments a groove or a gap splits may be the pattern; a bore may carry a thread at each end)
            plural = "s" if len(groups) != 1 else ""
            m.problems.append((f"{feature.id}: the model has {len(groups)} {_describe(feature)}{plural}{where}, "
                               f"the spec says count {feature.count}", feature.loc("count")))
        _sunk(feature, m.cylinders, facts, m)
        return
    for i, pos in enumerate(feature.locations):
        given = {a: float(getattr(pos, a).nominal_mm) for a in AXES if getattr(pos, a) is not None}
        here = [c for c in side if _through(c, given)]
        hits = pick.features([c for c in here if _size_ok(c, feature)], facts)
        loc = pos.loc() or feature.loc("locations", i)
        at = ", ".join(f"{a.upper()} {_fmt(v)}" for a, v in given.items())
        if len(hits) > 1:
            m.cylinders.append(None)
            m.ambiguous.append((f"{feature.id} at {at}: {len(hits)} {_describe(feature)}s{where} are there "
                                "in the model, so techpack will not pick one; give its location — "
                                + "; ".join(pick.listing(hits)), loc))
            continue
        hit = pick.representative(hits[0]) if hits else None
        m.cylinders.append(hit)
        if hit is not None:
            _sunk(feature, [hit], facts, m, pos.loc())
            _length(feature, hits[:1], m, feature.loc("length"))
            continue
        if here:
            m.problems.append((f"{feature.id} at {at}: the model's {'hole' if internal else 'cylinder'} there is "
                               f"Ø{_fmt(2 * here[0].radius)}, the spec says {_describe(feature)}", loc))
            continue
        near = sorted(sized, key=lambda c: (round(_miss(c, given), 6), pick.gap(c, given)))
        msg = f"{feature.id} at {at}: no {_describe(feature)}{where} there in the model"
        if near:
            c = near[0]
            if _miss(c, given) <= max(TOL, 0.001 * c.radius):  # on the axis, beyond the length
                ca = axis_index(c.axis_dir)
                lo, hi = sorted((c.axis_origin[ca], c.axis_end[ca]))
                msg += (f"; the nearest on that axis runs {AXES[ca].upper()} {_fmt(lo)} to {_fmt(hi)} "
                        f"({_fmt(pick.gap(c, given))} mm away)")
            else:
                pt = _axis_point(c, given)
                msg += (f"; the nearest is at {', '.join(f'{a.upper()} {_fmt(pt[AXES.index(a)])}' for a in given)}"
                        f" ({_fmt(_miss(c, given))} mm away)")
        m.problems.append((msg, loc))


#: Round features whose ``length`` runs along their own axis, end to end of the cylinder (a shaft's seat, a knurl).
AXIAL_LENGTH = frozenset({FeatureType.shaft, FeatureType.pin, FeatureType.boss, FeatureType.knurl})


def _length(feature: Feature, groups: list[list[Cylinder]], m: FeatureMatch, loc) -> None:
    """A stated length must be the bound cylinder's along its axis: a knurl drawn over 11.5 mm of a Ø24
    cylinder must not be labelled 12.5 (a chamfer took the rest), nor a spacer's 4 mm called 7."""
    if feature.length is None or feature.type not in AXIAL_LENGTH:
        return
    for g in groups:
        along = pick.extent(g)
        if along is None:
            continue
        a, lo, hi = along
        if not within(hi - lo, feature.length):
            m.problems.append((f"{feature.id}: the model's Ø{_fmt(2 * g[0].radius)} {feature.type.value} runs "
                               f"{a.upper()} {_fmt(lo)} to {_fmt(hi)} ({_fmt(hi - lo)} long), the spec says length "
                               f"{feature.length.text}", loc))
            return


def _sunk(feature: Feature, holes: list[Cylinder], facts: GeometryFacts, m: FeatureMatch, loc=None) -> None:
    """A counterbore or countersink stated on the feature must be on each hole's axis."""
    for what, check in (("counterbore", recognise.counterbore), ("countersink", recognise.countersink)):
        if getattr(feature, what) is None:
            continue
        for c in holes:
            problem = check(feature, c, facts)
            if problem:
                m.problems.append((problem, loc or feature.loc(what)))
                break


def _axis_point(c: Cylinder, given: dict[str, float]) -> tuple[float, float, float]:
    """The point of the cylinder's axis closest to the stated coordinates (unstated ones: on the axis)."""
    o, d = c.axis_origin, c.axis_dir
    target = [given.get(a, o[i]) for i, a in enumerate(AXES)]
    t = sum((target[i] - o[i]) * d[i] for i in range(3))
    return (o[0] + d[0] * t, o[1] + d[1] * t, o[2] + d[2] * t)


def _miss(c: Cylinder, given: dict[str, float]) -> float:
    """How far the axis passes from the stated location, counting only the stated coordinates."""
    ax = axis_index(c.axis_dir)
    p = _axis_point(c, given)
    s = 0.0
    for i, a in enumerate(AXES):
        if a in given and i != ax:
            s += (p[i] - given[a]) ** 2
    return math.sqrt(s)


def _through(c: Cylinder, given: dict[str, float]) -> bool:
    """The axis passes the stated coordinates across it, and its length holds the one along it."""
    return _miss(c, given) <= max(TOL, 0.001 * c.radius) and pick.holds(c, given)


# --------------------------------------------------------------------------- slots and tabs


def _match_slot(feature: Feature, facts: GeometryFacts, m: FeatureMatch) -> None:
    internal = feature.type in SLOT_TYPES
    axis = AXES.index(feature.axis) if feature.axis else None
    pos = feature.locations[0] if feature.locations else None
    given = {AXES.index(a): float(getattr(pos, a).nominal_mm) for a in AXES
             if pos is not None and getattr(pos, a) is not None}
    width = _pairs(facts, float(feature.size.nominal_mm), feature.size, internal, exclude=axis, given=given)
    if not width:
        where = f" across {feature.axis.upper()}" if feature.axis else ""
        at = (" at " + ", ".join(f"{AXES[a].upper()} {_fmt(v)}" for a, v in sorted(given.items()))) if given else ""
        near = _pairs(facts, float(feature.size.nominal_mm), None, internal, exclude=axis, given=given)
        found = ("; the nearest " + ("slots" if internal else "widths") + " found: "
                 + ", ".join(f"{_fmt(h - lo_)} across {AXES[a_].upper()} ({AXES[a_].upper()} {_fmt(lo_)} to {_fmt(h)})"
                             for a_, lo_, h in near[:3])) if near else ""
        m.problems.append((f"{feature.id}: the model has no {'slot' if internal else 'width'} {feature.size.text}"
                           f"{where}{at}{found}", feature.loc("size")))
        return
    if len(width) > 1 and not given:
        m.ambiguous.append((f"{feature.id}: {len(width)} {'slots' if internal else 'widths'} {feature.size.text} are in "
                           "the model, so techpack will not pick one; give its location — "
                           + "; ".join(f"across {AXES[a_].upper()} from {_fmt(lo_)} to {_fmt(h)}"
                                       for a_, lo_, h in width[:6]), feature.loc("size")))
        return
    a, lo, hi = width[0]
    slot = Slot(a, lo, hi, internal)
    if feature.length is not None:
        # the length may run along the feature's axis (a keyway on a shaft) or across it (a pocket)
        length = _pairs(facts, float(feature.length.nominal_mm), feature.length, internal,
                        exclude=None, given=given, skip_axis=a)
        arcs = recognise.arc_length(facts, a, lo, hi, feature.length) if internal and not length else None
        if length:
            la, llo, lhi = length[0]
            slot = Slot(a, lo, hi, internal, la, llo, lhi)
        elif arcs is not None:  # a full-radius slot: the length runs over its end arcs
            slot = Slot(a, lo, hi, internal, *arcs)
        else:
            m.problems.append((f"{feature.id}: the model has no length {feature.length.text} for it, neither "
                               "between flat ends nor over end arcs" + _lengths_found(facts, a, lo, hi),
                               feature.loc("length")))
    m.slot = slot


def _lengths_found(facts: GeometryFacts, a: int, lo: float, hi: float) -> str:
    """What the slot is long in the model: between flat ends, or over arcs of half its width."""
    r = (hi - lo) / 2
    arcs = sorted({round(c.axis_origin[k], 6) for c in facts.cylinders if c.internal and abs(c.radius - r) <= TOL
                   for k in range(3) if k != a and axis_index(c.axis_dir) not in (None, a, k)
                   and abs(c.axis_origin[a] - (lo + hi) / 2) <= TOL})
    if len(arcs) >= 2:
        return f" (over its end arcs it is {_fmt(arcs[-1] - arcs[0] + 2 * r)} long)"
    return ""


def _pairs(facts: GeometryFacts, value: float, dim: Dim | None, internal: bool, *, exclude: int | None,
           given: dict[int, float], skip_axis: int | None = None) -> list[tuple[int, float, float]]:
    """Parallel plane pairs ``value`` apart (facing each other when ``internal``), sorted.

    With ``dim`` None: every such pair, nearest to ``value`` first (for saying what was found).
    """
    found = []
    planes = [(p, axis_index(p.normal)) for p in facts.planes]
    for p, a in planes:
        if a is None or a == exclude or a == skip_axis or p.normal[a] < 0:
            continue
        for q, b in planes:
            if b != a or q.normal[b] > 0:
                continue
            cp, cq = p.origin[a], q.origin[a]
            # internal: + face below the - face (facing each other); external: - face below the + face
            lo, hi = (cp, cq) if internal else (cq, cp)
            if hi <= lo or (dim is not None and not within(hi - lo, dim, value)):
                continue
            band = float(dim.mm(dim.band or Decimal(0))) if dim is not None else 0.0
            if a in given and abs((lo + hi) / 2 - given[a]) > TOL + 0.5 * band:
                continue
            other = [i for i in range(3) if i != a]
            if any(i in given and abs((p.origin[i] + q.origin[i]) / 2 - given[i]) > value * 4 + 1 for i in other):
                continue
            if any(abs(p.origin[i] - q.origin[i]) > max(4 * value, 10.0) for i in other if i != exclude):
                continue
            found.append((a, round(lo, 6), round(hi, 6)))
    if dim is None:
        return sorted(set(found), key=lambda f: (abs(f[2] - f[1] - value), f))
    return sorted(set(found))


# --------------------------------------------------------------------------- faces


def _face_at(facts: GeometryFacts, axis: int, coord: float, sign: int | None) -> Face | None:
    best = None
    for p in facts.planes:
        a = axis_index(p.normal)
        if a != axis or abs(p.origin[a] - coord) > TOL:
            continue
        s = 1 if p.normal[a] > 0 else -1
        if sign is not None and s != sign:
            continue
        if best is None or p.area > best[0]:
            best = (p.area, s)
    if best is not None:
        return Face(axis, round(coord, 6), best[1])
    lo, hi = facts.bbox_min[axis], facts.bbox_max[axis]
    if abs(coord - lo) <= TOL:
        return Face(axis, round(lo, 6), -1)
    if abs(coord - hi) <= TOL:
        return Face(axis, round(hi, 6), 1)
    return None


def face_from_description(feature: Feature, facts: GeometryFacts) -> Face | None:
    """A face feature located by its description: a coordinate ("Z18", "at Y80") or a side word."""
    text = feature.description or ""
    for m in _COORD_HINT.finditer(text):
        face = _face_at(facts, "XYZ".index(m.group(1)), float(m.group(2)), None)
        if face is not None:
            return face
    words = set(re.findall(r"[a-z]+", text.lower())) | set(re.findall(r"[a-z]+", feature.id.lower()))
    for word, axis, sign in _WORD_HINTS:
        if word in words:
            coord = facts.bbox_max[axis] if sign > 0 else facts.bbox_min[axis]
            return _face_at(facts, axis, coord, sign) or Face(axis, round(coord, 6), sign)
    return None


# --------------------------------------------------------------------------- dimensions


def _ends(fm: FeatureMatch | None, axis: int) -> set[float]:
    """Coordinates on ``axis`` that a matched feature stands for (face, slot faces, hole axes)."""
    out: set[float] = set()
    if fm is None:
        return out
    if fm.face is not None and fm.face.axis == axis:
        out.add(fm.face.coord)
    if fm.slot is not None:
        if fm.slot.axis == axis:
            out |= {fm.slot.lo, fm.slot.hi}
        if fm.slot.length_axis == axis:
            out |= {fm.slot.length_lo, fm.slot.length_hi}
    for c in fm.cylinders:
        if c is None:
            continue
        ca = axis_index(c.axis_dir)
        if ca == axis:
            out |= {round(c.axis_origin[axis], 6), round(c.axis_end[axis], 6)}
        elif ca is not None:
            out.add(round(c.axis_origin[axis], 6))
    return out


def match_part(part: Part, facts: GeometryFacts) -> PartMatch:
    """Match every feature and dimension of ``part`` against its geometry facts."""
    features: dict[str, FeatureMatch] = {}
    for f in part.features:
        m = FeatureMatch(f)
        if f.type in ROUND_TYPES and (f.size is not None or f.thread):
            _match_round(f, facts, m)
        elif f.type is FeatureType.groove and f.size is not None and f.size.diameter:
            cyl, problem = recognise.undercut(f, facts)  # an undercut or thread relief on a shaft
            m.cylinders = [cyl] if cyl is not None else []
            if problem:
                m.problems.append((problem, f.loc("size")))
        elif (f.type in SLOT_TYPES or f.type in TAB_TYPES) and f.size is not None and not f.size.diameter:
            _match_slot(f, facts, m)
        elif f.type is FeatureType.chamfer:
            m.chamfers, problems, refusals = chamfers.match(f, facts)

            def where(i: int | None, f: Feature = f):
                if i is not None:
                    return f.locations[i].loc() or f.loc("locations", i)
                return f.loc("size") if f.size is not None else f.loc()
            m.problems += [(p, where(i)) for p, i in problems]
            m.ambiguous += [(r, where(i)) for r, i in refusals]
        elif f.type in FACE_TYPES:
            m.face = face_from_description(f, facts)
        features[f.id] = m
    spans: dict[str, Span] = {}
    angles: dict[str, tuple[Face, Face]] = {}
    unmatched: list[PartDimension] = []
    refused: list[Refusal] = []
    for d in part.dimensions:
        if d.type is DimensionKind.angle or d.value.is_angle:
            faces = [features[b].face for b in d.between if b in features and features[b].face is not None]
            if len(faces) == 2 and faces[0].axis != faces[1].axis:
                angles[d.id] = (faces[0], faces[1])
            else:
                named = ", ".join(_where(b, features.get(b)) for b in d.between) or "no faces"
                chamfer = next((features[b].feature for b in d.between if b in features
                                and features[b].feature.type is FeatureType.chamfer), None)
                hint = (f"; a chamfer's angle is the chamfer's own: give it there ({chamfer.id}: size: "
                        f"{chamfer.size.text if chamfer.size is not None else '1'} × {d.value.text}, or angle: "
                        f"{d.value.text})" if chamfer is not None else "")
                refused.append(Refusal(d, "TP121", f"{d.id} {d.value.text}: an angle runs between two faces of the "
                                       f"model at an angle to each other; between: names {named}{hint}"))
            continue
        if d.type is DimensionKind.diameter:
            if not any(abs(2 * c.radius - float(d.value.nominal_mm)) <= TOL or within(2 * c.radius, d.value)
                       for c in facts.cylinders):
                unmatched.append(d)
            continue
        if d.type is not DimensionKind.linear:
            continue
        found = bind(d, facts, features, _ends, within)
        if isinstance(found, Refusal):
            refused.append(found)
            continue
        spans[d.id] = found
        _faces_from_span(d, found, features, facts)
    return PartMatch(features, spans, angles, unmatched, refused)


def _where(fid: str, fm: FeatureMatch | None) -> str:
    if fm is None or fm.face is None:
        return f"{fid} (not located)"
    return f"{fid} (at {AXES[fm.face.axis].upper()} {_fmt(fm.face.coord)})"


def _faces_from_span(d: PartDimension, span: Span, features: dict[str, FeatureMatch], facts: GeometryFacts) -> None:
    """A dimension between two faces locates the faces the descriptions did not: from = lo, to = hi."""
    if len(d.between) != 2:
        return
    for fid, coord, sign in ((d.between[0], span.lo, -1), (d.between[1], span.hi, 1)):
        fm = features.get(fid)
        if fm is not None and fm.face is None and fm.feature.type in FACE_TYPES:
            fm.face = _face_at(facts, span.axis, coord, None) or Face(span.axis, coord, sign)
