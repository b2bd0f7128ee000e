"""Sheet-metal parts (``sheet_metal:``): the model is a bent sheet the shop can cut and bend (TP701–TP708).

The geometry worker unfolds the model (:mod:`techpack.geometry.unfold`); this
check compares what it found with the spec and with the press brakes and lasers
of the capability data, in exact decimals:

* TP705 the model is not a sheet of constant thickness (each face named, with the thickness found);
* TP706 the model's thickness or bend radius is not the spec's;
* TP701 a bend radius below the smallest the press brakes make for the material and thickness;
* TP702 a flange shorter than the press brake's minimum;
* TP703 a hole or slot closer to a bend than factor·t + r (default 2.5·t + r, a vendor DFM rule of
  thumb, not a DIN/ISO requirement: ``standards/sheet_metal_bending.md``), measured on the flat from
  the bend zone's edge (tangent line) to the hole's edge;
* TP704 a bend whose end runs into flat material without a relief cut;
* TP707 no press-brake or laser data for the material and thickness;
* TP708 beyond the machines: sheet outside every laser's thickness range, a hole below the laser's
  smallest, a bend longer than every press brake.

The flat pattern is kept in ``ctx.flat_patterns`` for the flat DXF and the drawings.
"""

from __future__ import annotations

import math
from decimal import Decimal

from ..diagnostics import Diagnostics
from ..schema.spec import Part
from ..sheetmetal.bending import choose_k, press_brakes, tooling_for
from .context import Context

TOL = Decimal("0.01")  # mm: model vs spec


def _d(x: float) -> Decimal:
    return Decimal(str(round(x, 4)))


def _mm(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".")


def check(ctx: Context, diags: Diagnostics) -> None:
    for part in ctx.spec.parts:
        if part.sheet_metal is None:
            continue
        _part(ctx, part, diags)


def _part(ctx: Context, part: Part, diags: Diagnostics) -> None:
    sm = part.sheet_metal
    loc = part.loc("sheet_metal")
    mat = ctx.material(part)
    family = mat.family.value if mat is not None else None
    t = sm.thickness.base
    r = sm.bend_radius.base
    subject = part.number
    brakes = press_brakes(ctx.capability)
    rows = [(m, tooling_for(m, family or "", t)) for m in brakes]
    rows = [(m, row) for m, row in rows if row is not None]
    lasers = [m for m in (ctx.capability.machines if ctx.capability else []) if m.laser is not None
              and (family is None or family in [f.value for f in m.materials])]
    if ctx.capability is not None and not rows:
        diags.add("TP707", f"{part.number}: no press brake in the capability data states tooling for "
                  f"{family or part.material} {sm.thickness}: minimum radius and flange cannot be checked",
                  loc, subject=subject)
    if ctx.capability is not None and not lasers:
        diags.add("TP707", f"{part.number}: no laser in the capability data states a thickness range for "
                  f"{family or part.material}: the cut cannot be checked", loc, subject=subject)
    # radius against the press brakes (the spec's radius; the model's is compared with it below)
    if rows:
        best = min(rows, key=lambda mr: mr[1].min_radius.base)
        if r < best[1].min_radius.base:
            diags.add("TP701", f"{part.number}: inside bend radius {sm.bend_radius} is below the smallest the press "
                      f"brakes make in {family} {sm.thickness} ({best[1].min_radius} on {best[0].id})",
                      sm.loc("bend_radius"), subject=subject)
    if lasers and not any(m.laser.thickness_min.base <= t <= m.laser.thickness_max.base for m in lasers):
        ranges = ", ".join(f"{m.id} {m.laser.thickness_min}–{m.laser.thickness_max}" for m in lasers)
        diags.add("TP708", f"{part.number}: sheet thickness {sm.thickness} is outside every laser's range ({ranges})",
                  sm.loc("thickness"), subject=subject)

    facts = ctx.geometry.get(part.number)
    if facts is None or part.geometry is None:
        return
    from ..geometry import GeometryError  # noqa: PLC0415
    from ..sheetmetal.flat import load_flat  # noqa: PLC0415

    k = choose_k(sm, family, ctx.capability)
    try:
        model = (ctx.loaded.folder / part.geometry.path).resolve()
        flat = load_flat(model, part.geometry.kind, float(k.k), data=ctx.loaded.blob(model),
                         basis=ctx.loaded.basis(model, part.geometry.kind))
    except GeometryError as exc:
        diags.add("TP705", f"{part.number}: the model could not be unfolded: {exc}", loc, subject=subject)
        return
    gloc = part.geometry.loc(part.geometry.kind)
    if flat.not_sheet:
        diags.add("TP705", f"{part.number}: the model is not a sheet: {flat.not_sheet}", gloc, subject=subject)
        return
    if abs(_d(flat.thickness) - t) > TOL:
        diags.add("TP706", f"{part.number}: the model is {_d(flat.thickness).normalize()} mm thick "
                  f"(at {flat.skin_face}), the spec says {sm.thickness}", sm.loc("thickness"), subject=subject)
    for p in flat.problems:
        found = f", {_mm(p['thickness'])} mm thick there" if p.get("thickness") is not None else ""
        diags.add("TP705", f"{part.number}: not a constant-thickness sheet of {_mm(flat.thickness)} mm: {p['face']}: "
                  f"{p['why']}{found}", gloc, subject=subject)
    if flat.problems:
        return
    ctx.flat_patterns[part.number] = flat
    factor = max((m.press_brake.hole_to_bend_factor for m, _row in rows), default=Decimal("2.5"))
    min_flange = min((row.min_flange.base for _m, row in rows), default=None)
    longest = max((m.press_brake.max_bend_length.base for m in brakes), default=None)
    for b in flat.bends:
        where = f"bend {b.id} ({b.angle:g}° at X{b.where[0]:g} Y{b.where[1]:g} Z{b.where[2]:g})"
        if abs(_d(b.radius) - r) > TOL:
            diags.add("TP706", f"{part.number}: {where} has inside radius {_d(b.radius).normalize()} mm in the model, "
                      f"the spec says {sm.bend_radius}", sm.loc("bend_radius"), subject=subject)
        if min_flange is not None:
            for side, length in zip(("before", "after"), b.flanges):
                if _d(length) < min_flange:
                    diags.add("TP702", f"{part.number}: {where}: the flange {side} it is {_d(length).normalize()} mm "
                              f"from the bend's tangent line, below the press brake's minimum {min_flange} mm "
                              f"for {family} {sm.thickness}", gloc, subject=subject)
        if longest is not None and _d(b.length) > longest:
            diags.add("TP708", f"{part.number}: {where} is {_d(b.length).normalize()} mm long, longer than every press "
                      f"brake ({longest} mm)", gloc, subject=subject)
        for end in b.relief:
            diags.add("TP704", f"{part.number}: {where}: at its {end} the flat continues past the bend without a "
                      "relief cut (the sheet tears or bulges there); cut a relief at least t wide and r + t deep",
                      gloc, subject=subject)
        limit = factor * t + r
        for what, dist in _cutouts_near(flat, b):
            if _d(dist) < limit:
                diags.add("TP703", f"{part.number}: {what} is {_d(dist).normalize()} mm from {where}'s tangent line; "
                          f"keep at least {factor}·t + r = {limit.normalize()} mm (vendor DFM rule of thumb "
                          "2.5·t + r, not a DIN/ISO requirement) or the hole distorts when bent",
                          gloc, subject=subject)
    if lasers:
        floor = min(max(m.laser.min_hole.base if m.laser.min_hole else Decimal(0), m.laser.min_hole_factor * t)
                    for m in lasers)
        for (cx, cy), rad in flat.holes:
            if _d(2 * rad) < floor:
                diags.add("TP708", f"{part.number}: hole Ø{_d(2 * rad).normalize()} at X{cx:g} Y{cy:g} of the flat is "
                          f"below the laser's smallest Ø{floor.normalize()} for {sm.thickness}", gloc, subject=subject)


def _seg_dist(p, a, b) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    n2 = dx * dx + dy * dy
    s = 0.0 if n2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / n2))
    return math.hypot(p[0] - (ax + s * dx), p[1] - (ay + s * dy))


def _cutouts_near(flat, bend):
    """(description, distance on the flat from the cut-out's edge to the nearer tangent line) per cut-out."""
    lines = bend.tangents
    out = []
    for (cx, cy), rad in flat.holes:
        d = min(_seg_dist((cx, cy), a, b) for a, b in lines) - rad
        out.append((f"hole Ø{_d(2 * rad).normalize()} at X{cx:g} Y{cy:g} of the flat", max(d, 0.0)))
    from ..sheetmetal.dxf import loops  # noqa: PLC0415 - pure Python, no ezdxf at import

    for loop in loops([p for p, inner in zip(flat.outline, flat.inner) if inner]):
        d = min(_seg_dist(p, a, b) for p in loop for a, b in lines)
        xs, ys = [p[0] for p in loop], [p[1] for p in loop]
        out.append((f"cut-out at X{(min(xs) + max(xs)) / 2:.3g} Y{(min(ys) + max(ys)) / 2:.3g} of the flat", d))
    return out
