"""Characteristics: every requirement of a part that someone must make and verify.

IDs are semantic and stable within a part — ``<feature>.<aspect>`` such as
``bore.size``, ``bore.position``, ``mount-holes.x.2`` or ``length`` — so adding
or removing one feature never renumbers the others.  The subject used in
diagnostics and waivers is ``<part number>/<id>``.

Dimensions written with a nominal only get their tolerance from the part's
general tolerance class (ISO 2768-1) here; a missing or inapplicable class is
reported (TP401, TP409).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import dimension_rules as rules
from .diagnostics import Diagnostics, Location
from .schema.quantities import Dim
from .schema.spec import ControlFrame, DimensionKind, Feature, FeatureType, Part, PartDimension, Spec
from .standards import iso2768
from .standards.general_tolerance import GeneralTolerance, parse_general_tolerance
from .standards.y14_5 import number_text, one_line, places
from .standards.tables import StandardsError


@dataclass
class Characteristic:
    """One requirement to make and inspect."""

    id: str
    part: Part
    kind: str  # size | depth | length | location | dimension | gdt | roughness | thread | note
    label: str
    loc: Location | None
    feature: Feature | None = None
    dim: Dim | None = None
    frame: ControlFrame | None = None
    key: bool = False
    critical: bool = False
    general: bool = False  # tolerance from the general class
    dimension_type: str = "linear"

    @property
    def subject(self) -> str:
        return f"{self.part.number}/{self.id}"

    @property
    def band_mm(self) -> Decimal | None:
        """Tolerance band in mm (angles: degrees)."""
        return None if self.dim is None else self.dim.band_mm

    @property
    def size_mm(self) -> Decimal | None:
        return None if self.dim is None else self.dim.nominal_mm


def part_characteristics(spec: Spec, diags: Diagnostics) -> dict[str, list[Characteristic]]:
    """All characteristics, by part number, with general tolerances resolved."""
    out: dict[str, list[Characteristic]] = {}
    for part in spec.parts:
        general = _general_class(part, diags, spec.product.units.value)
        chars: list[Characteristic] = []
        for feature in part.features:
            chars.extend(_feature_chars(part, feature, general, diags, spec.product.drawing.standard))
        for dim in part.dimensions:
            ch = _dimension_char(part, dim, general, diags, spec.product.drawing.standard)
            if ch is not None:
                chars.append(ch)
        for i, note in enumerate(part.notes, 1):
            chars.append(Characteristic(f"note.{i}", part, "note", note, part.loc("notes", i - 1)))
        out[part.number] = chars
    return out


def _general_class(part: Part, diags: Diagnostics, units: str) -> GeneralTolerance | None:
    if part.general_tolerance is None:
        return None
    try:
        return parse_general_tolerance(part.general_tolerance, units)
    except StandardsError as exc:
        diags.add("TP013", f"general_tolerance: {exc}", part.loc("general_tolerance"), subject=part.number)
        return None


def _resolve(part: Part, dim: Dim, general: GeneralTolerance | None, what: str, loc: Location | None,
             subject: str, diags: Diagnostics, kind: str = "linear") -> tuple[Dim | None, bool]:
    """Fill a nominal-only dimension from the general tolerance; report when it cannot be."""
    if dim.kind != "general":
        return dim, False
    angle = kind == "angle" or dim.is_angle
    if general is None or not (general.linear or (angle and general.angular is not None)):
        diags.add("TP401", f"{what} {dim.text} has no tolerance and part {part.number} states no general "
                  "tolerance class (e.g. general_tolerance: ISO 2768-mK, or a tolerance block such as "
                  "'UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005 ANGLES ±1°')", loc, subject=subject)
        return None, False
    if general.is_block:
        return _from_block(part, dim, general, what, loc, subject, diags, angle)
    linear = general.linear_class
    assert linear is not None
    size = dim.nominal_mm
    if size == 0 and not angle:
        diags.add("TP409", f"{what} {dim.text}: ISO 2768-1 gives no tolerance to a coordinate of 0 (its table "
                  "starts at 0.5 mm); on the datum or axis write '0 basic' with a position tolerance, or state one, "
                  "e.g. '0 ±0.1'", loc, subject=subject)
        return None, False
    try:
        if kind in ("radius", "chamfer"):
            pm = iso2768.radius_chamfer_pm(linear, size)
        elif angle:
            # ISO 2768-1 angular tolerance is by the shorter leg; without it, the strictest (longest-leg) row
            # would be a guess, so the smallest leg (<= 10 mm) row is the conservative reading for inspection.
            arcmin = iso2768.angular_pm_arcmin(linear, Decimal(10))
            pm = arcmin / 60
            return dim.with_tolerance(pm, -pm), True
        else:
            pm = iso2768.linear_pm(linear, size)
    except StandardsError as exc:
        diags.add("TP409", f"{what} {dim.text}: {exc}", loc, subject=subject)
        return None, False
    if pm is None:
        diags.add("TP409", f"{what} {dim.text}: ISO 2768-{linear} gives no tolerance for {size} mm; "
                  "state the tolerance on the dimension", loc, subject=subject)
        return None, False
    if dim.unit == "in":
        pm = pm / Decimal("25.4")
    return dim.with_tolerance(pm, -pm), True


def _from_block(part: Part, dim: Dim, general: GeneralTolerance, what: str, loc: Location | None, subject: str,
                diags: Diagnostics, angle: bool) -> tuple[Dim | None, bool]:
    """A tolerance block's ± for a dimension: by its places as written (lengths in the part's unit), or ANGLES."""
    if angle:
        if general.angular is None:
            diags.add("TP409", f"{what} {dim.text}: the tolerance block gives no ANGLES tolerance; state the "
                      "tolerance on the dimension or add e.g. ANGLES ±1° to the block", loc, subject=subject)
            return None, False
        return dim.with_tolerance(general.angular, -general.angular), True
    if dim.unit != general.unit:
        diags.add("TP409", f"{what} {dim.text}: the tolerance block is in {general.unit} and this dimension "
                  f"is in {dim.unit}; state the tolerance on the dimension", loc, subject=subject)
        return None, False
    n = places(dim.nominal)
    pm = general.block_pm(n)
    if pm is None:
        diags.add("TP409", f"{what} {dim.text} is written with {n} decimal place{'s' if n != 1 else ''} "
                  f"({'.' + 'X' * n if n else 'X'}) and the tolerance block gives {general.places_listed()}; "
                  "write it with the places of the tolerance it needs, or state the tolerance", loc, subject=subject)
        return None, False
    return dim.with_tolerance(pm, -pm), True


def _flags(feature: Feature) -> dict:
    return {"key": feature.key, "critical": feature.critical}


def _feature_chars(part: Part, feature: Feature, general, diags: Diagnostics, standard: str = "ISO") -> list[Characteristic]:
    chars: list[Characteristic] = []
    name = feature.description or feature.id
    fid = feature.id

    def add_dim(aspect: str, dim: Dim, field: str, index: int | None = None, flags: bool = False, label=None,
                loc: Location | None = None):
        cid = f"{fid}.{aspect}"
        if loc is None:
            loc = feature.loc(field) if index is None else _position_loc(feature, index, aspect)
        # ISO 2768-1 Table 2: a chamfer's height and a fillet's radius are broken edges, not linear sizes
        table = {FeatureType.chamfer: "chamfer", FeatureType.fillet: "radius"}.get(feature.type, "linear")
        chamfer = feature.type is FeatureType.chamfer and aspect == "size"
        resolved, from_class = _resolve(part, dim, general, f"{fid} {aspect}", loc, f"{part.number}/{cid}", diags,
                                        table if aspect == "size" else "linear")
        if resolved is None:
            return
        if aspect in ("size", "depth", "length") and not _physical(resolved, f"{fid} {aspect}", loc,
                                                                     f"{part.number}/{cid}", diags):
            return
        head = aspect.split(".")[-1] if aspect.startswith(("cbore.", "csk.")) else aspect.split(".")[0]
        kind = head if head in ("size", "depth", "length") else ("dimension" if head == "angle" else "location")
        chars.append(Characteristic(cid, part, kind,
                                    label or f"{one_line(dim, standard)} {name}", loc, feature, resolved,
                                    general=from_class, dimension_type="angle" if resolved.is_angle else
                                    "chamfer" if chamfer else "linear",
                                    **(_flags(feature) if flags else {})))

    wrong_unit = dict(rules.feature_unit_problems(feature))
    for field, problem in wrong_unit.items():
        diags.add("TP025", problem, feature.loc(field), subject=f"{part.number}/{fid}.{field}")
    if feature.size is not None and "size" not in wrong_unit:
        problem = rules.fit_side_problem(feature)
        if problem:
            diags.add("TP133", problem, feature.loc("size"), subject=f"{part.number}/{fid}.size")
        conflict = rules.thread_size_problem(feature, _resolve(part, feature.size, general, "", None, "",
                                                               Diagnostics())[0])
        if conflict:
            diags.add("TP132", conflict, feature.loc("size"), subject=f"{part.number}/{fid}.size")
        else:
            add_dim("size", feature.size, "size", flags=True)
    if feature.type is FeatureType.chamfer and feature.angle is not None and feature.angle.toleranced:
        stated_in = "size" if feature.size is not None and "°" in feature.size.text else "angle"
        add_dim("angle", feature.angle, stated_in,
                label=f"chamfer angle {one_line(feature.angle, standard)} {name}")
    if feature.depth is not None and not isinstance(feature.depth, str) and "depth" not in wrong_unit:
        add_dim("depth", feature.depth, "depth", label=f"depth {one_line(feature.depth, standard)} {name}")
    if feature.length is not None and "length" not in wrong_unit:
        add_dim("length", feature.length, "length", label=f"length {one_line(feature.length, standard)} {name}")
    if feature.counterbore is not None:
        cb = feature.counterbore
        add_dim("cbore.size", cb.size, "counterbore", label=f"⌴ {one_line(cb.size, standard)} {name}", loc=cb.loc("size"))
        add_dim("cbore.depth", cb.depth, "counterbore", label=f"⌴ depth {one_line(cb.depth, standard)} {name}", loc=cb.loc("depth"))
    if feature.countersink is not None:
        cs = feature.countersink
        add_dim("csk.size", cs.size, "countersink", label=f"⌵ {one_line(cs.size, standard)} {name}", loc=cs.loc("size"))
        if cs.angle.is_angle:
            add_dim("csk.angle", cs.angle, "countersink", label=f"⌵ {cs.angle.text} {name}", loc=cs.loc("angle"))
        else:
            diags.add("TP025", f"{fid}: countersink angle {cs.angle.text!r} is in {cs.angle.unit}; write the included "
                      "angle in degrees (90°) — a unit is never guessed across kinds", cs.loc("angle"),
                      subject=f"{part.number}/{fid}.csk.angle")
    if feature.knurl is not None:
        k = feature.knurl
        chars.append(Characteristic(f"{fid}.knurl", part, "knurl", f"knurl {k.designation} {name}",
                                    feature.loc("knurl"), feature))
    multi = len(feature.locations) > 1
    for i, pos in enumerate(feature.locations, 1):
        for axis in ("x", "y", "z"):
            dim = getattr(pos, axis)
            if dim is None or dim.kind == "basic":
                continue
            aspect = f"{axis}.{i}" if multi else axis
            add_dim(aspect, dim, "locations", index=i - 1, label=f"{axis.upper()} {one_line(dim, standard)} {name}")
    if feature.thread:
        chars.append(Characteristic(f"{fid}.thread", part, "thread", f"{feature.thread} {name}",
                                    feature.loc("thread"), feature, **_flags(feature)))
    for i, frame in enumerate(feature.gdt):
        suffix = frame.id or frame.characteristic.value
        datums = "|".join(frame.datums)
        zone = ("Ø" if frame.diameter else "") + number_text(frame.tolerance.value, frame.tolerance.unit, standard)
        mod = {"MMC": "Ⓜ", "LMC": "Ⓛ"}.get(frame.modifier.value if frame.modifier else "", "")
        extent = f" {frame.extent.replace('-', ' ')}" if frame.extent else ""  # "all around" / "all over"
        label = f"{frame.characteristic.value} {zone}{mod}{(' ' + datums) if datums else ''}{extent} {name}"
        chars.append(Characteristic(f"{fid}.{suffix}", part, "gdt", label, feature.loc("gdt", i), feature,
                                    frame=frame, key=frame.key, critical=frame.critical))
    if feature.roughness is not None:
        r = feature.roughness
        if r.ra is not None:
            chars.append(Characteristic(f"{fid}.ra", part, "roughness", f"Ra {r.ra.text} {name}",
                                        feature.loc("roughness"), feature))
        if r.rz is not None:
            chars.append(Characteristic(f"{fid}.rz", part, "roughness", f"Rz {r.rz.text} {name}",
                                        feature.loc("roughness"), feature))
    if feature.notes:
        chars.append(Characteristic(f"{fid}.note", part, "note", feature.notes, feature.loc("notes"), feature))
    return chars


def _position_loc(feature: Feature, index: int, aspect: str) -> Location | None:
    try:
        pos = feature.locations[index]
    except IndexError:  # pragma: no cover
        return feature.loc("locations")
    return pos.loc(aspect.split(".")[0])


def _physical(dim: Dim, what: str, loc: Location | None, subject: str, diags: Diagnostics) -> bool:
    """A size no part can have is a finding, never a drawing: below zero, or an angle past a full turn."""
    if dim.is_angle:
        for v in (dim.nominal, dim.upper):
            if v is not None and v > 360:
                diags.add("TP014", f"{what} {dim.text}: an angle of {v}° is more than a full turn (360°)", loc,
                          subject=subject)
                return False
    lower = dim.lower if dim.lower is not None else dim.nominal
    if lower is not None and lower < 0:
        diags.add("TP014", f"{what} {dim.text}: its lower limit {lower} is below zero, and a size cannot be "
                  "negative; check the tolerance", loc, subject=subject)
        return False
    return True


def _dimension_char(part: Part, dim: PartDimension, general, diags: Diagnostics,
                    standard: str = "ISO") -> Characteristic | None:
    kind = dim.type.value
    problem = rules.unit_problem(dim)
    if problem:
        diags.add("TP025", problem, dim.loc("value"), subject=f"{part.number}/{dim.id}")
        _physical(dim.value, dim.id, dim.loc("value"), f"{part.number}/{dim.id}", diags)  # 361° is wrong either way
        return None
    if dim.value.kind == "basic" or dim.reference:
        return None  # basic: theoretically exact; reference: for information, not inspected
    resolved, from_class = _resolve(part, dim.value, general, dim.id, dim.loc("value"),
                                    f"{part.number}/{dim.id}", diags, kind)
    if resolved is None or not _physical(resolved, dim.id, dim.loc("value"), f"{part.number}/{dim.id}", diags):
        return None
    label = f"{one_line(dim.value, standard)} {dim.description or dim.id}"
    return Characteristic(dim.id, part, "dimension", label, dim.loc("value"), None, resolved,
                          key=dim.key, critical=dim.critical, general=from_class,
                          dimension_type=("angle" if dim.type is DimensionKind.angle or resolved.is_angle else kind))
