"""How well a supplier's machines hold one characteristic: exact Cp and Cpk, one operation or a stack.

The prediction (see :mod:`techpack.schema.capability`): each machine gives a
process spread σ for the characteristic (σ by size band; IT\\ *n* / (6 ·
cp_at_grade); ± figure / (3 · cp_at_grade); geometric zone / (6 · cp_at_grade))
and an expected mean offset ``mean_shift`` · σ.  Then

    Cp = (band / 2) / (3 σ),  Cpk = (band / 2 − Σ shift · σ) / (3 σ)

For a characteristic that spans operations not made in one set-up, the stack
is the **RSS** of the operations' sigmas plus the re-fixturing error of the
later operation's machine (``refixture_pm``, ± at cp_at_grade, so σ = r / (3 ·
cp_at_grade): an offset of the feature, like the σ of a zone figure, which is
zone / (6 · cp_at_grade) because a zone of width t allows ±t/2).  Mean offsets add
linearly (worst case).  Everything is a :class:`~techpack.standards.capability.Index`:
exact rational arithmetic, square roots compared by squares.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..characteristics import Characteristic
from ..schema.capability import Machine
from ..standards import iso286
from ..standards.capability import Index
from ..standards.tables import StandardsError

SIZE_KINDS = {"size", "depth", "length", "location", "dimension"}


@dataclass(frozen=True)
class Spread:
    """One machine's spread for one characteristic."""

    machine: Machine
    sigma: Fraction
    shift: Fraction  # mean offset in units of sigma
    held: str
    stated: bool  # the figure is a stated capability at cp_at_grade (not a measured sigma)


_IT_CACHE: dict[tuple[int, Decimal], tuple[Fraction, str] | None] = {}


def _it(grade: int, size: Decimal) -> tuple[Fraction, str] | None:
    key = (grade, size)
    if key not in _IT_CACHE:
        try:
            it_mm = Fraction(iso286.it_um(grade, size)) / 1000
            lo, hi = iso286.it_range(size)
            _IT_CACHE[key] = (it_mm, f"IT{grade} at {lo.normalize():f}-{hi.normalize():f} mm")
        except StandardsError:
            _IT_CACHE[key] = None
    return _IT_CACHE[key]


def size_spread(m: Machine, ftype, size: Decimal) -> Spread | None:
    """σ of machine ``m`` for a linear size of ``size`` mm on a feature of kind ``ftype`` (None: any)."""
    cp_ref = Fraction(m.cp_at_grade)
    shift = Fraction(m.mean_shift)
    grade = None
    for sb in m.size_bands:
        if size <= sb.upto.base:
            if sb.sigma is not None:
                return Spread(m, Fraction(sb.sigma.base), shift, f"σ {sb.sigma.text} up to {sb.upto.text}", False)
            grade = sb.it_grade
            break
    if ftype is not None and ftype in m.feature_grades:
        grade = m.feature_grades[ftype]
    elif grade is None:
        grade = m.it_grade
    if grade is not None and 0 < size <= 500:
        found = _it(grade, size)
        if found is None:
            return None
        it_mm, held = found
        return Spread(m, it_mm / (6 * cp_ref), shift, held, True)
    if m.linear_pm is not None:
        return Spread(m, Fraction(m.linear_pm.base) / (3 * cp_ref), shift, f"±{m.linear_pm.text}", True)
    return None


def angle_spread(m: Machine) -> Spread | None:
    if m.angle_pm is None:
        return None
    return Spread(m, Fraction(m.angle_pm) / (3 * Fraction(m.cp_at_grade)), Fraction(m.mean_shift),
                  f"±{m.angle_pm}°", True)


def gdt_spread(m: Machine, characteristic) -> Spread | None:
    zone = m.gdt.get(characteristic)
    if zone is None:
        return None
    return Spread(m, Fraction(zone.base) / (6 * Fraction(m.cp_at_grade)), Fraction(0),
                  f"{characteristic.value} {zone.text}", True)


def refixture_sigma(m: Machine) -> Fraction | None:
    if m.refixture_pm is None or m.refixture_pm.base <= 0:
        return None
    return Fraction(m.refixture_pm.base) / (3 * Fraction(m.cp_at_grade))


def usable(s: Spread | None) -> Spread | None:
    """A spread of zero (a figure of 0 in the data, reported as TP312) cannot predict anything."""
    return s if s is not None and s.sigma > 0 else None


def indices(band: Fraction, spreads: list[Spread], extra_sigma: Fraction = Fraction(0)) -> tuple[Index, Index]:
    """(Cp, Cpk) of a tolerance ``band`` made with these spreads (RSS) and an extra re-fixturing sigma."""
    den2 = 9 * (sum((s.sigma * s.sigma for s in spreads), Fraction(0)) + extra_sigma * extra_sigma)
    half = band / 2
    offset = sum((s.shift * s.sigma for s in spreads), Fraction(0))
    return Index(half, den2), Index(half - offset, den2)


def bend_spread(m: Machine, bends: int) -> Spread | None:
    """A press brake's spread for a linear characteristic across ``bends`` (≥ 2) bend lines: ``linear_pm`` holds
    across one bend, and each further bend adds ``per_bend_pm`` (worst case, as the published rule states it).
    Without ``per_bend_pm`` the one-bend figure is used and the held text says so."""
    if m.linear_pm is None or m.process.value != "bending" or m.size_bands or m.it_grade is not None:
        return None
    one = m.linear_pm.base
    if m.per_bend_pm is None:
        return Spread(m, Fraction(one) / (3 * Fraction(m.cp_at_grade)), Fraction(m.mean_shift),
                      f"±{m.linear_pm.text} across {bends} bends (no per_bend_pm figure: one bend's)", True)
    held = one + m.per_bend_pm.base * (bends - 1)
    text = f"±{_mm(held)} across {bends} bends (±{m.linear_pm.text} + {bends - 1} × {m.per_bend_pm.text})"
    return Spread(m, Fraction(held) / (3 * Fraction(m.cp_at_grade)), Fraction(m.mean_shift), text, True)


def _mm(value: Decimal) -> str:
    return f"{value.normalize():f} mm"


def spread_for(ch: Characteristic, m: Machine, angle: bool, bends: int = 0):
    """The spread of ``m`` for ``ch`` (size, angle or geometric), or None when it states no figure; ``bends``:
    how many bend lines a linear characteristic crosses (:meth:`techpack.routing.Routing.bends_crossed`)."""
    if ch.kind == "gdt":
        return usable(gdt_spread(m, ch.frame.characteristic))  # type: ignore[union-attr]
    if angle:
        return usable(angle_spread(m))
    if bends > 1:
        found = bend_spread(m, bends)
        if found is not None:
            return usable(found)
    size = abs(ch.size_mm or Decimal(0))
    ftype = ch.feature.type if ch.feature is not None and ch.kind == "size" else None
    return usable(size_spread(m, ftype, size))


def band_of(ch: Characteristic) -> Fraction | None:
    if ch.kind == "gdt":
        return Fraction(ch.frame.tolerance.base) if ch.frame is not None else None  # type: ignore[union-attr]
    return Fraction(ch.band_mm) if ch.band_mm is not None else None


def needed_grade(band_mm: Decimal, size: Decimal) -> str | None:
    if size <= 0 or size > 500:
        return None
    try:
        grade = iso286.grade_for_tolerance(band_mm * 1000, size)
    except StandardsError:
        return None
    return f"IT{grade}" if grade is not None else "finer than IT01"


def is_angle(ch: Characteristic) -> bool:
    return ch.dim is not None and (ch.dim.is_angle or ch.dimension_type == "angle")
