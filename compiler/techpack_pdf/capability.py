"""The capability report: per characteristic the operation(s) and machine, required vs held, Cp, Cpk, margin.

With several suppliers it also carries the supplier matrix (parts × suppliers:
can / cannot, worst Cpk, first blocking finding) and the addressed supplier's
facts for the cover.

The numbers are the checks' own (``Context.capability_rows``), so the PDF and
``techpack check`` can never disagree.  Waived findings are listed with the
waiver's reason and owner; warnings that still count are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostics, Severity
from ..checks.context import Context
from ..loader import LoadedCapability
from . import fmt
from .parts import frame_of


@dataclass(frozen=True)
class CapRow:
    id: str
    machine: str
    required: str
    held: str
    cpk: str
    cpk_min: str
    margin: str
    status: str  # "ok", "thin" or "fail"
    operations: str = ""
    cp: str = "—"

    @property
    def verdict(self) -> str:
        return {"ok": "✓", "thin": "thin", "fail": "✗ fails"}[self.status]


@dataclass(frozen=True)
class Machine:
    id: str
    name: str


@dataclass
class CapPart:
    number: str
    name: str
    anchor: str
    machines: list[Machine]
    rows: list[CapRow]
    not_assessed: list[str]

    @property
    def single_machine(self) -> str | None:
        """The best machine of every assessed row when it is the same one (the table then omits the column)."""
        found = {r.machine for r in self.rows}
        return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    subject: str
    message: str
    reason: str
    owner: str


@dataclass(frozen=True)
class MatrixCell:
    can: bool
    text: str  # "worst Cpk 1.33 (body.size)" or the first blocking finding


@dataclass(frozen=True)
class MatrixRow:
    part: str
    name: str
    cells: list[MatrixCell]


@dataclass(frozen=True)
class SupplierFacts:
    name: str
    file: str
    contact: str
    certifications: str
    lead_time: str
    moq: str
    price_class: str
    parts: str  # "2 of 3 parts"
    addressed: bool


@dataclass
class CapabilityReport:
    shop: str
    source: str
    files: list[str]
    parts: list[CapPart]
    waived: list[Finding]
    warnings: list[Finding]
    assessed: int
    failing: int
    thin: int
    supplier: SupplierFacts | None = None
    """The supplier the pack is addressed to."""
    suppliers: list[SupplierFacts] | None = None
    matrix: list[MatrixRow] | None = None
    """Parts × suppliers, when the check compared two or more."""


def build_capability(ctx: Context, diags: Diagnostics, capability: LoadedCapability | None,
                     anchors: dict[str, str]) -> CapabilityReport:
    machines = {m.id: m.name for m in ctx.capability.machines} if ctx.capability else {}
    by_subject = {r.subject: r for r in ctx.capability_rows}
    parts: list[CapPart] = []
    assessed = failing = thin = 0
    for part in ctx.spec.parts:
        rows: list[CapRow] = []
        skipped: list[str] = []
        for ch in ctx.characteristics.get(part.number, []):
            r = by_subject.get(ch.subject)
            if r is None:
                skipped.append(ch.id)
                continue
            status = "fail" if not r.ok else ("thin" if r.thin else "ok")
            assessed += 1
            failing += status == "fail"
            thin += status == "thin"
            frame = frame_of(ch, ctx.spec.product.drawing.standard)
            required = f"{frame.symbol} {frame.zone}" if frame is not None else r.required
            rows.append(CapRow(ch.id, r.machine or "none", required, r.held, r.cpk_text,
                               fmt.dec(r.cpk_min) if r.cpk is not None else "—", r.margin_text, status,
                               " + ".join(r.operations), r.cp_text))
        ids = ctx.machines_by_part.get(part.number, [])
        parts.append(CapPart(part.number, part.name, anchors[part.number],
                             [Machine(i, machines.get(i, "")) for i in ids], rows, skipped))
    waived, warnings = [], []
    for d in diags.sorted():
        if d.waived:
            waived.append(_finding(d, d.waiver.reason, d.waiver.owner))  # type: ignore[union-attr]
        elif d.severity is Severity.WARNING:
            warnings.append(_finding(d, "", ""))
    cap = ctx.capability
    facts = [_facts(r, r.capability is cap, len(ctx.spec.parts)) for r in ctx.supplier_results]
    addressed = next((f for f in facts if f.addressed), None)
    files = [capability.files[capability.addressed].path.name] if capability else []
    return CapabilityReport(cap.shop.name if cap else "none", cap.shop.source if cap else "", files, parts, waived,
                            warnings, assessed, failing, thin, addressed,
                            facts if len(facts) > 1 else None, _matrix(ctx) if len(facts) > 1 else None)


def _facts(res, addressed: bool, n_parts: int) -> SupplierFacts:
    shop = res.capability.shop
    made = sum(1 for ok in res.can_make.values() if ok)
    return SupplierFacts(res.name, res.file, shop.contact or "—", ", ".join(shop.certifications) or "none stated",
                         shop.lead_time or "—", str(shop.moq) if shop.moq else "—", shop.price_class or "—",
                         f"{made} of {n_parts}", addressed)


def _matrix(ctx: Context) -> list[MatrixRow]:
    rows = []
    for part in ctx.spec.parts:
        cells = []
        for res in ctx.supplier_results:
            if res.can_make.get(part.number):
                w = res.worst.get(part.number)
                cells.append(MatrixCell(True, f"worst Cpk {w.cpk_text} ({w.subject.split('/', 1)[1]})" if w else ""))
            else:
                cells.append(MatrixCell(False, res.blocking.get(part.number, "no machine")))
        rows.append(MatrixRow(part.number, part.name, cells))
    return rows


def _finding(d, reason: str, owner: str) -> Finding:
    return Finding(d.code, d.severity.value, d.subject or "", d.message, reason, owner)
