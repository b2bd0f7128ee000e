"""What a spec says twice, or says in a way that cannot be right, found before any tolerance is resolved.

* A dimension's unit must be one its type takes (TP025): an angle in degrees, a
  length in a length unit.  ``type: angle, value: 90 ±1`` is not 90 mm: units are
  never guessed across kinds.
* A feature's size, length and depth are lengths (TP025); a bend has none of them: its inside
  radius is the sheet's ``bend_radius`` and its angle a ``type: angle`` dimension, so
  ``type: bend, size: 90 ±0.5`` is refused rather than planned as 90 mm with a caliper.
* A thread's size comes from its class (TP132): ``size: Ø6`` with ``thread:
  M6x1-6g`` would get ISO 2768 limits 5.9–6.1 where ISO 965-2 says 5.794–5.974.
* An ISO 286 hole letter (upper case) belongs on a bore, a shaft letter (lower
  case) on a shaft (TP133).

Pure functions over the spec classes; :mod:`techpack.characteristics` reports them.
"""

from __future__ import annotations

from decimal import Decimal

from .schema.quantities import Dim
from .schema.spec import DimensionKind, Feature, FeatureType, PartDimension
from .standards import iso965
from .standards.tables import StandardsError

#: Features whose size is a hole (material around it) or a shaft (material inside it), for the fit letter.
HOLE_LIKE = frozenset({FeatureType.hole, FeatureType.bore, FeatureType.slot, FeatureType.keyway,
                       FeatureType.groove, FeatureType.pocket})
SHAFT_LIKE = frozenset({FeatureType.shaft, FeatureType.boss, FeatureType.pin, FeatureType.tab, FeatureType.width})


def unit_problem(dim: PartDimension) -> str | None:
    """Why ``dim``'s unit is not one its type takes, or None."""
    angle = dim.type is DimensionKind.angle
    if angle and not dim.value.is_angle:
        return (f"{dim.id}: type: angle, but {dim.value.text!r} is in {dim.value.unit}; write the angle in degrees "
                f"({_deg(dim.value)}) — a unit is never guessed across kinds")
    if not angle and dim.value.is_angle:
        return (f"{dim.id}: type: {dim.type.value} takes a length, but {dim.value.text!r} is an angle; write "
                "type: angle, or the length with its unit")
    return None


def feature_unit_problems(feature: Feature) -> list[tuple[str, str]]:
    """``(field, why)`` for each of a feature's size, length and depth that is not a length it takes."""
    out = []
    for field in ("size", "length", "depth"):
        value = getattr(feature, field)
        if not isinstance(value, Dim):
            continue  # depth: through
        if feature.type is FeatureType.bend:
            out.append((field, f"{feature.id}: a bend has no {field} ({value.text!r} would be planned as a length); "
                               "its inside radius is sheet_metal.bend_radius and its angle a dimension: "
                               f"{{type: angle, value: {_deg(value) if not value.is_angle else value.text}, "
                               "between: [<one flat>, <the other>]}"))
        elif value.is_angle:
            out.append((field, f"{feature.id}: {field} takes a length, but {value.text!r} is an angle; write the "
                               f"{field} with a length unit, or the angle as a dimension with type: angle"))
    return out


def _deg(value: Dim) -> str:
    text = value.text.strip()
    head, _, rest = text.partition(" ")
    return f"{head}°" + (f" {rest.strip()}°" if rest and not rest.endswith(("mm", "in")) else "")


def thread_size_problem(feature: Feature, resolved: Dim | None) -> str | None:
    """Why a thread's ``size`` contradicts its class, or None (no class, no size, or the class's limits)."""
    if not feature.thread or feature.size is None:
        return None
    try:
        lim = iso965.limits(feature.thread)
    except StandardsError:
        return None
    if lim is None:
        return None
    size = feature.size
    cls = f"thread {feature.thread} sets its {lim.diameter} to {_mm(lim.low)}–" + (
        _mm(lim.high) if lim.high is not None else "") + " (ISO 965-2)"
    if resolved is not None and resolved.lower is not None and resolved.upper is not None:
        lo, hi = resolved.mm(resolved.lower), resolved.mm(resolved.upper)
        if lim.high is not None and abs(lo - lim.low) <= Decimal("0.0005") and abs(hi - lim.high) <= Decimal("0.0005"):
            return None
        got = f"{_mm(lo)}–{_mm(hi)}" + (" from the general tolerance" if size.kind == "general" else "")
    else:
        got = "untoleranced" if size.kind == "general" else "limits of its own"
    return (f"{feature.id}: size {size.text} would be {got}, but {cls}; leave size out: the thread class gives the "
            "limits")


def _mm(v: Decimal) -> str:
    return format(v.normalize(), "f")


def fit_side_problem(feature: Feature) -> str | None:
    """A hole letter (``H7``) on a shaft-like feature, or a shaft letter (``k6``) on a hole-like one."""
    size = feature.size
    if size is None or not size.fit:
        return None
    if feature.type is FeatureType.groove and size.diameter:
        return None  # an undercut on a shaft or a groove inside a bore: only the model tells which side it is
    letter = size.fit.lstrip()[0]
    shaft = feature.type in SHAFT_LIKE
    if shaft and letter.isupper():
        return (f"{feature.id}: {size.fit} is an ISO 286 hole tolerance (upper-case letter) on a "
                f"{feature.type.value}; a shaft takes the lower-case letter ({size.fit[0].lower()}{size.fit[1:]})")
    if not shaft and feature.type in HOLE_LIKE and letter.islower():
        return (f"{feature.id}: {size.fit} is an ISO 286 shaft tolerance (lower-case letter) on a "
                f"{feature.type.value}; a hole takes the upper-case letter ({size.fit[0].upper()}{size.fit[1:]})")
    return None
