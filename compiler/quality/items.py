"""Inspection items: every requirement of the product that someone must verify, with a stable ID.

The spec's own characteristics (:mod:`techpack.characteristics`: sizes, locations,
GD&T, roughness, threads, notes) keep their IDs unchanged.  This module adds the
requirements that live outside a part's features, with IDs that depend only on
what they describe, never on position:

===================  =========================================================
``material``         the part's material, its standard and inspection certificate
``finish``           the part's finish: process, specification, colour, masking
``finish.thickness`` the coating thickness, when the finish states one
``assembly.<n>.torque`` / ``assembly.<n>.check``  product-level, per assembly step
``bom.<item>``       a purchased BOM line: conformance to its standard
===================  =========================================================

Each item gets a classification (:mod:`.classify`) and an inspection method
(:mod:`.methods`); ``production.inspection.overrides`` may change either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..characteristics import Characteristic
from ..diagnostics import Location
from ..schema.quantities import Dim
from ..schema.spec import ControlFrame, Feature, Part, Spec
from ..standards import y14_5
from .fields import component
from .values import ValueLimits, note_limits, read_limits

if TYPE_CHECKING:
    from ..checks.context import CapabilityRow, Context

KIND_NAMES = {
    "size": "size", "depth": "depth", "length": "length", "location": "location",
    "dimension": "dimension", "gdt": "GD&T", "roughness": "roughness", "thread": "thread", "note": "note",
    "knurl": "knurl", "material": "material", "finish": "finish", "coating": "coating thickness", "torque": "torque",
    "check": "assembly check", "purchased": "purchased item",
}


@dataclass
class Item:
    """One characteristic as the inspection plan sees it."""

    owner: str  # part number, or the product number for assembly and BOM items
    owner_name: str
    id: str
    kind: str  # see KIND_NAMES
    label: str
    requirement: str
    loc: Location | None = None
    source: Characteristic | None = None
    feature: Feature | None = None
    part: Part | None = None
    dim: Dim | None = None
    frame: ControlFrame | None = None
    key: bool = False
    critical: bool = False
    general: bool = False
    dimension_type: str = "linear"
    seq: int = 0  # position in its owner's list: a row number for people, never an identifier
    classification: str = "minor"
    class_basis: str = ""
    method: str = "visual"
    method_basis: str = ""
    override_reason: str = ""
    capability: "CapabilityRow | None" = None
    standard: str = "ISO"
    """The drawing standard (``product.drawing.standard``): how values are written on the forms."""
    value: ValueLimits | None = None
    """Limits read from a requirement in words (coating thickness, torque, a check with a tolerance)."""
    extra: dict = field(default_factory=dict)

    @property
    def subject(self) -> str:
        return f"{self.owner}/{self.id}"

    @property
    def type_name(self) -> str:
        if self.kind == "gdt" and self.frame is not None:
            return self.frame.characteristic.value
        if self.kind == "dimension":
            return self.dimension_type
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def band_mm(self) -> Decimal | None:
        """Tolerance band in mm (angles: degrees)."""
        return None if self.dim is None else self.dim.band_mm

    @property
    def balloon(self) -> str:
        """What the drawing's balloon shows: the characteristic ID (empty for requirements drawn elsewhere)."""
        return self.id if self.source is not None else ""

    @property
    def datums(self) -> str:
        return "|".join(self.frame.datums) if self.frame is not None else ""

    @property
    def designator(self) -> str:
        """AS9102 Form 3 field 7: critical / key designator, or empty."""
        marks = []
        if self.classification == "critical":
            marks.append("CRITICAL")
        if self.key:
            marks.append("KEY")
        return ", ".join(marks)

    @property
    def measured(self) -> bool:
        """Checked on the product (not a document review)."""
        return self.method != "certificate-review"


def fmt(value: Decimal | None) -> str:
    """A decimal as a drawing writes it: no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def unit_text(dim: Dim) -> str:
    return "°" if dim.is_angle else dim.unit


def shown(item: Item, value: Decimal | None) -> str:
    """A number of ``item`` as its drawing writes it: inch values on an ASME drawing without a leading
    zero and with the places of the dimension (``.500``), others as :func:`fmt`."""
    if value is None:
        return ""
    if item.standard == "ASME" and item.dim is not None and item.dim.unit == "in":
        return y14_5.inch(value, y14_5.value_places(item.dim))
    if item.standard == "ASME" and item.frame is not None and item.frame.tolerance.unit == "in":
        return y14_5.inch(value)
    return fmt(value)


def limits(item: Item) -> tuple[str, str]:
    """Lower and upper limit as text (empty when the requirement has none)."""
    if item.dim is not None:
        return shown(item, item.dim.lower), shown(item, item.dim.upper)
    if item.frame is not None:
        return "", shown(item, item.frame.tolerance.value)
    rough = _roughness_value(item)
    if rough is not None:
        return "", fmt(rough.value)
    if item.value is not None:
        return fmt(item.value.lower), fmt(item.value.upper)
    return "", ""


def nominal(item: Item) -> str:
    if item.dim is not None:
        return shown(item, item.dim.nominal)
    if item.value is not None:
        return fmt(item.value.nominal)
    return ""


def tolerance(item: Item) -> str:
    """The tolerance as written on the drawing: ``±0.05``, ``H7 (+0.018/0)``, ``Ø0.05 Ⓜ``, ``Ra 0.8 max``."""
    if item.dim is not None:
        text = y14_5.tolerance_text(item.dim, item.standard)
        if item.dim.fit:
            return f"{item.dim.fit} ({text})"
        if item.general:
            return f"{text} (general)"
        return text
    if item.frame is not None:
        f = item.frame
        mod = {"MMC": " Ⓜ", "LMC": " Ⓛ"}.get(f.modifier.value if f.modifier else "", "")
        return f"{'Ø' if f.diameter else ''}{shown(item, f.tolerance.value)}{mod}"
    rough = _roughness_value(item)
    if rough is not None:
        return f"{'Ra' if item.id.endswith('.ra') else 'Rz'} {fmt(rough.value)} max"
    if item.value is not None:
        v = item.value
        if v.nominal is not None and v.lower is not None and v.upper is not None:
            return f"±{fmt(v.upper - v.nominal)}"
        if v.lower is not None and v.upper is not None:
            return f"{fmt(v.lower)}…{fmt(v.upper)}"
        return f"min {fmt(v.lower)}" if v.lower is not None else f"max {fmt(v.upper)}"
    return ""


def unit(item: Item) -> str:
    if item.dim is not None:
        return unit_text(item.dim)
    if item.frame is not None:
        return item.frame.tolerance.unit
    rough = _roughness_value(item)
    if rough is not None:
        return "µm" if rough.unit in ("um", "µm", "μm") else rough.unit
    if item.value is not None:
        return item.value.unit
    return ""


def _roughness_value(item: Item):
    if item.kind != "roughness" or item.feature is None or item.feature.roughness is None:
        return None
    r = item.feature.roughness
    return r.ra if item.id.endswith(".ra") else r.rz


def build_items(ctx: "Context") -> dict[str, list[Item]]:
    """Every inspection item by owner (part numbers in spec order, then the product), unclassified."""
    spec = ctx.spec
    out: dict[str, list[Item]] = {}
    for part in spec.parts:
        items = [_from_characteristic(ch, spec.product.drawing.standard)
                 for ch in ctx.characteristics.get(part.number, [])]
        for item in items:
            if item.kind == "note":  # "Break all sharp edges 0.2-0.5 mm": a value with limits
                item.value = note_limits(item.requirement, _length_unit(spec))
        taken = {i.id for i in items}
        items += _material_and_finish(spec, part, taken)
        out[part.number] = items
    product = _product_items(spec)
    if product:
        out.setdefault(spec.product.number, []).extend(product)
    for items in out.values():
        for n, item in enumerate(items, 1):
            item.seq = n
    return out


def _from_characteristic(ch: Characteristic, standard: str = "ISO") -> Item:
    requirement = ch.label
    if ch.dim is not None and ch.dim.fit:
        requirement = f"{ch.label} ({ch.dim.tolerance_text()})"
    elif ch.general and ch.dim is not None:
        requirement = f"{ch.label} ({y14_5.tolerance_text(ch.dim, standard)}, general tolerance)"
    return Item(owner=ch.part.number, owner_name=ch.part.name, id=ch.id, kind=ch.kind, label=ch.label,
                requirement=requirement, loc=ch.loc, source=ch, feature=ch.feature, part=ch.part, dim=ch.dim,
                frame=ch.frame, key=ch.key, critical=ch.critical, general=ch.general,
                dimension_type=ch.dimension_type, standard=standard)


def _free_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted.req`` when a feature or dimension of the part already uses that ID."""
    cid = wanted if wanted not in taken else f"{wanted}.req"
    taken.add(cid)
    return cid


def _material_and_finish(spec: Spec, part: Part, taken: set[str]) -> list[Item]:
    items: list[Item] = []
    mat = next((m for m in spec.materials if m.id == part.material), None)
    if mat is not None:
        words = [mat.designation]
        if mat.standard:
            words.append(f"to {mat.standard}")
        if mat.form:
            words.append(f"({mat.form})")
        text = " ".join(words)
        if mat.certificate:
            text += f"; certificate {mat.certificate}"
        items.append(Item(part.number, part.name, _free_id("material", taken), "material", f"material {mat.designation}",
                          text, part.loc("material"), part=part, extra={"material": mat}))
    fin = next((f for f in spec.finishes if f.id == part.finish), None)
    if fin is not None:
        words = [fin.process]
        if fin.specification:
            words.append(f"to {fin.specification}")
        if fin.colour:
            words.append(f", {fin.colour}")
        text = " ".join(words).replace(" ,", ",")
        if fin.masking:
            text += "; mask " + ", ".join(fin.masking)
        items.append(Item(part.number, part.name, _free_id("finish", taken), "finish", f"finish {fin.process}",
                          text, part.loc("finish"), part=part, extra={"finish": fin}))
        if fin.thickness:
            items.append(Item(part.number, part.name, _free_id("finish.thickness", taken), "coating",
                              f"{fin.process} thickness {fin.thickness}", f"coating thickness {fin.thickness}",
                              fin.loc("thickness"), part=part, extra={"finish": fin},
                              value=read_limits(fin.thickness, "µm")))
    return items


def _product_items(spec: Spec) -> list[Item]:
    pn, name = spec.product.number, spec.product.name
    items: list[Item] = []
    taken: set[str] = set()
    for step in sorted(spec.assembly, key=lambda s: s.step):
        if step.torque:
            items.append(Item(pn, name, _free_id(f"assembly.{step.step}.torque", taken), "torque",
                              f"torque, assembly step {step.step}", f"tighten to {step.torque}", step.loc("torque"),
                              extra={"step": step}, value=read_limits(step.torque, "N·m")))
        if step.check:
            items.append(Item(pn, name, _free_id(f"assembly.{step.step}.check", taken), "check",
                              f"check after assembly step {step.step}", step.check, step.loc("check"),
                              extra={"step": step}, value=read_limits(step.check, _length_unit(spec),
                                                                      tolerance_only=True)))
    for line in _bom_lines(spec.bom):
        if line.purchased is None:
            continue
        p = line.purchased
        text = p.standard or " ".join(x for x in (p.supplier, p.mpn) if x) or p.description
        cid = _free_id(f"bom.{component(line.item)}", taken)
        items.append(Item(pn, name, cid, "purchased", f"{p.description} (item {line.item})",
                          f"{p.description}: {text}", line.loc("purchased"), extra={"line": line, "key": cid[4:]}))
    return items


def _length_unit(spec: Spec) -> str:
    return spec.product.units.value


def _bom_lines(lines):
    for line in lines:
        yield line
        yield from _bom_lines(line.children)
