"""One part as the PDF shows it: its data, its drawing sheet, and its characteristics (the measurement chart).

Characteristics are listed in the order :func:`techpack.characteristics.part_characteristics`
yields them, by their stable ID (``bore.size``): the ID the drawing's balloons,
the inspection plan and the capability report all use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..characteristics import Characteristic
from ..checks.context import Context
from ..quality.values import note_limits
from ..schema.spec import GdtCharacteristic, Part
from ..standards import y14_5
from . import fmt
from .sheets import Sheet

GDT_SYMBOLS = {
    GdtCharacteristic.straightness: "⏤", GdtCharacteristic.flatness: "⏥", GdtCharacteristic.circularity: "○",
    GdtCharacteristic.cylindricity: "⌭", GdtCharacteristic.profile_line: "⌒",
    GdtCharacteristic.profile_surface: "⌓", GdtCharacteristic.perpendicularity: "⟂",
    GdtCharacteristic.parallelism: "∥", GdtCharacteristic.angularity: "∠", GdtCharacteristic.position: "⌖",
    GdtCharacteristic.concentricity: "◎", GdtCharacteristic.coaxiality: "◎", GdtCharacteristic.symmetry: "⌯",
    GdtCharacteristic.circular_runout: "↗", GdtCharacteristic.total_runout: "⌰",
}
MODIFIER_SYMBOLS = {"MMC": "Ⓜ", "LMC": "Ⓛ"}
UNIT_TEXT = {"mm": "mm", "in": "in", "deg": "°"}


@dataclass(frozen=True)
class Frame:
    """A feature control frame, cell by cell: ⌖ | Ø0.05 Ⓜ | A | B | C."""

    symbol: str
    name: str
    zone: str
    datums: list[str]


@dataclass(frozen=True)
class CharRow:
    """One line of the characteristics table."""

    id: str
    kind: str
    requirement: str  # as written: "Ø12 H7 sensor bore"
    feature: str  # the feature's name, shown beside a control frame
    frame: Frame | None
    lower: str
    upper: str
    unit: str
    klass: str  # "critical", "key" or ""
    classification: str  # the inspection plan's class (critical / major / minor), "" without one
    method: str
    note: str  # where the limits come from, after the requirement: "ISO 2768-mK ±0.3", "H7 +0.018/0"

    @property
    def limits(self) -> str:
        """``11.95 – 12.05 mm``, ``≤ 0.05 mm``, ``≥ 3 mm``, or empty."""
        unit = f" {self.unit}" if self.unit and self.unit != "°" else self.unit
        if self.lower and self.upper:
            return f"{self.lower} – {self.upper}{unit}"
        if self.upper:
            return f"≤ {self.upper}{unit}"
        if self.lower:
            return f"≥ {self.lower}{unit}"
        return ""


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass
class PartPage:
    anchor: str
    number: str
    name: str
    revision: str
    facts: list[Fact]
    datums: list[Fact]
    notes: list[str]
    characteristics: list[CharRow]
    key_count: int
    sheet: Sheet | None
    drawing_path: str
    drawing_missing: str  # why there is no sheet, when there is none
    method_header: str
    flat: "FlatView | None" = None  # the sheet-metal flat pattern, when the pack has one


@dataclass
class FlatView:
    """A flat pattern's SVG on the part page."""

    path: str  # flat/<part>.dxf
    data_url: str
    width: str  # CSS length
    scale_text: str  # "1:1" or "reduced to 80 %; use the DXF"


def frame_of(ch: Characteristic, standard: str = "ISO") -> Frame | None:
    f = ch.frame
    if f is None:
        return None
    zone = ("Ø" if f.diameter else "") + _number(f.tolerance.value, f.tolerance.unit, standard)
    if f.modifier is not None and f.modifier.value in MODIFIER_SYMBOLS:
        zone += " " + MODIFIER_SYMBOLS[f.modifier.value]
    datums = [d.replace("(M)", " Ⓜ").replace("(L)", " Ⓛ") for d in f.datums]
    return Frame(GDT_SYMBOLS[f.characteristic], f.characteristic.value, zone, datums)


def _number(value: Decimal, unit: str, standard: str, places: int | None = None) -> str:
    """Inch values on an ASME drawing as Y14.5 writes them (``.500``); others as :func:`fmt.dec`."""
    return y14_5.inch(value, places) if standard == "ASME" and unit == "in" else fmt.dec(value)


def char_row(ch: Characteristic, methods: dict[str, str] | None, classes: dict[str, str] | None,
             general_class: str, standard: str = "ISO", length_unit: str = "mm") -> CharRow:
    """One line of a part's characteristics table."""
    lower = upper = unit = note = ""
    if ch.dim is not None:
        d = ch.dim
        unit = UNIT_TEXT.get(d.unit, d.unit)
        tol = y14_5.tolerance_text(d, standard)
        block = general_class if len(general_class) <= 20 else "general tolerance"
        note = f"{d.fit} {d.tolerance_text()}" if d.fit else (f"{block} {tol}" if ch.general else "")
        n = y14_5.value_places(d) if d.unit == "in" else None
        lower = _number(d.lower, d.unit, standard, n) if d.lower is not None else ""
        upper = _number(d.upper, d.unit, standard, n) if d.upper is not None else ""
    elif ch.frame is not None:
        f = ch.frame
        unit = UNIT_TEXT.get(f.tolerance.unit, f.tolerance.unit)
        upper = _number(f.tolerance.value, f.tolerance.unit, standard)
        if f.modifier is not None and f.modifier.value != "RFS":
            note = f"at {f.modifier.value}: bonus tolerance applies"
    elif ch.kind == "roughness" and ch.feature is not None and ch.feature.roughness is not None:
        r = ch.feature.roughness
        q = r.ra if ch.id.endswith(".ra") else r.rz
        if q is not None:
            upper, unit = fmt.dec(q.base), "µm"
    elif ch.kind == "note" and (value := note_limits(ch.label, length_unit)) is not None:
        lower = _number(value.lower, value.unit, standard) if value.lower is not None else ""
        upper = _number(value.upper, value.unit, standard) if value.upper is not None else ""
        unit = value.unit
    klass = "critical" if ch.critical else ("key" if ch.key else "")
    method = methods.get(ch.subject, ch.kind) if methods is not None else ch.kind
    feature = (ch.feature.description or ch.feature.id) if ch.feature is not None else ""
    return CharRow(ch.id, ch.kind, ch.label, feature, frame_of(ch, standard), lower, upper, unit, klass,
                   classes.get(ch.subject, "") if classes is not None else "", method, note)


def _processes_text(ctx: Context, part: Part) -> str:
    """The routing the capability check assessed: as the spec lists it, or derived from the part's features."""
    routing = ctx.routings.get(part.number) if ctx.routings else None
    ops = " → ".join(routing.ops) if routing is not None and routing.ops else ""
    if part.process:
        return ops or ", ".join(part.process)
    return f"{ops} (derived from its features; any shop that can do these)" if ops else "any capable process"


def _size_text(size, units: str) -> str:
    """The model's bounding box along X, Y and Z (mm), and in inches for an inch product."""
    dims = list(size)
    text = " x ".join(fmt.dec(v) for v in dims) + " mm (X x Y x Z)"
    if units == "in":
        text += " (" + " x ".join(y14_5.mm_as_inch(Decimal(str(v))) for v in dims) + " in)"
    return text


def _model_text(ctx: Context, part: Part) -> str:
    """The pack's STEP model (models renderer: geometry loaded, one solid) and what it was made from."""
    if part.geometry is None:
        return "none"
    facts = ctx.geometry.get(part.number)
    if facts is not None and facts.solids == 1:
        return f"models/{part.number}.step (STEP AP214, mm, attached), from {part.geometry.path}"
    return f"{part.geometry.path} (no STEP export: the model did not load as one solid)"


def part_page(ctx: Context, part: Part, anchor: str, sheet: Sheet | None, drawing_missing: str,
              quantity: Decimal | None, methods: dict[str, str] | None,
              classes: dict[str, str] | None = None) -> PartPage:
    """Everything a part's pages show."""
    mat = ctx.material(part)
    fin = next((f for f in ctx.spec.finishes if f.id == part.finish), None)
    size = ctx.part_box_mm(part)
    mass = ctx.part_mass_g(part)
    facts = [
        Fact("Material", (mat.designation + (f" ({mat.standard})" if mat.standard else "")) if mat else part.material),
        Fact("Finish", "none (as machined)" if part.finish in (None, "none") else (
            ", ".join(x for x in (fin.process, fin.specification, fin.colour) if x) if fin else part.finish)),
        Fact("General tolerance", part.general_tolerance or "none stated"),
        Fact("Processes", _processes_text(ctx, part)),
        Fact("Size (bounding box)", _size_text(size, ctx.spec.product.units.value) if size else "—"),
        Fact("Mass", fmt.grams(mass) + " g" + (" (declared)" if part.mass is not None else
                                               " (model volume x density)") if mass is not None else "—"),
        Fact("Quantity per product", fmt.quantity(quantity)),
        Fact("3D model", _model_text(ctx, part)),
        Fact("Machines able to make it", ", ".join(ctx.machines_by_part.get(part.number, [])) or "—"),
    ]
    features = {f.id: f for f in part.features}
    datums = [Fact(d.label, (features[d.feature].description or d.feature) if d.feature in features else d.feature)
              for d in part.datums]
    general = part.general_tolerance or "general class"
    rows = [char_row(ch, methods, classes, general, ctx.spec.product.drawing.standard, ctx.spec.product.units.value)
            for ch in ctx.characteristics.get(part.number, [])]
    return PartPage(anchor, part.number, part.name, part.revision, facts, datums, list(part.notes), rows,
                    sum(1 for r in rows if r.klass), sheet, f"drawings/{part.number}.svg", drawing_missing,
                    "Inspection method" if methods is not None else "Kind")
