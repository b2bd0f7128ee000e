"""Capability data that cannot be right (TP312) and holes beyond a machine's limits (TP305)."""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import Diagnostics
from ..routing import STOCK
from ..schema.capability import Machine
from ..schema.spec import FeatureType, Part, ROUND_FEATURES
from .context import Context


def validate_data(machines: list[Machine], diags: Diagnostics) -> None:
    """Capability data that cannot be right (TP312).  Machine IDs are unique within one file (one supplier)."""
    seen: dict[str, Machine] = {}
    for m in machines:
        subject = f"capability/{m.id}"
        if m.id in seen:
            diags.add("TP312", f"machine ID {m.id!r} appears twice (first at {seen[m.id].loc('id')})", m.loc("id"),
                      subject=subject)
        seen.setdefault(m.id, m)
        grades = [g for g in [m.it_grade, *m.feature_grades.values(), *(b.it_grade for b in m.size_bands)]
                  if g is not None]
        for g in grades:
            if not 1 <= g <= 18:
                where = m.loc("it_grade") if g == m.it_grade else m.loc()
                diags.add("TP312", f"machine {m.id}: IT grade {g} is outside IT1-IT18", where, subject=subject)
        uptos = [b.upto.base for b in m.size_bands]
        if uptos != sorted(uptos) or len(set(uptos)) != len(uptos):
            diags.add("TP312", f"machine {m.id}: size_bands must run from the smallest size up",
                      m.loc("size_bands"), subject=subject)
        if m.cp_at_grade <= 0:
            diags.add("TP312", f"machine {m.id}: cp_at_grade must be greater than zero", m.loc("cp_at_grade"),
                      subject=subject)
        if (m.it_grade is None and not m.size_bands and m.linear_pm is None and m.angle_pm is None
                and not m.gdt and m.ra_min is None):
            diags.add("TP312", f"machine {m.id} states no capability figure (it_grade, size_bands, linear_pm, "
                      "angle_pm, gdt or ra_min)", m.loc(), subject=subject)
        if not m.features:
            diags.add("TP312", f"machine {m.id} lists no features it can produce", m.loc("features"),
                      subject=subject)


def hole_limits(ctx: Context, part: Part, feature_op: dict[str, str], by_op: dict[str, list[Machine]],
                diags: Diagnostics) -> None:
    """TP305: holes below the smallest diameter or beyond the depth ratio of the machines of their operation."""
    facts = ctx.geometry.get(part.number)
    for feature in part.features:
        if feature.type not in ROUND_FEATURES or feature.type in (FeatureType.boss, FeatureType.shaft, FeatureType.pin):
            continue
        if feature.size is None:
            continue
        op = feature_op.get(feature.id)
        if op is None or op == STOCK:
            continue
        dia = feature.size.nominal_mm
        depth: Decimal | None = None
        if feature.depth == "through":
            depth = _through_depth(facts, feature.axis, dia) if facts is not None else None
        elif feature.depth is not None and not isinstance(feature.depth, str) and not feature.depth.is_angle:
            depth = feature.depth.nominal_mm  # an angle is TP025, not a depth
        capable = [m for m in by_op.get(op, []) if feature.type in m.features]
        if not capable:
            continue
        ok = [m for m in capable
              if (m.min_hole_diameter is None or dia >= m.min_hole_diameter.base)
              and (depth is None or m.max_depth_ratio is None or depth / dia <= m.max_depth_ratio)]
        if not ok:
            smallest = min((m.min_hole_diameter.base for m in capable if m.min_hole_diameter), default=None)
            deepest = max((m.max_depth_ratio for m in capable if m.max_depth_ratio), default=None)
            if smallest is not None and dia < smallest:
                why = f"Ø{dia.normalize():f} is below the smallest hole the shop drills (Ø{smallest.normalize():f})"
            else:
                ratio = (depth or 0) / dia
                why = f"depth/diameter {ratio:.1f} exceeds the shop's maximum of {deepest}"
            diags.add("TP305", f"{feature.id}: {why}", feature.loc("size"), subject=f"{part.number}/{feature.id}")


def _through_depth(facts, axis: str | None, dia: Decimal) -> Decimal | None:
    """Length of the model's hole of this diameter along ``axis``; else the part's extent along it."""
    want = float(dia) / 2
    lengths = [c.length for c in facts.cylinders
               if c.internal and abs(c.radius - want) < 0.01
               and (axis is None or abs(c.axis_dir["xyz".index(axis)]) > 0.999)]
    if lengths:
        return Decimal(str(round(max(lengths), 6)))
    if axis is None:
        return None
    i = "xyz".index(axis)
    return Decimal(str(round(facts.bbox_max[i] - facts.bbox_min[i], 6)))
