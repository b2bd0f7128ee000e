"""The capability report: for each characteristic, the best machine, required vs held, predicted Cpk, margin.

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


THIN = 0.10


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
            status = "fail" if not r.ok else ("thin" if r.margin is not None and r.margin < THIN else "ok")
            assessed += 1
            failing += status == "fail"
            thin += status == "thin"
            frame = frame_of(ch)
            required = f"{frame.symbol} {frame.zone}" if frame is not None else r.required
            rows.append(CapRow(ch.id, r.machine or "none", required, r.held, fmt.fixed(r.cpk),
                               fmt.fixed(r.cpk_min) if r.cpk is not None else "—", fmt.percent(r.margin), status))
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
    return CapabilityReport(cap.shop.name if cap else "none", cap.shop.source if cap else "",
                            [f.path.name for f in capability.files] if capability else [], parts, waived, warnings,
                            assessed, failing, thin)


def _finding(d, reason: str, owner: str) -> Finding:
    return Finding(d.code, d.severity.value, d.subject or "", d.message, reason, owner)
