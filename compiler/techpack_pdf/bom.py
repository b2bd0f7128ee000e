"""The BOM as the PDF shows it: one row per line at every level, with quantities and masses rolled up.

A line's *extended* quantity is its quantity times that of every parent
assembly, so the product total is the sum over the lines that carry a mass
(made parts, and sub-assemblies through their children).  A made part's mass
is the context's (declared, or geometry volume × density); purchased items
have none unless their unit is ``kg``.  Unknown masses are counted, never
guessed, and the total says how many lines it leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..checks.context import Context
from ..schema.spec import BomLine, Part
from . import fmt


@dataclass(frozen=True)
class BomRow:
    """One BOM line, flattened with its level (0 = top)."""

    level: int
    item: str
    kind: str  # part | purchased | subassembly
    number: str
    revision: str
    description: str
    details: list[str]
    quantity: str
    unit: str
    make_buy: str
    material: str
    finish: str
    unit_mass: str
    extended_quantity: str
    line_mass: str
    anchor: str | None  # the part's section in the PDF, for a link


@dataclass
class BomTable:
    rows: list[BomRow]
    total_mass: str
    unknown_mass_lines: list[str]
    """Item numbers of the lines whose mass is unknown (left out of the total)."""
    make_count: int
    buy_count: int
    line_count: int = 0

    @property
    def multi_level(self) -> bool:
        """Any line below the top level (then quantities per product differ from quantities per line)."""
        return any(r.level for r in self.rows)


@dataclass
class _Roll:
    mass: Decimal = Decimal(0)
    unknown: list[str] = field(default_factory=list)


def build_bom(ctx: Context, anchors: dict[str, str]) -> BomTable:
    """Flatten the multi-level BOM with masses per unit and per product."""
    spec = ctx.spec
    parts = {p.number: p for p in spec.parts}
    rows: list[BomRow] = []
    total = _Roll()
    for line in spec.bom:
        _walk(ctx, parts, anchors, line, 0, Decimal(1), rows, total)
    make = sum(1 for r in rows if r.make_buy == "make" and r.kind != "subassembly")
    buy = sum(1 for r in rows if r.make_buy == "buy")
    return BomTable(rows, fmt.grams(total.mass), total.unknown, make, buy, len(rows))


def _walk(ctx: Context, parts: dict[str, Part], anchors: dict[str, str], line: BomLine, level: int,
          parent_qty: Decimal | None, rows: list[BomRow], total: _Roll) -> tuple[Decimal, bool]:
    """Append ``line`` and its children; return its known mass per unit and whether that is complete."""
    qty = line.quantity
    ext = None if qty is None or parent_qty is None else qty * parent_qty
    index = len(rows)
    rows.append(None)  # type: ignore[arg-type]  # filled in below, after the children
    if line.subassembly is not None:
        known, complete = Decimal(0), True
        for child in line.children:
            child_known, child_complete = _walk(ctx, parts, anchors, child, level + 1, ext, rows, total)
            if child.quantity is None:
                complete = False
                continue
            known += child_known * child.quantity
            complete = complete and child_complete
        unit_mass = known if complete else None
        shown = fmt.grams(known) if complete else ("≥ " + fmt.grams(known) if known else "—")
    else:
        unit_mass = None
        if line.part is not None and line.part in parts:
            unit_mass = ctx.part_mass_g(parts[line.part])
        elif line.purchased is not None and line.unit == "kg":
            unit_mass = Decimal(1000)
        known, complete = (unit_mass, True) if unit_mass is not None else (Decimal(0), False)
        if unit_mass is not None and ext is not None:
            total.mass += unit_mass * ext
        else:
            total.unknown.append(line.item)
        shown = fmt.grams(unit_mass)
    line_mass = None if unit_mass is None or ext is None else unit_mass * ext
    kind, number, revision, description, details, material, finish = _describe(ctx, parts, line)
    rows[index] = BomRow(
        level=level, item=line.item, kind=kind, number=number, revision=revision, description=description,
        details=details, quantity=fmt.quantity(qty), unit=line.unit, make_buy=line.make_buy or "",
        material=material, finish=finish, unit_mass=shown,
        extended_quantity=fmt.quantity(ext), line_mass=fmt.grams(line_mass),
        anchor=anchors.get(line.part) if line.part else None)
    return known, complete


def _describe(ctx: Context, parts: dict[str, Part], line: BomLine):
    """kind, number, revision, description, detail lines, material, finish of one line."""
    details: list[str] = []
    if line.part is not None:
        part = parts.get(line.part)
        if part is None:
            return "part", line.part, "", "", _notes(line), "", ""
        mat = ctx.material(part)
        fin = next((f for f in ctx.spec.finishes if f.id == part.finish), None)
        finish = "as machined" if part.finish in (None, "none") else (
            fin.process + (f", {fin.colour}" if fin and fin.colour else "") if fin else part.finish)
        material = mat.designation if mat else part.material
        return "part", part.number, part.revision, part.name, _notes(line), material, finish
    if line.subassembly is not None:
        sa = line.subassembly
        return "subassembly", sa.number, sa.revision or "", sa.name, _notes(line), "", ""
    pur = line.purchased
    assert pur is not None
    if pur.standard:
        details.append(pur.standard)
    if pur.mpn:
        details.append(f"MPN {pur.mpn}" + (f" ({pur.supplier})" if pur.supplier else ""))
    elif pur.supplier:
        details.append(f"Supplier: {pur.supplier}")
    details += _notes(line)
    return "purchased", "", "", pur.description, details, pur.material or "", ""


def _notes(line: BomLine) -> list[str]:
    return [line.notes] if line.notes else []
