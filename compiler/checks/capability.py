"""Manufacturability against the shop's capability data (TP301–TP312).

For each part: the machines that can make it (process, material, envelope,
mass).  For each characteristic: the best of those machines that produces
that kind of feature, its predicted Cpk, and the requirement (``cpk_min``, or
``cpk_min_key`` for key and critical characteristics).  The model behind the
prediction is described in :mod:`techpack.schema.capability`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from ..characteristics import Characteristic
from ..diagnostics import Diagnostics
from ..schema.capability import Machine, Process
from ..schema.spec import FeatureType, Part, ROUND_FEATURES
from ..standards import iso286
from ..standards.capability import meets
from ..standards.tables import StandardsError
from .context import CapabilityRow, Context

ROUND_PROCESSES = {Process.turning, Process.turn_mill, Process.grinding_cylindrical}
SHEET_PROCESSES = {Process.laser_cutting, Process.waterjet, Process.punching, Process.bending}
TURNED_FEATURES = {FeatureType.shaft}
THIN_MARGIN = 0.10
LEAST_MARGIN_SHOWN = 5
SIZE_KINDS = {"size", "depth", "length", "location", "dimension"}


@dataclass
class Estimate:
    machine: Machine
    cpk: float
    held: str


def check(ctx: Context, diags: Diagnostics) -> None:
    cap = ctx.capability
    if cap is None:
        return
    _validate_data(cap.machines, diags)
    prod = ctx.spec.production
    cpk_min = float(prod.cpk_min) if prod else 1.33
    cpk_key = float(prod.cpk_min_key) if prod else 1.67
    assessed: list[tuple[CapabilityRow, Characteristic]] = []
    for part in ctx.spec.parts:
        machines = _machines_for_part(ctx, part, cap.machines, diags)
        ctx.machines_by_part[part.number] = [m.id for m in machines]
        if not machines:
            continue
        diags.add("TP310", f"{part.number} can be made on: {', '.join(m.id for m in machines)}",
                  part.loc("number"), subject=part.number)
        for ch in ctx.characteristics.get(part.number, []):
            required = cpk_key if (ch.key or ch.critical) else cpk_min
            row = _assess(ctx, part, ch, machines, required, diags)
            if row is not None:
                ctx.capability_rows.append(row)
                if row.margin is not None and row.cpk is not None:
                    assessed.append((row, ch))
        _hole_limits(ctx, part, machines, diags)
    assessed.sort(key=lambda r: (r[0].margin, r[0].subject))
    for row, ch in assessed[:LEAST_MARGIN_SHOWN]:
        diags.add("TP311", f"least margin: {ch.part.number} {ch.label} Cpk {row.cpk:.2f} on {row.machine} "
                  f"(needs {row.cpk_min:.2f}, margin {row.margin:+.0%})", ch.loc, subject=row.subject)


def _validate_data(machines: list[Machine], diags: Diagnostics) -> None:
    """Capability data that cannot be right (TP312)."""
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


# ------------------------------------------------------------------ machines for a part


def _machines_for_part(ctx: Context, part: Part, machines: list[Machine], diags: Diagnostics) -> list[Machine]:
    pn = part.number
    pool = list(machines)
    if part.process:
        known = {p.value for p in Process}
        for i, name in enumerate(part.process):
            if name not in known:
                diags.add("TP013", f"process {name!r} is not one of {', '.join(sorted(known))}",
                          part.loc("process", i), subject=pn)
        pool = [m for m in pool if m.process.value in part.process]
    else:
        pool = [m for m in pool if _suits_shape(ctx, part, m)]
    mat = ctx.material(part)
    if mat is not None:
        by_material = [m for m in pool if mat.family in m.materials]
        if pool and not by_material:
            diags.add("TP304", f"no machine for {pn} handles {mat.family.value} ({mat.designation})",
                      part.loc("material"), subject=pn)
            return []
        pool = by_material
    size = ctx.part_size_mm(part)
    if size is not None:
        fitting = [m for m in pool if _fits(size, m)]
        if pool and not fitting:
            dims = " x ".join(f"{d.normalize():f}" for d in sorted(size, reverse=True))
            diags.add("TP303", f"{pn} ({dims} mm) fits no machine's work envelope "
                      f"(tried {', '.join(m.id for m in pool)})", part.loc("number"), subject=pn)
            return []
        pool = fitting
    mass = ctx.part_mass_g(part)
    if mass is not None:
        light = [m for m in pool if m.max_mass is None or mass <= m.max_mass.base]
        if pool and not light:
            diags.add("TP307", f"{pn} weighs {mass / 1000:.2f} kg, more than any machine takes",
                      part.loc("number"), subject=pn)
            return []
        pool = light
    if not pool:
        diags.add("TP306", f"no machine in the capability data can make {pn}"
                  + (f" with processes {', '.join(part.process)}" if part.process else ""), part.loc("number"),
                  subject=pn)
    return pool


def _suits_shape(ctx: Context, part: Part, machine: Machine) -> bool:
    """Without a process list: lathes take turned parts, sheet machines take sheet parts."""
    if machine.process in ROUND_PROCESSES:
        return any(f.type in TURNED_FEATURES for f in part.features)
    if machine.process in SHEET_PROCESSES:
        mat = ctx.material(part)
        return mat is not None and mat.form == "sheet"
    return True


def _fits(size: tuple[Decimal, Decimal, Decimal], m: Machine) -> bool:
    a, b, c = size
    env = m.envelope
    if env.is_round:
        return max(a, b) <= env.diameter.base and c <= env.length.base  # type: ignore[union-attr]
    x, y, z = (env.x.base, env.y.base, env.z.base)  # type: ignore[union-attr]
    if m.process in SHEET_PROCESSES:
        # A formed sheet part is cut and bent from a flat blank about (b + a) x c.
        lo, hi = sorted((x, y))
        return c <= hi and a + b <= lo if c > lo else a + b <= hi
    ex = sorted((x, y, z))
    return a <= ex[0] and b <= ex[1] and c <= ex[2]


# ------------------------------------------------------------------ one characteristic


def _capable(ch: Characteristic, machines: list[Machine]) -> list[Machine]:
    if ch.feature is None:
        return machines
    return [m for m in machines if ch.feature.type in m.features]


def _assess(ctx: Context, part: Part, ch: Characteristic, machines: list[Machine], required: float,
            diags: Diagnostics) -> CapabilityRow | None:
    if ch.kind in SIZE_KINDS and ch.band_mm is not None:
        return _assess_size(ch, _capable(ch, machines), required, diags)
    if ch.kind == "gdt" and ch.frame is not None:
        return _assess_gdt(ch, _capable(ch, machines), required, diags)
    if ch.kind == "roughness":
        return _assess_roughness(ch, _capable(ch, machines), diags)
    return None


def _assess_size(ch: Characteristic, machines: list[Machine], required: float,
                 diags: Diagnostics) -> CapabilityRow | None:
    assert ch.dim is not None and ch.band_mm is not None
    band = ch.band_mm
    angle = ch.dim.is_angle or ch.dimension_type == "angle"
    size = abs(ch.size_mm or Decimal(0))
    estimates = [e for m in machines if (e := (_angle_estimate(m, band) if angle else _size_estimate(ch, m, size, band)))]
    tol = ch.dim.tolerance_text()
    if angle:
        need = f"{tol}°"
    else:
        need = _needed_grade(band, size) or f"{tol}"
    return _verdict(ch, estimates, required, need, diags,
                    what=f"{ch.label} ({tol})" if ch.dim.kind == "fit" else ch.label)


def _needed_grade(band_mm: Decimal, size: Decimal) -> str | None:
    if size <= 0 or size > 500:
        return None
    try:
        grade = iso286.grade_for_tolerance(band_mm * 1000, size)
    except StandardsError:
        return None
    return f"IT{grade}" if grade is not None else "finer than IT01"


def _size_estimate(ch: Characteristic, m: Machine, size: Decimal, band: Decimal) -> Estimate | None:
    cp_ref = float(m.cp_at_grade)
    sigma: float | None = None
    held = ""
    grade = None
    ftype = ch.feature.type if ch.feature is not None and ch.kind == "size" else None
    for sb in m.size_bands:
        if size <= sb.upto.base:
            if sb.sigma is not None:
                sigma, held = float(sb.sigma.base), f"σ {sb.sigma.text} up to {sb.upto.text}"
            else:
                grade = sb.it_grade
            break
    if sigma is None:
        if ftype is not None and ftype in m.feature_grades:
            grade = m.feature_grades[ftype]
        elif grade is None:
            grade = m.it_grade
        if grade is not None and 0 < size <= 500:
            found = _it(grade, size)
            if found is None:
                return None
            it_mm, held = found
            sigma = it_mm / (6 * cp_ref)
        elif m.linear_pm is not None:
            sigma = float(m.linear_pm.base) / (3 * cp_ref)
            held = f"±{m.linear_pm.text}"
        else:
            return None
    cp = float(band) / (6 * sigma)
    return Estimate(m, cp - float(m.mean_shift) / 3, held)


@functools.lru_cache(maxsize=4096)
def _it(grade: int, size: Decimal) -> tuple[float, str] | None:
    """IT value (mm) of ``grade`` at ``size`` and a text naming the size range."""
    try:
        it_mm = float(iso286.it_um(grade, size)) / 1000
        lo, hi = iso286.it_range(size)
    except StandardsError:
        return None
    return it_mm, f"IT{grade} at {lo.normalize():f}-{hi.normalize():f} mm"


def _angle_estimate(m: Machine, band: Decimal) -> Estimate | None:
    if m.angle_pm is None:
        return None
    cp = float(m.cp_at_grade) * float(band) / (2 * float(m.angle_pm))
    return Estimate(m, cp - float(m.mean_shift) / 3, f"±{m.angle_pm}°")


def _assess_gdt(ch: Characteristic, machines: list[Machine], required: float,
                diags: Diagnostics) -> CapabilityRow | None:
    frame = ch.frame
    assert frame is not None
    tol = float(frame.tolerance.base)
    estimates = []
    for m in machines:
        zone = m.gdt.get(frame.characteristic)
        if zone is not None:
            estimates.append(Estimate(m, float(m.cp_at_grade) * tol / float(zone.base),
                                      f"{frame.characteristic.value} {zone.text}"))
    return _verdict(ch, estimates, required, None, diags, what=ch.label)


def _verdict(ch: Characteristic, estimates: list[Estimate], required: float, need: str | None,
             diags: Diagnostics, what: str) -> CapabilityRow:
    """Pick the best machine; TP301 below the requirement, TP308 just above it.

    ``need`` names the grade a size tolerance needs (``IT7``); geometric
    tolerances state their zone in ``what`` already.
    """
    if not estimates:
        diags.add("TP309", f"no machine that can make {ch.part.number} states a capability for {what}", ch.loc,
                  subject=ch.subject)
        return CapabilityRow(ch.subject, ch.label, None, need or "", "-", None, required, None, False)
    best = max(estimates, key=lambda e: (e.cpk, e.machine.id))
    ok = meets(best.cpk, required)
    margin = best.cpk / required - 1
    if not ok:
        needs = f" needs {need};" if need else ":"
        diags.add("TP301", f"{what}{needs} {best.machine.id} holds {best.held} "
                  f"(Cpk {best.cpk:.2f} < {required:.2f})", ch.loc, subject=ch.subject)
    elif margin < THIN_MARGIN:
        diags.add("TP308", f"{what}: Cpk {best.cpk:.2f} on {best.machine.id} is within {THIN_MARGIN:.0%} of "
                  f"{required:.2f}", ch.loc, subject=ch.subject)
    return CapabilityRow(ch.subject, ch.label, best.machine.id, need or ch.label, best.held, best.cpk, required,
                         margin, ok)


def _assess_roughness(ch: Characteristic, machines: list[Machine], diags: Diagnostics) -> CapabilityRow | None:
    r = ch.feature.roughness if ch.feature is not None else None
    if r is None:
        return None
    is_ra = ch.id.endswith(".ra")
    need_q = r.ra if is_ra else r.rz
    assert need_q is not None
    attr = "ra_min" if is_ra else "rz_min"
    name = "Ra" if is_ra else "Rz"
    offers = [(m, getattr(m, attr)) for m in machines if getattr(m, attr) is not None]
    if not offers:
        diags.add("TP309", f"no machine that can make {ch.part.number} states an achievable {name}", ch.loc,
                  subject=ch.subject)
        return CapabilityRow(ch.subject, ch.label, None, f"{name} {need_q.text}", "-", None, 0, None, False)
    m, best = min(offers, key=lambda o: (o[1].base, o[0].id))
    ok = best.base <= need_q.base
    if not ok:
        diags.add("TP302", f"{ch.label}: the finest {name} the shop reaches on this feature is {best.text} "
                  f"({m.id})", ch.loc, subject=ch.subject)
    return CapabilityRow(ch.subject, ch.label, m.id, f"{name} {need_q.text}", f"{name} {best.text}", None, 0,
                         None, ok)


# ------------------------------------------------------------------ holes


def _hole_limits(ctx: Context, part: Part, machines: list[Machine], diags: Diagnostics) -> None:
    facts = ctx.geometry.get(part.number)
    for feature in part.features:
        if feature.type not in ROUND_FEATURES or feature.type in (FeatureType.boss, FeatureType.shaft, FeatureType.pin):
            continue
        if feature.size is None:
            continue
        dia = feature.size.nominal_mm
        depth: Decimal | None = None
        if feature.depth == "through":
            depth = _through_depth(facts, feature.axis, dia) if facts is not None else None
        elif feature.depth is not None and not isinstance(feature.depth, str):
            depth = feature.depth.nominal_mm
        capable = [m for m in machines if feature.type in m.features]
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
