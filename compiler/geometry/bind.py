"""Which pair of model entities a linear dimension runs between: exactly one, with proof, or a finding.

A linear dimension is a pair of coordinates along one model axis (planes, the
bounding box, hole axes) that lie its value apart.  A part usually holds more
than one such pair; the spec picks one with ``between: [from, to]`` (feature
IDs), or by naming the features in the dimension's ID or description
("overall" picks the bounding box).  What it never does is guess: when more
than one pair is left, the dimension is not drawn and the finding lists each
pair with the ``between:`` that would pick it (TP130); when none is, the
finding gives the nearest pairs found (TP121) or, with ``between:``, the
distance between the named features (TP131).

Pure Python over :class:`~techpack.geometry.GeometryFacts`; used by
:func:`techpack.geometry.match.match_part`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..schema.quantities import Dim
from ..schema.spec import PartDimension
from .facts import GeometryFacts

if TYPE_CHECKING:  # pragma: no cover
    from .match import FeatureMatch

AXES = "xyz"
TOL = 1e-3


@dataclass(frozen=True)
class Span:
    """A linear dimension found in the model: ``lo``..``hi`` along ``axis``."""

    axis: int
    lo: float
    hi: float


@dataclass
class Refusal:
    """A dimension that binds to no pair, or to more than one: the finding's code and message."""

    dim: PartDimension
    code: str  # TP121 none found, TP130 more than one, TP131 not between its features
    message: str
    candidates: list[Span] = field(default_factory=list)


def within(value: float, dim: "Dim", nominal: float | None = None, tol: float = TOL) -> bool:
    """``value`` (mm, or degrees for an angle) is within ``dim``'s limits, or on its nominal, give or take ``tol``."""
    nom = float(dim.nominal_mm) if nominal is None else nominal
    if abs(value - nom) <= tol:
        return True
    lo = float(dim.mm(dim.lower)) if dim.lower is not None else nom
    hi = float(dim.mm(dim.upper)) if dim.upper is not None else nom
    return lo - tol <= value <= hi + tol


def fmt(v: float) -> str:
    return f"{round(v, 4):g}"


def axis_index(d: tuple[float, float, float]) -> int | None:
    for i in range(3):
        if abs(abs(d[i]) - 1.0) < 1e-6:
            return i
    return None


def coords(facts: GeometryFacts, axis: int) -> list[float]:
    """Every coordinate on ``axis`` a dimension can end at: planes, the bounding box, hole axes across it."""
    out = {round(facts.bbox_min[axis], 6), round(facts.bbox_max[axis], 6)}
    for p in facts.planes:
        if axis_index(p.normal) == axis:
            out.add(round(p.origin[axis], 6))
    for c in facts.cylinders:
        ca = axis_index(c.axis_dir)
        if ca is not None and ca != axis:
            out.add(round(c.axis_origin[axis], 6))
    return sorted(out)


def entity(facts: GeometryFacts, axis: int, coord: float) -> str:
    """What lies at ``coord`` on ``axis``, in words: a face, the part's extreme, a hole's axis."""
    a = AXES[axis].upper()
    for c in facts.cylinders:
        ca = axis_index(c.axis_dir)
        if ca is not None and ca != axis and abs(c.axis_origin[axis] - coord) <= TOL:
            return f"the axis of a Ø{fmt(2 * c.radius)} {'hole' if c.internal else 'cylinder'} at {a} {fmt(coord)}"
    if any(axis_index(p.normal) == axis and abs(p.origin[axis] - coord) <= TOL for p in facts.planes):
        return f"the face at {a} {fmt(coord)}"
    return f"the part's end at {a} {fmt(coord)}"


def candidates(value, facts: GeometryFacts, within: Callable) -> list[Span]:
    """All pairs of coordinates on one axis that lie ``value`` (a Dim) apart, within its tolerance."""
    target = float(value.nominal_mm)
    out = []
    for a in range(3):
        cs = coords(facts, a)
        for i, lo in enumerate(cs):
            for hi in cs[i + 1:]:
                if within(hi - lo, value, target):
                    out.append(Span(a, lo, hi))
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower())) | set(re.findall(r"[a-z0-9]+", text.lower()))


def _holds(ends: set[float] | None, c: float) -> bool:
    return ends is None or any(abs(c - e) <= TOL for e in ends)


def _names(features: dict[str, "FeatureMatch"], ends_of: Callable, axis: int, coord: float) -> list[str]:
    """Features that end at ``coord``: faces first, then slots, then hole axes, then the ends of holes."""
    ranked = []
    for fid, fm in features.items():
        if not any(abs(coord - e) <= TOL for e in ends_of(fm, axis)):
            continue
        if fm.face is not None and fm.face.axis == axis and abs(fm.face.coord - coord) <= TOL:
            rank = 0
        elif fm.slot is not None:
            rank = 1
        elif any(c is not None and axis_index(c.axis_dir) != axis for c in fm.cylinders):
            rank = 2
        else:
            rank = 3
        ranked.append((rank, fid))
    return [fid for _rank, fid in sorted(ranked, key=lambda r: r[0])]


def bind(d: PartDimension, facts: GeometryFacts, features: dict[str, "FeatureMatch"], ends_of: Callable,
         within: Callable) -> Span | Refusal:
    """The one span of the model ``d`` runs along, or why there is not exactly one."""
    cands = candidates(d.value, facts, within)
    what = f"{d.id} {d.value.text}{' (' + d.description + ')' if d.description else ''}"
    named = [features.get(b) for b in d.between if b in features]

    def ends(fm, axis: int) -> set[float] | None:
        # a face feature not located by its description is located by this dimension: any coordinate will do
        if fm.face is None and not fm.cylinders and fm.slot is None and fm.feature.type.value in (
                "face", "edge", "flange", "surface", "profile"):
            return None
        return ends_of(fm, axis)

    if len(named) == 2:
        kept = [s for s in cands
                if (_holds(ends(named[0], s.axis), s.lo) and _holds(ends(named[1], s.axis), s.hi))
                or (_holds(ends(named[0], s.axis), s.hi) and _holds(ends(named[1], s.axis), s.lo))]
        if not kept:
            return Refusal(d, "TP131", f"{what}: {d.between[0]} and {d.between[1]} "
                           + _apart(named, ends, facts) + _others(cands, facts, features, ends_of))
        cands = kept
        if len(cands) > 1:
            # both ends free (undescribed faces): the part's overall extent is what "between two faces" means
            whole = [s for s in cands if _is_bbox(s, facts)]
            if len(whole) == 1:
                cands = whole
    elif len(named) == 1:
        kept = [s for s in cands if _holds(ends(named[0], s.axis), s.lo) or _holds(ends(named[0], s.axis), s.hi)]
        if not kept:
            return Refusal(d, "TP131", f"{what}: no pair {d.value.text} apart ends at {d.between[0]}"
                           + _others(cands, facts, features, ends_of))
        cands = kept
    else:
        cands = _by_words(d, cands, facts, features, ends_of)
    if not cands:
        return Refusal(d, "TP121", f"{what}: no two faces, edges or hole axes of the model lie that far apart "
                       f"along X, Y or Z{_nearest(d, facts)}")
    if len(cands) == 1:
        return cands[0]
    return Refusal(d, "TP130", f"{what}: {len(cands)} pairs of the model lie that far apart, so techpack will not "
                   "pick one; name the pair with between: — "
                   + "; ".join(_listing(s, facts, features, ends_of) for s in cands[:6])
                   + (f"; and {len(cands) - 6} more" if len(cands) > 6 else ""), cands)


def _by_words(d: PartDimension, cands: list[Span], facts: GeometryFacts, features, ends_of) -> list[Span]:
    """Without ``between:``: the pairs whose both ends are features the ID or description names, else all.

    "overall" (or "total") names the part's extent along an axis.
    """
    if len(cands) <= 1:
        return cands
    words = _words(f"{d.id} {d.description or ''}")
    ids = [fid for fid in features if fid in words]
    if ids:
        both = [s for s in cands if any(_holds(ends_of(features[f], s.axis), s.lo) for f in ids)
                and any(_holds(ends_of(features[f], s.axis), s.hi) for f in ids)]
        if both:
            return both
    if words & {"overall", "total"}:
        whole = [s for s in cands if _is_bbox(s, facts)]
        if whole:
            return whole
    return cands


def _is_bbox(s: Span, facts: GeometryFacts) -> bool:
    return abs(s.lo - facts.bbox_min[s.axis]) <= TOL and abs(s.hi - facts.bbox_max[s.axis]) <= TOL


def _listing(s: Span, facts: GeometryFacts, features, ends_of) -> str:
    a = AXES[s.axis].upper()
    lo, hi = _names(features, ends_of, s.axis, s.lo), _names(features, ends_of, s.axis, s.hi)
    pattern = lo and hi and lo[0] == hi[0] and _pitch(features[lo[0]], s)
    if lo and hi and lo[0] == hi[0] and not pattern:  # a hole's two ends: name a face for one end
        others = [f for f in hi if f != lo[0]] or [f for f in lo if f != hi[0]]
        if others and others[0] in hi:
            hi = others
        elif others:
            lo = others
        else:
            hi = []
    text = f"{fmt(s.hi - s.lo)} along {a} from {entity(facts, s.axis, s.lo)} to {entity(facts, s.axis, s.hi)}"
    if lo and hi:
        return text + f" (between: [{lo[0]}, {hi[0]}])"
    missing = [f"{a}{fmt(c)}" for c, n in ((s.lo, lo), (s.hi, hi)) if not n]
    return text + (f" (between: [{lo[0] if lo else '…'}, {hi[0] if hi else '…'}] with a face feature described "
                   + " and ".join(f"'{m}'" for m in missing) + ")")


def _pitch(fm, s: Span) -> bool:
    """Two instances of one patterned feature lie at both ends (a hole pitch): ``between: [holes, holes]``."""
    at = {round(c.axis_origin[s.axis], 6) for c in fm.cylinders
          if c is not None and axis_index(c.axis_dir) != s.axis}
    return any(abs(x - s.lo) <= TOL for x in at) and any(abs(x - s.hi) <= TOL for x in at)


def _apart(named, ends, facts: GeometryFacts) -> str:
    """How far apart the two named features are in the model, or where each is when they share no axis."""
    found = []
    for a in range(3):
        e0, e1 = ends(named[0], a), ends(named[1], a)
        if not e0 or not e1:
            continue
        dist = min(abs(x - y) for x in e0 for y in e1)
        if dist > TOL:
            found.append(f"{fmt(dist)} along {AXES[a].upper()}")
    if found:
        return "lie " + " or ".join(found) + " apart in the model"
    where = []
    for fm in named:
        at = [f"{AXES[a].upper()} {fmt(min(e))}" for a in range(3) if (e := ends(fm, a))]
        where.append(f"{fm.feature.id} is at {', '.join(at[:3])}" if at else f"{fm.feature.id} is not located "
                     "in the model")
    return "share no axis the dimension could run along (" + "; ".join(where) + ")"


def _others(cands: list[Span], facts: GeometryFacts, features, ends_of) -> str:
    if not cands:
        return ""
    return "; pairs that far apart: " + "; ".join(_listing(s, facts, features, ends_of) for s in cands[:4])


def _nearest(d: PartDimension, facts: GeometryFacts) -> str:
    """The two distances found closest to the value, for a dimension that is nowhere."""
    target = float(d.value.nominal_mm)
    found: dict[float, Span] = {}
    for a in range(3):
        cs = coords(facts, a)
        for i, lo in enumerate(cs):
            for hi in cs[i + 1:]:
                dist = round(hi - lo, 4)
                if dist not in found:
                    found[dist] = Span(a, lo, hi)
    near = sorted(found, key=lambda v: (abs(v - target), v))[:2]
    if not near:
        return ""
    return "; the nearest found: " + ", ".join(
        f"{fmt(v)} along {AXES[found[v].axis].upper()} ({entity(facts, found[v].axis, found[v].lo)} to "
        f"{entity(facts, found[v].axis, found[v].hi)})" for v in near)
