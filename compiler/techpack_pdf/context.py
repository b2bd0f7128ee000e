"""Gather everything the tech-pack PDF shows into one :class:`TemplateContext`; no rendering here."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from .. import __version__
from ..dates import revision_day
from ..schema.spec import BomLine, Spec
from .bom import build_bom
from .capability import build_capability
from .model import (AttachmentRow, DeviationRow, FinishRow, MaterialRow, Product, Revision, Section, StandardRow,
                    StepRow, TemplateContext)
from .parts import Fact, part_page
from .production import build_production, packaging_facts
from .quality import quality_view
from .sheets import Sheet

if TYPE_CHECKING:
    from ..engine import Compilation


def part_anchors(spec: Spec) -> dict[str, str]:
    """Each part's section anchor: ``part-1``… in spec order (part numbers are not needed to be valid IDs)."""
    return {p.number: f"part-{i}" for i, p in enumerate(spec.parts, 1)}


def quantities_per_product(lines: list[BomLine], parent: Decimal | None = Decimal(1),
                           out: dict[str, Decimal | None] | None = None) -> dict[str, Decimal | None]:
    """How many of each made part one product holds, through every BOM level (None when a quantity is missing)."""
    out = {} if out is None else out
    for line in lines:
        ext = None if line.quantity is None or parent is None else line.quantity * parent
        if line.part is not None:
            had = out.get(line.part, Decimal(0))
            out[line.part] = None if had is None or ext is None else had + ext
        out = quantities_per_product(line.children, ext, out)
    return out


def build_context(comp: "Compilation", sheets: dict[str, tuple[Sheet | None, str]],
                  attachments: list[AttachmentRow], pdf_a: bool) -> TemplateContext:
    """The template context for ``comp``; ``sheets`` maps part number to (sheet, why missing)."""
    ctx = comp.context
    assert ctx is not None and comp.loaded is not None and comp.date is not None
    spec = ctx.spec
    p = spec.product
    anchors = part_anchors(spec)
    quality = quality_view(comp)
    qty = quantities_per_product(spec.bom)
    parts = [part_page(ctx, part, anchors[part.number], *sheets.get(part.number, (None, "not rendered")),
                       qty.get(part.number), quality.method if quality else None,
                       quality.classification if quality else None) for part in spec.parts]
    bom = build_bom(ctx, anchors)
    contact = []
    if p.rfq_contact is not None:
        c = p.rfq_contact
        contact = [Fact("Name", c.name), Fact("Company", c.company or ""), Fact("E-mail", c.email or ""),
                   Fact("Telephone", c.phone or "")]
        contact = [f for f in contact if f.value]
    std = p.drawing.standard
    product = Product(number=p.number, name=p.name, revision=p.revision, owner=p.owner,
                      description=p.description or "", date=revision_day(p, comp.date), contact=contact,
                      drawing_standard="ISO 1101 / ISO 5459 (GD&T), ISO 128 (drawings)" if std == "ISO"
                      else "ASME Y14.5 (GD&T)")
    n_chars = sum(len(v) for v in ctx.characteristics.values())
    production = build_production(ctx, comp.diagnostics, quality.classification if quality else None,
                                  quality.owners if quality else None)
    summary = [
        Fact("Made parts", str(len(spec.parts))),
        Fact("BOM lines", f"{bom.line_count} ({bom.make_count} make, {bom.buy_count} buy)"),
        Fact("Characteristics", f"{n_chars}, {sum(pp.key_count for pp in parts)} key or critical"),
        Fact("Product mass", f"{bom.total_mass} g" + (f" (without {len(bom.unknown_mass_lines)} line(s) of unknown "
                                                       "mass)" if bom.unknown_mass_lines else "")),
    ]
    if spec.production is not None and spec.production.production_quantity:
        summary.append(Fact("Production quantity", f"{spec.production.production_quantity} units"))
    summary.append(Fact("Drawing standard", f"{std}, {p.drawing.projection.value} projection"))
    history = [Revision(r.revision, r.date, r.author or "", r.description, r.revision == p.revision)
               for r in p.history]
    return TemplateContext(
        product=product,
        title=f"{p.number} {p.name}, revision {p.revision}: tech pack",
        subject=f"Request for quotation and manufacturing package for {p.number} {p.name}, revision {p.revision}",
        keywords=", ".join(["tech pack", "RFQ", p.number, f"revision {p.revision}",
                            *(part.number for part in spec.parts)]),
        generator=f"techpack {__version__}",
        sections=sections(comp, parts, pdf_a),
        summary=summary,
        history=history,
        bom=bom,
        materials=_materials(spec),
        finishes=_finishes(spec),
        parts=parts,
        sheets=[pp.sheet for pp in parts if pp.sheet is not None],
        assembly=_assembly(spec),
        capability=build_capability(ctx, comp.diagnostics, comp.capability, anchors),
        production=production,
        packaging=packaging_facts(ctx),
        deviations=[DeviationRow(d.id, d.description, list(d.affects), d.status, d.owner or "")
                    for d in spec.deviations]
        + [DeviationRow(r["number"], r["description"], [r["subject"]], r["status"], f"{r['kind'].upper()} (records)")
           for r in ctx.store_deviations],
        standards=_standards(spec, ctx),
        attachments=attachments,
        attached_kinds=_attached_kinds(attachments),
        spec_sha256=comp.loaded.sha256,
        pdf_a=pdf_a,
    )


def _attached_kinds(attachments: list[AttachmentRow]) -> str:
    words = {"spec": "the spec", "capability": "the capability data", "models": "3D models",
             "drawings": "DXF drawings"}
    found = [w for prefix, w in words.items() if any(a.name.startswith(prefix + "/") for a in attachments)]
    return ", ".join(found[:-1]) + (" and " if len(found) > 1 else "") + found[-1] if found else "nothing"


def sections(comp: "Compilation", parts, pdf_a: bool) -> list[Section]:
    """The document's sections in order; this list drives the contents, the outline and the page order."""
    spec = comp.loaded.spec
    out = [Section("history", "Revision history", "history"),
           Section("bom", "Bill of materials", "bom", new_page=False),
           Section("materials", "Materials and certificates", "materials")]
    if spec.finishes:
        out.append(Section("finishes", "Finishes", "finishes", new_page=False))
    out.append(Section("parts", "Parts", "parts",
                       [Section(pp.anchor, f"{pp.number} {pp.name}", "part") for pp in parts]))
    if spec.assembly:
        out.append(Section("assembly", "Assembly sequence", "assembly"))
    out.append(Section("capability", "Capability report", "capability"))
    if comp.context is not None and len(comp.context.supplier_results) > 1:
        out.append(Section("suppliers", "Supplier comparison", "suppliers"))
    out.append(Section("production", "Production plan and gates", "production"))
    if spec.packaging is not None:
        out.append(Section("packaging", "Packaging and labelling", "packaging", new_page=False))
    if spec.deviations or comp.context.store_deviations:
        out.append(Section("deviations", "Deviations log", "deviations", new_page=False))
    out.append(Section("standards", "Standards referenced", "standards"))
    if pdf_a:
        # a page of its own: it shows the spec hash, so it changes with every edit, and the standards stay cached
        out.append(Section("attachments", "Attached files", "attachments"))
    return out


def _parts_using(spec: Spec, attr: str, value: str) -> list[str]:
    return [p.number for p in spec.parts if getattr(p, attr) == value]


def _materials(spec: Spec) -> list[MaterialRow]:
    return [MaterialRow(m.id, m.designation, m.standard or "", m.grade or "", m.temper or "", m.family.value,
                        m.form or "", m.density.text if m.density else "", m.certificate or "not required",
                        m.notes or "", _parts_using(spec, "material", m.id)) for m in spec.materials]


def _finishes(spec: Spec) -> list[FinishRow]:
    rows = []
    for f in spec.finishes:
        users = [p for p in spec.parts if p.finish == f.id]
        masking = []
        for m in f.masking:
            named = [(p.number, feat) for p in users for feat in p.features if feat.id == m]
            if named:
                masking += [f"{feat.id}: {feat.description or feat.type.value} ({pn})" for pn, feat in named]
            else:
                masking.append(m)
        rows.append(FinishRow(f.id, f.process, f.specification or "", f.colour or "", f.thickness or "", masking,
                              f.notes or "", [p.number for p in users]))
    return rows


def _bom_items(lines: list[BomLine], out: dict[str, str]) -> dict[str, str]:
    for line in lines:
        if line.part:
            out[line.item] = line.part
        elif line.subassembly:
            out[line.item] = f"{line.subassembly.number} {line.subassembly.name}"
        elif line.purchased:
            out[line.item] = line.purchased.standard or line.purchased.description
        _bom_items(line.children, out)
    return out


def _assembly(spec: Spec) -> list[StepRow]:
    items = _bom_items(spec.bom, {})
    names = {p.number: p.name for p in spec.parts}
    rows = []
    for s in sorted(spec.assembly, key=lambda s: s.step):
        used = []
        for i in s.items:
            what = items.get(i, "")
            what = f"{what} {names[what]}" if what in names else what
            used.append(f"{i}: {what}" if what else i)
        rows.append(StepRow(s.step, s.description, used, list(s.tools), s.torque or "", s.check or ""))
    return rows


def _standards(spec: Spec, ctx) -> list[StandardRow]:
    found: dict[str, tuple[str, list[str]]] = {}

    def add(standard: str, subject: str, where: str) -> None:
        entry = found.setdefault(standard, (subject, []))
        if where not in entry[1]:
            entry[1].append(where)

    drawing = spec.product.drawing.standard
    all_parts = "all parts"
    if drawing == "ISO":
        add("ISO 1101", "Geometrical tolerancing (GD&T)", all_parts)
        add("ISO 5459", "Datums and datum systems", all_parts)
        add("ISO 128", "Technical drawings, presentation", all_parts)
    else:
        add("ASME Y14.5", "Dimensioning and tolerancing (GD&T)", all_parts)
    for part in spec.parts:
        chars = ctx.characteristics.get(part.number, [])
        if any(c.dim is not None and c.dim.fit for c in chars):
            add("ISO 286-1, ISO 286-2", "Limits and fits (tolerance classes)", part.number)
        if part.general_tolerance and "2768" in part.general_tolerance:
            add(part.general_tolerance, "General tolerances (ISO 2768-1 linear and angular, -2 geometrical)",
                part.number)
        elif part.general_tolerance:  # a title-block tolerance block: the part's own, not a standard
            add("Title-block tolerance block", f"General tolerances by decimal places: {part.general_tolerance}",
                part.number)
        if any(c.kind == "roughness" for c in chars):
            add("ISO 1302 / ISO 21920-1", "Surface texture indication", part.number)
        for feat in part.features:
            thread = (feat.thread or "").strip()
            if re.match(r"^M\d", thread):
                add("ISO 965-1", "ISO metric screw threads, tolerances", part.number)
            elif re.search(r"\bUN[CFE]?F?\b|\bUNEF\b", thread):
                add("ASME B1.1", "Unified inch screw threads", part.number)
    for m in spec.materials:
        if m.standard:
            add(m.standard, f"Material {m.designation}", f"material {m.id}")
        if m.certificate:
            add(m.certificate, "Material inspection document", f"material {m.id}")
    for f in spec.finishes:
        if f.specification:
            add(f.specification, f"Finish: {f.process}", f"finish {f.id}")
    stack = list(spec.bom)
    while stack:
        line = stack.pop(0)
        if line.purchased is not None and line.purchased.standard:
            add(line.purchased.standard, line.purchased.description, f"BOM item {line.item}")
        stack[:0] = line.children
    if spec.production is not None:
        add("ISO 2859-1", "Sampling by attributes (final inspection)", "production plan")
    return [StandardRow(k, v[0], v[1]) for k, v in found.items()]
