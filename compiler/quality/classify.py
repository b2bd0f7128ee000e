"""Classification: critical, major or minor, by a documented rule (``docs/quality.md``).

The first rule that applies wins:

1. marked ``critical: true`` in the spec                        → critical
2. marked ``key: true`` (a key characteristic)                  → major
3. material and certificate, finish process, thread,
   assembly torque                                             → major
4. size with an ISO 286 fit code                                → major
5. GD&T that locates (position, runout, symmetry, concentricity,
   coaxiality, profile with datums) or controls a feature of
   size (hole, bore, shaft, pin, slot, keyway …)                → major
6. a tolerance band of IT8 or finer at its size                 → major
7. roughness Ra ≤ 0.8 µm (Rz ≤ 6.3 µm)                          → major
8. everything else (general tolerances, notes, coating
   thickness, assembly checks, purchased items)                 → minor

``production.inspection.overrides`` then sets the class of the items it names.
"""

from __future__ import annotations

from decimal import Decimal

from ..schema.spec import FEATURES_OF_SIZE, GdtCharacteristic
from ..standards import iso286
from ..standards.tables import StandardsError
from .items import Item

LOCATING = frozenset({GdtCharacteristic.position, GdtCharacteristic.circular_runout, GdtCharacteristic.total_runout,
                      GdtCharacteristic.symmetry, GdtCharacteristic.concentricity, GdtCharacteristic.coaxiality})
PROFILES = frozenset({GdtCharacteristic.profile_line, GdtCharacteristic.profile_surface})
MAJOR_GRADE = 8
RA_MAJOR_UM = Decimal("0.8")
RZ_MAJOR_UM = Decimal("6.3")
ALWAYS_MAJOR = {"material": "material and certificate", "finish": "finish process (corrosion protection)",
                "thread": "thread (assembly)", "torque": "joint tightening torque"}


def classify(item: Item) -> tuple[str, str]:
    """The class of ``item`` and the rule that gave it."""
    if item.critical:
        return "critical", "marked critical in the spec"
    if item.key:
        return "major", "key characteristic"
    if item.kind in ALWAYS_MAJOR:
        return "major", ALWAYS_MAJOR[item.kind]
    if item.dim is not None and item.dim.fit:
        return "major", f"ISO 286 fit {item.dim.fit}"
    if item.frame is not None:
        ch = item.frame.characteristic
        if ch in LOCATING or (ch in PROFILES and item.frame.datums):
            return "major", f"{ch.value} locates the feature"
        if item.feature is not None and item.feature.type in FEATURES_OF_SIZE:
            return "major", f"{ch.value} of a feature of size ({item.feature.type.value})"
    grade = needed_grade(item)
    if grade is not None and _grade_rank(grade) <= MAJOR_GRADE:
        return "major", f"tolerance needs IT{grade}"
    if item.kind == "roughness" and item.feature is not None and item.feature.roughness is not None:
        r = item.feature.roughness
        q, limit = (r.ra, RA_MAJOR_UM) if item.id.endswith(".ra") else (r.rz, RZ_MAJOR_UM)
        if q is not None and q.base <= limit:
            return "major", f"functional surface ({'Ra' if item.id.endswith('.ra') else 'Rz'} ≤ {limit} µm)"
    return "minor", "general requirement"


def needed_grade(item: Item) -> str | None:
    """The ISO 286 grade a linear tolerance band needs at its size, or None (angles, one-sided, > 500 mm)."""
    if item.dim is None or item.dim.is_angle or item.dimension_type == "angle" or item.band_mm is None:
        return None
    size = abs(item.dim.nominal_mm)
    if size <= 0 or size > 500:
        return None
    try:
        return iso286.grade_for_tolerance(item.band_mm * 1000, size) or "01"
    except StandardsError:
        return None


def _grade_rank(grade: str) -> int:
    return {"01": -1, "0": 0}.get(grade, int(grade) if grade.isdigit() else 99)
