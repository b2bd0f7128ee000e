"""The staged inspection plan: which characteristics are checked when, how often, on how many pieces.

Stages, in the order a batch meets them: sample batch, PP sample approval,
first-article inspection, top of production, first/last piece of every setup,
inline QC and final random inspection.  The rules are documented in
``docs/quality.md``; this module is their only implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..schema.spec import Production
from ..standards.iso2859 import SAMPLE_SIZES, SamplingPlan, single_normal_plan
from .items import Item

CLASSES = ("critical", "major", "minor")
SERIES = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
"""Inline intervals are rounded down to one of these (pieces between checks)."""
BASE_INTERVAL = 10
"""Inline interval of a major characteristic with an ordinary capability margin."""
MIN_CHECKS_PER_RUN = 5
"""The interval never exceeds run / 5, so every run gets at least five inline checks besides first and last."""


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    purpose: str


STAGES = (
    Stage("sample", "Sample batch", "A first small batch made to show the process works: every characteristic on "
          "every piece."),
    Stage("pp", "PP sample approval", "Production-part sample from the bulk material lot on production tooling and "
          "settings: every characteristic against the spec, approved before the run starts."),
    Stage("fai", "First-article inspection (AS9102)", "The first piece of the production run: every characteristic, "
          "recorded on AS9102 Forms 1-3 (inspection/fai-as9102.pdf)."),
    Stage("top", "Top of production (TOP)", "The first completed pieces of the run compared with the approved PP "
          "sample: every characteristic measured on the piece."),
    Stage("setup", "First and last piece of every setup", "After each setup, tool change or restart and before "
          "each teardown: every characteristic measured on the piece."),
    Stage("inline", "Inline QC", "During the run: critical, major and key characteristics at the interval of the "
          "inline rule."),
    Stage("fri", "Final random inspection (ISO 2859-1)", "Single sampling, normal inspection, per characteristic "
          "class; Ac/Re count nonconforming pieces of that class in the sample."),
)
STAGE_BY_KEY = {s.key: s for s in STAGES}

REACTION_PLAN = (
    "Stop the operation and tag the machine; do not adjust before the cause is recorded.",
    "Quarantine every piece made since the last passed check of that characteristic.",
    "Inspect the quarantined pieces 100 % for the failed characteristic; scrap or rework only under an NCR.",
    "Find and correct the cause (tool wear, offset, fixture, material, program) and record it on the NCR.",
    "Restart with a first-piece check of every characteristic of the setup.",
    "Check the failed characteristic on every piece until five in a row pass, then at half its interval "
    "until the next setup.",
    "A failed critical characteristic also stops shipment of the lot until the customer's quality contact has "
    "agreed the disposition.",
)


@dataclass
class FriClass:
    """The FRI sampling plan of one characteristic class for one lot."""

    cls: str
    aql: Decimal | None
    lot: int | None
    plan: SamplingPlan | None = None
    note: str = ""

    @property
    def sample_text(self) -> str:
        if self.lot is None:
            return "lot size not stated"
        if self.plan is None or self.plan.hundred_percent:
            return f"100 % ({self.lot})"
        return str(self.plan.sample_size)

    @property
    def sample_size(self) -> int | None:
        if self.lot is None:
            return None
        return self.plan.sample_size if self.plan is not None else self.lot

    @property
    def ac(self) -> str:
        return "" if self.lot is None else str(self.plan.ac if self.plan else 0)

    @property
    def re(self) -> str:
        return "" if self.lot is None else str(self.plan.re if self.plan else 1)


@dataclass
class Row:
    """One characteristic at one stage."""

    item: Item
    stage: str
    frequency: str
    sample: str
    ac: str = ""
    re: str = ""
    interval: int | None = None
    basis: str = ""
    pieces: int | None = None
    """How many pieces the stage measures (sizes the batch-record grid); None for document reviews."""


@dataclass
class Owner:
    """What the plan knows about one part (or the product, for assembly items)."""

    number: str
    name: str
    per_product: int
    run: int | None
    lot: int | None
    fri: dict[str, FriClass] = field(default_factory=dict)


def per_product(spec) -> dict[str, int]:
    """Pieces of each made part in one product, multiplied down the BOM levels."""
    counts: dict[str, Decimal] = {}

    def walk(lines, factor: Decimal) -> None:
        for line in lines:
            qty = (line.quantity if line.quantity is not None else Decimal(1)) * factor
            if line.part is not None:
                counts[line.part] = counts.get(line.part, Decimal(0)) + qty
            walk(line.children, qty)

    walk(spec.bom, Decimal(1))
    out = {}
    for part in spec.parts:
        q = counts.get(part.number)
        if q is None:
            q = Decimal(part.quantity_per_product or 1)
        out[part.number] = max(1, int(q.to_integral_value(rounding="ROUND_CEILING")))
    return out


def fri_class(cls: str, lot: int | None, aql: Decimal, level: str = "II") -> FriClass:
    """ISO 2859-1 single sampling, normal inspection, for one class and lot.

    AQL 0 (critical by default) is zero acceptance: 100 %, Ac 0, Re 1.  A lot of one
    piece is inspected completely.  Otherwise the plan of Table 2-A, arrows followed,
    100 % when the landed n reaches the lot (:func:`single_normal_plan`).
    """
    if lot is None:
        return FriClass(cls, aql, None, note="no production quantity")
    if aql == 0:
        return FriClass(cls, aql, lot, None, "AQL 0: zero acceptance, every piece inspected")
    if lot < 2:
        return FriClass(cls, aql, lot, None, "a lot of one piece is inspected completely")
    plan = single_normal_plan(lot, aql, level)
    note = f"code letter {plan.code_letter}"
    if plan.plan_letter != plan.code_letter:
        note += f", arrow to {plan.plan_letter}"
    if plan.hundred_percent:
        note += f"; n {_letter_n(plan)} ≥ lot: 100 %"
    return FriClass(cls, aql, lot, plan, note)


def _letter_n(plan: SamplingPlan) -> int:
    return SAMPLE_SIZES[plan.plan_letter]


def inline_interval(item: Item, run: int | None) -> tuple[int, str] | None:
    """Pieces between inline checks of ``item`` and the reasoning; None when it is not checked inline.

    Critical: every piece.  Major and key: the base interval of 10, scaled by the
    capability margin m = predicted Cpk / required Cpk − 1 (m < 0: every piece;
    m < 0.25: ×½; m < 1: ×1; m < 3: ×2; m ≥ 3: ×5), halved for a key
    characteristic, capped at run / 5 and rounded down to 1, 2, 5, 10, 20, 25, 50 …
    """
    if not item.measured or (item.classification == "minor" and not item.key):
        return None
    if item.classification == "critical":
        return 1, "critical: every piece"
    why = [f"{item.classification}: base {BASE_INTERVAL}"]
    value = Decimal(BASE_INTERVAL)
    cap = item.capability
    if cap is not None and cap.index is not None:  # exact: the check's own index, compared without rounding
        if not cap.ok:
            return 1, f"predicted Cpk {cap.cpk_text} below {cap.cpk_min:f}: every piece"
        factor = (Decimal("0.5") if cap.margin_below(Decimal("0.25")) else 1 if cap.margin_below(Decimal(1))
                  else 2 if cap.margin_below(Decimal(3)) else 5)
        value *= factor
        why.append(f"Cpk {cap.cpk_text} (margin {cap.margin_text}) ×{_frac(factor)}")
    else:
        why.append("no Cpk prediction ×1")
    if item.key:
        value /= 2
        why.append("key ×½")
    if run is not None:
        cap = max(1, run // MIN_CHECKS_PER_RUN)
        if value > cap:
            value = Decimal(cap)
            why.append(f"run {run} / {MIN_CHECKS_PER_RUN} caps at {cap}")
    interval = max(s for s in SERIES if s <= max(1, value))
    return interval, "; ".join(why)


def _frac(d: Decimal | int) -> str:
    return "½" if d == Decimal("0.5") else str(d)


def stage_rows(item: Item, owner: Owner, prod: Production | None) -> list[Row]:
    """Every stage row of one item."""
    rows: list[Row] = []
    if not item.measured:  # a document review: once per stage for the material lot it covers
        for stage in ("sample", "pp", "fai", "fri"):
            if (stage == "sample" and not (prod and prod.sample_batch)) or (stage == "pp" and not (prod and prod.pp_sample)):
                continue
            rows.append(Row(item, stage, "documents of the lot", "1 set"))
        return rows
    if prod is not None and prod.sample_batch:
        n = prod.sample_batch
        rows.append(Row(item, "sample", "every piece", str(n), pieces=n))
    if prod is not None and prod.pp_sample is not None:
        n = prod.pp_sample.quantity
        rows.append(Row(item, "pp", "every piece", str(n), pieces=n))
    rows.append(Row(item, "fai", "first production piece", "1", pieces=1))
    top = (prod.inspection.top_units if prod is not None else 3)
    if owner.run is not None:
        top = min(top, owner.run)
    rows.append(Row(item, "top", "first completed pieces", str(top), pieces=top))
    rows.append(Row(item, "setup", "first and last piece of every setup", "2 per setup"))
    inline = inline_interval(item, owner.run)
    if inline is not None:
        interval, basis = inline
        freq = "every piece" if interval == 1 else f"1 piece in {interval}"
        rows.append(Row(item, "inline", freq, "1", interval=interval, basis=basis))
    fri = owner.fri.get(item.classification)
    if fri is not None:
        rows.append(Row(item, "fri", f"AQL {fri.aql} {item.classification}" if fri.aql else "zero acceptance",
                        fri.sample_text, fri.ac, fri.re, basis=fri.note, pieces=fri.sample_size))
    return rows
