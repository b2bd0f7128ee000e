"""The whole quality plan of a compiled spec: classified items, stage rows, FRI plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..diagnostics import Location
from ..schema.spec import Spec
from ..standards.tables import StandardsError
from . import classify, methods
from .items import Item, build_items
from .stages import CLASSES, STAGES, Owner, Row, fri_class, per_product, stage_rows

if TYPE_CHECKING:
    from ..checks.context import Context
    from ..engine import Compilation


@dataclass
class Finding:
    """A problem in the spec's inspection settings, reported by the build."""

    code: str
    message: str
    loc: Location | None
    subject: str | None = None


@dataclass
class QualityPlan:
    spec: Spec
    sha256: str
    date: dt.datetime
    owners: list[Owner]
    items: dict[str, list[Item]]
    findings: list[Finding] = field(default_factory=list)
    geometry: dict = field(default_factory=dict)
    """Each part's geometry facts (or None), for the QIF feature nominals."""

    @cached_property
    def rows(self) -> list[Row]:
        """Every stage row, stage by stage (owner and item order kept within a stage).

        Laid out on first use: only the quality documents read them, and none of them is a finding, so
        ``check`` (which writes no document) does not spend a row per stage per characteristic."""
        prod = self.spec.production
        rows: list[Row] = []
        for owner in self.owners:
            for item in self.items.get(owner.number, []):
                rows.extend(stage_rows(item, owner, prod))
        order = {s.key: n for n, s in enumerate(STAGES)}
        rows.sort(key=lambda r: order[r.stage])  # stable
        return rows

    @property
    def product(self):
        return self.spec.product

    def owner(self, number: str) -> Owner:
        return next(o for o in self.owners if o.number == number)

    @cached_property
    def _by_stage(self) -> dict[tuple[str, str | None], list[Row]]:
        """The rows by (stage, None) and by (stage, owner's number), each in plan order: the documents ask for
        them stage by stage and part by part (a scan of every row each time was quadratic in the parts)."""
        index: dict[tuple[str, str | None], list[Row]] = {}
        for r in self.rows:
            index.setdefault((r.stage, None), []).append(r)
            index.setdefault((r.stage, r.item.owner), []).append(r)
        return index

    def rows_of(self, stage: str, owner: str | None = None) -> list[Row]:
        """The rows of ``stage`` in plan order; with ``owner``, of that owner's items only."""
        return list(self._by_stage.get((stage, owner), ()))

    def all_items(self) -> list[Item]:
        return [i for o in self.owners for i in self.items.get(o.number, [])]


def build_plan(comp: "Compilation") -> QualityPlan:
    """The compilation's quality plan, made once (by the ``quality`` check) and shared by every renderer."""
    ctx = comp.context
    assert ctx is not None
    if ctx.quality_plan is None:
        ctx.quality_plan = make_plan(ctx)
    return ctx.quality_plan


def make_plan(ctx: "Context") -> QualityPlan:
    """Classify every item, choose its method, and lay out the stages (pure: reads ``ctx`` only)."""
    assert ctx.date is not None
    spec = ctx.spec
    prod = spec.production
    findings: list[Finding] = []
    items = build_items(ctx)
    capability = {r.subject: r for r in ctx.capability_rows}
    overrides = list(prod.inspection.overrides) if prod is not None else []
    used = [False] * len(overrides)
    for owner_items in items.values():
        for item in owner_items:
            item.classification, item.class_basis = classify.classify(item)
            item.method, item.method_basis = methods.choose(item)
            item.capability = capability.get(item.subject)
            for i, ov in enumerate(overrides):
                if _covers(ov.target, item.subject):
                    used[i] = True
                    if ov.classification is not None:
                        item.classification, item.class_basis = ov.classification, "override in the spec"
                    if ov.method is not None:
                        item.method, item.method_basis = ov.method.value, "override in the spec"
                    item.override_reason = ov.reason or ""
    for i, ov in enumerate(overrides):
        if not used[i]:
            findings.append(Finding("TP106", f"inspection override {ov.target!r} names no characteristic "
                                    "(write PART/ID, e.g. a subject from the inspection plan)",
                                    ov.loc("target"), ov.target))
    owners = _owners(ctx, items, findings)
    return QualityPlan(spec, ctx.loaded.sha256, ctx.date, owners, items, findings, dict(ctx.geometry))


def _covers(target: str, subject: str) -> bool:
    return subject == target or subject.startswith(target + "/") or subject.startswith(target + ".")


def _owners(ctx: "Context", items: dict[str, list[Item]], findings: list[Finding]) -> list[Owner]:
    spec = ctx.loaded.spec
    prod = spec.production
    counts = per_product(spec)
    run_products = prod.production_quantity if prod is not None else None
    lot_products = (prod.lot_size or prod.production_quantity) if prod is not None else None
    owners = [Owner(p.number, p.name, counts[p.number], _times(run_products, counts[p.number]),
                    _times(lot_products, counts[p.number])) for p in spec.parts]
    if spec.product.number in items and all(o.number != spec.product.number for o in owners):
        owners.append(Owner(spec.product.number, spec.product.name, 1, run_products, lot_products))
    if prod is None:
        return owners
    bad: set[str] = set()
    for owner in owners:
        for cls in CLASSES:
            if cls in bad:
                continue
            try:
                owner.fri[cls] = fri_class(cls, owner.lot, getattr(prod.aql, cls), prod.inspection_level.value)
            except StandardsError as exc:
                bad.add(cls)
                findings.append(Finding("TP013", f"production.aql.{cls}: {exc}", prod.aql.loc(cls),
                                        spec.product.number))
    return owners


def _times(products: int | None, per: int) -> int | None:
    return None if products is None else products * per
